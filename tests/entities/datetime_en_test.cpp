// English dates and times against the same fixed clock as the French table.
#include "test_util.h"

namespace guichet::entities::test {
namespace {

const std::string sat = saturday_afternoon;  // Saturday 2026-11-28 16:20 +01:00

class english_datetime : public ::testing::TestWithParam<dt_case> {};
TEST_P(english_datetime, resolves) { check_datetime(GetParam()); }

INSTANTIATE_TEST_SUITE_P(
    relative, english_datetime,
    ::testing::Values(dt_case{"today", "en", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", ""},
                      dt_case{"Tomorrow", "en", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", ""},
                      // SMS spellings
                      dt_case{"is the pool open on tusday", "en", sat, "2026-12-01T00:00:00+01:00",
                              "2026-12-02T00:00:00+01:00", "day", "on tusday"},
                      dt_case{"u open 2moro?", "en", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "2moro"},
                      dt_case{"open tmr", "en", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "tmr"},
                      dt_case{"pool open 2day", "en", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", "2day"},
                      dt_case{"tonight", "en", sat, "2026-11-28T18:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "part_of_day", ""},
                      dt_case{"open tonite?", "en", sat, "2026-11-28T18:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "part_of_day", "tonite"},
                      dt_case{"this morning", "en", sat, "2026-11-28T06:00:00+01:00",
                              "2026-11-28T12:00:00+01:00", "part_of_day", ""},
                      dt_case{"this afternoon", "en", sat, "2026-11-28T12:00:00+01:00",
                              "2026-11-28T18:00:00+01:00", "part_of_day", ""},
                      dt_case{"this evening", "en", sat, "2026-11-28T18:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "part_of_day", ""},
                      dt_case{"now", "en", sat, "2026-11-28T16:20:00+01:00",
                              "2026-11-28T16:21:00+01:00", "instant", ""},
                      dt_case{"in 2 hours", "en", sat, "2026-11-28T18:20:00+01:00",
                              "2026-11-28T18:21:00+01:00", "instant", ""},
                      dt_case{"in an hour", "en", sat, "2026-11-28T17:20:00+01:00",
                              "2026-11-28T17:21:00+01:00", "instant", ""}));

INSTANTIATE_TEST_SUITE_P(
    days, english_datetime,
    ::testing::Values(dt_case{"open on the 15th?", "en", sat, "2026-12-15T00:00:00+01:00",
                              "2026-12-16T00:00:00+01:00", "day", "on the 15th"},
                      dt_case{"Saturday", "en", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", ""},
                      dt_case{"open on satruday?", "en", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-29T00:00:00+01:00", "day", "on satruday"},
                      dt_case{"next Saturday", "en", sat, "2026-12-05T00:00:00+01:00",
                              "2026-12-06T00:00:00+01:00", "day", ""},
                      dt_case{"on Monday morning", "en", sat, "2026-11-30T06:00:00+01:00",
                              "2026-11-30T12:00:00+01:00", "part_of_day", ""},
                      dt_case{"this weekend", "en", sat, "2026-11-28T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "week", ""},
                      dt_case{"next week", "en", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-07T00:00:00+01:00", "week", ""},
                      dt_case{"open the week of 16 December?", "en", sat,
                              "2026-12-14T00:00:00+01:00", "2026-12-21T00:00:00+01:00", "week",
                              "week of 16 December"},
                      dt_case{"week of the 3rd", "en", sat, "2026-11-30T00:00:00+01:00",
                              "2026-12-07T00:00:00+01:00", "week", ""},
                      // (The day first, as English says it: it was Christmas Day alone.)
                      dt_case{"bin days christmas week", "en", sat, "2026-12-21T00:00:00+01:00",
                              "2026-12-28T00:00:00+01:00", "week", "christmas week"},
                      dt_case{"May 3", "en", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"3 May", "en", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"the 3rd of May", "en", sat, "2027-05-03T00:00:00+02:00",
                              "2027-05-04T00:00:00+02:00", "day", ""},
                      dt_case{"December 1st, 2026", "en", sat, "2026-12-01T00:00:00+01:00",
                              "2026-12-02T00:00:00+01:00", "day", ""},
                      dt_case{"Jan 3", "en", "2026-12-20T10:00:00+01:00",
                              "2027-01-03T00:00:00+01:00", "2027-01-04T00:00:00+01:00", "day",
                              ""},
                      // "Dec" was no month: "open on Dec 25?" was answered for today.
                      dt_case{"is the post office open on Dec 25?", "en", sat,
                              "2026-12-25T00:00:00+01:00", "2026-12-26T00:00:00+01:00", "day",
                              "on Dec 25"},
                      dt_case{"dec. 26", "en", sat, "2026-12-26T00:00:00+01:00",
                              "2026-12-27T00:00:00+01:00", "day", ""},
                      // Month first where the day first cannot be (no 24th month).
                      dt_case{"12/24", "en", sat, "2026-12-24T00:00:00+01:00",
                              "2026-12-25T00:00:00+01:00", "day", ""}));

INSTANTIATE_TEST_SUITE_P(
    times, english_datetime,
    ::testing::Values(dt_case{"at 2:30 pm", "en", sat, "2026-11-29T14:30:00+01:00",
                              "2026-11-29T14:31:00+01:00", "instant", ""},
                      dt_case{"at 9", "en", sat, "2026-11-29T09:00:00+01:00",
                              "2026-11-29T10:00:00+01:00", "hour", ""},
                      dt_case{"9am", "en", sat, "2026-11-29T09:00:00+01:00",
                              "2026-11-29T10:00:00+01:00", "hour", ""},
                      dt_case{"at 6 pm", "en", sat, "2026-11-28T18:00:00+01:00",
                              "2026-11-28T19:00:00+01:00", "hour", ""},
                      dt_case{"noon", "en", sat, "2026-11-29T12:00:00+01:00",
                              "2026-11-29T12:01:00+01:00", "instant", ""},
                      dt_case{"open 9am to 5pm on Monday", "en", sat, "2026-11-30T09:00:00+01:00",
                              "2026-11-30T17:00:00+01:00", "hour", "9am to 5pm on Monday"},
                      dt_case{"tomorrow 2-4pm", "en", sat, "2026-11-29T14:00:00+01:00",
                              "2026-11-29T16:00:00+01:00", "hour", ""},
                      dt_case{"tomorrow at 9", "en", sat, "2026-11-29T09:00:00+01:00",
                              "2026-11-29T10:00:00+01:00", "hour", ""},
                      dt_case{"9am tomorrow", "en", sat, "2026-11-29T09:00:00+01:00",
                              "2026-11-29T10:00:00+01:00", "hour", "9am tomorrow"},
                      dt_case{"is the pool open on Sunday at 10:15?", "en", sat,
                              "2026-11-29T10:15:00+01:00", "2026-11-29T10:16:00+01:00", "instant",
                              "on Sunday at 10:15"}));

INSTANTIATE_TEST_SUITE_P(
    holidays, english_datetime,
    ::testing::Values(dt_case{"Easter Monday", "en", sat, "2027-03-29T00:00:00+02:00",
                              "2027-03-30T00:00:00+02:00", "day", ""},
                      dt_case{"Christmas", "en", sat, "2026-12-25T00:00:00+01:00",
                              "2026-12-26T00:00:00+01:00", "day", ""},
                      dt_case{"New Year's Day", "en", sat, "2027-01-01T00:00:00+01:00",
                              "2027-01-02T00:00:00+01:00", "day", ""},
                      dt_case{"open over the festive season?", "en", sat,
                              "2026-12-24T00:00:00+01:00", "2027-01-02T00:00:00+01:00", "days",
                              "the festive season"},
                      dt_case{"library hours over the Christmas holidays", "en", sat,
                              "2026-12-24T00:00:00+01:00", "2027-01-02T00:00:00+01:00", "days",
                              "the Christmas holidays"},
                      dt_case{"on Christmas Eve", "en", sat, "2026-12-24T00:00:00+01:00",
                              "2026-12-25T00:00:00+01:00", "day", ""},
                      dt_case{"New Year's Eve", "en", sat, "2026-12-31T00:00:00+01:00",
                              "2027-01-01T00:00:00+01:00", "day", ""},
                      dt_case{"Whit Monday", "en", sat, "2027-05-17T00:00:00+02:00",
                              "2027-05-18T00:00:00+02:00", "day", ""}));

// Written short or with a dot, as on a phone: "sat", "12.30", "in 2h", "lunchtime".
INSTANTIATE_TEST_SUITE_P(
    typed_short, english_datetime,
    ::testing::Values(dt_case{"is the town hall open on sat", "en", sat,
                              "2026-11-28T00:00:00+01:00", "2026-11-29T00:00:00+01:00", "day",
                              "on sat"},
                      dt_case{"dump open sun?", "en", sat, "2026-11-29T00:00:00+01:00",
                              "2026-11-30T00:00:00+01:00", "day", "sun"},
                      dt_case{"town hall wed morning", "en", sat, "2026-12-02T06:00:00+01:00",
                              "2026-12-02T12:00:00+01:00", "part_of_day", "wed morning"},
                      dt_case{"pool at 12.30 on thursday", "en", sat, "2026-12-03T12:30:00+01:00",
                              "2026-12-03T12:31:00+01:00", "instant", "at 12.30 on thursday"},
                      dt_case{"open at 6.30pm?", "en", sat, "2026-11-28T18:30:00+01:00",
                              "2026-11-28T18:31:00+01:00", "instant", "at 6.30pm"},
                      dt_case{"library open in 2h", "en", sat, "2026-11-28T18:20:00+01:00",
                              "2026-11-28T18:21:00+01:00", "instant", "in 2h"},
                      dt_case{"open between christmas and new year?", "en", sat,
                              "2026-12-25T00:00:00+01:00", "2027-01-02T00:00:00+01:00", "days",
                              "between christmas and new year"},
                      dt_case{"open at lunchtime", "en", sat, "2026-11-28T12:00:00+01:00",
                              "2026-11-28T14:00:00+01:00", "part_of_day", "at lunchtime"}));

TEST(english_datetime_negative, no_time_in_ordinary_sentences) {
    const extractor ex({});
    const std::int64_t now = unix_of(sat);
    for (const char* text : {"I have 2 children", "may I ask something", "we meet at 3 locations",
                             "what are the opening hours", "I sat down in the waiting room",
                             "the sun is out", "it costs 2.50 euros"}) {
        const auto all = ex.extract(text, "en", now);
        EXPECT_TRUE(of_type(all, "datetime").empty()) << text << " -> " << describe(all);
    }
}

}  // namespace
}  // namespace guichet::entities::test
