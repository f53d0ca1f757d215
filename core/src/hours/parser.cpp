// Parser of opening_hours expressions, part 1: the rule sequence (`;`, `,`, `||`), one rule's
// shape and modifiers, the error messages, and the public parse()/render_error(). Hand-written:
// no C/C++ library for this grammar exists in Debian. Strict: the reference's spelling
// tolerance is not copied, unsupported features are refused with a message.
#include <algorithm>
#include <climits>
#include <string>

#include "common/did_you_mean.h"
#include "hours/parser.h"

namespace guichet::hours {

namespace detail {

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

program parser::run() {
    program p;
    p.source = std::string(src_);
    if (peek().k == tok::end) fail(0, "empty expression", "expression vide");
    bool fallback = false;
    bool additional = false;
    for (;;) {
        const std::size_t at = peek().pos;
        rule r = parse_rule();
        r.offset = at;
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

void parser::fail(std::size_t pos, std::string en, std::string fr) {
    throw syntax_error{pos, std::move(en), std::move(fr)};
}

const token& parser::peek(std::size_t ahead) const {
    const std::size_t i = std::min(i_ + ahead, t_.size() - 1);
    return t_[i];
}

const token& parser::next() {
    const token& t = t_[i_];
    if (i_ + 1 < t_.size()) ++i_;
    return t;
}

namespace {

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// The spellings closest to a misspelt word, case aside ("Wd": We; "Jui": Jun and Jul), as
// "« We »" or "« Jun » ou « Jul »" (`open`, `close`: the quotes; `or_word` joins); "" when none is
// close enough to be a typo (guichet::closest's limit).
std::string nearest_words(std::string_view word, std::string_view open, std::string_view close,
                          std::string_view or_word) {
    auto lower = [](std::string_view s) {
        std::string r(s);
        for (auto& c : r)
            if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        return r;
    };
    std::vector<std::string_view> known(weekday_names.begin(), weekday_names.end());
    known.insert(known.end(), month_names.begin(), month_names.end());
    for (std::string_view w : {"PH", "SH", "week", "easter", "open", "off", "closed", "unknown"})
        known.push_back(w);
    const std::string w = lower(word);
    std::size_t best = std::clamp<std::size_t>(w.size() / 3, 1, 3) + 1;
    std::vector<std::string_view> found;
    for (std::string_view k : known) {
        const std::size_t d = edit_distance(w, lower(k));
        if (d < best) {
            found.clear();
            best = d;
        }
        if (d == best) found.push_back(k);
    }
    std::string out;
    for (std::size_t i = 0; i < found.size(); ++i) {
        if (i > 0) out += i + 1 == found.size() ? or_word : std::string_view(", ");
        out.append(open).append(found[i]).append(close);
    }
    return out;
}

}  // namespace

std::string parser::french_date_at(const token& t) const {
    const std::size_t i = static_cast<std::size_t>(&t - t_.data());
    auto at = [&](std::size_t k) -> const token& { return t_[std::min(i + k, t_.size() - 1)]; };
    if (at(0).k != tok::number || at(1).k != tok::slash || at(2).k != tok::number) return {};
    const int day = at(0).value, month = at(2).value;
    if (at(0).len > 2 || at(2).len > 2 || day < 1 || day > 31 || month < 1 || month > 12) return {};
    std::string date = std::string(month_names[month - 1]) + ' ' + two_digits(day);
    std::size_t after = 3;
    if (at(3).k == tok::slash && is_year(at(4))) {
        date = std::to_string(at(4).value) + ' ' + date;
        after = 5;
    }
    if (at(after).k == tok::minus && at(after + 1).k == tok::number)
        if (const std::string end = french_date_at(at(after + 1)); !end.empty())
            return date + '-' + end;
    return date;
}

void parser::unexpected(const token& t) {
    if (t.k == tok::end) fail(t.pos, "unexpected end of expression", "fin d'expression inattendue");
    if (t.k == tok::word) word_error(t);
    if (const std::string date = french_date_at(t); !date.empty()) {
        // "24/12 off": a date as written in French.
        fail(t.pos,
             "a date written day/month: write dates '" + date +
                 "' (the month's English abbreviation, then the day)",
             "date écrite jour/mois : écrivez les dates « " + date +
                 " » (mois en anglais abrégé, puis le jour)");
    }
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

void parser::word_error(const token& t) {
    const std::string w(t.text);
    for (auto v : {"sunrise", "sunset", "dawn", "dusk"}) {
        if (iequals(w, v)) {
            // The evaluator computes no sun times, whatever the place: its coordinates would not
            // help (the message said they were missing, of a place that had them).
            fail(t.pos,
                 "'" + w + "' (a time that follows the sun) is not supported: guichet does not "
                 "compute the sun's times; write the hours, by season if they change "
                 "(Apr-Sep 07:00-21:00; Oct-Mar 08:00-18:00)",
                 "« " + w + " » (une heure qui suit le soleil) n'est pas pris en charge : le "
                 "guichet ne calcule pas les heures du soleil ; écrivez les heures, par saison si "
                 "elles changent (Apr-Sep 07:00-21:00; Oct-Mar 08:00-18:00)");
        }
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
    for (auto v : {"PH", "SH", "open", "closed", "off", "unknown", "easter", "week", "day", "days"}) {
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
    if (const std::string near = nearest_words(w, "'", "'", " or "); !near.empty()) {
        fail(t.pos, "unknown word '" + w + "': did you mean " + near + "?",
             "mot inconnu « " + w + " » : vouliez-vous dire " +
                 nearest_words(w, "« ", " »", " ou ") + " ?");
    }
    fail(t.pos, "unknown word '" + w + "' (expected Mo-Su, Jan-Dec, PH, week, easter, open, off, closed, unknown)",
         "mot inconnu « " + w + " » (attendu : Mo-Su, Jan-Dec, PH, week, easter, open, off, closed, unknown)");
}

int parser::parse_day_offset(int max_days) {
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

int parser::expect_number(std::string_view what_en, std::string_view what_fr) {
    if (peek().k != tok::number) {
        fail(peek().pos, "expected " + std::string(what_en), "attendu : " + std::string(what_fr));
    }
    return next().value;
}

rule parser::parse_rule() {
    rule r;
    last_range_at_ = std::string_view::npos;
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
                // Only "PH Mo-Fr", "SH Mo-Fr" (a holiday falling on those days) are allowed.
                const bool only_holidays =
                    std::all_of(r.groups.back().items.begin(), r.groups.back().items.end(), [](const item& it) {
                        return it.k == item::kind::holiday || it.k == item::kind::school_holiday;
                    });
                if (!only_holidays || is_word(peek(), "PH") || is_word(peek(), "SH")) {
                    fail(peek().pos, "two day selectors in a row: separate them with ',' (only \"PH Mo-Fr\", \"SH Mo-Fr\" intersect)",
                         "deux sélecteurs de jours à la suite : séparez-les par « , » (seuls « PH Mo-Fr », « SH Mo-Fr » sont des intersections)");
                }
                r.groups.push_back(parse_weekdays());
            }
        }
        if (peek().k == tok::colon) {
            fail(peek().pos, "':' is only allowed after a month, date, year or week selector",
                 "« : » n'est permis qu'après un sélecteur de mois, de date, d'année ou de semaine");
        }
        any_selector = !r.groups.empty();
        if (peek().k == tok::time ||
            (peek().k == tok::word && !is_state_word(peek()) && !is_word(peek(), "PH") && !is_word(peek(), "SH"))) {
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
        const token& before = t_[i_ - 1];
        const bool range_follows = peek(1).k == tok::plus ||
                                   (peek(1).k == tok::minus && peek(2).k == tok::time);
        if (after.k == tok::time && range_follows && last_range_at_ != std::string_view::npos &&
            (before.k == tok::time || before.k == tok::plus)) {
            // "We 10:00-12:00 14:00-18:00": the comma between two ranges of a day forgotten.
            std::size_t end = peek(1).k == tok::plus ? peek(1).pos + 1 : peek(2).pos + peek(2).len;
            if (peek(1).k == tok::minus && peek(3).k == tok::plus) end = peek(3).pos + 1;
            const std::string both =
                std::string(src_.substr(last_range_at_, before.pos + before.len - last_range_at_)) +
                ',' + std::string(src_.substr(after.pos, end - after.pos));
            fail(after.pos, "separate the ranges of one day with a comma: " + both,
                 "séparez les plages d'un même jour par une virgule : " + both);
        }
        if (after.k == tok::word && (weekday_of(after) >= 0 || month_of(after) >= 0 || is_word(after, "PH") ||
                                     is_word(after, "SH") || is_word(after, "week"))) {
            // "Tu 14:00-18:00 We 10:00-12:00": a rule ended by its time or state, then the next
            // one's days: the semicolon between the two rules forgotten.
            // (Not when the word ends the value, "Mo-Fr 09:00-12:00 SH": a selector misplaced.)
            if ((before.k == tok::time || before.k == tok::plus || has_state) &&
                peek(1).k != tok::end) {
                const std::size_t from = last_range_at_ != std::string_view::npos && !has_state
                                             ? last_range_at_
                                             : before.pos;
                const std::string both =
                    std::string(src_.substr(from, before.pos + before.len - from)) + "; " +
                    std::string(after.text);
                fail(after.pos, "separate the rules with a semicolon: " + both + " …",
                     "séparez les règles par un point-virgule : " + both + " …");
            }
            fail(after.pos, "selectors go in the order: year, month/date, week, weekday/PH, time, state",
                 "ordre des sélecteurs : année, mois/date, semaine, jour/PH, heure, état");
        }
        unexpected(after);
    }
    return r;
}

namespace {

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
