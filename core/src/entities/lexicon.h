// Word lists of French and English used by the recognisers: weekdays, months, ordinal day
// numbers, number words ("vingt-deux", "twenty-one"), and a matcher for multi-word phrases
// that skips apostrophes and hyphens ("aujourd'hui", "après-midi"). Internal to `entities`.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <vector>

#include "entities/text_fold.h"

namespace guichet::entities {

// Read-only view over a token list with bounds-checked helpers.
struct token_cursor {
    const std::vector<token>& t;
    std::size_t size() const { return t.size(); }
    std::string_view word(std::size_t i) const {
        return i < t.size() ? t[i].text : std::string_view{};
    }
    bool is(std::size_t i, std::string_view w) const { return i < t.size() && t[i].text == w; }
    bool glued(std::size_t i) const { return i < t.size() && !t[i].space_before; }
    bool digits(std::size_t i) const { return i < t.size() && t[i].digits; }
    bool punct(std::size_t i) const { return i < t.size() && t[i].kind == token_kind::punct; }
    // Matches `words` from token i, skipping "'" and "-" tokens between them; returns the
    // index after the match, or 0 when it does not match.
    std::size_t phrase(std::size_t i, std::initializer_list<std::string_view> words) const;
};

// Weekday as std::chrono::weekday c_encoding (0 = Sunday), or -1.
int weekday_of(std::string_view w, bool fr);
// Month 1..12, or 0. English "may" and "march" are months too: callers only accept a
// month next to a day number.
int month_of(std::string_view w, bool fr, bool slips = true);  // `slips`: typos too
// "3", "03", "1er", "1re", "3e", "3eme", "1st", "2nd", "3rd", "4th" -> 1..31, or 0.
int day_number(std::string_view w);
// Integer value of an all-digit token of at most 9 digits, or -1.
long digits_value(std::string_view w);

struct number_match {
    long value = 0;
    std::size_t end = 0;  // token index after the number words
};
// Number words from token i: units, teens, tens and their compounds ("vingt et un",
// "quatre-vingt-dix", "twenty-one"), "cent"/"hundred", "mille"/"thousand" alone.
// `allow_one`: also accept "un"/"une" (fr) or "one"/"a"/"an" (en), which are most often
// articles and are only numbers in contexts such as "dans une heure".
std::optional<number_match> number_words(const token_cursor& c, std::size_t i, bool fr,
                                         bool allow_one);

}  // namespace guichet::entities
