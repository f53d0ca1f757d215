// Telegram through the real HTTP server and engine: secret token, answers through the Bot
// API (also for a redelivered update), inline keyboards, callback queries through the Bot API fake, locations, duplicates, 413.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

const std::map<std::string, std::string> good{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};

std::string text_update(long id, const std::string& text, long chat = 42, const char* lang = "fr") {
    json::object u{{"update_id", id},
                   {"message",
                    {{"message_id", id},
                     {"date", 1700000000},
                     {"from", {{"id", chat}, {"is_bot", false}, {"first_name", "Ana"}, {"language_code", lang}}},
                     {"chat", {{"id", chat}, {"type", "private"}}},
                     {"text", text}}}};
    return json::serialize(u);
}

json::object location_message(long id, double lat) {
    return {{"message_id", id},
            {"date", 1700000000},
            {"from", {{"id", 42}, {"is_bot", false}, {"language_code", "fr"}}},
            {"chat", {{"id", 42}, {"type", "private"}}},
            {"location", {{"latitude", lat}, {"longitude", 1.9093}, {"live_period", 28800}}}};
}

}  // namespace

TEST(telegram, question_answered_through_the_bot_api_with_an_inline_keyboard) {
    bench b("tg-answer");
    auto r = call(b.port, verb::post, "/webhooks/telegram", good, text_update(1, "numéro de téléphone de la mairie"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body, "{}");  // never in the webhook response, which Telegram may not read
    auto sent = b.telegram_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/bot123:ABC/sendMessage");
    auto v = json::parse(sent[0].body).as_object();
    EXPECT_EQ(v.at("chat_id").as_int64(), 42);
    EXPECT_FALSE(v.contains("reply_parameters"));  // a private chat: no need to say whom it answers
    EXPECT_NE(std::string(v.at("text").as_string()).find("Testville"), std::string::npos);
    auto& kb = v.at("reply_markup").at("inline_keyboard").as_array();
    ASSERT_EQ(kb.size(), 2u);
    EXPECT_EQ(kb[0].as_array()[0].at("text"), "Horaires de la mairie");
    EXPECT_EQ(kb[0].as_array()[0].at("callback_data"), "horaires de la mairie");
    ASSERT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.engine_saw()[0].locale_hint, "fr");
    EXPECT_EQ(b.engine_saw()[0].channel, "telegram");
}

// The app's language is a hint, not the language written in: a French question from a phone
// set to English is answered in French (it was read as English: "samedi" unknown, "closed
// right now"); a text too short to tell its own is answered in the app's language.
TEST(telegram, a_french_question_from_an_app_in_english_is_answered_in_french) {
    bench b("tg-lang");
    auto r = call(b.port, verb::post, "/webhooks/telegram", good,
                  text_update(1, "quel est le numéro de téléphone de la mairie ?", 42, "en"));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto sent = b.telegram_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_NE(sent[0].body.find("Mairie de Testville"), std::string::npos) << sent[0].body;
    r = call(b.port, verb::post, "/webhooks/telegram", good, text_update(2, "/start", 43, "en"));
    ASSERT_EQ(r.status, 200u) << r.body;
    sent = b.telegram_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    ASSERT_EQ(b.engine_saw().size(), 2u);
    EXPECT_EQ(b.engine_saw()[1].text, "hello");
    EXPECT_EQ(b.engine_saw()[1].locale_hint, "en");
}

TEST(telegram, callback_query_is_acknowledged_then_answered_through_the_bot_api) {
    bench b("tg-callback");
    json::object u{{"update_id", 7},
                   {"callback_query",
                    {{"id", "cbq-1"},
                     {"from", {{"id", 42}, {"is_bot", false}, {"language_code", "en-GB"}}},
                     {"message", {{"message_id", 3}, {"chat", {{"id", 42}, {"type", "private"}}}}},
                     {"data", "town hall opening hours"}}}};
    auto r = call(b.port, verb::post, "/webhooks/telegram", good, json::serialize(u));
    ASSERT_EQ(r.status, 200u);
    auto sent = b.telegram_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[0].target, "/bot123:ABC/answerCallbackQuery");
    EXPECT_EQ(json::parse(sent[0].body).at("callback_query_id"), "cbq-1");
    EXPECT_EQ(sent[1].target, "/bot123:ABC/sendMessage");
    EXPECT_NE(sent[1].body.find("Monday to Friday"), std::string::npos) << sent[1].body;
    ASSERT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.engine_saw()[0].payload, "town hall opening hours");
    EXPECT_EQ(b.engine_saw()[0].locale_hint, "en");
}

// The history (what the agents' console shows) keeps the button the citizen pressed as its text
// on the keyboard, found in the message it was pressed on; its callback_data is what is understood.
TEST(telegram, a_pressed_button_is_kept_in_the_history_as_its_title) {
    bench b("tg-title");
    json::array keyboard{json::array{json::object{{"text", "Horaires d'ouverture"}, {"callback_data", "horaires de la mairie"}}},
                         json::array{json::object{{"text", "Nos démarches"}, {"callback_data", "quelles démarches"}}}};
    auto press = [&](int update, const std::string& data, bool with_keyboard) {
        json::object msg{{"message_id", 3}, {"chat", {{"id", 42}, {"type", "private"}}}, {"date", 1700000000}};
        if (with_keyboard) msg["reply_markup"] = {{"inline_keyboard", keyboard}};
        json::object u{{"update_id", update},
                       {"callback_query",
                        {{"id", "cbq-" + std::to_string(update)},
                         {"from", {{"id", 42}, {"is_bot", false}, {"language_code", "fr"}}},
                         {"message", msg},
                         {"data", data}}}};
        ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", good, json::serialize(u)).status, 200u);
    };
    ASSERT_NO_FATAL_FAILURE(press(21, "quelles démarches", true));
    // A message too old for Telegram to give (inaccessible: no keyboard): the data, as before.
    ASSERT_NO_FATAL_FAILURE(press(22, "horaires de la mairie", false));
    ASSERT_TRUE(eventually([&] { return b.citizen_said("telegram", "42").size() == 2; }));
    EXPECT_EQ(b.citizen_said("telegram", "42"),
              (std::vector<std::string>{"Nos démarches", "horaires de la mairie"}));
    EXPECT_EQ(b.engine_saw().at(0).payload, "quelles démarches");
}

TEST(telegram, shared_location_reaches_the_engine) {
    bench b("tg-location");
    json::object u{{"update_id", 9},
                   {"message",
                    {{"message_id", 9},
                     {"from", {{"id", 5}, {"is_bot", false}}},
                     {"chat", {{"id", 5}, {"type", "private"}}},
                     {"location", {{"latitude", 47.9029}, {"longitude", 1.9093}}}}}};
    auto r = call(b.port, verb::post, "/webhooks/telegram", good, json::serialize(u));
    ASSERT_EQ(r.status, 200u);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 1u);
    ASSERT_TRUE(saw[0].location.has_value());
    EXPECT_DOUBLE_EQ(saw[0].location->lat, 47.9029);
    EXPECT_DOUBLE_EQ(saw[0].location->lon, 1.9093);
    EXPECT_EQ(saw[0].conversation_id, "5");
}

TEST(telegram, wrong_or_missing_secret_token_is_refused_and_nothing_processed) {
    bench b("tg-auth");
    logged_warnings log;
    auto missing = call(b.port, verb::post, "/webhooks/telegram", {}, text_update(1, "horaires"));
    EXPECT_EQ(missing.status, 401u);
    auto wrong = call(b.port, verb::post, "/webhooks/telegram",
                      {{"X-Telegram-Bot-Api-Secret-Token", "tg-secreT"}}, text_update(2, "horaires"));
    EXPECT_EQ(wrong.status, 403u);
    // Each refusal is said in the log, with the fix (an admin whose secret is wrong saw an
    // empty log while every citizen's message was refused), never with the secret or the text.
    auto said_missing = log.with("no X-Telegram-Bot-Api-Secret-Token header");
    ASSERT_EQ(said_missing.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_missing[0].find("refused a call from 127.0.0.1"), std::string::npos) << said_missing[0];
    EXPECT_NE(said_missing[0].find("GUICHET_TELEGRAM_SECRET_TOKEN"), std::string::npos) << said_missing[0];
    auto said_wrong = log.with("wrong X-Telegram-Bot-Api-Secret-Token");
    ASSERT_EQ(said_wrong.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_wrong[0].find("GUICHET_TELEGRAM_SECRET_TOKEN"), std::string::npos) << said_wrong[0];
    for (auto& l : log.lines()) {
        EXPECT_EQ(l.find("tg-secre"), std::string::npos) << l;
        EXPECT_EQ(l.find("horaires"), std::string::npos) << l;
    }
    // A wrong secret again within the minute: counted, not said again.
    EXPECT_EQ(call(b.port, verb::post, "/webhooks/telegram", {{"X-Telegram-Bot-Api-Secret-Token", "x"}},
                   text_update(3, "horaires")).status, 403u);
    EXPECT_EQ(log.with("wrong X-Telegram-Bot-Api-Secret-Token").size(), 1u);
    EXPECT_TRUE(b.engine_saw().empty());
    EXPECT_EQ(b.messaging->outbox->pending(), 0u);
    // The refused update_ids were not recorded: the real delivery still runs.
    auto ok = call(b.port, verb::post, "/webhooks/telegram", good, text_update(2, "horaires de la mairie"));
    EXPECT_EQ(ok.status, 200u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(telegram, a_repeated_update_is_answered_once) {
    bench b("tg-dup");
    auto body = text_update(100, "horaires de la mairie");
    auto first = call(b.port, verb::post, "/webhooks/telegram", good, body);
    auto second = call(b.port, verb::post, "/webhooks/telegram", good, body);
    EXPECT_EQ(first.status, 200u);
    EXPECT_EQ(second.status, 200u);
    EXPECT_EQ(second.body, "{}");
    b.telegram_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.telegram_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(telegram, oversized_body_is_refused_with_413) {
    bench b("tg-big", 4096);
    auto r = call(b.port, verb::post, "/webhooks/telegram", good, text_update(1, std::string(8000, 'a')));
    EXPECT_EQ(r.status, 413u);
    EXPECT_TRUE(b.engine_saw().empty());
    auto ok = call(b.port, verb::post, "/webhooks/telegram", good, text_update(2, "horaires de la mairie"));
    EXPECT_EQ(ok.status, 200u);  // and the server keeps serving
}

TEST(telegram, malformed_update_is_a_clear_400) {
    bench b("tg-bad");
    auto r = call(b.port, verb::post, "/webhooks/telegram", good, "{\"update_id\": ");
    EXPECT_EQ(r.status, 400u);
    EXPECT_NE(r.body.find("malformed JSON"), std::string::npos);
    auto r2 = call(b.port, verb::post, "/webhooks/telegram", good, "{\"message\": {}}");
    EXPECT_EQ(r2.status, 400u);
    EXPECT_NE(r2.body.find("update_id"), std::string::npos);
    // An update_id that is no number was answered 200 {} (taken as a repeated delivery).
    for (auto id : {"\"abc\"", "\"12\"", "1.5", "null"}) {
        auto r3 = call(b.port, verb::post, "/webhooks/telegram", good,
                       std::string("{\"update_id\": ") + id + ", \"message\": {}}");
        EXPECT_EQ(r3.status, 400u) << id;
        EXPECT_NE(r3.body.find("\\\"update_id\\\" must be a number"), std::string::npos) << id << ": " << r3.body;
    }
    EXPECT_TRUE(b.engine_saw().empty());
}

TEST(telegram, an_update_delivered_again_after_its_response_was_lost_is_still_answered) {
    bench b("tg-redeliver");
    auto body = text_update(200, "numéro de téléphone de la mairie");
    call(b.port, verb::post, "/webhooks/telegram", good, body);  // Telegram never read this response
    auto again = call(b.port, verb::post, "/webhooks/telegram", good, body);
    EXPECT_EQ(again.status, 200u);
    auto sent = b.telegram_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/bot123:ABC/sendMessage");
    EXPECT_NE(sent[0].body.find("Testville"), std::string::npos) << sent[0].body;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.telegram_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(telegram, a_live_location_is_answered_once_and_its_moves_are_not) {
    bench b("tg-live");
    auto first = json::object{{"update_id", 300}, {"message", location_message(300, 47.9029)}};
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", good, json::serialize(first)).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    b.telegram_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    auto calls = b.telegram_api.requests().size();
    for (int i = 1; i <= 3; ++i) {
        auto moved = location_message(300, 47.9029 + i * 0.001);
        moved["edit_date"] = 1700000000 + i * 60;
        auto u = json::object{{"update_id", 300 + i}, {"edited_message", moved}};
        EXPECT_EQ(call(b.port, verb::post, "/webhooks/telegram", good, json::serialize(u)).status, 200u);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.telegram_api.requests().size(), calls);
}

TEST(telegram, the_start_button_is_a_greeting_in_the_users_language) {
    bench b("tg-start");
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", good, text_update(1, "/start")).status, 200u);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", good, text_update(2, "/start@guichet_bot", 43, "en")).status,
              200u);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 2u);
    EXPECT_EQ(saw[0].text, "bonjour");
    EXPECT_EQ(saw[1].text, "hello");
}
