// Operations and staff services on a real server: /metrics, /healthz, /readyz, the staff
// API (figures, unanswered questions, add as an example, then the same question is
// answered), JSON log lines with masked personal data, and the masking itself.
#include <boost/json.hpp>
#include <chrono>

#include "analytics/analytics.h"
#include "engine/log.h"
#include "ops/mask.h"
#include "../reload/staff_fixture.h"

using namespace std::chrono_literals;
namespace http = boost::beast::http;
namespace json = boost::json;
using guichet::test::http_call;

namespace {

class ops_server : public guichet::test::staff_server {};

TEST_F(ops_server, health_and_readiness) {
    auto h = http_call(port_, http::verb::get, "/healthz");
    EXPECT_EQ(h.status, 200u);
    EXPECT_EQ(json::parse(h.body).at("status"), "ok");
    auto r = http_call(port_, http::verb::get, "/readyz");
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(json::parse(r.body).at("status"), "ready");
    service_->draining();
    EXPECT_EQ(http_call(port_, http::verb::get, "/readyz").status, 503u);
}

TEST_F(ops_server, metrics_count_messages_intents_fallbacks_and_latency) {
    say("numero mairie");
    say("adresse de la piscine");
    say("zorglub wxq blop");
    auto m = http_call(port_, http::verb::get, "/metrics");
    ASSERT_EQ(m.status, 200u);
    auto& b = m.body;
    EXPECT_NE(b.find("guichet_messages_total{channel=\"test\"} 3\n"), std::string::npos) << b;
    EXPECT_NE(b.find("guichet_intent_total{intent=\"contact.town_hall\"} 1\n"), std::string::npos);
    EXPECT_NE(b.find("guichet_intent_total{intent=\"pool.info\"} 1\n"), std::string::npos);
    EXPECT_NE(b.find("guichet_fallbacks_total{channel=\"test\"} 1\n"), std::string::npos);
    EXPECT_NE(b.find("guichet_turn_duration_seconds_count 3\n"), std::string::npos);
    EXPECT_NE(b.find("guichet_turn_duration_seconds_bucket{le=\"+Inf\"} 3\n"), std::string::npos);
    // Bucket bounds as a person writes them (not le="0.0050000000000000001").
    EXPECT_NE(b.find("guichet_turn_duration_seconds_bucket{le=\"0.005\"} "), std::string::npos) << b;
    EXPECT_NE(b.find("# TYPE guichet_turn_duration_seconds histogram"), std::string::npos);
    EXPECT_NE(b.find("guichet_router_active_conversations "), std::string::npos);
    EXPECT_NE(b.find("guichet_plugin_timeouts_total 0\n"), std::string::npos);
}

TEST_F(ops_server, staff_api_needs_the_token) {
    EXPECT_EQ(http_call(port_, http::verb::get, "/api/v1/staff/figures").status, 401u);
    EXPECT_EQ(http_call(port_, http::verb::get, "/api/v1/staff/figures", {}, "wrong").status, 401u);
    EXPECT_EQ(http_call(port_, http::verb::get, "/api/v1/staff/figures", {}, token).status, 200u);
}

TEST_F(ops_server, an_unanswered_question_becomes_an_example_and_is_then_answered) {
    const std::string question = "faire des longueurs le dimanche";
    auto first = say(question, "a");
    ASSERT_TRUE(first.fallback || first.confidence < 0.5) << first.intent << ' ' << first.confidence;
    say(question, "b");  // grouping of other wordings: analytics_test
    say("numero mairie", "c");

    auto f = http_call(port_, http::verb::get, "/api/v1/staff/figures?period=day", {}, token);
    ASSERT_EQ(f.status, 200u);
    auto figures = json::parse(f.body);
    EXPECT_EQ(figures.at("messages").to_number<std::uint64_t>(), 3u);
    bool town_hall_counted = false;
    for (auto& row : figures.at("rows").as_array())
        town_hall_counted |= row.at("intent") == "contact.town_hall" && row.at("count").to_number<std::uint64_t>() == 1;
    EXPECT_TRUE(town_hall_counted) << f.body;

    auto u = http_call(port_, http::verb::get, "/api/v1/staff/unanswered", {}, token);
    ASSERT_EQ(u.status, 200u);
    auto groups = json::parse(u.body).at("groups").as_array();
    ASSERT_FALSE(groups.empty()) << u.body;
    EXPECT_EQ(groups[0].at("count").to_number<std::uint64_t>(), 2u) << u.body;  // the two wordings, grouped
    std::string group_id(groups[0].at("id").as_string());

    auto before = service_->reload()->status().generation;
    json::object add{{"intent", "pool.info"}, {"locale", "fr"}, {"text", question}, {"group", group_id}};
    auto a = http_call(port_, http::verb::post, "/api/v1/staff/examples", json::serialize(add), token);
    ASSERT_EQ(a.status, 200u) << a.body;
    auto file = guichet::test::read_text(site_ / "intents/fr/piscine.yaml");
    EXPECT_NE(file.find("  - \"" + question + "\"\n"), std::string::npos) << file;
    EXPECT_NE(file.find("# Test site: a second static answer"), std::string::npos);

    // The same sentence again is refused, and the group is gone.
    EXPECT_EQ(http_call(port_, http::verb::post, "/api/v1/staff/examples", json::serialize(add), token).status,
              409u);
    auto end = std::chrono::steady_clock::now() + 5s;
    while (service_->reload()->status().generation == before && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    ASSERT_GT(service_->reload()->status().generation, before);
    EXPECT_EQ(say(question, "d").intent, "pool.info");
}

// An example the tests refuse (here the very words of the town hall's own test, added to the
// pool) is taken back out of the file: left there, it refused every later edit.
TEST_F(ops_server, an_example_the_tests_refuse_is_taken_back_out_of_the_file) {
    const auto file = site_ / "intents/fr/piscine.yaml";
    const auto original = guichet::test::read_text(file);
    auto before = service_->reload()->status();
    json::object add{{"intent", "pool.info"}, {"locale", "fr"},
                     {"text", "donnez-moi le numéro de la mairie"}};
    auto a = http_call(port_, http::verb::post, "/api/v1/staff/examples", json::serialize(add), token);
    ASSERT_EQ(a.status, 200u) << a.body;
    EXPECT_NE(guichet::test::read_text(file), original);  // written, then tested
    auto end = std::chrono::steady_clock::now() + 20s;
    while (service_->reload()->status().rejected == before.rejected &&
           std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    ASSERT_GT(service_->reload()->status().rejected, before.rejected);
    while (guichet::test::read_text(file) != original && std::chrono::steady_clock::now() < end)
        std::this_thread::sleep_for(20ms);
    EXPECT_EQ(guichet::test::read_text(file), original);
    EXPECT_EQ(say("donnez-moi le numéro de la mairie", "e").intent, "contact.town_hall");
}

TEST_F(ops_server, adding_to_an_unknown_intent_is_a_clear_error) {
    json::object add{{"intent", "nope.nothing"}, {"text", "bonjour"}};
    auto a = http_call(port_, http::verb::post, "/api/v1/staff/examples", json::serialize(add), token);
    EXPECT_EQ(a.status, 404u);
    EXPECT_NE(a.body.find("nope.nothing"), std::string::npos);
    EXPECT_EQ(http_call(port_, http::verb::post, "/api/v1/staff/examples", "{not json", token).status, 400u);
}

TEST(mask, personal_data_is_masked) {
    using guichet::ops::mask_personal_data;
    EXPECT_EQ(mask_personal_data("écrivez à jean.dupont@example.fr svp"), "écrivez à [email] svp");
    EXPECT_EQ(mask_personal_data("appelez le 06 12 34 56 78"), "appelez le [phone]");
    EXPECT_EQ(mask_personal_data("tel +33 6 12 34 56 78."), "tel [phone].");
    EXPECT_EQ(mask_personal_data("mon NIR 1 84 12 75 123 456 78"), "mon NIR [nir]");
    EXPECT_EQ(mask_personal_data("IBAN FR76 3000 6000 0112 3456 7890 189"), "IBAN [iban]");
    EXPECT_EQ(mask_personal_data("la piscine ouvre à 10h le 12/05"), "la piscine ouvre à 10h le 12/05");
    EXPECT_EQ(mask_personal_data("ticket 2026-0042"), "ticket 2026-0042");
}

// A plugin's message (or a citizen's words quoted in a warning) forged a whole log line with
// "\n2026-… info plugin_host: …", and an escape sequence cleared the terminal.
TEST(text_log, a_message_stays_on_its_one_line) {
    std::vector<std::string> lines;
    auto previous = guichet::log::set_sink([&](guichet::log::level, std::string_view l) { lines.emplace_back(l); });
    guichet::log::warn("plugin bad", "oops\n2026-01-01T00:00:00Z info plugin_host: forged\x1b[2J \xff");
    guichet::log::set_sink(previous);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "warn plugin bad: oops\\n2026-01-01T00:00:00Z info plugin_host: forged"
                        "\\x1b[2J \xEF\xBF\xBD");
}

TEST(json_log, one_object_per_line_with_conversation_and_masking) {
    std::vector<std::string> lines;
    auto previous = guichet::log::set_sink([&](guichet::log::level, std::string_view l) { lines.emplace_back(l); });
    guichet::log::set_json(true);
    guichet::log::set_masking(true);
    guichet::log::warn("engine", "mail \"x\" to a.b@c.fr", "conv-7");
    guichet::log::set_json(false);
    guichet::log::set_masking(false);
    guichet::log::set_sink(previous);
    ASSERT_EQ(lines.size(), 1u);
    auto v = json::parse(lines[0]).as_object();
    EXPECT_EQ(v.at("level"), "warn");
    EXPECT_EQ(v.at("component"), "engine");
    EXPECT_EQ(v.at("conversation"), "conv-7");
    EXPECT_EQ(v.at("msg"), "mail \"x\" to [email]");
    EXPECT_TRUE(v.contains("ts"));
}

}  // namespace
