// Counting and rendering of the engine's figures in the Prometheus text format.
#include "ops/metrics.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace guichet::ops {

std::string prometheus_escape(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void metrics::turn_done(const std::string& channel, const turn_result& r, double seconds) {
    in_flight_.fetch_sub(1);
    std::lock_guard lock(mutex_);
    ++messages_by_channel_[channel];
    if (r.fallback) ++fallbacks_by_channel_[channel];
    ++by_intent_[r.intent.empty() ? "none" : r.intent];
    if (!r.fallback && !r.intent.empty() && r.confidence < low_confidence) ++low_confidence_;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        if (seconds <= latency_buckets[i]) ++buckets_[i];
    ++latency_count_;
    latency_sum_ += seconds;
}

void metrics::channel_served(const std::string& channel) {
    std::lock_guard lock(mutex_);
    for (auto* counts : {&messages_by_channel_, &fallbacks_by_channel_, &errors_by_channel_})
        counts->try_emplace(channel, 0);
}

void metrics::turn_failed(const std::string& channel, double seconds) {
    in_flight_.fetch_sub(1);
    std::lock_guard lock(mutex_);
    ++messages_by_channel_[channel];
    ++errors_by_channel_[channel];
    for (std::size_t i = 0; i < latency_buckets.size(); ++i)
        if (seconds <= latency_buckets[i]) ++buckets_[i];
    ++latency_count_;
    latency_sum_ += seconds;
}

void metrics::plugin_problem(bool timed_out) {
    std::lock_guard lock(mutex_);
    ++(timed_out ? plugin_timeouts_ : plugin_errors_);
}

void metrics::reload_done(bool ok) {
    std::lock_guard lock(mutex_);
    ++(ok ? reloads_ok_ : reloads_rejected_);
}

void metrics::add_gauge(std::string name, std::string help, gauge_fn fn) {
    std::lock_guard lock(mutex_);
    gauges_[std::move(name)] = {std::move(help), std::move(fn)};
}

std::uint64_t metrics::messages() const {
    std::lock_guard lock(mutex_);
    std::uint64_t n = 0;
    for (auto& [c, v] : messages_by_channel_) n += v;
    return n;
}

std::uint64_t metrics::fallbacks() const {
    std::lock_guard lock(mutex_);
    std::uint64_t n = 0;
    for (auto& [c, v] : fallbacks_by_channel_) n += v;
    return n;
}

namespace {
std::string num(double v) {
    if (std::isnan(v)) return "NaN";  // the exposition format's spelling
    // The shortest spelling that reads back as the same number: le="0.005", not
    // le="0.0050000000000000001".
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, ec == std::errc() ? end : buf);
}
void head(std::string& out, const char* name, const char* type, const char* help) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}
void labelled(std::string& out, const char* name, const char* label,
              const std::map<std::string, std::uint64_t>& values) {
    for (auto& [k, v] : values)
        out += std::string(name) + '{' + label + "=\"" + prometheus_escape(k) + "\"} " +
               std::to_string(v) + '\n';
}
}  // namespace

std::string metrics::render() const {
    std::map<std::string, gauge> gauges;
    std::string out;
    {
        std::lock_guard lock(mutex_);
        gauges = gauges_;
        head(out, "guichet_messages_total", "counter", "Messages answered, by channel.");
        labelled(out, "guichet_messages_total", "channel", messages_by_channel_);
        head(out, "guichet_fallbacks_total", "counter",
             "Messages answered with the fallback (not understood, plugin failed), by channel.");
        labelled(out, "guichet_fallbacks_total", "channel", fallbacks_by_channel_);
        head(out, "guichet_turn_errors_total", "counter", "Turns that failed with an error, by channel.");
        labelled(out, "guichet_turn_errors_total", "channel", errors_by_channel_);
        std::uint64_t total = 0, fb = 0;
        for (auto& [c, v] : messages_by_channel_) total += v;
        for (auto& [c, v] : fallbacks_by_channel_) fb += v;
        head(out, "guichet_fallback_ratio", "gauge", "Fallbacks divided by messages since start.");
        out += "guichet_fallback_ratio " + num(total ? double(fb) / double(total) : 0) + '\n';
        head(out, "guichet_intent_total", "counter", "Messages by recognised intent (none: not understood).");
        labelled(out, "guichet_intent_total", "intent", by_intent_);
        head(out, "guichet_low_confidence_total", "counter", "Answers given with a confidence below 0.5.");
        out += "guichet_low_confidence_total " + std::to_string(low_confidence_) + '\n';
        head(out, "guichet_plugin_errors_total", "counter", "Plugin turns that failed, threw or were refused.");
        out += "guichet_plugin_errors_total " + std::to_string(plugin_errors_) + '\n';
        head(out, "guichet_plugin_timeouts_total", "counter", "Plugin turns that missed their deadline.");
        out += "guichet_plugin_timeouts_total " + std::to_string(plugin_timeouts_) + '\n';
        head(out, "guichet_turn_duration_seconds", "histogram", "Time to answer one message.");
        for (std::size_t i = 0; i < latency_buckets.size(); ++i)
            out += "guichet_turn_duration_seconds_bucket{le=\"" + num(latency_buckets[i]) + "\"} " +
                   std::to_string(buckets_[i]) + '\n';
        out += "guichet_turn_duration_seconds_bucket{le=\"+Inf\"} " + std::to_string(latency_count_) + '\n';
        out += "guichet_turn_duration_seconds_sum " + num(latency_sum_) + '\n';
        out += "guichet_turn_duration_seconds_count " + std::to_string(latency_count_) + '\n';
        head(out, "guichet_reloads_total", "counter", "Site reloads, by result (ok: swapped in; rejected: kept the live one).");
        out += "guichet_reloads_total{result=\"ok\"} " + std::to_string(reloads_ok_) + '\n';
        out += "guichet_reloads_total{result=\"rejected\"} " + std::to_string(reloads_rejected_) + '\n';
    }
    head(out, "guichet_turns_in_flight", "gauge", "Turns being answered now.");
    out += "guichet_turns_in_flight " + std::to_string(in_flight_.load()) + '\n';
    for (auto& [name, g] : gauges) {
        head(out, name.c_str(), "gauge", g.help.c_str());
        double v;
        try {
            v = g.fn();
        } catch (const std::exception&) {
            v = std::numeric_limits<double>::quiet_NaN();  // (a database that cannot be read now)
        }
        out += name + ' ' + num(v) + '\n';
    }
    return out;
}

}  // namespace guichet::ops
