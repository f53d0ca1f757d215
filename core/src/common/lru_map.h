// A map bounded by its number of entries: the least recently used one goes first.
// Not thread-safe: the owner locks.
#pragma once

#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>
#include <utility>

namespace guichet {

template <class V>
class lru_map {
public:
    explicit lru_map(std::size_t max_entries) : max_(max_entries) {}

    // The value of key, now the most recently used; nullptr when absent.
    V* find(const std::string& key) {
        auto it = map_.find(key);
        if (it == map_.end()) return nullptr;
        order_.splice(order_.begin(), order_, it->second.second);
        return &it->second.first;
    }
    // The value of key without making it recent; nullptr when absent.
    V* peek(const std::string& key) {
        auto it = map_.find(key);
        return it == map_.end() ? nullptr : &it->second.first;
    }
    const V* peek(const std::string& key) const {
        auto it = map_.find(key);
        return it == map_.end() ? nullptr : &it->second.first;
    }
    // Inserts or replaces; the least recently used entries go past the bound. The value kept
    // (nullptr with a bound of 0).
    V* put(const std::string& key, V value) {
        if (auto* v = find(key)) {
            *v = std::move(value);
            return v;
        }
        if (max_ == 0) return nullptr;
        order_.push_front(key);
        auto& kept = map_.emplace(key, std::make_pair(std::move(value), order_.begin())).first->second.first;
        while (map_.size() > max_) {
            map_.erase(order_.back());
            order_.pop_back();
        }
        return &kept;
    }
    void erase(const std::string& key) {
        auto it = map_.find(key);
        if (it == map_.end()) return;
        order_.erase(it->second.second);
        map_.erase(it);
    }
    void clear() {
        map_.clear();
        order_.clear();
    }
    std::size_t size() const { return map_.size(); }

private:
    std::size_t max_;
    std::list<std::string> order_;  // most recent first
    std::unordered_map<std::string, std::pair<V, std::list<std::string>::iterator>> map_;
};

}  // namespace guichet
