// The grammar of date and time fragments ("demain", "samedi prochain", "le 3 mai",
// "14h30", "at 2:30 pm", "ce soir", "dans 2 heures", "lundi de Pâques", ...). Each parser
// reads tokens from one position and returns a piece; datetime.cpp combines pieces.
// Hand-written (see datetime.h for why).
#include <algorithm>
#include <array>
#include <span>
#include <string>

#include "entities/datetime.h"
#include "hours/holidays.h"

namespace guichet::entities {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

using opt_piece = std::optional<piece>;

piece make_day(std::size_t first, std::size_t last, sys_days d) {
    piece p;
    p.kind = piece_kind::day;
    p.first = first;
    p.last = last;
    p.day = d;
    return p;
}

piece make_span(piece_kind kind, std::size_t first, std::size_t last, std::int64_t start,
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

void keep_longest(opt_piece& best, opt_piece candidate) {
    if (candidate && (!best || candidate->last > best->last)) best = candidate;
}

// Day and month without a year: the next occurrence, today included.
std::optional<sys_days> next_date(int month, int day, int year, const dt_context& ctx) {
    using namespace std::chrono;
    if (year > 0) {
        const year_month_day ymd{std::chrono::year{year},
                                 std::chrono::month(static_cast<unsigned>(month)),
                                 std::chrono::day(static_cast<unsigned>(day))};
        if (!ymd.ok()) return std::nullopt;
        return sys_days{ymd};
    }
    const int this_year = static_cast<int>(year_month_day{ctx.today}.year());
    for (int y = this_year; y < this_year + 8; ++y) {  // 8 years: always reaches a 29 Feb
        const year_month_day ymd{std::chrono::year{y},
                                 std::chrono::month(static_cast<unsigned>(month)),
                                 std::chrono::day(static_cast<unsigned>(day))};
        if (ymd.ok() && sys_days{ymd} >= ctx.today) return sys_days{ymd};
    }
    return std::nullopt;
}

int weekday_index(sys_days d) { return static_cast<int>(std::chrono::weekday{d}.c_encoding()); }

// A four-digit year after a date ("le 3 mai 2027", "May 3, 2027").
int year_at(const token_cursor& c, std::size_t& k) {
    std::size_t j = k;
    if (c.is(j, ",")) ++j;
    if (c.digits(j) && c.word(j).size() == 4) {
        const long y = digits_value(c.word(j));
        if (y >= 1900 && y <= 2200) {
            k = j + 1;
            return static_cast<int>(y);
        }
    }
    return 0;
}

opt_piece relative_day(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    struct rel {
        std::initializer_list<std::string_view> words;
        int offset;
    };
    // With the spellings typed on phones ("ojourdui", "demin").
    static const std::array<rel, 19> fr{{{{"aujourd", "hui"}, 0},
                                         {{"aujourdhui"}, 0},
                                         {{"auj"}, 0},
                                         {{"ajd"}, 0},
                                         {{"ojd"}, 0},
                                         {{"ojourdui"}, 0},
                                         {{"aujourdui"}, 0},
                                         {{"demain"}, 1},
                                         {{"demin"}, 1},
                                         {{"dem1"}, 1},
                                         {{"dmain"}, 1},
                                         {{"dmn"}, 1},
                                         {{"apres", "demain"}, 2},
                                         {{"apresdemain"}, 2},
                                         {{"hier"}, -1},
                                         {{"avant", "hier"}, -2},
                                         {{"avanthier"}, -2},
                                         {{"2main"}, 1},
                                         {{"2m1"}, 1}}};
    static const std::array<rel, 18> en{{{{"today"}, 0},
                                         {{"2day"}, 0},
                                         {{"tomorrow"}, 1},
                                         {{"tomorow"}, 1},
                                         {{"tommorow"}, 1},
                                         {{"tommorrow"}, 1},
                                         {{"tmrw"}, 1},
                                         {{"tmr"}, 1},
                                         {{"2moro"}, 1},
                                         {{"2morow"}, 1},
                                         {{"2morrow"}, 1},
                                         {{"tonite"}, 0},
                                         {{"2nite"}, 0},
                                         {{"yesterday"}, -1},
                                         {{"day", "after", "tomorrow"}, 2},
                                         {{"day", "before", "yesterday"}, -2},
                                         {{"tonight"}, 0},
                                         {{"tomorrows"}, 1}}};
    opt_piece best;
    const std::string_view w = c.word(i);
    auto scan = [&](const auto& table) {
        for (const rel& r : table) {
            if (*r.words.begin() != w) continue;  // most words start none of them
            const std::size_t k = c.phrase(i, r.words);
            if (k != 0) keep_longest(best, make_day(i, k, ctx.today + days{r.offset}));
        }
    };
    if (ctx.fr)
        scan(fr);
    else
        scan(en);
    // "le lendemain", "the day after", "the next day": the day after the one talked about
    // (today's tomorrow when none was).
    std::size_t k = 0;
    if (ctx.fr ? w == "lendemain" : w == "day" || w == "next")  // (asked at every word)
        k = ctx.fr                          ? i + 1
            : c.phrase(i, {"day", "after"}) ? c.phrase(i, {"day", "after"})
                                            : c.phrase(i, {"next", "day"});
    if (k != 0 && (!best || best->last <= k)) {
        piece p = make_day(i, k, ctx.today + days{1});
        p.follow_days = 1;
        keep_longest(best, p);
    }
    // "tonight" is today's evening: make it a part of day on its own.
    if (best && !ctx.fr && (c.is(i, "tonight") || c.is(i, "tonite") || c.is(i, "2nite"))) {
        piece p;
        p.kind = piece_kind::part_of_day;
        p.first = i;
        p.last = i + 1;
        p.part = day_part::evening;
        p.today = true;
        return p;
    }
    return best;
}

opt_piece now_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    std::size_t k = 0;
    if (ctx.fr) {
        k = c.phrase(i, {"maintenant"});
        if (!k) k = c.phrase(i, {"tout", "de", "suite"});
        if (!k) k = c.phrase(i, {"immediatement"});
    } else {
        k = c.phrase(i, {"right", "now"});
        if (!k) k = c.phrase(i, {"now"});
        if (!k) k = c.phrase(i, {"immediately"});
    }
    if (!k) return std::nullopt;
    return make_span(piece_kind::instant, i, k, ctx.now, ctx.now + 60, "instant");
}

opt_piece part_of_day(const token_cursor& c, std::size_t i, std::string_view prefix,
                      const dt_context& ctx) {
    struct pod {
        std::initializer_list<std::string_view> words;
        day_part part;
    };
    static const std::array<pod, 11> fr{{{{"matin"}, day_part::morning},
                                         {{"pause", "dejeuner"}, day_part::noon},
                                         {{"heure", "du", "dejeuner"}, day_part::noon},
                                         {{"matinee"}, day_part::morning},
                                         {{"apres", "midi"}, day_part::afternoon},
                                         {{"apresmidi"}, day_part::afternoon},
                                         {{"aprem"}, day_part::afternoon},
                                         {{"soir"}, day_part::evening},
                                         {{"soiree"}, day_part::evening},
                                         {{"nuit"}, day_part::night},
                                         {{"midi"}, day_part::noon}}};
    static const std::array<pod, 8> en{{{{"morning"}, day_part::morning},
                                        {{"afternoon"}, day_part::afternoon},
                                        {{"evening"}, day_part::evening},
                                        {{"night"}, day_part::night},
                                        {{"midday"}, day_part::noon},
                                        {{"lunchtime"}, day_part::noon},
                                        {{"lunch", "time"}, day_part::noon},
                                        {{"lunch"}, day_part::noon}}};
    // "Good morning, is the pool open on Sunday?", "bonne soirée", "bon après-midi": a greeting,
    // no part of the day asked about (it replaced the day asked).
    if (i > 0) {
        const std::string_view before = c.word(i - 1);
        if (before == "good" || before == "bon" || before == "bonne") return std::nullopt;
    }
    opt_piece best;
    const std::string_view w = c.word(i);
    auto scan = [&](const auto& table) {
        for (const pod& d : table) {
            if (*d.words.begin() != w) continue;  // most words start none of them
            const std::size_t k = c.phrase(i, d.words);
            if (k == 0) continue;
            // "midi" alone is the time 12:00; only "ce midi" is the lunch break.
            if (d.part == day_part::noon && ctx.fr && w == "midi" && prefix != "ce") continue;
            piece p;
            p.kind = piece_kind::part_of_day;
            p.first = i;
            p.last = k;
            p.part = d.part;
            p.today = prefix == "ce" || prefix == "cet" || prefix == "cette" || prefix == "this";
            keep_longest(best, p);
        }
    };
    if (ctx.fr)
        scan(fr);
    else
        scan(en);
    // "the 24th pm", "on the 26th am": after a day of the month only ("I am", "am I…").
    if (!best && !ctx.fr && (w == "am" || w == "pm") && i > 0 && day_number(c.word(i - 1)) > 0) {
        piece p;
        p.kind = piece_kind::part_of_day;
        p.first = i;
        p.last = i + 1;
        p.part = w == "am" ? day_part::morning : day_part::afternoon;
        best = p;
    }
    return best;
}

// A weekday written short: "sam", "dim" (French, where nothing else is meant by them); in
// English "sat", "sun", "mon"… only where a day is expected — after "on", "this", "next",
// "open", before a part of the day or at the end ("open on sat", "dump open sun?", "sat
// morning"), not "I sat down", "the sun is out".
int short_weekday(const token_cursor& c, std::size_t k, bool fr) {
    const std::string_view w = c.word(k);
    if (fr) return w == "sam" ? 6 : w == "dim" ? 0 : -1;
    static constexpr std::array<std::pair<std::string_view, int>, 10> en{{{"sun", 0},
                                                                          {"mon", 1},
                                                                          {"tue", 2},
                                                                          {"tues", 2},
                                                                          {"wed", 3},
                                                                          {"thu", 4},
                                                                          {"thurs", 4},
                                                                          {"fri", 5},
                                                                          {"sat", 6},
                                                                          {"thur", 4}}};
    int wd = -1;
    for (const auto& [name, v] : en)
        if (name == w) wd = v;
    if (wd < 0) return -1;
    const std::string_view before = k > 0 ? c.word(k - 1) : std::string_view{};
    const std::string_view after = c.word(k + 1);
    const bool expected = before == "on" || before == "this" || before == "next" ||
                          before == "open" || before == "until" || before == "till" ||
                          after == "morning" || after == "afternoon" || after == "evening" ||
                          after == "night" || k + 1 >= c.size() || c.is(k + 1, "?");
    return expected ? wd : -1;
}

opt_piece weekday_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    std::size_t k = i;
    int direction = 0;  // 1: strictly after today ("samedi prochain"), -1: before
    if (!ctx.fr) {
        if (c.is(k, "next")) {
            direction = 1;
            ++k;
        } else if (c.is(k, "last")) {
            direction = -1;
            ++k;
        }
    }
    int wd = weekday_of(c.word(k), ctx.fr);
    if (wd < 0) wd = short_weekday(c, k, ctx.fr);
    if (wd < 0) return std::nullopt;
    ++k;
    if (c.is(k, ".") && c.glued(k)) ++k;  // "sam."
    if (ctx.fr) {
        if (c.is(k, "prochain") || c.is(k, "prochaine") || c.is(k, "pro") || c.is(k, "proch")) {
            direction = 1;
            ++k;
        } else if (c.phrase(k, {"qui", "vient"})) {
            direction = 1;
            k += 2;
        } else if (c.is(k, "dernier")) {
            direction = -1;
            ++k;
        }
    }
    const int today = weekday_index(ctx.today);
    int delta = (wd - today + 7) % 7;
    if (direction > 0 && delta == 0) delta = 7;
    if (direction < 0) delta = delta == 0 ? -7 : delta - 7;
    piece p = make_day(i, k, ctx.today + days{delta});
    if (direction == 0) p.weekday = wd;
    return p;
}

// What may follow a day of the month said alone ("le 31 ?", "le 12 au soir", "samedi 12 à
// 10 h"): the end, punctuation that ends a phrase, or a word of time; not "le 1er étage",
// "le 31/02", "appeler le 18 pour…".
bool ends_a_day_alone(const token_cursor& c, std::size_t j) {
    if (j >= c.size()) return true;
    if (c.punct(j)) return c.is(j, "?") || c.is(j, "!") || c.is(j, ",") || c.is(j, ".");
    static constexpr std::string_view time_words[] = {
        "a", "au", "matin", "soir", "apres", "midi", "et", "ou", "vers", "entre",  // folded
        "aprem", "apresmidi", "matinee", "soiree", "dans",
        "at", "in", "morning", "evening", "afternoon", "and", "or", "around", "between",
        "am", "pm", "night", "lunchtime"};
    return std::find(std::begin(time_words), std::end(time_words), c.word(j)) !=
           std::end(time_words);
}

opt_piece explicit_date(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    opt_piece best;
    std::size_t k = i;
    if (weekday_of(c.word(k), ctx.fr) >= 0) ++k;  // "lundi 3 mai": the date decides
    if (c.is(k, ",")) ++k;
    if (c.is(k, "the")) ++k;
    // day month [year]: "3 mai", "1er janvier 2027", "3rd of May"; the day in words before a
    // month: "le onze novembre", "le premier mai", "the first of May"
    int said_day = day_number(c.word(k));
    std::size_t after_day = k + 1;
    if (said_day == 0) {
        if (c.is(k, ctx.fr ? "premier" : "first")) {
            said_day = 1;
        } else if (auto n = number_words(c, k, ctx.fr, false); n && n->value <= 31) {
            said_day = static_cast<int>(n->value);
            after_day = n->end;
        }
        const std::size_t m = after_day + (!ctx.fr && c.is(after_day, "of") ? 1 : 0);
        if (month_of(c.word(m), ctx.fr) <= 0) said_day = 0;
    }
    if (const int d = said_day; d > 0) {
        std::size_t j = after_day;
        if (!ctx.fr && c.is(j, "of")) ++j;
        if (const int m = month_of(c.word(j), ctx.fr); m > 0) {
            ++j;
            if (c.is(j, ".")) ++j;
            const int y = year_at(c, j);
            if (auto day = next_date(m, d, y, ctx)) keep_longest(best, make_day(i, j, *day));
        }
    }
    // A day of the month alone, after "le", "the" or a weekday: "le 31 au soir", "samedi 12",
    // "on the 15th"; an English ordinal after "on" too ("and on 24th?"). The next such day, this
    // month or the following ones; after a weekday, the next that falls on it ("vendredi 1er" in
    // December is 1 January, "mardi 5" on a Saturday the 5th is 5 January), else the next such day.
    // An ordinal after a weekday needs no time word after it ("friday 1st on rue Pasteur").
    const int said_weekday = k > i ? weekday_of(c.word(i), ctx.fr) : -1;
    if (const int d = day_number(c.word(k));
        d > 0 &&
        (ends_a_day_alone(c, k + 1) || (said_weekday >= 0 && !c.digits(k))) &&
        (k > i || (i > 0 && (c.is(i - 1, "le") || c.is(i - 1, "the"))) ||
         (!ctx.fr && i > 0 && c.is(i - 1, "on") && !c.digits(k)) ||  // "and on 24th?"
         // "and 31?", "et 31 ?": a whole message of a follow-up, the day alone after "and"
         (k == 1 && (c.is(0, "and") || c.is(0, "et")) &&
          (k + 1 == c.size() || (k + 2 == c.size() && c.punct(k + 1)))))) {
        const year_month_day today{ctx.today};
        std::optional<sys_days> first, on_weekday;
        for (int ahead = 0; ahead < 12 && !on_weekday; ++ahead) {
            const auto ym = std::chrono::year_month{today.year(), today.month()} +
                            std::chrono::months{ahead};
            const year_month_day ymd{ym / std::chrono::day(static_cast<unsigned>(d))};
            if (!ymd.ok() || sys_days{ymd} < ctx.today) continue;
            if (!first) first = sys_days{ymd};
            if (said_weekday < 0 || weekday_index(sys_days{ymd}) == said_weekday) on_weekday = sys_days{ymd};
        }
        if (auto day = on_weekday ? on_weekday : first) {
            piece p = make_day(i, k + 1, *day);
            p.day_of_month_alone = said_weekday < 0;
            keep_longest(best, p);
        }
    }
    // English month day [year]: "May 3", "May 3rd, 2027", "Dec. 26"
    if (!ctx.fr) {
        if (const int m = month_of(c.word(k), false); m > 0) {
            std::size_t j = k + 1;
            if (c.is(j, ".") && c.glued(j) && c.word(k).size() <= 4) ++j;  // an abbreviation's stop
            if (c.is(j, "the")) ++j;
            if (const int d = day_number(c.word(j)); d > 0) {
                ++j;
                const int y = year_at(c, j);
                if (auto day = next_date(m, d, y, ctx)) keep_longest(best, make_day(i, j, *day));
            }
        }
    }
    // Numeric, day first in both languages (a French town hall): "3/05", "03/05/2027"; in
    // English, month first when the day first cannot be ("12/24": no 24th month).
    if (c.digits(k) && c.word(k).size() <= 2 && c.is(k + 1, "/") && c.glued(k + 1) &&
        c.digits(k + 2) && c.glued(k + 2) && c.word(k + 2).size() <= 2) {
        long d = digits_value(c.word(k)), m = digits_value(c.word(k + 2));
        if (!ctx.fr && m > 12 && m <= 31 && d >= 1 && d <= 12) std::swap(d, m);
        std::size_t j = k + 3;
        long y = 0;
        if (c.is(j, "/") && c.glued(j) && c.digits(j + 1) && c.glued(j + 1)) {
            const std::string_view ys = c.word(j + 1);
            if (ys.size() == 4)
                y = digits_value(ys);
            else if (ys.size() == 2)
                y = 2000 + digits_value(ys);
            if (y > 0) j += 2;
        }
        // A further "/digits" means something else (a fraction list, a path).
        const bool more = c.glued(j) && (c.is(j, "/") || c.digits(j));
        if (!more && m >= 1 && m <= 12 && d >= 1 && d <= 31)
            if (auto day =
                    next_date(static_cast<int>(m), static_cast<int>(d), static_cast<int>(y), ctx))
                keep_longest(best, make_day(i, j, *day));
    }
    // ISO 8601 date: "2026-05-03"
    if (c.digits(k) && c.word(k).size() == 4 && c.is(k + 1, "-") && c.glued(k + 1) &&
        c.digits(k + 2) && c.glued(k + 2) && c.word(k + 2).size() == 2 && c.is(k + 3, "-") &&
        c.glued(k + 3) && c.digits(k + 4) && c.glued(k + 4) && c.word(k + 4).size() == 2) {
        const long y = digits_value(c.word(k)), m = digits_value(c.word(k + 2)),
                   d = digits_value(c.word(k + 4));
        if (y >= 1900 && m >= 1 && m <= 12 && d >= 1)
            if (auto day =
                    next_date(static_cast<int>(m), static_cast<int>(d), static_cast<int>(y), ctx))
                keep_longest(best, make_day(i, k + 5, *day));
    }
    return best;
}

std::optional<year_month_day> holiday_date(std::string_view key, int year, const dt_context& ctx) {
    // The eves are no public holidays, but named days all the same; so is Boxing Day (26
    // December, a holiday in Alsace-Moselle only), which names no city as "la Saint-Étienne" may.
    if (key == "christmas_eve" || key == "new_years_eve" || key == "boxing_day")
        return year_month_day{std::chrono::year{year}, std::chrono::December,
                              std::chrono::day{key == "christmas_eve" ? 24u
                                               : key == "boxing_day"  ? 26u
                                                                      : 31u}};
    if (key == "easter" || key == "pentecost" || key == "good_friday") {
        const sys_days easter{hours::easter_sunday(year)};
        const int offset = key == "easter" ? 0 : key == "pentecost" ? 49 : -2;
        return year_month_day{easter + days{offset}};
    }
    for (const hours::holiday& h : hours::french_holidays(year, ctx.alsace_moselle))
        if (h.key == key) return h.date;
    return std::nullopt;
}

opt_piece holiday_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    struct named {
        std::initializer_list<std::string_view> words;
        std::string_view key;
    };
    static const std::array<named, 23> fr{{{{"lundi", "de", "paques"}, "easter_monday"},
                                           {{"dimanche", "de", "paques"}, "easter"},
                                           {{"paques"}, "easter"},
                                           {{"jeudi", "de", "l", "ascension"}, "ascension"},
                                           {{"ascension"}, "ascension"},
                                           {{"lundi", "de", "pentecote"}, "whit_monday"},
                                           {{"pentecote"}, "pentecost"},
                                           {{"noel"}, "christmas"},
                                           {{"jour", "de", "l", "an"}, "new_year"},
                                           {{"nouvel", "an"}, "new_year"},
                                           {{"toussaint"}, "all_saints"},
                                           {{"fete", "du", "travail"}, "labour_day"},
                                           {{"fete", "nationale"}, "national_day"},
                                           {{"assomption"}, "assumption"},
                                           {{"armistice"}, "armistice"},
                                           {{"vendredi", "saint"}, "good_friday"},
                                           {{"jour", "de", "noel"}, "christmas"},
                                           {{"saint", "etienne"}, "st_stephen"},
                                           {{"veille", "de", "noel"}, "christmas_eve"},
                                           {{"reveillon", "de", "noel"}, "christmas_eve"},
                                           {{"saint", "sylvestre"}, "new_years_eve"},
                                           {{"reveillon", "du", "nouvel", "an"}, "new_years_eve"},
                                           {{"veille", "du", "jour", "de", "l", "an"}, "new_years_eve"}}};
    static const std::array<named, 32> en{
        {{{"easter", "monday"}, "easter_monday"},
         {{"easter", "sunday"}, "easter"},
         {{"easter"}, "easter"},
         {{"christmas", "day"}, "christmas"},
         {{"christmas"}, "christmas"},
         {{"xmas"}, "christmas"},
         {{"new", "year", "s", "day"}, "new_year"},
         {{"new", "years", "day"}, "new_year"},
         {{"new", "year", "s"}, "new_year"},
         {{"new", "years"}, "new_year"},
         {{"new", "year"}, "new_year"},  // "between Christmas and New Year"
         {{"ascension", "day"}, "ascension"},
         {{"ascension"}, "ascension"},
         {{"whit", "monday"}, "whit_monday"},
         {{"pentecost", "monday"}, "whit_monday"},
         {{"pentecost"}, "pentecost"},
         {{"all", "saints", "day"}, "all_saints"},
         {{"all", "saints", "s", "day"}, "all_saints"},
         {{"bastille", "day"}, "national_day"},
         {{"labour", "day"}, "labour_day"},
         {{"labor", "day"}, "labour_day"},
         {{"may", "day"}, "labour_day"},
         {{"armistice", "day"}, "armistice"},
         {{"good", "friday"}, "good_friday"},
         {{"assumption", "day"}, "assumption"},
         {{"ve", "day"}, "victory_1945"},
         {{"st", "stephen", "s", "day"}, "st_stephen"},
         {{"boxing", "day"}, "boxing_day"},
         {{"christmas", "eve"}, "christmas_eve"},
         {{"xmas", "eve"}, "christmas_eve"},
         {{"new", "year", "s", "eve"}, "new_years_eve"},
         {{"new", "years", "eve"}, "new_years_eve"}}};
    std::size_t best_end = 0;
    std::string_view best_key;
    const std::string_view w = c.word(i);
    auto scan = [&](const auto& table) {
        for (const named& n : table) {
            if (*n.words.begin() != w) continue;  // most words start no holiday's name
            const std::size_t k = c.phrase(i, n.words);
            if (k > best_end) {
                best_end = k;
                best_key = n.key;
            }
        }
    };
    // "joyeux Noël", "happy new year": wishes, no date.
    if (i > 0 && (c.is(i - 1, "joyeux") || c.is(i - 1, "merry") || c.is(i - 1, "happy")))
        return std::nullopt;
    if (ctx.fr)
        scan(fr);
    else
        scan(en);
    if (best_end == 0) return std::nullopt;
    std::size_t j = best_end;
    const int given = year_at(c, j);
    const int this_year = static_cast<int>(year_month_day{ctx.today}.year());
    for (int y = given ? given : this_year; y <= (given ? given : this_year + 1); ++y) {
        const auto d = holiday_date(best_key, y, ctx);
        if (d && (given || sys_days{*d} >= ctx.today)) return make_day(i, j, sys_days{*d});
    }
    return std::nullopt;
}

// The end of the longest of `phrases` said from token i, or 0.
std::size_t longest_phrase(const token_cursor& c, std::size_t i,
                           std::span<const std::initializer_list<std::string_view>> phrases) {
    std::size_t k = 0;
    for (const auto& words : phrases) k = std::max(k, c.phrase(i, words));
    return k;
}

// "les fêtes (de fin d'année)", "the festive season": Christmas Eve to New Year's Day, the
// coming one (or the one under way), as days to list one by one. "Les vacances de Noël" are
// the town's school holidays Christmas Day falls in; without the school calendar, the days
// around Christmas whose hours change too (rather than Christmas Day alone).
opt_piece festive_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    static const std::initializer_list<std::string_view> fr[] = {
        {"fetes", "de", "fin", "d", "annee"},
        {"fetes", "de", "fin", "de", "l", "annee"},
        {"les", "fetes", "de", "fin", "d", "annee"},
        {"les", "fetes", "de", "fin", "de", "l", "annee"},
        {"les", "fetes"},
        {"periode", "des", "fetes"},
        {"vacances", "de", "noel"},
        {"les", "vacances", "de", "noel"}};
    static const std::initializer_list<std::string_view> en[] = {
        {"festive", "season"},     {"the", "festive", "period"},     {"over", "the", "holidays"},
        {"christmas", "holidays"}, {"the", "christmas", "holidays"}, {"christmas", "break"}};
    const std::string_view w = c.word(i);  // most words start none of them
    if (w != "fetes" && w != "les" && w != "periode" && w != "festive" && w != "the" &&
        w != "over" && w != "vacances" && w != "christmas")
        return std::nullopt;
    const std::size_t k = ctx.fr ? longest_phrase(c, i, fr) : longest_phrase(c, i, en);
    if (k == 0) return std::nullopt;
    const year_month_day today{ctx.today};
    int y = static_cast<int>(today.year());
    if (today.month() == std::chrono::January && today.day() == std::chrono::day{1}) --y;
    const sys_days eve{std::chrono::year{y} / std::chrono::December / 24};
    sys_days first = eve, after = eve + days{9};  // to the end of 1 January
    bool school = false;
    for (std::size_t n = i; n < k; ++n)
        school = school || c.word(n) == "vacances" || c.word(n) == "holidays" || c.word(n) == "break";
    if (school)
        for (const auto& h : ctx.school_holidays)
            if (const auto christmas = (eve + days{1}).time_since_epoch().count();
                h.first_day <= christmas && christmas <= h.last_day) {
                first = sys_days{days{h.first_day}};
                after = sys_days{days{h.last_day + 1}};
            }
    piece p;
    p.kind = piece_kind::range;
    p.first = i;
    p.last = k;
    p.start = ctx.clock.from_local(first, 0);
    p.stop = ctx.clock.from_local(after, 0);
    p.grain = "days";
    return p;
}

// "pendant les vacances", "les vacances scolaires", "the school holidays": the town's school
// holidays under way, else the next ones (knowledge/school_holidays.yaml), from today. Without
// the calendar, or after its last period, no date: the hours plugin says it does not know them.
// A named period other than Christmas ("vacances d'hiver", festive_piece takes "de Noël") is
// not guessed.
opt_piece school_holidays_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    static const std::initializer_list<std::string_view> fr[] = {
        {"vacances"},
        {"vacances", "scolaires"},
        {"les", "vacances"},
        {"les", "vacances", "scolaires"},
        {"les", "prochaines", "vacances"},
        {"prochaines", "vacances"},
        {"les", "prochaines", "vacances", "scolaires"},
        {"prochaines", "vacances", "scolaires"}};
    static const std::initializer_list<std::string_view> en[] = {
        {"school", "holidays"},        {"the", "school", "holidays"},
        {"next", "school", "holidays"}, {"the", "next", "school", "holidays"},
        {"school", "vacation"},        {"half", "term"},
        {"the", "half", "term"}};
    if (ctx.school_holidays.empty()) return std::nullopt;
    const std::string_view w = c.word(i);  // most words start none of them
    if (w != "vacances" && w != "les" && w != "prochaines" && w != "school" && w != "the" &&
        w != "next" && w != "half")
        return std::nullopt;
    const std::size_t k = ctx.fr ? longest_phrase(c, i, fr) : longest_phrase(c, i, en);
    if (k == 0) return std::nullopt;
    if (c.is(k, "de") || c.is(k, "d") || c.is(k, "du")) return std::nullopt;  // a named period
    const auto today = ctx.today.time_since_epoch().count();
    const hours::school_holiday* next = nullptr;
    for (const auto& h : ctx.school_holidays)
        if (h.last_day >= today && (!next || h.first_day < next->first_day)) next = &h;
    if (!next) return std::nullopt;
    piece p;
    p.kind = piece_kind::range;
    p.first = i;
    p.last = k;
    p.start = ctx.clock.from_local(sys_days{days{std::max(next->first_day, today)}}, 0);
    p.stop = ctx.clock.from_local(sys_days{days{next->last_day + 1}}, 0);
    p.grain = "days";
    return p;
}

}  // namespace

// Defined in datetime_ranges.cpp: weekends, weeks, months, "dans 2 heures", clock times.
opt_piece range_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                      const dt_context& ctx);
opt_piece offset_piece(const token_cursor& c, std::size_t i, const dt_context& ctx);
opt_piece month_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                      const dt_context& ctx);
opt_piece time_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                     const dt_context& ctx);

namespace {

opt_piece core_piece(const token_cursor& c, std::size_t i, std::string_view prefix,
                     const dt_context& ctx) {
    opt_piece best;
    keep_longest(best, relative_day(c, i, ctx));
    keep_longest(best, now_piece(c, i, ctx));
    keep_longest(best, part_of_day(c, i, prefix, ctx));
    keep_longest(best, weekday_piece(c, i, ctx));
    keep_longest(best, explicit_date(c, i, ctx));
    keep_longest(best, holiday_piece(c, i, ctx));
    keep_longest(best, festive_piece(c, i, ctx));
    keep_longest(best, school_holidays_piece(c, i, ctx));
    keep_longest(best, range_piece(c, i, prefix, ctx));
    keep_longest(best, offset_piece(c, i, ctx));
    keep_longest(best, month_piece(c, i, prefix, ctx));
    keep_longest(best, time_piece(c, i, prefix, ctx));
    return best;
}

bool is_prefix(std::string_view w, bool fr) {
    static constexpr std::array<std::string_view, 9> fr_words{"le",    "la", "l",    "ce", "cet",
                                                              "cette", "a",  "vers", "des"};
    static constexpr std::array<std::string_view, 7> en_words{"on",     "the", "this", "at",
                                                              "around", "by",  "for"};
    if (fr) {
        for (std::string_view p : fr_words)
            if (p == w) return true;
    } else {
        for (std::string_view p : en_words)
            if (p == w) return true;
    }
    return false;
}

// A day at token j, after an optional article ("le 31 décembre", "the 31st", "Noël").
opt_piece day_at(const token_cursor& c, std::size_t j, const dt_context& ctx) {
    if (c.is(j, "le") || c.is(j, "l") || c.is(j, "the")) {
        ++j;
        if (c.is(j, "'")) ++j;
    }
    opt_piece p = core_piece(c, j, {}, ctx);
    if (p && p->kind == piece_kind::day) return p;
    return std::nullopt;
}

// "du 24 au 31 décembre", "entre Noël et le jour de l'an", "from 24 to 31 December",
// "between Christmas and New Year's Day": the days from the first to the last, both included
// (at most two months). A first day without its month takes the last one's ("du 28 au 3
// janvier": 28 December).
opt_piece day_span(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    const bool between = c.is(i, ctx.fr ? "entre" : "between");
    if (!between && !c.is(i, ctx.fr ? "du" : "from")) return std::nullopt;
    std::size_t j = i + 1;
    opt_piece first = day_at(c, j, ctx);
    int bare = 0;
    if (first) {
        j = first->last;
    } else {
        if (c.is(j, "le") || c.is(j, "the")) ++j;
        bare = day_number(c.word(j));
        if (bare <= 0) return std::nullopt;
        ++j;
    }
    if (ctx.fr) {
        if (c.is(j, between ? "et" : "au"))
            ++j;
        else if (std::size_t after = between ? 0 : c.phrase(j, {"jusqu", "au"}); after != 0)
            j = after;
        else
            return std::nullopt;
    } else if (between ? c.is(j, "and")
                       : c.is(j, "to") || c.is(j, "until") || c.is(j, "till") || c.is(j, "through")) {
        ++j;
    } else {
        return std::nullopt;
    }
    opt_piece last = day_at(c, j, ctx);
    if (!last) return std::nullopt;
    sys_days from{};
    if (first) {
        from = first->day;
    } else {
        const year_month_day end{last->day};
        const std::chrono::day d(static_cast<unsigned>(bare));
        year_month_day start{end.year(), end.month(), d};
        if (!start.ok() || sys_days{start} > last->day) {
            const auto before =
                std::chrono::year_month{end.year(), end.month()} - std::chrono::months{1};
            start = year_month_day{before.year(), before.month(), d};
        }
        if (!start.ok()) return std::nullopt;
        from = sys_days{start};
    }
    if (last->day < from || last->day - from > days{62}) return std::nullopt;
    return make_span(piece_kind::range, i, last->last, ctx.clock.from_local(from, 0),
                     ctx.clock.from_local(last->day + days{1}, 0), "days");
}

// "la semaine du 3 mai", "semaine du lundi 14", "the week of 14 December", "week of the
// 14th", "Christmas week": the week (Monday to Sunday) that holds the day, as "la semaine
// prochaine" is.
opt_piece week_of(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    // The words [i, last) as the week of `day`.
    auto week_holding = [&](sys_days day, std::size_t last) {
        const int wd = static_cast<int>(std::chrono::weekday{day}.c_encoding());
        const sys_days monday = day - days{(wd + 6) % 7};
        return make_span(piece_kind::range, i, last, ctx.clock.from_local(monday, 0),
                         ctx.clock.from_local(monday + days{7}, 0), "week");
    };
    // "Christmas week", "Easter week" (English puts the day first): the same week.
    if (!ctx.fr && !c.is(i, "week"))
        if (opt_piece day = day_at(c, i, ctx); day && c.is(day->last, "week"))
            return week_holding(day->day, day->last + 1);
    if (!c.is(i, ctx.fr ? "semaine" : "week")) return std::nullopt;
    std::size_t j = i + 1;
    if (ctx.fr ? !(c.is(j, "du") || c.is(j, "de")) : !c.is(j, "of")) return std::nullopt;
    opt_piece day = day_at(c, j + 1, ctx);
    if (!day) return std::nullopt;
    return week_holding(day->day, day->last);
}

}  // namespace

std::optional<piece> parse_piece(const token_cursor& c, std::size_t i, const dt_context& ctx) {
    if (i >= c.size() || c.t[i].kind != token_kind::word) return std::nullopt;
    opt_piece best = core_piece(c, i, {}, ctx);
    keep_longest(best, day_span(c, i, ctx));
    keep_longest(best, week_of(c, i, ctx));
    if (c.is(i, ctx.fr ? "entre" : "between")) {  // "entre 12h et 14h", "between noon and 2pm"
        if (auto p = time_piece(c, i + 1, c.word(i), ctx)) {
            p->first = i;
            keep_longest(best, p);
        }
    }
    if (is_prefix(c.word(i), ctx.fr)) {
        std::size_t j = i + 1;
        if (c.is(j, "'")) ++j;  // "l'Ascension"
        if (auto p = core_piece(c, j, c.word(i), ctx)) {
            p->first = i;
            keep_longest(best, p);
        }
    }
    return best;
}

}  // namespace guichet::entities
