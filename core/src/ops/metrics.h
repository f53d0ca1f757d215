// The engine's operational figures, exposed as Prometheus text on /metrics: messages by
// channel, turn latency histogram, per-intent counts, fallbacks, plugin errors and timeouts,
// turns in flight, reloads. Written by hand (a few counters under one mutex) because
// Debian's prometheus-cpp would pull in civetweb for what is 150 lines here.
// Thread-safe: every member may be called from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

#include "engine/message.h"

namespace guichet::ops {

class metrics {
public:
    // Buckets of the turn latency histogram, in seconds.
    static constexpr std::array<double, 11> latency_buckets = {
        0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    static constexpr double low_confidence = 0.5;  // below: counted as low confidence

    // A channel the server serves: its counters read 0 from the start (an alert on the rate of
    // guichet_fallbacks_total or guichet_turn_errors_total saw no series before the first one).
    void channel_served(const std::string& channel);
    void turn_started() { in_flight_.fetch_add(1); }
    // A turn that produced a result.
    void turn_done(const std::string& channel, const turn_result& r, double seconds);
    // A turn that threw (the router answers the connector with an error).
    void turn_failed(const std::string& channel, double seconds);
    void plugin_problem(bool timed_out);
    void reload_done(bool ok);

    // Gauges read at scrape time (router queue depth, HTTP connections…): name → value.
    using gauge_fn = std::function<double()>;
    void add_gauge(std::string name, std::string help, gauge_fn fn);

    // Prometheus text exposition format 0.0.4.
    std::string render() const;

    std::uint64_t messages() const;
    std::uint64_t fallbacks() const;

private:
    mutable std::mutex mutex_;
    std::atomic<long> in_flight_{0};
    std::map<std::string, std::uint64_t> messages_by_channel_, fallbacks_by_channel_,
        errors_by_channel_, by_intent_;
    std::uint64_t low_confidence_ = 0, plugin_errors_ = 0, plugin_timeouts_ = 0;
    std::uint64_t reloads_ok_ = 0, reloads_rejected_ = 0;
    std::array<std::uint64_t, latency_buckets.size()> buckets_{};
    std::uint64_t latency_count_ = 0;
    double latency_sum_ = 0;
    struct gauge {
        std::string help;
        gauge_fn fn;
    };
    std::map<std::string, gauge> gauges_;
};

// Label value escaping of the exposition format (backslash, quote, newline).
std::string prometheus_escape(const std::string& s);

}  // namespace guichet::ops
