// The default commune's intent files (intents/ in the repository) load without a single
// problem, cover every intent the plugins serve in both languages, and a site's worth of
// files loads well within 50 ms.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "intents/intents.h"

namespace guichet::intents {
namespace {

namespace fs = std::filesystem;

const fs::path default_intents = GUICHET_DEFAULT_INTENTS;

load_options engine_options() {
    load_options o;
    o.plugin_intents = {{"smalltalk",
                         {"smalltalk.greet", "smalltalk.thanks", "smalltalk.goodbye",
                          "smalltalk.capabilities", "smalltalk.bot"}},
                        {"hours", {"hours.open", "hours.holidays"}},
                        {"places", {"places.nearest"}},
                        {"faq", {"faq.ask"}},
                        {"waste", {"waste.days"}},
                        {"report", {"report.create", "report.status"}},
                        {"handoff", {"handoff.request"}},
                        {"privacy", {"privacy.erase", "privacy.access"}}};
    for (const auto& [plugin, served] : o.plugin_intents) o.known_plugins.insert(plugin);
    return o;
}

TEST(default_intents, load_clean) {
    const auto r = load_intents(default_intents, engine_options());
    for (const auto& p : r.problems) ADD_FAILURE() << p.str();
    EXPECT_TRUE(r.ok());
    // Only the emergency numbers and the suicide prevention line are never put aside for the FAQ.
    for (const auto& in : r.value.intents)
        EXPECT_EQ(in.urgent, in.name == "civil.emergency" || in.name == "civil.distress")
            << in.name;
}

TEST(default_intents, every_intent_in_both_languages_with_enough_examples_and_tests) {
    const auto r = load_intents(default_intents, engine_options());
    const std::map<std::string, std::string> expected = {{"smalltalk.greet", "smalltalk"},
                                                         {"smalltalk.thanks", "smalltalk"},
                                                         {"smalltalk.goodbye", "smalltalk"},
                                                         {"smalltalk.capabilities", "smalltalk"},
                                                         {"smalltalk.bot", "smalltalk"},
                                                         {"hours.open", "hours"},
                                                         {"hours.holidays", "hours"},
                                                         {"places.nearest", "places"},
                                                         {"faq.ask", "faq"},
                                                         {"waste.days", "waste"},
                                                         {"report.create", "report"},
                                                         {"report.status", "report"},
                                                         {"handoff.request", "handoff"},
                                                         {"privacy.notice", ""},
                                                         {"privacy.erase", "privacy"},
                                                         {"privacy.access", "privacy"},
                                                         {"contact.town_hall", ""},
                                                         {"civil.emergency", ""},
                                                         {"civil.distress", ""}};
    EXPECT_EQ(r.value.intents.size(), expected.size());
    for (const auto& [name, plugin] : expected) {
        const intent* in = r.value.find(name);
        ASSERT_NE(in, nullptr) << name;
        EXPECT_EQ(in->plugin, plugin) << name;
        // (French: the staff guide's minimum, which `guichet check` asks for.)
        for (const auto& [lang, min_examples] :
             {std::pair{"fr", guide_min_examples_fr}, std::pair{"en", std::size_t{15}}}) {
            ASSERT_TRUE(in->langs.count(lang)) << name << " has no " << lang << " version";
            const auto& part = in->langs.at(lang);
            // (The suicide prevention line answers keywords only, with no example that would
            // move the classifier's other choices.)
            if (!part.examples.empty() || part.keywords.empty())
                EXPECT_GE(part.examples.size(), min_examples) << name << " " << lang;
            EXPECT_GE(part.tests.size(), guide_min_tests) << name << " " << lang;
            EXPECT_EQ(plugin.empty(), !part.answers.empty()) << name << " " << lang;
            for (const auto& t : part.tests)
                EXPECT_TRUE(t.expect_intent == out_of_scope || r.value.find(t.expect_intent))
                    << t.file << ":" << t.line;
        }
    }
    // Entity markup is used where it matters.
    std::size_t marked = 0;
    for (const auto& in : r.value.intents)
        for (const auto& [lang, part] : in.langs)
            for (const auto& ex : part.examples) marked += ex.entities.size();
    EXPECT_GE(marked, 30u);
}

// A made-up site ten times the default one (160 intents x 2 languages, 25 examples each).
TEST(default_intents, a_large_site_loads_quickly) {
    const auto dir =
        fs::temp_directory_path() / ("guichet_intents_big_" + std::to_string(::getpid()));
    for (const char* lang : {"fr", "en"}) {
        fs::create_directories(dir / lang);
        for (int i = 0; i < 160; ++i) {
            std::ofstream f(dir / lang / ("topic" + std::to_string(i) + ".yaml"));
            f << "intent: topic.t" << i << "\nplugin: faq\ndescription: generated\nexamples:\n";
            for (int k = 0; k < 25; ++k)
                f << "  - phrase " << k << " du sujet " << i << " pour [demain](datetime) ?\n";
            f << "slots:\n  when: { entity: datetime, default: now }\ntests:\n";
            for (int k = 0; k < 3; ++k)
                f << "  - say: test " << k << " sujet " << i << "\n    expect: { intent: topic.t"
                  << i << ", slots: { when: demain } }\n";
        }
    }
    // CPU time of this thread: the machine is shared, wall time measures the neighbours too.
    const auto cpu_ms = [] {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
    };
    const auto w0 = std::chrono::steady_clock::now();
    const double c0 = cpu_ms();
    const auto big = load_intents(dir, {});
    const double c1 = cpu_ms();
    const auto w1 = std::chrono::steady_clock::now();
    const auto site = load_intents(default_intents, engine_options());
    const double c2 = cpu_ms();
    const auto w2 = std::chrono::steady_clock::now();
    fs::remove_all(dir);
    const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    std::cout << "[ timing   ] default site (" << site.value.intents.size()
              << " intents): " << c2 - c1 << " ms CPU, " << ms(w2 - w1)
              << " ms wall; 320 files, 8000 examples: " << c1 - c0 << " ms CPU, " << ms(w1 - w0)
              << " ms wall\n";
    EXPECT_TRUE(big.ok());
    EXPECT_EQ(big.value.intents.size(), 160u);
    EXPECT_LT(c2 - c1, 50.0);
    EXPECT_LT(c1 - c0, 1000.0);
}

}  // namespace
}  // namespace guichet::intents
