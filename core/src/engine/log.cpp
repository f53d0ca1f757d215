// Line-oriented log writer; a mutex keeps lines from different threads whole. Text or JSON
// lines; personal data masked by ops/mask (pure functions, no dependency on the rest).
#include "engine/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "ops/mask.h"

namespace guichet::log {
namespace {
std::mutex mutex;
sink current;
tap current_tap;
level min_level = level::info;
bool json = false;
bool masking = false;

const char* name(level l) {
    switch (l) {
        case level::debug: return "debug";
        case level::info: return "info";
        case level::warn: return "warn";
        case level::error: return "error";
    }
    return "?";
}

}  // namespace

sink set_sink(sink s) {
    std::lock_guard lock(mutex);
    std::swap(current, s);
    return s;
}

void set_min_level(level l) {
    std::lock_guard lock(mutex);
    min_level = l;
}

void set_json(bool on) {
    std::lock_guard lock(mutex);
    json = on;
}

void set_masking(bool on) {
    std::lock_guard lock(mutex);
    masking = on;
}

tap set_tap(tap t) {
    std::lock_guard lock(mutex);
    std::swap(current_tap, t);
    return t;
}

void write(level l, std::string_view component, std::string_view text,
           std::string_view conversation) {
    tap t;
    {
        std::lock_guard lock(mutex);
        if (l < min_level) return;
        t = current_tap;
    }
    if (t) t(l, component, text);
    std::lock_guard lock(mutex);
    std::string masked;
    if (masking) {
        masked = ops::mask_personal_data(text);
        text = masked;
    }
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::string line;
    line.reserve(96 + text.size());
    if (json) {
        line += "{\"ts\":\"";
        line += ts;
        line += "\",\"level\":\"";
        line += name(l);
        line += "\",\"component\":";
        line += ops::json_quote(component);
        if (!conversation.empty()) {
            line += ",\"conversation\":";
            line += ops::json_quote(conversation);
        }
        line += ",\"msg\":";
        line += ops::json_quote(text);
        line += '}';
    } else {
        line += name(l);
        line += ' ';
        line += component;
        if (!conversation.empty()) {
            line += " [";
            line += conversation;
            line += ']';
        }
        line += ": ";
        line += text;
    }
    if (current) {
        current(l, line);
        return;
    }
    if (json)
        std::fprintf(stderr, "%s\n", line.c_str());
    else
        std::fprintf(stderr, "%s %s\n", ts, line.c_str());
}

}  // namespace guichet::log
