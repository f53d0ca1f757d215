// The opening_hours parser class (internal): recursive descent over the tokens of lexer.h,
// producing detail::program. Split over parser.cpp (rules, errors, public parse()),
// parser_dates.cpp (years, months, dates, weeks) and parser_times.cpp (weekdays, PH, times).
// Hand-written: no C/C++ library for this grammar exists in Debian.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "hours/lexer.h"
#include "hours/opening_hours_ast.h"

namespace guichet::hours::detail {

constexpr std::array<std::string_view, 7> weekday_names{"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"};
constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// Token classification helpers.
bool iequals(std::string_view a, std::string_view b);
int weekday_of(const token& t);  // 0 = Mo, -1 if not a weekday
int month_of(const token& t);    // 1..12, -1 if not a month
inline bool is_word(const token& t, std::string_view w) { return t.k == tok::word && t.text == w; }
inline bool is_year(const token& t) { return t.k == tok::number && t.len == 4; }
inline bool is_state_word(const token& t) {
    return is_word(t, "open") || is_word(t, "closed") || is_word(t, "off") || is_word(t, "unknown");
}

// Not thread-safe (one instance per parse() call).
class parser {
public:
    parser(std::string_view src, std::vector<token> toks) : src_(src), t_(std::move(toks)) {}
    program run();

private:
    [[noreturn]] void fail(std::size_t pos, std::string en, std::string fr);
    const token& peek(std::size_t ahead = 0) const;
    const token& next();
    [[noreturn]] void unexpected(const token& t);
    [[noreturn]] void word_error(const token& t);
    // "24/12", "24/12/2026", "24/12-02/01" (a date written the French way) at `t`: the date
    // as this grammar writes it ("Dec 24", "2026 Dec 24", "Dec 24-Jan 02"); "" otherwise.
    std::string french_date_at(const token& t) const;
    int parse_day_offset(int max_days);
    int expect_number(std::string_view what_en, std::string_view what_fr);
    group parse_years();
    bool starts_md_item(std::size_t ahead = 0) const;
    void check_day(int month, const token& d);
    date_point parse_point(int year, bool allow_month_only, bool& month_only);
    item parse_md_item(int& last_month);
    group parse_monthdays();
    group parse_weeks();
    bool starts_weekday_item(std::size_t ahead = 0) const;
    group parse_weekdays();
    static int guess_close(int start);
    void parse_times(rule& r);
    rule parse_rule();

    std::string_view src_;
    std::vector<token> t_;
    std::size_t i_ = 0;
    bool last_rule_ends_with_time_or_modifier_ = false;
    // Where the rule's last time range starts (npos before one): "10:00-12:00 14:00-18:00"
    // is said with the comma put in.
    std::size_t last_range_at_ = std::string_view::npos;
};

}  // namespace guichet::hours::detail
