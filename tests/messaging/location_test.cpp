// A shared location gets the nearest places, on every platform, with the default commune's
// places plugin and knowledge: the citizen asks "où est la déchetterie la plus proche ?"
// (answered from the town hall), then shares a position 100 m from the Grands Champs
// recycling centre; the reply names it with its distance in the platform's own format
// (Telegram sendVenue, WhatsApp location message, Matrix m.location, Messenger and Slack map
// links). Slack has no location sharing: there the question names the place of origin.
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

constexpr double near_lat = 47.9191, near_lon = 1.8965;  // 100 m north of the Grands Champs
const char* question = "où est la déchetterie la plus proche ?";
const char* nearest_line = "Déchetterie des Grands Champs — à 100 m";

// Everything the platform fake received, once `want` appears in it (or after the timeout).
std::string received_once(fake_platform& api, const std::string& want) {
    std::string all;
    eventually([&] {
        all.clear();
        for (auto& r : api.requests()) all += r.target + " " + r.body + "\n";
        return all.find(want) != std::string::npos;
    });
    return all;
}

}  // namespace

TEST(messaging_location, telegram_location_gets_the_nearest_place_as_text_and_venue) {
    bench b("loc-tg", 16 * 1024, true);
    const std::map<std::string, std::string> h{{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};
    auto msg = [](long id, json::object extra) {
        json::object m{{"message_id", id}, {"date", 1700000000},
                       {"from", {{"id", 5}, {"is_bot", false}, {"language_code", "fr"}}},
                       {"chat", {{"id", 5}, {"type", "private"}}}};
        for (auto& [k, v] : extra) m[k] = v;
        return json::serialize(json::object{{"update_id", id}, {"message", m}});
    };
    auto q = call(b.port, verb::post, "/webhooks/telegram", h, msg(1, {{"text", question}}));
    ASSERT_EQ(q.status, 200u) << q.body;
    // Several replies: they go through the Bot API (the first from the town hall: no position yet).
    received_once(b.telegram_api, "Les plus proches de la mairie");
    auto r = call(b.port, verb::post, "/webhooks/telegram", h,
                  msg(2, {{"location", {{"latitude", near_lat}, {"longitude", near_lon}}}}));
    ASSERT_EQ(r.status, 200u) << r.body;
    auto sent = received_once(b.telegram_api, nearest_line);
    EXPECT_NE(sent.find("Les plus proches de vous"), std::string::npos) << sent;
    EXPECT_NE(sent.find(nearest_line), std::string::npos) << sent;
    // The venue: the place's pin and its address.
    auto at = sent.rfind("/bot123:ABC/sendVenue");
    ASSERT_NE(at, std::string::npos) << sent;
    EXPECT_NE(sent.find("\"title\":\"Déchetterie des Grands Champs\"", 0), std::string::npos) << sent;
    EXPECT_NE(sent.find("route de Chartres"), std::string::npos) << sent;
    auto saw = b.engine_saw();
    ASSERT_EQ(saw.size(), 2u);
    ASSERT_TRUE(saw[1].location);
    EXPECT_TRUE(saw[1].text.empty());
}

TEST(messaging_location, whatsapp_location_gets_the_nearest_place_and_a_location_message) {
    bench b("loc-wa", 16 * 1024, true);
    auto post = [&](const std::string& body) {
        return call(b.port, verb::post, "/webhooks/meta",
                    {{"X-Hub-Signature-256", "sha256=" + outbound::hmac_sha256_hex("meta-app-secret", body)}}, body);
    };
    ASSERT_EQ(post(whatsapp("wamid.1", {{"type", "text"}, {"text", {{"body", question}}}})).status, 200u);
    received_once(b.meta_api, "Les plus proches de la mairie");
    ASSERT_EQ(post(whatsapp("wamid.2", {{"type", "location"},
                                  {"location", {{"latitude", near_lat}, {"longitude", near_lon}}}})).status,
              200u);
    auto sent = received_once(b.meta_api, nearest_line);
    EXPECT_NE(sent.find("\"type\":\"location\""), std::string::npos) << sent;
    EXPECT_NE(sent.find(nearest_line), std::string::npos) << sent;
    EXPECT_NE(sent.find("\"name\":\"Déchetterie des Grands Champs\""), std::string::npos) << sent;
}

TEST(messaging_location, messenger_legacy_location_attachment_still_works_with_a_map_link) {
    // Messenger no longer offers location sharing (the location quick reply was removed in
    // 2019); an attachment of type "location" from an older client is still understood.
    bench b("loc-ms", 16 * 1024, true);
    auto page = [](const std::string& mid, json::object message) {
        message["mid"] = mid;
        json::object ev{{"sender", {{"id", "PSID9"}}}, {"recipient", {{"id", "PAGE"}}},
                        {"timestamp", 1700000000}, {"message", message}};
        json::object entry{{"id", "PAGE"}, {"time", 1700000000}, {"messaging", json::array{ev}}};
        return json::serialize(json::object{{"object", "page"}, {"entry", json::array{entry}}});
    };
    auto post = [&](const std::string& body) {
        return call(b.port, verb::post, "/webhooks/meta",
                    {{"X-Hub-Signature-256", "sha256=" + outbound::hmac_sha256_hex("meta-app-secret", body)}}, body);
    };
    ASSERT_EQ(post(page("m1", {{"text", question}})).status, 200u);
    received_once(b.meta_api, "Les plus proches de la mairie");
    auto before = b.meta_api.requests().size();
    json::object att{{"type", "location"},
                     {"payload", {{"coordinates", {{"lat", near_lat}, {"long", near_lon}}}}}};
    ASSERT_EQ(post(page("m2", {{"attachments", json::array{att}}})).status, 200u);
    auto sent = received_once(b.meta_api, nearest_line);
    EXPECT_NE(sent.find(nearest_line), std::string::npos) << sent;
    // Each place once: a generic-template card whose button opens the map; no text copy of it.
    bool card = false;
    auto all = b.meta_api.requests();
    for (std::size_t i = before; i < all.size(); ++i) {
        auto& r = all[i];
        auto m = json::parse(r.body).at("message").as_object();
        if (auto* t = m.if_contains("text")) {
            EXPECT_EQ(t->as_string().find("openstreetmap.org"), std::string::npos) << r.body;
            continue;
        }
        for (auto& e : m.at("attachment").at("payload").at("elements").as_array()) {
            if (e.at("title") != "Déchetterie des Grands Champs") continue;
            card = true;
            auto& button = e.at("buttons").at(0);
            EXPECT_EQ(button.at("type"), "web_url");
            EXPECT_NE(button.at("url").as_string().find("openstreetmap.org/?mlat=47.91820"), std::string::npos);
            EXPECT_EQ(button.at("title"), "Voir sur la carte");
        }
    }
    EXPECT_TRUE(card) << sent;
}

TEST(messaging_location, slack_has_no_location_the_origin_is_named_instead) {
    bench b("loc-slack", 16 * 1024, true);
    auto ts = std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count());
    json::object ev{{"type", "message"}, {"channel", "D9"}, {"channel_type", "im"}, {"user", "U9"},
                    {"text", "la déchetterie la plus proche de la piscine"}, {"ts", "1700000000.0002"}};
    auto body = json::serialize(json::object{{"type", "event_callback"}, {"event_id", "Ev9"}, {"event", ev},
                                             {"team_id", "T1"}, {"event_time", 1700000000}});
    auto r = call(b.port, verb::post, "/webhooks/slack",
                  {{"X-Slack-Request-Timestamp", ts},
                   {"X-Slack-Signature", "v0=" + outbound::hmac_sha256_hex("slack-signing", "v0:" + ts + ":" + body)}},
                  body);
    ASSERT_EQ(r.status, 200u) << r.body;
    auto sent = received_once(b.slack_api, "openstreetmap.org");
    EXPECT_NE(sent.find("de la piscine"), std::string::npos) << sent;
    EXPECT_NE(sent.find("|Déchetterie"), std::string::npos) << sent;  // <map link|name>
}

TEST(messaging_location, matrix_m_location_gets_the_nearest_place_and_an_m_location_event) {
    bench b("loc-mx", 16 * 1024, true);
    const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};
    auto txn = [](const std::string& id, json::object content) {
        json::object ev{{"type", "m.room.message"}, {"room_id", "!loc:example.org"}, {"sender", "@ana:example.org"},
                        {"event_id", id}, {"content", content}};
        return json::serialize(json::object{{"events", json::array{ev}}});
    };
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/l1", hs,
                   txn("$l1", {{"msgtype", "m.text"}, {"body", question}})).status, 200u);
    received_once(b.matrix_api, "Les plus proches de la mairie");
    ASSERT_EQ(call(b.port, verb::put, "/_matrix/app/v1/transactions/l2", hs,
                   txn("$l2", {{"msgtype", "m.location"}, {"body", "Ma position"},
                               {"geo_uri", "geo:47.9191,1.8965;u=15"}})).status, 200u);
    auto sent = received_once(b.matrix_api, nearest_line);
    EXPECT_NE(sent.find("de vous"), std::string::npos) << sent;
    EXPECT_NE(sent.find(nearest_line), std::string::npos) << sent;
    EXPECT_NE(sent.find("\"msgtype\":\"m.location\",\"body\":\"Déchetterie des Grands Champs\""),
              std::string::npos) << sent;
}
