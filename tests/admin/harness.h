// A running engine for the console tests: a private copy of tests/reload/site, staff accounts
// created first in its var/staff.db, the app with the website channel, the staff desk (inbox,
// console) and the ops service on a real HTTP server at 127.0.0.1:0; plus a small blocking
// HTTP client that keeps the console's cookie and sends any header.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <map>

#include "../reload/staff_fixture.h"
#include "admin/accounts.h"
#include "agents/agents.h"
#include "web/web_api.h"

namespace guichet::test {

struct reply {
    unsigned status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names
    boost::json::value json() const { return boost::json::parse(body); }
};

inline reply call(unsigned short port, boost::beast::http::verb verb, const std::string& target,
                  const std::string& body = {}, const std::map<std::string, std::string>& headers = {}) {
    namespace beast = boost::beast;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket s(io);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    beast::http::request<beast::http::string_body> req{verb, target, 11};
    req.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
    for (auto& [k, v] : headers) req.set(k, v);
    if (!body.empty()) {
        req.set(beast::http::field::content_type, "application/json");
        req.body() = body;
    }
    req.prepare_payload();
    beast::http::write(s, req);
    beast::flat_buffer buf;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(s, buf, res);
    reply r{res.result_int(), res.body(), {}};
    for (auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        r.headers[name] = std::string(f.value());
    }
    return r;
}

// A signed-in browser, as far as the server can tell: its cookie and CSRF token.
struct staff_client {
    unsigned short port = 0;
    std::string cookie, csrf;
    reply login_reply;

    bool login(const std::string& name, const std::string& password) {
        login_reply = call(port, boost::beast::http::verb::post, "/admin/api/login",
                           boost::json::serialize(boost::json::object{{"name", name}, {"password", password}}));
        if (login_reply.status != 200) return false;
        auto set = login_reply.headers["set-cookie"];
        cookie = set.substr(0, set.find(';'));
        csrf = std::string(login_reply.json().at("csrf").as_string());
        return true;
    }
    reply get(const std::string& path) const {
        return call(port, boost::beast::http::verb::get, path, {}, {{"Cookie", cookie}});
    }
    reply post(const std::string& path, const std::string& body, const std::string& token_override = "\x01",
               std::map<std::string, std::string> extra = {}) const {
        extra["Cookie"] = cookie;
        std::string token = token_override == "\x01" ? csrf : token_override;
        if (!token.empty()) extra["X-CSRF-Token"] = token;
        return call(port, boost::beast::http::verb::post, path, body.empty() ? "{}" : body, extra);
    }
};

class console_server : public ::testing::Test {
protected:
    static constexpr const char* admin_password = "correct horse battery";

    void SetUp() override {
        site_ = copy_test_site();
        ::setenv("GUICHET_OPS_RELOAD_POLL_MS", "100", 1);
        ::setenv("GUICHET_PLUGINS_DIR", GUICHET_PLUGIN_DIR, 1);
        {
            admin::accounts acc(site_ / "var" / "staff.db");
            ASSERT_EQ(acc.add("alice", admin::role::admin, admin_password), "");
            ASSERT_EQ(acc.add("eddie", admin::role::editor, admin_password), "");
            ASSERT_EQ(acc.add("agnes", admin::role::agent, admin_password), "");
        }
        start();
    }

    void start(http_limits limits = {}) {
        app_options o;
        o.site = site_;
        std::ostringstream err;
        app_ = app::create(o, err);
        ASSERT_TRUE(app_) << err.str();
        server_ = std::make_unique<http_server>(app_->io, limits);
        web_ = web::register_api(*server_, *app_->router, app_->push);
        desk_ = agents::register_desk(*server_, *app_);
        service_ = std::make_unique<ops::service>(*app_, *server_);
        port_ = server_->listen("127.0.0.1", 0);
        work_.emplace(app_->io.get_executor());
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { app_->io.run(); });
    }

    void stop() {
        service_.reset();
        if (server_) server_->stop();
        work_.reset();
        if (app_) app_->io.stop();
        for (auto& t : threads_) t.join();
        threads_.clear();
        desk_.reset();
        web_.reset();
        server_.reset();
        app_.reset();
    }

    void TearDown() override {
        stop();
        std::error_code ec;
        fs::remove_all(site_.parent_path(), ec);
    }

    staff_client signed_in(const std::string& name) {
        staff_client c{port_, {}, {}, {}};
        EXPECT_TRUE(c.login(name, admin_password)) << c.login_reply.body;
        return c;
    }

    // A website conversation (the citizen's Authorization header) that the agent Agnès holds,
    // her first reply `reply` sent; the handoff's ticket.
    struct held_conversation {
        std::map<std::string, std::string> auth;
        std::string ticket;
        staff_client agnes;
    };
    held_conversation held_by_agnes(const std::string& conversation, const std::string& reply) {
        namespace json = boost::json;
        using boost::beast::http::verb;
        auto first = call(port_, verb::post, "/api/v1/messages",
                          json::serialize(json::object{{"conversation", conversation}, {"text", "bonjour"}}));
        EXPECT_EQ(first.status, 200u) << first.body;
        held_conversation held;
        held.auth = {{"Authorization", "Bearer " + std::string(first.json().at("token").as_string())}};
        store::handoff_record h;
        h.kind = "queue";
        h.who = {"web", conversation, ""};
        h.created = h.updated = 1796205600;
        held.ticket = app_->store->create_handoff(h).ticket;
        held.agnes = signed_in("agnes");
        EXPECT_EQ(held.agnes.post("/admin/api/inbox/handoffs/" + held.ticket + "/reply",
                                  json::serialize(json::object{{"text", reply}})).status,
                  200u);
        EXPECT_EQ(app_->store->get_handoff(held.ticket)->state, "active");
        return held;
    }

    turn_result say(const std::string& text, const std::string& conversation = "c1") {
        message m;
        m.channel = "test";
        m.conversation_id = conversation;
        m.user_id = "u";
        m.text = text;
        m.locale = "fr";
        return app_->router->async_submit(m, boost::asio::use_future).get();
    }

    fs::path site_;
    std::unique_ptr<app> app_;
    std::unique_ptr<http_server> server_;
    std::shared_ptr<void> web_, desk_;
    std::unique_ptr<ops::service> service_;
    unsigned short port_ = 0;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
};

}  // namespace guichet::test
