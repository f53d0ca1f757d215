// The console's API on a real server: 401 without a session, 403 for a wrong role or CSRF
// token or a foreign Origin, the login cookie's attributes and throttle, an unanswered
// question turned into an example and then answered, the alerts editor (validation errors at
// file:line:column), accounts managed by an admin, and figures + 👍/👎 across a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <regex>
#include <sstream>

#include "admin/staff_command.h"
#include "common/files.h"
#include "harness.h"

using namespace guichet;
using namespace guichet::test;
namespace json = boost::json;
using verb = boost::beast::http::verb;

namespace {
std::string str(const json::value& v, const char* k) { return std::string(v.at(k).as_string()); }
}  // namespace

TEST_F(console_server, a_session_and_the_right_role_are_needed) {
    auto none = call(port_, verb::get, "/admin/api/figures");
    EXPECT_EQ(none.status, 401u);
    EXPECT_EQ(none.json().at("error").at("code").as_int64(), 401);
    EXPECT_EQ(call(port_, verb::get, "/admin/api/figures", {}, {{"Cookie", "guichet_admin=forged"}}).status, 401u);

    auto editor = signed_in("eddie");
    EXPECT_EQ(editor.get("/admin/api/figures").status, 200u);
    EXPECT_EQ(editor.get("/admin/api/unanswered").status, 200u);
    EXPECT_EQ(editor.get("/admin/api/accounts").status, 403u);
    EXPECT_EQ(editor.get("/admin/api/inbox/queue").status, 403u);
    EXPECT_EQ(editor.get("/admin/api/inbox/reports").status, 403u);

    auto agent = signed_in("agnes");
    EXPECT_EQ(agent.get("/admin/api/inbox/queue").status, 200u);
    EXPECT_EQ(agent.get("/admin/api/inbox/reports?status=open").status, 200u);
    EXPECT_EQ(agent.get("/admin/api/figures").status, 403u);
    EXPECT_EQ(agent.post("/admin/api/alerts", R"({"id":"x"})").status, 403u);

    auto admin = signed_in("alice");
    for (auto p : {"/admin/api/figures", "/admin/api/accounts", "/admin/api/inbox/queue", "/admin/api/alerts"})
        EXPECT_EQ(admin.get(p).status, 200u) << p;
    auto me = admin.get("/admin/api/me").json();
    EXPECT_EQ(str(me, "role"), "admin");

    auto page = call(port_, verb::get, "/admin");
    EXPECT_EQ(page.status, 200u);
    EXPECT_NE(page.headers["content-security-policy"].find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(page.headers["content-security-policy"].find("unsafe-inline"), std::string::npos);
}

TEST_F(console_server, the_login_cookie_is_strict_and_failures_are_throttled) {
    auto c = signed_in("alice");
    auto cookie = c.login_reply.headers["set-cookie"];
    EXPECT_TRUE(std::regex_search(cookie, std::regex("^guichet_admin=[0-9a-f]{64};")));
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/admin"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP, no trusted TLS proxy

    staff_client bad{port_, {}, {}, {}};
    for (int i = 0; i < 5; ++i) {
        EXPECT_FALSE(bad.login("alice", "wrong password"));
        EXPECT_EQ(bad.login_reply.status, 401u);
    }
    EXPECT_FALSE(bad.login("alice", admin_password));  // even the right one, for a minute
    EXPECT_EQ(bad.login_reply.status, 429u);
    EXPECT_FALSE(bad.login_reply.headers["retry-after"].empty());
    // A login from another site's page is refused (login CSRF).
    auto foreign = call(port_, verb::post, "/admin/api/login", R"({"name":"alice","password":"x"})",
                        {{"Origin", "https://evil.example"}});
    EXPECT_EQ(foreign.status, 403u);
}

// {"username": …} (the field misnamed) answered "wrong name or password" and counted towards
// the lockout: a 400 naming the field, and a right sign-in just after still works.
TEST_F(console_server, a_sign_in_without_its_fields_is_a_bad_request_not_a_failed_sign_in) {
    for (int i = 0; i < 6; ++i) {
        auto r = call(port_, verb::post, "/admin/api/login", R"({"username":"alice","password":"x"})");
        EXPECT_EQ(r.status, 400u) << r.body;
        EXPECT_NE(r.body.find("'name' is missing"), std::string::npos) << r.body;
    }
    EXPECT_EQ(call(port_, verb::post, "/admin/api/login", R"({"name":"alice"})").status, 400u);
    staff_client good{port_, {}, {}, {}};
    EXPECT_TRUE(good.login("alice", admin_password)) << good.login_reply.body;
}

TEST_F(console_server, state_changes_need_the_csrf_token_and_our_origin) {
    auto c = signed_in("alice");
    const std::string body = R"({"id":"test","message_fr":"Bonjour","message_en":"Hello","from":"2026-01-01 00:00","until":"2030-01-01 00:00"})";
    EXPECT_EQ(c.post("/admin/api/alerts", body, "").status, 403u);
    EXPECT_EQ(c.post("/admin/api/alerts", body, std::string(64, 'a')).status, 403u);
    EXPECT_EQ(c.post("/admin/api/alerts", body, "\x01", {{"Origin", "https://evil.example"}}).status, 403u);
    EXPECT_FALSE(fs::exists(site_ / "knowledge" / "alerts.yaml"));  // nothing was written
    auto ok = c.post("/admin/api/alerts", body, "\x01", {{"Origin", "http://127.0.0.1:" + std::to_string(port_)}});
    EXPECT_EQ(ok.status, 200u) << ok.body;
    // Another session's token does not fit this one.
    auto other = signed_in("eddie");
    EXPECT_EQ(c.post("/admin/api/alerts", body, other.csrf).status, 403u);
    // After logout the cookie opens nothing.
    EXPECT_EQ(c.post("/admin/api/logout", "").status, 200u);
    EXPECT_EQ(c.get("/admin/api/figures").status, 401u);
}

TEST_F(console_server, an_unanswered_question_becomes_an_example_then_is_answered) {
    const std::string question = "comment obtenir un badge déchèterie";
    auto before = say(question);
    ASSERT_NE(before.intent, "contact.town_hall");
    auto c = signed_in("eddie");
    auto groups = c.get("/admin/api/unanswered").json().at("groups").as_array();
    ASSERT_FALSE(groups.empty());
    std::string id;
    for (auto& g : groups)
        if (str(g, "text") == question) id = str(g, "id");
    ASSERT_FALSE(id.empty());
    auto intents = c.get("/admin/api/intents").json().at("intents").as_array();
    EXPECT_GE(intents.size(), 2u);
    auto gen = service_->reload()->status().generation;
    auto r = c.post("/admin/api/examples",
                    json::serialize(json::object{{"intent", "contact.town_hall"}, {"locale", "fr"},
                                                 {"text", question}, {"group", id}}));
    ASSERT_EQ(r.status, 200u) << r.body;
    for (int i = 0; i < 200 && service_->reload()->status().generation == gen; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto st = c.get("/admin/api/reload").json();
    ASSERT_GT(st.at("generation").to_number<std::uint64_t>(), gen) << r.body;
    EXPECT_EQ(say(question, "c2").intent, "contact.town_hall");
    const auto left = c.get("/admin/api/unanswered").json();  // (kept: the loop reads into it)
    for (auto& g : left.at("groups").as_array()) EXPECT_NE(str(g, "id"), id);
}

// The unanswered list says when each question was last asked (ICU, in the console's
// language), and "Traité" hides a question until a citizen asks it again.
TEST_F(console_server, an_unanswered_question_has_its_date_and_can_be_marked_done) {
    const std::string question = "comment obtenir un badge déchèterie";
    say(question);
    auto c = signed_in("eddie");
    auto find = [&](const std::string& lang) {
        const auto all = c.get("/admin/api/unanswered?lang=" + lang).json();
        for (auto& g : all.at("groups").as_array())
            if (str(g, "text") == question) return g;
        return json::value();
    };
    auto fr = find("fr"), en = find("en");
    ASSERT_TRUE(fr.is_object());
    ASSERT_TRUE(en.is_object());
    const auto at = fr.at("last_asked").to_number<std::int64_t>();
    EXPECT_GT(at, 0);
    // The date in each language, with its year; not the same words.
    std::time_t t = at;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    const auto year = std::to_string(tm.tm_year + 1900);
    EXPECT_NE(str(fr, "last_asked_text").find(year), std::string::npos) << str(fr, "last_asked_text");
    EXPECT_NE(str(en, "last_asked_text").find(year), std::string::npos) << str(en, "last_asked_text");
    EXPECT_NE(str(fr, "last_asked_text"), str(en, "last_asked_text"));

    const auto id = str(fr, "id");
    EXPECT_EQ(c.post("/admin/api/unanswered/" + id + "/done", "").status, 200u);
    EXPECT_TRUE(find("fr").is_null());
    EXPECT_EQ(c.post("/admin/api/unanswered/q999999/done", "").status, 404u);
    auto agent = signed_in("agnes");
    EXPECT_EQ(agent.post("/admin/api/unanswered/" + id + "/done", "").status, 403u);
    // Asked again: back in the list, both askings counted.
    say(question, "c2");
    auto back = find("fr");
    ASSERT_TRUE(back.is_object());
    EXPECT_EQ(back.at("count").to_number<std::int64_t>(), 2);
}

TEST_F(console_server, alerts_are_validated_then_written_and_ended) {
    auto c = signed_in("eddie");
    auto bad = c.post("/admin/api/alerts",
                      R"({"id":"travaux","message_fr":"Travaux","message_en":"Works","from":"2026-05-01 00:00","until":"2026-04-01 00:00"})");
    ASSERT_EQ(bad.status, 422u) << bad.body;
    auto problem = std::string(bad.json().at("problems").as_array().at(0).as_string());
    EXPECT_TRUE(std::regex_search(problem, std::regex("knowledge/alerts\\.yaml:[0-9]+:[0-9]+: "))) << problem;
    EXPECT_EQ(problem.find("/tmp/guichet-alerts-"), std::string::npos) << problem;
    EXPECT_FALSE(fs::exists(site_ / "knowledge" / "alerts.yaml"));
    // An intent no intent file defines: refused, as `guichet check` refuses it (the alert
    // would never show; check failed afterwards on what the editor had accepted).
    auto unknown = c.post("/admin/api/alerts",
                          R"({"id":"travaux","message_fr":"Travaux","message_en":"Works","from":"2026-01-01 00:00","until":"2030-01-01 00:00","intents":"horaires"})");
    ASSERT_EQ(unknown.status, 422u) << unknown.body;
    EXPECT_NE(unknown.body.find("horaires"), std::string::npos) << unknown.body;
    EXPECT_FALSE(fs::exists(site_ / "knowledge" / "alerts.yaml"));

    auto good = c.post("/admin/api/alerts",
                       R"({"id":"travaux","message_fr":"Travaux : la mairie ferme à 16 h.","message_en":"Works: the town hall closes at 4 pm.","from":"2026-01-01 00:00","until":"2030-01-01 00:00","intents":"contact.town_hall, pool.info"})");
    ASSERT_EQ(good.status, 200u) << good.body;
    auto list = c.get("/admin/api/alerts").json().at("alerts").as_array();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(str(list[0], "message_fr"), "Travaux : la mairie ferme à 16 h.");
    EXPECT_EQ(list[0].at("intents").as_array().size(), 2u);
    auto ended = c.post("/admin/api/alerts/travaux/end", "");
    ASSERT_EQ(ended.status, 200u) << ended.body;
    auto after = c.get("/admin/api/alerts").json().at("alerts").as_array();
    EXPECT_LT(str(after[0], "until"), "2030-01-01 00:00");
    EXPECT_EQ(c.post("/admin/api/alerts/nope/end", "").status, 422u);
}

// The editor writes only the alert it adds, replaces or ends: the staff's comments, the
// blank lines and the other alerts keep their text as written.
TEST_F(console_server, the_alerts_editor_keeps_the_files_comments_and_other_alerts) {
    const std::string head =
        "# Alertes de la commune : relues chaque lundi par le service communication.\n"
        "alerts:\n"
        "  # Travaux : prévenir aussi l'accueil.\n";
    const std::string travaux =
        "  - id: travaux\n"
        "    message:\n"
        "      fr: \"Travaux : la mairie ferme à 16 h.\"   # jusqu'à la fin du chantier\n"
        "      en: \"Works: the town hall closes at 4 pm.\"\n"
        "    from: 2026-01-01 00:00\n"
        "    until: 2030-01-01 00:00\n";
    const std::string between = "\n  # Fête de la musique (à reconduire chaque année).\n";
    const std::string fete =
        "  - id: fete\n"
        "    message: { fr: Fête de la musique le 21 juin., en: Music day on 21 June. }\n"
        "    from: 2026-06-01 00:00\n"
        "    until: 2099-06-22 00:00\n";
    const std::string tail = "# fin de la liste\n";
    const auto file = site_ / "knowledge" / "alerts.yaml";
    std::ofstream(file, std::ios::binary) << head << travaux << between << fete << tail;
    auto c = signed_in("eddie");

    // Added: after the last alert, before the comment that ends the file.
    auto added = c.post("/admin/api/alerts",
                        R"({"id":"neige","message_fr":"Neige : écoles fermées.","message_en":"Snow: schools closed.","from":"2026-12-01 00:00","until":"2026-12-31 00:00"})");
    ASSERT_EQ(added.status, 200u) << added.body;
    auto text = file_text(file);
    ASSERT_TRUE(text.starts_with(head + travaux + between + fete + "  - id: neige\n")) << text;
    EXPECT_TRUE(text.ends_with("\n" + tail)) << text;
    EXPECT_EQ(c.get("/admin/api/alerts").json().at("alerts").as_array().size(), 3u);

    // Ended: the alert's own lines change, nothing else.
    ASSERT_EQ(c.post("/admin/api/alerts/fete/end", "").status, 200u);
    text = file_text(file);
    ASSERT_TRUE(text.starts_with(head + travaux + between + "  - id: fete\n")) << text;
    EXPECT_EQ(text.find("2099-06-22"), std::string::npos) << text;
    EXPECT_NE(text.find("  - id: neige\n"), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with("\n" + tail)) << text;

    // Replaced: the comment above it stays; the alerts after it are untouched.
    const auto after_travaux = text.substr((head + travaux).size());
    auto replaced = c.post("/admin/api/alerts",
                           R"({"id":"travaux","message_fr":"Travaux : la mairie ferme à 15 h.","message_en":"Works: the town hall closes at 3 pm.","from":"2026-01-01 00:00","until":"2030-01-01 00:00"})");
    ASSERT_EQ(replaced.status, 200u) << replaced.body;
    text = file_text(file);
    ASSERT_TRUE(text.starts_with(head + "  - id: travaux\n")) << text;
    EXPECT_NE(text.find("15 h."), std::string::npos) << text;
    EXPECT_TRUE(text.ends_with(after_travaux)) << text;
}

// `guichet staff`: the shown name given at creation, changed, cleared, listed; a bad one
// refused before any account is made.
TEST(staff_command, the_name_shown_to_citizens) {
    auto site = copy_test_site();
    ::setenv("GUICHET_STAFF_PASSWORD", "correct horse battery", 1);
    auto run = [&](std::vector<std::string> args, std::string& out, std::string& err) {
        args.insert(args.end(), {"--site", site.string()});
        std::istringstream in;
        std::ostringstream o, e;
        int rc = admin::run_staff_command(args, in, o, e);
        out = o.str();
        err = e.str();
        return rc;
    };
    std::string out, err;
    EXPECT_EQ(run({"add", "bad", "--role", "agent", "--shown-as", "Marie\tDupont"}, out, err), 1);
    EXPECT_NE(err.find("control character"), std::string::npos) << err;
    EXPECT_EQ(run({"add", "marie", "--role", "agent", "--shown-as", "Marie"}, out, err), 0) << err;
    ASSERT_EQ(run({"list"}, out, err), 0);
    EXPECT_EQ(out, "marie\tagent\tMarie\n");  // "bad" was not made
    EXPECT_EQ(run({"shown-as", "marie", "Marie D."}, out, err), 0) << err;
    EXPECT_EQ(out, "marie is shown to citizens as \"Marie D.\"\n");
    EXPECT_EQ(run({"shown-as", "nobody", "X"}, out, err), 1);
    EXPECT_EQ(run({"shown-as", "marie", ""}, out, err), 0) << err;
    ASSERT_EQ(run({"list"}, out, err), 0);
    EXPECT_EQ(out, "marie\tagent\n");
    ::unsetenv("GUICHET_STAFF_PASSWORD");
    std::error_code ec;
    fs::remove_all(site.parent_path(), ec);
}

TEST_F(console_server, an_admin_manages_accounts) {
    auto admin = signed_in("alice");
    EXPECT_EQ(admin.post("/admin/api/accounts", R"({"name":"zoe","role":"agent","password":"short"})").status, 400u);
    EXPECT_EQ(admin.post("/admin/api/accounts", R"({"name":"zoe","role":"agent","password":"zoe's long password"})").status, 201u);
    staff_client zoe{port_, {}, {}, {}};
    ASSERT_TRUE(zoe.login("zoe", "zoe's long password"));
    EXPECT_EQ(zoe.get("/admin/api/inbox/queue").status, 200u);
    EXPECT_EQ(admin.post("/admin/api/accounts/zoe/remove", "").status, 200u);
    EXPECT_EQ(zoe.get("/admin/api/inbox/queue").status, 401u);  // signed out with the account
    EXPECT_EQ(admin.post("/admin/api/accounts/alice/remove", "").status, 409u);  // the last admin
}

TEST_F(console_server, figures_and_feedback_survive_a_restart) {
    auto first = call(port_, verb::post, "/api/v1/messages",
                      R"({"conversation":"web-1","text":"numéro de téléphone de la mairie"})");
    ASSERT_EQ(first.status, 200u) << first.body;
    auto token = str(first.json(), "token");
    say("où est la piscine");
    say("une question que personne ne comprend vraiment");
    // 👍 on the bot's answer (entry 2: the citizen's message is 1).
    auto auth = std::map<std::string, std::string>{{"Authorization", "Bearer " + token}};
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-1/feedback", R"({"entry":2,"useful":true})", auth).status, 200u);
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-1/feedback", R"({"entry":2,"useful":false})", auth).status, 409u);
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-1/feedback", R"({"entry":1,"useful":true})", auth).status, 400u);
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-1/feedback", R"({"entry":2,"useful":true})").status, 401u);

    auto c = signed_in("eddie");
    auto before = c.get("/admin/api/figures").json();
    auto unanswered_before = c.get("/admin/api/unanswered").json().at("groups").as_array().size();
    ASSERT_GE(before.at("rows").as_array().size(), 2u);
    ASSERT_EQ(before.at("feedback").as_array().size(), 1u);
    EXPECT_EQ(str(before.at("feedback").as_array()[0], "intent"), "contact.town_hall");

    stop();  // the writer's last flush
    start();
    auto again = signed_in("eddie");
    auto after = again.get("/admin/api/figures").json();
    EXPECT_EQ(json::serialize(after.at("rows")), json::serialize(before.at("rows")));
    EXPECT_EQ(json::serialize(after.at("feedback")), json::serialize(before.at("feedback")));
    EXPECT_EQ(again.get("/admin/api/unanswered").json().at("groups").as_array().size(), unanswered_before);
    EXPECT_TRUE(fs::exists(site_ / "var" / "analytics.db"));
}

TEST_F(console_server, the_cookie_is_secure_behind_a_trusted_tls_proxy) {
    stop();
    http_limits limits;
    limits.trusted_proxies.push_back(boost::asio::ip::make_address("127.0.0.1"));
    start(limits);
    auto body = json::serialize(json::object{{"name", "alice"}, {"password", admin_password}});
    auto tls = call(port_, verb::post, "/admin/api/login", body, {{"X-Forwarded-Proto", "https"}});
    ASSERT_EQ(tls.status, 200u) << tls.body;
    EXPECT_NE(tls.headers["set-cookie"].find("; Secure"), std::string::npos) << tls.headers["set-cookie"];
    auto plain = call(port_, verb::post, "/admin/api/login", body);
    ASSERT_EQ(plain.status, 200u);
    EXPECT_EQ(plain.headers["set-cookie"].find("Secure"), std::string::npos);
}

TEST_F(console_server, an_agent_closes_a_report_with_a_note) {
    store::report_record r;
    r.service_code = "voirie";
    r.description = "Nid de poule rue Jean Jaurès";
    r.requested = r.updated = 1796205600;
    r.who = {"test", "c-report", "u"};
    auto made = app_->store->create_report(r);
    auto agent = signed_in("agnes");
    auto open = agent.get("/admin/api/inbox/reports?status=open").json().at("reports").as_array();
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(agent.post("/admin/api/inbox/reports/" + made.ticket + "/status", R"({"status":"closed","notes":"Réparé."})", "").status,
              403u);  // no CSRF token
    auto done = agent.post("/admin/api/inbox/reports/" + made.ticket + "/status", R"({"status":"closed","notes":"Réparé."})");
    ASSERT_EQ(done.status, 200u) << done.body;
    auto stored = app_->store->get_report(made.ticket);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->status, "closed");
    EXPECT_EQ(stored->status_notes, "Réparé.");
    EXPECT_TRUE(agent.get("/admin/api/inbox/reports?status=open").json().at("reports").as_array().empty());
    // The citizen is told on their channel: the message log of the conversation has it.
    bool told = false;
    for (auto& m : app_->store->transcript("test", "c-report"))
        if (m.text.find("Réparé") != std::string::npos) told = true;
    EXPECT_TRUE(told);
}

namespace {
std::string waiting_handoff(store::store& st, const std::string& conversation) {
    store::handoff_record h;
    h.kind = "queue";
    h.who = {"test", conversation, "u"};
    h.created = h.updated = 1796205600;
    return st.create_handoff(h).ticket;
}
}  // namespace

// An agent chooses the name citizens read above their replies; the reply carries it to the
// citizen's channel ("Agnès, agent de la mairie" on the widget, the signature on the apps).
TEST_F(console_server, an_agent_chooses_the_name_citizens_see_above_their_replies) {
    std::mutex m;
    std::vector<turn_result> pushed;
    auto sub = app_->push.subscribe_channel("test", [&](const std::string&, const std::string&, const turn_result& r) {
        std::lock_guard lock(m);
        pushed.push_back(r);
    });
    auto agnes = signed_in("agnes");
    EXPECT_EQ(str(agnes.get("/admin/api/me").json(), "shown_as"), "");
    EXPECT_EQ(agnes.post("/admin/api/me", R"({"shown_as":"Ana\u0007"})").status, 400u);
    EXPECT_EQ(agnes.post("/admin/api/me", R"({"shown_as":")" + std::string(41, 'a') + R"("})").status, 400u);
    EXPECT_EQ(agnes.post("/admin/api/me", R"({"name":"Agnès"})").status, 400u);
    EXPECT_EQ(agnes.post("/admin/api/me", R"({"shown_as":"Agnès"})", "").status, 403u);  // no CSRF token
    auto set = agnes.post("/admin/api/me", R"({"shown_as":" Agnès "})");
    ASSERT_EQ(set.status, 200u) << set.body;
    EXPECT_EQ(str(set.json(), "shown_as"), "Agnès");
    EXPECT_EQ(str(agnes.get("/admin/api/me").json(), "shown_as"), "Agnès");
    // The admin sees it in the accounts' list.
    auto listed = signed_in("alice").get("/admin/api/accounts").json().at("accounts").as_array();
    auto it = std::find_if(listed.begin(), listed.end(), [](auto& a) { return str(a, "name") == "agnes"; });
    ASSERT_NE(it, listed.end());
    EXPECT_EQ(str(*it, "shown_as"), "Agnès");

    auto ticket = waiting_handoff(*app_->store, "c-named");
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Bonjour"})").status, 200u);
    {
        std::lock_guard lock(m);
        ASSERT_EQ(pushed.size(), 1u);
        EXPECT_EQ(pushed[0].intent, "handoff.agent");
        EXPECT_EQ(pushed[0].author, "Agnès");
        EXPECT_EQ(signed_by_agent(pushed[0]).replies.at(0).text, "Agnès, agent de la mairie : Bonjour");
    }
    // None chosen: citizens read "Agent de la mairie".
    ASSERT_EQ(agnes.post("/admin/api/me", R"({"shown_as":""})").status, 200u);
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Autre chose ?"})").status, 200u);
    // The log keeps who wrote each reply, by the name the citizen read: the console says it.
    auto said = agnes.get("/admin/api/inbox/handoffs/" + ticket).json().at("transcript").as_array();
    ASSERT_EQ(said.size(), 2u);
    EXPECT_EQ(str(said[0], "agent"), "Agnès");
    EXPECT_FALSE(said[1].as_object().contains("agent"));
    EXPECT_EQ(app_->store->transcript("test", "c-named").at(0).author, "Agnès");
    std::lock_guard lock(m);
    ASSERT_EQ(pushed.size(), 2u);
    EXPECT_EQ(pushed[1].author, "");
    EXPECT_EQ(signed_by_agent(pushed[1]).replies.at(0).text, "Agent de la mairie : Autre chose ?");
}

TEST_F(console_server, an_agent_who_signs_out_gives_their_conversations_back) {
    auto ticket = waiting_handoff(*app_->store, "c-handoff");
    auto agnes = signed_in("agnes");
    auto other_tab = signed_in("agnes");
    auto alice = signed_in("alice");  // a colleague, still signed in when Agnès leaves
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Bonjour"})").status, 200u);
    EXPECT_EQ(app_->store->get_handoff(ticket)->agent, "agnes");
    // Signed out on purpose, though still signed in elsewhere (the other tab): it goes back now,
    // not when that other session expires.
    EXPECT_EQ(agnes.post("/admin/api/logout", "").status, 200u);
    EXPECT_TRUE(other_tab.get("/admin/api/me").status == 200u);
    auto h = app_->store->get_handoff(ticket);
    EXPECT_EQ(h->state, "waiting");
    EXPECT_EQ(h->agent, "");
    // The citizen is told (they waited for someone who had left).
    auto said = app_->store->transcript("test", "c-handoff");
    ASSERT_FALSE(said.empty());
    EXPECT_NE(said.back().text.find("un autre agent va vous répondre ici"), std::string::npos)
        << said.back().text;
    // A colleague sees it waiting, and may answer without taking anything over.
    auto queue = alice.get("/admin/api/inbox/queue").json().at("handoffs").as_array();
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(str(queue[0], "state"), "waiting");
    EXPECT_EQ(alice.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Je prends la suite"})").status, 200u);
}

TEST_F(console_server, an_agent_whose_session_ends_gives_their_conversations_back) {
    stop();
    ::setenv("GUICHET_ADMIN_SESSION_IDLE_S", "2", 1);
    start();
    ::unsetenv("GUICHET_ADMIN_SESSION_IDLE_S");
    auto ticket = waiting_handoff(*app_->store, "c-gone");
    auto agnes = signed_in("agnes");
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Bonjour"})").status, 200u);
    auto alice = signed_in("alice");
    // Agnès closed her browser; Alice keeps working.
    for (int i = 0; i < 8; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        ASSERT_EQ(alice.get("/admin/api/me").status, 200u);
    }
    auto queue = alice.get("/admin/api/inbox/queue").json().at("handoffs").as_array();
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(str(queue[0], "state"), "waiting");
    EXPECT_EQ(str(queue[0], "agent"), "");
    EXPECT_EQ(agnes.get("/admin/api/inbox/queue").status, 401u);
}

namespace {
// The conversation's last words to the citizen.
std::string last_said(store::store& st, const std::string& conversation) {
    auto said = st.transcript("test", conversation);
    return said.empty() ? std::string() : said.back().text;
}
}  // namespace

TEST_F(console_server, the_last_agent_signing_out_offers_the_waiting_citizens_a_call_back) {
    auto held = waiting_handoff(*app_->store, "c-held");
    auto waiting = waiting_handoff(*app_->store, "c-waiting");
    auto agnes = signed_in("agnes");
    auto eddie = signed_in("eddie");  // an editor answers no citizen: nobody is left
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + held + "/reply", R"({"text":"Bonjour"})").status, 200u);
    ASSERT_EQ(agnes.post("/admin/api/logout", "").status, 200u);
    for (auto& [ticket, conversation] : {std::pair{held, "c-held"}, std::pair{waiting, "c-waiting"}}) {
        EXPECT_EQ(app_->store->get_handoff(ticket)->state, "closed") << conversation;
        auto text = last_said(*app_->store, conversation);
        EXPECT_NE(text.find("Plus aucun agent n'est connecté"), std::string::npos) << text;
        EXPECT_NE(text.find("Voulez-vous être rappelé"), std::string::npos) << text;
        EXPECT_EQ(text.find("un autre agent"), std::string::npos) << text;
    }
    // (The offer's buttons, pressed, lead to a call-back ticket: e2e_handoff, on the default
    // commune's intents.)
    auto alice = signed_in("alice");
    EXPECT_TRUE(alice.get("/admin/api/inbox/queue").json().at("handoffs").as_array().empty());
}

TEST_F(console_server, a_citizen_waiting_when_the_desk_is_closed_is_offered_a_call_back) {
    stop();
    ::setenv("GUICHET_AGENTS_DUTY_CHECK_S", "1", 1);
    start();
    ::unsetenv("GUICHET_AGENTS_DUTY_CHECK_S");
    // This site's desk has no opening hours: closed. An agent is signed in and holds one
    // conversation; another citizen waits for someone.
    // (Hers from the start: a check may come between the requests, at any time on a busy
    // machine, and would close a conversation not yet taken.)
    auto agnes = signed_in("agnes");
    store::handoff_record taken;
    taken.kind = "queue";
    taken.state = "active";
    taken.agent = "agnes";
    taken.who = {"test", "c-held", "u"};
    taken.created = taken.updated = 1796205600;
    auto held = app_->store->create_handoff(taken).ticket;
    auto waiting = waiting_handoff(*app_->store, "c-waiting");
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + held + "/reply", R"({"text":"Bonjour"})").status, 200u);
    // (The request is closed, then the offer is written: on a busy machine the two checks
    // came between them, and read no offer yet.)
    for (int i = 0; i < 40 && (app_->store->get_handoff(waiting)->state != "closed" ||
                               last_said(*app_->store, "c-waiting").empty());
         ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(app_->store->get_handoff(waiting)->state, "closed");
    auto text = last_said(*app_->store, "c-waiting");
    EXPECT_NE(text.find("L'accueil vient de fermer"), std::string::npos) << text;
    EXPECT_NE(text.find("Voulez-vous être rappelé"), std::string::npos) << text;
    // The conversation Agnès holds is hers to finish.
    EXPECT_EQ(app_->store->get_handoff(held)->state, "active");
    EXPECT_EQ(last_said(*app_->store, "c-held"), "Bonjour");
}

TEST_F(console_server, an_agent_ends_a_conversation_and_a_call_back_and_finds_them_again) {
    auto live = waiting_handoff(*app_->store, "c-live");
    store::handoff_record cb;
    cb.kind = "callback";
    cb.contact = "06 12 34 56 78";
    cb.who = {"test", "c-callback", "u"};
    cb.created = cb.updated = 1796205600;
    auto callback = app_->store->create_handoff(cb).ticket;
    auto agnes = signed_in("agnes");
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + live + "/reply", R"({"text":"Bonjour"})").status, 200u);
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + live + "/done", "").status, 200u);
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + callback + "/done", "").status, 200u);
    EXPECT_EQ(agnes.post("/admin/api/inbox/handoffs/" + live + "/done", "").status, 409u);  // told once
    // The citizen of the live conversation is told; the call-back's has no conversation going.
    EXPECT_NE(last_said(*app_->store, "c-live").find("L'agent a terminé la conversation avec vous"), std::string::npos)
        << last_said(*app_->store, "c-live");
    EXPECT_EQ(last_said(*app_->store, "c-callback"), "");
    // Out of the queue; in the ended list, the latest first, with who ended it.
    EXPECT_TRUE(agnes.get("/admin/api/inbox/queue").json().at("handoffs").as_array().empty());
    auto ended = agnes.get("/admin/api/inbox/queue?state=closed").json().at("handoffs").as_array();
    ASSERT_EQ(ended.size(), 2u);
    for (auto& h : ended) EXPECT_EQ(str(h, "closed_by"), "agnes");
    // Found by its number, with its transcript.
    auto found = agnes.get("/admin/api/inbox/handoffs/" + live).json();
    EXPECT_EQ(str(found.at("handoff"), "state"), "closed");
    EXPECT_EQ(str(found.at("handoff"), "closed_by"), "agnes");
    EXPECT_EQ(str(found.at("handoff"), "ended_by"), "agent");
    EXPECT_FALSE(found.at("transcript").as_array().empty());
    EXPECT_EQ(agnes.get("/admin/api/inbox/handoffs/2026-9999").status, 404u);
}

// "depuis" in the queue counts from when the agent took the conversation: their next replies
// leave it (each reply restarted it); another agent taking it over starts it again.
TEST_F(console_server, a_conversation_is_taken_since_the_first_reply_not_the_last) {
    auto ticket = waiting_handoff(*app_->store, "c-since");
    auto agnes = signed_in("agnes");
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Bonjour"})").status, 200u);
    app_->store->set_handoff_state(ticket, "active", "agnes", 1796000000);  // taken a while ago
    ASSERT_EQ(agnes.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Je regarde"})").status, 200u);
    EXPECT_EQ(app_->store->get_handoff(ticket)->updated, 1796000000);
    auto alice = signed_in("alice");
    ASSERT_EQ(alice.post("/admin/api/inbox/handoffs/" + ticket + "/reply", R"({"text":"Je prends la suite","take_over":true})")
                  .status,
              200u);
    EXPECT_GT(app_->store->get_handoff(ticket)->updated, 1796000000);
    EXPECT_EQ(app_->store->get_handoff(ticket)->agent, "alice");
}

// The citizen ends ("annuler") the conversation an agent holds: the console reads it ended by
// the citizen (it read "ended without an agent"), the agent who held it kept.
TEST_F(console_server, a_conversation_the_citizen_ends_reads_ended_by_the_citizen) {
    auto [auth, ticket, agnes] = held_by_agnes("web-end", "Bonjour, je vous écoute");
    auto end = call(port_, verb::post, "/api/v1/messages", R"({"conversation":"web-end","text":"annuler"})", auth);
    ASSERT_EQ(end.status, 200u) << end.body;
    EXPECT_NE(end.body.find("la conversation avec l'agent est terminée"), std::string::npos) << end.body;
    auto found = agnes.get("/admin/api/inbox/handoffs/" + ticket).json().at("handoff");
    EXPECT_EQ(str(found, "state"), "closed");
    EXPECT_EQ(str(found, "ended_by"), "citizen");
    EXPECT_EQ(str(found, "closed_by"), "");
    EXPECT_EQ(str(found, "agent"), "agnes");
}

// While an agent holds the conversation the bot says nothing: the API answers with no reply,
// and the history keeps no empty bot entry (it stored one for each of the citizen's messages).
TEST_F(console_server, a_message_to_the_agent_leaves_no_empty_bot_entry_in_the_history) {
    auto [auth, ticket, agnes] = held_by_agnes("web-held", "Je vous écoute");
    auto held = call(port_, verb::post, "/api/v1/messages",
                     R"({"conversation":"web-held","text":"merci, voici ma question"})", auth);
    ASSERT_EQ(held.status, 200u) << held.body;
    EXPECT_TRUE(held.json().at("replies").as_array().empty()) << held.body;  // the documented shape
    EXPECT_EQ(str(held.json().at("intent"), "name"), "handoff.active");
    auto history = call(port_, verb::get, "/api/v1/conversations/web-held/messages", "", auth);
    ASSERT_EQ(history.status, 200u) << history.body;
    auto kept = history.json();
    auto& messages = kept.at("messages").as_array();
    for (auto& m : messages) {
        if (auto* replies = m.as_object().if_contains("replies")) {
            EXPECT_FALSE(replies->as_array().empty()) << history.body;
        }
    }
    ASSERT_FALSE(messages.empty());
    EXPECT_EQ(str(messages.back(), "from"), "user") << history.body;
}

// Behind nginx, Host is the upstream's name (127.0.0.1:port) and the browser's Origin the town's
// public address: the public host comes from X-Forwarded-Host/Proto, believed from a trusted
// proxy only — from anyone else they are the attacker's to write, and the login stays refused.
TEST_F(console_server, behind_a_trusted_proxy_the_forwarded_host_is_our_origin) {
    const std::string body = boost::json::serialize(boost::json::object{{"name", "alice"}, {"password", admin_password}});
    std::map<std::string, std::string> proxied{{"Origin", "https://mairie.example"},
                                               {"X-Forwarded-Host", "mairie.example"},
                                               {"X-Forwarded-Proto", "https"}};
    EXPECT_EQ(call(port_, verb::post, "/admin/api/login", body, proxied).status, 403u);
    stop();
    http_limits limits;
    limits.trusted_proxies = {boost::asio::ip::make_address("127.0.0.1")};
    start(limits);
    auto in = call(port_, verb::post, "/admin/api/login", body, proxied);
    EXPECT_EQ(in.status, 200u) << in.body;
    EXPECT_NE(in.headers["set-cookie"].find("Secure"), std::string::npos);
    // The proxy's word names the public host; another site's page is still refused.
    proxied["Origin"] = "https://evil.example";
    EXPECT_EQ(call(port_, verb::post, "/admin/api/login", body, proxied).status, 403u);
    proxied["Origin"] = "http://mairie.example";  // the scheme counts too
    EXPECT_EQ(call(port_, verb::post, "/admin/api/login", body, proxied).status, 403u);
}

// Two FAQ entries (a lost passport, the canteen's price) and the FAQ intent, for the votes'
// tests.
namespace {
void write_two_faq_entries(const fs::path& site) {
    fs::create_directories(site / "knowledge" / "faq");
    write_text(site / "knowledge" / "faq" / "identite.yaml", R"(faq:
  - id: passeport_perdu
    topic: identite
    questions:
      fr: ["J'ai perdu mon passeport", "passeport perdu"]
      en: ["I lost my passport"]
    answer:
      fr: "En cas de perte, déclarez-la lors de la pré-demande en ligne, puis prenez rendez-vous."
      en: "If it is lost, declare it during the online pre-application, then book an appointment."
    source: https://www.service-public.fr/particuliers/vosdroits/F1772
    reviewed: 2026-10-01
    owner: etat_civil
  - id: cantine_tarif
    topic: cantine
    questions:
      fr: ["tarif de la cantine"]
      en: ["school canteen price"]
    answer:
      fr: "Le repas coûte de 1 à 4 euros selon le quotient familial."
      en: "A meal costs 1 to 4 euros depending on the family quotient."
    source: https://www.saint-exemple-sur-loire.fr/cantine
    reviewed: 2026-10-01
    owner: ecoles
)");
    write_text(site / "intents" / "fr" / "faq.yaml", R"(intent: faq.ask
plugin: faq
examples:
  - j'ai perdu mon passeport
  - tarif de la cantine
  - comment faire une carte d'identité
  - inscription à la cantine
)");
}
}  // namespace

// A 👎 on an FAQ answer given on the website: the console lists the citizen's question (phone
// masked), the answer, the intent, the FAQ entry and when (ICU, fr and en); "Traité" hides it
// (editors only); the FAQ table counts each entry shown and rated, the same as JSON for the IT
// person with the staff token; both survive a restart.
TEST_F(console_server, an_answer_rated_unhelpful_is_listed_with_its_question_and_faq_entry) {
    stop();
    write_two_faq_entries(site_);
    ::setenv("GUICHET_OPS_STAFF_TOKEN", "jeton-du-service-informatique", 1);
    start();
    ::unsetenv("GUICHET_OPS_STAFF_TOKEN");

    auto first = call(port_, verb::post, "/api/v1/messages",
                      R"({"conversation":"web-faq","text":"J'ai perdu mon passeport, rappelez-moi au 06 12 34 56 78"})");
    ASSERT_EQ(first.status, 200u) << first.body;
    ASSERT_EQ(str(first.json().at("intent"), "name"), "faq.ask") << first.body;
    auto auth = std::map<std::string, std::string>{{"Authorization", "Bearer " + str(first.json(), "token")}};
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-faq/feedback", R"({"entry":2,"useful":false})", auth).status,
              200u);
    auto second = call(port_, verb::post, "/api/v1/messages", R"({"conversation":"web-faq","text":"passeport perdu"})", auth);
    ASSERT_EQ(second.status, 200u) << second.body;
    EXPECT_EQ(call(port_, verb::post, "/api/v1/messages/web-faq/feedback", R"({"entry":4,"useful":true})", auth).status,
              200u);

    auto c = signed_in("eddie");
    std::map<std::string, std::string> when;  // lang → the date as the console shows it
    for (std::string lang : {"fr", "en"}) {
        auto groups = c.get("/admin/api/unhelpful?lang=" + lang).json().at("groups").as_array();
        ASSERT_EQ(groups.size(), 1u);
        auto& g = groups[0];
        EXPECT_EQ(str(g, "question"), "J'ai perdu mon passeport, rappelez-moi au [phone]");
        EXPECT_NE(str(g, "answer").find("En cas de perte, déclarez-la"), std::string::npos) << str(g, "answer");
        EXPECT_EQ(str(g, "intent"), "faq.ask");
        EXPECT_EQ(str(g, "faq_id"), "passeport_perdu");
        EXPECT_EQ(g.at("count").as_int64(), 1);
        EXPECT_GT(g.at("last_voted").as_int64(), 0);
        when[lang] = str(g, "last_voted_text");
        std::time_t t = g.at("last_voted").as_int64();
        std::tm tm{};
        ::gmtime_r(&t, &tm);
        EXPECT_NE(when[lang].find(std::to_string(tm.tm_year + 1900)), std::string::npos) << lang << ": " << when[lang];
    }
    EXPECT_NE(when["fr"], when["en"]);  // ICU in the console's language, as the unanswered list
    auto faq = c.get("/admin/api/faq").json().at("entries").as_array();
    ASSERT_EQ(faq.size(), 2u);  // the entry shown, then the one never shown yet
    EXPECT_EQ(str(faq[0], "id"), "passeport_perdu");
    EXPECT_EQ(str(faq[0], "question"), "J'ai perdu mon passeport");
    EXPECT_EQ(faq[0].at("shown").as_int64(), 2);
    EXPECT_EQ(faq[0].at("useful").as_int64(), 1);
    EXPECT_EQ(faq[0].at("not_useful").as_int64(), 1);
    EXPECT_EQ(str(faq[1], "id"), "cantine_tarif");
    EXPECT_EQ(faq[1].at("shown").as_int64(), 0);
    // The same for the IT person, with the staff token (and not without it).
    auto it = call(port_, verb::get, "/api/v1/staff/faq", {}, {{"Authorization", "Bearer jeton-du-service-informatique"}});
    ASSERT_EQ(it.status, 200u);
    EXPECT_EQ(json::serialize(it.json()), json::serialize(c.get("/admin/api/faq").json()));
    EXPECT_EQ(call(port_, verb::get, "/api/v1/staff/unhelpful").status, 401u);
    EXPECT_EQ(call(port_, verb::get, "/api/v1/staff/unhelpful", {}, {{"Authorization", "Bearer jeton-du-service-informatique"}})
                  .json().at("groups").as_array().size(), 1u);

    auto agent = signed_in("agnes");
    EXPECT_EQ(agent.get("/admin/api/unhelpful").status, 403u);
    EXPECT_EQ(agent.get("/admin/api/faq").status, 403u);
    auto id = str(c.get("/admin/api/unhelpful").json().at("groups").as_array()[0], "id");
    EXPECT_EQ(agent.post("/admin/api/unhelpful/" + id + "/done", "").status, 403u);
    EXPECT_EQ(c.post("/admin/api/unhelpful/" + id + "/done", "", "").status, 403u);  // no CSRF token
    EXPECT_EQ(c.post("/admin/api/unhelpful/u999999/done", "").status, 404u);
    EXPECT_EQ(c.post("/admin/api/unhelpful/" + id + "/done", "").status, 200u);
    EXPECT_TRUE(c.get("/admin/api/unhelpful").json().at("groups").as_array().empty());

    stop();  // the writer's last flush
    start();
    auto again = signed_in("eddie");
    EXPECT_TRUE(again.get("/admin/api/unhelpful").json().at("groups").as_array().empty());
    EXPECT_EQ(json::serialize(again.get("/admin/api/faq").json().at("entries").as_array()[0]), json::serialize(faq[0]));
}

// A message that asked two questions is answered as two: a 👎 on its answer counts for each
// question, with its own words, its FAQ entry and its own answer (it counted only the first,
// with both questions' words and both answers).
TEST_F(console_server, a_vote_on_the_answer_to_two_questions_counts_for_each) {
    stop();
    write_two_faq_entries(site_);
    start();
    auto first = call(port_, verb::post, "/api/v1/messages",
                      R"({"conversation":"web-two","text":"J'ai perdu mon passeport, et quel est le tarif de la cantine ?"})");
    ASSERT_EQ(first.status, 200u) << first.body;
    auto auth = std::map<std::string, std::string>{{"Authorization", "Bearer " + str(first.json(), "token")}};
    auto vote = call(port_, verb::post, "/api/v1/messages/web-two/feedback", R"({"entry":2,"useful":false})", auth);
    ASSERT_EQ(vote.status, 200u) << vote.body;
    EXPECT_EQ(json::serialize(vote.json().at("intents")), R"(["faq.ask","faq.ask"])");

    auto c = signed_in("eddie");
    auto groups = c.get("/admin/api/unhelpful?lang=fr").json().at("groups").as_array();
    ASSERT_EQ(groups.size(), 2u) << json::serialize(groups);
    std::map<std::string, json::object> by_entry;
    for (auto& g : groups) by_entry[str(g, "faq_id")] = g.as_object();
    ASSERT_EQ(by_entry.count("passeport_perdu"), 1u);
    ASSERT_EQ(by_entry.count("cantine_tarif"), 1u);
    EXPECT_EQ(str(by_entry["passeport_perdu"], "question"), "J'ai perdu mon passeport");
    EXPECT_EQ(str(by_entry["cantine_tarif"], "question"), "et quel est le tarif de la cantine ?");
    EXPECT_NE(str(by_entry["passeport_perdu"], "answer").find("En cas de perte"), std::string::npos);
    EXPECT_EQ(str(by_entry["passeport_perdu"], "answer").find("quotient familial"), std::string::npos);
    EXPECT_NE(str(by_entry["cantine_tarif"], "answer").find("quotient familial"), std::string::npos);
    EXPECT_EQ(str(by_entry["cantine_tarif"], "answer").find("En cas de perte"), std::string::npos);
    auto entries = c.get("/admin/api/faq").json().at("entries").as_array();
    ASSERT_EQ(entries.size(), 2u);
    for (auto& e : entries) {
        EXPECT_EQ(e.at("shown").as_int64(), 1) << json::serialize(e);
        EXPECT_EQ(e.at("not_useful").as_int64(), 1) << json::serialize(e);
    }
}
