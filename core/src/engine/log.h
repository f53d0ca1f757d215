// The engine's log: one line per event on stderr (or a sink set by tests), with a level,
// the component and, where there is one, the conversation it concerns. Thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace guichet::log {

enum class level { debug, info, warn, error };

// Replaces where lines go (nullptr: back to stderr). Returns the previous sink.
using sink = std::function<void(level, std::string_view line)>;
sink set_sink(sink s);
void set_min_level(level l);

void write(level l, std::string_view component, std::string_view text,
           std::string_view conversation = {});

inline void info(std::string_view c, std::string_view t, std::string_view conv = {}) {
    write(level::info, c, t, conv);
}
inline void warn(std::string_view c, std::string_view t, std::string_view conv = {}) {
    write(level::warn, c, t, conv);
}
inline void error(std::string_view c, std::string_view t, std::string_view conv = {}) {
    write(level::error, c, t, conv);
}

}  // namespace guichet::log
