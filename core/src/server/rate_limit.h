// A per-client rate limit: one token bucket per address, refilled at `per_minute` tokens a
// minute with a burst of the same size. Thread-safe (one mutex); idle buckets are dropped
// when the table grows, so a scan of many addresses cannot grow it without bound.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <mutex>
#include <unordered_map>

namespace guichet {

class rate_limiter {
public:
    explicit rate_limiter(std::size_t per_minute, std::size_t max_clients = 100000)
        : per_minute_(per_minute), max_clients_(max_clients) {}

    // Takes one token; returns 0 when allowed, else the seconds to wait (for Retry-After).
    long take(const boost::asio::ip::address& client) {
        if (per_minute_ == 0) return 0;
        using clock = std::chrono::steady_clock;
        auto now = clock::now();
        double rate = static_cast<double>(per_minute_) / 60.0;  // tokens per second
        std::lock_guard lock(mutex_);
        if (buckets_.size() >= max_clients_) prune(now, rate);
        auto [it, fresh] = buckets_.try_emplace(client.to_string(), bucket{double(per_minute_), now});
        auto& b = it->second;
        if (!fresh) {
            double elapsed = std::chrono::duration<double>(now - b.at).count();
            b.tokens = std::min(double(per_minute_), b.tokens + elapsed * rate);
            b.at = now;
        }
        if (b.tokens >= 1.0) {
            b.tokens -= 1.0;
            return 0;
        }
        return static_cast<long>((1.0 - b.tokens) / rate) + 1;
    }

    std::size_t per_minute() const { return per_minute_; }

private:
    struct bucket {
        double tokens;
        std::chrono::steady_clock::time_point at;
    };
    // Drops the buckets that are full again (their clients are as if never seen).
    void prune(std::chrono::steady_clock::time_point now, double rate) {
        for (auto it = buckets_.begin(); it != buckets_.end();) {
            double elapsed = std::chrono::duration<double>(now - it->second.at).count();
            if (it->second.tokens + elapsed * rate >= double(per_minute_))
                it = buckets_.erase(it);
            else
                ++it;
        }
    }
    std::size_t per_minute_;
    std::size_t max_clients_;
    std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace guichet
