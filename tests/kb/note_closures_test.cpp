// The closures a place's note says (kb/note_closures.h), compared with its hours by `check`.
#include "kb/note_closures.h"

#include <gtest/gtest.h>

#include "kb/values.h"

using guichet::kb::closures_in_note;
using guichet::kb::day_number;
using guichet::kb::iso_day;

namespace {

// "first..last rule" for each closure of `note`, read on `today` (YYYY-MM-DD).
std::vector<std::string> said(std::string_view note, const char* today) {
    std::vector<std::string> out;
    for (const auto& c : closures_in_note(note, *day_number(today)))
        out.push_back(iso_day(c.first_day) + ".." + iso_day(c.last_day) + " " + c.rule + " @" +
                      std::to_string(c.sentence_at));
    return out;
}

}  // namespace

TEST(note_closures, french_and_english_spans_at_their_next_occurrence) {
    using v = std::vector<std::string>;
    EXPECT_EQ(said("Fermeture du 2 au 22 août et du 24 au 31 décembre.", "2026-12-02"),
              (v{"2027-08-02..2027-08-22 Aug 02-22 off @0",
                 "2026-12-24..2026-12-31 Dec 24-31 off @0"}));
    EXPECT_EQ(said("Bonnet obligatoire. Fermée en août et le 1er mai.", "2026-12-02"),
              (v{"2027-08-01..2027-08-31 Aug off @20", "2027-05-01..2027-05-01 May 01 off @20"}));
    EXPECT_EQ(said("Closed from 24 December to 2 January; closed on August 15th.", "2027-01-01"),
              (v{"2026-12-24..2027-01-02 Dec 24-Jan 02 off @0",
                 "2027-08-15..2027-08-15 Aug 15 off @38"}));
    EXPECT_EQ(said("closed from August 2 to 22, shut in September", "2026-12-02"),
              (v{"2027-08-02..2027-08-22 Aug 02-22 off @0", "2027-09-01..2027-09-30 Sep off @0"}));
    EXPECT_EQ(said("Fermeture annuelle au mois d'août.", "2026-12-02"),
              (v{"2027-08-01..2027-08-31 Aug off @0"}));
}

TEST(note_closures, a_written_year_is_kept_and_a_past_one_skipped) {
    using v = std::vector<std::string>;
    // No rule: a year in an opening_hours rule is one more thing to get wrong.
    EXPECT_EQ(said("Fermé du 3 au 7 mai 2027.", "2026-12-02"), (v{"2027-05-03..2027-05-07  @0"}));
    EXPECT_EQ(said("Fermé du 3 au 7 mai 2026.", "2026-12-02"), v{});
}

TEST(note_closures, only_sentences_that_say_closed_are_read) {
    EXPECT_TRUE(said("Horaires réduits en juillet et août.", "2026-12-02").empty());
    EXPECT_TRUE(said("Horaires d'hiver de novembre à février.", "2026-12-02").empty());
    EXPECT_TRUE(said("Les week-ends de décembre jusqu'au 24.", "2026-12-02").empty());
    EXPECT_TRUE(said("Fermé le lundi.", "2026-12-02").empty());  // a weekday: the hours say it
    EXPECT_TRUE(said("Fermé du 31 au 30 février.", "2026-12-02").empty());
}
