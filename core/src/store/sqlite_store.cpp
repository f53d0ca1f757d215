// The SQLite implementation of the store: one writing connection in WAL mode with
// synchronous=NORMAL (a commit is in the write-ahead log before the call returns, so nothing
// acknowledged is lost when the process crashes or is killed; a power cut may lose the last
// commits — an fsync per turn would cost ~15x the throughput), serialised by a mutex.
// Turns' writes (write_turn) go to a writer thread that commits all the turns waiting in one
// transaction (group commit, sqlite_writer.cpp) and only then reports them done; the per-turn
// reads (state, open handoff) come from memory for a conversation seen lately (turn_cache
// below) and otherwise from a small pool of read-only connections, which WAL lets run beside
// the writer. The cache assumes that this process is the only one writing the file, as the
// server is.
// Checkpoints (copying the WAL back into the file, with an fsync) run on a thread of their own
// with their own connection, never inside a turn's commit: an automatic checkpoint held every
// turn waiting on that commit for tens of milliseconds.
// Ticket numbers come from a per-year counter in the same transaction as the insert.
#include <sqlite3.h>

#include <condition_variable>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <type_traits>

#include "common/files.h"
#include "common/lru_map.h"
#include "store/sqlite_db.h"
#include "store/sqlite_writer.h"
#include "store/store.h"

namespace guichet::store {
namespace {

const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS conversations(key TEXT PRIMARY KEY, channel TEXT NOT NULL,
  conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, state TEXT NOT NULL,
  updated INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS conversations_by_user ON conversations(channel, user_id);
CREATE TABLE IF NOT EXISTS messages(id INTEGER PRIMARY KEY, channel TEXT NOT NULL,
  conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, direction TEXT NOT NULL,
  text TEXT NOT NULL, at INTEGER NOT NULL, author TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(channel, conversation_id, id);
DROP INDEX IF EXISTS messages_by_at;
CREATE TABLE IF NOT EXISTS ticket_counters(year INTEGER PRIMARY KEY, last INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS reports(ticket TEXT PRIMARY KEY, status TEXT NOT NULL,
  status_notes TEXT NOT NULL, service_code TEXT NOT NULL, description TEXT NOT NULL,
  address TEXT NOT NULL, media_url TEXT NOT NULL, lat REAL, lon REAL, email TEXT NOT NULL,
  phone TEXT NOT NULL, name TEXT NOT NULL, requested INTEGER NOT NULL, updated INTEGER NOT NULL,
  channel TEXT NOT NULL, conversation_id TEXT NOT NULL, user_id TEXT NOT NULL,
  locale TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reports_by_requested ON reports(requested);
CREATE TABLE IF NOT EXISTS handoffs(ticket TEXT PRIMARY KEY, kind TEXT NOT NULL,
  state TEXT NOT NULL, contact TEXT NOT NULL, note TEXT NOT NULL, agent TEXT NOT NULL,
  channel TEXT NOT NULL, conversation_id TEXT NOT NULL, user_id TEXT NOT NULL,
  locale TEXT NOT NULL, created INTEGER NOT NULL, updated INTEGER NOT NULL,
  closed_by TEXT NOT NULL DEFAULT '');
DROP INDEX IF EXISTS handoffs_by_conversation;
CREATE INDEX IF NOT EXISTS handoffs_open ON handoffs(channel, conversation_id, created);
CREATE TABLE IF NOT EXISTS counts(day TEXT NOT NULL, name TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(day, name)) WITHOUT ROWID;
)sql";

constexpr const char* report_columns =
    "ticket, status, status_notes, service_code, description, address, media_url, lat, lon, "
    "email, phone, name, requested, updated, channel, conversation_id, user_id, locale";

report_record read_report(const stmt& s) {
    report_record r;
    r.ticket = s.text(0);
    r.status = s.text(1);
    r.status_notes = s.text(2);
    r.service_code = s.text(3);
    r.description = s.text(4);
    r.address = s.text(5);
    r.media_url = s.text(6);
    r.lat = s.real(7);
    r.lon = s.real(8);
    r.email = s.text(9);
    r.phone = s.text(10);
    r.name = s.text(11);
    r.requested = s.integer(12);
    r.updated = s.integer(13);
    r.who = {s.text(14), s.text(15), s.text(16)};
    r.locale = s.text(17);
    return r;
}

constexpr const char* handoff_columns =
    "ticket, kind, state, contact, note, agent, channel, conversation_id, user_id, locale, "
    "created, updated, closed_by";

// The handoff_columns from column `at` on.
handoff_record read_handoff(const stmt& s, int at = 0) {
    handoff_record h;
    h.ticket = s.text(at + 0);
    h.kind = s.text(at + 1);
    h.state = s.text(at + 2);
    h.contact = s.text(at + 3);
    h.note = s.text(at + 4);
    h.agent = s.text(at + 5);
    h.who = {s.text(at + 6), s.text(at + 7), s.text(at + 8)};
    h.locale = s.text(at + 9);
    h.created = s.integer(at + 10);
    h.updated = s.integer(at + 11);
    h.closed_by = s.text(at + 12);
    return h;
}

// The open (queued or active) handoff of a conversation: ?2 channel, ?3 conversation id.
constexpr const char* open_handoff_where =
    " FROM handoffs WHERE channel = ?2 AND conversation_id = ?3 AND kind = 'queue' AND state IN "
    "('waiting', 'active') ORDER BY created DESC LIMIT 1";

int year_of(std::int64_t t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    return tm.tm_year + 1900;
}

// What the last turn of each recent conversation left: its state as committed and its open
// handoff as read, so that the next turn reads nothing from SQLite. A conversation's turns
// run one at a time and the next starts after the previous committed, so the state kept is
// the one on disk. Handoffs also change outside turns (an agent takes or closes one): every
// such change bumps a generation, and a handoff read under an older generation is read again.
// Bounded (least recently used out). Threads: any; one mutex, held briefly.
class turn_cache {
public:
    explicit turn_cache(std::size_t max_entries) : map_(max_entries) {}

    // The kept reads, when they are current.
    std::optional<turn_reads> find(const std::string& key) {
        std::lock_guard lock(mutex_);
        auto* e = map_.find(key);
        if (!e || e->generation != generation_) return std::nullopt;
        return e->reads;
    }
    // Call before reading the database; pass the value to keep().
    std::uint64_t generation() const {
        std::lock_guard lock(mutex_);
        return generation_;
    }
    void keep(const std::string& key, const turn_reads& r, std::uint64_t read_at) {
        std::lock_guard lock(mutex_);
        map_.put(key, {r, read_at});
    }
    // A committed state for key (kept only when the conversation is already kept).
    void state_written(const std::string& key, const std::string& json) {
        std::lock_guard lock(mutex_);
        if (auto* e = map_.peek(key)) e->reads.state = json;
    }
    void forget(const std::string& key) {
        std::lock_guard lock(mutex_);
        map_.erase(key);
    }
    void handoffs_changed() {
        std::lock_guard lock(mutex_);
        ++generation_;
    }
    void clear() {
        std::lock_guard lock(mutex_);
        map_.clear();
        ++generation_;
    }

private:
    struct entry {
        turn_reads reads;
        std::uint64_t generation;
    };
    mutable std::mutex mutex_;
    lru_map<entry> map_;
    std::uint64_t generation_ = 0;
};

// Why the store's folder could not be made, saying which part of its path is in the way: SQLite
// only said "unable to open database file".
std::string folder_problem(const std::filesystem::path& dir, const std::error_code& ec) {
    std::error_code ignored;
    for (auto d = dir; !d.empty() && d.has_relative_path(); d = d.parent_path())
        if (std::filesystem::exists(d, ignored)) {
            if (std::filesystem::is_directory(d, ignored)) break;
            return d.string() + " : n'est pas un dossier mais un fichier ; donnez à store.path un fichier "
                   "dans un dossier (" + d.string() + " is not a folder but a file: give store.path a "
                   "file in a folder)";
        }
    return dir.string() + " : impossible de créer le dossier du stockage (" + ec.message() +
           ") ; créez-le ou donnez à store.path un fichier dans un dossier où le guichet peut écrire ("
           "cannot create the store's folder: create it or give store.path a file in a folder guichet may "
           "write in)";
}

class sqlite_store final : public store {
public:
    explicit sqlite_store(const std::filesystem::path& file) {
        std::error_code ec;
        if (file.has_parent_path()) std::filesystem::create_directories(file.parent_path(), ec);
        if (ec) throw std::runtime_error(folder_problem(file.parent_path(), ec));
        path_ = file.string();
        make_owner_only(file);  // the citizens' messages
        // ":memory:" is one database per connection: readers would not see it.
        shared_reads_ = path_.empty() || path_ == ":memory:" || path_.rfind("file:", 0) == 0;
        db_.open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;", file);
        // The writer touches the tails of the message log and scattered index pages: with
        // SQLite's 2 MB cache it read pages back from the file on most commits.
        exec("PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;", file);
        exec(schema, file);
        // A store written before handoffs said who closed them: the column added, empty.
        if (!has_column("handoffs", "closed_by"))
            exec("ALTER TABLE handoffs ADD COLUMN closed_by TEXT NOT NULL DEFAULT ''", file);
        // …and before an agent's message kept the name they showed citizens.
        if (!has_column("messages", "author"))
            exec("ALTER TABLE messages ADD COLUMN author TEXT NOT NULL DEFAULT ''", file);
        if (!shared_reads_) {
            exec("PRAGMA wal_autocheckpoint=0", file);
            checkpointer_ = std::thread([this] { checkpoint_loop(); });
            sqlite3_wal_hook(db_.get(), &sqlite_store::wal_grew, this);
        }
        writer_ = std::make_unique<group_writer>(
            db_, mutex_, [this](const turn_writes& w) { apply(w); },
            [this](const turn_writes& w) {
                if (w.save_state) cache_.state_written(w.state_key, w.state_json);
            });
    }
    ~sqlite_store() override {
        writer_.reset();  // the turns waiting are committed first
        if (checkpointer_.joinable()) {
            {
                std::lock_guard lock(checkpoint_mutex_);
                stopping_ = true;
            }
            checkpoint_cv_.notify_one();
            checkpointer_.join();
        }
    }

    void write_turn(turn_writes w, std::function<void(std::exception_ptr)> done) override {
        if (writer_ && writer_->submit(w, done)) return;
        store::write_turn(std::move(w), std::move(done));  // closing: on this thread
    }

    std::optional<std::string> load_state(const std::string& key) override {
        return read([&](connection& c) -> std::optional<std::string> {
            stmt s(c, "SELECT state FROM conversations WHERE key = ?1");
            s.bind(1, key);
            if (!s.step()) return std::nullopt;
            return s.text(0);
        });
    }

    void save_state(const std::string& key, const citizen& who, const std::string& json,
                    std::int64_t now) override {
        std::lock_guard lock(mutex_);
        save_state_locked(key, who, json, now);
        cache_.state_written(key, json);
    }
    void save_state_locked(const std::string& key, const citizen& who, const std::string& json,
                           std::int64_t now) {
        stmt s(db_,
               "INSERT INTO conversations(key, channel, conversation_id, user_id, state, updated) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(key) DO UPDATE SET "
               "state = excluded.state, updated = excluded.updated, user_id = excluded.user_id");
        s.bind(1, key).bind(2, who.channel).bind(3, who.conversation_id).bind(4, who.user_id);
        s.bind(5, json).bind(6, now).run();
    }

    void forget_state(const std::string& key) override {
        std::lock_guard lock(mutex_);
        stmt(db_, "DELETE FROM conversations WHERE key = ?1").bind(1, key).run();
        cache_.forget(key);
    }

    void log_message(const logged_message& m) override {
        std::lock_guard lock(mutex_);
        log_message_locked(m);
    }
    void log_message_locked(const logged_message& m) {
        stmt s(db_,
               "INSERT INTO messages(channel, conversation_id, user_id, direction, text, at, author) "
               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        s.bind(1, m.who.channel).bind(2, m.who.conversation_id).bind(3, m.who.user_id);
        s.bind(4, m.direction).bind(5, m.text).bind(6, m.at).bind(7, m.author).run();
    }

    std::vector<logged_message> transcript(const std::string& channel,
                                           const std::string& conversation_id,
                                           std::size_t limit) override {
        std::lock_guard lock(mutex_);
        stmt s(db_,
               "SELECT id, user_id, direction, text, at, author FROM (SELECT * FROM messages WHERE "
               "channel = ?1 AND conversation_id = ?2 ORDER BY id DESC LIMIT ?3) ORDER BY id");
        s.bind(1, channel).bind(2, conversation_id).bind(3, static_cast<std::int64_t>(limit));
        std::vector<logged_message> out;
        while (s.step())
            out.push_back({s.integer(0), {channel, conversation_id, s.text(1)}, s.text(2),
                           s.text(3), s.integer(4), s.text(5)});
        return out;
    }

    report_record create_report(report_record r) override {
        std::lock_guard lock(mutex_);
        transaction tx(*this);
        r.ticket = next_ticket(r.ticket_year ? r.ticket_year : year_of(r.requested));
        if (!r.updated) r.updated = r.requested;
        stmt s(db_, (std::string("INSERT INTO reports(") + report_columns +
                     ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)")
                        .c_str());
        s.bind(1, r.ticket).bind(2, r.status).bind(3, r.status_notes).bind(4, r.service_code);
        s.bind(5, r.description).bind(6, r.address).bind(7, r.media_url).bind(8, r.lat);
        s.bind(9, r.lon).bind(10, r.email).bind(11, r.phone).bind(12, r.name);
        s.bind(13, r.requested).bind(14, r.updated).bind(15, r.who.channel);
        s.bind(16, r.who.conversation_id).bind(17, r.who.user_id).bind(18, r.locale).run();
        tx.commit();
        return r;
    }

    std::optional<report_record> get_report(const std::string& ticket) override {
        std::lock_guard lock(mutex_);
        return get_report_locked(ticket);
    }

    std::vector<report_record> list_reports(const report_filter& f) override {
        std::lock_guard lock(mutex_);
        std::vector<report_record> out;
        if (!f.tickets.empty()) {
            for (auto& t : f.tickets)
                if (auto r = get_report_locked(t)) out.push_back(*r);
            return out;
        }
        stmt s(db_, (std::string("SELECT ") + report_columns +
                     " FROM reports WHERE (?1 = 0 OR requested >= ?1) AND (?2 = 0 OR requested "
                     "<= ?2) AND (?3 = '' OR status = ?3) ORDER BY requested DESC LIMIT ?4")
                        .c_str());
        s.bind(1, f.from).bind(2, f.to).bind(3, f.status);
        s.bind(4, static_cast<std::int64_t>(f.limit));
        while (s.step()) out.push_back(read_report(s));
        return out;
    }

    std::optional<report_record> update_report(const std::string& ticket,
                                               const std::string& status,
                                               const std::string& notes,
                                               std::int64_t now) override {
        std::lock_guard lock(mutex_);
        stmt s(db_,
               "UPDATE reports SET status = ?2, status_notes = ?3, updated = ?4 WHERE ticket = ?1");
        s.bind(1, ticket).bind(2, status).bind(3, notes).bind(4, now).run();
        if (sqlite3_changes(db_.get()) == 0) return std::nullopt;
        return get_report_locked(ticket);
    }

    handoff_record create_handoff(handoff_record h) override {
        std::lock_guard lock(mutex_);
        transaction tx(*this);
        h.ticket = next_ticket(h.ticket_year ? h.ticket_year : year_of(h.created));
        if (!h.updated) h.updated = h.created;
        stmt s(db_, (std::string("INSERT INTO handoffs(") + handoff_columns +
                     ") VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)")
                        .c_str());
        s.bind(1, h.ticket).bind(2, h.kind).bind(3, h.state).bind(4, h.contact).bind(5, h.note);
        s.bind(6, h.agent).bind(7, h.who.channel).bind(8, h.who.conversation_id);
        s.bind(9, h.who.user_id).bind(10, h.locale).bind(11, h.created).bind(12, h.updated);
        s.bind(13, h.closed_by).run();
        tx.commit();
        cache_.handoffs_changed();
        return h;
    }

    std::vector<handoff_record> list_handoffs(const std::string& state) override {
        std::lock_guard lock(mutex_);
        stmt s(db_, (std::string("SELECT ") + handoff_columns +
                     " FROM handoffs WHERE (?1 = '' AND state != 'closed') OR state = ?1 "
                     "ORDER BY CASE WHEN ?1 = 'closed' THEN -updated ELSE created END, ticket")
                        .c_str());
        s.bind(1, state);
        std::vector<handoff_record> out;
        while (s.step()) out.push_back(read_handoff(s));
        return out;
    }

    std::optional<handoff_record> get_handoff(const std::string& ticket) override {
        std::lock_guard lock(mutex_);
        stmt s(db_, (std::string("SELECT ") + handoff_columns + " FROM handoffs WHERE ticket = ?1")
                        .c_str());
        s.bind(1, ticket);
        if (!s.step()) return std::nullopt;
        return read_handoff(s);
    }

    std::optional<handoff_record> open_handoff(const std::string& channel,
                                               const std::string& conversation_id) override {
        static const std::string sql =
            std::string("SELECT ") + handoff_columns + open_handoff_where;
        return read([&](connection& c) -> std::optional<handoff_record> {
            stmt s(c, sql);
            s.bind(2, channel).bind(3, conversation_id);
            if (!s.step()) return std::nullopt;
            return read_handoff(s);
        });
    }

    // One statement, so one read transaction: always one row, the state (NULL: none) then
    // the open handoff's columns (NULL: none).
    turn_reads load_turn(const std::string& key, const std::string& channel,
                         const std::string& conversation_id) override {
        static const std::string sql =
            // Plain index lookups: no materialised subquery nor sort b-tree (each of those
            // opened and closed a temporary pager per turn: half the turn's CPU).
            std::string("SELECT c.state, h.* FROM (SELECT 1) "
                        "LEFT JOIN conversations AS c ON c.key = ?1 "
                        "LEFT JOIN handoffs AS h ON h.rowid = (SELECT rowid") +
            open_handoff_where + ")";
        if (auto kept = cache_.find(key)) return std::move(*kept);
        auto generation = cache_.generation();
        auto reads = read([&](connection& c) {
            stmt s(c, sql);
            s.bind(1, key).bind(2, channel).bind(3, conversation_id);
            turn_reads out;
            if (!s.step()) return out;
            if (!s.null(0)) out.state = s.text(0);
            if (!s.null(1)) out.handoff = read_handoff(s, 1);
            s.run();
            return out;
        });
        cache_.keep(key, reads, generation);
        return reads;
    }

    bool set_handoff_state(const std::string& ticket, const std::string& state,
                           const std::string& agent, std::int64_t now) override {
        std::lock_guard lock(mutex_);
        stmt s(db_,
               "UPDATE handoffs SET state = ?2, agent = CASE WHEN ?2 = 'waiting' THEN '' "
               "WHEN ?3 = '' OR ?3 = ?5 THEN agent ELSE ?3 END, "
               "closed_by = CASE WHEN ?2 = 'closed' THEN ?3 ELSE '' END, "
               "updated = ?4 WHERE ticket = ?1");
        s.bind(1, ticket).bind(2, state).bind(3, agent).bind(4, now).bind(5, closed_by_citizen).run();
        cache_.handoffs_changed();
        return sqlite3_changes(db_.get()) > 0;
    }

    std::int64_t erase_citizen(const citizen& who) override {
        std::lock_guard lock(mutex_);
        transaction tx(*this);
        std::int64_t n = 0;
        auto run = [&](const char* sql) {
            stmt s(db_, sql);
            s.bind(1, who.channel).bind(2, who.conversation_id).bind(3, who.user_id).run();
            n += sqlite3_changes(db_.get());
        };
        // A conversation id is per channel; a user id may span several conversations.
        const char* mine = "channel = ?1 AND (conversation_id = ?2 OR (?3 != '' AND user_id = ?3))";
        run((std::string("DELETE FROM conversations WHERE ") + mine).c_str());
        run((std::string("DELETE FROM messages WHERE ") + mine).c_str());
        run((std::string("UPDATE reports SET email = '', phone = '', name = '', user_id = '', "
                         "conversation_id = '', channel = '' WHERE ") + mine).c_str());
        run((std::string("UPDATE handoffs SET contact = '', note = '', state = 'closed', "
                         "user_id = '', conversation_id = '', channel = '' WHERE ") + mine).c_str());
        tx.commit();
        cache_.clear();
        return n;
    }

    std::vector<std::vector<std::string>> export_citizen(const citizen& who) override {
        std::lock_guard lock(mutex_);
        std::vector<std::vector<std::string>> out;
        const std::string mine =
            " WHERE channel = ?1 AND (conversation_id = ?2 OR (?3 != '' AND user_id = ?3))";
        {
            stmt s(db_, ("SELECT direction, at, text FROM messages" + mine + " ORDER BY id").c_str());
            s.bind(1, who.channel).bind(2, who.conversation_id).bind(3, who.user_id);
            while (s.step())
                out.push_back({std::string("message.").append(s.text(0)), std::to_string(s.integer(1)),
                               s.text(2)});
        }
        {
            stmt s(db_, ("SELECT ticket, requested, service_code, address, description, status, "
                         "email, phone FROM reports" + mine).c_str());
            s.bind(1, who.channel).bind(2, who.conversation_id).bind(3, who.user_id);
            while (s.step()) {
                std::string t = s.text(0);
                t.append(" ").append(s.text(2)).append(" ").append(s.text(3)).append(": ");
                t.append(s.text(4)).append(" (").append(s.text(5)).append(")");
                for (int i : {6, 7})
                    if (!s.text(i).empty()) t.append(" ").append(s.text(i));
                out.push_back({"report", std::to_string(s.integer(1)), t});
            }
        }
        {
            stmt s(db_, ("SELECT ticket, created, kind, contact, state FROM handoffs" + mine).c_str());
            s.bind(1, who.channel).bind(2, who.conversation_id).bind(3, who.user_id);
            while (s.step()) {
                std::string t = s.text(0);
                t.append(" ").append(s.text(2)).append(" ").append(s.text(3)).append(" (");
                t.append(s.text(4)).append(")");
                out.push_back({"handoff", std::to_string(s.integer(1)), t});
            }
        }
        {
            stmt s(db_, ("SELECT updated, state FROM conversations" + mine).c_str());
            s.bind(1, who.channel).bind(2, who.conversation_id).bind(3, who.user_id);
            while (s.step()) out.push_back({"conversation", std::to_string(s.integer(0)), s.text(1)});
        }
        return out;
    }

    std::int64_t purge(std::int64_t now, const retention& r) override {
        std::lock_guard lock(mutex_);
        transaction tx(*this);
        std::int64_t n = 0;
        auto run = [&](const char* sql, std::int64_t keep) {
            if (keep <= 0) return;
            stmt s(db_, sql);
            s.bind(1, now - keep).run();
            n += sqlite3_changes(db_.get());
        };
        // Messages are appended in time order: the old ones are those before the first recent
        // one, found by walking from the oldest (no index on `at`, one b-tree less to update
        // on every message). One logged out of order stays until those logged before it are old.
        run("DELETE FROM messages WHERE at < ?1 AND id < coalesce((SELECT id FROM messages "
            "WHERE at >= ?1 ORDER BY id LIMIT 1), 9223372036854775807)",
            r.messages);
        run("DELETE FROM conversations WHERE updated < ?1", r.conversations);
        run("DELETE FROM reports WHERE status = 'closed' AND updated < ?1", r.reports);
        run("DELETE FROM handoffs WHERE state = 'closed' AND updated < ?1", r.handoffs);
        tx.commit();
        if (n > 0) cache_.clear();
        return n;
    }

    void count(const std::string& day, const std::string& name) override {
        std::lock_guard lock(mutex_);
        count_locked(day, name);
    }
    void count_locked(const std::string& day, const std::string& name) {
        stmt s(db_,
               "INSERT INTO counts(day, name, n) VALUES(?1, ?2, 1) ON CONFLICT(day, name) DO "
               "UPDATE SET n = n + 1");
        s.bind(1, day).bind(2, name).run();
    }

    std::map<std::string, std::int64_t> counts(const std::string& prefix) override {
        std::lock_guard lock(mutex_);
        stmt s(db_, "SELECT name, SUM(n) FROM counts WHERE substr(name, 1, length(?1)) = ?1 "
                    "GROUP BY name");
        s.bind(1, prefix);
        std::map<std::string, std::int64_t> out;
        while (s.step()) out[s.text(0)] = s.integer(1);
        return out;
    }

private:
    // BEGIN IMMEDIATE … COMMIT, rolled back when left by an exception. Caller holds mutex_.
    class transaction {
    public:
        explicit transaction(sqlite_store& s) : s_(s) { s_.exec("BEGIN IMMEDIATE", {}); }
        void commit() {
            s_.exec("COMMIT", {});
            done_ = true;
        }
        ~transaction() {
            if (!done_) sqlite3_exec(s_.db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        }

    private:
        sqlite_store& s_;
        bool done_ = false;
    };

    bool has_column(const char* table, const char* column) {
        stmt s(db_, (std::string("SELECT 1 FROM pragma_table_info('") + table + "') WHERE name = ?1").c_str());
        s.bind(1, std::string(column));
        return s.step();
    }

    void exec(const char* sql, const std::filesystem::path& file) {
        char* err = nullptr;
        if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string why = err ? err : "unknown error";
            sqlite3_free(err);
            throw std::runtime_error((file.empty() ? std::string("store") : file.string()) + ": " +
                                     why);
        }
    }

    // "2026-0042": the year, then the year's counter, at least four digits.
    std::string next_ticket(int year) {
        stmt up(db_,
                "INSERT INTO ticket_counters(year, last) VALUES(?1, 1) ON CONFLICT(year) DO "
                "UPDATE SET last = last + 1 RETURNING last");
        up.bind(1, static_cast<std::int64_t>(year));
        up.step();
        std::int64_t n = up.integer(0);
        up.run();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%d-%04lld", year, static_cast<long long>(n));
        return buf;
    }

    std::optional<report_record> get_report_locked(const std::string& ticket) {
        stmt s(db_, (std::string("SELECT ") + report_columns + " FROM reports WHERE ticket = ?1")
                        .c_str());
        s.bind(1, ticket);
        if (!s.step()) return std::nullopt;
        return read_report(s);
    }

    // f(connection&) on a read-only connection of the pool (on the writing one for an
    // in-memory database); WAL readers see the last commit and do not wait for the writer.
    template <class F>
    std::invoke_result_t<F&, connection&> read(F&& f) {
        if (shared_reads_) {
            std::lock_guard lock(mutex_);
            return f(db_);
        }
        std::unique_ptr<connection> c;
        {
            std::lock_guard lock(readers_mutex_);
            if (!readers_.empty()) {
                c = std::move(readers_.back());
                readers_.pop_back();
            }
        }
        if (!c) {
            c = std::make_unique<connection>();
            c->open(path_, SQLITE_OPEN_READONLY);
        }
        struct giver {
            sqlite_store* s;
            std::unique_ptr<connection>* c;
            ~giver() {
                std::lock_guard lock(s->readers_mutex_);
                if (s->readers_.size() < readers_max) s->readers_.push_back(std::move(*c));
            }
        } g{this, &c};
        return f(*c);
    }

    // After each commit on the writing connection: past checkpoint_pages pages in the WAL,
    // wake the checkpointer.
    static int wal_grew(void* self, sqlite3*, const char*, int pages) {
        auto* s = static_cast<sqlite_store*>(self);
        if (pages >= checkpoint_pages) {
            {
                std::lock_guard lock(s->checkpoint_mutex_);
                s->checkpoint_wanted_ = true;
            }
            s->checkpoint_cv_.notify_one();
        }
        return SQLITE_OK;
    }
    void checkpoint_loop() {
        connection c;
        try {
            c.open(path_, SQLITE_OPEN_READWRITE);
            // A connection opens the file at its first statement; until then it knows no WAL
            // and a checkpoint does nothing.
            stmt(c, "SELECT count(*) FROM sqlite_schema").run();
        } catch (const std::exception&) {
            return;  // the writer's own connection works: the WAL just grows until restart
        }
        std::unique_lock lock(checkpoint_mutex_);
        for (;;) {
            checkpoint_cv_.wait(lock, [&] { return stopping_ || checkpoint_wanted_; });
            if (stopping_) break;
            checkpoint_wanted_ = false;
            lock.unlock();
            // PASSIVE copies what no reader still needs and never blocks the writer. But the
            // log only starts again from its beginning when a commit finds it all copied,
            // which a busy writer may never do: past restart_pages, a RESTART checkpoint
            // copies the rest (little, after the passive one) holding the writer back.
            int pages = 0;
            sqlite3_wal_checkpoint_v2(c.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &pages, nullptr);
            if (pages >= restart_pages)
                sqlite3_wal_checkpoint_v2(c.get(), nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
            lock.lock();
        }
        lock.unlock();
        sqlite3_wal_checkpoint_v2(c.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }

    // One turn's writes, on the writer thread inside its transaction (mutex_ held).
    void apply(const turn_writes& w) {
        if (w.save_state) save_state_locked(w.state_key, w.who, w.state_json, w.now);
        for (auto& m : w.messages) log_message_locked(m);
        for (auto& [day, name] : w.counts) count_locked(day, name);
    }

    static constexpr std::size_t readers_max = 16;
    static constexpr std::size_t cached_conversations = 20000;
    // Four times SQLite's automatic checkpoint (1000 pages): a turn rewrites the same few pages
    // (its conversation's row and index entry), which a checkpoint copies once however many
    // times the log holds them; under load, ~5 % less CPU per turn than with 1000. The log
    // file grows to 16 MB, 64 MB at most before a RESTART.
    static constexpr int checkpoint_pages = 4000;
    static constexpr int restart_pages = 4 * checkpoint_pages;

    std::mutex mutex_;  // guards db_
    connection db_;     // the writing connection
    std::string path_;
    bool shared_reads_ = false;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<connection>> readers_;
    turn_cache cache_{cached_conversations};
    std::mutex checkpoint_mutex_;
    std::condition_variable checkpoint_cv_;
    bool checkpoint_wanted_ = false, stopping_ = false;
    std::thread checkpointer_;
    std::unique_ptr<group_writer> writer_;  // last: started when everything above exists
};

}  // namespace

std::unique_ptr<store> open_sqlite(const std::filesystem::path& file) {
    return std::make_unique<sqlite_store>(file);
}

}  // namespace guichet::store
