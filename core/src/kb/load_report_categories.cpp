// Loader for the categories of reports about public space (knowledge/report_categories.yaml):
// the one list the report plugin guesses from and Open311 publishes as its services.
#include <algorithm>

#include "kb/loaders.h"
#include "kb/text_fold.h"
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
    // A keyword of two categories always chooses the first (the file's order breaks ties): the
    // other would never be chosen by it; so does a context keyword. (A keyword of one and a
    // context keyword of another is fine: the keyword chooses, as meant — a "neige" category
    // before the roads, whose context "neige" is.)
    for (const char* key : {"keywords", "context_keywords"})
        for (const char* lang : {"fr", "en"}) {
            const YAML::Node list = item[key] && item[key].IsMap() ? item[key][lang] : YAML::Node();
            if (!list || !list.IsSequence()) continue;
            for (const auto& k : list) {
                if (!k.IsScalar()) continue;
                const std::string word = k.as<std::string>();
                auto [first, fresh] = ctx.first_seen.emplace(
                    std::string("report-") + key + ":" + lang + ":" + fold(word),
                    src.where(k.Mark()) + " (" + c.code + ")");
                if (!fresh && !first->second.ends_with(" (" + c.code + ")"))  // not a variant
                    src.error(k.Mark(),
                              "mot-clé " + q(word) + " déjà donné en " + first->second +
                                  " : il choisirait toujours la première de ces catégories ; "
                                  "gardez-le dans une seule",
                              "keyword " + q(word) + " already given at " + first->second +
                                  ": it would always choose the first of these categories; keep "
                                  "it in one only");
            }
        }
    ctx.data.report_categories.push_back(std::move(c));
}

}  // namespace

void load_report_categories(const std::string& file, load_context& ctx) {
    load_list_file(file, ctx, "report_categories", load_category);
}

}  // namespace guichet::kb
