// Durable analytics: the counts, unanswered questions, 👍/👎 (per intent, per FAQ entry, and
// each 👎 with its question and answer) of analytics::store kept in
// their own SQLite file (WAL), apart from the conversation store so that the figures'
// writes never wait on (nor slow) the per-turn writes. Turns only touch memory; one writer
// thread takes the buffered changes at most once a second and commits them in one
// transaction, and once more at shutdown. Thread-safe; the store outlives the writer.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "analytics/analytics.h"
#include "config/config.h"

namespace guichet::analytics {

// The file: tables analytics_daily, analytics_questions (with the 👎 and their texts),
// analytics_feedback, analytics_entries (per FAQ entry), analytics_meta.
class database {
public:
    // Opens or creates the file (and its folder); throws std::runtime_error naming it.
    explicit database(const std::filesystem::path& file);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    // Reads everything stored into s (at start, before serving).
    void load_into(store& s);
    // Commits changes in one transaction; throws std::runtime_error (nothing written).
    void write(const pending_changes& p);

private:
    void exec(const char* sql);
    sqlite3* db_ = nullptr;
    std::filesystem::path file_;
};

// The one writer: flushes s into db every `interval` and when stopped (destructor).
class writer {
public:
    writer(std::shared_ptr<store> s, std::unique_ptr<database> db,
           std::chrono::milliseconds interval = std::chrono::seconds(1));
    ~writer();  // final flush
    // Writes what is buffered now (tests, shutdown); returns false when the write failed.
    bool flush();

private:
    void run();
    std::shared_ptr<store> store_;
    std::unique_ptr<database> db_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_, write_mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

// analytics.db in the folder of the durable state (store.path's folder, else kb.path's,
// else <site>/var) unless `analytics.path` says otherwise.
std::filesystem::path default_file(const std::map<std::string, std::string>& analytics_section,
                                   const std::string& store_path, const std::string& kb_path,
                                   const std::filesystem::path& site_root);
// The same, from the configuration (`analytics.path`, `store.path`, `kb.path`).
std::filesystem::path configured_file(const config& c, const std::filesystem::path& site_root);

}  // namespace guichet::analytics
