// Writes the validated knowledge model into a fresh SQLite file (schema_version below, the
// contract documented in knowledge/README.md). Internal to the kb component.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "kb/sources.h"

namespace guichet::kb {

// 2: faq_vocab; 3: waste_schedules.months; 4: .register_days; 5: school_holidays;
// 6: report_categories.context_fr/en; 7: faq.report
inline constexpr int schema_version = 7;

// Creates the schema in the empty database at `path` and fills it. `meta` rows are added to
// the meta table. Returns "" on success or SQLite's error message.
std::string write_database(const std::string& path, const knowledge_src& data,
                           const std::vector<std::pair<std::string, std::string>>& meta);

}  // namespace guichet::kb
