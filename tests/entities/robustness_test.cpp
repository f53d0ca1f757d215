// Hostile input: invalid UTF-8, emoji, control characters, right-to-left text, very long
// messages cut at a UTF-8 boundary, and concurrent use of one extractor.
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <memory>
#include <random>
#include <thread>

#include "entities/text_fold.h"
#include "test_util.h"

namespace guichet::entities::test {
namespace {

const std::vector<gazetteer_entry> entries{{"service", "mediatheque", {"médiathèque"}},
                                           {"street", "rue_victor_hugo", {"rue Victor Hugo"}}};

TEST(robustness, odd_characters_give_offsets_into_the_original) {
    const extractor ex(entries);
    const std::int64_t now = unix_of(saturday_afternoon);
    for (const std::string& text :
         {std::string("\xff\xfe demain \xc3"), std::string("🙂 demain 🙂🙂"),
          std::string("مرحبا demain שלום"), std::string("\x01\x02\x1b[31m demain\x7f"),
          std::string("\xe2\x80\x8f demain \xe2\x80\xae"), std::string("demain\0\0", 8)}) {
        const auto all = ex.extract(text, "fr", now);
        const auto dts = of_type(all, "datetime");
        ASSERT_EQ(dts.size(), 1u) << describe(all);
        EXPECT_EQ(dts[0].text, "demain");
        EXPECT_EQ(text.substr(dts[0].begin, dts[0].end - dts[0].begin), "demain");
    }
}

// Our per-code-point folding must agree with ICU's Transliterator
// "NFD; [:Nonspacing Mark:] Remove; NFC" followed by case folding.
TEST(robustness, folding_matches_the_icu_transliterator) {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
        "NFD; [:Nonspacing Mark:] Remove; NFC", UTRANS_FORWARD, status));
    ASSERT_TRUE(U_SUCCESS(status)) << u_errorName(status);
    for (const std::string word :
         {"Médiathèque", "DÉCHÈTERIE", "Garçon", "Ångström", "Niño", "naïve", "Noël", "ÉTÉ", "Çà",
          "Ÿvette", "Straße", "İstanbul", "Ελλάδα", "Москва"}) {
        icu::UnicodeString u = icu::UnicodeString::fromUTF8(word);
        tr->transliterate(u);
        u.foldCase();
        std::string expected;
        u.toUTF8String(expected);
        folded_text f;
        fold(word, f);
        EXPECT_EQ(f.folded, expected) << word;
    }
}

TEST(robustness, accented_text_keeps_byte_offsets) {
    const extractor ex(entries);
    const std::string text = "Où est la Médiathèque, après-demain ?";
    const auto all = ex.extract(text, "fr", unix_of(saturday_afternoon));
    ASSERT_EQ(all.size(), 2u) << describe(all);
    EXPECT_EQ(all[0].text, "Médiathèque");
    EXPECT_EQ(all[0].begin, text.find("Médiathèque"));
    EXPECT_EQ(all[1].text, "après-demain");
    EXPECT_EQ(all[1].end, text.find(" ?"));
}

TEST(robustness, long_input_is_cut_at_a_utf8_boundary) {
    const extractor ex(entries);
    std::string text = "demain ";
    while (text.size() < 4095) text += "x";
    text += "é médiathèque";  // "é" straddles byte 4096: cut before it
    const auto all = ex.extract(text, "fr", unix_of(saturday_afternoon));
    ASSERT_EQ(all.size(), 1u) << describe(all);
    EXPECT_EQ(all[0].type, "datetime");
    std::string huge(100000, '9');
    EXPECT_NO_THROW(ex.extract(huge, "fr", 0));
    EXPECT_NO_THROW(ex.extract("", "en", 0));
    EXPECT_NO_THROW(ex.extract("à à à h h : / - 99h99 32/13 31/02 le 45 mai", "fr", 0));
    const auto bad = ex.extract("le 31/02 à 25h et 12:75", "fr", unix_of(saturday_afternoon));
    EXPECT_TRUE(of_type(bad, "datetime").empty()) << describe(bad);
}

// Random mixes of date-ish fragments, digits, punctuation, accents, emoji and broken bytes:
// whatever comes out must be well formed (inside the text, sorted, not overlapping, periods
// not empty).
TEST(robustness, random_fragments_give_well_formed_entities) {
    const extractor ex(entries);
    const std::vector<std::string> pieces{"14",     "h",      "30",     ":",
                                          "/",      "-",      " ",      " ",
                                          "le",     "à",      "demain", "mai",
                                          "samedi", "dans",   "heures", "2026",
                                          "0042",   "75001",  "+33",    "06",
                                          "@",      ".",      "fr",     "é",
                                          "\xc3",   "\xff",   "🙂",   "médiathèque",
                                          "rue",    "victor", "hugo",   "prochain",
                                          "midi",   "pm",     "at",     "n°",
                                          "'",      "vingt",  "et",     "un",
                                          "1er",    "week",   "end",    std::string(1, '\0'),
                                          "\x1b",   "noël",   "pâques"};
    std::mt19937 rng(12345);  // fixed seed: the same inputs on every run
    std::uniform_int_distribution<std::size_t> pick(0, pieces.size() - 1), len(1, 25);
    const std::int64_t now = unix_of(saturday_afternoon);
    std::size_t total = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string text;
        for (std::size_t n = len(rng); n > 0; --n) text += pieces[pick(rng)];
        for (const char* lang : {"fr", "en"}) {
            const auto all = ex.extract(text, lang, now);
            total += all.size();
            for (std::size_t i = 0; i < all.size(); ++i) {
                const entity& e = all[i];
                ASSERT_LT(e.begin, e.end) << text;
                ASSERT_LE(e.end, text.size()) << text;
                ASSERT_EQ(e.text, text.substr(e.begin, e.end - e.begin)) << text;
                if (i > 0) {
                    ASSERT_LE(all[i - 1].end, e.begin) << text;
                }
                if (e.type == "datetime") {
                    ASSERT_LT(e.start, e.stop) << text;
                }
                ASSERT_FALSE(e.value.empty()) << text;
            }
        }
    }
    EXPECT_GT(total, 1000u);  // the invariants were checked on real entities
}

TEST(robustness, concurrent_extraction_gives_identical_results) {
    const extractor ex(entries);
    const std::int64_t now = unix_of(saturday_afternoon);
    const std::string text = "la mediatheque est ouverte samedi à 10h30 ? 06 12 34 56 78";
    const auto expected = ex.extract(text, "fr", now);
    ASSERT_EQ(expected.size(), 3u) << describe(expected);
    std::vector<std::thread> threads;
    std::vector<int> mismatches(4, 0);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const auto got = ex.extract(text, "fr", now);
                if (got.size() != expected.size() || got[1].start != expected[1].start ||
                    got[0].value != expected[0].value)
                    ++mismatches[static_cast<std::size_t>(t)];
            }
        });
    for (auto& th : threads) th.join();
    for (int m : mismatches) EXPECT_EQ(m, 0);
}

}  // namespace
}  // namespace guichet::entities::test
