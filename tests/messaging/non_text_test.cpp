// Photos, stickers, voice notes, files on every platform: a caption is the question; without
// one, one sentence (French, English when the platform says so) asks for a written question;
// the platforms' own events (joins, reactions, statuses) get nothing.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "meta_notifications.h"
#include "outbound/webhook.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

const std::string fr = "Je ne sais lire que les messages écrits";
const std::string en = "I can only read written messages";

// Nothing reached the platform within a moment.
bool silent(fake_platform& api) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return api.attempts() == 0;
}

std::string tg(long id, json::object fields, const char* lang = "fr") {
    json::object m{{"message_id", id},
                   {"date", 1700000000},
                   {"from", {{"id", 42}, {"is_bot", false}, {"language_code", lang}}},
                   {"chat", {{"id", 42}, {"type", "private"}}}};
    for (auto& [k, v] : fields) m[k] = v;
    return json::serialize(json::object{{"update_id", id}, {"message", m}});
}

const std::map<std::string, std::string> tg_secret{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};

const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};

std::string matrix_events(json::array events) { return json::serialize(json::object{{"events", std::move(events)}}); }

}  // namespace

TEST(telegram, a_photo_caption_is_the_question_a_sticker_gets_a_request_to_write_service_messages_nothing) {
    bench b("tg-media");
    json::array photo{json::object{{"file_id", "AgAD"}, {"width", 90}, {"height", 90}}};
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", tg_secret,
                   tg(1, {{"photo", photo}, {"caption", "horaires de la mairie"}})).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
    b.telegram_api.wait_for(1);

    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", tg_secret,
                   tg(2, {{"sticker", {{"file_id", "CAAD"}, {"emoji", "👍"}}}}, "en-GB")).status, 200u);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", tg_secret,
                   tg(3, {{"voice", {{"file_id", "AwAD"}, {"duration", 3}}}})).status, 200u);
    auto sent = b.telegram_api.wait_for(3);
    ASSERT_EQ(sent.size(), 3u);
    EXPECT_NE(json::parse(sent[1].body).at("text").as_string().find(en), std::string::npos) << sent[1].body;
    EXPECT_NE(json::parse(sent[2].body).at("text").as_string().find(fr), std::string::npos) << sent[2].body;
    EXPECT_EQ(b.engine_saw().size(), 1u);  // the engine is not asked about a sticker

    auto before = b.telegram_api.attempts();
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/telegram", tg_secret,
                   tg(4, {{"new_chat_members", json::array{{{"id", 7}, {"is_bot", false}}}}})).status, 200u);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(b.telegram_api.attempts(), before);
}

TEST(meta, whatsapp_image_caption_is_the_question_a_voice_note_gets_a_request_to_write_a_reaction_nothing) {
    bench b("meta-media");
    auto image = whatsapp_notification({{"messages", json::array{wa_message(
                                            "wamid.m1", {{"type", "image"},
                                                         {"image", {{"id", "MEDIA1"}, {"mime_type", "image/jpeg"},
                                                                    {"caption", "horaires de la mairie"}}}})}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(image), image).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
    b.meta_api.wait_for(1);

    auto voice = whatsapp_notification({{"messages", json::array{wa_message(
                                            "wamid.m2", {{"type", "audio"},
                                                         {"audio", {{"id", "MEDIA2"}, {"voice", true}}}})}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(voice), voice).status, 200u);
    auto sent = b.meta_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_EQ(sent[1].target, "/v21.0/PNID/messages");
    EXPECT_NE(std::string(json::parse(sent[1].body).at("text").at("body").as_string()).find(fr), std::string::npos)
        << sent[1].body;

    auto before = b.meta_api.attempts();
    auto reaction = whatsapp_notification({{"messages", json::array{wa_message(
                                               "wamid.m3", {{"type", "reaction"},
                                                            {"reaction", {{"message_id", "wamid.x"}, {"emoji", "👍"}}}})}}});
    auto status = whatsapp_notification({{"statuses", json::array{{{"id", "wamid.x"}, {"status", "read"},
                                                      {"recipient_id", "33612345678"}}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(reaction), reaction).status, 200u);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(status), status).status, 200u);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(b.meta_api.attempts(), before);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(meta, messenger_image_gets_a_request_to_write_a_read_receipt_nothing) {
    bench b("meta-messenger-media");
    auto page = [](json::object event) {
        event["sender"] = {{"id", "PSID1"}};
        event["recipient"] = {{"id", "PAGE"}};
        event["timestamp"] = 1700000000;
        return json::serialize(json::object{
            {"object", "page"},
            {"entry", json::array{{{"id", "PAGE"}, {"time", 1700000000}, {"messaging", json::array{event}}}}}});
    };
    auto read = page({{"read", {{"watermark", 1700000000}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(read), read).status, 200u);
    EXPECT_TRUE(silent(b.meta_api));
    auto image = page({{"message", {{"mid", "m_img"},
                                    {"attachments", json::array{{{"type", "image"},
                                                                 {"payload", {{"url", "https://x/y.jpg"}}}}}}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/meta", meta_signed(image), image).status, 200u);
    auto sent = b.meta_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/v21.0/me/messages");
    EXPECT_NE(std::string(json::parse(sent[0].body).at("message").at("text").as_string()).find(fr), std::string::npos);
    EXPECT_TRUE(b.engine_saw().empty());
}

TEST(slack, a_file_shared_with_text_is_the_question_without_text_a_request_to_write_a_reaction_nothing) {
    bench b("slack-media");
    json::object with_text{{"type", "message"}, {"subtype", "file_share"}, {"channel", "D123"}, {"channel_type", "im"},
                           {"user", "U42"}, {"text", "horaires de la mairie"}, {"ts", "1700000000.0101"},
                           {"files", json::array{{{"id", "F1"}, {"name", "photo.jpg"}}}}};
    auto e1 = slack_event("EvF1", with_text);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(e1), e1).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() == 1; }));
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
    b.slack_api.wait_for(1);

    auto without = with_text;
    without["text"] = "";
    without["ts"] = "1700000000.0102";
    auto e2 = slack_event("EvF2", without);
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(e2), e2).status, 200u);
    auto sent = b.slack_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(std::string(json::parse(sent[1].body).at("text").as_string()).find(fr), std::string::npos)
        << sent[1].body;

    auto before = b.slack_api.attempts();
    auto e3 = slack_event("EvF3", {{"type", "reaction_added"}, {"user", "U42"}, {"reaction", "thumbsup"},
                                   {"item", {{"type", "message"}, {"channel", "D123"}, {"ts", "1700000000.0101"}}}});
    ASSERT_EQ(call(b.port, verb::post, "/webhooks/slack", slack_signed(e3), e3).status, 200u);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    EXPECT_EQ(b.slack_api.attempts(), before);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(matrix, an_image_gets_a_request_to_write_its_file_name_is_not_a_question_reactions_nothing) {
    bench b("matrix-media");
    json::object reaction{{"type", "m.reaction"}, {"room_id", "!r:example.org"}, {"sender", "@ana:example.org"},
                          {"event_id", "$react"},
                          {"content", {{"m.relates_to", {{"rel_type", "m.annotation"}, {"event_id", "$x"}, {"key", "👍"}}}}}};
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/m1", hs, matrix_events({reaction})).status, 200u);
    EXPECT_TRUE(silent(b.matrix_api));
    json::object image{{"type", "m.room.message"}, {"room_id", "!r:example.org"}, {"sender", "@ana:example.org"},
                       {"event_id", "$img"},
                       {"content", {{"msgtype", "m.image"}, {"body", "horaires de la mairie.jpg"},
                                    {"url", "mxc://example.org/abc"}}}};
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/m2", hs, matrix_events({image})).status, 200u);
    auto sent = b.matrix_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("msgtype"), "m.notice");
    EXPECT_NE(std::string(v.at("body").as_string()).find(fr), std::string::npos) << sent[0].body;
    EXPECT_TRUE(b.engine_saw().empty());
}
