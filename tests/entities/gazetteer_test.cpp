// The fuzzy gazetteer: exact, accent/case-folded, typo'd and street-type-less matches,
// longest match first, and dates inside street names.
#include "entities/gazetteer.h"

#include <atomic>
#include <thread>

#include "test_util.h"

namespace guichet::entities::test {
namespace {

std::vector<gazetteer_entry> commune() {
    return {
        {"service", "mediatheque", {"médiathèque", "bibliothèque municipale"}},
        {"service", "dechetterie", {"déchetterie", "déchèterie"}},
        {"service", "piscine", {"piscine", "centre aquatique"}},
        {"service", "mairie", {"mairie", "hôtel de ville", "town hall"}},
        {"service", "etat_civil", {"état civil", "service de l'état civil"}},
        {"street", "rue_victor_hugo", {"rue Victor Hugo"}},
        {"street", "rue_8_mai_1945", {"rue du 8 mai 1945"}},
        {"street", "place_hotel_de_ville", {"place de l'Hôtel de Ville"}},
        {"street", "avenue_jean_jaures", {"avenue Jean Jaurès"}},
    };
}

struct gaz_case {
    std::string text, lang, type, id, matched;
    bool exact;  // score 1
};
void PrintTo(const gaz_case& c, std::ostream* os) { *os << c.lang << ": " << c.text; }

class gazetteer_match : public ::testing::TestWithParam<gaz_case> {};

TEST_P(gazetteer_match, finds_the_entry) {
    static const extractor ex(commune());
    const gaz_case& c = GetParam();
    const auto all = ex.extract(c.text, c.lang, unix_of(saturday_afternoon));
    const auto found = of_type(all, c.type);
    ASSERT_EQ(found.size(), 1u) << c.text << " -> " << describe(all);
    EXPECT_EQ(found[0].value, c.id);
    EXPECT_EQ(found[0].text, c.matched);
    if (c.exact)
        EXPECT_DOUBLE_EQ(found[0].score, 1.0);
    else
        EXPECT_LT(found[0].score, 1.0);
    EXPECT_GT(found[0].score, 0.5);
}

INSTANTIATE_TEST_SUITE_P(
    services, gazetteer_match,
    ::testing::Values(
        gaz_case{"horaires de la médiathèque", "fr", "service", "mediatheque", "médiathèque", true},
        gaz_case{"horaires de la mediatheque", "fr", "service", "mediatheque", "mediatheque", true},
        gaz_case{"MÉDIATHÈQUE", "fr", "service", "mediatheque", "MÉDIATHÈQUE", true},
        gaz_case{"la dechetrie est ouverte ?", "fr", "service", "dechetterie", "dechetrie", false},
        gaz_case{"la déchetterie", "fr", "service", "dechetterie", "déchetterie", true},
        gaz_case{"la piscin", "fr", "service", "piscine", "piscin", false},
        gaz_case{"la pisicne", "fr", "service", "piscine", "pisicne", false},
        gaz_case{"à la bibliotheque municipal", "fr", "service", "mediatheque",
                 "bibliotheque municipal", false},
        gaz_case{"the town hall opening hours", "en", "service", "mairie", "town hall", true},
        gaz_case{"l'hotel de ville", "fr", "service", "mairie", "hotel de ville", true},
        gaz_case{"service de l'etat civil", "fr", "service", "etat_civil",
                 "service de l'etat civil", true}));

INSTANTIATE_TEST_SUITE_P(
    streets, gazetteer_match,
    ::testing::Values(gaz_case{"j'habite rue Victor-Hugo", "fr", "street", "rue_victor_hugo",
                               "rue Victor-Hugo", true},
                      gaz_case{"j'habite victor hugo", "fr", "street", "rue_victor_hugo",
                               "victor hugo", false},
                      gaz_case{"au 12 avenue jean jaures", "fr", "street", "avenue_jean_jaures",
                               "avenue jean jaures", true},
                      gaz_case{"12 rue du 8 mai 1945", "fr", "street", "rue_8_mai_1945",
                               "rue du 8 mai 1945", true},
                      gaz_case{"avenue jean jauress", "fr", "street", "avenue_jean_jaures",
                               "avenue jean jauress", false},
                      // The silent h left out of a short word after an exact one
                      gaz_case{"kan pass le camion rue victor ugo", "fr", "street",
                               "rue_victor_hugo", "rue victor ugo", false},
                      // English order: the type word after the name belongs to the street
                      gaz_case{"and for jean jaures avenue?", "en", "street", "avenue_jean_jaures",
                               "jean jaures avenue", false},
                      gaz_case{"bins on Victor Hugo street", "en", "street", "rue_victor_hugo",
                               "Victor Hugo street", false}));

TEST(gazetteer_priority, street_with_a_date_is_a_street_not_a_date) {
    const extractor ex(commune());
    const auto all = ex.extract("j'habite rue du 8 mai 1945", "fr", unix_of(saturday_afternoon));
    EXPECT_TRUE(of_type(all, "datetime").empty()) << describe(all);
    EXPECT_EQ(of_type(all, "street").size(), 1u) << describe(all);
    // Alone, the same words are a date.
    const auto date = ex.extract("le 8 mai 1945", "fr", unix_of(saturday_afternoon));
    ASSERT_EQ(of_type(date, "datetime").size(), 1u) << describe(date);
    EXPECT_EQ(of_type(date, "datetime")[0].value, "1945-05-08T00:00:00+02:00");
    // Citizens drop the year: "rue du 8 mai" is the street still, no date.
    const auto short_name = ex.extract("poubelles rue du 8 mai", "fr", unix_of(saturday_afternoon));
    EXPECT_TRUE(of_type(short_name, "datetime").empty()) << describe(short_name);
    ASSERT_EQ(of_type(short_name, "street").size(), 1u) << describe(short_name);
    EXPECT_EQ(of_type(short_name, "street")[0].value, "rue_8_mai_1945");
}

TEST(gazetteer_priority, longest_match_wins) {
    const extractor ex(commune());
    const auto all = ex.extract("place de l'hôtel de ville", "fr", unix_of(saturday_afternoon));
    ASSERT_EQ(all.size(), 1u) << describe(all);
    EXPECT_EQ(all[0].value, "place_hotel_de_ville");
}

// A place named as where from is also a `location`: "près de la mairie", "loin de la
// médiathèque", "à côté de la piscine", "from the town hall"; not the place asked about.
TEST(gazetteer_origin, a_place_said_as_where_from_is_also_a_location) {
    const extractor ex(commune());
    const auto at = unix_of(saturday_afternoon);
    struct origin_case {
        const char* text;
        const char* lang;
        const char* location;  // "" when none
    };
    for (const origin_case& c :
         {origin_case{"un parc près de la mairie ?", "fr", "mairie"},
          origin_case{"la piscine c'est loin de la médiathèque ?", "fr", "mediatheque"},
          origin_case{"à côté de l'hôtel de ville", "fr", "mairie"},
          origin_case{"how far is the pool from the town hall", "en", "mairie"},
          origin_case{"close to the town hall", "en", "mairie"},
          origin_case{"c'est loin la piscine de la mairie ?", "fr", "mairie"},
          origin_case{"de la mairie à la piscine, combien de temps ?", "fr", "mairie"},
          origin_case{"horaires de la médiathèque", "fr", ""},
          origin_case{"la piscine de la mairie est ouverte ?", "fr", ""},
          origin_case{"où est la piscine", "fr", ""}}) {
        const auto all = ex.extract(c.text, c.lang, at);
        const auto loc = of_type(all, "location");
        if (*c.location == '\0') {
            EXPECT_TRUE(loc.empty()) << c.text << " -> " << describe(all);
            continue;
        }
        ASSERT_EQ(loc.size(), 1u) << c.text << " -> " << describe(all);
        EXPECT_EQ(loc[0].value, c.location) << c.text;
        // the place asked about stays the first service named
        EXPECT_FALSE(of_type(all, "service").empty()) << c.text;
    }
}

TEST(gazetteer_negative, ordinary_words_do_not_match) {
    const extractor ex(commune());
    for (const char* text : {"bonjour je voudrais des informations", "merci beaucoup",
                             "quelle heure est-il", "la police", "une cuisine"}) {
        const auto all = ex.extract(text, "fr", unix_of(saturday_afternoon));
        EXPECT_TRUE(of_type(all, "service").empty() && of_type(all, "street").empty())
            << text << " -> " << describe(all);
    }
}

// "polling station" is no railway station: an English noun before a one-word name.
TEST(gazetteer_negative, an_english_compound_is_another_thing) {
    const extractor ex({{"service", "gare", {"gare", "station"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_TRUE(of_type(ex.extract("polling station opening hours", "en", now), "service").empty());
    EXPECT_TRUE(of_type(ex.extract("is there a bus station", "en", now), "service").empty());
    EXPECT_EQ(of_type(ex.extract("how far is the station", "en", now), "service").size(), 1u);
    const extractor post({{"service", "poste", {"poste", "post office"}}});
    EXPECT_TRUE(of_type(post.extract("the lamp post is broken", "en", now), "service").empty());
}

// "ne marche pas" is the verb "marcher", not the market ("marché") typed without its accent.
TEST(gazetteer_negative, a_verb_typed_like_a_name_is_the_verb) {
    const extractor ex({{"service", "marche", {"marché"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    for (const char* text : {"la fontaine ne marche pas", "le lampadaire qui marche plus",
                             "le feu rouge marche plus", "ça marche pas", "la fontaine marche pas"})
        EXPECT_TRUE(of_type(ex.extract(text, "fr", now), "service").empty()) << text;
    for (const char* text : {"le marche est ouvert ?", "y a t il un marche pas loin",
                             "le marché ne marche pas", "horaires du marche", "marche dimanche"})
        EXPECT_EQ(of_type(ex.extract(text, "fr", now), "service").size(), 1u) << text;
}

// "school holidays", "library card": the English noun after the name is what is asked about.
TEST(gazetteer_negative, a_name_before_the_noun_it_qualifies_is_not_the_place) {
    const extractor ex({{"place_category", "ecole", {"school"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    for (const char* text :
         {"when are the school holidays?", "school calendar", "school term dates"})
        EXPECT_TRUE(of_type(ex.extract(text, "en", now), "place_category").empty()) << text;
    for (const char* text : {"is the school open tomorrow", "school opening hours", "which school"})
        EXPECT_EQ(of_type(ex.extract(text, "en", now), "place_category").size(), 1u) << text;
}

// "écoles" is a word of "rue des Écoles" and the plural of the schools' "école": both.
TEST(gazetteer, a_plural_that_is_another_names_word_is_also_the_singular) {
    const extractor ex(
        {{"place_category", "ecole", {"école"}}, {"street", "rue_ecoles", {"rue des Écoles"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_EQ(of_type(ex.extract("horaires des écoles", "fr", now), "place_category").size(), 1u);
    const auto street = of_type(ex.extract("poubelles rue des écoles", "fr", now), "street");
    ASSERT_EQ(street.size(), 1u);
    EXPECT_EQ(street[0].value, "rue_ecoles");
}

TEST(gazetteer_negative, common_noun_street_needs_its_type) {
    const extractor ex({{"street", "rue_gare", {"rue de la Gare"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_TRUE(ex.extract("je suis à la gare", "fr", now).empty());
    const auto all = ex.extract("je suis rue de la gare", "fr", now);
    ASSERT_EQ(all.size(), 1u) << describe(all);
    EXPECT_EQ(all[0].value, "rue_gare");
}

// For the classifier, a street named is one word, whichever street it is.
TEST(spans_as_word, each_street_found_becomes_the_one_word) {
    const extractor ex(commune());
    const std::string text = "poubelles rue victor hugo et 3 avenue Jean Jaurès ?";
    std::vector<std::pair<std::size_t, std::size_t>> streets;
    for (const auto& e : of_type(ex.extract(text, "fr", unix_of(saturday_afternoon)), "street"))
        streets.emplace_back(e.begin, e.end);
    ASSERT_EQ(streets.size(), 2u);
    std::swap(streets[0], streets[1]);  // in any order
    EXPECT_EQ(spans_as_word(text, streets, "rue"), "poubelles  rue  et 3  rue  ?");
    EXPECT_EQ(spans_as_word(text, {}, "rue"), text);
    // Overlapping or out-of-range spans are left out rather than cut twice.
    EXPECT_EQ(spans_as_word("abc def", {{0, 3}, {1, 5}, {4, 99}}, "x"), " x  def");
}

// Citizens name the street's type loosely: "rue de la gare" is the commune's only street
// "… de la Gare", whatever its type; with two of them, neither is guessed.
TEST(gazetteer_priority, another_street_type_finds_the_only_street_of_that_name) {
    const std::int64_t now = unix_of(saturday_afternoon);
    const extractor one({{"street", "avenue_gare", {"avenue de la Gare"}},
                         {"street", "rue_victor_hugo", {"rue Victor Hugo"}}});
    for (const char* text : {"lampadaire cassé rue de la gare", "un trou boulevard de la Gare"}) {
        const auto all = one.extract(text, "fr", now);
        ASSERT_EQ(all.size(), 1u) << text << " -> " << describe(all);
        EXPECT_EQ(all[0].value, "avenue_gare");
        EXPECT_LT(all[0].score, 1.0);
    }
    EXPECT_DOUBLE_EQ(one.extract("avenue de la gare", "fr", now).at(0).score, 1.0);
    EXPECT_TRUE(one.extract("je suis à la gare", "fr", now).empty());

    const extractor two({{"street", "avenue_gare", {"avenue de la Gare"}},
                         {"street", "place_gare", {"place de la Gare"}}});
    EXPECT_TRUE(two.extract("lampadaire cassé rue de la gare", "fr", now).empty());
    const auto place = two.extract("un trou place de la gare", "fr", now);
    ASSERT_EQ(place.size(), 1u) << describe(place);
    EXPECT_EQ(place[0].value, "place_gare");
    EXPECT_DOUBLE_EQ(place[0].score, 1.0);
}

// Without its type, a street's one-word name takes a typo of one letter, not another word.
TEST(gazetteer_negative, a_bare_street_name_takes_one_typo_only) {
    const extractor ex({{"street", "rue_nationale", {"rue Nationale"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_TRUE(of_type(ex.extract("nationalité française", "fr", now), "street").empty());
    EXPECT_EQ(of_type(ex.extract("poubelles nationnale", "fr", now), "street").size(), 1u);
    EXPECT_EQ(of_type(ex.extract("poubelles rue nationalle", "fr", now), "street").size(), 1u);
}

// A word of the site's prose is a real word, not a typo of a name; the name's plural is still
// the place, and typos no prose has still find it.
TEST(gazetteer_negative, a_real_word_is_no_typo) {
    options o;
    o.prose = {"Le maire et ses adjoints reçoivent sur rendez-vous.",
               "Les piscines de la région ferment en août."};
    const extractor ex({{"service", "mairie", {"mairie"}}, {"service", "piscine", {"piscine"}}}, o);
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_TRUE(of_type(ex.extract("c'est qui le maire", "fr", now), "service").empty());
    EXPECT_EQ(of_type(ex.extract("horaires mairi", "fr", now), "service").size(), 1u);
    EXPECT_EQ(of_type(ex.extract("les piscines", "fr", now), "service").size(), 1u);
    const extractor without({{"service", "mairie", {"mairie"}}});
    EXPECT_EQ(of_type(without.extract("c'est qui le maire", "fr", now), "service").size(), 1u);
}

TEST(gazetteer_negative, short_words_refuse_substitutions) {
    const extractor ex({{"service", "poste", {"La Poste"}}});
    const std::int64_t now = unix_of(saturday_afternoon);
    EXPECT_TRUE(ex.extract("la porte est fermée", "fr", now).empty());
    const auto swapped = ex.extract("la psote est fermée", "fr", now);
    ASSERT_EQ(swapped.size(), 1u) << describe(swapped);
    EXPECT_EQ(swapped[0].value, "poste");
    EXPECT_EQ(swapped[0].text, "la psote");
}

TEST(gazetteer_negative, distance_limits) {
    EXPECT_EQ(osa_distance("piscine", "piscine", 1), 0);
    EXPECT_EQ(osa_distance("pisicne", "piscine", 1), 1);  // one transposition
    EXPECT_EQ(osa_distance("dechetrie", "dechetterie", 2), 2);
    EXPECT_EQ(osa_distance("mairie", "marine", 1), 2);  // beyond the limit
}

// The typo matches of words already looked up are kept: from many threads at once, and past
// the bound of kept words, one extractor keeps answering what a fresh one answers.
// "rue du Moulin Neuf": the number word is part of the street's name, whether the town has that
// street or only "impasse du Moulin"; a house number before it stays.
TEST(gazetteer_priority, a_number_word_inside_a_street_name_is_no_number) {
    const extractor with({{"street", "rue_du_moulin_neuf", {"rue du Moulin Neuf"}},
                          {"street", "impasse_du_moulin", {"impasse du Moulin"}}});
    const extractor without({{"street", "impasse_du_moulin", {"impasse du Moulin"}}});
    const auto now = unix_of(saturday_afternoon);

    auto all = with.extract("il y a un trou rue du Moulin Neuf", "fr", now);
    EXPECT_TRUE(of_type(all, "number").empty()) << describe(all);
    ASSERT_EQ(of_type(all, "street").size(), 1u) << describe(all);
    EXPECT_EQ(of_type(all, "street")[0].value, "rue_du_moulin_neuf");

    all = with.extract("il y a un trou au 12 rue du Moulin Neuf", "fr", now);
    ASSERT_EQ(of_type(all, "number").size(), 1u) << describe(all);
    EXPECT_EQ(of_type(all, "number")[0].value, "12");
    EXPECT_EQ(of_type(all, "street")[0].value, "rue_du_moulin_neuf");

    // Not the town's: neither a 9 nor its impasse du Moulin.
    all = without.extract("il y a un trou rue du Moulin Neuf", "fr", now);
    EXPECT_TRUE(of_type(all, "number").empty()) << describe(all);
    EXPECT_TRUE(of_type(all, "street").empty()) << describe(all);
    all = without.extract("un lampadaire en panne rue des Trois Rois", "fr", now);
    EXPECT_TRUE(of_type(all, "number").empty()) << describe(all);

    // A number word before the street is its house number; the impasse alone is still found.
    all = without.extract("au neuf impasse du Moulin", "fr", now);
    ASSERT_EQ(of_type(all, "number").size(), 1u) << describe(all);
    EXPECT_EQ(of_type(all, "number")[0].value, "9");
    EXPECT_EQ(of_type(all, "street").size(), 1u) << describe(all);
}

TEST(gazetteer, kept_typo_matches_answer_as_a_fresh_lookup) {
    const std::vector<std::string> texts = {"la dechetrie est ouverte ?", "la pisicne samedi",
                                            "rue victr hugo", "la mediateque", "horaires de la mairi",
                                            "l'etat cvil", "bonjour merci", "les dechets",
                                            "un medecin", "la piscina"};
    auto expected = [&](const std::string& text) {
        const extractor fresh(commune());
        return describe(fresh.extract(text, "fr", unix_of(saturday_afternoon)));
    };
    std::vector<std::string> want;
    for (const auto& t : texts) want.push_back(expected(t));
    EXPECT_NE(want[0].find("dechetterie"), std::string::npos) << want[0];

    const extractor shared(commune());
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int k = 0; k < 4; ++k)
        threads.emplace_back([&, k] {
            for (int round = 0; round < 200; ++round)
                for (std::size_t i = 0; i < texts.size(); ++i) {
                    const auto& t = texts[(i + k) % texts.size()];
                    if (describe(shared.extract(t, "fr", unix_of(saturday_afternoon))) !=
                        want[(i + k) % texts.size()])
                        ++wrong;
                }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);

    // More distinct words than are kept: the first ones are forgotten, then found again.
    std::string many;
    for (int i = 0; i < 6000; ++i) many += "mot" + std::to_string(i * 7919) + " ";
    for (std::size_t at = 0; at < many.size(); at += 3000)
        shared.extract(many.substr(at, 3000), "fr", unix_of(saturday_afternoon));
    for (std::size_t i = 0; i < texts.size(); ++i)
        EXPECT_EQ(describe(shared.extract(texts[i], "fr", unix_of(saturday_afternoon))), want[i]);
}

}  // namespace
}  // namespace guichet::entities::test
