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
    EXPECT_NE(out.str().find("4 réussi(s) / passed, 0 échoué(s) / failed"), std::string::npos);
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
    EXPECT_EQ(f.expected, "intention / intent contact.town_hall; un bouton / a button [Nager]");
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
    EXPECT_EQ(r.failures[0].expected, "aucune réponse contenant / no reply containing « RUE DE L'EAU »");
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
    EXPECT_EQ(problems[0].message, "unknown key 'expekt' (did you mean 'expect'?)");
    EXPECT_EQ(run().failures.size(), 1u);
}

// A file is read whatever its keys: `turn:` for `turns:` is said, not skipped silently; so
// are a locale the site does not speak and an intent no file defines.
TEST_F(conversation_tests, typos_wrong_locales_and_unknown_intents_are_located) {
    test::write_text(site_ / "tests/typo.yaml",
                     "conversations:\n  - name: typo\n    turn:\n      - say: bonjour\n");
    test::write_text(site_ / "tests/locale.yaml", "locale: francais\nturns:\n  - say: bonjour\n");
    test::write_text(site_ / "tests/intent.yaml",
                     "turns:\n  - say: numero mairie\n    expect: { intent: contact.town_hal }\n"
                     "  - say: bonjour\n    expect: horaires.mairie\n");
    diagnostics problems;
    conversation_checks checks;
    auto s = app_->engine->current_site();
    checks.intents = &s->intents();
    load_conversation_tests(site_, problems, checks);
    std::vector<std::string> got;
    for (const auto& p : problems) got.push_back(p.str());
    const auto t = (site_ / "tests").string();
    EXPECT_EQ(got, (std::vector<std::string>{
                       t + "/intent.yaml:3:23: test expects intent 'contact.town_hal', which no "
                           "file defines (did you mean 'contact.town_hall'?)",
                       t + "/locale.yaml:1:9: locale 'francais' is not one of fr, en (or \"\" "
                           "for none)",
                       t + "/typo.yaml:3:5: unknown key 'turn' (did you mean 'turns'?)"}));
    // `guichet test` counts each as a failure of its file.
    EXPECT_EQ(run().failures.size(), 3u);
}

// A conversation file saved in Latin-1 is refused at its first bad byte.
TEST_F(conversation_tests, a_file_that_is_not_utf8_is_located) {
    test::write_text(site_ / "tests/latin1.yaml", "turns:\n  - say: \xE0 quelle heure ?\n");
    diagnostics problems;
    load_conversation_tests(site_, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(), (site_ / "tests/latin1.yaml").string() +
                                     ":2:10: not valid UTF-8 (byte 0xE0); save the file as UTF-8");
}

}  // namespace
