// The knowledge-base result cache (see kb_results.h).
#include "engine/kb_results.h"

namespace guichet {

std::size_t kb_result::row_bytes(const std::vector<std::optional<std::string>>& row) {
    std::size_t n = 0;
    for (auto& v : row) n += sizeof(v) + (v ? v->size() : 0);
    return n;
}

std::size_t kb_result::bytes() const {
    std::size_t n = 0;
    for (auto& c : columns) n += c.size() + sizeof(std::string);
    for (auto& r : rows) n += row_bytes(r);
    return n;
}

std::string kb_results::key(const std::string& sql, const std::vector<std::string>& params) {
    // Lengths first: no parameter text can be mistaken for a separator.
    std::string k = std::to_string(sql.size()) + ':' + sql;
    for (auto& p : params) k.append(std::to_string(p.size())).append(1, ':').append(p);
    return k;
}

std::shared_ptr<const kb_result> kb_results::find(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto* r = map_.find(key);
    ++(r ? hits_ : misses_);
    return r ? *r : nullptr;
}

void kb_results::put(const std::string& key, kb_result r) {
    if (r.bytes() > max_entry_bytes_) return;
    auto shared = std::make_shared<const kb_result>(std::move(r));
    std::lock_guard lock(mutex_);
    map_.put(key, std::move(shared));
}

kb_results::counters kb_results::stats() const {
    std::lock_guard lock(mutex_);
    return {hits_, misses_, map_.size()};
}

}  // namespace guichet
