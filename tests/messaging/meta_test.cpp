// WhatsApp and Messenger through the real server: hub.challenge, X-Hub-Signature-256,
// interactive buttons / lists / quick replies sent to the Graph API fake, duplicates.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "meta_notifications.h"
#include "meta/meta.h"
#include "outbound/webhook.h"
#include "support/sqlite_file.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

std::string wa_text(const std::string& wamid, const std::string& text) {
    return whatsapp(wamid, {{"type", "text"}, {"text", {{"body", text}}}});
}

}  // namespace

TEST(meta, verification_challenge) {
    bench b("meta-verify");
    auto ok = call(b.port, verb::get, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=meta-verify");
    EXPECT_EQ(ok.status, 200u);
    EXPECT_EQ(ok.body, "1158201444");
    logged_warnings log;
    auto bad = call(b.port, verb::get, "/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=nope");
    EXPECT_EQ(bad.status, 403u);
    // An admin whose subscription has the wrong verify token learns why from the log, with
    // the fix, never with the token.
    auto said = log.with("hub.verify_token");
    ASSERT_EQ(said.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said[0].find("refused a call from 127.0.0.1"), std::string::npos) << said[0];
    EXPECT_NE(said[0].find("GUICHET_META_VERIFY_TOKEN"), std::string::npos) << said[0];
    for (auto& l : log.lines()) {
        EXPECT_EQ(l.find("nope"), std::string::npos) << l;
        EXPECT_EQ(l.find("meta-verify"), std::string::npos) << l;
    }
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
    // "Horaires de la mairie" is 21 characters: cut after a whole word (it read "Horaires de la mairi").
    EXPECT_EQ(buttons[0].at("reply").at("title"), "Horaires de la…");
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
    logged_warnings log;
    auto body = wa_text("wamid.5", "horaires de la mairie");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", {}, body).status, 401u);
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body, "other-secret"), body).status, 403u);
    // Each refusal is said in the log with the caller and the fix (a wrong app secret used to
    // leave nothing while every citizen's message was refused), never the secret nor the text.
    auto said_missing = log.with("no X-Hub-Signature-256 header");
    ASSERT_EQ(said_missing.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_missing[0].find("refused a call from 127.0.0.1"), std::string::npos) << said_missing[0];
    auto said_wrong = log.with("wrong X-Hub-Signature-256");
    ASSERT_EQ(said_wrong.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_wrong[0].find("GUICHET_META_APP_SECRET"), std::string::npos) << said_wrong[0];
    // Another wrong signature within the minute: counted, not said again.
    auto tampered = wa_text("wamid.5", "horaires de la mairiE");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), tampered).status, 403u);
    EXPECT_EQ(log.with("wrong X-Hub-Signature-256").size(), 1u);
    for (auto& l : log.lines()) {
        EXPECT_EQ(l.find("meta-app-secret"), std::string::npos) << l;
        EXPECT_EQ(l.find("other-secret"), std::string::npos) << l;
        EXPECT_EQ(l.find("horaires"), std::string::npos) << l;
    }
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

// The history (what the agents' console shows) keeps what the citizen pressed as its title:
// a WhatsApp reply button or list row, a Messenger postback button; the id/payload is understood.
TEST(meta, a_pressed_button_or_list_row_is_kept_in_the_history_as_its_title) {
    bench b("meta-titles");
    auto button = whatsapp("wamid.t1", {{"type", "interactive"},
                                        {"interactive", {{"type", "button_reply"},
                                                         {"button_reply", {{"id", "horaires de la mairie"},
                                                                           {"title", "Horaires"}}}}}});
    auto row = whatsapp("wamid.t2", {{"type", "interactive"},
                                     {"interactive", {{"type", "list_reply"},
                                                      {"list_reply", {{"id", "passeport"},
                                                                      {"title", "Passeport"},
                                                                      {"description", "Première demande"}}}}}});
    json::object ev{{"sender", {{"id", "PSID7"}}}, {"recipient", {{"id", "PAGE"}}}, {"timestamp", 1700000000},
                    {"postback", {{"title", "Nos démarches"}, {"payload", "quelles démarches"}, {"mid", "m_pb7"}}}};
    auto postback = json::serialize(json::object{
        {"object", "page"}, {"entry", json::array{{{"id", "PAGE"}, {"time", 1700000000}, {"messaging", json::array{ev}}}}}});
    for (auto* body : {&button, &row, &postback})
        ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(*body), *body).status, 200u);
    ASSERT_TRUE(eventually([&] {
        return b.citizen_said("whatsapp", "33612345678").size() == 2 && b.citizen_said("messenger", "PSID7").size() == 1;
    }));
    EXPECT_EQ(b.citizen_said("whatsapp", "33612345678"), (std::vector<std::string>{"Horaires", "Passeport"}));
    EXPECT_EQ(b.citizen_said("messenger", "PSID7"), std::vector<std::string>{"Nos démarches"});
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 3u);
    EXPECT_EQ(saw[0].payload, "horaires de la mairie");
    EXPECT_EQ(saw[1].payload, "passeport");
    EXPECT_EQ(saw[2].payload, "quelles démarches");
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

// ---- The 24-hour window: replies pushed later (an agent's, a report's status) ----

namespace {

std::string messenger_text(const std::string& mid, const std::string& text) {
    json::object ev{{"sender", {{"id", "PSID1"}}}, {"recipient", {{"id", "PAGE"}}}, {"timestamp", 1700000000},
                    {"message", {{"mid", mid}, {"text", text}}}};
    json::object entry{{"id", "PAGE"}, {"time", 1700000000}, {"messaging", json::array{ev}}};
    return json::serialize(json::object{{"object", "page"}, {"entry", json::array{entry}}});
}

turn_result pushed(const std::string& text, const std::string& intent) {
    turn_result r;
    r.locale = "fr";
    r.intent = intent;
    r.replies.push_back({text, {}, {}, {}});
    return r;
}

// The citizen `who` asked (the webhook `body`) and was answered; then, unless `hours_ago` is
// 0, their message is made that old (what the outbox keeps of their last message).
void asked(bench& b, const std::string& body, const std::string& channel, const std::string& who, int hours_ago) {
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(body), body).status, 200u);
    ASSERT_EQ(b.meta_api.wait_for(1).size(), 1u);
    if (hours_ago)
        b.messaging->outbox->remember(channel, who, "last_inbound", std::to_string(unix_now() - hours_ago * 3600));
}

// Meta's answers outside the window, as the Graph API sends them.
const char* wa_reengagement =
    R"({"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,)"
    R"("error_data":{"messaging_product":"whatsapp","details":"Message failed to send because more than 24 hours )"
    R"(have passed since the customer last replied to this number."},"fbtrace_id":"A1b2C3"}})";
const char* messenger_outside_window =
    R"({"error":{"message":"(#10) This message is sent outside of allowed window. Learn more about the new policy )"
    R"(here: https://developers.facebook.com/docs/messenger-platform/policy-overview","type":"OAuthException",)"
    R"("code":10,"error_subcode":2018278,"fbtrace_id":"H4vnkB0t7Fk"}})";

}  // namespace

TEST(meta_window, whatsapp_status_after_24_hours_is_the_configured_template) {
    bench b("meta-win-template", 16 * 1024, false, [](config& c) {
        c.set("meta.whatsapp_template", "suivi_signalement");
        c.set("meta.whatsapp_template_language", "fr");
    });
    ASSERT_NO_FATAL_FAILURE(asked(b, wa_text("wamid.w1", "horaires de la mairie"), "whatsapp", "33612345678", 25));
    EXPECT_EQ(b.a->push.push("whatsapp", "33612345678",
                             pushed("Du nouveau sur votre signalement 2026-0042 :\nil est traité.", "report.status")),
              1u);
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].target, "/v21.0/PNID/messages");
    auto v = json::parse(sent[1].body);
    EXPECT_EQ(v.at("type"), "template");
    EXPECT_EQ(v.at("to"), "33612345678");
    EXPECT_EQ(v.at("template").at("name"), "suivi_signalement");
    EXPECT_EQ(v.at("template").at("language").at("code"), "fr");
    auto& param = v.at("template").at("components").at(0).at("parameters").at(0);
    EXPECT_EQ(v.at("template").at("components").at(0).at("type"), "body");
    EXPECT_EQ(param.at("type"), "text");
    // On one line: WhatsApp refuses line breaks in a parameter.
    EXPECT_EQ(param.at("text"), "Du nouveau sur votre signalement 2026-0042 : il est traité.");
}

TEST(meta_window, whatsapp_reply_after_24_hours_without_template_waits_for_the_citizen_next_message) {
    bench b("meta-win-held");
    ASSERT_NO_FATAL_FAILURE(asked(b, wa_text("wamid.w2", "horaires de la mairie"), "whatsapp", "33612345678", 25));
    b.a->push.push("whatsapp", "33612345678", pushed("Un agent vous répond : la salle est libre.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("whatsapp", "33612345678") == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(b.meta_api.requests().size(), 1u);  // not sent: it would be refused (131047)
    EXPECT_EQ(b.messaging->outbox->failed(), 0u);
    // The citizen writes again: the agent's reply leaves first, then the answer.
    auto again = wa_text("wamid.w3", "numéro de téléphone de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(again), again).status, 200u);
    auto sent = b.meta_api.wait_for(3);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_NE(sent[1].body.find("la salle est libre"), std::string::npos) << sent[1].body;
    EXPECT_NE(sent[2].body.find("Testville"), std::string::npos) << sent[2].body;
    EXPECT_EQ(b.messaging->outbox->held("whatsapp", "33612345678"), 0u);
}

TEST(meta_window, messenger_status_after_24_hours_is_tagged_and_an_agent_reply_waits) {
    bench b("meta-win-messenger");
    ASSERT_NO_FATAL_FAILURE(asked(b, messenger_text("m_w1", "horaires de la mairie"), "messenger", "PSID1", 25));
    b.a->push.push("messenger", "PSID1", pushed("Du nouveau sur votre signalement 2026-0042 : il est traité.",
                                                "report.status"));
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    auto v = json::parse(sent[1].body);
    EXPECT_EQ(v.at("messaging_type"), "MESSAGE_TAG");
    EXPECT_EQ(v.at("tag"), "ACCOUNT_UPDATE");
    EXPECT_NE(sent[1].body.find("il est traité"), std::string::npos);
    // An agent's words are no account update: they wait for the citizen's next message.
    b.a->push.push("messenger", "PSID1", pushed("Un agent vous répond.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("messenger", "PSID1") == 1; }));
    // Inside the window it is an ordinary response.
    EXPECT_EQ(json::parse(sent[0].body).at("messaging_type"), "RESPONSE");
}

namespace {

// Time passes for the held replies: their storage time moves `by` into the past, in the
// outbox's own file (as another process opening it would do).
void age_held_replies(bench& b, std::chrono::minutes by) {
    change_sqlite_file(b.dir / "outbox.db", "UPDATE outbox SET created = created - " +
                                                std::to_string(std::chrono::milliseconds(by).count()) +
                                                " WHERE held = 1");
}

}  // namespace

// A call-back confirmation held for weeks then delivered confuses: past
// meta.held_reply_max_age_h the held reply is failed as expired and never sent.
TEST(meta_window, a_held_reply_expires_after_the_configured_age_and_is_never_sent_late) {
    bench b("meta-win-expired", 16 * 1024, false, [](config& c) { c.set("meta.held_reply_max_age_h", "2"); });
    ASSERT_NO_FATAL_FAILURE(asked(b, wa_text("wamid.x1", "horaires de la mairie"), "whatsapp", "33612345678", 25));
    b.a->push.push("whatsapp", "33612345678", pushed("Un agent vous rappellera demain matin.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("whatsapp", "33612345678") == 1; }));
    ASSERT_NO_FATAL_FAILURE(age_held_replies(b, std::chrono::minutes(119)));  // within the 2 hours
    std::this_thread::sleep_for(std::chrono::milliseconds(400));               // several delivery loop turns
    EXPECT_EQ(b.messaging->outbox->held("whatsapp", "33612345678"), 1u);
    EXPECT_EQ(b.messaging->outbox->failed(), 0u);
    ASSERT_NO_FATAL_FAILURE(age_held_replies(b, std::chrono::minutes(2)));  // 2 h 1 min
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->failed() == 1; }));
    EXPECT_EQ(b.messaging->outbox->held("whatsapp", "33612345678"), 0u);
    auto f = b.messaging->outbox->failures().at(0);
    EXPECT_EQ(f.reason.rfind("expired", 0), 0u) << f.reason;
    EXPECT_NE(f.reason.find("2 h"), std::string::npos) << f.reason;
    EXPECT_NE(f.body.find("rappellera demain matin"), std::string::npos) << f.body;
    // The citizen writes again: the answer leaves, the expired reply never does.
    auto again = wa_text("wamid.x2", "numéro de téléphone de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(again), again).status, 200u);
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(sent[1].body.find("Testville"), std::string::npos) << sent[1].body;
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    for (auto& s : b.meta_api.requests()) EXPECT_EQ(s.body.find("rappellera"), std::string::npos) << s.body;
    EXPECT_EQ(b.meta_api.requests().size(), 2u);
}

// Held replies leave oldest first when the citizen writes again; a report's status pushed
// meanwhile waits behind the agent's words held before it instead of overtaking them tagged.
TEST(meta_window, held_replies_leave_oldest_first_and_a_status_does_not_overtake_them) {
    bench b("meta-win-order");
    ASSERT_NO_FATAL_FAILURE(asked(b, messenger_text("m_o1", "horaires de la mairie"), "messenger", "PSID1", 25));
    b.a->push.push("messenger", "PSID1", pushed("Un agent vous répond : la salle est libre.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("messenger", "PSID1") == 1; }));
    b.a->push.push("messenger", "PSID1",
                   pushed("Du nouveau sur votre signalement 2026-0042 : il est traité.", "report.status"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("messenger", "PSID1") == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.meta_api.requests().size(), 1u);
    auto again = messenger_text("m_o2", "numéro de téléphone de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(again), again).status, 200u);
    auto sent = b.meta_api.wait_for(4);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_NE(sent[1].body.find("la salle est libre"), std::string::npos) << sent[1].body;
    EXPECT_NE(sent[2].body.find("il est traité"), std::string::npos) << sent[2].body;
    EXPECT_EQ(json::parse(sent[2].body).at("messaging_type"), "RESPONSE");  // the citizen has just written
    EXPECT_NE(sent[3].body.find("Testville"), std::string::npos) << sent[3].body;
}

TEST(meta_window, refusals_for_the_closed_window_are_failed_with_the_reason_and_not_retried) {
    bench b("meta-win-refused");
    auto wa = wa_text("wamid.w4", "horaires de la mairie");
    auto ms = messenger_text("m_w2", "horaires de la mairie");
    // Meta answers the real error payloads (HTTP 400), whatever the renderer thought of the window.
    b.meta_api.respond_to("/v21.0/PNID/messages", 400, wa_reengagement);
    b.meta_api.respond_to("/v21.0/me/messages", 400, messenger_outside_window);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(wa), wa).status, 200u);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(ms), ms).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->failed() == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(800));  // several retry periods
    EXPECT_EQ(b.meta_api.attempts(), 2u);
    auto failures = b.messaging->outbox->failures();
    ASSERT_EQ(failures.size(), 2u);
    std::string reasons = failures[0].reason + "\n" + failures[1].reason;
    EXPECT_NE(reasons.find("outside the 24-hour window (Graph error 131047: (#131047) Re-engagement message"),
              std::string::npos) << reasons;
    EXPECT_NE(reasons.find("Graph error 10/2018278"), std::string::npos) << reasons;
}

TEST(meta_window, a_failed_status_131047_closes_the_window_unless_the_citizen_wrote_since) {
    bench b("meta-win-status");
    // Our record says the window is open (they wrote an hour ago)...
    ASSERT_NO_FATAL_FAILURE(asked(b, wa_text("wamid.w5", "horaires de la mairie"), "whatsapp", "33612345678", 1));
    // ...but WhatsApp accepted a message and reports, in a status, that it failed: 131047.
    auto failed = [](long long at) {
        json::object status{{"id", "wamid.out1"}, {"status", "failed"}, {"timestamp", std::to_string(at)},
                            {"recipient_id", "33612345678"},
                            {"errors", json::array{{{"code", 131047}, {"title", "Re-engagement message"},
                                                    {"message", "Re-engagement message"},
                                                    {"error_data", {{"details", "more than 24 hours"}}}}}}};
        return whatsapp_notification({{"statuses", json::array{status}}});
    };
    auto note = failed(unix_now() - 60);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(note), note).status, 200u);
    b.a->push.push("whatsapp", "33612345678", pushed("Un agent vous répond.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("whatsapp", "33612345678") == 1; }));
    EXPECT_EQ(b.meta_api.requests().size(), 1u);
    // The citizen writes: the held reply and the answer leave. A failure reported late about
    // a message sent before that does not close the window again.
    auto again = wa_text("wamid.w6", "numéro de téléphone de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(again), again).status, 200u);
    ASSERT_EQ(b.meta_api.wait_for(3).size(), 3u);
    note = failed(unix_now() - 10);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(note), note).status, 200u);
    b.a->push.push("whatsapp", "33612345678", pushed("Un agent vous répond encore.", "handoff.agent"));
    auto sent = b.meta_api.wait_for(4);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_NE(sent[3].body.find("Un agent vous répond encore."), std::string::npos) << sent[3].body;
    EXPECT_EQ(b.messaging->outbox->held("whatsapp", "33612345678"), 0u);
}

TEST(meta_window, a_citizen_whose_last_message_time_is_unknown_is_answered_until_meta_says_the_window_is_closed) {
    // Citizens who wrote before their last message time was recorded: nothing is known.
    bench b("meta-win-unknown", 16 * 1024, false, [](config& c) { c.set("meta.phone_number_id", "PNID"); });
    b.a->push.push("whatsapp", "33699999999", pushed("Un agent vous répond : la salle est libre.", "handoff.agent"));
    b.a->push.push("messenger", "PSID9", pushed("Un agent vous répond : la salle est libre.", "handoff.agent"));
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);  // tried as usual, not held for a message that may never come
    EXPECT_EQ(b.messaging->outbox->held("whatsapp", "33699999999"), 0u);
    EXPECT_EQ(b.messaging->outbox->held("messenger", "PSID9"), 0u);
    // Meta says this WhatsApp citizen's window is closed: that reply fails with the reason...
    b.meta_api.respond_to("/v21.0/PNID/messages", 400, wa_reengagement);
    b.a->push.push("whatsapp", "33699999999", pushed("Un agent vous répond encore.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->failed() == 1; }));
    EXPECT_NE(b.messaging->outbox->failures().at(0).reason.find("131047"), std::string::npos);
    // ...and the next one waits for the citizen's next message instead of being refused too.
    auto attempts = b.meta_api.attempts();
    b.a->push.push("whatsapp", "33699999999", pushed("Un agent vous répond enfin.", "handoff.agent"));
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->held("whatsapp", "33699999999") == 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.meta_api.attempts(), attempts);
    EXPECT_EQ(b.messaging->outbox->failed(), 1u);
}

TEST(meta, messenger_place_is_one_card_with_a_map_button_not_three_texts) {
    turn_result r;
    r.locale = "fr";
    reply place{"Piscine des Vauroux — à 650 m, ouverte en ce moment. Adresse : 2 rue des Bains.",
                {{"Horaires", "horaires piscine"}},
                {{"Piscine des Vauroux", "2 rue des Bains, 28000 Testville", "https://www.openstreetmap.org/?mlat=47.90000"}},
                {{"Piscine des Vauroux", 47.9, 1.9}}};
    r.replies.push_back(place);
    r.replies.push_back({"", {}, {}, {{"Mairie", 47.91, 1.91}}});  // a pin alone is a card too
    // A card with its own page and a pin: both buttons, the map is not lost.
    r.replies.push_back({"", {}, {{"Médiathèque", "", "https://www.testville.fr/mediatheque"}},
                         {{"Médiathèque", 47.92, 1.92}}});
    auto out = meta::render_messenger("PSID1", r);
    ASSERT_EQ(out.size(), 4u);
    auto text = json::parse(out[0].body).at("message").as_object();
    EXPECT_EQ(text.at("text").as_string(), place.text);  // the answer, without the card's or the pin's text copy
    EXPECT_FALSE(text.contains("quick_replies"));
    auto card = json::parse(out[1].body).at("message").as_object();
    auto& payload = card.at("attachment").at("payload");
    EXPECT_EQ(payload.at("template_type"), "generic");
    ASSERT_EQ(payload.at("elements").as_array().size(), 1u);  // the pin is this card's map button
    auto& e = payload.at("elements").at(0);
    EXPECT_EQ(e.at("title"), "Piscine des Vauroux");
    EXPECT_EQ(e.at("subtitle"), "2 rue des Bains, 28000 Testville");
    EXPECT_EQ(e.at("buttons").at(0).at("url"), "https://www.openstreetmap.org/?mlat=47.90000");
    EXPECT_EQ(e.at("buttons").at(0).at("title"), "Voir sur la carte");
    EXPECT_EQ(card.at("quick_replies").at(0).at("payload"), "horaires piscine");  // on the last message
    auto alone = json::parse(out[2].body).at("message").at("attachment").at("payload").at("elements").at(0);
    EXPECT_EQ(alone.at("title"), "Mairie");
    EXPECT_NE(alone.at("buttons").at(0).at("url").as_string().find("openstreetmap.org/?mlat=47.910000"),
              std::string::npos);
    auto both = json::parse(out[3].body).at("message").at("attachment").at("payload").at("elements").at(0);
    ASSERT_EQ(both.at("buttons").as_array().size(), 2u) << out[3].body;
    EXPECT_EQ(both.at("buttons").at(0).at("url"), "https://www.testville.fr/mediatheque");
    EXPECT_EQ(both.at("buttons").at(0).at("title"), "Ouvrir la page");
    EXPECT_NE(both.at("buttons").at(1).at("url").as_string().find("openstreetmap.org/?mlat=47.920000"),
              std::string::npos);
    EXPECT_EQ(both.at("buttons").at(1).at("title"), "Voir sur la carte");
}
