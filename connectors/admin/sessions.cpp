// Console sessions and the login throttle (see sessions.h).
#include "admin/sessions.h"

#include <openssl/rand.h>

#include <stdexcept>

namespace guichet::admin {

std::string random_token() {
    unsigned char raw[32];
    if (RAND_bytes(raw, sizeof raw) != 1) throw std::runtime_error("no randomness (OpenSSL)");
    static const char* hex = "0123456789abcdef";
    std::string t;
    for (unsigned char c : raw) {
        t += hex[c >> 4];
        t += hex[c & 15];
    }
    return t;
}

bool session_table::expired(const session& s, clock::time_point now) const {
    return now - s.seen > idle_ || now - s.created > lifetime_;
}

session session_table::open(const account& a) {
    session s{random_token(), random_token(), a.name, a.role, clock::now(), clock::now()};
    std::lock_guard lock(mutex_);
    auto now = clock::now();
    for (auto it = sessions_.begin(); it != sessions_.end();)
        it = expired(it->second, now) ? sessions_.erase(it) : std::next(it);
    sessions_[s.id] = s;
    return s;
}

std::optional<session> session_table::find(const std::string& id, bool polled) {
    std::lock_guard lock(mutex_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    auto now = clock::now();
    if (expired(it->second, now)) {
        sessions_.erase(it);
        return std::nullopt;
    }
    if (!polled) it->second.seen = now;
    return it->second;
}

void session_table::close(const std::string& id) {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
}

void session_table::close_all_of(const std::string& name) {
    std::lock_guard lock(mutex_);
    std::erase_if(sessions_, [&](auto& kv) { return kv.second.name == name; });
}

void login_throttle::prune(std::deque<clock::time_point>& d, clock::time_point now) {
    while (!d.empty() && now - d.front() >= std::chrono::minutes(1)) d.pop_front();
}

long login_throttle::wait_seconds(const std::string& address) {
    std::lock_guard lock(mutex_);
    auto it = failures_.find(address);
    if (it == failures_.end()) return 0;
    auto now = clock::now();
    prune(it->second, now);
    if (it->second.size() < max_) return 0;
    auto left = std::chrono::minutes(1) - (now - it->second.front());
    return std::max<long>(1, static_cast<long>(std::chrono::ceil<std::chrono::seconds>(left).count()));
}

void login_throttle::failed(const std::string& address) {
    std::lock_guard lock(mutex_);
    if (failures_.size() > 100000) failures_.clear();  // a scan of addresses: forget them all
    auto& d = failures_[address];
    d.push_back(clock::now());
    while (d.size() > max_) d.pop_front();
}

void login_throttle::succeeded(const std::string& address) {
    std::lock_guard lock(mutex_);
    failures_.erase(address);
}

}  // namespace guichet::admin
