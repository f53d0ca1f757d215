// Slack: signature, envelopes and interactivity payloads → messages, replies → Block Kit.
#include "slack/slack.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>

#include "common/json_fields.h"
#include "engine/log.h"
#include "outbound/split_text.h"
#include "outbound/webhook.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::slack {
namespace {

constexpr std::size_t button_text_max = 75;  // Block Kit plain_text in a button
constexpr std::size_t buttons_max = 25;      // elements in one actions block
// A section block's text: 3000 characters (the message's `text`, the same, is under its 40,000).
constexpr std::size_t section_text_max = 3000;

// The outbox fact (per channel) saying the bot answered in the thread `thread_ts`.
std::string thread_fact(const std::string& thread_ts) { return "thread:" + thread_ts; }


// Slack's text escaping: &, <, > are control characters in message text.
std::string escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            default: out += c;
        }
    }
    return out;
}

}  // namespace

signature_check check_signature(const settings& s, std::string_view timestamp,
                                std::string_view signature, std::string_view body, long long now) {
    long long ts = 0;
    try {
        std::size_t used = 0;
        ts = std::stoll(std::string(timestamp), &used);
        if (used != timestamp.size()) return signature_check::bad_timestamp;
    } catch (const std::exception&) {
        return signature_check::bad_timestamp;
    }
    std::string base = "v0:" + std::string(timestamp) + ":" + std::string(body);
    if (!outbound::secret_equal(signature, "v0=" + outbound::hmac_sha256_hex(s.signing_secret, base)))
        return signature_check::wrong_signature;
    if (ts < now - s.window.count() || ts > now + s.window.count()) return signature_check::out_of_window;
    return signature_check::ok;
}

namespace {

// Slack writes an emoji in a message's text as its short name (":+1:", ":pray::skin-tone-3:"):
// the few that say something to the bot become the emoji the engine reads (👍 is a thanks), the
// others go (":+1:" was read as the number 1: a house number). Only a name that starts the text
// or follows a space, and ends it or comes before a space or punctuation ("10:30:00" stays).
std::string without_emoji_names(const std::string& s) {
    static const std::pair<std::string_view, std::string_view> said[] = {
        {"+1", "👍"}, {"thumbsup", "👍"}, {"-1", "👎"}, {"thumbsdown", "👎"}, {"pray", "🙏"},
        {"ok_hand", "👌"}, {"smile", "🙂"}, {"slightly_smiling_face", "🙂"}, {"wave", "👋"},
        {"white_check_mark", "✅"}, {"heavy_check_mark", "✔️"}};
    auto name_char = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '+' || c == '-';
    };
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t end = s[i] == ':' && (i == 0 || s[i - 1] == ' ' || s[i - 1] == ':') ? i + 1 : i;
        while (end < s.size() && end > i && name_char(s[end])) ++end;
        const bool closed = end > i + 1 && end < s.size() && s[end] == ':' &&
                            (end + 1 == s.size() || !std::isalnum(static_cast<unsigned char>(s[end + 1])));
        if (!closed) {
            out += s[i++];
            continue;
        }
        const std::string_view name(s.data() + i + 1, end - i - 1);
        for (auto& [n, emoji] : said)
            if (n == name) out += emoji;
        i = end + 1;
    }
    return out;
}

}  // namespace

std::string plain_text(std::string_view s) {
    std::string out;
    auto unescape = [&out](std::string_view t) {
        for (std::size_t i = 0; i < t.size(); ++i) {
            if (t.substr(i, 5) == "&amp;") out += '&', i += 4;
            else if (t.substr(i, 4) == "&lt;") out += '<', i += 3;
            else if (t.substr(i, 4) == "&gt;") out += '>', i += 3;
            else out += t[i];
        }
    };
    while (!s.empty()) {
        auto open = s.find('<');
        auto close = open == std::string_view::npos ? open : s.find('>', open);
        if (close == std::string_view::npos) {
            unescape(s);
            break;
        }
        unescape(s.substr(0, open));
        auto inner = s.substr(open + 1, close - open - 1);
        auto bar = inner.find('|');
        // <@U123>, <#C123|general>, <!channel>, <!subteam^S1>: mentions, not words.
        if (!inner.empty() && inner[0] != '@' && inner[0] != '#' && inner[0] != '!')
            unescape(bar == std::string_view::npos ? inner : inner.substr(bar + 1));  // a link: its label
        s.remove_prefix(close + 1);
    }
    // The spaces a removed mention leaves.
    std::string tidy;
    for (char c : without_emoji_names(out))
        if (c != ' ' || (!tidy.empty() && tidy.back() != ' ' && tidy.back() != '\n')) tidy += c;
    while (!tidy.empty() && (tidy.back() == ' ' || tidy.back() == '\n')) tidy.pop_back();
    return tidy;
}

std::optional<inbound> parse_event(const json::value& v) {
    auto* root = v.if_object();
    if (!root || string_field(*root, "type") != "event_callback") return std::nullopt;
    auto* ev = object_field(*root, "event");
    if (!ev) return std::nullopt;
    auto type = string_field(*ev, "type");
    if (type != "message" && type != "app_mention") return std::nullopt;
    // Bots (ourselves included) and edits, joins, deletions… are not questions; a shared file
    // (subtype file_share) is, by its text, and a thread's message also sent to the channel
    // (thread_broadcast) is a message of the thread.
    auto subtype = string_field(*ev, "subtype");
    if (ev->contains("bot_id") ||
        (!subtype.empty() && subtype != "file_share" && subtype != "thread_broadcast") ||
        ev->contains("bot_profile"))
        return std::nullopt;
    inbound in;
    in.key = string_field(*root, "event_id");
    in.msg.channel = "slack";
    in.msg.conversation_id = string_field(*ev, "channel");
    in.msg.user_id = string_field(*ev, "user");
    // In a channel (public, private or a group DM) members talk among themselves: only an
    // @mention of the bot (app_mention) is for it, and each member has their own conversation.
    // A plain message in a thread is for the bot when the bot answered in that thread (the
    // route checks): nobody mentions the bot again at every turn of a conversation.
    auto channel_type = string_field(*ev, "channel_type");
    bool direct = channel_type == "im" || (channel_type.empty() && in.msg.conversation_id.rfind('D', 0) == 0);
    in.thread_ts = string_field(*ev, "thread_ts");
    if (type == "message" && !direct) {
        if (in.thread_ts.empty()) return std::nullopt;
        in.needs_bot_thread = true;
    }
    if (!direct) in.msg.conversation_id = outbound::group_conversation(in.msg.conversation_id, in.msg.user_id);
    in.msg.text = plain_text(string_field(*ev, "text"));
    auto ts = string_field(*ev, "ts");
    // An @mention in a channel is answered in a thread started on it: the channel sees whom the
    // answer is for, and the member goes on in the thread without mentioning the bot again.
    if (!direct && in.thread_ts.empty()) in.thread_ts = ts;
    if (!ts.empty()) in.message_key = "message:" + in.msg.conversation_id + ":" + ts;
    in.unreadable = in.msg.text.empty() && (subtype == "file_share" || ev->contains("files"));
    if (in.key.empty() || in.msg.conversation_id.empty() || (in.msg.text.empty() && !in.unreadable))
        return std::nullopt;
    return in;
}

std::optional<inbound> parse_interaction(const json::value& v) {
    auto* root = v.if_object();
    if (!root || string_field(*root, "type") != "block_actions") return std::nullopt;
    auto* actions = root->if_contains("actions");
    if (!actions || !actions->is_array() || actions->get_array().empty() ||
        !actions->get_array()[0].is_object())
        return std::nullopt;
    auto& a = actions->get_array()[0].get_object();
    inbound in;
    in.msg.channel = "slack";
    if (auto* ch = object_field(*root, "channel")) in.msg.conversation_id = string_field(*ch, "id");
    if (auto* u = object_field(*root, "user")) in.msg.user_id = string_field(*u, "id");
    // A button pressed in a channel: the presser's own conversation there (DM ids start with D).
    if (!in.msg.conversation_id.empty() && in.msg.conversation_id[0] != 'D' && !in.msg.user_id.empty())
        in.msg.conversation_id = outbound::group_conversation(in.msg.conversation_id, in.msg.user_id);
    // The member an answer's buttons are for: "guichet_<n>_<i>_<user>" (render()).
    if (const auto action_id = string_field(a, "action_id"); action_id.rfind("guichet_", 0) == 0) {
        const auto n_end = action_id.find('_', 8);
        const auto owner_at = n_end == std::string::npos ? n_end : action_id.find('_', n_end + 1);
        if (owner_at != std::string::npos && action_id.substr(owner_at + 1) != in.msg.user_id)
            in.others_button = action_id.substr(owner_at + 1);
    }
    in.msg.payload = string_field(a, "value");
    if (auto* t = object_field(a, "text")) in.msg.title = string_field(*t, "text");  // the button's label
    in.key = "action:" + string_field(a, "action_ts") + ":" + string_field(a, "action_id") + ":" + in.msg.user_id;
    if (in.msg.conversation_id.empty() || in.msg.payload.empty()) return std::nullopt;
    return in;
}

std::vector<outgoing> render(const std::string& conversation, const turn_result& r, const std::string& thread_ts) {
    std::vector<outgoing> out;
    const auto channel_id = outbound::chat_of(conversation);
    // In a channel, the member answered: named in the buttons' action_id, so that another
    // member's press is not taken for theirs (parse_interaction).
    const auto slash = conversation.find('/');
    const std::string addressee = slash == std::string::npos ? "" : "_" + conversation.substr(slash + 1);
    int n = 0;
    for (auto& rep : r.replies) {
        std::string text = escape(rep.text);
        for (auto& c : rep.cards) {
            if (rep.text_gives(c)) continue;
            text += "\n\n*" + escape(c.title) + "*";
            if (!c.subtitle.empty()) text += " — " + escape(c.subtitle);
            if (!c.url.empty()) text += "\n<" + escape(c.url) + ">";
        }
        for (auto& p : rep.locations)
            text += "\n\n<" + outbound::map_link(p.lat, p.lon) + "|" + escape(p.title) + ">";
        // Over the limit chat.postMessage answers invalid_blocks: several messages, buttons on the last.
        auto parts = outbound::split_text(text.empty() ? "…" : text, section_text_max,
                                          outbound::length_unit::code_points);
        auto post = [&](const std::string& part, json::array blocks) {
            json::object body{{"channel", channel_id}, {"text", part}, {"blocks", std::move(blocks)}};
            if (!thread_ts.empty()) body["thread_ts"] = thread_ts;
            out.push_back({"slack", conversation, "chat.postMessage", json::serialize(body)});
        };
        auto section = [](const std::string& part) {
            return json::object{{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", part}}}};
        };
        for (std::size_t i = 0; i + 1 < parts.size(); ++i) post(parts[i], json::array{section(parts[i])});
        text = parts.back();
        json::array blocks{section(text)};
        if (!rep.buttons.empty()) {
            json::array elements;
            for (std::size_t i = 0; i < rep.buttons.size() && i < buttons_max; ++i) {
                auto& b = rep.buttons[i];
                std::string title = b.title.size() > button_text_max ? b.title.substr(0, button_text_max) : b.title;
                elements.push_back({{"type", "button"},
                                    {"text", {{"type", "plain_text"}, {"text", title}}},
                                    {"value", b.payload.empty() ? b.title : b.payload},
                                    {"action_id", "guichet_" + std::to_string(n) + "_" + std::to_string(i) +
                                                      addressee}});
            }
            blocks.push_back({{"type", "actions"}, {"elements", std::move(elements)}});
        }
        ++n;
        post(text, std::move(blocks));
    }
    return out;
}

void register_routes(http_server& server, router& r, outbox& box, const settings& s) {
    server.route(
        http::verb::post, "/webhooks/slack",
        [&r, &box, s](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
            auto ts = req.find("X-Slack-Request-Timestamp");
            auto sig = req.find("X-Slack-Signature");
            const auto from = ctx.client.to_string();
            if (ts == req.end() || sig == req.end()) {
                outbound::log_refused("slack", "missing",
                                      "no X-Slack-Signature or X-Slack-Request-Timestamp header (401 "
                                      "missing Slack signature): the caller is not Slack",
                                      from);
                co_return json_error(http::status::unauthorized, "missing Slack signature", req.version());
            }
            const auto now = outbound::unix_seconds();
            switch (check_signature(s, ts->value(), sig->value(), req.body(), now)) {
            case signature_check::ok:
                break;
            case signature_check::bad_timestamp:
                outbound::log_refused("slack", "bad_timestamp",
                                      "X-Slack-Request-Timestamp is not a number of seconds (401): "
                                      "the caller is not Slack",
                                      from);
                co_return json_error(http::status::unauthorized,
                                     "malformed X-Slack-Request-Timestamp", req.version());
            case signature_check::wrong_signature:
                outbound::log_refused("slack", "wrong_signature",
                                      "wrong X-Slack-Signature (401 wrong Slack signature): "
                                      "GUICHET_SLACK_SIGNING_SECRET is not the Signing Secret of the "
                                      "Slack app (Basic Information), or the caller is not Slack",
                                      from);
                co_return json_error(http::status::unauthorized, "wrong Slack signature", req.version());
            case signature_check::out_of_window: {
                // Signed right: the secret is right, the clocks differ.
                const std::string away =
                    "X-Slack-Request-Timestamp is " + std::to_string(now - std::stoll(std::string(ts->value()))) +
                    " s from this server's clock, more than " + std::to_string(s.window.count()) + " s";
                outbound::log_refused("slack", "out_of_window",
                                      "expired Slack signature (401): signed with the right secret, but " +
                                          away + ": set this server's clock (NTP), or a request was replayed",
                                      from);
                co_return json_error(http::status::unauthorized,
                                     "expired Slack signature: " + away + " (clock skew?)", req.version());
            }
            }
            std::optional<inbound> in;
            std::string_view ctype = req[http::field::content_type];
            if (ctype.rfind("application/x-www-form-urlencoded", 0) == 0) {
                auto params = boost::urls::parse_query(req.body());
                std::string payload;
                if (params)
                    for (auto p : *params)
                        if (p.key == "payload") {
                            boost::urls::encoding_opts form;
                            form.space_as_plus = true;  // form encoding writes spaces as '+'
                            payload = p.value.decode(form);
                        }
                json::error_code ec;
                auto v = json::parse(payload, ec);
                if (ec) co_return json_error(http::status::bad_request, "malformed payload", req.version());
                in = parse_interaction(v);
            } else {
                json::error_code ec;
                auto v = json::parse(req.body(), ec);
                if (ec || !v.is_object())
                    co_return json_error(http::status::bad_request, "malformed JSON", req.version());
                if (v.as_object().contains("type") && v.as_object().at("type") == "url_verification") {
                    auto* c = v.as_object().if_contains("challenge");
                    json::object out{{"challenge", c && c->is_string() ? c->get_string() : ""}};
                    co_return json_response(http::status::ok, json::serialize(out), req.version());
                }
                in = parse_event(v);
            }
            if (!in || (in->needs_bot_thread && !box.recall("slack", outbound::chat_of(in->msg.conversation_id),
                                                              thread_fact(in->thread_ts))) ||
                !box.first_delivery("slack", in->key) ||
                (!in->message_key.empty() && !box.first_delivery("slack", in->message_key)))
                co_return json_response(http::status::ok, "{}", req.version());
            // Another member's buttons: said to the presser alone (chat.postEphemeral); nothing
            // is answered in either conversation.
            if (!in->others_button.empty()) {
                json::object body{
                    {"channel", outbound::chat_of(in->msg.conversation_id)},
                    {"user", in->msg.user_id},
                    {"text", "Ces boutons répondent à <@" + in->others_button +
                                 ">. Pour votre question, mentionnez-moi. / These buttons answer <@" +
                                 in->others_button + ">. To ask your own question, mention me."}};
                box.enqueue({{"slack", in->msg.conversation_id, "chat.postEphemeral", json::serialize(body)}});
                co_return json_response(http::status::ok, "{}", req.version());
            }
            // Acknowledge now; the turn and chat.postMessage follow.
            auto ex = co_await asio::this_coro::executor;
            asio::co_spawn(
                ex,
                [&r, &box, m = std::move(in->msg), thread = in->thread_ts,
                 unreadable = in->unreadable]() mutable -> asio::awaitable<void> {
                    auto channel = m.conversation_id;
                    auto answer = [&](const turn_result& t) {
                        box.enqueue(render(channel, t, thread));
                        // The thread's next messages are answered without a mention.
                        if (!thread.empty()) box.remember("slack", outbound::chat_of(channel), thread_fact(thread), "1");
                    };
                    if (unreadable) {
                        answer(outbound::unreadable_reply(m.locale));
                        co_return;
                    }
                    // (Acknowledged already, Slack will not send it again: a turn refused is
                    // said, the citizen sends it again.)
                    auto locale = m.locale;
                    auto turn = co_await outbound::submit_turn(r, std::move(m));
                    answer(turn ? *turn : outbound::not_handled_reply(locale));
                },
                [](std::exception_ptr e) {
                    if (!e) return;
                    try {
                        std::rethrow_exception(e);
                    } catch (const std::exception& x) {
                        log::error("slack", std::string("event lost: ") + x.what());
                    }
                });
            co_return json_response(http::status::ok, "{}", req.version());
        });
}

outbox::sender_fn make_sender(outbound::https_client& client, const settings& s) {
    return [&client, s](const stored_outgoing& o) -> asio::awaitable<outbound::send_result> {
        outbound::request req;
        req.url = s.api_url + "/" + o.target;
        req.headers.emplace_back("Authorization", "Bearer " + s.bot_token);
        req.content_type = "application/json; charset=utf-8";
        req.body = o.body;
        auto res = co_await client.send(std::move(req));
        auto result = outbound::classify(res);
        if (result == outbound::outcome::delivered) {
            // Slack answers 200 with {"ok": false, "error": …} for refused calls.
            json::error_code ec;
            auto v = json::parse(res.body, ec);
            auto* ok = !ec && v.is_object() ? v.as_object().if_contains("ok") : nullptr;
            if (ok && ok->is_bool() && !ok->get_bool()) {
                auto* err = v.as_object().if_contains("error");
                std::string e = err && err->is_string() ? std::string(err->get_string()) : "";
                log::warn("slack", o.target + ": " + e, o.conversation);
                result = e == "ratelimited" || e == "internal_error" || e == "service_unavailable"
                             ? outbound::outcome::retry
                             : outbound::outcome::refused;
            }
        } else {
            log::warn("slack", o.target + ": " + (res.ec ? res.ec.message() : "HTTP " + std::to_string(res.status)) +
                                   (res.retry_after.empty() ? "" : ", Retry-After " + res.retry_after + " s"),
                      o.conversation);
        }
        // A rate-limited call (HTTP 429) says in Retry-After how many seconds to wait.
        co_return outbound::send_result(result, outbound::retry_after(res), outbound::describe(res));
    };
}

}  // namespace guichet::slack
