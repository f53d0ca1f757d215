// The "waste" plugin (collection days with the holiday shift and the listed exceptions,
// unknown streets) and the alerts every knowledge-base plugin shows first while active.
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness.h"

using guichet::test::harness;
using guichet::test::paris;
using testing::HasSubstr;
using testing::Not;

namespace {

std::string waste(const std::string& street, std::int64_t now, const std::string& locale = "fr") {
    auto out = harness::get().run("waste", "waste.days", {{"street", street}, {"when", "now"}},
                                  locale, now);
    EXPECT_EQ(out.status, guichet::turn_status::ok) << out.error;
    return harness::text(out.replies);
}

}  // namespace

TEST(plugin_waste, victor_hugo_ordinary_week) {
    // Monday 30 November 2026; zone centre: household Tu/Fr, recycling Th, glass 2nd We.
    auto s = waste("rue Victor Hugo", paris(2026, 11, 30, 9, 0, 1));
    EXPECT_THAT(s, HasSubstr("rue Victor Hugo — Zone Centre"));
    EXPECT_THAT(s, HasSubstr("mardi 1er décembre"));
    EXPECT_THAT(s, HasSubstr("jeudi 3 décembre"));
    EXPECT_THAT(s, HasSubstr("mercredi 9 décembre"));
    EXPECT_THAT(s, HasSubstr("sur rendez-vous"));
}

TEST(plugin_waste, armistice_day_shifts_to_the_next_day) {
    // Glass, 2nd Wednesday: 11 November 2026 is Armistice Day → Thursday 12 November.
    auto s = waste("rue Victor Hugo", paris(2026, 11, 9, 9, 0, 1));
    EXPECT_THAT(s, HasSubstr("jeudi 12 novembre (décalé : jour férié)"));
    EXPECT_THAT(s, Not(HasSubstr("mercredi 11 novembre")));
}

TEST(plugin_waste, christmas_exception_moves_to_saturday) {
    // Household waste on Fridays: 25 December 2026 → Saturday 26 December (listed exception).
    auto s = waste("rue Victor Hugo", paris(2026, 12, 23, 9, 0, 1));
    // With the staff's note as the reason (it said "jour férié" of any exception, the 24th too).
    EXPECT_THAT(s, HasSubstr("samedi 26 décembre (Noël, collecte décalée au samedi)"));
    EXPECT_THAT(s, Not(HasSubstr("vendredi 25 décembre")));
}

// Two changes of one day for two streams are both applied: keyed by the day alone, the
// second was dropped (the recycling went out on its usual day). The town centre's recycling is
// put on Tuesdays here, beside its household waste.
TEST(plugin_waste, two_streams_changed_on_one_day_are_both_moved) {
    static harness h(guichet::test::site_changes{
        "", [](const std::filesystem::path& k) {
            std::ifstream in(k / "waste.yaml");
            std::string y((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            const std::string from = "      - stream: recyclables\n        days: [Th]\n";
            ASSERT_NE(y.find(from), std::string::npos);
            y.replace(y.find(from), from.size(), "      - stream: recyclables\n        days: [Tu]\n");
            y += "  - date: 2027-01-12\n    stream: ordures\n    moved_to: 2027-01-13\n"
                 "  - date: 2027-01-12\n    stream: recyclables\n    moved_to: 2027-01-14\n";
            std::ofstream(k / "waste.yaml") << y;
        }});
    auto out = h.run("waste", "waste.days", {{"street", "rue Victor Hugo"}, {"when", "now"}}, "fr",
                     paris(2027, 1, 11, 9, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    const auto s = harness::text(out.replies);
    EXPECT_THAT(s, HasSubstr("mercredi 13 janvier"));
    EXPECT_THAT(s, HasSubstr("jeudi 14 janvier"));
    EXPECT_THAT(s, Not(HasSubstr("mardi 12 janvier")));
}

TEST(plugin_waste, through_the_engine_and_in_english) {
    auto r = harness::get().ask("quel jour passent les poubelles rue Victor Hugo ?", "fr",
                                paris(2026, 11, 30, 9, 0, 1));
    EXPECT_EQ(r.intent, "waste.days");
    EXPECT_THAT(harness::text(r), HasSubstr("mardi 1er décembre"));
    auto en = waste("rue Victor Hugo", paris(2026, 11, 30, 9, 0, 1), "en");
    EXPECT_THAT(en, HasSubstr("household waste on Tuesday 1 December"));
    EXPECT_THAT(en, HasSubstr("bulky items: by appointment with the town hall front desk"));
}

TEST(plugin_waste, unknown_street_suggests_close_ones) {
    auto out = harness::get().run("waste", "waste.days", {{"street", "rue Victor Hugi"}}, "fr",
                                  paris(2026, 11, 30, 9, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    EXPECT_THAT(harness::text(out.replies), HasSubstr("Je ne trouve pas la rue « rue Victor Hugi »"));
    ASSERT_FALSE(out.replies.empty());
    ASSERT_FALSE(out.replies.back().buttons.empty());
    EXPECT_EQ(out.replies.back().buttons[0].title, "rue Victor Hugo");
    auto none = harness::get().run("waste", "waste.days", {{"street", "zzzzqqqqxxxxwwww"}}, "en",
                                   paris(2026, 11, 30, 9, 0, 1));
    ASSERT_EQ(none.status, guichet::turn_status::ok) << none.error;
    EXPECT_THAT(harness::text(none.replies), HasSubstr("I cannot find the street"));
}

// A stream named ("le verre", "la poubelle jaune", "bulky items") is answered alone, also as a
// follow-up; none named, every stream.
TEST(plugin_waste, a_stream_named_is_answered_alone) {
    const auto at = paris(2026, 11, 30, 9, 0, 1);
    auto glass = harness::text(harness::get().ask("quand passe le verre rue victor hugo", "fr", at));
    EXPECT_THAT(glass, HasSubstr("rue Victor Hugo — Zone Centre"));
    EXPECT_THAT(glass, HasSubstr(": verre "));
    EXPECT_THAT(glass, Not(HasSubstr("ordures")));
    auto yellow = harness::text(harness::get().ask("poubelle jaune rue victor hugo", "fr", at, "w-follow"));
    EXPECT_THAT(yellow, HasSubstr(": emballages recyclables "));
    EXPECT_THAT(yellow, Not(HasSubstr("verre")));
    auto then = harness::text(harness::get().ask("et le verre ?", "fr", at + 10, "w-follow"));
    EXPECT_THAT(then, HasSubstr("rue Victor Hugo"));
    EXPECT_THAT(then, HasSubstr(": verre "));
    EXPECT_THAT(then, Not(HasSubstr("emballages")));
    auto en = harness::text(harness::get().ask("when are bulky items collected on victor hugo street", "en", at));
    EXPECT_THAT(en, HasSubstr(": bulky items: by appointment"));
    EXPECT_THAT(en, Not(HasSubstr("glass")));
    auto green = harness::text(harness::get().ask("déchets verts rue victor hugo", "fr", at));
    EXPECT_THAT(green, HasSubstr("déchets verts : pas de collecte dans cette zone."));
    auto all = harness::text(harness::get().ask("quand passent les poubelles rue victor hugo", "fr", at));
    EXPECT_THAT(all, HasSubstr("ordures ménagères"));
    EXPECT_THAT(all, HasSubstr("verre"));
}

// An alert is said once in a conversation: the follow-ups about the pool are not warned again,
// another conversation is.
TEST(plugin_alerts, said_once_in_a_conversation) {
    const auto at = paris(2026, 12, 2, 9, 0, 1);
    auto first = harness::get().ask("la piscine est ouverte à noël ?", "fr", at, "alert-once");
    EXPECT_THAT(harness::text(first), HasSubstr("fermé pour l'hiver"));
    auto then = harness::get().ask("et le 31 ?", "fr", at + 10, "alert-once");
    EXPECT_THAT(harness::text(then), HasSubstr("31 décembre"));
    EXPECT_THAT(harness::text(then), Not(HasSubstr("⚠️")));
    auto where = harness::get().ask("où se trouve la piscine ?", "fr", at + 20, "alert-once");
    EXPECT_THAT(harness::text(where), Not(HasSubstr("⚠️")));
    auto why = harness::get().ask("jusqu'à quand le bassin extérieur est fermé ?", "fr", at + 25,
                                  "alert-once");
    EXPECT_THAT(harness::text(why), HasSubstr("jusqu'au 31 mars"));
    auto other = harness::get().ask("horaires de la piscine", "fr", at + 30, "alert-other");
    EXPECT_THAT(harness::text(other), HasSubstr("fermé pour l'hiver"));
}

TEST(plugin_alerts, shown_first_while_active_and_only_for_their_place) {
    // piscine_bassin_exterieur_hiver: 2026-11-01 → 2027-03-31, canicule_piscine: 2027-06-15 →
    // 2027-08-31; both for hours.open and places.nearest about the pool.
    auto r = harness::get().ask("horaires de la piscine", "fr", paris(2026, 12, 2, 9, 0, 1));
    ASSERT_GE(r.replies.size(), 2u);
    EXPECT_THAT(r.replies[0].text, HasSubstr("fermé pour l'hiver"));
    EXPECT_THAT(r.replies[1].text, HasSubstr("Horaires de la piscine"));
    EXPECT_THAT(harness::text(r), Not(HasSubstr("canicule")));
    auto where = harness::get().ask("où se trouve la piscine ?", "fr", paris(2026, 12, 2, 9, 0, 1));
    ASSERT_FALSE(where.replies.empty());
    EXPECT_THAT(where.replies[0].text, HasSubstr("fermé pour l'hiver"));
    auto other = harness::get().ask("horaires de la mairie", "fr", paris(2026, 12, 2, 9, 0, 1));
    EXPECT_THAT(harness::text(other), Not(HasSubstr("⚠️")));
    auto spring = harness::get().ask("horaires de la piscine", "fr", paris(2027, 4, 7, 9, 0, 2));
    EXPECT_THAT(harness::text(spring), Not(HasSubstr("⚠️")));
    auto summer = harness::get().ask("horaires de la piscine", "fr", paris(2027, 7, 7, 9, 0, 2));
    ASSERT_FALSE(summer.replies.empty());
    EXPECT_THAT(summer.replies[0].text, HasSubstr("Plan canicule"));
    EXPECT_THAT(harness::text(summer), Not(HasSubstr("hiver")));
}

TEST(plugin_alerts, not_shown_after_until) {
    auto r = harness::get().ask("horaires de la piscine", "fr", paris(2028, 1, 5, 9, 0, 1));
    EXPECT_THAT(harness::text(r), Not(HasSubstr("canicule")));
    // travaux_mediatheque_2027: 1–14 March 2027, every intent about the media library.
    auto during = harness::get().run("hours", "hours.open", {{"service", "mediatheque"}, {"when", "now"}},
                                     "fr", paris(2027, 3, 5, 10, 0, 1));
    ASSERT_FALSE(during.replies.empty());
    EXPECT_THAT(during.replies[0].text, HasSubstr("fermée pour travaux"));
    auto after = harness::get().run("hours", "hours.open", {{"service", "mediatheque"}, {"when", "now"}},
                                    "fr", paris(2027, 3, 15, 10, 0, 1));
    EXPECT_THAT(harness::text(after.replies), Not(HasSubstr("travaux")));
}

// A message barely taken for a report, with no category and a place named ("marchés publics"
// names the market): the problem is asked, not a recap of nothing; sure of it, the recap.
TEST(plugin_report, barely_a_report_asks_what_the_problem_is) {
    const auto at = paris(2026, 12, 2, 10, 0, 1);
    auto barely = harness::get().run("report", "report.create", {{"where", "marche"}}, "fr", at,
                                     "les marchés publics", 0.26);
    ASSERT_EQ(barely.status, guichet::turn_status::ok) << barely.error;
    EXPECT_THAT(harness::text(barely.replies), HasSubstr("Quel est le problème ?"));
    EXPECT_THAT(harness::text(barely.replies), Not(HasSubstr("Je récapitule")));
}
