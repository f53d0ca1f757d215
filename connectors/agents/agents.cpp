// The agents' inbox API and page; register_desk() also mounts Open311 and starts the purge.
#include "agents/agents.h"

#include <openssl/crypto.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <ctime>
#include <functional>
#include <map>
#include <mutex>

#include "admin/console.h"
#include "admin/sessions.h"
#include "agents/agents_page.h"
#include "app/app.h"
#include "common/utf8.h"
#include "dialogue/durable.h"
#include "engine/log.h"
#include "open311/open311.h"
#include "store/configured.h"
#include "store/pii.h"
#include "web/web_api.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::agents {
namespace {

using clock = std::chrono::steady_clock;

std::int64_t now_seconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

struct inbox {
    inbox(app& app_, options opts)
        : a(app_), o(std::move(opts)),
          throttle(static_cast<std::size_t>(app_.config.get_int("admin.login_failures_per_minute"))) {}
    app& a;
    options o;
    // Wrong shared passwords from one address, as the console counts wrong sign-ins (they
    // could be tried without end, and nothing was logged).
    admin::login_throttle throttle;
    std::mutex mutex;
    struct signed_in {
        std::string agent;
        clock::time_point expires, seen;
    };
    std::map<std::string, signed_in> sessions;  // token → agent

    // The agent's name when the request carries a live session cookie, else "".
    std::string agent_of(const http_request& req) {
        std::string cookies(req[http::field::cookie]);
        auto p = cookies.find("guichet_agent=");
        if (p == std::string::npos) return {};
        auto token = cookies.substr(p + 14, 64);
        std::lock_guard lock(mutex);
        auto it = sessions.find(token);
        if (it == sessions.end() || it->second.expires < clock::now()) return {};
        it->second.seen = clock::now();
        return it->second.agent;
    }

    std::string open_session(const std::string& name) {
        auto token = admin::random_token();
        std::lock_guard lock(mutex);
        for (auto it = sessions.begin(); it != sessions.end();)  // drop expired ones
            it = it->second.expires < clock::now() ? sessions.erase(it) : std::next(it);
        sessions[token] = {name.empty() ? "agent" : name, clock::now() + o.session_lifetime,
                           clock::now()};
        return token;
    }

    // Sessions alive and seen within `o.present_idle` (the page asks every two seconds while
    // open): the agents here to answer.
    std::size_t present() {
        std::lock_guard lock(mutex);
        auto now = clock::now();
        return static_cast<std::size_t>(std::count_if(sessions.begin(), sessions.end(), [&](auto& s) {
            return s.second.expires >= now && now - s.second.seen <= o.present_idle;
        }));
    }
};

json::object handoff_json(const store::handoff_record& h) {
    return {{"ticket", h.ticket},     {"kind", h.kind},        {"state", h.state},
            {"contact", h.contact},   {"note", h.note},        {"agent", h.agent},
            {"channel", h.who.channel}, {"conversation_id", h.who.conversation_id},
            {"locale", h.locale},     {"created", iso_utc(h.created)},
            {"updated", iso_utc(h.updated)},
            // Who ended it: "agent" (closed_by names them), "citizen" ("annuler"), or "assistant"
            // (no agent took it in time, the desk closed).
            {"closed_by", h.closed_by == store::closed_by_citizen ? "" : h.closed_by},
            {"ended_by", h.state != "closed"                       ? ""
                         : h.closed_by == store::closed_by_citizen ? "citizen"
                         : h.closed_by.empty()                     ? "assistant"
                                                                   : "agent"}};
}

// Tells the citizen, on their channel, as a reply that did not answer a message.
// `buttons`: quick replies under the text (the bot's offer of a call-back); `author`: the name
// an agent shows citizens.
void tell(app& a, const store::citizen& who, const std::string& locale, const std::string& text,
          const std::string& direction, std::vector<button> buttons = {}, std::string author = {}) {
    turn_result tr;
    tr.conversation_id = who.conversation_id;
    tr.locale = locale;
    tr.author = std::move(author);
    // An agent's own words, or the bot saying it is back ("handoff.released").
    tr.intent = direction == "agent" ? "handoff.agent" : "handoff.released";
    tr.replies.push_back({text, std::move(buttons), {}, {}});
    // An agent's words as written: a number or an address given to the citizen is for them.
    a.store->log_message({0, who, direction, direction == "agent" ? text : store::mask_pii(text),
                          now_seconds(), tr.author});
    a.push.push(who.channel, who.conversation_id, tr);
}

using handler_result = asio::awaitable<http_response>;

constexpr std::size_t closed_listed = 200;  // ended requests listed at most (the latest)

// Runs `fn` every `interval` (and at once when `now`) on the app's io_context, until `timer`
// is cancelled or gone; a failure is logged (`area`, `failed` before the reason), and the next
// run comes.
void every(app& a, const std::shared_ptr<asio::steady_timer>& timer, std::chrono::seconds interval,
           bool now, const char* area, const char* failed, std::function<void()> fn) {
    asio::co_spawn(
        a.io,
        [interval, now, area, failed, fn = std::move(fn),
         weak = std::weak_ptr<asio::steady_timer>(timer)]() -> asio::awaitable<void> {
            for (bool run = now;; run = true) {
                try {
                    if (run) fn();
                } catch (const std::exception& e) {
                    log::error(area, failed + std::string(e.what()));
                }
                auto t = weak.lock();
                if (!t) co_return;
                t->expires_after(interval);
                boost::system::error_code ec;
                co_await t->async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;
            }
        },
        asio::detached);
}

// Nothing a citizen would see: spaces, line breaks, and the invisible or non-breaking spaces
// (U+00A0, U+200B–U+200D, U+2060, U+202F, U+FEFF). A reply of them was an empty bubble.
bool blank(std::string_view s) {
    static constexpr std::string_view invisible[] = {"\u00a0", "\u200b", "\u200c", "\u200d",
                                                     "\u2060", "\u202f", "\ufeff"};
    for (std::size_t i = 0; i < s.size();) {
        if (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t') {
            ++i;
            continue;
        }
        auto it = std::find_if(std::begin(invisible), std::end(invisible),
                               [&](std::string_view w) { return s.substr(i).starts_with(w); });
        if (it == std::end(invisible)) return false;
        i += it->size();
    }
    return true;
}

// At most `n` characters of s, never cutting one in two; "…" when cut.
std::string first_chars(const std::string& s, std::size_t n) {
    std::size_t count = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && count++ == n) return s.substr(0, i) + "…";
    return s;
}

}  // namespace

options options_from(const app& a) {
    options o;
    auto s = a.config.section("agents");
    if (s.count("password")) o.password = s["password"];
    o.present_idle = std::chrono::seconds(a.config.get_int("admin.session_idle_s"));
    return o;
}

std::size_t requeue_of(app& a, const std::string& agent) {
    std::size_t n = 0;
    for (auto& h : a.store->list_handoffs("active"))
        if (h.agent == agent && a.store->set_handoff_state(h.ticket, "waiting", "", now_seconds())) {
            ++n;
            // The citizen is told, or they wait for an answer from someone who left.
            tell(a, h.who, h.locale,
                 h.locale == "en"
                     ? "The member of staff who was answering you had to leave: your request is "
                       "waiting again, and another member of staff will answer you here. To go "
                       "back to the assistant, type \"cancel\"."
                     : "L'agent qui vous répondait a dû s'absenter : votre demande est de nouveau "
                       "en attente, un autre agent va vous répondre ici. Pour revenir à "
                       "l'assistant, écrivez « annuler ».",
                 "out");
        }
    if (n)
        log::info("agents", std::to_string(n) + " conversation(s) of '" + agent +
                                "' back in the queue (signed out)");
    return n;
}

bool desk_open(app& a, std::int64_t now) {
    auto site = a.engine->current_site();
    // The site's, as the plugins get it: one setting decides both.
    std::string place = site->options().desk_place, hours, error;
    site->kb_query("SELECT opening_hours FROM places WHERE id = ?1", {place},
                   [](void* user, int n, const char* const* values, const char*const*) {
                       if (n > 0 && values[0]) *static_cast<std::string*>(user) = values[0];
                       return 1;
                   },
                   &hours, error);
    if (hours.empty()) return false;  // as the plugin: no hours known, nobody promised
    bool open = false;
    if (!site->hours_intervals(hours, now, now + 1,
                               [](void* user, std::int64_t, std::int64_t, int unknown, const char*) {
                                   if (!unknown) *static_cast<bool*>(user) = true;
                                   return 0;
                               },
                               &open, error))
        log::warn("agents", "the desk's hours (" + place + "): " + error);
    return open;
}

// The desk's name and phone ("Mairie", "02 38 45 10 00"), as the handoff plugin says them
// (call_the_desk()); empty strings when the knowledge base has none.
struct desk_phone {
    std::string name_fr, name_en, phone;
};
desk_phone desk_phone_of(app& a) {
    auto site = a.engine->current_site();
    desk_phone d;
    std::string error;
    site->kb_query("SELECT name_fr, name_en, phone FROM places WHERE id = ?1",
                   {site->options().desk_place},
                   [](void* user, int n, const char* const* values, const char* const*) {
                       auto& d = *static_cast<desk_phone*>(user);
                       if (n >= 3) {
                           if (values[0]) d.name_fr = values[0];
                           if (values[1]) d.name_en = values[1];
                           if (values[2]) d.phone = values[2];
                       }
                       return 1;
                   },
                   &d, error);
    return d;
}

std::size_t release_unattended(app& a, std::int64_t now) {
    std::vector<store::handoff_record> queued;
    for (auto& h : a.store->list_handoffs())
        if (h.kind == "queue") queued.push_back(std::move(h));
    if (queued.empty()) return 0;
    const bool nobody = a.presence.count() == 0;
    const bool open = desk_open(a, now);
    if (!nobody && open) return 0;
    // Open, but nobody signed in: the desk answers the phone ("call the town hall (Mairie,
    // 02 38 45 10 00)"), as the handoff plugin says when nobody is signed in.
    const desk_phone desk = open ? desk_phone_of(a) : desk_phone{};
    std::size_t n = 0;
    for (auto& h : queued) {
        // A closing desk does not cut a conversation an agent is holding: they finish it.
        if (!nobody && h.state != "waiting") continue;
        if (!a.store->set_handoff_state(h.ticket, "closed", "", now)) continue;
        ++n;
        const bool en = h.locale == "en";
        std::string text =
            nobody ? (en ? "No member of staff is signed in to answer you here any more"
                         : "Plus aucun agent n'est connecté pour vous répondre ici")
                   : (en ? "The front desk has just closed, and no member of staff could take your "
                           "request."
                         : "L'accueil vient de fermer, et aucun agent n'a pu prendre votre demande.");
        if (nobody && !desk.phone.empty()) {
            const std::string& name = en ? desk.name_en : desk.name_fr;
            text += std::string(en ? "; otherwise, call the town hall (" : " ; sinon, appelez la mairie (") +
                    (name.empty() ? "" : name + ", ") + desk.phone + ")";
        }
        if (nobody) text += ".";
        text += en ? " Would you like a call back, or an answer by e-mail?"
                   : " Voulez-vous être rappelé, ou recevoir une réponse par e-mail ?";
        // The handoff plugin's own buttons: pressed, it asks for the number or the address;
        // its own offer's memory: a number or an address typed back files the request.
        tell(a, h.who, h.locale, text, "out",
             {{en ? "Call me back" : "Être rappelé", "@handoff.request callback"},
              {en ? "Answer by e-mail" : "Réponse par e-mail", "@handoff.request email"}});
        message conversation;
        conversation.channel = h.who.channel;
        conversation.conversation_id = h.who.conversation_id;
        a.engine->remember_at_next_turn(
            conversation.conversation_key(),
            {{"form.handoff.offered", "1"}, {"dialogue.expect", "handoff.request"}}, now);
    }
    if (n)
        log::info("agents", std::to_string(n) + " waiting citizen(s) offered a call-back (" +
                                (nobody ? "no agent signed in" : "the desk closed") + ")");
    return n;
}

void register_inbox_api(http_server& server, app& a, const std::string& prefix, access_check access,
                        std::size_t reply_max, std::function<std::string(const std::string&)> shown_as) {
    auto guarded = [access](auto fn) {
        return [access, fn](http_request& req, const request_context& ctx) -> handler_result {
            std::string agent;
            if (auto no = access(req, ctx, agent)) co_return *no;
            co_return fn(req, ctx, agent);
        };
    };
    app* ap = &a;

    server.route(http::verb::get, prefix + "queue",
                 guarded([ap, prefix, reply_max](http_request&, const request_context& ctx, const std::string&) {
                     json::array list;
                     // ?state=closed: the requests ended, the latest first (who, when), to find
                     // one again.
                     if (auto st = ctx.query.find("state"); st != ctx.query.end() && st->second == "closed") {
                         for (auto& h : ap->store->list_handoffs("closed")) {
                             if (list.size() == closed_listed) break;
                             list.push_back(handoff_json(h));
                         }
                         return json_response(http::status::ok,
                                              json::serialize(json::object{{"handoffs", list}}));
                     }
                     for (auto& h : ap->store->list_handoffs()) {
                         auto o = handoff_json(h);
                         // What the citizen said since asking: how many messages (the console
                         // marks a conversation with new ones) and the first words of the last.
                         // And how many since an agent's last reply: unread for a console
                         // that opens on them (a new tab, a new sign-in) until one is shown.
                         std::int64_t said = 0, unanswered = 0;
                         std::string last;
                         for (auto& m : ap->store->transcript(h.who.channel, h.who.conversation_id, 200)) {
                             if (m.at < h.created) continue;
                             if (m.direction == "agent") unanswered = 0;
                             if (m.direction != "in") continue;
                             ++said;
                             ++unanswered;
                             last = m.text;
                         }
                         o["citizen_messages"] = said;
                         o["citizen_unanswered"] = unanswered;
                         o["last_citizen_text"] = first_chars(last, 80);
                         list.push_back(std::move(o));
                     }
                     return json_response(http::status::ok,
                                          json::serialize(json::object{{"handoffs", list},
                                                                       {"reply_max", reply_max}}));
                 }));

    server.route(http::verb::get, prefix + "handoffs/*",
                 guarded([ap, prefix](http_request&, const request_context& ctx, const std::string&) {
                     auto ticket = ctx.path.substr((prefix + "handoffs/").size());
                     auto h = ap->store->get_handoff(ticket);
                     if (!h) return json_error(http::status::not_found, "no handoff '" + ticket + "'");
                     json::array t;
                     for (auto& m : ap->store->transcript(h->who.channel, h->who.conversation_id)) {
                         json::object o{{"direction", m.direction}, {"text", m.text}, {"at", iso_utc(m.at)}};
                         // Which colleague wrote it, by the name the citizen read: "Agent (Marie)".
                         if (!m.author.empty()) o["agent"] = m.author;
                         t.push_back(std::move(o));
                     }
                     // Replies the citizen's messaging app refused for good since the request
                     // (blocked bot, closed window…): they never arrived, the console says so.
                     json::array undelivered;
                     if (ap->undelivered)
                         for (auto& u : ap->undelivered(h->who.channel, h->who.conversation_id, h->created))
                             undelivered.push_back(json::object{{"at", iso_utc(u.at)}, {"reason", u.reason}});
                     return json_response(http::status::ok,
                                          json::serialize(json::object{{"handoff", handoff_json(*h)},
                                                                       {"transcript", t},
                                                                       {"undelivered", undelivered}}));
                 }));

    server.route(http::verb::post, prefix + "handoffs/*",
                 guarded([ap, prefix, reply_max, shown_as](http_request& req, const request_context& ctx, const std::string& agent) {
                     auto rest = ctx.path.substr((prefix + "handoffs/").size());
                     auto slash = rest.find('/');
                     if (slash == std::string::npos)
                         return json_error(http::status::not_found, "use …/reply, …/release or …/done");
                     auto ticket = rest.substr(0, slash), action = rest.substr(slash + 1);
                     auto h = ap->store->get_handoff(ticket);
                     if (!h) return json_error(http::status::not_found, "no handoff '" + ticket + "'");
                     auto b = json_object_body(req);
                     if (!b) return json_error(http::status::bad_request, "expected a JSON object");
                     bool fr = h->locale != "en";
                     // One agent at a time: another's conversation is answered, ended or handed
                     // back only on purpose ({"take_over": true}), not by two clicks crossing.
                     const bool take_over = b->contains("take_over") && b->at("take_over").is_bool() &&
                                            b->at("take_over").as_bool();
                     const bool someone_elses =
                         h->state == "active" && !h->agent.empty() && h->agent != agent;
                     if (action == "reply") {
                         auto text = string_field(*b, "text");
                         if (blank(text) || code_points(text) > reply_max)
                             return json_error(http::status::bad_request,
                                               "text must be 1 to " + std::to_string(reply_max) +
                                                   " characters, not only spaces");
                         if (h->state == "closed")
                             return json_error(http::status::conflict, "this conversation is closed");
                         if (someone_elses && !take_over)
                             return json_error(http::status::conflict,
                                               h->agent +
                                                   " is answering this conversation "
                                                   "(send \"take_over\": true to take it over)");
                         // Taken now (or taken over): from now on "depuis" counts from here; the
                         // agent's next replies leave it (it restarted at each reply).
                         if (h->state != "active" || h->agent != agent)
                             ap->store->set_handoff_state(ticket, "active", agent, now_seconds());
                         tell(*ap, h->who, h->locale, text, "agent", {},
                              shown_as ? shown_as(agent) : std::string());
                     } else if (action == "release" || action == "done") {
                         if (h->state == "closed")  // the citizen is not told twice
                             return json_error(http::status::conflict,
                                               "this conversation is closed already");
                         if (someone_elses && !take_over)
                             return json_error(http::status::conflict,
                                               h->agent +
                                                   " is answering this conversation "
                                                   "(send \"take_over\": true to end it)");
                         // Closed by this agent, at this time: found again in ?state=closed.
                         ap->store->set_handoff_state(ticket, "closed", agent, now_seconds());
                         // A call-back or an e-mail answered is done; a live conversation is
                         // ended or handed back, and its citizen told.
                         if (h->kind == "queue")
                             tell(*ap, h->who, h->locale,
                                  action == "done"
                                      ? (fr ? "L'agent a terminé la conversation avec vous. Je suis "
                                              "de nouveau là pour vous répondre."
                                            : "The member of staff has ended the conversation with "
                                              "you. I am here to help again.")
                                      : (fr ? "L'agent vous a rendu la main : je suis de nouveau là "
                                              "pour vous répondre."
                                            : "The agent has handed you back to me: I am here to "
                                              "help again."),
                                  "out");
                     } else {
                         return json_error(http::status::not_found, "use …/reply, …/release or …/done");
                     }
                     return json_response(http::status::ok, R"({"ok":true})");
                 }));

    server.route(http::verb::get, prefix + "reports",
                 guarded([ap, prefix](http_request&, const request_context& ctx, const std::string&) {
                     json::array list;
                     store::report_filter f;
                     f.limit = 200;
                     if (auto st = ctx.query.find("status"); st != ctx.query.end()) f.status = st->second;
                     // The category's name, as the citizen saw it ("Éclairage public"), not its
                     // code ("eclairage"), in both languages for the console's.
                     const auto cats = open311::services(*ap);
                     for (auto& r : ap->store->list_reports(f)) {
                         json::object o;
                         for (auto& [k, v] : georeport_fields(r)) o[k] = v;
                         for (auto& c : cats)
                             if (c.code == r.service_code) {
                                 o["service_name"] = c.name_fr;
                                 o["service_name_en"] = c.name_en;
                             }
                         list.push_back(o);
                     }
                     return json_response(http::status::ok,
                                          json::serialize(json::object{{"reports", list}}));
                 }));

    server.route(http::verb::post, prefix + "reports/*",
                 guarded([ap, prefix](http_request& req, const request_context& ctx, const std::string&) {
                     auto rest = ctx.path.substr((prefix + "reports/").size());
                     if (rest.size() < 8 || rest.substr(rest.size() - 7) != "/status")
                         return json_error(http::status::not_found, "use " + prefix + "reports/{ticket}/status");
                     auto ticket = rest.substr(0, rest.size() - 7);
                     auto b = json_object_body(req);
                     if (!b) return json_error(http::status::bad_request, "expected a JSON object");
                     auto status = string_field(*b, "status");
                     if (status != "open" && status != "closed")
                         return json_error(http::status::bad_request, "status must be open or closed");
                     auto r = open311::change_status(*ap, ticket, status, string_field(*b, "notes"),
                                                     now_seconds());
                     if (!r) return json_error(http::status::not_found, "no report '" + ticket + "'");
                     return json_response(http::status::ok, R"({"ok":true})");
                 }));

    // A citizen's data (right of access): ?channel=…&conversation_id=…&user_id=…
    server.route(http::verb::get, prefix + "export",
                 guarded([ap, prefix](http_request&, const request_context& ctx, const std::string&) {
                     auto q = [&](const char* k) {
                         auto it = ctx.query.find(k);
                         return it == ctx.query.end() ? std::string() : it->second;
                     };
                     if (q("channel").empty() || (q("conversation_id").empty() && q("user_id").empty()))
                         return json_error(http::status::bad_request,
                                           "channel and conversation_id or user_id are required");
                     json::array rows;
                     for (auto& r : ap->store->export_citizen({q("channel"), q("conversation_id"), q("user_id")}))
                         rows.push_back(json::object{{"kind", r[0]}, {"at", r[1]}, {"text", r[2]}});
                     return json_response(http::status::ok,
                                          json::serialize(json::object{{"records", rows}}));
                 }));
}

std::shared_ptr<void> register_inbox(http_server& server, app& a, options o) {
    auto in = std::make_shared<inbox>(a, std::move(o));
    inbox* ib = in.get();
    a.presence.add([weak = std::weak_ptr<inbox>(in)]() -> std::size_t {
        auto i = weak.lock();
        return i ? i->present() : 0;
    });

    server.route(http::verb::get, "/agents",
                 [](http_request& req, const request_context&) -> handler_result {
                     http_response res(http::status::ok, req.version());
                     res.set(http::field::content_type, "text/html; charset=utf-8");
                     res.set(http::field::cache_control, "no-store");
                     res.set("Content-Security-Policy",
                             "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src "
                             "'unsafe-inline'; frame-ancestors 'none'");
                     res.body() = inbox_page;
                     res.prepare_payload();
                     co_return res;
                 });

    server.route(http::verb::post, "/agents/api/login",
                 [ib](http_request& req, const request_context& ctx) -> handler_result {
                     if (ib->o.password.empty())
                         co_return json_error(http::status::service_unavailable,
                                              "the inbox is disabled: set GUICHET_AGENTS_PASSWORD");
                     const auto ip = ctx.client.to_string();
                     if (auto wait = ib->throttle.wait_seconds(ip)) {
                         auto res = json_error(http::status::too_many_requests,
                                               "too many failed sign-ins: wait a minute / trop d'échecs : patientez une minute");
                         res.set(http::field::retry_after, std::to_string(wait));
                         co_return res;
                     }
                     auto b = json_object_body(req);
                     if (!b) co_return json_error(http::status::bad_request, "expected a JSON object");
                     std::string pw = string_field(*b, "password");
                     if (pw.size() != ib->o.password.size() ||
                         CRYPTO_memcmp(pw.data(), ib->o.password.data(), pw.size()) != 0) {
                         ib->throttle.failed(ip);
                         log::warn("agents", "failed sign-in to /agents from " + ip);
                         co_return json_error(http::status::unauthorized, "wrong password");
                     }
                     ib->throttle.succeeded(ip);
                     auto token = ib->open_session(string_field(*b, "name"));
                     auto res = json_response(http::status::ok, R"({"ok":true})");
                     res.set(http::field::set_cookie,
                             "guichet_agent=" + token +
                                 "; Path=/agents; HttpOnly; SameSite=Strict; Max-Age=" +
                                 std::to_string(ib->o.session_lifetime.count()));
                     co_return res;
                 });

    // Everything below needs a session.
    register_inbox_api(server, a, "/agents/api/",
                       [ib](http_request& req, const request_context&, std::string& agent)
                           -> std::optional<http_response> {
                           if (ib->o.password.empty())
                               return json_error(http::status::service_unavailable, "the inbox is disabled");
                           agent = ib->agent_of(req);
                           if (agent.empty()) return json_error(http::status::unauthorized, "sign in first");
                           return std::nullopt;
                       },
                       ib->o.reply_max_bytes);
    return in;
}

std::shared_ptr<void> register_desk(http_server& server, app& a) {
    open311::register_api(server, a, open311::options_from(a));
    auto inbox = register_inbox(server, a, options_from(a));
    auto console = admin::register_console(server, a);  // /admin, behind staff logins
    // The citizens' 👍/👎 from the website channel, into the figures.
    web::set_feedback_sink([an = std::weak_ptr<analytics::store>(a.analytics)](const analytics::vote& v) {
        if (auto s = an.lock()) s->feedback(v, now_seconds());
    });

    // The retention purge, now and then every interval, on the app's io_context.
    auto retention = store::retention_of(a.config);
    auto timer = std::make_shared<asio::steady_timer>(a.io);
    every(a, timer, std::chrono::seconds(std::max<std::int64_t>(1, store::purge_interval_seconds(a.config))),
          true, "store", "retention purge failed: ", [&a, retention] {
              auto n = a.store->purge(now_seconds(), retention);
              if (n) log::info("store", "retention purge removed " + std::to_string(n) + " record(s)");
          });
    // The duty watch: a citizen queued for a person when the desk closes, or when the last
    // agent's page went quiet, is told so and offered a call-back instead of waiting for nobody.
    auto watch = std::make_shared<asio::steady_timer>(a.io);
    every(a, watch, std::chrono::seconds(a.config.get_int("agents.duty_check_s")), false, "agents",
          "duty watch: ", [&a] { release_unattended(a, now_seconds()); });
    struct keep {
        std::shared_ptr<void> inbox, console;
        std::shared_ptr<asio::steady_timer> timer, watch;
        ~keep() {
            web::set_feedback_sink(nullptr);
            if (watch) watch->cancel();
            if (!timer) return;
            timer->cancel();
        }
    };
    auto k = std::make_shared<keep>();  // built in place: a copy's destructor would run early
    k->inbox = inbox;
    k->console = console;
    k->timer = timer;
    k->watch = watch;
    return k;
}

}  // namespace guichet::agents
