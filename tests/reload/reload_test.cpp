// Live reload behind the test gate, on a real server with a private copy of a small site:
// an edit changes the answers within 2 s, a broken edit or a failing test changes nothing
// and says where the problem is (file:line:column), SIGHUP reloads, and turns answered
// during reloads never fail.
#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <regex>

#include "engine/log.h"
#include "staff_fixture.h"

using namespace std::chrono_literals;
using guichet::test::read_text;
using guichet::test::write_text;

namespace {

class reload : public guichet::test::staff_server {
protected:
    // Waits until the reloader made `n` more attempts than `before`, up to `limit`.
    bool wait_attempts(std::uint64_t before, std::uint64_t n, std::chrono::milliseconds limit) {
        auto end = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < end) {
            auto st = service_->reload()->status();
            if (st.generation + st.rejected >= before + n) return true;
            std::this_thread::sleep_for(20ms);
        }
        return false;
    }
    std::uint64_t attempts() {
        auto st = service_->reload()->status();
        return st.generation + st.rejected;
    }
};

TEST_F(reload, an_edited_answer_is_live_within_two_seconds) {
    ASSERT_NE(text_of(say("numero mairie")).find("02 38 00 00 00"), std::string::npos);
    auto file = site_ / "intents/fr/mairie.yaml";
    auto text = read_text(file);
    auto at = text.find("02 38 00 00 00");
    text.replace(at, 14, "02 38 99 99 99");
    auto start = std::chrono::steady_clock::now();
    write_text(file, text);
    bool changed = false;
    while (std::chrono::steady_clock::now() - start < 2s) {
        if (text_of(say("numero mairie")).find("02 38 99 99 99") != std::string::npos) {
            changed = true;
            break;
        }
        std::this_thread::sleep_for(20ms);
    }
    EXPECT_TRUE(changed) << "the new answer was not live 2 s after the edit";
    EXPECT_EQ(service_->reload()->status().generation, 1u);
}

TEST_F(reload, a_broken_edit_changes_nothing_and_says_where) {
    auto file = site_ / "intents/fr/mairie.yaml";
    auto before = attempts();
    auto text = read_text(file);
    // An unclosed flow sequence on line 3.
    auto at = text.find("answer: ");
    text.replace(at, 8, "answer: [oops, ");
    write_text(file, text);
    ASSERT_TRUE(wait_attempts(before, 1, 3s));
    auto st = service_->reload()->status();
    EXPECT_FALSE(st.last_ok);
    EXPECT_EQ(st.generation, 0u);
    ASSERT_FALSE(st.last_problems.empty());
    std::regex where(".*mairie\\.yaml:[0-9]+:[0-9]+: .*");
    bool located = false;
    for (auto& p : st.last_problems) located |= std::regex_match(p, where);
    EXPECT_TRUE(located) << st.last_problems.front();
    EXPECT_NE(text_of(say("numero mairie")).find("02 38 00 00 00"), std::string::npos);
}

// A broken knowledge file is said as `guichet check` and `kb build` say it, in French: the
// reload (and `serve`) said yaml-cpp's English ("YAML syntax error: end of map not found").
TEST_F(reload, a_broken_knowledge_file_is_said_as_check_says_it) {
    auto file = site_ / "knowledge/places.yaml";
    auto before = attempts();
    auto text = read_text(file);
    text.replace(text.find("    category: mairie"), 4, "\t");  // a tab in the indentation, line 8
    write_text(file, text);
    ASSERT_TRUE(wait_attempts(before, 1, 3s));
    auto st = service_->reload()->status();
    EXPECT_FALSE(st.last_ok);
    ASSERT_FALSE(st.last_problems.empty());
    EXPECT_EQ(st.last_problems.front(),
              file.string() + ":8:2: erreur de syntaxe YAML : fin de bloc introuvable : vérifiez "
                              "l'indentation (une tabulation dans l'indentation : indentez avec "
                              "des espaces)");
}

TEST_F(reload, an_edit_that_fails_a_test_is_refused) {
    auto file = site_ / "intents/fr/piscine.yaml";
    auto before = attempts();
    auto text = read_text(file);
    auto at = text.find("expect: pool.info");
    text.replace(at, 17, "expect: contact.town_hall");
    write_text(file, text);
    ASSERT_TRUE(wait_attempts(before, 1, 3s));
    auto st = service_->reload()->status();
    EXPECT_FALSE(st.last_ok);
    ASSERT_FALSE(st.last_problems.empty());
    EXPECT_NE(st.last_problems.front().find("piscine.yaml:"), std::string::npos);
    EXPECT_NE(st.last_problems.front().find("test failed"), std::string::npos);
}

TEST_F(reload, a_failing_conversation_test_is_refused) {
    std::mutex mutex;
    std::vector<std::string> logged;
    auto kept = guichet::log::set_sink([&](guichet::log::level, std::string_view line) {
        std::lock_guard lock(mutex);
        logged.emplace_back(line);
    });
    struct put_back {  // the log's own sink again, whatever fails below
        guichet::log::sink s;
        ~put_back() { guichet::log::set_sink(s); }
    } restore{kept};
    auto before = attempts();
    write_text(site_ / "tests/conversations/extra.yaml",
               "turns:\n  - say: numero mairie\n    expect: { reply_contains: \"pas ce texte\" }\n");
    ASSERT_TRUE(wait_attempts(before, 1, 3s));
    auto st = service_->reload()->status();
    EXPECT_FALSE(st.last_ok);
    ASSERT_FALSE(st.last_problems.empty());
    EXPECT_NE(st.last_problems.front().find("extra.yaml:2:"), std::string::npos)
        << st.last_problems.front();
    // Its expected / got lines are lines of the log too (the text log wrote a literal "\n").
    std::this_thread::sleep_for(200ms);
    guichet::log::set_sink(kept);  // (and again by `restore`)
    const auto& problem = st.last_problems.front();
    ASSERT_NE(problem.find('\n'), std::string::npos) << problem;
    const auto first_end = problem.find('\n');
    const auto second = problem.substr(first_end + 1, problem.find('\n', first_end + 1) - first_end - 1);
    std::lock_guard lock(mutex);
    bool said = false;
    for (auto& line : logged) {
        if (line.find("reload") == std::string::npos) continue;
        EXPECT_EQ(line.find("\\n"), std::string::npos) << line;
        said = said || line.ends_with(second);
    }
    EXPECT_TRUE(said) << second;
}

TEST_F(reload, sighup_reloads_without_a_change) {
    auto before = attempts();
    std::raise(SIGHUP);
    ASSERT_TRUE(wait_attempts(before, 1, 3s));
    EXPECT_TRUE(service_->reload()->status().last_ok);
    EXPECT_EQ(service_->reload()->status().generation, 1u);
}

// Each reload's knowledge base is named after the configured one ("knowledge.r3.db"): the name
// grew with every reload ("knowledge.r1.r2.r3.db") and after about 60 no reload could create it.
TEST_F(reload, reloaded_knowledge_bases_keep_a_short_name) {
    for (int i = 0; i < 4; ++i) {
        auto before = attempts();
        std::raise(SIGHUP);
        ASSERT_TRUE(wait_attempts(before, 1, 5s));
        ASSERT_TRUE(service_->reload()->status().last_ok);
    }
    bool found = false;
    for (auto& e : std::filesystem::directory_iterator(site_ / "var")) {
        const std::string name = e.path().filename().string();
        EXPECT_FALSE(std::regex_search(name, std::regex(R"(\.r\d+\.r\d+)"))) << name;
        found = found || name == "knowledge.r4.db";
    }
    EXPECT_TRUE(found) << "the fourth reload's knowledge.r4.db";
}

TEST_F(reload, turns_never_fail_during_reloads) {
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0}, wrong{0};
    std::vector<std::thread> talkers;
    for (int i = 0; i < 4; ++i)
        talkers.emplace_back([&, i] {
            while (!stop) {
                try {
                    auto r = say("numero mairie", "load-" + std::to_string(i));
                    if (r.intent != "contact.town_hall" || r.fallback) ++wrong;
                    ++answered;
                } catch (...) {
                    ++wrong;
                }
            }
        });
    for (int k = 0; k < 3; ++k) {
        auto before = attempts();
        service_->reload()->request();
        ASSERT_TRUE(wait_attempts(before, 1, 5s));
    }
    stop = true;
    for (auto& t : talkers) t.join();
    EXPECT_EQ(service_->reload()->status().generation, 3u);
    EXPECT_GT(answered.load(), 20);
    EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
