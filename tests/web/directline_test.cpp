// Direct Line 3.0 over real HTTP and WebSocket: tokens from the secret, a conversation with
// its stream URL, an activity echoed with its clientActivityID then answered, watermarks,
// buttons as suggested actions, and the statuses clients react to (401, 403, 404, 503).
#include "harness.h"
#include "support/logged_warnings.h"

#include <algorithm>
#include <thread>

namespace guichet::test {
namespace {

using verb = beast::http::verb;
namespace json = boost::json;

class directline : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        server_ = new web_server("limits:\n  rate_per_minute: 0\ndirectline:\n  secret: s3cret\n");
    }
    static void TearDownTestSuite() { delete server_; }
    unsigned short port() { return server_->port(); }
    static web_server* server_;
};
web_server* directline::server_ = nullptr;

TEST_F(directline, a_conversation_round_trip_with_watermarks) {
    auto gen = post(port(), "/v3/directline/tokens/generate", "", bearer("s3cret"));
    ASSERT_EQ(gen.status, 200) << gen.body;
    auto token = std::string(gen.json().at("token").as_string());
    auto start = post(port(), "/v3/directline/conversations", "", bearer(token));
    ASSERT_EQ(start.status, 201) << start.body;
    auto conv = std::string(start.json().at("conversationId").as_string());
    EXPECT_EQ(conv, std::string(gen.json().at("conversationId").as_string()));
    auto stream = std::string(start.json().at("streamUrl").as_string());
    EXPECT_EQ(stream.rfind("ws://127.0.0.1:" + std::to_string(port()) + "/v3/directline/conversations/" + conv + "/stream?t=", 0), 0u);

    auto path = "/v3/directline/conversations/" + conv + "/activities";
    // A new conversation is greeted: an automated assistant answers (French and English).
    auto hello = request(port(), verb::get, path + "?watermark=", "", bearer(token));
    auto hello_v = hello.json();
    auto& greeting = hello_v.at("activities").as_array();
    ASSERT_EQ(greeting.size(), 1u) << hello.body;
    EXPECT_EQ(greeting[0].at("from").at("role"), "bot");
    const std::string greeting_text(greeting[0].at("text").as_string());
    EXPECT_NE(greeting_text.find("assistant automatique"), std::string::npos) << greeting_text;
    EXPECT_NE(greeting_text.find("automated assistant"), std::string::npos) << greeting_text;
    const std::string greeted(hello_v.at("watermark").as_string());

    auto act = R"({"type":"message","from":{"id":"u1"},"locale":"fr-FR","text":"horaires de la mairie samedi","channelData":{"clientActivityID":"cid-1"}})";
    auto sent = post(port(), path, act, bearer(token));
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto id = std::string(sent.json().at("id").as_string());

    auto got = request(port(), verb::get, path + "?watermark=" + greeted, "", bearer(token));
    ASSERT_EQ(got.status, 200);
    auto set = got.json().as_object();
    auto& acts = set.at("activities").as_array();
    ASSERT_GE(acts.size(), 2u);
    EXPECT_EQ(std::string(acts[0].at("id").as_string()), id);
    EXPECT_EQ(acts[0].at("channelData").at("clientActivityID"), "cid-1");
    EXPECT_EQ(acts[0].at("from").at("role"), "user");
    EXPECT_EQ(acts[1].at("from").at("role"), "bot");
    EXPECT_EQ(std::string(acts[1].at("replyToId").as_string()), id);
    auto& actions = acts[1].at("suggestedActions").at("actions").as_array();
    ASSERT_EQ(actions.size(), 2u);
    auto wm = std::string(set.at("watermark").as_string());
    auto again = request(port(), verb::get, path + "?watermark=" + wm, "", bearer(token));
    EXPECT_EQ(again.json().at("activities").as_array().size(), 0u);

    // Pressing a button: a messageBack carries the payload in "value".
    auto value = json::serialize(actions[0].at("value"));
    auto press = std::string(R"({"type":"message","from":{"id":"u1"},"text":")") +
                 std::string(actions[0].at("text").as_string()) + R"(","value":)" + value + "}";
    ASSERT_EQ(post(port(), path, press, bearer(token)).status, 200);
    auto after = request(port(), verb::get, path + "?watermark=" + wm, "", bearer(token));
    auto after_v = after.json();
    auto& next = after_v.at("activities").as_array();
    ASSERT_GE(next.size(), 2u);
    EXPECT_NE(std::string(next[1].at("text").as_string()).find("02 38"), std::string::npos) << after.body;
}

// An agent's reply pushed to a Direct Line conversation comes from that person, named, and is
// signed in its text (Web Chat shows no sender's name by default).
TEST_F(directline, an_agents_reply_comes_from_the_agent_and_is_signed) {
    auto gen = post(port(), "/v3/directline/tokens/generate", "", bearer("s3cret"));
    ASSERT_EQ(gen.status, 200) << gen.body;
    auto token = std::string(gen.json().at("token").as_string());
    auto conv = std::string(gen.json().at("conversationId").as_string());
    ASSERT_EQ(post(port(), "/v3/directline/conversations", "", bearer(token)).status, 201);
    turn_result r;
    r.conversation_id = conv;
    r.locale = "fr";
    r.intent = "handoff.agent";
    r.author = "Marie";
    r.replies.push_back({"Bonjour, je regarde votre demande.", {}, {}, {}});
    EXPECT_EQ(server_->app().push.push("directline", conv, r), 1u);
    r.author.clear();
    r.locale = "en";
    r.replies[0].text = "Anything else?";
    server_->app().push.push("directline", conv, r);
    auto got = request(port(), verb::get, "/v3/directline/conversations/" + conv + "/activities", "", bearer(token));
    auto v = got.json();
    auto& acts = v.at("activities").as_array();
    ASSERT_GE(acts.size(), 2u) << got.body;
    auto& named = acts[acts.size() - 2];
    EXPECT_EQ(named.at("from").at("id"), "agent");
    EXPECT_EQ(named.at("from").at("name"), "Marie, agent de la mairie");
    EXPECT_EQ(named.at("text"), "Marie, agent de la mairie : Bonjour, je regarde votre demande.");
    EXPECT_EQ(acts.back().at("from").at("name"), "Town hall staff");
    EXPECT_EQ(acts.back().at("text"), "Town hall staff: Anything else?");
}

// Web Chat's `locale` is the page's (en-US when the page sets none): French text is answered in
// French on it, and only a text too short to tell takes the page's language.
TEST_F(directline, the_activity_locale_is_the_page_language_not_the_text_language) {
    auto start = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    ASSERT_EQ(start.status, 201);
    auto conv = std::string(start.json().at("conversationId").as_string());
    auto token = std::string(start.json().at("token").as_string());
    auto path = "/v3/directline/conversations/" + conv + "/activities";
    auto bot_locale = [&](const std::string& text, std::string& wm) {
        auto act =
            R"({"type":"message","from":{"id":"u"},"locale":"en-US","text":")" + text + R"("})";
        EXPECT_EQ(post(port(), path, act, bearer(token)).status, 200);
        auto got = request(port(), verb::get, path + "?watermark=" + wm, "", bearer(token));
        auto v = got.json();
        wm = std::string(v.at("watermark").as_string());
        auto& acts = v.at("activities").as_array();
        return acts.size() < 2 ? std::string("none")
                               : std::string(acts.back().at("locale").as_string());
    };
    std::string wm;
    EXPECT_EQ(bot_locale("horaires de la mairie samedi", wm), "fr");
    auto other = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    conv = std::string(other.json().at("conversationId").as_string());
    token = std::string(other.json().at("token").as_string());
    path = "/v3/directline/conversations/" + conv + "/activities";
    wm.clear();
    EXPECT_EQ(bot_locale("zorglub", wm), "en");
}

// A button pressed in Web Chat (a messageBack: its text, its value, and the displayText Web
// Chat shows) is kept in the history the agents' console shows as its title; the payload in
// "value" is what is understood.
TEST_F(directline, a_pressed_button_is_kept_in_the_history_as_its_title) {
    auto start = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    ASSERT_EQ(start.status, 201);
    auto conv = std::string(start.json().at("conversationId").as_string());
    auto token = std::string(start.json().at("token").as_string());
    auto path = "/v3/directline/conversations/" + conv + "/activities";
    ASSERT_EQ(post(port(), path, R"({"type":"message","from":{"id":"u1"},"text":"horaires de la mairie"})",
                   bearer(token)).status,
              200);
    auto got = request(port(), verb::get, path + "?watermark=", "", bearer(token)).json();
    auto& acts = got.at("activities").as_array();
    ASSERT_FALSE(acts.empty());
    auto action = acts.back().at("suggestedActions").at("actions").at(0).as_object();
    const std::string title(action.at("title").as_string());
    const std::string payload(action.at("value").at("payload").as_string());
    ASSERT_NE(title, payload);  // else this test proves nothing
    json::object press{{"type", "message"},
                       {"from", {{"id", "u1"}}},
                       {"text", action.at("text")},
                       {"value", action.at("value")},
                       {"channelData", {{"messageBack", {{"displayText", action.at("displayText")}}}}}};
    ASSERT_EQ(post(port(), path, json::serialize(press), bearer(token)).status, 200);
    std::vector<std::string> in;
    for (auto& m : server_->app().store->transcript("directline", conv))
        if (m.direction == "in") in.push_back(m.text);
    EXPECT_EQ(in, (std::vector<std::string>{"horaires de la mairie", title}));
}

TEST_F(directline, the_stream_echoes_then_answers) {
    auto start = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    ASSERT_EQ(start.status, 201);
    auto conv = std::string(start.json().at("conversationId").as_string());
    auto token = std::string(start.json().at("token").as_string());
    auto url = std::string(start.json().at("streamUrl").as_string());
    ws_client ws(port(), url.substr(url.find("/v3/")));
    auto greeting = ws.next();  // the conversation's greeting, sent on connecting
    EXPECT_EQ(greeting.at("activities").at(0).at("from").at("role"), "bot");
    post(port(), "/v3/directline/conversations/" + conv + "/activities",
         R"({"type":"message","from":{"id":"u"},"text":"bonjour","channelData":{"clientActivityID":"x9"}})", bearer(token));
    auto echo = ws.next();
    EXPECT_EQ(echo.at("activities").at(0).at("channelData").at("clientActivityID"), "x9");
    auto bot = ws.next();
    EXPECT_EQ(bot.at("activities").at(0).at("from").at("role"), "bot");
    EXPECT_EQ(bot.at("watermark"), "3");
}

// Messages posted while the stream opens: each activity reaches the stream once, in order
// (the stream sent the entry it was told of, then the backlog, so one posted between the
// handshake and the listener came twice).
TEST_F(directline, a_stream_opened_while_messages_arrive_sends_each_activity_once_in_order) {
    for (int round = 0; round < 5; ++round) {
        auto start = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
        ASSERT_EQ(start.status, 201);
        auto conv = std::string(start.json().at("conversationId").as_string());
        auto token = std::string(start.json().at("token").as_string());
        auto url = std::string(start.json().at("streamUrl").as_string());
        const std::string path = "/v3/directline/conversations/" + conv + "/activities";
        constexpr int messages = 6;
        std::thread poster([&] {
            for (int i = 0; i < messages; ++i)
                post(port(), path,
                     R"({"type":"message","from":{"id":"u"},"text":"bonjour )" + std::to_string(i) + R"("})",
                     bearer(token));
        });
        ws_client ws(port(), url.substr(url.find("/v3/")));
        poster.join();
        // What the log holds once every turn is answered (each POST waits for its turn).
        auto all = request(port(), verb::get, path, "", bearer(token));
        ASSERT_EQ(all.status, 200);
        std::vector<std::string> expected;
        const auto listed = all.json();
        for (auto& a : listed.at("activities").as_array())
            expected.push_back(std::string(a.at("id").as_string()));
        ASSERT_GE(expected.size(), std::size_t(messages) + 1);
        std::vector<std::string> ids;
        while (std::find(ids.begin(), ids.end(), expected.back()) == ids.end()) {
            auto frame = ws.next();
            for (auto& a : frame.at("activities").as_array())
                ids.push_back(std::string(a.at("id").as_string()));
        }
        EXPECT_EQ(ids, expected) << "each once, in order (round " << round << ")";
    }
}

TEST_F(directline, refusals_have_the_statuses_clients_expect) {
    guichet::test::logged_warnings log;
    EXPECT_EQ(post(port(), "/v3/directline/tokens/generate", "").status, 401);
    EXPECT_EQ(post(port(), "/v3/directline/tokens/generate", "", bearer("wrong")).status, 403);
    // A wrong secret on the town's side (every Web Chat then fails to start) is said in the
    // log with the fix, never the secret sent.
    auto said = log.with("on tokens/generate");
    ASSERT_EQ(said.size(), 2u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said[1].find("GUICHET_DIRECTLINE_SECRET"), std::string::npos) << said[1];
    EXPECT_NE(said[1].find("refused a call from 127.0.0.1"), std::string::npos) << said[1];
    for (auto& l : said) EXPECT_EQ(l.find("wrong"), std::string::npos) << l;
    EXPECT_EQ(request(port(), verb::get, "/v3/directline/conversations/nope/activities", "", bearer("s3cret")).status, 404);
    auto a = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    auto b = post(port(), "/v3/directline/conversations", "", bearer("s3cret"));
    auto b_token = std::string(b.json().at("token").as_string());
    auto a_conv = std::string(a.json().at("conversationId").as_string());
    EXPECT_EQ(request(port(), verb::get, "/v3/directline/conversations/" + a_conv + "/activities", "", bearer(b_token)).status, 403);
    auto refreshed = post(port(), "/v3/directline/tokens/refresh", "", bearer(b_token));
    ASSERT_EQ(refreshed.status, 200);
    EXPECT_EQ(refreshed.json().at("conversationId"), b.json().at("conversationId"));
    auto pre = request(port(), verb::options, "/v3/directline/conversations", "",
                       {{"Origin", "http://localhost"}, {"Access-Control-Request-Headers", "x-ms-bot-agent"}});
    EXPECT_EQ(pre.status, 403);  // not in this server's CORS list
}

// After a restart the server no longer holds the conversation: Web Chat reconnecting with its
// token was told 404 and stopped. The conversation goes on, numbered past the watermark the
// client holds; the secret alone still opens no conversation it does not know.
TEST(directline_restart, a_conversation_goes_on_with_its_token_after_a_restart) {
    const std::string config =
        "limits:\n  rate_per_minute: 0\ndirectline:\n  secret: s3cret\nweb:\n  token_secret: same-key\n";
    std::string conv, token, watermark;
    {
        web_server before(config);
        auto start = post(before.port(), "/v3/directline/conversations", "", bearer("s3cret"));
        ASSERT_EQ(start.status, 201) << start.body;
        conv = std::string(start.json().at("conversationId").as_string());
        token = std::string(start.json().at("token").as_string());
        auto path = "/v3/directline/conversations/" + conv + "/activities";
        ASSERT_EQ(post(before.port(), path, R"({"type":"message","from":{"id":"u1"},"text":"bonjour"})",
                       bearer(token)).status, 200);
        auto got = request(before.port(), verb::get, path + "?watermark=", "", bearer(token));
        watermark = std::string(got.json().at("watermark").as_string());
        ASSERT_GE(std::stoull(watermark), 3u) << got.body;  // greeting, echo, answer
    }
    web_server after(config);
    const std::string at = "/v3/directline/conversations/" + conv;
    EXPECT_EQ(request(after.port(), verb::get, at + "/activities", "", bearer("s3cret")).status, 404);
    // Web Chat's reconnection: a fresh token and stream URL, from the watermark it holds.
    auto again = request(after.port(), verb::get, at + "?watermark=" + watermark, "", bearer(token));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(std::string(again.json().at("conversationId").as_string()), conv);
    auto sent = post(after.port(), at + "/activities",
                     R"({"type":"message","from":{"id":"u1"},"text":"horaires de la mairie samedi","channelData":{"clientActivityID":"cid-9"}})",
                     bearer(token));
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto got = request(after.port(), verb::get, at + "/activities?watermark=" + watermark, "", bearer(token));
    ASSERT_EQ(got.status, 200);
    auto set = got.json().as_object();
    auto& acts = set.at("activities").as_array();
    ASSERT_EQ(acts.size(), 2u) << got.body;  // no greeting again: the echo, then the answer
    EXPECT_EQ(acts[0].at("channelData").at("clientActivityID"), "cid-9");
    EXPECT_EQ(acts[1].at("from").at("role"), "bot");
    EXPECT_NE(std::string(acts[1].at("text").as_string()).find("samedi"), std::string::npos) << got.body;
    EXPECT_GT(std::stoull(std::string(set.at("watermark").as_string())), std::stoull(watermark));
    // Its stream opens too.
    auto stream_url = std::string(again.json().at("streamUrl").as_string());
    EXPECT_NE(stream_url.find("/v3/directline/conversations/" + conv + "/stream?t="), std::string::npos);
}

TEST(directline_config, expired_token_is_403_and_no_secret_is_503) {
    web_server s("directline:\n  secret: k\n  token_lifetime_s: 1\nweb:\n  cors_origins: '*'\n");
    auto start = post(s.port(), "/v3/directline/conversations", "", bearer("k"));
    auto conv = std::string(start.json().at("conversationId").as_string());
    auto token = std::string(start.json().at("token").as_string());
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    EXPECT_EQ(request(s.port(), verb::get, "/v3/directline/conversations/" + conv + "/activities", "", bearer(token)).status, 403);
    auto pre = request(s.port(), verb::options, "/v3/directline/conversations", "",
                       {{"Origin", "http://localhost:1234"}, {"Access-Control-Request-Headers", "x-ms-bot-agent"}});
    EXPECT_EQ(pre.status, 204);
    EXPECT_NE(pre.headers["Access-Control-Allow-Headers"].find("x-ms-bot-agent"), std::string::npos);

    web_server off("web:\n  history_max: 10\n");
    EXPECT_EQ(post(off.port(), "/v3/directline/conversations", "", bearer("k")).status, 503);
}

}  // namespace
}  // namespace guichet::test
