// Loaders for waste collection (zones and schedules in YAML, streets in a CSV that staff edit
// in a spreadsheet) and for alerts (local date-times read in the commune's time zone).
#include <algorithm>
#include <charconv>
#include <chrono>
#include <fstream>
#include <sstream>
#include <tuple>

#include "common/utf8.h"
#include "kb/csv_reader.h"
#include "kb/loaders.h"
#include "kb/text_fold.h"
#include "kb/values.h"
#include "kb/yaml_reader.h"

namespace guichet::kb {
namespace {

const auto q = in_quotes;

void load_collection(yaml_source& src, const YAML::Node& c, waste_zone_src& zone) {
    if (!src.check_map(c, "collection",
                       {"stream", "days", "nth", "weeks", "months", "on_request", "register_days_before",
                        "notes"}))
        return;
    auto stream = src.text(c, "stream", true);
    if (!stream) return;
    if (!contains_id(waste_streams(), *stream)) {
        std::string near = closest(*stream, ids_of(waste_streams()));
        src.error(src.value_mark(c, "stream"),
                  "flux de déchets inconnu " + q(*stream) + (near.empty() ? "" : " (vouliez-vous dire " + q(near) + " ?)"),
                  "unknown waste stream " + q(*stream) + (near.empty() ? "" : " (did you mean " + q(near) + "?)"));
        return;
    }
    waste_schedule_src base;
    base.stream = *stream;
    if (c["notes"]) src.text_pair(c, "notes", false, base.notes_fr, base.notes_en);
    if (auto r = src.text(c, "on_request", false)) {
        if (*r == "true" || *r == "yes" || *r == "oui") base.on_request = true;
        else if (*r != "false" && *r != "no" && *r != "non")
            src.error(src.value_mark(c, "on_request"), "'on_request' doit valoir true ou false",
                      "'on_request' must be true or false");
    }
    // Bulky items "inscription obligatoire la semaine précédente": register_days_before: 7.
    if (auto n = src.text(c, "register_days_before", false)) {
        int days = 0;
        auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), days);
        if (ec != std::errc() || end != n->data() + n->size() || days < 1 || days > 60)
            src.error(src.value_mark(c, "register_days_before"),
                      "'register_days_before' doit être un nombre de jours, de 1 à 60",
                      "'register_days_before' must be a number of days, 1 to 60");
        else
            base.register_days = days;
    }
    if (auto n = src.text(c, "nth", false)) {
        static const std::vector<std::string> ok = {"1", "2", "3", "4", "5", "-1"};
        if (std::find(ok.begin(), ok.end(), *n) == ok.end())
            src.error(src.value_mark(c, "nth"), "'nth' doit valoir 1 à 5, ou -1 (dernier)",
                      "'nth' must be 1 to 5, or -1 (last)");
        else
            base.nth = std::stoi(*n);
    }
    if (auto w = src.text(c, "weeks", false)) {
        if (*w == "odd" || *w == "impaires") base.week_parity = 1;
        else if (*w == "even" || *w == "paires") base.week_parity = 2;
        else
            src.error(src.value_mark(c, "weeks"), "'weeks' doit valoir paires/even ou impaires/odd",
                      "'weeks' must be even or odd");
    }
    // avril-octobre, [Apr, May], [4-10]: each wrong month at its own place.
    if (const YAML::Node months = c["months"]) {
        std::vector<YAML::Node> items;
        if (months.IsSequence())
            for (const auto& m : months) items.push_back(m);
        else
            items.push_back(months);
        for (const auto& m : items) {
            auto bits = m.IsScalar() ? parse_months(m.Scalar()) : std::nullopt;
            if (bits)
                base.months |= *bits;
            else
                src.error(m.Mark(),
                          "mois inconnu " + q(m.IsScalar() ? m.Scalar() : "?") +
                              " (janvier…décembre, ou une période : avril-octobre)",
                          "unknown month " + q(m.IsScalar() ? m.Scalar() : "?") +
                              " (January…December, or a period: April-October)");
        }
    }
    auto days = src.text_list(c, "days");
    if (days.empty()) {
        if (base.on_request) zone.schedules.push_back(base);
        else
            src.error(c.Mark(), "champ obligatoire manquant 'days' (ou on_request: true)",
                      "missing required field 'days' (or on_request: true)");
        return;
    }
    for (const auto& d : days) {
        auto wd = parse_weekday(d);
        if (!wd) {
            src.error(src.value_mark(c, "days"), "jour inconnu " + q(d) + " (Mo…Su ou lundi…dimanche)",
                      "unknown day " + q(d) + " (Mo…Su or lundi…dimanche)");
            continue;
        }
        waste_schedule_src s = base;
        s.weekday = *wd;
        zone.schedules.push_back(s);
    }
}

void load_zone(yaml_source& src, load_context& ctx, const YAML::Node& z) {
    if (!src.check_map(z, "zone", {"id", "name", "collections"})) return;
    waste_zone_src zone;
    auto id = src.text(z, "id", true);
    bool ok = id && check_unique_id(src, ctx, z, "zone", *id);
    if (id) zone.id = *id;
    ok &= src.text_pair(z, "name", true, zone.name_fr, zone.name_en);
    YAML::Node cs = z["collections"];
    if (src.check_list(cs, "collections", src.value_mark(z, "collections")))
        for (const auto& c : cs) load_collection(src, c, zone);
    if (ok) ctx.data.zones.push_back(std::move(zone));
}

// Whether a collection by the rule `s` falls on `day` (days since 1970-01-01): its weekday, n-th
// of the month, odd/even ISO week and season (as the waste plugin reads them). One on request
// falls on no day.
bool collects_on(const waste_schedule_src& s, std::int64_t day) {
    using namespace std::chrono;
    const sys_days d{days(day)};
    const year_month_day ymd{d};
    const int iso_weekday = static_cast<int>(weekday(d).iso_encoding());
    if (s.on_request || iso_weekday != s.weekday) return false;
    const unsigned dom = static_cast<unsigned>(ymd.day());
    if (s.nth > 0 && (dom - 1) / 7 + 1 != static_cast<unsigned>(s.nth)) return false;
    const unsigned month_days = static_cast<unsigned>(
        year_month_day_last(ymd.year(), month_day_last(ymd.month())).day());
    if (s.nth < 0 && dom + 7 * static_cast<unsigned>(-s.nth) <= month_days) return false;
    if (s.week_parity != 0) {
        // The ISO week is the one of its Thursday, counted in the Thursday's year.
        const sys_days thursday = d - days(iso_weekday - 4);
        const auto first = sys_days(year_month_day(thursday).year() / January / 1);
        const auto week = (thursday - first).count() / 7 + 1;
        if ((week % 2 == 1) != (s.week_parity == 1)) return false;
    }
    return s.months == 0 || (s.months & (1 << static_cast<unsigned>(ymd.month()))) != 0;
}

// The changes of one file, once read (`marks`: each one's date, from ctx.data.waste_exceptions
// [first]): a change that changes nothing is a notice — in the past, for a day without that
// collection, the same change twice; two different changes of the same collection contradict
// each other (the waste plugin applies the first one only): an error.
void check_exceptions(yaml_source& src, load_context& ctx, std::size_t first,
                      const std::vector<YAML::Mark>& marks) {
    const auto& all = ctx.data.waste_exceptions;
    for (std::size_t i = first; i < all.size(); ++i) {
        const waste_exception_src& x = all[i];
        const YAML::Mark& at = marks[i - first];
        const std::int64_t day = day_number(x.date).value_or(0);
        if (day < ctx.today) {
            notice(src, ctx, at,
                   "changement de collecte du " + x.date + " passé : il ne change plus rien "
                   "(supprimez-le)",
                   "collection change of " + x.date + " in the past: it changes nothing any more "
                   "(delete it)");
            continue;
        }
        const waste_exception_src* before = nullptr;
        std::size_t before_at = 0;
        for (std::size_t j = first; j < i && !before; ++j)
            if (all[j].date == x.date && all[j].stream == x.stream &&
                (all[j].zone_id.empty() || x.zone_id.empty() || all[j].zone_id == x.zone_id)) {
                before = &all[j];
                before_at = j;
            }
        if (before) {
            const std::string line = std::to_string(src.position(marks[before_at - first]).first);
            auto said = [&](const waste_exception_src& e, bool fr) {
                return e.moved_to.empty() ? std::string(fr ? "l'annule" : "cancels it")
                                          : (fr ? "la décale au " : "moves it to ") + e.moved_to;
            };
            if (before->moved_to == x.moved_to)
                notice(src, ctx, at,
                       "ce changement du " + x.date + " est déjà écrit ligne " + line +
                           " : il ne change rien (supprimez-le)",
                       "this change of " + x.date + " is already written on line " + line +
                           ": it changes nothing (delete it)");
            else
                src.error(at,
                          "changements contradictoires pour la collecte du " + x.date +
                              " : la ligne " + line + " " + said(*before, true) + ", celle-ci " +
                              said(x, true) + " ; seul le premier compte, gardez le bon",
                          "contradictory changes of the collection of " + x.date + ": line " +
                              line + " " + said(*before, false) + ", this one " +
                              said(x, false) + "; only the first counts, keep the right one");
            continue;
        }
        bool collected = false;
        for (const auto& z : ctx.data.zones)
            if (x.zone_id.empty() || z.id == x.zone_id)
                for (const auto& s : z.schedules)
                    collected = collected ||
                                ((x.stream.empty() || s.stream == x.stream) && collects_on(s, day));
        if (collected) continue;
        const std::string stream = x.stream.empty() ? "" : " " + q(x.stream);
        const std::string fr_day = weekday_name(day, true) + " " + x.date;
        const std::string en_day = weekday_name(day, false) + " " + x.date;
        notice(src, ctx, at,
               (x.zone_id.empty() ? "aucune zone n'a de collecte" + stream + " le " + fr_day
                                  : "la zone " + q(x.zone_id) + " n'a pas de collecte" + stream +
                                        " le " + fr_day) +
                   " : ce changement ne change rien ; vérifiez sa date, son flux et sa zone",
               (x.zone_id.empty() ? "no zone has a" + stream + " collection on " + en_day
                                  : "zone " + q(x.zone_id) + " has no" + stream +
                                        " collection on " + en_day) +
                   ": this change changes nothing; check its date, stream and zone");
    }
}

bool load_exception(yaml_source& src, load_context& ctx, const YAML::Node& e) {
    if (!src.check_map(e, "exception", {"date", "stream", "zone", "moved_to", "notes"}))
        return false;
    waste_exception_src x;
    auto bad_date = [&](const char* key, const std::string& v) {
        src.error(src.value_mark(e, key), "date invalide " + q(v) + " : AAAA-MM-JJ attendu",
                  "bad date " + q(v) + ": expected YYYY-MM-DD");
    };
    auto d = src.text(e, "date", true);
    if (!d) return false;
    if (!valid_date(*d)) {
        bad_date("date", *d);
        return false;
    }
    x.date = *d;
    if (auto m = src.text(e, "moved_to", false)) {
        if (!valid_date(*m)) {
            bad_date("moved_to", *m);
            return false;
        }
        x.moved_to = *m;
    }
    if (auto s = src.text(e, "stream", false)) {
        if (!contains_id(waste_streams(), *s)) {
            src.error(src.value_mark(e, "stream"), "flux de déchets inconnu " + q(*s),
                      "unknown waste stream " + q(*s));
            return false;
        }
        x.stream = *s;
    }
    if (auto zn = src.text(e, "zone", false)) {
        bool known = std::any_of(ctx.data.zones.begin(), ctx.data.zones.end(),
                                 [&](const auto& z) { return z.id == *zn; });
        if (!known) {
            src.error(src.value_mark(e, "zone"), "zone inconnue " + q(*zn), "unknown zone " + q(*zn));
            return false;
        }
        x.zone_id = *zn;
    }
    if (e["notes"]) src.text_pair(e, "notes", false, x.notes_fr, x.notes_en);
    ctx.data.waste_exceptions.push_back(std::move(x));
    return true;
}

void load_alert(yaml_source& src, load_context& ctx, const YAML::Node& a) {
    if (!src.check_map(a, "alert",
                       {"id", "message", "from", "until", "intents", "places", "categories"}))
        return;
    alert_src al;
    auto id = src.text(a, "id", true);
    bool ok = id && check_unique_id(src, ctx, a, "alert", *id);
    if (id) al.id = *id;
    ok &= src.text_pair(a, "message", true, al.message_fr, al.message_en);
    auto when = [&](const char* key, std::string& local, std::int64_t& unix) {
        auto v = src.text(a, key, true);
        if (!v) return false;
        local = *v;
        auto t = local_to_unix(*v, ctx.options.time_zone);
        if (!t) {
            src.error(src.value_mark(a, key),
                      "date invalide " + q(*v) + " : AAAA-MM-JJ HH:MM attendu (heure locale)",
                      "bad date " + q(*v) + ": expected YYYY-MM-DD HH:MM (local time)");
            return false;
        }
        unix = *t;
        return true;
    };
    bool from_ok = when("from", al.from_local, al.from_unix);
    bool until_ok = when("until", al.until_local, al.until_unix);
    if (from_ok && until_ok && al.until_unix < al.from_unix) {
        src.error(src.value_mark(a, "until"),
                  "'until' (" + al.until_local + ") est avant 'from' (" + al.from_local + ")",
                  "'until' (" + al.until_local + ") is before 'from' (" + al.from_local + ")");
        ok = false;
    } else if (until_ok && al.until_unix < ctx.now) {
        notice(src, ctx, src.value_mark(a, "until"),
               "alerte terminée (" + al.until_local + ") : elle ne s'affiche plus (supprimez-la, "
               "ou changez 'until' si elle doit durer)",
               "alert ended (" + al.until_local + "): it is no longer shown (delete it, or change "
               "'until' if it must go on)");
    }
    al.intents = src.text_list(a, "intents");
    if (const YAML::Node in = a["intents"]; in && (in.IsScalar() || in.IsSequence())) {
        std::vector<YAML::Node> items;
        if (in.IsScalar())
            items.push_back(in);
        else
            for (const auto& i : in) items.push_back(i);
        for (const auto& i : items)
            if (i.IsScalar()) {
                auto [line, column] = src.position(i.Mark());
                ctx.alert_intents.push_back({i.Scalar(), src.path(), line, column});
            }
    }
    al.places = src.text_list(a, "places");
    al.categories = src.text_list(a, "categories");
    for (const auto& c : al.categories)
        if (!contains_id(place_categories(), c)) {
            std::string near = closest(c, ids_of(place_categories()));
            src.error(src.value_mark(a, "categories"),
                      "catégorie inconnue " + q(c) + (near.empty() ? "" : " (vouliez-vous dire " + q(near) + " ?)"),
                      "unknown category " + q(c) + (near.empty() ? "" : " (did you mean " + q(near) + "?)"));
        }
    // Place ids are checked once all places are loaded (check_references).
    if (!al.places.empty()) ctx.first_seen.emplace("alert_places:" + al.id, src.where(src.value_mark(a, "places")));
    if (ok && from_ok && until_ok) ctx.data.alerts.push_back(std::move(al));
}

}  // namespace

void load_waste(const std::string& file, load_context& ctx) {
    yaml_source src(file, ctx.options.lang, ctx.out);
    auto root = src.load();
    if (!root || empty_file(src, *root, "zones")) return;
    if (!src.check_map(*root, "file", {"holiday_shift", "zones", "exceptions"})) return;
    if (auto h = src.text(*root, "holiday_shift", false)) {
        if (*h != "next_day" && *h != "none")
            src.error(src.value_mark(*root, "holiday_shift"),
                      "'holiday_shift' doit valoir next_day ou none", "'holiday_shift' must be next_day or none");
        else
            ctx.data.holiday_shift = *h;
    }
    YAML::Node zones = (*root)["zones"];
    if (src.check_list(zones, "zones", root->Mark()))
        for (const auto& z : zones) load_zone(src, ctx, z);
    YAML::Node ex = (*root)["exceptions"];
    if (src.check_list(ex, "exceptions", root->Mark())) {
        const std::size_t first = ctx.data.waste_exceptions.size();
        std::vector<YAML::Mark> marks;  // each kept change's date
        for (const auto& e : ex)
            if (load_exception(src, ctx, e)) marks.push_back(src.value_mark(e, "date"));
        check_exceptions(src, ctx, first, marks);
    }
}

void load_waste_streets(const std::string& file, load_context& ctx) {
    bool fr = ctx.options.lang != "en";
    auto err = [&](int line, int col, const std::string& f, const std::string& e) {
        ctx.out.push_back({file, line, col, fr ? f : e});
    };
    std::ifstream in(file, std::ios::binary);
    if (!in) return err(0, 0, "impossible de lire le fichier", "cannot read the file");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (auto bad = invalid_utf8(file, ss.str(), fr)) return ctx.out.push_back(std::move(*bad));
    csv_error ce;
    auto rows = parse_csv(ss.str(), ce);
    if (!rows) return err(ce.line, ce.column, ce.message_fr, ce.message_en);
    if (rows->empty())
        return err(0, 0, "fichier vide (attendu : l'en-tête 'rue;zone' puis une rue par ligne)",
                   "empty file (expected the header 'street;zone', then one street a line)");
    // Header: which column holds the street and which the zone.
    int street_col = -1, zone_col = -1;
    const csv_row& header = rows->front();
    for (std::size_t i = 0; i < header.size(); ++i) {
        std::string h = fold(header[i].value);
        if (h == "rue" || h == "street" || h == "voie") street_col = static_cast<int>(i);
        else if (h == "zone") zone_col = static_cast<int>(i);
    }
    if (street_col < 0 || zone_col < 0) {
        // "rue<TAB>zone", "rue,zone" (a spreadsheet's other separators): one column only.
        const std::string& whole = header.front().value;
        for (auto [sep, fr, en] : {std::tuple{'\t', "des tabulations", "tabs"},
                                   std::tuple{',', "des virgules", "commas"}})
            if (header.size() == 1 && whole.find(sep) != std::string::npos)
                return err(header.front().line, 1,
                           std::string("les colonnes sont séparées par ") + fr +
                               " : le séparateur doit être le point-virgule (rue;zone ; dans un "
                               "tableur, enregistrez en CSV « point-virgule »)",
                           std::string("the columns are separated by ") + en +
                               ": the separator must be a semicolon (street;zone; in a "
                               "spreadsheet, save as CSV with semicolons)");
        return err(header.front().line, 1, "l'en-tête doit contenir les colonnes 'rue' et 'zone'",
                   "the header must have the columns 'street' (or 'rue') and 'zone'");
    }
    if (rows->size() == 1)
        return err(header.front().line, 1, "aucune rue sous l'en-tête",
                   "no street under the header");
    std::map<std::string, std::pair<std::string, int>> seen;  // street key → (zone, line)
    for (std::size_t r = 1; r < rows->size(); ++r) {
        const csv_row& row = (*rows)[r];
        auto need = static_cast<std::size_t>(std::max(street_col, zone_col));
        if (row.size() <= need) {
            err(row.front().line, row.back().column, "colonne manquante : 'rue' et 'zone' attendues",
                "missing column: 'street' and 'zone' expected");
            continue;
        }
        const csv_field& street = row[street_col];
        const csv_field& zone = row[zone_col];
        if (street.value.empty() || zone.value.empty()) {
            const csv_field& f = street.value.empty() ? street : zone;
            err(f.line, f.column, "cellule vide", "empty cell");
            continue;
        }
        bool zone_known = std::any_of(ctx.data.zones.begin(), ctx.data.zones.end(),
                                      [&](const auto& z) { return z.id == zone.value; });
        if (!zone_known) {
            std::vector<std::string> ids;
            for (const auto& z : ctx.data.zones) ids.push_back(z.id);
            std::string near = closest(zone.value, ids);
            err(zone.line, zone.column,
                "zone inconnue " + q(zone.value) + (near.empty() ? "" : " (vouliez-vous dire " + q(near) + " ?)"),
                "unknown zone " + q(zone.value) + (near.empty() ? "" : " (did you mean " + q(near) + "?)"));
            continue;
        }
        std::string key = fold(street.value);
        auto [it, fresh] = seen.emplace(key, std::make_pair(zone.value, street.line));
        if (!fresh) {
            std::string line = std::to_string(it->second.second);
            err(street.line, street.column,
                "la rue " + q(street.value) + " est déjà dans la zone " + q(it->second.first) + " (ligne " + line + ")",
                "street " + q(street.value) + " is already in zone " + q(it->second.first) + " (line " + line + ")");
            continue;
        }
        ctx.data.streets.push_back({street.value, zone.value});
    }
}

void load_alerts(const std::string& file, load_context& ctx) {
    load_list_file(file, ctx, "alerts", load_alert);
}

void check_references(load_context& ctx) {
    bool fr = ctx.options.lang != "en";
    // A problem at a position remembered as "file:line:column".
    auto report_at = [&](const std::string& where, std::string message) {
        diagnostic d;
        auto c2 = where.rfind(':'), c1 = where.rfind(':', c2 - 1);
        d.file = where.substr(0, c1);
        d.line = std::stoi(where.substr(c1 + 1, c2 - c1 - 1));
        d.column = std::stoi(where.substr(c2 + 1));
        d.message = std::move(message);
        ctx.out.push_back(std::move(d));
    };
    // "SH off" with no school holidays given: the schools would be said open in the holidays.
    // (Not when school_holidays.yaml itself is refused: its own error says what to mend.)
    const bool holidays_refused = std::any_of(ctx.out.begin(), ctx.out.end(), [](const diagnostic& d) {
        return d.file.ends_with("school_holidays.yaml");
    });
    if (ctx.data.school_holidays.empty() && !holidays_refused)
        for (const auto& [key, where] : ctx.first_seen) {
            if (key.starts_with("place_sh:"))
                report_at(where, fr ? "SH (vacances scolaires) : aucune période dans "
                                      "knowledge/school_holidays.yaml"
                                    : "SH (school holidays): no period in knowledge/school_holidays.yaml");
            else if (key.starts_with("faq_sh:"))
                report_at(where, std::string(school_holidays_placeholder) +
                                     (fr ? " : aucune période dans knowledge/school_holidays.yaml"
                                         : ": no period in knowledge/school_holidays.yaml"));
        }
    // An FAQ answer's report kind: a category of report_categories.yaml ("autre" without one).
    std::vector<std::string> codes;
    for (const auto& c : ctx.data.report_categories) codes.push_back(c.code);
    if (codes.empty()) codes.push_back("autre");
    for (const auto& f : ctx.data.faq) {
        if (f.report.empty() || std::find(codes.begin(), codes.end(), f.report) != codes.end()) continue;
        const std::string near = closest(f.report, codes);
        report_at(ctx.first_seen["faq_report:" + f.id],
                  fr ? "catégorie de signalement inconnue " + q(f.report) +
                           (near.empty() ? "" : " (vouliez-vous dire " + q(near) + " ?)") +
                           " : les catégories sont dans report_categories.yaml"
                     : "unknown report category " + q(f.report) +
                           (near.empty() ? "" : " (did you mean " + q(near) + "?)") +
                           ": the categories are in report_categories.yaml");
    }
    std::vector<std::string> ids;
    for (const auto& p : ctx.data.places) ids.push_back(p.id);
    // No place at all, or a places file unread: the places file's own problem (missing,
    // empty, broken) is reported.
    if (ids.empty() || ctx.places_unread) return;
    for (const auto& a : ctx.data.alerts) {
        for (const auto& p : a.places) {
            if (std::find(ids.begin(), ids.end(), p) != ids.end()) continue;
            std::string near = closest(p, ids);
            report_at(ctx.first_seen["alert_places:" + a.id],
                      fr ? "lieu inconnu " + q(p) + (near.empty() ? "" : " (vouliez-vous dire " + q(near) + " ?)")
                         : "unknown place " + q(p) + (near.empty() ? "" : " (did you mean " + q(near) + "?)"));
        }
    }
}

}  // namespace guichet::kb
