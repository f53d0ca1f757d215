// A whole file read, and a file replaced at once (written beside it, then renamed over it: a
// reader, the live reload among them, never sees half a file). Header-only.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <optional>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>

namespace guichet {

// An editor's backup or swap copy ("social.yaml~", "contact.yaml.bak", "places.yaml.orig",
// ".#alerts.yaml", "#faq.yaml#"): never read, and not reported as a misnamed source file
// (`check` said to rename it to the name of the file it copies).
inline bool editor_backup(std::string_view name) {
    for (std::string_view end : {"~", ".bak", ".orig", ".old", ".swp", ".tmp"})
        if (name.size() > end.size() && name.ends_with(end)) return true;
    return name.starts_with(".#") || (name.size() > 2 && name.front() == '#' && name.back() == '#');
}

// The file's bytes; "" when it cannot be read.
inline std::string file_text(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Why guichet may not write in `dir` (the site's intents/ or knowledge/, where the console's
// edits go), in French and in English, naming the folder, the reason and the fix; nothing
// when it may.
struct folder_problem {
    std::string fr, en;
};
inline std::optional<folder_problem> unwritable_folder(const std::filesystem::path& dir) {
    if (::access(dir.c_str(), W_OK | X_OK) == 0) return std::nullopt;
    const int e = errno;
    const std::string reason_en = std::generic_category().message(e);
    const std::string reason_fr = e == EACCES   ? "permission refusée"
                                  : e == EROFS  ? "système de fichiers en lecture seule"
                                  : e == ENOENT ? "le dossier n'existe pas"
                                                : reason_en;
    const std::string d = dir.string();
    return folder_problem{
        d + " : le guichet ne peut pas écrire dans ce dossier (" + reason_fr +
            ") : les modifications faites depuis la console y échouent ; donnez-le à l'utilisateur "
            "du service (sudo chown -R guichet: " + d + ") et, sous systemd, ajoutez-le à "
            "ReadWritePaths= (voir core/src/ops/README.md)",
        d + ": guichet may not write in this folder (" + reason_en +
            "): the console's edits there fail; give it to the service user (sudo chown -R guichet: " +
            d + ") and, under systemd, add it to ReadWritePaths= (see core/src/ops/README.md)"};
}

// Replaces `file` with `text` through `file` + `suffix`; "" or what went wrong.
inline std::string write_file_atomically(const std::filesystem::path& file, const std::string& text,
                                         const char* suffix = ".tmp-write") {
    auto tmp = file;
    tmp += suffix;
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) {
            if (auto p = unwritable_folder(file.parent_path())) return p->fr + " (" + p->en + ")";
            return tmp.string() + ": cannot write";
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    return ec ? file.string() + ": " + ec.message() : "";
}

// A database holding personal data (conversations, figures, staff accounts, queued messages)
// for its owner only: `file` created 0600 when missing, its mode (and its -wal and -shm
// files') set to 0600 when present. SQLite gives the -wal and -shm files it creates the
// database file's mode, so opening it afterwards keeps them private too. Call it before
// sqlite3_open_v2; an in-memory or "file:" name is left alone.
inline void make_owner_only(const std::filesystem::path& file) {
    const auto name = file.string();
    if (name.empty() || name == ":memory:" || name.starts_with("file:")) return;
    const auto owner_only = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        if (int fd = ::open(file.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600); fd >= 0) ::close(fd);
    for (const char* side : {"", "-wal", "-shm"})
        if (std::filesystem::exists(name + side, ec))
            std::filesystem::permissions(name + side, owner_only, std::filesystem::perm_options::replace, ec);
}

}  // namespace guichet
