// The source loaders (places, FAQ, waste, alerts, report categories, school holidays). Each reads one file into the model,
// appending diagnostics; ids are checked for duplicates across files through the context.
// Internal to the kb component.
#pragma once

#include <cctype>
#include <map>
#include <optional>
#include <string>

#include "kb/builder.h"
#include "kb/sources.h"
#include "kb/yaml_reader.h"

namespace guichet::kb {

struct load_context {
    const build_options& options;
    diagnostics& out;
    knowledge_src& data;
    // "kind:id" → "file:line:column" of its first definition.
    std::map<std::string, std::string> first_seen;
    std::vector<reference> alert_intents;  // see build_result
    diagnostics& notices;                  // see build_result
    std::int64_t now = 0;                  // Unix seconds (build_options::now, or the clock's)
    std::int64_t today = 0;                // its local day in the site's zone (since 1970-01-01)
    bool places_unread = false;            // see build_result
};

// A notice (see build_result::notices) at a mark: French or English as the file's errors.
inline void notice(yaml_source& src, load_context& ctx, const YAML::Mark& mark,
                   const std::string& fr, const std::string& en) {
    auto [line, column] = src.position(mark);
    ctx.notices.push_back({src.path(), line, column, src.fr() ? fr : en});
}

// 'text', for messages.
inline std::string in_quotes(std::string_view s) {
    std::string r(1, '\'');
    r.append(s);
    r += '\'';
    return r;
}

// Records the first definition of a `kind` id; reports a duplicate (pointing at the first)
// and returns false for a second one.
inline bool check_unique_id(yaml_source& src, load_context& ctx, const YAML::Node& item,
                            const char* kind, const std::string& id) {
    YAML::Mark m = src.value_mark(item, "id");
    auto [it, fresh] = ctx.first_seen.emplace(std::string(kind) + ":" + id, src.where(m));
    if (!fresh)
        src.error(m, "identifiant en double " + in_quotes(id) + " (déjà défini en " + it->second + ")",
                  "duplicate id " + in_quotes(id) + " (first defined at " + it->second + ")");
    return fresh;
}

// An empty file (nothing, or comments only) is a mistake: a file saved blank, a paste that
// failed. Reports it and returns true when `root` is empty.
inline bool empty_file(yaml_source& src, const YAML::Node& root, const std::string& top) {
    if (!root.IsNull()) return false;
    src.error_at(0, 0, "fichier vide (attendu : '" + top + ":' et ses entrées)",
                 "empty file (expected '" + top + ":' and its entries)");
    return true;
}

// A file that is a list under `top` ("alerts:", "faq:"…): each item read by `each(src, ctx,
// item)`, after the checks every such file has (empty, unknown top key, not a list).
template <typename F>
void load_list_file(const std::string& file, load_context& ctx, const char* top, F each) {
    yaml_source src(file, ctx.options.lang, ctx.out);
    auto root = src.load();
    if (!root || empty_file(src, *root, top)) return;
    if (!src.check_map(*root, "file", {top})) return;
    YAML::Node list = (*root)[top];
    if (!src.check_list(list, top, root->Mark())) return;
    for (const auto& item : list) each(src, ctx, item);
}

// Where `SH` (school holidays) is in an opening_hours expression, outside its comments;
// nullopt when it is not.
inline std::optional<std::size_t> school_holidays_at(std::string_view oh) {
    bool quoted = false;
    auto letter = [&](std::size_t i) { return i < oh.size() && std::isalnum(static_cast<unsigned char>(oh[i])); };
    for (std::size_t i = 0; i < oh.size(); ++i) {
        if (oh[i] == '"') quoted = !quoted;
        if (!quoted && oh.compare(i, 2, "SH") == 0 && (i == 0 || !letter(i - 1)) && !letter(i + 2)) return i;
    }
    return std::nullopt;
}

void load_places(const std::string& file, load_context& ctx);
void load_faq(const std::string& file, load_context& ctx);
void load_waste(const std::string& file, load_context& ctx);
void load_waste_streets(const std::string& file, load_context& ctx);  // CSV: street,zone
void load_alerts(const std::string& file, load_context& ctx);
void load_report_categories(const std::string& file, load_context& ctx);
void load_school_holidays(const std::string& file, load_context& ctx);
// Cross-file checks once everything is loaded (alert targets, street zones…).
void check_references(load_context& ctx);

}  // namespace guichet::kb
