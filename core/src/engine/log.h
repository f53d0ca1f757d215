// The engine's log: one line per event on stderr (or a sink set by tests), with a level,
// the component and, where there is one, the conversation it concerns. Thread-safe.
// Lines are plain text by default, or one JSON object per line (set_json) for collectors;
// personal data (e-mail, phone, NIR, IBAN) can be masked in every line (set_masking).
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

// JSON lines: {"ts":"…Z","level":"info","component":"…","conversation":"…","msg":"…"}.
void set_json(bool on);
// Masks e-mail addresses, phone numbers, NIR and IBAN in the text of every line.
void set_masking(bool on);

// Called for every event at or above the minimum level, before formatting and outside the
// log's lock (metrics count plugin failures this way). Returns the previous tap.
using tap = std::function<void(level, std::string_view component, std::string_view text)>;
tap set_tap(tap t);

void write(level l, std::string_view component, std::string_view text,
           std::string_view conversation = {});

inline void debug(std::string_view c, std::string_view t, std::string_view conv = {}) {
    write(level::debug, c, t, conv);
}
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
