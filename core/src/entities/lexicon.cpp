// Word lists for the recognisers (see lexicon.h). Hand-written: no Debian C/C++ library
// has French number words or date vocabulary with the offsets we need.
#include "entities/lexicon.h"

#include <array>
#include <utility>

#include "entities/gazetteer.h"

namespace guichet::entities {

std::size_t token_cursor::phrase(std::size_t i,
                                 std::initializer_list<std::string_view> words) const {
    bool first = true;
    for (std::string_view w : words) {
        if (!first)
            while (i < t.size() && t[i].kind == token_kind::punct &&
                   (t[i].text == "'" || t[i].text == "-"))
                ++i;
        if (!is(i, w)) return 0;
        ++i;
        first = false;
    }
    return i;
}

namespace {

template <std::size_t N>
int index_in(const std::array<std::pair<std::string_view, int>, N>& table, std::string_view w) {
    for (const auto& [name, v] : table)
        if (name == w) return v;
    return -1;
}

constexpr std::array<std::pair<std::string_view, int>, 7> weekdays_fr{{{"dimanche", 0},
                                                                       {"lundi", 1},
                                                                       {"mardi", 2},
                                                                       {"mercredi", 3},
                                                                       {"jeudi", 4},
                                                                       {"vendredi", 5},
                                                                       {"samedi", 6}}};
constexpr std::array<std::pair<std::string_view, int>, 14> weekdays_en{{{"sunday", 0},
                                                                        {"monday", 1},
                                                                        {"tuesday", 2},
                                                                        {"wednesday", 3},
                                                                        {"thursday", 4},
                                                                        {"friday", 5},
                                                                        {"saturday", 6},
                                                                        {"sundays", 0},
                                                                        {"mondays", 1},
                                                                        {"tuesdays", 2},
                                                                        {"wednesdays", 3},
                                                                        {"thursdays", 4},
                                                                        {"fridays", 5},
                                                                        {"saturdays", 6}}};
constexpr std::array<std::pair<std::string_view, int>, 21> months_fr{
    {{"janvier", 1},   {"fevrier", 2},   {"mars", 3}, {"avril", 4},     {"mai", 5},
     {"juin", 6},      {"juillet", 7},   {"aout", 8}, {"septembre", 9}, {"octobre", 10},
     {"novembre", 11}, {"decembre", 12}, {"janv", 1}, {"fevr", 2},      {"fev", 2},
     {"avr", 4},       {"juil", 7},      {"sept", 9}, {"oct", 10},      {"nov", 11},
     {"dec", 12}}};
constexpr std::array<std::pair<std::string_view, int>, 24> months_en{
    {{"january", 1},   {"february", 2},  {"march", 3},  {"april", 4},     {"may", 5},
     {"june", 6},      {"july", 7},      {"august", 8}, {"september", 9}, {"october", 10},
     {"november", 11}, {"december", 12}, {"jan", 1},    {"feb", 2},       {"mar", 3},
     {"apr", 4},       {"jun", 6},       {"jul", 7},    {"aug", 8},       {"sep", 9},
     {"sept", 9},      {"oct", 10},      {"nov", 11},   {"dec", 12}}};

constexpr std::array<std::pair<std::string_view, int>, 23> numbers_fr{
    {{"zero", 0},      {"deux", 2},   {"trois", 3},   {"quatre", 4},    {"cinq", 5},
     {"six", 6},       {"sept", 7},   {"huit", 8},    {"neuf", 9},      {"dix", 10},
     {"onze", 11},     {"douze", 12}, {"treize", 13}, {"quatorze", 14}, {"quinze", 15},
     {"seize", 16},    {"vingt", 20}, {"trente", 30}, {"quarante", 40}, {"cinquante", 50},
     {"soixante", 60}, {"cent", 100}, {"mille", 1000}}};
constexpr std::array<std::pair<std::string_view, int>, 30> numbers_en{
    {{"zero", 0},     {"two", 2},        {"three", 3},     {"four", 4},        {"five", 5},
     {"six", 6},      {"seven", 7},      {"eight", 8},     {"nine", 9},        {"ten", 10},
     {"eleven", 11},  {"twelve", 12},    {"thirteen", 13}, {"fourteen", 14},   {"fifteen", 15},
     {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18}, {"nineteen", 19},   {"twenty", 20},
     {"thirty", 30},  {"forty", 40},     {"fifty", 50},    {"sixty", 60},      {"seventy", 70},
     {"eighty", 80},  {"ninety", 90},    {"hundred", 100}, {"thousand", 1000}, {"none", -1}}};

int one_word(std::string_view w, bool fr, bool allow_one) {
    if (allow_one) {
        if (fr && (w == "un" || w == "une")) return 1;
        if (!fr && (w == "one" || w == "a" || w == "an")) return 1;
    }
    return fr ? index_in(numbers_fr, w) : index_in(numbers_en, w);
}

// Two neighbouring letters swapped ("dimanhce", "satruday"): the commonest typo on a phone.
bool one_swap_apart(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    std::size_t i = 0;
    while (i < a.size() && a[i] == b[i]) ++i;
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] &&
           a.substr(i + 2) == b.substr(i + 2);
}

}  // namespace

int weekday_of(std::string_view w, bool fr) {
    const int exact = fr ? index_in(weekdays_fr, w) : index_in(weekdays_en, w);
    if (exact >= 0 || w.size() < 5) return exact;
    // A typing slip: two letters swapped, or one letter missing, added or wrong after the
    // first ("dimanch", "samdi", "mecredi", "tusday"); no other word is that close to a day.
    auto slipped = [&](const auto& table) {
        for (const auto& [name, v] : table)
            if (name[0] == w[0] && (one_swap_apart(name, w) || osa_distance(name, w, 1) <= 1))
                return v;
        return -1;
    };
    return fr ? slipped(weekdays_fr) : slipped(weekdays_en);
}

int month_of(std::string_view w, bool fr, bool slips) {
    int m = fr ? index_in(months_fr, w) : index_in(months_en, w);
    if (m < 0 && slips && w.size() >= 6) {  // "decmbre", "novembe", "septmber" (not "match": March)
        auto slipped = [&](const auto& table) {
            for (const auto& [name, v] : table)
                if (name.size() >= 6 && name[0] == w[0] && osa_distance(name, w, 1) <= 1) return v;
            return -1;
        };
        m = fr ? slipped(months_fr) : slipped(months_en);
    }
    return m < 0 ? 0 : m;
}

long digits_value(std::string_view w) {
    if (w.empty() || w.size() > 9) return -1;
    long v = 0;
    for (char ch : w) {
        if (ch < '0' || ch > '9') return -1;
        v = v * 10 + (ch - '0');
    }
    return v;
}

int day_number(std::string_view w) {
    std::size_t n = 0;
    while (n < w.size() && n < 2 && w[n] >= '0' && w[n] <= '9') ++n;
    if (n == 0) return 0;
    const long d = digits_value(w.substr(0, n));
    const std::string_view suffix = w.substr(n);
    if (!suffix.empty()) {
        const bool ok = (d == 1 && (suffix == "er" || suffix == "re" || suffix == "st")) ||
                        suffix == "e" || suffix == "eme" || suffix == "th" ||
                        (d % 10 == 2 && d != 12 && suffix == "nd") ||
                        (d % 10 == 3 && d != 13 && suffix == "rd") ||
                        (d % 10 == 1 && d != 11 && suffix == "st");
        if (!ok) return 0;
    }
    return d >= 1 && d <= 31 ? static_cast<int>(d) : 0;
}

std::optional<number_match> number_words(const token_cursor& c, std::size_t i, bool fr,
                                         bool allow_one) {
    const int first = one_word(c.word(i), fr, allow_one);
    if (first < 0) return std::nullopt;
    number_match m{first, i + 1};
    // Joiner between a ten and its unit: "-", "et"/"and", or nothing ("twenty one").
    auto after_joiner = [&](std::size_t k) {
        if (c.is(k, "-")) return k + 1;
        if (c.is(k, fr ? "et" : "and")) return k + 1;
        return k;
    };
    if (fr && first == 4) {  // quatre-vingt(s)[-dix|-un|...]
        const std::size_t k = c.phrase(i, {"quatre", "vingt"});
        const std::size_t ks = c.phrase(i, {"quatre", "vingts"});
        if (k != 0 || ks != 0) {
            m.value = 80;
            m.end = k != 0 ? k : ks;
            if (k != 0 && c.is(m.end, "-")) {
                const int u = one_word(c.word(m.end + 1), fr, true);
                if (u >= 1 && u <= 19) {  // "quatre-vingt-dix", "quatre-vingt-un"
                    m.value += u;
                    m.end += 2;
                }
            }
            return m;
        }
    }
    if (fr && first == 10) {  // dix-sept, dix-huit, dix-neuf
        for (int u : {7, 8, 9}) {
            static constexpr std::string_view names[] = {"sept", "huit", "neuf"};
            const std::size_t k = c.phrase(i, {"dix", names[u - 7]});
            if (k != 0) return number_match{10 + u, k};
        }
    }
    if (first >= 20 && first <= 90 && first % 10 == 0) {
        const std::size_t k = after_joiner(i + 1);
        const int u = one_word(c.word(k), fr, true);
        const int max_unit = (fr && first == 60) ? 19 : 9;
        if (u >= 1 && u <= max_unit) {
            // "soixante-dix-sept": dix followed by a unit
            if (fr && first == 60 && u == 10) {
                for (int v : {7, 8, 9}) {
                    static constexpr std::string_view names[] = {"sept", "huit", "neuf"};
                    const std::size_t k2 = c.phrase(k, {"dix", names[v - 7]});
                    if (k2 != 0) return number_match{first + 10 + v, k2};
                }
            }
            m.value = first + u;
            m.end = k + 1;
        }
    }
    return m;
}

}  // namespace guichet::entities
