// The shared header of the knowledge-base plugins compiles on its own, and its pure helpers
// (plain text from the KB, calendar arithmetic, distances, map links) do what they say.
#include <guichet/answers.hpp>
#include <gtest/gtest.h>

using namespace guichet::answers;

TEST(plugin_answers_helpers, plain_text_drops_html) {
    EXPECT_EQ(plain_text("<b>Fermé</b> le <a href=\"x\">lundi</a> &amp; mardi"), "Fermé le lundi & mardi");
    EXPECT_EQ(plain_text("<script>alert(1)</script>ok"), "alert(1) ok");
    EXPECT_EQ(plain_text("a < b"), "a < b");
    EXPECT_EQ(plain_text("  deux   espaces  "), "deux espaces");
}

TEST(plugin_answers_helpers, calendar) {
    EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(iso_date(days_from_civil(2026, 4, 6)), "2026-04-06");
    EXPECT_EQ(weekday_of(days_from_civil(2026, 4, 6)), 1);   // Easter Monday 2026
    EXPECT_EQ(weekday_of(days_from_civil(2026, 11, 28)), 6); // a Saturday
    for (std::int64_t d = -1000; d < 30000; d += 37) {
        civil c = civil_from_days(d);
        ASSERT_EQ(days_from_civil(c.y, c.m, c.d), d);
    }
    EXPECT_EQ(parse_iso_day("2026-12-05T00:00:00+01:00"), days_from_civil(2026, 12, 5));
    EXPECT_FALSE(parse_iso_day("samedi").has_value());
}

TEST(plugin_answers_helpers, distance_and_map_link) {
    // Paris Notre-Dame to the Eiffel Tower: about 4.1 km.
    double m = haversine_m(48.85296, 2.34990, 48.85826, 2.29450);
    EXPECT_NEAR(m, 4100, 100);
    EXPECT_EQ(osm_link(47.9039, 1.9071),
              "https://www.openstreetmap.org/?mlat=47.90390&mlon=1.90710#map=17/47.90390/1.90710");
}

// Typed answers to a yes-no question, as citizens type them.
TEST(plugin_answers_helpers, typed_yes_and_no) {
    for (const char* y : {"oui", "Oui, envoyer", "OK", "d'accord", "d\u2019accord", " yes please", "Yeah"})
        EXPECT_TRUE(says_yes(y)) << y;
    for (const char* n : {"non", "Non, rue Jean Jaurès", "no", "No, thanks", "nope"})
        EXPECT_TRUE(says_no(n)) << n;
    for (const char* other : {"nid de poule", "noon", "notre-dame", "peut-être", ""}) {
        EXPECT_FALSE(says_yes(other)) << other;
        EXPECT_FALSE(says_no(other)) << other;
    }
}

TEST(plugin_answers_helpers, accents_and_follow_ups) {
    EXPECT_EQ(without_accents("réclamation à l'œuvre, ça déménage"),
              "reclamation a l'oeuvre, ca demenage");
    EXPECT_EQ(without_accents("plain ASCII"), "plain ASCII");
    EXPECT_EQ(without_accents("日本"), "日本");  // other letters left as they are
    EXPECT_TRUE(follows_on("  Et la cantine ?"));
    EXPECT_TRUE(follows_on("what about the library"));
    EXPECT_FALSE(follows_on("etat civil"));
}
