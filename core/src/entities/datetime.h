// Date and time recognition for French and English messages, resolved against a reference
// instant in a time zone. Hand-written: no C/C++ library on Debian parses French dates
// (Duckling, the usual choice, is Haskell; ICU's DateFormat only parses fixed patterns).
// Internal to `entities`; the grammar is in datetime_pieces.cpp, the resolution in
// datetime.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "entities/entities.h"
#include "entities/lexicon.h"
#include "entities/local_clock.h"

namespace guichet::entities {

struct dt_context {
    const local_clock& clock;
    bool fr = true;
    bool alsace_moselle = false;
    std::int64_t now = 0;
    std::chrono::sys_days today;   // local date of `now`
    std::int64_t now_seconds = 0;  // local seconds since midnight
    std::span<const hours::school_holiday> school_holidays = {};  // options::school_holidays
};

enum class piece_kind { day, range, instant, time, part_of_day };
enum class day_part { morning, noon, afternoon, evening, night };

// One recognised fragment of a date expression, over tokens [first, last).
struct piece {
    piece_kind kind = piece_kind::day;
    std::size_t first = 0, last = 0;
    std::chrono::sys_days day{};        // day
    std::int64_t start = 0, stop = 0;   // range, instant (resolved)
    std::string_view grain;             // range, instant
    int hour = 0, minute = 0;           // time (24-hour once am/pm applied)
    bool has_minutes = false;           // time: "14h30" (instant) vs "14h" (hour)
    bool meridiem = false;              // time: am/pm or "du soir" was given
    bool bare = false;                  // time: "at 9", hour only, no unit
    int end_hour = -1, end_minute = 0;  // time: end of "de 9h à 12h" (-1: no end given)
    day_part part = day_part::morning;  // part_of_day
    int weekday = -1;                   // day: a weekday said alone ("samedi"), 0 = Sunday
    int follow_days = -1;               // day: "le lendemain" (1): after the day talked about
    bool day_of_month_alone = false;    // day: "le 2", "the 2nd": no month said
    bool today = false;                 // part_of_day: "ce soir", "tonight": today's, said so
};

// The longest piece starting at token i, if any.
std::optional<piece> parse_piece(const token_cursor& c, std::size_t i, const dt_context& ctx);

// Finds every date/time expression in the tokens and appends datetime entities
// (text/begin/end are set from the original `text`).
void find_datetimes(const token_cursor& c, std::string_view text, const dt_context& ctx,
                    std::vector<entity>& out);

}  // namespace guichet::entities
