// The front desk the plugins send citizens to is the host's (`agents.desk_place`, ABI 1.4),
// with the name and phone the knowledge base gives it: a town whose desk has another id and
// another number is told that number, and a desk without a phone gives no number at all (the
// plugins carried the default commune's 02 38 45 10 00 and its `accueil_mairie`).
#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness.h"

using guichet::test::harness;
using guichet::test::paris;
using guichet::test::site_changes;
using testing::HasSubstr;
using testing::Not;

namespace {

// places.yaml with `from` replaced by `to` after the line `- id: accueil_mairie`.
void edit_desk(const std::filesystem::path& knowledge, const std::string& from, const std::string& to) {
    const auto file = knowledge / "places.yaml";
    std::stringstream ss;
    ss << std::ifstream(file).rdbuf();
    std::string yaml = ss.str();
    const auto desk = yaml.find("- id: accueil_mairie");
    ASSERT_NE(desk, std::string::npos);
    const auto at = yaml.find(from, desk);
    ASSERT_NE(at, std::string::npos);
    yaml.replace(at, from.size(), to);
    std::ofstream(file, std::ios::trunc) << yaml;
}

// Monday 7 December 2026, 10:00 in Paris: the desk (Mo-Fr 09:00-12:00) is open.
const std::int64_t desk_open = paris(2026, 12, 7, 10, 0, 1);

std::string said(const guichet::turn_outcome& o) {
    EXPECT_EQ(o.status, guichet::turn_status::ok) << o.error;
    return harness::text(o.replies);
}

// Another town: its desk is `guichet_unique`, on 03 80 11 22 33.
harness& other_town() {
    static harness h(site_changes{"guichet_unique",
                                  [](const std::filesystem::path& k) {
                                      edit_desk(k, "phone: 02 38 45 10 00", "phone: 03 80 11 22 33");
                                      edit_desk(k, "- id: accueil_mairie", "- id: guichet_unique");
                                  },
                                  {"handoff"}});
    return h;
}

// The default commune with no phone for its desk.
harness& no_desk_phone() {
    static harness h(site_changes{"",
                                  [](const std::filesystem::path& k) {
                                      edit_desk(k, "    phone: 02 38 45 10 00\n", "");
                                  },
                                  {"handoff"}});
    return h;
}

}  // namespace

TEST(plugin_desk, handoff_follows_the_desk_the_host_names_and_its_phone) {
    // Open by the hours of `guichet_unique` (the plugin looked at `accueil_mairie`, missing
    // here, and said nobody was available); nobody signed in: the desk's number to call.
    auto fr = said(other_town().run("handoff", "handoff.request", {}, "fr", desk_open,
                                    "je veux parler à quelqu'un"));
    EXPECT_THAT(fr, HasSubstr("L'accueil est ouvert, mais aucun agent n'est connecté"));
    EXPECT_THAT(fr, HasSubstr("en ce moment ; sinon, appelez la mairie (Accueil des "
                              "agents de la mairie, 03 80 11 22 33)."));
    EXPECT_THAT(fr, Not(HasSubstr("02 38 45 10 00")));
    auto en = said(other_town().run("handoff", "handoff.request", {}, "en", desk_open,
                                    "I want to talk to someone"));
    EXPECT_THAT(en, HasSubstr("right now; otherwise, call the town hall (Town hall front "
                              "desk, 03 80 11 22 33)."));
    EXPECT_THAT(en, Not(HasSubstr("38 45 10 00")));
}

TEST(plugin_desk, places_send_to_the_desk_as_the_knowledge_base_has_it) {
    auto fr = said(other_town().run("places", "places.nearest", {{"category", "patinoire"}}, "fr",
                                    desk_open, "la patinoire la plus proche"));
    EXPECT_THAT(fr, HasSubstr("Je ne connais aucun lieu de ce type dans la commune. Pour en savoir "
                              "plus, appelez la mairie (Accueil des agents de la mairie, "
                              "03 80 11 22 33)."));
    auto en = said(other_town().run("places", "places.nearest", {{"category", "patinoire"}}, "en",
                                    desk_open, "the nearest ice rink"));
    EXPECT_THAT(en, HasSubstr("To find out more, call the town hall (Town hall front desk, "
                              "03 80 11 22 33)."));
}

TEST(plugin_desk, a_desk_without_a_phone_gives_no_number) {
    auto handoff = said(no_desk_phone().run("handoff", "handoff.request", {}, "fr", desk_open,
                                            "je veux parler à quelqu'un"));
    EXPECT_THAT(handoff, HasSubstr("aucun agent n'est connecté pour vous répondre ici en ce "
                                   "moment. Voulez-vous"));
    EXPECT_THAT(handoff, Not(HasSubstr("38 45")));
    auto places = said(no_desk_phone().run("places", "places.nearest", {{"category", "patinoire"}},
                                           "fr", desk_open, "la patinoire la plus proche"));
    EXPECT_THAT(places, HasSubstr("Pour en savoir plus, adressez-vous à la mairie (Accueil des "
                                  "agents de la mairie)."));
    EXPECT_THAT(places, Not(HasSubstr("38 45")));
}
