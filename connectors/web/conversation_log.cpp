// The log's bookkeeping: LRU eviction of whole conversations, trimming of old entries.
#include "web/conversation_log.h"

#include <algorithm>

namespace guichet::web {

conversation_log::conversation_log(std::size_t per_conversation, std::size_t conversations)
    : per_conversation_(std::max<std::size_t>(per_conversation, 1)),
      conversations_(std::max<std::size_t>(conversations, 1)) {}

conversation_log::conversation& conversation_log::touch(const std::string& id, bool& created) {
    created = false;
    if (auto* c = conversations_.find(id)) return *c;
    created = true;
    return *conversations_.put(id, conversation{});  // the bound is at least 1
}

bool conversation_log::resume(const std::string& id, std::uint64_t first) {
    std::lock_guard lock(mutex_);
    bool created = false;
    auto& c = touch(id, created);
    if (created) c.next = std::max<std::uint64_t>(first, 1);
    return created;
}

void conversation_log::number_from(const std::string& id, std::uint64_t next) {
    std::lock_guard lock(mutex_);
    bool created = false;
    auto& c = touch(id, created);
    c.next = std::max(c.next, next);
}

bool conversation_log::exists(const std::string& id) const {
    std::lock_guard lock(mutex_);
    return conversations_.peek(id) != nullptr;
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
    auto* found = conversations_.peek(id);
    if (!found) return false;
    auto& c = *found;
    for (std::size_t i = 0; i < c.entries.size(); ++i) {
        auto& e = c.entries[(c.oldest + i) % c.entries.size()];
        if (e.seq > after) out.push_back(e);
    }
    return true;
}

std::uint64_t conversation_log::last_seq(const std::string& id) const {
    std::lock_guard lock(mutex_);
    auto* c = conversations_.peek(id);
    return c ? c->next - 1 : 0;
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
        auto* c = conversations_.peek(id);
        if (!c) return;
        auto& ls = c->listeners;
        for (auto i = ls.begin(); i != ls.end(); ++i)
            if (i->first == lid) {
                ls.erase(i);
                return;
            }
    });
}

}  // namespace guichet::web
