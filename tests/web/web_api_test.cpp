// The website channel over real HTTP and WebSocket on 127.0.0.1: conversations and tokens,
// messages, history, the live socket and server pushes, limits (sizes, rate, connections,
// trusted proxies), CORS, the widget's files and their security headers.
#include "harness.h"

#include <algorithm>
#include <mutex>

#include "engine/log.h"

namespace guichet::test {
namespace {

using verb = beast::http::verb;
namespace json = boost::json;

const char* base_config = R"(
limits:
  rate_per_minute: 0
web:
  cors_origins: https://www.saint-exemple.fr
  ws_message_max: 2048
)";

class web_api : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new web_server(base_config); }
    static void TearDownTestSuite() { delete server_; }
    unsigned short port() { return server_->port(); }
    static web_server* server_;

    // Starts a conversation; returns {id, token}.
    std::pair<std::string, std::string> start() {
        auto r = post(port(), "/api/v1/conversations", "");
        EXPECT_EQ(r.status, 201) << r.body;
        auto o = r.json().as_object();
        EXPECT_GT(o.at("expires_in").as_int64(), 0);
        return {std::string(o.at("conversation").as_string()), std::string(o.at("token").as_string())};
    }
};
web_server* web_api::server_ = nullptr;

TEST_F(web_api, a_message_with_the_conversation_token_is_answered) {
    auto [id, token] = start();
    auto r = post(port(), "/api/v1/messages",
                  json::serialize(json::object{{"conversation", id}, {"text", "horaires de la mairie samedi"}}),
                  bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    auto o = r.json().as_object();
    EXPECT_EQ(o.at("intent").at("name"), "hours.town_hall");
    auto& reply = o.at("replies").as_array().at(0).as_object();
    EXPECT_NE(std::string(reply.at("text").as_string()).find("samedi"), std::string::npos);
    EXPECT_EQ(reply.at("buttons").as_array().size(), 2u);
    EXPECT_FALSE(o.contains("token"));  // a known conversation gets no new token
}

// The page's language ("locale_hint") answers a text too short to tell its own ("funeral" on an
// English page was answered in French); a text that tells, and then the conversation, win.
TEST_F(web_api, the_page_language_decides_only_what_the_text_does_not_tell) {
    auto locale_of = [&](const std::pair<std::string, std::string>& conversation,
                         const std::string& text, const char* hint) {
        json::object body{{"conversation", conversation.first}, {"text", text}};
        if (hint) body["locale_hint"] = hint;
        auto r =
            post(port(), "/api/v1/messages", json::serialize(body), bearer(conversation.second));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? std::string(r.json().as_object().at("locale").as_string()) : "";
    };
    EXPECT_EQ(locale_of(start(), "zorglub", nullptr), "fr");
    EXPECT_EQ(locale_of(start(), "zorglub", "en"), "en");
    EXPECT_EQ(locale_of(start(), "zorglub", "en-GB"), "en");
    auto french = start();
    EXPECT_EQ(locale_of(french, "horaires de la mairie samedi", "en"), "fr");
    EXPECT_EQ(locale_of(french, "zorglub", "en"), "fr");  // the conversation's language
    auto [id, token] = start();
    auto r =
        post(port(), "/api/v1/messages",
             json::serialize(json::object{{"conversation", id}, {"text", "x"}, {"locale_hint", 5}}),
             bearer(token));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json().at("error").at("message"), "\"locale_hint\" must be a string") << r.body;
}

TEST_F(web_api, a_known_conversation_needs_its_own_token) {
    auto [id, token] = start();
    auto [other, other_token] = start();
    auto body = json::serialize(json::object{{"conversation", id}, {"text", "bonjour"}});
    EXPECT_EQ(post(port(), "/api/v1/messages", body).status, 401);
    EXPECT_EQ(post(port(), "/api/v1/messages", body, bearer(other_token)).status, 403);
    EXPECT_EQ(post(port(), "/api/v1/messages", body, bearer(token + "x")).status, 403);
    EXPECT_EQ(post(port(), "/api/v1/messages", body, bearer(token)).status, 200);
}

TEST_F(web_api, a_new_conversation_id_is_accepted_without_token_and_gets_one) {
    auto id = "curl-" + std::to_string(::getpid());
    auto r = post(port(), "/api/v1/messages", json::serialize(json::object{{"conversation", id}, {"text", "bonjour"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto token = std::string(r.json().at("token").as_string());
    auto again = json::serialize(json::object{{"conversation", id}, {"text", "merci"}});
    EXPECT_EQ(post(port(), "/api/v1/messages", again).status, 401);
    EXPECT_EQ(post(port(), "/api/v1/messages", again, bearer(token)).status, 200);
}

TEST_F(web_api, history_holds_both_sides_in_order_and_needs_the_token) {
    auto [id, token] = start();
    post(port(), "/api/v1/messages", json::serialize(json::object{{"conversation", id}, {"text", "bonjour"}}), bearer(token));
    post(port(), "/api/v1/messages",
         json::serialize(json::object{{"conversation", id}, {"payload", "merci"}, {"title", "Merci !"}, {"client_id", "c1"}}),
         bearer(token));
    auto path = "/api/v1/conversations/" + id + "/messages";
    EXPECT_EQ(request(port(), verb::get, path).status, 401);
    auto r = request(port(), verb::get, path, "", bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    auto hv = r.json();
    auto& m = hv.at("messages").as_array();
    ASSERT_EQ(m.size(), 4u);
    EXPECT_EQ(m[0].at("from"), "user");
    EXPECT_EQ(m[0].at("text"), "bonjour");
    EXPECT_EQ(m[1].at("from"), "bot");
    EXPECT_EQ(m[2].at("client_id"), "c1");
    EXPECT_EQ(m[2].at("title"), "Merci !");  // the pressed button as the citizen saw it
    EXPECT_EQ(m[2].at("payload"), "merci");
    EXPECT_EQ(m[3].at("reply_to"), "c1");
    EXPECT_TRUE(m[1].as_object().contains("time"));
    auto after = request(port(), verb::get, path + "?after=3", "", bearer(token));
    EXPECT_EQ(after.json().at("messages").as_array().size(), 1u);
    EXPECT_EQ(request(port(), verb::get, path + "?after=x", "", bearer(token)).status, 400);
}

TEST_F(web_api, a_token_can_be_refreshed_with_a_valid_one) {
    auto [id, token] = start();
    auto r = post(port(), "/api/v1/conversations/" + id + "/token", "", bearer(token));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(r.json().at("conversation").as_string()), id);
    EXPECT_EQ(post(port(), "/api/v1/conversations/" + id + "/token", "").status, 401);
}

// A page left open, or reopened the next morning, past its token's hour (a citizen waiting for
// an agent) keeps its conversation: an expired token still gets a new one for a day
// (web.token_renewable_s), and only that; an older one, or another conversation's, does not.
TEST(web_api_tokens, an_expired_token_renews_its_conversation_within_a_day_and_opens_nothing_else) {
    web_server s("limits:\n  rate_per_minute: 0\nweb:\n  token_secret: renew-secret\n");
    const web::token_signer signer("renew-secret");
    auto opened = post(s.port(), "/api/v1/conversations", "");
    ASSERT_EQ(opened.status, 201) << opened.body;
    const std::string id(opened.json().at("conversation").as_string());
    const auto an_hour_ago = signer.issue("web", id, std::chrono::seconds(-3600));
    auto msg = json::serialize(json::object{{"conversation", id}, {"text", "bonjour"}});
    EXPECT_EQ(post(s.port(), "/api/v1/messages", msg, bearer(an_hour_ago)).status, 403);
    auto r = post(s.port(), "/api/v1/conversations/" + id + "/token", "", bearer(an_hour_ago));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(std::string(r.json().at("conversation").as_string()), id);
    const std::string renewed(r.json().at("token").as_string());
    EXPECT_EQ(post(s.port(), "/api/v1/messages", msg, bearer(renewed)).status, 200);
    const auto two_days_ago = signer.issue("web", id, std::chrono::seconds(-2 * 86400));
    EXPECT_EQ(post(s.port(), "/api/v1/conversations/" + id + "/token", "", bearer(two_days_ago)).status, 403);
    EXPECT_EQ(post(s.port(), "/api/v1/conversations/other/token", "", bearer(an_hour_ago)).status, 403);
}

TEST_F(web_api, bad_input_gets_clear_errors) {
    auto [id, token] = start();
    auto r = post(port(), "/api/v1/messages", "{not json", bearer(token));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("malformed JSON"), std::string::npos);
    r = post(port(), "/api/v1/messages", json::serialize(json::object{{"conversation", id}}), bearer(token));
    EXPECT_EQ(r.status, 400);
    r = post(port(), "/api/v1/messages",
             json::serialize(json::object{{"conversation", id}, {"payload", "merci"}, {"title", 3}}), bearer(token));
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.json().at("error").at("message"), "\"title\" must be a string") << r.body;
    r = post(port(), "/api/v1/messages",
             json::serialize(json::object{{"conversation", id}, {"text", std::string(5000, 'a')}}), bearer(token));
    EXPECT_EQ(r.status, 413);
    r = post(port(), "/api/v1/messages", std::string(70000, ' '), bearer(token));
    EXPECT_EQ(r.status, 413);
    // Headers over the limit (16 KiB) are 431, the status that names them.
    r = post(port(), "/api/v1/messages", "{}", {{"X-Padding", std::string(20000, 'x')}});
    EXPECT_EQ(r.status, 431) << r.body;
    EXPECT_NE(r.body.find("request headers larger than"), std::string::npos);
    EXPECT_EQ(request(port(), verb::get, "/api/v1/nothing").status, 404);
    EXPECT_EQ(request(port(), verb::get, "/api/v1/messages").status, 405);
    EXPECT_EQ(request(port(), verb::get, "/api/v1/ws").status, 426);
    // The server keeps serving.
    EXPECT_EQ(post(port(), "/api/v1/messages", json::serialize(json::object{{"conversation", id}, {"text", "bonjour"}}),
                   bearer(token)).status, 200);
}

TEST_F(web_api, cors_follows_the_allow_list) {
    auto ok = request(port(), verb::options, "/api/v1/messages", "",
                      {{"Origin", "https://www.saint-exemple.fr"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(ok.status, 204);
    EXPECT_EQ(ok.headers["Access-Control-Allow-Origin"], "https://www.saint-exemple.fr");
    EXPECT_NE(ok.headers["Access-Control-Allow-Headers"].find("Authorization"), std::string::npos);
    auto bad = request(port(), verb::options, "/api/v1/messages", "", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(bad.status, 403);
    auto r = post(port(), "/api/v1/conversations", "", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(r.headers.count("Access-Control-Allow-Origin"), 0u);
    // The town's page may read Retry-After (a 429's wait), which CORS hides unless exposed.
    auto mine = post(port(), "/api/v1/conversations", "", {{"Origin", "https://www.saint-exemple.fr"}});
    EXPECT_EQ(mine.headers["Access-Control-Expose-Headers"], "Retry-After");
}

TEST_F(web_api, the_widget_is_served_with_a_strict_csp) {
    auto page = request(port(), verb::get, "/");
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("/widget.js"), std::string::npos);
    auto csp = page.headers["Content-Security-Policy"];
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
    auto js = request(port(), verb::get, "/widget.js");
    EXPECT_EQ(js.status, 200);
    EXPECT_NE(js.headers["Content-Type"].find("javascript"), std::string::npos);
    EXPECT_EQ(js.body.find("innerHTML"), std::string::npos);  // text is rendered as text
}

TEST_F(web_api, the_websocket_answers_and_forwards_pushes) {
    auto [id, token] = start();
    ws_client ws(port(), "/api/v1/ws?token=" + token);
    auto ready = ws.next();
    EXPECT_EQ(ready.at("type"), "ready");
    EXPECT_EQ(std::string(ready.at("conversation").as_string()), id);
    ws.send(R"({"text":"horaires de la mairie samedi","client_id":"k1"})");
    auto bot = ws.until([](const json::value& v) {
        return v.at("type") == "entry" && v.at("entry").at("from") == "bot";
    });
    EXPECT_EQ(bot.at("entry").at("intent").at("name"), "hours.town_hall");
    EXPECT_EQ(bot.at("entry").at("reply_to"), "k1");

    turn_result pushed;
    pushed.conversation_id = id;
    pushed.locale = "fr";
    pushed.replies.push_back({"Un agent vous répond : bonjour !", {}, {}, {}});
    EXPECT_EQ(server_->app().push.push("web", id, pushed), 1u);
    auto p = ws.until([](const json::value& v) { return v.at("type") == "entry"; });
    EXPECT_EQ(p.at("entry").at("replies").at(0).at("text"), "Un agent vous répond : bonjour !");
    EXPECT_EQ(p.at("entry").at("pushed"), true);

    ws.send("not json");
    auto e = ws.until([](const json::value& v) { return v.at("type") == "error"; });
    EXPECT_EQ(e.at("error").at("code"), 400);
    // An error about one message names it, so the page can give its text back.
    ws.send(R"({"client_id":"c42","text":5})");
    e = ws.until([](const json::value& v) { return v.at("type") == "error"; });
    EXPECT_EQ(e.at("error").at("code"), 400);
    EXPECT_EQ(e.at("client_id"), "c42");
}

TEST_F(web_api, the_websocket_needs_a_token_and_limits_message_size) {
    std::map<std::string, std::string> upgrade{{"Connection", "Upgrade"}, {"Upgrade", "websocket"},
                                               {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="},
                                               {"Sec-WebSocket-Version", "13"}};
    EXPECT_EQ(request(port(), verb::get, "/api/v1/ws", "", upgrade).status, 401);
    EXPECT_EQ(request(port(), verb::get, "/api/v1/ws?token=abc.def", "", upgrade).status, 403);
    auto evil = upgrade;
    evil["Origin"] = "https://evil.example";
    auto [id, token] = start();
    EXPECT_EQ(request(port(), verb::get, "/api/v1/ws?token=" + token, "", evil).status, 403);

    ws_client ws(port(), "/api/v1/ws?token=" + token);
    ws.next();
    ws.send(R"({"text":")" + std::string(4000, 'a') + R"("})");
    EXPECT_THROW(ws.until([](const json::value&) { return false; }), boost::system::system_error);
    EXPECT_EQ(ws.ws().reason().code, beast::websocket::close_code::too_big);
}

TEST(web_limits, rate_limit_answers_429_with_retry_after_per_client) {
    web_server s("limits:\n  rate_per_minute: 3\n  trusted_proxies: 127.0.0.1\n");
    auto from = [&](const std::string& ip) {
        return post(s.port(), "/api/v1/conversations", "", {{"X-Forwarded-For", "203.0.113.9, " + ip}});
    };
    for (int i = 0; i < 3; ++i) EXPECT_EQ(from("198.51.100.1").status, 201);
    auto r = from("198.51.100.1");
    EXPECT_EQ(r.status, 429);
    EXPECT_GE(std::stoi(r.headers["Retry-After"]), 1);
    EXPECT_NE(r.body.find("too many requests"), std::string::npos);
    // Another citizen behind the same proxy is not affected (right-most untrusted address).
    EXPECT_EQ(from("198.51.100.2").status, 201);
    // GETs (the widget's files) are not counted.
    EXPECT_EQ(request(s.port(), verb::get, "/widget.js").status, 200);
}

// A messaging platform posts every citizen's message from a few addresses, signed: its
// webhooks are not counted per address (150 Slack events a minute got 30 × 429, then lost).
TEST(web_limits, the_platforms_webhooks_are_not_rate_limited) {
    web_server s("limits:\n  rate_per_minute: 3\n");
    s.server().route(boost::beast::http::verb::post, "/webhooks/test",
                     [](guichet::http_request& req, const guichet::request_context&)
                         -> boost::asio::awaitable<guichet::http_response> {
                         guichet::http_response res{boost::beast::http::status::ok, req.version()};
                         res.body() = "{}";
                         res.prepare_payload();
                         co_return res;
                     });
    for (int i = 0; i < 10; ++i) EXPECT_EQ(post(s.port(), "/webhooks/test", "{}").status, 200) << i;
    for (int i = 0; i < 3; ++i) EXPECT_EQ(post(s.port(), "/api/v1/conversations", "").status, 201);
    EXPECT_EQ(post(s.port(), "/api/v1/conversations", "").status, 429);  // the rest still are
}

TEST(web_limits, x_forwarded_for_is_ignored_from_an_untrusted_peer) {
    std::vector<std::string> warnings;
    std::mutex m;
    auto previous = guichet::log::set_sink([&](guichet::log::level l, std::string_view line) {
        std::lock_guard lock(m);
        if (l == guichet::log::level::warn) warnings.emplace_back(line);
    });
    web_server s("limits:\n  rate_per_minute: 2\n");
    for (int i = 0; i < 2; ++i)
        EXPECT_EQ(post(s.port(), "/api/v1/conversations", "", {{"X-Forwarded-For", "198.51.100." + std::to_string(i)}}).status, 201);
    EXPECT_EQ(post(s.port(), "/api/v1/conversations", "", {{"X-Forwarded-For", "198.51.100.77"}}).status, 429);
    guichet::log::set_sink(previous);
    // Said once, with the setting: every citizen behind that proxy shared one limit, silently.
    std::lock_guard lock(m);
    EXPECT_EQ(std::count_if(warnings.begin(), warnings.end(), [](const std::string& w) {
                  return w.find("not in limits.trusted_proxies") != std::string::npos;
              }), 1);
}

TEST(web_limits, connections_per_address_are_limited) {
    web_server s("limits:\n  max_connections_per_ip: 2\n");
    asio::io_context io;
    std::vector<std::unique_ptr<tcp::socket>> held;
    for (int i = 0; i < 2; ++i) {
        held.push_back(std::make_unique<tcp::socket>(io));
        held.back()->connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
    }
    for (int i = 0; i < 100 && s.app().io.stopped() == false; ++i) {
        auto r = request(s.port(), verb::get, "/widget.js");
        if (r.status == 429) {
            EXPECT_NE(r.body.find("too many connections"), std::string::npos);
            held.clear();
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            EXPECT_EQ(request(s.port(), verb::get, "/widget.js").status, 200);
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));  // until both are accepted
    }
    ADD_FAILURE() << "the third connection was never refused";
}

}  // namespace
}  // namespace guichet::test
