#include "ops/backup.h"

#include <sqlite3.h>

#include <ostream>
#include <stdexcept>
#include <system_error>

#include "store/sqlite_db.h"

namespace guichet::ops {
namespace {

// The copy: one backup step over all pages (a WAL reader: the server keeps writing meanwhile).
bool copy(const std::filesystem::path& from, const std::filesystem::path& to, std::string& error) {
    store::connection src, dst;  // with the store's busy timeout: its checkpointer may hold the file
    try {
        src.open(from.string(), SQLITE_OPEN_READONLY);
        dst.open(to.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    } catch (const std::exception& e) {
        error = e.what();
        return false;
    }
    sqlite3_backup* b = sqlite3_backup_init(dst.get(), "main", src.get(), "main");
    if (!b) {
        error = sqlite3_errmsg(dst.get());
        return false;
    }
    int rc = SQLITE_OK;
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        error = sqlite3_errstr(rc);
        return false;
    }
    // The copy alone, checked; back to a single file (no -wal beside it).
    std::string verdict;
    sqlite3_exec(dst.get(), "PRAGMA integrity_check", [](void* out, int, char** v, char**) {
            *static_cast<std::string*>(out) += v[0] ? v[0] : "";
            return 0;
        }, &verdict, nullptr);
    if (verdict != "ok") {
        error = "the copy failed its integrity check: " + verdict;
        return false;
    }
    if (sqlite3_exec(dst.get(), "PRAGMA journal_mode = DELETE", nullptr, nullptr, nullptr) != SQLITE_OK) {
        error = sqlite3_errmsg(dst.get());
        return false;
    }
    return true;
}

constexpr auto owner_only = std::filesystem::perms::owner_read | std::filesystem::perms::owner_write;

}  // namespace

bool backup_databases(const std::vector<backup_source>& sources,
                      const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
        err << out_dir.string() << ": cannot create the backup folder: " << ec.message() << '\n';
        return false;
    }
    // The copies hold personal data and password hashes: for their owner only (they were
    // readable by every user of the machine).
    std::filesystem::permissions(out_dir, std::filesystem::perms::owner_all, ec);
    bool ok = true;
    std::size_t copied = 0;
    for (const auto& s : sources) {
        if (!std::filesystem::exists(s.file)) {
            out << s.name << ": " << s.file.string() << " does not exist yet, skipped\n";
            continue;
        }
        if (s.plain) {  // a small file (the tokens' key): copied as it is
            const auto target = out_dir / s.name;
            std::filesystem::copy_file(s.file, target,
                                       std::filesystem::copy_options::overwrite_existing, ec);
            if (!ec) std::filesystem::permissions(target, owner_only, ec);
            if (ec) {
                err << target.string() << ": " << ec.message() << '\n';
                ok = false;
            } else {
                out << s.name << ": " << s.file.string() << " -> " << target.string() << '\n';
            }
            continue;
        }
        const auto target = out_dir / s.name;
        const auto partial = out_dir / (s.name + ".partial");
        std::filesystem::remove(partial, ec);
        std::string error;
        if (!copy(s.file, partial, error)) {
            err << s.file.string() << ": backup failed: " << error << '\n';
            std::filesystem::remove(partial, ec);
            ok = false;
            continue;
        }
        std::filesystem::permissions(partial, owner_only, ec);
        std::filesystem::rename(partial, target, ec);
        if (ec) {
            err << target.string() << ": " << ec.message() << '\n';
            ok = false;
            continue;
        }
        ++copied;
        out << s.name << ": " << s.file.string() << " -> " << target.string() << " ("
            << std::filesystem::file_size(target, ec) << " bytes, integrity ok)\n";
    }
    // Not one database found: most likely the backup does not see the server's settings (a
    // GUICHET_STORE_PATH set for the service only); an empty backup said "ok" with exit 0.
    if (copied == 0 && ok) {
        err << "nothing was backed up: none of the databases exists where the settings say (run "
               "the backup with the same settings as `guichet serve`: --site, --config, "
               "GUICHET_STORE_PATH…)\n";
        return false;
    }
    return ok;
}

}  // namespace guichet::ops
