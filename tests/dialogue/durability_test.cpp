// Nothing acknowledged is lost on a crash: 20 times in a row, the real `guichet serve` is
// killed with SIGKILL in the middle of a report (a draft waiting for "oui", and the next
// message in flight) and of a handoff, restarted on the same store, and everything the
// citizen was told is found again: the draft completes, every ticket given is in Open311,
// every handoff in the agents' inbox. Also: Open311 and the inbox over real HTTP.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include "support/http_client.h"

namespace fs = std::filesystem;
namespace json = boost::json;
using guichet::test::http_client;
using guichet::test::server_process;

namespace {

const std::string exe = std::string(GUICHET_BINARY_DIR) + "/guichet";

struct sandbox {
    fs::path dir = fs::temp_directory_path() /
                   ("guichet_durability_" + std::to_string(getpid()) + "_" +
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    sandbox() {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~sandbox() { fs::remove_all(dir); }
    std::unique_ptr<server_process> start() const {
        return std::make_unique<server_process>(
            exe, std::vector<std::string>{"serve", "--port", "0"},
            std::map<std::string, std::string>{{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                                               {"GUICHET_STORE_PATH", (dir / "state.db").string()},
                                               {"GUICHET_OPEN311_API_KEY", "secret-key"},
                                               {"GUICHET_AGENTS_PASSWORD", "staff-pw"},
                                               {"GUICHET_LIMITS_RATE_PER_MINUTE", "0"},
                                               {"GUICHET_WEB_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"},
                                               {"GUICHET_SERVER_THREADS", "2"}});
    }
};

// The web channel's tokens, per conversation (signed with a fixed secret: valid after restarts).
std::map<std::string, std::string> tokens;

json::object send(http_client& c, const std::string& conv, json::object o) {
    o["conversation"] = conv;
    o["user"] = "u-" + conv;
    if (!o.contains("locale")) o["locale"] = "fr";
    std::map<std::string, std::string> h{{"Content-Type", "application/json"}};
    if (tokens.count(conv)) h["Authorization"] = "Bearer " + tokens[conv];
    auto r = c.request(boost::beast::http::verb::post, "/api/v1/messages", json::serialize(o), h);
    EXPECT_EQ(r.status, 200) << r.body;
    auto v = json::parse(r.body);
    if (!v.is_object()) return {};
    if (auto* t = v.as_object().if_contains("token"); t && t->is_string())
        tokens[conv] = std::string(t->as_string());
    return v.as_object();
}

json::object say(http_client& c, const std::string& conv, const std::string& text) {
    return send(c, conv, json::object{{"text", text}});
}

std::string first_text(const json::object& reply) {
    auto* r = reply.if_contains("replies");
    if (!r || !r->is_array() || r->as_array().empty()) return {};
    return std::string(r->as_array()[0].at("text").as_string());
}

// "… est 2026-0042. …" → "2026-0042"
std::string ticket_in(const std::string& text) {
    for (std::size_t i = 0; i + 9 <= text.size(); ++i)
        if (std::isdigit(static_cast<unsigned char>(text[i])) && text.compare(i + 4, 1, "-") == 0 &&
            std::isdigit(static_cast<unsigned char>(text[i + 8])))
            return text.substr(i, 9);
    return {};
}

std::string agent_cookie(http_client& c) {
    auto r = c.request(boost::beast::http::verb::post, "/agents/api/login",
                       R"({"name":"agnes","password":"staff-pw"})",
                       {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 200) << r.body;
    auto sc = r.headers["Set-Cookie"];
    return sc.substr(0, sc.find(';'));
}

}  // namespace

TEST(durability, sigkill_during_report_and_handoff_20_times_in_a_row) {
    sandbox box;
    std::set<std::string> tickets, handoffs;
    for (int round = 0; round < 20; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        auto server = box.start();
        ASSERT_TRUE(server->started()) << server->stderr_text();
        http_client c(server->port());
        const std::string conv = "r" + std::to_string(round);
        const std::string hconv = "h" + std::to_string(round);

        // The previous round's draft survived its crash: "oui" files it now.
        if (round > 0) {
            auto done = say(c, "r" + std::to_string(round - 1), "oui");
            auto t = ticket_in(first_text(done));
            ASSERT_FALSE(t.empty()) << first_text(done);
            tickets.insert(t);
        }
        // Every ticket given so far is readable through Open311.
        for (auto& t : tickets) {
            auto r = c.request(boost::beast::http::verb::get, "/open311/v2/requests/" + t + ".json");
            ASSERT_EQ(r.status, 200) << t << ": " << r.body;
        }
        // Every handoff acknowledged so far is in the inbox.
        {
            http_client a(server->port());
            auto cookie = agent_cookie(a);
            auto q = a.request(boost::beast::http::verb::get, "/agents/api/queue", "", {{"Cookie", cookie}});
            ASSERT_EQ(q.status, 200) << q.body;
            for (auto& h : handoffs) EXPECT_NE(q.body.find(h), std::string::npos) << h << " lost";
        }

        // A report drafted (acknowledged with its recap), then the crash.
        auto draft = say(c, conv, "il y a un nid de poule rue Victor Hugo");
        ASSERT_NE(first_text(draft).find("Je récapitule"), std::string::npos) << first_text(draft);
        // A handoff: on duty a queue ticket, off duty a call-back ticket.
        auto h = say(c, hconv, "je veux parler à quelqu'un");
        std::string ack = first_text(h);
        if (ack.find("Aucun agent") != std::string::npos) {
            send(c, hconv, json::object{{"payload", "@handoff.request callback"}});
            ack = first_text(say(c, hconv, "06 12 34 56 78"));
            auto t = ticket_in(ack);
            ASSERT_FALSE(t.empty()) << ack;
            handoffs.insert(t);
        } else {
            ASSERT_NE(ack.find("agent"), std::string::npos) << ack;
        }
        // In the middle of the next message: kill without waiting for its answer.
        std::thread inflight([port = server->port(), hconv, token = tokens[hconv]] {
            try {
                http_client d(port);
                d.request(boost::beast::http::verb::post, "/api/v1/messages",
                          R"({"conversation":")" + hconv + R"(","text":"vous êtes là ?"})",
                          {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + token}});
            } catch (...) {
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        server->stop(SIGKILL);
        inflight.join();
    }
    EXPECT_GE(tickets.size(), 19u);
}

TEST(open311, georeport_v2_fields_errors_and_status_told_to_the_citizen) {
    sandbox box;
    auto server = box.start();
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    using boost::beast::http::verb;
    const std::map<std::string, std::string> form{{"Content-Type", "application/x-www-form-urlencoded"}};

    auto services = c.request(verb::get, "/open311/v2/services.json");
    ASSERT_EQ(services.status, 200);
    EXPECT_NE(services.body.find(R"("service_code":"voirie")"), std::string::npos);

    auto bad_key = c.request(verb::post, "/open311/v2/requests.json",
                             "api_key=wrong&service_code=voirie&lat=47.9&long=1.9", form);
    EXPECT_EQ(bad_key.status, 403);
    EXPECT_EQ(json::parse(bad_key.body).at(0).at("code").as_int64(), 403);
    auto no_place = c.request(verb::post, "/open311/v2/requests.json",
                              "api_key=secret-key&service_code=voirie", form);
    EXPECT_EQ(no_place.status, 400);
    EXPECT_NE(no_place.body.find("description"), std::string::npos);
    auto bad_lat = c.request(verb::post, "/open311/v2/requests.json",
                             "api_key=secret-key&service_code=voirie&lat=97&long=1", form);
    EXPECT_EQ(bad_lat.status, 400);
    auto unknown = c.request(verb::post, "/open311/v2/requests.json",
                             "api_key=secret-key&service_code=licornes&lat=47&long=1", form);
    EXPECT_EQ(unknown.status, 404);

    auto made = c.request(verb::post, "/open311/v2/requests.json",
                          "api_key=secret-key&service_code=eclairage&lat=47.90&long=1.90"
                          "&address_string=rue+des+%C3%89coles&description=lampadaire+%C3%A9teint",
                          form);
    ASSERT_EQ(made.status, 201) << made.body;
    std::string id(json::parse(made.body).at(0).at("service_request_id").as_string());

    auto got = c.request(verb::get, "/open311/v2/requests/" + id + ".json");
    ASSERT_EQ(got.status, 200);
    auto r = json::parse(got.body).at(0).as_object();
    for (auto* k : {"service_request_id", "status", "service_code", "description", "lat", "long",
                    "address", "requested_datetime", "updated_datetime"})
        EXPECT_TRUE(r.contains(k)) << k;
    EXPECT_EQ(r.at("address").as_string(), "rue des Écoles");
    EXPECT_EQ(r.at("status").as_string(), "open");
    EXPECT_EQ(c.request(verb::get, "/open311/v2/requests/2026-9999.json").status, 404);

    // A citizen's report through the bot, then staff close it: the citizen is told.
    say(c, "cit", "lampadaire cassé rue des Écoles");
    auto filed = say(c, "cit", "oui");
    auto ticket = ticket_in(first_text(filed));
    ASSERT_FALSE(ticket.empty()) << first_text(filed);
    auto closed = c.request(verb::post, "/open311/v2/requests/" + ticket + ".json",
                            "api_key=secret-key&status=closed&status_notes=ampoule+chang%C3%A9e", form);
    ASSERT_EQ(closed.status, 200) << closed.body;
    auto status = say(c, "cit", "où en est mon signalement " + ticket + " ?");
    EXPECT_NE(first_text(status).find("traité"), std::string::npos) << first_text(status);
    EXPECT_NE(first_text(status).find("ampoule changée"), std::string::npos);
    auto list = c.request(verb::get, "/open311/v2/requests.json?status=closed");
    EXPECT_NE(list.body.find(ticket), std::string::npos);
    EXPECT_EQ(c.request(verb::get, "/open311/v2/requests.json?start_date=hier").status, 400);

    // The staff's note is for the citizen: the public API masks a phone number in it.
    ASSERT_EQ(c.request(verb::post, "/open311/v2/requests/" + ticket + ".json",
                        "api_key=secret-key&status=closed&status_notes=le+technicien+vous+"
                        "rappellera+au+06+99+88+77+66",
                        form)
                  .status,
              200);
    for (auto path :
         {"/open311/v2/requests/" + ticket + ".json", std::string("/open311/v2/requests.json")}) {
        auto pub = c.request(verb::get, path);
        EXPECT_EQ(pub.body.find("06 99 88 77 66"), std::string::npos) << pub.body;
        EXPECT_NE(pub.body.find("le technicien vous rappellera"), std::string::npos) << pub.body;
    }

    // Where the problem is, said in more words when asked ("place du Marché, devant la
    // boulangerie", in an English conversation): the staff read them in the description, and
    // the answer stays in English.
    // (No locale: the language is the conversation's, as the widget sends only a hint.)
    send(c, "cit-where", json::object{{"text", "there's a pothole"}, {"locale", ""}, {"locale_hint", "en"}});
    auto asked_where = send(c, "cit-where", json::object{{"text", "place du Marché, devant la boulangerie"},
                                                         {"locale", ""}, {"locale_hint", "en"}});
    EXPECT_NE(first_text(asked_where).find("Here is your report"), std::string::npos)
        << first_text(asked_where);
    auto filed_where = send(c, "cit-where", json::object{{"text", "yes"}, {"locale", ""}, {"locale_hint", "en"}});
    auto ticket_where = ticket_in(first_text(filed_where));
    ASSERT_FALSE(ticket_where.empty()) << first_text(filed_where);
    auto where = c.request(verb::get, "/open311/v2/requests/" + ticket_where + ".json");
    EXPECT_NE(where.body.find("there's a pothole — place du Marché, devant la boulangerie"),
              std::string::npos)
        << where.body;

    // Words added at the recap are the staff's too; a time said is no house number.
    say(c, "cit-more", "un lampadaire en panne rue Pasteur");
    auto added = say(c, "cit-more", "ajoutez que ça clignote depuis 3 jours");
    EXPECT_NE(first_text(added).find("Éclairage public, rue Pasteur."), std::string::npos)
        << first_text(added);
    auto ticket_more = ticket_in(first_text(say(c, "cit-more", "oui")));
    ASSERT_FALSE(ticket_more.empty());
    auto more = c.request(verb::get, "/open311/v2/requests/" + ticket_more + ".json");
    EXPECT_NE(more.body.find("un lampadaire en panne rue Pasteur — ajoutez que ça clignote depuis 3 jours"),
              std::string::npos)
        << more.body;

    // A report made in English: its new status is told in English.
    send(c, "cit-en",
         json::object{{"text", "broken street light rue des Écoles"}, {"locale", "en"}});
    auto filed_en = send(c, "cit-en", json::object{{"text", "yes"}, {"locale", "en"}});
    auto ticket_en = ticket_in(first_text(filed_en));
    ASSERT_FALSE(ticket_en.empty()) << first_text(filed_en);
    ASSERT_EQ(c.request(verb::post, "/open311/v2/requests/" + ticket_en + ".json",
                        "api_key=secret-key&status=closed", form)
                  .status,
              200);
    auto told = c.request(verb::get, "/api/v1/conversations/cit-en/messages", "",
                          {{"Authorization", "Bearer " + tokens["cit-en"]}});
    EXPECT_NE(told.body.find("News about your report " + ticket_en + ": it has been dealt with."),
              std::string::npos)
        << told.body;
}

TEST(agents, inbox_page_and_api_need_a_staff_login) {
    sandbox box;
    auto server = box.start();
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    using boost::beast::http::verb;
    EXPECT_EQ(c.request(verb::get, "/agents/api/queue").status, 401);
    auto wrong = c.request(verb::post, "/agents/api/login", R"({"password":"nope"})",
                           {{"Content-Type", "application/json"}});
    EXPECT_EQ(wrong.status, 401);
    auto page = c.request(verb::get, "/agents");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("Boîte des agents"), std::string::npos);
    auto cookie = agent_cookie(c);
    ASSERT_FALSE(cookie.empty());
    EXPECT_EQ(c.request(verb::get, "/agents/api/queue", "", {{"Cookie", cookie}}).status, 200);
    EXPECT_EQ(c.request(verb::get, "/agents/api/export?channel=web", "", {{"Cookie", cookie}}).status, 400);
    // Wrong passwords from one address are limited as the console's sign-ins are: after
    // admin.login_failures_per_minute (5), 429 with Retry-After, even with the right one.
    for (int i = 0; i < 5; ++i)  // (the right one just before started the count again)
        EXPECT_EQ(c.request(verb::post, "/agents/api/login", R"({"password":"nope"})",
                            {{"Content-Type", "application/json"}}).status, 401);
    auto limited = c.request(verb::post, "/agents/api/login", R"({"password":"nope"})",
                             {{"Content-Type", "application/json"}});
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_EQ(c.request(verb::post, "/agents/api/login", R"({"name":"agnes","password":"staff-pw"})",
                        {{"Content-Type", "application/json"}}).status, 429)
        << "the right password is refused too while limited";
    EXPECT_NE(server->stderr_text().find("failed sign-in to /agents"), std::string::npos);
}
