// Closures said in a place's note (see note_closures.h).
#include "kb/note_closures.h"

#include <array>
#include <chrono>
#include <optional>

#include "kb/text_fold.h"

namespace guichet::kb {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> osm_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// 1–12 for a folded month name (French, English, English abbreviation), else 0.
unsigned month_of(std::string_view w) {
    static constexpr std::array<std::array<std::string_view, 3>, 12> names{{
        {"janvier", "january", "jan"},   {"fevrier", "february", "feb"},
        {"mars", "march", "mar"},        {"avril", "april", "apr"},
        {"mai", "may", "may"},           {"juin", "june", "jun"},
        {"juillet", "july", "jul"},      {"aout", "august", "aug"},
        {"septembre", "september", "sep"}, {"octobre", "october", "oct"},
        {"novembre", "november", "nov"}, {"decembre", "december", "dec"},
    }};
    for (unsigned m = 0; m < names.size(); ++m)
        for (std::string_view n : names[m])
            if (w == n) return m + 1;
    return w == "sept" ? 9 : 0;
}

// 1–31 for "2", "02", "1er", "2nd", "15th", else 0.
unsigned day_of(std::string_view w) {
    std::size_t n = 0;
    while (n < w.size() && n < 2 && w[n] >= '0' && w[n] <= '9') ++n;
    if (n == 0) return 0;
    const std::string_view rest = w.substr(n);
    if (!rest.empty() && rest != "er" && rest != "e" && rest != "st" && rest != "nd" &&
        rest != "rd" && rest != "th")
        return 0;
    unsigned d = 0;
    for (std::size_t i = 0; i < n; ++i) d = d * 10 + static_cast<unsigned>(w[i] - '0');
    return d >= 1 && d <= 31 ? d : 0;
}

int year_of(std::string_view w) {
    if (w.size() != 4) return 0;
    int y = 0;
    for (char c : w) {
        if (c < '0' || c > '9') return 0;
        y = y * 10 + (c - '0');
    }
    return y >= 2000 && y <= 2100 ? y : 0;
}

bool says_closed(const std::vector<std::string>& words) {
    for (const auto& w : words)
        if (w.starts_with("ferme") || w == "closed" || w == "closure" || w == "closures" ||
            w == "shut")
            return true;
    return false;
}

std::vector<std::string> split_words(const std::string& folded) {
    std::vector<std::string> out;
    for (std::size_t at = 0; at < folded.size();) {
        std::size_t end = folded.find(' ', at);
        if (end == std::string::npos) end = folded.size();
        if (end > at) out.push_back(folded.substr(at, end - at));
        at = end + 1;
    }
    return out;
}

// A day as written: the month and year may be missing (the other end of the span gives them).
struct written_day {
    unsigned day = 0;  // 0: the whole month
    unsigned month = 0;
    int year = 0;
};

struct reader {
    const std::vector<std::string>& w;
    std::size_t i = 0;
    bool is(std::string_view s) const { return i < w.size() && w[i] == s; }
    bool take(std::initializer_list<std::string_view> any) {
        for (std::string_view s : any)
            if (is(s)) {
                ++i;
                return true;
            }
        return false;
    }
    std::string_view peek() const { return i < w.size() ? std::string_view(w[i]) : ""; }
    // "2", "2 août", "2 août 2027", "August 2" (English order), "the 2nd of August".
    std::optional<written_day> day(bool month_required) {
        take({"le", "the"});
        written_day d;
        if (unsigned m = month_of(peek()); m != 0 && day_of(i + 1 < w.size() ? w[i + 1] : "")) {
            d.month = m;
            d.day = day_of(w[i + 1]);
            i += 2;
        } else if (unsigned n = day_of(peek())) {
            d.day = n;
            ++i;
            take({"of"});
            if (unsigned m = month_of(peek())) {
                d.month = m;
                ++i;
            }
        } else {
            return std::nullopt;
        }
        if (d.month == 0 && month_required) return std::nullopt;
        if (int y = year_of(peek())) {
            d.year = y;
            ++i;
        }
        return d;
    }
};

std::optional<sys_days> date_of(int y, unsigned m, unsigned d) {
    const year_month_day ymd{year{y}, month{m}, day{d}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd};
}

// The span from `a` to `b` at its next occurrence not ending before `today`.
std::optional<said_closure> span(written_day a, written_day b, std::int64_t today) {
    if (a.month == 0) a.month = b.month;
    if (a.year == 0 && b.year != 0) a.year = a.month > b.month ? b.year - 1 : b.year;
    const bool whole_month = a.day == 0;
    const int this_year = static_cast<int>(year_month_day{sys_days{days{today}}}.year());
    const bool dated = a.year != 0;
    // (From last year's: "du 24 décembre au 2 janvier" read on 1 January is the one going on.)
    for (int y = dated ? a.year : this_year - 1; y <= (dated ? a.year : this_year + 1); ++y) {
        const int y2 = b.month < a.month ? y + 1 : y;
        auto first = date_of(y, a.month, whole_month ? 1 : a.day);
        auto last = whole_month ? std::optional<sys_days>(sys_days{year_month_day_last{
                                      year{y}, month_day_last{month{a.month}}}})
                                : date_of(dated && b.year ? b.year : y2, b.month, b.day);
        if (!first || !last || *last < *first || (*last - *first).count() > 366) return std::nullopt;
        if (last->time_since_epoch().count() < today) continue;
        said_closure c;
        c.first_day = first->time_since_epoch().count();
        c.last_day = last->time_since_epoch().count();
        if (!dated) {  // a year in the rule would be one more thing to get wrong: none written
            auto md = [](unsigned m, unsigned d) {
                return std::string(osm_months[m - 1]) + (d < 10 ? " 0" : " ") + std::to_string(d);
            };
            if (whole_month)
                c.rule = std::string(osm_months[a.month - 1]) + " off";
            else if (a.month == b.month && a.day == b.day)
                c.rule = md(a.month, a.day) + " off";
            else if (a.month == b.month)
                c.rule = md(a.month, a.day) + "-" + (b.day < 10 ? "0" : "") +
                         std::to_string(b.day) + " off";
            else
                c.rule = md(a.month, a.day) + "-" + md(b.month, b.day) + " off";
        }
        return c;
    }
    return std::nullopt;
}

// The spans of one sentence's words.
std::vector<said_closure> spans_in(const std::vector<std::string>& w, std::int64_t today) {
    std::vector<said_closure> out;
    for (std::size_t i = 0; i < w.size(); ++i) {
        reader r{w, i};
        std::optional<said_closure> found;
        if (r.take({"du", "from", "between"})) {  // du 2 au 22 août, from August 2 to 22
            auto a = r.day(false);
            const bool to = a && (r.take({"au", "to", "until", "till", "through", "and"}) ||
                                  (r.is("jusqu") && (++r.i, r.take({"au"}))));
            if (to) {
                // "from August 2 to 22": the second day takes the first one's month.
                auto b = r.day(false);
                if (b && b->month == 0) b->month = a->month;
                if (b && b->month != 0) found = span(*a, *b, today);
            }
        } else if (r.take({"en", "in", "throughout", "during"}) ||
                   (r.take({"mois"}) && r.take({"d", "de"}))) {  // en août, au mois d'août
            if (unsigned m = month_of(r.peek())) {
                ++r.i;
                written_day d{0, m, year_of(r.peek())};
                if (d.year) ++r.i;
                found = span(d, d, today);
            }
        } else if (r.take({"le", "on"})) {  // le 15 août, on August 15th
            if (auto d = r.day(true)) found = span(*d, *d, today);
        }
        if (found) {
            out.push_back(std::move(*found));
            i = r.i - 1;
        }
    }
    return out;
}

}  // namespace

std::vector<said_closure> closures_in_note(std::string_view note, std::int64_t today) {
    std::vector<said_closure> out;
    for (std::size_t at = 0; at < note.size();) {
        std::size_t end = note.find_first_of(".!?;\n", at);
        if (end == std::string_view::npos) end = note.size();
        std::string_view sentence = note.substr(at, end - at);
        const std::size_t lead = sentence.find_first_not_of(" \t");
        if (lead != std::string_view::npos) {
            sentence.remove_prefix(lead);
            const auto words = split_words(fold(sentence));
            if (says_closed(words))
                for (auto& c : spans_in(words, today)) {
                    c.sentence_at = at + lead;
                    c.sentence = std::string(sentence.substr(0, sentence.find_last_not_of(" \t") + 1));
                    out.push_back(std::move(c));
                }
        }
        at = end + 1;
    }
    return out;
}

}  // namespace guichet::kb
