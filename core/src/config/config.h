// The engine's configuration: one YAML file (`guichet.yaml` in the site, or --config) with
// sections, every key overridable by an environment variable GUICHET_<SECTION>_<KEY>
// (secrets belong there). Every key has a documented default (see `config::known()`).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.h"

namespace guichet {

struct config_key {
    std::string_view name;           // "server.port"
    std::string_view default_value;  // as text
    std::string_view help;
    bool secret = false;             // never logged
};

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

    std::string get(std::string_view key) const;  // throws std::out_of_range for unknown keys
    long get_int(std::string_view key) const;
    double get_double(std::string_view key) const;
    bool get_bool(std::string_view key) const;
    void set(std::string_view key, std::string value);
    // Every key of a section ("telegram" → {"secret_token": …}), for connectors and plugins.
    std::map<std::string, std::string> section(std::string_view name) const;

private:
    void apply_environment();
    void read_file(const std::filesystem::path& file, diagnostics& problems);
    std::map<std::string, std::string, std::less<>> values_;
};

// GUICHET_SERVER_PORT for "server.port".
std::string environment_name(std::string_view key);

}  // namespace guichet
