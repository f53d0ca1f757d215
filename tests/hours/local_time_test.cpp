// The kept offset stretches of local_time.cpp give ICU's own answers: every zone below, every
// transition between 2000 and 2040 and the seconds around it, and a sweep of times between.
#include "hours/local_time.h"

#include <gtest/gtest.h>
#include <unicode/tztrans.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

using namespace guichet::hours;

int icu_offset(const icu::BasicTimeZone& z, std::int64_t t) {
    int32_t raw = 0, dst = 0;
    UErrorCode ec = U_ZERO_ERROR;
    z.getOffset(static_cast<UDate>(t) * 1000.0, false, raw, dst, ec);
    return (raw + dst) / 1000;
}

std::int64_t icu_local_to_utc(const icu::BasicTimeZone& z, std::int64_t local) {
    int32_t raw = 0, dst = 0;
    UErrorCode ec = U_ZERO_ERROR;
    z.getOffsetFromLocal(static_cast<UDate>(local) * 1000.0, UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw, dst, ec);
    return local - (raw + dst) / 1000;
}

constexpr std::int64_t y2000 = 946684800, y2040 = 2208988800;

// Paris (the usual case), Lord Howe (30-minute DST), Samoa (skipped 30 December 2011),
// São Paulo (DST abolished in 2019), Kiritimati (+14), UTC (no transition at all).
const char* zones[] = {"Europe/Paris", "Australia/Lord_Howe", "Pacific/Apia", "America/Sao_Paulo",
                       "Pacific/Kiritimati", "UTC"};

TEST(LocalTime, AgreesWithIcuAroundEveryTransition) {
    for (const char* name : zones) {
        const auto& z = detail::zone_for(name);
        std::vector<std::int64_t> transitions;
        icu::TimeZoneTransition tr;
        UDate at = static_cast<UDate>(y2000) * 1000.0;
        while (z.getNextTransition(at, false, tr) && tr.getTime() < static_cast<UDate>(y2040) * 1000.0) {
            at = tr.getTime();
            transitions.push_back(static_cast<std::int64_t>(at / 1000.0));
        }
        if (std::string(name) == "Europe/Paris") {
            EXPECT_GT(transitions.size(), 70u);
        }
        for (std::int64_t t : transitions) {
            for (std::int64_t d : {-90000, -86400, -7200, -3600, -1800, -1, 0, 1, 1800, 3600, 7200, 86400, 90000}) {
                // Alternate far and near times so that the kept stretches are replaced often.
                for (std::int64_t u : {y2000 + (t % 100000), t + d}) {
                    ASSERT_EQ(detail::utc_offset(z, u), icu_offset(z, u)) << name << " at " << u;
                    const std::int64_t local = u + icu_offset(z, u) + d % 5400;
                    ASSERT_EQ(detail::local_to_utc(z, local), icu_local_to_utc(z, local))
                        << name << " local " << local;
                }
            }
        }
    }
}

TEST(LocalTime, AgreesWithIcuOverTheYears) {
    for (const char* name : zones) {
        const auto& z = detail::zone_for(name);
        for (std::int64_t t = y2000; t < y2040; t += 7919) {  // a prime: every time of day comes up
            ASSERT_EQ(detail::utc_offset(z, t), icu_offset(z, t)) << name << " at " << t;
            ASSERT_EQ(detail::local_to_utc(z, t), icu_local_to_utc(z, t)) << name << " local " << t;
        }
    }
}

TEST(LocalTime, SkippedAndRepeatedWallTimes) {
    const auto& z = detail::zone_for("Europe/Paris");
    // 2026-03-29 02:30 does not exist in Paris: moved forward to 03:30 (01:30 UTC).
    EXPECT_EQ(detail::local_to_utc(z, 1774751400), 1774747800);
    // 2026-10-25 02:30 happens twice: the first one (00:30 UTC) is taken.
    EXPECT_EQ(detail::local_to_utc(z, 1792895400), 1792888200);
    // Samoa went from 29 to 31 December 2011: 30 December noon is moved to the 31st.
    const auto& apia = detail::zone_for("Pacific/Apia");
    EXPECT_EQ(detail::local_to_utc(apia, 1325246400), icu_local_to_utc(apia, 1325246400));
}

}  // namespace
