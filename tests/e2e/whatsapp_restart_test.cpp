// WhatsApp across a restart of the real `guichet serve`: the business number a citizen wrote
// to (value.metadata.phone_number_id) is kept in the outbox's database, so an agent's reply
// after the restart leaves from that number (GUICHET_META_PHONE_NUMBER_ID is not set).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "e2e/site_copy.h"
#include "messaging/fake_platform.h"
#include "outbound/webhook.h"
#include "support/http_client.h"

namespace json = boost::json;
using boost::beast::http::verb;
using guichet::test::fake_platform;
using guichet::test::http_client;
using guichet::test::server_process;

namespace {

const char* citizen = "33612345678";

std::string whatsapp_text(const std::string& wamid, const std::string& text) {
    json::object msg{{"from", citizen}, {"id", wamid}, {"timestamp", "1700000000"}, {"type", "text"},
                     {"text", {{"body", text}}}};
    json::object value{{"messaging_product", "whatsapp"},
                       {"metadata", {{"display_phone_number", "33100000000"}, {"phone_number_id", "PNID-MAIRIE"}}},
                       {"messages", json::array{msg}}};
    json::object change{{"field", "messages"}, {"value", value}};
    json::object entry{{"id", "WABA"}, {"changes", json::array{change}}};
    return json::serialize(json::object{{"object", "whatsapp_business_account"}, {"entry", json::array{entry}}});
}

// A copy of the default commune whose front desk is open 24/7 (the handoff queues at once).
struct desk_open_site : guichet::test::site_copy {
    desk_open_site() {
        std::string yaml = read("knowledge/places.yaml");
        auto at = yaml.find("- id: accueil_mairie");
        auto line = yaml.find("opening_hours:", at);
        if (at == std::string::npos || line == std::string::npos) throw std::runtime_error("no desk");
        yaml.replace(line, yaml.find('\n', line) - line, "opening_hours: \"24/7\"");
        write("knowledge/places.yaml", yaml);
    }
    std::unique_ptr<server_process> start_with(const fake_platform& graph) const {
        return start({{"GUICHET_AGENTS_PASSWORD", "staff-pw"},
                      {"GUICHET_META_APP_SECRET", "meta-app-secret"},
                      {"GUICHET_META_VERIFY_TOKEN", "meta-verify"},
                      {"GUICHET_META_ACCESS_TOKEN", "meta-access"},
                      {"GUICHET_META_API_URL", graph.url() + "/v21.0"},
                      {"GUICHET_OUTBOX_POLL_MS", "100"}});
    }
};

}  // namespace

TEST(e2e_whatsapp_restart, an_agent_reply_after_a_restart_leaves_from_the_number_the_citizen_wrote_to) {
    fake_platform graph;
    desk_open_site site;
    {
        auto first = site.start_with(graph);
        ASSERT_TRUE(first->started()) << first->stderr_text();
        http_client c(first->port());
        auto body = whatsapp_text("wamid.r1", "je veux parler à quelqu'un");
        auto r = c.request(verb::post, "/webhooks/meta", body,
                           {{"X-Hub-Signature-256", "sha256=" + guichet::outbound::hmac_sha256_hex("meta-app-secret", body)}});
        ASSERT_EQ(r.status, 200) << r.body;
        auto sent = graph.wait_for(1);
        ASSERT_FALSE(sent.empty());
        EXPECT_EQ(sent[0].target, "/v21.0/PNID-MAIRIE/messages");
        first->stop(SIGTERM);
    }
    auto second = site.start_with(graph);
    ASSERT_TRUE(second->started()) << second->stderr_text();
    http_client c(second->port());
    auto login = c.request(verb::post, "/agents/api/login", R"({"name":"agnes","password":"staff-pw"})");
    ASSERT_EQ(login.status, 200) << login.body;
    auto cookie = login.headers["Set-Cookie"].substr(0, login.headers["Set-Cookie"].find(';'));
    auto q = c.request(verb::get, "/agents/api/queue", "", {{"Cookie", cookie}});
    ASSERT_EQ(q.status, 200) << q.body;
    std::string ticket;
    for (auto& h : json::parse(q.body).at("handoffs").as_array())
        if (h.at("conversation_id") == json::string(citizen)) ticket = h.at("ticket").as_string();
    ASSERT_FALSE(ticket.empty()) << q.body;
    auto before = graph.requests().size();
    auto reply = c.request(verb::post, "/agents/api/handoffs/" + ticket + "/reply",
                           R"({"text":"Bonjour, la salle des fêtes est libre samedi."})", {{"Cookie", cookie}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto sent = graph.wait_for(before + 1);
    ASSERT_EQ(sent.size(), before + 1) << second->stderr_text();
    EXPECT_EQ(sent.back().target, "/v21.0/PNID-MAIRIE/messages");
    EXPECT_NE(sent.back().body.find("la salle des fêtes est libre samedi"), std::string::npos) << sent.back().body;
}
