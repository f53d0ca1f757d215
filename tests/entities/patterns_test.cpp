// Numbers (digits and words), postcodes, ticket numbers, e-mail addresses and phone numbers.
#include "test_util.h"

namespace guichet::entities::test {
namespace {

struct simple_case {
    std::string text, lang, type, value, matched;
};
void PrintTo(const simple_case& c, std::ostream* os) { *os << c.lang << ": " << c.text; }

class patterns : public ::testing::TestWithParam<simple_case> {};

TEST_P(patterns, finds_exactly_one) {
    static const extractor ex({});
    const simple_case& c = GetParam();
    const auto all = ex.extract(c.text, c.lang, unix_of(saturday_afternoon));
    const auto found = of_type(all, c.type);
    ASSERT_EQ(found.size(), 1u) << c.text << " -> " << describe(all);
    EXPECT_EQ(found[0].value, c.value);
    EXPECT_EQ(found[0].text, c.matched);
    EXPECT_EQ(c.text.substr(found[0].begin, found[0].end - found[0].begin), c.matched);
}

INSTANTIATE_TEST_SUITE_P(
    numbers, patterns,
    ::testing::Values(simple_case{"j'ai 2 enfants", "fr", "number", "2", "2"},
                      simple_case{"nous sommes vingt", "fr", "number", "20", "vingt"},
                      simple_case{"deux personnes", "fr", "number", "2", "deux"},
                      simple_case{"vingt-deux euros", "fr", "number", "22", "vingt-deux"},
                      simple_case{"soixante et onze", "fr", "number", "71", "soixante et onze"},
                      simple_case{"quatre-vingt-dix", "fr", "number", "90", "quatre-vingt-dix"},
                      simple_case{"dix-sept ans", "fr", "number", "17", "dix-sept"},
                      simple_case{"2,5 kg", "fr", "number", "2.5", "2,5"},
                      simple_case{"j'ai payé 1 250,50 euros", "fr", "number", "1250.50",
                                  "1 250,50"},
                      simple_case{"1,000.5 dollars", "en", "number", "1000.5", "1,000.5"},
                      simple_case{"two tickets", "en", "number", "2", "two"},
                      simple_case{"twenty-one", "en", "number", "21", "twenty-one"},
                      simple_case{"007", "en", "number", "7", "007"}));

INSTANTIATE_TEST_SUITE_P(
    postcodes, patterns,
    ::testing::Values(simple_case{"j'habite à Paris 75001", "fr", "postcode", "75001", "75001"},
                      simple_case{"67000 Strasbourg", "fr", "postcode", "67000", "67000"},
                      simple_case{"Saint-Denis 97400", "fr", "postcode", "97400", "97400"},
                      simple_case{"Ajaccio 20000", "fr", "postcode", "20000", "20000"},
                      // not postcodes: department 99, longer numbers -> numbers
                      simple_case{"code 99999", "fr", "number", "99999", "99999"},
                      simple_case{"référence 750011", "fr", "number", "750011", "750011"}));

INSTANTIATE_TEST_SUITE_P(
    tickets, patterns,
    ::testing::Values(
        simple_case{"2026-0042", "fr", "ticket", "2026-0042", "2026-0042"},
        simple_case{"mon dossier n° 2026-0042 svp", "fr", "ticket", "2026-0042", "n° 2026-0042"},
        simple_case{"ticket 2026-42", "fr", "ticket", "2026-0042", "ticket 2026-42"},
        simple_case{"No. 2026-0042", "en", "ticket", "2026-0042", "No. 2026-0042"},
        simple_case{"my request #2027-123456", "en", "ticket", "2027-123456", "#2027-123456"},
        // As some type it: a slash, or no dash after a label.
        simple_case{"suivi 2026/0042", "fr", "ticket", "2026-0042", "suivi 2026/0042"},
        simple_case{"signalement 20260042", "fr", "ticket", "2026-0042", "signalement 20260042"}));

INSTANTIATE_TEST_SUITE_P(
    contacts, patterns,
    ::testing::Values(
        simple_case{"écrivez à Jean.Dupont@Mairie-Ville.fr merci", "fr", "email",
                    "jean.dupont@mairie-ville.fr", "Jean.Dupont@Mairie-Ville.fr"},
        simple_case{"mail: a_b+c@x.org.", "en", "email", "a_b+c@x.org", "a_b+c@x.org"},
        simple_case{"appelez le 06 12 34 56 78", "fr", "phone", "+33612345678", "06 12 34 56 78"},
        simple_case{"+33 6 12 34 56 78", "fr", "phone", "+33612345678", "+33 6 12 34 56 78"},
        simple_case{"tél. 01.23.45.67.89", "fr", "phone", "+33123456789", "01.23.45.67.89"},
        simple_case{"0612345678", "fr", "phone", "+33612345678", "0612345678"},
        // The French code glued, with 00, or in brackets.
        simple_case{"mon numero 0033612345678", "fr", "phone", "+33612345678", "0033612345678"},
        simple_case{"call +33612345678", "en", "phone", "+33612345678", "+33612345678"},
        simple_case{"(+33) 612 345 678 please", "en", "phone", "+33612345678", "(+33) 612 345 678"},
        simple_case{"au +33 (0)6 12 34 56 78", "fr", "phone", "+33612345678", "+33 (0)6 12 34 56 78"},
        // Another country's number (a resident with a UK or Belgian phone), in E.164.
        simple_case{"call me on +44 7700 900123", "en", "phone", "+447700900123", "+44 7700 900123"},
        simple_case{"au +32 470.12.34.56 svp", "fr", "phone", "+32470123456", "+32 470.12.34.56"}));

TEST(patterns_negative, no_contact_in_plain_text) {
    const extractor ex({});
    const auto all = ex.extract("le @ tout seul et 12 34 56, rien@ ni @rien ni a@b", "fr",
                                unix_of(saturday_afternoon));
    EXPECT_TRUE(of_type(all, "email").empty()) << describe(all);
    EXPECT_TRUE(of_type(all, "phone").empty()) << describe(all);
    EXPECT_TRUE(of_type(all, "postcode").empty()) << describe(all);
    // A "+" and too few digits, or too many, is no number.
    EXPECT_TRUE(of_type(ex.extract("+44 123 45", "en", unix_of(saturday_afternoon)), "phone").empty());
    EXPECT_TRUE(of_type(ex.extract("+1 234 567 890 123 456 78", "en", unix_of(saturday_afternoon)), "phone").empty());
}

TEST(patterns_negative, iso_date_is_not_a_ticket) {
    const extractor ex({});
    const auto all = ex.extract("le 2026-12-05", "fr", unix_of(saturday_afternoon));
    EXPECT_TRUE(of_type(all, "ticket").empty()) << describe(all);
    const auto dts = of_type(all, "datetime");
    ASSERT_EQ(dts.size(), 1u) << describe(all);
    EXPECT_EQ(dts[0].value, "2026-12-05T00:00:00+01:00");
}

// Nor a date with slashes, nor eight digits without a label (a phone's, an amount).
TEST(patterns_negative, slashed_date_and_bare_digits_are_no_ticket) {
    const extractor ex({});
    for (const char* text : {"le 2026/12/05", "j'ai payé 20260042", "2026/12"})
        EXPECT_TRUE(of_type(ex.extract(text, "fr", unix_of(saturday_afternoon)), "ticket").empty())
            << text;
}

}  // namespace
}  // namespace guichet::entities::test
