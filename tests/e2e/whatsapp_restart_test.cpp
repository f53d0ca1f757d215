// WhatsApp through the real `guichet serve`: the business number a citizen wrote to
// (value.metadata.phone_number_id) is kept in the outbox's database, so an agent's reply after
// a restart leaves from that number (GUICHET_META_PHONE_NUMBER_ID is not set); an agent's reply
// held past the 24-hour window expires (metrics, log) instead of arriving days late; the agents'
// console shows a pressed button as its title.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <sstream>
#include <thread>

#include "e2e/desk.h"
#include "messaging/fake_platform.h"
#include "messaging/meta_notifications.h"
#include "outbound/webhook.h"
#include "support/http_client.h"
#include "support/sqlite_file.h"

namespace json = boost::json;
using boost::beast::http::verb;
using guichet::test::agent_cookie;
using guichet::test::desk_site;
using guichet::test::fake_platform;
using guichet::test::gauge;
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

// The citizen's WhatsApp message `fields`, signed as Meta signs it.
guichet::test::http_reply citizen_sends(http_client& c, const std::string& wamid, json::object fields) {
    auto body = guichet::test::whatsapp(wamid, std::move(fields), "PNID-MAIRIE");
    return c.request(verb::post, "/webhooks/meta", body,
                     {{"X-Hub-Signature-256", "sha256=" + guichet::outbound::hmac_sha256_hex("meta-app-secret", body)}});
}

// The citizen asks for a person; their request as the agents' queue lists it, once it does
// (null when it never does).
json::value asks_for_a_person(http_client& c, const std::string& cookie, const std::string& wamid) {
    json::value handoff;
    if (citizen_sends(c, wamid, {{"type", "text"}, {"text", {{"body", "je veux parler à quelqu'un"}}}}).status != 200)
        return handoff;
    guichet::test::eventually([&] { return (handoff = queued(c, cookie, citizen)).is_object(); });
    return handoff;
}

}  // namespace

// An agent answers a citizen who wrote more than 24 hours ago (no template configured): the
// reply is held; with the default meta.held_reply_max_age_h (72) it is failed as expired after
// 3 days — counted in /metrics, said in the log — and never sent when the citizen writes again.
TEST(e2e_whatsapp, an_agent_reply_held_for_more_than_three_days_expires_and_is_never_sent) {
    fake_platform graph;
    desk_site site("24/7");
    auto outbox_db = site.dir / "var/outbox.db";
    auto env = meta_env(graph);
    env["GUICHET_OUTBOX_PATH"] = outbox_db.string();
    auto server = site.start_with(env);
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    auto cookie = agent_cookie(c);
    ASSERT_EQ(citizen_sends(c, "wamid.e1", {{"type", "text"}, {"text", {{"body", "je veux parler à quelqu'un"}}}}).status,
              200);
    ASSERT_FALSE(graph.wait_for(1).empty());
    auto handoff = queued(c, cookie, citizen);
    ASSERT_TRUE(handoff.is_object());
    // 25 hours pass: the citizen's window is closed.
    ASSERT_NO_FATAL_FAILURE(guichet::test::change_sqlite_file(outbox_db, "UPDATE facts SET value = CAST(value AS INTEGER) - 90000"
                                                  " WHERE name = 'last_inbound'"));
    ASSERT_EQ(c.request(verb::post, "/agents/api/handoffs/" + std::string(handoff.at("ticket").as_string()) + "/reply",
                        R"({"text":"Je vous rappelle demain à 10 h."})", {{"Cookie", cookie}})
                  .status,
              200);
    ASSERT_TRUE(guichet::test::eventually(
        [&] { return server->stderr_text().find("held until the citizen writes again") != std::string::npos; }))
        << server->stderr_text();
    EXPECT_EQ(gauge(c, "guichet_outbox_failed"), 0);
    // Three days and an hour pass.
    ASSERT_NO_FATAL_FAILURE(guichet::test::change_sqlite_file(outbox_db, "UPDATE outbox SET created = created - 262800000 WHERE held = 1"));
    EXPECT_TRUE(guichet::test::eventually([&] { return gauge(c, "guichet_outbox_failed") == 1; }));
    auto log = server->stderr_text();
    EXPECT_NE(log.find("kept as failed: expired: held 72 h"), std::string::npos) << log;
    // The citizen writes again (to the agent, who still holds the conversation): the agent's
    // old words are not delivered late.
    ASSERT_EQ(citizen_sends(c, "wamid.e2", {{"type", "text"}, {"text", {{"body", "merci"}}}}).status, 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // ten delivery loop turns
    for (auto& s : graph.requests()) EXPECT_EQ(s.body.find("Je vous rappelle demain"), std::string::npos) << s.body;
    EXPECT_EQ(gauge(c, "guichet_outbox_failed"), 1);
}

// The agents' console shows what the citizen pressed as the button's title, not its id.
TEST(e2e_whatsapp, the_agents_console_shows_a_pressed_button_as_its_title) {
    fake_platform graph;
    desk_site site("24/7");
    auto server = site.start_with(meta_env(graph));
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    auto cookie = agent_cookie(c);
    ASSERT_EQ(citizen_sends(c, "wamid.b1",
                            {{"type", "interactive"},
                             {"interactive", {{"type", "button_reply"},
                                              {"button_reply", {{"id", "horaires de la mairie"},
                                                                {"title", "Horaires d'ouverture"}}}}}})
                  .status,
              200);
    auto handoff = asks_for_a_person(c, cookie, "wamid.b2");
    ASSERT_TRUE(handoff.is_object());
    auto view = c.request(verb::get, "/agents/api/handoffs/" + std::string(handoff.at("ticket").as_string()), "",
                          {{"Cookie", cookie}});
    ASSERT_EQ(view.status, 200) << view.body;
    std::vector<std::string> said;
    auto v = json::parse(view.body);
    for (auto& m : v.at("transcript").as_array())
        if (m.at("direction") == "in") said.push_back(std::string(m.at("text").as_string()));
    EXPECT_EQ(said, (std::vector<std::string>{"Horaires d'ouverture", "je veux parler à quelqu'un"})) << view.body;
}

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

// An agent's reply that WhatsApp refuses for good (the number cannot receive it) never reaches
// the citizen: the console used to say "Réponse envoyée." and nothing else. The conversation's
// view now lists it as undelivered, with when and the platform's reason.
TEST(e2e_whatsapp, an_agent_reply_the_platform_refuses_is_shown_undelivered_in_the_console) {
    fake_platform graph;
    desk_site site("24/7");
    auto server = site.start_with(meta_env(graph));
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    auto cookie = agent_cookie(c);
    auto handoff = asks_for_a_person(c, cookie, "wamid.u1");
    ASSERT_TRUE(handoff.is_object());
    ASSERT_FALSE(graph.wait_for(1).empty());
    const std::string view_path = "/agents/api/handoffs/" + std::string(handoff.at("ticket").as_string());
    auto undelivered = [&] {
        auto view = c.request(verb::get, view_path, "", {{"Cookie", cookie}});
        EXPECT_EQ(view.status, 200) << view.body;
        return json::parse(view.body).at("undelivered").as_array();
    };
    EXPECT_TRUE(undelivered().empty());  // the bot's own answer was delivered
    graph.respond(400, R"({"error":{"message":"(#131026) Message Undeliverable.","type":"OAuthException","code":131026}})");
    ASSERT_EQ(c.request(verb::post, view_path + "/reply", R"({"text":"Bonjour, je regarde votre dossier."})",
                        {{"Cookie", cookie}})
                  .status,
              200);
    json::array list;
    ASSERT_TRUE(guichet::test::eventually([&] { return !(list = undelivered()).empty(); }));
    ASSERT_EQ(list.size(), 1u);
    // The platform's words, not its JSON.
    EXPECT_EQ(list[0].at("reason"), "HTTP 400: (#131026) Message Undeliverable.") << json::serialize(list);
    EXPECT_FALSE(list[0].at("at").as_string().empty());
}
