// The "places" plugin (intent places.nearest): where a place is (address, phone, today's
// hours, map link and pin), or the two nearest places of a category from the citizen's
// shared location, from a place or postcode the knowledge base knows, or from the town hall.
// Open places come first; active alerts about the places shown come before everything.
#include <guichet/answers.hpp>
#include <guichet/sdk.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace {

using namespace guichet::answers;

constexpr std::size_t nearest_count = 2;  // places listed for "the nearest …"
constexpr int candidates = 8;             // pre-selected by the approximate SQL distance

bool asks_nearest(std::string_view text) {
    std::string s(text);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* w : {"proche", "près", "pres ", "pas loin", "autour", "nearest", "closest",
                          "near", "nearby", "around"})
        if (s.find(w) != std::string::npos) return true;
    return false;
}

// "le numéro de l'école", "school phone number": a phone asked for.
bool asks_phone(std::string_view text) {
    return mentions_any(text, {"numero", "numéro", "telephone", "téléphone", "phone", "number"}) ||
           mentions_any(" " + std::string(text) + " ", {" tel ", " tél "});
}

// "c'est loin de la gare ?", "how far is the pool from the station".
bool asks_distance(std::string_view text) {
    // ("des toilettes pas loin ?" asks for the nearest, not how far.)
    if (mentions_any(text, {"pas loin", "pas trop loin", "not far"})) return false;
    return mentions_any(text, {"loin", "distance", "combien de km", "how far", "far from",
                               "far is", "far away"});
}

// "comment j'y vais ?", "how do I get there by bike?": the way there asked for.
bool asks_directions(std::string_view text) {
    return mentions_any(text, {"j'y vais", "j'y rends", "y aller", "comment aller", "m'y rendre",
                               "s'y rendre", "itineraire", "itinéraire", "chemin pour",
                               "get there", "how do i get", "how to get", "how can i get",
                               "directions", "route to", "way there"});
}

// "de la piscine", "du CCAS", "de l'accueil" / "the swimming pool".
std::string from_place(const turn& t, const place& p) {
    std::string x = the_place(t, p);
    if (!t.fr()) return x;
    if (x.rfind("le ", 0) == 0) return "du " + x.substr(3);
    if (x.rfind("les ", 0) == 0) return "des " + x.substr(4);
    return "de " + x;
}

struct origin {
    double lat = 0, lon = 0;
    std::string label;  // in the turn's language: "de vous", "de la mairie" / "you", "the town hall"
    bool by_default = false;  // the town hall, for want of a place or position given
    bool from_you = false;    // the citizen's position ("vous y êtes" when at the place)
};

// The position the citizen shared in this message, else earlier in the conversation: "and the
// nearest toilets?" after a shared location is asked from there, not from the last answer.
std::optional<std::pair<double, double>> position(const turn& t) {
    if (t.has_location()) return std::pair{t.lat(), t.lon()};
    double lat = 0, lon = 0;
    if (std::string p(t.memory("places.position"));
        !p.empty() && std::sscanf(p.c_str(), "%lf,%lf", &lat, &lon) == 2)
        return std::pair{lat, lon};
    return std::nullopt;
}

struct places_plugin {
    explicit places_plugin(guichet::sdk::host&) {}

    void handle(turn t) {
        std::string category(t.slot("category")), service(t.slot("service"));
        if (t.has_location()) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.6f,%.6f", t.lat(), t.lon());
            t.remember("places.position", buf);
        }
        std::optional<place> named;
        if (!service.empty()) {
            named = find_place(t, service);
            if (!named && category.empty()) {
                t.say(t.fr() ? "Je ne connais pas le lieu « " + service +
                                   " ». Essayez par exemple : mairie, piscine, médiathèque, "
                                   "déchetterie."
                             : "I do not know the place \"" + service +
                                   "\". Try for example: town hall, swimming pool, library, "
                                   "recycling centre.");
                return t.finish();
            }
        }
        // "c'est loin de la gare ?" (after the library), "how far is the pool from the
        // station": the place asked about, or else the one asked about before, from there.
        if (asks_distance(t.text()) && (t.has_slot("near") || position(t))) {
            std::string near(t.slot("near"));
            std::optional<place> target = named;
            if (!target || target->id == near)
                if (std::string last(t.memory("last.service")); !last.empty() && last != near)
                    target = find_place(t, last);
            if (target) {
                how_far(t, *target);
                return t.finish();
            }
        }
        // A position shared alone asks for the nearest places from there; so does a street
        // said after the nearest places ("je suis rue des Mariniers"), not the one place
        // answered first.
        const bool street_now = t.has_slot("street") && !t.has_slot("street.remembered");
        bool near_question = asks_nearest(t.text()) || (t.has_location() && t.text().empty()) ||
                             (street_now && t.has_slot("service.remembered"));
        // A category that differs from the service's (the service may come from memory) wins,
        // unless both are remembered: "where is that?" after the pool's prices, then the
        // library's hours, is the library's address, not the pool nearest to it.
        const bool both_remembered =
            t.has_slot("category.remembered") && t.has_slot("service.remembered");
        // "comment j'y vais ?" after a place, a position shared: how far, how long, the route.
        // So too "et à pied ?" (the engine's slot `way`: nothing but a way of going said).
        if (named && position(t) && (asks_directions(t.text()) || t.has_slot("way"))) {
            t.remember("last.service", named->id);
            directions(t, *named);
            return t.finish();
        }
        if (named && !near_question &&
            (category.empty() || category == named->category || both_remembered)) {
            t.remember("last.service", named->id);
            show_alerts(t, t.intent(), {named->id}, {named->category});
            describe(t, *named);
            if (asks_directions(t.text()) || t.has_slot("way"))  // (no position to count from)
                t.say(t.tr("Partagez votre position : je vous dirai à quelle distance c'est et "
                           "l'itinéraire.",
                           "Share your location: I will tell you how far it is and the route."));
            return t.finish();
        }
        // "la piscine la plus proche de la médiathèque" after the nearest recycling centre: the
        // place said now wins over the kind of place remembered.
        if (named && (category.empty() || (t.has_slot("category.remembered") &&
                                           !t.has_slot("service.remembered"))))
            category = named->category;
        // "la déchetterie la plus proche de la piscine": a place of another kind is the origin;
        // the last one answered about too ("et un parking ?"), unless a position was shared.
        const place* from = named && named->category != category &&
                                    !(t.has_slot("service.remembered") && position(t))
                                ? &*named : nullptr;
        if (category.empty()) {
            // "je suis à la gare": where the citizen is, kept for the next question ("où sont
            // les toilettes ?" counted from the town hall).
            if (const std::string near(t.slot("near")); !near.empty() && t.slot("unknown").empty())
                if (auto p = find_place(t, near)) {
                    t.remember("places.near", p->id);
                    t.say((t.fr() ? "D'accord, vous êtes près de : " : "All right, you are near: ") +
                          p->name(t) +
                          t.tr(". Que cherchez-vous autour ? (toilettes, parking, pharmacie…)",
                               ". What are you looking for around there? (toilets, car park, "
                               "pharmacy…)"));
                    return t.finish();
                }
            // "où est la patinoire": the engine passes the one word it did not know.
            if (std::string unknown(t.slot("unknown")); !unknown.empty())
                t.say(t.fr()
                          ? "Je ne connais pas « " + unknown + " » parmi les lieux de la commune."
                          : "I do not know \"" + unknown + "\" among the town's places.");
            t.say(t.tr("Quel lieu cherchez-vous ? (mairie, piscine, déchetterie, école…)",
                       "Which place are you looking for? (town hall, swimming pool, recycling "
                       "centre, school…)"));
            return t.finish();
        }
        nearest(t, category, from);
        t.finish();
    }

    static origin where_from(const turn& t, const place* from, std::string& unplaced) {
        origin o;
        std::string near(t.slot("near"));
        // Where the citizen said they were ("je suis à la gare"), unless a place or a position
        // is given now.
        if (near.empty() && !from && !t.has_location() && !t.has_slot("street"))
            near = t.memory("places.near");
        if (!near.empty()) {
            if (auto p = find_place(t, near)) {
                return {p->lat, p->lon, from_place(t, *p)};
            }
            bool found = false;
            t.query("SELECT avg(latitude), avg(longitude), count(*) FROM places WHERE postcode = ?1",
                    {near}, [&](const guichet::sdk::row& r) {
                        if (r.number(2) > 0) {
                            o = {r.number(0), r.number(1), t.fr() ? "du " + near : near};
                            found = true;
                        }
                        return false;
                    });
            if (found) return o;
        }
        if (t.has_location()) return {t.lat(), t.lon(), t.tr("de vous", "you"), false, true};
        // "l'école la plus proche de la rue Pasteur": where the places of that street are.
        if (std::string street(t.slot("street")); !street.empty() && !t.has_slot("street.remembered")) {
            bool found = false;
            t.query("SELECT avg(latitude), avg(longitude), count(*) FROM places WHERE "
                    "(' ' || lower(address) || ' ') LIKE '% ' || lower(?1) || ' %'",
                    {street}, [&](const guichet::sdk::row& r) {
                        if (r.number(2) > 0) {
                            o = {r.number(0), r.number(1), of_street(t, street)};
                            found = true;
                        }
                        return false;
                    });
            if (found) return o;
            unplaced = street;
        }
        if (auto p = position(t); p && !from && unplaced.empty())
            return {p->first, p->second, t.tr("de vous", "you"), false, true};
        if (from && unplaced.empty()) return {from->lat, from->lon, from_place(t, *from)};
        std::optional<place> hall = find_place(t, "mairie");
        if (!hall)
            t.query((std::string(place_select) + "WHERE p.category = 'mairie' LIMIT 1").c_str(), {},
                    [&](const guichet::sdk::row& r) {
                        hall = place_from_row(r);
                        return false;
                    });
        if (hall) return {hall->lat, hall->lon, t.tr("de la mairie", "the town hall"), true};
        return o;
    }

    static void nearest(const turn& t, const std::string& category, const place* from) {
        std::string label;
        t.query("SELECT label_fr, label_en FROM categories WHERE id = ?1", {category},
                [&](const guichet::sdk::row& r) {
                    label = plain_text(t.fr() ? r[0] : r[1]);
                    return false;
                });
        std::string unplaced;  // a street said that no place of the knowledge base is on
        origin o = where_from(t, from, unplaced);
        // "la déchetterie la plus proche de chez moi ?": from the citizen's street (the one he
        // gave, `street`) when the map has it; else his position is asked for, the kind of place
        // kept for it (counted from the town hall, it answered about somewhere else).
        if (t.has_slot("street.home") && o.by_default && !from) {
            const std::string street(t.slot("street"));
            t.remember("last.place_category", category);
            t.say((street.empty() ? std::string()
                   : t.fr()       ? "Je ne sais pas situer « " + street + " » sur le plan. "
                                  : "I cannot place \"" + street + "\" on the map. ") +
                  t.tr("Partagez votre position : je vous donne les plus proches de chez vous",
                       "Share your location: I will give you the nearest to your home") +
                  (label.empty() ? std::string() : " (" + label + ")") + ".");
            return;
        }
        struct hit {
            place p;
            double metres;
            bool open;
        };
        std::vector<hit> hits;
        double k = std::cos(o.lat * 3.14159265358979323846 / 180.0);
        // "la mairie la plus proche": the town hall annexes are town halls to a citizen.
        t.query((std::string(place_select) +
                 "WHERE (p.category = ?1 OR (?1 = 'mairie' AND p.category = 'mairie_annexe')) "
                 "ORDER BY (p.latitude - ?2) * (p.latitude - ?2) + "
                 "(p.longitude - ?3) * (p.longitude - ?3) * ?4 * ?4 LIMIT " +
                 std::to_string(candidates)).c_str(),
                {category, std::to_string(o.lat), std::to_string(o.lon), std::to_string(k)},
                [&](const guichet::sdk::row& r) {
                    place p = place_from_row(r);
                    if (on_call_line(p)) return true;  // a phone number, no place to go
                    double m = haversine_m(o.lat, o.lon, p.lat, p.lon);
                    hits.push_back({std::move(p), m, false});
                    return true;
                });
        // "et le numéro de l'école ?" with no school said, nor where from (the place talked
        // about before is no origin here): which one, with each one's number (the two nearest
        // the town hall, or the front desk, left the third school out).
        const bool from_before = from && t.has_slot("service.remembered") && o.lat == from->lat &&
                                 o.lon == from->lon;
        if ((o.by_default || from_before) && !asks_nearest(t.text()) && asks_phone(t.text()) &&
            hits.size() > 1 && hits.size() < static_cast<std::size_t>(candidates)) {
            std::vector<std::string> ids, cats{category};
            for (auto& h : hits) ids.push_back(h.p.id);
            show_alerts(t, t.intent(), ids, cats);
            std::string s = t.fr() ? "Il y en a " + std::to_string(hits.size()) +
                                         (label.empty() ? std::string() : " (" + label + ")") +
                                         " ; voici leurs numéros :"
                                   : "There are " + std::to_string(hits.size()) +
                                         (label.empty() ? std::string() : " (" + label + ")") +
                                         "; here are their numbers:";
            for (auto& h : hits)
                s += "\n• " + h.p.name(t) + (t.fr() ? " : " : ": ") +
                     (h.p.phone.empty() ? std::string(t.tr("pas de téléphone", "no phone")) : h.p.phone);
            t.say(s + t.tr("\nDites-moi lequel pour avoir son adresse et ses horaires.",
                           "\nTell me which one for its address and hours."));
            t.remember("last.place_category", category);
            return;
        }
        if (hits.empty()) {
            t.say(t.tr("Je ne connais aucun lieu de ce type dans la commune",
                       "I do not know any such place in the town") +
                  (label.empty() ? std::string() : " (" + label + ")") +
                  t.tr(". Pour en savoir plus, ", ". To find out more, ") +
                  guichet::answers::call_the_desk(t).words + ".");
            return;
        }
        std::stable_sort(hits.begin(), hits.end(),
                         [](const hit& a, const hit& b) { return a.metres < b.metres; });
        if (hits.size() > nearest_count) hits.resize(nearest_count);
        for (auto& h : hits) h.open = open_at(t, h.p, t.now());
        std::stable_sort(hits.begin(), hits.end(),
                         [](const hit& a, const hit& b) { return a.open && !b.open; });

        std::vector<std::string> ids, cats{category};
        for (auto& h : hits) ids.push_back(h.p.id);
        show_alerts(t, t.intent(), ids, cats);
        // "toilettes près de l'église" where the town has no church: say so, before the
        // nearest to the town hall (the engine passes the place said that it did not know).
        if (std::string unknown(t.slot("unknown")); o.by_default && !unknown.empty())
            t.say(t.fr() ? "Je ne connais pas « " + unknown +
                               " » parmi les lieux de la commune ; je compte depuis la mairie."
                         : "I do not know \"" + unknown +
                               "\" among the town's places; I count from the town hall.");
        else if (o.by_default && !unplaced.empty())
            t.say(t.fr() ? "Je ne sais pas situer « " + unplaced +
                               " » sur le plan ; je compte depuis la mairie. Partagez votre "
                               "position pour avoir les lieux les plus proches de vous."
                         : "I cannot place \"" + unplaced +
                               "\" on the map; I count from the town hall. Share your location to "
                               "get the places nearest to you.");
        // The nearest town hall counted from the town hall ("à 0 m"): where the citizen is is
        // what tells, so the town halls, and the position asked for.
        const bool from_itself = o.by_default && category == "mairie";
        if (from_itself)
            t.say(t.tr("Partagez votre position pour savoir laquelle est la plus proche de vous. "
                       "La commune a :",
                       "Share your location to know which one is nearest to you. The town has:"));
        else
            t.say(t.fr() ? (hits.size() > 1 ? "Les plus proches " : "Le plus proche ") + o.label +
                               (label.empty() ? std::string() : " (" + label + ")") + " :"
                         : "Nearest to " + o.label +
                               (label.empty() ? std::string() : " (" + label + ")") + ":");
        std::vector<std::string> noted;  // each note once ("call 15 first" by every defibrillator)
        for (auto& h : hits) {
            // (Counted from the citizen, a place where they are is "vous y êtes", not "à 0 m".)
            const bool there = o.from_you && h.metres < at_the_place_m;
            std::string s =
                h.p.name(t) + (from_itself ? ""
                               : there     ? " — " + std::string(t.tr("vous y êtes", "you are there"))
                                           : " — " + distance_phrase(t, h.metres));
            if (h.p.has_hours) {
                s += (from_itself ? " — " : ", ") + agreed(t, h.p, h.open ? t.tr("ouvert", "open") : t.tr("fermé", "closed")) +
                     t.tr(" en ce moment", " now");
                std::string today = today_phrase(t, h.p);
                if (!today.empty()) s += " (" + today + ")";
            }
            s += ". " + std::string(t.tr("Adresse : ", "Address: ")) + address(h.p) + ".";
            // ("how do I call the recycling centre?": each one's number, not only the address.)
            if (!h.p.phone.empty()) s += std::string(t.tr(" Téléphone : ", " Phone: ")) + h.p.phone + ".";
            if (const auto n = h.p.notes(t);
                !n.empty() && std::find(noted.begin(), noted.end(), n) == noted.end()) {
                s += " " + n;
                noted.push_back(n);
            }
            t.say(s);
            t.card(h.p.name(t), address(h.p), osm_link(h.p.lat, h.p.lon));
            t.location(h.p.name(t), h.p.lat, h.p.lon);
        }
        if (!hits.empty()) t.remember("last.service", hits.front().p.id);
    }

    // "La médiathèque est à 650 m de la gare à vol d'oiseau." and where it is.
    static void how_far(const turn& t, const place& p) {
        std::string unplaced;
        origin o = where_from(t, nullptr, unplaced);
        const double metres = haversine_m(o.lat, o.lon, p.lat, p.lon);
        const std::string d = distance_text(t, metres);
        t.remember("last.service", p.id);
        // ("est à 0 m de vous": the citizen is there.)
        const bool there = o.from_you && metres < at_the_place_m;
        if (t.fr())
            t.say(there ? "Vous y êtes : " + the_place(t, p) + " est là où vous êtes. Adresse : " +
                              address(p) + "."
                        : capitalised(the_place(t, p)) + " est à " + d + " " + o.label +
                              " à vol d'oiseau. Adresse : " + address(p) + ".");
        else
            t.say(there ? "You are there: " + the_place(t, p) + " is where you are. Address: " +
                              address(p) + "."
                        : capitalised(the_place(t, p)) + " is " + d + " from " + o.label +
                              " as the crow flies. Address: " + address(p) + ".");
        t.card(p.name(t), address(p), osm_link(p.lat, p.lon));
        t.location(p.name(t), p.lat, p.lon);
    }

    // "Déchetterie des Grands Champs : à 890 m de vous à vol d'oiseau, environ 15 min à pied."
    // and the route on OpenStreetMap from the position. Times are rough: the straight line
    // lengthened by a third for the streets, at 4.5 km/h on foot, 15 by bike, 30 by car.
    static void directions(const turn& t, const place& p) {
        const auto [lat, lon] = *position(t);
        const double metres = haversine_m(lat, lon, p.lat, p.lon);
        if (metres < at_the_place_m) {
            t.say(t.fr() ? "Vous y êtes : " + p.name(t) + ", " + address(p) + "."
                         : "You are there: " + p.name(t) + ", " + address(p) + ".");
            t.location(p.name(t), p.lat, p.lon);
            return;
        }
        struct way {
            const char *fr, *en, *engine;
            double km_h;
        };
        static const way foot{"à pied", "on foot", "fossgis_osrm_foot", 4.5},
            bike{"à vélo", "by bike", "fossgis_osrm_bike", 15},
            car{"en voiture", "by car", "fossgis_osrm_car", 30};
        const std::string said(t.text());
        const way& w = mentions_any(said, {"velo", "vélo", "bike", "cycl"})          ? bike
                       : mentions_any(said, {"voiture", "car", "drive", "driving"}) ? car
                                                                                    : foot;
        const double minutes = metres * 4.0 / 3.0 / (w.km_h * 1000.0 / 60.0);
        const std::string time =
            minutes < 90 ? std::to_string(std::max(1L, std::lround(minutes))) + " min"
                         : (t.fr() ? "plus d'une heure" : "over an hour");
        t.say(t.fr() ? p.name(t) + " : à " + distance_text(t, metres) +
                           " de vous à vol d'oiseau, environ " + time + " " + w.fr +
                           ". Adresse : " + address(p) + ". L'itinéraire sur la carte :"
                     : p.name(t) + ": " + distance_text(t, metres) +
                           " from you as the crow flies, about " + time + " " + w.en +
                           ". Address: " + address(p) + ". The route on the map:");
        t.card(t.tr("Itinéraire vers ", "Directions to ") + p.name(t), address(p),
               osm_directions(lat, lon, p.lat, p.lon, w.engine));
        t.location(p.name(t), p.lat, p.lon);
    }

    static std::string address(const place& p) { return guichet::answers::full_address(p); }

    static void describe(const turn& t, const place& p) {
        std::string s = p.name(t) + (t.fr() ? " : " : ": ") + address(p) + ".";
        if (!p.phone.empty()) s += std::string(t.tr(" Téléphone : ", " Phone: ")) + p.phone + ".";
        std::string today = today_phrase(t, p);
        if (!today.empty()) s += " " + capitalised(today) + ".";
        s += guichet::answers::asked_details(t, p, false);  // the e-mail, the website, if asked
        if (const auto n = p.notes(t); !n.empty()) s += " " + n;  // the staff's "good to know"
        t.say(s);
        t.card(p.name(t), address(p), osm_link(p.lat, p.lon));
        t.location(p.name(t), p.lat, p.lon);
    }
};

}  // namespace

GUICHET_SDK_PLUGIN(places_plugin, "places", "1.0.0", 0, "places.nearest")
