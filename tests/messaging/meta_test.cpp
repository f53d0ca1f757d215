// WhatsApp and Messenger through the real server: hub.challenge, X-Hub-Signature-256,
// interactive buttons / lists / quick replies sent to the Graph API fake, duplicates.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "outbound/webhook.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

std::string whatsapp(const std::string& wamid, json::object msg) {
    msg["from"] = "33612345678";
    msg["id"] = wamid;
    msg["timestamp"] = "1700000000";
    json::object v{{"object", "whatsapp_business_account"},
                   {"entry", json::array{{{"id", "WABA"},
                                          {"changes", json::array{{{"field", "messages"},
                                                                   {"value", {{"messaging_product", "whatsapp"},
                                                                              {"metadata", {{"display_phone_number", "33100000000"},
                                                                                            {"phone_number_id", "PNID"}}},
                                                                              {"messages", json::array{msg}}}}}}}}}}};
    return json::serialize(v);
}

std::string wa_text(const std::string& wamid, const std::string& text) {
    return whatsapp(wamid, {{"type", "text"}, {"text", {{"body", text}}}});
}

}  // namespace

TEST(meta, verification_challenge) {
    bench b("meta-verify");
    auto ok = call(b.port, verb::get, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meta-verify");
    EXPECT_EQ(ok.status, 200u);
    EXPECT_EQ(ok.body, "1158201444");
    auto bad = call(b.port, verb::get, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope");
    EXPECT_EQ(bad.status, 403u);
}

TEST(meta, whatsapp_question_gets_reply_buttons) {
    bench b("meta-wa-buttons");
    auto body = wa_text("wamid.1", "numéro de téléphone de la mairie");
    auto r = call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto sent = b.meta_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/v21.0/PNID/messages");
    EXPECT_EQ(sent[0].authorization, "Bearer meta-access");
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("messaging_product"), "whatsapp");
    EXPECT_EQ(v.at("to"), "33612345678");
    EXPECT_EQ(v.at("type"), "interactive");
    EXPECT_EQ(v.at("interactive").at("type"), "button");
    auto& buttons = v.at("interactive").at("action").at("buttons").as_array();
    ASSERT_EQ(buttons.size(), 2u);
    EXPECT_EQ(buttons[0].at("reply").at("id"), "horaires de la mairie");
    EXPECT_LE(buttons[0].at("reply").at("title").as_string().size(), 22u);  // 20 characters
}

TEST(meta, whatsapp_more_than_three_choices_become_a_list_and_a_press_reaches_the_engine) {
    bench b("meta-wa-list");
    auto body = wa_text("wamid.2", "quelles démarches");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    auto sent = b.meta_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("interactive").at("type"), "list");
    EXPECT_EQ(v.at("interactive").at("action").at("sections").at(0).at("rows").as_array().size(), 4u);
    auto press = whatsapp("wamid.3", {{"type", "interactive"},
                                      {"interactive", {{"type", "list_reply"},
                                                       {"list_reply", {{"id", "passeport"}, {"title", "Passeport"}}}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(press), press).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 2; }));
    EXPECT_EQ(b.engine_saw()[1].payload, "passeport");
}

TEST(meta, whatsapp_location_reaches_the_engine) {
    bench b("meta-wa-location");
    auto body = whatsapp("wamid.4", {{"type", "location"},
                                     {"location", {{"latitude", 47.9}, {"longitude", 1.9}, {"name", "Ici"}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 1u);
    ASSERT_TRUE(saw[0].location);
    EXPECT_DOUBLE_EQ(saw[0].location->lat, 47.9);
    EXPECT_EQ(saw[0].channel, "whatsapp");
}

TEST(meta, messenger_question_gets_quick_replies) {
    bench b("meta-messenger");
    json::object v{{"object", "page"},
                   {"entry", json::array{{{"id", "PAGE"},
                                          {"time", 1700000000},
                                          {"messaging", json::array{{{"sender", {{"id", "PSID1"}}},
                                                                     {"recipient", {{"id", "PAGE"}}},
                                                                     {"timestamp", 1700000000},
                                                                     {"message", {{"mid", "m_1"}, {"text", "numéro de téléphone de la mairie"}}}}}}}}}};
    auto body = json::serialize(v);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    auto sent = b.meta_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/v21.0/me/messages");
    auto m = json::parse(sent[0].body);
    EXPECT_EQ(m.at("recipient").at("id"), "PSID1");
    auto& q = m.at("message").at("quick_replies").as_array();
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[1].at("payload"), "quelles démarches");
    EXPECT_EQ(q[1].at("content_type"), "text");
}

TEST(meta, wrong_or_missing_signature_is_refused_and_nothing_processed) {
    bench b("meta-auth");
    auto body = wa_text("wamid.5", "horaires de la mairie");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", {}, body).status, 401u);
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body, "other-secret"), body).status, 403u);
    auto tampered = wa_text("wamid.5", "horaires de la mairiE");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), tampered).status, 403u);
    EXPECT_TRUE(b.engine_saw().empty());
    EXPECT_EQ(b.messaging->outbox->pending(), 0u);
}

TEST(meta, a_redelivered_notification_is_answered_once) {
    bench b("meta-dup");
    auto body = wa_text("wamid.6", "horaires de la mairie");
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    b.meta_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.meta_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(meta, whatsapp_pushed_replies_leave_from_the_number_the_citizen_wrote_to) {
    bench b("meta-wa-push");  // GUICHET_META_PHONE_NUMBER_ID is not set
    auto body = wa_text("wamid.p1", "horaires de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    b.meta_api.wait_for(1);
    turn_result r;
    r.replies.push_back({"Un agent vous répond : la salle est réservée.", {}, {}, {}});
    EXPECT_EQ(b.a->push.push("whatsapp", "33612345678", r), 1u);
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].target, "/v21.0/PNID/messages");
    EXPECT_NE(sent[1].body.find("la salle est réservée"), std::string::npos) << sent[1].body;
}

TEST(meta, messenger_get_started_button_is_a_greeting) {
    bench b("meta-start");
    json::object v{{"object", "page"},
                   {"entry", json::array{{{"id", "PAGE"},
                                          {"time", 1700000000},
                                          {"messaging", json::array{{{"sender", {{"id", "PSID1"}}},
                                                                     {"recipient", {{"id", "PAGE"}}},
                                                                     {"timestamp", 1700000000},
                                                                     {"postback", {{"title", "Démarrer"}, {"payload", "GET_STARTED"}, {"mid", "m_pb1"}}}}}}}}}};
    auto body = json::serialize(v);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 1u);
    EXPECT_EQ(saw[0].text, "bonjour");
    EXPECT_EQ(saw[0].payload, "");
}
