// The "places" and "faq" plugins through the whole engine: nearest places from a shared
// location (order checked against the haversine distance of the knowledge base's own
// coordinates), where a place is, FAQ with and without accents, in English, and a question
// the FAQ cannot answer.
#include <cmath>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <tuple>

#include "harness.h"

using guichet::test::harness;
using guichet::test::paris;
using testing::HasSubstr;
using testing::Not;

namespace {

double haversine(double lat1, double lon1, double lat2, double lon2) {
    const double r = 6371008.8, rad = M_PI / 180;
    double a = std::pow(std::sin((lat2 - lat1) * rad / 2), 2) +
               std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::pow(std::sin((lon2 - lon1) * rad / 2), 2);
    return 2 * r * std::asin(std::sqrt(a));
}

struct kb_place {
    std::string id, name_fr;
    double lat, lon;
};

std::vector<kb_place> places_of(const std::string& category) {
    std::vector<kb_place> out;
    std::string error;
    harness::get().the_site().kb_query(
        "SELECT id, name_fr, latitude, longitude FROM places WHERE category = ?1", {category},
        [](void* user, int, const char* const* v, const char* const*) {
            static_cast<std::vector<kb_place>*>(user)->push_back(
                {v[0], v[1], std::atof(v[2]), std::atof(v[3])});
            return 0;
        },
        &out, error);
    EXPECT_EQ(error, "");
    return out;
}

}  // namespace

TEST(plugin_places, nearest_recycling_centre_from_a_shared_location) {
    auto all = places_of("dechetterie");
    ASSERT_GE(all.size(), 2u);
    // A point next to the second one listed, so that the order is not the table's.
    guichet::geo_point at{all[1].lat + 0.002, all[1].lon - 0.001};
    std::sort(all.begin(), all.end(), [&](const kb_place& a, const kb_place& b) {
        return haversine(at.lat, at.lon, a.lat, a.lon) < haversine(at.lat, at.lon, b.lat, b.lon);
    });
    // Sunday 13 December 2026 at 15:00: both closed, so the order is the distance order.
    auto r = harness::get().ask("la déchetterie la plus proche", "fr", paris(2026, 12, 13, 15, 0, 1),
                                "", at);
    EXPECT_EQ(r.intent, "places.nearest");
    auto s = harness::text(r);
    auto first = s.find(all[0].name_fr), second = s.find(all[1].name_fr);
    ASSERT_NE(first, std::string::npos) << s;
    ASSERT_NE(second, std::string::npos) << s;
    EXPECT_LT(first, second) << s;
    long metres = std::lround(haversine(at.lat, at.lon, all[0].lat, all[0].lon) / 10) * 10;
    EXPECT_THAT(s, HasSubstr("à " + std::to_string(metres) + " m")) << s;
    bool card = false, pin = false;
    for (auto& rep : r.replies) {
        for (auto& c : rep.cards)
            if (c.url.rfind("https://www.openstreetmap.org/?mlat=", 0) == 0 &&
                c.url.find("#map=17/") != std::string::npos)
                card = true;
        if (!rep.locations.empty()) pin = true;
    }
    EXPECT_TRUE(card);
    EXPECT_TRUE(pin);
}

TEST(plugin_places, open_places_come_first) {
    auto all = places_of("dechetterie");
    ASSERT_GE(all.size(), 2u);
    guichet::geo_point at{all[1].lat + 0.002, all[1].lon - 0.001};
    // Tuesday 15 December 2026 10:00: both closed on Tuesdays; Wednesday 10:00: both open.
    auto r = harness::get().ask("la déchetterie la plus proche", "fr", paris(2026, 12, 16, 10, 0, 1),
                                "", at);
    EXPECT_THAT(harness::text(r), HasSubstr("Déchetterie du Port — à 230 m, ouverte en ce moment (aujourd'hui de 9 h à 12 h et de 13 h 30 à 17 h)"));
}

TEST(plugin_places, nearest_from_another_place) {
    auto pools = places_of("piscine");
    ASSERT_EQ(pools.size(), 1u);
    auto all = places_of("dechetterie");
    std::sort(all.begin(), all.end(), [&](const kb_place& a, const kb_place& b) {
        return haversine(pools[0].lat, pools[0].lon, a.lat, a.lon) <
               haversine(pools[0].lat, pools[0].lon, b.lat, b.lon);
    });
    auto out = harness::get().run("places", "places.nearest",
                                  {{"category", "dechetterie"}, {"service", "piscine"}}, "fr",
                                  paris(2026, 12, 13, 15, 0, 1), "la déchetterie la plus proche de la piscine");
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    auto s = harness::text(out.replies);
    EXPECT_THAT(s, HasSubstr("Les plus proches de la piscine"));
    EXPECT_LT(s.find(all[0].name_fr), s.find(all[1].name_fr)) << s;
}

TEST(plugin_places, where_is_the_library) {
    auto r = harness::get().ask("où est la médiathèque ?", "fr", paris(2026, 12, 8, 10, 0, 1));
    EXPECT_EQ(r.intent, "places.nearest");
    auto s = harness::text(r);
    EXPECT_THAT(s, HasSubstr("Médiathèque Colette"));
    EXPECT_THAT(s, HasSubstr("rue Victor Hugo"));
    EXPECT_THAT(s, HasSubstr("Aujourd'hui de 14 h à 18 h"));
    ASSERT_FALSE(r.replies.empty());
    ASSERT_FALSE(r.replies.back().cards.empty());
    EXPECT_THAT(r.replies.back().cards[0].url, HasSubstr("openstreetmap.org/?mlat=47.90390&mlon=1.90710"));
}

TEST(plugin_places, unknown_place_gets_a_clear_answer) {
    auto out = harness::get().run("places", "places.nearest", {{"service", "atlantide"}}, "fr",
                                  paris(2026, 12, 8, 10, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    EXPECT_THAT(harness::text(out.replies), HasSubstr("Je ne connais pas le lieu « atlantide »"));
    auto cat = harness::get().run("places", "places.nearest", {{"category", "volcan"}}, "en",
                                  paris(2026, 12, 8, 10, 0, 1));
    ASSERT_EQ(cat.status, guichet::turn_status::ok) << cat.error;
    EXPECT_THAT(harness::text(cat.replies), HasSubstr("I do not know any such place"));
}

// Everyday places a town lists: parking, public toilets, defibrillator, playground, charging.
TEST(plugin_places, everyday_places_by_their_common_names) {
    const auto at = paris(2026, 12, 8, 10, 0, 1);
    EXPECT_THAT(harness::text(harness::get().ask("où puis-je me garer ?", "fr", at)),
                HasSubstr("Parking de la Mairie"));
    EXPECT_THAT(harness::text(harness::get().ask("public toilets near here", "en", at)),
                HasSubstr("Town hall square public toilets"));
    EXPECT_THAT(harness::text(harness::get().ask("où est le défibrillateur le plus proche ?", "fr", at)),
                HasSubstr("Défibrillateur de la mairie"));
    EXPECT_THAT(harness::text(harness::get().ask("where can I charge my electric car", "en", at)),
                HasSubstr("Station charging point"));
    EXPECT_THAT(harness::text(harness::get().ask("je cherche une aire de jeux", "fr", at)),
                HasSubstr("Aire de jeux du parc du Château"));
    // Open and closed agree with the place: the toilets at 6 in the morning, the car park.
    EXPECT_THAT(harness::text(harness::get().ask("toilettes publiques", "fr", paris(2026, 12, 8, 6, 0, 1))),
                HasSubstr("Toilettes publiques de la place de la Mairie — à 30 m, fermées en ce moment"));
    EXPECT_THAT(harness::text(harness::get().ask("où puis-je me garer ?", "fr", at)),
                HasSubstr("ouvert en ce moment (ouvert toute la journée)"));
}

TEST(plugin_faq, identity_card_with_and_without_accents) {
    for (const char* q : {"comment faire une carte d'identité ?", "comment faire une carte d'identite"}) {
        auto r = harness::get().ask(q, "fr", paris(2026, 12, 8, 10, 0, 1));
        EXPECT_EQ(r.intent, "faq.ask") << q;
        auto s = harness::text(r);
        EXPECT_THAT(s, HasSubstr("La carte d'identité se demande uniquement sur rendez-vous")) << q;
        EXPECT_THAT(s, HasSubstr("Source : https://www.service-public.fr/particuliers/vosdroits/N358")) << q;
        EXPECT_THAT(s, HasSubstr("mis à jour le 1er octobre 2026")) << q;
        ASSERT_FALSE(r.replies.empty());
        ASSERT_FALSE(r.replies.back().cards.empty());
        EXPECT_EQ(r.replies.back().cards[0].url, "https://www.service-public.fr/particuliers/vosdroits/N358");
    }
}

// The card of an answer names the entry by its first question, as staff wrote it, not by the
// example that matched: "• mon mari est mort" was shown to someone whose father had died.
TEST(plugin_faq, card_titled_by_the_first_question) {
    for (auto [q, lang, title] : {std::tuple{"mon père est décédé, que faut-il faire ?", "fr", "Comment déclarer un décès ?"},
                                  std::tuple{"my dad just died", "en", "How do I register a death?"}}) {
        auto r = harness::get().ask(q, lang, paris(2026, 12, 8, 10, 0, 1));
        EXPECT_THAT(harness::text(r), HasSubstr(lang == std::string("fr") ? "condoléances" : "condolences")) << q;
        ASSERT_FALSE(r.replies.empty());
        ASSERT_FALSE(r.replies.back().cards.empty()) << q;
        EXPECT_EQ(r.replies.back().cards[0].title, title) << q;
    }
}

TEST(plugin_faq, english) {
    auto r = harness::get().ask("How do I get an ID card?", "en", paris(2026, 12, 8, 10, 0, 1));
    EXPECT_EQ(r.intent, "faq.ask");
    auto s = harness::text(r);
    EXPECT_THAT(s, HasSubstr("ID cards are applied for by appointment only"));
    EXPECT_THAT(s, HasSubstr("(updated 1 October 2026)"));
}

// The price or the delay of something is asked with words that name no subject: the subject
// chooses the entry ("Combien coûte la cantine ?" holds "combien coûte", not "passeport").
TEST(plugin_faq, the_subject_chooses_not_the_price_words) {
    const auto at = paris(2026, 12, 8, 10, 0, 1);
    for (const char* q : {"combien coute un passeport", "combien coûte un passeport ?",
                          "quel est le prix du passeport", "délai passeport"}) {
        auto out = harness::get().run("faq", "faq.ask", {}, "fr", at, q);
        EXPECT_THAT(harness::text(out.replies), HasSubstr("Le passeport se demande sur rendez-vous")) << q;
        EXPECT_FALSE(out.unanswered) << q;
    }
    auto en = harness::get().run("faq", "faq.ask", {}, "en", at, "how much does a passport cost?");
    EXPECT_THAT(harness::text(en.replies), HasSubstr("Passports are applied for by appointment"));
    auto canteen = harness::get().run("faq", "faq.ask", {}, "fr", at, "combien coute la cantine");
    EXPECT_THAT(harness::text(canteen.replies), HasSubstr("quotient familial"));
}

TEST(plugin_faq, no_good_match_offers_buttons) {
    auto out = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1));
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    auto s = harness::text(out.replies);
    EXPECT_THAT(s, HasSubstr("Je n'ai pas trouvé de réponse sûre"));
    ASSERT_FALSE(out.replies.empty());
    ASSERT_FALSE(out.replies.back().buttons.empty());
    EXPECT_EQ(out.replies.back().buttons.back().title, "Contacter la mairie");
    // Words that match the FAQ only weakly: no answer, the closest questions as buttons.
    auto weak = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1),
                                   "quel temps fera-t-il demain ?");
    auto w = harness::text(weak.replies);
    EXPECT_THAT(w, HasSubstr("Je n'ai pas trouvé de réponse sûre"));
    ASSERT_FALSE(weak.replies.empty());
    EXPECT_GE(weak.replies.back().buttons.size(), 2u);
    // One shared word is not enough when more were said ("carte" is in "carte d'identité",
    // "carte grise"…; a bank card is not in the FAQ).
    auto keys = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1),
                                   "ma carte bleue ne marche plus");
    EXPECT_THAT(harness::text(keys.replies), HasSubstr("Je n'ai pas trouvé de réponse sûre"));
    EXPECT_TRUE(keys.unanswered);  // the staff see it among the unanswered questions
    // "à" is no subject word: "s'inscrire à la médiathèque" is not "inscrire mon bébé à la
    // crèche", but the library's membership.
    auto library = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1),
                                      "comment s'inscrire à la médiathèque");
    EXPECT_THAT(harness::text(library.replies), Not(HasSubstr("multi-accueil")));
    EXPECT_THAT(harness::text(library.replies), HasSubstr("médiathèque Colette est gratuite"));
    EXPECT_FALSE(library.unanswered);
    // One word alone chooses an entry only when the entry has it as a question of its own:
    // "perdu" is in the lost passport, identity card, voter card and lost property entries.
    auto lone = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1), "perdu");
    EXPECT_TRUE(lone.unanswered);
    ASSERT_FALSE(lone.replies.empty());
    EXPECT_GE(lone.replies.back().buttons.size(), 3u);  // the closest questions, then the contact
    auto passport = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1), "passeport");
    EXPECT_THAT(harness::text(passport.replies), HasSubstr("Le passeport se demande"));
    EXPECT_FALSE(passport.unanswered);
    // A short word is no prefix: "allo" is not the start of "allocation" (the APA).
    auto allo = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1), "allo ?");
    EXPECT_THAT(harness::text(allo.replies), Not(HasSubstr("autonomie")));
    EXPECT_TRUE(allo.unanswered);
    // The entry whose questions hold all the words wins over a shorter one holding two:
    // "J'ai perdu ma carte d'identité", not "carte électorale perdue" (where to vote).
    auto lost = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1),
                                   "carte identite perdue");
    EXPECT_THAT(harness::text(lost.replies), HasSubstr("Déclarez la perte"));
    EXPECT_THAT(harness::text(lost.replies), Not(HasSubstr("bureau de vote")));
    EXPECT_FALSE(lost.unanswered);
    // Words around the question do not count ("je voudrais savoir", "rapidement" is not in
    // the FAQ): "obtenir" and "passeport" are held by one question.
    auto long_one = harness::get().run("faq", "faq.ask", {}, "fr", paris(2026, 12, 8, 10, 0, 1),
                                       "je voudrais savoir comment obtenir un passeport rapidement");
    EXPECT_THAT(harness::text(long_one.replies), HasSubstr("Le passeport se demande sur rendez-vous"));
    // And a close one is answered, from the text alone.
    auto good = harness::get().run("faq", "faq.ask", {}, "en", paris(2026, 12, 8, 10, 0, 1),
                                   "I lost my passport");
    EXPECT_THAT(harness::text(good.replies), HasSubstr("Source: https://"));
}

// Words that say where something is name no subject: "près" is no prefix of "préalable", "the
// nearest bakery" no hospital.
TEST(plugin_faq, where_words_choose_no_entry) {
    const auto at = paris(2026, 12, 2, 10, 0, 1);
    auto near =
        harness::get().run("faq", "faq.ask", {}, "fr", at, "lampadaire cassé près de la piscine");
    ASSERT_EQ(near.status, guichet::turn_status::ok) << near.error;
    EXPECT_THAT(harness::text(near.replies), Not(HasSubstr("déclaration préalable suffit")));
    auto bakery = harness::get().run("faq", "faq.ask", {}, "en", at, "where is the nearest bakery");
    EXPECT_THAT(harness::text(bakery.replies), Not(HasSubstr("hospital")));
    auto hospital =
        harness::get().run("faq", "faq.ask", {}, "en", at, "where is the nearest hospital");
    EXPECT_THAT(harness::text(hospital.replies), HasSubstr("The town has no hospital"));
}
