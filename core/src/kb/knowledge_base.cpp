// Connection handling of knowledge_base: read-only immutable open, schema version check, the
// prepared-statement cache, and the guarded generic query (authorizer + read-only check +
// single statement + row and time limits).
#include "kb/knowledge_base.h"

#include <sqlite3.h>

#include <cstring>
#include <unordered_map>

#include "kb/writer.h"

namespace guichet::kb {

struct knowledge_base::stmt_cache {
    struct user_stmt {
        sqlite3_stmt* s;
        bool deterministic;
    };
    std::unordered_map<std::string, sqlite3_stmt*> internal;
    std::unordered_map<std::string, user_stmt> user;
    ~stmt_cache() { clear(); }
    void clear() {
        for (auto& [_, s] : internal) sqlite3_finalize(s);
        for (auto& [_, u] : user) sqlite3_finalize(u.s);
        internal.clear();
        user.clear();
    }
};

namespace {

// Named limits of the generic query.
constexpr std::uint64_t max_vm_steps = 2'000'000;  // ≈ 0.1 s: a runaway query is stopped
constexpr std::size_t max_cached_user_statements = 64;

std::string uri_escape(const std::string& path) {
    std::string out;
    for (unsigned char c : path) {
        if (c == '%' || c == '?' || c == '#' || c < 0x20) {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// Built-in functions whose result may change from one run to the next on the same file
// (the date and time functions read the clock when given 'now' or nothing).
bool changes_between_runs(const char* f) {
    static const char* const names[] = {"random", "randomblob", "changes", "total_changes",
                                        "last_insert_rowid", "date", "time", "datetime",
                                        "julianday", "unixepoch", "strftime", "timediff",
                                        "current_date", "current_time", "current_timestamp"};
    for (const char* n : names)
        if (sqlite3_stricmp(f, n) == 0) return true;
    return false;
}

// Only reading is allowed while a user statement is prepared. `deterministic` (a bool*) is
// cleared when the statement calls a function of changes_between_runs.
int select_only_authorizer(void* deterministic, int action, const char*, const char* f,
                           const char*, const char*) {
    switch (action) {
        case SQLITE_SELECT:
        case SQLITE_READ:
        case SQLITE_RECURSIVE:
            return SQLITE_OK;
        case SQLITE_FUNCTION:
            if (!f || std::strcmp(f, "load_extension") == 0) return SQLITE_DENY;
            if (deterministic && changes_between_runs(f)) *static_cast<bool*>(deterministic) = false;
            return SQLITE_OK;
        default:
            return SQLITE_DENY;
    }
}

}  // namespace

int kb_progress_handler(void* self) {
    auto* kb = static_cast<knowledge_base*>(self);
    kb->progress_steps_ += 1000;
    return kb->progress_steps_ > max_vm_steps ? 1 : 0;
}

knowledge_base::knowledge_base(sqlite3* db) : db_(db), cache_(std::make_unique<stmt_cache>()) {}

knowledge_base::knowledge_base(knowledge_base&& o) noexcept
    : db_(o.db_), cache_(std::move(o.cache_)), progress_steps_(o.progress_steps_) {
    o.db_ = nullptr;
}

knowledge_base& knowledge_base::operator=(knowledge_base&& o) noexcept {
    if (this != &o) {
        cache_.reset();
        if (db_) sqlite3_close_v2(db_);
        db_ = o.db_;
        cache_ = std::move(o.cache_);
        o.db_ = nullptr;
    }
    return *this;
}

knowledge_base::~knowledge_base() {
    cache_.reset();  // statements first
    if (db_) sqlite3_close_v2(db_);
}

knowledge_base knowledge_base::open(const std::string& path) {
    if (FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
    } else {
        throw kb_error("knowledge base " + path + ": cannot open the file (run `guichet kb build`)");
    }
    std::string uri = "file:" + uri_escape(path) + "?immutable=1";
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    knowledge_base kb(db);
    if (rc != SQLITE_OK)
        throw kb_error("knowledge base " + path + ": " + (db ? sqlite3_errmsg(db) : "cannot open"));
    std::string version;
    try {
        version = kb.meta("schema_version");
    } catch (const kb_error&) {
        throw kb_error("knowledge base " + path + ": not a guichet knowledge base (no meta table)");
    }
    if (version != std::to_string(schema_version))
        throw kb_error("knowledge base " + path + ": schema version '" + version + "', expected " +
                       std::to_string(schema_version) + " (rebuild it with `guichet kb build`)");
    // Connect the virtual tables now: their constructors run statements that the select-only
    // authorizer of query() would refuse ("vtable constructor failed").
    for (const char* sql : {"SELECT rowid FROM faq_fts LIMIT 0", "SELECT term FROM faq_vocab LIMIT 0",
                            "SELECT num FROM places_rtree LIMIT 0"}) {
        try {
            sqlite3_stmt* s = kb.prepare(sql);
            sqlite3_step(s);
            sqlite3_reset(s);
        } catch (const kb_error& e) {
            throw kb_error("knowledge base " + path + ": " + e.what());
        }
    }
    return kb;
}

sqlite3_stmt* knowledge_base::prepare(const char* sql) {
    auto it = cache_->internal.find(sql);
    if (it != cache_->internal.end()) {
        sqlite3_reset(it->second);
        sqlite3_clear_bindings(it->second);
        return it->second;
    }
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        throw kb_error(std::string("knowledge base query failed: ") + sqlite3_errmsg(db_));
    cache_->internal.emplace(sql, s);
    return s;
}

std::string knowledge_base::meta(std::string_view key) {
    sqlite3_stmt* s = prepare("SELECT value FROM meta WHERE key = ?1");
    sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    std::string v;
    if (sqlite3_step(s) == SQLITE_ROW) v = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_reset(s);
    return v;
}

query_status knowledge_base::query(std::string_view sql, const std::vector<value>& params,
                                   const row_callback& on_row, std::size_t max_rows) {
    query_status st;
    if (!db_) {
        st.error = "knowledge base is closed";
        return st;
    }
    std::string key(sql);
    sqlite3_stmt* s = nullptr;
    auto it = cache_->user.find(key);
    if (it != cache_->user.end()) {
        s = it->second.s;
        st.deterministic = it->second.deterministic;
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
    } else {
        const char* tail = nullptr;
        bool deterministic = true;
        sqlite3_set_authorizer(db_, select_only_authorizer, &deterministic);
        int rc = sqlite3_prepare_v2(db_, key.c_str(), static_cast<int>(key.size()), &s, &tail);
        std::string err = rc == SQLITE_OK ? "" : sqlite3_errmsg(db_);
        sqlite3_stmt* extra = nullptr;
        if (rc == SQLITE_OK && s && tail && *tail) {
            // Anything but blanks/comments after the first statement is a second statement.
            if (sqlite3_prepare_v2(db_, tail, -1, &extra, nullptr) != SQLITE_OK || extra)
                err = "only one statement is allowed";
            sqlite3_finalize(extra);
        }
        sqlite3_set_authorizer(db_, nullptr, nullptr);
        if (err.empty() && !s) err = "empty statement";
        if (err.empty() && !sqlite3_stmt_readonly(s)) err = "only SELECT statements are allowed";
        if (!err.empty()) {
            sqlite3_finalize(s);
            st.error = err == "not authorized" ? "only SELECT statements are allowed (not authorized)" : err;
            return st;
        }
        if (cache_->user.size() >= max_cached_user_statements) {
            for (auto& [_, old] : cache_->user) sqlite3_finalize(old.s);
            cache_->user.clear();
        }
        cache_->user.emplace(key, stmt_cache::user_stmt{s, deterministic});
        st.deterministic = deterministic;
    }
    int n = sqlite3_bind_parameter_count(s);
    if (static_cast<std::size_t>(n) != params.size()) {
        st.error = "expected " + std::to_string(n) + " parameter(s), got " + std::to_string(params.size());
        return st;
    }
    for (int i = 0; i < n; ++i) {
        const value& v = params[i];
        if (std::holds_alternative<std::nullptr_t>(v)) sqlite3_bind_null(s, i + 1);
        else if (auto* x = std::get_if<std::int64_t>(&v)) sqlite3_bind_int64(s, i + 1, *x);
        else if (auto* d = std::get_if<double>(&v)) sqlite3_bind_double(s, i + 1, *d);
        else {
            const auto& t = std::get<std::string>(v);
            sqlite3_bind_text(s, i + 1, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT);
        }
    }
    std::vector<std::string> columns;
    int ncol = sqlite3_column_count(s);
    for (int c = 0; c < ncol; ++c) columns.emplace_back(sqlite3_column_name(s, c));
    std::vector<value> row(ncol);
    progress_steps_ = 0;
    sqlite3_progress_handler(db_, 1000, kb_progress_handler, this);
    int rc = SQLITE_DONE;
    while (st.rows < max_rows) {
        rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) break;
        for (int c = 0; c < ncol; ++c) {
            switch (sqlite3_column_type(s, c)) {
                case SQLITE_INTEGER: row[c] = static_cast<std::int64_t>(sqlite3_column_int64(s, c)); break;
                case SQLITE_FLOAT: row[c] = sqlite3_column_double(s, c); break;
                case SQLITE_NULL: row[c] = nullptr; break;
                default:
                    row[c] = std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                         static_cast<std::size_t>(sqlite3_column_bytes(s, c)));
            }
        }
        ++st.rows;
        bool go_on = true;
        try {
            go_on = on_row ? on_row(columns, row) : true;
        } catch (...) {
            st.error = "row callback threw";
        }
        if (!go_on || !st.error.empty()) break;
    }
    if (st.error.empty() && rc != SQLITE_DONE && rc != SQLITE_ROW)
        st.error = rc == SQLITE_INTERRUPT ? "query took too long and was stopped" : sqlite3_errmsg(db_);
    sqlite3_progress_handler(db_, 0, nullptr, nullptr);
    sqlite3_reset(s);
    st.ok = st.error.empty();
    st.complete = st.ok && rc == SQLITE_DONE;
    return st;
}

}  // namespace guichet::kb
