// Meta: webhook verification and signature, notification → messages, replies → Graph API
// send bodies (WhatsApp "messages" and Messenger "Send API").
#include "meta/meta.h"

#include <boost/json.hpp>
#include <charconv>
#include <utility>

#include "common/json_fields.h"
#include "engine/log.h"
#include "outbound/split_text.h"
#include "outbound/webhook.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::meta {
namespace {

constexpr std::size_t wa_buttons_max = 3;        // interactive "button": at most 3 replies
constexpr std::size_t wa_button_title_max = 20;  // characters
constexpr std::size_t wa_list_rows_max = 10;
constexpr std::size_t wa_row_title_max = 24;
constexpr std::size_t wa_row_description_max = 72;
constexpr std::size_t quick_replies_max = 13;    // Messenger
constexpr std::size_t quick_reply_title_max = 20;
constexpr std::size_t wa_text_max = 4096;         // text.body, characters
constexpr std::size_t wa_interactive_max = 1024;  // interactive body.text, characters
constexpr std::size_t messenger_text_max = 2000;  // message.text, characters
constexpr std::size_t wa_template_param_max = 900;  // the body's {{1}}: the template's own text must fit beside it in 1024
constexpr std::size_t cards_max = 10;             // elements of one Messenger generic template
constexpr std::size_t card_text_max = 80;         // its title and subtitle, characters
constexpr std::size_t card_button_title_max = 20;
constexpr auto characters = outbound::length_unit::code_points;
// The Messenger tag for a report's status: "a non-recurring update to their application or
// account" (Meta's message tags: ACCOUNT_UPDATE; POST_PURCHASE_UPDATE is for purchases and
// CONFIRMED_EVENT_UPDATE for events the person registered to).
constexpr const char* status_tag = "ACCOUNT_UPDATE";

std::optional<geo_point> point(const json::object* o, const char* lat, const char* lon) {
    if (!o) return std::nullopt;
    auto* a = o->if_contains(lat);
    auto* b = o->if_contains(lon);
    if (!a || !b || !a->is_number() || !b->is_number()) return std::nullopt;
    return geo_point{a->to_number<double>(), b->to_number<double>()};
}

// Cuts to n characters (UTF-8 code points), as the platforms count them.
std::string chars(const std::string& s, std::size_t n) {
    std::size_t count = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (count == n) break;
            ++count;
        }
    }
    return s.substr(0, i);
}

// A button's or a row's title in at most n characters: whole, else its words that fit and "…"
// ("Horaires de la…", not "Horaires de la mairi"); mid-word only for one word too long.
std::string short_title(const std::string& s, std::size_t n) {
    if (chars(s, n).size() == s.size()) return s;
    std::string head = chars(s, n - 1);
    if (s[head.size()] != ' ')
        if (auto space = head.find_last_of(' '); space != std::string::npos) head.resize(space);
    while (!head.empty() && std::string_view(" ,;:-'").find(head.back()) != std::string_view::npos) head.pop_back();
    return head + "…";
}

// WhatsApp message types a citizen sends that are not text (reactions and system messages are not).
bool wa_citizen_content(const std::string& type) {
    static const char* kinds[] = {"image", "audio", "voice", "video", "document", "sticker",
                                  "contacts", "order", "unknown", "unsupported"};
    for (auto* k : kinds)
        if (type == k) return true;
    return false;
}

std::string full_text(const reply& rep) {
    std::string text = rep.text;
    for (auto& c : rep.cards) {
        if (rep.text_gives(c)) continue;
        text += "\n\n" + c.title;
        if (!c.subtitle.empty()) text += " — " + c.subtitle;
        if (!c.url.empty()) text += "\n" + c.url;
    }
    return text;
}

// A pushed reply waits for the citizen's next message: said once in the log per conversation.
void hold(outbox& box, const std::string& channel, const std::string& conversation, std::vector<outgoing> replies,
          const std::string& why) {
    bool first = box.held(channel, conversation) == 0;
    box.hold(replies);
    if (first)
        log::warn(channel, "pushed reply held until the citizen writes again: " + why, conversation);
}

// Older replies of this conversation wait for the citizen's next message: a reply pushed now
// waits behind them, as it is (the citizen will just have written), so that it cannot overtake
// them — a report's status sent tagged now would arrive before the agent's words held earlier.
bool waits_behind_held(const outbox& box, const std::string& channel, const std::string& conversation) {
    return box.held(channel, conversation) > 0;
}

// When the citizen last wrote (Unix seconds, kept in the outbox's facts); nullopt when not
// known: a conversation older than this record, or silent for longer than the facts are kept.
std::optional<std::int64_t> last_inbound(const outbox& box, const std::string& channel, const std::string& conversation) {
    auto last = box.recall(channel, conversation, "last_inbound");
    if (!last) return std::nullopt;
    try {
        return std::stoll(*last);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

// The citizen wrote within the window. Not known counts as open: holding such a reply could
// keep it forever, while a free-form message sent too late is only refused (then failed with
// Meta's reason, and the window recorded as closed by close_window).
bool in_window(const outbox& box, const std::string& channel, const std::string& conversation, std::int64_t now) {
    auto last = last_inbound(box, channel, conversation);
    return !last || now - *last < std::chrono::duration_cast<std::chrono::seconds>(customer_window).count();
}

// Meta said the window is closed for a message sent at `sent` (Unix seconds): what is pushed
// next waits or goes as a template, unless the citizen has written since.
void close_window(outbox& box, const std::string& channel, const std::string& conversation, std::int64_t sent) {
    auto last = last_inbound(box, channel, conversation);
    if (!last || *last < sent) box.remember(channel, conversation, "last_inbound", "0");
}

// A Graph API error that says the 24-hour window is closed: WhatsApp 131047 "Re-engagement
// message", Messenger (#10) subcode 2018278 "outside of allowed window". Its message, else "".
std::string window_error(const std::string& body) {
    json::error_code ec;
    auto v = json::parse(body, ec);
    auto* root = !ec ? v.if_object() : nullptr;
    auto* err = root ? object_field(*root, "error") : nullptr;
    if (!err) return {};
    auto number = [&](const char* k) {
        auto* f = err->if_contains(k);
        return f && f->is_number() ? f->to_number<long long>() : 0;
    };
    auto code = number("code"), sub = number("error_subcode");
    if (code != 131047 && !(code == 10 && sub == 2018278)) return {};
    std::string why = "outside the 24-hour window (Graph error " + std::to_string(code) +
                      (sub ? "/" + std::to_string(sub) : "") + ": " + string_field(*err, "message");
    if (auto* data = object_field(*err, "error_data"); data && !string_field(*data, "details").empty())
        why += " — " + string_field(*data, "details");
    return why + ")";
}

}  // namespace

void phone_numbers::remember(const std::string& wa_id, const std::string& phone_number_id) {
    if (wa_id.empty() || phone_number_id.empty()) return;
    box_.remember("whatsapp", wa_id, "phone_number_id", phone_number_id);
}

std::string phone_numbers::for_citizen(const std::string& wa_id) const {
    if (auto own = box_.recall("whatsapp", wa_id, "phone_number_id")) return *own;
    if (!configured_.empty()) return configured_;
    return box_.recall_latest("whatsapp", "phone_number_id").value_or("");
}

std::vector<inbound> parse_notification(const json::value& v) {
    std::vector<inbound> out;
    auto* root = v.if_object();
    if (!root) return out;
    auto kind = string_field(*root, "object");
    auto* entries = array_field(*root, "entry");
    if (!entries) return out;
    for (auto& e : *entries) {
        if (!e.is_object()) continue;
        auto& entry = e.get_object();
        if (kind == "whatsapp_business_account") {
            auto* changes = array_field(entry, "changes");
            if (!changes) continue;
            for (auto& c : *changes) {
                auto* value = c.is_object() ? object_field(c.get_object(), "value") : nullptr;
                if (!value) continue;
                auto* meta = object_field(*value, "metadata");
                std::string phone = meta ? string_field(*meta, "phone_number_id") : "";
                auto* messages = array_field(*value, "messages");
                if (!messages) continue;
                for (auto& m : *messages) {
                    if (!m.is_object()) continue;
                    auto& mo = m.get_object();
                    inbound in;
                    in.key = string_field(mo, "id");
                    in.phone_number_id = phone;
                    in.msg.channel = "whatsapp";
                    in.msg.conversation_id = string_field(mo, "from");
                    in.msg.user_id = in.msg.conversation_id;
                    auto type = string_field(mo, "type");
                    if (auto* t = object_field(mo, "text")) in.msg.text = string_field(*t, "body");
                    for (auto* media : {"image", "document", "video"})  // a caption is the question
                        if (auto* o = object_field(mo, media); o && in.msg.text.empty())
                            in.msg.text = string_field(*o, "caption");
                    in.msg.location = point(object_field(mo, "location"), "latitude", "longitude");
                    // A pressed button or list row: its id is understood, its title (what the
                    // citizen saw) is what the conversation's history shows.
                    if (auto* i = object_field(mo, "interactive")) {
                        for (auto* kind : {"button_reply", "list_reply"})
                            if (auto* b = object_field(*i, kind)) {
                                in.msg.payload = string_field(*b, "id");
                                in.msg.title = string_field(*b, "title");
                            }
                    }
                    if (auto* b = object_field(mo, "button")) {  // a template's quick-reply button
                        in.msg.payload = string_field(*b, "payload");
                        in.msg.title = string_field(*b, "text");
                    }
                    if (in.key.empty() || in.msg.conversation_id.empty() || phone.empty()) continue;
                    if (in.msg.text.empty() && in.msg.payload.empty() && !in.msg.location) {
                        if (!wa_citizen_content(type)) continue;  // reactions, system messages
                        in.unreadable = true;
                    }
                    out.push_back(std::move(in));
                }
            }
        } else if (kind == "page") {
            auto* events = array_field(entry, "messaging");
            if (!events) continue;
            for (auto& ev : *events) {
                if (!ev.is_object()) continue;
                auto& eo = ev.get_object();
                auto* sender = object_field(eo, "sender");
                inbound in;
                in.msg.channel = "messenger";
                in.msg.conversation_id = sender ? string_field(*sender, "id") : "";
                in.msg.user_id = in.msg.conversation_id;
                if (auto* m = object_field(eo, "message")) {
                    if (auto* echo = m->if_contains("is_echo"); echo && echo->is_bool() && echo->get_bool())
                        continue;  // our own replies
                    in.key = string_field(*m, "mid");
                    in.msg.text = string_field(*m, "text");
                    if (auto* q = object_field(*m, "quick_reply")) in.msg.payload = string_field(*q, "payload");
                    in.unreadable = m->contains("attachments") || m->contains("sticker_id");
                    if (auto* atts = array_field(*m, "attachments"))
                        for (auto& a : *atts)
                            if (a.is_object() && string_field(a.get_object(), "type") == "location")
                                if (auto* p = object_field(a.get_object(), "payload"))
                                    in.msg.location = point(object_field(*p, "coordinates"), "lat", "long");
                } else if (auto* pb = object_field(eo, "postback")) {
                    in.key = string_field(*pb, "mid");
                    if (in.key.empty()) {
                        auto* ts = eo.if_contains("timestamp");
                        in.key = "postback:" + in.msg.conversation_id + ":" +
                                 (ts && ts->is_number() ? std::to_string(ts->to_number<long long>()) : "");
                    }
                    in.msg.payload = string_field(*pb, "payload");
                    in.msg.title = string_field(*pb, "title");
                    // The "Get Started" button of a first conversation: a greeting. Messenger
                    // does not tell the user's language: French, the site's first.
                    if (in.msg.payload == "GET_STARTED") {
                        in.msg.payload.clear();
                        in.msg.text = "bonjour";
                    }
                }
                if (in.key.empty() || in.msg.conversation_id.empty()) continue;
                // Images, voice notes, stickers, files: unreadable unless text came with them.
                if (!in.msg.text.empty() || !in.msg.payload.empty() || in.msg.location) in.unreadable = false;
                else if (!in.unreadable) continue;
                out.push_back(std::move(in));
            }
        }
    }
    return out;
}

std::vector<failed_status> parse_failed_statuses(const json::value& v) {
    std::vector<failed_status> out;
    auto* root = v.if_object();
    auto* entries = root && string_field(*root, "object") == "whatsapp_business_account" ? array_field(*root, "entry")
                                                                                          : nullptr;
    if (!entries) return out;
    for (auto& e : *entries) {
        auto* changes = e.is_object() ? array_field(e.get_object(), "changes") : nullptr;
        if (!changes) continue;
        for (auto& c : *changes) {
            auto* value = c.is_object() ? object_field(c.get_object(), "value") : nullptr;
            auto* statuses = value ? array_field(*value, "statuses") : nullptr;
            if (!statuses) continue;
            for (auto& st : *statuses) {
                if (!st.is_object() || string_field(st.get_object(), "status") != "failed") continue;
                auto& so = st.get_object();
                failed_status f{string_field(so, "recipient_id"), string_field(so, "id") + ":"};
                auto ts = string_field(so, "timestamp");
                std::from_chars(ts.data(), ts.data() + ts.size(), f.at);
                if (auto* errors = array_field(so, "errors"))
                    for (auto& er : *errors) {
                        if (!er.is_object()) continue;
                        auto& eo = er.get_object();
                        auto* code = eo.if_contains("code");
                        auto n = code && code->is_number() ? code->to_number<long long>() : 0;
                        f.window_closed = f.window_closed || n == 131047;
                        f.description += " " + std::to_string(n) + " " + string_field(eo, "title");
                        if (auto* d = object_field(eo, "error_data"); d && !string_field(*d, "details").empty())
                            f.description += " (" + string_field(*d, "details") + ")";
                    }
                out.push_back(std::move(f));
            }
        }
    }
    return out;
}

std::vector<outgoing> render_whatsapp(const std::string& phone_number_id, const std::string& to,
                                      const turn_result& r) {
    std::vector<outgoing> out;
    std::string target = "/" + phone_number_id + "/messages";
    auto add = [&](json::object body) {
        body["messaging_product"] = "whatsapp";
        body["recipient_type"] = "individual";
        body["to"] = to;
        out.push_back({"whatsapp", to, target, json::serialize(body)});
    };
    bool fr = r.locale != "en";
    for (auto& rep : r.replies) {
        auto parts = outbound::split_text(full_text(rep), wa_text_max, characters);
        if (parts.back().empty()) parts.back() = "…";
        if (!rep.buttons.empty() && outbound::text_length(parts.back(), characters) > wa_interactive_max) {
            // The buttons' message holds less: its text is the last part of the shorter cut.
            auto tail = outbound::split_text(parts.back(), wa_interactive_max, characters);
            parts.pop_back();
            parts.insert(parts.end(), tail.begin(), tail.end());
        }
        auto text = parts.back();
        for (std::size_t i = 0; i + 1 < parts.size(); ++i)
            add({{"type", "text"}, {"text", {{"body", parts[i]}, {"preview_url", true}}}});
        if (rep.buttons.empty()) {
            add({{"type", "text"}, {"text", {{"body", text}, {"preview_url", true}}}});
        } else if (rep.buttons.size() <= wa_buttons_max) {
            json::array buttons;
            for (auto& b : rep.buttons)
                buttons.push_back({{"type", "reply"},
                                   {"reply", {{"id", b.payload.empty() ? b.title : b.payload},
                                              {"title", short_title(b.title, wa_button_title_max)}}}});
            add({{"type", "interactive"},
                 {"interactive", {{"type", "button"}, {"body", {{"text", text}}},
                                  {"action", {{"buttons", std::move(buttons)}}}}}});
        } else {
            json::array rows;
            for (std::size_t i = 0; i < rep.buttons.size() && i < wa_list_rows_max; ++i) {
                auto& b = rep.buttons[i];
                json::object row{{"id", b.payload.empty() ? b.title : b.payload},
                                 {"title", short_title(b.title, wa_row_title_max)}};
                // A title cut short is given whole under it.
                if (row["title"].as_string() != b.title) row["description"] = chars(b.title, wa_row_description_max);
                rows.push_back(std::move(row));
            }
            json::object section{{"title", fr ? "Choix" : "Options"}, {"rows", std::move(rows)}};
            add({{"type", "interactive"},
                 {"interactive", {{"type", "list"}, {"body", {{"text", text}}},
                                  {"action", {{"button", fr ? "Choisir" : "Choose"},
                                              {"sections", json::array{std::move(section)}}}}}}});
        }
        for (auto& p : rep.locations)
            add({{"type", "location"},
                 {"location", {{"latitude", p.lat}, {"longitude", p.lon}, {"name", p.title}}}});
    }
    return out;
}

std::vector<outgoing> render_messenger(const std::string& psid, const turn_result& r, const std::string& tag) {
    std::vector<outgoing> out;
    auto add = [&](json::object message) {
        json::object body{{"recipient", {{"id", psid}}}, {"messaging_type", tag.empty() ? "RESPONSE" : "MESSAGE_TAG"},
                          {"message", std::move(message)}};
        if (!tag.empty()) body["tag"] = tag;
        out.push_back({"messenger", psid, "/me/messages", json::serialize(body)});
    };
    bool fr = r.locale != "en";
    for (auto& rep : r.replies) {
        // Cards and places as generic-template cards, a place once (its pin becomes the card's
        // map button); the text says the answer, without the cards' and pins' text copies.
        json::array elements;
        // A card's buttons: its page and its place's map (an OpenStreetMap page is the map).
        auto element = [&](const std::string& title, const std::string& subtitle, std::string page, std::string map) {
            if (page.find("openstreetmap.org") != std::string::npos) map = std::exchange(page, {});
            json::object e{{"title", chars(title.empty() ? "…" : title, card_text_max)}};
            if (!subtitle.empty()) e["subtitle"] = chars(subtitle, card_text_max);
            json::array buttons;
            auto button = [&](const std::string& url, const char* fr_title, const char* en_title) {
                if (!url.empty())
                    buttons.push_back(json::object{{"type", "web_url"},
                                                   {"url", url},
                                                   {"title", short_title(fr ? fr_title : en_title, card_button_title_max)}});
            };
            button(page, "Ouvrir la page", "Open the page");
            button(map, "Voir sur la carte", "See on the map");
            if (!buttons.empty()) e["buttons"] = std::move(buttons);
            elements.push_back(std::move(e));
        };
        std::vector<bool> pinned(rep.locations.size(), false);
        for (auto& c : rep.cards) {
            std::string map;  // the card's place, when a pin of this reply has its title
            for (std::size_t i = 0; i < rep.locations.size(); ++i)
                if (!pinned[i] && rep.locations[i].title == c.title) {
                    pinned[i] = true;
                    map = outbound::map_link(rep.locations[i].lat, rep.locations[i].lon);
                    break;
                }
            element(c.title, c.subtitle, c.url, map);
        }
        for (std::size_t i = 0; i < rep.locations.size(); ++i)
            if (!pinned[i]) {
                auto& p = rep.locations[i];
                element(p.title, "", "", outbound::map_link(p.lat, p.lon));
            }
        std::vector<json::object> messages;
        if (!rep.text.empty() || elements.empty())
            for (auto& part : outbound::split_text(rep.text.empty() ? "…" : rep.text, messenger_text_max, characters))
                messages.push_back({{"text", part}});
        for (std::size_t i = 0; i < elements.size(); i += cards_max) {
            json::array some(elements.begin() + i, elements.begin() + std::min(elements.size(), i + cards_max));
            messages.push_back({{"attachment",
                                 {{"type", "template"},
                                  {"payload", {{"template_type", "generic"}, {"elements", std::move(some)}}}}}});
        }
        if (!rep.buttons.empty()) {
            json::array q;
            for (std::size_t i = 0; i < rep.buttons.size() && i < quick_replies_max; ++i) {
                auto& b = rep.buttons[i];
                q.push_back({{"content_type", "text"},
                             {"title", short_title(b.title, quick_reply_title_max)},
                             {"payload", b.payload.empty() ? b.title : b.payload}});
            }
            messages.back()["quick_replies"] = std::move(q);
        }
        for (auto& m : messages) add(std::move(m));
    }
    return out;
}

std::vector<outgoing> render_whatsapp_template(const std::string& phone_number_id, const std::string& to,
                                               const turn_result& r, const settings& s) {
    std::vector<outgoing> out;
    for (auto& rep : r.replies) {
        auto text = full_text(rep);
        for (auto& p : rep.locations) text += "\n" + p.title + " " + outbound::map_link(p.lat, p.lon);
        // A template parameter holds no line break, tab or run of more than 4 spaces.
        std::string line;
        for (char ch : text) {
            bool blank = ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ';
            if (!blank) line += ch;
            else if (!line.empty() && line.back() != ' ') line += ' ';
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        if (line.empty()) continue;
        for (auto& part : outbound::split_text(line, wa_template_param_max, characters)) {
            json::object body{{"messaging_product", "whatsapp"},
                              {"recipient_type", "individual"},
                              {"to", to},
                              {"type", "template"},
                              {"template",
                               {{"name", s.whatsapp_template},
                                {"language", {{"code", s.whatsapp_template_language}}},
                                {"components", json::array{{{"type", "body"},
                                                            {"parameters", json::array{{{"type", "text"},
                                                                                        {"text", part}}}}}}}}}};
            out.push_back({"whatsapp", to, "/" + phone_number_id + "/messages", json::serialize(body)});
        }
    }
    return out;
}

void push_whatsapp(outbox& box, const settings& s, const phone_numbers& numbers, const std::string& wa_id,
                   const turn_result& r, std::int64_t now) {
    auto id = numbers.for_citizen(wa_id);
    if (id.empty()) {
        log::error("whatsapp",
                   "pushed reply not sent: no WhatsApp number known to send from; set "
                   "GUICHET_META_PHONE_NUMBER_ID (the phone number id of the WhatsApp Business account)",
                   wa_id);
        return;
    }
    if (waits_behind_held(box, "whatsapp", wa_id)) return box.hold(render_whatsapp(id, wa_id, r));
    if (in_window(box, "whatsapp", wa_id, now)) return box.enqueue(render_whatsapp(id, wa_id, r));
    if (!s.whatsapp_template.empty()) return box.enqueue(render_whatsapp_template(id, wa_id, r, s));
    hold(box, "whatsapp", wa_id, render_whatsapp(id, wa_id, r),
         "more than 24 hours since their last message and no template configured (GUICHET_META_WHATSAPP_TEMPLATE)");
}

void push_messenger(outbox& box, const std::string& psid, const turn_result& r, std::int64_t now) {
    if (waits_behind_held(box, "messenger", psid)) return box.hold(render_messenger(psid, r));
    if (in_window(box, "messenger", psid, now)) return box.enqueue(render_messenger(psid, r));
    if (r.intent == "report.status") return box.enqueue(render_messenger(psid, r, status_tag));
    hold(box, "messenger", psid, render_messenger(psid, r),
         "more than 24 hours since their last message (only a report's status may be sent then, tagged " +
             std::string(status_tag) + ")");
}

void register_routes(http_server& server, router& r, outbox& box, const settings& s, phone_numbers& numbers) {
    server.route(http::verb::get, "/webhooks/meta",
                 [s](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     auto get = [&](const char* k) {
                         auto it = ctx.query.find(k);
                         return it == ctx.query.end() ? std::string() : it->second;
                     };
                     if (get("hub.mode") != "subscribe" ||
                         !outbound::secret_equal(get("hub.verify_token"), s.verify_token)) {
                         outbound::log_refused("meta", "verification",
                                               "webhook verification with another hub.verify_token than "
                                               "GUICHET_META_VERIFY_TOKEN, or no hub.mode=subscribe (403 "
                                               "verification refused): in the Meta app's Webhooks, set Verify "
                                               "token to the value of GUICHET_META_VERIFY_TOKEN "
                                               "(connectors/MESSAGING.md)",
                                               ctx.client.to_string());
                         co_return json_error(http::status::forbidden, "verification refused", req.version());
                     }
                     http_response res{http::status::ok, req.version()};
                     res.set(http::field::content_type, "text/plain");
                     res.body() = get("hub.challenge");
                     res.prepare_payload();
                     co_return res;
                 });
    server.route(
        http::verb::post, "/webhooks/meta",
        [&r, &box, s, &numbers](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
            auto header = req.find("X-Hub-Signature-256");
            if (header == req.end()) {
                outbound::log_refused("meta", "missing",
                                      "no X-Hub-Signature-256 header (401 missing X-Hub-Signature-256): "
                                      "Meta signs every notification, so the caller is not Meta",
                                      ctx.client.to_string());
                co_return json_error(http::status::unauthorized, "missing X-Hub-Signature-256", req.version());
            }
            std::string expected = "sha256=" + outbound::hmac_sha256_hex(s.app_secret, req.body());
            if (!outbound::secret_equal(header->value(), expected)) {
                outbound::log_refused("meta", "wrong_signature",
                                      "wrong X-Hub-Signature-256 (403 wrong signature): "
                                      "GUICHET_META_APP_SECRET is not the app secret of the Meta app whose "
                                      "webhook calls this server; copy it again from App settings → Basic → "
                                      "App secret (connectors/MESSAGING.md)",
                                      ctx.client.to_string());
                co_return json_error(http::status::forbidden, "wrong signature", req.version());
            }
            json::error_code ec;
            auto v = json::parse(req.body(), ec);
            if (ec || !v.is_object())
                co_return json_error(http::status::bad_request, "malformed JSON notification", req.version());
            for (auto& f : parse_failed_statuses(v)) {
                log::warn("whatsapp", "message not delivered: " + f.description, f.recipient);
                // The window was closed when it failed: what is pushed next is not lost too (unless
                // the citizen has written since).
                if (f.window_closed && !f.recipient.empty())
                    close_window(box, "whatsapp", f.recipient, f.at ? f.at : outbound::unix_seconds());
            }
            bool retry = false;  // a message not handled: Meta redelivers the batch, the rest is deduplicated
            for (auto& in : parse_notification(v)) {
                if (in.msg.channel == "whatsapp") numbers.remember(in.msg.conversation_id, in.phone_number_id);
                if (!box.first_delivery(in.msg.channel, in.key)) continue;
                // The 24-hour window opens again: what waited for this citizen leaves first.
                box.remember(in.msg.channel, in.msg.conversation_id, "last_inbound",
                             std::to_string(outbound::unix_seconds()));
                if (auto n = box.release(in.msg.channel, in.msg.conversation_id))
                    log::info(in.msg.channel, std::to_string(n) + " held repl" + (n == 1 ? "y" : "ies") +
                                                  " sent now that the citizen wrote again",
                              in.msg.conversation_id);
                auto who = in.msg.conversation_id;
                auto channel = in.msg.channel;
                if (in.unreadable) {
                    auto answer = outbound::unreadable_reply(in.msg.locale);
                    box.enqueue(channel == "whatsapp" ? render_whatsapp(in.phone_number_id, who, answer)
                                                      : render_messenger(who, answer));
                    continue;
                }
                auto turn = co_await outbound::submit_turn(r, std::move(in.msg));
                if (!turn) {
                    box.forget_delivery(channel, in.key);
                    retry = true;
                    continue;
                }
                box.enqueue(channel == "whatsapp" ? render_whatsapp(in.phone_number_id, who, *turn)
                                                  : render_messenger(who, *turn));
            }
            if (retry) co_return json_error(http::status::service_unavailable, "busy, retry later", req.version());
            co_return json_response(http::status::ok, "{}", req.version());
        });
}

outbox::sender_fn make_sender(outbound::https_client& client, const settings& s, outbox& box) {
    return [&client, s, &box](const stored_outgoing& o) -> asio::awaitable<outbound::send_result> {
        auto sent = outbound::unix_seconds();
        outbound::request req;
        req.url = s.api_url + o.target;
        req.headers.emplace_back("Authorization", "Bearer " + s.access_token);
        req.body = o.body;
        auto res = co_await client.send(std::move(req));
        auto result = outbound::classify(res);
        if (result == outbound::outcome::delivered) co_return result;
        // Outside the window, however Meta answers (4xx or 5xx), a retry is refused again.
        if (auto why = window_error(res.body); !why.empty()) {
            close_window(box, o.channel, o.conversation, sent);
            co_return outbound::send_result(outbound::outcome::refused, {}, why);
        }
        log::warn(o.channel, o.target + ": " + outbound::describe(res), o.conversation);
        co_return outbound::send_result(result, outbound::retry_after(res), outbound::describe(res));
    };
}

}  // namespace guichet::meta
