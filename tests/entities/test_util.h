// Helpers for the entities tests: an ISO-8601 parser written with std::chrono only (so the
// expected instants do not depend on the ICU code under test) and entity lookup by type.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "entities/entities.h"

namespace guichet::entities::test {

// "2026-11-28T16:20:00+01:00" -> Unix seconds. The offset is part of the expectation.
inline std::int64_t unix_of(const std::string& iso) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, oh = 0, om = 0;
    char sign = '+';
    if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d%c%d:%d", &y, &mo, &d, &h, &mi, &s, &sign, &oh,
                    &om) != 9)
        return -1;
    using namespace std::chrono;
    const sys_days day{year{y} / month{static_cast<unsigned>(mo)} / static_cast<unsigned>(d)};
    const std::int64_t offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
    return day.time_since_epoch().count() * 86400 + h * 3600 + mi * 60 + s - offset;
}

inline std::vector<entity> of_type(const std::vector<entity>& all, const std::string& type) {
    std::vector<entity> out;
    for (const entity& e : all)
        if (e.type == type) out.push_back(e);
    return out;
}

inline std::string describe(const std::vector<entity>& all) {
    std::string s;
    for (const entity& e : all)
        s += "[" + e.type + " '" + e.text + "' = " + e.value + " " + e.grain + "] ";
    return s;
}

// The reference "now" of most tests: Saturday 28 November 2026, 16:20 in Paris.
inline const std::string saturday_afternoon = "2026-11-28T16:20:00+01:00";

struct dt_case {
    std::string text;
    std::string lang;
    std::string now;    // ISO, local
    std::string start;  // expected value (ISO local start)
    std::string stop;   // expected end (ISO)
    std::string grain;
    std::string matched;  // expected entity text ("" = the whole input)
};

inline void PrintTo(const dt_case& c, std::ostream* os) { *os << c.lang << ": " << c.text; }

// Extracts `c.text` at `c.now` and checks that exactly one datetime came out, as expected.
inline void check_datetime(const dt_case& c) {
    static const extractor ex({});
    const std::vector<entity> all = ex.extract(c.text, c.lang, unix_of(c.now));
    const std::vector<entity> dts = of_type(all, "datetime");
    ASSERT_EQ(dts.size(), 1u) << c.text << " -> " << describe(all);
    const entity& e = dts[0];
    EXPECT_EQ(e.value, c.start) << c.text;
    EXPECT_EQ(e.start, unix_of(c.start)) << c.text;
    EXPECT_EQ(e.stop, unix_of(c.stop))
        << c.text << " stop was " << e.stop - unix_of(c.stop) << " s off";
    EXPECT_EQ(e.grain, c.grain) << c.text;
    EXPECT_EQ(e.text, c.matched.empty() ? c.text : c.matched) << c.text;
    EXPECT_EQ(c.text.substr(e.begin, e.end - e.begin), e.text);
}

}  // namespace guichet::entities::test
