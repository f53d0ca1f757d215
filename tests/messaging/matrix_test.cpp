// Matrix application service through the real server: hs_token, transactions deduplicated
// on txnId, replies PUT to the client-server API fake with the as_token, locations.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "harness.h"
#include "matrix/matrix.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet;
using namespace guichet::test;

namespace {

const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};

std::string txn(const std::string& event_id, json::object content, const std::string& sender = "@ana:example.org") {
    json::object ev{{"type", "m.room.message"}, {"room_id", "!room:example.org"}, {"sender", sender},
                    {"event_id", event_id}, {"content", content}};
    return json::serialize(json::object{{"events", json::array{ev}}});
}

std::string text(const std::string& event_id, const std::string& body) {
    return txn(event_id, {{"msgtype", "m.text"}, {"body", body}});
}

std::string events(json::array list) { return json::serialize(json::object{{"events", std::move(list)}}); }

json::object event(const std::string& event_id, json::object content, const std::string& sender = "@ana:example.org",
                   const std::string& type = "m.room.message") {
    return {{"type", type}, {"room_id", "!room:example.org"}, {"sender", sender}, {"event_id", event_id},
            {"content", std::move(content)}};
}

}  // namespace

TEST(matrix, message_is_answered_through_the_client_server_api) {
    bench b("mx-answer");
    auto r = call(b.port, verb::put, "/_matrix/app/v1/transactions/t1", hs, text("$e1", "numéro de téléphone de la mairie"));
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.body, "{}");
    auto sent = b.matrix_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method, "PUT");
    EXPECT_EQ(sent[0].target.rfind("/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/guichet.", 0), 0u)
        << sent[0].target;
    EXPECT_EQ(sent[0].authorization, "Bearer as-secret");
    auto v = json::parse(sent[0].body);
    EXPECT_EQ(v.at("msgtype"), "m.notice");  // the convention for bots: never answered by bots
    EXPECT_NE(std::string(v.at("body").as_string()).find("1. Horaires de la mairie"), std::string::npos);
}

TEST(matrix, query_string_token_of_older_homeservers_is_accepted) {
    bench b("mx-query");
    auto r = call(b.port, verb::put, "/_matrix/app/v1/transactions/t1?access_token=hs-secret", {},
                  text("$e1", "horaires de la mairie"));
    EXPECT_EQ(r.status, 200u);
    EXPECT_EQ(b.matrix_api.wait_for(1).size(), 1u);
}

TEST(matrix, wrong_or_missing_hs_token_is_refused_and_nothing_processed) {
    bench b("mx-auth");
    logged_warnings log;
    auto missing = call(b.port, verb::put, "/_matrix/app/v1/transactions/t1", {}, text("$e1", "horaires"));
    EXPECT_EQ(missing.status, 401u);
    EXPECT_NE(missing.body.find("M_UNAUTHORIZED"), std::string::npos);
    auto wrong = call(b.port, verb::put, "/_matrix/app/v1/transactions/t1", {{"Authorization", "Bearer as-secret"}},
                      text("$e1", "horaires"));
    EXPECT_EQ(wrong.status, 403u);
    EXPECT_NE(wrong.body.find("M_FORBIDDEN"), std::string::npos);
    // Both said in the log with the fix (the registration file's hs_token), never the token.
    ASSERT_EQ(log.with("no hs_token").size(), 1u) << ::testing::PrintToString(log.lines());
    auto said_wrong = log.with("wrong hs_token");
    ASSERT_EQ(said_wrong.size(), 1u) << ::testing::PrintToString(log.lines());
    EXPECT_NE(said_wrong[0].find("refused a call from 127.0.0.1"), std::string::npos) << said_wrong[0];
    EXPECT_NE(said_wrong[0].find("GUICHET_MATRIX_HS_TOKEN"), std::string::npos) << said_wrong[0];
    for (auto& l : log.lines()) {
        EXPECT_EQ(l.find("as-secret"), std::string::npos) << l;
        EXPECT_EQ(l.find("horaires"), std::string::npos) << l;
    }
    EXPECT_TRUE(b.engine_saw().empty());
}

TEST(matrix, a_retried_transaction_is_answered_once_and_own_messages_are_ignored) {
    bench b("mx-dup");
    auto body = text("$e1", "horaires de la mairie");
    EXPECT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/t7", hs, body).status, 200u);
    EXPECT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/t7", hs, body).status, 200u);
    auto own = txn("$e2", {{"msgtype", "m.text"}, {"body", "horaires de la mairie"}}, "@guichet:example.org");
    EXPECT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/t8", hs, own).status, 200u);
    b.matrix_api.wait_for(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.matrix_api.requests().size(), 1u);
    EXPECT_EQ(b.engine_saw().size(), 1u);
}

TEST(matrix, shared_location_reaches_the_engine) {
    bench b("mx-location");
    auto body = txn("$e3", {{"msgtype", "m.location"}, {"body", "Ma position"}, {"geo_uri", "geo:47.9029,1.9093;u=20"}});
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/t9", hs, body).status, 200u);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 1u);
    ASSERT_TRUE(saw[0].location);
    EXPECT_DOUBLE_EQ(saw[0].location->lat, 47.9029);
    EXPECT_EQ(saw[0].conversation_id, "!room:example.org/@ana:example.org");
}

// A room is shared: each member talks to the bot in their own conversation (their buttons,
// their report, their request to a person), and every answer goes to the room.
TEST(matrix, each_member_of_a_room_has_their_own_conversation) {
    bench b("mx-members");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/m1", hs,
                   text("$m1", "numéro de téléphone de la mairie")).status, 200u);
    b.matrix_api.wait_for(1);
    // Bob's "1" is not a press on the list offered to Ana; Ana's is.
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/m2", hs,
                   txn("$m2", {{"msgtype", "m.text"}, {"body", "1"}}, "@bob:example.org")).status, 200u);
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/m3", hs, text("$m3", "1")).status, 200u);
    auto sent = b.matrix_api.wait_for(3);
    ASSERT_EQ(sent.size(), 3u);
    for (auto& s : sent)
        EXPECT_EQ(s.target.rfind("/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/", 0), 0u)
            << s.target;
    auto body = [&](int i) { return std::string(json::parse(sent[i].body).at("body").as_string()); };
    EXPECT_EQ(body(1).find("ouverte du lundi"), std::string::npos) << body(1);
    EXPECT_NE(body(2).find("ouverte du lundi"), std::string::npos) << body(2);
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 3u);
    EXPECT_EQ(saw[1].conversation_id, "!room:example.org/@bob:example.org");
    EXPECT_EQ(saw[2].conversation_id, "!room:example.org/@ana:example.org");
}

TEST(matrix, buttons_are_a_numbered_list_and_a_typed_number_or_title_presses_them) {
    bench b("mx-buttons");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/b1", hs,
                   text("$b1", "numéro de téléphone de la mairie")).status, 200u);
    auto sent = b.matrix_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto v = json::parse(sent[0].body).as_object();
    std::string body(v.at("body").as_string());
    EXPECT_NE(body.find("\n1. Horaires de la mairie\n2. Démarches"), std::string::npos) << body;
    EXPECT_EQ(v.at("format"), "org.matrix.custom.html");
    std::string html(v.at("formatted_body").as_string());
    EXPECT_NE(html.find("<ol start=\"1\"><li>Horaires de la mairie</li><li>Démarches</li></ol>"),
              std::string::npos) << html;

    // "1" is the first button: its payload reaches the engine, which answers the hours.
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/b2", hs, text("$b2", "1")).status, 200u);
    sent = b.matrix_api.wait_for(2);
    ASSERT_EQ(sent.size(), 2u);
    EXPECT_NE(std::string(json::parse(sent[1].body).at("body").as_string()).find("ouverte du lundi"),
              std::string::npos) << sent[1].body;

    // The title typed back works too (after a new list); a number out of range is just text.
    call(b.port, verb::put, "/_matrix/app/v1/transactions/b3", hs, text("$b3", "numero mairie"));
    b.matrix_api.wait_for(3);
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/b4", hs, text("$b4", "démarches")).status, 200u);
    sent = b.matrix_api.wait_for(4);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_NE(std::string(json::parse(sent[3].body).at("body").as_string()).find("démarches possibles"),
              std::string::npos) << sent[3].body;
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 4u);
    EXPECT_EQ(saw[1].text, "1");  // the connector passes the words; the engine maps them
}

TEST(matrix, html_in_a_button_title_is_escaped_in_formatted_body) {
    turn_result r;
    reply rep;
    rep.text = "Choisissez <b>vite</b> :";
    rep.buttons.push_back({"A & B <script>", "a"});
    r.replies.push_back(rep);
    auto out = matrix::render("!r:x", r);
    ASSERT_EQ(out.size(), 1u);
    auto v = json::parse(out[0].body).as_object();
    EXPECT_EQ(v.at("formatted_body"),
              "Choisissez &lt;b&gt;vite&lt;/b&gt; :<ol start=\"1\"><li>A &amp; B &lt;script&gt;</li></ol>");
    EXPECT_EQ(v.at("body"), "Choisissez <b>vite</b> :\n1. A & B <script>");
}

TEST(matrix, the_bot_joins_a_room_it_is_invited_to) {
    bench b("mx-invite");
    auto invite = event("$inv", {{"membership", "invite"}}, "@ana:example.org", "m.room.member");
    invite["state_key"] = "@guichet:example.org";
    auto other = event("$inv2", {{"membership", "invite"}}, "@ana:example.org", "m.room.member");
    other["state_key"] = "@bob:example.org";
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/i1", hs, events({invite, other})).status, 200u);
    auto sent = b.matrix_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent[0].method, "POST");
    EXPECT_EQ(sent[0].target, "/_matrix/client/v3/rooms/%21room%3Aexample.org/join");
    EXPECT_EQ(sent[0].authorization, "Bearer as-secret");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(b.matrix_api.requests().size(), 1u);
}

namespace {

json::object invitation(bool direct, const std::string& by = "@ana:example.org") {
    auto ev = event("$inv", {{"membership", "invite"}}, by, "m.room.member");
    ev["state_key"] = "@guichet:example.org";
    if (direct) ev["content"].as_object()["is_direct"] = true;
    return ev;
}

// The sends (not the join) from the n-th on, once there are at least n + count of them.
std::vector<recorded> sends(bench& b, std::size_t from, std::size_t count) {
    std::vector<recorded> out;
    eventually([&] {
        out.clear();
        for (auto& r : b.matrix_api.requests())
            if (r.target.find("/send/") != std::string::npos) out.push_back(r);
        return out.size() >= from + count;
    });
    if (out.size() < from + count) return {};
    return {out.begin() + static_cast<std::ptrdiff_t>(from), out.end()};
}

}  // namespace

// In a room with other members, who an answer is for was not said: it now replies to the
// member's message and mentions them (the turn's first event only); a direct chat is unchanged.
TEST(matrix, in_a_group_room_the_answer_replies_to_the_members_message_and_mentions_them) {
    bench b("mx-group-address");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/g0", hs, events({invitation(false)})).status, 200u);
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/g1", hs,
                   events({event("$q1", {{"msgtype", "m.text"}, {"body", "où est la piscine ?"}}, "@bob:example.org")}))
                  .status,
              200u);
    auto sent = sends(b, 0, 1);
    ASSERT_FALSE(sent.empty());
    auto first = json::parse(sent[0].body).as_object();
    EXPECT_EQ(first.at("m.relates_to").at("m.in_reply_to").at("event_id"), "$q1") << sent[0].body;
    EXPECT_EQ(first.at("m.mentions").at("user_ids"), json::array{"@bob:example.org"}) << sent[0].body;
    for (std::size_t i = 1; i < sent.size(); ++i)  // the rest of the turn follows it, not quoting again
        EXPECT_FALSE(json::parse(sent[i].body).as_object().contains("m.relates_to")) << sent[i].body;
}

TEST(matrix, a_direct_chat_is_answered_plainly_until_a_third_member_joins) {
    bench b("mx-direct");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/d0", hs, events({invitation(true)})).status, 200u);
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/d1", hs, text("$d1", "horaires de la mairie")).status,
              200u);
    auto plain = sends(b, 0, 1);
    ASSERT_FALSE(plain.empty());
    for (auto& r : plain) {
        auto o = json::parse(r.body).as_object();
        EXPECT_FALSE(o.contains("m.relates_to")) << r.body;
        EXPECT_FALSE(o.contains("m.mentions")) << r.body;
    }
    const auto before = plain.size();
    auto join = event("$j", {{"membership", "join"}}, "@bob:example.org", "m.room.member");
    join["state_key"] = "@bob:example.org";
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/d2", hs,
                   events({join, event("$d3", {{"msgtype", "m.text"}, {"body", "horaires de la médiathèque"}})}))
                  .status,
              200u);
    auto after = sends(b, before, 1);
    ASSERT_FALSE(after.empty());
    auto o = json::parse(after[0].body).as_object();
    EXPECT_EQ(o.at("m.relates_to").at("m.in_reply_to").at("event_id"), "$d3") << after[0].body;
    EXPECT_EQ(o.at("m.mentions").at("user_ids"), json::array{"@ana:example.org"});
}

TEST(matrix, without_a_configured_user_id_the_bot_learns_it_and_never_answers_itself) {
    bench b("mx-whoami", 16 * 1024, false, [](config& c) { c.set("matrix.user_id", ""); });
    b.matrix_api.respond_to("/_matrix/client/v3/account/whoami", 200, R"({"user_id":"@guichet:example.org"})");
    auto own = event("$own", {{"msgtype", "m.text"}, {"body", "horaires de la mairie"}}, "@guichet:example.org");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/w1", hs, events({own})).status, 200u);
    auto ana = event("$ana", {{"msgtype", "m.text"}, {"body", "horaires de la mairie"}});
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/w2", hs, events({ana})).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() >= 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.engine_saw()[0].user_id, "@ana:example.org");
    auto sent = sends(b, 0, 1);
    ASSERT_FALSE(sent.empty());
    for (auto& r : sent) EXPECT_EQ(json::parse(r.body).at("msgtype"), "m.notice") << r.body;
}

TEST(matrix, a_reply_is_read_without_its_quote_and_an_edit_is_not_answered_again) {
    bench b("mx-reply");
    auto reply = event("$r1", {{"msgtype", "m.text"},
                               {"body", "> <@guichet:example.org> Bonjour, que puis-je faire ?\n> deuxième ligne\n\n"
                                        "horaires de la mairie"},
                               {"m.relates_to", {{"m.in_reply_to", {{"event_id", "$bot1"}}}}}});
    auto edit = event("$r2", {{"msgtype", "m.text"},
                              {"body", " * horaires de la mairie ?"},
                              {"m.new_content", {{"msgtype", "m.text"}, {"body", "horaires de la mairie ?"}}},
                              {"m.relates_to", {{"rel_type", "m.replace"}, {"event_id", "$r1"}}}});
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/r1", hs, events({reply, edit})).status, 200u);
    ASSERT_TRUE(eventually([&] { return b.engine_saw().size() >= 1; }));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ASSERT_EQ(b.engine_saw().size(), 1u);
    EXPECT_EQ(b.engine_saw()[0].text, "horaires de la mairie");
}

// An application service receives end-to-end encrypted messages as m.room.encrypted, which it
// cannot read: the sender is told so (they were left unanswered).
TEST(matrix, an_encrypted_message_gets_a_request_to_write_without_encryption) {
    bench b("mx-encrypted");
    auto body = events({event("$enc", {{"algorithm", "m.megolm.v1.aes-sha2"}, {"ciphertext", "AwgAEnAC…"},
                                       {"sender_key", "abc"}, {"session_id", "s1"}, {"device_id", "DEV"}},
                              "@ana:example.org", "m.room.encrypted")});
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/te1", hs, body).status, 200u);
    auto sent = b.matrix_api.wait_for(1);
    ASSERT_EQ(sent.size(), 1u);
    auto said = std::string(json::parse(sent[0].body).at("body").as_string());
    EXPECT_NE(said.find("chiffrés de bout en bout"), std::string::npos) << said;
    EXPECT_NE(said.find("end-to-end encrypted"), std::string::npos) << said;
    EXPECT_TRUE(b.engine_saw().empty());
}

// Rate limited, a homeserver says how long to wait in the body's retry_after_ms (older ones
// send no Retry-After header): the reply waits that long, not the outbox's 100–400 ms.
TEST(matrix, a_rate_limit_is_waited_out_for_its_retry_after_ms) {
    bench b("mx-429");
    b.matrix_api.respond_to("/_matrix/client/v3/rooms/", 429,
                            R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":1500})");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/tr1", hs, text("$r1", "horaires de la mairie")).status,
              200u);
    ASSERT_TRUE(eventually([&] { return b.matrix_api.attempts() >= 1; }));
    b.matrix_api.respond_to("/_matrix/client/v3/rooms/", 200, R"({"event_id":"$sent"})");
    ASSERT_TRUE(eventually([&] { return b.matrix_api.requests().size() == 1; }, std::chrono::seconds(5)));
    auto t = b.matrix_api.attempt_times();
    ASSERT_GE(t.size(), 2u);
    EXPECT_GE(std::chrono::duration_cast<std::chrono::milliseconds>(t[1] - t[0]).count(), 1450);
    EXPECT_EQ(b.matrix_api.attempts(), 2u);
}
