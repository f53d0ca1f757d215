// Configuration loading: YAML file, then environment overrides, checked against the list of
// known keys so a typo in a key is an error rather than a silently ignored setting, and every
// value against its key's kind and range.
#include "config/config.h"

#include <unicode/timezone.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <boost/asio/ip/address.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "common/did_you_mean.h"
#include "common/split_list.h"

namespace guichet {

namespace {

constexpr double no_max = 2147483647;  // keeps every duration and size well inside its type

// The rows of `config::known()`, by kind.
constexpr config_key text(std::string_view name, std::string_view def, std::string_view help,
                          bool secret = false) {
    return {name, def, help, value_kind::text, 0, 0, {}, secret};
}
constexpr config_key whole(std::string_view name, std::string_view def, double min, double max,
                           std::string_view help) {
    return {name, def, help, value_kind::whole, min, max, {}, false};
}
constexpr config_key decimal(std::string_view name, std::string_view def, double min, double max,
                             std::string_view help) {
    return {name, def, help, value_kind::number, min, max, {}, false};
}
constexpr config_key yes_no(std::string_view name, std::string_view def, std::string_view help) {
    return {name, def, help, value_kind::boolean, 0, 0, {}, false};
}
constexpr config_key one_of(std::string_view name, std::string_view def, std::string_view choices,
                            std::string_view help) {
    return {name, def, help, value_kind::choice, 0, 0, choices, false};
}
constexpr config_key of_kind(value_kind kind, std::string_view name, std::string_view def,
                             std::string_view help, bool secret = false) {
    return {name, def, help, kind, 0, 0, {}, secret};
}

}  // namespace

const std::vector<config_key>& config::known() {
    using k = value_kind;
    static const std::vector<config_key> keys = {
        // The engine's sections: every key has its default here (README, "Configuration").
        of_kind(k::address, "server.host", "127.0.0.1", "address to listen on"),
        whole("server.port", "8080", 0, 65535,
              "port to listen on (0 picks a free one and prints it)"),
        whole("server.threads", "0", 0, 256, "network threads (0: one per core)"),
        whole("server.body_limit", "65536", 1, no_max,
              "largest HTTP request body accepted, in bytes (413 above)"),
        whole("server.idle_timeout_s", "30", 1, 86400,
              "an HTTP connection idle this long is closed"),
        whole("server.max_connections", "20000", 1, 1000000, "connections served at once"),
        whole("server.drain_timeout_s", "10", 1, 3600,
              "a graceful stop (SIGTERM) waits this long at most for the requests and turns in progress"),
        of_kind(k::time_zone, "engine.time_zone", "Europe/Paris", "the site's IANA time zone"),
        text("engine.languages", "fr,en",
             "languages the site answers in, the first is the default"),
        whole("engine.turn_deadline_ms", "3000", 1, 600000,
              "a plugin that has not answered by then is replaced by the fallback"),
        whole("engine.message_max_bytes", "4096", 1, 1048576,
              "a message's text is cut to this length"),
        whole("engine.queue_per_conversation", "64", 1, 100000,
              "messages waiting in one conversation"),
        yes_no("engine.alsace_moselle", "false",
               "add Good Friday and 26 December to public holidays"),
        decimal("engine.ambiguity_margin", "0.12", 0, 1,
                "two intents closer than this are offered as a choice"),
        text("engine.fallback_intent", "faq.ask",
             "a message not understood is first put to this intent's plugin; empty: off"),
        whole("engine.blocking_workers", "2", 1, 256,
              "threads that run plugins flagged as blocking"),
        text("plugins.dir", "", "folder of plugin .so files (empty: the build's plugins folder)"),
        text("kb.path", "",
             "compiled knowledge base (empty: <site>/var/knowledge.db, rebuilt at start)"),
        one_of("log.level", "info", "debug,info,warn,error", "debug, info, warn or error"),
        // The other sections: their keys are checked the same way; a default "" is the one of
        // the component that reads it (documented beside it).
        text("store.path", "", "conversations, reports, handoffs, message log (SQLite)"),
        whole("retention.messages_days", "90", 0, 36500, "message log kept this many days"),
        whole("retention.conversations_days", "90", 0, 36500, "conversations kept this many days"),
        whole("retention.reports_days", "365", 0, 36500, "reports kept this many days"),
        whole("retention.handoffs_days", "365", 0, 36500, "handoffs kept this many days"),
        whole("retention.purge_interval_s", "3600", 0, 31536000, "how often the purge runs"),
        whole("dialogue.idle_seconds", "1800", 0, 31536000,
              "a half-filled form is forgotten after this"),
        text("open311.api_key", "", "key of the Open311 writes", true),
        text("open311.jurisdiction_id", "", "Open311 jurisdiction"),
        text("agents.password", "", "the agents' inbox at /agents", true),
        text("agents.desk_place", "accueil_mairie",
             "the place (knowledge/places.yaml) whose opening hours are the agents' duty hours"),
        whole("agents.duty_check_s", "30", 1, 86400,
              "how often the waiting citizens are checked for a closed desk or no agent signed in"),
        text("web.token_secret", "",
             "signs the conversation tokens (unset: a key kept in token_secret beside the store)",
             true),
        whole("web.token_lifetime_s", "", 1, 31536000, "a conversation token's lifetime (3600)"),
        whole("web.token_renewable_s", "", 0, 31536000,
              "how long after it expired a token still renews its conversation's (86400)"),
        whole("web.ws_message_max", "", 1, 16777216, "largest WebSocket message (16384)"),
        whole("web.ws_idle_timeout_s", "", 1, 86400,
              "an idle WebSocket is pinged, then closed (300)"),
        whole("web.history_max", "", 1, 1000000, "entries kept per conversation (200)"),
        whole("web.conversations_max", "", 1, 100000000, "conversations kept in memory (100000)"),
        text("web.static_dir", "", "where the web page and widget are read from"),
        text("web.cors_origins", "", "origins allowed to call the API from a browser"),
        whole("limits.rate_per_minute", "", 0, 1000000,
              "POSTs per client address per minute (120; 0: off)"),
        whole("limits.max_connections_per_ip", "", 1, 1000000,
              "open connections per client address (256)"),
        text("limits.trusted_proxies", "", "addresses whose X-Forwarded-For is believed"),
        text("directline.secret", "", "Direct Line secret (empty: Direct Line is off)", true),
        of_kind(k::url, "directline.public_url", "", "the public URL for streamUrl"),
        whole("directline.token_lifetime_s", "", 1, 31536000,
              "a Direct Line token's lifetime (1800)"),
        of_kind(k::token, "telegram.secret_token", "", "the webhook's secret token", true),
        text("telegram.bot_token", "", "the bot's token from BotFather", true),
        of_kind(k::api_url, "telegram.api_url", "https://api.telegram.org", "Bot API base URL"),
        text("meta.app_secret", "", "the app secret (webhook signatures)", true),
        text("meta.verify_token", "", "the webhook's verify token", true),
        text("meta.access_token", "", "the page or WhatsApp access token", true),
        of_kind(k::api_url, "meta.api_url", "https://graph.facebook.com/v21.0",
                "Graph API base URL"),
        text("meta.phone_number_id", "", "WhatsApp phone number id (pushed replies)"),
        text("meta.whatsapp_template", "",
             "WhatsApp template sent outside the 24-hour window (one body parameter)"),
        text("meta.whatsapp_template_language", "fr", "that template's language code"),
        whole("meta.held_reply_max_age_h", "72", 1, 2160,
              "a reply held for the citizen's next message (24-hour window closed) is failed as "
              "expired, never sent, after this many hours"),
        text("slack.signing_secret", "", "the app's signing secret", true),
        text("slack.bot_token", "", "the bot token (xoxb-…)", true),
        of_kind(k::api_url, "slack.api_url", "https://slack.com/api", "Web API base URL"),
        text("matrix.hs_token", "", "the homeserver's token (application service)", true),
        text("matrix.as_token", "", "the application service's token", true),
        of_kind(k::api_url, "matrix.api_url", "", "the homeserver's client-server URL"),
        text("matrix.user_id", "", "the bot's own user id"),
        text("outbox.path", "", "the outbox (SQLite; outbox.db beside the store)"),
        whole("outbox.retry_base_ms", "500", 1, 3600000, "first retry delay"),
        whole("outbox.retry_max_ms", "60000", 1, 86400000, "longest retry delay"),
        whole("outbox.poll_ms", "1000", 1, 3600000, "the delivery loop's period"),
        whole("outbox.timeout_ms", "10000", 1, 600000, "one outbound HTTPS call"),
        one_of("ops.log_format", "text", "text,json", "text or json log lines"),
        yes_no("ops.mask_personal_data", "true", "mask e-mails, phones, NIR, IBAN in the logs"),
        yes_no("ops.reload", "true", "watch the site and reload it"),
        whole("ops.reload_poll_ms", "500", 1, 3600000, "how often the site is watched"),
        text("ops.staff_token", "", "enables /api/v1/staff/*", true),
        text("admin.accounts_path", "", "the console's accounts (staff.db beside the store)"),
        whole("admin.session_idle_s", "1800", 1, 31536000, "a console session idle this long ends"),
        whole("admin.session_lifetime_s", "28800", 1, 31536000, "a console session's longest life"),
        whole("admin.login_failures_per_minute", "5", 1, 1000000,
              "failed logins allowed per minute"),
        text("admin.static_dir", "", "the console's files"),
        text("analytics.path", "", "figures and votes (analytics.db beside the store)"),
    };
    return keys;
}

const config_key* config::find_key(std::string_view name) {
    for (auto& k : known())
        if (k.name == name) return &k;
    return nullptr;
}

std::string environment_name(std::string_view key) {
    std::string out = "GUICHET_";
    for (char c : key) out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

config config::defaults() {
    config c;
    for (auto& k : known()) c.values_[std::string(k.name)] = std::string(k.default_value);
    c.apply_environment();
    return c;
}

void config::apply_environment() {
    for (auto& k : known()) {
        auto env = environment_name(k.name);
        if (const char* v = std::getenv(env.c_str())) {
            // Without the spaces and line ends around it: an env file saved with Windows line
            // ends gave "GUICHET_SERVER_PORT: '9651' is not a whole number" (its "\r" unseen).
            std::string_view value(v);
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front()))) value.remove_prefix(1);
            while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back()))) value.remove_suffix(1);
            values_[std::string(k.name)] = std::string(value);
            origins_[std::string(k.name)] = env;
        }
    }
}

std::optional<long long> parse_whole(std::string_view text) {
    long long n = 0;
    auto* end = text.data() + text.size();
    auto [at, ec] = std::from_chars(text.data(), end, n);
    if (text.empty() || ec != std::errc() || at != end) return std::nullopt;
    return n;
}

std::optional<double> parse_number(std::string_view text) {
    // std::from_chars for double is missing from older standard libraries: strtod, checked
    // to have read it all (and no leading blank, which strtod would skip).
    if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
    std::string s(text);
    char* end = nullptr;
    errno = 0;
    double d = std::strtod(s.c_str(), &end);
    if (errno != 0 || end != s.c_str() + s.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

std::optional<bool> parse_bool(std::string_view text) {
    std::string v;
    for (char c : text) v += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* t : {"true", "1", "yes", "on", "oui"})
        if (v == t) return true;
    for (const char* f : {"false", "0", "no", "off", "non"})
        if (v == f) return false;
    return std::nullopt;
}

namespace {

std::string whole_text(double n) { return std::to_string(static_cast<long long>(n)); }

// "a whole number from 0 to 65535", "a whole number >= 1"
std::string whole_expected(const config_key& k) {
    if (k.max >= no_max) return "a whole number >= " + whole_text(k.min);
    return "a whole number from " + whole_text(k.min) + " to " + whole_text(k.max);
}

std::string choices_text(std::string_view choices) {
    std::string out;
    for (char c : choices) out += c == ',' ? std::string(", ") : std::string(1, c);
    return out;
}

bool in_choices(std::string_view choices, std::string_view v) {
    for (std::size_t i = 0; i <= choices.size();) {
        auto j = std::min(choices.find(',', i), choices.size());
        if (choices.substr(i, j - i) == v) return true;
        i = j + 1;
    }
    return false;
}

// What is wrong with `v` as a URL for `k`, or "".
std::string url_problem(const config_key& k, const std::string& v) {
    auto u = boost::urls::parse_absolute_uri(v);
    const std::string expected =
        k.kind == value_kind::api_url
            ? "an https:// URL (http:// only for 127.0.0.1 or localhost), such as "
              "https://api.example.org"
            : "an http:// or https:// URL, such as https://chat.example.fr";
    if (!u || (u->scheme() != "http" && u->scheme() != "https") || u->encoded_host().empty())
        return "'" + v + "' is not " + expected;
    if (k.kind == value_kind::api_url && u->scheme() == "http") {
        // The outbound client's rule (outbound/https_client.cpp): plain HTTP stays on this machine.
        std::string host(u->encoded_host());
        if (host != "127.0.0.1" && host != "localhost" && host != "[::1]")
            return "'" + v + "' is not " + expected;
    }
    return "";
}

}  // namespace

// A value read at startup would otherwise fail late, or silently be something else: a time
// zone ICU does not know turned every local time into UTC, "-1" threads crashed the server,
// "True" turned the masking of personal data off.
std::string config::value_problem(const config_key& k, const std::string& value) {
    if (value.empty() && k.default_value.empty()) return "";
    // A secret is never repeated: it would end in a terminal or a log.
    const std::string shown = k.secret ? "the value" : "'" + value + "'";
    switch (k.kind) {
        case value_kind::text:
            // The staff API's key is ours to choose: one a script could guess unlocks the
            // citizens' questions and the reloads ("a" was taken).
            if (k.name == "ops.staff_token" && value.size() < 16)
                return "the value is too short for a key: use at least 16 random characters "
                       "(openssl rand -hex 16), or leave it empty to turn the staff API off";
            // The languages guichet understands and answers in ("fr,de" was taken, and every
            // English intent file was then "in no language").
            if (k.name == "engine.languages")
                for (const auto& lang : split_list(value))
                    if (lang != "fr" && lang != "en")
                        return "'" + lang + "' is not a language guichet speaks: fr and en, "
                               "separated by a comma, the default first (fr,en)";
            return "";
        case value_kind::whole: {
            auto n = parse_whole(value);
            if (n && *n >= k.min && *n <= k.max) return "";
            return shown + " is not " + whole_expected(k);
        }
        case value_kind::number: {
            auto n = parse_number(value);
            if (n && *n >= k.min && *n <= k.max) return "";
            return shown + " is not a number from " + whole_text(k.min) + " to " +
                   whole_text(k.max);
        }
        case value_kind::boolean:
            return parse_bool(value)
                       ? ""
                       : shown + " is not true or false (also: yes/no, on/off, 1/0, oui/non)";
        case value_kind::choice:
            return in_choices(k.choices, value)
                       ? ""
                       : shown + " is not one of: " + choices_text(k.choices);
        case value_kind::time_zone: {
            std::unique_ptr<icu::TimeZone> zone(
                icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(value)));
            if (!zone || *zone == icu::TimeZone::getUnknown())
                return "unknown time zone " + shown + " (an IANA name such as Europe/Paris)";
            return "";
        }
        case value_kind::address: {
            boost::system::error_code ec;
            boost::asio::ip::make_address(value, ec);
            return ec ? shown + " is not an IP address (such as 127.0.0.1, 0.0.0.0 or ::)" : "";
        }
        case value_kind::url:
        case value_kind::api_url:
            return url_problem(k, value);
        case value_kind::token: {
            bool ok = !value.empty() && value.size() <= 256;
            for (char c : value)
                ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
            return ok ? "" : "must be 1 to 256 characters among A-Z a-z 0-9 _ -";
        }
    }
    return "";
}

config config::load_for_site(const std::filesystem::path& site, const std::filesystem::path& file,
                             diagnostics& problems) {
    std::error_code ec;
    if (!file.empty() && std::filesystem::is_directory(file, ec)) {
        problems.push_back({"--config", 0, 0, file.string() + " is a folder, not a file"});
        return load({}, false, problems);  // the environment is still checked
    }
    return load(site_file(site, file), !file.empty(), problems);
}

std::filesystem::path config::site_file(const std::filesystem::path& site,
                                        const std::filesystem::path& file) {
    return file.empty() ? site / "guichet.yaml" : file;
}

config config::load(const std::filesystem::path& file, bool required, diagnostics& problems) {
    config c;
    for (auto& k : known()) c.values_[std::string(k.name)] = std::string(k.default_value);
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        problems.push_back({file.string(), 0, 0, "is a folder, not a configuration file"});
    else if (std::filesystem::exists(file, ec))
        c.read_file(file, problems);
    else if (required)
        problems.push_back({file.string(), 0, 0, "configuration file not found"});
    c.apply_environment();
    // An environment variable overrides the file: its value is checked under its own name.
    for (auto& k : known()) {
        const std::string env = environment_name(k.name);
        if (std::getenv(env.c_str()) == nullptr) continue;
        if (auto why = value_problem(k, c.values_[std::string(k.name)]); !why.empty()) {
            problems.push_back({env, 0, 0, why});
            c.values_[std::string(k.name)] = std::string(k.default_value);
            c.origins_.erase(std::string(k.name));
        }
    }
    // A variable of a section guichet knows with a key it does not have (GUICHET_SERVER_PROT=80)
    // changed nothing, silently: said, with the nearest name.
    std::vector<std::string> names;
    for (auto& k : known()) names.push_back(environment_name(k.name));
    const auto sections = known_sections();
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        const std::string name(entry.substr(0, entry.find('=')));
        if (name.rfind("GUICHET_", 0) != 0 ||
            std::find(names.begin(), names.end(), name) != names.end())
            continue;
        for (auto& section : sections)
            if (name.rfind(environment_name(section) + "_", 0) == 0) {
                problems.push_back({name, 0, 0,
                                    "no such setting in '" + section + "'" +
                                        did_you_mean(name, names)});
                break;
            }
    }
    return c;
}

namespace {

// The keys of a section the engine knows ("server" → port, host…); empty for the free-form
// sections of plugins.
std::vector<std::string> keys_of(std::string_view section) {
    std::vector<std::string> out;
    for (auto& k : config::known())
        if (k.name.size() > section.size() && k.name.substr(0, section.size()) == section &&
            k.name[section.size()] == '.')
            out.emplace_back(k.name.substr(section.size() + 1));
    return out;
}

// A YAML value of a plugin's section as JSON: a plain scalar typed (whole number, number,
// true/false, null), a quoted one a string.
boost::json::value yaml_to_json(const YAML::Node& n) {
    if (n.IsSequence()) {
        boost::json::array a;
        for (auto item : n) a.push_back(yaml_to_json(item));
        return a;
    }
    if (n.IsMap()) {
        boost::json::object o;
        for (auto kv : n) o[kv.first.as<std::string>()] = yaml_to_json(kv.second);
        return o;
    }
    if (!n.IsScalar()) return nullptr;
    auto text = n.as<std::string>();
    if (n.Tag() == "!") return boost::json::string(text);
    if (text == "~" || text == "null") return nullptr;
    if (text == "true" || text == "false") return text == "true";
    if (auto w = parse_whole(text)) return static_cast<std::int64_t>(*w);
    if (auto d = parse_number(text)) return *d;
    return boost::json::string(text);
}

}  // namespace

void config::read_file(const std::filesystem::path& file, diagnostics& problems) {
    const std::string f = file.string();
    auto at = [&](const YAML::Node& n, std::string message) {
        problems.push_back({f, n.Mark().line + 1, n.Mark().column + 1, std::move(message)});
    };
    // A file the server's user may not read said so (yaml-cpp says "bad file").
    if (::access(f.c_str(), R_OK) != 0) {
        const int e = errno;
        problems.push_back({f, 0, 0,
                            "cannot read the configuration: " +
                                std::error_code(e, std::generic_category()).message() +
                                (e == EACCES ? " (give the user that runs guichet read access)" : "")});
        return;
    }
    try {
        YAML::Node root = YAML::LoadFile(f);
        if (!root || root.IsNull()) return;
        if (!root.IsMap()) {
            at(root, "the configuration must be a map of sections");
            return;
        }
        std::map<std::string, int> seen;  // key (or section) -> its first line
        auto twice = [&](const YAML::Node& n, const std::string& what) {
            const auto [it, first] = seen.emplace(what, n.Mark().line + 1);
            if (!first)
                at(n, "'" + what + "' is set twice (first on line " + std::to_string(it->second) +
                          "; YAML keeps the last): keep one");
            return !first;
        };
        for (auto sec : root) {
            auto section = sec.first.as<std::string>();
            twice(sec.first, section);
            if (!sec.second.IsMap()) {
                at(sec.first, "section '" + section + "' must be a map of keys");
                continue;
            }
            // The sections of plugins are free-form: their keys are their own, and their
            // values any YAML (the plugin receives them as JSON).
            const auto section_keys = keys_of(section);
            if (section_keys.empty())
                free_sections_[section] = {f, sec.first.Mark().line + 1,
                                           sec.first.Mark().column + 1, ""};
            for (auto kv : sec.second) {
                auto name = kv.first.as<std::string>();
                auto key = section + "." + name;
                if (twice(kv.first, key)) continue;
                const config_key* k = find_key(key);
                if (!k && !section_keys.empty()) {
                    at(kv.first, "unknown key '" + name + "' in '" + section + "'" +
                                     did_you_mean(name, section_keys));
                    continue;
                }
                if (section_keys.empty()) {
                    json_values_[key] = boost::json::serialize(yaml_to_json(kv.second));
                    if (!kv.second.IsScalar()) continue;
                }
                if (!kv.second.IsScalar()) {
                    at(kv.second, "'" + key + "' must be a single value");
                    continue;
                }
                values_[key] = kv.second.as<std::string>();
                origins_[key] = f + ":" + std::to_string(kv.second.Mark().line + 1) + ":" +
                                std::to_string(kv.second.Mark().column + 1);
                // A wrong value is reported and its default kept, so that the rest of
                // `guichet check` is not misled by it (a zone ICU does not know made every
                // date of the knowledge an error).
                if (!k) continue;
                if (auto why = value_problem(*k, values_[key]); !why.empty()) {
                    at(kv.second, "'" + key + "': " + why);
                    values_[key] = std::string(k->default_value);
                    origins_.erase(key);
                }
            }
        }
    } catch (const YAML::Exception& e) {
        problems.push_back({f, e.mark.line + 1, e.mark.column + 1, e.msg});
    }
}

std::string config::get(std::string_view key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw std::out_of_range("no configuration key " + std::string(key));
    return it->second;
}

namespace {

// The value of `key` checked against its kind, or std::invalid_argument naming the setting.
std::string checked(const config& c, std::string_view key) {
    auto v = c.get(key);
    if (const config_key* k = config::find_key(key))
        if (auto why = config::value_problem(*k, v); !why.empty())
            throw std::invalid_argument(c.setting_name(key) + ": " + why);
    return v;
}

}  // namespace

long config::get_int(std::string_view key) const {
    auto v = checked(*this, key);
    if (auto n = parse_whole(v)) return static_cast<long>(*n);
    throw std::invalid_argument(setting_name(key) + ": '" + v + "' is not a whole number");
}

long config::get_int(std::string_view key, long if_empty) const {
    return get(key).empty() ? if_empty : get_int(key);
}

double config::get_double(std::string_view key) const {
    auto v = checked(*this, key);
    if (auto n = parse_number(v)) return *n;
    throw std::invalid_argument(setting_name(key) + ": '" + v + "' is not a number");
}

bool config::get_bool(std::string_view key) const {
    auto v = checked(*this, key);
    if (auto b = parse_bool(v)) return *b;
    throw std::invalid_argument(setting_name(key) + ": '" + v + "' is not true or false");
}

void config::set(std::string_view key, std::string value) {
    values_[std::string(key)] = std::move(value);
    origins_.erase(std::string(key));
}

std::string config::origin(std::string_view key) const {
    auto it = origins_.find(key);
    return it == origins_.end() ? std::string() : it->second;
}

std::string config::setting_name(std::string_view key) const {
    auto o = origin(key);
    if (o.empty() || o.rfind("GUICHET_", 0) == 0) return o.empty() ? std::string(key) : o;
    return o + ": '" + std::string(key) + "'";
}

std::vector<std::string> config::known_sections() {
    std::vector<std::string> out;
    for (auto& k : known())
        if (auto dot = k.name.find('.'); dot != std::string_view::npos) {
            std::string section(k.name.substr(0, dot));
            if (std::find(out.begin(), out.end(), section) == out.end()) out.push_back(section);
        }
    return out;
}

namespace {

// GUICHET_TELEGRAM_BOT_TOKEN=… → {"bot_token": …} for section "telegram" (free-form keys too).
std::map<std::string, std::string> environment_of(std::string_view section) {
    std::map<std::string, std::string> out;
    const std::string env_prefix = environment_name(section) + "_";
    for (char** e = environ; e && *e; ++e) {
        std::string_view entry(*e);
        if (entry.rfind(env_prefix, 0) != 0) continue;
        auto eq = entry.find('=');
        if (eq == std::string_view::npos) continue;
        std::string k(entry.substr(env_prefix.size(), eq - env_prefix.size()));
        for (auto& ch : k) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        out[k] = std::string(entry.substr(eq + 1));
    }
    return out;
}

}  // namespace

std::string config::section_json(std::string_view name) const {
    boost::json::object o;
    const std::string prefix = std::string(name) + ".";
    for (auto& [k, v] : values_)  // an engine section's keys, as strings
        if (k.rfind(prefix, 0) == 0) o[k.substr(prefix.size())] = v;
    for (auto& [k, v] : json_values_)  // a free-form section's, typed as the file has them
        if (k.rfind(prefix, 0) == 0) o[k.substr(prefix.size())] = boost::json::parse(v);
    for (auto& [k, v] : environment_of(name)) o[k] = v;  // the environment's over the file's
    return boost::json::serialize(o);
}

std::map<std::string, std::string> config::section(std::string_view name) const {
    std::map<std::string, std::string> out;
    std::string prefix = std::string(name) + ".";
    for (auto& [k, v] : values_)
        if (k.rfind(prefix, 0) == 0) out[k.substr(prefix.size())] = v;
    // Environment variables of free-form sections: GUICHET_TELEGRAM_BOT_TOKEN → bot_token.
    for (auto& [k, v] : environment_of(name)) out[k] = v;
    return out;
}

}  // namespace guichet
