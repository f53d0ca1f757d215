// Console sessions and the login throttle (see sessions.h).
#include "admin/sessions.h"

#include <openssl/rand.h>

#include <set>
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

void session_table::take_expired(clock::time_point now, std::vector<session>& ended) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        if (!expired(it->second, now)) {
            ++it;
            continue;
        }
        ended.push_back(std::move(it->second));
        it = sessions_.erase(it);
    }
}

void session_table::tell(const std::vector<session>& ended) {
    if (!on_end_) return;
    for (auto& s : ended) on_end_(s);
}

session session_table::open(const account& a) {
    session s{random_token(), random_token(), a.name, a.role, clock::now(), clock::now()};
    std::vector<session> ended;
    {
        std::lock_guard lock(mutex_);
        take_expired(clock::now(), ended);
        sessions_[s.id] = s;
    }
    tell(ended);
    return s;
}

std::optional<session> session_table::find(const std::string& id, bool polled) {
    std::vector<session> ended;
    {
        std::lock_guard lock(mutex_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return std::nullopt;
        auto now = clock::now();
        if (!expired(it->second, now)) {
            if (!polled) it->second.seen = now;
            return it->second;
        }
        ended.push_back(std::move(it->second));
        sessions_.erase(it);
    }
    tell(ended);
    return std::nullopt;
}

void session_table::close(const std::string& id) {
    std::vector<session> ended;
    {
        std::lock_guard lock(mutex_);
        auto it = sessions_.find(id);
        if (it == sessions_.end()) return;
        ended.push_back(std::move(it->second));
        sessions_.erase(it);
    }
    tell(ended);
}

void session_table::close_all_of(const std::string& name) {
    std::vector<session> ended;
    {
        std::lock_guard lock(mutex_);
        for (auto it = sessions_.begin(); it != sessions_.end();) {
            if (it->second.name != name) {
                ++it;
                continue;
            }
            ended.push_back(std::move(it->second));
            it = sessions_.erase(it);
        }
    }
    tell(ended);
}

void session_table::sweep() {
    std::vector<session> ended;
    {
        std::lock_guard lock(mutex_);
        take_expired(clock::now(), ended);
    }
    tell(ended);
}

bool session_table::has_live(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto now = clock::now();
    for (auto& [id, s] : sessions_)
        if (s.name == name && !expired(s, now)) return true;
    return false;
}

std::size_t session_table::agents_live() {
    std::lock_guard lock(mutex_);
    auto now = clock::now();
    std::set<std::string> names;  // one person signed in twice is one agent
    for (auto& [id, s] : sessions_)
        if (s.role != role::editor && !expired(s, now)) names.insert(s.name);
    return names.size();
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
