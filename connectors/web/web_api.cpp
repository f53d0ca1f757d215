// The REST side of the website channel: start a conversation (token), post a message,
// read the history, refresh a token. JSON is validated strictly (clear 400s); a known
// conversation needs its token (401 without, 403 wrong or expired).
#include "web/web_api.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "config/config.h"
#include "dialogue/durable.h"
#include "web/reply_json.h"
#include "web/web_channel.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::web {

api_options api_options_from(const config& c) {
    api_options o;
    o.text_max_bytes = static_cast<std::size_t>(c.get_int("engine.message_max_bytes"));
    // An empty value keeps api_options' default; the others were checked when loaded.
    auto size = [&](const char* key, std::size_t fallback) {
        return static_cast<std::size_t>(c.get_int(key, static_cast<long>(fallback)));
    };
    auto seconds = [&](const char* key, std::chrono::seconds fallback) {
        return std::chrono::seconds(c.get_int(key, static_cast<long>(fallback.count())));
    };
    o.token_secret = c.get("web.token_secret");
    o.token_lifetime = seconds("web.token_lifetime_s", o.token_lifetime);
    o.token_renewable = seconds("web.token_renewable_s", o.token_renewable);
    o.ws_message_max = size("web.ws_message_max", o.ws_message_max);
    o.history_max = size("web.history_max", o.history_max);
    o.conversations_max = size("web.conversations_max", o.conversations_max);
    o.ws_idle_timeout = seconds("web.ws_idle_timeout_s", o.ws_idle_timeout);
    if (auto dir = c.get("web.static_dir"); !dir.empty()) o.static_dir = dir;
    return o;
}

bool apply_limits(const config& c, http_limits& limits, std::ostream& err) {
    try {
        limits.rate_per_minute = static_cast<std::size_t>(
            c.get_int("limits.rate_per_minute", static_cast<long>(limits.rate_per_minute)));
        limits.max_connections_per_ip = static_cast<std::size_t>(c.get_int(
            "limits.max_connections_per_ip", static_cast<long>(limits.max_connections_per_ip)));
    } catch (const std::exception& e) {
        err << "guichet: " << e.what() << '\n';
        return false;
    }
    for (auto& p : split_list(c.get("limits.trusted_proxies"))) {
        boost::system::error_code ec;
        auto a = boost::asio::ip::make_address(p, ec);
        if (ec) {
            err << "guichet: " << c.setting_name("limits.trusted_proxies") << ": '" << p
                << "' is not an IP address\n";
            return false;
        }
        limits.trusted_proxies.push_back(a);
    }
    limits.cors_origins = split_list(c.get("web.cors_origins"));
    return true;
}

boost::json::object entry_json(const log_entry& e) {
    json::object o = e.data;
    o["id"] = e.seq;
    return o;
}

bool web_channel::authorize(const std::string& token, const std::string& conversation,
                            http_response& res, unsigned version, bool renewing) const {
    if (token.empty()) {
        res = json_error(http::status::unauthorized,
                         "this conversation needs its token: Authorization: Bearer <token>", version);
        res.set(http::field::www_authenticate, "Bearer");
        return false;
    }
    token_claims c;
    auto st = signer_.verify(token, c);
    if (st == token_status::expired && renewing &&
        std::chrono::system_clock::now() - std::chrono::system_clock::from_time_t(c.expires) <=
            options_.token_renewable)
        st = token_status::ok;
    if (st == token_status::expired) {
        res = json_error(http::status::forbidden, "the token has expired: start again", version);
        return false;
    }
    if (st != token_status::ok || c.kind != "web" || c.conversation != conversation) {
        res = json_error(http::status::forbidden, "the token does not open this conversation", version);
        return false;
    }
    return true;
}

bool web_channel::origin_ok(const http_request& req, const request_context& ctx) const {
    return server_.same_origin(req, ctx) || server_.origin_allowed(req[http::field::origin]);
}

bool web_channel::recall(const std::string& conversation) {
    if (log_.exists(conversation)) return true;
    std::vector<stored_message> kept;
    if (options_.stored) {
        try {
            kept = options_.stored(conversation, options_.history_max);
        } catch (const std::exception&) {
            kept.clear();  // the store unreadable: as unknown (the turn itself will report it)
        }
    }
    if (kept.empty()) {
        log_.open(conversation);
        return false;
    }
    // One entry per message of the citizen and per answer, as they were numbered before the
    // restart: an answer's replies are stored one by one, and were each an entry after it, so
    // a page that had seen entry 4 asked `?after=4` and got an old answer again.
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const auto& k = kept[i];
        json::object e{{"time", iso_utc(k.at)}, {"restored", true}};
        if (k.direction == "in") {
            e["from"] = "user";
            e["text"] = k.text;
        } else {  // the bot's replies, and an agent's
            e["from"] = k.direction == "agent" ? "agent" : "bot";
            if (!k.author.empty()) e["author"] = k.author;
            json::array replies{json::object{{"text", k.text}}};
            while (i + 1 < kept.size() && kept[i + 1].direction == k.direction &&
                   kept[i + 1].at == k.at && kept[i + 1].author == k.author)
                replies.push_back(json::object{{"text", kept[++i].text}});
            e["replies"] = std::move(replies);
        }
        log_.append(conversation, std::move(e));
    }
    return true;
}

asio::awaitable<std::pair<boost::system::error_code, turn_result>> web_channel::converse(
    message m, std::string client_id) {
    auto entry = user_entry(m);
    if (!client_id.empty()) entry["client_id"] = client_id;
    auto conv = m.conversation_id;
    log_.append(conv, std::move(entry));
    auto [ec, result] = co_await router_.turn(std::move(m));
    // A turn with nothing said (an agent holds the conversation: the bot keeps quiet) leaves
    // no entry: the history showed an empty answer after each of the citizen's messages.
    if (!ec && !result.replies.empty()) {
        auto bot = to_json(result);
        bot["from"] = "bot";
        bot["time"] = iso_now();
        if (!client_id.empty()) bot["reply_to"] = client_id;
        if (!result.source.empty()) bot["source"] = result.source;  // the FAQ entry, for votes
        if (!result.questions.empty()) {  // two questions: a vote counts for each (feedback.cpp)
            json::array qs;
            for (auto& q : result.questions) {
                json::object o{{"text", q.text}, {"intent", q.intent}, {"replies", q.replies}};
                if (!q.source.empty()) o["source"] = q.source;
                qs.push_back(std::move(o));
            }
            bot["questions"] = std::move(qs);
        }
        log_.append(conv, std::move(bot));
    }
    co_return std::make_pair(ec, std::move(result));
}

namespace {

http_response token_response(web_channel& ch, const std::string& conversation, http::status status,
                             unsigned version) {
    json::object o{{"conversation", conversation},
                   {"token", ch.signer_.issue("web", conversation, ch.options_.token_lifetime)},
                   {"expires_in", ch.options_.token_lifetime.count()}};
    return json_response(status, json::serialize(o), version);
}

// "/api/v1/conversations/{id}/{what}" → id and what ("" when absent).
bool split_conversation_path(const std::string& path, std::string& id, std::string& what) {
    static const std::string prefix = "/api/v1/conversations/";
    if (path.rfind(prefix, 0) != 0) return false;
    auto rest = path.substr(prefix.size());
    auto slash = rest.find('/');
    id = rest.substr(0, slash);
    what = slash == std::string::npos ? "" : rest.substr(slash + 1);
    return !id.empty() && id.size() <= 200;
}

}  // namespace

std::shared_ptr<void> register_api(http_server& server, router& r, push_hub& push,
                                          api_options options) {
    auto ch = std::make_shared<web_channel>(r, server, std::move(options));
    web_channel* c = ch.get();

    // Replies that arrive later (an agent, a report's status) join the conversation's log,
    // which tells its open sockets.
    // The registration owns the subscription, so it ends while the hub still exists (the
    // channel itself may live on in a socket's coroutine until the io_context is destroyed).
    struct registration {
        push_hub::subscription pushes;
        std::shared_ptr<web_channel> channel;
    };
    auto reg = std::make_shared<registration>();
    reg->channel = ch;
    std::weak_ptr<web_channel> weak = ch;
    reg->pushes = push.subscribe_channel("web", [weak](const std::string&, const std::string& conv,
                                                       const turn_result& res) {
        auto c = weak.lock();
        if (!c) return;
        // After a restart the conversation's history first (an agent's reply then began a new
        // history at 1: the page, past that number, never showed it); the reply is already in
        // the store, and so among what is restored.
        if (!c->log_.exists(conv) && c->recall(conv)) return;
        auto bot = to_json(res);
        // A human agent's words are theirs, not the bot's: the page says so (and asks no vote).
        bot["from"] = res.intent == "handoff.agent" ? "agent" : "bot";
        if (!res.author.empty()) bot["author"] = res.author;  // the name the agent shows
        bot["time"] = iso_now();
        bot["pushed"] = true;
        c->log_.append(conv, std::move(bot));
    });

    server.route(http::verb::post, "/api/v1/conversations",
                 [c](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     auto id = random_id(12);
                     c->log_.open(id);
                     co_return token_response(*c, id, http::status::created, req.version());
                 });

    server.route(http::verb::post, "/api/v1/conversations/*",
                 [c](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     std::string id, what;
                     if (!split_conversation_path(ctx.path, id, what) || what != "token")
                         co_return json_error(http::status::not_found, "no such resource: " + ctx.path,
                                              req.version());
                     http_response res;
                     if (!c->authorize(bearer_token(req), id, res, req.version(), true)) co_return res;
                     co_return token_response(*c, id, http::status::ok, req.version());
                 });

    server.route(http::verb::get, "/api/v1/conversations/*",
                 [c](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     std::string id, what;
                     if (!split_conversation_path(ctx.path, id, what) || what != "messages")
                         co_return json_error(http::status::not_found, "no such resource: " + ctx.path,
                                              req.version());
                     auto token = bearer_token(req);
                     if (token.empty() && ctx.query.count("token")) token = ctx.query.at("token");
                     http_response res;
                     if (!c->authorize(token, id, res, req.version())) co_return res;
                     std::uint64_t after = 0;
                     if (auto it = ctx.query.find("after"); it != ctx.query.end()) {
                         try {
                             after = std::stoull(it->second);
                         } catch (const std::exception&) {
                             co_return json_error(http::status::bad_request,
                                                  "\"after\" must be a whole number", req.version());
                         }
                     }
                     c->recall(id);  // after a restart, from the durable store
                     std::vector<log_entry> entries;
                     c->log_.since(id, after, entries);
                     json::array messages;
                     for (auto& e : entries) messages.push_back(entry_json(e));
                     json::object o{{"conversation", id},
                                    {"messages", std::move(messages)},
                                    {"last", c->log_.last_seq(id)}};
                     co_return json_response(http::status::ok, json::serialize(o), req.version());
                 });

    server.route(
        http::verb::post, "/api/v1/messages",
        [c](http_request& req, const request_context&) -> asio::awaitable<http_response> {
            json::error_code ec;
            json::value body = json::parse(req.body(), ec);
            if (ec)
                co_return json_error(http::status::bad_request, "malformed JSON: " + ec.message(),
                                     req.version());
            if (!body.is_object())
                co_return json_error(http::status::bad_request, "the body must be a JSON object",
                                     req.version());
            auto& o = body.get_object();
            message m;
            m.channel = "web";
            std::string error;
            if (auto* v = o.if_contains("conversation"); v && v->is_string())
                m.conversation_id = std::string(v->get_string());
            else if (v && !v->is_null())
                error = "\"conversation\" must be a string";
            if (error.empty()) error = read_message(o, m);
            if (error.empty() && m.conversation_id.empty()) error = "\"conversation\" is required";
            if (error.empty() && m.conversation_id.size() > 200)
                error = "\"conversation\" is longer than 200 bytes";
            if (!error.empty()) co_return json_error(http::status::bad_request, error, req.version());
            if (m.text.size() > c->options_.text_max_bytes)
                co_return json_error(http::status::payload_too_large,
                                     "\"text\" is longer than " +
                                         std::to_string(c->options_.text_max_bytes) + " bytes",
                                     req.version());
            // A new conversation id is accepted without a token (and gets one); a known one
            // needs its token, so nobody writes into someone else's conversation — known in
            // memory, or in the durable store after a restart.
            bool created = !c->recall(m.conversation_id);
            if (!created) {
                http_response res;
                if (!c->authorize(bearer_token(req), m.conversation_id, res, req.version()))
                    co_return res;
            }
            if (m.user_id.empty()) m.user_id = m.conversation_id;
            std::string client_id;
            if (auto* v = o.if_contains("client_id"); v && v->is_string())
                client_id = std::string(v->get_string()).substr(0, 100);
            auto conv = m.conversation_id;
            auto [rec, result] = co_await c->converse(std::move(m), client_id);
            if (rec == asio::error::no_buffer_space) {
                auto res = json_error(http::status::too_many_requests,
                                      "too many messages waiting in this conversation", req.version());
                res.set(http::field::retry_after, "1");
                co_return res;
            }
            if (rec)
                co_return json_error(http::status::internal_server_error,
                                     "the message could not be handled", req.version());
            auto out = to_json(result);
            if (created) {
                out["token"] = c->signer_.issue("web", conv, c->options_.token_lifetime);
                out["expires_in"] = c->options_.token_lifetime.count();
            }
            co_return json_response(http::status::ok, json::serialize(out), req.version());
        });

    register_socket(server, ch);
    register_static(server, ch);
    register_feedback(server, ch);
    return reg;
}

}  // namespace guichet::web
