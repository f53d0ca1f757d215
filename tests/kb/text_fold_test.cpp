// Folding of names, street keys, the FTS5 query sanitiser and the CSV reader.
#include "kb/text_fold.h"

#include <gtest/gtest.h>

#include "common/did_you_mean.h"
#include "kb/csv_reader.h"

using namespace guichet::kb;

TEST(text_fold, removes_case_accents_and_punctuation) {
    EXPECT_EQ(fold("Rue Victor-Hugo"), "rue victor hugo");
    EXPECT_EQ(fold("  Médiathèque   d'Été "), "mediatheque d ete");
    EXPECT_EQ(fold("ŒUVRE Cœur"), "oeuvre coeur");
    EXPECT_EQ(fold(""), "");
}

TEST(text_fold, street_core_drops_type_and_articles) {
    EXPECT_EQ(street_core("rue Victor Hugo"), "victor hugo");
    EXPECT_EQ(street_core("Avenue Jean-Jaurès"), "jean jaures");
    EXPECT_EQ(street_core("rue du 8 Mai 1945"), "8 mai 1945");
    EXPECT_EQ(street_core("place de la Mairie"), "mairie");
    EXPECT_EQ(street_core("Grande Rue"), "grande rue");
}

TEST(text_fold, name_key_drops_leading_article_only) {
    EXPECT_EQ(name_key("la Médiathèque"), "mediatheque");
    EXPECT_EQ(name_key("L'Office de tourisme"), "office de tourisme");
    EXPECT_EQ(name_key("la"), "la");
}

TEST(text_fold, fts_query_quotes_every_word) {
    EXPECT_EQ(fts_query("carte d'identité"), "\"carte\"* OR \"identite\"*");
    EXPECT_EQ(fts_query("\"* AND - ( NEAR"), "\"near\"*");
    EXPECT_EQ(fts_query("   "), "");
    EXPECT_EQ(fts_query("le la"), "\"le\" OR \"la\"*");
}

// One edit distance for every "did you mean" (the knowledge's, the intents', the settings'):
// two neighbours swapped are one typo ("server: prot:" suggested nothing for "port").
TEST(text_fold, edit_distance_counts_a_swap_as_one_edit) {
    EXPECT_EQ(guichet::edit_distance("nmae", "name"), 1u);
    EXPECT_EQ(guichet::edit_distance("prot", "port"), 1u);
    EXPECT_EQ(guichet::edit_distance("piscine", "pisicne"), 1u);
    EXPECT_EQ(guichet::edit_distance("", "abc"), 3u);
    EXPECT_EQ(guichet::did_you_mean("prot", {"port", "host", "threads"}), " (did you mean 'port'?)");
}

TEST(csv_reader, positions_quotes_and_separator) {
    csv_error err;
    auto rows = parse_csv("rue;zone\r\n\"rue \"\"A\"\"\";nord\n\nplace B;sud", err);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[1][0].value, "rue \"A\"");
    EXPECT_EQ((*rows)[1][1].value, "nord");
    EXPECT_EQ((*rows)[1][1].line, 2);
    EXPECT_EQ((*rows)[1][1].column, 13);
    EXPECT_EQ((*rows)[2][1].line, 4);
    EXPECT_EQ((*rows)[2][1].column, 9);
}

TEST(csv_reader, unterminated_quote_is_an_error) {
    csv_error err;
    EXPECT_FALSE(parse_csv("a,b\n\"oops,c\n", err));
    EXPECT_EQ(err.line, 2);
    EXPECT_EQ(err.column, 1);
    EXPECT_EQ(err.message_en, "unterminated quote");
}
