// French public holidays: fixed dates plus the Easter-based movable feasts
// (Easter Monday, Ascension = Easter + 39, Whit Monday = Easter + 50; Good Friday in
// Alsace-Moselle). Easter is computed with the Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
#include "hours/holidays.h"

#include <algorithm>

namespace guichet::hours {

namespace {

using namespace std::chrono;

year_month_day shift(year_month_day d, int days_delta) {
    return year_month_day{sys_days{d} + days{days_delta}};
}

year_month_day ymd(int y, unsigned m, unsigned d) {
    return year_month_day{year{y}, month{m}, day{d}};
}

}  // namespace

std::chrono::year_month_day easter_sunday(int y) {
    const int a = y % 19;
    const int b = y / 100;
    const int c = y % 100;
    const int d = b / 4;
    const int e = b % 4;
    const int f = (b + 8) / 25;
    const int g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4;
    const int k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month_num = (h + l - 7 * m + 114) / 31;
    const int day_num = (h + l - 7 * m + 114) % 31 + 1;
    return ymd(y, static_cast<unsigned>(month_num), static_cast<unsigned>(day_num));
}

std::vector<holiday> french_holidays(int y, bool alsace_moselle) {
    const auto easter = easter_sunday(y);
    std::vector<holiday> out;
    out.reserve(13);
    out.push_back({ymd(y, 1, 1), "new_year", "Jour de l'an", "New Year's Day"});
    if (alsace_moselle) out.push_back({shift(easter, -2), "good_friday", "Vendredi saint", "Good Friday"});
    out.push_back({shift(easter, 1), "easter_monday", "Lundi de Pâques", "Easter Monday"});
    out.push_back({ymd(y, 5, 1), "labour_day", "Fête du Travail", "Labour Day"});
    out.push_back({ymd(y, 5, 8), "victory_1945", "Victoire 1945", "Victory in Europe Day"});
    out.push_back({shift(easter, 39), "ascension", "Ascension", "Ascension Day"});
    out.push_back({shift(easter, 50), "whit_monday", "Lundi de Pentecôte", "Whit Monday"});
    out.push_back({ymd(y, 7, 14), "national_day", "Fête nationale", "Bastille Day"});
    out.push_back({ymd(y, 8, 15), "assumption", "Assomption", "Assumption Day"});
    out.push_back({ymd(y, 11, 1), "all_saints", "Toussaint", "All Saints' Day"});
    out.push_back({ymd(y, 11, 11), "armistice", "Armistice 1918", "Armistice Day"});
    out.push_back({ymd(y, 12, 25), "christmas", "Noël", "Christmas Day"});
    if (alsace_moselle) out.push_back({ymd(y, 12, 26), "st_stephen", "Saint-Étienne", "St Stephen's Day"});
    // Ascension can fall on 1 or 8 May (e.g. 2008: 1 May): keep the order by date stable.
    std::stable_sort(out.begin(), out.end(), [](const holiday& a, const holiday& b) {
        return sys_days{a.date} < sys_days{b.date};
    });
    return out;
}

std::optional<holiday> french_holiday_on(std::chrono::year_month_day d, bool alsace_moselle) {
    if (!d.ok()) return std::nullopt;
    for (const auto& h : french_holidays(static_cast<int>(d.year()), alsace_moselle)) {
        if (h.date == d) return h;
    }
    return std::nullopt;
}

}  // namespace guichet::hours
