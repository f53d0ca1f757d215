// The HTTP/1.1 server every web-facing connector plugs its routes into (Boost.Beast, one
// coroutine per connection on its own strand). It owns the limits that protect the engine:
// body size, idle time, connections; it answers 404/405/413/400 itself, as JSON.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace guichet {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

struct http_limits {
    std::size_t body_limit = 64 * 1024;
    std::chrono::seconds idle_timeout{30};
    std::size_t max_connections = 20000;
};

struct request_context {
    boost::asio::ip::address peer;
    std::string path;                          // the target without its query string
    std::map<std::string, std::string> query;  // decoded query parameters
};

using route_handler =
    std::function<boost::asio::awaitable<http_response>(http_request&, const request_context&)>;

// A JSON response with the usual headers.
http_response json_response(http::status status, std::string body, unsigned version = 11);
// {"error": {"code": status, "message": …}}
http_response json_error(http::status status, std::string_view message, unsigned version = 11);

class http_server {
public:
    http_server(boost::asio::io_context& io, http_limits limits);
    ~http_server();

    // Routes are matched on the exact path, or on a prefix when registered with a trailing
    // '*' ("/v3/directline/*"). Register before listen().
    void route(http::verb method, std::string path, route_handler handler);

    // Binds and starts accepting; returns the port (useful with port 0).
    unsigned short listen(const std::string& host, unsigned short port);
    // Stops accepting; open connections finish their current request and close.
    void stop();
    std::size_t connections() const;

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace guichet
