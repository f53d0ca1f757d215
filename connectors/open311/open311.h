// Open311 GeoReport v2 for the town's existing tools: the service list, filing reports
// (POST with an api_key from GUICHET_OPEN311_API_KEY or `open311.api_key`), reading them,
// and — an extension for staff — changing a report's status, which tells the citizen on
// the channel they used (push_hub). Errors use the spec's format: [{"code":…,"description":…}].
// Handlers run on the server's connection strands; the store serialises its own access.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/message.h"
#include "server/http_server.h"
#include "store/store.h"

namespace guichet {
class app;
}

namespace guichet::open311 {

struct options {
    std::string api_key;        // empty: writes refused (403)
    std::string jurisdiction_id;  // accepted and ignored when it matches ("" accepts any)
    std::size_t list_limit = 1000;
};

options options_from(const app& a);

// Registers /open311/v2/services.json, /open311/v2/requests.json (GET, POST) and
// /open311/v2/requests/{id}.json (GET; POST with api_key, status, status_notes to update).
void register_api(http_server& server, app& a, options o);

// Changes a report's status and tells the citizen on their channel. Returns the report, or
// nothing when the ticket does not exist. Used by Open311 and by the agents' inbox.
std::optional<store::report_record> change_status(app& a, const std::string& ticket,
                                                  const std::string& status,
                                                  const std::string& notes, std::int64_t now);

// A report category as an Open311 service, in French and English. The list is the knowledge
// base's `report_categories` table (knowledge/report_categories.yaml), the one the report
// plugin guesses from: one source.
struct service {
    std::string code, name_fr, name_en, description_fr, description_en, group;
    std::string keywords_fr, keywords_en;  // comma-separated
};
// The current site's categories, in order (read from its knowledge base; any thread).
std::vector<service> services(app& a);

}  // namespace guichet::open311
