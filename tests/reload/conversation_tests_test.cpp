// `guichet test`'s conversation files: loading errors at file:line:column, passing and
// failing turns reported where they were written, with what was said and what came.
#include <sstream>

#include "dialogue/intent_tests.h"
#include "staff_fixture.h"

using namespace guichet;

namespace {

class conversation_tests : public test::staff_server {
protected:
    intent_test_report run() {
        engine_options eo;
        return run_site_tests(*app_->plugins, app_->engine->current_site(), eo, 1796205600);
    }
};

TEST_F(conversation_tests, the_test_site_passes) {
    auto r = run();
    std::ostringstream out;
    print_report(r, out);
    EXPECT_TRUE(r.failures.empty()) << out.str();
    EXPECT_EQ(r.passed, 4u);  // two intent tests, two turns
    EXPECT_NE(out.str().find("4 passed, 0 failed"), std::string::npos);
}

TEST_F(conversation_tests, a_failing_turn_is_reported_where_it_was_written) {
    test::write_text(site_ / "tests/conversations/wrong.yaml",
                     "# wrong on purpose\n"
                     "conversations:\n"
                     "  - name: wrong button\n"
                     "    turns:\n"
                     "      - say: numero mairie\n"
                     "        expect: { intent: contact.town_hall }\n"
                     "      - say: adresse de la piscine\n"
                     "        expect: { intent: contact.town_hall, buttons: [Nager] }\n");
    auto r = run();
    ASSERT_EQ(r.failures.size(), 1u);
    auto& f = r.failures[0];
    EXPECT_NE(f.file.find("wrong.yaml"), std::string::npos);
    EXPECT_EQ(f.line, 7);
    EXPECT_EQ(f.lang, "wrong button");
    EXPECT_EQ(f.said, "adresse de la piscine");
    EXPECT_EQ(f.expected, "intent contact.town_hall; a button [Nager]");
    EXPECT_NE(f.got.find("pool.info"), std::string::npos);
    EXPECT_NE(f.got.find("rue de l'Eau"), std::string::npos);
}

TEST_F(conversation_tests, a_reply_holding_an_excluded_word_fails) {
    test::write_text(site_ / "tests/conversations/excludes.yaml",
                     "turns:\n"
                     "  - say: adresse de la piscine\n"
                     "    expect: { reply_excludes: [Mairie] }\n"
                     "  - say: adresse de la piscine\n"
                     "    expect: { reply_excludes: [\"RUE DE L'EAU\"] }\n");
    auto r = run();
    ASSERT_EQ(r.failures.size(), 1u);
    EXPECT_EQ(r.failures[0].line, 4);  // the turn's `say:`
    EXPECT_EQ(r.failures[0].expected, "no reply containing \"RUE DE L'EAU\"");
}

TEST_F(conversation_tests, a_malformed_file_is_located) {
    test::write_text(site_ / "tests/bad.yaml", "turns:\n  - say: bonjour\n    expekt: {}\n");
    // Other tests' fixtures are not conversation tests: skipped.
    std::filesystem::create_directories(site_ / "tests/fixtures");
    test::write_text(site_ / "tests/fixtures/broken.yaml", "turns: [\n");
    test::write_text(site_ / "tests/an_intent.yaml", "intent: x.y\nexamples: [a]\n");
    diagnostics problems;
    load_conversation_tests(site_, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].line, 3);
    EXPECT_EQ(problems[0].column, 5);
    EXPECT_NE(problems[0].message.find("unknown key `expekt`"), std::string::npos);
    EXPECT_EQ(run().failures.size(), 1u);
}

}  // namespace
