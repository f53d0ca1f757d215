// Console sessions and login throttling, in memory (a restart signs everyone out).
// A session id is 256 random bits (RAND_bytes, hex), with its own CSRF token; it ends after
// `idle` without a request, after `lifetime` in all, at logout, or when its account goes.
// Whoever is told when a session ends (logout, expiry, account removed) learns it once, after
// the table's lock is released: an agent's conversations go back to the queue then.
// Failed logins are counted per client address: `failures_per_minute` failures in a minute
// lock that address out until the oldest one is a minute old. Thread-safe (one mutex each).
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "admin/accounts.h"

namespace guichet::admin {

struct session {
    std::string id, csrf, name;
    admin::role role = role::editor;
    std::chrono::steady_clock::time_point created, seen;
};

// 64 hex digits of RAND_bytes.
std::string random_token();

class session_table {
public:
    using clock = std::chrono::steady_clock;
    session_table(std::chrono::seconds idle, std::chrono::seconds lifetime)
        : idle_(idle), lifetime_(lifetime) {}

    // Called with each session that ends, on the thread that noticed, outside the lock (it may
    // call has_live). Set once, before serving.
    void on_end(std::function<void(const session&)> fn) { on_end_ = std::move(fn); }

    session open(const account& a);
    // The live session (and marks it seen, unless `polled`: a page refreshing itself while
    // hidden keeps no one signed in), or nothing when unknown or expired.
    std::optional<session> find(const std::string& id, bool polled = false);
    void close(const std::string& id);
    void close_all_of(const std::string& name);
    // Ends the sessions idle or old enough (a closed browser sends nothing more).
    void sweep();
    // Whether `name` still has a live session (another tab, another computer).
    bool has_live(const std::string& name);
    // How many people who may answer citizens (role agent or admin) have a live session.
    std::size_t agents_live();
    std::chrono::seconds lifetime() const { return lifetime_; }

private:
    bool expired(const session& s, clock::time_point now) const;
    // Under the lock: moves the expired sessions into `ended`.
    void take_expired(clock::time_point now, std::vector<session>& ended);
    void tell(const std::vector<session>& ended);
    std::function<void(const session&)> on_end_;
    std::chrono::seconds idle_, lifetime_;
    std::mutex mutex_;
    std::map<std::string, session> sessions_;
};

class login_throttle {
public:
    using clock = std::chrono::steady_clock;
    explicit login_throttle(std::size_t failures_per_minute) : max_(failures_per_minute) {}
    // 0 when the address may try, else the seconds to wait (Retry-After).
    long wait_seconds(const std::string& address);
    void failed(const std::string& address);
    void succeeded(const std::string& address);

private:
    void prune(std::deque<clock::time_point>& d, clock::time_point now);
    std::size_t max_;
    std::mutex mutex_;
    std::map<std::string, std::deque<clock::time_point>> failures_;
};

}  // namespace guichet::admin
