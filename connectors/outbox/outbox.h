// The durable outbox: every reply to a messaging platform is written to SQLite (WAL,
// synchronous=FULL) before any attempt to send it, and removed only after the platform
// accepted it. One delivery loop sends the oldest pending reply of each conversation (so a
// conversation's replies leave in order, conversations in parallel) and retries failures
// with exponential backoff and jitter, across restarts. Also holds the table of platform
// delivery ids already seen (update_id, event_id, txnId…) so a retried webhook runs once,
// the facts a connector keeps per conversation (the WhatsApp number a citizen wrote to,
// when they last wrote, the Slack threads the bot answered in), and the replies held until
// the citizen writes again (a platform's 24-hour window closed), failed as expired after a while.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "outbound/https_client.h"

namespace guichet {

// One reply to send. `target` names the platform call (a Bot API method, a Graph API path…)
// and never holds a secret: the channel's sender adds tokens and the base URL at send time.
struct outgoing {
    std::string channel, conversation, target, body;
};

struct stored_outgoing : outgoing {
    std::int64_t id = 0;  // increasing; unique for the outbox's life (Matrix uses it as txnId)
    int attempts = 0;
};

// A reply a platform refused for good, kept for the IT staff with the platform's reason.
struct failed_outgoing : stored_outgoing {
    std::string reason;
    std::int64_t created_ms = 0;  // when the reply was stored (Unix milliseconds)
};

struct outbox_options {
    std::chrono::milliseconds retry_base{500};   // first retry after 250–500 ms
    std::chrono::milliseconds retry_max{60000};  // delays never grow past this
    std::chrono::milliseconds poll{1000};        // the loop also wakes on every enqueue
    std::size_t in_flight_max = 64;              // conversations being sent at once
    std::chrono::hours seen_keep{24 * 7};        // how long delivery ids are remembered
    std::chrono::hours facts_keep{24 * 90};      // a conversation fact not renewed this long is forgotten
    std::chrono::milliseconds rate_limit_max{std::chrono::hours(1)};  // the longest platform wait obeyed
    // A held reply still waiting this long is failed with reason "expired" and never sent: a
    // call-back confirmation delivered weeks late confuses more than it helps.
    std::chrono::milliseconds held_max_age{std::chrono::hours(72)};
};

class outbox {
public:
    // Sends one reply; the outcome decides: deleted, retried later (not before the wait the
    // platform asked for, at most rate_limit_max), or kept as failed.
    using sender_fn = std::function<boost::asio::awaitable<outbound::send_result>(const stored_outgoing&)>;

    // Opens (creates) the database; throws std::runtime_error naming the file on failure.
    outbox(boost::asio::io_context& io, const std::filesystem::path& file, outbox_options options = {});
    ~outbox();

    // Before start(): the channel's sender. Replies of a channel without one stay stored.
    void set_sender(const std::string& channel, sender_fn sender);
    // Starts the delivery loop on io (replies stored before a restart leave first).
    void start();
    // Stops the loop; stored replies stay for the next start.
    void stop();

    // Stores the replies in one transaction, then wakes the loop. Thread-safe; throws
    // std::runtime_error when the database cannot be written (nothing is half stored).
    void enqueue(const std::vector<outgoing>& replies);
    // Records a platform delivery id; true the first time, false for a repeat. Thread-safe.
    bool first_delivery(const std::string& channel, const std::string& key);
    // Forgets a delivery id, so the platform's retry runs (the message could not be handled).
    void forget_delivery(const std::string& channel, const std::string& key);
    // Replies of this conversation still waiting. Thread-safe.
    std::size_t pending(const std::string& channel, const std::string& conversation) const;
    std::size_t pending() const;  // every waiting reply
    std::size_t failed() const;   // replies a platform refused for good (kept, not sent)
    // How long the oldest reply still waiting has waited (0 when none waits). Thread-safe.
    std::chrono::milliseconds oldest_pending_age() const;

    // The refused replies with the platform's reason, oldest first (at most `limit`).
    std::vector<failed_outgoing> failures(std::size_t limit = 100) const;
    // The refused replies of one conversation stored since `since_ms` (Unix ms), oldest first.
    std::vector<failed_outgoing> failures(const std::string& channel, const std::string& conversation,
                                          std::int64_t since_ms, std::size_t limit = 20) const;

    // Stores replies that must wait for the citizen's next message (a platform's 24-hour
    // window is closed): not sent until release(), and failed as "expired" (logged at warn,
    // counted by failed()) once older than outbox_options::held_max_age — checked by the
    // delivery loop and by release(). Thread-safe; throws as enqueue().
    void hold(const std::vector<outgoing>& replies);
    // The citizen wrote again: their held replies that have not expired become pending, and
    // leave oldest first, before any reply stored after this call. Returns how many. Thread-safe.
    std::size_t release(const std::string& channel, const std::string& conversation);
    std::size_t held(const std::string& channel, const std::string& conversation) const;

    // A fact a connector keeps about a conversation across restarts, by name; remembering
    // again replaces it. Forgotten after outbox_options::facts_keep without being renewed.
    // Thread-safe; remember throws std::runtime_error when the database cannot be written.
    void remember(const std::string& channel, const std::string& conversation, const std::string& name,
                  const std::string& value);
    std::optional<std::string> recall(const std::string& channel, const std::string& conversation,
                                      const std::string& name) const;
    // The value of `name` remembered last in any conversation of the channel.
    std::optional<std::string> recall_latest(const std::string& channel, const std::string& name) const;

    // The delay before retry number `attempt` (1, 2, …): base·2^(attempt-1) capped at max,
    // then a uniform random part of its upper half ("equal jitter").
    static std::chrono::milliseconds backoff(int attempt, const outbox_options& o);

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace guichet
