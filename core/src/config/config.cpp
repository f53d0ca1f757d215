// Configuration loading: YAML file, then environment overrides, checked against the list of
// known keys so a typo in a key is an error rather than a silently ignored setting.
#include "config/config.h"

#include <unicode/timezone.h>
#include <yaml-cpp/yaml.h>

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <optional>
#include <stdexcept>

namespace guichet {

const std::vector<config_key>& config::known() {
    static const std::vector<config_key> keys = {
        {"server.host", "127.0.0.1", "address to listen on"},
        {"server.port", "8080", "port to listen on (0 picks a free one and prints it)"},
        {"server.threads", "0", "network threads (0: one per core)"},
        {"server.body_limit", "65536", "largest HTTP request body accepted, in bytes (413 above)"},
        {"server.idle_timeout_s", "30", "an HTTP connection idle this long is closed"},
        {"server.max_connections", "20000", "connections served at once"},
        {"engine.time_zone", "Europe/Paris", "the site's IANA time zone"},
        {"engine.languages", "fr,en", "languages the site answers in, the first is the default"},
        {"engine.turn_deadline_ms", "3000", "a plugin that has not answered by then is replaced by the fallback"},
        {"engine.message_max_bytes", "4096", "a message's text is cut to this length"},
        {"engine.queue_per_conversation", "64", "messages waiting in one conversation"},
        {"engine.alsace_moselle", "false", "add Good Friday and 26 December to public holidays"},
        {"engine.ambiguity_margin", "0.12", "two intents closer than this are offered as a choice"},
        {"engine.fallback_intent", "faq.ask", "a message not understood is first put to this intent's plugin; empty: off"},
        {"engine.blocking_workers", "2", "threads that run plugins flagged as blocking"},
        {"plugins.dir", "", "folder of plugin .so files (empty: the build's plugins folder)"},
        {"kb.path", "", "compiled knowledge base (empty: <site>/var/knowledge.db, rebuilt at start)"},
        {"log.level", "info", "debug, info, warn or error"},
    };
    return keys;
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
    for (auto& k : known())
        if (const char* v = std::getenv(environment_name(k.name).c_str()))
            values_[std::string(k.name)] = v;
}

namespace {

// `v` read whole by `parse` (std::stol, std::stod), or nothing.
template <typename T, typename Parse>
std::optional<T> read_whole(const std::string& v, Parse parse) {
    try {
        std::size_t used = 0;
        T n = parse(v, &used);
        if (used == v.size()) return n;
    } catch (const std::exception&) {
    }
    return std::nullopt;
}
std::optional<long> whole_of(const std::string& v) {
    return read_whole<long>(
        v, [](const std::string& s, std::size_t* used) { return std::stol(s, used); });
}
std::optional<double> number_of(const std::string& v) {
    return read_whole<double>(
        v, [](const std::string& s, std::size_t* used) { return std::stod(s, used); });
}

bool is_whole(const std::string& v) { return whole_of(v).has_value(); }
bool is_number(const std::string& v) { return number_of(v).has_value(); }

bool is_boolean(const std::string& v) {
    for (const char* b : {"true", "1", "yes", "on", "false", "0", "no", "off", ""})
        if (v == b) return true;
    return false;
}

// What is wrong with `value` for the known key `k`, or "" (the kind read from its default:
// digits a whole number, "true"/"false" a yes-no, a decimal a number). A value read at
// startup would otherwise fail late, or, as a time zone ICU does not know, silently turn every
// local time into UTC and the knowledge's dates into errors that name other files.
std::string value_problem(const config_key& k, const std::string& value) {
    const std::string name(k.name), def(k.default_value);
    if (name == "engine.time_zone") {
        std::unique_ptr<icu::TimeZone> zone(
            icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(value)));
        if (!zone || *zone == icu::TimeZone::getUnknown())
            return "unknown time zone '" + value + "' (an IANA name such as Europe/Paris)";
        return "";
    }
    if (name == "log.level") {
        for (const char* l : {"debug", "info", "warn", "error"})
            if (value == l) return "";
        return "'" + value + "' is not a log level (debug, info, warn or error)";
    }
    if (def == "true" || def == "false")
        return is_boolean(value) ? "" : "'" + value + "' is not true or false";
    if (!def.empty() && is_whole(def))
        return is_whole(value) ? "" : "'" + value + "' is not a whole number";
    if (!def.empty() && is_number(def))
        return is_number(value) ? "" : "'" + value + "' is not a number";
    return "";
}

}  // namespace

config config::load_for_site(const std::filesystem::path& site, const std::filesystem::path& file,
                             diagnostics& problems) {
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
    if (!std::filesystem::exists(file, ec)) {
        if (required) problems.push_back({file.string(), 0, 0, "configuration file not found"});
    } else {
        c.read_file(file, problems);
    }
    c.apply_environment();
    // An environment variable overrides the file: its value is checked under its own name.
    for (auto& k : known()) {
        const std::string env = environment_name(k.name);
        if (std::getenv(env.c_str()) == nullptr) continue;
        if (auto why = value_problem(k, c.values_[std::string(k.name)]); !why.empty()) {
            problems.push_back({env, 0, 0, why});
            c.values_[std::string(k.name)] = std::string(k.default_value);
        }
    }
    return c;
}

void config::read_file(const std::filesystem::path& file, diagnostics& problems) {
    try {
        YAML::Node root = YAML::LoadFile(file.string());
        if (root && !root.IsNull()) {
            if (!root.IsMap()) {
                problems.push_back({file.string(), root.Mark().line + 1, root.Mark().column + 1,
                                    "the configuration must be a map of sections"});
            } else {
                for (auto sec : root) {
                    auto section = sec.first.as<std::string>();
                    if (!sec.second.IsMap()) {
                        problems.push_back({file.string(), sec.first.Mark().line + 1,
                                            sec.first.Mark().column + 1,
                                            "section '" + section + "' must be a map of keys"});
                        continue;
                    }
                    for (auto kv : sec.second) {
                        auto key = section + "." + kv.first.as<std::string>();
                        bool known_key = values_.count(key) > 0;
                        // Connector and plugin sections are free-form (their own keys).
                        bool free_section = section != "server" && section != "engine" &&
                                            section != "plugins" && section != "kb" &&
                                            section != "log";
                        if (!known_key && !free_section) {
                            problems.push_back({file.string(), kv.first.Mark().line + 1,
                                                kv.first.Mark().column + 1,
                                                "unknown key '" + key + "'"});
                            continue;
                        }
                        if (!kv.second.IsScalar()) {
                            problems.push_back({file.string(), kv.second.Mark().line + 1,
                                                kv.second.Mark().column + 1,
                                                "'" + key + "' must be a single value"});
                            continue;
                        }
                        values_[key] = kv.second.as<std::string>();
                        // A wrong value is reported and its default kept, so that the rest of
                        // `guichet check` is not misled by it (a zone ICU does not know made
                        // every date of the knowledge an error).
                        for (auto& k : known())
                            if (k.name == key)
                                if (auto why = value_problem(k, values_[key]); !why.empty()) {
                                    problems.push_back({file.string(), kv.second.Mark().line + 1,
                                                        kv.second.Mark().column + 1,
                                                        "'" + key + "': " + why});
                                    values_[key] = std::string(k.default_value);
                                }
                    }
                }
            }
        }
    } catch (const YAML::Exception& e) {
        problems.push_back({file.string(), e.mark.line + 1, e.mark.column + 1, e.msg});
    }
}

std::string config::get(std::string_view key) const {
    auto it = values_.find(key);
    if (it == values_.end()) throw std::out_of_range("no configuration key " + std::string(key));
    return it->second;
}

long config::get_int(std::string_view key) const {
    auto v = get(key);
    if (auto n = whole_of(v)) return *n;
    throw std::invalid_argument(std::string(key) + ": '" + v + "' is not a whole number");
}

double config::get_double(std::string_view key) const {
    auto v = get(key);
    if (auto n = number_of(v)) return *n;
    throw std::invalid_argument(std::string(key) + ": '" + v + "' is not a number");
}

bool config::get_bool(std::string_view key) const {
    auto v = get(key);
    if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
    if (v == "false" || v == "0" || v == "no" || v == "off" || v.empty()) return false;
    throw std::invalid_argument(std::string(key) + ": '" + v + "' is not true or false");
}

void config::set(std::string_view key, std::string value) { values_[std::string(key)] = std::move(value); }

std::map<std::string, std::string> config::section(std::string_view name) const {
    std::map<std::string, std::string> out;
    std::string prefix = std::string(name) + ".";
    for (auto& [k, v] : values_)
        if (k.rfind(prefix, 0) == 0) out[k.substr(prefix.size())] = v;
    // Environment variables of free-form sections: GUICHET_TELEGRAM_BOT_TOKEN → bot_token.
    std::string env_prefix = environment_name(name) + "_";
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

}  // namespace guichet
