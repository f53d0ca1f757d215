// Reads one intent entry (the top of a one-intent file, or one item under `intents:`) into
// a language_part, checking keys, types, markup, entities and slots as it goes.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <string>
#include <vector>

#include "intents/intents.h"
#include "intents/yaml_context.h"

namespace guichet::intents::detail {

// One intent in one language as read from one file, with the positions the cross-file
// checks (duplicates, tests naming intents, plugins) need for their messages.
struct parsed_entry {
    std::string name;
    position name_pos;
    std::string lang;
    std::string plugin;  // empty for a static answer
    position plugin_pos;
    std::string description;
    bool urgent = false;  // `urgent: true`
    language_part part;
    position examples_pos, tests_pos;  // the `examples:` and `tests:` keys ({} when absent)
    std::vector<position> example_pos;                           // parallel to part.examples
    std::vector<position> pattern_pos;                           // parallel to part.patterns
    std::vector<position> keyword_pos;                           // parallel to part.keywords
    std::vector<position> test_say_pos;                          // parallel to part.tests
    std::vector<position> test_intent_pos;                       // parallel to part.tests
    std::vector<std::map<std::string, position>> test_slot_pos;  // parallel to part.tests
};

// Keys allowed in an intent entry (`lang` only at the top of a file).
const std::vector<std::string>& entry_keys();

// Reads `node` (a map) as one intent in language `lang`. Returns nullopt when the entry has
// no usable name; every problem goes to `ctx`. `options` gives the known entities.
std::optional<parsed_entry> parse_entry(yaml_context& ctx, const YAML::Node& node,
                                        const std::vector<map_entry>& entries,
                                        const std::string& lang, const load_options& options);

}  // namespace guichet::intents::detail
