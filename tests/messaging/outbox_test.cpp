// The outbox: the platform down for a while then up → every reply delivered, in order,
// exactly once; a platform that refuses for good does not block the conversation; the
// backoff grows and stays within its jitter bounds; pushed replies go out too.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "outbox/outbox.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};

std::string text(int n, const std::string& body) {
    json::object ev{{"type", "m.room.message"}, {"room_id", "!r:example.org"}, {"sender", "@ana:example.org"},
                    {"event_id", "$e" + std::to_string(n)}, {"content", {{"msgtype", "m.text"}, {"body", body}}}};
    return json::serialize(json::object{{"events", json::array{ev}}});
}

}  // namespace

TEST(outbox, platform_down_then_up_every_reply_delivered_in_order_exactly_once) {
    bench b("ob-outage");
    b.matrix_api.down();
    const char* questions[] = {"horaires de la mairie", "numéro de téléphone de la mairie", "quelles démarches",
                               "horaires de la mairie", "quelles démarches", "numéro de téléphone de la mairie"};
    const char* expected[] = {"8h30", "Testville", "démarches possibles", "8h30", "démarches possibles", "Testville"};
    for (int i = 0; i < 6; ++i)
        ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/t" + std::to_string(i), hs,
                       text(i, questions[i])).status,
                  200u);
    EXPECT_EQ(b.messaging->outbox->pending(), 6u);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // several retries fail meanwhile
    EXPECT_EQ(b.messaging->outbox->pending(), 6u);
    b.matrix_api.up();
    auto sent = b.matrix_api.wait_for(6);
    ASSERT_EQ(sent.size(), 6u);
    for (int i = 0; i < 6; ++i)
        EXPECT_NE(sent[i].body.find(expected[i]), std::string::npos) << i << ": " << sent[i].body;
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->pending() == 0; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(b.matrix_api.requests().size(), 6u);  // nothing sent twice
}

TEST(outbox, server_errors_are_retried_and_refusals_do_not_block_the_conversation) {
    bench b("ob-errors");
    b.slack_api.respond(503, "{}");
    b.messaging->outbox->enqueue({{"slack", "C1", "chat.postMessage", R"({"channel":"C1","text":"one"})"}});
    ASSERT_TRUE(eventually([&] { return b.slack_api.attempts() >= 3; }));
    EXPECT_TRUE(b.slack_api.requests().empty());
    EXPECT_EQ(b.messaging->outbox->pending(), 1u);
    b.slack_api.respond(200, R"({"ok":false,"error":"invalid_blocks"})");  // refused for good
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->failed() == 1; }));
    b.slack_api.respond(200, R"({"ok":true})");
    b.messaging->outbox->enqueue({{"slack", "C1", "chat.postMessage", R"({"channel":"C1","text":"two"})"}});
    ASSERT_TRUE(eventually([&] { return b.messaging->outbox->pending() == 0; }));
    auto sent = b.slack_api.requests();
    ASSERT_EQ(sent.size(), 2u);  // the refused one was answered 200 {"ok":false}, then "two"
    EXPECT_NE(sent[1].body.find("two"), std::string::npos);
    EXPECT_EQ(b.messaging->outbox->failed(), 1u);
}

TEST(outbox, pushed_replies_leave_through_the_outbox) {
    bench b("ob-push");
    turn_result r;
    r.locale = "fr";
    r.replies.push_back({"Votre signalement 2026-0042 est traité.", {}, {}, {}});
    EXPECT_EQ(b.a->push.push("telegram", "42", r), 1u);
    auto sent = b.telegram_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].target, "/bot123:ABC/sendMessage");
    EXPECT_NE(sent[0].body.find("2026-0042"), std::string::npos);
}

TEST(outbox, backoff_doubles_up_to_the_cap_with_jitter) {
    outbox_options o;
    o.retry_base = std::chrono::milliseconds(100);
    o.retry_max = std::chrono::milliseconds(1000);
    for (int i = 0; i < 50; ++i) {
        auto d1 = outbox::backoff(1, o).count();
        EXPECT_GE(d1, 50);
        EXPECT_LE(d1, 100);
        auto d3 = outbox::backoff(3, o).count();
        EXPECT_GE(d3, 200);
        EXPECT_LE(d3, 400);
        auto d20 = outbox::backoff(20, o).count();
        EXPECT_GE(d20, 500);
        EXPECT_LE(d20, 1000);
    }
}

TEST(outbox, delivery_ids_are_remembered_across_reopening) {
    auto dir = temp_dir("ob-seen");
    boost::asio::io_context io;
    {
        outbox box(io, dir / "o.db");
        EXPECT_TRUE(box.first_delivery("telegram", "1"));
        EXPECT_FALSE(box.first_delivery("telegram", "1"));
        EXPECT_TRUE(box.first_delivery("slack", "1"));
        EXPECT_TRUE(box.first_delivery("slack", "2"));
        box.forget_delivery("slack", "2");  // not handled: the platform's retry must run
        EXPECT_TRUE(box.first_delivery("slack", "2"));
    }
    outbox again(io, dir / "o.db");
    EXPECT_FALSE(again.first_delivery("telegram", "1"));
    std::filesystem::remove_all(dir);
}

TEST(outbox, unopenable_file_is_a_clear_error) {
    boost::asio::io_context io;
    try {
        outbox box(io, "/proc/no/such/dir/o.db");
        FAIL() << "opened";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/proc/no/such/dir/o.db"), std::string::npos) << e.what();
    }
}

namespace {

// The gap between the first two attempts when the platform answers the first one 429.
std::chrono::milliseconds gap_after_rate_limit(bench& b, fake_platform& api, const std::string& target,
                                               const std::string& body_429,
                                               const std::map<std::string, std::string>& headers,
                                               const std::vector<guichet::outgoing>& replies) {
    api.respond_to(target, 429, body_429, headers);
    b.messaging->outbox->enqueue(replies);
    EXPECT_TRUE(eventually([&] { return api.attempts() >= 1; }));
    api.respond_to(target, 200, R"({"ok":true})");
    EXPECT_TRUE(eventually([&] { return api.requests().size() == 1; }, std::chrono::seconds(5)));
    auto t = api.attempt_times();
    if (t.size() < 2) return {};
    return std::chrono::duration_cast<std::chrono::milliseconds>(t[1] - t[0]);
}

}  // namespace

TEST(outbox, a_telegram_rate_limit_is_waited_out_before_retrying) {
    bench b("ob-tg-429");  // retries every 100–400 ms otherwise
    auto gap = gap_after_rate_limit(
        b, b.telegram_api, "/bot123:ABC/sendMessage",
        R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 2","parameters":{"retry_after":2}})",
        {{"Retry-After", "2"}}, {{"telegram", "42", "sendMessage", R"({"chat_id":42,"text":"Bonjour"})"}});
    EXPECT_GE(gap.count(), 1950);
    EXPECT_EQ(b.telegram_api.attempts(), 2u);
}

TEST(outbox, a_slack_rate_limit_is_waited_out_before_retrying) {
    bench b("ob-slack-429");
    auto gap = gap_after_rate_limit(b, b.slack_api, "/api/chat.postMessage", R"({"ok":false,"error":"ratelimited"})",
                                    {{"Retry-After", "2"}},
                                    {{"slack", "D1", "chat.postMessage", R"({"channel":"D1","text":"Bonjour"})"}});
    EXPECT_GE(gap.count(), 1950);
    EXPECT_EQ(b.slack_api.attempts(), 2u);
}
