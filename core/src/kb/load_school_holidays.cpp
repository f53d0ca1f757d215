// Loader for the town's school holidays (knowledge/school_holidays.yaml): the periods `SH`
// selects in places' opening hours. Each period is written with the two dates of the
// ministry's calendar, the first day of the holidays and the day classes resume.
#include <algorithm>

#include "kb/loaders.h"
#include "kb/values.h"
#include "kb/yaml_reader.h"

namespace guichet::kb {
namespace {

const auto q = in_quotes;

void load_period(yaml_source& src, load_context& ctx, const YAML::Node& item) {
    if (!src.check_map(item, "school holiday period", {"name", "from", "back"})) return;
    school_holiday_src h;
    if (!src.text_pair(item, "name", true, h.name_fr, h.name_en)) return;
    auto from = src.text(item, "from", true);
    auto back = src.text(item, "back", true);
    if (!from || !back) return;
    auto day_of = [&](const char* key, const std::string& value) {
        auto d = day_number(value);
        if (!d)
            src.error(src.value_mark(item, key), "date invalide " + q(value) + " (attendu : AAAA-MM-JJ)",
                      "invalid date " + q(value) + " (expected YYYY-MM-DD)");
        return d;
    };
    const auto first = day_of("from", *from);
    if (!first) return;
    const auto resume = day_of("back", *back);
    if (!resume) return;
    if (*resume <= *first || *resume - *first > 100) {
        src.error(src.value_mark(item, "back"),
                  "la reprise des cours " + q(*back) + " doit suivre le premier jour de vacances " + q(*from) +
                      " de 100 jours au plus",
                  "classes resuming on " + q(*back) + " must come after the first day off " + q(*from) +
                      ", 100 days at most");
        return;
    }
    h.first_day = *from;
    h.last_day = iso_day(*resume - 1);
    for (const auto& other : ctx.data.school_holidays)
        if (h.first_day <= other.last_day && other.first_day <= h.last_day) {
            src.error(src.value_mark(item, "from"),
                      "période qui chevauche " + q(other.name_fr) + " (" + other.first_day + " – " + other.last_day + ")",
                      "period overlapping " + q(other.name_en) + " (" + other.first_day + " – " + other.last_day + ")");
            return;
        }
    ctx.data.school_holidays.push_back(std::move(h));
}

}  // namespace

void load_school_holidays(const std::string& file, load_context& ctx) {
    load_list_file(file, ctx, "school_holidays", load_period);
    std::sort(ctx.data.school_holidays.begin(), ctx.data.school_holidays.end(),
              [](const auto& a, const auto& b) { return a.first_day < b.first_day; });
}

}  // namespace guichet::kb
