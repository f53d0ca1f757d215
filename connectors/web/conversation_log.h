// A bounded, in-memory log per conversation for the web-facing channels: the citizen's
// messages and the bot's replies as JSON entries numbered 1, 2, 3… (history, Direct Line
// watermarks), plus the live listeners (open WebSockets) told of each new entry.
// Bounds: `per_conversation` entries (oldest dropped), `conversations` (least recently
// used dropped). Thread-safe: one mutex; listeners are called outside it.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/lru_map.h"

namespace guichet::web {

struct log_entry {
    std::uint64_t seq = 0;
    boost::json::object data;
};

class conversation_log {
public:
    using listener = std::function<void(const log_entry&)>;

    explicit conversation_log(std::size_t per_conversation = 200, std::size_t conversations = 100000);

    // Creates it when missing; returns true when it was created.
    bool open(const std::string& id) { return resume(id, 1); }
    // The same, its entries numbered from `first` when it is created: a conversation the
    // server no longer held (restarted), whose clients hold numbers from before.
    bool resume(const std::string& id, std::uint64_t first);
    bool exists(const std::string& id) const;
    // The conversation's next entries are numbered from `next` at least (never lower than
    // they would be): entries rebuilt from the store after a restart, then new ones past any
    // number a client held before it.
    void number_from(const std::string& id, std::uint64_t next);
    // Appends (creating the conversation if needed), numbers the entry and tells listeners.
    std::uint64_t append(const std::string& id, boost::json::object data);
    // Entries numbered after `after`; false when the conversation is unknown.
    bool since(const std::string& id, std::uint64_t after, std::vector<log_entry>& out) const;
    std::uint64_t last_seq(const std::string& id) const;

    // Registers a listener; it is removed when the returned handle is destroyed. Called on
    // the appender's thread: must not block.
    std::shared_ptr<void> listen(const std::string& id, listener l);

private:
    struct conversation {
        // A ring once full: the oldest entry is at `oldest` and is the next overwritten.
        std::vector<log_entry> entries;
        std::size_t oldest = 0;
        std::uint64_t next = 1;
        std::vector<std::pair<std::uint64_t, std::shared_ptr<listener>>> listeners;
    };
    conversation& touch(const std::string& id, bool& created);

    std::size_t per_conversation_;
    mutable std::mutex mutex_;
    // Least recently used dropped first (its sockets stop hearing it). Read-only lookups
    // (peek) do not count as use.
    lru_map<conversation> conversations_;
    std::uint64_t next_listener_ = 0;
};

}  // namespace guichet::web
