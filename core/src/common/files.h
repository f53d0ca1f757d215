// A whole file read, and a file replaced at once (written beside it, then renamed over it: a
// reader, the live reload among them, never sees half a file). Header-only.
#pragma once

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

// Replaces `file` with `text` through `file` + `suffix`; "" or what went wrong.
inline std::string write_file_atomically(const std::filesystem::path& file, const std::string& text,
                                         const char* suffix = ".tmp-write") {
    auto tmp = file;
    tmp += suffix;
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        if (!out.flush()) return tmp.string() + ": cannot write";
    }
    std::error_code ec;
    std::filesystem::rename(tmp, file, ec);
    return ec ? file.string() + ": " + ec.message() : "";
}

}  // namespace guichet
