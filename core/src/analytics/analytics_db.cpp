// SQLite persistence of the analytics and its one writer thread (see analytics_db.h).
#include "analytics/analytics_db.h"

#include <algorithm>
#include <stdexcept>

#include "common/files.h"
#include "engine/log.h"

namespace guichet::analytics {
namespace {

struct statement {
    statement(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
    }
    ~statement() { sqlite3_finalize(s); }
    void text(int i, const std::string& v) { sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT); }
    void integer(int i, std::int64_t v) { sqlite3_bind_int64(s, i, v); }
    void real(int i, double v) { sqlite3_bind_double(s, i, v); }
    bool step(sqlite3* db) {
        int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
        sqlite3_reset(s);
        sqlite3_clear_bindings(s);
        return false;
    }
    std::string col_text(int i) {
        auto* p = sqlite3_column_text(s, i);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    sqlite3_stmt* s = nullptr;
};

}  // namespace

database::database(const std::filesystem::path& file) : file_(file) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    make_owner_only(file);  // the unanswered questions are citizens' words
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        std::string m = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(file.string() + ": " + m);
    }
    sqlite3_busy_timeout(db_, 5000);
    try {
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("CREATE TABLE IF NOT EXISTS analytics_daily (day TEXT NOT NULL, intent TEXT NOT NULL,"
             " channel TEXT NOT NULL, locale TEXT NOT NULL, count INTEGER NOT NULL,"
             " PRIMARY KEY (day, intent, channel, locale))");
        // The unanswered questions, and the 👎 (vote = 1) with the answer they judged.
        exec("CREATE TABLE IF NOT EXISTS analytics_questions (seq INTEGER PRIMARY KEY, text TEXT NOT NULL,"
             " locale TEXT NOT NULL, intent TEXT NOT NULL, confidence REAL NOT NULL,"
             " at INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0,"
             " vote INTEGER NOT NULL DEFAULT 0, answer TEXT NOT NULL DEFAULT '',"
             " source TEXT NOT NULL DEFAULT '')");
        // A file written before questions had their time, "traité" mark and votes gets the columns.
        for (auto [column, type] : {std::pair{"at", "INTEGER NOT NULL DEFAULT 0"},
                                    {"done", "INTEGER NOT NULL DEFAULT 0"},
                                    {"vote", "INTEGER NOT NULL DEFAULT 0"},
                                    {"answer", "TEXT NOT NULL DEFAULT ''"},
                                    {"source", "TEXT NOT NULL DEFAULT ''"}}) {
            statement has(db_, "SELECT 1 FROM pragma_table_info('analytics_questions') WHERE name = ?1");
            has.text(1, column);
            if (!has.step(db_))
                exec((std::string("ALTER TABLE analytics_questions ADD COLUMN ") + column + " " + type).c_str());
        }
        exec("CREATE TABLE IF NOT EXISTS analytics_feedback (day TEXT NOT NULL, intent TEXT NOT NULL,"
             " locale TEXT NOT NULL, useful INTEGER NOT NULL, count INTEGER NOT NULL,"
             " PRIMARY KEY (day, intent, locale, useful))");
        exec("CREATE TABLE IF NOT EXISTS analytics_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)");
        // Per knowledge entry (the FAQ's): how often it was the answer, and its 👍/👎.
        exec("CREATE TABLE IF NOT EXISTS analytics_entries (entry TEXT PRIMARY KEY, shown INTEGER NOT NULL,"
             " useful INTEGER NOT NULL, not_useful INTEGER NOT NULL)");
    } catch (const std::exception& e) {
        sqlite3_close(db_);
        db_ = nullptr;
        throw std::runtime_error(file.string() + ": " + e.what());
    }
}

database::~database() { sqlite3_close(db_); }

void database::exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string m = err ? err : "error";
        sqlite3_free(err);
        throw std::runtime_error(m);
    }
}

void database::load_into(store& s) {
    std::vector<count_row> daily;
    std::vector<stored_question> questions;
    std::vector<std::pair<std::string, std::pair<std::uint64_t, std::uint64_t>>> feedback;
    {
        statement st(db_, "SELECT day, intent, channel, locale, count FROM analytics_daily");
        while (st.step(db_))
            daily.push_back({st.col_text(0), st.col_text(1), st.col_text(2), st.col_text(3),
                             static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 4))});
    }
    for (auto [vote, max] : {std::pair{0, store::unanswered_max}, std::pair{1, store::unhelpful_max}}) {
        statement st(db_, "SELECT seq, text, locale, intent, confidence, at, done, answer, source"
                          " FROM analytics_questions WHERE vote = ?2 ORDER BY seq DESC LIMIT ?1");
        st.integer(1, static_cast<std::int64_t>(max));
        st.integer(2, vote);
        while (st.step(db_))
            questions.push_back({static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0)), st.col_text(1),
                                 st.col_text(2), st.col_text(3), sqlite3_column_double(st.s, 4),
                                 sqlite3_column_int64(st.s, 5), sqlite3_column_int(st.s, 6) != 0, vote == 1,
                                 st.col_text(7), st.col_text(8)});
    }
    {
        statement st(db_, "SELECT intent, SUM(CASE WHEN useful = 1 THEN count ELSE 0 END),"
                          " SUM(CASE WHEN useful = 0 THEN count ELSE 0 END)"
                          " FROM analytics_feedback GROUP BY intent");
        while (st.step(db_))
            feedback.push_back({st.col_text(0), {static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 1)),
                                                 static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 2))}});
    }
    std::map<std::string, entry_counts> entries;
    {
        statement st(db_, "SELECT entry, shown, useful, not_useful FROM analytics_entries");
        while (st.step(db_))
            entries[st.col_text(0)] = {static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 1)),
                                       static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 2)),
                                       static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 3))};
    }
    std::uint64_t last_seq = 0;
    {
        statement st(db_, "SELECT value FROM analytics_meta WHERE key = 'last_seq'");
        if (st.step(db_)) last_seq = static_cast<std::uint64_t>(sqlite3_column_int64(st.s, 0));
    }
    s.restore(daily, questions, feedback, entries, last_seq);
}

void database::write(const pending_changes& p) {
    exec("BEGIN IMMEDIATE");
    try {
        statement d(db_, "INSERT INTO analytics_daily (day, intent, channel, locale, count) VALUES (?1, ?2, ?3, ?4, ?5)"
                         " ON CONFLICT (day, intent, channel, locale) DO UPDATE SET count = count + excluded.count");
        for (auto& [k, n] : p.daily) {
            d.text(1, std::get<0>(k));
            d.text(2, std::get<1>(k));
            d.text(3, std::get<2>(k));
            d.text(4, std::get<3>(k));
            d.integer(5, static_cast<std::int64_t>(n));
            d.step(db_);
        }
        statement q(db_, "INSERT OR REPLACE INTO analytics_questions (seq, text, locale, intent, confidence,"
                         " at, done, vote, answer, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
        for (auto& x : p.questions) {
            q.integer(1, static_cast<std::int64_t>(x.seq));
            q.text(2, x.text);
            q.text(3, x.locale);
            q.text(4, x.intent);
            q.real(5, x.confidence);
            q.integer(6, x.at);
            q.integer(7, x.done ? 1 : 0);
            q.integer(8, x.vote ? 1 : 0);
            q.text(9, x.answer);
            q.text(10, x.source);
            q.step(db_);
        }
        statement done(db_, "UPDATE analytics_questions SET done = 1 WHERE seq = ?1");
        for (auto seq : p.done) {
            done.integer(1, static_cast<std::int64_t>(seq));
            done.step(db_);
        }
        if (!p.questions.empty()) {
            std::uint64_t top = 0;
            for (auto& x : p.questions) top = std::max(top, x.seq);
            statement m(db_, "INSERT INTO analytics_meta (key, value) VALUES ('last_seq', ?1)"
                             " ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)");
            m.integer(1, static_cast<std::int64_t>(top));
            m.step(db_);
        }
        statement del(db_, "DELETE FROM analytics_questions WHERE seq = ?1");
        for (auto seq : p.forgotten) {
            del.integer(1, static_cast<std::int64_t>(seq));
            del.step(db_);
        }
        statement f(db_, "INSERT INTO analytics_feedback (day, intent, locale, useful, count) VALUES (?1, ?2, ?3, ?4, ?5)"
                         " ON CONFLICT (day, intent, locale, useful) DO UPDATE SET count = count + excluded.count");
        for (auto& [k, n] : p.feedback) {
            f.text(1, std::get<0>(k));
            f.text(2, std::get<1>(k));
            f.text(3, std::get<2>(k));
            f.integer(4, std::get<3>(k));
            f.integer(5, static_cast<std::int64_t>(n));
            f.step(db_);
        }
        statement e(db_, "INSERT INTO analytics_entries (entry, shown, useful, not_useful) VALUES (?1, ?2, ?3, ?4)"
                         " ON CONFLICT (entry) DO UPDATE SET shown = shown + excluded.shown,"
                         " useful = useful + excluded.useful, not_useful = not_useful + excluded.not_useful");
        for (auto& [entry, n] : p.entries) {
            e.text(1, entry);
            e.integer(2, static_cast<std::int64_t>(n.shown));
            e.integer(3, static_cast<std::int64_t>(n.useful));
            e.integer(4, static_cast<std::int64_t>(n.not_useful));
            e.step(db_);
        }
        exec("COMMIT");
    } catch (const std::exception& e) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw std::runtime_error(file_.string() + ": " + e.what());
    }
}

writer::writer(std::shared_ptr<store> s, std::unique_ptr<database> db, std::chrono::milliseconds interval)
    : store_(std::move(s)), db_(std::move(db)), interval_(interval) {
    thread_ = std::thread([this] { run(); });
}

writer::~writer() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
    flush();
}

bool writer::flush() {
    std::lock_guard lock(write_mutex_);
    auto p = store_->take_pending();
    if (p.empty()) return true;
    try {
        db_->write(p);
        return true;
    } catch (const std::exception& e) {
        log::error("analytics", std::string("cannot save the figures (retried): ") + e.what());
        store_->requeue(std::move(p));
        return false;
    }
}

void writer::run() {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        wake_.wait_for(lock, interval_, [this] { return stop_; });
        if (stop_) break;
        lock.unlock();
        flush();
        lock.lock();
    }
}

std::filesystem::path default_file(const std::map<std::string, std::string>& analytics_section,
                                   const std::string& store_path, const std::string& kb_path,
                                   const std::filesystem::path& site_root) {
    if (auto it = analytics_section.find("path"); it != analytics_section.end() && !it->second.empty())
        return it->second;
    if (!store_path.empty()) return std::filesystem::path(store_path).parent_path() / "analytics.db";
    if (!kb_path.empty()) return std::filesystem::path(kb_path).parent_path() / "analytics.db";
    return site_root / "var" / "analytics.db";
}

std::filesystem::path configured_file(const config& c, const std::filesystem::path& site_root) {
    auto store = c.section("store");
    auto it = store.find("path");
    return default_file(c.section("analytics"), it == store.end() ? std::string() : it->second,
                        c.get("kb.path"), site_root);
}

}  // namespace guichet::analytics
