// One HTTP(S) call per connection, as a coroutine: resolve, connect, TLS handshake with
// SNI and host-name verification, write, read; beast::tcp_stream's expiry is the timeout.
#include "outbound/https_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;

namespace guichet::outbound {
namespace {

constexpr auto tok = asio::as_tuple(asio::use_awaitable);

template <class Stream>
asio::awaitable<response> exchange(Stream& stream, beast::tcp_stream& tcp,
                                   http::request<http::string_body>& req, std::size_t limit) {
    response out;
    auto [wec, wn] = co_await http::async_write(stream, req, tok);
    (void)wn;
    if (wec) {
        out.ec = wec;
        co_return out;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(limit);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, tok);
    (void)rn;
    (void)tcp;
    if (rec) {
        out.ec = rec;
        co_return out;
    }
    out.status = parser.get().result_int();
    out.retry_after = std::string(parser.get()[http::field::retry_after]);
    out.body = std::move(parser.get().body());
    co_return out;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
    return host == "127.0.0.1" || host == "localhost" || host == "::1" || host == "[::1]";
}

https_client::https_client(client_options options)
    : options_(options), tls_(ssl::context::tls_client) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(ssl::verify_peer);
    tls_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                     ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
}

asio::awaitable<response> https_client::send(request r) {
    response out;
    auto parsed = boost::urls::parse_uri(r.url);
    if (!parsed) {
        out.ec = asio::error::invalid_argument;
        co_return out;
    }
    auto& u = *parsed;
    bool tls = u.scheme() == "https";
    std::string host(u.encoded_host());
    if (!tls && (u.scheme() != "http" || !is_loopback_host(host))) {
        out.ec = asio::error::access_denied;  // plain HTTP leaves the machine: refused
        co_return out;
    }
    std::string port = u.has_port() ? std::string(u.port()) : (tls ? "443" : "80");
    std::string target(u.encoded_target());
    if (target.empty()) target = "/";

    http::request<http::string_body> req{r.method, target, 11};
    req.set(http::field::host, host);
    req.set(http::field::user_agent, "guichet");
    req.set(http::field::connection, "close");
    for (auto& [k, v] : r.headers) req.set(k, v);
    if (!r.body.empty() || r.method == http::verb::post || r.method == http::verb::put) {
        req.set(http::field::content_type, r.content_type);
        req.body() = std::move(r.body);
        req.prepare_payload();
    }

    auto ex = co_await asio::this_coro::executor;
    asio::ip::tcp::resolver resolver(ex);
    beast::tcp_stream tcp(ex);
    tcp.expires_after(options_.timeout);
    auto [rec, endpoints] = co_await resolver.async_resolve(host, port, tok);
    if (rec) {
        out.ec = rec;
        co_return out;
    }
    auto [cec, ep] = co_await tcp.async_connect(endpoints, tok);
    (void)ep;
    if (cec) {
        out.ec = cec;
        co_return out;
    }
    if (!tls) {
        out = co_await exchange(tcp, tcp, req, options_.response_body_limit);
        beast::error_code ignored;
        tcp.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
        co_return out;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp), tls_);
    if (!SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) {
        out.ec = beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
        co_return out;
    }
    stream.set_verify_callback(ssl::host_name_verification(host));
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::client, tok);
    if (hec) {
        out.ec = hec;
        co_return out;
    }
    out = co_await exchange(stream, beast::get_lowest_layer(stream), req, options_.response_body_limit);
    auto [sec] = co_await stream.async_shutdown(tok);
    (void)sec;  // many servers close without close_notify
    co_return out;
}

std::chrono::milliseconds retry_after(const response& r) {
    try {
        std::size_t used = 0;
        long long s = std::stoll(r.retry_after, &used);
        if (used == r.retry_after.size() && s > 0) return std::chrono::seconds(s);
    } catch (const std::exception&) {
    }
    return {};
}

outcome classify(const response& r) {
    if (r.ec || r.status == 0) return outcome::retry;
    if (r.status >= 200 && r.status < 300) return outcome::delivered;
    if (r.status == 429 || r.status == 408 || r.status >= 500) return outcome::retry;
    return outcome::refused;
}

std::string describe(const response& r) {
    if (r.ec) return r.ec.message();
    constexpr std::size_t shown = 300;
    std::string out = "HTTP " + std::to_string(r.status);
    if (!r.body.empty()) out += ": " + r.body.substr(0, shown) + (r.body.size() > shown ? "…" : "");
    return out;
}

}  // namespace guichet::outbound
