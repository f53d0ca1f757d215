// Reads the store's configuration sections (their values were checked when it was loaded).
#include "store/configured.h"

#include <stdexcept>

namespace guichet::store {
std::filesystem::path state_file(const config& c, const std::filesystem::path& site_root) {
    auto s = c.section("store");
    auto it = s.find("path");
    // By default next to the compiled knowledge base: a site that keeps its knowledge base
    // elsewhere (a test's temporary folder) keeps its conversations there too.
    std::filesystem::path kb = c.get("kb.path");
    return it != s.end() && !it->second.empty() ? std::filesystem::path(it->second)
           : !kb.empty()                        ? kb.parent_path() / "state.db"
                                                : site_root / "var" / "state.db";
}

std::unique_ptr<store> open_configured(const config& c, const std::filesystem::path& site_root) {
    try {
        return open_sqlite(state_file(c, site_root));
    } catch (const std::exception& e) {
        // Named as it was set: GUICHET_STORE_PATH, guichet.yaml:3:9, or the default's keys.
        auto where = !c.get("store.path").empty() ? c.setting_name("store.path")
                     : !c.get("kb.path").empty() ? c.setting_name("kb.path") + " (store.path unset)"
                                                 : std::string("store.path");
        throw std::runtime_error(where + ": " + e.what());
    }
}

retention retention_of(const config& c) {
    retention r;
    r.messages = std::int64_t{c.get_int("retention.messages_days")} * 86400;
    r.conversations = std::int64_t{c.get_int("retention.conversations_days")} * 86400;
    r.reports = std::int64_t{c.get_int("retention.reports_days")} * 86400;
    r.handoffs = std::int64_t{c.get_int("retention.handoffs_days")} * 86400;
    return r;
}

std::int64_t purge_interval_seconds(const config& c) {
    return c.get_int("retention.purge_interval_s");
}

std::int64_t idle_seconds(const config& c) { return c.get_int("dialogue.idle_seconds"); }

}  // namespace guichet::store
