// Reads the store's free-form configuration sections; bad numbers fail fast with the key.
#include "store/configured.h"

#include <stdexcept>

namespace guichet::store {
namespace {

std::int64_t number(const config& c, const char* section, const char* key, std::int64_t fallback) {
    auto s = c.section(section);
    auto it = s.find(key);
    if (it == s.end() || it->second.empty()) return fallback;
    try {
        std::size_t used = 0;
        long long v = std::stoll(it->second, &used);
        if (used != it->second.size() || v < 0) throw std::invalid_argument(it->second);
        return v;
    } catch (const std::exception&) {
        throw std::runtime_error(std::string(section) + "." + key +
                                 ": expected a whole number >= 0, got '" + it->second + "'");
    }
}

}  // namespace

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
    return open_sqlite(state_file(c, site_root));
}

retention retention_of(const config& c) {
    retention r;
    r.messages = number(c, "retention", "messages_days", 90) * 86400;
    r.conversations = number(c, "retention", "conversations_days", 90) * 86400;
    r.reports = number(c, "retention", "reports_days", 365) * 86400;
    r.handoffs = number(c, "retention", "handoffs_days", 365) * 86400;
    return r;
}

std::int64_t purge_interval_seconds(const config& c) {
    return number(c, "retention", "purge_interval_s", 3600);
}

std::int64_t idle_seconds(const config& c) { return number(c, "dialogue", "idle_seconds", 1800); }

}  // namespace guichet::store
