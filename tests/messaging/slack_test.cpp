// Slack through the real server: v0 signatures and the 5-minute window, url_verification,
// quick ack then chat.postMessage with Block Kit buttons, retries by event_id, bot messages.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "harness.h"
#include "outbound/webhook.h"
#include "slack/slack.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

std::string event(const std::string& id, const std::string& text, bool bot = false) {
    json::object ev{{"type", "message"}, {"channel", "D123"}, {"channel_type", "im"}, {"user", "U42"}, {"text", text},
                    {"ts", "1700000000.0001"}};
    if (bot) ev["bot_id"] = "B99";
    return slack_event(id, std::move(ev));
}

}  // namespace

TEST(slack, url_verification_echoes_the_challenge) {
    bench b("slack-verify");
    std::string body = R"({"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"})";
    auto r = call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body);
    ASSERT_EQ(r.status, 200u);
    EXPECT_EQ(json::parse(r.body).at("challenge"), "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST(slack, question_is_acknowledged_then_posted_with_block_kit_buttons) {
    bench b("slack-answer");
    auto body = event("Ev1", "numéro de téléphone de la mairie");
    auto start = std::chrono::steady_clock::now();
    auto r = call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    ASSERT_EQ(r.status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/api/chat.postMessage");
    EXPECT_EQ(sent[0].authorization, "Bearer xoxb-test");
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("channel"), "D123");
    auto& blocks = v.at("blocks").as_array();
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[1].at("type"), "actions");
    EXPECT_EQ(blocks[1].at("elements").at(0).at("type"), "button");
    EXPECT_EQ(blocks[1].at("elements").at(0).at("value"), "horaires de la mairie");
}

TEST(slack, button_press_arrives_as_interactivity_payload) {
    bench b("slack-action");
    json::object p{{"type", "block_actions"},
                   {"user", {{"id", "U42"}}},
                   {"channel", {{"id", "C123"}}},
                   {"actions", json::array{{{"action_id", "guichet_0_0"}, {"value", "horaires de la mairie"},
                                            {"action_ts", "1700000001.1"}, {"type", "button"}}}}};
    std::string form = "payload=" + boost::urls::encode(json::serialize(p), boost::urls::unreserved_chars);
    auto r = call(b.port, verb::post, "/webhooks/slack", slack_signed(form), form, "application/x-www-form-urlencoded");
    ASSERT_EQ(r.status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(sent[0].body.find("8h30"), std::string::npos) << sent[0].body;
    EXPECT_EQ(b.engine_saw().at(0).payload, "horaires de la mairie");
}

// The history (what the agents' console shows) keeps the pressed button's label, not its value.
TEST(slack, a_pressed_button_is_kept_in_the_history_as_its_title) {
    bench b("slack-title");
    json::object p{{"type", "block_actions"},
                   {"user", {{"id", "U42"}}},
                   {"channel", {{"id", "D123"}}},
                   {"actions", json::array{{{"action_id", "guichet_0_0"}, {"block_id", "b1"},
                                            {"text", {{"type", "plain_text"}, {"text", "Horaires d'ouverture"}, {"emoji", true}}},
                                            {"value", "horaires de la mairie"},
                                            {"action_ts", "1700000001.1"}, {"type", "button"}}}}};
    std::string form = "payload=" + boost::urls::encode(json::serialize(p), boost::urls::unreserved_chars);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(form), form, "application/x-www-form-urlencoded")
                  .status,
              200u);
    ASSERT_TRUE(eventually([&] { return !b.citizen_said("slack", "D123").empty(); }));
    EXPECT_EQ(b.citizen_said("slack", "D123"), std::vector<std::string>{"Horaires d'ouverture"});
    EXPECT_EQ(b.engine_saw().at(0).payload, "horaires de la mairie");
}

TEST(slack, retries_of_one_event_and_bot_messages_are_not_answered_again) {
    bench b("slack-dup");
    auto body = event("Ev2", "horaires de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    auto retry = slack_signed(body);
    retry["X-Slack-Retry-Num"] = "1";
    retry["X-Slack-Retry-Reason"] = "http_timeout";
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", retry, body).status, 200u);
    auto bot = event("Ev3", "horaires de la mairie", true);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(bot), bot).status, 200u);
    b.slack_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.slack_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(slack, bad_signature_or_old_timestamp_is_refused_and_nothing_processed) {
    bench b("slack-auth");
    logged_warnings log;
    auto body = event("Ev4", "horaires de la mairie");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/slack", {}, body).status, 401u);
    // A wrong secret and a clock out of time are told apart, to the caller and in the log.
    auto wrong = call(b.port, verb::post, "/webhooks/slack", slack_signed(body, unix_now(), "wrong"), body);
    EXPECT_EQ(wrong.status, 401u);
    EXPECT_NE(wrong.body.find("wrong Slack signature"), std::string::npos) << wrong.body;
    auto old = call(b.port, verb::post, "/webhooks/slack", slack_signed(body, unix_now() - 400), body);
    EXPECT_EQ(old.status, 401u);
    EXPECT_NE(old.body.find("expired Slack signature"), std::string::npos) << old.body;
    EXPECT_NE(old.body.find("clock"), std::string::npos) << old.body;
    EXPECT_EQ(log.with("no X-Slack-Signature").size(), 1u) << ::testing::PrintToString(log.lines());
    auto said_wrong = log.with("wrong X-Slack-Signature");
    ASSERT_EQ(said_wrong.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_wrong[0].find("GUICHET_SLACK_SIGNING_SECRET"), std::string::npos) << said_wrong[0];
    auto said_old = log.with("expired Slack signature");
    ASSERT_EQ(said_old.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_old[0].find("clock (NTP)"), std::string::npos) << said_old[0];
    for (auto& l : log.lines()) {
        EXPECT_EQ(l.find("slack-signing"), std::string::npos) << l;
        EXPECT_EQ(l.find("horaires"), std::string::npos) << l;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(b.engine_saw().empty());
    EXPECT_TRUE(b.slack_api.requests().empty());
}

TEST(slack, a_mention_in_a_channel_is_answered_once) {
    bench b("slack-mention");
    json::object ev{{"channel", "C123"}, {"user", "U42"}, {"text", "<@UBOT> horaires de la mairie"},
                    {"ts", "1700000000.0002"}, {"channel_type", "channel"}};
    auto message = ev, mention = ev;
    message["type"] = "message";
    mention["type"] = "app_mention";
    auto b1 = slack_event("EvM1", message), b2 = slack_event("EvM2", mention);  // two event_ids
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(b1), b1).status, 200u);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(b2), b2).status, 200u);
    b.slack_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(b.slack_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(slack, incoming_text_is_decoded_and_outgoing_text_escaped) {
    bench b("slack-escape");
    json::object ev{{"type", "message"}, {"channel", "D123"}, {"channel_type", "im"}, {"user", "U42"},
                    {"text", "<!channel> <@U0BOT> horaires &amp; tarifs &lt;piscine&gt; <https://ville.fr/p|la page> "
                             "<https://ville.fr>"},
                    {"ts", "1700000000.0003"}};
    auto body = slack_event("EvE1", ev);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "horaires & tarifs <piscine> la page https://ville.fr");
    turn_result r;
    r.replies.push_back({"Tarifs & horaires <piscine> > 3 ans", {}, {{"Piscine", "A & B", "https://ville.fr/p"}}, {}});
    auto out = slack::render("C1", r);
    ASSERT_EQ(out.size(), 1u);
    auto text = std::string(json::parse(out[0].body).at("text").as_string());
    EXPECT_EQ(text.find("Tarifs &amp; horaires &lt;piscine&gt; &gt; 3 ans"), 0u) << text;
    EXPECT_NE(text.find("A &amp; B"), std::string::npos) << text;
    EXPECT_NE(text.find("<https://ville.fr/p>"), std::string::npos) << text;  // a link stays a link
}

// Slack writes emojis as short names: ":+1:" was read as the number 1 (a house number, a
// button pressed). The ones the engine reads become emojis, the others go; a time stays.
TEST(slack, emoji_short_names_are_emojis_or_nothing_never_numbers) {
    EXPECT_EQ(slack::plain_text(":+1:"), "👍");
    EXPECT_EQ(slack::plain_text("merci :pray::skin-tone-3: :tada:"), "merci 🙏");
    EXPECT_EQ(slack::plain_text("rdv à 10:30:00 au 3 rue Pasteur :smile:"), "rdv à 10:30:00 au 3 rue Pasteur 🙂");
    EXPECT_EQ(slack::plain_text("note:important: rien"), "note:important: rien");  // not after a space
    bench b("slack-emoji");
    auto body = event("EvJ1", ":+1:");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "👍");
}

TEST(slack, a_question_asked_in_a_thread_is_answered_in_that_thread) {
    bench b("slack-thread");
    json::object ev{{"type", "message"}, {"channel", "D123"}, {"channel_type", "im"}, {"user", "U42"},
                    {"text", "horaires de la mairie"}, {"ts", "1700000000.0009"}, {"thread_ts", "1700000000.0001"}};
    auto body = slack_event("EvT1", ev);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("channel"), "D123");
    ASSERT_TRUE(v.as_object().contains("thread_ts")) << sent[0].body;
    EXPECT_EQ(v.at("thread_ts"), "1700000000.0001");
}

// "Also send to #channel" ticked: the message has subtype thread_broadcast, and is still the
// citizen's question in the thread (it was dropped as an edit or a join would be).
TEST(slack, a_thread_message_also_sent_to_the_channel_is_answered_in_the_thread) {
    bench b("slack-broadcast");
    json::object ev{{"type", "message"}, {"subtype", "thread_broadcast"}, {"channel", "D123"}, {"channel_type", "im"},
                    {"user", "U42"}, {"text", "horaires de la mairie"}, {"ts", "1700000000.0010"},
                    {"thread_ts", "1700000000.0001"}};
    auto body = slack_event("EvB1", ev);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(json::parse(sent[0].body).at("thread_ts"), "1700000000.0001");
    ASSERT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
}

// Slack is acknowledged before the turn (it wants an answer within 3 s) and will not send the
// event again: a turn the engine could not take is said to the citizen, who sends it again,
// instead of silence.
TEST(slack, a_message_the_engine_could_not_take_after_the_acknowledgement_is_said_to_the_citizen) {
    bench b("slack-refused");
    b.fails_on = "horaires de la mairie";
    auto body = event("EvR1", "horaires de la mairie");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto text = std::string(json::parse(sent[0].body).at("text").as_string());
    EXPECT_NE(text.find("Votre message n'a pas pu être traité"), std::string::npos) << text;
    EXPECT_NE(text.find("Your message could not be handled"), std::string::npos) << text;  // language unknown
}
