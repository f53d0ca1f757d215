// Telegram: Update JSON → message, turn_result → sendMessage / sendVenue /
// answerCallbackQuery bodies, and the webhook route itself.
#include "telegram/telegram.h"

#include <boost/json.hpp>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

#include "common/json_fields.h"
#include "engine/log.h"
#include "outbound/learned_once.h"
#include "outbound/split_text.h"
#include "outbound/webhook.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::telegram {
namespace {

constexpr std::size_t callback_data_max = 64;  // Bot API limit, in bytes
constexpr std::size_t text_max = 4096;          // sendMessage text, UTF-16 code units after entities parsing

std::string id_text(const json::value* v) {
    if (!v) return {};
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    if (v->is_string()) return std::string(v->get_string());
    return {};
}

json::value chat_id_json(const std::string& id) {
    try {
        std::size_t used = 0;
        long long n = std::stoll(id, &used);
        if (used == id.size()) return n;
    } catch (const std::exception&) {
    }
    return json::value(id);
}

// A message the citizen sent that is not text: answered with a request to write. Service
// messages (members joining, a pinned message, a new title…) are not from the citizen.
bool citizen_content(const json::object& msg) {
    static const char* kinds[] = {"photo", "sticker", "voice", "video", "video_note", "audio", "document",
                                  "animation", "contact", "poll", "dice", "game", "story", "paid_media"};
    for (auto* k : kinds)
        if (msg.contains(k)) return true;
    return false;
}

bool is_group(const json::object* chat) {
    if (!chat) return false;
    auto type = string_field(*chat, "type");
    return type == "group" || type == "supergroup";
}

bool same_name(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

// A group message addressed to the bot: a reply to one of its messages, a command (for it:
// "/cmd" or "/cmd@its_name"), an @mention of it. Entity offsets count UTF-16 code units.
bool addressed(const json::object& msg, const bot_identity& me) {
    if (auto* reply = object_field(msg, "reply_to_message"))
        if (auto* f = object_field(*reply, "from"); f && id_text(f->if_contains("id")) == me.id) return true;
    bool caption = !msg.contains("text");
    auto text = icu::UnicodeString::fromUTF8(string_field(msg, caption ? "caption" : "text"));
    auto* entities = array_field(msg, caption ? "caption_entities" : "entities");
    if (!entities) return false;
    for (auto& e : *entities) {
        if (!e.is_object()) continue;
        auto& o = e.get_object();
        auto type = string_field(o, "type");
        auto* off = o.if_contains("offset");
        auto* len = o.if_contains("length");
        if (!off || !len || !off->is_int64() || !len->is_int64()) continue;
        std::string word;
        text.tempSubString(static_cast<int32_t>(off->get_int64()), static_cast<int32_t>(len->get_int64()))
            .toUTF8String(word);
        if (type == "bot_command" && off->get_int64() == 0) {
            auto at = word.find('@');
            if (at == std::string::npos || same_name(word.substr(at + 1), me.username)) return true;
        } else if (type == "mention" && !me.username.empty() && same_name(word, "@" + me.username)) {
            return true;
        } else if (type == "text_mention") {
            if (auto* u = object_field(o, "user"); u && id_text(u->if_contains("id")) == me.id) return true;
        }
    }
    return false;
}

// The text without "@bot_username" (the engine reads the question, not the address).
std::string without_mention(std::string text, const std::string& username) {
    if (username.empty()) return text;
    const std::string at = "@" + username;
    for (std::size_t i = 0; i + at.size() <= text.size();) {
        if (same_name(std::string_view(text).substr(i, at.size()), at)) {
            text.erase(i, at.size() + (i + at.size() < text.size() && text[i + at.size()] == ' '));
        } else {
            ++i;
        }
    }
    auto first = text.find_first_not_of(" \n,:");
    auto last = text.find_last_not_of(" \n");
    return first == std::string::npos ? std::string() : text.substr(first, last - first + 1);
}

std::string cut(std::string s, std::size_t max) {
    if (s.size() <= max) return s;
    s.resize(max);
    while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
    if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
    return s;
}

// The text of the inline keyboard button that carries `data`, in the message it was pressed
// on (callback_query.message.reply_markup): what the citizen saw. "" when that message is no
// longer given (Telegram sends an inaccessible message past 48 hours).
std::string pressed_title(const json::object& msg, const std::string& data) {
    auto* markup = object_field(msg, "reply_markup");
    auto* rows = markup ? array_field(*markup, "inline_keyboard") : nullptr;
    if (!rows) return {};
    for (auto& row : *rows) {
        if (!row.is_array()) continue;
        for (auto& b : row.get_array())
            if (b.is_object() && string_field(b.get_object(), "callback_data") == data)
                return string_field(b.get_object(), "text");
    }
    return {};
}

}  // namespace

bool from_group(const json::value& v) {
    auto* o = v.if_object();
    if (!o) return false;
    const json::object* msg = object_field(*o, "message");
    if (auto* cq = object_field(*o, "callback_query"); !msg && cq) msg = object_field(*cq, "message");
    return msg && is_group(object_field(*msg, "chat"));
}

std::optional<inbound> parse_update(const json::value& v, std::string& error, const bot_identity& me) {
    auto* o = v.if_object();
    if (!o) {
        error = "an update must be a JSON object";
        return std::nullopt;
    }
    inbound in;
    // Telegram's update_id is an integer: "abc" is no update (it was answered 200, as a
    // repeated delivery is), and would take the place of a real one's id.
    auto* id = o->if_contains("update_id");
    if (!id) {
        error = "\"update_id\" is required";
        return std::nullopt;
    }
    if (!id->is_int64() && !id->is_uint64()) {
        error = "\"update_id\" must be a number";
        return std::nullopt;
    }
    in.update_id = id_text(id);
    const json::object* msg = nullptr;
    const json::object* from = nullptr;
    std::string payload;
    // Edited messages are not asked again: neither edited text nor the moves of a live
    // location (an edited_message every few seconds, for up to 8 hours). The first
    // location of a live one arrives as a message and is answered.
    if (auto* m = o->if_contains("message"); m && m->is_object()) msg = &m->get_object();
    if (auto* cq = o->if_contains("callback_query"); !msg && cq && cq->is_object()) {
        auto& q = cq->get_object();
        in.callback_id = string_field(q, "id");
        payload = string_field(q, "data");
        if (auto* f = q.if_contains("from"); f && f->is_object()) from = &f->get_object();
        if (auto* m = q.if_contains("message"); m && m->is_object()) msg = &m->get_object();
    }
    if (!msg) return in;  // other update kinds: acknowledged, ignored
    if (!from)
        if (auto* f = msg->if_contains("from"); f && f->is_object()) from = &f->get_object();
    if (from && in.callback_id.empty()) {
        if (auto* b = from->if_contains("is_bot"); b && b->is_bool() && b->get_bool()) return in;
    }
    auto* chat = msg->if_contains("chat");
    std::string chat_id = chat && chat->is_object() ? id_text(chat->get_object().if_contains("id")) : "";
    if (chat_id.empty()) {
        error = "the message has no chat.id";
        return std::nullopt;
    }
    message m;
    m.channel = "telegram";
    m.conversation_id = chat_id;
    m.user_id = from ? id_text(from->if_contains("id")) : chat_id;
    if (m.user_id.empty()) m.user_id = chat_id;
    const bool group = is_group(&chat->get_object());
    if (group) {
        // Members talk among themselves: only what is said to the bot is answered, and each
        // member has their own conversation (one's "oui" must not file another's report).
        if (in.callback_id.empty() && !addressed(*msg, me)) return in;
        m.conversation_id = outbound::group_conversation(chat_id, m.user_id);
        if (in.callback_id.empty())
            if (auto* id = msg->if_contains("message_id"); id && id->is_int64()) in.reply_to = id->get_int64();
    }
    // The language of the user's Telegram app, not always the one they write in (a French
    // phone set to English): a hint for a text too short to tell its own, as a web page's.
    if (from) m.locale_hint = outbound::locale_of(string_field(*from, "language_code"));
    if (!in.callback_id.empty()) {
        m.payload = payload;
        m.title = pressed_title(*msg, payload);
    } else {
        m.text = string_field(*msg, "text");
        if (m.text.empty()) m.text = string_field(*msg, "caption");  // a photo, a document… with a caption
        if (group) m.text = without_mention(m.text, me.username);
        // The Start button sends "/start" (in groups "/start@BotName", from a link
        // "/start <parameter>"): a greeting, handed over as one in the user's language.
        if (m.text == "/start" || m.text.rfind("/start@", 0) == 0 || m.text.rfind("/start ", 0) == 0)
            m.text = m.locale_hint == "en" ? "hello" : "bonjour";
        if (auto* loc = msg->if_contains("location"); loc && loc->is_object()) {
            auto& l = loc->get_object();
            auto* lat = l.if_contains("latitude");
            auto* lon = l.if_contains("longitude");
            if (lat && lon && lat->is_number() && lon->is_number())
                m.location = geo_point{lat->to_number<double>(), lon->to_number<double>()};
        }
    }
    if (m.text.empty() && m.payload.empty() && !m.location) {
        if (!citizen_content(*msg)) return in;  // service messages: ignored
        in.unreadable = true;
    }
    in.msg = std::move(m);
    return in;
}

std::vector<outgoing> render(const std::string& conversation, const turn_result& r,
                             const std::string& callback_id, std::int64_t reply_to) {
    std::vector<outgoing> out;
    const auto chat_id = outbound::chat_of(conversation);
    auto add = [&](const char* method, json::object body) {
        if (reply_to != 0 && method != std::string_view("answerCallbackQuery")) {
            body["reply_parameters"] = json::object{{"message_id", reply_to}, {"allow_sending_without_reply", true}};
            reply_to = 0;  // the first message of the answer only
        }
        out.push_back({"telegram", conversation, method, json::serialize(body)});
    };
    if (!callback_id.empty()) add("answerCallbackQuery", {{"callback_query_id", callback_id}});
    for (auto& rep : r.replies) {
        std::string text = rep.text;
        for (auto& c : rep.cards) {
            if (rep.text_gives(c)) continue;
            text += "\n\n" + c.title;
            if (!c.subtitle.empty()) text += " — " + c.subtitle;
            if (!c.url.empty()) text += "\n" + c.url;
        }
        if (!text.empty() || !rep.buttons.empty()) {
            // Over the limit, sendMessage is refused (400): several messages, the keyboard on the last.
            auto parts = outbound::split_text(text.empty() ? "…" : text, text_max, outbound::length_unit::utf16);
            for (std::size_t i = 0; i + 1 < parts.size(); ++i)
                add("sendMessage", {{"chat_id", chat_id_json(chat_id)}, {"text", parts[i]}});
            json::object body{{"chat_id", chat_id_json(chat_id)}, {"text", parts.back()}};
            if (!rep.buttons.empty()) {
                json::array rows;
                for (auto& b : rep.buttons) {
                    std::string data = b.payload.empty() ? b.title : b.payload;
                    if (data.size() > callback_data_max)
                        data = b.title.size() <= callback_data_max ? b.title : cut(data, callback_data_max);
                    rows.push_back(json::array{json::object{{"text", b.title}, {"callback_data", data}}});
                }
                body["reply_markup"] = json::object{{"inline_keyboard", std::move(rows)}};
            }
            add("sendMessage", std::move(body));
        }
        for (auto& p : rep.locations) {
            // The venue's address: the card of the same place when there is one.
            char coords[64];
            std::snprintf(coords, sizeof coords, "%.5f, %.5f", p.lat, p.lon);
            std::string address = coords;
            for (auto& c : rep.cards)
                if (c.title == p.title && !c.subtitle.empty()) address = c.subtitle;
            add("sendVenue", {{"chat_id", chat_id_json(chat_id)},
                              {"latitude", p.lat},
                              {"longitude", p.lon},
                              {"title", p.title},
                              {"address", address}});
        }
    }
    return out;
}

namespace {

// The bot's username, asked once with getMe (when a group message first needs it) and
// remembered; asked again next time when Telegram could not tell.
class own_username {
public:
    own_username(outbound::https_client& client, const settings& s) : client_(client), s_(s) {}

    asio::awaitable<std::string> get() {
        co_return co_await learned_.get([this]() -> asio::awaitable<std::string> {
            outbound::request req;
            req.method = http::verb::get;
            req.url = s_.api_url + "/bot" + s_.bot_token + "/getMe";
            auto res = co_await client_.send(std::move(req));
            json::error_code ec;
            auto v = res.ec || res.status != 200 ? json::value() : json::parse(res.body, ec);
            auto* result = !ec && v.is_object() ? object_field(v.get_object(), "result") : nullptr;
            std::string name = result ? string_field(*result, "username") : "";
            if (name.empty())
                log::error("telegram", "getMe: the bot's username is unknown (" +
                                           (res.ec ? res.ec.message() : "HTTP " + std::to_string(res.status)) +
                                           "): in groups, @mentions of the bot are not answered until it is known");
            co_return name;
        });
    }

private:
    outbound::https_client& client_;
    settings s_;
    outbound::learned_once learned_;
};

}  // namespace

void register_routes(http_server& server, router& r, outbox& box, const settings& s, outbound::https_client& client) {
    auto username = std::make_shared<own_username>(client, s);
    server.route(
        http::verb::post, "/webhooks/telegram",
        [&r, &box, s, username](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
            auto header = req.find("X-Telegram-Bot-Api-Secret-Token");
            if (header == req.end()) {
                outbound::log_refused("telegram", "missing",
                                      "no X-Telegram-Bot-Api-Secret-Token header (401 missing secret "
                                      "token): the webhook was set without secret_token, or the caller "
                                      "is not Telegram; set it again with secret_token=the value of "
                                      "GUICHET_TELEGRAM_SECRET_TOKEN (setWebhook, connectors/MESSAGING.md)",
                                      ctx.client.to_string());
                co_return json_error(http::status::unauthorized, "missing secret token", req.version());
            }
            if (!outbound::secret_equal(header->value(), s.secret_token)) {
                outbound::log_refused("telegram", "wrong",
                                      "wrong X-Telegram-Bot-Api-Secret-Token (403 wrong secret token): "
                                      "the webhook was set with another secret_token than "
                                      "GUICHET_TELEGRAM_SECRET_TOKEN; set it again with that value "
                                      "(setWebhook, connectors/MESSAGING.md)",
                                      ctx.client.to_string());
                co_return json_error(http::status::forbidden, "wrong secret token", req.version());
            }
            json::error_code ec;
            auto v = json::parse(req.body(), ec);
            if (ec)
                co_return json_error(http::status::bad_request, "malformed JSON: " + ec.message(),
                                     req.version());
            std::string error;
            bot_identity me{s.bot_token.substr(0, s.bot_token.find(':')), {}};
            if (from_group(v)) {
                me.username = co_await username->get();
                // Without its own name the bot cannot tell a message for it from the members'
                // talk: not taken now, Telegram delivers it again later (getMe is asked again).
                if (me.username.empty())
                    co_return json_error(http::status::service_unavailable,
                                         "the bot's username is not known yet (getMe failed), retry later",
                                         req.version());
            }
            auto in = parse_update(v, error, me);
            if (!in) co_return json_error(http::status::bad_request, error, req.version());
            if (!box.first_delivery("telegram", in->update_id))
                co_return json_response(http::status::ok, "{}", req.version());
            if (!in->msg) co_return json_response(http::status::ok, "{}", req.version());
            auto chat = in->msg->conversation_id;
            if (in->unreadable) {
                box.enqueue(render(chat, outbound::unreadable_reply(in->msg->locale_hint), in->callback_id, in->reply_to));
                co_return json_response(http::status::ok, "{}", req.version());
            }
            auto turn = co_await outbound::submit_turn(r, std::move(*in->msg));
            if (!turn) {
                // Not handled (the conversation's queue is full): let Telegram deliver it again.
                box.forget_delivery("telegram", in->update_id);
                co_return json_error(http::status::service_unavailable, "busy, retry later", req.version());
            }
            // Every reply leaves through the outbox, never in the webhook response: Telegram
            // does not say whether it ran a response's method, and when the connection drops
            // before it reads the response it delivers the update again, which is then a
            // repeat — the answer would be lost. Stored here, it is sent (and retried) in the
            // conversation's order.
            box.enqueue(render(chat, *turn, in->callback_id, in->reply_to));
            co_return json_response(http::status::ok, "{}", req.version());
        });
}

outbox::sender_fn make_sender(outbound::https_client& client, const settings& s) {
    return [&client, s](const stored_outgoing& o) -> asio::awaitable<outbound::send_result> {
        outbound::request req;
        req.url = s.api_url + "/bot" + s.bot_token + "/" + o.target;
        req.body = o.body;
        auto res = co_await client.send(std::move(req));
        auto result = outbound::classify(res);
        auto wait = outbound::retry_after(res);
        if (res.status == 429) {
            // Flood control: {"ok":false,"parameters":{"retry_after":N}} (seconds), also in Retry-After.
            json::error_code ec;
            auto v = json::parse(res.body, ec);
            auto* p = !ec && v.is_object() ? object_field(v.get_object(), "parameters") : nullptr;
            auto* n = p ? p->if_contains("retry_after") : nullptr;
            if (n && n->is_int64() && n->get_int64() > 0)
                wait = std::max<std::chrono::milliseconds>(wait, std::chrono::seconds(n->get_int64()));
        }
        if (result != outbound::outcome::delivered)
            log::warn("telegram", o.target + ": " + (res.ec ? res.ec.message() : "HTTP " + std::to_string(res.status)) +
                                      (wait.count() ? ", retry after " + std::to_string(wait.count() / 1000) + " s" : ""),
                      o.conversation);
        co_return outbound::send_result(result, wait, outbound::describe(res));
    };
}

}  // namespace guichet::telegram
