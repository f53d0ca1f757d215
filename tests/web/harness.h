// Test harness of the website channel: the real engine on the test site (tests/web/site),
// wired like `guichet serve` (limits, web API, Direct Line) on 127.0.0.1 port 0, and a small
// synchronous Beast client (HTTP and WebSocket) to talk to it.
#pragma once

#include <gtest/gtest.h>

#include <boost/asio/connect.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "app/app.h"
#include "directline/directline.h"
#include "server/http_server.h"
#include "web/web_api.h"

namespace guichet::test {

namespace beast = boost::beast;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// A running server; `config_yaml` is the site's configuration (web:, limits:, directline:).
class web_server {
public:
    explicit web_server(const std::string& config_yaml) {
        auto dir = std::filesystem::temp_directory_path() /
                   ("guichet-web-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::create_directories(dir);
        config_file_ = dir / "guichet.yaml";
        std::ofstream(config_file_) << config_yaml << "\nkb:\n  path: " << (dir / "kb.db").string() << "\n";
        app_options o;
        o.site = std::filesystem::path(GUICHET_SOURCE_DIR) / "tests/web/site";
        o.config_file = config_file_;
        std::ostringstream err;
        app_ = app::create(o, err);
        if (!app_) throw std::runtime_error("the test site does not load:\n" + err.str());
        http_limits limits;
        limits.idle_timeout = std::chrono::seconds(5);
        if (!web::apply_limits(app_->config, limits, err)) throw std::runtime_error(err.str());
        server_ = std::make_unique<http_server>(app_->io, limits);
        web_ = web::register_api(*server_, *app_->router, app_->push, web::api_options_from(app_->config));
        dl_ = directline::register_directline(*server_, *app_->router, app_->push,
                                              directline::options_from(app_->config));
        port_ = server_->listen("127.0.0.1", 0);
        work_.emplace(app_->io.get_executor());
        for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { app_->io.run(); });
    }
    ~web_server() {
        server_->stop();
        work_.reset();
        app_->io.stop();
        for (auto& t : threads_) t.join();
        server_.reset();
        std::error_code ec;
        std::filesystem::remove_all(config_file_.parent_path(), ec);
    }
    unsigned short port() const { return port_; }
    guichet::app& app() { return *app_; }
    http_server& server() { return *server_; }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path config_file_;
    std::unique_ptr<guichet::app> app_;
    std::unique_ptr<http_server> server_;
    std::shared_ptr<void> web_, dl_;
    unsigned short port_ = 0;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
    std::vector<std::thread> threads_;
};

struct reply {
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;
    boost::json::value json() const { return boost::json::parse(body); }
};

// One HTTP request on a fresh connection.
inline reply request(unsigned short port, beast::http::verb method, const std::string& target,
                     const std::string& body = "", std::map<std::string, std::string> headers = {}) {
    asio::io_context io;
    beast::tcp_stream s(io);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    beast::http::request<beast::http::string_body> req{method, target, 11};
    req.set(beast::http::field::host, "127.0.0.1:" + std::to_string(port));
    if (!body.empty()) req.set(beast::http::field::content_type, "application/json");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    beast::http::write(s, req);
    beast::flat_buffer buf;
    beast::http::response_parser<beast::http::string_body> p;
    p.body_limit(10 * 1024 * 1024);
    beast::http::read(s, buf, p);
    reply r;
    auto res = p.release();
    r.status = static_cast<int>(res.result_int());
    for (auto& f : res) r.headers[std::string(f.name_string())] = std::string(f.value());
    r.body = res.body();
    return r;
}

inline reply post(unsigned short port, const std::string& target, const std::string& body,
                  std::map<std::string, std::string> headers = {}) {
    return request(port, beast::http::verb::post, target, body, std::move(headers));
}

inline std::map<std::string, std::string> bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
}

// A WebSocket client with a read deadline.
class ws_client {
public:
    ws_client(unsigned short port, const std::string& target) : ws_(io_) {
        auto& s = beast::get_lowest_layer(ws_);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
        ws_.handshake(response_, "127.0.0.1:" + std::to_string(port), target);
    }
    void send(const std::string& text) { ws_.write(asio::buffer(text)); }
    // The next text frame, or throws after `timeout`.
    boost::json::value next(std::chrono::seconds timeout = std::chrono::seconds(10)) {
        beast::get_lowest_layer(ws_).expires_after(timeout);
        beast::flat_buffer buf;
        ws_.read(buf);
        return boost::json::parse(beast::buffers_to_string(buf.data()));
    }
    // Reads until a frame satisfies `pred`.
    template <class Pred>
    boost::json::value until(Pred pred, int max_frames = 20) {
        for (int i = 0; i < max_frames; ++i) {
            auto v = next();
            if (pred(v)) return v;
        }
        throw std::runtime_error("no such frame");
    }
    beast::websocket::stream<beast::tcp_stream>& ws() { return ws_; }

private:
    asio::io_context io_;
    beast::websocket::stream<beast::tcp_stream> ws_;
    beast::websocket::response_type response_;
};

}  // namespace guichet::test
