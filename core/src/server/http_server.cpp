// Listener and per-connection session coroutines (after Beast's awaitable examples):
// expected outcomes (EOF, timeouts, closed) come back as error codes, the rest is logged.
#include "server/http_server.h"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <mutex>

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
    std::unique_ptr<tcp::acceptor> acceptor;
    std::atomic<std::size_t> connections{0};
    std::atomic<bool> stopping{false};

    state(asio::io_context& i, http_limits l) : io(i), limits(l) {}

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
            if (stopping) co_return;
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

    asio::awaitable<void> session(tcp::socket socket) {
        auto self = shared_from_this();
        ++connections;
        struct on_exit {
            std::atomic<std::size_t>& n;
            ~on_exit() { --n; }
        } guard{connections};
        boost::system::error_code ec;
        request_context ctx;
        ctx.peer = socket.remote_endpoint(ec).address();
        beast::tcp_stream stream(std::move(socket));
        beast::flat_buffer buffer;
        for (;;) {
            stream.expires_after(limits.idle_timeout);
            http::request_parser<http::string_body> parser;
            parser.body_limit(limits.body_limit);
            parser.header_limit(16 * 1024);
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
            } else if (rec) {
                res = json_error(http::status::bad_request, "malformed HTTP request: " + rec.message());
            } else {
                auto req = parser.release();
                keep_alive = req.keep_alive() && !stopping;
                res = co_await dispatch(req, ctx);
                res.version(req.version());
            }
            res.keep_alive(keep_alive);
            stream.expires_after(limits.idle_timeout);
            auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            if (wec || !keep_alive) break;
        }
        stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }

    asio::awaitable<http_response> dispatch(http_request& req, request_context ctx) {
        auto target = req.target();
        auto q = target.find('?');
        ctx.path = std::string(target.substr(0, q));
        ctx.query.clear();
        if (q != std::string_view::npos) {
            auto parsed = boost::urls::parse_origin_form(target);
            if (parsed)
                for (auto p : parsed->params()) ctx.query[p.key] = p.value;
        }
        http::status status{};
        std::string allow;
        auto* h = match(req.method(), ctx.path, status, allow);
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

http_server::~http_server() { stop(); }

void http_server::route(http::verb method, std::string path, route_handler handler) {
    bool prefix = !path.empty() && path.back() == '*';
    if (prefix) path.pop_back();
    state_->routes.push_back({method, std::move(path), prefix, std::move(handler)});
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
    asio::post(state_->acceptor->get_executor(), [s = state_] {
        boost::system::error_code ec;
        s->acceptor->close(ec);
    });
}

std::size_t http_server::connections() const { return state_->connections.load(); }

}  // namespace guichet
