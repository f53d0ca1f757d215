// Parser of opening_hours expressions, part 3: weekdays and holidays (`Mo-Fr`, `Fr-Mo`,
// `Sa[1,3]`, `Sa[-1] +1 day`, `PH`, `PH -1 day`) and time ranges (`08:30-12:00`,
// `22:00-02:00`, `22:00-26:00`, open ends `18:00+`, `14:00-17:00+`).
#include <algorithm>
#include <string>

#include "hours/parser.h"

namespace guichet::hours::detail {

bool parser::starts_weekday_item(std::size_t ahead) const {
    return weekday_of(peek(ahead)) >= 0 || is_word(peek(ahead), "PH") || is_word(peek(ahead), "SH");
}

group parser::parse_weekdays() {
    group g;
    for (;;) {
        const token& t = peek();
        item it;
        if (is_word(t, "PH")) {
            next();
            it.k = item::kind::holiday;
            it.offset = parse_day_offset(1);
        } else if (is_word(t, "SH")) {
            next();
            it.k = item::kind::school_holiday;
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
                fail(peek(1).pos, "after ',' in a list of days, expected a weekday, PH or SH",
                     "après « , » dans une liste de jours, un jour de la semaine, PH ou SH est attendu");
            }
        }
        break;
    }
    return g;
}

int parser::guess_close(int start) {
    // The reference's guess: end of day before 17:00, +10 h until 22:00, +8 h after
    // (on the raw value, so 22:00-04:00+ is read as 28:00 -> +8 h).
    int end;
    if (start < 17 * 60) end = 1440;
    else if (start < 22 * 60) end = start + 600;
    else end = start + 480;
    return std::min(end, 2880);
}

void parser::parse_times(rule& r) {
    r.has_time = true;
    for (int sel = 0;; ++sel) {
        const token& a = peek();
        if (a.k == tok::word || a.k == tok::lbracket) word_error(a);
        if (a.k != tok::time) {
            if (a.k == tok::number) unexpected(a);
            fail(a.pos, "expected a time HH:MM", "heure HH:MM attendue");
        }
        next();
        last_range_at_ = a.pos;
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

}  // namespace guichet::hours::detail
