// Results of plugins' knowledge-base queries, kept in memory. The knowledge base is an
// immutable file (a rebuild makes a new file and a new site), so a statement that calls no
// clock or random function gives the same rows for the same parameters until the site is
// reloaded: the hours plugin asks where "la mairie" is and which alerts apply on every turn,
// and answering those from memory took a sixth of a turn's CPU.
// What is kept: the rows the plugin took (as the texts the C ABI hands out), and whether they
// were all the rows. A plugin that wants more rows than were kept gets a fresh query.
// Bounded: 1024 results of at most 16 KB each (16 MB at worst; a place or an alert list is a
// few hundred bytes); least recently used first out.
// Threads: every member may be called from any thread (one mutex, held briefly).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/lru_map.h"

namespace guichet {

struct kb_result {
    std::vector<std::string> columns;
    std::vector<std::vector<std::optional<std::string>>> rows;
    bool complete = false;  // rows are all the statement's rows
    std::size_t bytes() const;
    static std::size_t row_bytes(const std::vector<std::optional<std::string>>& row);
};

class kb_results {
public:
    explicit kb_results(std::size_t max_entries = 1024, std::size_t max_entry_bytes = 16 * 1024)
        : max_entry_bytes_(max_entry_bytes), map_(max_entries) {}

    // The key of a statement with its parameters.
    static std::string key(const std::string& sql, const std::vector<std::string>& params);

    std::shared_ptr<const kb_result> find(const std::string& key);
    // Keeps r unless it is over max_entry_bytes().
    void put(const std::string& key, kb_result r);
    std::size_t max_entry_bytes() const { return max_entry_bytes_; }

    struct counters {
        std::size_t hits = 0, misses = 0, entries = 0;
    };
    counters stats() const;

private:
    std::size_t max_entry_bytes_;
    mutable std::mutex mutex_;
    lru_map<std::shared_ptr<const kb_result>> map_;
    std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace guichet
