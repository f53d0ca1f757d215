// A running engine for the staff tests: a private copy of tests/reload/site in a temporary
// folder (the tests edit it), the app, a real HTTP server on 127.0.0.1:0 with the ops
// routes and the reloader, io threads; plus a small blocking HTTP client and a chat helper.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/app.h"
#include "ops/ops_service.h"
#include "server/http_server.h"

namespace guichet::test {

namespace fs = std::filesystem;

inline fs::path copy_test_site() {
    char tmpl[] = "/tmp/guichet-staff-XXXXXX";
    fs::path dir = ::mkdtemp(tmpl);
    fs::copy(fs::path(GUICHET_SOURCE_DIR) / "tests/reload/site", dir / "site",
             fs::copy_options::recursive);
    return dir / "site";
}

inline std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

inline void write_text(const fs::path& p, const std::string& text) {
    auto tmp = p;
    tmp += ".tmp";
    std::ofstream(tmp, std::ios::binary) << text;
    fs::rename(tmp, p);  // as editors do: the reloader never sees half a file
}

struct http_reply {
    unsigned status = 0;
    std::string body;
};

inline http_reply http_call(unsigned short port, boost::beast::http::verb verb,
                            const std::string& target, const std::string& body = {},
                            const std::string& token = {}) {
    namespace beast = boost::beast;
    boost::asio::io_context io;
    boost::asio::ip::tcp::socket s(io);
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    beast::http::request<beast::http::string_body> req{verb, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(beast::http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
        req.set(beast::http::field::content_type, "application/json");
        req.body() = body;
    }
    req.prepare_payload();
    beast::http::write(s, req);
    beast::flat_buffer buf;
    beast::http::response<beast::http::string_body> res;
    beast::http::read(s, buf, res);
    return {res.result_int(), res.body()};
}

class staff_server : public ::testing::Test {
protected:
    static constexpr const char* token = "staff-secret-of-the-tests";

    void SetUp() override {
        site_ = copy_test_site();
        start();
    }

    void TearDown() override {
        stop();
        std::error_code ec;
        fs::remove_all(site_.parent_path(), ec);
    }

    // Starts the app, server and reloader on site_; `serving` as `guichet serve` (keeps
    // var/last-good/, serves it when a file is broken). The stderr of app::create is kept in
    // start_err_.
    void start(bool serving = false) {
        ::setenv("GUICHET_OPS_STAFF_TOKEN", token, 1);
        ::setenv("GUICHET_OPS_RELOAD_POLL_MS", "100", 1);
        ::setenv("GUICHET_PLUGINS_DIR", GUICHET_PLUGIN_DIR, 1);
        app_options o;
        o.site = site_;
        o.serving = serving;
        std::ostringstream err;
        app_ = app::create(o, err);
        start_err_ = err.str();
        ASSERT_TRUE(app_) << start_err_;
        server_ = std::make_unique<http_server>(app_->io, http_limits{});
        service_ = std::make_unique<ops::service>(*app_, *server_);
        port_ = server_->listen("127.0.0.1", 0);
        work_.emplace(app_->io.get_executor());
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { app_->io.run(); });
    }

    // Stops what start() started (the site's files stay).
    void stop() {
        service_.reset();
        if (server_) server_->stop();
        work_.reset();
        if (app_) app_->io.stop();
        for (auto& t : threads_) t.join();
        threads_.clear();
        server_.reset();
        app_.reset();
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

    static std::string text_of(const turn_result& r) {
        std::string t;
        for (auto& rep : r.replies) t += rep.text;
        return t;
    }

    fs::path site_;
    std::unique_ptr<app> app_;
    std::unique_ptr<http_server> server_;
    std::unique_ptr<ops::service> service_;
    unsigned short port_ = 0;
    std::string start_err_;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
};

}  // namespace guichet::test
