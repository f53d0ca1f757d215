#include "ops/backup.h"

#include <sqlite3.h>

#include <memory>
#include <ostream>
#include <system_error>

namespace guichet::ops {
namespace {

struct db_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;

db_ptr open(const std::filesystem::path& file, int flags, std::string& error) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(file.c_str(), &db, flags, nullptr);
    db_ptr p(db);
    if (rc != SQLITE_OK) {
        error = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
        return nullptr;
    }
    sqlite3_busy_timeout(db, 5000);  // the server's checkpointer may hold the file briefly
    return p;
}

// The copy: one backup step over all pages (a WAL reader: the server keeps writing meanwhile).
bool copy(const std::filesystem::path& from, const std::filesystem::path& to, std::string& error) {
    auto src = open(from, SQLITE_OPEN_READONLY, error);
    if (!src) return false;
    auto dst = open(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, error);
    if (!dst) return false;
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

}  // namespace

bool backup_databases(const std::vector<backup_source>& sources,
                      const std::filesystem::path& out_dir, std::ostream& out, std::ostream& err) {
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) {
        err << out_dir.string() << ": cannot create the backup folder: " << ec.message() << '\n';
        return false;
    }
    bool ok = true;
    for (const auto& s : sources) {
        if (!std::filesystem::exists(s.file)) {
            out << s.name << ": " << s.file.string() << " does not exist yet, skipped\n";
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
        std::filesystem::rename(partial, target, ec);
        if (ec) {
            err << target.string() << ": " << ec.message() << '\n';
            ok = false;
            continue;
        }
        out << s.name << ": " << s.file.string() << " -> " << target.string() << " ("
            << std::filesystem::file_size(target, ec) << " bytes, integrity ok)\n";
    }
    return ok;
}

}  // namespace guichet::ops
