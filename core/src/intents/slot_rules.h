// Reading a slot's `validate:` rule and `hint:` from an intent file (the checking of answers
// is `check_slot_value` in intents.h). Single-threaded, like the rest of the loader.
#pragma once

#include "intents/intents.h"
#include "intents/yaml_context.h"

namespace guichet::intents::detail {

// Reads `validate: entity` or `validate: { pattern, min, max, one_of }` into s.validate;
// s.entity must already be set (min/max need a number). Problems go to ctx.
void read_slot_rule(yaml_context& ctx, const map_entry& e, slot_spec& s);

// After the whole slot is read: `validate:` needs `hint:` and the other way round
// (`validate_written`: the key was there, even if its rule was wrong and already reported).
void check_slot_hint(yaml_context& ctx, const YAML::Node& key, const slot_spec& s,
                     bool validate_written);

}  // namespace guichet::intents::detail
