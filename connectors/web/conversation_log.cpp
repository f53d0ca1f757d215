// The log's bookkeeping: LRU eviction of whole conversations, trimming of old entries.
#include "web/conversation_log.h"

namespace guichet::web {

conversation_log::conversation_log(std::size_t per_conversation, std::size_t conversations)
    : per_conversation_(per_conversation), max_conversations_(conversations) {}

conversation_log::conversation& conversation_log::touch(const std::string& id, bool& created) {
    auto it = conversations_.find(id);
    if (it != conversations_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second.lru);
        created = false;
        return it->second;
    }
    while (conversations_.size() >= max_conversations_ && !lru_.empty()) {
        // Evict the least recently used conversation (its sockets stop hearing it).
        auto victim = std::prev(lru_.end());
        conversations_.erase(*victim);
        lru_.erase(victim);
    }
    lru_.push_front(id);
    auto& c = conversations_[id];
    c.lru = lru_.begin();
    created = true;
    return c;
}

bool conversation_log::open(const std::string& id) {
    std::lock_guard lock(mutex_);
    bool created = false;
    touch(id, created);
    return created;
}

bool conversation_log::exists(const std::string& id) const {
    std::lock_guard lock(mutex_);
    return conversations_.count(id) > 0;
}

std::uint64_t conversation_log::append(const std::string& id, boost::json::object data) {
    std::vector<std::shared_ptr<listener>> targets;
    log_entry copy;
    {
        std::lock_guard lock(mutex_);
        bool created = false;
        auto& c = touch(id, created);
        log_entry* slot;
        if (c.entries.size() < per_conversation_) {
            slot = &c.entries.emplace_back();
        } else {  // full: overwrite the oldest
            slot = &c.entries[c.oldest];
            c.oldest = (c.oldest + 1) % c.entries.size();
        }
        *slot = {c.next++, std::move(data)};
        copy.seq = slot->seq;
        if (!c.listeners.empty()) copy.data = slot->data;
        for (auto& l : c.listeners) targets.push_back(l.second);
    }
    for (auto& t : targets) (*t)(copy);
    return copy.seq;
}

bool conversation_log::since(const std::string& id, std::uint64_t after,
                             std::vector<log_entry>& out) const {
    std::lock_guard lock(mutex_);
    auto it = conversations_.find(id);
    if (it == conversations_.end()) return false;
    auto& c = it->second;
    for (std::size_t i = 0; i < c.entries.size(); ++i) {
        auto& e = c.entries[(c.oldest + i) % c.entries.size()];
        if (e.seq > after) out.push_back(e);
    }
    return true;
}

std::uint64_t conversation_log::last_seq(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto it = conversations_.find(id);
    return it == conversations_.end() ? 0 : it->second.next - 1;
}

std::shared_ptr<void> conversation_log::listen(const std::string& id, listener l) {
    std::lock_guard lock(mutex_);
    bool created = false;
    auto& c = touch(id, created);
    auto lid = ++next_listener_;
    c.listeners.emplace_back(lid, std::make_shared<listener>(std::move(l)));
    // The handle removes the listener (if the conversation still exists) when dropped.
    return std::shared_ptr<void>(nullptr, [this, id, lid](void*) {
        std::lock_guard lock(mutex_);
        auto it = conversations_.find(id);
        if (it == conversations_.end()) return;
        auto& ls = it->second.listeners;
        for (auto i = ls.begin(); i != ls.end(); ++i)
            if (i->first == lid) {
                ls.erase(i);
                return;
            }
    });
}

}  // namespace guichet::web
