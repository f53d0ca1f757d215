// A SQLite connection that keeps its prepared statements for reuse (a turn runs the same few
// statements every time: parsing them again cost more than running them), and `stmt`, one
// statement borrowed from it for one use: bind by position (1-based), step, read columns.
// Threads: a connection and its statements are used by one thread at a time (the caller
// serialises); nothing here locks.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace guichet::store {

class connection {
public:
    connection() = default;
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;
    ~connection() { close(); }

    // Opens `file` with `flags` (SQLITE_OPEN_*); throws naming the file on failure. No
    // SQLite mutex: the caller serialises (see above).
    void open(const std::string& file, int flags) {
        if (sqlite3_open_v2(file.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
            std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
            close();
            throw std::runtime_error(file + ": cannot open the store: " + why);
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    void close() {
        for (auto& [sql, list] : idle_)
            for (auto* s : list) sqlite3_finalize(s);
        idle_.clear();
        if (db_) sqlite3_close_v2(db_);
        db_ = nullptr;
    }
    sqlite3* get() const { return db_; }

    // A prepared statement for sql: a kept one when there is one, else a new one.
    sqlite3_stmt* borrow(const char* sql) {
        auto it = idle_.find(std::string_view(sql));
        if (it != idle_.end() && !it->second.empty()) {
            auto* s = it->second.back();
            it->second.pop_back();
            return s;
        }
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("store: ") + sqlite3_errmsg(db_));
        return s;
    }
    // Resets it and keeps it for the next use of the same SQL.
    void give_back(sqlite3_stmt* s) {
        if (!s) return;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        auto& list = idle_[sqlite3_sql(s)];
        if (list.size() < max_idle_per_sql)
            list.push_back(s);
        else
            sqlite3_finalize(s);
    }

private:
    struct sql_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    static constexpr std::size_t max_idle_per_sql = 4;
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::vector<sqlite3_stmt*>, sql_hash, std::equal_to<>> idle_;
};

class stmt {
public:
    stmt(connection& c, const char* sql) : c_(c), s_(c.borrow(sql)) {}
    stmt(connection& c, const std::string& sql) : stmt(c, sql.c_str()) {}
    ~stmt() { c_.give_back(s_); }
    stmt(const stmt&) = delete;
    stmt& operator=(const stmt&) = delete;

    stmt& bind(int i, const std::string& v) {
        sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    stmt& bind(int i, std::int64_t v) {
        sqlite3_bind_int64(s_, i, v);
        return *this;
    }
    stmt& bind(int i, std::optional<double> v) {
        if (v)
            sqlite3_bind_double(s_, i, *v);
        else
            sqlite3_bind_null(s_, i);
        return *this;
    }
    // true while there is a row
    bool step() {
        int rc = sqlite3_step(s_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("store: ") + sqlite3_errmsg(c_.get()));
    }
    void run() {
        while (step()) {
        }
    }
    std::string text(int i) const {
        auto p = sqlite3_column_text(s_, i);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    std::int64_t integer(int i) const { return sqlite3_column_int64(s_, i); }
    bool null(int i) const { return sqlite3_column_type(s_, i) == SQLITE_NULL; }
    std::optional<double> real(int i) const {
        if (sqlite3_column_type(s_, i) == SQLITE_NULL) return std::nullopt;
        return sqlite3_column_double(s_, i);
    }

private:
    connection& c_;
    sqlite3_stmt* s_;
};

}  // namespace guichet::store
