// Loader for the categories of reports about public space (knowledge/report_categories.yaml):
// the one list the report plugin guesses from and Open311 publishes as its services.
#include <algorithm>

#include "kb/loaders.h"
#include "kb/yaml_reader.h"

namespace guichet::kb {
namespace {

const auto q = in_quotes;

void load_category(yaml_source& src, load_context& ctx, const YAML::Node& item) {
    if (!src.check_map(item, "report category",
                       {"code", "name", "description", "group", "keywords", "context_keywords"}))
        return;
    report_category_src c;
    auto code = src.text(item, "code", true);
    if (!code) return;
    c.code = *code;
    YAML::Mark m = src.value_mark(item, "code");
    bool ok = !c.code.empty() && std::all_of(c.code.begin(), c.code.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    });
    if (!ok) {
        src.error(m, "code " + q(c.code) + " invalide : lettres minuscules sans accent, chiffres, _ -",
                  "invalid code " + q(c.code) + ": use lower-case letters without accents, digits, _ -");
        return;
    }
    auto [first, fresh] = ctx.first_seen.emplace("report_category:" + c.code, src.where(m));
    if (!fresh) {
        src.error(m, "code en double " + q(c.code) + " (déjà défini en " + first->second + ")",
                  "duplicate code " + q(c.code) + " (first defined at " + first->second + ")");
        return;
    }
    if (!src.text_pair(item, "name", true, c.name_fr, c.name_en)) return;
    if (item["description"]) src.text_pair(item, "description", false, c.description_fr, c.description_en);
    c.group = src.text(item, "group", false).value_or("espace public");
    src.list_pair(item, "keywords", c.keywords_fr, c.keywords_en);
    src.list_pair(item, "context_keywords", c.context_fr, c.context_en);
    ctx.data.report_categories.push_back(std::move(c));
}

}  // namespace

void load_report_categories(const std::string& file, load_context& ctx) {
    load_list_file(file, ctx, "report_categories", load_category);
}

}  // namespace guichet::kb
