// `guichet backup`: consistent copies of live SQLite files (WAL, a writer at work), checked,
// and clear failures that leave no half copy.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "ops/backup.h"

namespace fs = std::filesystem;
using guichet::ops::backup_databases;

namespace {

fs::path fresh_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("guichet_backup_" + name + "_" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

sqlite3* open_db(const fs::path& f) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(f.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

std::string one_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* st = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return out;
}

}  // namespace

TEST(backup, copies_a_live_wal_database_while_it_is_written) {
    auto dir = fresh_dir("live");
    auto live = dir / "state.db";
    sqlite3* w = open_db(live);
    ASSERT_EQ(sqlite3_exec(w, "PRAGMA journal_mode=WAL; CREATE TABLE messages(id INTEGER PRIMARY KEY, text TEXT);",
                           nullptr, nullptr, nullptr), SQLITE_OK);
    std::atomic<bool> stop{false};
    std::atomic<int> written{0};
    std::thread writer([&] {  // turns keep coming while the copy runs
        while (!stop) {
            sqlite3_exec(w, "BEGIN; INSERT INTO messages(text) VALUES (hex(randomblob(200))); "
                            "INSERT INTO messages(text) VALUES (hex(randomblob(200))); COMMIT;",
                         nullptr, nullptr, nullptr);
            written += 2;
        }
    });
    while (written < 2000) std::this_thread::yield();
    std::ostringstream out, err;
    bool ok = backup_databases({{"state.db", live}, {"staff.db", dir / "staff.db"}}, dir / "copy", out, err);
    stop = true;
    writer.join();
    sqlite3_close(w);
    ASSERT_TRUE(ok) << err.str();
    EXPECT_NE(out.str().find("integrity ok"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("staff.db"), std::string::npos) << "a missing file is named: " << out.str();
    EXPECT_FALSE(fs::exists(dir / "copy" / "staff.db"));

    auto copy = dir / "copy" / "state.db";
    sqlite3* c = open_db(copy);
    EXPECT_EQ(one_text(c, "PRAGMA integrity_check"), "ok");
    EXPECT_EQ(one_text(c, "PRAGMA journal_mode"), "delete");  // one self-contained file
    const int rows = std::stoi(one_text(c, "SELECT count(*) FROM messages"));
    EXPECT_GE(rows, 2000);
    EXPECT_EQ(rows % 2, 0) << "a transaction was copied half";
    sqlite3_close(c);
    EXPECT_FALSE(fs::exists(dir / "copy" / "state.db-wal"));
    EXPECT_FALSE(fs::exists(dir / "copy" / "state.db.partial"));
    // Personal data and password hashes: the folder and the copy for their owner only.
    EXPECT_EQ(fs::status(copy).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    EXPECT_EQ(fs::status(dir / "copy").permissions() & fs::perms::all, fs::perms::owner_all);
    fs::remove_all(dir);
}

// Not one database where the settings say (the backup job without the service's
// GUICHET_STORE_PATH): a failure that says so, not an empty folder and exit 0.
TEST(backup, finding_no_database_at_all_is_a_failure) {
    auto dir = fresh_dir("none");
    std::ostringstream out, err;
    EXPECT_FALSE(backup_databases({{"state.db", dir / "state.db"}, {"staff.db", dir / "staff.db"}},
                                  dir / "copy", out, err));
    EXPECT_NE(err.str().find("nothing was backed up"), std::string::npos) << err.str();
    EXPECT_NE(err.str().find("GUICHET_STORE_PATH"), std::string::npos) << err.str();
    fs::remove_all(dir);
}

TEST(backup, a_plain_file_is_copied_as_it_is_for_its_owner_only) {
    auto dir = fresh_dir("plain");
    std::ofstream(dir / "token_secret") << "a-key-of-at-least-thirty-two-characters\n";
    auto live = dir / "state.db";
    sqlite3* w = open_db(live);
    ASSERT_EQ(sqlite3_exec(w, "CREATE TABLE t(x);", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(w);
    std::ostringstream out, err;
    ASSERT_TRUE(backup_databases({{"state.db", live}, {"token_secret", dir / "token_secret", true}},
                                 dir / "copy", out, err))
        << err.str();
    std::ifstream in(dir / "copy" / "token_secret");
    std::string line;
    std::getline(in, line);
    EXPECT_EQ(line, "a-key-of-at-least-thirty-two-characters");
    EXPECT_EQ(fs::status(dir / "copy" / "token_secret").permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    fs::remove_all(dir);
}

TEST(backup, a_broken_source_fails_clearly_and_leaves_no_copy) {
    auto dir = fresh_dir("broken");
    std::ofstream(dir / "state.db") << "this is not a database, only text that looks like one";
    std::ostringstream out, err;
    EXPECT_FALSE(backup_databases({{"state.db", dir / "state.db"}}, dir / "copy", out, err));
    EXPECT_NE(err.str().find((dir / "state.db").string() + ": backup failed"), std::string::npos)
        << err.str();
    EXPECT_FALSE(fs::exists(dir / "copy" / "state.db"));
    EXPECT_FALSE(fs::exists(dir / "copy" / "state.db.partial"));
    fs::remove_all(dir);
}

TEST(backup, an_unusable_backup_folder_is_refused) {
    auto dir = fresh_dir("folder");
    std::ofstream(dir / "a_file") << "x";
    std::ostringstream out, err;
    EXPECT_FALSE(backup_databases({}, dir / "a_file" / "sub", out, err));
    EXPECT_NE(err.str().find("cannot create the backup folder"), std::string::npos) << err.str();
    fs::remove_all(dir);
}
