// The `guichet` executable: one binary, a subcommand per job (serve, chat, check, test,
// kb, hours, nlu). Connectors are registered here explicitly.
#include <sqlite3.h>

#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "admin/accounts.h"
#include "admin/staff_command.h"
#include "agents/agents.h"
#include "analytics/analytics_db.h"
#include "app/app.h"
#include "console/console.h"
#include "console/explain.h"
#include "console/throwaway_store.h"
#include "dialogue/intent_tests.h"
#include "directline/directline.h"
#include "engine/log.h"
#include "engine/site.h"
#include "hours/command.h"
#include "hours/opening_hours.h"
#include "kb/builder.h"
#include "messaging.h"
#include "nlu/eval_command.h"
#include "ops/backup.h"
#include "ops/ops_service.h"
#include "server/http_server.h"
#include "store/configured.h"
#include "web/token.h"
#include "web/web_api.h"

namespace asio = boost::asio;

namespace {

const char* usage_text =
    "guichet " GUICHET_VERSION
    " — a town hall's front desk, open 24/7\n"
    "\n"
    "Usage: guichet <command> [options]\n"
    "\n"
    "Commands:\n"
    "  serve   start the server (HTTP API, website channel, webhooks)\n"
    "  chat    talk to the bot in this terminal\n"
    "  check   check the site's intent files and knowledge sources\n"
    "  test    run the site's tests: intent files' tests and tests/*.yaml conversations\n"
    "  explain why the bot answers a message as it does: guichet explain \"TEXT\"...\n"
    "  kb      build the knowledge base: guichet kb build [--site DIR] [--out FILE]\n"
    "  hours   evaluate an opening_hours expression: guichet hours EXPR --from T --to T\n"
    "  nlu     evaluate the classifier: guichet nlu eval --data FILE.json [--json]\n"
    "  staff   console accounts: guichet staff add NAME --role admin | list | remove NAME\n"
    "  backup  copy the durable databases while serving: guichet backup --out DIR\n"
    "\n"
    "Common options: --site DIR (default: the current folder, or the nearest one above\n"
    "it, that has intents/ or knowledge/; else the default commune), --config FILE\n"
    "Every configuration key can be set with GUICHET_<SECTION>_<KEY>.\n"
    "`guichet <command> --help` tells more.\n";

struct cli {
    std::map<std::string, std::string> opts;
    std::vector<std::string> rest;
    bool help = false;
};

// Parses --key value options; `flags` take no value.
bool parse(const std::vector<std::string>& args, const std::vector<std::string>& with_value,
           cli& out, std::ostream& err) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& a = args[i];
        if (a == "--help" || a == "-h") {
            out.help = true;
        } else if (a.rfind("--", 0) == 0) {
            auto key = a.substr(2);
            if (std::find(with_value.begin(), with_value.end(), key) == with_value.end()) {
                err << "guichet: unknown option " << a << '\n';
                return false;
            }
            if (i + 1 >= args.size()) {
                err << "guichet: " << a << " needs a value\n";
                return false;
            }
            out.opts[key] = args[++i];
        } else {
            out.rest.push_back(a);
        }
    }
    return true;
}

// The site a command works on without --site: the current folder when it holds a site's
// content (staff run `guichet check` inside their site), or the nearest folder above it that
// does (`guichet check` run inside knowledge/faq/ checked the default commune and said ok),
// else the default commune.
// (Above the current folder, a folder counts only with content files in them: a build tree's
// tests/intents/ holds none.)
bool holds_site_files(const std::filesystem::path& dir) {
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() > 2) it.disable_recursion_pending();
        const auto ext = it->path().extension();
        if (ext == ".yaml" || ext == ".yml" || ext == ".csv") return true;
    }
    return false;
}

std::filesystem::path default_site() {
    std::error_code ec, missing;  // (a folder that is not there sets `missing`)
    auto dir = std::filesystem::current_path(ec);
    for (int up = 0; !ec && up < 64; ++up) {
        if (up == 0 ? std::filesystem::is_directory(dir / "intents", missing) ||
                          std::filesystem::is_directory(dir / "knowledge", missing)
                    : holds_site_files(dir / "intents") || holds_site_files(dir / "knowledge"))
            return up == 0 ? std::filesystem::path(".") : dir;
        if (!dir.has_parent_path() || dir.parent_path() == dir) break;
        dir = dir.parent_path();
    }
    return guichet::shipped::default_site();
}

// The site as staff should read it in "ok : aucun problème dans …": "." is the current folder.
std::string site_name(const std::filesystem::path& site) {
    std::error_code ec;
    auto abs = std::filesystem::absolute(site, ec);
    if (ec) return site.string();
    abs = abs.lexically_normal();  // "/srv/site/." → "/srv/site/"
    return (abs.has_filename() ? abs : abs.parent_path()).string();
}

guichet::app_options app_options_of(const cli& c) {
    guichet::app_options o;
    o.site = c.opts.count("site") ? std::filesystem::path(c.opts.at("site")) : default_site();
    if (c.opts.count("config")) o.config_file = c.opts.at("config");
    return o;
}

// One server per store: a second one on the same files answered its own citizens only (a
// report closed through one never reached a citizen talking to the other). The lock lives as
// long as the process (the kernel drops it at exit, even after a crash).
bool lock_store(const std::filesystem::path& state_db) {
    auto lock = state_db;
    lock += ".lock";
    const int fd = ::open(lock.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return true;  // a store that cannot be written fails later, with its setting
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = {};
        const auto n = ::pread(fd, pid, sizeof pid - 1, 0);
        std::string who = n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "";
        while (!who.empty() && (who.back() == '\n' || who.back() == ' ')) who.pop_back();
        std::cerr << "guichet: " << state_db.string() << ": another `guichet serve`"
                  << (who.empty() ? "" : " (pid " + who + ")")
                  << " already uses this store: stop it, or give this one its own store.path\n";
        ::close(fd);
        return false;
    }
    // The pid, only for the message above (a failed write loses nothing else).
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd, 0) == 0) (void)!::pwrite(fd, pid.data(), pid.size(), 0);
    return true;  // fd kept open: the lock is held until the process ends
}

int serve(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config", "host", "port"}, c, std::cerr)) return 2;
    if (c.help) {
        std::cout << "guichet serve [--site DIR] [--config FILE] [--host H] [--port N]\n"
                     "  Starts the server (default 127.0.0.1:8080; --port 0 picks a free port\n"
                     "  and prints it). Stops gracefully on SIGINT/SIGTERM.\n";
        return 0;
    }
    // --host and --port are checked as server.host and server.port are, before anything starts.
    for (auto [option, key] :
         {std::pair{"host", "server.host"}, std::pair{"port", "server.port"}}) {
        if (!c.opts.count(option)) continue;
        auto why = guichet::config::value_problem(*guichet::config::find_key(key), c.opts[option]);
        if (!why.empty()) {
            std::cerr << "guichet serve: --" << option << ": " << why << '\n';
            return 2;
        }
    }
    auto serving = app_options_of(c);
    serving.serving = true;
    auto a = guichet::app::create(serving, std::cerr);
    if (!a) {
        std::cerr << "guichet: not starting: fix the problems above\n";
        return 1;
    }
    if (!lock_store(guichet::store::state_file(a->config, app_options_of(c).site))) return 1;
    std::string host = c.opts.count("host") ? c.opts["host"] : a->config.get("server.host");
    long port = c.opts.count("port") ? *guichet::parse_whole(c.opts["port"])
                                     : a->config.get_int("server.port");
    guichet::http_limits limits;
    limits.body_limit = static_cast<std::size_t>(a->config.get_int("server.body_limit"));
    limits.idle_timeout = std::chrono::seconds(a->config.get_int("server.idle_timeout_s"));
    limits.max_connections = static_cast<std::size_t>(a->config.get_int("server.max_connections"));
    if (!guichet::web::apply_limits(a->config, limits, std::cerr)) return 1;
    guichet::http_server server(a->io, limits);
    std::shared_ptr<void> web_channel, directline;
    std::shared_ptr<void> staff_desk;
    std::unique_ptr<guichet::messaging> messaging_apps;  // Telegram, Meta, Slack, Matrix
    try {
        auto web_options = guichet::web::api_options_from(a->config);
        auto dl_options = guichet::directline::options_from(a->config);
        if (web_options.token_secret.empty()) {  // kept beside the store: tokens outlive restarts
            auto file = guichet::store::state_file(a->config, app_options_of(c).site).parent_path() /
                        "token_secret";
            web_options.token_secret = dl_options.token_secret = guichet::web::kept_secret(file);
        }
        if (a->store) {  // the channel's conversations outlive restarts
            auto stored = [st = a->store.get()](std::string channel) {
                return [st, channel](const std::string& conversation, std::size_t limit) {
                    std::vector<guichet::web::stored_message> kept;
                    for (auto& m : st->transcript(channel, conversation, limit))
                        kept.push_back({m.direction, m.text, m.at, m.author, m.who.user_id});
                    return kept;
                };
            };
            web_options.stored = stored("web");
            dl_options.stored = stored("directline");
        }
        web_channel =
            guichet::web::register_api(server, *a->router, a->push, std::move(web_options));
        directline = guichet::directline::register_directline(
            server, *a->router, a->push, std::move(dl_options));
        messaging_apps = guichet::register_messaging(a->io, server, *a->router, a->push, a->config,
                                                     app_options_of(c).site);
        if (messaging_apps && messaging_apps->outbox)
            a->undelivered = [m = messaging_apps.get()](const std::string& channel, const std::string& conversation,
                                                        std::int64_t since) {
                std::vector<guichet::app::undelivered_reply> out;
                for (auto& f : m->undelivered(channel, conversation, since * 1000))
                    out.push_back({f.created_ms / 1000, f.reason});
                return out;
            };
        staff_desk = guichet::agents::register_desk(server, *a);  // Open311, inbox, purge
    } catch (const std::exception& e) {
        std::cerr << "guichet: " << e.what() << '\n';
        return 1;
    }
    guichet::ops::configure_logging(*a);
    guichet::ops::service ops_service(*a, server);  // /metrics, /healthz, /readyz, reload, SIGHUP
    if (messaging_apps) messaging_apps->add_gauges(*a->metrics);
    // The channels served: their counters read 0 from the start.
    for (const char* channel : {"web", "directline"}) a->metrics->channel_served(channel);
    if (messaging_apps)
        for (auto& app : messaging_apps->enabled)
            if (app == "meta")
                for (const char* channel : {"whatsapp", "messenger"}) a->metrics->channel_served(channel);
            else
                a->metrics->channel_served(app);
    unsigned short actual = 0;
    try {
        actual = server.listen(host, static_cast<unsigned short>(port));
    } catch (const boost::system::system_error& e) {
        // The reason only: what() adds Boost's source file and function.
        std::cerr << "guichet: cannot listen on " << host << ':' << port << ": "
                  << e.code().message() << '\n';
        return 1;
    }
    // Graceful stop (the drain): /readyz says 503, every request already read is answered (with
    // `Connection: close`), the turns in progress finish, up to server.drain_timeout_s; then the
    // listening socket closes and the io stops (the store's writer commits what it holds).
    // (Caught before the address is said: a SIGTERM right after it killed the process.)
    asio::signal_set signals(a->io, SIGINT, SIGTERM);
    std::cout << "guichet listening on http://" << host << ':' << actual << std::endl;
    asio::steady_timer drain(a->io);
    auto deadline = std::make_shared<std::chrono::steady_clock::time_point>();
    std::function<void()> wait_idle = [&] {
        bool idle = a->router->active_conversations() == 0 && server.drained();
        if (idle || std::chrono::steady_clock::now() > *deadline) {
            if (!idle)
                guichet::log::warn("serve", "drain deadline reached with " +
                                                std::to_string(server.connections()) +
                                                " connection(s) and " +
                                                std::to_string(a->router->active_conversations()) +
                                                " conversation(s) still busy");
            server.close();
            // Replies pushed to WebSockets are being written: give them a moment.
            drain.expires_after(std::chrono::milliseconds(200));
            drain.async_wait([&](boost::system::error_code) { a->io.stop(); });
            return;
        }
        drain.expires_after(std::chrono::milliseconds(20));
        drain.async_wait([&](boost::system::error_code) { wait_idle(); });
    };
    signals.async_wait([&](boost::system::error_code ec, int sig) {
        if (ec) return;
        guichet::log::info("serve", std::string("stopping on ") + (sig == SIGINT ? "SIGINT" : "SIGTERM"));
        ops_service.draining();
        server.stop();
        *deadline = std::chrono::steady_clock::now() +
                    std::chrono::seconds(a->config.get_int("server.drain_timeout_s"));
        wait_idle();
    });
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < a->threads; ++i) threads.emplace_back([&] { a->io.run(); });
    a->io.run();
    for (auto& t : threads) t.join();
    std::cout << "guichet stopped" << std::endl;
    return 0;
}

int chat(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config", "locale"}, c, std::cerr)) return 2;
    if (c.help) {
        std::cout << "guichet chat [--site DIR] [--config FILE] [--locale fr|en]\n"
                     "  A conversation in this terminal. Type a number to press a button,\n"
                     "  /quit to leave. Nothing is kept: the conversation is stored in a\n"
                     "  temporary folder, removed on leaving, never in the site's state.db.\n";
        return 0;
    }
    guichet::log::set_min_level(guichet::log::level::warn);
    // Trying the bot is not a citizen's conversation: kept out of the message log and the
    // figures. A file rather than ":memory:", so that the store works as it does in `serve`.
    std::unique_ptr<guichet::throwaway_store> scratch;
    try {
        scratch = std::make_unique<guichet::throwaway_store>();
    } catch (const std::exception& e) {
        std::cerr << "guichet: " << e.what() << '\n';
        return 1;
    }
    auto o = app_options_of(c);
    o.store_file = scratch->file();
    auto a = guichet::app::create(o, std::cerr);
    if (!a) return 1;
    std::cout << "Conversation d'essai, effacée en quittant (rien dans state.db) / "
                 "A trial conversation, removed on leaving (nothing in state.db)\n";
    return guichet::run_console(*a, c.opts.count("locale") ? c.opts["locale"] : "", std::cin,
                                std::cout);
}

int check(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config"}, c, std::cerr)) return 2;
    if (c.help) {
        std::cout << "guichet check [--site DIR]\n"
                     "  Checks intent files, knowledge sources and tests/*.yaml conversations;\n"
                     "  prints each problem as file:line:column: message. Exit 0 when clean,\n"
                     "  1 otherwise. Without --site: the current folder, or the nearest one\n"
                     "  above it, that has intents/ or knowledge/; else the default commune.\n";
        return 0;
    }
    auto o = app_options_of(c);
    guichet::diagnostics problems;
    auto cfg = guichet::config::load_for_site(o.site, o.config_file, problems);
    guichet::plugin_host plugins(1);
    guichet::log::set_min_level(guichet::log::level::warn);
    auto so = guichet::make_site_options(cfg, o.site);
    guichet::intents::site_intents intents;
    std::ostringstream refused;  // said below as problems, with the file
    auto more = guichet::load_plugins(cfg, plugins, refused);
    // Said, not counted: what changes nothing but may be meant for something else.
    guichet::diagnostics warnings = guichet::unknown_variables(plugins);
    if (more.empty()) {
        auto p = guichet::plugin_problems(cfg, plugins);
        problems.insert(problems.end(), p.begin(), p.end());
        more = guichet::site::check(so, plugins, &intents, &warnings);
        if (!more.empty() && plugins.names().empty())
            more.insert(more.begin(), guichet::no_plugin_loaded(cfg));
    }
    problems.insert(problems.end(), more.begin(), more.end());
    // A messaging connector half configured: `serve` would refuse to start.
    for (auto& m : guichet::messaging_config_problems(cfg, o.config_file.empty() ? o.site / "guichet.yaml" : o.config_file))
        problems.push_back(m);
    // The conversation tests of tests/*.yaml: their shape and the intents they expect.
    guichet::conversation_checks checks;
    if (!intents.intents.empty()) checks.intents = &intents;
    checks.languages = so.languages;
    guichet::load_conversation_tests(o.site, problems, checks);
    for (auto& p : problems) std::cout << p.str() << '\n';
    for (auto& w : warnings) std::cout << "warning: " << w.str() << '\n';
    // A plugin's intent that no intent file defines is never asked (a plugin installed without
    // its intent files, a name misspelt in them): said, not counted as a problem (the shipped
    // reference plugin has none in the default commune).
    if (!intents.intents.empty())
        for (auto* p : plugins.plugins())
            for (auto& i : p->intents())
                if (!intents.find(i) && i != guichet::last_resort_intent)
                    std::cout << "note: " << p->file().string() << ": plugin '" << p->name() << "' serves intent '"
                              << i << "', which no intent file defines: nobody is sent to it\n";
    // French first, then English, as `guichet test` says "réussi(s) / passed".
    const auto site = site_name(o.site);
    if (problems.empty() && warnings.empty()) {
        std::cout << "ok : aucun problème dans " << site << " / ok: " << site << " has no problems\n";
    } else if (problems.empty()) {
        const auto n = std::to_string(warnings.size());
        std::cout << "ok : aucun problème dans " << site << " (" << n << " avertissement(s)) / ok: " << site
                  << " has no problems (" << n << " warning(s))\n";
    } else {
        const auto n = std::to_string(problems.size());  // (not the warnings', when there are both)
        std::cout << n << " problème(s) dans " << site << " / " << n << " problem(s) in " << site << '\n';
    }
    return problems.empty() ? 0 : 1;
}

int test(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config", "now"}, c, std::cerr)) return 2;
    if (c.help) {
        std::cout << "guichet test [--site DIR] [--now 2026-12-05T10:00:00]\n"
                     "  Runs the tests of every intent file and the conversation tests of\n"
                     "  <site>/tests/**/*.yaml with a fixed clock; exit 0 when all pass.\n";
        return 0;
    }
    guichet::log::set_min_level(guichet::log::level::warn);
    auto o = app_options_of(c);
    std::cout << "site: " << site_name(o.site) << '\n';
    o.quiet = true;
    o.store_file = ":memory:";
    auto a = guichet::app::create(o, std::cerr);
    if (!a) return 1;
    auto s = a->engine->current_site();
    std::string now_text = c.opts.count("now") ? c.opts["now"] : "2026-12-02T10:00:00";
    auto now = guichet::hours::parse_local_iso(now_text, s->options().time_zone);
    if (!now) {
        std::cerr << "guichet: --now: '" << now_text << "' is not a local date-time\n";
        return 2;
    }
    auto eo = guichet::make_engine_options(a->config);
    auto report = guichet::run_site_tests(*a->plugins, s, eo, *now);
    // The FAQ's questions as written, listed when another intent answers (for staff; the reload
    // gate does not ask them).
    if (!eo.fallback_intent.empty() && s->intents().find(eo.fallback_intent))
        guichet::run_faq_questions(*a->plugins, s, eo, *now, report);
    guichet::print_report(report, std::cout);
    return report.failures.empty() ? 0 : 1;
}

int explain(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config", "locale", "now"}, c, std::cerr)) return 2;
    if (c.help || c.rest.empty()) {
        (c.help ? std::cout : std::cerr)
            << "guichet explain \"TEXT\"... [--site DIR] [--locale fr|en] [--now 2026-12-05T10:00:00]\n"
               "  For each text: the language guessed, the names and dates found, the intents\n"
               "  the classifier ranks, what is understood, and the bot's answer.\n"
               "guichet explain \"TEXTE\"... : pour chaque texte, la langue devinee, les noms et\n"
               "  dates trouves, les intentions classees, ce qui est compris, et la reponse.\n";
        return c.help ? 0 : 2;
    }
    guichet::log::set_min_level(guichet::log::level::warn);
    auto o = app_options_of(c);
    std::cout << "site: " << site_name(o.site) << '\n';
    o.quiet = true;
    o.store_file = ":memory:";
    auto a = guichet::app::create(o, std::cerr);
    if (!a) return 1;
    std::int64_t now = 0;
    if (c.opts.count("now")) {
        auto t = guichet::hours::parse_local_iso(c.opts["now"], a->engine->current_site()->options().time_zone);
        if (!t) {
            std::cerr << "guichet: --now: '" << c.opts["now"] << "' is not a local date-time\n";
            return 2;
        }
        now = *t;
    } else {
        now = std::chrono::duration_cast<std::chrono::seconds>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
    }
    return guichet::run_explain(*a, c.rest, c.opts.count("locale") ? c.opts["locale"] : "", now,
                                std::cout);
}

int backup(const std::vector<std::string>& args) {
    cli c;
    if (!parse(args, {"site", "config", "out"}, c, std::cerr)) return 2;
    if (c.help || !c.opts.count("out")) {
        (c.help ? std::cout : std::cerr)
            << "guichet backup --out DIR [--site DIR] [--config FILE]\n"
               "  Copies the durable databases (state.db: conversations, reports, message log;\n"
               "  staff.db; analytics.db; outbox.db: messages accepted for the messaging apps\n"
               "  and not yet delivered) into DIR, consistently, while the server runs.\n"
               "  Exit 0 when every copy passed its integrity check.\n";
        return c.help ? 0 : 2;
    }
    auto o = app_options_of(c);
    guichet::diagnostics problems;
    auto cfg = guichet::config::load_for_site(o.site, o.config_file, problems);
    for (auto& p : problems) std::cerr << p.str() << '\n';
    if (!problems.empty()) return 1;
    std::vector<guichet::ops::backup_source> sources = {
        {"state.db", guichet::store::state_file(cfg, o.site)},
        {"staff.db", guichet::admin::accounts_file(cfg, o.site)},
        {"analytics.db", guichet::analytics::configured_file(cfg, o.site)},
        {"outbox.db", guichet::outbox_file(cfg, o.site)},
        {"token_secret", guichet::store::state_file(cfg, o.site).parent_path() / "token_secret", true}};
    return guichet::ops::backup_databases(sources, c.opts["out"], std::cout, std::cerr) ? 0 : 1;
}

int kb(const std::vector<std::string>& args) {
    std::vector<std::string> a = args;
    bool has_site = std::find(a.begin(), a.end(), "--site") != a.end();
    bool help = std::find(a.begin(), a.end(), "--help") != a.end();
    if (!has_site && !help && !a.empty()) {
        a.push_back("--site");
        a.push_back(default_site().string());
    }
    // Without --out, where the server reads it: kb.path (GUICHET_KB_PATH) when set.
    if (!help && !a.empty() && std::find(a.begin(), a.end(), "--out") == a.end()) {
        auto site = std::find(a.begin(), a.end(), "--site");
        if (site != a.end() && site + 1 != a.end()) {
            guichet::diagnostics problems;
            auto cfg = guichet::config::load_for_site(*(site + 1), {}, problems);
            for (auto& p : problems) std::cerr << p.str() << '\n';
            if (!problems.empty()) return 1;
            if (auto path = cfg.get("kb.path"); !path.empty()) {
                a.push_back("--out");
                a.push_back(path);
            }
        }
    }
    guichet::kb::build_options o;
    o.validate_opening_hours = guichet::validate_opening_hours;
    return guichet::kb::run_kb_command(a, std::cout, std::cerr, o);
}

}  // namespace

int main(int argc, char** argv) {
    // Before any connection opens: SQLite's allocation statistics, which nothing here reads,
    // take one process-wide mutex on every allocation of every connection.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << usage_text;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "guichet " GUICHET_VERSION " (plugin ABI " << GUICHET_ABI_MAJOR << '.'
                  << GUICHET_ABI_MINOR << ")\n";
        return 0;
    }
    std::string cmd = args[0];
    args.erase(args.begin());
    try {
        if (cmd == "serve") return serve(args);
        if (cmd == "chat") return chat(args);
        if (cmd == "check") return check(args);
        if (cmd == "test") return test(args);
        if (cmd == "explain") return explain(args);
        if (cmd == "kb") return kb(args);
        if (cmd == "backup") return backup(args);
        if (cmd == "hours") return guichet::hours::run_hours_command(args, std::cout, std::cerr);
        if (cmd == "nlu") return guichet::nlu::run_nlu_command(args, std::cout, std::cerr);
        if (cmd == "staff")
            return guichet::admin::run_staff_command(args, std::cin, std::cout, std::cerr,
                                                     default_site().string());
    } catch (const std::exception& e) {
        std::cerr << "guichet " << cmd << ": " << e.what() << '\n';
        return 1;
    }
    std::cerr << "guichet: unknown command '" << cmd << "'\n\n" << usage_text;
    return 2;
}
