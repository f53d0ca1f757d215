// The console's alerts editor: reads the site's knowledge/alerts.yaml as a list, adds or
// replaces one alert (by id) or ends one (its `until` set to now), checks the whole knowledge
// folder with the new file exactly as `guichet check` would (problems as file:line:column,
// pointing at the real alerts.yaml), and only then replaces the file (temporary file +
// rename). The live reloader notices the change and rebuilds the knowledge base.
// Thread-safe: writes are serialised (one mutex). Only the text of the alert added, replaced
// or ended is written: the staff's comments and the other alerts keep their lines as written
// (a list written in flow style, `alerts: [ … ]`, is written back whole by yaml-cpp, with the
// header comment lines at the top kept).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace guichet::admin {

struct alert {
    std::string id, message_fr, message_en;
    std::string from, until;  // local "YYYY-MM-DD HH:MM"
    std::vector<std::string> intents, places, categories;
};

struct alerts_read {
    std::vector<alert> alerts;
    std::string problem;  // "" or file:line:column: what is wrong (the file does not parse)
};

alerts_read read_alerts(const std::filesystem::path& knowledge_dir);
// Adds or replaces `a`; returns the problems (empty: written). `intents`: the site's intent
// names, which the alerts' `intents:` must name, as `guichet check` requires (empty: not
// checked).
std::vector<std::string> save_alert(const std::filesystem::path& knowledge_dir, const alert& a,
                                    const std::string& time_zone,
                                    const std::vector<std::string>& intents = {});
// Sets the alert's `until` to `now_local` (and `from` too when it had not started yet).
std::vector<std::string> end_alert(const std::filesystem::path& knowledge_dir, const std::string& id,
                                   const std::string& now_local, const std::string& time_zone,
                                   const std::vector<std::string>& intents = {});

}  // namespace guichet::admin
