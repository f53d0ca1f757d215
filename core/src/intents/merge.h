// Cross-file checks and merging: one intent may be written in several languages (several
// files); duplicates, plugin mismatches, tests naming unknown intents or slots and sentences
// used twice are only visible once every file has been read.
#pragma once

#include <vector>

#include "common/diagnostic.h"
#include "intents/entry_parser.h"
#include <set>

#include "intents/intents.h"

namespace guichet::intents::detail {

// Merges `entries` (in file order) into a site, appending every problem to `out`. The intents
// of `unreadable` are named by a file already reported as unreadable: nothing more is said of
// their missing versions.
site_intents merge_entries(std::vector<parsed_entry> entries, const load_options& options,
                           diagnostics& out, const std::set<std::string>& unreadable = {});

}  // namespace guichet::intents::detail
