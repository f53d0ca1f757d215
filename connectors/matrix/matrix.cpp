// Matrix: transaction auth and parsing, replies as m.text / m.location events. Matrix has
// no buttons: they are listed numbered, in `body` and as an HTML <ol> in `formatted_body`;
// the citizen types the number or the title back and the engine maps it to the button's
// payload (kept in the conversation's durable state).
#include "matrix/matrix.h"

#include <boost/json.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>
#include <cstdio>
#include <memory>
#include <mutex>

#include "engine/log.h"
#include "outbound/learned_once.h"
#include "outbound/split_text.h"
#include "outbound/webhook.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::matrix {
namespace {

// One event's body, in characters: homeservers refuse events over 65,536 bytes and clients
// show huge messages badly; with its formatted_body (HTML-escaped) an event stays far below.
constexpr std::size_t text_max = 4000;
constexpr auto characters = outbound::length_unit::code_points;

http_response matrix_error(http::status st, const char* code, const char* text, unsigned version) {
    json::object o{{"errcode", code}, {"error", text}};
    return json_response(st, json::serialize(o), version);
}

// "geo:48.85,2.35" or "geo:48.85,2.35;u=10" → a point.
std::optional<geo_point> parse_geo(const std::string& uri) {
    double lat = 0, lon = 0;
    if (uri.rfind("geo:", 0) != 0 || std::sscanf(uri.c_str() + 4, "%lf,%lf", &lat, &lon) != 2)
        return std::nullopt;
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return std::nullopt;
    return geo_point{lat, lon};
}

std::string escape_html(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&#39;"; break;
            default: out += c;
        }
    }
    return out;
}

// Escaped, with the text's line breaks as <br>.
std::string html_lines(std::string_view s) {
    std::string out;
    for (auto line_end = s.find('\n'); ; line_end = s.find('\n')) {
        out += escape_html(s.substr(0, line_end));
        if (line_end == std::string_view::npos) break;
        out += "<br>";
        s.remove_prefix(line_end + 1);
    }
    return out;
}

// A reply's body opens with the quoted message ("> <@user:hs> text" lines, then an empty
// line): the question is what follows.
std::string without_reply_fallback(const std::string& body) {
    if (body.rfind("> ", 0) != 0) return body;
    std::string_view rest = body;
    while (rest.rfind(">", 0) == 0) {
        auto end = rest.find('\n');
        if (end == std::string_view::npos) return body;  // all quote: keep it as it is
        rest.remove_prefix(end + 1);
    }
    if (rest.rfind("\n", 0) == 0) rest.remove_prefix(1);
    return std::string(rest);
}

}  // namespace

std::vector<inbound> parse_transaction(const json::value& v, const std::string& own_user) {
    std::vector<inbound> out;
    auto* root = v.if_object();
    auto* events = root ? root->if_contains("events") : nullptr;
    if (!events || !events->is_array()) return out;
    for (auto& e : events->get_array()) {
        if (!e.is_object()) continue;
        auto& ev = e.get_object();
        auto event_type = string_field(ev, "type");
        // (An application service receives end-to-end encrypted messages unreadable: the
        // sender is told so, not left unanswered.)
        const bool encrypted = event_type == "m.room.encrypted";
        if (event_type != "m.room.message" && event_type != "m.sticker" && !encrypted)
            continue;  // reactions, receipts…
        auto sender = string_field(ev, "sender");
        if (sender.empty() || sender == own_user) continue;
        auto* content = ev.if_contains("content");
        if (!content || !content->is_object()) continue;
        auto& c = content->get_object();
        // An edit (m.replace) of a message already answered is not asked again.
        if (auto* rel = object_field(c, "m.relates_to"); rel && string_field(*rel, "rel_type") == "m.replace")
            continue;
        inbound in;
        in.event_id = string_field(ev, "event_id");
        in.msg.channel = "matrix";
        // Each member of a room has their own conversation with the bot (their report, their
        // request to a person, the buttons offered to them), answered in the room.
        auto room = string_field(ev, "room_id");
        if (room.empty()) continue;
        in.msg.conversation_id = outbound::group_conversation(room, sender);
        in.msg.user_id = sender;
        if (encrypted) {
            in.encrypted = true;
            out.push_back(std::move(in));
            continue;
        }
        auto type = event_type == "m.sticker" ? "m.sticker" : string_field(c, "msgtype");
        if (type == "m.text" || type == "m.notice") in.msg.text = without_reply_fallback(string_field(c, "body"));
        else if (type == "m.location") in.msg.location = parse_geo(string_field(c, "geo_uri"));
        // A media's body is its file name, not a question.
        else if (type == "m.image" || type == "m.file" || type == "m.audio" || type == "m.video" || type == "m.sticker")
            in.unreadable = true;
        else continue;
        if (type == "m.notice") continue;  // bots speak in notices: never answer them
        if (in.msg.text.empty() && !in.msg.location && !in.unreadable) continue;
        out.push_back(std::move(in));
    }
    return out;
}

std::vector<member_change> member_changes(const json::value& v) {
    std::vector<member_change> changes;
    auto* root = v.if_object();
    auto* events = root ? root->if_contains("events") : nullptr;
    if (!events || !events->is_array()) return changes;
    for (auto& e : events->get_array()) {
        if (!e.is_object()) continue;
        auto& ev = e.get_object();
        if (string_field(ev, "type") != "m.room.member") continue;
        auto* content = object_field(ev, "content");
        member_change c{string_field(ev, "room_id"), string_field(ev, "state_key"), string_field(ev, "sender"),
                        content ? string_field(*content, "membership") : "", false};
        if (content)
            if (auto* d = content->if_contains("is_direct"); d && d->is_bool()) c.is_direct = d->get_bool();
        if (!c.room.empty() && !c.user.empty() && !c.membership.empty()) changes.push_back(std::move(c));
    }
    return changes;
}

namespace {

// The outbox fact kept per room: "direct <member>" for a direct chat with that member, else "group".
constexpr const char* room_fact = "room";
constexpr std::string_view direct_prefix = "direct ";

// What the transaction's membership changes tell of their rooms (see addressed_to).
void remember_rooms(outbox& box, const std::vector<member_change>& changes, const std::string& own) {
    for (auto& c : changes) {
        std::optional<std::string> kind;
        if (c.user == own && c.membership == "invite")
            kind = c.is_direct ? std::string(direct_prefix) + c.sender : "group";
        else if (c.user != own && c.membership == "join")
            if (auto known = box.recall("matrix", c.room, room_fact);
                known && known->starts_with(direct_prefix) && known->substr(direct_prefix.size()) != c.user)
                kind = "group";  // a third member joined the direct chat
        if (!kind) continue;
        try {
            box.remember("matrix", c.room, room_fact, *kind);
        } catch (const std::exception& e) {  // replies are then addressed: the safe side
            log::warn("matrix", std::string("cannot remember the room's kind: ") + e.what(), c.room);
        }
    }
}

}  // namespace

addressee addressed_to(const outbox& box, const std::string& conversation, std::string event_id) {
    const auto slash = conversation.find('/');
    if (slash == std::string::npos) return {};
    std::string member = conversation.substr(slash + 1);
    auto known = box.recall("matrix", outbound::chat_of(conversation), room_fact);
    if (known && *known == std::string(direct_prefix) + member) return {};
    return {std::move(event_id), std::move(member)};
}

outgoing join(const std::string& room_id) { return {"matrix", room_id, "join", "{}"}; }

std::vector<outgoing> render(const std::string& conversation, const turn_result& r, const addressee& to) {
    std::vector<outgoing> out;
    // The turn's first event, in a group: a reply to the member's message, mentioning them.
    auto address = [&](json::object& o) {
        if (to.user_id.empty() || !out.empty()) return;
        if (!to.event_id.empty())
            o["m.relates_to"] = json::object{{"m.in_reply_to", json::object{{"event_id", to.event_id}}}};
        o["m.mentions"] = json::object{{"user_ids", json::array{json::value(to.user_id)}}};
    };
    // Queued in the room's order (after a join of that room), whoever the answer is for.
    const auto room_id = outbound::chat_of(conversation);
    auto notice = [&](const std::string& body, const std::string& html) {
        json::object o{{"msgtype", "m.notice"}, {"body", body}};
        if (!html.empty()) {
            o["format"] = "org.matrix.custom.html";
            o["formatted_body"] = html;
        }
        address(o);
        out.push_back({"matrix", room_id, room_id, json::serialize(o)});
    };
    int i = 0;  // buttons are numbered across the turn's replies, as the engine maps them back
    for (auto& rep : r.replies) {
        std::string text = rep.text, html = html_lines(rep.text);
        for (auto& c : rep.cards) {
            if (rep.text_gives(c)) continue;
            text += "\n\n" + c.title;
            html += "<br><br><b>" + escape_html(c.title) + "</b>";
            if (!c.subtitle.empty()) {
                text += " — " + c.subtitle;
                html += " — " + escape_html(c.subtitle);
            }
            if (!c.url.empty()) {
                text += "\n" + c.url;
                html += "<br><a href=\"" + escape_html(c.url) + "\">" + escape_html(c.url) + "</a>";
            }
        }
        std::string list, list_html;  // the numbered buttons, at the end of the last part
        if (!rep.buttons.empty()) {
            list_html = "<ol start=\"" + std::to_string(i + 1) + "\">";
            for (auto& b : rep.buttons) {
                list += "\n" + std::to_string(++i) + ". " + b.title;
                list_html += "<li>" + escape_html(b.title) + "</li>";
            }
            list_html += "</ol>";
        }
        bool formatted = !rep.buttons.empty() || !rep.cards.empty();
        auto list_length = outbound::text_length(list, characters);
        if (outbound::text_length(text, characters) + list_length <= text_max) {
            if (!text.empty() || !list.empty()) notice(text + list, formatted ? html + list_html : "");
        } else {
            // Too long for one event: several notices in order, the buttons with the last. The
            // parts are plain text (a card's title is no longer bold there).
            auto parts = outbound::split_text(text, text_max, characters);
            if (outbound::text_length(parts.back(), characters) + list_length > text_max) {
                auto tail = outbound::split_text(parts.back(), text_max - std::min(list_length, text_max / 2), characters);
                parts.pop_back();
                parts.insert(parts.end(), tail.begin(), tail.end());
            }
            for (std::size_t k = 0; k + 1 < parts.size(); ++k) notice(parts[k], "");
            notice(parts.back() + list, list.empty() ? "" : html_lines(parts.back()) + list_html);
        }
        for (auto& p : rep.locations) {
            char geo[80];
            std::snprintf(geo, sizeof geo, "geo:%.6f,%.6f", p.lat, p.lon);
            json::object o{{"msgtype", "m.location"}, {"body", p.title}, {"geo_uri", geo}};
            address(o);
            out.push_back({"matrix", room_id, room_id, json::serialize(o)});
        }
    }
    return out;
}

namespace {

// The bot's own user id: the configured one, else the homeserver's answer to whoami (asked
// with the as_token, i.e. as the application service's sender), remembered once known.
class own_user {
public:
    own_user(outbound::https_client& client, const settings& s) : client_(client), s_(s) {}

    // "" when the homeserver could not tell (logged; asked again next time).
    asio::awaitable<std::string> get() {
        if (!s_.user_id.empty()) co_return s_.user_id;
        co_return co_await learned_.get([this]() -> asio::awaitable<std::string> {
            outbound::request req;
            req.method = http::verb::get;
            req.url = s_.api_url + "/_matrix/client/v3/account/whoami";
            req.headers.emplace_back("Authorization", "Bearer " + s_.as_token);
            auto res = co_await client_.send(std::move(req));
            json::error_code ec;
            auto v = res.ec || res.status != 200 ? json::value() : json::parse(res.body, ec);
            std::string id = !ec && v.is_object() ? string_field(v.get_object(), "user_id") : "";
            if (id.empty()) {
                std::string why = res.ec ? res.ec.message()
                                  : res.status != 200 ? "HTTP " + std::to_string(res.status)
                                                      : "no user_id in the answer";
                log::error("matrix", "the bot's user id is unknown (GET /_matrix/client/v3/account/whoami: " +
                                         why + "): set GUICHET_MATRIX_USER_ID; replies are m.notice, never answered");
            } else {
                log::info("matrix", "the bot is " + id + " (whoami)");
            }
            co_return id;
        });
    }

private:
    outbound::https_client& client_;
    settings s_;
    outbound::learned_once learned_;
};

}  // namespace

void register_routes(http_server& server, router& r, outbox& box, const settings& s,
                     outbound::https_client& client) {
    static const std::string prefix = "/_matrix/app/v1/transactions/";
    auto me = std::make_shared<own_user>(client, s);
    server.route(
        http::verb::put, prefix + "*",
        [&r, &box, s, me](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
            std::string token;
            if (auto h = req.find(http::field::authorization); h != req.end()) {
                std::string_view v = h->value();
                if (v.rfind("Bearer ", 0) == 0) token = std::string(v.substr(7));
            } else if (auto q = ctx.query.find("access_token"); q != ctx.query.end()) {
                token = q->second;
            }
            if (token.empty()) {
                outbound::log_refused("matrix", "missing",
                                      "no hs_token (401 missing token: neither Authorization: Bearer nor "
                                      "?access_token=): the caller is not the homeserver of the "
                                      "registration file (connectors/MESSAGING.md)",
                                      ctx.client.to_string());
                co_return matrix_error(http::status::unauthorized, "M_UNAUTHORIZED", "missing token",
                                       req.version());
            }
            if (!outbound::secret_equal(token, s.hs_token)) {
                outbound::log_refused("matrix", "wrong",
                                      "wrong hs_token (403 wrong token): the homeserver's registration file "
                                      "has another hs_token than GUICHET_MATRIX_HS_TOKEN; make them the same "
                                      "and restart the homeserver (connectors/MESSAGING.md)",
                                      ctx.client.to_string());
                co_return matrix_error(http::status::forbidden, "M_FORBIDDEN", "wrong token", req.version());
            }
            std::string txn = ctx.path.substr(std::min(ctx.path.size(), prefix.size()));
            if (txn.empty() || txn.find('/') != std::string::npos)
                co_return matrix_error(http::status::not_found, "M_UNRECOGNIZED", "no transaction id",
                                       req.version());
            json::error_code ec;
            auto v = json::parse(req.body(), ec);
            if (ec || !v.is_object())
                co_return matrix_error(http::status::bad_request, "M_NOT_JSON", "malformed JSON", req.version());
            if (!box.first_delivery("matrix", "txn:" + txn))
                co_return json_response(http::status::ok, "{}", req.version());
            const auto own = co_await me->get();
            // Invited: join, else every reply to that room is refused (403 M_FORBIDDEN).
            const auto changes = member_changes(v);
            for (auto& c : changes)
                if (c.user == own && c.membership == "invite") {
                    log::info("matrix", "invited into " + c.room + ": joining", c.room);
                    box.enqueue({join(c.room)});
                }
            remember_rooms(box, changes, own);
            bool retry = false;  // an event not handled: the homeserver resends the transaction
            for (auto& in : parse_transaction(v, own)) {
                if (!in.event_id.empty() && !box.first_delivery("matrix", "event:" + in.event_id)) continue;
                auto conversation = in.msg.conversation_id;
                const auto to = addressed_to(box, conversation, in.event_id);
                if (in.unreadable || in.encrypted) {
                    box.enqueue(render(conversation,
                                       in.encrypted ? outbound::encrypted_reply(in.msg.locale)
                                                    : outbound::unreadable_reply(in.msg.locale),
                                       to));
                    continue;
                }
                auto turn = co_await outbound::submit_turn(r, std::move(in.msg));
                if (turn) {
                    box.enqueue(render(conversation, *turn, to));
                } else {
                    if (!in.event_id.empty()) box.forget_delivery("matrix", "event:" + in.event_id);
                    retry = true;
                }
            }
            if (retry) {
                box.forget_delivery("matrix", "txn:" + txn);
                co_return matrix_error(http::status::service_unavailable, "M_LIMIT_EXCEEDED", "busy, retry later",
                                       req.version());
            }
            co_return json_response(http::status::ok, "{}", req.version());
        });
}

outbox::sender_fn make_sender(outbound::https_client& client, const settings& s) {
    return [&client, s](const stored_outgoing& o) -> asio::awaitable<outbound::send_result> {
        outbound::request req;
        if (o.target == "join") {
            // Joining a room one is already in succeeds again: a repeat is harmless.
            req.url = s.api_url + "/_matrix/client/v3/rooms/" +
                      boost::urls::encode(o.conversation, boost::urls::unreserved_chars) + "/join";
        } else {
            req.method = http::verb::put;
            // The outbox id is the txnId: a repeat after a crash is the same event to the homeserver.
            req.url = s.api_url + "/_matrix/client/v3/rooms/" +
                      boost::urls::encode(o.target, boost::urls::unreserved_chars) +
                      "/send/m.room.message/guichet." + std::to_string(o.id);
        }
        req.headers.emplace_back("Authorization", "Bearer " + s.as_token);
        req.body = o.body;
        auto res = co_await client.send(std::move(req));
        auto result = outbound::classify(res);
        if (result != outbound::outcome::delivered)
            log::warn("matrix", (o.target == "join" ? "join: " : "send: ") + (res.ec ? res.ec.message() : "HTTP " + std::to_string(res.status)),
                      o.conversation);
        // Rate limited (429 M_LIMIT_EXCEEDED): the wait is the Retry-After header, else the
        // body's retry_after_ms (older homeservers send only that).
        auto wait = outbound::retry_after(res);
        if (res.status == 429 && wait.count() == 0) {
            json::error_code ec;
            auto v = json::parse(res.body, ec);
            auto* ms = !ec && v.is_object() ? v.get_object().if_contains("retry_after_ms") : nullptr;
            if (ms && ms->is_int64() && ms->get_int64() > 0) wait = std::chrono::milliseconds(ms->get_int64());
        }
        co_return outbound::send_result(result, wait, outbound::describe(res));
    };
}

}  // namespace guichet::matrix
