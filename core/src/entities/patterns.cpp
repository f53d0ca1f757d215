// Hand-written scanners for numbers, postcodes, tickets, e-mails and phone numbers: each is
// a few lines over the token list, cheaper and clearer than std::regex (which is slow and
// cannot report byte offsets of the original, unfolded text).
#include "entities/patterns.h"

#include <string>

namespace guichet::entities {
namespace {

entity make(std::string_view type, std::string value, std::string_view text, std::size_t begin,
            std::size_t end) {
    entity e;
    e.type = std::string(type);
    e.value = std::move(value);
    e.begin = begin;
    e.end = end;
    e.text = std::string(text.substr(begin, end - begin));
    return e;
}

std::string strip_zeros(std::string_view digits) {
    std::size_t k = 0;
    while (k + 1 < digits.size() && digits[k] == '0') ++k;
    return std::string(digits.substr(k));
}

bool is_sep(const token_cursor& c, std::size_t i) {
    return c.is(i, ".") || c.is(i, ",") || c.is(i, "-") || c.is(i, "/") || c.is(i, ":");
}

}  // namespace

void find_numbers(const token_cursor& c, std::string_view text, bool fr, std::vector<entity>& out) {
    for (std::size_t i = 0; i < c.size(); ++i) {
        if (c.digits(i)) {
            std::string value = strip_zeros(c.word(i));
            std::size_t last = i + 1;
            // Thousands: "1 000" (French, spaced) or "1,000" (English, glued), groups of 3.
            if (c.word(i).size() <= 3) {
                for (;;) {
                    if (fr && c.digits(last) && c.word(last).size() == 3 &&
                        c.t[last].space_before) {
                        value += c.word(last);
                        last += 1;
                    } else if (!fr && c.is(last, ",") && c.glued(last) && c.digits(last + 1) &&
                               c.glued(last + 1) && c.word(last + 1).size() == 3) {
                        value += c.word(last + 1);
                        last += 2;
                    } else {
                        break;
                    }
                }
                value = strip_zeros(value);
            }
            // Decimal: "2,5" in French, "2.5" in English (glued on both sides).
            if (c.is(last, fr ? "," : ".") && c.glued(last) && c.digits(last + 1) &&
                c.glued(last + 1)) {
                value += '.';
                value += c.word(last + 1);
                last += 2;
            }
            out.push_back(make("number", std::move(value), text, c.t[i].begin, c.t[last - 1].end));
            i = last - 1;
        } else if (auto m = number_words(c, i, fr, false)) {
            out.push_back(
                make("number", std::to_string(m->value), text, c.t[i].begin, c.t[m->end - 1].end));
            i = m->end - 1;
        }
    }
}

void find_postcodes(const token_cursor& c, std::string_view text, std::vector<entity>& out) {
    for (std::size_t i = 0; i < c.size(); ++i) {
        const std::string_view w = c.word(i);
        if (!c.digits(i) || w.size() != 5) continue;
        // Not part of a longer number written with separators ("12.75001", "75001-3").
        if (c.glued(i) && i > 0 && is_sep(c, i - 1)) continue;
        if (c.glued(i + 1) && is_sep(c, i + 1) && c.digits(i + 2) && c.glued(i + 2)) continue;
        const long dept = digits_value(w.substr(0, 2));
        const long dom = digits_value(w.substr(0, 3));
        const bool ok = (dept >= 1 && dept <= 95) || (dom >= 971 && dom <= 978);
        if (ok) out.push_back(make("postcode", std::string(w), text, c.t[i].begin, c.t[i].end));
    }
}

void find_tickets(const token_cursor& c, std::string_view text, std::vector<entity>& out) {
    // A label just before: "n° 2026-0042", "ticket 2026-42", "#2026-7".
    auto labelled_from = [&](std::size_t i) {
        if (i >= 2 && ((c.is(i - 2, "n") && c.is(i - 1, "\xC2\xB0")) ||
                       (c.is(i - 2, "no") && c.is(i - 1, "."))))
            return i - 2;
        if (i >= 1 && (c.is(i - 1, "no") || c.is(i - 1, "numero") || c.is(i - 1, "ticket") ||
                       c.is(i - 1, "dossier") || c.is(i - 1, "demande") || c.is(i - 1, "#") ||
                       c.is(i - 1, "ref") || c.is(i - 1, "reference") || c.is(i - 1, "number") ||
                       c.is(i - 1, "request") || c.is(i - 1, "case") ||
                       c.is(i - 1, "signalement") || c.is(i - 1, "suivi") || c.is(i - 1, "report")))
            return i - 1;
        return i;
    };
    for (std::size_t i = 0; i < c.size(); ++i) {
        // "signalement 20260042": the number without its dash, after a label only.
        if (c.digits(i) && c.word(i).size() == 8 && labelled_from(i) != i) {
            const long year = digits_value(c.word(i).substr(0, 4));
            if (year >= 2000 && year <= 2099)
                out.push_back(make(
                    "ticket",
                    std::string(c.word(i).substr(0, 4)) + "-" + std::string(c.word(i).substr(4)),
                    text, c.t[labelled_from(i)].begin, c.t[i].end));
            continue;
        }
        if (!c.digits(i) || c.word(i).size() != 4) continue;
        const long year = digits_value(c.word(i));
        if (year < 2000 || year > 2099) continue;
        // "2026-0042", or "2026/0042" as some type it.
        if (!((c.is(i + 1, "-") || c.is(i + 1, "/")) && c.glued(i + 1) && c.digits(i + 2) &&
              c.glued(i + 2)))
            continue;
        const std::string_view serial = c.word(i + 2);
        if (serial.size() > 6 || (c.is(i + 1, "/") && serial.size() < 3)) continue;  // "2026/12"
        if (c.glued(i + 3) && (c.is(i + 3, "-") || c.is(i + 3, "/"))) continue;  // an ISO date
        if (c.glued(i) && i > 0 && is_sep(c, i - 1)) continue;
        std::string value = std::to_string(year) + "-";
        const std::string s = strip_zeros(serial);
        if (s.size() < 4) value.append(4 - s.size(), '0');
        value += s;
        out.push_back(
            make("ticket", std::move(value), text, c.t[labelled_from(i)].begin, c.t[i + 2].end));
    }
}

// "+44 7700 900123", "+32 470 12 34 56": another country's number, its country code and 8 to 15
// digits in all (E.164), groups apart by one space, "." or "-" at most. Its end in `last`.
std::optional<std::string> foreign_phone(const token_cursor& c, std::size_t k, std::size_t& last) {
    if (!c.is(k, "+") || !c.digits(k + 1) || !c.glued(k + 1) || c.word(k + 1).starts_with("33") ||
        c.word(k + 1).starts_with("0"))
        return std::nullopt;
    std::string digits;
    ++k;
    while (c.digits(k) && digits.size() + c.word(k).size() <= 15) {
        digits += c.word(k);
        last = ++k;
        if ((c.is(k, ".") || c.is(k, "-")) && c.digits(k + 1)) ++k;
    }
    if (digits.size() < 8 || c.digits(last)) return std::nullopt;
    return "+" + digits;
}

void find_phones(const token_cursor& c, std::string_view text, std::vector<entity>& out) {
    for (std::size_t i = 0; i < c.size(); ++i) {
        std::size_t k = i;
        std::string digits;
        bool international = false;
        if (std::size_t end = 0; auto foreign = foreign_phone(c, i, end)) {
            out.push_back(make("phone", std::move(*foreign), text, c.t[i].begin, c.t[end - 1].end));
            i = end - 1;
            continue;
        }
        // The country code glued to the number ("+33612345678", "0033612345678"): its 9 digits.
        if (const bool plus = c.is(k, "+") && c.glued(k + 1);
            (plus && c.digits(k + 1) && c.word(k + 1).size() == 11 && c.word(k + 1).starts_with("33")) ||
            (c.digits(k) && c.word(k).size() == 13 && c.word(k).starts_with("0033") &&
             !(k > 0 && c.glued(k) && (c.digits(k - 1) || is_sep(c, k - 1))))) {
            const std::string_view w = c.word(plus ? k + 1 : k);
            const std::size_t after = plus ? k + 2 : k + 1;
            if (w[w.size() - 9] != '0' && !c.digits(after) &&
                !(c.glued(after) && (c.is(after, ".") || c.is(after, "-")))) {
                out.push_back(make("phone", "+33" + std::string(w.substr(w.size() - 9)), text,
                                   c.t[i].begin, c.t[after - 1].end));
                i = after - 1;
            }
            continue;
        }
        // "(+33) 6 12 34 56 78": the code in brackets.
        if (c.is(k, "(") && c.is(k + 1, "+") && c.is(k + 2, "33") && c.is(k + 3, ")")) k += 1;
        if (c.is(k, "+") && c.is(k + 1, "33") && c.glued(k + 1)) {
            international = true;
            k += c.is(k + 2, ")") ? 3 : 2;
        } else if (c.is(k, "0033")) {
            international = true;
            k += 1;
        } else if (!c.digits(k) || (k > 0 && c.glued(k) && (c.digits(k - 1) || is_sep(c, k - 1)))) {
            continue;
        }
        if (international && c.is(k, "(") && c.is(k + 1, "0") && c.is(k + 2, ")")) k += 3;
        const std::size_t wanted = international ? 9 : 10;
        std::size_t last = k;
        while (digits.size() < wanted && c.digits(k)) {
            if (c.word(k).size() > wanted - digits.size()) break;
            digits += c.word(k);
            last = k + 1;
            ++k;
            // One separator at most between groups: space, ".", "-".
            if ((c.is(k, ".") || c.is(k, "-")) && c.digits(k + 1)) ++k;
        }
        if (digits.size() != wanted) continue;
        if (c.digits(last) ||
            (c.glued(last) && (c.is(last, ".") || c.is(last, "-")) && c.digits(last + 1)))
            continue;
        if (!international && (digits[0] != '0' || digits[1] == '0')) continue;
        if (international && digits[0] == '0') continue;
        const std::string national = international ? digits : digits.substr(1);
        out.push_back(make("phone", "+33" + national, text, c.t[i].begin, c.t[last - 1].end));
        i = last - 1;
    }
}

void find_emails(const folded_text& f, std::string_view text, std::vector<entity>& out) {
    const std::string& s = f.folded;
    auto local_char = [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
               ch == '%' || ch == '+' || ch == '-';
    };
    auto domain_char = [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' || ch == '-';
    };
    for (std::size_t at = s.find('@'); at != std::string::npos; at = s.find('@', at + 1)) {
        std::size_t b = at;
        while (b > 0 && local_char(s[b - 1])) --b;
        while (b < at && s[b] == '.') ++b;
        std::size_t e = at + 1;
        while (e < s.size() && domain_char(s[e])) ++e;
        while (e > at + 1 && (s[e - 1] == '.' || s[e - 1] == '-')) --e;
        if (b == at || e == at + 1) continue;
        const std::string_view domain = std::string_view(s).substr(at + 1, e - at - 1);
        const std::size_t dot = domain.rfind('.');
        if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) continue;
        bool tld_letters = true;
        for (char ch : domain.substr(dot + 1)) tld_letters = tld_letters && ch >= 'a' && ch <= 'z';
        if (!tld_letters) continue;
        out.push_back(make("email", s.substr(b, e - b), text, f.orig_begin(b), f.orig_end(e)));
    }
}

}  // namespace guichet::entities
