// Vocabularies and value checks (see values.h).
#include "kb/values.h"

#include <unicode/gregocal.h>
#include <unicode/smpdtfmt.h>
#include <unicode/timezone.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <chrono>
#include <memory>

#include "kb/text_fold.h"

namespace guichet::kb {

const std::vector<vocabulary_entry>& place_categories() {
    static const std::vector<vocabulary_entry> v = {
        {"mairie", "Mairie", "Town hall", {"hôtel de ville"}, {"city hall"}},
        {"mairie_annexe", "Mairie annexe", "Town hall annex", {"annexe de la mairie"}, {"annex"}},
        {"service_municipal", "Service municipal", "Municipal department", {"service"}, {"department"}},
        {"mediatheque", "Médiathèque", "Media library", {"bibliothèque"}, {"library"}},
        {"piscine", "Piscine", "Swimming pool", {"centre aquatique"}, {"pool"}},
        {"dechetterie", "Déchetterie", "Recycling centre", {"déchèterie", "décharge", "déche"},
         {"recycling center", "tip", "dump"}},
        {"gymnase", "Gymnase", "Sports hall", {"salle de sport"}, {"gym"}},
        {"ecole", "École", "School", {"groupe scolaire", "école primaire"},
         {"primary school"}},
        {"creche", "Crèche", "Nursery", {"multi-accueil", "halte-garderie"}, {"daycare", "childcare"}},
        {"poste", "La Poste", "Post office", {"bureau de poste"}, {"post"}},
        {"ccas", "CCAS", "Social services", {"action sociale", "centre communal d'action sociale"},
         {"social welfare office"}},
        {"police_municipale", "Police municipale", "Municipal police", {"police"}, {"police"}},
        {"cimetiere", "Cimetière", "Cemetery", {}, {"graveyard"}},
        {"marche", "Marché", "Market", {}, {"farmers market"}},
        {"parc", "Parc", "Park", {"jardin public"}, {"garden"}},
        {"stade", "Stade", "Stadium", {"terrain de sport"}, {"sports ground"}},
        {"office_tourisme", "Office de tourisme", "Tourist office", {"syndicat d'initiative"},
         {"tourist information"}},
        {"point_d_apport_volontaire", "Point d'apport volontaire", "Recycling point",
         {"conteneur à verre", "colonne à verre", "borne de tri", "conteneur de tri", "borne à verre",
          "point de collecte du verre", "point de tri", "jeter du verre", "jeter mes bouteilles",
          "déposer du verre", "déposer mes bouteilles"},
         {"bottle bank", "glass container", "glass bin", "recycling bank", "recycle bottles",
          "drop glass", "drop off glass", "glass bottles", "drop bottles"}},
        {"salle_municipale", "Salle municipale", "Community hall", {"salle des fêtes", "salle polyvalente"},
         {"village hall"}},
        // "where can I park": the verb, not a park.
        {"parking", "Parking", "Car park", {"stationnement", "garer", "stationner"},
         {"parking", "parking lot", "can i park", "to park", "park my car", "i park", "we park",
          "park the car", "i can park", "we can park", "you can park", "can we park",
          "could i park", "should i park"}},
        // "où garer mon vélo": a bike's place, not a car park ("garer" alone).
        {"stationnement_velo", "Stationnement vélos", "Bike parking",
         {"garer mon vélo", "garer un vélo", "parking vélo", "abri vélo", "arceaux", "range-vélos"},
         {"bike parking", "bike rack", "park my bike", "cycle parking", "bicycle parking"}},
        {"toilettes", "Toilettes publiques", "Public toilets", {"toilettes", "wc", "sanitaires"},
         {"toilets", "restroom"}},
        {"defibrillateur", "Défibrillateur", "Defibrillator", {"DAE"}, {"AED"}, true},
        {"aire_de_jeux", "Aire de jeux", "Playground", {"jeux pour enfants"}, {"play area"}},
        {"borne_recharge", "Borne de recharge", "Charging station",
         {"borne électrique", "voiture électrique", "borne de recharge", "borne recharge",
          "recharge voiture"},
         {"EV charger", "charging point", "electric car"}},
        // No synonyms: "la gare" is the station itself (a place), not a kind of place.
        {"transport", "Transports", "Transport", {}, {}},
    };
    return v;
}

bool is_lifesaving_category(std::string_view id) {
    for (auto& c : place_categories())
        if (c.lifesaving && id == c.id) return true;
    return false;
}

const std::vector<vocabulary_entry>& waste_streams() {
    static const std::vector<vocabulary_entry> v = {
        {"ordures", "Ordures ménagères", "Household waste", {"poubelle grise", "bac gris", "ordures"},
         {"rubbish", "trash", "grey bin", "general waste"}},
        {"recyclables", "Emballages recyclables", "Recycling",
         {"poubelle jaune", "bac jaune", "sac jaune", "tri", "recyclage", "recyclables"},
         {"recycling", "yellow bin"}},
        {"verre", "Verre", "Glass", {"bouteilles"}, {"bottles"}},
        {"encombrants", "Encombrants", "Bulky items", {"monstres", "canapé", "canape"},
         {"bulky waste", "sofa", "couch"}},
        {"dechets_verts", "Déchets verts", "Green waste", {"tontes", "branchages"},
         {"garden waste", "yard waste"}},
    };
    return v;
}

const std::vector<vocabulary_entry>& faq_topics() {
    static const std::vector<vocabulary_entry> v = {
        {"etat_civil", "État civil", "Civil status", {}, {}},
        {"identite", "Papiers d'identité", "Identity papers", {}, {}},
        {"ecoles", "Écoles", "Schools", {}, {}},
        {"cantine", "Cantine et périscolaire", "Canteen and after-school", {}, {}},
        {"dechets", "Déchets", "Waste", {}, {}},
        {"urbanisme", "Urbanisme", "Town planning", {}, {}},
        {"social", "Action sociale", "Social help", {}, {}},
        {"elections", "Élections", "Elections", {}, {}},
        {"associations", "Associations", "Associations", {}, {}},
        {"vie_pratique", "Vie pratique", "Everyday life", {}, {}},
    };
    return v;
}

std::vector<std::string> ids_of(const std::vector<vocabulary_entry>& v) {
    std::vector<std::string> out;
    for (const auto& e : v) out.emplace_back(e.id);
    return out;
}

bool contains_id(const std::vector<vocabulary_entry>& v, std::string_view id) {
    return std::any_of(v.begin(), v.end(), [&](const auto& e) { return id == e.id; });
}

std::optional<int> parse_weekday(std::string_view s) {
    static const char* names[7][4] = {
        {"mo", "lundi", "monday", "lun"},    {"tu", "mardi", "tuesday", "mar"},
        {"we", "mercredi", "wednesday", "mer"}, {"th", "jeudi", "thursday", "jeu"},
        {"fr", "vendredi", "friday", "ven"}, {"sa", "samedi", "saturday", "sam"},
        {"su", "dimanche", "sunday", "dim"}};
    std::string f = fold(s);
    for (int d = 0; d < 7; ++d)
        for (const char* n : names[d])
            if (f == n) return d + 1;
    return std::nullopt;
}

std::optional<int> parse_month(std::string_view s) {
    static const char* names[12][4] = {{"janvier", "january", "jan", "janv"},
                                       {"fevrier", "february", "feb", "fev"},
                                       {"mars", "march", "mar", "mar"},
                                       {"avril", "april", "apr", "avr"},
                                       {"mai", "may", "may", "mai"},
                                       {"juin", "june", "jun", "jun"},
                                       {"juillet", "july", "jul", "juil"},
                                       {"aout", "august", "aug", "aou"},
                                       {"septembre", "september", "sep", "sept"},
                                       {"octobre", "october", "oct", "oct"},
                                       {"novembre", "november", "nov", "nov"},
                                       {"decembre", "december", "dec", "dec"}};
    std::string f = fold(s);
    while (!f.empty() && f.back() == ' ') f.pop_back();
    while (!f.empty() && f.front() == ' ') f.erase(f.begin());
    for (int m = 0; m < 12; ++m)
        for (const char* n : names[m])
            if (f == n) return m + 1;
    if (!f.empty() && f.size() <= 2 &&
        std::all_of(f.begin(), f.end(), [](char c) { return c >= '0' && c <= '9'; }))
        if (int m = std::stoi(f); m >= 1 && m <= 12) return m;
    return std::nullopt;
}

std::optional<int> parse_months(std::string_view s) {
    const auto dash = s.find('-');
    auto from = parse_month(s.substr(0, dash));
    if (!from) return std::nullopt;
    if (dash == std::string_view::npos) return 1 << *from;
    auto to = parse_month(s.substr(dash + 1));
    if (!to) return std::nullopt;
    int bits = 0;
    for (int m = *from;; m = m % 12 + 1) {  // "novembre-mars" runs over the new year
        bits |= 1 << m;
        if (m == *to) break;
    }
    return bits;
}

namespace {

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

// Builds a non-lenient ICU calendar in `tz` and returns the UDate (ms), or nullopt.
std::optional<double> calendar_time(int y, int mo, int d, int h, int mi, int s, const std::string& tz) {
    std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(tz)));
    icu::UnicodeString id;
    zone->getID(id);
    if (id == UNICODE_STRING_SIMPLE("Etc/Unknown")) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    icu::GregorianCalendar cal(zone.release(), status);
    if (U_FAILURE(status)) return std::nullopt;
    cal.setLenient(false);
    cal.clear();
    cal.set(y, mo - 1, d, h, mi, s);
    UDate t = cal.getTime(status);
    if (U_FAILURE(status)) return std::nullopt;
    return t;
}

}  // namespace

bool valid_date(std::string_view s) {
    int y, m, d;
    if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !digits(s, 0, 4, y) || !digits(s, 5, 2, m) ||
        !digits(s, 8, 2, d))
        return false;
    return calendar_time(y, m, d, 12, 0, 0, "UTC").has_value();
}

std::optional<std::int64_t> day_number(std::string_view s) {
    int y = 0, m = 0, d = 0;
    if (!valid_date(s)) return std::nullopt;
    digits(s, 0, 4, y);
    digits(s, 5, 2, m);
    digits(s, 8, 2, d);
    using namespace std::chrono;
    return sys_days(year(y) / month(unsigned(m)) / day(unsigned(d))).time_since_epoch().count();
}

std::string iso_day(std::int64_t n) {
    const std::chrono::year_month_day d{std::chrono::sys_days(std::chrono::days(n))};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
    return buf;
}

std::int64_t local_day_of(std::int64_t t, const std::string& tz) {
    std::unique_ptr<icu::TimeZone> zone(
        icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(tz)));
    std::int32_t raw = 0, dst = 0;
    UErrorCode status = U_ZERO_ERROR;
    zone->getOffset(static_cast<UDate>(t) * 1000.0, false, raw, dst, status);
    const std::int64_t local = t + (U_FAILURE(status) ? 0 : (raw + dst) / 1000);
    return local >= 0 ? local / 86400 : (local - 86399) / 86400;
}

std::string weekday_name(std::int64_t day_number, bool fr) {
    UErrorCode status = U_ZERO_ERROR;
    icu::SimpleDateFormat format(UNICODE_STRING_SIMPLE("EEEE"), icu::Locale(fr ? "fr_FR" : "en_GB"),
                                 status);
    if (U_FAILURE(status)) return iso_day(day_number);
    format.adoptTimeZone(icu::TimeZone::createTimeZone(UNICODE_STRING_SIMPLE("UTC")));
    icu::UnicodeString out;
    format.format(static_cast<UDate>(day_number * 86400 + 43200) * 1000.0, out);
    std::string s;
    return out.toUTF8String(s);
}

std::optional<std::int64_t> local_to_unix(std::string_view s, const std::string& tz) {
    int y, mo, d, h, mi, sec = 0;
    if (s.size() < 16 || !valid_date(s.substr(0, 10)) || (s[10] != ' ' && s[10] != 'T') ||
        s[13] != ':')
        return std::nullopt;
    digits(s, 0, 4, y);
    digits(s, 5, 2, mo);
    digits(s, 8, 2, d);
    if (!digits(s, 11, 2, h) || !digits(s, 14, 2, mi)) return std::nullopt;
    if (s.size() == 19) {
        if (s[16] != ':' || !digits(s, 17, 2, sec)) return std::nullopt;
    } else if (s.size() != 16) {
        return std::nullopt;
    }
    if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
    auto t = calendar_time(y, mo, d, h, mi, sec, tz);
    if (!t) return std::nullopt;
    return static_cast<std::int64_t>(*t / 1000.0);
}

bool valid_url(std::string_view s) {
    auto r = boost::urls::parse_absolute_uri(s);
    if (!r) return false;
    auto scheme = r->scheme();
    return (scheme == "http" || scheme == "https") && !r->encoded_host().empty();
}

bool valid_email(std::string_view s) {
    auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos)
        return false;
    if (s.find_first_of(" \t<>,;") != std::string_view::npos) return false;
    auto dot = s.rfind('.');
    return dot != std::string_view::npos && dot > at + 1 && dot + 2 < s.size() + 1 && dot + 1 < s.size();
}

std::optional<std::size_t> phone_problem(std::string_view s) {
    std::string digits;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c >= '0' && c <= '9')
            digits += c;
        else if (c == '+' && i == 0)
            continue;
        else if (c != ' ' && c != '.' && c != '-')
            return i;
    }
    const bool plus = s.starts_with("+");
    const bool ok = plus ? (digits.starts_with("33") ? digits.size() == 11 && digits[2] != '0'
                                                     : digits.size() >= 8 && digits.size() <= 15)
                         : (digits.size() == 10 && digits[0] == '0' && digits[1] != '0') ||
                               (digits.size() >= 2 && digits.size() <= 6);
    if (ok) return std::nullopt;
    return 0;
}

bool valid_postcode(std::string_view s) {
    return s.size() == 5 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace guichet::kb
