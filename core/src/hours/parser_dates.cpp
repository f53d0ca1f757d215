// Parser of opening_hours expressions, part 2: the wide selectors — years (`2025`,
// `2020-2030/2`, `2025+`), months and dates (`Jan`, `Nov-Feb`, `Dec 24-Jan 01`, `Jan 01-29/7`,
// `Mar Su[-1]`, `easter +1 day`, `2025 Dec 22-2026 Jan 02`) and ISO weeks (`week 01-53/2`).
#include <array>
#include <climits>
#include <string>

#include "hours/parser.h"

namespace guichet::hours::detail {

namespace {
constexpr std::array<int, 12> month_days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
}  // namespace

group parser::parse_years() {
    group g;
    for (;;) {
        const token& y = next();
        if (y.value < 1900) fail(y.pos, "year out of range (1900-9999)", "année hors limites (1900-9999)");
        item it;
        it.k = item::kind::year;
        it.a = y.value;
        it.b = y.value;
        if (peek().k == tok::minus && is_year(peek(1))) {
            next();
            const token& yb = next();
            it.b = yb.value;
            if (it.b < it.a) fail(yb.pos, "year range in reverse order", "plage d'années à l'envers");
            if (it.b == it.a) {
                fail(yb.pos, "a year range must end after its start: write the year alone",
                     "une plage d'années doit finir après son début : écrivez l'année seule");
            }
        } else if (peek().k == tok::plus) {
            next();
            it.b = INT_MAX;
        }
        if (peek().k == tok::slash) {
            next();
            const token& p = peek();
            it.period = expect_number("a period", "une période");
            if (it.period < 1) fail(p.pos, "period must be at least 1", "la période doit valoir au moins 1");
            if (it.b == it.a) it.b = INT_MAX;
        }
        g.items.push_back(it);
        if (peek().k == tok::comma && is_year(peek(1)) && month_of(peek(2)) < 0 && !is_word(peek(2), "easter")) {
            next();
            continue;
        }
        break;
    }
    return g;
}

bool parser::starts_md_item(std::size_t ahead) const {
    const token& t = peek(ahead);
    if (month_of(t) > 0 || is_word(t, "easter")) return true;
    return is_year(t) && (month_of(peek(ahead + 1)) > 0 || is_word(peek(ahead + 1), "easter"));
}

void parser::check_day(int month, const token& d) {
    if (d.value < 1 || d.value > month_days[month - 1]) {
        fail(d.pos, "no such day in " + std::string(month_names[month - 1]),
             "ce jour n'existe pas en " + std::string(month_names[month - 1]));
    }
}

date_point parser::parse_point(int year, bool allow_month_only, bool& month_only) {
    date_point p;
    p.year = year;
    month_only = false;
    if (is_word(peek(), "easter")) {
        next();
        p.k = date_point::kind::easter;
        p.offset = parse_day_offset(200);
        return p;
    }
    const token& mt = peek();
    const int m = month_of(mt);
    if (m < 0) unexpected(mt);
    next();
    p.month = m;
    if (peek().k == tok::number && peek().len <= 2) {
        check_day(m, peek());
        p.day = next().value;
        return p;
    }
    const int wd = weekday_of(peek());
    if (wd >= 0 && peek(1).k == tok::lbracket) {
        next();
        next();
        int sign = 1;
        if (peek().k == tok::minus) {
            next();
            sign = -1;
        }
        const token& nt = peek();
        const int nth = expect_number("a number 1-5", "un nombre de 1 à 5");
        if (nth < 1 || nth > 5) fail(nt.pos, "must be 1-5 or -1 to -5", "doit valoir 1 à 5 ou -1 à -5");
        if (peek().k != tok::rbracket) fail(peek().pos, "expected ']'", "« ] » attendu");
        next();
        p.k = date_point::kind::nth_weekday;
        p.weekday = wd;
        p.nth = sign * nth;
        p.offset = parse_day_offset(6);
        return p;
    }
    if (!allow_month_only) {
        fail(peek().pos, "expected a day of the month after the month", "jour du mois attendu après le mois");
    }
    month_only = true;
    return p;
}

item parser::parse_md_item(int& last_month) {
    item it;
    it.k = item::kind::date_range;
    int year = 0;
    if (is_year(peek())) {
        if (peek().value < 1900) fail(peek().pos, "year out of range (1900-9999)", "année hors limites (1900-9999)");
        year = next().value;
    }
    const std::size_t start_pos = peek().pos;
    bool month_only = false;
    date_point from = parse_point(year, true, month_only);
    if (month_only) {
        // Month or month range.
        date_point to = from;
        to.day = 0;
        from.day = 1;
        if (peek().k == tok::minus && month_of(peek(1)) > 0 &&
            !(peek(2).k == tok::number && peek(2).len <= 2) &&
            !(weekday_of(peek(2)) >= 0 && peek(3).k == tok::lbracket)) {
            next();
            to.month = month_of(next());
            if (year != 0 && to.month < from.month) to.year = year + 1;
        }
        it.from = from;
        it.to = to;
        last_month = to.month;
        return it;
    }
    date_point to = from;
    if (peek().k == tok::minus) {
        const token& dash = next();
        if (peek().k == tok::number && peek().len <= 2) {
            if (from.k != date_point::kind::fixed) {
                fail(peek().pos, "expected a month before the day", "mois attendu avant le jour");
            }
            check_day(from.month, peek());
            if (peek().value < from.day) {
                fail(peek().pos, "day range in reverse order", "plage de jours à l'envers");
            }
            to.day = next().value;
        } else {
            int y2 = 0;
            if (is_year(peek())) {
                if (peek().value < 1900) fail(peek().pos, "year out of range (1900-9999)", "année hors limites (1900-9999)");
                y2 = next().value;
            } else if (from.year != 0) {
                fail(peek().pos, "the start has a year: write the year on the end too (2025 Dec 22-2026 Jan 02)",
                     "le début a une année : écrivez aussi l'année de la fin (2025 Dec 22-2026 Jan 02)");
            }
            bool mo = false;
            to = parse_point(y2 < 0 ? 0 : y2, false, mo);
            if (y2 < 0) to.year = from.year;
            (void)dash;
        }
        if (from.year != 0 && to.year == 0) to.year = from.year;
    }
    if (peek().k == tok::slash) {
        next();
        const token& pt = peek();
        it.period = expect_number("a period in days", "une période en jours");
        if (it.period < 1) fail(pt.pos, "period must be at least 1", "la période doit valoir au moins 1");
    }
    (void)start_pos;
    it.from = from;
    it.to = to;
    last_month = to.k == date_point::kind::fixed ? to.month : 0;
    return it;
}

group parser::parse_monthdays() {
    group g;
    int last_month = 0;
    bool first = true;
    for (;;) {
        if (first || starts_md_item()) {
            g.items.push_back(parse_md_item(last_month));
        } else {
            // "Dec 24,25" and "Dec 15-17,19-23/2": more days of the same month.
            item it;
            it.k = item::kind::date_range;
            it.from.month = last_month;
            check_day(last_month, peek());
            it.from.day = next().value;
            it.to = it.from;
            if (peek().k == tok::minus && peek(1).k == tok::number && peek(1).len <= 2) {
                next();
                check_day(last_month, peek());
                if (peek().value < it.from.day) fail(peek().pos, "day range in reverse order", "plage de jours à l'envers");
                it.to.day = next().value;
            }
            if (peek().k == tok::slash) {
                next();
                it.period = expect_number("a period in days", "une période en jours");
            }
            g.items.push_back(it);
        }
        first = false;
        if (peek().k != tok::comma) break;
        if (starts_md_item(1) || (peek(1).k == tok::number && peek(1).len <= 2 && last_month > 0)) {
            next();
            continue;
        }
        break;
    }
    return g;
}

group parser::parse_weeks() {
    next();  // "week"
    group g;
    for (;;) {
        const token& a = peek();
        item it;
        it.k = item::kind::week;
        it.a = expect_number("a week number 01-53", "un numéro de semaine 01-53");
        if (it.a < 1 || it.a > 53) fail(a.pos, "week numbers go from 01 to 53", "les semaines vont de 01 à 53");
        it.b = it.a;
        if (peek().k == tok::minus) {
            next();
            const token& b = peek();
            it.b = expect_number("a week number 01-53", "un numéro de semaine 01-53");
            if (it.b < 1 || it.b > 53) fail(b.pos, "week numbers go from 01 to 53", "les semaines vont de 01 à 53");
            if (it.b < it.a) {
                fail(b.pos, "week ranges that wrap the year (reverse order) are not supported: split them",
                     "les plages de semaines à cheval sur deux années ne sont pas prises en charge : séparez-les");
            }
        }
        if (peek().k == tok::slash) {
            next();
            const token& p = peek();
            it.period = expect_number("a period", "une période");
            if (it.period < 2) {
                fail(p.pos, "a week period must be at least 2 (omit '/1')", "une période de semaines vaut au moins 2 (omettez « /1 »)");
            }
            if (it.period > 26) {
                fail(p.pos, "a week period above 26 applies only once a year: write the week",
                     "une période de semaines supérieure à 26 ne s'applique qu'une fois par an : écrivez la semaine");
            }
        }
        g.items.push_back(it);
        if (peek().k == tok::comma && peek(1).k == tok::number) {
            next();
            continue;
        }
        break;
    }
    return g;
}

}  // namespace guichet::hours::detail
