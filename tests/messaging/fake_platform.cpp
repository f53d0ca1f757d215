// The fake platform server and the blocking test client (Beast, synchronous on purpose:
// one short request at a time keeps the test code obvious).
#include "fake_platform.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace guichet::test {

fake_platform::fake_platform() : acceptor_(io_), work_(io_.get_executor()) {
    tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    accept_loop();
    thread_ = std::thread([this] { io_.run(); });
}

fake_platform::~fake_platform() {
    asio::post(io_, [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
    });
    work_.reset();
    io_.stop();
    thread_.join();
}

void fake_platform::accept_loop() {
    acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
        if (ec) return;  // closed
        // One request per connection (the client sends Connection: close); served inline:
        // requests are tiny and the tests want their order.
        beast::tcp_stream stream(std::move(socket));
        stream.expires_after(std::chrono::seconds(5));
        beast::flat_buffer buffer;
        http::request<http::string_body> req;
        http::read(stream, buffer, req, ec);
        if (!ec) {
            unsigned status;
            std::string body;
            std::map<std::string, std::string> headers;
            auto now = std::chrono::steady_clock::now();
            {
                std::lock_guard lock(mutex_);
                ++attempts_;
                attempt_times_.push_back(now);
                status = status_;
                body = body_;
                std::size_t best = 0;
                for (auto& [prefix, c] : by_target_)
                    if (std::string(req.target()).rfind(prefix, 0) == 0 && prefix.size() >= best) {
                        best = prefix.size();
                        status = c.status;
                        body = c.body;
                        headers = c.headers;
                    }
                if (status >= 200 && status < 300)
                    delivered_.push_back({std::string(req.method_string()), std::string(req.target()),
                                          std::string(req[http::field::authorization]),
                                          std::string(req[http::field::content_type]), req.body(), now});
            }
            changed_.notify_all();
            http::response<http::string_body> res{static_cast<http::status>(status), 11};
            res.set(http::field::content_type, "application/json");
            for (auto& [k, v] : headers) res.set(k, v);
            res.body() = body;
            res.prepare_payload();
            http::write(stream, res, ec);
        }
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        if (acceptor_.is_open()) accept_loop();
    });
}

void fake_platform::down() {
    std::promise<void> done;
    asio::post(io_, [&] {
        boost::system::error_code ec;
        acceptor_.close(ec);
        done.set_value();
    });
    done.get_future().wait();
}

void fake_platform::up() {
    std::promise<void> done;
    asio::post(io_, [&] {
        tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port_);
        acceptor_.open(ep.protocol());
        acceptor_.set_option(tcp::acceptor::reuse_address(true));
        acceptor_.bind(ep);
        acceptor_.listen();
        accept_loop();
        done.set_value();
    });
    done.get_future().wait();
}

void fake_platform::respond(unsigned status, std::string body) {
    std::lock_guard lock(mutex_);
    status_ = status;
    body_ = std::move(body);
}

void fake_platform::respond_to(std::string target_prefix, unsigned status, std::string body,
                               std::map<std::string, std::string> headers) {
    std::lock_guard lock(mutex_);
    by_target_[std::move(target_prefix)] = {status, std::move(body), std::move(headers)};
}

std::vector<std::chrono::steady_clock::time_point> fake_platform::attempt_times() const {
    std::lock_guard lock(mutex_);
    return attempt_times_;
}

std::vector<recorded> fake_platform::requests() const {
    std::lock_guard lock(mutex_);
    return delivered_;
}

std::size_t fake_platform::attempts() const {
    std::lock_guard lock(mutex_);
    return attempts_;
}

std::vector<recorded> fake_platform::wait_for(std::size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, timeout, [&] { return delivered_.size() >= n; });
    return delivered_;
}

http_result call(unsigned short port, http::verb method, const std::string& target,
                 const std::map<std::string, std::string>& headers, const std::string& body,
                 const std::string& content_type) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(15));
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == http::verb::post || method == http::verb::put) {
        req.set(http::field::content_type, content_type);
        req.body() = body;
        req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return {res.result_int(), res.body(), std::string(res[http::field::content_type])};
}

bool eventually(const std::function<bool()>& cond, std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
        if (cond()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return cond();
}

}  // namespace guichet::test
