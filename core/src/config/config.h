// The engine's configuration: one YAML file (`guichet.yaml` in the site, or --config) with
// sections, every key overridable by an environment variable GUICHET_<SECTION>_<KEY>
// (secrets belong there). Every key has a documented default (see `config::known()`).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"

namespace guichet {

// What a key's value must be. Checked when the configuration is loaded, so that `serve` and
// `check` refuse a wrong value where it is written (file:line:column, or the variable's name).
enum class value_kind {
    text,       // anything
    whole,      // a whole number from min to max, written in full ("10abc", "1e3" are not)
    number,     // a decimal number from min to max
    boolean,    // true/false, yes/no, on/off, oui/non, 1/0, in any case
    choice,     // one of `choices` ("text,json")
    time_zone,  // an IANA time zone ICU knows
    address,    // an IP address (the server listens on it)
    url,        // an absolute http:// or https:// URL
    api_url,    // https://, or http:// on this machine only (the outbound client's rule)
    token,      // 1 to 256 of A-Z a-z 0-9 _ - (Telegram's rule for a webhook's secret token)
};

struct config_key {
    std::string_view name;           // "server.port"
    std::string_view default_value;  // as text; "" in the connectors' sections: their own default
    std::string_view help;
    value_kind kind = value_kind::text;
    double min = 0, max = 0;   // whole, number
    std::string_view choices;  // choice
    bool secret = false;       // never logged nor repeated in an error
};

// The validating readers every setting goes through: the whole text must be read ("10abc",
// " 5", "1e3" are not whole numbers), nothing is thrown.
std::optional<long long> parse_whole(std::string_view text);
std::optional<double> parse_number(std::string_view text);
// true/1/yes/on/oui, false/0/no/off/non, in any case; anything else is nothing.
std::optional<bool> parse_bool(std::string_view text);

class config {
public:
    // The keys the engine knows, with defaults and help (documented in the README).
    static const std::vector<config_key>& known();

    // Reads the file (a missing file is fine when `required` is false), then the
    // environment. Unknown keys and bad values are reported as file:line:column.
    static config load(const std::filesystem::path& file, bool required, diagnostics& problems);
    // A site's configuration file: `file` when given, else the site's own guichet.yaml.
    static std::filesystem::path site_file(const std::filesystem::path& site,
                                           const std::filesystem::path& file);
    // That file read: it must exist when `file` was given; the site's own is optional.
    static config load_for_site(const std::filesystem::path& site, const std::filesystem::path& file,
                                diagnostics& problems);
    // Defaults and environment only.
    static config defaults();
    // The known key `name`, or nullptr.
    static const config_key* find_key(std::string_view name);
    // What is wrong with `value` for the known key `k` ("'x' is not a whole number from 0 to
    // 65535"), or "" when it is fine. An empty value is fine when the default is empty.
    static std::string value_problem(const config_key& k, const std::string& value);

    // The getters check the value against its key (a value set() in a test included) and throw
    // std::invalid_argument naming the key; get() throws std::out_of_range for unknown keys.
    std::string get(std::string_view key) const;
    long get_int(std::string_view key) const;
    long get_int(std::string_view key, long if_empty) const;  // keys whose default is ""
    double get_double(std::string_view key) const;
    bool get_bool(std::string_view key) const;
    void set(std::string_view key, std::string value);
    // Where the key's value was written: "GUICHET_STORE_PATH", "guichet.yaml:4:9", or "" for
    // the default. For the messages of settings found wrong only when used (a store that does
    // not open).
    std::string origin(std::string_view key) const;
    // What to name in a message: "GUICHET_STORE_PATH", "guichet.yaml:4:9: 'store.path'", or
    // "store.path" for the default.
    std::string setting_name(std::string_view key) const;
    // Every key of a section ("telegram" → {"secret_token": …}), for connectors and plugins.
    std::map<std::string, std::string> section(std::string_view name) const;
    // A plugin's section as the JSON object its create() receives: the file's values typed as
    // YAML reads them (2.5 a number, "45960" quoted a string, lists and maps as arrays and
    // objects), a GUICHET_<SECTION>_<KEY> variable's as a string; "{}" without the section.
    std::string section_json(std::string_view name) const;
    // The free-form sections the file has (no engine key: a plugin's, or a misspelt one), each
    // with where it starts (the diagnostic's message empty).
    const std::map<std::string, diagnostic, std::less<>>& free_sections() const {
        return free_sections_;
    }
    // The sections the engine knows ("server", "telegram"…).
    static std::vector<std::string> known_sections();

private:
    void apply_environment();
    void read_file(const std::filesystem::path& file, diagnostics& problems);
    std::map<std::string, std::string, std::less<>> values_;
    std::map<std::string, std::string, std::less<>> origins_;
    std::map<std::string, std::string, std::less<>> json_values_;  // free-form keys, as JSON
    std::map<std::string, diagnostic, std::less<>> free_sections_;
};

// GUICHET_SERVER_PORT for "server.port".
std::string environment_name(std::string_view key);

}  // namespace guichet
