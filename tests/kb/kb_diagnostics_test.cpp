// One broken source folder per error kind (tests/kb/fixtures/…), each asserting the exact
// `file:line:column: message`.
#include <gtest/gtest.h>

#include "kb/builder.h"

using namespace guichet::kb;

namespace {

std::string fixture(const std::string& name) { return std::string(GUICHET_KB_FIXTURES) + "/" + name; }

// The only diagnostic of checking fixture `name` (English messages).
std::string only_error(const std::string& name, opening_hours_validator v = {}) {
    build_options o;
    o.lang = "en";
    o.validate_opening_hours = std::move(v);
    build_result r = check(fixture(name), o);
    EXPECT_EQ(r.errors.size(), 1u) << name;
    std::string all;
    for (const auto& d : r.errors) all += d.str() + "\n";
    if (r.errors.size() != 1) return all;
    return r.errors[0].str();
}

// A stand-in for the hours component: rejects the made-up weekday "Mx".
std::optional<std::pair<std::size_t, std::string>> reject_mx(std::string_view expr) {
    auto at = expr.find("Mx");
    if (at == std::string_view::npos) return std::nullopt;
    return std::make_pair(at, std::string("unknown weekday 'Mx'"));
}

}  // namespace

TEST(kb_diagnostics, yaml_syntax) {
    EXPECT_EQ(only_error("yaml_syntax"),
              fixture("yaml_syntax") + "/places.yaml:4:13: YAML syntax error: end of map flow not found");
}

TEST(kb_diagnostics, unknown_key_suggests_closest) {
    EXPECT_EQ(only_error("unknown_key"),
              fixture("unknown_key") + "/places.yaml:8:5: unknown key 'phnoe' (did you mean 'phone'?)");
}

TEST(kb_diagnostics, wrong_type) {
    EXPECT_EQ(only_error("wrong_type"),
              fixture("wrong_type") + "/places.yaml:6:15: 'latitude' must be a number (e.g. 47.9025)");
}

TEST(kb_diagnostics, missing_required_field) {
    EXPECT_EQ(only_error("missing_field"),
              fixture("missing_field") + "/places.yaml:2:5: missing required field 'category'");
}

TEST(kb_diagnostics, duplicate_id_names_first_definition) {
    std::string f = fixture("duplicate_id") + "/places.yaml";
    EXPECT_EQ(only_error("duplicate_id"),
              f + ":8:9: duplicate id 'mairie' (first defined at " + f + ":2:9)");
}

// The same question (case and accents aside) in two FAQ entries: the FAQ could not choose.
// Columns count characters, as an editor shows them ("médecin" before it is 7 columns).
TEST(kb_diagnostics, duplicate_question_names_the_first_entry) {
    std::string f = fixture("duplicate_question") + "/faq.yaml";
    EXPECT_EQ(
        only_error("duplicate_question"),
        f + ":14:37: question 'Pharmacie de Garde' already asked at " + f +
            ":5:50 (pharmacie_garde): the FAQ could not tell which of the two answers to give");
}

TEST(kb_diagnostics, latitude_out_of_range) {
    EXPECT_EQ(only_error("latitude_range"),
              fixture("latitude_range") + "/places.yaml:6:15: 'latitude' out of range (-90 … 90): 97.5");
}

TEST(kb_diagnostics, bad_date) {
    EXPECT_EQ(only_error("bad_date"),
              fixture("bad_date") + "/faq.yaml:9:15: bad date '2026-02-30': expected YYYY-MM-DD (e.g. 2026-09-15)");
}

TEST(kb_diagnostics, bad_url) {
    EXPECT_EQ(only_error("bad_url"),
              fixture("bad_url") + "/places.yaml:8:10: bad URL 'htp:/mairie': expected an absolute http(s):// address");
}

TEST(kb_diagnostics, unknown_category_suggests_closest) {
    EXPECT_EQ(only_error("unknown_category"),
              fixture("unknown_category") + "/places.yaml:4:15: unknown category 'pisicne' (did you mean 'piscine'?)");
}

TEST(kb_diagnostics, street_in_two_zones_points_at_the_csv_cell) {
    EXPECT_EQ(only_error("street_two_zones"),
              fixture("street_two_zones") +
                  "/waste_streets.csv:4:1: street 'Rue Victor-Hugo' is already in zone 'nord' (line 2)");
}

TEST(kb_diagnostics, unknown_month_of_a_season_points_at_it) {
    EXPECT_EQ(only_error("unknown_month"),
              fixture("unknown_month") +
                  "/waste.yaml:7:24: unknown month 'avril-octobr' (January…December, or a period: "
                  "April-October)");
}

TEST(kb_diagnostics, alert_until_before_from) {
    EXPECT_EQ(only_error("alert_until_before_from"),
              fixture("alert_until_before_from") +
                  "/alerts.yaml:5:12: 'until' (2026-03-01 18:00) is before 'from' (2026-03-10 08:00)");
}

TEST(kb_diagnostics, opening_hours_column_inside_quoted_value) {
    // `    opening_hours: "Mo-Fr 08:30-12:00; Mx 09:00-12:00"`: the quote is column 20, "Mx" 40.
    EXPECT_EQ(only_error("opening_hours_quoted", reject_mx),
              fixture("opening_hours_quoted") + "/places.yaml:8:40: invalid opening_hours: unknown weekday 'Mx'");
}

TEST(kb_diagnostics, opening_hours_column_inside_plain_value) {
    EXPECT_EQ(only_error("opening_hours_plain", reject_mx),
              fixture("opening_hours_plain") + "/places.yaml:8:39: invalid opening_hours: unknown weekday 'Mx'");
}

TEST(kb_diagnostics, opening_hours_skipped_without_validator) {
    build_result r = check(fixture("opening_hours_quoted"));
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.counts.places, 1u);
}

TEST(kb_diagnostics, messages_are_french_by_default) {
    build_result r = check(fixture("unknown_key"));
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].message, "clé inconnue 'phnoe' (vouliez-vous dire 'phone' ?)");
}

TEST(kb_diagnostics, sample_commune_is_clean_with_a_strict_validator) {
    build_result r = check(GUICHET_KNOWLEDGE_DIR, {.validate_opening_hours = reject_mx});
    for (const auto& d : r.errors) ADD_FAILURE() << d.str();
}

TEST(kb_diagnostics, duplicate_key_in_one_entry) {
    EXPECT_EQ(only_error("duplicate_key"),
              fixture("duplicate_key") + "/places.yaml:8:5: duplicate key 'latitude'");
}
