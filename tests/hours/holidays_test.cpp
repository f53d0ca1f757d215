// Tests of the French public holiday calendar (Easter computus, movable feasts, Alsace-Moselle).
#include "hours/holidays.h"

#include <gtest/gtest.h>

#include <set>

namespace guichet::hours {
namespace {

using namespace std::chrono;

year_month_day ymd(int y, unsigned m, unsigned d) { return year_month_day{year{y}, month{m}, day{d}}; }

TEST(easter_sunday, known_years) {
    EXPECT_EQ(easter_sunday(2024), ymd(2024, 3, 31));
    EXPECT_EQ(easter_sunday(2025), ymd(2025, 4, 20));
    EXPECT_EQ(easter_sunday(2026), ymd(2026, 4, 5));
    EXPECT_EQ(easter_sunday(2027), ymd(2027, 3, 28));
    EXPECT_EQ(easter_sunday(2000), ymd(2000, 4, 23));
    EXPECT_EQ(easter_sunday(2038), ymd(2038, 4, 25));  // latest possible date
    EXPECT_EQ(easter_sunday(2285), ymd(2285, 3, 22));  // earliest possible date
}

TEST(easter_sunday, always_a_sunday_between_22_march_and_25_april) {
    for (int y = 1900; y <= 2200; ++y) {
        const auto e = easter_sunday(y);
        ASSERT_TRUE(e.ok()) << y;
        EXPECT_EQ(weekday{sys_days{e}}, Sunday) << y;
        EXPECT_GE(sys_days{e}, sys_days{ymd(y, 3, 22)}) << y;
        EXPECT_LE(sys_days{e}, sys_days{ymd(y, 4, 25)}) << y;
    }
}

TEST(french_holidays, year_2025) {
    const auto hs = french_holidays(2025);
    ASSERT_EQ(hs.size(), 11u);
    EXPECT_EQ(hs[0].key, "new_year");
    EXPECT_EQ(hs[1].key, "easter_monday");
    EXPECT_EQ(hs[1].date, ymd(2025, 4, 21));
    EXPECT_EQ(hs[1].name_fr, "Lundi de Pâques");
    EXPECT_EQ(hs[1].name_en, "Easter Monday");
    const auto asc = french_holiday_on(ymd(2025, 5, 29));
    ASSERT_TRUE(asc.has_value());
    EXPECT_EQ(asc->key, "ascension");
    const auto whit = french_holiday_on(ymd(2025, 6, 9));
    ASSERT_TRUE(whit.has_value());
    EXPECT_EQ(whit->key, "whit_monday");
    EXPECT_FALSE(french_holiday_on(ymd(2025, 6, 10)).has_value());
}

TEST(french_holidays, year_2026_movable_feasts) {
    EXPECT_EQ(french_holiday_on(ymd(2026, 4, 6))->key, "easter_monday");
    EXPECT_EQ(french_holiday_on(ymd(2026, 5, 14))->key, "ascension");
    EXPECT_EQ(french_holiday_on(ymd(2026, 5, 25))->key, "whit_monday");
}

TEST(french_holidays, sorted_and_unique_keys) {
    for (int y = 2000; y <= 2040; ++y) {
        for (bool am : {false, true}) {
            const auto hs = french_holidays(y, am);
            EXPECT_EQ(hs.size(), am ? 13u : 11u);
            std::set<std::string_view> keys;
            for (std::size_t i = 0; i < hs.size(); ++i) {
                keys.insert(hs[i].key);
                EXPECT_FALSE(hs[i].name_fr.empty());
                EXPECT_FALSE(hs[i].name_en.empty());
                if (i > 0) {
                    EXPECT_LE(sys_days{hs[i - 1].date}, sys_days{hs[i].date}) << y;
                }
            }
            EXPECT_EQ(keys.size(), hs.size());
        }
    }
}

TEST(french_holidays, alsace_moselle_adds_good_friday_and_st_stephen) {
    EXPECT_FALSE(french_holiday_on(ymd(2025, 4, 18)).has_value());
    EXPECT_EQ(french_holiday_on(ymd(2025, 4, 18), true)->key, "good_friday");
    EXPECT_FALSE(french_holiday_on(ymd(2025, 12, 26)).has_value());
    EXPECT_EQ(french_holiday_on(ymd(2025, 12, 26), true)->key, "st_stephen");
}

TEST(french_holidays, invalid_date_is_not_a_holiday) {
    EXPECT_FALSE(french_holiday_on(ymd(2025, 2, 30)).has_value());
}

}  // namespace
}  // namespace guichet::hours
