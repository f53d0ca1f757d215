// A fake messaging platform for the tests: a small Beast HTTP server on 127.0.0.1 (its own
// thread) that records every request we send and answers what the test tells it. It can be
// taken down (port closed: connection refused) and brought back on the same port.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace guichet::test {

struct recorded {
    std::string method, target, authorization, content_type, body;
    std::chrono::steady_clock::time_point at;  // when it arrived
};

class fake_platform {
public:
    fake_platform();
    ~fake_platform();

    unsigned short port() const { return port_; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // Closes the port (connections refused) / reopens it on the same port.
    void down();
    void up();
    // Status answered to every request (default 200) and its body (default {"ok":true}).
    void respond(unsigned status, std::string body = "{\"ok\":true}");
    // The answer to requests whose target starts with `target_prefix` (longest prefix wins),
    // with extra response headers (e.g. Retry-After); other targets get respond()'s answer.
    void respond_to(std::string target_prefix, unsigned status, std::string body,
                    std::map<std::string, std::string> headers = {});

    std::vector<recorded> requests() const;
    std::size_t attempts() const;  // requests received, whatever was answered
    std::vector<std::chrono::steady_clock::time_point> attempt_times() const;
    // Waits until `n` requests were answered 2xx (returns them) or the timeout passes.
    std::vector<recorded> wait_for(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    void accept_loop();
    boost::asio::io_context io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<recorded> delivered_;
    std::size_t attempts_ = 0;
    unsigned status_ = 200;
    std::string body_ = "{\"ok\":true}";
    struct canned {
        unsigned status;
        std::string body;
        std::map<std::string, std::string> headers;
    };
    std::map<std::string, canned> by_target_;
    std::vector<std::chrono::steady_clock::time_point> attempt_times_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
};

struct http_result {
    unsigned status = 0;
    std::string body;
    std::string content_type;
};

// One blocking HTTP/1.1 request to 127.0.0.1:port.
http_result call(unsigned short port, boost::beast::http::verb method, const std::string& target,
                 const std::map<std::string, std::string>& headers = {}, const std::string& body = {},
                 const std::string& content_type = "application/json");

// Polls cond every 20 ms until it holds or the timeout passes.
bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace guichet::test
