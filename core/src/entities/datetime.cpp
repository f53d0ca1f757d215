// Combines date/time pieces into datetime entities ("samedi" + "à 10h", "demain" +
// "matin", "9am" + "tomorrow") and resolves them to a local period [start, stop) with its
// grain, DST-correct through local_clock. Hand-written, see datetime.h.
#include "entities/datetime.h"

#include <array>

namespace guichet::entities {

using std::chrono::days;
using std::chrono::sys_days;

namespace {

// Words allowed between two pieces of one expression ("samedi, à 10h", "demain vers 9h",
// "le 31 au soir", "mardi après 18h": the plugin reads "après" and "avant" in the text).
bool is_connector(const token_cursor& c, std::size_t i, bool fr) {
    static constexpr std::array<std::string_view, 12> fr_words{
        ",", "a", "au", "vers", "le", "en", "dans", "de", "du", "des", "apres", "avant"};
    static constexpr std::array<std::string_view, 10> en_words{
        ",", "at", "on", "in", "the", "around", "by", "from", "after", "before"};
    const std::string_view w = c.word(i);
    if (fr) {
        for (std::string_view x : fr_words)
            if (x == w) return true;
    } else {
        for (std::string_view x : en_words)
            if (x == w) return true;
    }
    return false;
}

struct group {
    std::size_t first = 0, last = 0;
    const piece* date = nullptr;  // day, range or instant
    const piece* time = nullptr;
    const piece* part = nullptr;
    const piece* period = nullptr;  // a month or a season the rest falls in
};

// A month or a season, and what may fall in one: a weekday said alone, a time, a part of the
// day ("le samedi en juillet", "à 18h en juin", "en été le dimanche matin").
bool is_period(const piece& p) { return p.kind == piece_kind::range && p.grain == "month"; }
bool fits_a_period(const piece& p) {
    return (p.kind == piece_kind::day && p.weekday >= 0) || p.kind == piece_kind::time ||
           p.kind == piece_kind::part_of_day;
}

bool accepts(const group& g, const piece& p) {
    if (is_period(p))
        return !g.period && (g.date || g.time || g.part) && (!g.date || g.date->weekday >= 0);
    if (g.date && is_period(*g.date)) return !g.period && fits_a_period(p);
    if (g.period && p.kind == piece_kind::day) return !g.date && p.weekday >= 0;
    if (g.date && g.date->kind != piece_kind::day) return false;  // ranges stand alone
    switch (p.kind) {
        case piece_kind::day:
            return g.date == nullptr;
        case piece_kind::range:
        case piece_kind::instant:
            return g.date == nullptr && g.time == nullptr && g.part == nullptr;
        case piece_kind::time:
            return g.time == nullptr;
        case piece_kind::part_of_day:
            return g.part == nullptr;
    }
    return false;
}

// Local window of a part of the day, in seconds since midnight.
std::pair<std::int64_t, std::int64_t> window(day_part part) {
    switch (part) {
        case day_part::morning:
            return {6 * 3600, 12 * 3600};
        case day_part::noon:
            return {12 * 3600, 14 * 3600};
        case day_part::afternoon:
            return {12 * 3600, 18 * 3600};
        case day_part::evening:
            return {18 * 3600, 24 * 3600};
        case day_part::night:
            return {22 * 3600, 30 * 3600};  // until 6:00 the next day
    }
    return {0, 24 * 3600};
}

bool resolve(const group& g, const dt_context& ctx, entity& e) {
    const local_clock& clock = ctx.clock;
    if (g.date && g.date->kind != piece_kind::day) {
        e.start = g.date->start;
        e.stop = g.date->stop;
        e.grain = std::string(g.date->grain);
        return true;
    }
    sys_days day = g.date ? g.date->day : ctx.today;
    if (g.period) {  // the first day of the period still to come (of the weekday said)
        day = std::max(clock.to_local(g.period->start).day, ctx.today);
        if (g.date) {
            const int at = static_cast<int>(std::chrono::weekday{day}.c_encoding());
            day += days{(g.date->weekday - at + 7) % 7};
        }
    }
    if (g.time) {
        int hour = g.time->hour;
        int end_hour = g.time->end_hour;
        if (g.part && !g.time->meridiem && hour < 12) {
            const day_part pt = g.part->part;
            if (pt == day_part::afternoon || pt == day_part::evening) hour += 12;
            if (pt == day_part::night) {
                if (hour >= 7)
                    hour += 12;
                else
                    day += days{1};  // "cette nuit à 2h": after midnight
            }
        } else if (!ctx.fr && g.time->bare && !g.part && hour >= 1 && hour <= 7) {
            hour += 12;  // "at 2": offices are open at 14:00, not at 02:00
            if (end_hour >= 0 && end_hour < 12) end_hour += 12;  // "between 2 and 4"
        }
        const std::int64_t sod = hour * 3600 + g.time->minute * 60;
        const bool minute_grain = g.time->has_minutes;
        e.grain = minute_grain ? "instant" : "hour";
        // An interval ("de 9h à 12h") ends at its end time, the next day if it wraps.
        std::int64_t end_sod = sod + (minute_grain ? 60 : 3600);
        if (end_hour >= 0) {
            end_sod = end_hour * 3600 + g.time->end_minute * 60;
            if (end_sod <= sod) end_sod += 24 * 3600;
        }
        e.start = clock.from_local(day, sod);
        e.stop = clock.from_local(day, end_sod);
        if (!g.date && !g.part && e.stop <= ctx.now) {  // a time alone: its next occurrence
            day += days{1};
            e.start = clock.from_local(day, sod);
            e.stop = clock.from_local(day, end_sod);
        }
        return true;
    }
    if (g.part) {
        const auto [from, to] = window(g.part->part);
        // "cette nuit" said at 2:00 is the night that is going on.
        if (!g.date && g.part->part == day_part::night && ctx.now_seconds < 6 * 3600)
            day -= days{1};
        e.start = clock.from_local(day, from);
        e.stop = clock.from_local(day, to);
        e.grain = "part_of_day";
        return true;
    }
    if (!g.date) return false;
    e.start = clock.from_local(day, 0);
    e.stop = clock.from_local(day + days{1}, 0);
    e.grain = "day";
    return true;
}

}  // namespace

void find_datetimes(const token_cursor& c, std::string_view text, const dt_context& ctx,
                    std::vector<entity>& out) {
    std::vector<piece> pieces;
    for (std::size_t i = 0; i < c.size();) {
        if (auto p = parse_piece(c, i, ctx)) {
            pieces.push_back(*p);
            i = p->last;
        } else {
            ++i;
        }
    }
    auto emit = [&](const group& g) {
        entity e;
        if (!resolve(g, ctx, e)) return;
        e.type = "datetime";
        e.begin = c.t[g.first].begin;
        e.end = c.t[g.last - 1].end;
        e.text = std::string(text.substr(e.begin, e.end - e.begin));
        e.value = ctx.clock.iso(e.start);
        if (g.date && g.date->follow_days >= 0) {
            e.day_said = false;
            e.after_days = g.date->follow_days;
        } else if (!g.date && !g.period) {
            // "ce soir", "tonight" say today ("et ce soir ?" after tomorrow's hours is this
            // evening); "le soir", "à 14 h" leave the day to the one talked about.
            e.day_said = g.part && g.part->today;
        } else if (g.date && g.date->weekday >= 0 && !g.period) {
            e.weekday_alone = true;
        } else if (g.date && g.date->day_of_month_alone && !g.period) {
            e.day_of_month_alone = true;
        }
        out.push_back(std::move(e));
    };
    group g;
    bool open = false;
    for (const piece& p : pieces) {
        bool joins = open && accepts(g, p) && p.first >= g.last && p.first - g.last <= 2;
        for (std::size_t k = g.last; joins && k < p.first; ++k) joins = is_connector(c, k, ctx.fr);
        if (!joins) {
            if (open) emit(g);
            g = group{};
            g.first = p.first;
            open = true;
        }
        g.last = p.last;
        if (joins && is_period(p)) {
            g.period = &p;
            continue;
        }
        if (joins && g.date && is_period(*g.date)) {
            g.period = g.date;
            g.date = nullptr;
        }
        switch (p.kind) {
            case piece_kind::day:
            case piece_kind::range:
            case piece_kind::instant:
                g.date = &p;
                break;
            case piece_kind::time:
                g.time = &p;
                break;
            case piece_kind::part_of_day:
                g.part = &p;
                break;
        }
    }
    if (open) emit(g);
}

}  // namespace guichet::entities
