// The assembled engine for one site: configuration, plugins, site content, dialogue and
// router on one io_context. `guichet serve`, `chat` and `test` all start from here.
#pragma once

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "app/shipped_files.h"
#include "config/config.h"
#include "dialogue/engine.h"
#include "engine/presence.h"
#include "engine/push.h"
#include "engine/site.h"
#include "plugin_host/plugin_host.h"
#include "router/router.h"
#include "store/store.h"
#include "analytics/analytics.h"
#include "ops/metrics.h"

namespace guichet {

struct app_options {
    std::filesystem::path site = shipped::default_site();
    std::filesystem::path config_file;  // empty: <site>/guichet.yaml when it exists
    bool build_kb = true;
    // Commands that print a report (test, explain): warnings and errors only, whatever
    // log.level says (the loading lines mixed into the report).
    bool quiet = false;
    // `guichet serve`: the site that loaded is kept (var/last-good/), and served instead when
    // a file is broken at a later start (site::last_good).
    bool serving = false;
    // Where the conversations go instead of the site's state.db; empty: as configured
    // (store.path). `guichet test` and `explain`: ":memory:" (they created state.db beside
    // kb.path, and `guichet backup` then copied that empty file instead of saying that it found
    // no conversations). `guichet chat`: a file in a throwaway folder.
    std::filesystem::path store_file;
};

class app {
public:
    // Prints every problem (file:line:column: message) to err and returns nullptr when the
    // configuration, a plugin the intents need, the intents or the knowledge are broken.
    static std::unique_ptr<app> create(const app_options& options, std::ostream& err);
    ~app();

    guichet::config config;
    std::size_t threads = 1;
    boost::asio::io_context io;
    std::unique_ptr<plugin_host> plugins;
    std::unique_ptr<guichet::engine> engine;
    std::unique_ptr<guichet::router> router;
    std::unique_ptr<store::store> store;  // durable state (store/); outlives the engine
    push_hub push;  // replies that arrive outside a request (agents, statuses)
    agents_presence presence;  // agents signed in to a console (the consoles add their count)
    // Figures of every turn (ops/, analytics/), recorded by the router's handler.
    std::shared_ptr<ops::metrics> metrics = std::make_shared<ops::metrics>();
    std::shared_ptr<analytics::store> analytics = std::make_shared<analytics::store>();
    // The replies a messaging platform refused for good in a conversation since `since` (Unix
    // seconds): when each was written, and the platform's reason. Set by `serve` when a
    // messaging app is on; the agents' console warns with it.
    struct undelivered_reply {
        std::int64_t at = 0;
        std::string reason;
    };
    std::function<std::vector<undelivered_reply>(const std::string& channel, const std::string& conversation,
                                                 std::int64_t since)>
        undelivered;

    // The options of the site's own files (--site), also when the last-good copy is served.
    site_options site_options_for() const;
    // `serve` only: the site's files did not load at start, so the last site that loaded
    // (var/last-good/) is served; these are their problems (the reloader reports them until
    // it puts the fixed files online). Empty when the site itself is served.
    diagnostics last_good_because;

private:
    app() = default;
    std::filesystem::path site_root_;
};

// Options that name a site, shared by every subcommand.
site_options make_site_options(const config& c, const std::filesystem::path& root);
// The engine's options from the configuration's engine.* keys (and dialogue.idle_seconds).
engine_options make_engine_options(const config& c);

// plugins.dir, or the build's plugins folder when it is unset.
std::filesystem::path plugins_dir(const config& c);
// Loads the plugins of plugins_dir() into `plugins`; one that cannot be loaded is said on `err`
// (as a log error when `as_log`: the server's log, in its format) and left out (the others
// serve). Returns the problem of a plugins.dir that is no folder.
diagnostics load_plugins(const config& c, plugin_host& plugins, std::ostream& err, bool as_log = false);
// The problem to put before the intents' "plugin not loaded" when the folder gave none: it
// names the folder and its setting (GUICHET_PLUGINS_DIR, guichet.yaml:5:8: 'plugins.dir').
diagnostic no_plugin_loaded(const config& c);
// For `guichet check`: the plugins refused when loading (a wrong ABI, a second plugin of the
// same name…) and the configuration's sections that are neither the engine's nor a loaded
// plugin's ("servr:", "parkng_fee:"), each with the nearest name.
diagnostics plugin_problems(const config& c, const plugin_host& plugins);
// Of those, the sections that are neither guichet's nor a loaded plugin's (`serve` refuses them).
diagnostics unknown_sections(const config& c, const plugin_host& plugins);
// The GUICHET_ variables of the environment that name no section: neither guichet's (a wrong
// key of those is config::load's problem) nor a loaded plugin's, nor one of guichet's other
// variables (GUICHET_STAFF_PASSWORD); each with the nearest setting ("GUICHET_SERVR_PORT=9000"
// changed nothing, silently). Warnings for `serve` and `check`: such a variable may be meant for
// something else. Reads the environment; not thread-safe against setenv().
diagnostics unknown_variables(const plugin_host& plugins);

}  // namespace guichet
