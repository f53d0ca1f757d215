// Group chats: in a Telegram group and a Slack channel the bot answers only what is addressed
// to it (a command, an @mention, a reply to it), each member in their own conversation, the
// reply posted in the group.
#include <gtest/gtest.h>

#include <set>

#include <boost/json.hpp>

#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "harness.h"
#include "outbound/webhook.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

const std::map<std::string, std::string> tg_secret{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};

std::string group_update(long id, long user, const std::string& text, json::array entities = {},
                         json::object extra = {}) {
    json::object m{{"message_id", id},
                   {"date", 1700000000},
                   {"from", {{"id", user}, {"is_bot", false}, {"first_name", "Membre"}, {"language_code", "fr"}}},
                   {"chat", {{"id", -1001234}, {"type", "supergroup"}, {"title", "Quartier des Halles"}}},
                   {"text", text}};
    if (!entities.empty()) m["entities"] = std::move(entities);
    for (auto& [k, v] : extra) m[k] = v;
    return json::serialize(json::object{{"update_id", id}, {"message", m}});
}

json::object entity(const char* type, int offset, int length) {
    return {{"type", type}, {"offset", offset}, {"length", length}};
}

}  // namespace

TEST(telegram, in_a_group_only_messages_to_the_bot_are_answered_each_member_in_their_own_conversation) {
    bench b("tg-group");
    b.telegram_api.respond_to("/bot123:ABC/getMe", 200,
                              R"({"ok":true,"result":{"id":123,"is_bot":true,"first_name":"Guichet","username":"Guichet_bot"}})");
    auto post = [&](const std::string& body) { return call(b.port, verb::post, "/webhooks/telegram", tg_secret, body).status; };
    // Members talking among themselves, a mention of someone else, a command for another bot.
    ASSERT_EQ(post(group_update(1, 7, "on se retrouve à la mairie ?")), 200u);
    ASSERT_EQ(post(group_update(2, 8, "@marie horaires de la mairie", {entity("mention", 0, 6)})), 200u);
    ASSERT_EQ(post(group_update(3, 8, "/aide@autre_bot", {entity("bot_command", 0, 15)})), 200u);
    // Addressed to the bot: an @mention (any case), a reply to one of its messages.
    ASSERT_EQ(post(group_update(4, 7, "😀 @guichet_bot horaires de la mairie", {entity("mention", 3, 12)})), 200u);
    ASSERT_EQ(post(group_update(5, 8, "numéro de téléphone de la mairie", {},
                                {{"reply_to_message", {{"message_id", 99}, {"from", {{"id", 123}, {"is_bot", true}}},
                                                       {"chat", {{"id", -1001234}, {"type", "supergroup"}}},
                                                       {"text", "…"}}}})),
              200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 2u);
    EXPECT_EQ(saw[0].text, "😀 horaires de la mairie");  // the mention is not part of the question
    EXPECT_EQ(saw[0].conversation_id, "-1001234/7");
    EXPECT_EQ(saw[1].conversation_id, "-1001234/8");
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->pending() == 0 && b.telegram_api.requests().size() >= 3; }));
    // Answered in the group, each answer a reply to its member's message (the group sees whom
    // it answers: it read as an answer to whoever spoke last).
    std::set<std::int64_t> replied_to;
    for (auto& r : b.telegram_api.requests()) {
        if (r.target != "/bot123:ABC/sendMessage") continue;
        auto v = json::parse(r.body);
        EXPECT_EQ(v.at("chat_id").as_int64(), -1001234) << r.body;
        if (auto* p = v.as_object().if_contains("reply_parameters")) {
            replied_to.insert(p->at("message_id").as_int64());
            EXPECT_TRUE(p->at("allow_sending_without_reply").as_bool()) << r.body;
        }
    }
    EXPECT_EQ(replied_to, (std::set<std::int64_t>{4, 5}));
}

TEST(slack, in_a_channel_only_mentions_are_answered_each_member_in_their_own_conversation) {
    bench b("slack-group");
    auto post = [&](const std::string& body) { return call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status; };
    json::object chatter{{"type", "message"}, {"channel", "C123"}, {"channel_type", "channel"}, {"user", "U42"},
                         {"text", "horaires de la mairie"}, {"ts", "1700000000.0201"}};
    ASSERT_EQ(post(slack_event("EvG1", chatter)), 200u);
    for (auto [id, user, ts] : {std::tuple{"EvG2", "U42", "1700000000.0202"}, std::tuple{"EvG3", "U43", "1700000000.0203"}})
        ASSERT_EQ(post(slack_event(id, {{"type", "app_mention"}, {"channel", "C123"}, {"user", user},
                                        {"text", "<@UBOT> horaires de la mairie"}, {"ts", ts}})),
                  200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 2; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 2u);
    EXPECT_EQ(saw[0].conversation_id, "C123/U42");
    EXPECT_EQ(saw[1].conversation_id, "C123/U43");
    auto sent = b.slack_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    // In the channel, each in a thread started on its member's mention (they were posted in the
    // channel itself: whose answer was it?).
    std::set<std::string> threads;
    for (auto& r : sent) {
        auto v = json::parse(r.body);
        EXPECT_EQ(v.at("channel"), "C123");
        if (auto* t = v.as_object().if_contains("thread_ts")) threads.insert(std::string(t->as_string()));
    }
    EXPECT_EQ(threads, (std::set<std::string>{"1700000000.0202", "1700000000.0203"}));
}

// In a channel, an answer's buttons are its member's: another member pressing one is told so,
// alone (chat.postEphemeral), and neither conversation takes it (it was answered in the
// presser's own conversation, in the thread, where everyone read a reply to nothing they asked).
TEST(slack, another_members_buttons_are_theirs) {
    bench b("slack-buttons");
    auto post = [&](const std::string& body) { return call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status; };
    ASSERT_EQ(post(slack_event("EvB1", {{"type", "app_mention"}, {"channel", "C123"}, {"user", "U42"},
                                        {"text", "<@UBOT> numéro de téléphone de la mairie"}, {"ts", "1700000000.0301"}})),
              200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    std::string action_id;
    const auto answer = json::parse(sent[0].body);
    for (auto& block : answer.at("blocks").as_array())
        if (block.at("type") == "actions")
            action_id = std::string(block.at("elements").at(0).at("action_id").as_string());
    ASSERT_FALSE(action_id.empty()) << sent[0].body;
    EXPECT_TRUE(action_id.ends_with("_U42")) << action_id;
    auto press = [&](const std::string& user, const std::string& ts) {
        json::object p{{"type", "block_actions"},
                       {"user", {{"id", user}}},
                       {"channel", {{"id", "C123"}}},
                       {"actions", json::array{{{"action_id", action_id}, {"value", "horaires de la mairie"},
                                                {"action_ts", ts}, {"type", "button"}}}}};
        std::string form = "payload=" + boost::urls::encode(json::serialize(p), boost::urls::unreserved_chars);
        return call(b.port, verb::post, "/webhooks/slack", slack_signed(form), form, "application/x-www-form-urlencoded").status;
    };
    ASSERT_EQ(press("U43", "1700000001.2"), 200u);
    sent = b.slack_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(sent[1].target.find("chat.postEphemeral"), std::string::npos) << sent[1].target;
    auto notice = json::parse(sent[1].body);
    EXPECT_EQ(notice.at("user"), "U43");
    EXPECT_NE(std::string(notice.at("text").as_string()).find("<@U42>"), std::string::npos);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.engine_saw().size(), 1u);  // neither conversation took the press
    // Its own member's press is theirs.
    ASSERT_EQ(press("U42", "1700000001.3"), 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 2; }));
    EXPECT_EQ(b.engine_saw().at(1).conversation_id, "C123/U42");
    EXPECT_EQ(b.engine_saw().at(1).payload, "horaires de la mairie");
}

TEST(slack, in_a_thread_the_bot_answered_in_the_next_messages_need_no_mention_even_after_a_restart) {
    auto dir = temp_dir("slack-thread-kept");
    auto outbox_path = (dir / "outbox.db").string();
    auto keep_outbox = [&](config& c) { c.set("outbox.path", outbox_path); };
    auto event = [](const std::string& type, const std::string& text, const std::string& ts, const std::string& thread) {
        json::object ev{{"type", type}, {"channel", "C7"}, {"user", "U42"}, {"text", text}, {"ts", ts}};
        if (type == "message") ev["channel_type"] = "channel";
        if (!thread.empty()) ev["thread_ts"] = thread;
        return ev;
    };
    {
        bench b("slack-thread-a", 16 * 1024, false, keep_outbox);
        auto post = [&](const std::string& body) { return call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status; };
        // A plain message in a thread the bot never answered in: not for the bot.
        ASSERT_EQ(post(slack_event("EvT0", event("message", "horaires de la mairie", "1700000001.0001", "1700000000.0500"))), 200u);
        // Mentioned in thread 0001: answered there, the thread is remembered.
        ASSERT_EQ(post(slack_event("EvT1", event("app_mention", "<@UBOT> horaires de la mairie", "1700000001.0002",
                                                 "1700000000.0001"))), 200u);
        auto sent = b.slack_api.wait_for(1);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(json::parse(sent[0].body).at("thread_ts"), "1700000000.0001");
        // The next message of that thread, without a mention: answered.
        ASSERT_EQ(post(slack_event("EvT2", event("message", "numéro de téléphone de la mairie", "1700000001.0003",
                                                 "1700000000.0001"))), 200u);
        sent = b.slack_api.wait_for(2);
        ASSERT_EQ(sent.size(), 2u);
        EXPECT_NE(sent[1].body.find("Testville"), std::string::npos) << sent[1].body;
        // Channel messages outside a thread still need a mention.
        ASSERT_EQ(post(slack_event("EvT3", event("message", "quelles démarches", "1700000001.0004", ""))), 200u);
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        EXPECT_EQ(b.engine_saw().size(), 2u);
    }
    // After a restart the thread is still known.
    bench b("slack-thread-b", 16 * 1024, false, keep_outbox);
    auto body = slack_event("EvT4", event("message", "quelles démarches", "1700000001.0005", "1700000000.0001"));
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(body), body).status, 200u);
    auto sent = b.slack_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(json::parse(sent[0].body).at("thread_ts"), "1700000000.0001");
    EXPECT_NE(sent[0].body.find("démarches possibles"), std::string::npos) << sent[0].body;
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 1u);
    EXPECT_EQ(saw[0].conversation_id, "C7/U42");
    std::filesystem::remove_all(dir);
}

// The bot's own username (getMe) tells a message for it from the members' talk: while Telegram
// cannot say it, a group's update is not taken (503, delivered again by Telegram), and is
// answered once getMe works; it was acknowledged and dropped.
TEST(telegram, a_group_message_is_not_taken_while_the_bots_username_is_unknown) {
    bench b("tg-getme");
    b.telegram_api.respond_to("/bot123:ABC/getMe", 502, R"({"ok":false,"error_code":502,"description":"Bad Gateway"})");
    auto update = group_update(11, 7, "@guichet_bot horaires de la mairie", {entity("mention", 0, 12)});
    auto first = call(b.port, verb::post, "/webhooks/telegram", tg_secret, update);
    EXPECT_EQ(first.status, 503u) << first.body;
    EXPECT_NE(first.body.find("getMe"), std::string::npos) << first.body;
    EXPECT_TRUE(b.engine_saw().empty());
    b.telegram_api.respond_to("/bot123:ABC/getMe", 200,
                              R"({"ok":true,"result":{"id":123,"is_bot":true,"first_name":"Guichet","username":"Guichet_bot"}})");
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/telegram", tg_secret, update).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
}
