// Listener and per-connection session coroutines (after Beast's awaitable examples):
// expected outcomes (EOF, timeouts, closed) come back as error codes, the rest is logged.
// Limits per client (connections, POST rate), CORS and WebSocket hand-over live here too.
#include "server/http_server.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <mutex>
#include <unordered_map>

#include "engine/log.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace guichet {

http_response json_response(http::status status, std::string body, unsigned version) {
    http_response res{status, version};
    res.set(http::field::content_type, "application/json; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.set(http::field::server, "guichet");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

http_response json_error(http::status status, std::string_view message, unsigned version) {
    boost::json::object err{{"code", static_cast<int>(status)}, {"message", message}};
    return json_response(status, boost::json::serialize(boost::json::object{{"error", err}}),
                         version);
}

http_response json_error_fr_en(http::status status, std::string_view fr, std::string_view en,
                               unsigned version) {
    boost::json::object err{{"code", static_cast<int>(status)}, {"message", en}, {"message_fr", fr}};
    return json_response(status,
                         boost::json::serialize(boost::json::object{
                             {"error", err}, {"problems", boost::json::array{boost::json::string(fr)}}}),
                         version);
}

std::string bearer_token(const http_request& req) {
    auto h = req[http::field::authorization];
    if (h.size() > 7 && (h.substr(0, 7) == "Bearer " || h.substr(0, 7) == "bearer "))
        return std::string(h.substr(7));
    return {};
}

std::optional<boost::json::object> json_object_body(const http_request& req) {
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body(), ec);
    if (ec || !v.is_object()) return std::nullopt;
    return std::move(v.as_object());
}

struct http_server::state : std::enable_shared_from_this<http_server::state> {
    asio::io_context& io;
    http_limits limits;
    struct entry {
        http::verb method;
        std::string path;
        bool prefix;
        route_handler handler;
    };
    std::vector<entry> routes;
    struct upgrade_entry {
        std::string path;
        bool prefix;
        upgrade_handler handler;
    };
    std::vector<upgrade_entry> upgrades;
    std::unique_ptr<tcp::acceptor> acceptor;
    std::atomic<std::size_t> connections{0};
    std::atomic<std::size_t> exchanges{0};  // connections still speaking HTTP (not upgraded)
    std::atomic<bool> stopping{false};
    // What the drain needs of a connection: touched on the connection's strand only.
    struct session_handle {
        beast::tcp_stream* stream = nullptr;  // null once the session has ended or upgraded
        bool idle = false;                    // waiting for the first bytes of a request
        bool upgraded = false;                // handed to a WebSocket connector
    };
    std::mutex sessions_mutex;
    std::map<std::uint64_t, std::pair<asio::any_io_executor, std::weak_ptr<session_handle>>> sessions;
    std::uint64_t next_session = 0;
    rate_limiter limiter;
    std::mutex per_ip_mutex;
    std::unordered_map<std::string, std::size_t> per_ip;  // open connections per peer
    mutable std::atomic<bool> untrusted_forwarder_told{false};

    state(asio::io_context& i, http_limits l) : io(i), limits(l), limiter(l.rate_per_minute) {}

    bool trusted(const asio::ip::address& a) const {
        for (auto& t : limits.trusted_proxies)
            if (t == a) return true;
        return false;
    }

    // The right-most X-Forwarded-For address that is not one of our proxies.
    asio::ip::address client_of(const http_request& req, const asio::ip::address& peer) const {
        if (!trusted(peer)) {
            // A reverse proxy not listed: every citizen behind it shares its address, its rate
            // limit and its connection limit. Said once, with the setting to change.
            if (!untrusted_forwarder_told.load(std::memory_order_relaxed) &&
                req.find("X-Forwarded-For") != req.end() &&
                !untrusted_forwarder_told.exchange(true))
                log::warn("http", "requests from " + peer.to_string() +
                                      " carry X-Forwarded-For, but it is not in "
                                      "limits.trusted_proxies (GUICHET_LIMITS_TRUSTED_PROXIES): "
                                      "everyone behind that proxy shares one rate limit and one "
                                      "connection limit. Add its address if it is your proxy");
            return peer;
        }
        auto xff = std::string(req["X-Forwarded-For"]);
        auto items = split_list(xff);
        for (auto it = items.rbegin(); it != items.rend(); ++it) {
            boost::system::error_code ec;
            auto a = asio::ip::make_address(*it, ec);
            if (ec) break;  // garbage: stop believing the header here
            if (!trusted(a)) return a;
        }
        return peer;
    }

    bool origin_allowed(std::string_view origin) const {
        for (auto& o : limits.cors_origins)
            if (o == "*" || o == origin) return true;
        return false;
    }

    // Adds the CORS headers for an allowed Origin.
    void add_cors(const http_request& req, http_response& res) const {
        auto origin = req[http::field::origin];
        if (origin.empty() || !origin_allowed(origin)) return;
        res.set(http::field::access_control_allow_origin, origin);
        res.set(http::field::vary, "Origin");
        // A page of the town's own site reads how long to wait after a 429.
        res.set(http::field::access_control_expose_headers, "Retry-After");
    }

    // Counts a connection of this peer; false when it already has too many.
    bool enter(const asio::ip::address& peer) {
        if (trusted(peer)) return true;
        std::lock_guard lock(per_ip_mutex);
        auto& n = per_ip[peer.to_string()];
        if (n >= limits.max_connections_per_ip) {
            if (n == 0) per_ip.erase(peer.to_string());
            return false;
        }
        ++n;
        return true;
    }
    void leave(const asio::ip::address& peer) {
        if (trusted(peer)) return;
        std::lock_guard lock(per_ip_mutex);
        auto it = per_ip.find(peer.to_string());
        if (it != per_ip.end() && --it->second == 0) per_ip.erase(it);
    }

    const upgrade_handler* match_upgrade(const std::string& path) const {
        for (auto& u : upgrades)
            if (u.prefix ? path.rfind(u.path, 0) == 0 : path == u.path) return &u.handler;
        return nullptr;
    }

    // Finds the handler; sets `status` to 404 or 405 when there is none.
    const route_handler* match(http::verb method, const std::string& path, http::status& status,
                               std::string& allow) const {
        bool path_known = false;
        for (auto& e : routes) {
            bool hit = e.prefix ? path.rfind(e.path, 0) == 0 : path == e.path;
            if (!hit) continue;
            path_known = true;
            if (e.method == method) return &e.handler;
            if (!allow.empty()) allow += ", ";
            allow += std::string(http::to_string(e.method));
        }
        status = path_known ? http::status::method_not_allowed : http::status::not_found;
        return nullptr;
    }

    asio::awaitable<void> accept_loop() {
        auto self = shared_from_this();
        for (;;) {
            auto [ec, socket] = co_await acceptor->async_accept(
                asio::make_strand(io), asio::as_tuple(asio::use_awaitable));
            if (ec) {
                if (ec == asio::error::operation_aborted) co_return;
                log::warn("http", "accept: " + ec.message());
                continue;
            }
            if (connections.load() >= limits.max_connections) {
                boost::system::error_code ignore;
                socket.close(ignore);  // over the limit: refuse quickly
                continue;
            }
            auto ex = socket.get_executor();
            asio::co_spawn(ex, session(std::move(socket)), [](std::exception_ptr e) {
                if (!e) return;
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    log::error("http", std::string("session failed: ") + x.what());
                }
            });
        }
    }

    // Wakes the connections waiting for a request, so that they wait limits.drain_idle at most.
    void drain() {
        std::lock_guard lock(sessions_mutex);
        for (auto& [id, s] : sessions)
            asio::post(s.first, [h = s.second] {
                if (auto p = h.lock(); p && p->stream && p->idle) p->stream->cancel();
            });
    }

    asio::awaitable<void> session(tcp::socket socket) {
        auto self = shared_from_this();
        ++connections;
        ++exchanges;
        // Accepted during the drain: answered 503, so that a client already in the listen
        // queue gets an answer rather than a reset when the listening socket closes.
        const bool late = stopping.load();
        struct on_exit {
            std::atomic<std::size_t>& n;
            ~on_exit() { --n; }
        } guard{connections};
        auto handle = std::make_shared<session_handle>();
        std::uint64_t id;
        {
            std::lock_guard lock(sessions_mutex);
            id = next_session++;
            sessions.emplace(id, std::pair{socket.get_executor(), std::weak_ptr(handle)});
        }
        struct on_end {
            state* s;
            std::uint64_t id;
            std::shared_ptr<session_handle> h;
            ~on_end() {
                if (!h->upgraded) --s->exchanges;
                h->stream = nullptr;
                std::lock_guard lock(s->sessions_mutex);
                s->sessions.erase(id);
            }
        } end_guard{this, id, handle};
        boost::system::error_code ec;
        request_context ctx;
        ctx.peer = socket.remote_endpoint(ec).address();
        beast::tcp_stream stream(std::move(socket));
        handle->stream = &stream;
        beast::flat_buffer buffer;
        bool counted = !ec && enter(ctx.peer);
        struct on_leave {
            state* s;
            bool counted;
            asio::ip::address peer;
            ~on_leave() {
                if (counted) s->leave(peer);
            }
        } leave_guard{this, counted, ctx.peer};
        if (!counted) {
            // Over the per-address limit: say so once, then close.
            auto res = json_error(http::status::too_many_requests,
                                  "too many connections from your address");
            res.set(http::field::retry_after, "5");
            res.keep_alive(false);
            stream.expires_after(std::chrono::seconds(5));
            co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            co_return;
        }
        for (;;) {
            if (buffer.size() == 0) {
                // Between requests: the drain may wake this wait (and only this one).
                handle->idle = true;
                stream.expires_after(stopping ? limits.drain_idle : limits.idle_timeout);
                auto [iec, got] = co_await stream.async_read_some(buffer.prepare(4096),
                                                                   asio::as_tuple(asio::use_awaitable));
                handle->idle = false;
                if (iec == asio::error::operation_aborted && stopping) continue;
                if (iec) break;  // closed, reset, idle too long
                buffer.commit(got);
            }
            stream.expires_after(limits.idle_timeout);
            http::request_parser<http::string_body> parser;
            parser.body_limit(limits.body_limit);
            parser.header_limit(static_cast<std::uint32_t>(limits.header_limit));
            auto [rec, n] = co_await http::async_read(stream, buffer, parser,
                                                      asio::as_tuple(asio::use_awaitable));
            (void)n;
            if (rec == http::error::end_of_stream || rec == beast::error::timeout ||
                rec == asio::error::connection_reset || rec == asio::error::eof)
                break;
            http_response res;
            bool keep_alive = false;
            if (rec == http::error::body_limit) {
                res = json_error(http::status::payload_too_large,
                                 "request body larger than " +
                                     std::to_string(limits.body_limit) + " bytes");
            } else if (rec == http::error::header_limit) {
                res = json_error(http::status::request_header_fields_too_large,
                                 "request headers larger than " +
                                     std::to_string(limits.header_limit) + " bytes");
            } else if (rec) {
                res = json_error(http::status::bad_request, "malformed HTTP request: " + rec.message());
            } else {
                auto req = parser.release();
                ctx.client = client_of(req, ctx.peer);
                if (late) {
                    res = json_error(http::status::service_unavailable,
                                     "the server is stopping: retry in a moment / le service redémarre : "
                                     "réessayez dans un instant");
                    res.set(http::field::retry_after, "5");
                    res.version(req.version());
                } else {
                    if (beast::websocket::is_upgrade(req)) {
                        ctx.path = std::string(req.target().substr(0, req.target().find('?')));
                        if (auto* u = match_upgrade(ctx.path)) {
                            parse_query(req, ctx);
                            stream.expires_never();
                            handle->stream = nullptr;  // not an HTTP exchange any more
                            handle->upgraded = true;
                            --exchanges;
                            // The read buffer stays in this frame as long as the WebSocket
                            // lives: its 4 KiB, kept by 10,000 idle conversations, are freed.
                            buffer.clear();
                            buffer.shrink_to_fit();
                            co_await (*u)(std::move(stream), std::move(req), ctx);
                            co_return;
                        }
                    }
                    res = co_await dispatch(req, ctx);
                    res.version(req.version());
                    add_cors(req, res);
                    // (read after the answer: a stop meanwhile closes this connection now)
                    keep_alive = req.keep_alive() && !stopping;
                }
            }
            res.keep_alive(keep_alive);
            stream.expires_after(limits.idle_timeout);
            auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            if (wec || !keep_alive) break;
        }
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    static void parse_query(const http_request& req, request_context& ctx) {
        auto target = req.target();
        auto q = target.find('?');
        ctx.path = std::string(target.substr(0, q));
        ctx.query.clear();
        if (q != std::string_view::npos) {
            auto parsed = boost::urls::parse_origin_form(target);
            if (parsed)
                for (auto p : parsed->params()) ctx.query[p.key] = p.value;
        }
    }

    asio::awaitable<http_response> dispatch(http_request& req, request_context ctx) {
        parse_query(req, ctx);
        http::status status{};
        std::string allow;
        auto* h = match(req.method(), ctx.path, status, allow);
        if (!h && req.method() == http::verb::options && status == http::status::method_not_allowed) {
            // CORS pre-flight of a known path.
            auto origin = req[http::field::origin];
            if (origin.empty() || !origin_allowed(origin))
                co_return json_error(http::status::forbidden,
                                     "origin not allowed: " + std::string(origin));
            http_response res{http::status::no_content, req.version()};
            res.set(http::field::access_control_allow_methods, allow + ", OPTIONS");
            res.set(http::field::access_control_allow_headers,
                    "Content-Type, Authorization, Accept, X-Requested-With, x-ms-bot-agent");
            res.set(http::field::access_control_max_age, "600");
            res.set(http::field::server, "guichet");
            co_return res;
        }
        if (!h && match_upgrade(ctx.path)) {
            auto res = json_error(http::status::upgrade_required,
                                  "this address speaks WebSocket: send an Upgrade request");
            res.set(http::field::upgrade, "websocket");
            co_return res;
        }
        // The messaging platforms' webhooks are signed, and each platform posts every citizen's
        // message from a few addresses: counted per address, a busy morning on Telegram was
        // refused (and Slack gives up after three tries).
        if (h && req.method() == http::verb::post && !ctx.path.starts_with("/webhooks/")) {
            if (long wait = limiter.take(ctx.client)) {
                auto res = json_error(http::status::too_many_requests,
                                      "too many requests from your address; retry in " +
                                          std::to_string(wait) + " s");
                res.set(http::field::retry_after, std::to_string(wait));
                co_return res;
            }
        }
        if (!h) {
            // CORS pre-flight of a known path is the connector's business; unknown is 404.
            auto res = json_error(status, status == http::status::not_found
                                              ? "no such resource: " + ctx.path
                                              : "method " + std::string(req.method_string()) +
                                                    " not allowed on " + ctx.path);
            if (!allow.empty()) res.set(http::field::allow, allow);
            co_return res;
        }
        try {
            co_return co_await (*h)(req, ctx);
        } catch (const std::exception& e) {
            log::error("http", ctx.path + ": " + e.what());
        }
        co_return json_error(http::status::internal_server_error, "internal error");
    }
};

http_server::http_server(asio::io_context& io, http_limits limits)
    : state_(std::make_shared<state>(io, limits)) {}

http_server::~http_server() { close(); }

void http_server::route(http::verb method, std::string path, route_handler handler) {
    bool prefix = !path.empty() && path.back() == '*';
    if (prefix) path.pop_back();
    state_->routes.push_back({method, std::move(path), prefix, std::move(handler)});
}

void http_server::upgrade(std::string path, upgrade_handler handler) {
    bool prefix = !path.empty() && path.back() == '*';
    if (prefix) path.pop_back();
    state_->upgrades.push_back({std::move(path), prefix, std::move(handler)});
}

rate_limiter& http_server::limiter() { return state_->limiter; }
const http_limits& http_server::limits() const { return state_->limits; }
bool http_server::origin_allowed(std::string_view origin) const {
    return state_->origin_allowed(origin);
}
bool http_server::trusted_proxy(const asio::ip::address& peer) const { return state_->trusted(peer); }

bool http_server::same_origin(const http_request& req, const request_context& ctx) const {
    auto origin = req[http::field::origin];
    if (origin.empty()) return true;  // not a browser
    std::string host(req[http::field::host]);
    if (origin == "http://" + host || origin == "https://" + host) return true;
    if (!state_->trusted(ctx.peer)) return false;
    // Behind nginx or HAProxy, Host may be the upstream's name (nginx's default): the public
    // one is what our proxy set last.
    auto forwarded = split_list(std::string(req["X-Forwarded-Host"]));
    if (forwarded.empty()) return false;
    auto scheme = split_list(std::string(req["X-Forwarded-Proto"]));
    std::string proto = scheme.empty() ? "http" : scheme.back();
    return origin == proto + "://" + forwarded.back();
}

unsigned short http_server::listen(const std::string& host, unsigned short port) {
    tcp::endpoint ep(asio::ip::make_address(host), port);
    auto acc = std::make_unique<tcp::acceptor>(asio::make_strand(state_->io));
    acc->open(ep.protocol());
    acc->set_option(asio::socket_base::reuse_address(true));
    acc->bind(ep);
    acc->listen(asio::socket_base::max_listen_connections);
    unsigned short actual = acc->local_endpoint().port();
    state_->acceptor = std::move(acc);
    asio::co_spawn(state_->acceptor->get_executor(), state_->accept_loop(), asio::detached);
    return actual;
}

void http_server::stop() {
    if (!state_->acceptor || state_->stopping.exchange(true)) return;
    state_->drain();
}

bool http_server::drained() const { return state_->stopping && state_->exchanges.load() == 0; }

void http_server::close() {
    if (!state_->acceptor) return;
    state_->stopping = true;
    asio::post(state_->acceptor->get_executor(), [s = state_] {
        boost::system::error_code ec;
        s->acceptor->close(ec);
    });
}

std::size_t http_server::connections() const { return state_->connections.load(); }

}  // namespace guichet
