// The store as the configuration describes it: `store.path` (default: state.db next to
// `kb.path` when it is set, else <site>/var/state.db),
// retention per kind in days (`retention.messages_days`, `conversations_days`,
// `reports_days`, `handoffs_days`), how often the purge runs (`retention.purge_interval_s`),
// and the dialogue's idle time (`dialogue.idle_seconds`). Environment: GUICHET_STORE_PATH, …
#pragma once

#include <filesystem>
#include <memory>

#include "config/config.h"
#include "store/store.h"

namespace guichet::store {

std::filesystem::path state_file(const config& c, const std::filesystem::path& site_root);
std::unique_ptr<store> open_configured(const config& c, const std::filesystem::path& site_root);
retention retention_of(const config& c);
std::int64_t purge_interval_seconds(const config& c);  // default 3600
std::int64_t idle_seconds(const config& c);            // default 1800

}  // namespace guichet::store
