// The "hours" plugin (intents hours.open, hours.holidays): is a service open now, at a given
// time or on a given day, when does it reopen, and its hours for the week — from the place's
// opening_hours in the knowledge base, evaluated by the host with French public holidays —;
// which days are public holidays.
// Active alerts about the place come first.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace guichet::answers;
using guichet::sdk::interval;

// How far ahead the next opening is looked for.
constexpr std::int64_t reopen_horizon_days = 60;

// "Lundi de Pâques" → "le lundi de Pâques" (the article each French holiday takes).
std::string holiday_with_article(const turn& t, std::string name) {
    if (!t.fr()) return name;
    std::string first = name.substr(0, name.find(' '));
    if (first == "Lundi") return "le l" + name.substr(1);
    if (first == "Jour") return "le j" + name.substr(1);
    if (first == "Fête") return "la f" + name.substr(1);
    if (first == "Victoire" || first == "Toussaint") return "la " + name;
    if (first == "Ascension" || first == "Assomption" || first == "Armistice") return "l'" + name;
    return name;
}

// "quel heur", "kel h", "quelles heures": a "which" word then "heure" as typed — short
// ("h", "hr"), or with one slip ("heur", "huere") —, or "ker" (the spoken "qu'heure").
bool says_which_hour(std::string_view text) {
    std::vector<std::string> words(1);
    for (char c : ascii_lower(text)) {
        if ((c & 0x80) || std::isalnum(static_cast<unsigned char>(c))) words.back() += c;
        else if (!words.back().empty()) words.emplace_back();
    }
    auto hour = [](const std::string& w) {
        return w == "h" || w == "hr" || w == "hrs" || w == "heure" || w == "heures" ||
               (w.size() >= 4 && w[0] == 'h' &&
                (slips(w, "heure") <= 1 || slips(w, "heures") <= 1));
    };
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (words[i] == "ker") return true;
        const bool which = words[i] == "quel" || words[i] == "quelle" || words[i] == "quels" ||
                           words[i] == "quelles" || words[i] == "kel" || words[i] == "kelle" ||
                           words[i] == "kels" || words[i] == "kelles";
        if (which && i + 1 < words.size() && hour(words[i + 1])) return true;
    }
    return false;
}

// "à quelle heure ferme la piscine ?", "a kel h…", "when does it open": not a yes-no question.
bool asks_when(std::string_view text) {
    return says_which_hour(text) ||
           mentions_any(text, {"quand", "kan ", "what time", "wat time", "wot time", "when",
                               "wen ", "until what", "how late"});
}

bool names_a_weekday(std::string_view text) {
    return mentions_any(text, {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
                               "dimanche", "monday", "tuesday", "wednesday", "thursday", "friday",
                               "saturday", "sunday"});
}

// "après 18h", "apres 17 h", "after 6pm": a time and after it ("après-midi" is a part of the
// day, "après demain" a day).
bool says_after_a_time(std::string_view text) {
    const std::string lower = ascii_lower(text);
    for (std::string_view word : {"après", "apres", "after"})
        for (auto at = lower.find(word); at != std::string::npos; at = lower.find(word, at + 1)) {
            auto i = at + word.size();
            while (i < lower.size() && lower[i] == ' ') ++i;
            if (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i]))) return true;
        }
    return false;
}

// "la poste est fermée ?", "is the pool closed?": the yes or no answers that, not "open?".
bool asks_closed(std::string_view text) {
    return mentions_any(text, {"ferme", "fermé", "closed", "shut"}) &&
           !mentions_any(text, {"ouvert", "open"});
}

// "c quoi les horaires de la piscine dimanche", "opening hours of the library": asks for hours.
bool asks_hours(std::string_view text) {
    return mentions_any(text, {"horair", "oraire", "heures d'ouverture", "hours", "opening times"});
}

// The answer to "la mairie est ouverte ?" starts with "Oui, " / "Non, " (the other way round
// to "… fermée ?"); to "à quelle heure…", "les horaires…" or "pourquoi…", with neither, nor to
// a name said alone ("marché de Noël"), which asks no question.
bool asks_about_works(std::string_view text) {
    return mentions_any(text, {"travaux", "renovation", "rénovation", "works", "refurbish"});
}

// Whether the message asks yes or no. A follow-up that says neither ("et dimanche ?") asks as
// the question before it did (remembered by handle()): after "horaires de la piscine", "Oui,
// dimanche…" answered what nobody asked.
bool asks_yes_or_no(const turn& t) {
    const std::string_view text = t.text();
    if (asks_when(text) || asks_hours(text) ||
        mentions_any(text, {"pourquoi", "why", "pk ", "pq "}) ||  // "pourquoi … fermée ?"
        asks_about_works(text))  // "fermée pour travaux ?": not "Oui, fermée en ce moment"
        return false;
    if (mentions_any(text, {"ouv", "ferm", "open", "clos", "shut"})) return true;
    return text.find('?') != std::string_view::npos && t.memory("hours.yes_no") != "0";
}

std::string yes_no(const turn& t, bool yes, const std::string& rest) {
    if (t.memory("hours.yes_no") == "0") return capitalised(rest);
    if (asks_closed(t.text())) yes = !yes;
    return (yes ? t.tr("Oui, ", "Yes, ") : t.tr("Non, ", "No, ")) + rest;
}

// The place as the subject of a sentence: "la mairie est ouverte", "les toilettes publiques…
// sont ouvertes", "elle rouvre", "ils rouvrent" / "the town hall is open", "they reopen".
struct subject {
    std::string who;
    bool fr = true, fem = false, plural = false;
    subject(const turn& t, const place& p) : fr(t.fr()) {
        who = the_place(t, p, &fem);
        plural = fr ? who.starts_with("les ") : plural_name(who, false);
    }
    // " est ouverte" / " are open", from the masculine singular ("ouvert") or the English word.
    std::string is(const char* adjective) const {
        if (!fr) return std::string(plural ? " are " : " is ") + adjective;
        return (plural ? " sont " : " est ") + agree(adjective, fem, plural);
    }
    // " était ouverte" / " were open".
    std::string was(const char* adjective) const {
        if (!fr) return std::string(plural ? " were " : " was ") + adjective;
        return (plural ? " étaient " : " était ") + agree(adjective, fem, plural);
    }
    // "elle rouvre" / "ils rouvrent" / "it reopens" / "they reopen".
    std::string pronoun(const std::string& verb) const {
        if (!fr) return plural ? "they " + verb : "it " + verb + "s";
        return std::string(plural ? (fem ? "elles " : "ils ") : (fem ? "elle " : "il ")) + verb +
               (plural ? "nt" : "");
    }
};

// "le matin" / "in the morning" for the parts of a day the dates understand (seconds from
// midnight, as the entities resolve "matin", "midi", "après-midi", "soir", "nuit"); else "".
std::string part_of_day(const turn& t, std::int64_t from, std::int64_t to) {
    struct part {
        int from_h, to_h;
        const char *fr, *en;
    };
    static constexpr part parts[] = {{6, 12, "le matin", "in the morning"},
                                     {12, 14, "à midi", "at lunchtime"},
                                     {12, 18, "l'après-midi", "in the afternoon"},
                                     {18, 24, "le soir", "in the evening"},
                                     {22, 30, "la nuit", "at night"}};
    for (auto& p : parts)
        if (from == p.from_h * 3600 && to == p.to_h * 3600) return t.tr(p.fr, p.en);
    return {};
}

// " ; elle rouvre lundi 30 novembre à 9 h." / "; it reopens on…", or that none is planned.
std::string then_opens(const turn& t, const subject& sub, const std::string& next,
                       const char* verb_fr, const char* verb_en) {
    if (next.empty())
        return t.tr(" ; aucune ouverture n'est prévue dans les prochaines semaines.",
                    "; no opening is planned in the coming weeks.");
    return t.tr(" ; ", "; ") + sub.pronoun(t.tr(verb_fr, verb_en)) + " " + next + ".";
}

// "horaires de la piscine", "quand la piscine est-elle ouverte ?", "when is the pool open",
// "quels jours…": the week's hours. "quand ouvre la piscine ?", "when does it open": the next
// opening (a verb, not the state).
bool mentions_hours_list(std::string_view text) {
    if (asks_hours(text) || mentions_any(text, {"semaine", "week", "quels jours", "quel jour",
                                                "kel jour", "kels jours", "which days",
                                                "what days"}))
        return true;
    // "le marché a lieu quand ?", "when does the market take place": its days.
    return (mentions_any(text, {"quand", "kan "}) && mentions_any(text, {"ouvert"})) ||
           mentions_any(text, {"when is", "when are", "wen is", "when's", "a lieu", "ont lieu",
                               "se tient", "take place", "takes place", "is held"});
}

// "jusqu'à quand dure le marché de Noël ?", "when does the Christmas market end?": the last day
// of a place open for a season (for a place open all year, "jusqu'à quand" is today's closing).
bool asks_until_when(std::string_view text) {
    return mentions_any(text, {"jusqu'à quand", "jusqu'a quand", "jusqu a quand", "jusqua quand",
                               "jusqu'au quand", "finit", "fini quand", "se termine",
                               "termine quand", "dernier jour", "la fin du", "la fin de",
                               "until when", "till when", " end?", " end ?", " ends", "end of the",
                               "finish", "last day", "is it over", "over when"});
}

// "when is the next market?", "c'est quand le prochain marché ?": the next opening, whole.
// ("la semaine prochaine" is a period, said as one; "next to the station" a place.)
bool asks_next(std::string_view text) {
    return mentions_any(text, {"prochain", "next"}) &&
           !mentions_any(text, {"semaine", "week", "mois", "month", "next to", "next door"});
}

bool mentions_school_holidays(std::string_view text) {
    return mentions_any(text,
                        {"vacances", "school holiday", "half term", "half-term", "summer holiday",
                         "christmas holiday"});
}

// Whether the citizen named a period ("samedi", "à Noël"), not just now.
bool said_when(const turn& t) {
    const std::string_view when = t.slot("when");
    return !when.empty() && when != "now";
}

struct hours_plugin {
    explicit hours_plugin(guichet::sdk::host&) {}

    void handle(turn t) {
        t.remember("hours.yes_no", asks_yes_or_no(t) ? "1" : "0");  // read by yes_no()
        std::string sid(t.slot("service"));
        if (t.intent() == "hours.holidays" && sid.empty()) {
            show_alerts(t, t.intent());
            return holidays(t);
        }
        if (sid.empty()) {
            t.say(t.tr("De quel service parlez-vous ? (mairie, piscine, médiathèque…)",
                       "Which service do you mean? (town hall, swimming pool, library…)"));
            return t.finish();
        }
        // A place, or a kind of place ("la déchetterie"): each of the town's, up to a few.
        std::vector<place> places;
        bool all_services = false;  // "vos services sont ouverts samedi ?"
        if (auto p = find_place(t, sid)) places.push_back(*p);
        else if (sid == "service_municipal") {
            // The town hall's services as a whole: the town hall's own hours (the desk closed
            // and the on-call line open "from 0 to midnight" answered a Saturday morning's
            // opening), each service on demand.
            places = places_in_category(t, "mairie", 1);
            all_services = !places.empty();
            if (places.empty()) places = places_in_category(t, sid, max_places_of_a_kind);
        } else
            places = places_in_category(t, sid, max_places_of_a_kind);
        if (places.empty()) {
            t.say(t.fr() ? "Je ne connais pas le service « " + sid +
                               " ». Je peux vous donner les horaires de la mairie, de la piscine, "
                               "de la médiathèque ou de la déchetterie, par exemple."
                         : "I do not know the service \"" + sid +
                               "\". I can give the hours of the town hall, the swimming pool, the "
                               "library or the recycling centre, for example.");
            t.button(t.tr("Horaires de la mairie", "Town hall hours"),
                     t.tr("horaires de la mairie", "town hall opening hours"));
            return t.finish();
        }
        t.remember("last.service", places.size() == 1 ? places[0].id : sid);
        if (said_when(t) && t.has_slot("when.start")) {
            const std::int64_t asked = local_day_number(t, to_int(t.slot("when.start")));
            // "pendant les vacances": which holidays, and when they are, before the days' hours;
            // also for a school asked about a day of its holidays ("l'école est fermée à partir
            // de quand pour noël ?" got the 25th alone).
            const bool in_its_holidays = std::any_of(places.begin(), places.end(), [&](const place& p) {
                return !school_holidays_on(t, p, asked).empty();
            });
            if (mentions_school_holidays(t.text()) || in_its_holidays)
                for (const auto& l : school_holiday_lines(t, asked, 1, true)) t.say(l);
            if (const std::string beyond = beyond_school_calendar(t, places, asked); !beyond.empty())
                t.say(beyond);
        }
        if (mentions_school_holidays(t.text()) && !said_when(t)) {
            t.say(
                t.tr("Je ne connais pas les dates des vacances scolaires ; voici les horaires des "
                     "prochains jours.",
                     "I do not know the school holiday dates; here are the opening hours for "
                     "the coming days."));
            t.button(t.tr("Dates des vacances scolaires", "School holiday dates"),
                     t.tr("quand sont les vacances scolaires ?", "when are the school holidays?"));
        }
        for (const auto& p : places) {
            if (t.intent() == "hours.holidays" && !said_when(t)) {  // "piscine : jours fériés ?"
                public_holidays(t, p);
                continue;
            }
            answer(t, p);
            // "adresse et horaires de la piscine": the address too (its e-mail, its website).
            if (auto more = guichet::answers::asked_details(t, p, true); !more.empty())
                t.say(more.substr(1));  // after the place's own hours
        }
        if (all_services) {  // each of the town's services, as a button (the knowledge base's)
            std::vector<place> each = places_in_category(t, "service_municipal", 6);
            std::erase_if(each, on_call_line);
            if (!each.empty()) {
                t.say(t.tr("Chaque service a ses propres horaires : lequel voulez-vous ?",
                           "Each department has its own hours: which one would you like?"));
                for (const auto& p : each)
                    t.button(p.name(t), t.tr("horaires ", "opening hours ") + p.name(t));
            }
        }
        t.finish();
    }

private:
    static constexpr std::size_t max_places_of_a_kind = 4;

    static void answer(const turn& t, const place& p) {
        // The period asked: slots when.start/when.end, or an ISO value kept from a previous turn.
        std::string when(t.slot("when"));
        bool said = said_when(t);
        std::int64_t from = t.now(), to = t.now();
        if (said && t.has_slot("when.start")) {
            from = to_int(t.slot("when.start"));
            to = t.has_slot("when.end") ? to_int(t.slot("when.end")) : from;
        } else if (said) {
            auto d = parse_iso_day(when);
            if (!d) said = false;
            else {
                from = day_start(t, *d);
                to = day_start(t, *d + 1);
            }
        }
        if (show_alerts(t, t.intent(), {p.id}, {p.category}, from, to - (to > from)) == 0 &&
            asks_about_works(t.text()))
            t.say(t.tr("Aucuns travaux ne sont annoncés pour ", "No works are announced for ") +
                  the_place(t, p) + ".");
        if (!p.has_hours) {
            std::string s = t.tr("Je n'ai pas les horaires ", "I do not have the opening hours ") +
                            of_the_place(t, p) + ".";
            if (!p.phone.empty()) s += t.fr() ? " Téléphone : " + p.phone : " Phone: " + p.phone;
            t.say(s);
            return;
        }
        if (!said && mentions_any(t.text(), {"férié", "ferie", "public holiday", "bank holiday"})) {
            public_holidays(t, p);
        } else if (!said && asks_until_when(t.text())) {
            if (!season(t, p)) instant(t, p, t.now(), true);  // open all year: until what time
        } else if (!said && mentions_school_holidays(t.text())) {
            // "pendant les vacances ?": the school calendar is not known (handle() said so
            // once); rather than an answer about now, the coming days.
            week(t, p, local_day_number(t, t.now()));
        } else if (!said && asks_next(t.text()) && next_time(t, p)) {
            t.forget("hours.list");
        } else if (!said) {
            // "horaires de la mairie" — "et l'état civil ?": a follow-up keeps the list.
            const bool list = mentions_hours_list(t.text()) ||
                              (follows_on(t.text()) && !t.memory("hours.list").empty());
            if (list) {
                // "when is the market?" at 14 h 30 on a market day: from tomorrow, the
                // morning's market being over (it came first, as if still to come).
                std::int64_t first = local_day_number(t, t.now());
                if (asks_when(t.text()) && over_today(t, p)) ++first;
                if (!season_by_weekday(t, p)) week(t, p, first);
                t.remember("hours.list", "1");
            } else {
                instant(t, p, t.now(), true);
                t.forget("hours.list");
            }
        } else if (to - from <= 3600 && mentions_any(t.text(), {"avant ", "before "}) &&
                   from - day_start(t, local_day_number(t, from)) >= 2 * 3600) {
            // "ouverte avant 12 h samedi ?": that day until then, not the place at 12 h (closed
            // at noon, said closed though open 10 h – 12 h).
            t.remember("last.datetime", when);
            day(t, p, day_start(t, local_day_number(t, from)), from, true);
        } else if (to - from <= 3600 && says_after_a_time(t.text()) &&
                   day_start(t, local_day_number(t, from) + 1) - from >= 2 * 3600) {
            // "mardi après 18h ?": the rest of that day, not 18 h alone (open till 17 h 30 is
            // "non, pas le soir", open till 19 h "oui, … de 18 h à 19 h").
            t.remember("last.datetime", when);
            day(t, p, from, day_start(t, local_day_number(t, from) + 1), true);
        } else if (to - from <= 3600) {
            // "maintenant" comes as a minute starting now.
            bool now = from >= t.now() - 120 && from <= t.now() + 120;
            if (now) t.forget("last.datetime");
            instant(t, p, from, now);
        } else if (to - from <= day_seconds + 3600) {
            // Kept for follow-ups ("et la médiathèque ?"): the engine fills `when` from it.
            t.remember("last.datetime", when);
            day(t, p, from, to);
        } else if (t.slot("when.grain") == "days") {
            t.remember("last.datetime", when);  // "à quelle heure ?": its first day
            // "du 24 au 31 décembre": each of those days (16 at most: two weeks of school
            // holidays, Saturday to Sunday, "les vacances de Noël").
            std::int64_t first = local_day_number(t, from), last = local_day_number(t, to - 1);
            week(t, p, first, std::min<std::int64_t>(last - first + 1, 16));
        } else {
            // "cette semaine", "ce mois-ci": from today, not from days gone by; when less than
            // three days of it are left (a Sunday's "this week"), the coming seven days. A
            // period still to come is shown whole, however short ("ce week-end": two days).
            const std::int64_t today = local_day_number(t, t.now());
            std::int64_t first = local_day_number(t, from), last = local_day_number(t, to - 1);
            const bool begun = first < today;
            if (!begun) t.remember("last.datetime", when);  // "what time?": its first day
            if (begun) first = today;
            const std::int64_t left = last - first + 1;
            week(t, p, first, begun && left < 3 ? 7 : std::min<std::int64_t>(left, 7));
        }
    }

    // A place open for a season (its openings stop for two months or more within a year): "Le
    // marché de Noël est ouvert du vendredi 4 décembre au dimanche 20 décembre ; son dernier
    // jour, dimanche 20 décembre, de 10 h à 20 h." False for a place open all year.
    static bool season(const turn& t, const place& p) {
        const auto iv = season_openings(t, p);
        if (iv.empty()) return false;
        const std::size_t last = iv.size() - 1;
        const subject sub(t, p);
        const std::int64_t last_day = local_day_number(t, iv[last].start);
        const std::string period = season_period(t, iv);
        const std::string hours = ranges_phrase(t, openings_on(t, iv, last_day), day_start(t, last_day + 1));
        t.say(t.fr() ? capitalised(sub.who) + sub.is("ouvert") + " " + period +
                           " ; dernier jour : " + day_label(t, iv[last].start) + ", " + hours + "."
                     : capitalised(sub.who) + sub.is("open") + " " + period + "; last day: " +
                           day_label(t, iv[last].start) + ", " + hours + ".");
        return true;
    }

    // A season's openings (season_openings()) as "du vendredi 4 décembre au dimanche
    // 20 décembre", or "jusqu'au dimanche 20 décembre" once begun.
    static std::string season_period(const turn& t, const std::vector<interval>& iv) {
        const std::string last = day_label(t, iv.back().start);
        if (local_day_number(t, iv.front().start) <= local_day_number(t, t.now()))
            return t.tr("jusqu'au ", "until ") + last;
        const std::string first = day_label(t, iv.front().start);
        return t.fr() ? "du " + first + " au " + last : "from " + first + " to " + last;
    }

    // "le marché de Noël est ouvert quand ?": a place open for a season, its whole period and
    // each weekday's hours — "Le marché de Noël est ouvert du vendredi 4 décembre au dimanche
    // 20 décembre : le vendredi de 16 h à 21 h, le samedi et le dimanche de 10 h à 20 h." (a
    // week's list gave its first weekend and "closed on the other days"). False for a place
    // open all year, or whose weekdays' hours change within its season.
    static bool season_by_weekday(const turn& t, const place& p) {
        const auto iv = season_openings(t, p);
        if (iv.empty()) return false;
        // Each weekday's hours (Monday first), the same every week of the season.
        std::array<std::string, 7> of_weekday;
        std::array<std::int64_t, 7> noon_of{};
        const std::int64_t first_day = local_day_number(t, iv.front().start);
        const std::int64_t last_day = local_day_number(t, iv.back().start);
        for (std::int64_t d = first_day; d <= last_day; ++d) {
            const auto that_day = openings_on(t, iv, d);
            if (that_day.empty()) continue;
            const int w = (weekday_of(d) + 6) % 7;
            const std::string hours = ranges_phrase(t, that_day, day_start(t, d + 1));
            if (!of_weekday[w].empty() && of_weekday[w] != hours) return false;
            of_weekday[w] = hours;
            noon_of[w] = day_start(t, d) + 12 * 3600;
        }
        // Weekdays of the same hours together: "le samedi et le dimanche de 10 h à 20 h".
        std::vector<std::string> parts;
        std::array<bool, 7> told{};
        for (int w = 0; w < 7; ++w) {
            if (of_weekday[w].empty() || told[w]) continue;
            std::vector<std::string> days;
            for (int o = w; o < 7; ++o)
                if (of_weekday[o] == of_weekday[w]) {
                    told[o] = true;
                    const std::string name = day_label(t, noon_of[o], "EEEE");
                    days.push_back(t.fr() ? "le " + name : name + "s");
                }
            parts.push_back((t.fr() ? "" : "on ") + listed(t, days) + " " + of_weekday[w]);
        }
        const subject sub(t, p);
        const std::string period = season_period(t, iv);
        std::string each;
        for (std::size_t i = 0; i < parts.size(); ++i) each += (i ? t.tr(", ", "; ") : "") + parts[i];
        t.say(capitalised(sub.who) + sub.is(t.tr("ouvert", "open")) + " " + period +
              t.tr(" : ", ": ") + each + ".");
        return true;
    }

    // Whether the place opened today and is closed for the rest of it.
    static bool over_today(const turn& t, const place& p) {
        const std::int64_t today = local_day_number(t, t.now());
        const auto iv = t.hours(p.opening_hours, day_start(t, today), day_start(t, today + 1));
        return !iv.empty() && iv.back().end <= t.now();
    }

    // "when is the next market?": the day of the next opening to come and that day's hours
    // ("Prochaine ouverture du marché : samedi 5 décembre, de 7 h 30 à 13 h."); false when
    // none is known within the horizon, or while it is open (that one is the next).
    static bool next_time(const turn& t, const place& p) {
        const auto iv = t.hours(p.opening_hours, t.now(), t.now() + reopen_horizon_days * day_seconds);
        if (iv.empty() || iv.front().start <= t.now()) return false;
        const std::int64_t d = local_day_number(t, iv.front().start), end = day_start(t, d + 1);
        t.say(t.tr("Prochaine ouverture ", "Next opening ") + of_the_place(t, p) + t.tr(" : ", ": ") +
              day_label(t, iv.front().start) + ", " + ranges_phrase(t, openings_on(t, iv, d), end) + ".");
        return true;
    }

    // The next opening after `after`, as "mardi 7 avril à 8 h 30" (or "à 13 h 30" the same day);
    // `until`: with the time it closes that day ("à 9 h, jusqu'à 12 h"), for "à quelle heure
    // ferme la poste ?" asked while it is closed.
    static std::string next_opening(const turn& t, const place& p, std::int64_t after,
                                    std::int64_t same_day, bool until = false) {
        auto iv = t.hours(p.opening_hours, after, after + reopen_horizon_days * day_seconds);
        if (iv.empty()) return {};
        std::int64_t s = iv.front().start, e = iv.front().end;
        std::string at = t.tr("à ", "at ") + clock_label(t, s);
        if (until && local_day_number(t, e - 1) == local_day_number(t, s))
            at += t.tr(", jusqu'à ", ", until ") + clock_label(t, e);
        if (local_day_number(t, s) == same_day) return at;
        return (t.fr() ? "" : "on ") + day_label(t, s) + " " + at;
    }

    static void instant(const turn& t, const place& p, std::int64_t at, bool now) {
        const subject sub(t, p);
        const std::string& who = sub.who;
        std::int64_t today = local_day_number(t, at);
        auto iv = t.hours(p.opening_hours, at, at + 8 * day_seconds);
        std::string when = now ? t.tr("en ce moment", "right now")
                               : (t.fr() ? day_label(t, at) + " à " + clock_label(t, at)
                                         : "on " + day_label(t, at) + " at " + clock_label(t, at));
        if (!iv.empty() && iv.front().start <= at) {
            const interval& i = iv.front();
            std::string until;
            if (i.end >= at + 7 * day_seconds) until = t.tr("24 h/24", "24/7");
            else if (local_day_number(t, i.end) == today || i.end == day_start(t, today + 1))
                until = t.tr("jusqu'à ", "until ") +
                        (i.end == day_start(t, today + 1) ? std::string(t.tr("minuit", "midnight"))
                                                          : clock_label(t, i.end));
            else until = t.tr("jusqu'à ", "until ") + day_label(t, i.end) + " " + clock_label(t, i.end);
            if (i.unknown) {
                std::string c = i.comment.empty() ? t.tr("horaires à confirmer", "hours to be confirmed")
                                                  : comment_in(t, i.comment);
                t.say(t.fr() ? capitalised(who) + " : " + c + " " + when + " (" + until + ")."
                             : capitalised(who) + ": " + c + " " + when + " (" + until + ").");
            } else {
                t.say(yes_no(t, true,
                             t.fr() ? who + sub.is("ouvert") + " " + when + ", " + until + "."
                                    : who + sub.is("open") + " " + when + ", " + until + "."));
            }
            return;
        }
        // "à quelle heure ferme la poste ?" while it is closed: when it next opens, and closes.
        // So too "jusqu'à quelle heure…", "till what time…".
        const bool asks_closing =
            asks_when(t.text()) && mentions_any(t.text(), {"ferme", "close", "shut", "jusqu",
                                                           "till", "until", "how late"});
        std::string next = next_opening(t, p, at, today, asks_closing);
        // The holiday is named only when it is why the place stays closed all day.
        std::string hol = t.holiday(at);
        if (!hol.empty() && !t.hours(p.opening_hours, day_start(t, today), day_start(t, today + 1)).empty())
            hol.clear();
        std::string s = yes_no(t, false, who + sub.is(t.tr("fermé", "closed")) + " " + when);
        if (!hol.empty())
            s += t.fr() ? " (" + holiday_with_article(t, hol) + ", jour férié)"
                        : " (" + hol + ", a public holiday)";
        s += then_opens(t, sub, next, "ouvre", "open");
        t.say(s);
    }

    // Whether the place's hours follow the school holidays (`SH`, outside a word).
    static bool follows_school_holidays(const place& p) {
        const auto& oh = p.opening_hours;
        auto letter = [&](std::size_t i) { return i < oh.size() && std::isalpha(static_cast<unsigned char>(oh[i])); };
        bool follows = false;
        for (auto at = oh.find("SH"); at != std::string::npos && !follows; at = oh.find("SH", at + 2))
            follows = (at == 0 || !letter(at - 1)) && !letter(at + 2);
        return follows;
    }

    // A day after the last school holidays of knowledge/school_holidays.yaml, for places that
    // follow them: said once ("y a école le 15 février ?" was answered "oui" for a day that may
    // be in the winter holidays); "" otherwise.
    static std::string beyond_school_calendar(const turn& t, const std::vector<place>& places,
                                              std::int64_t d) {
        std::vector<const place*> following;
        for (auto& p : places)
            if (follows_school_holidays(p)) following.push_back(&p);
        if (following.empty()) return {};
        std::optional<std::int64_t> last;
        t.query("SELECT max(last_day) FROM school_holidays", {}, [&](const guichet::sdk::row& r) {
            if (!r.is_null(0)) last = parse_iso_day(r[0]);
            return false;
        });
        if (!last || d <= *last) return {};
        return t.tr("Je n'ai pas encore le calendrier des vacances scolaires après le ",
                    "I do not have the school holidays after ") +
               day_label(t, day_start(t, *last) + 12 * 3600) +
               t.tr(" : si ce jour tombe pendant les vacances, ", ": if that day is in the holidays, ") +
               (following.size() > 1
                    ? std::string(t.tr("ces établissements sont fermés", "these places are closed"))
                    : subject(t, *following.front()).who +
                          subject(t, *following.front()).is(t.tr("fermé", "closed"))) +
               ".";
    }

    // The school holidays (knowledge/school_holidays.yaml) local day `d` falls in, named in the
    // turn's language, when the place's hours follow them (`SH`); "" otherwise.
    static std::string school_holidays_on(const turn& t, const place& p, std::int64_t d) {
        if (!follows_school_holidays(p)) return {};
        const std::string iso = iso_date(d);
        std::string name;
        t.query(t.fr() ? "SELECT name_fr FROM school_holidays WHERE first_day <= ?1 AND last_day >= ?1"
                       : "SELECT name_en FROM school_holidays WHERE first_day <= ?1 AND last_day >= ?1",
                {iso}, [&](const guichet::sdk::row& r) {
                    name = r[0];
                    return false;
                });
        return name;
    }

    // `any_opening`: [from, to) is "avant 9 h" or "après 18 h" (any opening in it counts,
    // however short).
    static void day(const turn& t, const place& p, std::int64_t from, std::int64_t to,
                    bool any_opening = false) {
        const subject sub(t, p);
        const std::string& who = sub.who;
        std::int64_t d = local_day_number(t, from);
        std::int64_t a = day_start(t, d), b = day_start(t, d + 1);
        auto iv = t.hours(p.opening_hours, a, b);
        std::string label = day_label(t, a);
        // A day gone by is told in the past: "yesterday the town hall was open"; so is today's
        // last opening once it is over ("la piscine était ouverte de 9 h à 12 h 30"), unless
        // the day was named ("le dimanche", said on a Sunday, asks about Sundays).
        const std::int64_t today = local_day_number(t, t.now());
        const bool past = d < today || (d == today && !iv.empty() && iv.back().end <= t.now() &&
                                        !names_a_weekday(t.text()));
        auto state = [&](const char* adjective) {
            return past ? sub.was(adjective) : sub.is(adjective);
        };
        if (iv.empty()) {
            std::string hol = t.holiday(a + 12 * 3600);
            std::string sh = hol.empty() ? school_holidays_on(t, p, d) : std::string();
            std::string s;
            if (!hol.empty())
                s = yes_no(t, false, t.fr() ? label + (past ? " c'était " : " c'est ") +
                                                  holiday_with_article(t, hol) +
                                                  " (jour férié) : " + who + state("fermé")
                                            : label + (past ? " was " : " is ") + hol +
                                                  " (a public holiday): " + who + state("closed"));
            else if (!sh.empty())
                s = yes_no(t, false, t.fr() ? label + (past ? ", c'était les " : ", ce sont les ") + sh +
                                                  " : " + who + state("fermé")
                                            : who + state("closed") + " on " + label + " (" + sh + ")");
            else
                s = yes_no(t, false, t.fr() ? label + " " + who + state("fermé")
                                            : who + state("closed") + " on " + label);
            t.say(s + then_opens(t, sub, next_opening(t, p, b, d), "rouvre", "reopen"));
            return;
        }
        bool whole_day = from <= a + 3600 && to >= b - 3600;
        // A part of the day ("ce midi", "l'après-midi", two hours or more) is open when an
        // opening is in it, or more than an hour of one: 7 h 30 – 13 h is no afternoon opening,
        // 13 h 30 – 17 h 30 no lunchtime one ("Oui, à midi, … de 13 h 30" sent citizens to a
        // closed door); one that opens in it an hour before its end is in it (a pool open
        // 17 h – 20 h "cet aprem", 12 h – 18 h). The evening, from 18 h, when half an hour of it
        // is open: a library open till 19 h, a crèche till 18 h 30 are open "le soir" for those
        // who work.
        const bool a_part = !whole_day && to - from >= 7200;
        const std::int64_t enough = any_opening ? 1 : from - a == 18 * 3600 ? 1800 : 3601;
        std::vector<interval> in_part;
        bool unknown = false;
        for (auto& i : iv) {
            if (i.unknown) unknown = true;
            if (i.start >= to || i.end <= from) continue;
            if (!a_part || std::min(i.end, to) - std::max(i.start, from) >= enough ||
                (i.start >= from && (i.end <= to || std::min(i.end, to) - i.start >= 3600)))
                in_part.push_back(i);
        }
        // "après 17 h" at a desk open 13 h 30 – 17 h 30: "de 17 h à 17 h 30", the time left.
        if (any_opening && from > a)
            for (auto& i : in_part) i.start = std::max(i.start, from);
        const bool overlap = !in_part.empty();
        std::string ranges = ranges_phrase(t, iv, b);
        // Today, asked after its last opening, or a part of today after that part's openings
        // ("ce soir ?" at 21 h 30 at a pool open 17 h – 20 h): "yes, open from 9 to 12:30" would
        // send the citizen to a closed door. ("le dimanche" said on a Sunday asks about Sundays.)
        // "à quelle heure ferme la déchetterie ?" is no yes-no question: no "Non, ".
        if (!unknown && d == local_day_number(t, t.now()) && !names_a_weekday(t.text()) &&
            ((whole_day && iv.back().end <= t.now()) ||
             (a_part && overlap && in_part.back().end <= t.now()))) {
            const bool when = asks_when(t.text()) || asks_hours(t.text());
            std::string lead = whole_day ? (when ? t.tr("Aujourd'hui, ", "Today, ")
                                                 : t.tr("Non, plus aujourd'hui : ", "No, not any more today: "))
                                         : (when ? "" : t.tr("Non, plus maintenant : ", "No, not any more: "));
            if (const std::string part = whole_day ? "" : part_of_day(t, from - a, to - a); !part.empty())
                lead += part + ", ";
            t.say(capitalised(lead + who + sub.was(t.tr("ouvert", "open")) + " " +
                              (whole_day ? ranges : ranges_phrase(t, in_part, b)) +
                              then_opens(t, sub, next_opening(t, p, t.now(), d), "rouvre", "reopen")));
            return;
        }
        // (Hours with a comment, "sur rendez-vous", asked about a part of the day: a yes or a
        // no all the same, the comment in the hours.)
        if (unknown && !a_part) {
            t.say(t.fr() ? capitalised(label) + ", " + who + " : " + ranges + "."
                         : capitalised(label) + ", " + who + ": " + ranges + ".");
        } else if (whole_day && asks_until_when(t.text())) {
            // "jusqu'à quand ?" after the pool's hours on a day: when it closes that day (its
            // last opening's end), then the day's hours.
            const std::int64_t end = iv.back().end;
            const std::string at = end >= b ? std::string(t.tr("minuit", "midnight")) : clock_label(t, end);
            t.say(t.fr() ? capitalised(label) + ", " + who + (sub.plural ? " ferment" : " ferme") +
                               " à " + at + " (horaires : " + ranges + ")."
                         : "On " + label + " " + who + (sub.plural ? " close" : " closes") + " at " +
                               at + " (hours: " + ranges + ").");
        } else if (whole_day) {
            t.say(yes_no(t, true, t.fr() ? label + " " + who + state("ouvert") + " " + ranges + "."
                                         : "on " + label + " " + who + state("open") + " " + ranges + "."));
        } else if (overlap) {
            // "samedi matin", "lundi aprem": the openings of that part of the day.
            const std::string part = part_of_day(t, from - a, to - a);
            const std::string part_ranges = ranges_phrase(t, in_part, b);
            t.say(yes_no(t, true,
                         t.fr() ? label + (part.empty() ? "" : ", " + part + ",") + " " + who +
                                      state("ouvert") + " " + part_ranges + "."
                                : "on " + label + (part.empty() ? "" : " " + part) + " " + who +
                                      state("open") + " " + part_ranges + "."));
        } else if (const auto lunch = std::find_if(iv.begin(), iv.end(), [&](const interval& i) {
                       return i.start <= from && i.end > from && i.end < to;
                   });
                   !past && from - a == 12 * 3600 && to - a == 14 * 3600 && lunch != iv.end()) {
            // "entre midi et deux" at a library open till 12 h 30: open part of it, neither a
            // no ("Non, pas à midi", then "oui" to "à midi et quart ?") nor a yes.
            const std::string closes = clock_label(t, lunch->end);
            const std::string next = next_opening(t, p, lunch->end, d);
            std::string s = t.fr() ? "Jusqu'à " + closes + " seulement : " + label + ", " + who +
                                         (sub.plural ? " ferment" : " ferme") + " à " + closes
                                   : "Only until " + closes + ": on " + label + " " + who +
                                         (sub.plural ? " close" : " closes") + " at " + closes;
            if (!next.empty())
                s += t.fr() ? (sub.plural ? " et rouvrent " : " et rouvre ") + next
                            : (sub.plural ? " and reopen " : " and reopens ") + next;
            t.say(s + ".");
        } else {
            // Not at that time ("à quelle heure ferme la piscine ce soir ?" after its last
            // opening): the day's openings, then the next one to come.
            // (Open as the part of the day starts, as the market at noon till 13 h: the next
            // opening after that one.)
            std::int64_t after = std::max(from, t.now());
            for (auto& i : iv)
                if (i.start <= after && i.end > after) after = i.end;
            const std::string next = d < today ? std::string() : next_opening(t, p, after, d);
            std::string reopens = next.empty() ? "." : then_opens(t, sub, next, "rouvre", "reopen");
            // "Until when / what time does it close" about a part of today still to come, the
            // place open now or later today: when it closes today ("…jusqu'à quelle heure ce
            // soir ?" at noon said it reopened the next morning, though it reopened at 13 h 30).
            if (d == today && from > t.now() && asks_when(t.text()))
                for (auto it = iv.rbegin(); it != iv.rend(); ++it)
                    if (!it->unknown && it->end > t.now() && it->end <= from) {
                        reopens = t.tr(" ; ", "; ") + sub.pronoun(t.tr("ferme", "close")) +
                                  t.tr(" à ", " at ") + clock_label(t, it->end) + ".";
                        break;
                    }
            // "pas le soir" when the question named a part of the day, else "pas à ce moment-là".
            std::string part = part_of_day(t, from - a, to - a);
            if (part.empty()) part = t.tr("à ce moment-là", "at that time");
            if (asks_when(t.text()))
                t.say(t.fr() ? capitalised(label) + " " + who + state("ouvert") + " " + ranges +
                                   ", pas " + part + reopens
                             : "On " + label + " " + who + state("open") + " " + ranges + ", not " +
                                   part + reopens);
            else
                t.say(t.fr() ? "Non, pas " + part + " : " + label + " " + who + state("ouvert") +
                                   " " + ranges + reopens
                             : "No, not " + part + ": on " + label + " " + who + state("open") +
                                   " " + ranges + reopens);
        }
    }

    static void week(const turn& t, const place& p, std::int64_t first_day, std::int64_t count = 7) {
        std::vector<std::int64_t> days;
        for (std::int64_t d = first_day; d < first_day + count; ++d) days.push_back(d);
        say_days(t, p, days, false, "");
    }

    // The hours of each of `days` (local day numbers), one line a day, under "Horaires de la
    // mairie" + `which`; a public holiday is named when closed, or always with `name_holidays`.
    static void say_days(const turn& t, const place& p, const std::vector<std::int64_t>& days,
                         bool name_holidays, const std::string& which) {
        std::string s = t.tr("Horaires ", "Opening hours ") + of_the_place(t, p) + which +
                        t.tr(" :", ":");
        // A week of a place open fewer days than not (the market, twice a week): its open days,
        // then "closed on the other days" (seven lines, five of them "closed", on a phone).
        // (Each day's hours evaluated once.)
        std::vector<decltype(t.hours(p.opening_hours, 0, 0))> hours_of;
        std::size_t open_days = 0;
        for (std::int64_t d : days) {
            hours_of.push_back(t.hours(p.opening_hours, day_start(t, d), day_start(t, d + 1)));
            open_days += !hours_of.back().empty();
        }
        const bool open_only =
            days.size() >= 5 && days.size() <= 7 && open_days > 0 && 2 * open_days < days.size();
        for (std::size_t i = 0; i < days.size(); ++i) {
            const std::int64_t d = days[i], a = day_start(t, d), b = day_start(t, d + 1);
            const auto& iv = hours_of[i];
            std::string hol = iv.empty() || name_holidays ? t.holiday(a + 12 * 3600) : "";
            if (open_only && iv.empty() && hol.empty()) continue;
            std::string line = "\n• " + day_label(t, a);
            if (name_holidays && !hol.empty()) line += " (" + hol + ")";
            line += t.fr() ? " : " : ": ";
            if (iv.empty()) {
                line += t.tr("fermé", "closed");
                if (!name_holidays && !hol.empty()) line += " (" + hol + ")";
            } else if (iv.size() == 1 && iv[0].start <= a && iv[0].end >= b && iv[0].comment.empty()) {
                line += t.tr("ouvert toute la journée", "open all day");
            } else {
                line += ranges_phrase(t, iv, b);
            }
            s += line;
        }
        if (open_only) s += t.tr("\nFermé les autres jours.", "\nClosed on the other days.");
        t.say(s);
    }

    // "quels sont les jours fériés ?": those of the coming twelve months, with their names;
    // "le 24 décembre est férié ?": whether that day is one.
    static void holidays(const turn& t) {
        const std::int64_t today = local_day_number(t, t.now());
        if (said_when(t)) {
            std::int64_t day = today;
            if (t.has_slot("when.start"))
                day = local_day_number(t, to_int(t.slot("when.start")));
            else if (auto d = parse_iso_day(t.slot("when")))
                day = *d;
            const std::int64_t noon = day_start(t, day) + 12 * 3600;
            const std::string name = t.holiday(noon);
            if (name.empty())
                t.say(t.fr() ? "Non, " + day_label(t, noon) + " n'est pas un jour férié."
                             : "No, " + day_label(t, noon) + " is not a public holiday.");
            else if (asks_when(t.text()) || mentions_any(t.text(), {"quel jour", "what day"}))
                // "noël tombe quel jour ?", "when is easter monday?": the date, no "yes".
                t.say(t.fr() ? capitalised(holiday_with_article(t, name)) + " tombe " +
                                   day_label(t, noon) + " (jour férié)."
                             : name + " is on " + day_label(t, noon) + " (a public holiday).");
            else
                t.say(t.fr()
                          ? "Oui, " + day_label(t, noon) +
                                " est un jour férié : " + holiday_with_article(t, name) + "."
                          : "Yes, " + day_label(t, noon) + " is a public holiday: " + name + ".");
        } else if (mentions_any(t.text(), {"prochain jour", "next public", "next bank"})) {
            for (const auto& [noon, name] : coming_holidays(t, 1))
                t.say(t.fr() ? "Le prochain jour férié est " + holiday_with_article(t, name) +
                                   ", " + day_label(t, noon) + "."
                             : "The next public holiday is " + name + ", on " + day_label(t, noon) +
                                   ".");
            t.button(t.tr("Tous les jours fériés", "All public holidays"),
                     t.tr("quels sont les jours fériés ?", "what are the public holidays?"));
        } else {
            std::string s = t.tr("Les jours fériés des douze prochains mois :",
                                 "Public holidays in the next twelve months:");
            for (const auto& [noon, name] : coming_holidays(t, 366))
                s += "\n• " + day_label(t, noon, "EEEEdMMMMy") + (t.fr() ? " : " : ": ") + name;
            t.say(s);
        }
        t.button(t.tr("La mairie les jours fériés", "The town hall on public holidays"),
                 t.tr("la mairie est ouverte les jours fériés ?",
                      "is the town hall open on public holidays?"));
        t.finish();
    }

    // The public holidays of the coming `span` days (today included), at most `max`: the noon
    // of each and its name.
    static std::vector<std::pair<std::int64_t, std::string>> coming_holidays(
        const turn& t, std::size_t max, std::int64_t span = 365) {
        std::vector<std::pair<std::int64_t, std::string>> out;
        const std::int64_t today = local_day_number(t, t.now());
        for (std::int64_t d = today; d < today + span && out.size() < max; ++d) {
            const std::int64_t noon = day_start(t, d) + 12 * 3600;
            if (std::string name = t.holiday(noon); !name.empty()) out.emplace_back(noon, name);
        }
        return out;
    }

    // "ouvert les jours fériés ?": the coming public holidays, each with its hours.
    static void public_holidays(const turn& t, const place& p) {
        std::vector<std::int64_t> days;
        for (const auto& h : coming_holidays(t, 4, 366))
            days.push_back(local_day_number(t, h.first));
        say_days(t, p, days, true,
                 t.tr(" les prochains jours fériés", " on the coming public holidays"));
    }
};

}  // namespace

GUICHET_SDK_PLUGIN(hours_plugin, "hours", "1.0.0", 0, "hours.open", "hours.holidays")
