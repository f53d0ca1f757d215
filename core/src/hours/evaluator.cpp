// Evaluation of a parsed opening_hours schedule, day by day in local time, with the
// precedence of opening_hours.js 3.15.0: a normal rule that opens (or is unknown) replaces
// the earlier rules on the days it selects; `off` with times only closes those times;
// additional (`,`) rules add; fallback (`||`) rules apply where nothing is open or unknown;
// times past midnight are evaluated on the next day as "wrapped" rules.
#include <unicode/basictz.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>
#include <string>

#include "hours/holidays.h"
#include "hours/local_time.h"
#include "hours/opening_hours_ast.h"

namespace guichet::hours {

namespace {

using namespace std::chrono;
using detail::date_point;
using detail::eval_rule;
using detail::item;
using detail::program;
using detail::rule;

constexpr std::string_view open_end_comment = "Specified as open end. Closing time was guessed.";
constexpr std::int64_t invalid_day = INT64_MIN;

std::int64_t civil(int y, unsigned m, unsigned d) {
    return sys_days{year_month_day{year{y}, month{m}, day{d}}}.time_since_epoch().count();
}

unsigned days_in_month(int y, unsigned m) {
    return static_cast<unsigned>(year_month_day_last{year{y}, month_day_last{month{m}}}.day());
}

struct day_info {
    std::int64_t days;
    int y;
    unsigned m, d;
    int wd;  // 0 = Monday
};

day_info make_day(std::int64_t days) {
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    const int wd = static_cast<int>(((days + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    return {days, static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), wd};
}

int iso_week(std::int64_t days) {
    const int wd = static_cast<int>(((days + 3) % 7 + 7) % 7);
    const std::int64_t thursday = days - wd + 3;
    const year_month_day ymd{sys_days{std::chrono::days{thursday}}};
    const std::int64_t jan1 = civil(static_cast<int>(ymd.year()), 1, 1);
    return static_cast<int>((thursday - jan1) / 7 + 1);
}

std::int64_t easter_days(int y) { return sys_days{easter_sunday(y)}.time_since_epoch().count(); }

// Holiday names as the reference library reports them in comments (OpenHolidays data).
struct holiday_name {
    std::string_view key;
    std::string name, before, after;
};

const std::array<holiday_name, 13>& holiday_names() {
    static const std::array<holiday_name, 13> names = [] {
        std::array<std::pair<std::string_view, std::string_view>, 13> base{{
            {"new_year", "Nouvel An"},
            {"good_friday", "Vendredi saint"},
            {"easter_monday", "Lundi de Pâques"},
            {"labour_day", "Fête du Travail"},
            {"victory_1945", "Fête de la Victoire 1945"},
            {"ascension", "Ascension"},
            {"whit_monday", "Lundi de Pentecôte"},
            {"national_day", "Fête Nationale de la France"},
            {"assumption", "Assomption"},
            {"all_saints", "Toussaint"},
            {"armistice", "Armistice 1918"},
            {"christmas", "Noël"},
            {"st_stephen", "Saint-Étienne"},
        }};
        std::array<holiday_name, 13> out;
        for (std::size_t i = 0; i < base.size(); ++i) {
            out[i] = {base[i].first, std::string(base[i].second), "Day before " + std::string(base[i].second),
                      "Day after " + std::string(base[i].second)};
        }
        return out;
    }();
    return names;
}

// Index into holiday_names() of the holiday on `days`, or -1. No allocation.
int holiday_at(std::int64_t days, bool alsace_moselle) {
    const day_info di = make_day(days);
    const unsigned md = di.m * 100 + di.d;
    switch (md) {
        case 101: return 0;
        case 501: return 3;
        case 508: return 4;
        case 714: return 7;
        case 815: return 8;
        case 1101: return 9;
        case 1111: return 10;
        case 1225: return 11;
        case 1226: return alsace_moselle ? 12 : -1;
        default: break;
    }
    if (di.m < 3 || di.m > 6) return -1;
    const std::int64_t e = easter_days(di.y);
    const std::int64_t delta = days - e;
    if (delta == 1) return 2;
    if (delta == 39) return 5;
    if (delta == 50) return 6;
    if (delta == -2 && alsace_moselle) return 1;
    return -1;
}

std::int64_t resolve(const date_point& p, int y) {
    std::int64_t base;
    switch (p.k) {
        case date_point::kind::easter:
            base = easter_days(y);
            break;
        case date_point::kind::nth_weekday: {
            const unsigned dim = days_in_month(y, static_cast<unsigned>(p.month));
            if (p.nth > 0) {
                const std::int64_t first = civil(y, static_cast<unsigned>(p.month), 1);
                const int wd1 = make_day(first).wd;
                const int d = 1 + (p.weekday - wd1 + 7) % 7 + (p.nth - 1) * 7;
                if (d > static_cast<int>(dim)) return invalid_day;
                base = first + d - 1;
            } else {
                const std::int64_t last = civil(y, static_cast<unsigned>(p.month), dim);
                const int wdl = make_day(last).wd;
                const int d = static_cast<int>(dim) - (wdl - p.weekday + 7) % 7 - (-p.nth - 1) * 7;
                if (d < 1) return invalid_day;
                base = last - (static_cast<int>(dim) - d);
            }
            break;
        }
        case date_point::kind::fixed:
        default: {
            const unsigned dim = days_in_month(y, static_cast<unsigned>(p.month));
            const unsigned d = p.day == 0 ? dim : static_cast<unsigned>(p.day);
            if (d > dim) return invalid_day;
            base = civil(y, static_cast<unsigned>(p.month), d);
            break;
        }
    }
    return base + p.offset;
}

bool in_period(std::int64_t d, std::int64_t a, int period) { return period <= 1 || (d - a) % period == 0; }

bool match_range(const item& it, const day_info& di) {
    const std::int64_t d = di.days;
    if (it.from.year != 0) {
        const std::int64_t a = resolve(it.from, it.from.year);
        std::int64_t b = resolve(it.to, it.to.year != 0 ? it.to.year : it.from.year);
        if (a == invalid_day || b == invalid_day) return false;
        if (b < a && it.to.year == it.from.year) b = resolve(it.to, it.to.year + 1);
        return d >= a && d <= b && in_period(d, a, it.period);
    }
    const std::int64_t a = resolve(it.from, di.y);
    const std::int64_t b = resolve(it.to, di.y);
    if (a == invalid_day || b == invalid_day) return false;
    if (a <= b) return d >= a && d <= b && in_period(d, a, it.period);
    if (d >= a) return in_period(d, a, it.period);
    if (d <= b) {
        const std::int64_t prev = resolve(it.from, di.y - 1);
        return prev != invalid_day && in_period(d, prev, it.period);
    }
    return false;
}

bool match_weekday(const item& it, std::int64_t days) {
    const day_info di = make_day(days - it.offset);
    if (!(it.wd_mask & (1u << di.wd))) return false;
    if (it.nth_mask == 0) return true;
    const int fwd = static_cast<int>(di.d - 1) / 7;
    const int back = static_cast<int>(days_in_month(di.y, di.m) - di.d) / 7;
    return (it.nth_mask & (1u << fwd)) || (it.nth_mask & (1u << (5 + back)));
}

struct comment_slot {
    std::string_view text;
    int rule = -1;
    bool open_end = false;
};

// Does rule `r` select local day `days`? Records the holiday name in `slot` like the reference.
bool date_match(const rule& r, std::int64_t days, const eval_context& ctx, int index, comment_slot& slot) {
    if (r.groups.empty()) return true;
    const day_info di = make_day(days);
    for (const auto& g : r.groups) {
        bool any = false;
        for (const item& it : g.items) {
            bool m = false;
            switch (it.k) {
                case item::kind::year:
                    m = di.y >= it.a && di.y <= it.b && in_period(di.y, it.a, it.period);
                    break;
                case item::kind::week: {
                    const int w = iso_week(days);
                    m = w >= it.a && w <= it.b && in_period(w, it.a, it.period);
                    break;
                }
                case item::kind::weekday:
                    m = match_weekday(it, days);
                    break;
                case item::kind::holiday: {
                    const int h = holiday_at(days - it.offset, ctx.alsace_moselle);
                    if (h >= 0) {
                        m = true;
                        // The reference drops the holiday name on the day-shifted copy of a rule
                        // whose times run past midnight.
                        if (index < 0) break;
                        const auto& hn = holiday_names()[static_cast<std::size_t>(h)];
                        slot = {it.offset == 0 ? std::string_view(hn.name)
                                               : (it.offset > 0 ? std::string_view(hn.after) : std::string_view(hn.before)),
                                index, false};
                    }
                    break;
                }
                case item::kind::date_range:
                    m = match_range(it, di);
                    break;
                case item::kind::school_holiday:
                    m = std::any_of(ctx.school_holidays.begin(), ctx.school_holidays.end(),
                                    [&](const school_holiday& h) { return days >= h.first_day && days <= h.last_day; });
                    break;
            }
            any = any || m;
        }
        if (!any) return false;
    }
    return true;
}

// Rules that apply on one local day, in order, after the reference's overriding.
struct day_rules {
    std::array<std::uint16_t, 48> inline_{};
    std::vector<std::uint16_t> heap_;
    std::size_t n_ = 0;
    comment_slot holiday;

    void clear() {
        n_ = 0;
        heap_.clear();
    }
    void push(std::uint16_t v) {
        if (n_ < inline_.size()) inline_[n_] = v;
        else heap_.push_back(v);
        ++n_;
    }
    std::uint16_t operator[](std::size_t i) const { return i < inline_.size() ? inline_[i] : heap_[i - inline_.size()]; }
    std::size_t size() const { return n_; }
};

void select_rules(const program& p, std::int64_t days, const eval_context& ctx, day_rules& out) {
    out.clear();
    out.holiday = {};
    for (std::size_t i = 0; i < p.eval.size(); ++i) {
        const eval_rule& e = p.eval[i];
        if (!date_match(*e.r, e.wrapped ? days - 1 : days, ctx, e.wrapped ? -1 : static_cast<int>(i),
                        out.holiday)) {
            continue;
        }
        const rule& r = *e.r;
        const bool meaning = r.st == status::open;
        const bool unknown = r.st == status::unknown;
        const bool prev_undated = i > 0 && p.eval[i - 1].r->groups.empty();
        if ((!r.groups.empty() || (i > 0 && meaning && prev_undated)) && (meaning || unknown) && !e.wrapped &&
            !r.additional && !r.fallback) {
            out.clear();
        }
        out.push(static_cast<std::uint16_t>(i));
    }
}

state fold(const program& p, const day_rules& rules, int minute) {
    status st = status::closed;
    int match = -1;
    comment_slot slot = rules.holiday;
    for (std::size_t k = 0; k < rules.size(); ++k) {
        const int i = rules[k];
        const eval_rule& e = p.eval[static_cast<std::size_t>(i)];
        const rule& r = *e.r;
        const bool fallback = r.fallback && !e.wrapped;
        if (!r.has_time) {
            if (!fallback || st == status::closed) {
                st = r.st;
                match = i;
            }
            continue;
        }
        for (const auto& piece : e.pieces) {
            if (minute < piece.from || minute >= piece.to) continue;
            if (fallback && st != status::closed) continue;
            st = r.st;
            match = i;
            if (slot.open_end) slot = {};
            if (piece.open_end && st != status::closed) {
                slot = {open_end_comment, i, true};
                st = status::unknown;
                // The reference's special case for "07:00+,12:00-16:00": once a later time
                // selector of the rule has ended, the guessed open end is over (closed).
                if (minute > piece.from) {
                    bool next_exists = false, next_matches = false;
                    for (const auto& q : e.pieces) {
                        if (q.sel != piece.sel + 1) continue;
                        next_exists = true;
                        next_matches = next_matches || (minute >= q.from && minute < q.to);
                    }
                    if (next_exists && !next_matches) st = status::closed;
                }
            }
        }
    }
    state out;
    out.value = st;
    if (match >= 0) {
        const rule& r = *p.eval[static_cast<std::size_t>(match)].r;
        if (r.comment) out.comment = std::string_view(*r.comment);
        else if (slot.rule == match) out.comment = slot.text;
    }
    return out;
}

struct segment {
    std::int64_t start, end;
    state st;
};

// Comments of closed times are not reported as changes (as the reference does).
bool same(const state& a, const state& b) {
    return a.value == b.value && (a.value == status::closed || a.comment == b.comment);
}

// Calls f(segment) for the segments of local day `days`, in time order (Unix seconds).
template <typename F>
void for_each_segment_of_day(const program& p, std::int64_t days, const eval_context& ctx, const icu::BasicTimeZone& z,
                             day_rules& rules, F&& f) {
    select_rules(p, days, ctx, rules);
    std::array<int, 130> inline_bounds;
    std::vector<int> heap_bounds;
    std::size_t nb = 0;
    auto add = [&](int b) {
        if (nb < inline_bounds.size()) inline_bounds[nb++] = b;
        else {
            if (heap_bounds.empty()) heap_bounds.assign(inline_bounds.begin(), inline_bounds.end());
            heap_bounds.push_back(b);
            ++nb;
        }
    };
    add(0);
    add(1440);
    for (std::size_t k = 0; k < rules.size(); ++k) {
        for (const auto& piece : p.eval[rules[k]].pieces) {
            add(piece.from);
            add(piece.to);
        }
    }
    int* b = heap_bounds.empty() ? inline_bounds.data() : heap_bounds.data();
    std::sort(b, b + nb);
    nb = static_cast<std::size_t>(std::unique(b, b + nb) - b);
    const std::int64_t midnight = days * 86400;
    for (std::size_t k = 0; k + 1 < nb; ++k) {
        const std::int64_t s = detail::local_to_utc(z, midnight + b[k] * 60);
        const std::int64_t e = detail::local_to_utc(z, midnight + b[k + 1] * 60);
        if (e <= s) continue;
        f(segment{s, e, fold(p, rules, b[k])});
    }
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

state state_at(const schedule& s, std::int64_t t, const eval_context& ctx) {
    const auto& z = detail::zone_for(ctx.time_zone);
    const std::int64_t local = t + detail::utc_offset(z, t);
    const std::int64_t days = floor_div(local, 86400);
    const int minute = static_cast<int>((local - days * 86400) / 60);
    day_rules rules;
    select_rules(s.program(), days, ctx, rules);
    return fold(s.program(), rules, minute);
}

std::vector<interval> intervals(const schedule& s, std::int64_t from, std::int64_t to, const eval_context& ctx) {
    std::vector<interval> out;
    if (to <= from) return out;
    if (to - from > max_window_days * 86400) {
        throw std::invalid_argument("intervals: window longer than " + std::to_string(max_window_days) + " days");
    }
    const auto& z = detail::zone_for(ctx.time_zone);
    const std::int64_t d0 = floor_div(from + detail::utc_offset(z, from), 86400);
    const std::int64_t d1 = floor_div(to + detail::utc_offset(z, to), 86400);
    day_rules rules;
    bool have_prev = false;
    segment prev{};
    auto flush = [&]() {
        if (have_prev && prev.st.value != status::closed) {
            interval iv;
            iv.start = prev.start;
            iv.end = prev.end;
            iv.unknown = prev.st.value == status::unknown;
            if (prev.st.comment) iv.comment = std::string(*prev.st.comment);
            out.push_back(std::move(iv));
        }
    };
    for (std::int64_t d = d0 - 1; d <= d1; ++d) {
        for_each_segment_of_day(s.program(), d, ctx, z, rules, [&](segment seg) {
            seg.start = std::max(seg.start, from);
            seg.end = std::min(seg.end, to);
            if (seg.end <= seg.start) return;
            if (have_prev && prev.end == seg.start && same(prev.st, seg.st)) {
                prev.end = seg.end;
                return;
            }
            flush();
            prev = seg;
            have_prev = true;
        });
    }
    flush();
    return out;
}

std::optional<std::int64_t> next_change(const schedule& s, std::int64_t t, std::int64_t horizon_seconds,
                                        const eval_context& ctx) {
    const auto& z = detail::zone_for(ctx.time_zone);
    const state now = state_at(s, t, ctx);
    const std::int64_t limit = t + std::clamp<std::int64_t>(horizon_seconds, 0, max_window_days * 86400);
    std::int64_t d = floor_div(t + detail::utc_offset(z, t), 86400);
    day_rules rules;
    std::optional<std::int64_t> found;
    bool past_limit = false;
    while (!found && !past_limit) {
        for_each_segment_of_day(s.program(), d, ctx, z, rules, [&](const segment& seg) {
            if (found || past_limit) return;
            if (seg.start > limit) {
                past_limit = true;
                return;
            }
            if (seg.start > t && !same(seg.st, now)) found = seg.start;
        });
        ++d;
        if (d * 86400 - 86400 * 2 > limit) past_limit = true;
    }
    return found;
}

namespace {

// A rule with a date, week, year or holiday selector ("Dec 26", "PH", "SH", "Jul-Aug Mo-Fr").
bool dated(const rule& r) {
    for (const auto& g : r.groups)
        for (const auto& it : g.items)
            if (it.k != item::kind::weekday) return true;
    return false;
}

// A rule that overrides the earlier ones on the days it selects (see select_rules).
bool overriding(const rule& r) {
    return (r.st == status::open || r.st == status::unknown) && !r.additional &&
           !r.fallback;
}

// "Mo-Fr 08:30-12:00" as written, without its separator.
std::string rule_text(const program& p, std::size_t i) {
    const std::size_t from = p.rules[i].offset;
    const std::size_t to = i + 1 < p.rules.size() ? p.rules[i + 1].offset : p.source.size();
    std::string t = p.source.substr(from, to - from);
    while (!t.empty() && (t.back() == ' ' || t.back() == ';' || t.back() == ',' || t.back() == '|'))
        t.pop_back();
    return t;
}

std::string clock(int minutes) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", (minutes / 60) % 24, minutes % 60);
    return buf;
}

}  // namespace

std::optional<parse_error> lint(const schedule& s) {
    const program& p = s.program();
    for (const auto& r : p.rules)
        for (const auto& t : r.times)
            if (!t.open_end && t.to > 1440 && t.to - t.from > 12 * 60) {
                const std::string from = clock(t.from), to = clock(t.to), h = std::to_string((t.to - t.from) / 60);
                return parse_error{r.offset,
                                   "open from " + from + " to " + to + " the next day (" + h +
                                       " hours in a row): closing time before opening time? (hours "
                                       "past midnight are written 22:00-02:00; longer ones as two rules)",
                                   "ouvert de " + from + " à " + to + " le lendemain (" + h +
                                       " h d'affilée) : fermeture avant l'ouverture ? (après minuit on "
                                       "écrit 22:00-02:00 ; plus long, en deux règles)"};
            }
    // Times alone after a rule of days ("Mo-Fr 08:30-12:00; 13:30-17:30"): every day, the
    // weekend included, is those times only (a ";" written for the "," between two ranges).
    for (std::size_t j = 1; j < p.rules.size(); ++j) {
        const rule& r = p.rules[j];
        if (!r.groups.empty() || !r.has_time || !overriding(r)) continue;
        for (std::size_t i = 0; i < j; ++i) {
            if (p.rules[i].groups.empty() || !p.rules[i].has_time) continue;
            const std::string times = rule_text(p, j), before = rule_text(p, i);
            return parse_error{r.offset,
                               "the rule \"" + times + "\" names no day: it applies every day, and "
                                   "replaces \"" + before + "\"; between two time ranges of the "
                                   "same days write a comma (\"" + before + "," + times + "\")",
                               "la règle « " + times + " » ne nomme aucun jour : elle vaut pour "
                                   "tous les jours et remplace « " + before + " » ; entre deux "
                                   "plages horaires des mêmes jours, écrivez une virgule (« " + before +
                                   "," + times + " »)"};
        }
    }
    // Only an expression with a dated rule before an overriding rule of weekdays can hide one.
    bool suspicious = false;
    for (std::size_t i = 0; i < p.rules.size() && !suspicious; ++i)
        for (std::size_t j = i + 1; j < p.rules.size() && dated(p.rules[i]); ++j)
            if (overriding(p.rules[j]) && !dated(p.rules[j])) suspicious = true;
    if (!suspicious) return std::nullopt;
    const rule* base = p.rules.data();
    day_rules selected;
    // Fixed years, every weekday of every date: the verdict never depends on today's date (nor
    // on the town's school holidays: `SH` is taken to select every day).
    const std::int64_t first = civil(2020, 1, 1), end = civil(2048, 1, 1);
    const school_holiday always[] = {{first, end - 1}};
    eval_context ctx;
    ctx.school_holidays = always;
    for (std::int64_t d = first; d < end; ++d) {
        select_rules(p, d, ctx, selected);
        for (std::size_t i = 0; i < p.eval.size(); ++i) {
            const eval_rule& e = p.eval[i];
            comment_slot slot;
            if (e.wrapped || !dated(*e.r) || !date_match(*e.r, d, ctx, static_cast<int>(i), slot))
                continue;
            bool kept = false;
            for (std::size_t k = 0; k < selected.size() && !kept; ++k) kept = selected[k] == i;
            if (kept) continue;
            // The later rule that took the day over.
            for (std::size_t k = 0; k < selected.size(); ++k) {
                const eval_rule& by = p.eval[selected[k]];
                if (selected[k] <= i || by.wrapped || !overriding(*by.r) || dated(*by.r)) continue;
                const auto ri = static_cast<std::size_t>(e.r - base), bi = static_cast<std::size_t>(by.r - base);
                const std::string hidden = rule_text(p, ri), winner = rule_text(p, bi);
                return parse_error{
                    e.r->offset,
                    "the rule \"" + hidden + "\" never applies on some days: the later rule \"" +
                        winner + "\" wins them (the last rule that matches a day decides): put the "
                        "exceptions (dates, holidays) after the usual hours",
                    "la règle « " + hidden + " » ne s'applique pas certains jours : la règle « " +
                        winner + " », qui vient après, l'emporte (la dernière règle qui correspond à "
                        "un jour décide) : mettez les exceptions (dates, jours fériés) après les "
                        "horaires habituels"};
            }
        }
    }
    return std::nullopt;
}

}  // namespace guichet::hours
