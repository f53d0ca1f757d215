// Analytics without a server: ISO weeks, grouping by similarity, and the append of an
// example that keeps the intent file byte for byte (comments, CRLF, several intents).
#include "analytics/analytics.h"

#include <gtest/gtest.h>

#include <map>

#include "../reload/staff_fixture.h"

using namespace guichet;

TEST(analytics, iso_weeks) {
    EXPECT_EQ(analytics::iso_week("2026-12-02"), "2026-W49");
    EXPECT_EQ(analytics::iso_week("2027-01-01"), "2026-W53");
    EXPECT_EQ(analytics::iso_week("2024-12-30"), "2025-W01");
    EXPECT_EQ(analytics::iso_week("2026-01-05"), "2026-W02");
}

TEST(analytics, counts_and_groups) {
    analytics::store s("Europe/Paris");
    auto rec = [&](const std::string& text, const std::string& intent, double conf, bool fb,
                   std::int64_t at = 1796205600 /* 2026-12-02 */) {
        message m;
        m.channel = "web";
        m.text = text;
        turn_result r;
        r.locale = "fr";
        r.intent = intent;
        r.confidence = conf;
        r.fallback = fb;
        s.record(m, r, at);
    };
    rec("horaires de la piscine", "hours.open", 0.9, false);
    rec("où garer mon vélo", "", 0, true);
    rec("ou garer mon velo ?", "", 0, true);
    rec("garer mon vélo où", "places.find", 0.3, false);
    rec("mon mail est a@b.fr", "", 0, true);
    auto days = s.counts(false);
    ASSERT_FALSE(days.empty());
    EXPECT_EQ(days[0].period, "2026-12-02");
    auto weeks = s.counts(true);
    EXPECT_EQ(weeks[0].period, "2026-W49");
    auto groups = s.unanswered();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].count, 3u);
    EXPECT_EQ(groups[0].suggested_intent, "places.find");
    EXPECT_EQ(groups[1].text, "mon mail est [email]");
    EXPECT_TRUE(s.dismiss(groups[0].id));
    EXPECT_EQ(s.unanswered().size(), 1u);
}

// Understood with confidence, but the plugin had no sure answer (the FAQ found nothing close
// enough): the question is one the staff should see.
TEST(analytics, a_question_without_a_sure_answer_is_unanswered) {
    analytics::store s("Europe/Paris");
    message m;
    m.channel = "web";
    m.text = "j'ai perdu mes clés";
    turn_result r;
    r.locale = "fr";
    r.intent = "faq.ask";
    r.confidence = 0.95;
    s.record(m, r, 1796205600);
    EXPECT_TRUE(s.unanswered().empty());  // answered
    r.unanswered = true;
    s.record(m, r, 1796205600);
    auto groups = s.unanswered();
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].text, "j'ai perdu mes clés");
}

// What a citizen writes to a human agent is no question the bot failed (and is private): it
// is counted, never listed for the editors.
TEST(analytics, words_to_an_agent_are_not_unanswered_questions) {
    analytics::store s("Europe/Paris");
    message m;
    m.channel = "web";
    m.text = "je voudrais savoir si je dois encore la payer";
    turn_result r;
    r.locale = "fr";
    r.intent = "handoff.active";
    s.record(m, r, 1796205600);
    EXPECT_TRUE(s.unanswered().empty());
    ASSERT_FALSE(s.counts(false).empty());
    r.intent.clear();  // the same words to the bot, not understood: listed
    s.record(m, r, 1796205600);
    EXPECT_EQ(s.unanswered().size(), 1u);
}

// Two questions in one message: each counted; only the one without an answer is listed, in
// its own words (not the whole message, under the other's intent).
TEST(analytics, each_question_of_a_message_counts_alone) {
    analytics::store s("Europe/Paris");
    message m;
    m.channel = "web";
    m.text = "la piscine est ouverte dimanche ? on peut y amener un chien ?";
    turn_result r;
    r.locale = "fr";
    r.intent = "hours.open";
    r.confidence = 0.9;
    r.unanswered = true;  // as engine::handle merges: either part unanswered
    r.questions = {{"la piscine est ouverte dimanche ?", "hours.open", "", 0.9, false, false},
                   {"on peut y amener un chien ?", "faq.ask", "", 0.7, false, true}};
    s.record(m, r, 1796205600);
    std::map<std::string, std::uint64_t> by_intent;
    for (auto& row : s.counts(false)) by_intent[row.intent] += row.count;
    EXPECT_EQ(by_intent, (std::map<std::string, std::uint64_t>{{"faq.ask", 1}, {"hours.open", 1}}));
    auto groups = s.unanswered();
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].text, "on peut y amener un chien ?");
}

TEST(analytics, append_keeps_the_file_as_written) {
    auto dir = test::copy_test_site();
    auto file = dir / "intents/fr/multi.yaml";
    std::string original =
        "# Deux intentions.\r\n"
        "intents:\r\n"
        "  - intent: a.one\r\n"
        "    answer: un\r\n"
        "    examples:\r\n"
        "      - premier exemple  # commentaire\r\n"
        "      - >-\r\n"
        "        second exemple\r\n"
        "        sur deux lignes\r\n"
        "\r\n"
        "    tests: []\r\n"
        "  - intent: b.two\r\n"
        "    answer: deux\r\n"
        "    examples:\r\n"
        "      - autre\r\n";
    test::write_text(file, original);
    EXPECT_EQ(analytics::append_example(file, "a.one", "un \"nouvel\" exemple"), "");
    std::string expected = original;
    // The example, and the same words as a new `patterns:` list (this exact question is
    // answered by the intent from now on).
    expected.insert(expected.find("\r\n\r\n") + 2,
                    "      - \"un \\\"nouvel\\\" exemple\"\r\n"
                    "    patterns:\r\n"
                    "      - \"un \\\"nouvel\\\" exemple\"\r\n");
    EXPECT_EQ(test::read_text(file), expected);
    EXPECT_EQ(analytics::append_example(file, "b.two", "encore"), "");
    EXPECT_NE(test::read_text(file).find("      - autre\r\n      - \"encore\"\r\n    patterns:\r\n      - \"encore\"\r\n"),
              std::string::npos);
    EXPECT_NE(analytics::append_example(file, "c.three", "x").find("no intent 'c.three'"), std::string::npos);
    EXPECT_NE(analytics::append_example(file, "b.two", "encore").find("already"), std::string::npos);
    std::filesystem::remove_all(dir.parent_path());
}
