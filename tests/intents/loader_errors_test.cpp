// One fixture site per error kind (tests/intents/fixtures/<kind>/): each test asserts the
// exact `file:line:column: message` the loader reports, so staff-facing wording and
// positions cannot drift silently.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "intents/intents.h"

namespace guichet::intents {
namespace {

namespace fs = std::filesystem;

const fs::path fixtures = GUICHET_INTENT_FIXTURES;
const std::string entities_list =
    "datetime, email, location, number, phone, place_category, postcode, service, street, "
    "ticket, waste_stream";
const std::string allowed_keys =
    "intent, lang, plugin, answer, description, urgent, examples, patterns, keywords, slots, "
    "buttons, tests, "
    "intents";

std::vector<std::string> problems_of(const fs::path& dir, const load_options& o = {}) {
    std::vector<std::string> out;
    for (const auto& p : load_intents(dir, o).problems) out.push_back(p.str());
    return out;
}

// The single expected line for fixture `kind`, whose broken file is `file` (relative).
void expect_one(const std::string& kind, const std::string& file, const std::string& rest,
                const load_options& o = {}) {
    const auto dir = fixtures / kind;
    EXPECT_EQ(problems_of(dir, o), std::vector<std::string>{(dir / file).string() + rest}) << kind;
}

TEST(intent_errors, yaml_syntax_error) {
    expect_one("syntax_error", "fr/horaires.yaml", ":5:2: YAML syntax error: end of map not found");
}

TEST(intent_errors, tab_indentation_gets_a_hint) {
    expect_one("tab", "fr/horaires.yaml",
               ":4:2: YAML syntax error: illegal block entry (a tab is used for indentation: "
               "use spaces)");
}

TEST(intent_errors, unknown_key_suggests_the_closest) {
    const auto dir = fixtures / "unknown_key";
    const auto f = (dir / "fr/horaires.yaml").string();
    EXPECT_EQ(problems_of(dir),
              (std::vector<std::string>{
                  f + ":1:1: intent 'hours.open' has no 'examples:' (nor 'patterns:', 'keywords:')",
                  f + ":3:1: unknown key 'exemples' (did you mean 'examples'?); allowed keys: " +
                      allowed_keys}));
}

TEST(intent_errors, wrong_type) {
    expect_one("wrong_type", "fr/horaires.yaml", ":3:11: 'examples' must be a list of sentences");
}

TEST(intent_errors, colon_in_an_example) {
    expect_one("colon_in_example", "fr/horaires.yaml",
               ":4:5: an example must be a sentence (put it in quotes if it contains ': ' or "
               "starts with '[')");
}

TEST(intent_errors, missing_intent) {
    expect_one("missing_intent", "fr/horaires.yaml",
               ":1:1: missing 'intent:' (the intent's name, e.g. 'hours.open')");
}

TEST(intent_errors, bad_intent_name) {
    expect_one("bad_name", "fr/horaires.yaml",
               ":1:9: intent name 'Horaires Mairie' must be lowercase words joined by dots, "
               "e.g. 'hours.open'");
}

TEST(intent_errors, duplicate_intent_in_one_language_names_the_first) {
    const auto dir = fixtures / "duplicate_intent";
    expect_one("duplicate_intent", "fr/b_ouverture.yaml",
               ":2:9: duplicate intent 'hours.open' in language 'fr' (first in " +
                   (dir / "fr/a_horaires.yaml").string() + ":1)");
    // The same name in en/ is the same intent in another language, not a duplicate.
    const auto r = load_intents(dir, {});
    ASSERT_NE(r.value.find("hours.open"), nullptr);
    EXPECT_EQ(r.value.find("hours.open")->langs.size(), 2u);
}

TEST(intent_errors, unknown_plugin) {
    load_options o;
    o.known_plugins = {"faq", "hours", "places"};
    expect_one("unknown_plugin", "fr/horaires.yaml",
               ":2:9: unknown plugin 'horaires'; loaded plugins: faq, hours, places", o);
    o.known_plugins.clear();  // empty: not checked
    EXPECT_TRUE(problems_of(fixtures / "unknown_plugin", o).empty());
}

TEST(intent_errors, plugin_that_does_not_serve_the_intent) {
    load_options o;
    o.plugin_intents["hours"] = {"hours.next_change", "hours.today"};
    o.plugin_intents["faq"] = {"faq.ask"};
    EXPECT_TRUE(problems_of(fixtures / "unknown_plugin", o).empty());  // plugin not listed
    expect_one("neither", "fr/horaires.yaml",
               ":1:1: intent 'hours.open' needs 'plugin:' (the plugin that answers) or "
               "'answer:' (a static answer)",
               o);
    auto p = problems_of(fixtures / "slot_entity", o);
    ASSERT_EQ(p.size(), 2u);
    EXPECT_EQ(p[0], (fixtures / "slot_entity/fr/horaires.yaml").string() +
                        ":2:9: plugin 'hours' does not serve intent 'hours.open' (it serves: "
                        "hours.next_change, hours.today)");
}

TEST(intent_errors, plugin_mismatch_between_languages) {
    const auto dir = fixtures / "plugin_mismatch";
    expect_one("plugin_mismatch", "fr/horaires.yaml",
               ":2:9: intent 'hours.open' has plugin 'hours' here but plugin 'places' in " +
                   (dir / "en/hours.yaml").string() + ":1; all languages must agree");
}

TEST(intent_errors, unknown_entity_in_example_points_at_the_name) {
    // "  - la médiathèque ouvre [demain](dat) ?": 'dat' is the 35th character (not byte).
    expect_one("unknown_entity", "fr/horaires.yaml",
               ":5:35: unknown entity 'dat'; known entities: " + entities_list);
}

TEST(intent_errors, unbalanced_markup) {
    expect_one("unbalanced_markup", "fr/horaires.yaml",
               ":4:26: expected ')' after the entity name");
    expect_one("unclosed_paren", "fr/horaires.yaml",
               ":4:20: unclosed '(' (markup is '[text](entity)')");
}

TEST(intent_errors, neither_answer_nor_plugin) {
    expect_one("neither", "fr/horaires.yaml",
               ":1:1: intent 'hours.open' needs 'plugin:' (the plugin that answers) or "
               "'answer:' (a static answer)");
}

TEST(intent_errors, both_answer_and_plugin) {
    expect_one("both", "fr/contact.yaml",
               ":3:1: both 'plugin' and 'answer': an intent is answered either by a plugin or "
               "by a static answer");
}

TEST(intent_errors, slot_with_unknown_entity) {
    expect_one("slot_entity", "fr/horaires.yaml",
               ":6:22: unknown entity 'servise' (did you mean 'service'?); known entities: " +
                   entities_list);
}

// In a list of entities, the wrong one is pointed at.
TEST(intent_errors, slot_with_unknown_entity_in_a_list) {
    expect_one("slot_entity_list", "fr/horaires.yaml",
               ":6:32: unknown entity 'place_categroy' (did you mean 'place_category'?); known "
               "entities: " + entities_list);
}

TEST(intent_errors, required_slot_without_question) {
    expect_one("required_no_ask", "fr/horaires.yaml",
               ":6:3: required slot 'service' needs 'ask:' (the question asked when it is "
               "missing)");
}

TEST(intent_errors, test_naming_no_intent) {
    expect_one("test_unknown_intent", "fr/horaires.yaml",
               ":7:23: test expects intent 'hours.opne', which no file defines (did you mean "
               "'hours.open'?)");
}

TEST(intent_errors, test_naming_an_unknown_slot) {
    expect_one("test_unknown_slot", "fr/horaires.yaml",
               ":9:44: test expects slot 'servise', but intent 'hours.open' has no such slot "
               "(did you mean 'service'?); its slots: service");
}

TEST(intent_errors, test_repeating_an_example) {
    const auto dir = fixtures / "test_is_example";
    expect_one("test_is_example", "fr/horaires.yaml",
               ":6:10: test sentence is also an example of 'hours.open' (" +
                   (dir / "fr/horaires.yaml").string() +
                   ":4); a test needs a sentence the bot was not taught");
}

TEST(intent_errors, example_in_two_intents) {
    const auto f = (fixtures / "example_in_two_intents/fr/topic.yaml").string();
    expect_one("example_in_two_intents", "fr/topic.yaml",
               ":10:9: example also belongs to intent 'smalltalk.greet' (" + f + ":5)");
}

TEST(intent_errors, pattern_in_two_intents) {
    const auto f = (fixtures / "pattern_in_two_intents/fr/topic.yaml").string();
    expect_one("pattern_in_two_intents", "fr/topic.yaml",
               ":7:16: pattern 'Horaires' also belongs to intent 'hours.open' (" + f + ":4)");
}

TEST(intent_errors, keyword_in_two_intents) {
    const auto f = (fixtures / "keyword_in_two_intents/fr/topic.yaml").string();
    expect_one("keyword_in_two_intents", "fr/topic.yaml",
               ":7:16: keyword 'En feu' also belongs to intent 'civil.emergency' (" + f + ":4)");
}

TEST(intent_errors, folder_without_intent_files) {
    const auto dir = fixtures / "no_files";
    EXPECT_EQ(problems_of(dir),
              std::vector<std::string>{dir.string() + ": no intent files (*.yaml) found"});
}

TEST(intent_errors, empty_list_items_point_at_their_dash) {
    const auto f = (fixtures / "empty_example/fr/horaires.yaml").string();
    EXPECT_EQ(problems_of(fixtures / "empty_example"),
              (std::vector<std::string>{f + ":5:3: empty example", f + ":8:3: empty example"}));
}

// A line indented under an example, without its dash, is folded by YAML into the example
// above ("horaires mairie ouvert samedi", one sentence): said at that line, not learnt. A
// quoted sentence may span lines on purpose.
TEST(intent_errors, a_line_folded_into_the_example_above_is_located) {
    const auto dir = fixtures / "folded_example";
    const auto f = (dir / "fr/horaires.yaml").string();
    EXPECT_EQ(problems_of(dir),
              (std::vector<std::string>{
                  f + ":6:5: this line is joined to the example above: YAML reads 'horaires mairie "
                      "ouvert samedi' as one example; start the line with '- ' to make it a "
                      "separate one",
                  f + ":11:7: this line is joined to the example above: YAML reads 'médiathèque "
                      "ouverte quand fermé le lundi ?' as one example; start the line with '- ' "
                      "to make it a separate one",
                  f + ":15:4: this line is joined to the pattern above: YAML reads 'horaire "
                      "piscine' as one pattern; start the line with '- ' to make it a separate "
                      "one"}));
}

TEST(intent_errors, deep_nesting_is_refused_not_a_stack_overflow) {
    expect_one("deep_nesting", "fr/horaires.yaml", ":4:1: YAML nested too deeply (500 levels)");
}

TEST(intent_errors, duplicate_key) {
    expect_one("duplicate_key", "fr/horaires.yaml",
               ":5:1: duplicate key 'plugin' (first at line 2)");
}

TEST(intent_errors, language_problems) {
    expect_one("lang_mismatch", "fr/hours.yaml", ":1:7: lang 'en' does not match the folder 'fr/'");
    expect_one("no_language", "hours.yaml",
               ":1:1: no language: put the file in a language folder (en, fr) or add 'lang:'");
}

TEST(intent_errors, one_intent_or_a_list_not_both) {
    expect_one("topic_and_intent", "fr/topic.yaml",
               ":1:1: a file holds either one intent ('intent:' at the top) or a list under "
               "'intents:', not both");
}

TEST(intent_errors, empty_file) {
    expect_one("empty_file", "fr/vide.yaml", ": empty file (expected 'intent:' and its examples)");
}

TEST(intent_errors, missing_folder) {
    const auto dir = fixtures / "no_such_folder";
    EXPECT_EQ(problems_of(dir),
              std::vector<std::string>{dir.string() + ": intents folder not found"});
}

// Written at run time: a Latin-1 file in the repository would be "fixed" by the first editor.
TEST(intent_errors, not_utf8) {
    const auto dir =
        fs::temp_directory_path() / ("guichet_intents_latin1_" + std::to_string(::getpid()));
    fs::create_directories(dir / "fr");
    std::ofstream(dir / "fr/horaires.yaml", std::ios::binary)
        << "intent: hours.open\nplugin: hours\nexamples:\n  - \xE0 quelle heure ?\n";
    const auto p = problems_of(dir);
    fs::remove_all(dir);
    EXPECT_EQ(p, std::vector<std::string>{(dir / "fr/horaires.yaml").string() +
                                          ":4:5: not valid UTF-8 (byte 0xE0); save the file as "
                                          "UTF-8"});
}

TEST(intent_errors, every_error_of_every_file_is_collected) {
    const auto dir = fixtures / "many_errors";
    EXPECT_EQ(problems_of(dir),
              (std::vector<std::string>{
                  (dir / "en/c.yaml").string() + ":4:6: unclosed '[' (markup is '[text](entity)')",
                  (dir / "fr/a.yaml").string() +
                      ":1:1: intent 'hours.open' has no 'examples:' (nor 'patterns:', 'keywords:')",
                  (dir / "fr/a.yaml").string() +
                      ":3:1: unknown key 'exemples' (did you mean 'examples'?); allowed keys: " +
                      allowed_keys,
                  (dir / "fr/b.yaml").string() + ":3:11: 'examples' must be a list of sentences"}));
}

TEST(intent_loader, lang_key_outside_language_folders) {
    const auto r = load_intents(fixtures / "lang_key", {});
    ASSERT_TRUE(r.ok()) << r.problems.front().str();
    const intent* t = r.value.find("smalltalk.thanks");
    ASSERT_NE(t, nullptr);
    ASSERT_EQ(t->langs.count("en"), 1u);
    EXPECT_EQ(t->langs.at("en").examples.size(), 2u);
    EXPECT_EQ(t->langs.at("en").tests.at(0).line, 8);
}

TEST(intent_errors, windows_line_endings_keep_positions) {
    const auto dir =
        fs::temp_directory_path() / ("guichet_intents_crlf_" + std::to_string(::getpid()));
    fs::create_directories(dir / "fr");
    std::ofstream(dir / "fr/horaires.yaml", std::ios::binary)
        << "intent: hours.open\r\nplugin: hours\r\nexamples:\r\n  - \xC3\xA9t\xC3\xA9 [x](foo)\r\n";
    const auto p = problems_of(dir);
    fs::remove_all(dir);
    EXPECT_EQ(p, std::vector<std::string>{
                     (dir / "fr/horaires.yaml").string() +
                     ":4:13: unknown entity 'foo'; known entities: " + entities_list});
}

// A service slot's `addressed:` (or `default:`) names a place or category of the knowledge
// base; a typo would never be found, so it is reported where it is written.
TEST(intent_errors, a_service_the_knowledge_base_does_not_have) {
    const auto dir = fixtures / "good_topic";
    load_options o;
    o.known_services = {"mairie", "piscine"};
    EXPECT_TRUE(problems_of(dir, o).empty());
    o.known_services = {"mairies", "piscine"};
    EXPECT_EQ(problems_of(dir, o),
              std::vector<std::string>{(dir / "fr/politesse.yaml").string() +
                                       ":20:62: unknown service 'mairie' (did you mean "
                                       "'mairies'?) (a place id or category of "
                                       "knowledge/places.yaml)"});
}

TEST(intent_loader, a_topic_file_with_static_answers_buttons_and_markup) {
    const auto r = load_intents(fixtures / "good_topic", {});
    ASSERT_TRUE(r.ok()) << r.problems.front().str();
    const intent* c = r.value.find("contact.town_hall");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->plugin, "");
    const auto& fr = c->langs.at("fr");
    EXPECT_EQ(fr.answers.size(), 2u);
    ASSERT_EQ(fr.buttons.size(), 2u);
    EXPECT_EQ(fr.buttons[0].payload, "horaires de la mairie");
    EXPECT_EQ(fr.buttons[1].title, "Plan");
    EXPECT_EQ(fr.buttons[1].payload, "Plan");
    ASSERT_EQ(fr.examples.size(), 3u);
    const auto& ex = fr.examples[1];
    EXPECT_EQ(ex.text, "c'est ouvert samedi la mairie ?");
    EXPECT_EQ(ex.line, 16);
    ASSERT_EQ(ex.entities.size(), 2u);
    EXPECT_EQ(ex.text.substr(ex.entities[1].begin, ex.entities[1].end - ex.entities[1].begin),
              "mairie");
    EXPECT_EQ(fr.examples[2].entities.at(0).entity, "street");  // slot name -> its entity
    EXPECT_EQ(fr.slots.at("where").entity, "street");
    EXPECT_EQ(fr.slots.at("which").entity, "service");  // then place_category when no service
    EXPECT_EQ(fr.slots.at("which").also, std::vector<std::string>{"place_category"});
    EXPECT_EQ(fr.slots.at("which").addressed, "mairie");  // "vous êtes ouverts ?"
    EXPECT_FALSE(c->urgent);
    EXPECT_EQ(fr.slots.at("where").addressed, "");
    ASSERT_EQ(fr.tests.size(), 2u);
    EXPECT_EQ(fr.tests[1].expect_intent, "out_of_scope");
    const intent* g = r.value.find("smalltalk.greet");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->plugin, "smalltalk");
    EXPECT_EQ(g->langs.at("fr").tests.at(0).expect_intent, "smalltalk.greet");
}

}  // namespace
}  // namespace guichet::intents

namespace guichet::intents {
namespace {

// A site written at run time under the temp folder, removed at the end of the test.
struct scratch_site {
    fs::path dir = fs::temp_directory_path() /
                   ("guichet_intents_check_" + std::to_string(::getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    scratch_site() { fs::remove_all(dir); }
    ~scratch_site() { fs::remove_all(dir); }
    void write(const std::string& file, const std::string& text) const {
        fs::create_directories((dir / file).parent_path());
        std::ofstream(dir / file, std::ios::binary) << text;
    }
    std::vector<std::string> check() const {
        std::vector<std::string> out;
        for (const auto& p : check_intents(dir, {})) out.push_back(p.str());
        return out;
    }
};

const char* greet_fr = "intent: smalltalk.greet\nanswer: Bonjour !\nexamples: [bonjour]\n";
const char* greet_en = "intent: smalltalk.greet\nanswer: Hello!\nexamples: [hello]\n";

// `guichet check`: an intent the site has in French but not in English never answers in
// English; it is named where it is written, with the folder its other version belongs in.
TEST(intent_check, an_intent_missing_in_a_language_the_site_speaks) {
    scratch_site s;
    s.write("fr/hello.yaml", greet_fr);
    s.write("en/hello.yaml", greet_en);
    s.write("fr/emergency.yaml",
            "# urgences\nintent: civil.emergency\nanswer: Appelez le 112.\n"
            "examples: [urgence]\n");
    EXPECT_EQ(s.check(),
              std::vector<std::string>{(s.dir / "fr/emergency.yaml").string() +
                                       ":2:9: intent 'civil.emergency' has no English version (" +
                                       (s.dir / "en").string() + ")"});
    // The loader the engine uses does not refuse it (it answers in French).
    EXPECT_TRUE(load_intents(s.dir, {}).ok());
}

// A site written in French only is not asked for English versions.
TEST(intent_check, a_site_in_one_language_needs_no_other) {
    scratch_site s;
    s.write("fr/hello.yaml", greet_fr);
    EXPECT_TRUE(s.check().empty());
}

// The staff guide asks every intent for at least 20 French examples and 3 tests in each
// language; `guichet check` says which intent has fewer, at its `examples:` / `tests:` key
// (at its name when it has none). An intent of keywords alone needs no examples; English
// examples have no minimum. The engine's loader asks nothing.
TEST(intent_check, fewer_examples_or_tests_than_the_guide_asks_for) {
    scratch_site s;
    std::string examples = "examples:\n";
    for (int i = 1; i <= 19; ++i) examples += "  - horaire numero " + std::to_string(i) + "\n";
    s.write("fr/hours.yaml", "intent: hours.open\nanswer: De 9 h à 17 h.\n" + examples +
                                 "tests:\n  - { say: ouvert quand, expect: hours.open }\n"
                                 "  - { say: ouvert samedi, expect: hours.open }\n");
    s.write("en/hours.yaml", "intent: hours.open\nanswer: 9 to 5.\nexamples: [opening hours]\n"
                             "tests:\n  - { say: open when, expect: hours.open }\n"
                             "  - { say: open on sunday, expect: hours.open }\n"
                             "  - { say: open today, expect: hours.open }\n");
    s.write("fr/holidays.yaml", "intent: hours.holidays\nanswer: Le 25.\nkeywords: [jour ferie]\n");
    s.write("en/holidays.yaml", "intent: hours.holidays\nanswer: The 25th.\n"
                                "keywords: [bank holiday]\ntests:\n"
                                "  - { say: next bank holiday, expect: hours.holidays }\n"
                                "  - { say: is it a bank holiday, expect: hours.holidays }\n"
                                "  - { say: bank holiday monday, expect: hours.holidays }\n");
    load_options o;
    o.min_examples = {{"fr", guide_min_examples_fr}};
    o.min_tests = guide_min_tests;
    std::vector<std::string> found;
    for (const auto& p : check_intents(s.dir, o)) found.push_back(p.str());
    const auto hours = (s.dir / "fr/hours.yaml").string();
    EXPECT_EQ(found,
              (std::vector<std::string>{
                  (s.dir / "fr/holidays.yaml").string() +
                      ":1:9: intent 'hours.holidays' has 0 test(s); the staff guide asks for at "
                      "least 3 (intents/README.md): add sentences that are not examples, with "
                      "the intent expected",
                  hours + ":3:1: intent 'hours.open' has 19 French example(s); the staff guide "
                          "asks for at least 20 (intents/README.md): add sentences as citizens "
                          "type them",
                  hours + ":23:1: intent 'hours.open' has 2 test(s); the staff guide asks for at "
                          "least 3 (intents/README.md): add sentences that are not examples, "
                          "with the intent expected"}));
    EXPECT_TRUE(s.check().empty());             // without the guide's numbers, nothing is asked
    EXPECT_TRUE(load_intents(s.dir, {}).ok());  // as the engine loads
}

// Files named like intent files that the loader does not read are reported by `check`.
TEST(intent_check, files_that_are_not_read_are_reported) {
    scratch_site s;
    s.write("fr/hello.yaml", greet_fr);
    s.write("fr/contact.yaml.txt", greet_fr);
    s.write("fr/Contact.YAML", greet_fr);
    s.write("fr/.hello.yaml.swp", "");
    s.write("README.md", "# notes\n");
    EXPECT_EQ(s.check(),
              (std::vector<std::string>{
                  (s.dir / "fr/Contact.YAML").string() +
                      ": ignored (only .yaml files are read here; rename it Contact.yaml)",
                  (s.dir / "fr/contact.yaml.txt").string() +
                      ": ignored (only .yaml files are read here; rename it contact.yaml)"}));
}

// `- Mairie : 1 place…` is a map to YAML: the message says to quote it.
TEST(intent_errors, an_answer_variant_with_a_colon_gets_the_quoting_hint) {
    scratch_site s;
    s.write("fr/contact.yaml",
            "intent: contact.town_hall\nanswer:\n  - Mairie : 1 place de la Mairie\n"
            "examples: [adresse mairie]\n");
    EXPECT_EQ(s.check(), std::vector<std::string>{
                             (s.dir / "fr/contact.yaml").string() +
                             ":3:5: an answer variant must be a text (put it in quotes if it "
                             "contains ': ')"});
}

TEST(intent_errors, a_text_with_a_colon_gets_the_quoting_hint) {
    scratch_site s;
    s.write("fr/contact.yaml",
            "intent: contact.town_hall\nanswer: Mairie : 1 place de la Mairie\n"
            "examples: [adresse mairie]\n");
    const auto p = s.check();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0], (s.dir / "fr/contact.yaml").string() +
                        ":2:16: YAML syntax error: illegal map value (put the text in quotes if "
                        "it contains ': ')");
}

// An example starting with "[" is a YAML list to yaml-cpp, whose own words do not say so; and
// the file's one problem is all that is said (not its intent "missing" in French, nor the
// English tests expecting it).
TEST(intent_errors, an_example_starting_with_a_bracket_gets_the_quoting_hint_and_no_echoes) {
    scratch_site s;
    s.write("fr/hello.yaml", greet_fr);
    s.write("en/hello.yaml", greet_en);
    s.write("fr/hours.yaml",
            "intent: hours.open\nanswer: Du lundi au vendredi.\nexamples:\n"
            "  - horaires de la mairie\n  - [urgent] la mairie est ouverte ?\n");
    s.write("en/hours.yaml",
            "intent: hours.open\nanswer: Monday to Friday.\nexamples: [town hall hours]\n"
            "tests:\n  - say: is the town hall open\n    expect: hours.open\n");
    EXPECT_EQ(s.check(), std::vector<std::string>{
                             (s.dir / "fr/hours.yaml").string() +
                             ":5:14: YAML syntax error: end of sequence not found (a text starting "
                             "with '[' is read by YAML as something else: put it in quotes, "
                             "\"[urgent] la mairie est ouverte ?\")"});
}

}  // namespace
}  // namespace guichet::intents
