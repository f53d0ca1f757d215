// Live reload after a start on the last-good copy (a file broke, then a restart), on a real
// server and reloader with a private copy of the small site: the status says the site's
// problems, the fixed files go online once, a manual reload and staff's edits go to the site.
// (The copy was watched: nothing went online, each reload rewrote it and started the next.)
#include <chrono>
#include <thread>

#include "staff_fixture.h"

using namespace std::chrono_literals;
using guichet::test::read_text;
using guichet::test::write_text;
namespace http = boost::beast::http;

namespace {

class reload_on_last_good : public guichet::test::staff_server {
protected:
    // `guichet serve` once (keeps var/last-good/), a file broken as staff broke it, then
    // `guichet serve` again: it serves the copy.
    void SetUp() override {
        site_ = guichet::test::copy_test_site();
        broken_ = site_ / "knowledge/faq/new.yaml";
        start(true);
        if (HasFatalFailure()) return;
        stop();
        ASSERT_TRUE(std::filesystem::is_directory(site_ / "var/last-good/knowledge"));
        std::filesystem::create_directories(site_ / "knowledge/faq");
        write_text(broken_, "faq:\n\t- id: x\n");  // a tab: not YAML
        start(true);
        if (HasFatalFailure()) return;
        ASSERT_NE(start_err_.find("serving the last version of the site that loaded"),
                  std::string::npos)
            << start_err_;
    }

    std::uint64_t attempts() {
        auto st = service_->reload()->status();
        return st.generation + st.rejected;
    }

    // True when an answer to "numero mairie" says `phone` within `limit`.
    bool answers_with(const std::string& phone, std::chrono::milliseconds limit) {
        auto end = std::chrono::steady_clock::now() + limit;
        do {
            if (text_of(say("numero mairie")).find(phone) != std::string::npos) return true;
            std::this_thread::sleep_for(20ms);
        } while (std::chrono::steady_clock::now() < end);
        return false;
    }

    // The site's problem, as `guichet check` says it: in the site's file, not in the copy.
    bool names_the_broken_file(const std::vector<std::string>& problems) {
        bool found = false;
        for (auto& p : problems) {
            found |= p.rfind(broken_.string() + ":", 0) == 0;
            EXPECT_EQ(p.find("last-good"), std::string::npos) << p;
        }
        return found;
    }

    // Staff fix the file and change an answer.
    void fix_and_edit() {
        std::filesystem::remove(broken_);
        auto file = site_ / "intents/fr/mairie.yaml";
        auto text = read_text(file);
        text.replace(text.find("02 38 00 00 00"), 14, "02 38 99 99 99");
        write_text(file, text);
    }

    std::filesystem::path broken_;
};

TEST_F(reload_on_last_good, the_status_says_the_sites_problems_while_the_copy_is_served) {
    EXPECT_EQ(app_->engine->current_site()->options().root, site_ / "var/last-good");
    EXPECT_TRUE(answers_with("02 38 00 00 00", 0ms));
    auto st = service_->reload()->status();
    EXPECT_TRUE(st.serving_last_good);
    EXPECT_FALSE(st.last_ok);
    EXPECT_TRUE(names_the_broken_file(st.last_problems));

    for (auto* target : {"/readyz", "/api/v1/staff/reload"}) {
        auto r = guichet::test::http_call(port_, http::verb::get, target, {}, token);
        EXPECT_EQ(r.status, 200u) << target << ": it serves";
        EXPECT_NE(r.body.find("\"last_ok\":false"), std::string::npos) << target << ": " << r.body;
        EXPECT_NE(r.body.find("\"serving_last_good\":true"), std::string::npos) << r.body;
        EXPECT_NE(r.body.find("new.yaml:"), std::string::npos) << target << ": " << r.body;
    }
}

TEST_F(reload_on_last_good, the_fixed_site_goes_online_once) {
    fix_and_edit();
    EXPECT_TRUE(answers_with("02 38 99 99 99", 5s)) << "the fixed site never went online";
    std::this_thread::sleep_for(1500ms);  // 15 polls: a reload now would be one too many
    auto st = service_->reload()->status();
    EXPECT_EQ(st.generation, 1u);
    EXPECT_EQ(st.rejected, 0u);
    EXPECT_TRUE(st.last_ok);
    EXPECT_FALSE(st.serving_last_good);
    EXPECT_TRUE(st.last_problems.empty());
    EXPECT_EQ(app_->engine->current_site()->options().root, site_);
    EXPECT_NE(read_text(site_ / "var/last-good/intents/fr/mairie.yaml").find("02 38 99 99 99"),
              std::string::npos)
        << "the fixed site is the new last-good copy";
}

TEST_F(reload_on_last_good, a_manual_reload_reloads_the_site_not_the_copy) {
    auto r = guichet::test::http_call(port_, http::verb::post, "/api/v1/staff/reload", {}, token);
    ASSERT_EQ(r.status, 202u) << r.body;
    auto end = std::chrono::steady_clock::now() + 5s;
    while (attempts() == 0 && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    std::this_thread::sleep_for(1500ms);
    auto st = service_->reload()->status();
    EXPECT_EQ(st.rejected, 1u) << "the site's files are still broken";
    EXPECT_EQ(st.generation, 0u) << "a reload of the copy";
    EXPECT_FALSE(st.last_ok);
    EXPECT_TRUE(st.serving_last_good);
    EXPECT_TRUE(names_the_broken_file(st.last_problems));
    EXPECT_TRUE(answers_with("02 38 00 00 00", 0ms));

    fix_and_edit();
    r = guichet::test::http_call(port_, http::verb::post, "/api/v1/staff/reload", {}, token);
    ASSERT_EQ(r.status, 202u) << r.body;
    EXPECT_TRUE(answers_with("02 38 99 99 99", 5s)) << "the fixed site never went online";
    EXPECT_FALSE(service_->reload()->status().serving_last_good);
}

TEST_F(reload_on_last_good, an_example_added_by_staff_goes_into_the_sites_file) {
    const auto copy = read_text(site_ / "var/last-good/intents/fr/mairie.yaml");
    auto r = guichet::test::http_call(
        port_, http::verb::post, "/api/v1/staff/examples",
        R"({"intent":"contact.town_hall","locale":"fr","text":"joindre l'accueil de la mairie"})",
        token);
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_NE(r.body.find((site_ / "intents/fr/mairie.yaml").string()), std::string::npos)
        << r.body;
    EXPECT_EQ(read_text(site_ / "var/last-good/intents/fr/mairie.yaml"), copy);
}

}  // namespace
