// The admin console's routes: static files, login/logout/me, and the staff API by role.
#include "admin/console.h"

#include <openssl/crypto.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>

#include "admin/accounts.h"
#include "admin/alerts_editor.h"
#include "admin/sessions.h"
#include "agents/agents.h"
#include "common/files.h"
#include "app/shipped_files.h"
#include "app/app.h"
#include "engine/log.h"
#include "hours/opening_hours.h"
#include "ops/ops_service.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::admin {
namespace {

using handler_result = asio::awaitable<http_response>;
constexpr const char* cookie_name = "guichet_admin";
constexpr std::size_t role_editor = 1, role_agent = 2, role_admin = 4;
// Password checks (scrypt: ~32 MiB and tens of ms each) run here, never on an I/O thread;
// two at a time at most.
constexpr std::size_t kdf_threads = 2;

std::size_t bit_of(role r) {
    return r == role::admin ? role_admin : r == role::agent ? role_agent : role_editor;
}

struct static_file {
    std::string type, body;
};

struct console {
    console(http_server& s, app& ap, const std::filesystem::path& accounts_path, std::chrono::seconds idle,
            std::chrono::seconds lifetime, std::size_t failures)
        : server(s), a(ap), staff(accounts_path), sessions(idle, lifetime), throttle(failures) {}
    http_server& server;
    app& a;
    accounts staff;
    session_table sessions;
    login_throttle throttle;
    std::map<std::string, static_file> files;
    boost::asio::thread_pool kdf_pool{kdf_threads};
    // Ends idle sessions now and then, so that a closed browser's conversations are requeued.
    std::shared_ptr<asio::steady_timer> sweeper = std::make_shared<asio::steady_timer>(a.io);
    ~console() {
        sweeper->cancel();
        kdf_pool.join();
    }

    std::string cookie_of(const http_request& req) const {
        std::string cookies(req[http::field::cookie]);
        std::string key = std::string(cookie_name) + "=";
        for (std::size_t p = 0; (p = cookies.find(key, p)) != std::string::npos; p += key.size())
            if (p == 0 || cookies[p - 1] == ' ' || cookies[p - 1] == ';') return cookies.substr(p + key.size(), 64);
        return {};
    }

    bool over_tls(const http_request& req, const request_context& ctx) const {
        return server.trusted_proxy(ctx.peer) && req["X-Forwarded-Proto"] == "https";
    }

    // The caller's session when it may do this; else the error answer.
    std::optional<http_response> check(http_request& req, const request_context& ctx, std::size_t roles,
                                      bool writes, session& out) {
        // (The inbox's refresh says so while its page is hidden: a console left in a background
        // tab does not stay signed in; one open in front of an agent does.)
        sessions.sweep();  // a colleague's ended session gives their conversations back now
        auto s = sessions.find(cookie_of(req), req["X-Guichet-Poll"] == "1");
        if (!s) return json_error(http::status::unauthorized, "sign in first / connectez-vous d'abord");
        if (!(bit_of(s->role) & (roles | role_admin)))
            return json_error(http::status::forbidden, "your role does not allow this / votre rôle ne le permet pas");
        if (writes) {
            std::string token(req["X-CSRF-Token"]);
            if (token.size() != s->csrf.size() || CRYPTO_memcmp(token.data(), s->csrf.data(), token.size()) != 0)
                return json_error(http::status::forbidden, "missing or wrong X-CSRF-Token");
            if (!server.same_origin(req, ctx)) return json_error(http::status::forbidden, "cross-origin request refused");
        }
        out = *s;
        return std::nullopt;
    }

    // A route for `roles`; GETs read, other methods write (CSRF checked).
    template <class Fn>
    void api(http::verb method, const std::string& path, std::size_t roles, Fn fn) {
        bool writes = method != http::verb::get;
        server.route(method, "/admin/api/" + path,
                     [this, roles, writes, fn](http_request& req, const request_context& ctx) -> handler_result {
                         session s;
                         if (auto no = check(req, ctx, roles, writes, s)) co_return *no;
                         co_return fn(req, ctx, s);
                     });
    }
};

std::vector<std::string> list_field(const json::object& o, const char* k) {
    std::vector<std::string> out;
    auto* v = o.if_contains(k);
    if (v && v->is_array())
        for (auto& x : v->as_array())
            if (x.is_string() && !x.as_string().empty()) out.emplace_back(x.as_string());
    if (v && v->is_string())
        for (auto& x : split_list(std::string(v->as_string()))) out.push_back(x);
    return out;
}

json::array problems_json(const std::vector<std::string>& p) {
    json::array a;
    for (auto& x : p) a.push_back(json::string(x));
    return a;
}

// `shown_as`: the name citizens see above the account's replies ("" none).
std::string session_json(const session& s, const std::string& shown_as) {
    return json::serialize(json::object{
        {"name", s.name}, {"role", role_name(s.role)}, {"csrf", s.csrf}, {"shown_as", shown_as}});
}

std::string now_local(const app& a) {
    auto tz = a.engine->current_site()->options().time_zone;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    auto iso = hours::format_local_iso(now, tz.empty() ? "Europe/Paris" : tz);  // 2026-11-28T21:15:00
    return iso.substr(0, 10) + " " + iso.substr(11, 5);
}

void load_static(console& c, const std::filesystem::path& dir) {
    struct f {
        const char *url, *name, *type;
    };
    for (auto x : {f{"/admin", "index.html", "text/html; charset=utf-8"},
                   f{"/admin/console.js", "console.js", "text/javascript; charset=utf-8"},
                   f{"/admin/console.css", "console.css", "text/css; charset=utf-8"}}) {
        std::ifstream in(dir / x.name, std::ios::binary);
        if (!in) {
            log::warn("admin", "console file missing: " + (dir / x.name).string());
            continue;
        }
        std::ostringstream s;
        s << in.rdbuf();
        c.files[x.url] = {x.type, s.str()};
        auto serve = [&c, url = std::string(x.url)](http_request& req, const request_context&) -> handler_result {
            auto& sf = c.files.at(url);
            http_response res{http::status::ok, req.version()};
            res.set(http::field::content_type, sf.type);
            res.set(http::field::cache_control, "no-cache");
            res.set("Content-Security-Policy",
                    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                    "img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
            res.set("X-Content-Type-Options", "nosniff");
            res.set("Referrer-Policy", "no-referrer");
            res.set("X-Frame-Options", "DENY");
            res.body() = sf.body;
            res.prepare_payload();
            co_return res;
        };
        c.server.route(http::verb::get, x.url, serve);
        if (std::string(x.url) == "/admin") c.server.route(http::verb::get, "/admin/", serve);
    }
}

void register_session_routes(console& c) {
    auto* cp = &c;
    c.server.route(http::verb::post, "/admin/api/login",
                   [cp](http_request& req, const request_context& ctx) -> handler_result {
                       auto& c = *cp;
                       if (!c.server.same_origin(req, ctx)) co_return json_error(http::status::forbidden, "cross-origin request refused");
                       auto ip = ctx.client.to_string();
                       if (auto wait = c.throttle.wait_seconds(ip)) {
                           auto res = json_error(http::status::too_many_requests,
                                                 "too many failed sign-ins: wait a minute / trop d'échecs : patientez une minute");
                           res.set(http::field::retry_after, std::to_string(wait));
                           co_return res;
                       }
                       auto b = json_object_body(req);
                       if (!b) co_return json_error(http::status::bad_request, "expected a JSON object");
                       // {"username": …} said "wrong name or password" and counted as a failed
                       // sign-in: a mistake of the caller's, not a guess.
                       for (const char* field : {"name", "password"})
                           if (!b->if_contains(field) || !b->at(field).is_string())
                               co_return json_error(
                                   http::status::bad_request,
                                   std::string("expected {\"name\": …, \"password\": …}: '") +
                                       field + "' is missing");
                       // The password check on the KDF pool, then back to this connection.
                       auto back = co_await asio::this_coro::executor;
                       co_await asio::post(c.kdf_pool.get_executor(), asio::use_awaitable);
                       auto who = c.staff.check(string_field(*b, "name"), string_field(*b, "password"));
                       co_await asio::post(back, asio::use_awaitable);
                       if (!who) {
                           c.throttle.failed(ip);
                           log::warn("admin", "failed sign-in from " + ip);
                           co_return json_error(http::status::unauthorized,
                                                "wrong name or password / nom ou mot de passe incorrect");
                       }
                       c.throttle.succeeded(ip);
                       auto s = c.sessions.open(*who);
                       log::info("admin", "'" + s.name + "' signed in (" + role_name(s.role) + ")");
                       auto res = json_response(http::status::ok, session_json(s, who->shown_as));
                       res.set(http::field::set_cookie,
                               std::string(cookie_name) + "=" + s.id + "; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=" +
                                   std::to_string(c.sessions.lifetime().count()) + (c.over_tls(req, ctx) ? "; Secure" : ""));
                       co_return res;
                   });
    c.api(http::verb::post, "logout", role_editor | role_agent, [cp](http_request&, const request_context&, const session& s) {
        cp->sessions.close(s.id);
        // Signing out is on purpose: what they held goes back to the queue now, even when
        // they are still signed in elsewhere (an expiry there waits for their last session).
        if (s.role != role::editor && cp->sessions.has_live(s.name)) agents::requeue_of(cp->a, s.name);
        auto res = json_response(http::status::ok, R"({"ok":true})");
        res.set(http::field::set_cookie, std::string(cookie_name) + "=; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=0");
        return res;
    });
    c.api(http::verb::get, "me", role_editor | role_agent, [cp](http_request&, const request_context&, const session& s) {
        return json_response(http::status::ok, session_json(s, cp->staff.shown_as_of(s.name)));
    });
    // Each one chooses the name citizens see above their replies ({"shown_as": "Marie"}; ""
    // for none: "Agent de la mairie").
    c.api(http::verb::post, "me", role_editor | role_agent, [cp](http_request& req, const request_context&, const session& s) {
        auto b = json_object_body(req);
        if (!b || !b->contains("shown_as") || !b->at("shown_as").is_string())
            return json_error(http::status::bad_request, "expected {\"shown_as\": \"…\"}");
        if (auto err = cp->staff.set_shown_as(s.name, string_field(*b, "shown_as")); !err.empty())
            return json_error(http::status::bad_request, err);
        return json_response(http::status::ok, session_json(s, cp->staff.shown_as_of(s.name)));
    });
}

void register_editor_routes(console& c) {
    app* a = &c.a;
    c.api(http::verb::get, "figures", role_editor, [a](http_request&, const request_context& ctx, const session&) {
        bool weekly = ctx.query.count("period") && ctx.query.at("period") == "week";
        return json_response(http::status::ok, ops::figures_json(*a, weekly));
    });
    c.api(http::verb::get, "unanswered", role_editor, [a](http_request&, const request_context& ctx, const session&) {
        return json_response(http::status::ok, ops::unanswered_json(*a, ops::query_lang(ctx)));
    });
    c.api(http::verb::get, "unhelpful", role_editor, [a](http_request&, const request_context& ctx, const session&) {
        return json_response(http::status::ok, ops::unhelpful_json(*a, ops::query_lang(ctx)));
    });
    c.api(http::verb::get, "faq", role_editor, [a](http_request&, const request_context& ctx, const session&) {
        return json_response(http::status::ok, ops::faq_json(*a, ops::query_lang(ctx)));
    });
    // "Traité": the group is hidden until one of its questions is asked (or the answer voted
    // down) again.
    auto done_route = [&c](const std::string& list, const std::string& what, auto mark) {
        c.api(http::verb::post, list + "/*", role_editor,
              [list, what, mark](http_request&, const request_context& ctx, const session& s) {
                  const std::string prefix = "/admin/api/" + list + "/", suffix = "/done";
                  auto rest = ctx.path.substr(prefix.size());
                  if (!rest.ends_with(suffix)) return json_error(http::status::not_found, "use " + prefix + "{id}/done");
                  auto id = rest.substr(0, rest.size() - suffix.size());
                  if (!mark(id)) return json_error(http::status::not_found, "no group '" + id + "'");
                  log::info("admin", "'" + s.name + "' marked " + what + " done");
                  return json_response(http::status::ok, json::serialize(json::object{{"ok", true}}));
              });
    };
    done_route("unanswered", "a question", [a](const std::string& id) { return a->analytics->mark_done(id); });
    done_route("unhelpful", "an answer rated unhelpful",
               [a](const std::string& id) { return a->analytics->mark_unhelpful_done(id); });
    c.api(http::verb::get, "intents", role_editor, [a](http_request&, const request_context&, const session&) {
        json::array list;
        for (auto& in : a->engine->current_site()->intents().intents) {
            json::array langs;
            for (auto& [l, part] : in.langs) langs.push_back(json::string(l));
            list.push_back({{"name", in.name}, {"description", in.description}, {"langs", std::move(langs)}});
        }
        return json_response(http::status::ok, json::serialize(json::object{{"intents", std::move(list)}}));
    });
    c.api(http::verb::post, "examples", role_editor, [a](http_request& req, const request_context&, const session& s) {
        auto res = ops::add_example(*a, req.body());
        if (res.result() == http::status::ok) log::info("admin", "'" + s.name + "' added an example");
        return res;
    });
    c.api(http::verb::get, "reload", role_editor, [](http_request&, const request_context&, const session&) {
        auto* r = ops::live_reloader();
        if (!r) return json_error(http::status::not_found, "reload is off (ops.reload)");
        return json_response(http::status::ok, json::serialize(ops::reload_status_json(r->status())));
    });
    // The site's own files, also while the last-good copy is served (the reloader watches them).
    auto knowledge = [a] { return a->site_options_for().root / "knowledge"; };
    auto zone = [a] { return a->engine->current_site()->options().time_zone; };
    auto intent_names = [a] {
        std::vector<std::string> names;
        for (const auto& in : a->engine->current_site()->intents().intents) names.push_back(in.name);
        return names;
    };
    c.api(http::verb::get, "alerts", role_editor, [knowledge](http_request&, const request_context&, const session&) {
        auto r = read_alerts(knowledge());
        json::array list;
        for (auto& x : r.alerts) {
            auto arr = [](const std::vector<std::string>& v) {
                json::array o;
                for (auto& s : v) o.push_back(json::string(s));
                return o;
            };
            list.push_back({{"id", x.id}, {"message_fr", x.message_fr}, {"message_en", x.message_en},
                            {"from", x.from}, {"until", x.until}, {"intents", arr(x.intents)},
                            {"places", arr(x.places)}, {"categories", arr(x.categories)}});
        }
        json::object o{{"file", (knowledge() / "alerts.yaml").string()}, {"alerts", std::move(list)}};
        if (!r.problem.empty()) o["problem"] = r.problem;
        return json_response(http::status::ok, json::serialize(o));
    });
    auto answer = [](const std::vector<std::string>& problems) {
        if (problems.empty()) {
            if (auto* r = ops::live_reloader()) r->request();
            return json_response(http::status::ok, R"({"ok":true})");
        }
        auto res = json_response(http::status::unprocessable_entity,
                                 json::serialize(json::object{{"error", {{"code", 422}, {"message", problems.front()}}},
                                                              {"problems", problems_json(problems)}}));
        return res;
    };
    c.api(http::verb::post, "alerts", role_editor, [knowledge, zone, intent_names, answer](http_request& req, const request_context&, const session& s) {
        auto b = json_object_body(req);
        if (!b) return json_error(http::status::bad_request, "expected a JSON object");
        alert x{string_field(*b, "id"),         string_field(*b, "message_fr"),
                string_field(*b, "message_en"), string_field(*b, "from"),
                string_field(*b, "until"),      list_field(*b, "intents"),
                list_field(*b, "places"),       list_field(*b, "categories")};
        if (auto p = unwritable_folder(knowledge()))
            return json_error_fr_en(http::status::internal_server_error, p->fr, p->en);
        auto res = answer(save_alert(knowledge(), x, zone(), intent_names()));
        if (res.result() == http::status::ok) log::info("admin", "'" + s.name + "' saved the alert " + x.id);
        return res;
    });
    c.api(http::verb::post, "alerts/*", role_editor, [a, knowledge, zone, intent_names, answer](http_request&, const request_context& ctx, const session& s) {
        auto rest = ctx.path.substr(std::string("/admin/api/alerts/").size());
        if (rest.size() < 5 || rest.substr(rest.size() - 4) != "/end")
            return json_error(http::status::not_found, "use /admin/api/alerts/{id}/end");
        auto id = rest.substr(0, rest.size() - 4);
        if (auto p = unwritable_folder(knowledge()))
            return json_error_fr_en(http::status::internal_server_error, p->fr, p->en);
        auto res = answer(end_alert(knowledge(), id, now_local(*a), zone(), intent_names()));
        if (res.result() == http::status::ok) log::info("admin", "'" + s.name + "' ended the alert " + id);
        return res;
    });
}

void register_account_routes(console& c) {
    auto* cp = &c;
    c.api(http::verb::get, "accounts", role_admin, [cp](http_request&, const request_context&, const session&) {
        json::array list;
        for (auto& x : cp->staff.list())
            list.push_back({{"name", x.name}, {"role", role_name(x.role)}, {"shown_as", x.shown_as}});
        return json_response(http::status::ok, json::serialize(json::object{{"accounts", std::move(list)}}));
    });
    c.api(http::verb::post, "accounts", role_admin, [cp](http_request& req, const request_context&, const session& s) {
        auto b = json_object_body(req);
        if (!b) return json_error(http::status::bad_request, "expected a JSON object");
        auto r = role_from(string_field(*b, "role"));
        if (!r) return json_error(http::status::bad_request, "role must be editor, agent or admin");
        auto err = cp->staff.add(string_field(*b, "name"), *r, string_field(*b, "password"));
        if (!err.empty()) return json_error(http::status::bad_request, err);
        log::info("admin", "'" + s.name + "' added the account " + string_field(*b, "name"));
        return json_response(http::status::created, R"({"ok":true})");
    });
    c.api(http::verb::post, "accounts/*", role_admin, [cp](http_request&, const request_context& ctx, const session& s) {
        auto rest = ctx.path.substr(std::string("/admin/api/accounts/").size());
        if (rest.size() < 8 || rest.substr(rest.size() - 7) != "/remove")
            return json_error(http::status::not_found, "use /admin/api/accounts/{name}/remove");
        auto name = rest.substr(0, rest.size() - 7);
        auto err = cp->staff.remove(name);
        if (!err.empty()) return json_error(http::status::conflict, err);
        cp->sessions.close_all_of(name);
        log::info("admin", "'" + s.name + "' removed the account " + name);
        return json_response(http::status::ok, R"({"ok":true})");
    });
}

}  // namespace

std::shared_ptr<void> register_console(http_server& server, app& a) {
    auto s = a.config.section("admin");
    auto root = a.site_options_for().root;
    auto c = std::make_shared<console>(
        server, a, accounts_file(a.config, root),
        std::chrono::seconds(a.config.get_int("admin.session_idle_s")),
        std::chrono::seconds(a.config.get_int("admin.session_lifetime_s")),
        static_cast<std::size_t>(a.config.get_int("admin.login_failures_per_minute")));
    auto dir = s.count("static_dir") && !s["static_dir"].empty() ? std::filesystem::path(s["static_dir"])
                                                                 : shipped::admin_static_dir();
    load_static(*c, dir);
    register_session_routes(*c);
    register_editor_routes(*c);
    register_account_routes(*c);
    // The agents' inbox and reports, behind the console's sessions (role agent).
    console* cp = c.get();
    agents::register_inbox_api(server, a, "/admin/api/inbox/",
                               [cp](http_request& req, const request_context& ctx, std::string& agent) -> std::optional<http_response> {
                                   session s;
                                   if (auto no = cp->check(req, ctx, role_agent, req.method() != http::verb::get, s))
                                       return no;
                                   agent = s.name;
                                   return std::nullopt;
                               },
                               4096, [cp](const std::string& agent) { return cp->staff.shown_as_of(agent); });
    // An agent gone (signed out, session ended, account removed): what they held goes back to
    // the queue, unless they are still signed in elsewhere.
    // When nobody is left to answer, the waiting citizens are told so and offered a call-back.
    c->sessions.on_end([cp](const session& s) {
        if (s.role == role::editor || cp->sessions.has_live(s.name)) return;
        if (cp->a.presence.count() == 0)
            agents::release_unattended(cp->a, std::time(nullptr));
        else
            agents::requeue_of(cp->a, s.name);
    });
    a.presence.add([weak = std::weak_ptr<console>(c)]() -> std::size_t {
        auto live = weak.lock();
        return live ? live->sessions.agents_live() : 0;
    });
    auto every = std::clamp(std::chrono::seconds(a.config.get_int("admin.session_idle_s")) / 2,
                            std::chrono::seconds(1), std::chrono::seconds(60));
    asio::co_spawn(
        a.io,
        [weak = std::weak_ptr<console>(c), every]() -> asio::awaitable<void> {
            for (;;) {
                auto c = weak.lock();
                if (!c) co_return;
                c->sessions.sweep();
                auto timer = c->sweeper;
                c.reset();  // not kept alive by the wait
                timer->expires_after(every);
                boost::system::error_code ec;
                co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
                if (ec) co_return;
            }
        },
        [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                log::error("admin", std::string("session sweep stopped: ") + x.what());
            }
        });
    if (c->staff.admins() == 0)
        log::warn("admin", "no admin account yet: `guichet staff add NAME --role admin` with this "
                           "server's --site or --config, so that it writes " +
                               c->staff.file().string());
    return c;
}

}  // namespace guichet::admin
