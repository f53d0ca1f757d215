// Outbound HTTP calls to messaging platforms: HTTPS on Beast + OpenSSL with the peer's
// certificate and host name verified, one timeout per call. Plain http:// is refused except
// for loopback hosts (tests point platforms at a local fake). Retries live in the outbox.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace guichet::outbound {

struct request {
    boost::beast::http::verb method = boost::beast::http::verb::post;
    std::string url;  // https://host[:port]/path?query (may hold a token: never log it)
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::string content_type = "application/json";
};

struct response {
    boost::system::error_code ec;  // network, TLS or timeout error (status is 0 then)
    unsigned status = 0;
    std::string body;
    std::string retry_after;  // the Retry-After header, as sent (rate limits: 429)
};

struct client_options {
    std::chrono::milliseconds timeout{10000};     // the whole call: resolve to last byte
    std::size_t response_body_limit = 1024 * 1024;
};

// Thread-safe: each call uses its own connection; the TLS context is shared read-only.
class https_client {
public:
    explicit https_client(client_options options = {});
    boost::asio::awaitable<response> send(request r);

private:
    client_options options_;
    boost::asio::ssl::context tls_;
};

// What to do with a response: delivered, worth retrying (network, 429, 5xx), or refused
// for good (other 4xx: retrying would not help).
enum class outcome { delivered, retry, refused };
outcome classify(const response& r);

// What a sender tells the outbox: the outcome and, for a retry, the wait the platform asked
// for (a rate limit's Retry-After), 0 when it gave none; for a refusal, why (kept with the
// failed reply for the IT staff: "HTTP 400: {…}", the platform's error).
struct send_result {
    outcome result = outcome::retry;
    std::chrono::milliseconds wait{0};
    std::string reason;
    send_result(outcome o, std::chrono::milliseconds w = {}, std::string why = {})  // NOLINT: an outcome is a result
        : result(o), wait(w), reason(std::move(why)) {}
};

// What went wrong with a call, for the logs and a failed reply: the network error, or
// "HTTP <status>" and the start of the platform's answer (at most 300 bytes).
std::string describe(const response& r);

// The Retry-After header in seconds (the delta-seconds form platforms send), else 0.
std::chrono::milliseconds retry_after(const response& r);

// http:// allowed only for these hosts.
bool is_loopback_host(std::string_view host);

}  // namespace guichet::outbound
