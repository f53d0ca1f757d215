// Line-oriented log writer; a mutex keeps lines from different threads whole. Text or JSON
// lines; personal data masked by ops/mask (pure functions, no dependency on the rest).
#include "engine/log.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "common/utf8.h"
#include "ops/mask.h"

namespace guichet::log {
namespace {
std::mutex mutex;
sink current;
tap current_tap;
level min_level = level::info;
bool json = false;
bool masking = false;

// A text as one line of the log: a line break, an escape sequence or another control
// character is written as \n, \r, \t or \xNN, and bytes that are no UTF-8 as U+FFFD. A
// plugin's message or a citizen's words could otherwise forge a line of their own
// ("…\n2026-01-01T00:00:00Z info plugin_host: …") or clear the IT person's terminal.
// The text itself when it is valid UTF-8, else its copy with U+FFFD, kept in `storage`.
std::string_view as_utf8(std::string_view text, std::string& storage) {
    if (!find_invalid_utf8(text)) return text;
    bool changed = false;
    storage = valid_utf8(text, changed);
    return storage;
}

std::string one_line(std::string_view raw) {
    std::string fixed;
    const std::string_view text = as_utf8(raw, fixed);
    std::string out;
    out.reserve(text.size());
    for (unsigned char c : text) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", c);
            out += hex;
        } else out += static_cast<char>(c);
    }
    return out;
}

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
        std::string fixed;  // (json_quote escapes the control characters)
        line += ops::json_quote(as_utf8(text, fixed));
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
        line += one_line(text);
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
