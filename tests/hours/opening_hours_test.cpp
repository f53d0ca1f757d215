// Unit tests of the opening_hours parser and evaluator: each feature, the precedence traps
// listed in /work/shared/ref/opening_hours.md, strict refusals, DST and the query functions.
#include "hours/opening_hours.h"

#include <gtest/gtest.h>

#include <chrono>

#include <stdexcept>
#include <string>
#include <vector>

namespace guichet::hours {
namespace {

const std::string paris = "Europe/Paris";

std::int64_t at(const std::string& local) {
    const auto t = parse_local_iso(local, paris);
    if (!t) throw std::runtime_error("bad test time " + local);
    return *t;
}

schedule must_parse(const std::string& expr) {
    const parse_result r = parse(expr);
    if (!r) throw std::runtime_error("refused: " + expr + ": " + r.error().message_en);
    return r.value();
}

// "start end [U] [comment]" per interval, local times without the date part when `short_form`.
std::vector<std::string> ivs(const std::string& expr, const std::string& from, const std::string& to,
                             bool alsace_moselle = false) {
    std::vector<std::string> out;
    for (const interval& iv : intervals(must_parse(expr), at(from), at(to), {paris, alsace_moselle})) {
        std::string s = format_local_iso(iv.start, paris).substr(0, 16) + " " +
                        format_local_iso(iv.end, paris).substr(0, 16);
        if (iv.unknown) s += " U";
        if (iv.comment) s += " \"" + *iv.comment + "\"";
        out.push_back(s);
    }
    return out;
}

using v = std::vector<std::string>;

status st(const std::string& expr, const std::string& local) { return state_at(must_parse(expr), at(local)).value; }

TEST(local_time, iso_with_offsets_either_side_of_utc_and_before_1970) {
    EXPECT_EQ(format_iso(0, 0), "1970-01-01T00:00:00+00:00");
    EXPECT_EQ(format_iso(-1, 0), "1969-12-31T23:59:59+00:00");
    EXPECT_EQ(format_iso(1767225600, 3600), "2026-01-01T01:00:00+01:00");
    EXPECT_EQ(format_iso(1767225600, -(9 * 3600 + 30 * 60)), "2025-12-31T14:30:00-09:30");
    EXPECT_EQ(format_local_iso(1782900000, "Europe/Paris"), "2026-07-01T12:00:00+02:00");
}

TEST(time_ranges, several_ranges_and_past_midnight) {
    EXPECT_EQ(ivs("Mo 08:30-12:00,13:30-17:00", "2025-01-13T00:00", "2025-01-14T00:00"),
              (v{"2025-01-13T08:30 2025-01-13T12:00", "2025-01-13T13:30 2025-01-13T17:00"}));
    EXPECT_EQ(ivs("Mo 22:00-02:00", "2025-01-13T00:00", "2025-01-15T00:00"), (v{"2025-01-13T22:00 2025-01-14T02:00"}));
    EXPECT_EQ(ivs("Mo 22:00-26:00", "2025-01-13T00:00", "2025-01-15T00:00"), (v{"2025-01-13T22:00 2025-01-14T02:00"}));
}

TEST(weekdays, wrapping_range_and_nth) {
    EXPECT_EQ(ivs("Fr-Mo 10:00-11:00", "2025-01-13T00:00", "2025-01-20T00:00"),
              (v{"2025-01-13T10:00 2025-01-13T11:00", "2025-01-17T10:00 2025-01-17T11:00",
                 "2025-01-18T10:00 2025-01-18T11:00", "2025-01-19T10:00 2025-01-19T11:00"}));
    // January 2025: Saturdays 4, 11, 18, 25; last Wednesday 29.
    EXPECT_EQ(ivs("Sa[1,3] 09:00-12:00", "2025-01-01T00:00", "2025-02-01T00:00"),
              (v{"2025-01-04T09:00 2025-01-04T12:00", "2025-01-18T09:00 2025-01-18T12:00"}));
    EXPECT_EQ(ivs("We[-1] 09:00-12:00", "2025-01-01T00:00", "2025-02-01T00:00"), (v{"2025-01-29T09:00 2025-01-29T12:00"}));
    EXPECT_EQ(ivs("Sa[-1] +1 day 09:00-12:00", "2025-01-01T00:00", "2025-02-01T00:00"),
              (v{"2025-01-26T09:00 2025-01-26T12:00"}));
}

TEST(months_and_dates, wrapping_ranges_periods_easter_years) {
    EXPECT_EQ(st("Nov-Feb 10:00-12:00", "2025-01-15T11:00"), status::open);
    EXPECT_EQ(st("Nov-Feb 10:00-12:00", "2025-03-15T11:00"), status::closed);
    EXPECT_EQ(st("Dec 24-Jan 01 off; 10:00-12:00", "2025-12-31T11:00"), status::open);  // off rule comes first
    EXPECT_EQ(st("10:00-12:00; Dec 24-Jan 01 off", "2025-12-31T11:00"), status::closed);
    EXPECT_EQ(st("10:00-12:00; Dec 24-Jan 01 off", "2026-01-02T11:00"), status::open);
    EXPECT_EQ(ivs("Jan 01-29/7 10:00-11:00", "2025-01-01T00:00", "2025-02-01T00:00").size(), 5u);  // 1, 8, 15, 22, 29
    // Last Sunday of March 2025 = 30, of October = 26.
    EXPECT_EQ(st("Mar Su[-1]-Oct Su[-1] 10:00-12:00", "2025-03-29T11:00"), status::closed);
    EXPECT_EQ(st("Mar Su[-1]-Oct Su[-1] 10:00-12:00", "2025-03-30T11:00"), status::open);
    EXPECT_EQ(st("Mar Su[-1]-Oct Su[-1] 10:00-12:00", "2025-10-27T11:00"), status::closed);
    // Easter 2025 = 20 April.
    EXPECT_EQ(st("easter +1 day 10:00-12:00", "2025-04-21T11:00"), status::open);
    EXPECT_EQ(st("easter -2 days 10:00-12:00", "2025-04-18T11:00"), status::open);
    EXPECT_EQ(st("easter -2 days 10:00-12:00", "2025-04-19T11:00"), status::closed);
    EXPECT_EQ(st("2025 10:00-12:00", "2025-06-02T11:00"), status::open);
    EXPECT_EQ(st("2025 10:00-12:00", "2026-06-02T11:00"), status::closed);
    EXPECT_EQ(st("2020-2030/2 10:00-12:00", "2026-06-02T11:00"), status::open);
    EXPECT_EQ(st("2020-2030/2 10:00-12:00", "2025-06-02T11:00"), status::closed);
    EXPECT_EQ(st("2025+ 10:00-12:00", "2031-06-02T11:00"), status::open);
    EXPECT_EQ(st("2025 Dec 22-2026 Jan 02 off; Mo-Fr 09:00-17:00", "2025-12-23T10:00"), status::open);
    EXPECT_EQ(st("Mo-Fr 09:00-17:00; 2025 Dec 22-2026 Jan 02 off", "2026-01-02T10:00"), status::closed);
    EXPECT_EQ(st("Mo-Fr 09:00-17:00; 2025 Dec 22-2026 Jan 02 off", "2026-01-05T10:00"), status::open);
}

TEST(weeks, iso_week_numbers_with_period) {
    // 2025-01-13 is in ISO week 3 (odd), 2025-01-20 in week 4.
    EXPECT_EQ(st("week 01-53/2 Mo 10:00-12:00", "2025-01-13T11:00"), status::open);
    EXPECT_EQ(st("week 01-53/2 Mo 10:00-12:00", "2025-01-20T11:00"), status::closed);
    // 2025-12-29 belongs to ISO week 1 of 2026.
    EXPECT_EQ(st("week 01 10:00-12:00", "2025-12-29T11:00"), status::open);
}

TEST(holidays, ph_union_intersection_offsets_and_names) {
    // 2025-05-08 (Thursday) is a public holiday.
    EXPECT_EQ(st("Mo-Fr 09:00-17:00; PH off", "2025-05-08T10:00"), status::closed);
    EXPECT_EQ(st("Mo-Fr,PH 09:00-17:00", "2025-05-08T10:00"), status::open);
    EXPECT_EQ(st("Sa,PH 09:00-12:00", "2025-05-08T10:00"), status::open);     // union
    EXPECT_EQ(st("PH Sa 09:00-12:00", "2025-05-08T10:00"), status::closed);   // intersection: PH that is a Saturday
    EXPECT_EQ(st("PH Mo-Fr 09:00-12:00", "2025-05-08T10:00"), status::open);
    const auto s = must_parse("PH -1 day 08:30-12:00");
    const state before = state_at(s, at("2025-05-07T10:00"));
    EXPECT_EQ(before.value, status::open);
    ASSERT_TRUE(before.comment.has_value());
    EXPECT_EQ(*before.comment, "Day before Fête de la Victoire 1945");
    EXPECT_EQ(ivs("PH 10:00-12:00", "2025-05-08T00:00", "2025-05-09T00:00"),
              (v{"2025-05-08T10:00 2025-05-08T12:00 \"Fête de la Victoire 1945\""}));
    // Alsace-Moselle: 26 December.
    EXPECT_EQ(ivs("Mo-Su 10:00-12:00; PH off", "2025-12-26T00:00", "2025-12-27T00:00", false).size(), 1u);
    EXPECT_EQ(ivs("Mo-Su 10:00-12:00; PH off", "2025-12-26T00:00", "2025-12-27T00:00", true).size(), 0u);
}

TEST(traps, normal_rule_replaces_the_whole_day) {
    EXPECT_EQ(ivs("Mo-Fr 09:00-12:00; Mo,Th 14:00-18:00", "2025-01-13T00:00", "2025-01-14T00:00"),
              (v{"2025-01-13T14:00 2025-01-13T18:00"}));
    EXPECT_EQ(st("Mo 22:00-02:00; Tu 10:00-12:00", "2025-01-14T00:30"), status::closed);
    EXPECT_EQ(st("Mo 22:00-02:00; We 10:00-12:00", "2025-01-14T00:30"), status::open);
}

TEST(traps, off_with_times_closes_only_those_times) {
    EXPECT_EQ(ivs("Mo-Fr 08:00-18:00; 12:00-13:30 off", "2025-01-13T00:00", "2025-01-14T00:00"),
              (v{"2025-01-13T08:00 2025-01-13T12:00", "2025-01-13T13:30 2025-01-13T18:00"}));
    EXPECT_EQ(st("Mo-Fr 08:00-18:00; Aug off", "2025-08-04T10:00"), status::closed);
}

TEST(traps, additional_rules_add_and_carry_no_wide_selectors) {
    EXPECT_EQ(ivs("Mo-Fr 09:00-12:00, Mo,Th 14:00-18:00", "2025-01-13T00:00", "2025-01-14T00:00"),
              (v{"2025-01-13T09:00 2025-01-13T12:00", "2025-01-13T14:00 2025-01-13T18:00"}));
    const std::string e = "2025 Feb 15-2025 Mar 02: Mo-Fr 10:00-19:00, Sa,Su 10:00-18:00";
    EXPECT_EQ(st(e, "2025-06-07T11:00"), status::open);    // a Saturday in June
    EXPECT_EQ(st(e, "2025-06-06T11:00"), status::closed);  // a Friday in June
    EXPECT_FALSE(parse("Mo,Jan 01 off").ok());
}

TEST(traps, fallback_applies_where_not_open_including_off) {
    const std::string e = "Mo-Fr 09:00-12:00; PH off || \"sur rendez-vous\"";
    const state s = state_at(must_parse(e), at("2025-05-08T10:00"));
    EXPECT_EQ(s.value, status::unknown);
    ASSERT_TRUE(s.comment.has_value());
    EXPECT_EQ(*s.comment, "sur rendez-vous");
    EXPECT_EQ(st(e, "2025-05-07T10:00"), status::open);
    EXPECT_EQ(st("Sa 09:00-12:00; Sa 10:00-11:00 off || \"appeler\"", "2025-01-18T10:30"), status::unknown);
    EXPECT_EQ(st("Sa 09:00-12:00; Sa 10:00-11:00 off || \"appeler\"", "2025-01-18T09:30"), status::open);
}

TEST(states, open_end_comments_unknown_and_always) {
    EXPECT_EQ(ivs("Sa 21:00+", "2025-01-18T00:00", "2025-01-20T00:00"),
              (v{"2025-01-18T21:00 2025-01-19T07:00 U \"Specified as open end. Closing time was guessed.\""}));
    EXPECT_EQ(ivs("Mo 14:00-17:00+", "2025-01-13T00:00", "2025-01-14T12:00"),
              (v{"2025-01-13T14:00 2025-01-13T17:00",
                 "2025-01-13T17:00 2025-01-14T03:00 U \"Specified as open end. Closing time was guessed.\""}));
    EXPECT_EQ(st("24/7", "2025-03-30T02:30"), status::open);
    EXPECT_EQ(st("off", "2025-03-30T12:00"), status::closed);
    EXPECT_EQ(st("closed \"travaux\"", "2025-03-30T12:00"), status::closed);
    EXPECT_EQ(st("\"se renseigner\"", "2025-03-30T12:00"), status::unknown);
    EXPECT_EQ(st("Mo-Fr unknown", "2025-03-31T12:00"), status::unknown);
    EXPECT_EQ(st("Jul-Aug: Mo-Fr 10:00-12:00", "2025-07-15T11:00"), status::open);
}

TEST(dst, week_lengths_follow_the_clock_change) {
    const auto s = must_parse("Mo-Su 00:00-24:00");
    auto total = [&](const std::string& from, const std::string& to) {
        std::int64_t sum = 0;
        for (const auto& iv : intervals(s, at(from), at(to))) sum += iv.end - iv.start;
        return sum;
    };
    EXPECT_EQ(total("2025-03-24T00:00", "2025-03-31T00:00"), 167 * 3600);
    EXPECT_EQ(total("2025-10-20T00:00", "2025-10-27T00:00"), 169 * 3600);
    EXPECT_EQ(format_local_iso(at("2025-03-30T02:30"), paris), "2025-03-30T03:30:00+02:00");
}

TEST(queries, next_change_is_bounded) {
    const auto s = must_parse("Mo-Fr 09:00-17:00");
    const auto n = next_change(s, at("2025-01-13T10:00"), 7 * 86400);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, at("2025-01-13T17:00"));
    EXPECT_EQ(*next_change(s, at("2025-01-17T18:00"), 7 * 86400), at("2025-01-20T09:00"));
    EXPECT_FALSE(next_change(s, at("2025-01-13T10:00"), 3600).has_value());
    EXPECT_FALSE(next_change(must_parse("24/7"), at("2025-01-13T10:00"), 366 * 86400).has_value());
    // Only the comment changes: still a change.
    EXPECT_EQ(*next_change(must_parse("24/7; Dec 25 open \"Noël\""), at("2025-12-24T10:00"), 86400 * 3),
              at("2025-12-25T00:00"));
}

TEST(queries, windows_are_bounded) {
    const auto s = must_parse("24/7");
    EXPECT_THROW(intervals(s, 0, (max_window_days + 1) * 86400), std::invalid_argument);
    EXPECT_EQ(intervals(s, 0, 86400).size(), 1u);
    EXPECT_TRUE(intervals(s, 86400, 0).empty());
}

TEST(queries, unknown_time_zone_is_an_error) {
    const auto s = must_parse("24/7");
    EXPECT_THROW(state_at(s, 0, {"Mars/Olympus_Mons", false}), std::invalid_argument);
    EXPECT_EQ(state_at(s, 0, {"America/New_York", false}).value, status::open);
}

struct refusal {
    const char* expr;
    std::size_t offset;
    const char* message_part;
};

TEST(errors, strict_refusals_point_at_the_token) {
    const refusal cases[] = {
        {"Mo-Fr 25:00-26:00", 6, "starts before 24:00"},
        {"Mo-Fr 08:00-49:00", 12, "out of range"},
        {"Lu-Ve 08:30-12:00", 0, "French day names"},
        {"Mo-Fr 9h-12h", 6, "HH:MM"},
        {"Mo-Fr 9:00-12:00", 6, "two digits"},
        {"mo-fr 08:30-12:00", 0, "capitalisation"},
        {"Mo-Fr 08:00-12:00 pm", 18, "am/pm"},
        {"sunrise-sunset", 0, "not supported"},
        {"SH(vacances) off", 2, "unexpected"},
        {"Mo-Fr 09:00-12:00 SH", 18, "order"},
        {"Mo 12:00", 8, "points in time"},
        {"week 44-13", 8, "not supported"},
        {"Mo,Jan 01 off", 3, "weekday, PH or SH"},
        {"Mo-Fr 08:00-12:00;", 17, "nothing after"},
        {"Mo-Fr 08:00-12:00 \"a\" \"b\"", 22, "one comment"},
        {"Feb 30", 4, "no such day"},
        {"", 0, "empty"},
        {"Mo-Fr 08:00-12:00 \"open", 18, "not closed"},
        {"0000 Jan 01", 0, "year out of range"},
        {"2014-2014", 5, "year range"},
        {"PH +2 days", 4, "offset too large"},
    };
    for (const auto& c : cases) {
        const parse_result r = parse(c.expr);
        ASSERT_FALSE(r.ok()) << c.expr;
        EXPECT_EQ(r.error().offset, c.offset) << c.expr << ": " << r.error().message_en;
        EXPECT_NE(r.error().message_en.find(c.message_part), std::string::npos) << c.expr << ": " << r.error().message_en;
        EXPECT_FALSE(r.error().message_fr.empty()) << c.expr;
    }
}

// sunrise/sunset were refused "il faut les coordonnées du lieu", of places that had them: the
// evaluator computes no sun times at all, which is what is said, with what to write instead.
TEST(errors, sun_times_are_refused_for_what_they_are_not_for_missing_coordinates) {
    for (const char* expr : {"Mo-Su sunrise-sunset", "Mo-Su 08:00-sunset", "Sa dawn-dusk"}) {
        const parse_result r = parse(expr);
        ASSERT_FALSE(r.ok()) << expr;
        const std::string word(std::string_view(expr).substr(r.error().offset, 3));
        EXPECT_TRUE(word == "sun" || word == "daw") << expr << ": " << r.error().offset;
        EXPECT_NE(r.error().message_en.find("guichet does not compute the sun's times; write the "
                                            "hours, by season if they change"),
                  std::string::npos)
            << r.error().message_en;
        EXPECT_NE(r.error().message_fr.find("le guichet ne calcule pas les heures du soleil ; "
                                            "écrivez les heures"),
                  std::string::npos)
            << r.error().message_fr;
        EXPECT_EQ(r.error().message_en.find("coordinates"), std::string::npos);
        EXPECT_EQ(r.error().message_fr.find("coordonnées"), std::string::npos);
        // The example given is itself accepted.
        EXPECT_TRUE(parse("Apr-Sep 07:00-21:00; Oct-Mar 08:00-18:00").ok());
    }
}

// A separator forgotten got "unexpected time here (selectors go in the order…)": the comma
// between two ranges of a day ("We 10:00-12:00 14:00-18:00": the ranges given back joined),
// the semicolon between two rules ("Tu 14:00-18:00 We 10:00-12:00": the end of the first and
// the start of the next, the semicolon between them).
TEST(errors, a_forgotten_comma_or_semicolon_is_put_in) {
    const std::string comma_fr = "séparez les plages d'un même jour par une virgule : ",
                      comma_en = "separate the ranges of one day with a comma: ",
                      rules_fr = "séparez les règles par un point-virgule : ",
                      rules_en = "separate the rules with a semicolon: ";
    const struct {
        const char* expr;
        std::size_t offset;
        std::string fr, en;
    } cases[] = {
        {"We 10:00-12:00 14:00-18:00", 15, comma_fr + "10:00-12:00,14:00-18:00",
         comma_en + "10:00-12:00,14:00-18:00"},
        {"Mo-Fr 08:30-12:00 13:30-17:30; Sa 09:00-12:00", 18, comma_fr + "08:30-12:00,13:30-17:30",
         comma_en + "08:30-12:00,13:30-17:30"},
        {"Fr 08:00-12:00,14:00-18:00 20:00+", 27, comma_fr + "14:00-18:00,20:00+",
         comma_en + "14:00-18:00,20:00+"},
        {"Tu 14:00-18:00 We 10:00-12:00", 15, rules_fr + "14:00-18:00; We …",
         rules_en + "14:00-18:00; We …"},
        {"Mo-Fr 08:00-12:00,14:00-18:00 Sa 09:00-12:00", 30, rules_fr + "14:00-18:00; Sa …",
         rules_en + "14:00-18:00; Sa …"},
        {"Mo off Tu 10:00-12:00", 7, rules_fr + "off; Tu …", rules_en + "off; Tu …"},
        {"Mo-Sa 10:00-19:00 PH off", 18, rules_fr + "10:00-19:00; PH …",
         rules_en + "10:00-19:00; PH …"},
    };
    for (const auto& c : cases) {
        const parse_result r = parse(c.expr);
        ASSERT_FALSE(r.ok()) << c.expr;
        EXPECT_EQ(r.error().offset, c.offset) << c.expr;
        EXPECT_EQ(r.error().message_fr, c.fr);
        EXPECT_EQ(r.error().message_en, c.en);
    }
}

// A misspelt day or month ("Wd", "Tus", "Jui") got "unknown word (expected Mo-Su, Jan-Dec…)":
// the nearest spellings are named, every one as near ("Jui": June or July).
TEST(errors, a_misspelt_day_or_month_names_the_nearest) {
    const struct {
        const char* expr;
        std::size_t offset;
        const char* fr;
        const char* en;
    } cases[] = {
        {"Wd 10:00-12:00", 0, "mot inconnu « Wd » : vouliez-vous dire « We » ?",
         "unknown word 'Wd': did you mean 'We'?"},
        {"Mo 09:00-12:00; Tus 14:00-18:00", 16, "mot inconnu « Tus » : vouliez-vous dire « Tu » ?",
         "unknown word 'Tus': did you mean 'Tu'?"},
        {"Jui-Aug Sa off", 0, "mot inconnu « Jui » : vouliez-vous dire « Jun » ou « Jul » ?",
         "unknown word 'Jui': did you mean 'Jun' or 'Jul'?"},
        {"Mo-Fr 08:00-12:00; PH of", 22, "mot inconnu « of » : vouliez-vous dire « off » ?",
         "unknown word 'of': did you mean 'off'?"},
    };
    for (const auto& c : cases) {
        const parse_result r = parse(c.expr);
        ASSERT_FALSE(r.ok()) << c.expr;
        EXPECT_EQ(r.error().offset, c.offset) << c.expr;
        EXPECT_EQ(r.error().message_fr, c.fr);
        EXPECT_EQ(r.error().message_en, c.en);
    }
    // Nothing near: the words expected.
    const parse_result far = parse("Mo-Fr 08:00-12:00; Xyzzy off");
    ASSERT_FALSE(far.ok());
    EXPECT_EQ(far.error().message_fr,
              "mot inconnu « Xyzzy » (attendu : Mo-Su, Jan-Dec, PH, week, easter, open, off, "
              "closed, unknown)");
}

// "24/12 off" (a date as written in French) got "unexpected number: write times as
// HH:MM-HH:MM": the date is given back as it is written here.
TEST(errors, a_date_written_day_slash_month_is_given_back_month_first) {
    const struct {
        const char* expr;
        std::size_t offset;
        const char* date;
    } cases[] = {
        {"24/12 off", 0, "Dec 24"},
        {"Mo-Fr 09:00-12:00; 1/5 off", 19, "May 01"},
        {"24/12/2026 off", 0, "2026 Dec 24"},
        {"24/12-02/01 off", 0, "Dec 24-Jan 02"},
    };
    for (const auto& c : cases) {
        const parse_result r = parse(c.expr);
        ASSERT_FALSE(r.ok()) << c.expr;
        EXPECT_EQ(r.error().offset, c.offset) << c.expr;
        EXPECT_EQ(r.error().message_fr, std::string("date écrite jour/mois : écrivez les dates « ") +
                                            c.date + " » (mois en anglais abrégé, puis le jour)");
        EXPECT_EQ(r.error().message_en, std::string("a date written day/month: write dates '") +
                                            c.date + "' (the month's English abbreviation, then the day)");
        // What is suggested is accepted.
        EXPECT_TRUE(parse(std::string(c.date) + " off").ok()) << c.date;
    }
}

TEST(errors, render_puts_a_caret_under_the_character) {
    const parse_result r = parse("Mo-Fr 25:00-26:00");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(render_error("Mo-Fr 25:00-26:00", r.error(), "en"),
              "Mo-Fr 25:00-26:00\n      ^\n" + r.error().message_en);
    // Columns count characters, not bytes.
    const std::string e = "\"é\" Mo";  // a rule that is only a comment, then a stray selector
    const parse_result r2 = parse(e);
    ASSERT_FALSE(r2.ok());
    EXPECT_EQ(r2.error().offset, 5u);
    EXPECT_EQ(render_error(e, r2.error(), "fr"), e + "\n    ^\n" + r2.error().message_fr);
}

TEST(schedule, shares_immutable_program_between_copies) {
    const schedule a = must_parse("Mo-Fr 09:00-17:00");
    const schedule b = a;  // NOLINT(performance-unnecessary-copy-initialization)
    EXPECT_EQ(&a.program(), &b.program());
    EXPECT_EQ(b.source(), "Mo-Fr 09:00-17:00");
}

}  // namespace
}  // namespace guichet::hours

namespace guichet::hours {
namespace {

// Mistakes the grammar allows: an exception written before the usual hours (the last rule
// that matches a day decides, so it never applied on weekdays: "Dec 26 off" was ignored and
// the town hall said open), and hours that run past midnight for most of a day.
// SH: the school holidays the context gives (the town's data); none given, no day.
TEST(holidays, sh_selects_the_school_holidays_given) {
    auto day = [](int y, unsigned m, unsigned d) {
        return std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d))
            .time_since_epoch()
            .count();
    };
    const std::vector<school_holiday> christmas{{day(2026, 12, 19), day(2027, 1, 3)}};
    eval_context ctx{paris, false, christmas};
    const auto school = must_parse("Mo,Tu,Th,Fr 08:30-12:00; SH off; PH off");
    EXPECT_EQ(state_at(school, at("2026-12-18T10:00"), ctx).value, status::open);     // the Friday before
    EXPECT_EQ(state_at(school, at("2026-12-24T10:00"), ctx).value, status::closed);   // Thursday, holidays
    EXPECT_EQ(state_at(school, at("2027-01-04T10:00"), ctx).value, status::open);     // back to school
    EXPECT_EQ(state_at(school, at("2026-12-24T10:00"), eval_context{paris}).value, status::open);  // no data
    // Intersection and union, as PH.
    const auto pool = must_parse("Mo-Fr 12:00-14:00; SH Mo-Fr 10:00-18:00");
    EXPECT_EQ(state_at(pool, at("2026-12-22T11:00"), ctx).value, status::open);
    EXPECT_EQ(state_at(pool, at("2026-12-15T11:00"), ctx).value, status::closed);
    EXPECT_EQ(state_at(must_parse("Sa,SH 09:00-12:00"), at("2026-12-22T10:00"), ctx).value, status::open);
    EXPECT_EQ(state_at(must_parse("SH Sa 09:00-12:00"), at("2026-12-22T10:00"), ctx).value, status::closed);
    // An exception written before the usual hours is hidden on the school days it falls on.
    auto e = lint(must_parse("SH off; Mo-Fr 08:30-12:00"));
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(e->message_en.find("\"SH off\""), std::string::npos) << e->message_en;
    EXPECT_FALSE(lint(school).has_value());
}

TEST(lint, an_exception_before_the_usual_hours_is_named_with_the_rule_that_hides_it) {
    const std::string expr =
        "Dec 24 08:30-12:00; Dec 26 off; Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off";
    auto e = lint(must_parse(expr));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->offset, 0u);
    EXPECT_NE(e->message_en.find("\"Dec 24 08:30-12:00\""), std::string::npos) << e->message_en;
    EXPECT_NE(e->message_en.find("\"Mo-Fr 08:30-12:00,13:30-17:30\""), std::string::npos) << e->message_en;
    EXPECT_NE(e->message_fr.find("mettez les exceptions"), std::string::npos) << e->message_fr;
    auto ph = lint(must_parse("PH off; Mo-Fr 09:00-17:00"));
    ASSERT_TRUE(ph.has_value());
    EXPECT_NE(ph->message_en.find("\"PH off\""), std::string::npos) << ph->message_en;
    // "Dec 26 off" is off: it hides nothing, and is itself hidden by "Sa …" on a Saturday.
    auto off = lint(must_parse("Mo-Fr 09:00-17:00; Dec 26 off; Sa 09:00-12:00"));
    ASSERT_TRUE(off.has_value());
    EXPECT_EQ(off->offset, std::string("Mo-Fr 09:00-17:00; ").size());
}

// "Mo-Fr 08:30-12:00; 13:30-17:30": a ";" where a "," was meant. The second rule names no day,
// so every day, Sunday too, was open 13:30-17:30 only, and `check` said ok.
TEST(lint, times_without_days_after_a_rule_of_days_are_questioned) {
    const std::string expr = "Mo-Fr 08:30-12:00; 13:30-17:30; Sa 09:00-12:00; PH off";
    auto e = lint(must_parse(expr));
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->offset, std::string("Mo-Fr 08:30-12:00; ").size());
    EXPECT_NE(e->message_fr.find("« 13:30-17:30 » ne nomme aucun jour"), std::string::npos) << e->message_fr;
    EXPECT_NE(e->message_fr.find("« Mo-Fr 08:30-12:00,13:30-17:30 »"), std::string::npos) << e->message_fr;
    EXPECT_FALSE(lint(must_parse("08:00-18:00; Su off")).has_value());  // times for every day, first
}

TEST(lint, hours_past_midnight_for_most_of_a_day_are_questioned) {
    auto e = lint(must_parse("Mo-Fr 14:00-12:00"));
    ASSERT_TRUE(e.has_value());
    EXPECT_NE(e->message_en.find("from 14:00 to 12:00 the next day (22 hours"), std::string::npos)
        << e->message_en;
    EXPECT_TRUE(lint(must_parse("Mo-Fr 09:00-25:00")).has_value());
}

TEST(lint, usual_expressions_pass) {
    for (const char* expr :
         {"Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off", "Fr 22:00-02:00",
          "Jul-Aug Mo-Fr 09:00-12:00; PH off", "Mo-Fr 08:30-17:30; Dec 24 08:30-12:00; Dec 25 off",
          "24/7", "Mo-Sa 00:00-24:00", "Dec 04-Dec 24 Fr 16:00-21:00; Dec 04-Dec 24 Sa,Su 10:00-20:00",
          "Tu,Th 09:00-12:00 \"sur rendez-vous\"", "Mo-Fr 08:00-18:00; Aug off",
          "Mo-Fr 09:00-12:00, We 14:00-18:00"})
        EXPECT_FALSE(lint(must_parse(expr)).has_value()) << expr << ": " << lint(must_parse(expr))->message_en;
}

}  // namespace
}  // namespace guichet::hours
