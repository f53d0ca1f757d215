// Runs the conversation files of tests/dialogue (*.yaml: a report with a correction and a
// cancellation, status lookup, handoff on and off duty, erasure, follow-ups — in French and
// English) through the real engine, the real plugins and the default commune's content.
// Each conversation gets its own engine (and its own in-memory store).
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <variant>

#include "analytics/analytics.h"
#include "dialogue/engine.h"
#include "dialogue/intent_tests.h"
#include "engine/log.h"
#include "hours/opening_hours.h"

namespace fs = std::filesystem;

namespace {

// A folder of the test's own under the system's temporary one: emptied first, removed after.
struct scratch_dir {
    fs::path path;
    explicit scratch_dir(const std::string& name)
        : path(fs::temp_directory_path() / ("guichet_" + name + "_" + std::to_string(getpid()))) {
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~scratch_dir() { fs::remove_all(path); }
};

// The build's plugins, loaded with the log kept quiet: what each test here starts with.
struct build_plugins {
    guichet::plugin_host host{1};
    build_plugins() {
        guichet::log::set_min_level(guichet::log::level::error);
        host.load_dir(GUICHET_PLUGIN_DIR);
    }
};

// The default commune, its knowledge base built at kb_path (in the site's zone unless `zone`);
// nullptr, the problem reported, when it does not load.
std::shared_ptr<guichet::site> default_commune(guichet::plugin_host& plugins,
                                               const fs::path& kb_path,
                                               const std::string& zone = "") {
    guichet::site_options so;
    so.root = GUICHET_SOURCE_DIR;
    so.kb_path = kb_path;
    if (!zone.empty()) so.time_zone = zone;
    guichet::diagnostics problems;
    auto s = guichet::site::load(so, plugins, problems);
    if (!s) ADD_FAILURE() << (problems.empty() ? "" : problems.front().str());
    return s;
}

// The conversation files under dir/tests, played against the default commune (its knowledge
// base built in dir) with `eo` and the clock at `now`.
struct played {
    std::size_t conversations = 0;
    guichet::intent_test_report report;
    std::string printed;
};
played play(const fs::path& dir, guichet::plugin_host& plugins, const guichet::engine_options& eo,
            std::int64_t now) {
    played p;
    auto s = default_commune(plugins, dir / "kb.db");
    if (!s) return p;
    guichet::diagnostics problems;
    auto tests = guichet::load_conversation_tests(dir, problems);
    for (auto& pr : problems) ADD_FAILURE() << pr.str();
    p.conversations = tests.size();
    guichet::run_conversation_tests(plugins, s, eo, now, tests, p.report);
    std::ostringstream out;
    guichet::print_report(p.report, out);
    p.printed = out.str();
    return p;
}

}  // namespace

TEST(conversations, every_file_in_tests_dialogue_passes) {
    build_plugins loaded;
    guichet::plugin_host& plugins = loaded.host;
    for (auto* name : {"report", "handoff", "privacy", "smalltalk", "hours"})
        ASSERT_TRUE(plugins.find(name)) << name << " not loaded from " << GUICHET_PLUGIN_DIR;

    scratch_dir scratch("dialogue");
    const fs::path& dir = scratch.path;
    fs::create_directory_symlink(fs::path(GUICHET_SOURCE_DIR) / "tests" / "dialogue", dir / "tests");

    guichet::engine_options eo;
    eo.fallback_intent = "faq.ask";  // as guichet.yaml's default
    auto now = guichet::hours::parse_local_iso("2026-12-02T10:00:00", "Europe/Paris");
    ASSERT_TRUE(now);
    auto p = play(dir, plugins, eo, *now);
    EXPECT_GE(p.conversations, 10u);  // every flow of the issue, in both languages
    EXPECT_TRUE(p.report.failures.empty()) << p.printed;
    EXPECT_GE(p.report.passed, 30u) << p.printed;
}

// Every question of the default commune's FAQ, typed as written: counted, and those that get
// another answer listed for staff; none of them gets the emergency numbers ("construire une
// maison", "fishing licence" did), and the list is printed with the report.
TEST(conversations, the_faq_questions_as_written_are_listed_when_answered_elsewhere) {
    build_plugins loaded;
    guichet::plugin_host& plugins = loaded.host;
    scratch_dir scratch("faq_routes");
    const fs::path& dir = scratch.path;
    auto s = default_commune(plugins, dir / "kb.db");
    ASSERT_TRUE(s);
    std::size_t questions = 0;
    s->kb().with([&](guichet::kb::knowledge_base& kb) {
        kb.query("SELECT count(*) FROM faq_questions", {},
                 [&](const std::vector<std::string>&, const std::vector<guichet::kb::value>& v) {
                     questions = static_cast<std::size_t>(std::get<std::int64_t>(v[0]));
                     return true;
                 });
        return 0;
    });
    guichet::engine_options eo;
    eo.fallback_intent = "faq.ask";
    guichet::intent_test_report report;
    guichet::run_faq_questions(plugins, s, eo, 1796205600, report);
    EXPECT_GT(questions, 1000u);
    EXPECT_EQ(report.faq_questions, questions);
    EXPECT_LT(report.faq_answered_elsewhere.size(), questions / 20);  // 48 of 1061 went elsewhere
    for (auto& q : report.faq_answered_elsewhere) {
        EXPECT_NE(q.got, "civil.emergency") << q.entry << " \"" << q.question << "\"";
        EXPECT_NE(q.question, "construire une maison");
    }
    std::ostringstream out;
    guichet::print_report(report, out);
    EXPECT_NE(
        out.str().find(std::to_string(questions - report.faq_answered_elsewhere.size()) + " of " +
                       std::to_string(questions) + " questions"),
        std::string::npos)
        << out.str();
}

// Plays `yaml` as the site's only conversation test with every answer "torn" between the
// classifier's first two intents (an ambiguity margin of 1); expects `conversations`, all
// passing.
static void play_torn(const std::string& name, const std::string& yaml, std::size_t conversations,
                      std::size_t turns) {
    build_plugins loaded;
    guichet::plugin_host& plugins = loaded.host;
    scratch_dir scratch(name);
    const fs::path& dir = scratch.path;
    fs::create_directories(dir / "tests");
    std::ofstream(dir / "tests" / "torn.yaml") << yaml;
    guichet::engine_options eo;
    eo.fallback_intent = "faq.ask";
    eo.ambiguity_margin = 1.0;
    auto p = play(dir, plugins, eo, 1796205600);
    EXPECT_EQ(p.conversations, conversations);
    EXPECT_TRUE(p.report.failures.empty()) << p.printed;
    EXPECT_EQ(p.report.passed, turns);
}

// Torn between the FAQ and the emergency numbers: the FAQ's sure answer is given, and the
// emergency numbers stay one button away.
TEST(conversations, torn_between_the_faq_and_an_urgent_intent_keeps_the_urgent_one_as_a_button) {
    play_torn("urgent",
              "locale: fr\n"
              "turns:\n"
              "  - say: numéro de la pharmacie de garde en urgence\n"
              "    expect: { intent: faq.ask, reply_contains: [\"3237\"], buttons: [urgence] }\n",
              1, 1);
}

// Torn between two intents, the FAQ silent: the emergency numbers ranked first (or level with
// the first) are given, the other one beside them when the message has one of its words ("au
// secours" is no goodbye); clearly second, both are offered ("un arbre penche dangereusement"
// is a report first).
TEST(conversations, torn_with_the_faq_silent_the_urgent_answer_only_when_ranked_first) {
    play_torn(
        "urgent2",
        "locale: fr\n"
        "conversations:\n"
        "  - name: ranked first\n"
        "    turns:\n"
        "      - say: quelqu'un est tombé dans la rue et saigne\n"
        "        expect: { intent: civil.emergency, reply_contains: [\"112\"], buttons: "
        "[\"je voudrais signaler un problème\"] }\n"
        "  - name: the other shares no word\n"
        "    turns:\n"
        "      - say: au secours\n"
        "        expect: { intent: civil.emergency, reply_contains: [\"112\"], reply_excludes: "
        "[\"au revoir\"] }\n"
        "  - name: ranked second\n"
        "    turns:\n"
        "      - say: un arbre penche dangereusement\n"
        "        expect: { reply_contains: [\"Vouliez-vous dire\"], reply_excludes: "
        "[\"112\"], buttons: [urgence] }\n",
        3, 3);
}

// Times of day as the answers write them: French typography ("8 h 30", "9 h"), English
// "8:30"; the minutes are those of the site's zone (the Marquesas are 9 h 30 from UTC).
TEST(site, clock_times_in_french_and_english_in_the_site_zone) {
    build_plugins loaded;
    guichet::plugin_host& plugins = loaded.host;
    scratch_dir scratch("clock");
    const fs::path& dir = scratch.path;
    for (const char* zone : {"Europe/Paris", "Pacific/Marquesas"}) {
        auto s = default_commune(
            plugins,
            dir /
                (std::string(zone == std::string("Europe/Paris") ? "paris" : "marquesas") + ".db"),
            zone);
        ASSERT_TRUE(s);
        auto at = [&](const char* local) { return *guichet::hours::parse_local_iso(local, zone); };
        for (int round = 0; round < 2; ++round) {  // the second time from the kept texts
            EXPECT_EQ(s->format_time(at("2026-12-02T08:30:00"), "Hm", "fr"), "8 h 30") << zone;
            EXPECT_EQ(s->format_time(at("2026-12-02T09:00:00"), "Hm", "fr"), "9 h") << zone;
            EXPECT_EQ(s->format_time(at("2026-12-02T14:05:00"), "Hm", "fr"), "14 h 05") << zone;
            EXPECT_EQ(s->format_time(at("2026-12-02T09:00:00"), "Hm", "en"), "9:00") << zone;
            EXPECT_EQ(s->format_time(at("2026-12-02T17:30:00"), "Hm", "en"), "17:30") << zone;
        }
    }
}

// A report's status asked by its number: the services' note only to the citizen who made it
// (the numbers follow each other: anyone could read every note by counting).
TEST(conversations, a_reports_note_is_given_to_its_citizen_only) {
    build_plugins loaded;
    guichet::plugin_host& plugins = loaded.host;
    scratch_dir scratch("note");
    const fs::path& dir = scratch.path;
    auto s = default_commune(plugins, dir / "kb.db");
    ASSERT_TRUE(s);
    guichet::engine_options eo;
    eo.fallback_intent = "faq.ask";
    guichet::engine e(plugins, s, eo);
    auto now = guichet::hours::parse_local_iso("2026-12-02T10:00:00", "Europe/Paris");
    ASSERT_TRUE(now);
    auto say = [&](const std::string& who, const std::string& text) {
        guichet::message m;
        m.channel = "test";
        m.conversation_id = m.user_id = who;
        m.text = text;
        m.locale = "fr";
        m.now = *now;
        std::string said;
        boost::asio::io_context io;
        boost::asio::co_spawn(io, e.handle(std::move(m)),
                              [&](std::exception_ptr, guichet::turn_result r) {
                                  for (auto& reply : r.replies) said += reply.text + "\n";
                              });
        io.run();
        return said;
    };
    EXPECT_NE(say("alice", "il y a un nid de poule rue victor hugo").find("Je récapitule"),
              std::string::npos);
    EXPECT_NE(say("alice", "oui").find("2026-0001"), std::string::npos);
    ASSERT_TRUE(e.store()->update_report("2026-0001", "open", "Intervention prévue lundi.", *now));
    EXPECT_NE(say("alice", "où en est mon signalement 2026-0001")
                  .find("Note des services : Intervention prévue lundi."),
              std::string::npos);
    const auto other = say("bob", "où en est le signalement 2026-0001");
    EXPECT_NE(other.find("Signalement 2026-0001 (Voirie (chaussée, trottoir), rue Victor Hugo)"),
              std::string::npos)
        << other;
    EXPECT_EQ(other.find("Intervention prévue"), std::string::npos) << other;
}

// A pressed button is kept in the transcript as the citizen saw it (its title, when the
// channel sends it), not as its payload: the web history after a restart and the agents'
// console show "Horaires d'ouverture", not "horaires de la mairie" or "@smalltalk…".
TEST(conversations, a_pressed_buttons_title_is_what_the_transcript_keeps) {
    build_plugins loaded;
    scratch_dir scratch("title");
    auto s = default_commune(loaded.host, scratch.path / "kb.db");
    ASSERT_TRUE(s);
    guichet::engine e(loaded.host, s, guichet::engine_options{});
    auto press = [&](const std::string& payload, const std::string& title, const std::string& text = "") {
        guichet::message m;
        m.channel = "web";
        m.conversation_id = m.user_id = "carol";
        m.payload = payload;
        m.title = title;
        m.text = text;
        m.locale = "fr";
        boost::asio::io_context io;
        boost::asio::co_spawn(io, e.handle(std::move(m)), [](std::exception_ptr, guichet::turn_result) {});
        io.run();
    };
    press("horaires de la mairie", "Horaires d'ouverture");
    press("@smalltalk.capabilities places", "");  // no title sent: the payload, as before
    press("", "Démarrer", "bonjour");  // Messenger's "Get Started", understood as a greeting
    auto t = e.store()->transcript("web", "carol");
    std::vector<std::string> in;
    for (auto& m : t)
        if (m.direction == "in") in.push_back(m.text);
    EXPECT_EQ(in, (std::vector<std::string>{"Horaires d'ouverture", "@smalltalk.capabilities places", "Démarrer"}));
}

// A message of two questions is two in the staff's figures: each counted under its own intent,
// and only the one without an answer listed as unanswered, in its own words.
TEST(conversations, each_of_two_questions_in_one_message_is_counted) {
    build_plugins loaded;
    scratch_dir scratch("two");
    auto s = default_commune(loaded.host, scratch.path / "kb.db");
    ASSERT_TRUE(s);
    guichet::engine_options eo;
    eo.fallback_intent = "faq.ask";
    guichet::engine e(loaded.host, s, eo);
    guichet::analytics::store figures("Europe/Paris");
    auto now = guichet::hours::parse_local_iso("2026-12-02T10:00:00", "Europe/Paris");
    ASSERT_TRUE(now);
    auto ask = [&](const std::string& text) {
        guichet::message m;
        m.channel = "web";
        m.conversation_id = m.user_id = "dora";
        m.text = text;
        m.locale = "fr";
        m.now = *now;
        guichet::turn_result got;
        boost::asio::io_context io;
        boost::asio::co_spawn(io, e.handle(m), [&](std::exception_ptr, guichet::turn_result r) { got = std::move(r); });
        io.run();
        figures.record(m, got, *now);
        return got;
    };
    auto r = ask("la mairie est ouverte samedi et où est la déchetterie ?");
    ASSERT_EQ(r.questions.size(), 2u);
    EXPECT_EQ(r.questions[0].text, "la mairie est ouverte samedi");
    EXPECT_EQ(r.questions[0].intent, "hours.open");
    EXPECT_EQ(r.questions[1].text, "et où est la déchetterie ?");
    EXPECT_EQ(r.questions[1].intent, "places.nearest");
    EXPECT_TRUE(ask("horaires de la médiathèque").questions.empty());  // one question
    std::map<std::string, std::uint64_t> by_intent;
    for (auto& row : figures.counts(false)) by_intent[row.intent] += row.count;
    EXPECT_EQ(by_intent["hours.open"], 2u);
    EXPECT_EQ(by_intent["places.nearest"], 1u);
    EXPECT_TRUE(figures.unanswered().empty());
}
