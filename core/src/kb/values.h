// Vocabularies and value checks shared by the source loaders: place categories and waste
// streams (with their fr/en labels, written into the knowledge base), weekdays, dates and
// local date-times (ICU calendar and time zones), URLs (Boost.URL) and e-mail addresses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::kb {

// In an FAQ answer, the coming school holidays: filled by the FAQ plugin, left out of the
// search index.
inline constexpr std::string_view school_holidays_placeholder = "{school_holidays}";
// In an FAQ answer, the places open for a season (the Christmas market) during the period the
// question names ("ce week-end"), else the coming seven days: filled by the FAQ plugin, left
// out of the search index.
inline constexpr std::string_view seasonal_places_placeholder = "{seasonal_places}";

struct vocabulary_entry {
    const char* id;
    const char* label_fr;
    const char* label_en;
    std::vector<const char*> synonyms_fr;
    std::vector<const char*> synonyms_en;
    // A place category sought in an emergency ("vite, un défibrillateur !"): the emergency
    // numbers, then the nearest such place.
    bool lifesaving = false;
};

const std::vector<vocabulary_entry>& place_categories();
bool is_lifesaving_category(std::string_view id);
const std::vector<vocabulary_entry>& waste_streams();
const std::vector<vocabulary_entry>& faq_topics();
std::vector<std::string> ids_of(const std::vector<vocabulary_entry>& v);
bool contains_id(const std::vector<vocabulary_entry>& v, std::string_view id);

// "Mo"/"lundi"/"monday" (any case, accents optional) → 1…7; nullopt otherwise.
std::optional<int> parse_weekday(std::string_view s);

// A month ("avril", "April", "apr", "4": bit 1 << 4), or a range of them ("avril-octobre";
// "novembre-mars" runs over the new year): the bits of the months; nullopt otherwise.
std::optional<int> parse_months(std::string_view s);

// Strict "YYYY-MM-DD" with a real calendar date.
bool valid_date(std::string_view s);
// A valid "YYYY-MM-DD" as days since 1970-01-01 (hours::school_holiday's day numbers); nullopt
// otherwise.
std::optional<std::int64_t> day_number(std::string_view s);
// The other way: days since 1970-01-01 as "YYYY-MM-DD".
std::string iso_day(std::int64_t day_number);

// The local day (days since 1970-01-01) at Unix time `t` in IANA zone `tz` (UTC's for a zone
// ICU does not know): "today" for the checks of dated content.
std::int64_t local_day_of(std::int64_t t, const std::string& tz);
// The weekday of a day number in French or English ("samedi", "Saturday"), by ICU.
std::string weekday_name(std::int64_t day_number, bool fr);

// Local "YYYY-MM-DD HH:MM" (or with 'T', optional ":SS") in IANA zone `tz` → Unix seconds.
// nullopt for a malformed or non-existent date/time (or unknown zone).
std::optional<std::int64_t> local_to_unix(std::string_view s, const std::string& tz);

// Absolute http(s) URL with a host.
bool valid_url(std::string_view s);
// Something like name@domain.tld, no spaces.
bool valid_email(std::string_view s);

// A phone number as staff write it: French (10 digits from 0: "02 38 45 10 00"), "+33" and 9
// digits, another country's ("+" and 8 to 15 digits), or a short number (2 to 6 digits: 15,
// 112, 3114); spaces, dots and dashes may separate the digits. nullopt when valid; else the
// byte offset of the first character that has no place in a number, or 0 when the number of
// digits is wrong.
std::optional<std::size_t> phone_problem(std::string_view s);

// Five digits ("45960").
bool valid_postcode(std::string_view s);

}  // namespace guichet::kb
