// GET /api/v1/ws?token=… — a live conversation: the client sends messages as JSON text
// frames, the server sends every new entry of the conversation's log (its replies, replies
// pushed later, messages from the same conversation's other tabs). Limits: frame size
// (close 1009), the per-client rate limit (an error frame), idle timeout with pings.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/json.hpp>

#include "engine/log.h"
#include "web/reply_json.h"
#include "web/web_channel.h"
#include "web/ws_session.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace guichet::web {
namespace {

// An error about one message names it by the client's id, so the page can give the text back;
// a 429 says how many seconds to wait.
std::string error_frame(int code, const std::string& message, const std::string& client_id = {},
                        long retry_after = 0) {
    json::object err{{"code", code}, {"message", message}};
    if (retry_after > 0) err["retry_after"] = retry_after;
    json::object frame{{"type", "error"}, {"error", std::move(err)}};
    if (!client_id.empty()) frame["client_id"] = client_id;
    return json::serialize(frame);
}

asio::awaitable<void> run_socket(std::shared_ptr<web_channel> ch, beast::tcp_stream stream,
                                 http_request req, request_context ctx) {
    // Refusals are plain HTTP answers before the handshake.
    auto refuse = [&](http_response res) -> asio::awaitable<void> {
        res.keep_alive(false);
        co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
    };
    if (!ch->origin_ok(req, ctx)) {
        co_await refuse(json_error(http::status::forbidden, "origin not allowed", req.version()));
        co_return;
    }
    auto token = ctx.query.count("token") ? ctx.query.at("token") : bearer_token(req);
    token_claims claims;
    auto st = ch->signer_.verify(token, claims);
    if (token.empty() || st != token_status::ok || claims.kind != "web") {
        co_await refuse(json_error(token.empty() ? http::status::unauthorized : http::status::forbidden,
                                   token.empty() ? "a conversation token is required: ?token=…"
                                   : st == token_status::expired ? "the token has expired"
                                                                 : "the token is not valid",
                                   req.version()));
        co_return;
    }
    const std::string conv = claims.conversation;

    auto session = std::make_shared<ws_session>(std::move(stream), ch->options_.ws_outbox_max);
    auto& ws = session->ws();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.idle_timeout = ch->options_.ws_idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.read_message_max(ch->options_.ws_message_max);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "guichet"); }));
    auto [aec] = co_await ws.async_accept(req, asio::as_tuple(asio::use_awaitable));
    if (aec) co_return;
    session->start_writer();

    ch->recall(conv);
    std::weak_ptr<ws_session> weak = session;
    auto listening = ch->log_.listen(conv, [weak](const log_entry& e) {
        if (auto s = weak.lock())
            s->send(json::serialize(json::object{{"type", "entry"}, {"entry", entry_json(e)}}));
    });
    session->send(json::serialize(
        json::object{{"type", "ready"}, {"conversation", conv}, {"last", ch->log_.last_seq(conv)}}));

    beast::flat_buffer buffer;
    for (;;) {
        auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) break;  // closed, timed out, too big (Beast sends close 1009), reset
        std::string text = beast::buffers_to_string(buffer.data());
        buffer.consume(buffer.size());
        json::error_code jec;
        auto v = json::parse(text, jec);
        if (jec || !v.is_object()) {
            session->send(error_frame(400, "each message must be a JSON object"));
            continue;
        }
        auto& o = v.get_object();
        if (auto* t = o.if_contains("type"); t && t->is_string() && t->get_string() == "ping") {
            session->send(R"({"type":"pong"})");
            continue;
        }
        std::string client_id;
        if (auto* c = o.if_contains("client_id"); c && c->is_string())
            client_id = std::string(c->get_string()).substr(0, 100);
        message m;
        m.channel = "web";
        m.conversation_id = conv;
        m.user_id = conv;
        auto error = read_message(o, m);
        if (!error.empty()) {
            session->send(error_frame(400, error, client_id));
            continue;
        }
        if (m.text.size() > ch->options_.text_max_bytes) {
            session->send(error_frame(413, "\"text\" is longer than " +
                                               std::to_string(ch->options_.text_max_bytes) + " bytes",
                                      client_id));
            continue;
        }
        if (long wait = ch->server_.limiter().take(ctx.client)) {
            session->send(error_frame(429, "too many messages; retry in " + std::to_string(wait) + " s",
                                      client_id, wait));
            continue;
        }
        auto [rec, result] = co_await ch->converse(std::move(m), client_id);
        if (!rec && result.replies.empty())  // passed on to an agent: no entry, the page told so
            session->send(json::serialize(json::object{{"type", "received"}, {"client_id", client_id}}));
        else if (rec == asio::error::no_buffer_space)
            session->send(error_frame(429, "too many messages waiting in this conversation", client_id, 1));
        else if (rec)
            session->send(error_frame(500, "the message could not be handled", client_id));
    }
    listening.reset();
    session->close();
}

}  // namespace

void register_socket(http_server& server, const std::shared_ptr<web_channel>& ch) {
    server.upgrade("/api/v1/ws", [ch](beast::tcp_stream stream, http_request req,
                                      request_context ctx) -> asio::awaitable<void> {
        co_await run_socket(ch, std::move(stream), std::move(req), std::move(ctx));
    });
}

}  // namespace guichet::web
