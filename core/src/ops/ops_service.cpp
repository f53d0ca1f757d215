// Wiring of the operations and staff services into a running server (routes, reloader,
// SIGHUP, log settings) and the turn observer.
#include "ops/ops_service.h"

#include <boost/asio/use_awaitable.hpp>
#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include "app/app.h"
#include "common/files.h"
#include "engine/log.h"
#include "kb/knowledge_base.h"

namespace asio = boost::asio;
namespace json = boost::json;

namespace guichet::ops {

asio::awaitable<turn_result> observed_turn(engine& e, metrics& m, analytics::store& a,
                                           message msg) {
    auto start = std::chrono::steady_clock::now();
    std::string channel = msg.channel;
    message copy = msg;  // handle() takes the message; analytics needs its text
    m.turn_started();
    turn_result r;
    try {
        r = co_await e.handle(std::move(msg));
    } catch (...) {
        m.turn_failed(channel, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        throw;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    m.turn_done(channel, r, seconds);
    // At debug, one line per turn: what was understood and how fast, never the citizen's words
    // (personal data; the store keeps them for the retention time, the log for the journal's).
    char line[256];
    std::snprintf(line, sizeof line, "turn on %s: intent %s, confidence %.2f%s, %.1f ms", channel.c_str(),
                  r.intent.empty() ? "none" : r.intent.c_str(), r.confidence, r.fallback ? ", fallback" : "",
                  seconds * 1000);
    log::debug("turn", line, copy.conversation_id);
    auto at = copy.now ? copy.now
                       : std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch()).count();
    a.record(copy, r, at);
    co_return r;
}

namespace {
http_response text_response(std::string body, const char* type) {
    http_response res{http::status::ok, 11};
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

}  // namespace

json::object reload_status_json(const reload_status& s) {
    json::array problems;
    for (auto& p : s.last_problems) problems.push_back(json::string(p));
    return {{"generation", s.generation}, {"rejected", s.rejected}, {"last_ok", s.last_ok},
            {"last_attempt", s.last_attempt}, {"problems", std::move(problems)},
            {"serving_last_good", s.serving_last_good}};
}

namespace {
std::atomic<reloader*> the_reloader{nullptr};
}  // namespace

reloader* live_reloader() { return the_reloader.load(); }

std::string query_lang(const request_context& ctx) {
    auto it = ctx.query.find("lang");
    return it != ctx.query.end() && it->second == "en" ? "en" : "fr";
}

std::string figures_json(app& a, bool weekly) {
    json::array rows;
    for (auto& c : a.analytics->counts(weekly))
        rows.push_back({{"period", c.period}, {"intent", c.intent}, {"channel", c.channel},
                        {"locale", c.locale}, {"count", c.count}});
    json::array feedback;
    for (auto& f : a.analytics->feedback_counts()) {
        double total = double(f.useful + f.not_useful);
        feedback.push_back({{"intent", f.intent}, {"useful", f.useful}, {"not_useful", f.not_useful},
                            {"useful_rate", total > 0 ? double(f.useful) / total : 0.0}});
    }
    json::object o{{"period", weekly ? "week" : "day"}, {"rows", std::move(rows)},
                   {"feedback", std::move(feedback)},
                   {"messages", a.metrics->messages()}, {"fallbacks", a.metrics->fallbacks()}};
    return json::serialize(o);
}

namespace {
// A moment as the console shows it: date and time in `lang`, ICU, the site's time zone.
std::string local_text(app& a, std::int64_t at, const std::string& lang) {
    return at ? a.engine->current_site()->format_time(at, "yMMMdHm", lang) : "";
}

json::array strings(const std::vector<std::string>& v) {
    json::array out;
    for (auto& x : v) out.push_back(json::string(x));
    return out;
}
}  // namespace

std::string unanswered_json(app& a, const std::string& lang) {
    json::array groups;
    for (auto& g : a.analytics->unanswered())
        groups.push_back({{"id", g.id}, {"text", g.text}, {"locale", g.locale}, {"count", g.count},
                          {"examples", strings(g.examples)}, {"suggested_intent", g.suggested_intent},
                          {"best_confidence", g.best_confidence}, {"last_asked", g.last_asked},
                          {"last_asked_text", local_text(a, g.last_asked, lang)}});
    return json::serialize(json::object{{"groups", std::move(groups)}});
}

std::string unhelpful_json(app& a, const std::string& lang) {
    json::array groups;
    for (auto& g : a.analytics->unhelpful())
        groups.push_back({{"id", g.id}, {"question", g.question}, {"examples", strings(g.examples)},
                          {"answer", g.answer}, {"intent", g.intent}, {"faq_id", g.source},
                          {"locale", g.locale}, {"count", g.count}, {"last_voted", g.last_voted},
                          {"last_voted_text", local_text(a, g.last_voted, lang)}});
    return json::serialize(json::object{{"groups", std::move(groups)}});
}

std::string faq_json(app& a, const std::string& lang) {
    struct known {
        std::string topic, question;
        bool listed = false;
    };
    std::map<std::string, known> kb_entries;  // the FAQ as the knowledge base has it now
    std::vector<std::string> kb_order;
    auto st = a.engine->current_site()->kb().with([&](kb::knowledge_base& kb) {
        return kb.query("SELECT f.id, f.topic, (SELECT q.question FROM faq_questions q WHERE q.faq_id = f.id"
                        " AND q.lang = ?1 ORDER BY q.rowid LIMIT 1) FROM faq f ORDER BY f.num",
                        {lang}, [&](const std::vector<std::string>&, const std::vector<kb::value>& v) {
                            auto text = [&](std::size_t i) {
                                auto* p = std::get_if<std::string>(&v[i]);
                                return p ? *p : std::string();
                            };
                            kb_order.push_back(text(0));
                            kb_entries[text(0)] = {text(1), text(2)};
                            return true;
                        });
    });
    if (!st.ok) log::error("staff", "the FAQ entries: " + st.error);
    json::array rows;
    auto row = [&](const std::string& id, const analytics::entry_counts& c) {
        auto it = kb_entries.find(id);
        bool in_kb = it != kb_entries.end();
        if (in_kb) it->second.listed = true;
        rows.push_back({{"id", id}, {"topic", in_kb ? it->second.topic : ""},
                        {"question", in_kb ? it->second.question : ""}, {"in_knowledge", in_kb},
                        {"shown", c.shown}, {"useful", c.useful}, {"not_useful", c.not_useful}});
    };
    for (auto& e : a.analytics->entries()) row(e.entry, e.counts);  // most 👎 first
    for (auto& id : kb_order)
        if (!kb_entries[id].listed) row(id, {});  // never shown yet
    return json::serialize(json::object{{"entries", std::move(rows)}});
}

http_response add_example(app& a, const std::string& body) {
    json::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object()) return json_error(http::status::bad_request, "the body must be a JSON object");
    auto& o = v.as_object();
    auto intent = string_field(o, "intent"), locale = string_field(o, "locale"), text = string_field(o, "text");
    if (intent.empty() || text.empty())
        return json_error(http::status::bad_request, "\"intent\" and \"text\" are required");
    auto s = a.engine->current_site();
    auto* in = s->intents().find(intent);
    if (!in) return json_error(http::status::not_found, "no intent '" + intent + "'");
    if (locale.empty()) locale = s->options().languages.front();
    auto part = in->langs.find(locale);
    if (part == in->langs.end())
        return json_error(http::status::not_found, "intent '" + intent + "' has no " + locale + " file");
    // The site's own file, also while the last-good copy is served: the reloader watches the
    // site's files, and the next reload that passes replaces the copy.
    std::filesystem::path file = part->second.file;
    if (auto own = a.site_options_for().root; s->options().root != own)
        file = own / file.lexically_relative(s->options().root);
    // A folder the service user may not write in: the same answer as the alerts' (a 409 said
    // "…contact.yaml.tmp-add: cannot write" without the reason or the fix).
    if (auto p = unwritable_folder(file.parent_path()))
        return json_error_fr_en(http::status::internal_server_error, p->fr, p->en);
    const std::string before = file_text(file);
    auto err = analytics::append_example(file, intent, text);
    if (!err.empty()) return json_error(http::status::conflict, err);
    log::info("staff", "added an example to " + intent + " in " + file.string());
    if (auto g = string_field(o, "group"); !g.empty()) a.analytics->dismiss(g);
    // Refused by the tests, the example is taken back out of the file: left there, it would
    // refuse every later edit of anyone until someone found it.
    if (auto* r = live_reloader())
        r->request([file, before, after = file_text(file)](const reload_status& st) {
            if (st.last_ok) return;
            if (file_text(file) != after) {
                log::warn("staff", file.string() + ": the refused example is still in the file "
                                                   "(the file changed since it was added)");
                return;
            }
            if (auto e = write_file_atomically(file, before, ".tmp-restore"); !e.empty())
                log::error("staff", e);
            else
                log::warn("staff", file.string() + ": the example added from the console was "
                                                   "taken back out: the tests refused it");
        });
    return json_response(http::status::ok, json::serialize(json::object{{"file", file.string()},
                                                                        {"intent", intent}}));
}

void configure_logging(app& a) {
    log::set_json(a.config.get("ops.log_format") == "json");
    log::set_masking(a.config.get_bool("ops.mask_personal_data"));
    std::weak_ptr<metrics> weak = a.metrics;
    log::set_tap([weak](log::level l, std::string_view component, std::string_view text) {
        if (l < log::level::warn || component != "engine" || text.rfind("plugin '", 0) != 0) return;
        if (auto m = weak.lock()) m->plugin_problem(text.find("' timed out on intent") != std::string_view::npos);
    });
}

service::service(app& a, http_server& server) : app_(a), hup_(a.io) {
    staff_token_ = a.config.get("ops.staff_token");
    try {  // the figures of earlier runs, then one writer for the new ones
        auto file = analytics::configured_file(a.config, a.site_options_for().root);
        auto db = std::make_unique<analytics::database>(file);
        db->load_into(*a.analytics);
        analytics_writer_ = std::make_unique<analytics::writer>(a.analytics, std::move(db));
    } catch (const std::exception& e) {
        log::error("analytics", std::string("figures kept in memory only: ") + e.what());
    }
    auto* m = a.metrics.get();
    auto* r = a.router.get();
    m->add_gauge("guichet_router_active_conversations",
                 "Conversations with messages waiting or being answered (queue depth).",
                 [r] { return double(r->active_conversations()); });
    m->add_gauge("guichet_http_connections", "Open HTTP connections.",
                 [&server] { return double(server.connections()); });
    m->add_gauge("guichet_conversations", "Conversations whose context the engine keeps.",
                 [&a] { return double(a.engine->conversations()); });
    if (auto* st = a.store.get()) {
        // The agents' queue, as the inbox shows it: requests nobody has taken yet.
        m->add_gauge("guichet_handoffs_waiting",
                     "Requests for an agent (conversation, callback, e-mail) that nobody has taken yet.",
                     [st] { return double(st->list_handoffs("waiting").size()); });
        m->add_gauge("guichet_handoff_oldest_wait_seconds",
                     "How long the oldest request still waiting for an agent has waited (0: none waits).",
                     [st] {
                         auto waiting = st->list_handoffs("waiting");
                         if (waiting.empty()) return 0.0;
                         std::int64_t first = waiting.front().created;
                         for (auto& h : waiting) first = std::min(first, h.created);
                         auto now = std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
                         return double(std::max<std::int64_t>(0, now - first));
                     });
    }

    if (auto* plugins = a.plugins.get()) {
        m->add_gauge("guichet_plugins_refused", "Plugin files refused at start (the log says which and why).",
                     [plugins] { return double(plugins->refusals().size()); });
        m->add_gauge(
            "guichet_network_threads_held",
            "Network threads held by a plugin's handle() for a second or more (the log names it).",
            [plugins] { return double(plugins->network_threads_held()); });
    }

    // The console's edits (alerts, examples) are written in the site's knowledge/ and
    // intents/<language>/: said at start when the service user may not write there (the first
    // edit failed, and only then).
    {
        const auto so = a.site_options_for();
        std::vector<std::filesystem::path> edited{so.root / "knowledge"};
        for (auto& lang : so.languages) edited.push_back(so.root / "intents" / lang);
        std::error_code ec;
        for (auto& dir : edited)
            if (std::filesystem::is_directory(dir, ec))
                if (auto p = unwritable_folder(dir)) log::warn("console", p->en);
    }

    if (a.config.get_bool("ops.reload")) {
        auto eo = make_engine_options(a.config);
        reload_options ro;
        ro.poll_interval = std::chrono::milliseconds(a.config.get_int("ops.reload_poll_ms"));
        // The site's files, not the site served: after a start on the last-good copy, the
        // copy was watched (the fixed files never went online, a manual reload reloaded the
        // copy) and rewritten at each reload, which saw that as a change: a reload a second.
        reloader_ = std::make_unique<reloader>(*a.plugins, *a.engine, a.site_options_for(), eo, ro);
        if (!a.last_good_because.empty()) {
            std::vector<std::string> problems;
            for (auto& p : a.last_good_because) problems.push_back(p.str());
            reloader_->serving_last_good(std::move(problems));
        }
        std::weak_ptr<metrics> weak = a.metrics;
        reloader_->on_attempt([weak](const reload_status& st) {
            if (auto mm = weak.lock()) mm->reload_done(st.last_ok);
        });
        m->add_gauge("guichet_site_generation", "Site versions swapped in by reloads since start.",
                     [this] { return double(reloader_->status().generation); });
        reloader_->start();
        the_reloader = reloader_.get();
        hup_.add(SIGHUP);
        wait_hup();
    }

    server.route(http::verb::get, "/metrics",
                 [m](http_request&, const request_context&) -> asio::awaitable<http_response> {
                     co_return text_response(m->render(), "text/plain; version=0.0.4; charset=utf-8");
                 });
    server.route(http::verb::get, "/healthz",
                 [](http_request&, const request_context&) -> asio::awaitable<http_response> {
                     co_return json_response(http::status::ok, R"({"status":"ok"})");
                 });
    server.route(http::verb::get, "/readyz",
                 [this](http_request&, const request_context&) -> asio::awaitable<http_response> {
                     json::object o;
                     bool ready = !draining_ && app_.engine->current_site() != nullptr;
                     o["status"] = ready ? "ready" : "draining";
                     // Serving, but without the plugins refused at start (the log says why).
                     o["plugins_refused"] = app_.plugins ? app_.plugins->refusals().size() : 0;
                     // Still ready while one is held: the other threads serve, and the plugin's
                     // next turns run on the worker pool.
                     o["network_threads_held"] =
                         app_.plugins ? app_.plugins->network_threads_held() : 0;
                     if (reloader_) o["reload"] = reload_status_json(reloader_->status());
                     co_return json_response(ready ? http::status::ok : http::status::service_unavailable,
                                             json::serialize(o));
                 });

    // The staff API: a Bearer token until the admin console brings logins.
    auto guard = [this](http_request& req) -> std::optional<http_response> {
        if (staff_token_.empty())
            return json_error(http::status::forbidden, "the staff API is off: set ops.staff_token");
        if (req[http::field::authorization] != "Bearer " + staff_token_)
            return json_error(http::status::unauthorized, "a valid staff token is needed");
        return std::nullopt;
    };
    server.route(http::verb::get, "/api/v1/staff/figures",
                 [this, guard](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     bool weekly = ctx.query.count("period") && ctx.query.at("period") == "week";
                     co_return json_response(http::status::ok, figures_json(app_, weekly));
                 });
    server.route(http::verb::get, "/api/v1/staff/unanswered",
                 [this, guard](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     co_return json_response(http::status::ok, unanswered_json(app_));
                 });
    // {"intent": "hours.open", "locale": "fr", "text": "…", "group": "q12"}: appends the text to
    // the intent's file in that language; the reloader then tests and swaps the site.
    server.route(http::verb::get, "/api/v1/staff/unhelpful",
                 [this, guard](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     co_return json_response(http::status::ok, unhelpful_json(app_, query_lang(ctx)));
                 });
    server.route(http::verb::get, "/api/v1/staff/faq",
                 [this, guard](http_request& req, const request_context& ctx) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     co_return json_response(http::status::ok, faq_json(app_, query_lang(ctx)));
                 });
    server.route(http::verb::post, "/api/v1/staff/examples",
                 [this, guard](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     co_return add_example(app_, req.body());
                 });
    server.route(http::verb::get, "/api/v1/staff/reload",
                 [this, guard](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     if (!reloader_) co_return json_error(http::status::not_found, "reload is off");
                     co_return json_response(http::status::ok,
                                             json::serialize(reload_status_json(reloader_->status())));
                 });
    server.route(http::verb::post, "/api/v1/staff/reload",
                 [this, guard](http_request& req, const request_context&) -> asio::awaitable<http_response> {
                     if (auto no = guard(req)) co_return *no;
                     if (!reloader_) co_return json_error(http::status::not_found, "reload is off");
                     reloader_->request();
                     co_return json_response(http::status::accepted, R"({"status":"reloading"})");
                 });
}

service::~service() {
    boost::system::error_code ec;
    hup_.cancel(ec);
    if (the_reloader == reloader_.get()) the_reloader = nullptr;
    reloader_.reset();
    analytics_writer_.reset();  // the last figures are written
}

void service::wait_hup() {
    hup_.async_wait([this](boost::system::error_code ec, int) {
        if (ec) return;
        // (systemd's `reload` sends it: an IT person who changed guichet.yaml expected the
        // settings to follow, and was told nothing.)
        log::info("reload", "SIGHUP: reloading the site (intents, knowledge, tests); the "
                            "settings (guichet.yaml, GUICHET_*) are read at start only: restart "
                            "to apply a change of theirs");
        if (reloader_) reloader_->request();
        wait_hup();
    });
}

}  // namespace guichet::ops
