// Recursive-descent parser of opening_hours expressions into detail::program (rules with
// their selector groups, time pieces and the reference library's flags). Hand-written: no
// C/C++ library for this grammar exists in Debian. Strict: the reference's spelling
// tolerance is not copied, unsupported features are refused with a message.
#include <algorithm>
#include <array>
#include <climits>
#include <cstring>

#include "hours/lexer.h"
#include "hours/opening_hours_ast.h"

namespace guichet::hours {

namespace detail {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<int, 12> month_days{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lo = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lo(a[i]) != lo(b[i])) return false;
    }
    return true;
}

int weekday_of(const token& t) {
    if (t.k != tok::word) return -1;
    for (int i = 0; i < 7; ++i)
        if (t.text == weekday_names[i]) return i;
    return -1;
}

int month_of(const token& t) {
    if (t.k != tok::word) return -1;
    for (int i = 0; i < 12; ++i)
        if (t.text == month_names[i]) return i + 1;
    return -1;
}

bool is_word(const token& t, std::string_view w) { return t.k == tok::word && t.text == w; }
bool is_year(const token& t) { return t.k == tok::number && t.len == 4; }
bool is_state_word(const token& t) {
    return is_word(t, "open") || is_word(t, "closed") || is_word(t, "off") || is_word(t, "unknown");
}

class parser {
public:
    parser(std::string_view src, std::vector<token> toks) : src_(src), t_(std::move(toks)) {}

    program run() {
        program p;
        p.source = std::string(src_);
        if (peek().k == tok::end) fail(0, "empty expression", "expression vide");
        bool fallback = false;
        bool additional = false;
        for (;;) {
            rule r = parse_rule();
            r.fallback = fallback;
            r.additional = additional;
            const bool can_continue_additional = last_rule_ends_with_time_or_modifier_;
            p.rules.push_back(std::move(r));
            const token& sep = peek();
            if (sep.k == tok::end) break;
            if (sep.k == tok::semicolon || sep.k == tok::fallback) {
                if (sep.k == tok::fallback) fallback = true;
                else fallback = false;
                additional = false;
                next();
                if (peek().k == tok::end) {
                    fail(sep.pos, "nothing after this separator: remove it or add a rule",
                         "rien après ce séparateur : supprimez-le ou ajoutez une règle");
                }
                if (peek().k == tok::semicolon || peek().k == tok::fallback) {
                    fail(peek().pos, "empty rule between two separators", "règle vide entre deux séparateurs");
                }
                continue;
            }
            if (sep.k == tok::comma) {
                if (!can_continue_additional) {
                    fail(sep.pos, "',' here must be followed by a selector of the same kind",
                         "« , » doit être suivie ici d'un sélecteur du même type");
                }
                next();
                if (peek().k == tok::end) {
                    fail(sep.pos, "nothing after ',': remove it or add a rule",
                         "rien après « , » : supprimez-la ou ajoutez une règle");
                }
                additional = true;
                continue;
            }
            unexpected(sep);
        }
        return p;
    }

private:
    [[noreturn]] void fail(std::size_t pos, std::string en, std::string fr) {
        throw syntax_error{pos, std::move(en), std::move(fr)};
    }

    const token& peek(std::size_t ahead = 0) const {
        const std::size_t i = std::min(i_ + ahead, t_.size() - 1);
        return t_[i];
    }
    const token& next() {
        const token& t = t_[i_];
        if (i_ + 1 < t_.size()) ++i_;
        return t;
    }

    [[noreturn]] void unexpected(const token& t) {
        if (t.k == tok::end) fail(t.pos, "unexpected end of expression", "fin d'expression inattendue");
        if (t.k == tok::word) word_error(t);
        if (t.k == tok::number) {
            fail(t.pos, "unexpected number: write times as HH:MM-HH:MM (e.g. 09:00-12:00)",
                 "nombre inattendu : écrivez les horaires HH:MM-HH:MM (par exemple 09:00-12:00)");
        }
        if (t.k == tok::time) {
            fail(t.pos, "unexpected time here (selectors go in the order: year, month/date, week, weekday, time)",
                 "heure inattendue ici (ordre des sélecteurs : année, mois/date, semaine, jour, heure)");
        }
        if (t.k == tok::comment) {
            fail(t.pos, "only one comment per rule", "un seul commentaire par règle");
        }
        fail(t.pos, "unexpected '" + std::string(t.text) + "'", "« " + std::string(t.text) + " » inattendu");
    }

    [[noreturn]] void word_error(const token& t) {
        const std::string w(t.text);
        for (auto v : {"sunrise", "sunset", "dawn", "dusk"}) {
            if (iequals(w, v)) {
                fail(t.pos, "'" + w + "' (variable times) is not supported: it needs the place's coordinates",
                     "« " + w + " » (heures variables) n'est pas pris en charge : il faut les coordonnées du lieu");
            }
        }
        if (iequals(w, "SH")) {
            fail(t.pos, "school holidays (SH) are not supported", "les vacances scolaires (SH) ne sont pas prises en charge");
        }
        for (auto v : weekday_names) {
            if (iequals(w, v)) {
                fail(t.pos, "write '" + std::string(v) + "' with this capitalisation",
                     "écrivez « " + std::string(v) + " » avec cette casse");
            }
        }
        for (auto v : month_names) {
            if (iequals(w, v)) {
                fail(t.pos, "write '" + std::string(v) + "' with this capitalisation",
                     "écrivez « " + std::string(v) + " » avec cette casse");
            }
        }
        for (auto v : {"PH", "open", "closed", "off", "unknown", "easter", "week", "day", "days"}) {
            if (iequals(w, v)) {
                fail(t.pos, "write '" + std::string(v) + "' with this capitalisation",
                     "écrivez « " + std::string(v) + " » avec cette casse");
            }
        }
        for (auto v : {"lu", "ma", "me", "je", "ve", "di", "lundi", "mardi", "mercredi", "jeudi", "vendredi",
                       "samedi", "dimanche"}) {
            if (iequals(w, v)) {
                fail(t.pos, "French day names are not accepted: use Mo, Tu, We, Th, Fr, Sa, Su",
                     "les noms de jours en français ne sont pas acceptés : utilisez Mo, Tu, We, Th, Fr, Sa, Su");
            }
        }
        for (auto v : {"jours", "jour", "fériés", "férié", "feries", "ferie", "fermé", "ferme", "fermée", "ouvert",
                       "ouverte", "et", "le", "la", "les", "de", "du", "au", "sauf"}) {
            if (iequals(w, v)) {
                fail(t.pos, "French words are not accepted: write PH for public holidays, off for closed, ',' between ranges",
                     "les mots français ne sont pas acceptés : écrivez PH pour les jours fériés, off pour fermé, « , » entre les plages");
            }
        }
        if (w == "h" || w == "H") {
            fail(t.pos, "write times as HH:MM, e.g. 09:00", "écrivez les heures HH:MM, par exemple 09:00");
        }
        if (iequals(w, "am") || iequals(w, "pm")) {
            fail(t.pos, "am/pm is not accepted: use 24-hour times (14:00)",
                 "am/pm n'est pas accepté : utilisez l'heure sur 24 h (14:00)");
        }
        fail(t.pos, "unknown word '" + w + "' (expected Mo-Su, Jan-Dec, PH, week, easter, open, off, closed, unknown)",
             "mot inconnu « " + w + " » (attendu : Mo-Su, Jan-Dec, PH, week, easter, open, off, closed, unknown)");
    }

    // "+3 days" / "-1 day" after a point; returns 0 when absent.
    int parse_day_offset(int max_days) {
        const token& sign = peek();
        if ((sign.k != tok::plus && sign.k != tok::minus) || peek(1).k != tok::number) return 0;
        if (!is_word(peek(2), "day") && !is_word(peek(2), "days")) return 0;
        next();
        const token& nt = next();
        next();
        if (nt.value > max_days) {
            fail(nt.pos, "offset too large here (at most " + std::to_string(max_days) + " days)",
                 "décalage trop grand ici (au plus " + std::to_string(max_days) + " jours)");
        }
        return sign.k == tok::minus ? -nt.value : nt.value;
    }

    int expect_number(std::string_view what_en, std::string_view what_fr) {
        if (peek().k != tok::number) {
            fail(peek().pos, "expected " + std::string(what_en), "attendu : " + std::string(what_fr));
        }
        return next().value;
    }

    // ---- wide selectors -------------------------------------------------------------------
    group parse_years() {
        group g;
        for (;;) {
            const token& y = next();
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

    bool starts_md_item(std::size_t ahead = 0) const {
        const token& t = peek(ahead);
        if (month_of(t) > 0 || is_word(t, "easter")) return true;
        return is_year(t) && (month_of(peek(ahead + 1)) > 0 || is_word(peek(ahead + 1), "easter"));
    }

    void check_day(int month, const token& d) {
        if (d.value < 1 || d.value > month_days[month - 1]) {
            fail(d.pos, "no such day in " + std::string(month_names[month - 1]),
                 "ce jour n'existe pas en " + std::string(month_names[month - 1]));
        }
    }

    // A point after the year: "easter [+n days]", "Mon DD", "Mon Wd[n] [+n days]".
    // Returns false (nothing consumed) when only a month follows (month range).
    date_point parse_point(int year, bool allow_month_only, bool& month_only) {
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

    item parse_md_item(int& last_month) {
        item it;
        it.k = item::kind::date_range;
        int year = 0;
        if (is_year(peek())) year = next().value;
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

    group parse_monthdays() {
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

    group parse_weeks() {
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

    // ---- weekdays and holidays ------------------------------------------------------------
    bool starts_weekday_item(std::size_t ahead = 0) const {
        return weekday_of(peek(ahead)) >= 0 || is_word(peek(ahead), "PH") || is_word(peek(ahead), "SH");
    }

    group parse_weekdays() {
        group g;
        for (;;) {
            const token& t = peek();
            item it;
            if (is_word(t, "SH")) word_error(t);
            if (is_word(t, "PH")) {
                next();
                it.k = item::kind::holiday;
                it.offset = parse_day_offset(1);
            } else {
                const int a = weekday_of(next());
                it.k = item::kind::weekday;
                int b = a;
                if (peek().k == tok::minus && weekday_of(peek(1)) >= 0) {
                    next();
                    b = weekday_of(next());
                }
                for (int d = a;; d = (d + 1) % 7) {
                    it.wd_mask |= static_cast<std::uint8_t>(1u << d);
                    if (d == b) break;
                }
                if (peek().k == tok::lbracket) {
                    if (a != b) fail(peek().pos, "[n] applies to a single weekday", "[n] s'applique à un seul jour");
                    next();
                    for (;;) {
                        int sign = 1;
                        if (peek().k == tok::minus) {
                            next();
                            sign = -1;
                        }
                        const token& nt = peek();
                        int n1 = expect_number("a number 1-5", "un nombre de 1 à 5");
                        int n2 = n1;
                        if (peek().k == tok::minus && peek(1).k == tok::number) {
                            next();
                            n2 = next().value;
                        }
                        if (n1 < 1 || n1 > 5 || n2 < n1 || n2 > 5) {
                            fail(nt.pos, "must be 1-5 or -1 to -5", "doit valoir 1 à 5 ou -1 à -5");
                        }
                        for (int k = n1; k <= n2; ++k) it.nth_mask |= static_cast<std::uint16_t>(1u << (sign > 0 ? k - 1 : k + 4));
                        if (peek().k == tok::comma) {
                            next();
                            continue;
                        }
                        break;
                    }
                    if (peek().k != tok::rbracket) fail(peek().pos, "expected ']'", "« ] » attendu");
                    next();
                    it.offset = parse_day_offset(6);
                }
            }
            g.items.push_back(it);
            if (peek().k == tok::comma) {
                if (starts_weekday_item(1)) {
                    next();
                    continue;
                }
                if (!(peek(1).k == tok::time)) {
                    fail(peek(1).pos, "after ',' in a list of days, expected a weekday or PH",
                         "après « , » dans une liste de jours, un jour de la semaine ou PH est attendu");
                }
            }
            break;
        }
        return g;
    }

    // ---- times ----------------------------------------------------------------------------
    static int guess_close(int start) {
        // The reference's guess: end of day before 17:00, +10 h until 22:00, +8 h after
        // (on the raw value, so 22:00-04:00+ is read as 28:00 -> +8 h).
        int end;
        if (start < 17 * 60) end = 1440;
        else if (start < 22 * 60) end = start + 600;
        else end = start + 480;
        return std::min(end, 2880);
    }

    void parse_times(rule& r) {
        r.has_time = true;
        for (int sel = 0;; ++sel) {
            const token& a = peek();
            if (a.k == tok::word || a.k == tok::lbracket) word_error(a);
            if (a.k != tok::time) {
                if (a.k == tok::number) unexpected(a);
                fail(a.pos, "expected a time HH:MM", "heure HH:MM attendue");
            }
            next();
            if (a.value >= 24 * 60) {
                fail(a.pos, "a time range starts before 24:00", "une plage horaire commence avant 24:00");
            }
            const int from = a.value;
            if (peek().k == tok::minus) {
                next();
                const token& b = peek();
                if (b.k == tok::word || b.k == tok::lbracket) word_error(b);
                if (b.k != tok::time) {
                    if (b.k == tok::number) unexpected(b);
                    fail(b.pos, "expected the closing time HH:MM", "heure de fermeture HH:MM attendue");
                }
                next();
                if (b.value > 48 * 60) fail(b.pos, "hour out of range (00-48)", "heure hors limites (00-48)");
                int to = b.value;
                if (to <= from) to += 1440;
                if (to > 2880) fail(b.pos, "hour out of range (00-48)", "heure hors limites (00-48)");
                r.times.push_back({from, to, false, sel});
                if (peek().k == tok::plus) {
                    next();
                    const int end = guess_close(to);
                    if (end > to) r.times.push_back({to, end, true, sel});
                }
            } else if (peek().k == tok::plus) {
                next();
                r.times.push_back({from, guess_close(from), true, sel});
            } else {
                fail(peek().pos, "points in time are not supported: write a range HH:MM-HH:MM or an open end HH:MM+",
                     "les horaires ponctuels ne sont pas pris en charge : écrivez une plage HH:MM-HH:MM ou HH:MM+");
            }
            if (peek().k == tok::comma && (peek(1).k == tok::time || peek(1).k == tok::number)) {
                next();
                continue;
            }
            break;
        }
    }

    // ---- one rule -------------------------------------------------------------------------
    rule parse_rule() {
        rule r;
        bool wide = false;
        bool any_selector = false;
        last_rule_ends_with_time_or_modifier_ = false;
        if (peek().k == tok::always) {
            next();
            r.has_time = true;
            r.times.push_back({0, 1440, false, 0});
            any_selector = true;
            last_rule_ends_with_time_or_modifier_ = true;
        } else {
            if (is_year(peek()) && !starts_md_item()) {
                r.groups.push_back(parse_years());
                wide = true;
                if (peek().k == tok::colon) next();
            }
            if (starts_md_item()) {
                r.groups.push_back(parse_monthdays());
                wide = true;
                if (peek().k == tok::colon) next();
                if (starts_md_item()) {
                    fail(peek().pos, "two month/date selectors in a row: separate them with ',' (or write one range)",
                         "deux sélecteurs de mois/date à la suite : séparez-les par « , » (ou écrivez une seule plage)");
                }
            }
            if (is_word(peek(), "week")) {
                r.groups.push_back(parse_weeks());
                wide = true;
                if (peek().k == tok::colon) next();
            }
            (void)wide;
            if (starts_weekday_item()) {
                r.groups.push_back(parse_weekdays());
                if (starts_weekday_item()) {
                    // Only "PH Mo-Fr" (a public holiday falling on those days) is allowed.
                    const bool only_holidays = std::all_of(r.groups.back().items.begin(), r.groups.back().items.end(),
                                                           [](const item& it) { return it.k == item::kind::holiday; });
                    if (!only_holidays || is_word(peek(), "PH")) {
                        fail(peek().pos, "two day selectors in a row: separate them with ',' (only \"PH Mo-Fr\" intersects)",
                             "deux sélecteurs de jours à la suite : séparez-les par « , » (seul « PH Mo-Fr » est une intersection)");
                    }
                    r.groups.push_back(parse_weekdays());
                }
            }
            if (peek().k == tok::colon) {
                fail(peek().pos, "':' is only allowed after a month, date, year or week selector",
                     "« : » n'est permis qu'après un sélecteur de mois, de date, d'année ou de semaine");
            }
            any_selector = !r.groups.empty();
            if (peek().k == tok::time || (peek().k == tok::word && !is_state_word(peek()) && !is_word(peek(), "PH"))) {
                if (peek().k == tok::word) word_error(peek());
                parse_times(r);
                any_selector = true;
                last_rule_ends_with_time_or_modifier_ = true;
            }
        }
        bool has_state = false;
        if (is_state_word(peek())) {
            const token& s = next();
            if (s.text == "open") r.st = status::open;
            else if (s.text == "unknown") r.st = status::unknown;
            else r.st = status::closed;
            has_state = true;
            last_rule_ends_with_time_or_modifier_ = true;
        }
        if (peek().k == tok::comment) {
            r.comment = std::string(next().text);
            if (!has_state) r.st = status::unknown;
            last_rule_ends_with_time_or_modifier_ = true;
            has_state = true;
        }
        if (!any_selector && !has_state) {
            const token& t = peek();
            if (t.k == tok::number) unexpected(t);
            if (t.k == tok::word) word_error(t);
            if (t.k == tok::end) fail(t.pos, "expected a rule", "règle attendue");
            unexpected(t);
        }
        const token& after = peek();
        if (after.k != tok::end && after.k != tok::semicolon && after.k != tok::fallback && after.k != tok::comma) {
            if (is_state_word(after)) {
                fail(after.pos, "only one state (open/off/closed/unknown) per rule", "un seul état (open/off/closed/unknown) par règle");
            }
            if (after.k == tok::word && (weekday_of(after) >= 0 || month_of(after) >= 0 || is_word(after, "PH") ||
                                         is_word(after, "week"))) {
                fail(after.pos, "selectors go in the order: year, month/date, week, weekday/PH, time, state",
                     "ordre des sélecteurs : année, mois/date, semaine, jour/PH, heure, état");
            }
            unexpected(after);
        }
        return r;
    }

    std::string_view src_;
    std::vector<token> t_;
    std::size_t i_ = 0;
    bool last_rule_ends_with_time_or_modifier_ = false;
};

void build_eval(program& p) {
    for (const rule& r : p.rules) {
        eval_rule main{&r, false, {}};
        eval_rule wrap{&r, true, {}};
        for (const time_piece& t : r.times) {
            if (t.from < 1440) main.pieces.push_back({t.from, std::min(t.to, 1440), t.open_end, t.sel});
            if (t.to > 1440) wrap.pieces.push_back({std::max(t.from - 1440, 0), std::min(t.to - 1440, 1440), t.open_end, t.sel});
        }
        p.eval.push_back(std::move(main));
        if (!wrap.pieces.empty()) p.eval.push_back(std::move(wrap));
    }
}

}  // namespace
}  // namespace detail

const std::string& schedule::source() const { return program_->source; }

parse_result parse(std::string_view expr) {
    try {
        auto toks = detail::tokenize(expr);
        detail::parser ps(expr, std::move(toks));
        auto prog = std::make_shared<detail::program>(ps.run());
        detail::build_eval(*prog);
        return parse_result(schedule(std::move(prog)));
    } catch (const detail::syntax_error& e) {
        return parse_result(parse_error{e.offset, e.en, e.fr});
    }
}

std::string render_error(std::string_view expr, const parse_error& error, std::string_view lang) {
    std::string out(expr);
    out += '\n';
    std::size_t column = 0;
    for (std::size_t i = 0; i < error.offset && i < expr.size(); ++i) {
        if ((static_cast<unsigned char>(expr[i]) & 0xC0) != 0x80) ++column;
    }
    out.append(column, ' ');
    out += "^\n";
    out += lang == "en" ? error.message_en : error.message_fr;
    return out;
}

}  // namespace guichet::hours
