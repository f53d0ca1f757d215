// Assembly of the engine from the configuration; every failure is reported, none hidden.
#include "app/app.h"

#include "common/did_you_mean.h"
#include "common/split_list.h"

#include <unistd.h>

#include <algorithm>
#include <thread>

#include "engine/log.h"
#include "store/configured.h"
#include "ops/ops_service.h"

namespace guichet {

site_options make_site_options(const config& c, const std::filesystem::path& root) {
    site_options o;
    o.root = root;
    o.time_zone = c.get("engine.time_zone");
    o.alsace_moselle = c.get_bool("engine.alsace_moselle");
    o.languages = split_list(c.get("engine.languages"));
    if (o.languages.empty()) o.languages = {"fr", "en"};
    if (!c.get("kb.path").empty()) o.kb_path = c.get("kb.path");
    if (!c.origin("kb.path").empty()) o.kb_path_setting = c.setting_name("kb.path");
    o.desk_place = c.get("agents.desk_place");
    if (!c.origin("agents.desk_place").empty())
        o.desk_place_setting = c.setting_name("agents.desk_place");
    o.fallback_intent = c.get("engine.fallback_intent");
    if (!c.origin("engine.fallback_intent").empty())
        o.fallback_intent_setting = c.setting_name("engine.fallback_intent");
    o.plugins_folder = plugins_dir(c).string() +
                       (c.origin("plugins.dir").empty()
                            ? ", the default; set plugins.dir or GUICHET_PLUGINS_DIR to change it"
                            : ", set by " + c.setting_name("plugins.dir"));
    return o;
}

engine_options make_engine_options(const config& c) {
    engine_options eo;
    eo.turn_deadline = std::chrono::milliseconds(c.get_int("engine.turn_deadline_ms"));
    eo.ambiguity_margin = c.get_double("engine.ambiguity_margin");
    eo.fallback_intent = c.get("engine.fallback_intent");
    eo.message_max_bytes = static_cast<std::size_t>(c.get_int("engine.message_max_bytes"));
    eo.context_idle_seconds = store::idle_seconds(c);
    return eo;
}

site_options app::site_options_for() const { return make_site_options(config, site_root_); }

app::~app() {
    // Turns hold references into the plugins: stop the io first, then unload.
    io.stop();
    router.reset();
    engine.reset();
}

std::filesystem::path plugins_dir(const config& c) {
    auto dir = c.get("plugins.dir");
    return dir.empty() ? shipped::plugins_dir()
                       : std::filesystem::path(dir);
}

diagnostics load_plugins(const config& c, plugin_host& plugins, std::ostream& err, bool as_log) {
    auto dir = plugins_dir(c);
    std::error_code ec;
    if (!c.get("plugins.dir").empty() && !std::filesystem::is_directory(dir, ec)) {
        diagnostic d{
            c.setting_name("plugins.dir"), 0, 0,
            dir.string() + " is not a folder: the folder of the plugins' .so files is expected"};
        return {d};
    }
    // Each plugin gets the section named after it ("parking_fee:" for plugin parking_fee).
    for (auto& e : plugins.load_dir(dir, [&c](const std::string& n) { return c.section_json(n); }))
        if (as_log) log::error("plugin_host", e);
        else err << e << '\n';
    return {};
}

diagnostics plugin_problems(const config& c, const plugin_host& plugins) {
    diagnostics out;
    for (auto& r : plugins.refusals()) out.push_back({r.file.string(), 0, 0, r.why});
    auto unknown = unknown_sections(c, plugins);
    out.insert(out.end(), unknown.begin(), unknown.end());
    return out;
}

diagnostics unknown_sections(const config& c, const plugin_host& plugins) {
    diagnostics out;
    auto names = config::known_sections();
    for (auto& n : plugins.names()) names.push_back(n);
    for (auto& [name, where] : c.free_sections())
        if (!plugins.names().count(name)) {
            auto d = where;
            d.message = "unknown section '" + name + "': neither a setting of guichet nor a loaded "
                        "plugin's" + did_you_mean(name, names);
            out.push_back(std::move(d));
        }
    return out;
}

diagnostics unknown_variables(const plugin_host& plugins) {
    // Read by guichet, but no setting: the password of `guichet staff add`, the scripts' jobs.
    static const std::vector<std::string> others = {"GUICHET_STAFF_PASSWORD", "GUICHET_JOBS"};
    std::vector<std::string> names;  // every setting's variable
    for (auto& k : config::known()) names.push_back(environment_name(k.name));
    std::vector<std::string> sections;  // GUICHET_SERVER, GUICHET_PARKING_FEE…
    for (auto& s : config::known_sections()) sections.push_back(environment_name(s));
    std::vector<std::string> plugin_sections;
    for (auto& p : plugins.names()) plugin_sections.push_back(environment_name(p));
    sections.insert(sections.end(), plugin_sections.begin(), plugin_sections.end());
    diagnostics out;
    for (char** e = environ; e && *e; ++e) {
        const std::string_view entry(*e);
        const std::string name(entry.substr(0, entry.find('=')));
        if (!name.starts_with("GUICHET_") ||
            std::find(others.begin(), others.end(), name) != others.end() ||
            std::any_of(sections.begin(), sections.end(),
                        [&](const std::string& s) { return name.starts_with(s + "_"); }))
            continue;
        // A setting of guichet's one typo away, or a plugin's section misspelt before its key
        // (GUICHET_PARKNG_FEE_HOURLY_EUR: the key is the plugin's own, taken as written).
        auto near = names;
        for (auto at = name.find('_', 8); at != std::string::npos; at = name.find('_', at + 1))
            if (auto s = closest(name.substr(0, at), plugin_sections); !s.empty())
                near.push_back(s + name.substr(at));
        out.push_back({name, 0, 0,
                       "names no setting of guichet nor of a loaded plugin: ignored" +
                           did_you_mean(name, near)});
    }
    return out;
}

diagnostic no_plugin_loaded(const config& c) {
    return {c.setting_name("plugins.dir"), 0, 0,
            plugins_dir(c).string() +
                ": no plugin was loaded from this folder (set plugins.dir or GUICHET_PLUGINS_DIR "
                "to the folder of the plugins' .so files)"};
}

std::unique_ptr<app> app::create(const app_options& options, std::ostream& err) {
    std::unique_ptr<app> a(new app());
    a->site_root_ = options.site;
    diagnostics problems;
    a->config = config::load_for_site(options.site, options.config_file, problems);
    for (auto& p : problems) err << p.str() << '\n';
    if (!problems.empty()) return nullptr;
    try {
        auto lvl = a->config.get("log.level");
        log::set_min_level(lvl == "error"                   ? log::level::error
                           : lvl == "warn" || options.quiet ? log::level::warn
                           : lvl == "debug"                 ? log::level::debug
                                                            : log::level::info);
        // The server's log format from its first line on (the plugins' "loaded" lines were text
        // in a JSON log).
        if (options.serving) log::set_json(a->config.get("ops.log_format") == "json");
        long threads = a->config.get_int("server.threads");
        a->threads = threads > 0 ? static_cast<std::size_t>(threads)
                                 : std::max(1u, std::thread::hardware_concurrency());
        a->plugins = std::make_unique<plugin_host>(
            static_cast<std::size_t>(a->config.get_int("engine.blocking_workers")));
        problems = load_plugins(a->config, *a->plugins, err, options.serving);
        // A section nobody reads ("servr:" for "server:") is refused as `check` refuses it: the
        // server started on its defaults, silently.
        for (auto& p : unknown_sections(a->config, *a->plugins)) problems.push_back(std::move(p));
        for (auto& w : unknown_variables(*a->plugins)) log::warn("config", w.str());
        for (auto& p : problems) err << p.str() << '\n';
        if (!problems.empty()) return nullptr;

        auto so = a->site_options_for();
        so.build_kb = options.build_kb;
        auto s = site::load(so, *a->plugins, problems);
        if (!s && a->plugins->names().empty())
            problems.insert(problems.begin(), no_plugin_loaded(a->config));
        for (auto& p : problems) err << p.str() << '\n';
        // A file broken since the last start (an edit the live reload refused, then a restart):
        // the last site that loaded is served, said loudly, until the files are fixed (the
        // live reload then puts them online). It stopped the service at the next restart.
        if (!s && !a->plugins->names().empty() && options.serving)
            if (auto kept = site::last_good(so)) {
                diagnostics again;
                if ((s = site::load(*kept, *a->plugins, again))) {
                    // Never empty: it also says that the copy is served (ops::service).
                    a->last_good_because =
                        problems.empty()
                            ? diagnostics{{so.root.string(), 0, 0, "the site did not load"}}
                            : problems;
                    err << "guichet: serving the last version of the site that loaded ("
                        << kept->root.string()
                        << ") until the problems above are fixed; the live reload then puts the "
                           "fixed files online\n";
                }
            }
        if (!s) return nullptr;
        if (options.serving && s->options().root == so.root) site::keep_as_last_good(so);
        // A refused plugin does not stop the whole town's bot: its intents answer that they
        // cannot answer now (and offer a person); said here, where the IT person looks.
        for (auto& r : a->plugins->refusals()) {
            if (r.name.empty()) continue;  // (a second file of a loaded plugin's name)
            std::string intents;
            for (auto& in : s->intents().intents)
                if (in.plugin == r.name) intents += (intents.empty() ? "" : ", ") + in.name;
            if (!intents.empty())
                log::error("plugin_host", "serving without plugin '" + r.name + "' (refused: " +
                                              r.why + "): " + intents +
                                              " answer that they cannot answer now; fix " +
                                              r.file.string() + " and restart");
        }

        a->engine = std::make_unique<guichet::engine>(*a->plugins, std::move(s),
                                                      make_engine_options(a->config));
        a->store = options.store_file.empty() ? store::open_configured(a->config, a->site_root_)
                                              : store::open_sqlite(options.store_file);
        a->engine->set_store(a->store.get());
        a->engine->set_agents_signed_in([p = &a->presence] { return p->count(); });
        router_limits rl;
        rl.queue_per_conversation =
            static_cast<std::size_t>(a->config.get_int("engine.queue_per_conversation"));
        auto* eng = a->engine.get();
        a->router = std::make_unique<guichet::router>(
            a->io,
            [eng, m = a->metrics, an = a->analytics](message msg) {
                return ops::observed_turn(*eng, *m, *an, std::move(msg));
            },
            rl);
    } catch (const std::exception& e) {
        // The messages name their setting (GUICHET_STORE_PATH, guichet.yaml:3:9: 'store.path').
        err << "guichet: " << e.what() << '\n';
        return nullptr;
    }
    return a;
}

}  // namespace guichet
