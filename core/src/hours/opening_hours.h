// Public API of the OpenStreetMap `opening_hours` parser and evaluator: parse an expression
// once into an immutable `schedule`, then ask "open at T?", "next change?" or "open intervals
// between A and B?" in a given time zone (French public holidays for `PH`).
// Hand-written: no C or C++ library implementing this grammar is packaged in Debian; the
// semantics follow opening_hours.js 3.15.0 (see /work/shared/ref/opening_hours.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::hours {

namespace detail {
struct program;  // the compiled rules (opening_hours_ast.h)
}

// Where and why an expression was refused. `offset` is a 0-based byte offset into the
// expression (equal to its size when the problem is at the end).
struct parse_error {
    std::size_t offset = 0;
    std::string message_en;
    std::string message_fr;
};

// The expression on one line, a caret under the offending character (columns counted in
// UTF-8 characters) and the message in the chosen language ("fr" or "en"), e.g.
//   Mo-Fr 25:00
//         ^
//   hour 25 is out of range (00-24)
std::string render_error(std::string_view expr, const parse_error& error, std::string_view lang = "fr");

// A parsed expression. Immutable; copying is cheap (shared ownership of the compiled rules);
// one instance may be used by any number of threads at once.
class schedule {
public:
    // The expression as given to parse().
    const std::string& source() const;
    // Internal representation, for the evaluator.
    const detail::program& program() const { return *program_; }
    explicit schedule(std::shared_ptr<const detail::program> p) : program_(std::move(p)) {}

private:
    std::shared_ptr<const detail::program> program_;
};

// Either a schedule or an error.
class parse_result {
public:
    explicit parse_result(schedule s) : schedule_(std::move(s)) {}
    explicit parse_result(parse_error e) : error_(std::move(e)) {}
    bool ok() const { return schedule_.has_value(); }
    explicit operator bool() const { return ok(); }
    const schedule& value() const { return *schedule_; }  // precondition: ok()
    const parse_error& error() const { return *error_; }  // precondition: !ok()

private:
    std::optional<schedule> schedule_;
    std::optional<parse_error> error_;
};

// Parses `expr` strictly (no spelling tolerance: `9h`, `Lu-Ve`, am/pm, lower-case `mo` are
// refused with a message). Unsupported features (sunrise/sunset/dawn/dusk, points in time) are
// refused with a message saying so. `SH` (school holidays) selects the days eval_context
// gives. Never throws. Thread-safe.
parse_result parse(std::string_view expr);

// Mistakes the grammar allows but a town's hours never mean, as a parse_error (its offset at
// the rule): a rule of dates or holidays ("Dec 26 off", "PH off") that a later rule of
// weekdays overrides ("…; Mo-Fr 08:30-17:30": the last rule that matches a day decides, so the
// exception never applies on a weekday), and opening hours that run past midnight for more
// than 12 hours ("14:00-12:00", "09:00-25:00": closing before opening?). Deterministic: looks
// at the fixed years 2020-2047 (every weekday of every date), not at the current date, so
// content accepted once is never refused later. Thread-safe.
std::optional<parse_error> lint(const schedule& s);

// A period of school holidays, for `SH`: its first and last days off (inclusive), as local
// day numbers (days since 1970-01-01: std::chrono::sys_days(ymd).time_since_epoch().count()).
struct school_holiday {
    std::int64_t first_day = 0;
    std::int64_t last_day = 0;
};

// How to evaluate: the IANA time zone (ICU database), which holiday calendar `PH` uses, and
// the school holidays `SH` selects (none given: `SH` selects no day; the data is the town's,
// not built in).
struct eval_context {
    std::string time_zone = "Europe/Paris";
    bool alsace_moselle = false;  // adds Good Friday and 26 December to `PH`
    std::span<const school_holiday> school_holidays;  // any order; viewed, not owned
};

enum class status : std::uint8_t { closed, open, unknown };

// State at one moment. `comment` views static text or text owned by the schedule: it stays
// valid as long as the schedule (or a copy of it) lives.
struct state {
    status value = status::closed;
    std::optional<std::string_view> comment;
};

// One open or unknown interval, [start, end) in Unix seconds.
struct interval {
    std::int64_t start = 0;
    std::int64_t end = 0;
    bool unknown = false;
    std::optional<std::string> comment;
    bool operator==(const interval&) const = default;
};

// Longest window intervals() accepts and longest horizon next_change() looks at (10 years).
inline constexpr std::int64_t max_window_days = 3660;

// The evaluation functions below throw std::invalid_argument when ctx.time_zone is not a
// known time zone; they are thread-safe (a per-thread cache of ICU zones is kept).

// Open and unknown intervals overlapping [from, to), clipped to it, in time order; adjacent
// pieces with the same state and comment are merged, as opening_hours.js does. Throws
// std::invalid_argument when the window is longer than max_window_days.
std::vector<interval> intervals(const schedule& s, std::int64_t from, std::int64_t to,
                                const eval_context& ctx = {});

// State at Unix time `t` (seconds).
state state_at(const schedule& s, std::int64_t t, const eval_context& ctx = {});

// First time after `t` at which the state changes, or the comment of an open or unknown
// state changes (comments of closed times are ignored), if it is at most
// `t + horizon_seconds`; nullopt otherwise (always bounded; the horizon is capped at
// max_window_days).
std::optional<std::int64_t> next_change(const schedule& s, std::int64_t t, std::int64_t horizon_seconds,
                                        const eval_context& ctx = {});

// Local-time helpers (ICU), exposed for the CLI and for callers that print times.
// Unix seconds -> "2025-01-13T10:00:00+01:00" in the zone. Throws std::invalid_argument on an
// unknown zone.
std::string format_local_iso(std::int64_t t, std::string_view time_zone);
// The same with the zone's UTC offset already known (seconds east of UTC): digits written
// directly, as every turn formats a few of these (snprintf was 2 % of a turn's instructions).
std::string format_iso(std::int64_t t, int utc_offset);
// "2025-01-13T10:00:00" (local wall time of the zone; a time skipped by DST moves forward) or
// with an explicit offset "…+01:00" / "…Z" -> Unix seconds. nullopt when malformed.
// Throws std::invalid_argument on an unknown zone.
std::optional<std::int64_t> parse_local_iso(std::string_view text, std::string_view time_zone);

}  // namespace guichet::hours
