// The engine's durable state behind one interface: conversation state, the message log,
// reports with their ticket numbers ("2026-0042"), the handoff queue, anonymous counts, and
// the retention purge. SQLite (WAL) implements it today (sqlite_store.cpp); a PostgreSQL
// implementation can take the same interface when the engine runs on several machines.
// Thread-safety: every method may be called from any thread; implementations serialise.
// Durability: a method that writes has committed (in the WAL) when it returns; write_turn has
// when it calls its `done`.
#pragma once

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace guichet::store {

// Who a record belongs to: a channel's user in one conversation.
struct citizen {
    std::string channel, conversation_id, user_id;
};

struct report_record {
    std::string ticket;              // "2026-0042", set by create_report
    std::string status = "open";     // GeoReport v2: "open" or "closed"
    std::string status_notes;
    std::string service_code, description, address, media_url;
    std::optional<double> lat, lon;
    std::string email, phone, name;  // personal: erased with the citizen
    std::int64_t requested = 0, updated = 0;  // Unix seconds
    citizen who;                     // the channel to tell when the status changes
    std::string locale = "fr";
    int ticket_year = 0;             // the ticket's year (the site's local year); 0: UTC year
};

struct handoff_record {
    std::string ticket;
    std::string kind;                 // "queue", "callback", "email"
    std::string state = "waiting";    // "waiting", "active" (an agent took it), "closed"
    std::string contact, note;        // personal
    std::string agent;                // who took it
    citizen who;
    std::string locale = "fr";
    std::int64_t created = 0, updated = 0;  // closed: `updated` is when
    int ticket_year = 0;              // as in report_record
    std::string closed_by;            // closed: the agent who ended it, closed_by_citizen, or ""
};                                    // (the bot: no agent took it in time, the desk closed)

// closed_by of a request the citizen ended ("annuler"): no agent's name (names hold no '(').
inline const std::string closed_by_citizen = "(citizen)";

struct logged_message {
    std::int64_t id = 0;
    citizen who;
    std::string direction;  // "in" (citizen), "out" (bot), "agent"
    std::string text;       // personal data already masked (see pii.h)
    std::int64_t at = 0;
    std::string author;     // an agent's message: the name they showed citizens ("" none)
};

// Everything one dialogue turn writes, committed together by write_turn.
struct turn_writes {
    bool save_state = false;  // the conversation's state below
    std::string state_key;
    citizen who;
    std::string state_json;
    std::int64_t now = 0;
    std::vector<logged_message> messages;                      // in order
    std::vector<std::pair<std::string, std::string>> counts;  // (day, name)
    bool empty() const { return !save_state && messages.empty() && counts.empty(); }
};

// How long each kind of data is kept, in seconds (0: forever).
struct retention {
    std::int64_t messages = 90 * 86400;
    std::int64_t conversations = 90 * 86400;
    std::int64_t reports = 365 * 86400;  // counted from the last update, closed ones only
    std::int64_t handoffs = 365 * 86400;
};

// What a turn reads before answering: its conversation's state and open handoff.
struct turn_reads {
    std::optional<std::string> state;       // as load_state
    std::optional<handoff_record> handoff;  // as open_handoff
};

struct report_filter {
    std::int64_t from = 0, to = 0;  // requested_datetime window (0: open)
    std::string status;             // "" any
    std::vector<std::string> tickets;
    std::size_t limit = 1000;
};

class store {
public:
    virtual ~store() = default;

    // Conversation state as an opaque JSON text (the dialogue engine owns its shape).
    virtual std::optional<std::string> load_state(const std::string& key) = 0;
    virtual void save_state(const std::string& key, const citizen& who, const std::string& json,
                            std::int64_t now) = 0;
    virtual void forget_state(const std::string& key) = 0;

    virtual void log_message(const logged_message& m) = 0;
    virtual std::vector<logged_message> transcript(const std::string& channel,
                                                   const std::string& conversation_id,
                                                   std::size_t limit = 500) = 0;

    // Assigns the next ticket of r.ticket_year (else the UTC year of r.requested) and stores it.
    virtual report_record create_report(report_record r) = 0;
    virtual std::optional<report_record> get_report(const std::string& ticket) = 0;
    virtual std::vector<report_record> list_reports(const report_filter& f) = 0;
    // Returns the updated report, or nothing when there is no such ticket.
    virtual std::optional<report_record> update_report(const std::string& ticket,
                                                       const std::string& status,
                                                       const std::string& notes,
                                                       std::int64_t now) = 0;

    virtual handoff_record create_handoff(handoff_record h) = 0;
    // Handoffs not closed (state "" ) or in one state, oldest first.
    virtual std::vector<handoff_record> list_handoffs(const std::string& state = {}) = 0;
    virtual std::optional<handoff_record> get_handoff(const std::string& ticket) = 0;
    // The queued or active handoff of a conversation, if any.
    virtual std::optional<handoff_record> open_handoff(const std::string& channel,
                                                       const std::string& conversation_id) = 0;
    // load_state(key) and open_handoff(channel, conversation_id) in one read (one snapshot).
    virtual turn_reads load_turn(const std::string& key, const std::string& channel,
                                 const std::string& conversation_id) {
        return {load_state(key), open_handoff(channel, conversation_id)};
    }
    // `agent` "" keeps the one who holds it; closing with an agent records them as closed_by
    // (closed_by_citizen: the citizen ended it, the agent who held it is kept).
    virtual bool set_handoff_state(const std::string& ticket, const std::string& state,
                                   const std::string& agent, std::int64_t now) = 0;

    // Erases the citizen's states, messages and personal fields; returns records touched.
    virtual std::int64_t erase_citizen(const citizen& who) = 0;
    // Rows (kind, at, text) of everything kept about the citizen.
    virtual std::vector<std::vector<std::string>> export_citizen(const citizen& who) = 0;
    // Deletes what is older than its retention; returns records deleted.
    virtual std::int64_t purge(std::int64_t now, const retention& r) = 0;

    // Anonymous counts (kept after erasure): one per day and name ("intent:hours.open").
    virtual void count(const std::string& day, const std::string& name) = 0;
    virtual std::map<std::string, std::int64_t> counts(const std::string& name_prefix = {}) = 0;

    // Commits w in one transaction, then calls done(nullptr) — or done(the error), nothing of
    // w kept. done may run on another thread (the store's writer), and must not block: post
    // (see async_write_turn in store/async_write.h). Writes of several turns may share one
    // commit (group commit); none is reported done before it is committed.
    // This default applies w with the single-record methods, on the calling thread.
    virtual void write_turn(turn_writes w, std::function<void(std::exception_ptr)> done) {
        try {
            if (w.save_state) save_state(w.state_key, w.who, w.state_json, w.now);
            for (auto& m : w.messages) log_message(m);
            for (auto& [day, name] : w.counts) count(day, name);
        } catch (...) {
            done(std::current_exception());
            return;
        }
        done(nullptr);
    }
};

// Opens (creating it and its folder if needed) a SQLite store in WAL mode (synchronous=NORMAL:
// durable across process crashes). Throws std::runtime_error naming the file on failure.
std::unique_ptr<store> open_sqlite(const std::filesystem::path& file);

}  // namespace guichet::store
