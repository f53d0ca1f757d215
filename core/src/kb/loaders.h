// The four source loaders (places, FAQ, waste, alerts). Each reads one file into the model,
// appending diagnostics; ids are checked for duplicates across files through the context.
// Internal to the kb component.
#pragma once

#include <map>
#include <string>

#include "kb/builder.h"
#include "kb/sources.h"

namespace guichet::kb {

struct load_context {
    const build_options& options;
    diagnostics& out;
    knowledge_src& data;
    // "kind:id" → "file:line:column" of its first definition.
    std::map<std::string, std::string> first_seen;
};

void load_places(const std::string& file, load_context& ctx);
void load_faq(const std::string& file, load_context& ctx);
void load_waste(const std::string& file, load_context& ctx);
void load_waste_streets(const std::string& file, load_context& ctx);  // CSV: street,zone
void load_alerts(const std::string& file, load_context& ctx);
// Cross-file checks once everything is loaded (alert targets, street zones…).
void check_references(load_context& ctx);

}  // namespace guichet::kb
