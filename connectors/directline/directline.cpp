// Direct Line 3.0 routes. Each conversation is a log of activities numbered 1, 2, 3… (the
// watermark); the user's posted activity is echoed with a server id and its
// channelData.clientActivityID (Web Chat waits for that echo), then the bot's replies follow
// as message activities: buttons as suggested actions (messageBack carrying the payload),
// cards and places as hero cards. 403 for an expired token, 404 for an unknown conversation
// (one that a token of its own names goes on after a restart, rebuilt from the store).
#include "directline/directline.h"


#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>

#include "common/json_fields.h"
#include "config/config.h"
#include "dialogue/durable.h"
#include "outbound/webhook.h"
#include "web/conversation_log.h"
#include "web/reply_json.h"
#include "web/token.h"
#include "web/ws_session.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;

namespace guichet::directline {

options options_from(const config& c) {
    options o;
    auto dl = c.section("directline");
    o.secret = dl.count("secret") ? dl["secret"] : "";
    o.public_url = dl.count("public_url") ? dl["public_url"] : "";
    while (!o.public_url.empty() && o.public_url.back() == '/') o.public_url.pop_back();
    o.token_lifetime = std::chrono::seconds(
        c.get_int("directline.token_lifetime_s", static_cast<long>(o.token_lifetime.count())));
    auto web = c.section("web");
    o.token_secret = web.count("token_secret") ? web["token_secret"] : "";
    o.text_max_bytes = static_cast<std::size_t>(c.get_int("engine.message_max_bytes"));
    return o;
}

namespace {

const char* base = "/v3/directline";

struct state {
    router& r;
    options opt;
    web::token_signer signer;
    web::conversation_log log;
    std::mutex restoring;  // held while a conversation is rebuilt from the store
    state(router& rr, options o)
        : r(rr), opt(std::move(o)), signer(opt.token_secret), log(opt.activities_max, opt.conversations_max) {}
};

std::string activity_id(const std::string& conv, std::uint64_t seq) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%07llu", static_cast<unsigned long long>(seq));
    return conv + "|" + buf;
}

json::object with_id(const std::string& conv, const web::log_entry& e) {
    json::object a = e.data;
    a["id"] = activity_id(conv, e.seq);
    return a;
}

json::object activity_set(const std::string& conv, const std::vector<web::log_entry>& entries,
                          std::uint64_t watermark) {
    json::array acts;
    for (auto& e : entries) acts.push_back(with_id(conv, e));
    return {{"activities", std::move(acts)}, {"watermark", std::to_string(watermark)}};
}

std::string map_link(double lat, double lon) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f",
                  lat, lon, lat, lon);
    return buf;
}

// The greeting of a new conversation (the widget's own, in both languages: the page's language
// is not known yet).
turn_result welcome() {
    turn_result r;
    r.locale = "fr";
    r.replies.push_back(
        {"Bonjour ! Je suis l'assistant automatique de la mairie. Posez votre question : horaires, "
         "démarches, déchets, signalements… N'écrivez pas d'informations sur votre santé ni de "
         "coordonnées bancaires.\nHello! I am the town hall's automated assistant: you may ask in "
         "English too."});
    return r;
}

// The bot's replies of one turn as Direct Line message activities.
std::vector<json::object> bot_activities(const std::string& conv, const turn_result& res,
                                         const std::string& reply_to) {
    bool fr = res.locale.rfind("en", 0) != 0;
    // An agent's words come from that person ("Marie, agent de la mairie"), not the bot.
    const bool agent = res.intent == "handoff.agent";
    const json::object from{{"id", agent ? "agent" : "guichet"},
                            {"name", agent ? agent_signature(res.author, res.locale) : "Guichet"},
                            {"role", "bot"}};
    std::vector<json::object> out;
    for (auto& r : res.replies) {
        json::object a{{"type", "message"},
                       {"timestamp", web::iso_now()},
                       {"channelId", "directline"},
                       {"conversation", {{"id", conv}}},
                       {"from", from},
                       {"text", r.text},
                       {"textFormat", "plain"},
                       {"locale", res.locale.empty() ? "fr-FR" : res.locale},
                       {"inputHint", "acceptingInput"}};
        if (!reply_to.empty()) a["replyToId"] = reply_to;
        if (!r.buttons.empty()) {
            json::array actions;
            for (auto& b : r.buttons)
                actions.push_back({{"type", "messageBack"},
                                   {"title", b.title},
                                   {"text", b.title},
                                   {"displayText", b.title},
                                   {"value", {{"payload", b.payload}}}});
            a["suggestedActions"] = {{"actions", std::move(actions)}};
        }
        json::array attachments;
        for (auto& c : r.cards) {
            json::object content{{"title", c.title}};
            if (!c.subtitle.empty()) content["subtitle"] = c.subtitle;
            if (!c.url.empty())
                content["buttons"] = json::array{
                    {{"type", "openUrl"}, {"title", fr ? "Ouvrir" : "Open"}, {"value", c.url}}};
            attachments.push_back(
                {{"contentType", "application/vnd.microsoft.card.hero"}, {"content", std::move(content)}});
        }
        for (auto& p : r.locations)
            attachments.push_back(
                {{"contentType", "application/vnd.microsoft.card.hero"},
                 {"content",
                  {{"title", p.title},
                   {"buttons", json::array{{{"type", "openUrl"},
                                            {"title", fr ? "Voir sur la carte" : "View on the map"},
                                            {"value", map_link(p.lat, p.lon)}}}}}}});
        if (!attachments.empty()) {
            if (attachments.size() > 1) a["attachmentLayout"] = "carousel";
            a["attachments"] = std::move(attachments);
        }
        out.push_back(std::move(a));
    }
    return out;
}

// Who may touch a conversation: the secret (any), or a token of that conversation.
enum class auth { ok, missing, expired, wrong };

auth check(const state& s, const http_request& req, const std::string& conv, std::string* token_conv = nullptr) {
    auto bearer = bearer_token(req);
    if (bearer.empty()) return auth::missing;
    if (!s.opt.secret.empty() && outbound::secret_equal(bearer, s.opt.secret)) return auth::ok;
    web::token_claims c;
    auto st = s.signer.verify(bearer, c);
    if (st == web::token_status::expired) return auth::expired;
    if (st != web::token_status::ok || (c.kind != "dl")) return auth::wrong;
    if (token_conv) *token_conv = c.conversation;
    if (!conv.empty() && c.conversation != conv) return auth::wrong;
    return auth::ok;
}

bool is_secret(const state& s, const http_request& req) {
    return !s.opt.secret.empty() && outbound::secret_equal(bearer_token(req), s.opt.secret);
}

http_response refuse(auth a, unsigned version) {
    if (a == auth::missing) {
        auto res = json_error(http::status::unauthorized, "Authorization: Bearer <secret or token> is required", version);
        res.set(http::field::www_authenticate, "Bearer");
        return res;
    }
    return json_error(http::status::forbidden,
                      a == auth::expired ? "the token has expired" : "the token does not open this conversation",
                      version);
}

std::string stream_url(const state& s, const http_request& req, const std::string& conv,
                       const std::string& token) {
    std::string origin = s.opt.public_url;
    if (origin.empty()) {
        bool tls = req["X-Forwarded-Proto"] == "https";
        origin = std::string(tls ? "https://" : "http://") + std::string(req[http::field::host]);
    }
    if (origin.rfind("https://", 0) == 0)
        origin = "wss://" + origin.substr(8);
    else if (origin.rfind("http://", 0) == 0)
        origin = "ws://" + origin.substr(7);
    return origin + base + "/conversations/" + conv + "/stream?t=" + token;
}

json::object conversation_json(const state& s, const http_request& req, const std::string& conv,
                               const std::string& token) {
    return {{"conversationId", conv},
            {"token", token},
            {"expires_in", s.opt.token_lifetime.count()},
            {"streamUrl", stream_url(s, req, conv, token)}};
}

// "/v3/directline/conversations/{id}/{what}"
bool split(const std::string& path, std::string& id, std::string& what) {
    static const std::string prefix = std::string(base) + "/conversations/";
    if (path.rfind(prefix, 0) != 0) return false;
    auto rest = path.substr(prefix.size());
    auto slash = rest.find('/');
    id = rest.substr(0, slash);
    what = slash == std::string::npos ? "" : rest.substr(slash + 1);
    return !id.empty() && id.size() <= 200;
}

std::uint64_t watermark_of(const request_context& ctx) {
    auto it = ctx.query.find("watermark");
    if (it == ctx.query.end() || it->second.empty()) return 0;
    try {
        return std::stoull(it->second);
    } catch (const std::exception&) {
        return 0;
    }
}

// A conversation the log does not hold — the server restarted since, or dropped it as the
// least recently used of too many — goes on when a token of its own asks for it (only the
// server issues those): Web Chat reconnecting after a restart was told 404 and stopped, then
// got nothing of what was said before. Its activities are rebuilt from the store's messages,
// numbered as they were (the greeting 1, then each message of the citizen, each reply of the
// bot or an agent), so that a client's watermark from before still works: what it holds is
// not sent again, what it missed is. What the store does not keep is not rebuilt: the
// buttons, cards and places of a reply (its text only), the texts' personal data (masked as
// stored), activities without text (typing, events), the language of an answer (fr-FR), a
// reply's link to the message it answered beyond "the citizen's message before it". The
// numbers are the old ones only as far as the store and the log held the same messages (a
// conversation already rebuilt once was numbered from the time in milliseconds, past all of
// these): the next activities are numbered from the time in milliseconds, past any
// watermark the client holds, so that a new one is never taken for one already seen. Returns
// whether the store was read (no store, or unreadable: only the greeting is rebuilt).
bool restore(state& s, const std::string& conv) {
    std::vector<web::stored_message> kept;
    bool read = false;
    if (s.opt.stored) {
        try {
            kept = s.opt.stored(conv, s.opt.restored_max);
            read = true;
        } catch (const std::exception&) {
            kept.clear();  // the store unreadable: the conversation goes on without its past
        }
    }
    s.log.open(conv);
    auto greeting = bot_activities(conv, welcome(), "");
    for (auto& a : greeting) {
        if (!kept.empty()) a["timestamp"] = iso_utc(kept.front().at);
        s.log.append(conv, std::move(a));
    }
    std::string replied_to;  // the id of the citizen's last message
    for (std::size_t i = 0; i < kept.size(); ++i) {
        const auto& k = kept[i];
        if (k.direction == "in") {
            json::object a{{"type", "message"},
                           {"timestamp", iso_utc(k.at)},
                           {"channelId", "directline"},
                           {"conversation", {{"id", conv}}},
                           {"from", {{"id", k.user.empty() ? conv : k.user}, {"role", "user"}}},
                           {"text", k.text}};
            replied_to = activity_id(conv, s.log.append(conv, std::move(a)));
            continue;
        }
        turn_result said;  // a reply of the bot, or an agent's signed as it was sent
        said.replies.push_back({k.text, {}, {}, {}});
        if (k.direction == "agent") {
            said.intent = "handoff.agent";
            said.author = k.author;
            said.locale = "fr";
            said = signed_by_agent(std::move(said));
        }
        for (auto& a : bot_activities(conv, said, replied_to)) {
            a["timestamp"] = iso_utc(k.at);
            s.log.append(conv, std::move(a));
        }
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    s.log.number_from(conv, static_cast<std::uint64_t>(ms.count()));
    return read;
}

bool held_or_resumed(state& s, const std::string& conv, bool by_token) {
    std::lock_guard lock(s.restoring);  // one rebuild, before any new activity
    if (s.log.exists(conv)) return true;
    if (!by_token) return false;
    restore(s, conv);
    return true;
}

http_response disabled(unsigned version) {
    return json_error(http::status::service_unavailable,
                      "Direct Line is not configured: set GUICHET_DIRECTLINE_SECRET", version);
}

asio::awaitable<http_response> post_activity(std::shared_ptr<state> s, http_request& req,
                                             const std::string& conv) {
    json::error_code ec;
    auto v = json::parse(req.body(), ec);
    if (ec || !v.is_object())
        co_return json_error(http::status::bad_request, "the body must be a JSON activity", req.version());
    auto act = v.get_object();
    auto* type = act.if_contains("type");
    if (!type || !type->is_string())
        co_return json_error(http::status::bad_request, "\"type\" is required", req.version());
    message m;
    m.channel = "directline";
    m.conversation_id = conv;
    m.user_id = conv;
    if (auto* from = act.if_contains("from"); from && from->is_object()) {
        if (auto* id = from->get_object().if_contains("id"); id && id->is_string())
            m.user_id = std::string(id->get_string()).substr(0, 200);
        from->get_object()["role"] = "user";
    } else {
        act["from"] = {{"id", m.user_id}, {"role", "user"}};
    }
    if (auto* t = act.if_contains("text"); t && t->is_string()) m.text = std::string(t->get_string());
    // Web Chat sends its `locale` prop (en-US when the page sets none): the page's language,
    // taken only when the text is too short to tell its own.
    if (auto* l = act.if_contains("locale"); l && l->is_string())
        m.locale_hint = std::string(l->get_string()).substr(0, 16);
    if (auto* val = act.if_contains("value"); val && val->is_object()) {
        auto& vo = val->get_object();
        if (auto* p = vo.if_contains("payload"); p && p->is_string()) {
            // A messageBack: the payload is understood; what the citizen saw — Web Chat shows
            // channelData.messageBack.displayText, else the text — is what the history keeps.
            m.payload = std::string(p->get_string());
            m.title = std::move(m.text);
            m.text.clear();
            if (auto* cd = act.if_contains("channelData"); cd && cd->is_object())
                if (auto* mb = object_field(cd->get_object(), "messageBack"))
                    if (auto shown = string_field(*mb, "displayText"); !shown.empty()) m.title = shown;
        }
        auto* lat = vo.if_contains("lat");
        auto* lon = vo.if_contains("lon");
        if (lat && lon && lat->is_number() && lon->is_number())
            m.location = geo_point{lat->to_number<double>(), lon->to_number<double>()};
    }
    if (std::max(m.text.size(), m.title.size()) > s->opt.text_max_bytes)
        co_return json_error(http::status::payload_too_large,
                             "\"text\" is longer than " + std::to_string(s->opt.text_max_bytes) + " bytes",
                             req.version());
    act.erase("id");
    act["timestamp"] = web::iso_now();
    act["channelId"] = "directline";
    act["conversation"] = {{"id", conv}};
    auto seq = s->log.append(conv, std::move(act));
    auto id = activity_id(conv, seq);
    bool is_message = type->get_string() == "message";
    if (is_message && (!m.text.empty() || !m.payload.empty() || m.location)) {
        auto [rec, result] = co_await s->r.turn(std::move(m));
        if (rec)
            co_return json_error(rec == asio::error::no_buffer_space ? http::status::too_many_requests
                                                                     : http::status::bad_gateway,
                                 "the bot could not handle the activity", req.version());
        for (auto& a : bot_activities(conv, result, id)) s->log.append(conv, std::move(a));
    }
    co_return json_response(http::status::ok, json::serialize(json::object{{"id", id}}), req.version());
}

asio::awaitable<void> stream(std::shared_ptr<state> s, beast::tcp_stream tcp, http_request req,
                             request_context ctx) {
    std::string conv, what;
    auto token = ctx.query.count("t") ? ctx.query.at("t") : bearer_token(req);
    web::token_claims c;
    auto st = s->signer.verify(token, c);
    http::status refusal{};
    if (!split(ctx.path, conv, what) || what != "stream") refusal = http::status::not_found;
    else if (st == web::token_status::expired) refusal = http::status::forbidden;
    else if (st != web::token_status::ok || c.kind != "dl" || c.conversation != conv) refusal = http::status::forbidden;
    else if (!held_or_resumed(*s, conv, true)) refusal = http::status::not_found;
    if (refusal != http::status{}) {
        auto res = json_error(refusal, refusal == http::status::not_found ? "no such conversation"
                                                                          : "the stream token is not valid",
                              req.version());
        res.keep_alive(false);
        co_await http::async_write(tcp, res, asio::as_tuple(asio::use_awaitable));
        co_return;
    }
    auto session = std::make_shared<web::ws_session>(std::move(tcp), 256);
    auto& ws = session->ws();
    auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.read_message_max(s->opt.ws_message_max);
    auto [aec] = co_await ws.async_accept(req, asio::as_tuple(asio::use_awaitable));
    if (aec) co_return;
    session->start_writer();
    // Each activity goes out once and in order, whether it is already in the log (posted
    // before the stream opened, or between the handshake and the listener) or arrives later:
    // every notice sends what the log holds past the last activity sent. (Sending the entry
    // notified, then the backlog, sent an activity twice, and two turns appended at once could
    // be notified out of order.)
    struct cursor {
        std::mutex mutex;
        std::uint64_t sent = 0;
    };
    auto cur = std::make_shared<cursor>();
    cur->sent = watermark_of(ctx);
    std::weak_ptr<web::ws_session> weak = session;
    std::weak_ptr<state> weak_state = s;
    auto catch_up = [weak, weak_state, conv, cur] {
        auto ses = weak.lock();
        auto st = weak_state.lock();
        if (!ses || !st) return;
        std::lock_guard lock(cur->mutex);
        std::vector<web::log_entry> fresh;
        st->log.since(conv, cur->sent, fresh);
        if (fresh.empty()) return;
        cur->sent = fresh.back().seq;
        ses->send(json::serialize(activity_set(conv, fresh, fresh.back().seq)));
    };
    auto listening = s->log.listen(conv, [catch_up](const web::log_entry&) { catch_up(); });
    catch_up();
    beast::flat_buffer buffer;
    for (;;) {  // the client only sends empty keep-alive frames; anything else is ignored
        auto [ec, n] = co_await ws.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        (void)n;
        if (ec) break;
        buffer.consume(buffer.size());
    }
    listening.reset();
    session->close();
}

}  // namespace

std::shared_ptr<void> register_directline(http_server& server, router& r, push_hub& push, options o) {
    auto s = std::make_shared<state>(r, std::move(o));
    // The registration owns the push subscription (see web_api.cpp for why).
    struct registration {
        push_hub::subscription pushes;
        std::shared_ptr<state> s;
    };
    auto reg = std::make_shared<registration>();
    reg->s = s;
    std::weak_ptr<state> weak = s;
    reg->pushes = push.subscribe_channel("directline", [weak](const std::string&, const std::string& conv,
                                                              const turn_result& res) {
        auto sp = weak.lock();
        if (!sp) return;
        // After a restart the conversation's past first (a reply then began it again at 1, below
        // the client's watermark: never shown); this reply is already in the store, and so
        // among what is rebuilt.
        {
            std::lock_guard lock(sp->restoring);
            if (!sp->log.exists(conv) && restore(*sp, conv)) return;
        }
        for (auto& a : bot_activities(conv, signed_by_agent(res), "")) sp->log.append(conv, std::move(a));
    });
    const std::string b = base;

    server.route(http::verb::post, b + "/tokens/generate",
                 [s](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     if (s->opt.secret.empty()) co_return disabled(req.version());
                     // Only the town's own server asks for tokens, with the secret: a refusal here
                     // means its setting is wrong (every Web Chat then fails to start), unlike a
                     // citizen's expired token elsewhere, which is routine and not logged.
                     if (!is_secret(*s, req)) {
                         bool missing = bearer_token(req).empty();
                         outbound::log_refused("directline", missing ? "missing" : "wrong",
                                               std::string(missing ? "no Authorization: Bearer (401)"
                                                                   : "a Bearer that is not the secret (403)") +
                                                   " on tokens/generate: the page or server asking for Web "
                                                   "Chat tokens must send GUICHET_DIRECTLINE_SECRET "
                                                   "(connectors/web/README.md)",
                                               ctx.client.to_string());
                         co_return refuse(missing ? auth::missing : auth::wrong, req.version());
                     }
                     auto conv = web::random_id(12);
                     s->log.open(conv);
                     auto token = s->signer.issue("dl", conv, s->opt.token_lifetime);
                     json::object out{{"conversationId", conv}, {"token", token},
                                      {"expires_in", s->opt.token_lifetime.count()}};
                     co_return json_response(http::status::ok, json::serialize(out), req.version());
                 });

    server.route(http::verb::post, b + "/tokens/refresh",
                 [s](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (s->opt.secret.empty()) co_return disabled(req.version());
                     std::string conv;
                     auto a = check(*s, req, "", &conv);
                     if (a != auth::ok || conv.empty())
                         co_return refuse(a == auth::ok ? auth::wrong : a, req.version());
                     auto token = s->signer.issue("dl", conv, s->opt.token_lifetime);
                     json::object out{{"conversationId", conv}, {"token", token},
                                      {"expires_in", s->opt.token_lifetime.count()}};
                     co_return json_response(http::status::ok, json::serialize(out), req.version());
                 });

    server.route(http::verb::post, b + "/conversations",
                 [s](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (s->opt.secret.empty()) co_return disabled(req.version());
                     std::string conv;
                     auto a = check(*s, req, "", &conv);
                     if (a != auth::ok) co_return refuse(a, req.version());
                     if (conv.empty()) conv = web::random_id(12);  // started with the secret
                     bool created = s->log.open(conv);
                     auto token = s->signer.issue("dl", conv, s->opt.token_lifetime);
                     // A generated token's conversation has been opened already: "created"
                     // then means nobody has posted to it yet.
                     if (!created && s->log.last_seq(conv) == 0) created = true;
                     // A new conversation is greeted, as Bot Framework bots greet members
                     // added: Web Chat's citizens learn at once that an automated assistant
                     // answers (EU AI Act, art. 50), in French and English.
                     if (created)
                         for (auto& a : bot_activities(conv, welcome(), ""))
                             s->log.append(conv, std::move(a));
                     co_return json_response(created ? http::status::created : http::status::ok,
                                             json::serialize(conversation_json(*s, req, conv, token)),
                                             req.version());
                 });

    server.route(http::verb::get, b + "/conversations/*",
                 [s](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     std::string conv, what;
                     if (!split(ctx.path, conv, what) || (what != "" && what != "activities"))
                         co_return json_error(http::status::not_found, "no such resource: " + ctx.path, req.version());
                     std::string by_token;  // the conversation its token names ("": the secret)
                     auto a = check(*s, req, conv, &by_token);
                     if (a != auth::ok) co_return refuse(a, req.version());
                     if (!held_or_resumed(*s, conv, !by_token.empty()))
                         co_return json_error(http::status::not_found, "no such conversation (ended?)", req.version());
                     if (what.empty()) {  // reconnect: a fresh token and stream URL
                         auto token = s->signer.issue("dl", conv, s->opt.token_lifetime);
                         auto o = conversation_json(*s, req, conv, token);
                         if (ctx.query.count("watermark"))
                             o["streamUrl"] = std::string(o["streamUrl"].as_string()) + "&watermark=" + ctx.query.at("watermark");
                         co_return json_response(http::status::ok, json::serialize(o), req.version());
                     }
                     std::vector<web::log_entry> entries;
                     s->log.since(conv, watermark_of(ctx), entries);
                     auto wm = entries.empty() ? std::max(watermark_of(ctx), std::uint64_t{0}) : entries.back().seq;
                     co_return json_response(http::status::ok, json::serialize(activity_set(conv, entries, wm)),
                                             req.version());
                 });

    server.route(http::verb::post, b + "/conversations/*",
                 [s](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     std::string conv, what;
                     if (!split(ctx.path, conv, what) || (what != "activities" && what != "upload"))
                         co_return json_error(http::status::not_found, "no such resource: " + ctx.path, req.version());
                     std::string by_token;  // the conversation its token names ("": the secret)
                     auto a = check(*s, req, conv, &by_token);
                     if (a != auth::ok) co_return refuse(a, req.version());
                     if (!held_or_resumed(*s, conv, !by_token.empty()))
                         co_return json_error(http::status::not_found, "no such conversation (ended?)", req.version());
                     if (what == "upload")
                         co_return json_error(http::status::bad_request,
                                              "file uploads are not accepted by this bot", req.version());
                     co_return co_await post_activity(s, req, conv);
                 });

    server.upgrade(b + "/conversations/*", [s](beast::tcp_stream tcp, http_request req,
                                               request_context ctx) -> asio::awaitable<void> {
        co_await stream(s, std::move(tcp), std::move(req), std::move(ctx));
    });
    return reg;
}

}  // namespace guichet::directline
