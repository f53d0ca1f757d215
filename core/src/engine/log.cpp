// Line-oriented log writer; a mutex keeps lines from different threads whole.
#include "engine/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace guichet::log {
namespace {
std::mutex mutex;
sink current;
level min_level = level::info;

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

void write(level l, std::string_view component, std::string_view text,
           std::string_view conversation) {
    std::lock_guard lock(mutex);
    if (l < min_level) return;
    std::string line;
    line.reserve(64 + text.size());
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
    if (current) {
        current(l, line);
        return;
    }
    auto now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&now, &tm);
    char ts[32];
    std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
    std::fprintf(stderr, "%s %s\n", ts, line.c_str());
}

}  // namespace guichet::log
