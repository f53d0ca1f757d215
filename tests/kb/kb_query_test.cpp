// Queries on the compiled default commune: nearest places, names, FAQ search (accents, SMS
// style, FTS syntax in user text), waste per street, alerts at fixed times, gazetteer and the
// guarded generic query.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "kb/knowledge_base.h"
#include "kb_test_support.h"

using namespace guichet::kb;

namespace {

knowledge_base& kb() {
    static knowledge_base instance = knowledge_base::open(test::sample_db());
    return instance;
}

// Independent haversine (spherical Earth, mean radius), written here on purpose.
double haversine(double lat1, double lon1, double lat2, double lon2) {
    const double r = 6371008.8, d = M_PI / 180;
    double a = std::pow(std::sin((lat2 - lat1) * d / 2), 2) +
               std::cos(lat1 * d) * std::cos(lat2 * d) * std::pow(std::sin((lon2 - lon1) * d / 2), 2);
    return 2 * r * std::asin(std::sqrt(a));
}

std::vector<std::string> ids(const std::vector<faq_hit>& hits) {
    std::vector<std::string> v;
    for (const auto& h : hits) v.push_back(h.id);
    return v;
}

}  // namespace

TEST(kb_nearest, ordered_by_true_distance_and_matches_brute_force) {
    const double lat = 47.9000, lon = 1.9100;
    auto all = kb().nearest_places("", lat, lon, 1000);
    auto by_category = kb().places_by_category("point_d_apport_volontaire");
    ASSERT_EQ(all.size(), std::stoul(kb().meta("count_places")));
    for (std::size_t i = 0; i < all.size(); ++i) {
        double d = haversine(lat, lon, all[i].latitude, all[i].longitude);
        EXPECT_NEAR(all[i].distance_m, d, 0.5) << all[i].id;
        if (i > 0) {
            EXPECT_LE(all[i - 1].distance_m, all[i].distance_m);
        }
    }
    auto top3 = kb().nearest_places("", lat, lon, 3);
    ASSERT_EQ(top3.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(top3[i].id, all[i].id);

    auto pav = kb().nearest_places("point_d_apport_volontaire", lat, lon, 2);
    ASSERT_EQ(pav.size(), 2u);
    std::sort(by_category.begin(), by_category.end(), [&](const place& a, const place& b) {
        return haversine(lat, lon, a.latitude, a.longitude) < haversine(lat, lon, b.latitude, b.longitude);
    });
    EXPECT_EQ(pav[0].id, by_category[0].id);
    EXPECT_EQ(pav[1].id, by_category[1].id);
}

TEST(kb_nearest, far_away_point_widens_the_box) {
    auto p = kb().nearest_places("piscine", 43.3, 5.4, 1);  // Marseille
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].id, "piscine");
    EXPECT_NEAR(p[0].distance_m, haversine(43.3, 5.4, p[0].latitude, p[0].longitude), 1.0);
    EXPECT_GT(p[0].distance_m, 500000);
}

TEST(kb_nearest, bad_input) {
    EXPECT_TRUE(kb().nearest_places("no_such_category", 47.9, 1.9, 3).empty());
    EXPECT_TRUE(kb().nearest_places("", 47.9, 1.9, 0).empty());
    EXPECT_THROW(kb().nearest_places("", 200, 1.9, 3), kb_error);
    EXPECT_THROW(kb().nearest_places("", NAN, 1.9, 3), kb_error);
}

TEST(kb_places, find_by_name_or_synonym_ignoring_accents_and_case) {
    EXPECT_EQ(kb().find_place("la Médiathèque")->id, "mediatheque");
    EXPECT_EQ(kb().find_place("BIBLIOTHEQUE")->id, "mediatheque");
    EXPECT_EQ(kb().find_place("swimming pool")->id, "piscine");
    EXPECT_EQ(kb().find_place("hotel de ville")->id, "mairie");
    EXPECT_EQ(kb().find_place("accueil_mairie")->id, "accueil_mairie");
    EXPECT_EQ(kb().find_place("Naïades")->id, "piscine");  // unique containment
    EXPECT_FALSE(kb().find_place("boulangerie"));
    EXPECT_FALSE(kb().find_place("   "));
    EXPECT_EQ(kb().places_by_category("dechetterie").size(), 2u);
}

TEST(kb_faq, accents_or_not_find_identity_card) {
    auto with = kb().search_faq("carte d'identité", "fr", 5);
    auto without = kb().search_faq("carte d'identite", "fr", 5);
    ASSERT_FALSE(with.empty());
    EXPECT_EQ(with.front().id, "cni_demande");
    EXPECT_EQ(ids(with), ids(without));
    EXPECT_LT(with.front().score, 0.0);
    EXPECT_EQ(with.front().question, "carte d'identité");  // the best-matching variant
    for (std::size_t i = 1; i < with.size(); ++i) EXPECT_LE(with[i - 1].score, with[i].score);
}

TEST(kb_faq, sms_style_queries) {
    EXPECT_EQ(kb().search_faq("passeport perdu", "fr", 3).front().id, "passeport_perdu");
    EXPECT_EQ(kb().search_faq("inscription cantine", "fr", 3).front().id, "inscription_cantine");
    EXPECT_EQ(kb().search_faq("inscri cantine svp", "fr", 3).front().id, "inscription_cantine");
    EXPECT_EQ(kb().search_faq("PASSEPORT PERDU!!!", "fr", 3).front().id, "passeport_perdu");
    EXPECT_EQ(kb().search_faq("lost my passport", "en", 3).front().id, "passeport_perdu");
    EXPECT_EQ(kb().search_faq("procuration", "fr", 1).front().id, "procuration");
}

TEST(kb_faq, other_language_is_searched_when_nothing_matches) {
    auto hits = kb().search_faq("procuration", "en", 3);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits.front().id, "procuration");
}

TEST(kb_faq, fts_syntax_in_user_text_never_errors) {
    for (const char* q : {"\"", "*", "AND", "-", "(", "carte AND", "\"carte", "passeport)", "NEAR(a b)",
                          "cantine OR", "^x", "a:b", "{x}", "col : x", "NOT", "' OR 1=1 --", ""}) {
        EXPECT_NO_THROW(kb().search_faq(q, "fr", 5)) << q;
    }
    EXPECT_EQ(kb().search_faq("\"passeport\" AND -perdu*", "fr", 1).front().id, "passeport_perdu");
    EXPECT_TRUE(kb().search_faq("", "fr", 5).empty());
    EXPECT_TRUE(kb().search_faq("zzzzqqq", "fr", 5).empty());
}

TEST(kb_waste, street_lookup_is_fuzzy_ish) {
    auto a = kb().waste_for_street("victor hugo");
    auto b = kb().waste_for_street("Rue Victor-Hugo");
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->street, "rue Victor Hugo");
    EXPECT_EQ(a->zone_id, "centre");
    EXPECT_EQ(b->zone_id, "centre");
    EXPECT_EQ(a->holiday_shift, "next_day");
    auto ordures = std::find_if(a->collections.begin(), a->collections.end(),
                                [](const auto& c) { return c.stream == "ordures"; });
    ASSERT_NE(ordures, a->collections.end());
    EXPECT_EQ(ordures->weekday, 2);  // Tuesday
    EXPECT_EQ(ordures->label_en, "Household waste");
    EXPECT_TRUE(std::any_of(a->collections.begin(), a->collections.end(),
                            [](const auto& c) { return c.stream == "encombrants" && c.on_request; }));
    auto sud = kb().waste_for_street("avenue jean jaures");
    ASSERT_TRUE(sud);
    EXPECT_EQ(sud->zone_id, "sud");
    auto verts = std::find_if(sud->collections.begin(), sud->collections.end(),
                              [](const auto& c) { return c.stream == "dechets_verts"; });
    ASSERT_NE(verts, sud->collections.end());
    EXPECT_EQ(verts->months, 0b1111111 << 4);  // avril-octobre: bits 4 to 10
    EXPECT_EQ(ordures->months, 0);             // all year
    EXPECT_EQ(kb().waste_for_street("8 mai 1945")->zone_id, "centre");
    EXPECT_EQ(kb().waste_for_street("Place de la Mairie")->zone_id, "centre");
    auto nord = kb().waste_for_street("allee des bruyeres");
    ASSERT_TRUE(nord);
    auto enc = std::find_if(nord->collections.begin(), nord->collections.end(),
                            [](const auto& c) { return c.stream == "encombrants"; });
    ASSERT_NE(enc, nord->collections.end());
    EXPECT_EQ(enc->nth, 1);  // first Tuesday of the month
    EXPECT_EQ(enc->weekday, 2);
    EXPECT_FALSE(a->exceptions.empty());
    EXPECT_FALSE(kb().waste_for_street("rue de Paris"));
    EXPECT_FALSE(kb().waste_for_street(""));
}

TEST(kb_alerts, active_and_expired_at_fixed_times) {
    const std::int64_t start_winter = 1793487600;     // 2026-11-01 00:00 Europe/Paris
    const std::int64_t end_winter = 1806530340;       // 2027-03-31 23:59
    const std::int64_t start_canicule = 1813010400;   // 2027-06-15 00:00
    const std::int64_t end_canicule = 1819749540;     // 2027-08-31 23:59
    const std::int64_t mid_2027 = 1813060800;
    auto on = kb().active_alerts(mid_2027, "hours.open", "piscine");
    ASSERT_EQ(on.size(), 1u);
    EXPECT_EQ(on[0].id, "canicule_piscine");
    EXPECT_EQ(on[0].from_unix, start_canicule);
    auto winter = kb().active_alerts(start_winter, "places.nearest", "piscine");
    ASSERT_EQ(winter.size(), 1u);
    EXPECT_EQ(winter[0].id, "piscine_bassin_exterieur_hiver");
    EXPECT_EQ(winter[0].from_unix, start_winter);
    EXPECT_TRUE(kb().active_alerts(start_winter - 1, "hours.open", "piscine").empty());
    EXPECT_EQ(kb().active_alerts(end_winter, "hours.open", "piscine").size(), 1u);  // until included
    EXPECT_TRUE(kb().active_alerts(end_winter + 61, "hours.open", "piscine").empty());
    EXPECT_TRUE(kb().active_alerts(mid_2027, "faq.search", "piscine").empty());   // other intent
    EXPECT_TRUE(kb().active_alerts(mid_2027, "hours.open", "mairie").empty());    // other place
    EXPECT_TRUE(kb().active_alerts(end_canicule + 61, "hours.open", "piscine").empty());  // after
    // The works alert: active in March 2027 for the media library, any intent.
    auto works = kb().active_alerts(1804248000, "hours.open", "mediatheque");
    ASSERT_EQ(works.size(), 1u);
    EXPECT_EQ(works[0].id, "travaux_mediatheque_2027");
    EXPECT_TRUE(kb().active_alerts(1811851200, "hours.open", "mediatheque").empty());
}

TEST(kb_gazetteer, lists_services_streets_and_categories) {
    auto g = kb().gazetteer();
    auto find = [&](const std::string& type, const std::string& id) {
        return std::find_if(g.begin(), g.end(), [&](const auto& e) { return e.type == type && e.id == id; });
    };
    auto med = find("service", "mediatheque");
    ASSERT_NE(med, g.end());
    EXPECT_NE(std::find(med->names.begin(), med->names.end(), "bibliothèque"), med->names.end());
    EXPECT_NE(std::find(med->names.begin(), med->names.end(), "library"), med->names.end());
    EXPECT_NE(find("street", "rue Victor Hugo"), g.end());
    auto pool = find("place_category", "piscine");
    ASSERT_NE(pool, g.end());
    EXPECT_NE(std::find(pool->names.begin(), pool->names.end(), "Swimming pool"), pool->names.end());
    EXPECT_EQ(std::count_if(g.begin(), g.end(), [](const auto& e) { return e.type == "street"; }), 41);
}

TEST(kb_query, select_with_parameters) {
    std::vector<std::string> names;
    auto st = kb().query("SELECT id, latitude FROM places WHERE category = ?1 ORDER BY id",
                         {std::string("dechetterie")}, [&](const auto& cols, const auto& vals) {
                             EXPECT_EQ(cols[0], "id");
                             EXPECT_TRUE(std::holds_alternative<double>(vals[1]));
                             names.push_back(std::get<std::string>(vals[0]));
                             return true;
                         });
    EXPECT_TRUE(st.ok) << st.error;
    EXPECT_EQ(st.rows, 2u);
    EXPECT_EQ(names, (std::vector<std::string>{"dechetterie_nord", "dechetterie_sud"}));
    auto with = kb().query("WITH t AS (SELECT 1 AS x) SELECT x FROM t", {}, nullptr);
    EXPECT_TRUE(with.ok) << with.error;
    auto limited = kb().query("SELECT id FROM faq", {}, nullptr, 5);
    EXPECT_TRUE(limited.ok);
    EXPECT_EQ(limited.rows, 5u);
}

TEST(kb_query, rejects_anything_but_one_select) {
    auto refused = [](const std::string& sql) {
        auto st = kb().query(sql, {}, nullptr);
        EXPECT_FALSE(st.ok) << sql;
        EXPECT_FALSE(st.error.empty()) << sql;
    };
    refused("DELETE FROM places");
    refused("ATTACH DATABASE '/tmp/x.db' AS x");
    refused("SELECT 1; DELETE FROM places");
    refused("SELECT 1; SELECT 2");
    refused("PRAGMA writable_schema = 1");
    refused("UPDATE places SET name_fr = 'x'");
    refused("DROP TABLE faq");
    refused("CREATE TEMP TABLE t(x)");
    refused("SELECT load_extension('x')");
    refused("");
    refused("SELEC oops");
    refused("SELECT ?1");  // missing parameter
    // The refusal left the connection usable.
    EXPECT_TRUE(kb().query("SELECT 1 -- trailing comment", {}, nullptr).ok);
    EXPECT_EQ(kb().places_by_category("mairie").size(), 1u);
}

TEST(kb_query, runaway_query_is_stopped) {
    auto st = kb().query(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
        {}, nullptr);
    EXPECT_FALSE(st.ok);
    EXPECT_EQ(st.error, "query took too long and was stopped");
}

// Like intent examples: every question variant written by staff must find its own entry first,
// so that an edit which makes two entries compete fails here instead of in front of citizens.
TEST(kb_faq, every_question_variant_finds_its_own_entry) {
    std::vector<std::tuple<std::string, std::string, std::string>> variants;
    kb().query("SELECT faq_id, lang, question FROM faq_questions", {}, [&](const auto&, const auto& v) {
        variants.emplace_back(std::get<std::string>(v[0]), std::get<std::string>(v[1]),
                              std::get<std::string>(v[2]));
        return true;
    });
    ASSERT_GT(variants.size(), 120u);
    for (const auto& [id, lang, question] : variants) {
        auto hits = kb().search_faq(question, lang, 1);
        ASSERT_FALSE(hits.empty()) << question;
        EXPECT_EQ(hits.front().id, id) << lang << ": \"" << question << "\" found " << hits.front().id
                                       << " (" << hits.front().question << ")";
    }
}

// What the result cache of plugins' queries relies on: whether a statement can give other
// rows on another run, and whether every row was delivered.
TEST(kb_query, tells_deterministic_statements_and_complete_results) {
    auto plain = kb().query("SELECT id FROM places WHERE category = ?1", {std::string("mairie")}, nullptr);
    EXPECT_TRUE(plain.deterministic);
    EXPECT_TRUE(plain.complete);
    for (const char* sql : {"SELECT random()", "SELECT abs(random()) FROM places",
                            "SELECT date('now')", "SELECT CURRENT_TIMESTAMP", "SELECT unixepoch()",
                            "SELECT id FROM places WHERE julianday('now') > 0"}) {
        auto st = kb().query(sql, {}, nullptr);
        EXPECT_TRUE(st.ok) << sql << ": " << st.error;
        EXPECT_FALSE(st.deterministic) << sql;
        // The flag is kept with the statement: the second run (from the statement cache) says the same.
        EXPECT_FALSE(kb().query(sql, {}, nullptr).deterministic) << sql;
    }
    EXPECT_TRUE(kb().query("SELECT upper(name_fr) FROM places", {}, nullptr).deterministic);
    auto stopped = kb().query("SELECT id FROM places", {}, [](const auto&, const auto&) { return false; });
    EXPECT_TRUE(stopped.ok);
    EXPECT_EQ(stopped.rows, 1u);
    EXPECT_FALSE(stopped.complete);
    auto capped = kb().query("SELECT id FROM faq", {}, nullptr, 5);
    EXPECT_FALSE(capped.complete);
}
