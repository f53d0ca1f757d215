// The HTTP/1.1 server every web-facing connector plugs its routes into (Boost.Beast, one
// coroutine per connection on its own strand). It owns the limits that protect the engine:
// body size, idle time, connections (in all and per client address), a per-client rate limit
// on POSTs, CORS from an allow-list, and WebSocket upgrades handed to the connector that
// registered the path. It answers 404/405/413/400/429 itself, as JSON.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/json_fields.h"
#include "common/split_list.h"
#include "server/rate_limit.h"

namespace guichet {

namespace http = boost::beast::http;
using http_request = http::request<http::string_body>;
using http_response = http::response<http::string_body>;

struct http_limits {
    std::size_t body_limit = 64 * 1024;
    std::size_t header_limit = 16 * 1024;
    std::chrono::seconds idle_timeout{30};
    std::size_t max_connections = 20000;
    std::size_t max_connections_per_ip = 256;  // a trusted proxy is not counted
    std::size_t rate_per_minute = 120;         // POSTs per client address; 0 = off
    // During a graceful stop, a keep-alive connection that sends nothing for this long is
    // closed; one in the middle of its exchanges sends its next request sooner and gets its
    // answer with `Connection: close`.
    std::chrono::milliseconds drain_idle{1000};
    // Peers whose X-Forwarded-For is believed (nginx, HAProxy in front of us).
    std::vector<boost::asio::ip::address> trusted_proxies;
    // Origins allowed to call the API from a browser ("*" for any); empty: same origin only.
    std::vector<std::string> cors_origins;
};

struct request_context {
    boost::asio::ip::address peer;    // the TCP peer
    boost::asio::ip::address client;  // the citizen's address (X-Forwarded-For from a trusted proxy)
    std::string path;                          // the target without its query string
    std::map<std::string, std::string> query;  // decoded query parameters
};

using route_handler =
    std::function<boost::asio::awaitable<http_response>(http_request&, const request_context&)>;
// Takes over the connection of a WebSocket upgrade request (the handler accepts it).
using upgrade_handler = std::function<boost::asio::awaitable<void>(
    boost::beast::tcp_stream, http_request, request_context)>;

// A JSON response with the usual headers.
http_response json_response(http::status status, std::string body, unsigned version = 11);
// {"error": {"code": status, "message": …}}
http_response json_error(http::status status, std::string_view message, unsigned version = 11);
// {"error": {"code": status, "message": en, "message_fr": fr}, "problems": [fr]}: an error
// staff read as it is (the console shows message_fr or message in its language).
http_response json_error_fr_en(http::status status, std::string_view fr, std::string_view en,
                               unsigned version = 11);
// The bearer token of an Authorization header, or "".
std::string bearer_token(const http_request& req);
// The request body as a JSON object, or nothing when it is not one.
std::optional<boost::json::object> json_object_body(const http_request& req);

class http_server {
public:
    http_server(boost::asio::io_context& io, http_limits limits);
    ~http_server();

    // Routes are matched on the exact path, or on a prefix when registered with a trailing
    // '*' ("/v3/directline/*"). Register before listen().
    void route(http::verb method, std::string path, route_handler handler);
    // WebSocket endpoints (same path syntax); a plain request there gets 426.
    void upgrade(std::string path, upgrade_handler handler);

    // Binds and starts accepting; returns the port (useful with port 0).
    unsigned short listen(const std::string& host, unsigned short port);
    // Starts a graceful stop (the drain): requests already read are answered, each with
    // `Connection: close`; a keep-alive connection is closed after its next answer, or after
    // limits.drain_idle without a request; a connection accepted from now on gets 503 with
    // Retry-After (a client already in the listen queue gets an answer, not a reset). WebSocket
    // connections are not waited for. Thread-safe; call close() once drained() or at a deadline.
    void stop();
    // True once stop() was called and no HTTP exchange is left (WebSockets aside).
    bool drained() const;
    // Closes the listening socket (end of the drain; also done by the destructor).
    void close();
    std::size_t connections() const;

    // The per-client limiter, for connectors that count messages on their own sockets.
    rate_limiter& limiter();
    const http_limits& limits() const;
    // Whether a browser page of this origin may call us (CORS allow-list).
    bool origin_allowed(std::string_view origin) const;
    // Whether the request comes from a page of our own site: no Origin (not a browser), or an
    // Origin naming the Host we were asked for — or, from a trusted proxy only, the host and
    // scheme it says the citizen asked for (X-Forwarded-Host, X-Forwarded-Proto). Anyone else's
    // X-Forwarded-* headers are ignored, so the CSRF/Origin check holds for direct access.
    bool same_origin(const http_request& req, const request_context& ctx) const;
    // Whether this peer is one of limits().trusted_proxies.
    bool trusted_proxy(const boost::asio::ip::address& peer) const;

private:
    struct state;
    std::shared_ptr<state> state_;
};

}  // namespace guichet
