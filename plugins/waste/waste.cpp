// The "waste" plugin (intent waste.days): the next collection day of each stream for the
// citizen's street, computed from its zone's rules (weekday, n-th weekday of the month,
// odd/even ISO weeks) with the knowledge base's exceptions first and then the holiday shift
// (a collection on a public holiday moves to the next day). Unknown streets get the
// closest known names as buttons.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace {

using namespace guichet::answers;

constexpr std::int64_t horizon_days = 70;  // rules give a date within ten weeks
constexpr std::size_t street_suggestions = 3;

// Lower case ASCII with the French accents removed, punctuation as spaces: enough to
// compare a typed street with the official names.
std::string loose(std::string_view s) {
    static const std::pair<const char*, char> accents[] = {
        {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
        {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'},
        {"ç", 'c'}, {"É", 'e'}, {"È", 'e'}, {"À", 'a'}, {"Ç", 'c'}, {"Ê", 'e'}, {"Î", 'i'}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        for (auto& [a, r] : accents) {
            std::string_view av(a);
            if (s.substr(i, av.size()) == av) {
                out += r;
                i += av.size();
                done = true;
                break;
            }
        }
        if (done) continue;
        unsigned char c = static_cast<unsigned char>(s[i++]);
        if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
        else if (!out.empty() && out.back() != ' ') out += ' ';
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

std::size_t edit_distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

int iso_week(std::int64_t day) {
    std::int64_t thursday = day - weekday_of(day) + 4;
    int year = civil_from_days(thursday).y;
    return static_cast<int>((thursday - days_from_civil(year, 1, 1)) / 7 + 1);
}

int days_in_month(int y, int m) {
    return static_cast<int>(days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) -
                            days_from_civil(y, m, 1));
}

struct rule {
    std::string stream;
    int weekday = 0, nth = 0, parity = 0;
    int months = 0;  // bit 1 << m for each month m it runs; 0: all year
    bool on_request = false;
    std::string notes;
    int register_days = 0;  // registration closes this many days before; 0 = none
};

bool matches(const rule& r, std::int64_t day) {
    if (r.on_request || weekday_of(day) != r.weekday) return false;
    civil c = civil_from_days(day);
    if (r.nth > 0 && (c.d - 1) / 7 + 1 != r.nth) return false;
    if (r.nth < 0 && c.d + 7 * (-r.nth) <= days_in_month(c.y, c.m)) return false;
    if (r.parity == 1 && iso_week(day) % 2 == 0) return false;
    if (r.parity == 2 && iso_week(day) % 2 == 1) return false;
    if (r.months != 0 && (r.months & (1 << c.m)) == 0) return false;  // out of its season
    return true;
}

// The usual days of one stream's rules, as said after its name: "le mardi et le vendredi",
// "le mercredi (semaines paires)", "le 2e mercredi du mois", "le dernier jeudi du mois", "le
// lundi, d'avril à octobre" ("on Tuesdays and Fridays", "on Wednesdays (even weeks)", "on the
// second Wednesday of the month", "on Mondays, April to October"); "" for a stream collected on
// request only. Weekday and month names come from ICU, in the turn's language.
std::string usual_days(const turn& t, const std::vector<const rule*>& rules) {
    const std::int64_t today = local_day_number(t, t.now());
    auto noon = [&](std::int64_t day) { return day_start(t, day) + 12 * 3600; };
    auto weekday_name = [&](int w) {
        return t.format_time(noon(today + ((w - weekday_of(today)) % 7 + 7) % 7), "EEEE");
    };
    auto month_name = [&](int m) {
        return t.format_time(noon(days_from_civil(civil_from_days(today).y, m, 15)), "MMMM");
    };
    // The months a seasonal rule runs, as runs of consecutive months: "d'avril à octobre".
    auto season = [&](int months) {
        std::vector<std::string> runs;
        for (int m = 1; m <= 12; ++m) {
            if ((months & (1 << m)) == 0) continue;
            int last = m;
            while (last < 12 && (months & (1 << (last + 1)))) ++last;
            const std::string first = month_name(m);
            const bool elided =
                t.fr() && std::string_view("aeiou").find(first[0]) != std::string_view::npos;
            runs.push_back(last == m ? (t.fr() ? "en " : "in ") + first
                           : t.fr()  ? (elided ? "d'" : "de ") + first + " à " + month_name(last)
                                     : first + " to " + month_name(last));
            m = last;
        }
        return listed(t, runs);
    };
    static constexpr const char* ordinals_fr[] = {"", "1er", "2e", "3e", "4e", "5e"};
    static constexpr const char* ordinals_en[] = {"",      "first", "second", "third",
                                                  "fourth", "fifth"};
    // Rules alike but for their weekday are said together ("le mardi et le vendredi").
    std::vector<std::string> groups;
    std::vector<bool> said(rules.size(), false);
    for (std::size_t i = 0; i < rules.size(); ++i) {
        const rule& r = *rules[i];
        if (said[i] || r.on_request || r.nth > 5 || r.nth < -1) continue;
        std::vector<std::string> days;
        for (std::size_t j = i; j < rules.size(); ++j) {
            const rule& o = *rules[j];
            if (said[j] || o.on_request || o.nth != r.nth || o.parity != r.parity ||
                o.months != r.months)
                continue;
            said[j] = true;
            const std::string day = weekday_name(o.weekday);
            if (r.nth == 0)
                days.push_back(t.fr() ? "le " + day : day + "s");
            else
                days.push_back(
                    t.fr() ? std::string(r.nth < 0 ? "le dernier " : "le ") +
                                 (r.nth > 0 ? std::string(ordinals_fr[r.nth]) + " " : "") + day
                           : std::string(r.nth < 0 ? "the last " : "the ") +
                                 (r.nth > 0 ? std::string(ordinals_en[r.nth]) + " " : "") + day);
        }
        std::string g = (t.fr() ? "" : "on ") + listed(t, days);
        if (r.nth != 0) g += t.tr(" du mois", " of the month");
        if (r.parity != 0)
            g += r.parity == 1 ? t.tr(" (semaines impaires)", " (odd weeks)")
                               : t.tr(" (semaines paires)", " (even weeks)");
        if (r.months != 0) g += ", " + season(r.months);
        groups.push_back(std::move(g));
    }
    return listed(t, groups);
}

// A note as said inside a sentence: without its final full stop.
std::string without_final_stop(std::string s) {
    while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
    return s;
}

struct exception_day {
    std::string stream, zone;  // "" = all
    std::optional<std::int64_t> moved_to;
    std::string note;  // the staff's note in the turn's language ("Réveillon : collecte avancée…")
};
// By day and stream ("" for every stream): two changes of one day for two streams (the
// recycling cancelled, the glass moved) are two entries; keyed by the day alone, the second
// was dropped.
using exception_days = std::map<std::pair<std::int64_t, std::string>, exception_day>;

struct waste_plugin {
    explicit waste_plugin(guichet::sdk::host&) {}

    void handle(turn t) {
        std::string typed(t.slot("street"));
        if (typed.empty()) {
            t.say(t.tr("Dans quelle rue habitez-vous ?", "Which street do you live in?"));
            return t.finish();
        }
        std::string street, zone;
        t.query("SELECT street, zone_id FROM waste_streets WHERE street = ?1 OR street_key = ?2 "
                "OR street_core = ?2 LIMIT 1",
                {typed, loose(typed)}, [&](const guichet::sdk::row& r) {
                    street = r[0];
                    zone = r[1];
                    return false;
                });
        if (street.empty()) return unknown_street(t, typed);
        t.remember("last.street", street);
        // The street the citizen gives for his bins is his own ("et chez moi ?" later), unless
        // another person's ("chez ma mère rue des Mariniers": the engine says so).
        if (!t.has_slot("street.remembered") && !t.has_slot("street.elsewhere"))
            t.remember("home.street", street);
        // "rue des Lilas" when the town has only "impasse des Lilas": said, before its days.
        if (const std::string said(t.slot("street.said")); !said.empty())
            t.say(t.fr() ? "Je ne connais pas " + guichet::answers::de_quoted(said) + " dans la commune ; voici les "
                           "collectes " + guichet::answers::of_street(t, street) + " :"
                         : "I do not know \"" + said + "\" in the town; here are the collections "
                           "for " + street + ":");

        std::string zone_name, shift;
        t.query("SELECT name_fr, name_en, holiday_shift FROM waste_zones WHERE id = ?1", {zone},
                [&](const guichet::sdk::row& r) {
                    zone_name = plain_text(t.fr() ? r[0] : r[1]);
                    shift = r[2];
                    return false;
                });
        std::vector<rule> rules;
        std::vector<std::pair<std::string, std::string>> streams;  // id, label in order
        t.query("SELECT id, label_fr, label_en FROM waste_streams ORDER BY rowid", {},
                [&](const guichet::sdk::row& r) {
                    streams.emplace_back(r[0], plain_text(t.fr() ? r[1] : r[2]));
                    return true;
                });
        t.query("SELECT stream, weekday, nth, week_parity, months, on_request, notes_fr, notes_en, "
                "register_days FROM waste_schedules WHERE zone_id = ?1",
                {zone}, [&](const guichet::sdk::row& r) {
                    rules.push_back({std::string(r[0]), static_cast<int>(r.number(1)),
                                     static_cast<int>(r.number(2)), static_cast<int>(r.number(3)),
                                     static_cast<int>(r.number(4)), r.number(5) != 0,
                                     plain_text(t.fr() ? r[6] : r[7]),
                                     static_cast<int>(r.number(8))});
                    return true;
                });

        const std::int64_t today = local_day_number(t, t.now());
        std::int64_t first = today;
        // "when should I put my bins out?", "je sors ma poubelle quand ?" (also said before
        // the street was asked for): the notes say when ("the evening before after 19:00").
        const std::string question = std::string(t.text()) + " " + std::string(t.slot("request"));
        const bool asks_when_out = mentions_any(question, {"sortir", "sors ", "sort ", "put out",
                                                           "bins out", "bin out", "put my bin",
                                                           "put the bin", "take out", "take my bin"});
        // The lorries pass from 5 am: in the afternoon, today's collection is over and the next
        // one is the answer ("bin day?" at 8 pm on a Monday said "Monday 30 November").
        const bool past_noon = t.now() - day_start(t, first) >= 12 * 3600;
        // One day asked ("c'est demain les poubelles ?", "is tomorrow bin day?"): what is
        // collected that day is said first. "Ce soir" / "tonight" asks what goes out this
        // evening: tomorrow's collection.
        std::optional<std::int64_t> asked_day;
        std::optional<std::int64_t> period_end;  // a period asked ("la semaine de Noël"): its end
        std::optional<std::int64_t> past_day;    // a day gone asked ("c'est passé hier ?")
        bool tonight = false;          // what goes out the evening of `evening_of`
        std::int64_t evening_of = 0;
        if (t.has_slot("when.start") && t.slot("when") != "now") {
            auto number = [&](const char* slot) {
                return std::strtoll(std::string(t.slot(slot)).c_str(), nullptr, 10);
            };
            const std::int64_t from = number("when.start");
            const std::int64_t to = t.has_slot("when.end") ? number("when.end") : from;
            if (const std::int64_t d = local_day_number(t, from);
                d < today && today - d <= 14 && to - from <= 26 * 3600)
                past_day = d;
            first = std::max(first, local_day_number(t, from));
            if (past_day) {
                // said below, before the next collections
            } else if (to - from <= 26 * 3600) {
                asked_day = first;
            } else if (to - from <= 16 * 86400) {
                period_end = local_day_number(t, to - 1);
            }
            // "et demain soir ?", "jeudi soir", "tomorrow evening": what goes out that evening,
            // the next day's collection (it said tomorrow's own).
            if (asked_day && (mentions_any(t.text(), {"ce soir", "tonight"}) ||
                              (mentions_any(t.text(), {"soir", "evening", "night"}) &&
                               !mentions_any(t.text(), {"soirée des", "evening class"})))) {
                evening_of = *asked_day;
                asked_day = first = *asked_day + 1;
                tonight = true;
            }
        } else if (auto d = parse_iso_day(t.slot("when")); d && *d >= first) {
            asked_day = first = *d;  // the day talked about: "et rue Victor Hugo ?" after Noël
        }
        // Kept for follow-ups ("et rue Victor Hugo ?", "et la déchetterie ?").
        if (asked_day && !tonight) t.remember("last.datetime", iso_date(*asked_day) + "T00:00:00");
        exception_days exceptions;
        t.query(t.fr() ? "SELECT date, coalesce(stream, ''), coalesce(zone_id, ''), moved_to, "
                         "coalesce(notes_fr, '') FROM waste_exceptions WHERE date >= ?1 AND date <= ?2"
                       : "SELECT date, coalesce(stream, ''), coalesce(zone_id, ''), moved_to, "
                         "coalesce(notes_en, '') FROM waste_exceptions WHERE date >= ?1 AND date <= ?2",
                {iso_date(std::min(first, past_day.value_or(first)) - 7), iso_date(first + 2 * horizon_days)},
                [&](const guichet::sdk::row& r) {
                    auto d = parse_iso_day(r[0]);
                    if (!d) return true;
                    exception_day e{std::string(r[1]), std::string(r[2]), std::nullopt,
                                    std::string(r[4])};
                    if (!r.is_null(3)) e.moved_to = parse_iso_day(r[3]);
                    if (e.zone.empty() || e.zone == zone)
                        exceptions.emplace(std::pair{*d, e.stream}, e);
                    return true;
                });

        show_alerts(t, t.intent());
        t.forget("faq.report");  // a missed collection's report, offered once (below)
        t.forget("faq.report_words");
        // "mes poubelles n'ont pas été ramassées rue Pasteur", "3 semaines que personne ramasse
        // mes poubelles": a complaint, not a question of days (the timetable alone was the
        // answer). An apology, and the report of the missed collection offered (the report
        // plugin's category `collecte`); the street's days follow, for the next one.
        if (mentions_any(question, {"pas été ramass", "pas ete ramass", "pas ramass",
                                    "personne ramasse", "personne ne ramasse", "pas été vidé",
                                    "pas ete vide", "pas vidé", "pas été collect", "pas collecté",
                                    "not collected", "n't collected", "not emptied", "n't emptied",
                                    "not picked up", "missed my", "missed our"})) {
            t.say(t.fr() ? "Désolé que votre poubelle n'ait pas été ramassée. Je peux signaler "
                           "la collecte manquée " + of_street(t, street) +
                               " aux services, avec un numéro de suivi ; laissez votre bac "
                               "sorti, couvercle fermé."
                         : "Sorry your bin was not collected. I can report the missed "
                           "collection in " + street +
                               " to the services, with a tracking number; leave your bin out, "
                               "lid closed.");
            // The street pressed opens that report (the engine reads these, as after the
            // FAQ's answer that asks for a report's place), with the citizen's words.
            t.remember("faq.report", "collecte");
            t.remember("faq.report_words", t.has_slot("request") ? std::string(t.slot("request"))
                                                                 : std::string(t.text()));
            const std::string number(t.slot("street.number"));
            t.button(t.tr("Signaler la collecte manquée", "Report the missed collection"),
                     (number.empty() ? "" : number + " ") + street);
        }
        std::string s = street + " — " + zone_name + (t.fr() ? " : " : ": ");
        // "Le verre", "the bulky items": that stream alone.
        const std::string asked(t.slot("stream"));
        std::vector<std::string> parts;
        std::vector<std::string> that_day;  // the streams collected on the day asked
        std::vector<std::string> moved_off;  // those usually collected then, moved or cancelled
        // The collection of `stream` that falls on day `d`, with why it moved ("" when it did
        // not; a moved one preferred when two rules fall there), if any.
        auto collected_on = [&](const std::string& stream, std::int64_t d) {
            std::optional<std::pair<std::int64_t, std::string>> on;
            for (auto& r : rules)
                if (r.stream == stream && !r.on_request)
                    if (auto n = next_day(t, exceptions, shift, r, d, false);
                        n && n->first == d && (!on || !n->second.empty()))
                        on = n;
            return on;
        };
        bool asked_collected = false;  // whether the zone has a rule for the stream asked
        for (auto& [stream, label] : streams) {
            if (!asked.empty() && stream != asked) continue;
            std::optional<std::int64_t> best;
            const rule* best_rule = nullptr;
            std::string shifted;  // why the day is not the usual one ("" when it is)
            bool request = false, seasonal = false;
            std::string note, best_note;
            for (auto& r : rules) {
                if (r.stream != stream) continue;
                asked_collected = true;
                if (r.on_request) {
                    request = true;
                    note = r.notes;
                    continue;
                }
                if (r.months != 0) {
                    seasonal = true;
                    if (note.empty()) note = r.notes;
                }
                // Its usual day is the one asked, and an exception or a holiday moves it off.
                if (asked_day && matches(r, *asked_day)) {
                    auto [actual, why] = actual_day(t, exceptions, r.stream, *asked_day, shift == "next_day");
                    if (actual != asked_day)
                        moved_off.push_back(
                            uncapitalised(label) +
                            (actual ? t.tr(" le ", " on ") +
                                          day_label(t, day_start(t, *actual) + 12 * 3600)
                                    : std::string(t.tr(" : collecte annulée", ": collection cancelled"))) +
                            (why.empty() ? "" : " (" + why + ")"));
                }
                auto next = next_day(t, exceptions, shift, r, first, past_noon && !asked_day);
                if (next && (!best || next->first < *best)) {
                    best = next->first;
                    shifted = next->second;
                    best_note = r.notes;
                    best_rule = &r;
                }
            }
            // Registration closes some days before (bulky items): too late for the next one,
            // the one after, with its deadline.
            const int registration = best_rule ? best_rule->register_days : 0;
            const bool closed = registration > 0 && *best - today < registration;
            if (best && asked_day && *best == *asked_day)
                that_day.push_back(uncapitalised(label) +
                                   (registration == 0 ? std::string()
                                    : closed ? t.tr(" (pour les inscrits ; inscriptions closes)",
                                                    " (registered households only; registration closed)")
                                             : t.tr(" (sur inscription)", " (registration needed)")));
            if (best) {
                auto said_day = [&](std::int64_t d, const std::string& why) {
                    return day_label(t, day_start(t, d) + 12 * 3600) +
                           (why.empty() ? std::string() : " (" + why + ")");
                };
                std::string p = uncapitalised(label) + (t.fr() ? " " : " on ") + said_day(*best, shifted);
                // A period asked: each of its collection days ("mardi 22 décembre et samedi
                // 26 décembre (décalé : jour férié)"), not only the first.
                if (period_end) {
                    std::vector<std::string> more;
                    for (std::int64_t d = *best + 1; d <= *period_end; ++d)
                        if (auto on = collected_on(stream, d)) more.push_back(said_day(on->first, on->second));
                    for (std::size_t i = 0; i < more.size(); ++i)
                        p += (i + 1 == more.size() ? t.tr(" et ", " and ") : ", ") + more[i];
                }
                // One stream asked, or when to put the bins out: its rule's notes too
                // ("register the week before", "the evening before after 19:00").
                if ((!asked.empty() || asks_when_out) && !best_note.empty()) {
                    p += " — " + without_final_stop(best_note);
                }
                if (registration > 0) {
                    auto deadline = [&](std::int64_t day) {
                        return day_label(t, day_start(t, day - registration) + 12 * 3600);
                    };
                    if (!closed) {
                        p += t.tr(" (inscription au plus tard le ", " (register by ") +
                             deadline(*best) + ")";
                    } else if (auto after = next_day(t, exceptions, shift, *best_rule,
                                                     today + registration, false)) {
                        p += t.tr(" : trop tard pour s'y inscrire ; la suivante : ",
                                  ": too late to register for it; the next one: ") +
                             day_label(t, day_start(t, after->first) + 12 * 3600) +
                             t.tr(", inscription au plus tard le ", ", register by ") +
                             deadline(after->first);
                    }
                }
                parts.push_back(p);
            } else if (request) {
                note = without_final_stop(std::move(note));
                parts.push_back(uncapitalised(label) + (t.fr() ? " : " : ": ") +
                                (note.empty() ? std::string(t.tr("sur rendez-vous", "by appointment"))
                                              : uncapitalised(note)));
            } else if (seasonal) {  // green waste in winter: its season said, not "none"
                note = without_final_stop(std::move(note));
                parts.push_back(uncapitalised(label) + (t.fr() ? " : " : ": ") +
                                t.tr("pas de collecte en cette saison",
                                     "not collected at this time of year") +
                                (note.empty() ? "" : " (" + (t.fr() ? uncapitalised(note) : note) + ")"));
            }
        }
        if (parts.empty()) {
            for (auto& [stream, label] : streams)
                if (stream == asked) s += uncapitalised(label) + (t.fr() ? " : " : ": ");
            s += asked_collected
                     ? t.tr("aucune collecte prévue prochainement.", "no collection planned soon.")
                     : t.tr("pas de collecte dans cette zone.", "not collected in this zone.");
            // Not collected in the zone ("et les déchets verts ?" in the North zone): where to
            // take it, the FAQ entry of the stream's id (`dechets_verts`: the recycling centres).
            if (!asked_collected)
                t.query(t.fr() ? "SELECT answer_fr FROM faq WHERE id = ?1"
                               : "SELECT answer_en FROM faq WHERE id = ?1",
                        {asked}, [&](const guichet::sdk::row& r) {
                            s += " " + plain_text(r[0]);
                            return false;
                        });
        }
        for (std::size_t i = 0; i < parts.size(); ++i) s += (i ? ", " : "") + parts[i];
        if (!parts.empty()) s += ".";
        // The street's usual days after its next ones ("quels jours passent les poubelles ?"
        // was told only dates): each stream's, unless one day was asked about.
        if (!asked_day && !past_day) {
            std::vector<std::string> usual;
            for (auto& [stream, label] : streams) {
                if (!asked.empty() && stream != asked) continue;
                std::vector<const rule*> of_stream;
                for (auto& r : rules)
                    if (r.stream == stream) of_stream.push_back(&r);
                if (std::string days = usual_days(t, of_stream); !days.empty())
                    usual.push_back(uncapitalised(label) + " " + days);
            }
            std::string all;
            for (auto& u : usual) all += (all.empty() ? "" : t.tr(" ; ", "; ")) + u;
            if (!all.empty()) s += t.tr(" Jours habituels : ", " Usual days: ") + all + ".";
        }
        // "et si c'est férié ?", "and if it's a bank holiday?": the rule, and the street's
        // collections it moves in the coming weeks.
        if (!asked_day && mentions_any(t.text(), {"férié", "ferie", "holiday"})) {
            std::vector<std::string> moves;
            for (auto& [stream, label] : streams) {
                if (!asked.empty() && stream != asked) continue;
                for (std::int64_t d = first; d <= first + horizon_days && moves.size() < 6; ++d) {
                    bool due = false;
                    for (auto& r : rules) due = due || (r.stream == stream && matches(r, d));
                    if (!due) continue;
                    auto [actual, why] = actual_day(t, exceptions, stream, d, shift == "next_day");
                    if (why.empty()) continue;
                    const std::string name = t.holiday(day_start(t, d) + 12 * 3600);
                    moves.push_back(
                        uncapitalised(label) + t.tr(" du ", " of ") +
                        day_label(t, day_start(t, d) + 12 * 3600) +
                        (name.empty() ? "" : " (" + name + ")") +
                        (actual ? t.tr(" : le ", ": on ") +
                                      day_label(t, day_start(t, *actual) + 12 * 3600)
                                : std::string(t.tr(" : annulée", ": cancelled"))));
                }
            }
            std::string rule = shift == "next_day"
                                   ? t.tr("Une collecte qui tombe un jour férié a lieu le lendemain.",
                                          "A collection that falls on a public holiday takes "
                                          "place the next day.")
                                   : "";
            if (moves.empty())
                t.say(rule + (rule.empty() ? "" : " ") +
                      capitalised(street) +
                      t.tr(" : aucune collecte ne tombe un jour férié dans les dix prochaines "
                           "semaines.",
                           ": no collection falls on a public holiday in the next ten weeks."));
            else {
                std::string list;
                for (std::size_t i = 0; i < moves.size(); ++i) list += (i ? "; " : "") + moves[i];
                t.say(rule + (rule.empty() ? "" : " ") +
                      capitalised(street) + (t.fr() ? " : " : ": ") + list + ".");
            }
        }
        if (asked_day) {
            const std::string day = day_label(t, day_start(t, *asked_day) + 12 * 3600);
            std::string list;
            for (std::size_t i = 0; i < that_day.size(); ++i)
                list += (i == 0 ? "" : i + 1 == that_day.size() ? t.tr(" et ", " and ") : ", ") +
                        that_day[i];
            std::string asked_label;  // "verre", when one stream was asked
            for (auto& [stream, label] : streams)
                if (stream == asked) asked_label = uncapitalised(label);
            std::string off;  // "; verre le samedi 2 janvier (Jour de l'an, collecte décalée…)"
            for (std::size_t i = 0; i < moved_off.size(); ++i)
                off += (i == 0 ? "" : i + 1 == moved_off.size() ? t.tr(" et ", " and ") : ", ") +
                       moved_off[i];
            if (!off.empty()) off = (t.fr() ? " ; " : "; ") + off;
            if (that_day.empty())
                t.say(capitalised(day) + t.tr(" : pas de collecte", ": no collection") +
                      (asked_label.empty() ? "" : " (" + asked_label + ")") + off + ".");
            else if (tonight && evening_of == local_day_number(t, t.now()))
                t.say(t.tr("Ce soir, sortez : ", "Tonight, put out: ") + list +
                      t.tr(" (collecte le ", " (collected on ") + day + ").");
            else if (tonight)
                t.say((t.fr() ? capitalised(day_label(t, day_start(t, evening_of) + 12 * 3600)) +
                                    " au soir, sortez : "
                              : "On the evening of " + day_label(t, day_start(t, evening_of) + 12 * 3600) +
                                    ", put out: ") +
                      list + t.tr(" (collecte le ", " (collected on ") + day + ").");
            else
                t.say(capitalised(day) + (t.fr() ? " : " : ": ") + list + ".");
        }
        if (past_day) {
            // What was due that day (moved there or not moved off), then the next ones.
            std::string list;
            for (auto& [stream, label] : streams)
                if ((asked.empty() || stream == asked) && collected_on(stream, *past_day))
                    list += (list.empty() ? "" : ", ") + uncapitalised(label);
            const std::string day = day_label(t, day_start(t, *past_day) + 12 * 3600);
            t.say(list.empty() ? capitalised(day) + t.tr(" : pas de collecte prévue.", ": no collection was due.")
                  : t.fr()     ? capitalised(day) + ", la collecte prévue était : " + list + "."
                               : "On " + day + ", the collection due was: " + list + ".");
        }
        t.say(s);
        t.finish();
    }

    // The first day from `from` on that rule `r` collects, and why it moved (.second, "" when
    // it did not), `from` itself left out when `not_from` (its collection is over); within the
    // horizon. The exceptions cover [from - 7, from + horizon].
    static std::optional<std::pair<std::int64_t, std::string>> next_day(
        const turn& t, const exception_days& exceptions,
        const std::string& shift, const rule& r, std::int64_t from, bool not_from) {
        for (std::int64_t d = from - 7; d <= from + horizon_days; ++d) {
            if (!matches(r, d)) continue;
            auto [actual, why] = actual_day(t, exceptions, r.stream, d, shift == "next_day");
            if (!actual || *actual < from || (*actual == from && not_from)) continue;
            return std::pair{*actual, why};
        }
        return std::nullopt;
    }

    // The day a collection planned on `d` happens: an exception first, then the holiday shift;
    // and why, as the citizen is told ("" when it is `d`): the staff's note of the exception
    // ("Réveillon : collecte avancée au mercredi"), else "décalé" (the 24th is no public
    // holiday: "décalé : jour férié" was said of every exception); "décalé : jour férié" for
    // the shift.
    static std::pair<std::optional<std::int64_t>, std::string> actual_day(
        const turn& t, const exception_days& exceptions,
        const std::string& stream, std::int64_t d, bool shift) {
        for (const std::string& which : {stream, std::string()}) {  // the stream's own first
            auto it = exceptions.find(std::pair{d, which});
            if (it != exceptions.end()) {
                std::string why = without_final_stop(it->second.note);
                if (why.empty()) why = t.tr("décalé", "moved");
                return {it->second.moved_to, why};
            }
        }
        if (shift && !t.holiday(day_start(t, d) + 12 * 3600).empty())
            return {d + 1, t.tr("décalé : jour férié", "moved: public holiday")};
        return {d, std::string()};
    }

    static void unknown_street(const turn& t, const std::string& typed) {
        std::string key = loose(typed);
        std::vector<std::pair<std::size_t, std::string>> close;
        t.query("SELECT street, street_core FROM waste_streets", {}, [&](const guichet::sdk::row& r) {
            std::string core = loose(r[1]), whole = loose(r[0]);
            std::size_t d = std::min(edit_distance(key, core), edit_distance(key, whole));
            if (!key.empty() && (whole.find(key) != std::string::npos || core.find(key) != std::string::npos))
                d = 0;
            close.emplace_back(d, std::string(r[0]));
            return true;
        });
        std::stable_sort(close.begin(), close.end());
        std::vector<std::string> shown;
        for (auto& [d, name] : close)
            if (shown.size() < street_suggestions && d <= std::max<std::size_t>(3, key.size() / 2))
                shown.push_back(name);
        if (shown.empty()) {
            t.say(t.fr() ? "Je ne trouve pas la rue « " + typed +
                               " » dans la commune. Écrivez le nom complet, par exemple « rue Victor Hugo »."
                         : "I cannot find the street \"" + typed +
                               "\" in the town. Please type its full name, for example \"rue Victor Hugo\".");
        } else {
            t.say(t.fr() ? "Je ne trouve pas la rue « " + typed + " ». Vouliez-vous dire :"
                         : "I cannot find the street \"" + typed + "\". Did you mean:");
            for (auto& n : shown)
                t.button(n, std::string(t.tr("jours de collecte ", "bin collection days ")) + n);
        }
        t.finish();
    }
};

}  // namespace

GUICHET_SDK_PLUGIN(waste_plugin, "waste", "1.0.0", 0, "waste.days")
