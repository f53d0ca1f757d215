// More date and time fragments: weekends, weeks and months ("ce week-end", "next week"),
// offsets from now ("dans 2 heures", "in 3 days") and clock times ("14h30", "à midi",
// "at 2:30 pm", "9am", "noon"). Hand-written, see datetime.h.
#include <array>

#include "entities/datetime.h"

namespace guichet::entities {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;
using opt_piece = std::optional<piece>;

namespace {

piece span(piece_kind kind, std::size_t first, std::size_t last, std::int64_t start,
           std::int64_t stop, std::string_view grain) {
    piece p;
    p.kind = kind;
    p.first = first;
    p.last = last;
    p.start = start;
    p.stop = stop;
    p.grain = grain;
    return p;
}

int weekday_index(sys_days d) { return static_cast<int>(std::chrono::weekday{d}.c_encoding()); }

sys_days add_months(sys_days d, int n) {
    year_month_day ymd{d};
    auto ym = std::chrono::year_month{ymd.year(), ymd.month()} + std::chrono::months{n};
    const auto last =
        std::chrono::year_month_day_last{ym.year(), std::chrono::month_day_last{ym.month()}};
    const auto day = ymd.day() > last.day() ? last.day() : ymd.day();
    return sys_days{year_month_day{ym.year(), ym.month(), day}};
}

// +1 after "prochain(e)"/"next", -1 after "dernier/derniere"/"last", 0 otherwise. ("pro",
// "proch": SMS spelling, "la semaine pro".)
int qualifier_after(const token_cursor& c, std::size_t& k, bool fr) {
    if (fr) {
        if (c.is(k, "prochain") || c.is(k, "prochaine") || c.is(k, "pro") || c.is(k, "proch")) {
            ++k;
            return 1;
        }
        if (c.is(k, "dernier") || c.is(k, "derniere")) {
            ++k;
            return -1;
        }
    }
    return 0;
}

}  // namespace

opt_piece range_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                      const dt_context& ctx) {
    std::size_t k = i;
    int q = 0;
    bool qualified = prefix == "ce" || prefix == "cette" || prefix == "this";
    if (!ctx.fr) {
        if (c.is(k, "next")) {
            q = 1;
            ++k;
            qualified = true;
        } else if (c.is(k, "last")) {
            q = -1;
            ++k;
            qualified = true;
        } else if (c.is(k, "this")) {
            ++k;
            qualified = true;
        }
    }
    enum { weekend, week, month } what;
    std::size_t j = 0;
    if ((j = c.phrase(k, {"week", "end"})) || (j = c.phrase(k, {"weekend"})) ||
        (ctx.fr && prefix == "ce" && (j = c.phrase(k, {"we"})))) {
        what = weekend;
        qualified = true;  // "le week-end" is the coming one as well
    } else if ((j = c.phrase(k, {ctx.fr ? "semaine" : "week"}))) {
        what = week;
    } else if ((j = c.phrase(k, {ctx.fr ? "mois" : "month"}))) {
        what = month;
    } else {
        return std::nullopt;
    }
    k = j;
    if (ctx.fr) {
        const int after = qualifier_after(c, k, true);
        if (after != 0) {
            q = after;
            qualified = true;
        } else if (c.is(k, "-") && c.is(k + 1, "ci")) {
            k += 2;
            qualified = true;
        }
    }
    if (!qualified) return std::nullopt;
    const int wd = weekday_index(ctx.today);
    if (what == weekend) {
        // Saturday of the current week (Sunday belongs to the weekend that started
        // yesterday); "next weekend" only differs when we are in a weekend already.
        sys_days sat = ctx.today + days{(6 - wd + 7) % 7};
        if (wd == 0) sat = ctx.today - days{1};
        if (q > 0 && (wd == 6 || wd == 0)) sat += days{7};
        if (q < 0) sat -= days{7};
        return span(piece_kind::range, i, k, ctx.clock.from_local(sat, 0),
                    ctx.clock.from_local(sat + days{2}, 0), "week");
    }
    if (what == week) {
        const sys_days monday = ctx.today - days{(wd + 6) % 7} + days{7 * q};
        return span(piece_kind::range, i, k, ctx.clock.from_local(monday, 0),
                    ctx.clock.from_local(monday + days{7}, 0), "week");
    }
    const year_month_day ymd{ctx.today};
    const sys_days first = add_months(sys_days{ymd.year() / ymd.month() / 1}, q);
    return span(piece_kind::range, i, k, ctx.clock.from_local(first, 0),
                ctx.clock.from_local(add_months(first, 1), 0), "month");
}

// A month or a season, said as a period: "en juillet", "au mois d'août", "pendant l'été",
// "cet été", "les horaires d'hiver", "in July", "during the summer", "this winter" — the
// coming one (the current one until it is over), from its first day to the next month's
// (summer: July and August, when summer hours apply; winter: December to February). "le 14
// juillet" is a date.
opt_piece month_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                      const dt_context& ctx) {
    std::size_t k = i;
    bool led =
        prefix == "ce" || prefix == "cet" || prefix == "this" || prefix == "l" || prefix == "the";
    if (c.is(k, ctx.fr ? "en" : "in") || c.is(k, ctx.fr ? "pendant" : "during")) {
        ++k;
        led = true;
        if (c.is(k, ctx.fr ? "l" : "the")) ++k;
        if (c.is(k, "'")) ++k;
    } else if (std::size_t j = ctx.fr ? c.phrase(k, {"au", "mois", "de"}) : 0; j != 0) {
        k = j;
        led = true;
    } else if (std::size_t d = ctx.fr ? c.phrase(k, {"au", "mois", "d"}) : 0; d != 0) {
        k = d;
        if (c.is(k, "'")) ++k;
        led = true;
    } else if (ctx.fr && c.is(k, "d")) {
        // "les horaires d'été", "d'hiver", "d ete" typed without the apostrophe
        const std::size_t j = c.is(k + 1, "'") ? k + 2 : k + 1;
        if (c.is(j, "ete") || c.is(j, "hiver")) {
            k = j;
            led = true;
        }
    }
    // "summer hours", "winter opening times": the season names the hours.
    if (!led && !ctx.fr && (c.is(k, "summer") || c.is(k, "winter")) &&
        (c.is(k + 1, "hours") || c.is(k + 1, "opening") || c.is(k + 1, "timetable")))
        led = true;
    // A month's name alone ("verre rue de la Fontaine janvier"), not English "may" or "march"
    // (spelt right: this is asked at every word).
    if (!led && !c.is(k, "may") && !c.is(k, "march") && month_of(c.word(k), ctx.fr, false) > 0 &&
        !(k > 0 && c.digits(k - 1)))
        led = true;
    if (!led) return std::nullopt;
    const year_month_day today{ctx.today};
    int first_month = 0, months = 1;
    if (c.is(k, ctx.fr ? "ete" : "summer")) {
        first_month = 7;
        months = 2;
    } else if (c.is(k, ctx.fr ? "hiver" : "winter")) {
        first_month = 12;
        months = 3;
    } else {
        first_month = month_of(c.word(k), ctx.fr);
        if (first_month <= 0) return std::nullopt;
        if (c.t.size() > k + 1 && day_number(c.word(k + 1)) > 0) return std::nullopt;
    }
    auto year = today.year();
    const int now_month = static_cast<int>(static_cast<unsigned>(today.month()));
    const int last_month = first_month + months - 1;  // 14 for a winter that ends in February
    if (last_month > 12 && now_month <= last_month - 12)
        year -= std::chrono::years{1};  // in January, this winter began last December
    else if (last_month < now_month)
        year += std::chrono::years{1};
    const sys_days first{year / first_month / 1};
    return span(piece_kind::range, i, k + 1, ctx.clock.from_local(first, 0),
                ctx.clock.from_local(add_months(first, months), 0), "month");
}

opt_piece offset_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    if (!c.is(i, ctx.fr ? "dans" : "in") && !(ctx.fr && c.is(i, "ds")))
        return std::nullopt;  // "ds": SMS
    std::size_t k = i + 1;
    if (ctx.fr && c.is(k, "d")) return std::nullopt;
    long n = 0;
    std::int64_t unit = 0;  // seconds; 0 for calendar units below
    int day_unit = 0;       // 1 day, 7 week, 30 month
    // Half an hour: "une demi-heure", "half an hour".
    if (std::size_t j =
            ctx.fr ? c.phrase(k, {"une", "demi", "heure"}) : c.phrase(k, {"half", "an", "hour"})) {
        return span(piece_kind::instant, i, j, ctx.now + 1800, ctx.now + 1860, "instant");
    }
    // "dans 1h", "in 2h": the number and its unit in one word
    if (const std::string_view w = c.word(k); w.size() >= 2 && w.size() <= 4 && w.back() == 'h' &&
                                              digits_value(w.substr(0, w.size() - 1)) > 0) {
        n = digits_value(w.substr(0, w.size() - 1));
        if (n > 48) return std::nullopt;
        const std::int64_t at = ctx.now + n * 3600;
        return span(piece_kind::instant, i, k + 1, at, at + 60, "instant");
    }
    if (c.digits(k)) {
        n = digits_value(c.word(k));
        ++k;
    } else if (auto m = number_words(c, k, ctx.fr, true)) {
        n = m->value;
        k = m->end;
    }
    if (n <= 0 || n > 1000) return std::nullopt;
    const std::string_view u = c.word(k);
    if (ctx.fr) {
        if (u == "minute" || u == "minutes" || u == "min" || u == "mn" || u == "mins")
            unit = 60;
        else if (u == "heure" || u == "heures" || u == "h")
            unit = 3600;
        else if (u == "jour" || u == "jours" || u == "j")
            day_unit = 1;
        else if (u == "semaine" || u == "semaines")
            day_unit = 7;
        else if (u == "mois")
            day_unit = 30;
    } else {
        if (u == "minute" || u == "minutes" || u == "min" || u == "mins")
            unit = 60;
        else if (u == "hour" || u == "hours" || u == "hr" || u == "hrs" || u == "h")
            unit = 3600;
        else if (u == "day" || u == "days")
            day_unit = 1;
        else if (u == "week" || u == "weeks")
            day_unit = 7;
        else if (u == "month" || u == "months")
            day_unit = 30;
    }
    if (unit == 0 && day_unit == 0) return std::nullopt;
    ++k;
    if (unit != 0) {
        const std::int64_t at = ctx.now + n * unit;
        return span(piece_kind::instant, i, k, at, at + 60, "instant");
    }
    piece p;
    p.kind = piece_kind::day;
    p.first = i;
    p.last = k;
    p.day = day_unit == 30 ? add_months(ctx.today, static_cast<int>(n))
                           : ctx.today + days{n * day_unit};
    return p;
}

namespace {

// Hour and optional minutes written "14h30", "14h", "14 h 30", "14 heures", "14:30",
// "9am", "2:30 pm", "9 a.m.". Returns the index after, or 0.
std::size_t clock_time(const token_cursor& c, std::size_t i, bool fr, piece& p, bool& spelled) {
    std::string_view w = c.word(i);
    std::size_t n = 0;
    while (n < w.size() && n < 3 && w[n] >= '0' && w[n] <= '9') ++n;
    if (n == 0 || n > 2) return 0;
    const long h = digits_value(w.substr(0, n));
    std::string_view rest = w.substr(n);
    std::size_t k = i + 1;
    long m = -1;
    int meridiem = 0;   // 1 am, 2 pm
    bool unit = false;  // "h", "heures", ":" or am/pm seen
    auto read_meridiem = [&](std::string_view s) {
        if (s == "am")
            meridiem = 1;
        else if (s == "pm")
            meridiem = 2;
        return meridiem != 0;
    };
    if (!rest.empty()) {
        if (rest[0] == 'h') {  // "14h" or "14h30"
            unit = true;
            const std::string_view mins = rest.substr(1);
            if (!mins.empty()) {
                if (mins.size() != 2 || digits_value(mins) < 0) return 0;
                m = digits_value(mins);
            }
        } else if (!read_meridiem(rest)) {
            return 0;
        } else {
            unit = true;
        }
    } else if (c.is(k, "h") || c.is(k, "heure") || c.is(k, "heures") ||
               (!fr && (c.is(k, "o") && c.is(k + 1, "'") && c.is(k + 2, "clock")))) {
        unit = true;
        spelled = c.is(k, "heure") || c.is(k, "heures");
        k = c.is(k, "o") ? k + 3 : k + 1;
        if (c.digits(k) && c.word(k).size() == 2) {
            m = digits_value(c.word(k));
            ++k;
        }
    } else if ((c.is(k, ":") || c.is(k, ".")) && c.glued(k) && c.glued(k + 1)) {
        // "14:30"; "12.30", "6.30pm" too, but a number with a dot is a time only after "à",
        // "at"… or with am/pm (not "2.50 €"): said as `spelled`, which asks for that.
        const bool dot = c.is(k, ".");
        std::string_view mins = c.word(k + 1);
        if (mins.size() < 2) return 0;
        if (mins.size() == 4 && read_meridiem(mins.substr(2))) mins = mins.substr(0, 2);
        if (mins.size() != 2 || digits_value(mins) < 0) return 0;
        m = digits_value(mins);
        unit = true;
        spelled = dot && meridiem == 0;
        k += 2;
    }
    if (!fr && meridiem == 0) {
        if (c.is(k, "am") || c.is(k, "pm")) {
            read_meridiem(c.word(k));
            ++k;
            unit = true;
        } else if (c.phrase(k, {"a"}) && c.is(k + 1, ".") && c.is(k + 2, "m")) {
            meridiem = 1;
            k += 3;
            unit = true;
        } else if (c.phrase(k, {"p"}) && c.is(k + 1, ".") && c.is(k + 2, "m")) {
            meridiem = 2;
            k += 3;
            unit = true;
        }
        if (meridiem != 0 && c.is(k, ".") && c.glued(k)) ++k;
        if (meridiem != 0) spelled = false;
    }
    if (m > 59) return 0;
    if (meridiem != 0 ? (h < 1 || h > 12) : h > 23) return 0;
    p.hour = static_cast<int>(h);
    if (meridiem == 2 && h < 12) p.hour += 12;
    if (meridiem == 1 && h == 12) p.hour = 0;
    p.meridiem = meridiem != 0;
    p.minute = m < 0 ? 0 : static_cast<int>(m);
    p.has_minutes = m >= 0;
    p.bare = !unit;
    return k;
}

}  // namespace

namespace {

// "9h à 12h", "9h-12h", "14h jusqu'à 16h30", "9am to 5pm", "2-4pm", and after "entre" /
// "between" (`between`): "12h et 14h", "midi et deux", "12 and 2pm": sets the end of the
// interval on `p` and returns the index after it, or `k` unchanged.
std::size_t interval_end(const token_cursor& c, std::size_t k, bool fr, piece& p,
                         bool between = false) {
    std::size_t j = 0;
    if (between && c.is(k, fr ? "et" : "and")) {
        j = k + 1;
        // "entre midi et deux", "entre 12h et 2": the afternoon's two o'clock
        if (fr && c.is(j, "deux") && p.hour >= 11 && p.hour <= 13) {
            p.end_hour = 14;
            p.end_minute = 0;
            return j + 1;
        }
    } else if (c.is(k, "-"))
        j = k + 1;
    else if (fr && c.is(k, "a"))
        j = k + 1;
    else if (fr && c.phrase(k, {"jusqu", "a"}))
        j = c.phrase(k, {"jusqu", "a"});
    else if (!fr && (c.is(k, "to") || c.is(k, "until") || c.is(k, "till")))
        j = k + 1;
    if (j == 0) return k;
    piece end;
    bool spelled = false;
    const std::size_t after = clock_time(c, j, fr, end, spelled);
    if (after == 0) return k;
    if (end.bare) {
        if (!between || end.hour == 0 || end.hour + 12 <= p.hour || end.hour > 12) return k;
        if (end.hour <= p.hour) end.hour += 12;  // "entre 12h et 2"
    }
    // "2-4pm": the end's pm applies to a start without am/pm when it keeps the order.
    if (!p.meridiem && end.meridiem && end.hour >= 12 && p.hour < 12 && p.hour + 12 < end.hour) {
        p.hour += 12;
    }
    p.end_hour = end.hour;
    p.end_minute = end.minute;
    return after;
}

}  // namespace

opt_piece time_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                     const dt_context& ctx) {
    piece p;
    p.kind = piece_kind::time;
    p.first = i;
    std::size_t k = 0;
    const bool between = prefix == (ctx.fr ? "entre" : "between");
    // ("bon après-midi" written "bon apres midi": a greeting, whose "midi" is no noon.)
    if (ctx.fr && c.is(i, "midi") && i > 0 && c.is(i - 1, "apres")) return std::nullopt;
    if (ctx.fr && (c.is(i, "midi") || c.is(i, "minuit"))) {
        p.hour = c.is(i, "midi") ? 12 : 0;
        p.has_minutes = true;
        p.meridiem = true;
        k = i + 1;
        if (std::size_t j = c.phrase(k, {"et", "demi"}); j || (j = c.phrase(k, {"et", "demie"}))) {
            p.minute = 30;
            k = j;
        } else if (std::size_t q = c.phrase(k, {"et", "quart"})) {
            p.minute = 15;
            k = q;
        }
        k = interval_end(c, k, true, p, between);
    } else if (!ctx.fr && (c.is(i, "noon") || c.is(i, "midnight"))) {
        p.hour = c.is(i, "noon") ? 12 : 0;
        p.has_minutes = true;
        p.meridiem = true;
        k = interval_end(c, i + 1, false, p, between);
    } else {
        bool spelled = false;
        k = clock_time(c, i, ctx.fr, p, spelled);
        if (k == 0) return std::nullopt;
        // "2 heures" is most often a duration ("j'ai attendu 2 heures"); "à 14 heures" a time.
        if (spelled && prefix.empty()) return std::nullopt;
        // "2-4pm", "10 to 11:30am": a bare start is a time when the end carries am/pm.
        bool end_has_meridiem = false;
        if (p.bare &&
            (c.is(k, "-") || c.is(k, "to") || (between && c.is(k, ctx.fr ? "et" : "and")))) {
            piece end;
            bool unused = false;
            // "entre 12 et 14h": a bare start is a time when the end has its unit
            end_has_meridiem = clock_time(c, k + 1, ctx.fr, end, unused) != 0 &&
                               (ctx.fr ? between && !end.bare : end.meridiem || between);
        }
        if (p.bare && !end_has_meridiem) {
            // A bare number is a time only in English after "at"/"around"/"by", and only
            // when nothing but punctuation or a date word follows ("at 9", "at 9 tomorrow",
            // not "at 3 locations").
            if (ctx.fr || !(prefix == "at" || prefix == "around" || prefix == "by"))
                return std::nullopt;
            const std::string_view next = c.word(k);
            static constexpr std::array<std::string_view, 10> ok{
                "", "on", "today", "tomorrow", "tonight", "this", "next", "in", "and", "please"};
            bool fine = c.punct(k) || weekday_of(next, false) >= 0;
            for (std::string_view w : ok) fine = fine || next == w;
            if (!fine) return std::nullopt;
        }
        // "9h du matin", "8h du soir", "3h de l'après-midi"
        if (ctx.fr && !p.meridiem) {
            if (std::size_t j = c.phrase(k, {"du", "matin"})) {
                p.meridiem = true;
                k = j;
            } else if ((j = c.phrase(k, {"du", "soir"})) ||
                       (j = c.phrase(k, {"de", "l", "apres", "midi"}))) {
                if (p.hour < 12) p.hour += 12;
                p.meridiem = true;
                k = j;
            }
        } else if (!ctx.fr && !p.meridiem) {
            if (std::size_t j = c.phrase(k, {"in", "the", "morning"})) {
                p.meridiem = true;
                k = j;
            } else if ((j = c.phrase(k, {"in", "the", "afternoon"})) ||
                       (j = c.phrase(k, {"in", "the", "evening"}))) {
                if (p.hour < 12) p.hour += 12;
                p.meridiem = true;
                k = j;
            }
        }
        k = interval_end(c, k, ctx.fr, p, between);
    }
    if (between && p.end_hour < 0) return std::nullopt;  // "entre 9h et…": not a time alone
    p.last = k;
    return p;
}

}  // namespace guichet::entities
