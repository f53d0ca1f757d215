// French public holidays (jours fériés) of metropolitan France, with the two extra days of
// Alsace-Moselle. Used by the opening_hours evaluator (the `PH` selector) and by plugins
// that tell citizens whether a service is closed on a given day.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

namespace guichet::hours {

// One public holiday. The string views point to static storage: they stay valid for the
// whole program and may be kept freely.
struct holiday {
    std::chrono::year_month_day date;
    std::string_view key;      // stable id: "new_year", "easter_monday", "labour_day", "victory_1945",
                               // "ascension", "whit_monday", "national_day", "assumption",
                               // "all_saints", "armistice", "christmas", and for Alsace-Moselle
                               // "good_friday", "st_stephen"
    std::string_view name_fr;  // "Lundi de Pâques"
    std::string_view name_en;  // "Easter Monday"
};

// French metropolitan public holidays of `year`, sorted by date (Easter computed with the
// Anonymous Gregorian algorithm). With `alsace_moselle`, also Good Friday and 26 December.
// Any year is accepted (the Gregorian rules are applied proleptically). Pure function,
// thread-safe.
std::vector<holiday> french_holidays(int year, bool alsace_moselle = false);

// The holiday falling on `d`, if any. `d` must be a valid date (returns nullopt otherwise).
// Thread-safe.
std::optional<holiday> french_holiday_on(std::chrono::year_month_day d, bool alsace_moselle = false);

// Easter Sunday of `year` in the Gregorian calendar (Anonymous Gregorian algorithm). Thread-safe.
std::chrono::year_month_day easter_sunday(int year);

}  // namespace guichet::hours
