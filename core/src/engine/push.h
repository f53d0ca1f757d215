// Replies that do not answer a message just received: a human agent's reply, a report's new
// status, a reply finished later. Connectors subscribe per conversation (a WebSocket) or per
// channel (a messaging platform's outbox); producers push. Thread-safe.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "engine/message.h"

namespace guichet {

class push_hub {
public:
    // Called on the pusher's thread; must not block (queue the reply and return).
    using sink = std::function<void(const std::string& channel, const std::string& conversation_id,
                                    const turn_result& r)>;

    // Removes the subscription when destroyed.
    class subscription {
    public:
        subscription() = default;
        subscription(push_hub* hub, std::string key, std::uint64_t id) : hub_(hub), key_(std::move(key)), id_(id) {}
        subscription(subscription&& o) noexcept { *this = std::move(o); }
        subscription& operator=(subscription&& o) noexcept {
            reset();
            hub_ = std::exchange(o.hub_, nullptr);
            key_ = std::move(o.key_);
            id_ = o.id_;
            return *this;
        }
        ~subscription() { reset(); }
        void reset() {
            if (hub_) hub_->remove(key_, id_);
            hub_ = nullptr;
        }

    private:
        push_hub* hub_ = nullptr;
        std::string key_;
        std::uint64_t id_ = 0;
    };

    // One conversation of one channel (e.g. a widget's WebSocket).
    subscription subscribe(const std::string& channel, const std::string& conversation_id, sink s) {
        return add(channel + '\x1f' + conversation_id, std::move(s));
    }
    // Every conversation of a channel (e.g. Telegram's outbox).
    subscription subscribe_channel(const std::string& channel, sink s) { return add(channel, std::move(s)); }

    // Delivers to the conversation's subscribers, else to the channel's; returns how many got it.
    std::size_t push(const std::string& channel, const std::string& conversation_id, const turn_result& r) {
        std::vector<sink> targets;
        {
            std::lock_guard lock(mutex_);
            for (const auto& key : {channel + '\x1f' + conversation_id, channel}) {
                auto [b, e] = sinks_.equal_range(key);
                for (auto it = b; it != e; ++it) targets.push_back(it->second.second);
                if (!targets.empty()) break;
            }
        }
        for (auto& t : targets) t(channel, conversation_id, r);
        return targets.size();
    }

private:
    subscription add(std::string key, sink s) {
        std::lock_guard lock(mutex_);
        auto id = ++next_;
        sinks_.emplace(key, std::make_pair(id, std::move(s)));
        return subscription(this, std::move(key), id);
    }
    void remove(const std::string& key, std::uint64_t id) {
        std::lock_guard lock(mutex_);
        auto [b, e] = sinks_.equal_range(key);
        for (auto it = b; it != e; ++it)
            if (it->second.first == id) {
                sinks_.erase(it);
                return;
            }
    }
    std::mutex mutex_;
    std::uint64_t next_ = 0;
    std::multimap<std::string, std::pair<std::uint64_t, sink>> sinks_;
};

}  // namespace guichet
