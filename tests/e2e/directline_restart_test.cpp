// Direct Line through the real `guichet serve`, stopped (SIGTERM) and started again on the same
// store: Web Chat coming back with its token and watermark finds the conversation as it was.
#include <gtest/gtest.h>

#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/site_copy.h"
#include "support/http_client.h"

namespace json = boost::json;
using boost::beast::http::verb;
using guichet::test::http_client;
using guichet::test::site_copy;

namespace {

// The token's key is not configured: `serve` keeps it in var/token_secret, beside the store.
std::map<std::string, std::string> dl_env() {
    return {{"GUICHET_DIRECTLINE_SECRET", "dl-secret"}, {"GUICHET_WEB_TOKEN_SECRET", ""}};
}

std::map<std::string, std::string> bearer(const std::string& t) { return {{"Authorization", "Bearer " + t}}; }

// "role: text" of each activity, in order.
std::vector<std::string> said(const json::value& set) {
    std::vector<std::string> out;
    for (auto& a : set.at("activities").as_array())
        out.push_back(std::string(a.at("from").at("role").as_string()) + ": " +
                      std::string(a.at("text").as_string()));
    return out;
}

std::vector<std::string> ids(const json::value& set) {
    std::vector<std::string> out;
    for (auto& a : set.at("activities").as_array()) out.push_back(std::string(a.at("id").as_string()));
    return out;
}

}  // namespace

// Activities were kept in memory only: after a restart, Web Chat reconnecting with its token got
// nothing of the conversation before, although every message was in the store.
TEST(e2e_directline_restart, a_conversation_is_rebuilt_from_the_store_after_a_restart) {
    site_copy site;
    std::string conv, token, watermark;
    json::value before;
    {
        auto first = site.start(dl_env());
        ASSERT_TRUE(first->started()) << first->stderr_text();
        http_client c(first->port());
        auto start = c.request(verb::post, "/v3/directline/conversations", "", bearer("dl-secret"));
        ASSERT_EQ(start.status, 201) << start.body;
        auto o = json::parse(start.body);
        conv = std::string(o.at("conversationId").as_string());
        token = std::string(o.at("token").as_string());
        auto sent = c.request(verb::post, "/v3/directline/conversations/" + conv + "/activities",
                              R"({"type":"message","from":{"id":"u1"},"text":"horaires de la mairie samedi"})",
                              bearer(token));
        ASSERT_EQ(sent.status, 200) << sent.body;
        auto got = c.request(verb::get, "/v3/directline/conversations/" + conv + "/activities", "", bearer(token));
        ASSERT_EQ(got.status, 200) << got.body;
        before = json::parse(got.body);
        watermark = std::string(before.at("watermark").as_string());
        ASSERT_GE(before.at("activities").as_array().size(), 3u) << got.body;  // greeting, echo, answer
        EXPECT_EQ(first->stop(SIGTERM), 0) << first->stderr_text();
    }
    ASSERT_TRUE(std::filesystem::exists(site.dir / "var/token_secret"));
    auto second = site.start(dl_env());
    ASSERT_TRUE(second->started()) << second->stderr_text();
    http_client c(second->port());
    const std::string at = "/v3/directline/conversations/" + conv;

    // The token from before still opens it; the whole conversation, in order, numbered as before.
    auto all = c.request(verb::get, at + "/activities", "", bearer(token));
    ASSERT_EQ(all.status, 200) << all.body;
    auto after = json::parse(all.body);
    EXPECT_EQ(said(after), said(before)) << all.body;
    EXPECT_EQ(ids(after), ids(before)) << all.body;
    auto& acts = after.at("activities").as_array();
    ASSERT_GE(acts.size(), 3u);
    EXPECT_EQ(acts[1].at("from").at("id"), "u1");
    EXPECT_EQ(acts[2].at("replyToId"), acts[1].at("id"));
    EXPECT_EQ(std::string(after.at("watermark").as_string()), watermark);

    // From the watermark the client holds: nothing old again.
    auto none = c.request(verb::get, at + "/activities?watermark=" + watermark, "", bearer(token));
    ASSERT_EQ(none.status, 200) << none.body;
    EXPECT_TRUE(json::parse(none.body).at("activities").as_array().empty()) << none.body;

    // Web Chat's reconnection, then its stream from the start: the rebuilt activities.
    auto again = c.request(verb::get, at + "?watermark=" + watermark, "", bearer(token));
    ASSERT_EQ(again.status, 200) << again.body;
    {
        namespace websocket = boost::beast::websocket;
        boost::asio::io_context io;
        websocket::stream<boost::beast::tcp_stream> ws(io);
        ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), second->port()});
        ws.handshake("127.0.0.1", at + "/stream?t=" + token);
        boost::beast::flat_buffer buf;
        ws.read(buf);
        auto streamed = json::parse(boost::beast::buffers_to_string(buf.data()));
        EXPECT_EQ(said(streamed), said(before));
        ws.close(websocket::close_code::normal);
    }

    // A new message is answered, numbered past the watermark.
    auto sent = c.request(verb::post, at + "/activities",
                          R"({"type":"message","from":{"id":"u1"},"text":"et la piscine ?"})", bearer(token));
    ASSERT_EQ(sent.status, 200) << sent.body;
    auto fresh = c.request(verb::get, at + "/activities?watermark=" + watermark, "", bearer(token));
    ASSERT_EQ(fresh.status, 200) << fresh.body;
    auto next = json::parse(fresh.body);
    auto lines = said(next);
    ASSERT_GE(lines.size(), 2u) << fresh.body;
    EXPECT_EQ(lines[0], "user: et la piscine ?");
    EXPECT_EQ(lines[1].rfind("bot: ", 0), 0u) << fresh.body;
    EXPECT_NE(lines[1], "bot: ") << fresh.body;
    EXPECT_GT(std::stoull(std::string(next.at("watermark").as_string())), std::stoull(watermark));
}
