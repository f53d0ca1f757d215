// WhatsApp across a restart of the real `guichet serve`: the business number a citizen wrote
// to (value.metadata.phone_number_id) is kept in the outbox's database, so an agent's reply
// after the restart leaves from that number (GUICHET_META_PHONE_NUMBER_ID is not set).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "e2e/desk.h"
#include "messaging/fake_platform.h"
#include "messaging/meta_notifications.h"
#include "outbound/webhook.h"
#include "support/http_client.h"

namespace json = boost::json;
using boost::beast::http::verb;
using guichet::test::agent_cookie;
using guichet::test::desk_site;
using guichet::test::fake_platform;
using guichet::test::http_client;
using guichet::test::queued;
using guichet::test::server_process;

namespace {

const char* citizen = "33612345678";  // meta_notifications.h's

// The fake Graph API as the server's WhatsApp; no GUICHET_META_PHONE_NUMBER_ID.
std::map<std::string, std::string> meta_env(const fake_platform& graph) {
    return {{"GUICHET_META_APP_SECRET", "meta-app-secret"},
            {"GUICHET_META_VERIFY_TOKEN", "meta-verify"},
            {"GUICHET_META_ACCESS_TOKEN", "meta-access"},
            {"GUICHET_META_API_URL", graph.url() + "/v21.0"}};
}

}  // namespace

TEST(e2e_whatsapp_restart, an_agent_reply_after_a_restart_leaves_from_the_number_the_citizen_wrote_to) {
    fake_platform graph;
    desk_site site("24/7");  // on duty: the handoff queues at once
    {
        auto first = site.start_with(meta_env(graph));
        ASSERT_TRUE(first->started()) << first->stderr_text();
        http_client c(first->port());
        agent_cookie(c);  // an agent signed in: the citizen joins the queue
        auto body = guichet::test::whatsapp("wamid.r1", {{"type", "text"}, {"text", {{"body", "je veux parler à quelqu'un"}}}},
                                             "PNID-MAIRIE");
        auto r = c.request(verb::post, "/webhooks/meta", body,
                           {{"X-Hub-Signature-256", "sha256=" + guichet::outbound::hmac_sha256_hex("meta-app-secret", body)}});
        ASSERT_EQ(r.status, 200) << r.body;
        auto sent = graph.wait_for(1);
        ASSERT_FALSE(sent.empty());
        EXPECT_EQ(sent[0].target, "/v21.0/PNID-MAIRIE/messages");
        first->stop(SIGTERM);
    }
    auto second = site.start_with(meta_env(graph));
    ASSERT_TRUE(second->started()) << second->stderr_text();
    http_client c(second->port());
    auto cookie = agent_cookie(c);
    auto handoff = queued(c, cookie, citizen);
    ASSERT_TRUE(handoff.is_object());
    std::string ticket(handoff.at("ticket").as_string());
    auto before = graph.requests().size();
    auto reply = c.request(verb::post, "/agents/api/handoffs/" + ticket + "/reply",
                           R"({"text":"Bonjour, la salle des fêtes est libre samedi."})", {{"Cookie", cookie}});
    ASSERT_EQ(reply.status, 200) << reply.body;
    auto sent = graph.wait_for(before + 1);
    ASSERT_EQ(sent.size(), before + 1) << second->stderr_text();
    EXPECT_EQ(sent.back().target, "/v21.0/PNID-MAIRIE/messages");
    EXPECT_NE(sent.back().body.find("la salle des fêtes est libre samedi"), std::string::npos) << sent.back().body;
}
