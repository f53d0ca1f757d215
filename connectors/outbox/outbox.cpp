// The outbox on SQLite: table `outbox` (pending, held and failed replies; a held one expires
// into failed), table `seen` (delivery ids), table `facts` (per-conversation facts of the
// connectors), one delivery loop on a strand. A reply leaves the table only after its platform
// said 2xx, so a crash in between sends it again (at-least-once at the wire; Matrix's txnId
// and Telegram's idempotent methods make repeats harmless) — never zero times.
#include "outbox/outbox.h"

#include <sqlite3.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <mutex>
#include <random>
#include <set>
#include <stdexcept>

#include "common/files.h"
#include "engine/log.h"

namespace asio = boost::asio;

namespace guichet {
namespace {

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// A prepared statement that finalizes itself.
struct stmt {
    sqlite3_stmt* s = nullptr;
    stmt(sqlite3* db, const char* sql) {
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("outbox: ") + sqlite3_errmsg(db));
    }
    ~stmt() { sqlite3_finalize(s); }
    stmt& text(int i, const std::string& v) {
        sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    stmt& integer(int i, std::int64_t v) {
        sqlite3_bind_int64(s, i, v);
        return *this;
    }
    int step() { return sqlite3_step(s); }
    std::string col_text(int i) {
        auto p = sqlite3_column_text(s, i);
        return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(s, i)) : "";
    }
};

const char* schema =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "PRAGMA busy_timeout=5000;"
    "CREATE TABLE IF NOT EXISTS outbox("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, channel TEXT NOT NULL, conversation TEXT NOT NULL,"
    " target TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    " next_at INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL);"
    "CREATE INDEX IF NOT EXISTS outbox_conversation ON outbox(failed, channel, conversation, id);"
    "CREATE TABLE IF NOT EXISTS seen(channel TEXT NOT NULL, key TEXT NOT NULL, at INTEGER NOT NULL,"
    " PRIMARY KEY(channel, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS facts(channel TEXT NOT NULL, conversation TEXT NOT NULL, name TEXT NOT NULL,"
    " value TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY(channel, conversation, name)) WITHOUT ROWID;";

// A reply from a row whose first columns are id, channel, conversation, target, body, attempts.
stored_outgoing read_reply(stmt& q) {
    stored_outgoing o;
    o.id = sqlite3_column_int64(q.s, 0);
    o.channel = q.col_text(1);
    o.conversation = q.col_text(2);
    o.target = q.col_text(3);
    o.body = q.col_text(4);
    o.attempts = sqlite3_column_int(q.s, 5);
    return o;
}

// "72 h", "1500 ms": how an expired reply's reason says how long it waited.
std::string duration_text(std::chrono::milliseconds d) {
    if (d >= std::chrono::hours(1) && d % std::chrono::hours(1) == std::chrono::milliseconds(0))
        return std::to_string(std::chrono::duration_cast<std::chrono::hours>(d).count()) + " h";
    return std::to_string(d.count()) + " ms";
}

// Columns added since the first outbox.db: (name, definition), added when missing.
const char* added_columns[][2] = {
    {"held", "INTEGER NOT NULL DEFAULT 0"},  // waits for the citizen's next message
    {"reason", "TEXT NOT NULL DEFAULT ''"},  // why the platform refused it (failed = 1)
};

}  // namespace

struct outbox::state : std::enable_shared_from_this<outbox::state> {
    state(asio::io_context& io, outbox_options o) : strand(asio::make_strand(io)), timer(strand), options(o) {}
    ~state() { sqlite3_close(db); }

    sqlite3* db = nullptr;
    mutable std::mutex db_mutex;
    asio::strand<asio::io_context::executor_type> strand;
    asio::steady_timer timer;
    outbox_options options;
    std::map<std::string, sender_fn> senders;
    std::set<std::string> in_flight;  // channel\x1fconversation, touched on the strand only
    bool running = false;            // strand only

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string m = err ? err : "error";
            sqlite3_free(err);
            throw std::runtime_error("outbox: " + m);
        }
    }

    // Stores the replies in one transaction (nothing half stored on failure).
    void store(const std::vector<outgoing>& replies, bool held) {
        std::lock_guard lock(db_mutex);
        exec("BEGIN IMMEDIATE");
        try {
            auto now = now_ms();
            for (auto& r : replies)
                if (stmt(db, "INSERT INTO outbox(channel, conversation, target, body, created, held)"
                             " VALUES(?,?,?,?,?,?)")
                        .text(1, r.channel)
                        .text(2, r.conversation)
                        .text(3, r.target)
                        .text(4, r.body)
                        .integer(5, now)
                        .integer(6, held ? 1 : 0)
                        .step() != SQLITE_DONE)
                    throw std::runtime_error(sqlite3_errmsg(db));
            exec("COMMIT");
        } catch (...) {
            sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
            throw;
        }
    }

    // Fails a reply for good with `why` (kept for the IT staff, counted, logged at warn).
    // The caller holds db_mutex.
    void mark_failed(const stored_outgoing& o, const std::string& why, bool attempted) {
        stmt(db, "UPDATE outbox SET failed = 1, held = 0, attempts = attempts + ?, reason = ? WHERE id = ?")
            .integer(1, attempted ? 1 : 0)
            .text(2, why)
            .integer(3, o.id)
            .step();
        log::warn("outbox", o.channel + " " + o.target + ": kept as failed: " + why, o.conversation);
    }

    // Held replies older than held_max_age are failed as "expired": never delivered late.
    // The caller holds db_mutex.
    void expire_held() {
        std::vector<stored_outgoing> old;
        {
            stmt q(db,
                   "SELECT id, channel, conversation, target, body, attempts FROM outbox"
                   " WHERE held = 1 AND created < ? ORDER BY id");
            q.integer(1, now_ms() - options.held_max_age.count());
            while (q.step() == SQLITE_ROW) old.push_back(read_reply(q));
        }
        for (auto& o : old)
            mark_failed(o,
                        "expired: held " + duration_text(options.held_max_age) +
                            " for the citizen's next message, which did not come; never sent",
                        false);
    }

    void wake() {
        asio::post(strand, [self = shared_from_this()] { self->timer.cancel(); });
    }

    // The oldest pending reply of each conversation that is not being sent and is due.
    std::vector<stored_outgoing> heads() {
        std::vector<stored_outgoing> out;
        std::lock_guard lock(db_mutex);
        // SQLite takes bare columns from the row that holds MIN(id).
        stmt q(db,
               "SELECT MIN(id), channel, conversation, target, body, attempts, next_at FROM outbox"
               " WHERE failed = 0 AND held = 0 GROUP BY channel, conversation");
        auto now = now_ms();
        while (q.step() == SQLITE_ROW) {
            if (sqlite3_column_int64(q.s, 6) > now) continue;
            out.push_back(read_reply(q));
        }
        return out;
    }

    asio::awaitable<void> loop() {
        auto self = shared_from_this();
        while (running) {
            {
                std::lock_guard lock(db_mutex);
                expire_held();
            }
            for (auto& h : heads()) {
                if (in_flight.size() >= options.in_flight_max) break;
                auto key = h.channel + '\x1f' + h.conversation;
                auto it = senders.find(h.channel);
                if (it == senders.end() || in_flight.count(key)) continue;
                in_flight.insert(key);
                asio::co_spawn(strand, send_one(std::move(h), it->second),
                               [self, key](std::exception_ptr e) {
                                   self->in_flight.erase(key);
                                   if (e) {
                                       try {
                                           std::rethrow_exception(e);
                                       } catch (const std::exception& x) {
                                           log::error("outbox", std::string("send failed: ") + x.what());
                                       }
                                   }
                                   self->timer.cancel();
                               });
            }
            if (!running) break;
            timer.expires_after(options.poll);
            auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
            (void)ec;
        }
    }

    asio::awaitable<void> send_one(stored_outgoing o, sender_fn sender) {
        auto [result, wait, reason] = co_await sender(o);
        std::lock_guard lock(db_mutex);
        if (result == outbound::outcome::delivered) {
            stmt(db, "DELETE FROM outbox WHERE id = ?").integer(1, o.id).step();
        } else if (result == outbound::outcome::retry) {
            // A rate limit's wait is obeyed (capped): retrying earlier is refused again and
            // makes the platform's penalty longer. The conversation waits; others go on.
            auto delay = std::max(backoff(o.attempts + 1, options), std::min(wait, options.rate_limit_max));
            stmt(db, "UPDATE outbox SET attempts = attempts + 1, next_at = ? WHERE id = ?")
                .integer(1, now_ms() + delay.count())
                .integer(2, o.id)
                .step();
            log::info("outbox", o.channel + " " + o.target + ": retry " + std::to_string(o.attempts + 1) +
                                    " in " + std::to_string(delay.count()) + " ms",
                      o.conversation);
        } else {
            mark_failed(o, reason.empty() ? std::string("refused by the platform") : reason, true);
        }
    }
};

outbox::outbox(asio::io_context& io, const std::filesystem::path& file, outbox_options options)
    : state_(std::make_shared<state>(io, options)) {
    std::error_code ec;
    if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
    make_owner_only(file);  // replies and phone numbers waiting for delivery
    if (sqlite3_open_v2(file.c_str(), &state_->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK)
        throw std::runtime_error(file.string() + ": cannot open the outbox: " +
                                 (state_->db ? sqlite3_errmsg(state_->db) : "out of memory"));
    try {
        state_->exec(schema);
        for (auto& [name, definition] : added_columns) {
            sqlite3_stmt* probe = nullptr;
            auto sql = std::string("SELECT ") + name + " FROM outbox LIMIT 0";
            bool present = sqlite3_prepare_v2(state_->db, sql.c_str(), -1, &probe, nullptr) == SQLITE_OK;
            sqlite3_finalize(probe);
            if (!present)
                state_->exec((std::string("ALTER TABLE outbox ADD COLUMN ") + name + " " + definition).c_str());
        }
        // The delivery loop looks for expired held replies at every turn.
        state_->exec("CREATE INDEX IF NOT EXISTS outbox_held ON outbox(created) WHERE held = 1");
        auto facts_horizon =
            now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(options.facts_keep).count();
        stmt(state_->db, "DELETE FROM facts WHERE at < ?").integer(1, facts_horizon).step();
        auto horizon = now_ms() - std::chrono::duration_cast<std::chrono::milliseconds>(options.seen_keep).count();
        stmt(state_->db, "DELETE FROM seen WHERE at < ?").integer(1, horizon).step();
    } catch (const std::exception& e) {
        throw std::runtime_error(file.string() + ": " + e.what());
    }
}

outbox::~outbox() { stop(); }

void outbox::set_sender(const std::string& channel, sender_fn sender) {
    state_->senders[channel] = std::move(sender);
}

void outbox::start() {
    asio::post(state_->strand, [s = state_] {
        if (s->running) return;
        s->running = true;
        asio::co_spawn(s->strand, s->loop(), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                log::error("outbox", std::string("delivery loop stopped: ") + x.what());
            }
        });
    });
}

void outbox::stop() {
    asio::post(state_->strand, [s = state_] {
        s->running = false;
        s->timer.cancel();
    });
}

void outbox::enqueue(const std::vector<outgoing>& replies) {
    if (replies.empty()) return;
    state_->store(replies, false);
    state_->wake();
}

void outbox::hold(const std::vector<outgoing>& replies) { state_->store(replies, true); }

std::size_t outbox::release(const std::string& channel, const std::string& conversation) {
    std::size_t n = 0;
    {
        std::lock_guard lock(state_->db_mutex);
        state_->expire_held();  // what waited too long stays unsent, even now
        stmt(state_->db, "UPDATE outbox SET held = 0 WHERE held = 1 AND channel = ? AND conversation = ?")
            .text(1, channel)
            .text(2, conversation)
            .step();
        n = static_cast<std::size_t>(sqlite3_changes(state_->db));
    }
    if (n) state_->wake();
    return n;
}

std::size_t outbox::held(const std::string& channel, const std::string& conversation) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT COUNT(*) FROM outbox WHERE held = 1 AND channel = ? AND conversation = ?");
    q.text(1, channel).text(2, conversation);
    return q.step() == SQLITE_ROW ? static_cast<std::size_t>(sqlite3_column_int64(q.s, 0)) : 0;
}

namespace {
// Rows of id, channel, conversation, target, body, attempts, reason, created.
std::vector<failed_outgoing> read_failures(stmt& q) {
    std::vector<failed_outgoing> out;
    while (q.step() == SQLITE_ROW) {
        failed_outgoing f;
        static_cast<stored_outgoing&>(f) = read_reply(q);
        f.reason = q.col_text(6);
        f.created_ms = sqlite3_column_int64(q.s, 7);
        out.push_back(std::move(f));
    }
    return out;
}
}  // namespace

std::vector<failed_outgoing> outbox::failures(std::size_t limit) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db,
           "SELECT id, channel, conversation, target, body, attempts, reason, created FROM outbox"
           " WHERE failed = 1 ORDER BY id LIMIT ?");
    q.integer(1, static_cast<std::int64_t>(limit));
    return read_failures(q);
}

std::vector<failed_outgoing> outbox::failures(const std::string& channel, const std::string& conversation,
                                              std::int64_t since_ms, std::size_t limit) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db,
           "SELECT id, channel, conversation, target, body, attempts, reason, created FROM outbox"
           " WHERE failed = 1 AND channel = ? AND conversation = ? AND created >= ? ORDER BY id LIMIT ?");
    q.text(1, channel).text(2, conversation).integer(3, since_ms).integer(4, static_cast<std::int64_t>(limit));
    return read_failures(q);
}

void outbox::remember(const std::string& channel, const std::string& conversation, const std::string& name,
                      const std::string& value) {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "INSERT OR REPLACE INTO facts(channel, conversation, name, value, at) VALUES(?,?,?,?,?)");
    q.text(1, channel).text(2, conversation).text(3, name).text(4, value).integer(5, now_ms());
    if (q.step() != SQLITE_DONE) throw std::runtime_error(std::string("outbox: ") + sqlite3_errmsg(state_->db));
}

std::optional<std::string> outbox::recall(const std::string& channel, const std::string& conversation,
                                          const std::string& name) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT value FROM facts WHERE channel = ? AND conversation = ? AND name = ?");
    q.text(1, channel).text(2, conversation).text(3, name);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return q.col_text(0);
}

std::optional<std::string> outbox::recall_latest(const std::string& channel, const std::string& name) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT value FROM facts WHERE channel = ? AND name = ? ORDER BY at DESC LIMIT 1");
    q.text(1, channel).text(2, name);
    if (q.step() != SQLITE_ROW) return std::nullopt;
    return q.col_text(0);
}

bool outbox::first_delivery(const std::string& channel, const std::string& key) {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "INSERT OR IGNORE INTO seen(channel, key, at) VALUES(?,?,?)");
    q.text(1, channel).text(2, key).integer(3, now_ms());
    if (q.step() != SQLITE_DONE) throw std::runtime_error(std::string("outbox: ") + sqlite3_errmsg(state_->db));
    return sqlite3_changes(state_->db) == 1;
}

void outbox::forget_delivery(const std::string& channel, const std::string& key) {
    std::lock_guard lock(state_->db_mutex);
    stmt(state_->db, "DELETE FROM seen WHERE channel = ? AND key = ?").text(1, channel).text(2, key).step();
}

std::size_t outbox::pending(const std::string& channel, const std::string& conversation) const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db,
           "SELECT COUNT(*) FROM outbox WHERE failed = 0 AND held = 0 AND channel = ? AND conversation = ?");
    q.text(1, channel).text(2, conversation);
    return q.step() == SQLITE_ROW ? static_cast<std::size_t>(sqlite3_column_int64(q.s, 0)) : 0;
}

std::size_t outbox::pending() const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT COUNT(*) FROM outbox WHERE failed = 0 AND held = 0");
    return q.step() == SQLITE_ROW ? static_cast<std::size_t>(sqlite3_column_int64(q.s, 0)) : 0;
}

std::size_t outbox::failed() const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT COUNT(*) FROM outbox WHERE failed = 1");
    return q.step() == SQLITE_ROW ? static_cast<std::size_t>(sqlite3_column_int64(q.s, 0)) : 0;
}

std::chrono::milliseconds outbox::oldest_pending_age() const {
    std::lock_guard lock(state_->db_mutex);
    stmt q(state_->db, "SELECT MIN(created) FROM outbox WHERE failed = 0 AND held = 0");
    if (q.step() != SQLITE_ROW || sqlite3_column_type(q.s, 0) == SQLITE_NULL) return {};
    return std::chrono::milliseconds(std::max<std::int64_t>(0, now_ms() - sqlite3_column_int64(q.s, 0)));
}

std::chrono::milliseconds outbox::backoff(int attempt, const outbox_options& o) {
    auto base = o.retry_base.count();
    auto cap = o.retry_max.count();
    long long d = base;
    for (int i = 1; i < attempt && d < cap; ++i) d *= 2;
    d = std::min<long long>(d, cap);
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uniform_int_distribution<long long> jitter(0, d / 2);
    return std::chrono::milliseconds(d - d / 2 + jitter(rng));
}

}  // namespace guichet
