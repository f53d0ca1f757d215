// Internal representation of a parsed opening_hours expression (shared by the parser and the
// evaluator; not part of the public API). Rules keep the reference library's order and flags
// because its precedence depends on them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hours/opening_hours.h"

namespace guichet::hours::detail {

// A day in a year: fixed month/day (day 0 = last day of the month), Easter, or the nth
// weekday of a month; plus an offset in days. year 0 = every year.
struct date_point {
    enum class kind : std::uint8_t { fixed, easter, nth_weekday } k = kind::fixed;
    int year = 0;
    int month = 1;    // 1..12
    int day = 1;      // 1..31, 0 = last day of month
    int weekday = 0;  // 0 = Monday (nth_weekday)
    int nth = 1;      // 1..5 or -1..-5 (nth_weekday)
    int offset = 0;   // days
};

// One alternative inside a selector group.
struct item {
    enum class kind : std::uint8_t { year, date_range, week, weekday, holiday, school_holiday } k = kind::weekday;
    int a = 0, b = 0, period = 0;  // year/week ranges (b = INT32_MAX: open-ended "2025+")
    std::uint8_t wd_mask = 0;      // weekday: bit 0 = Monday
    std::uint16_t nth_mask = 0;    // weekday: bits 0..4 = [1]..[5], bits 5..9 = [-1]..[-5]
    int offset = 0;                // weekday/holiday: days
    date_point from, to;           // date_range
};

// Alternatives; a rule matches a day when every group has a matching item.
struct group {
    std::vector<item> items;
};

// Minutes since local midnight of the day the rule matched, [from, to), to <= 2880.
struct time_piece {
    int from = 0;
    int to = 0;
    bool open_end = false;
    int sel = 0;  // index of the time selector it comes from (a range and its "+" share one)
};

struct rule {
    std::size_t offset = 0;  // where it starts in the expression (bytes)
    std::vector<group> groups;
    std::vector<time_piece> times;
    bool has_time = false;
    status st = status::open;
    std::optional<std::string> comment;
    bool additional = false;
    bool fallback = false;
};

// A rule as evaluated: the part of the times inside the selected day, or (wrapped) the part
// spilling past midnight, selected with the previous day's date.
struct eval_rule {
    const rule* r = nullptr;
    bool wrapped = false;
    std::vector<time_piece> pieces;  // within [0, 1440)
};

struct program {
    std::string source;
    std::vector<rule> rules;
    std::vector<eval_rule> eval;  // built from rules once parsing is done
};

}  // namespace guichet::hours::detail
