// Loaders for places (services and facilities) and FAQ entries: structure, types, ids,
// coordinates, URLs, categories/topics and opening_hours (through the injected validator).
#include <algorithm>
#include <cmath>

#include "kb/loaders.h"
#include "kb/note_closures.h"
#include "kb/text_fold.h"
#include "kb/values.h"
#include "kb/yaml_reader.h"

namespace guichet::kb {
namespace {

const auto q = in_quotes;
// An FAQ entry reviewed longer ago than this is said to need another reading (a notice).
constexpr std::int64_t reviewed_max_age_days = 365;

// Checks the id's shape and uniqueness; returns false if it must be skipped.
bool check_id(yaml_source& src, load_context& ctx, const YAML::Node& item, const char* kind,
              const std::string& id) {
    YAML::Mark m = src.value_mark(item, "id");
    bool ok = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
    });
    if (!ok) {
        src.error(m, "identifiant " + q(id) + " invalide : lettres minuscules sans accent, chiffres, _ . -",
                  "invalid id " + q(id) + ": use lower-case letters without accents, digits, _ . -");
        return false;
    }
    return check_unique_id(src, ctx, item, kind, id);
}

// A category or topic not in `vocab`: the closest id, or the entry one of whose names is
// that word or close to it ("bibliotheque", "salle_des_fetes"); else every id, so that staff
// need not look for the list.
void check_vocabulary(yaml_source& src, const YAML::Node& item, const char* key,
                      const std::string& value, const std::vector<vocabulary_entry>& vocab,
                      const char* what_fr, const char* what_en) {
    if (contains_id(vocab, value)) return;
    const std::vector<std::string> ids = ids_of(vocab);
    std::string near = closest(value, ids);
    if (near.empty()) {
        std::vector<std::string> names, owners;
        for (const auto& e : vocab) {
            std::vector<const char*> all{e.id, e.label_fr, e.label_en};
            all.insert(all.end(), e.synonyms_fr.begin(), e.synonyms_fr.end());
            all.insert(all.end(), e.synonyms_en.begin(), e.synonyms_en.end());
            for (const char* n : all) {
                names.push_back(fold(n));
                owners.emplace_back(e.id);
            }
        }
        const std::string name = closest(fold(value), names);
        if (!name.empty())
            near = owners[static_cast<std::size_t>(std::find(names.begin(), names.end(), name) -
                                                   names.begin())];
    }
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ", ") + id;
    src.error(src.value_mark(item, key),
              std::string(what_fr) + " inconnue " + q(value) +
                  (near.empty() ? " : écrivez l'une de : " + list
                                : " (vouliez-vous dire " + q(near) + " ?)"),
              std::string("unknown ") + what_en + " " + q(value) +
                  (near.empty() ? ": write one of: " + list : " (did you mean " + q(near) + "?)"));
}

void check_url(yaml_source& src, const YAML::Node& item, const char* key, const std::string& v) {
    if (!valid_url(v))
        src.error(src.value_mark(item, key),
                  "URL invalide " + q(v) + " : une adresse complète http(s)://… est attendue",
                  "bad URL " + q(v) + ": expected an absolute http(s):// address");
}

void check_coordinate(yaml_source& src, const YAML::Node& item, const char* key, double v,
                      double limit) {
    if (std::isfinite(v) && v >= -limit && v <= limit) return;
    std::string lim = limit == 90 ? "-90 … 90" : "-180 … 180";
    src.error(src.value_mark(item, key),
              q(key) + " hors limites (" + lim + ") : " + src.text(item, key, false).value_or(""),
              q(key) + " out of range (" + lim + "): " + src.text(item, key, false).value_or(""));
}

// A note saying the place is closed on days its hours open ("Fermeture du 2 au 22 août", the
// hours without "Aug 02-22 off"): citizens asking about those days got "open" from the hours
// and "closed" from the note. A notice at the sentence, with the rule that closes the hours.
void check_note_against_hours(yaml_source& src, load_context& ctx, const YAML::Node& notes,
                              const place_src& p) {
    if (!ctx.options.first_open_day) return;
    std::vector<std::pair<std::int64_t, std::int64_t>> said;  // each span once (fr, then en)
    for (const char* lang : {"fr", "en"}) {
        const std::string& note = lang[0] == 'f' ? p.notes_fr : p.notes_en;
        for (const said_closure& c : closures_in_note(note, ctx.today)) {
            if (std::find(said.begin(), said.end(), std::pair{c.first_day, c.last_day}) !=
                said.end())
                continue;
            said.emplace_back(c.first_day, c.last_day);
            auto open = ctx.options.first_open_day(p.opening_hours, c.first_day, c.last_day);
            if (!open) continue;
            auto [line, col] = src.position_in_scalar(src.value_mark(notes, lang), c.sentence_at);
            const std::string fix_fr = c.rule.empty() ? "fermez ces jours dans opening_hours"
                                                      : "ajoutez « " + c.rule +
                                                            " » à la fin d'opening_hours";
            const std::string fix_en = c.rule.empty() ? "close those days in opening_hours"
                                                      : "add '" + c.rule +
                                                            "' at the end of opening_hours";
            ctx.notices.push_back(
                {src.path(), line, col,
                 src.fr() ? "la note dit « " + c.sentence + " », mais les horaires ouvrent le " +
                                weekday_name(*open, true) + " " + iso_day(*open) + " : " +
                                fix_fr + ", ou corrigez la note"
                          : "the note says '" + c.sentence + "', but the hours open on " +
                                weekday_name(*open, false) + " " + iso_day(*open) + ": " +
                                fix_en + ", or correct the note"});
        }
    }
}

void load_place(yaml_source& src, load_context& ctx, const YAML::Node& item) {
    if (!src.check_map(item, "place",
                       {"id", "name", "synonyms", "category", "address", "postcode", "city",
                        "latitude", "longitude", "phone", "email", "url", "opening_hours", "notes",
                        "department"}))
        return;
    place_src p;
    auto id = src.text(item, "id", true);
    bool ok = id && check_id(src, ctx, item, "place", *id);
    if (id) p.id = *id;
    ok &= src.text_pair(item, "name", true, p.name_fr, p.name_en);
    src.list_pair(item, "synonyms", p.synonyms_fr, p.synonyms_en);
    if (auto c = src.text(item, "category", true)) {
        p.category = *c;
        check_vocabulary(src, item, "category", *c, place_categories(), "catégorie", "category");
    } else {
        ok = false;
    }
    auto text_or = [&](const char* key, bool required, std::string& dst) {
        if (auto v = src.text(item, key, required)) dst = *v;
        else if (required) ok = false;
    };
    text_or("address", true, p.address);
    text_or("postcode", false, p.postcode);
    text_or("city", false, p.city);
    text_or("phone", false, p.phone);
    text_or("department", false, p.department);
    auto lat = src.number(item, "latitude", true);
    auto lon = src.number(item, "longitude", true);
    if (lat) check_coordinate(src, item, "latitude", *lat, 90);
    if (lon) check_coordinate(src, item, "longitude", *lon, 180);
    ok &= lat && lon;
    if (lat) p.latitude = *lat;
    if (lon) p.longitude = *lon;
    if (!p.postcode.empty() && !valid_postcode(p.postcode))
        src.error(src.value_mark(item, "postcode"),
                  "code postal invalide " + q(p.postcode) + " : 5 chiffres attendus (ex. 45960)",
                  "bad postcode " + q(p.postcode) + ": expected 5 digits (e.g. 45960)");
    if (!p.phone.empty())
        if (auto bad = phone_problem(p.phone)) {
            auto [line, col] = src.position_in_scalar(src.value_mark(item, "phone"), *bad);
            src.error_at(
                line, col,
                "numéro de téléphone invalide " + q(p.phone) +
                    " : 10 chiffres (02 38 45 10 00), +33 …, ou un numéro court (15, 3114)",
                "bad phone number " + q(p.phone) +
                    ": expected 10 digits (02 38 45 10 00), +33 …, or a short number "
                    "(15, 3114)");
        }
    if (auto e = src.text(item, "email", false)) {
        p.email = *e;
        if (!valid_email(*e))
            src.error(src.value_mark(item, "email"), "adresse e-mail invalide " + q(*e),
                      "bad e-mail address " + q(*e));
    }
    if (auto u = src.text(item, "url", false)) {
        p.url = *u;
        check_url(src, item, "url", *u);
    }
    bool hours_valid = false;
    if (auto oh = src.text(item, "opening_hours", false)) {
        p.opening_hours = *oh;
        hours_valid = true;
        if (ctx.options.validate_opening_hours) {
            if (auto bad = ctx.options.validate_opening_hours(*oh)) {
                hours_valid = false;
                auto [line, col] = src.position_in_scalar(src.value_mark(item, "opening_hours"),
                                                          bad->offset);
                src.error_at(line, col, "opening_hours invalide : " + (bad->fr.empty() ? bad->en : bad->fr),
                             "invalid opening_hours: " + bad->en);
            }
        }
        // `SH` needs the town's school holidays (checked once every file is read).
        if (auto at = school_holidays_at(*oh)) {
            auto [line, col] = src.position_in_scalar(src.value_mark(item, "opening_hours"), *at);
            ctx.first_seen.emplace("place_sh:" + p.id,
                                   src.path() + ":" + std::to_string(line) + ":" + std::to_string(col));
        }
    }
    if (item["notes"] && src.text_pair(item, "notes", false, p.notes_fr, p.notes_en) &&
        hours_valid)
        check_note_against_hours(src, ctx, item["notes"], p);
    if (ok) ctx.data.places.push_back(std::move(p));
}

void load_faq_entry(yaml_source& src, load_context& ctx, const YAML::Node& item) {
    if (!src.check_map(item, "faq",
                       {"id", "topic", "questions", "answer", "source", "reviewed", "owner",
                        "report"}))
        return;
    faq_src f;
    auto id = src.text(item, "id", true);
    bool ok = id && check_id(src, ctx, item, "faq", *id);
    if (id) f.id = *id;
    if (auto t = src.text(item, "topic", true)) {
        f.topic = *t;
        check_vocabulary(src, item, "topic", *t, faq_topics(), "rubrique", "topic");
    } else {
        ok = false;
    }
    YAML::Node qs = item["questions"];
    if (!qs || qs.IsNull()) {
        src.error(item.Mark(), "champ obligatoire manquant 'questions'",
                  "missing required field 'questions'");
        ok = false;
    } else {
        src.list_pair(item, "questions", f.questions_fr, f.questions_en);
        if (qs.IsMap() && (f.questions_fr.empty() || f.questions_en.empty())) {
            src.error(src.value_mark(item, "questions"),
                      "'questions' doit avoir au moins une question fr et une en",
                      "'questions' needs at least one fr and one en question");
            ok = false;
        }
        // One question, one entry: the same question (case and accents aside) in two entries
        // leaves the FAQ unable to tell which answer it asks for.
        for (const char* lang : {"fr", "en"})
            if (qs.IsMap() && qs[lang] && qs[lang].IsSequence())
                for (const auto& question : qs[lang]) {
                    if (!question.IsScalar()) continue;
                    const std::string text = question.as<std::string>();
                    // A question without a word ("", "?") would be the answer to any empty or
                    // punctuation-only message.
                    const std::string folded = fold(text);
                    if (folded.find_first_not_of(' ') == std::string::npos) {  // fold: letters, digits, spaces
                        src.error(question.Mark(), "question vide " + q(text) + " : écrivez la question des habitants, ou supprimez la ligne",
                                  "empty question " + q(text) + ": write the citizens' question, or remove the line");
                        continue;
                    }
                    auto [it, fresh] = ctx.first_seen.emplace(
                        std::string("faq-question:") + lang + ":" + folded,
                        src.where(question.Mark()) + " (" + f.id + ")");
                    if (!fresh)
                        src.error(question.Mark(),
                                  "question " + q(text) + " déjà posée en " + it->second +
                                      " : la FAQ ne saurait pas laquelle des deux réponses donner",
                                  "question " + q(text) + " already asked at " + it->second +
                                      ": the FAQ could not tell which of the two answers to give");
                }
    }
    ok &= src.text_pair(item, "answer", true, f.answer_fr, f.answer_en);
    // What the FAQ plugin fills in an answer: {school_holidays}, the coming periods of
    // school_holidays.yaml (checked once every file is read), and {seasonal_places}, the places
    // open for a season in the period asked. Any other "{…}" would be shown as written.
    for (const std::string* a : {&f.answer_fr, &f.answer_en})
        for (auto open = a->find('{'); open != std::string::npos; open = a->find('{', open + 1)) {
            const auto close = a->find('}', open);
            const std::string name =
                a->substr(open, close == std::string::npos ? std::string::npos : close - open + 1);
            if (name == school_holidays_placeholder)
                ctx.first_seen.emplace("faq_sh:" + f.id, src.where(src.value_mark(item, "answer")));
            else if (name != seasonal_places_placeholder)
                src.error(src.value_mark(item, "answer"),
                          "variable inconnue " + q(name) + " dans la réponse : les seules sont " +
                              std::string(school_holidays_placeholder) +
                              " (les prochaines vacances scolaires) et " +
                              std::string(seasonal_places_placeholder) +
                              " (les lieux ouverts pour une saison à la période demandée)",
                          "unknown placeholder " + q(name) + " in the answer: the only ones are " +
                              std::string(school_holidays_placeholder) +
                              " (the coming school holidays) and " +
                              std::string(seasonal_places_placeholder) +
                              " (the places open for a season in the period asked)");
        }
    if (auto s = src.text(item, "source", true)) {
        f.source_url = *s;
        check_url(src, item, "source", *s);
    }
    if (auto r = src.text(item, "reviewed", true)) {
        f.reviewed = *r;
        const auto day = day_number(*r);
        if (!day)
            src.error(src.value_mark(item, "reviewed"),
                      "date invalide " + q(*r) + " : AAAA-MM-JJ attendu (ex. 2026-09-15)",
                      "bad date " + q(*r) + ": expected YYYY-MM-DD (e.g. 2026-09-15)");
        // The answer says "mis à jour le …" to citizens: a date to come is a typo; a review
        // over a year old, an answer and a source to read again.
        else if (*day > ctx.today)
            notice(src, ctx, src.value_mark(item, "reviewed"),
                   "date de relecture " + *r + " à venir : une faute de frappe ? (la réponse "
                   "dit « mis à jour le » cette date aux habitants)",
                   "review date " + *r + " is still to come: a typo? (the answer tells citizens "
                   "\"updated\" with that date)");
        else if (*day < ctx.today - reviewed_max_age_days)
            notice(src, ctx, src.value_mark(item, "reviewed"),
                   "relue il y a plus d'un an (" + *r + ") : relisez la réponse et sa source, "
                   "puis mettez la date à jour",
                   "reviewed over a year ago (" + *r + "): read the answer and its source again, "
                   "then update the date");
    }
    if (auto o = src.text(item, "owner", true)) f.owner = *o;
    if (item["report"])
        if (auto r = src.text(item, "report", false)) {
            f.report = *r;  // checked against report_categories.yaml once every file is read
            ctx.first_seen.emplace("faq_report:" + f.id, src.where(src.value_mark(item, "report")));
        }
    if (ok) ctx.data.faq.push_back(std::move(f));
}

}  // namespace

void load_places(const std::string& file, load_context& ctx) {
    // Each place's position, to find one far from the others afterwards.
    std::vector<std::pair<std::size_t, YAML::Mark>> where;
    yaml_source src(file, ctx.options.lang, ctx.out);
    auto root = src.load();
    if (!root) {
        ctx.places_unread = true;
        return;
    }
    if (empty_file(src, *root, "places")) return;
    if (!src.check_map(*root, "file", {"places"})) return;
    YAML::Node list = (*root)["places"];
    if (!src.check_list(list, "places", root->Mark())) return;
    for (const auto& item : list) {
        const auto before = ctx.data.places.size();
        load_place(src, ctx, item);
        if (ctx.data.places.size() > before) where.emplace_back(before, src.value_mark(item, "latitude"));
    }
    // A place over 50 km from the middle of the others (the median of each coordinate) is
    // never the town's: most often its latitude and longitude swapped, or a digit lost.
    if (where.size() < 3) return;
    std::vector<double> lats, lons;
    for (auto& [i, m] : where) {
        lats.push_back(ctx.data.places[i].latitude);
        lons.push_back(ctx.data.places[i].longitude);
    }
    std::nth_element(lats.begin(), lats.begin() + lats.size() / 2, lats.end());
    std::nth_element(lons.begin(), lons.begin() + lons.size() / 2, lons.end());
    const double mid_lat = lats[lats.size() / 2], mid_lon = lons[lons.size() / 2];
    auto km_from_middle = [&](double lat, double lon) {  // great-circle distance
        const double r = M_PI / 180, a = std::sin((lat - mid_lat) * r / 2),
                     b = std::sin((lon - mid_lon) * r / 2);
        const double h = a * a + std::cos(lat * r) * std::cos(mid_lat * r) * b * b;
        return 2 * 6371.0 * std::asin(std::min(1.0, std::sqrt(h)));
    };
    for (auto& [i, mark] : where) {
        const auto& p = ctx.data.places[i];
        const double km = km_from_middle(p.latitude, p.longitude);
        if (km <= 50) continue;
        const bool swapped = km_from_middle(p.longitude, p.latitude) <= 50;
        const std::string d = std::to_string(static_cast<long>(km));
        src.error(mark,
                  q(p.id) + " est à " + d + " km des autres lieux" +
                      (swapped ? " : latitude et longitude inversées ?" : " : position à vérifier"),
                  q(p.id) + " is " + d + " km from the other places" +
                      (swapped ? ": latitude and longitude swapped?" : ": check its position"));
    }
}

void load_faq(const std::string& file, load_context& ctx) {
    load_list_file(file, ctx, "faq", load_faq_entry);
}

}  // namespace guichet::kb
