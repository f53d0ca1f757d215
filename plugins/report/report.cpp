// report: files a report about public space (pothole, street light, fly-tipping…) as a small
// form — category guessed from the words, place from the `where` slot (a street with its
// house number, or a place of the knowledge base: its name, address and position) or a
// shared location —
// confirmed by the citizen, then stored durably by the engine (ABI 1.1 report_create), which
// gives the ticket ("2026-0042"). Also answers "où en est mon signalement 2026-0042 ?".
// The draft lives in the conversation's memory under "form.report.*" so that the engine can
// forget it on "laisse tomber" and after the idle time.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace {

using guichet::answers::says_no;
using guichet::answers::says_yes;

// A report category, from the knowledge base's `report_categories` table (knowledge/
// report_categories.yaml): the same list Open311 publishes as its services.
struct category {
    std::string code;  // Open311 service_code
    std::string fr_name, en_name;
    std::vector<std::string> words;  // folded (lower case, no accents, words split by spaces)
    std::vector<std::string> context;  // the same, words that count when no keyword is said
};

const category& other() {
    static const category c{"autre", "Autre problème", "Other problem", {}, {}};
    return c;
}

// Lower-cases ASCII and folds the common French accents (UTF-8); any other character than a
// letter or a digit separates words (the text and the categories' keywords alike).
std::string fold(std::string_view s) {
    static const std::map<std::string, char> accents = {
        {"à", 'a'}, {"â", 'a'}, {"ä", 'a'}, {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'},
        {"î", 'i'}, {"ï", 'i'}, {"ô", 'o'}, {"ö", 'o'}, {"ù", 'u'}, {"û", 'u'}, {"ü", 'u'},
        {"ç", 'c'}, {"É", 'e'}, {"È", 'e'}, {"À", 'a'}, {"’", '\''}};
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        bool done = false;
        for (auto& [from, to] : accents)
            if (s.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                done = true;
                break;
            }
        if (done) continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
        ++i;
    }
    return out;
}

std::string words_of(std::string_view s) {
    std::string f = fold(s), out = " ";
    for (char c : f) {
        bool alnum = std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80);
        if (alnum) out += c;
        else if (out.back() != ' ') out += ' ';
    }
    return out;
}

// "et aussi", "also", "another problem": one more problem, not a correction of the one said.
bool adds_another(std::string_view text) {
    const std::string w = words_of(text) + " ";
    for (std::string_view m : {" aussi ", " egalement ", " autre probleme ", " also ", " another ",
                               " as well "})
        if (w.find(m) != std::string::npos) return true;
    return false;
}

// The words of a correction without the "non, en fait c'est" around them ("devant le 8 rue
// Victor Hugo"), as the staff read them after the first words.
std::string correction_words(std::string_view text) {
    std::string s(text);
    for (std::size_t at; (at = s.find("\u2019")) != std::string::npos;) s.replace(at, 3, "'");
    static constexpr std::string_view fillers[] = {
        "non", "no", "nan", "en fait", "plutot", "plutôt", "pardon", "finalement", "mais", "c'est",
        "it's", "it is", "its", "actually", "sorry", "oh", "ah", "euh", "well", "but", "in fact"};
    auto trim = [&] {
        const auto b = s.find_first_not_of(" ,.;:!");
        const auto e = s.find_last_not_of(" ,.;:!");
        s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    for (bool again = true; again;) {
        again = false;
        trim();
        const std::string lower = guichet::answers::ascii_lower(s);
        for (std::string_view f : fillers) {
            // (A whole word: "non" does not start "nonante".)
            if (lower.size() > f.size() && lower.starts_with(f) &&
                (lower[f.size()] == ' ' || lower[f.size()] == ',')) {
                s.erase(0, f.size());
                again = true;
                break;
            }
            const bool said_after = f == "en fait" || f == "in fact" || f == "actually" ||
                                    f == "finalement" || f == "plutot" || f == "plutôt";
            const std::size_t before = lower.size() - f.size() - 1;  // (when longer)
            if (said_after && lower.size() > f.size() && lower.ends_with(f) &&
                (lower[before] == ' ' || lower[before] == ',')) {
                s.erase(s.size() - f.size());
                again = true;
                break;
            }
        }
    }
    return s.empty() ? std::string(text) : s;
}

// The categories in the knowledge base's order, with the keywords of the conversation's
// language ("je vous écris car il y a un trou": French "car" is no English car); the catch-all
// alone when it has none.
std::vector<category> categories(const guichet::sdk::turn& t) {
    std::vector<category> list;
    try {
        t.query(
            t.fr()
                ? "SELECT code, name_fr, name_en, keywords_fr, context_fr FROM report_categories "
                  "ORDER BY num"
                : "SELECT code, name_fr, name_en, keywords_en, context_en FROM report_categories "
                  "ORDER BY num",
            {}, [&](const guichet::sdk::row& r) {
                category c{std::string(r[0]), std::string(r[1]), std::string(r[2]), {}, {}};
                // "nid de poule, plaque d'égout": each folded as the text's words are.
                auto split = [](std::string_view k, std::vector<std::string>& into) {
                    while (!k.empty()) {
                        const auto comma = k.find(", ");
                        std::string w = words_of(k.substr(0, comma));
                        if (w.size() > 1) into.push_back(w.substr(1, w.find_last_not_of(' ')));
                        if (comma == std::string_view::npos) break;
                        k.remove_prefix(comma + 2);
                    }
                };
                split(r[3], c.words);
                split(r[4], c.context);
                list.push_back(std::move(c));
                return true;
            });
    } catch (const std::exception&) {
        list.clear();  // an older knowledge base without the table
    }
    if (list.empty()) list.push_back(other());
    return list;
}

// Whether the words of `f` (words_of form) just before `at` are one of `before` (each with a
// space either side).
bool after_any(const std::string& f, std::size_t at,
               std::initializer_list<std::string_view> before) {
    return std::any_of(before.begin(), before.end(), [&](std::string_view d) {
        return at + 1 >= d.size() && f.compare(at + 1 - d.size(), d.size(), d) == 0;
    });
}

// Whether the words just before `at` deny what follows: "c'est pas un nid de poule, c'est un
// lampadaire", "it's not a pothole". Only "is not a": "il n'y a pas de lumière" and "no light"
// are the problem itself.
bool denied(const std::string& f, std::size_t at) {
    return after_any(f, at, {" est pas un ", " est pas une ", " est pas le ", " est pas la ",
                             " not a ", " not an ", " isn t a ", " isn t an "});
}

// Whether the words just before `at` place something by what follows: "devant le lampadaire",
// "near the bench" — a landmark, not the problem.
bool landmark(const std::string& f, std::size_t at) {
    return after_any(f, at, {" devant le ", " devant la ", " devant l ", " pres du ",
                             " pres de la ", " pres de l ", " cote du ", " cote de la ",
                             " face du ", " face de la ", " derriere le ", " derriere la ",
                             " near the ", " next to the ", " opposite the ", " behind the ",
                             " by the "});
}

// Where keyword `k` first names a word of `f` (words_of form), npos if nowhere or only where
// denied (or, `landmarks_aside`, only as a landmark): a keyword of five letters or more
// starts the word ("inond" → "inondée",
// "inondation"); a shorter one is the word itself, or its plural or feminine ("feu", "feux";
// not "feuilles"; "sign" is not "signaler", "trou" not "trouvé", "car" not "carton", "park"
// not "parking", "parc" not "parce que").
std::size_t word_named(const std::string& f, const std::string& k, bool landmarks_aside = false) {
    for (auto at = f.find(" " + k); at != std::string::npos; at = f.find(" " + k, at + 1)) {
        if (denied(f, at) || (landmarks_aside && landmark(f, at))) continue;
        if (k.size() >= 5) return at;
        auto rest_start = at + 1 + k.size();
        auto rest = f.substr(rest_start, f.find(' ', rest_start) - rest_start);
        if (rest == "e" && k + rest == "parce") continue;
        if (rest.empty() || rest == "s" || rest == "e" || rest == "es" || rest == "x") return at;
    }
    return std::string::npos;
}

// The category of the first keyword in the text: what is wrong is said before where ("a dead
// animal on the road" is about an animal, "un trou dans le trottoir devant le lampadaire"
// about the pavement); the list's order breaks ties. Context keywords count only when no
// keyword is said ("the road is flooded" is water, "il y a du verglas" the roads).
category guess(const std::vector<category>& list, std::string_view text,
               bool landmarks_aside = false) {
    std::string f = words_of(text);
    const category* best = nullptr;
    for (auto words : {&category::words, &category::context}) {
        std::size_t first = std::string::npos;
        for (auto& c : list)
            for (auto& w : c.*words)
                if (auto at = word_named(f, w, landmarks_aside); at < first) {
                    first = at;
                    best = &c;
                }
        if (best) return *best;
    }
    // No keyword as written: a long one typed with a slip ("lampadère" for "lampadaire"), one
    // letter off (two from nine letters), first in the text still.
    for (std::size_t at = 1; at < f.size() && !best;) {
        const std::size_t end = f.find(' ', at);
        const std::string_view w(f.data() + at, (end == std::string::npos ? f.size() : end) - at);
        for (auto& c : list)
            for (auto& k : c.words)
                if (!best && k.size() >= 6 && w.size() >= 6 &&
                    !(landmarks_aside && landmark(f, at - 1)) &&
                    guichet::answers::slips(w, k) <= (k.size() >= 9 ? 2u : 1u))
                    best = &c;
        at = end == std::string::npos ? f.size() : end + 1;
    }
    if (best) return *best;
    for (auto& c : list)
        if (c.code == "autre") return c;
    return other();
}

category by_code(const std::vector<category>& list, std::string_view code) {
    for (auto& c : list)
        if (code == c.code) return c;
    return other();
}

// Whether a first message says what the problem is, beyond the place (`where`, as the engine
// found it) and the words that ask to report something: "rue Pasteur", "je voudrais signaler
// un problème" do not; "un truc bizarre rue Pasteur" does.
bool describes_a_problem(std::string_view text, std::string_view where) {
    static const std::vector<std::string> empty_words = {
        "je", "j", "voudrais", "veux", "souhaite", "aimerais", "signaler", "signalement", "faire",
        "un", "une", "le", "la", "les", "l", "de", "du", "des", "d", "au", "aux", "a", "et", "il",
        "y", "pour", "sur", "dans", "en", "probleme", "souci", "rue", "avenue", "chemin", "place",
        "boulevard", "route", "allee", "impasse", "quai", "ca", "svp", "want", "would", "like",
        "to", "report", "an", "the", "there", "is", "problem", "issue", "on", "in", "at", "for",
        "and", "street", "road", "lane", "what", "about", "how", "please"};
    const std::string place = words_of(where) + " ";
    const std::string all = words_of(text);
    std::size_t from = 1;
    while (from < all.size()) {
        std::size_t to = all.find(' ', from);
        if (to == std::string::npos) to = all.size();
        std::string w = all.substr(from, to - from);
        from = to + 1;
        // (An emoji, "🗑️", is no description: a word starts with a letter, a digit or a
        // Latin letter's two-byte UTF-8.)
        if (w.size() < 2 || static_cast<unsigned char>(w[0]) >= 0xE0 ||
            place.find(" " + w + " ") != std::string::npos ||
            std::find(empty_words.begin(), empty_words.end(), w) != empty_words.end())
            continue;
        return true;
    }
    return false;
}

// Whether `number` is said in `text` as a measure or a time ("30 cm", "depuis 3 jours", "for 2
// weeks"), not as a house number.
bool measures(std::string_view text, std::string_view number) {
    const std::string said = words_of(text) + " ";
    const std::string n = " " + std::string(number) + " ";
    const auto at = said.find(n);
    if (at == std::string::npos) return false;
    static const std::vector<std::string> units = {
        "cm", "m", "mm", "km", "metre", "metres", "meters", "centimetres", "jour", "jours",
        "day", "days", "h", "heure", "heures", "hour", "hours", "semaine", "semaines", "week",
        "weeks", "mois", "month", "months", "an", "ans", "year", "years", "min", "minutes",
        "fois", "times", "kg"};
    const auto next_end = said.find(' ', at + n.size());
    const std::string next = said.substr(at + n.size(), next_end - at - n.size());
    const bool unit = std::find(units.begin(), units.end(), next) != units.end();
    const bool since = said.substr(0, at + 1).ends_with(" depuis ") || said.substr(0, at + 1).ends_with(" for ");
    return unit || since;
}

// A person sleeping outside, in the message's words ("un SDF dort dans le parc", "someone is
// sleeping rough by the station").
bool sleeps_outside(std::string_view text) {
    const std::string said = words_of(text) + " ";
    static constexpr std::string_view words[] = {
        " dort dehors ", " dorment dehors ", " dort dans la rue ", " sans abri ", " sdf ",
        " sleeping rough ", " sleeping outside ", " sleeps outside ", " homeless "};
    return std::any_of(std::begin(words), std::end(words),
                       [&](std::string_view w) { return said.find(w) != std::string::npos; });
}

// Which of the places offered ("lequel de ces lieux ?") a typed answer names: the one whose
// name has a word of four letters or more that the message has and no other offered name has
// ("celui des Bruyères", "the Coubertin one"); "" when none or several.
std::string place_chosen(const guichet::sdk::turn& t, const std::string& ids) {
    const std::string said = words_of(t.text()) + " ";
    std::vector<std::pair<std::string, std::string>> offered;  // id, the words of its names
    for (std::size_t from = 0; from < ids.size();) {
        auto comma = ids.find(',', from);
        if (comma == std::string::npos) comma = ids.size();
        if (auto p = guichet::answers::find_place(t, ids.substr(from, comma - from)))
            offered.emplace_back(p->id, words_of(p->name_fr + " " + p->name_en) + " ");
        from = comma + 1;
    }
    std::string chosen;
    for (const auto& [id, words] : offered) {
        bool named = false;
        for (std::size_t at = 1; at < words.size() && !named;) {
            const auto end = words.find(' ', at);
            const std::string w = words.substr(at - 1, end - at + 2);  // " word "
            named = w.size() >= 6 && said.find(w) != std::string::npos &&
                    std::none_of(offered.begin(), offered.end(), [&](const auto& o) {
                        return o.first != id && o.second.find(w) != std::string::npos;
                    });
            at = end + 1;
        }
        if (named && !chosen.empty()) return {};
        if (named) chosen = id;
    }
    return chosen;
}

// A shared position farther from the front desk than the town reaches: the farthest of the
// knowledge base's places in the desk's town, and a margin for the streets beyond them. Its
// distance from the desk (metres) when it is outside, nullopt when it is inside or the
// knowledge base has no front desk to measure from.
constexpr double town_margin_m = 2000;
std::optional<double> outside_the_town(const guichet::sdk::turn& t, double lat, double lon) {
    const auto desk = guichet::answers::front_desk(t);
    if (!desk) return std::nullopt;
    double reach = 0;
    t.query("SELECT latitude, longitude FROM places WHERE city = ?1", {desk->city},
            [&](const guichet::sdk::row& r) {
                reach = std::max(reach, guichet::answers::haversine_m(desk->lat, desk->lon,
                                                                      r.number(0), r.number(1)));
                return true;
            });
    const double away = guichet::answers::haversine_m(desk->lat, desk->lon, lat, lon);
    if (away <= reach + town_margin_m) return std::nullopt;
    return away;
}

class report {
public:
    explicit report(guichet::sdk::host& h) : host_(h) {}

    void handle(guichet::sdk::turn t) {
        // A site-wide alert ("la mairie ferme à 12 h le 24 décembre"), or one for reports.
        guichet::answers::show_alerts(t, t.intent());
        if (t.intent() == "report.status")
            status(t);
        else
            create(t);
        t.finish();
    }

private:
    static bool has_store(const guichet::sdk::turn& t) {
        return t.api()->abi_minor >= 1 &&
               t.api()->struct_size >= offsetof(guichet_host_api, export_user_data) + sizeof(void*);
    }

    void create(const guichet::sdk::turn& t) {
        std::string answer = t.payload().empty() ? std::string(t.text()) : std::string(t.payload());
        bool drafting = !t.memory("form.report.category").empty();
        const bool asked_what = t.memory("form.report.asked") == "what";

        // "oui" sends the report only as the answer to its recap: after "lequel de ces lieux ?"
        // or "où se trouve le problème ?" it is no place, and a report was filed without one;
        // after another question answered in between, the recap is given again.
        if (drafting && !asked_what && says_yes(answer) &&
            t.memory("form.report.asked") == "confirm" && !t.memory("form.report.where").empty() &&
            (t.memory("previous.intent") == "report.create" ||
             t.memory("previous.intent").starts_with("smalltalk.")))  // "merci" in between
            return submit(t);
        // "mon numéro si besoin : 06 12 34 56 78" at the recap: what the report keeps, and the
        // recap again.
        if (drafting && t.memory("form.report.asked") == "confirm" &&
            (t.has_slot("phone") || t.has_slot("email")) && !says_no(answer))
            return recap(t);
        // "ah et aussi il y a une voiture sur le trottoir devant le 7": another problem, at the
        // recap, is a second report. The first stays as it was (its place became the second's
        // and the car was filed as a street light), to send first; the second is offered next.
        if (drafting && t.memory("form.report.asked") == "confirm" && adds_another(answer))
            if (category c = guess(categories(t), answer);
                c.code != "autre" && c.code != t.memory("form.report.category")) {
                t.remember("form.report.next", answer);
                t.say(t.tr("Un signalement à la fois : envoyons d'abord celui-ci, puis je prendrai "
                           "l'autre.",
                           "One report at a time: let us send this one first, then I will take "
                           "the other."));
                return recap(t);
            }
        // "non, c'est au 14": a number said alone is the house number in the street given
        // (not a size or a time: "il fait 30 cm de large", "ça clignote depuis 3 jours").
        const bool number_alone = drafting && !t.has_slot("where") && t.has_slot("number") &&
                                  !t.memory("form.report.street").empty() &&
                                  !measures(t.text(), t.slot("number"));
        // "non, en fait c'est un lampadaire cassé": the problem corrected, recapped again.
        const bool names_a_problem = drafting && guess(categories(t), answer).code != "autre";
        if (drafting && !asked_what && says_no(answer) && !t.has_slot("where") && !number_alone &&
            !t.has_location() && !names_a_problem) {
            // "non" to "où se trouve le problème ?": no place to give, so no report (it stayed
            // open, and the next problem said was filed under its words).
            if (const std::string asked(t.memory("form.report.asked"));
                asked == "where" || asked == "which") {
                clear(t);
                t.say(t.tr("D'accord, je n'envoie pas ce signalement. Que puis-je faire d'autre "
                           "pour vous ?",
                           "All right, I will not send this report. What else can I do for you?"));
                return;
            }
            t.say(t.tr("Que faut-il corriger ? Donnez-moi le bon lieu (par exemple « non, rue Jean "
                       "Jaurès ») ou dites « laisse tomber » pour annuler.",
                       "What should I correct? Give me the right place (for example \"no, Jean "
                       "Jaures street\") or say \"never mind\" to cancel."));
            return;
        }
        // "quelqu'un dort dehors dans le froid devant la gare": a person in the cold is no
        // problem of the public space for the services to read in office hours; the 115 sends
        // a team day and night.
        if (!drafting && sleeps_outside(t.has_slot("request") ? t.slot("request") : t.text())) {
            t.say(t.tr("Pour une personne qui dort dehors, appelez le 115 (gratuit, jour et nuit) : "
                       "il envoie une équipe à sa rencontre. Si elle semble mal en point ou ne "
                       "répond pas, appelez le 15.",
                       "For someone sleeping outside, call 115 (free, day and night): they send a "
                       "team to them. If the person seems unwell or does not respond, call 15."));
            return;
        }
        bool ask_what = false;
        if (!drafting) {
            // First message of the form: it describes the problem.
            // When the engine asked for the place first, "request" holds the opening words.
            std::string first(t.has_slot("request") ? t.slot("request") : t.text());
            category c = guess(categories(t), first);
            // "signaler un problème", then "un lampadaire cassé rue Pasteur" where asked: the
            // answer says what the problem is.
            if (c.code == "autre" && t.has_slot("request")) {
                if (category said = guess(categories(t), t.text()); said.code != "autre") {
                    c = said;
                    first = std::string(t.text());
                }
            } else if (t.has_slot("request") && !t.has_slot("category")) {
                // "je veux signaler un nid de poule", then, asked where, "il y a un lampadaire
                // cassé avenue Jean Jaurès": another problem with its own place, reported now;
                // the first is offered after it (it was filed at the lamp's place).
                if (category said = guess(categories(t), beside_the_place(t), true);
                    said.code != "autre" && said.code != c.code && !corrects(t.text())) {
                    set_aside(t, first);
                    c = said;
                    first = std::string(t.text());
                }
            }
            // The FAQ answer that asked for this report says its kind: "un nid de guêpes dans
            // le parc" is an animal (the words name only the park, where it is).
            if (t.has_slot("category"))
                if (category asked = by_code(categories(t), t.slot("category")); asked.code != "autre")
                    c = asked;
            t.remember("form.report.category", c.code);
            t.remember("form.report.description", first);
            // A place alone ("rue Pasteur"), or "je voudrais signaler un problème": the staff
            // could not act on it; ask what the problem is before the recap.
            // So is a message barely taken for a report ("marchés publics" names a place, no
            // problem of it).
            ask_what = c.code == "autre" && (!describes_a_problem(first, t.slot("where")) ||
                                             t.message().confidence < 0.5);
        } else if (asked_what) {
            // The answer to "what is the problem?" ("oui" is no answer: asked again).
            std::string what(t.text());
            ask_what = says_yes(what) || says_no(what) || !describes_a_problem(what, t.slot("where"));
            if (!ask_what) {
                t.forget("form.report.asked");
                t.remember("form.report.description", what);
                t.remember("form.report.category", guess(categories(t), what).code);
            }
        } else if (category said = guess(categories(t), beside_the_place(t), true);
                   t.memory("form.report.asked") == "where" && said.code != "autre" &&
                   said.code != t.memory("form.report.category") && !corrects(answer)) {
            // Another problem said where its place was asked: the same as above.
            set_aside(t, std::string(t.memory("form.report.description")));
            t.remember("form.report.category", said.code);
            t.remember("form.report.description", std::string(t.text()));
            t.forget("form.report.where_said");
        } else if ((!says_no(answer) || names_a_problem) && !t.has_slot("where") &&
                   !t.has_location()) {
            // More words about the problem, or a correction of it: a better category may show up.
            // The words are the staff's too ("ajoutez que ça clignote depuis 3 jours").
            category c = guess(categories(t), t.text());
            if (c.code != "autre") t.remember("form.report.category", c.code);
            // (A correction keeps the first words: "c'est pas une épave, c'est un dépôt
            // sauvage" alone left the staff without the rest.)
            if (names_a_problem)
                t.remember("form.report.description", corrected(t));
            else if (!number_alone && !says_yes(answer))
                t.remember("form.report.description",
                           std::string(t.memory("form.report.description")) + " — " + std::string(t.text()));
        }
        auto remember_position = [&](double lat, double lon) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.6f,%.6f", lat, lon);
            t.remember("form.report.latlon", buf);
        };
        // A position far outside the town (a phone's stale fix, a mistaken pin): not the
        // place of a report the town's services can act on; where is asked again.
        if (t.has_location())
            if (auto away = outside_the_town(t, t.lat(), t.lon())) {
                const std::string far = guichet::answers::distance_text(t, *away);
                t.say(t.fr() ? "Cette position est à " + far + " de la mairie, hors de la "
                               "commune. Où se trouve le problème ? Donnez la rue et le numéro, "
                               "ou partagez une position dans la commune."
                             : "This location is " + far + " from the town hall, outside the "
                               "town. Where is the problem? Give the street and number, or "
                               "share a location in the town.");
                t.remember("form.report.asked", "where");
                t.remember("dialogue.expect", "report.create");
                return;
            }
        if (t.has_location()) {
            remember_position(t.lat(), t.lon());
            if (!t.has_slot("where"))
                t.remember("form.report.where", t.tr("position partagée", "shared location"));
        }
        // "celui des Bruyères" typed for one of the places offered.
        std::string chosen;
        if (drafting && t.memory("form.report.asked") == "which" && !t.has_slot("where") &&
            !t.has_location())
            chosen = place_chosen(t, std::string(t.memory("form.report.choices")));
        if (t.has_slot("where") || number_alone || !chosen.empty()) {  // with its house number ("12 rue Pasteur")
            std::string number(t.slot("where.number"));
            std::string where(!chosen.empty()  ? chosen
                              : number_alone ? t.memory("form.report.street")
                                             : t.slot("where"));
            // The same street again without its number, or a number alone: that number is the
            // new house number, else the one given before stays.
            if (number.empty() && drafting && where == t.memory("form.report.street"))
                number = t.has_slot("number") ? t.slot("number") : t.memory("form.report.number");
            const std::string before(t.memory("form.report.where"));
            t.remember("form.report.street", where);
            t.remember("form.report.number", number);
            // A place named ("devant la médiathèque"): its name and address, and its position.
            // A kind of place ("near the school"): the one of its kind, else which one.
            auto p = guichet::answers::find_place(t, where);
            if (!p || p->id != where) {
                auto kind = guichet::answers::places_in_category(t, where, 6);
                if (kind.size() == 1) {
                    p = kind.front();
                } else if (!kind.empty()) {
                    t.say(t.tr("Lequel de ces lieux ?",
                               "Near which one?"));  // a school, a gym: either gender
                    std::string ids;
                    for (auto& k : kind) {
                        t.button(k.name(t), k.name(t));
                        ids += (ids.empty() ? "" : ",") + k.id;
                    }
                    t.remember("form.report.asked", "which");
                    t.remember("form.report.choices", ids);
                    t.remember("dialogue.expect", "report.create");
                    return;
                }
            }
            if (p && (p->id == where || p->category == where)) {
                where = p->name(t) + ", " + p->address;
                number.clear();
                if (!t.has_location()) remember_position(p->lat, p->lon);
            }
            where = (number.empty() ? "" : number + " ") + where;
            t.remember("form.report.where", where);
            // "rue des Lilas" for the town's only "impasse des Lilas": the recap says which.
            if (t.has_slot("where.said")) t.remember("form.report.street_said", std::string(t.slot("where.said")));
            else if (!number_alone) t.forget("form.report.street_said");
            // "non, en fait c'est devant le 8 rue Victor Hugo" at the recap: the place corrected
            // (not its house number alone: "c'est au 41, non pardon, au 14"),
            // said after the first words ("… rue du Château (corrigé : devant le 8 rue Victor
            // Hugo)"), which the recap shows and the staff read.
            if (drafting && !before.empty() && before != where && chosen.empty() &&
                !number_alone) {
                t.remember("form.report.description", corrected(t, true));
                t.forget("form.report.where_said");
            }
            // "place du Marché, devant la boulangerie" said when asked where: the words around
            // the place are for the staff too (the description keeps the first message).
            else if ((drafting || t.has_slot("request")) && chosen.empty())
                t.remember("form.report.where_said", std::string(t.text()));
        }
        if (ask_what) {
            t.say(t.tr("Quel est le problème ? (par exemple : nid de poule, lampadaire en panne, "
                       "dépôt sauvage)",
                       "What is the problem? (for example: pothole, broken street light, "
                       "fly-tipping)"));
            t.remember("form.report.asked", "what");
            t.remember("dialogue.expect", "report.create");
            return;
        }
        // "Près de laquelle ?" answered with no place of them: where is asked again, no recap
        // of a report without a place.
        if (t.memory("form.report.where").empty()) {
            t.say(t.tr("Où se trouve le problème ? (rue, numéro ou lieu)",
                       "Where is the problem? (street, number or place)"));
            if (t.memory("form.report.asked") != "which")  // the places offered still count
                t.remember("form.report.asked", "where");
            t.remember("dialogue.expect", "report.create");
            return;
        }
        recap(t);
    }

    // "un arbre est tombé sur la route, ça bloque la circulation" while the town hall is closed:
    // the report waits for the opening hours, so the on-call number (the place `astreinte` of
    // the knowledge base) is given first, once per report.
    static void urgent_out_of_hours(const guichet::sdk::turn& t) {
        if (!t.memory("form.report.on_call").empty()) return;
        // Words apart, punctuation aside ("tombé sur la route, c'est urgent"); in the problem
        // described or in this message ("chemin de halage, ça bloque tout, faut venir vite",
        // the answer to "where?").
        const std::string said = words_of(t.memory("form.report.description")) + " " +
                                 words_of(std::string(t.text())) + " ";
        static constexpr std::string_view urgent[] = {
            "bloque", "bloquee", "bloquent", "bloquer", "inonde", "inondee", "inondation", "danger",
            "dangereux", "dangereuse", "fuite importante", "grosse fuite", "effondre",
            "tombe sur la route", "tombe sur la chaussee", "en travers", "route coupee",
            "rue coupee", "chaussee coupee", "urgent", "urgence", "vite", "verglas",
            "across the road", "blocking", "blocked", "blocks", "flood", "flooded", "flooding",
            "dangerous", "burst", "collapsed", "urgently", "icy", "black ice"};
        if (std::none_of(std::begin(urgent), std::end(urgent), [&](std::string_view w) {
                return said.find(" " + std::string(w) + " ") != std::string::npos;
            }))
            return;
        auto desk = guichet::answers::front_desk(t);
        const std::string on_call = guichet::answers::on_call_service(t);
        if (on_call.empty() || (desk && guichet::answers::open_at(t, *desk, t.now()))) return;
        t.remember("form.report.on_call", "1");
        t.say(t.tr("L'accueil de la mairie est fermé en ce moment : s'il faut intervenir vite, appelez ",
                   "The town hall's front desk is closed now: if it needs attention quickly, call ") +
              on_call +
              t.tr(". En cas de danger pour des personnes, appelez le 112.",
                   ". If anyone is in danger, call 112."));
    }

    void recap(const guichet::sdk::turn& t) {
        urgent_out_of_hours(t);
        category c = by_code(categories(t), t.memory("form.report.category"));
        std::string where(t.memory("form.report.where"));
        // "vous pouvez me joindre au 06…": a report keeps no contact details (the Open311
        // requests are public); where the answer comes is said.
        if (t.has_slot("phone") || t.has_slot("email"))
            t.say(t.tr("Vos coordonnées ne sont pas jointes au signalement : je vous préviendrai "
                       "ici quand il changera d'état. Pour être rappelé, demandez-le ensuite.",
                       "Your contact details are not attached to the report: I will tell you here "
                       "when its status changes. To be called back, ask for it afterwards."));
        // The citizen's own words too, as they will be sent ("ça clignote depuis 3 jours" was
        // kept, and nothing said so); a long text by its beginning.
        std::string described(t.memory("form.report.description"));
        if (described.size() > 140) {
            std::size_t cut = described.rfind(' ', 130);
            if (cut == std::string::npos)  // (no space: not inside a letter's UTF-8 bytes)
                for (cut = 130; cut > 0 && (static_cast<unsigned char>(described[cut]) & 0xC0) == 0x80;)
                    --cut;
            described = described.substr(0, cut) + "…";
        }
        if (const std::string typed(t.memory("form.report.street_said")); !typed.empty())
            t.say(t.fr() ? "Je ne connais pas " + guichet::answers::de_quoted(typed) + " dans la commune ; j'indique à la "
                               "place : " + std::string(t.memory("form.report.street")) +
                               ". Si ce n'est pas là, corrigez le lieu."
                         : "I do not know \"" + typed + "\" in the town; I put instead: " +
                               std::string(t.memory("form.report.street")) +
                               ". If that is wrong, correct the place.");
        t.say(std::string(t.tr("Je récapitule votre signalement : ", "Here is your report: ")) +
              t.tr(c.fr_name.c_str(), c.en_name.c_str()) + ", " + where + ". " +
              (described.empty() ? std::string()
                                 : (t.fr() ? "Vos mots : « " + described + " ». "
                                           : "In your words: \"" + described + "\". ")) +
              t.tr("Je l'envoie aux services de la mairie ? (Ne donnez pas d'informations "
                   "sensibles : santé, numéro de sécurité sociale, coordonnées bancaires.)",
                   "Shall I send it to the town's services? (Please do not type sensitive "
                   "information: health, social security number, bank details.)"));
        t.button(t.tr("Oui, envoyer", "Yes, send it"), t.tr("oui", "yes"));
        t.button(t.tr("Annuler", "Cancel"), t.tr("laisse tomber", "never mind"));
        t.remember("form.report.asked", "confirm");
        t.remember("dialogue.expect", "report.create");
    }

    void submit(const guichet::sdk::turn& t) {
        std::string code(t.memory("form.report.category"));
        std::string description(t.memory("form.report.description"));
        std::string where(t.memory("form.report.where"));
        std::string latlon(t.memory("form.report.latlon"));
        if (!has_store(t)) {
            t.say(t.tr("Je ne peux pas enregistrer de signalement pour le moment : ",
                       "I cannot file reports right now: please ") +
                  guichet::answers::call_the_desk(t).words + ".");
            return clear(t);
        }
        if (std::string said(t.memory("form.report.where_said"));
            !said.empty() && description.find(said) == std::string::npos)
            description += " — " + said;
        std::vector<const char*> keys = {"service_code", "description", "address"};
        std::vector<std::string> values = {code, description, where};
        std::string lat, lon;
        if (auto comma = latlon.find(','); comma != std::string::npos) {
            lat = latlon.substr(0, comma);
            lon = latlon.substr(comma + 1);
            keys.push_back("lat");
            values.push_back(lat);
            keys.push_back("long");
            values.push_back(lon);
        }
        std::vector<const char*> v;
        for (auto& s : values) v.push_back(s.c_str());
        char ticket[64] = {0}, error[256] = {0};
        int rc = t.api()->report_create(t.handle(), keys.data(), v.data(), keys.size(), ticket,
                                        sizeof ticket, error, sizeof error);
        if (rc != 0) {
            host_.warn(std::string("report_create failed: ") + error);
            t.say(t.tr("Désolé, je n'ai pas pu enregistrer votre signalement. Réessayez dans un "
                       "instant.",
                       "Sorry, I could not file your report. Please try again in a moment."));
            return;  // the draft stays: "oui" again retries
        }
        t.say(std::string(t.tr("C'est enregistré. Votre numéro de signalement est ",
                               "Done. Your report number is ")) +
              ticket +
              t.tr(". Gardez-le pour suivre son avancement ; je vous préviendrai ici quand il "
                   "changera d'état.",
                   ". Keep it to follow it up; I will tell you here when its status changes."));
        // "Où en est mon signalement ?" next: the engine fills the ticket slot from last.ticket.
        t.remember("last.ticket", ticket);
        const std::string next(t.memory("form.report.next"));
        clear(t);
        if (!next.empty())  // pressed, it is said again and opens its own report
            t.button(t.tr("Signaler l'autre problème", "Report the other problem"), next);
    }

    // "(Un signalement à la fois)": the problem said first waits, offered once this one is sent.
    static void set_aside(const guichet::sdk::turn& t, const std::string& words) {
        t.remember("form.report.next", words);
        t.say(t.fr() ? "Un signalement à la fois : je prends celui-ci, puis je vous proposerai "
                       "l'autre (« " + words + " »)."
                     : "One report at a time: I am taking this one, then I will offer you the "
                       "other (\"" + words + "\").");
    }

    // The message's words but those of the place said ("route de Chartres" names no road
    // problem), for the problem it names.
    static std::string beside_the_place(const guichet::sdk::turn& t) {
        const std::string place = words_of(t.slot("where")) + " ";
        std::string rest;
        const std::string all = words_of(t.text()) + " ";
        for (std::size_t from = 1, to; (to = all.find(' ', from)) != std::string::npos;
             from = to + 1)
            if (const std::string w = all.substr(from - 1, to - from + 2);  // " word "
                place.find(w) == std::string::npos)
                rest += w.substr(1);
        return rest;
    }

    // Whether the words correct what was said ("en fait c'est pas une épave", "non, c'est un
    // lampadaire", "actually it's not a pothole"), rather than add to it.
    static bool corrects(std::string_view text) {
        const std::string w = words_of(text) + " ";
        return says_no(text) || w.find(" en fait ") != std::string::npos ||
               w.find(" pas ") != std::string::npos || w.find(" actually ") != std::string::npos ||
               w.find(" not ") != std::string::npos || w.find(" plutot ") != std::string::npos;
    }

    // The description with this turn's words after it: a correction marked so, more words
    // about the problem after a dash; the words said with the first place come first.
    static std::string corrected(const guichet::sdk::turn& t, bool place = false) {
        std::string d(t.memory("form.report.description"));
        if (std::string said(t.memory("form.report.where_said"));
            !said.empty() && d.find(said) == std::string::npos)
            d += " — " + said;
        if (place || corrects(t.text()))
            return d + t.tr(" (corrigé : ", " (corrected: ") + correction_words(t.text()) + ")";
        return d + " — " + std::string(t.text());
    }

    static void clear(const guichet::sdk::turn& t) {
        for (auto* k : {"form.report.category", "form.report.description", "form.report.where",
                        "form.report.asked", "form.report.choices", "form.report.where_said",
                        "form.report.on_call", "form.report.street", "form.report.number",
                        "form.report.latlon", "form.report.next", "form.report.street_said",
                        "dialogue.expect"})
            t.forget(k);
    }

    void status(const guichet::sdk::turn& t) {
        if (!has_store(t)) {
            t.say(t.tr("Je ne peux pas suivre les signalements ici : ",
                       "I cannot follow reports here: please ") +
                  guichet::answers::call_the_desk(t).words + ".");
            return;
        }
        // The number said ("2026-0042"), or pressed (a button of ours); the engine may also
        // fill the slot with the one remembered from before.
        std::string ticket(t.slot("ticket"));
        const std::string payload(t.payload()), said(t.text());
        const bool pressed = payload.starts_with("@report.status ");
        if (pressed) ticket = payload.substr(payload.find(' ') + 1);
        const bool digits = std::any_of(said.begin(), said.end(),
                                        [](char c) { return c >= '0' && c <= '9'; });
        const bool asked = !t.memory("form.status.asked").empty();
        // "je voudrais annuler mon signalement 2026-0004, la voiture est partie", "comment
        // annuler un signalement ?": who can, and how, before its status (only the status was
        // given, and she could not withdraw it).
        const bool withdraw = guichet::answers::mentions_any(
            said, {"annul", "retirer", "retire ", "supprim", "cancel", "withdraw", "delete",
                   "remove", "take back"});
        // ("annule mon signalement" at a report's recap: that one is not sent yet.)
        if (withdraw && !pressed && !digits && !t.memory("form.report.category").empty()) {
            clear(t);
            return t.say(t.tr("D'accord, je n'envoie pas ce signalement. Que puis-je faire "
                              "d'autre pour vous ?",
                              "All right, I will not send this report. What else can I do for "
                              "you?"));
        }
        if (!pressed && !digits && !asked) {
            // "où en sont mes signalements ?": the citizen's own reports, newest first.
            const auto mine = own(t);
            if (withdraw) how_to_withdraw(t, mine.reports.size() == 1 ? mine.reports.front() : "");
            if (mine.reports.size() > 1) {
                std::string s = t.tr("Vos signalements :", "Your reports:");
                for (std::size_t i = 0; i < mine.reports.size() && i < 5; ++i)
                    if (auto line = report_status(t, mine.reports[i], true)) s += "\n• " + *line;
                return t.say(s);
            }
            if (mine.reports.size() == 1) ticket = mine.reports.front();
            // "où en est ma demande ?" after asking to be called back: that request.
            if (mine.reports.empty())
                if (auto line = own_request(t, mine)) return t.say(*line);
        }
        if (ticket.empty()) {
            if (!asked || digits) {  // asked for, or asked again when mistyped
                t.remember("form.status.asked", "1");
                t.remember("dialogue.expect", "report.status");
                t.say(asked ? t.tr("Ce n'est pas un numéro de signalement : il ressemble à "
                                   "2026-0042 (l'année, un tiret, quatre chiffres). Quel est le "
                                   "vôtre ?",
                                   "This is not a report number: it looks like 2026-0042 (the "
                                   "year, a dash, four digits). What is yours?")
                            : t.tr("Quel est le numéro de votre signalement ? (ex. 2026-0042, "
                                   "dans le message qui l'a confirmé)",
                                   "What is your report number? (e.g. 2026-0042, in the message "
                                   "that confirmed it)"));
                return;
            }
            t.forget("form.status.asked");
            t.forget("dialogue.expect");
            t.say(t.tr("Sans son numéro, je ne peux pas retrouver ce signalement : il figure dans "
                       "le message qui l'a confirmé. L'accueil de la mairie peut aussi le "
                       "retrouver : ",
                       "Without its number I cannot find this report: it is in the message that "
                       "confirmed it. The town hall front desk can also find it: ") +
                  guichet::answers::call_the_desk(t).words + ".");
            return;
        }
        t.forget("form.status.asked");
        t.forget("dialogue.expect");
        // The services' note is for the citizen who made the report: numbers follow each
        // other, and anyone could read every note by counting.
        const auto mine = own(t);
        const bool made = std::find(mine.reports.begin(), mine.reports.end(), ticket) !=
                          mine.reports.end();
        if (withdraw && (pressed || digits)) how_to_withdraw(t, ticket);
        if (auto line = report_status(t, ticket, made)) return t.say(*line);
        if (auto line = own_request(t, mine, ticket)) return t.say(*line);
        t.say(std::string(t.tr("Je ne trouve pas le signalement ", "I cannot find report ")) +
              ticket +
              t.tr(". Vérifiez le numéro : il est dans le message qui a confirmé le "
                   "signalement.",
                   ". Please check the number: it is in the message that confirmed the "
                   "report."));
    }

    // A report sent cannot be withdrawn here: the services have it; the front desk, told its
    // number, closes it. `ticket` "" when none is known.
    static void how_to_withdraw(const guichet::sdk::turn& t, const std::string& ticket) {
        const std::string number =
            ticket.empty() ? std::string(t.tr("son numéro", "its number")) : ticket;
        t.say(std::string(t.tr("Un signalement envoyé ne s'annule pas ici : il est déjà entre les "
                               "mains des services. S'il n'a plus lieu d'être (le problème est "
                               "réglé), ",
                               "A report once sent cannot be cancelled here: the services already "
                               "have it. If it is no longer needed (the problem is solved), ")) +
              guichet::answers::call_the_desk(t).words +
              (t.fr() ? " en donnant " + number + " : l'accueil le transmet au service, qui le "
                                                  "clôt."
                      : " and give " + number + ": the front desk passes it on to the service, "
                                                "which closes it."));
    }

    // What the store keeps of the turn's citizen that a status question needs, read once:
    // their reports' tickets and their requests ("2026-0006 callback 06… (waiting)"), each
    // newest first.
    struct own_records {
        std::vector<std::string> reports;
        std::vector<std::string> requests;
    };
    // The citizen's request to be called back or answered by e-mail, said: the one numbered
    // `ticket`, else the newest when they ask about a request ("ma demande", "my request"),
    // not a report. (Requests and reports share the numbering.)
    static std::optional<std::string> own_request(const guichet::sdk::turn& t,
                                                  const own_records& mine,
                                                  const std::string& ticket = "") {
        using guichet::answers::mentions_any;
        if (ticket.empty() &&
            (!mentions_any(t.text(), {"demande", "rappel", "request", "call back", "callback"}) ||
             mentions_any(t.text(), {"signal", "report"})))
            return std::nullopt;
        auto it = std::find_if(mine.requests.begin(), mine.requests.end(), [&](auto& row) {
            return ticket.empty() || row.starts_with(ticket + ' ');
        });
        if (it == mine.requests.end()) return std::nullopt;
        const std::string& row = *it;
        const std::string number = row.substr(0, row.find(' '));
        const bool callback = row.find(" callback ") != std::string::npos;
        const bool closed = row.ends_with("(closed)");
        const std::string what = callback ? t.tr("être rappelé", "a call back")
                                          : t.tr("une réponse par e-mail", "an answer by e-mail");
        return t.fr() ? "Votre demande " + number + " (" + what + ") " +
                            (closed ? "a été traitée."
                                    : "est en attente : un agent vous répond dès que possible, "
                                      "aux heures d'ouverture de l'accueil.")
                      : "Your request " + number + " (" + what + ") " +
                            (closed ? "has been dealt with."
                                    : "is waiting: a member of staff will answer as soon as "
                                      "possible, during the front desk's opening hours.");
    }

    own_records own(const guichet::sdk::turn& t) {
        std::vector<std::pair<std::int64_t, std::string>> reports, requests;
        try {
            t.export_user_data([&](const guichet::sdk::row& r) {
                const auto at = static_cast<std::int64_t>(r.number(1));
                if (std::string_view(r[0]) == "report")
                    reports.emplace_back(at, guichet::answers::record_ticket(r[2]));
                else if (std::string_view(r[0]) == "handoff")
                    requests.emplace_back(at, std::string(r[2]));
                return true;
            });
        } catch (const std::exception& e) {
            host_.warn(std::string("export_user_data failed: ") + e.what());
        }
        auto newest_first = [](auto& found) {
            std::sort(found.rbegin(), found.rend());
            std::vector<std::string> out;
            for (auto& f : found) out.push_back(std::move(f.second));
            return out;
        };
        return {newest_first(reports), newest_first(requests)};
    }

    // "Signalement 2026-0042 (Voirie, 12 rue Pasteur) : en cours. Note des services : …" (the
    // note only `with_note`), or nullopt when there is no such report.
    static std::optional<std::string> report_status(const guichet::sdk::turn& t,
                                                    const std::string& ticket, bool with_note) {
        std::map<std::string, std::string> f;
        int found = t.api()->report_get(
            t.handle(), ticket.c_str(),
            [](void* user, int n, const char* const* values, const char* const* names) -> int {
                auto* m = static_cast<std::map<std::string, std::string>*>(user);
                for (int i = 0; i < n; ++i) (*m)[names[i]] = values[i] ? values[i] : "";
                return 0;
            },
            &f);
        if (!found) return std::nullopt;
        category c = by_code(categories(t), f["service_code"]);
        std::string st = f["status"] == "closed" ? t.tr("traité", "closed")
                         : f["status_notes"].empty() ? t.tr("ouvert, en attente de traitement",
                                                            "open, waiting to be handled")
                                                     : t.tr("en cours", "in progress");
        std::string text = std::string(t.tr("Signalement ", "Report ")) + ticket + " (" +
                           t.tr(c.fr_name.c_str(), c.en_name.c_str()) + ", " + f["address"] +
                           (t.fr() ? ") : " : "): ") + st + ".";
        if (with_note && !f["status_notes"].empty())
            text += std::string(t.tr(" Note des services : ", " Note from the services: ")) +
                    f["status_notes"];
        return text;
    }

    guichet::sdk::host& host_;
};

}  // namespace

GUICHET_SDK_PLUGIN(report, "report", "1.0.0", 0, "report.create", "report.status")
