// Runs SQL on a SQLite file: one a running server keeps (its outbox.db…), changed as time
// passing would (stored times moved into the past instead of waiting hours), or one made as an
// older version wrote it. Fails the test on any error.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace guichet::test {

inline void change_sqlite_file(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK) << file;
    sqlite3_busy_timeout(db, 5000);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << file << ": " << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
}

}  // namespace guichet::test
