// Shared, header-only helpers of the knowledge-base plugins (hours, places, faq, waste):
// local calendar arithmetic through the host's ICU formatter, French/English phrasing of
// opening hours, places read from the knowledge base, plain-text cleaning, and the active
// alerts that every answer shows first. Everything goes through <guichet/plugin.h> (via the
// SDK); nothing here keeps state but a per-thread memo of UTC offsets, so it is safe on any
// thread.
#pragma once

#include <guichet/sdk.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace guichet::answers {

using sdk::turn;

constexpr std::int64_t day_seconds = 86400;

// --- local calendar ------------------------------------------------------------------

// The site's UTC offset (seconds) at `at`, from ICU's "xxx" pattern ("+01:00"). A turn asks
// for the same few instants' offsets several times, each a formatting through the host: the
// last answers are kept per thread, by zone and minute (since 1972 every zone's offsets and
// changes of offset fall on whole minutes).
inline std::int64_t utc_offset(const turn& t, std::int64_t at) {
    struct kept {
        std::string zone;
        std::int64_t minute = INT64_MIN;
        std::int64_t offset = 0;
    };
    thread_local kept last[8];
    thread_local std::size_t next = 0;
    const char* zone = t.message().time_zone ? t.message().time_zone : "";
    std::int64_t minute = at >= 0 ? at / 60 : -((-at + 59) / 60);
    for (auto& k : last)
        if (k.minute == minute && k.zone == zone) return k.offset;
    std::string z = t.format_time(at, "en:xxx");
    std::int64_t off = 0;
    if (z.size() >= 6 && (z[0] == '+' || z[0] == '-')) {
        int h = std::atoi(z.substr(1, 2).c_str()), m = std::atoi(z.substr(4, 2).c_str());
        off = z[0] == '-' ? -(h * 3600 + m * 60) : h * 3600 + m * 60;
    }
    last[next++ % 8] = {zone, minute, off};
    return off;
}

// Local days since 1970-01-01 of the instant `at`.
inline std::int64_t local_day_number(const turn& t, std::int64_t at) {
    std::int64_t local = at + utc_offset(t, at);
    return local >= 0 ? local / day_seconds : -((-local + day_seconds - 1) / day_seconds);
}

// The Unix time of local midnight starting local day `day` (DST-safe).
inline std::int64_t day_start(const turn& t, std::int64_t day) {
    std::int64_t guess = day * day_seconds;
    std::int64_t at = guess - utc_offset(t, guess);
    return guess - utc_offset(t, at);
}

// A slot's number ("when.start": seconds since the epoch); 0 when it is none.
inline std::int64_t to_int(std::string_view s) {
    std::int64_t n = 0;
    std::from_chars(s.data(), s.data() + s.size(), n);
    return n;
}

// 1 = Monday … 7 = Sunday, for a local day number.
inline int weekday_of(std::int64_t day) {
    return static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
}

struct civil {
    int y, m, d;
};
// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
inline civil civil_from_days(std::int64_t z) {
    z += 719468;
    std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    auto doe = static_cast<unsigned>(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned d = doy - (153 * mp + 2) / 5 + 1;
    unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}
inline std::int64_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    auto yoe = static_cast<unsigned>(y - era * 400);
    unsigned doy = (153 * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}
inline std::string iso_date(std::int64_t day) {
    civil c = civil_from_days(day);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
    return buf;
}
// "2026-12-05" (or an ISO date-time) → local day number; nullopt when malformed.
inline std::optional<std::int64_t> parse_iso_day(std::string_view s) {
    int y, m, d;
    if (s.size() < 10 || std::sscanf(std::string(s.substr(0, 10)).c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3)
        return std::nullopt;
    return days_from_civil(y, m, d);
}

// --- phrasing ------------------------------------------------------------------------

// "samedi 6 décembre" / "Saturday 6 December"; French uses "1er" for the first of a month.
// A day more than half a year away says its year ("lundi 1er novembre 2027": Toussaint asked
// in late November is next year's).
inline std::string day_label(const turn& t, std::int64_t at, const char* skeleton = "EEEEdMMMM") {
    constexpr std::int64_t half_year = 183 * 24 * 3600;
    if (std::string_view(skeleton) == "EEEEdMMMM" &&
        (at - t.now() > half_year || t.now() - at > half_year))
        skeleton = "EEEEdMMMMy";
    std::string s = t.format_time(at, skeleton);
    // en_GB writes "Saturday, 6 December": the comma reads oddly inside a sentence.
    if (!t.fr() && std::string_view(skeleton).starts_with("EEEE")) {
        auto c = s.find(", ");
        if (c != std::string::npos) s.erase(c, 1);
    }
    if (t.fr() && t.format_time(at, "en:d") == "1") {
        auto p = (" " + s).find(" 1 ");  // the day number, at the start or after the weekday
        if (p != std::string::npos) s.replace(p, 1, "1er");
    }
    return s;
}
// The school holidays (knowledge/school_holidays.yaml) under way on local day `from` or to
// come (`under_way`: only the one under way), the first `max` of them, a line each: "Vacances
// de Noël : du samedi 19 décembre au dimanche 3 janvier ; reprise des cours le lundi
// 4 janvier." None once the file's last period is over (staff add the next year's).
inline std::vector<std::string> school_holiday_lines(const turn& t, std::int64_t from,
                                                     std::size_t max, bool under_way = false) {
    std::vector<std::string> out;
    const std::string sql = std::string("SELECT first_day, last_day, ") +
                            (t.fr() ? "name_fr" : "name_en") +
                            " FROM school_holidays WHERE last_day >= ?1" +
                            (under_way ? " AND first_day <= ?1" : "") + " ORDER BY first_day";
    t.query(sql.c_str(), {iso_date(from)}, [&](const sdk::row& r) {
                auto first = parse_iso_day(r[0]), last = parse_iso_day(r[1]);
                if (!first || !last) return true;
                auto label = [&](std::int64_t d) { return day_label(t, day_start(t, d) + 12 * 3600); };
                std::string name(r[2]);
                if (!name.empty() && name[0] >= 'a' && name[0] <= 'z') name[0] = static_cast<char>(name[0] - 'a' + 'A');
                out.push_back(t.fr() ? name + " : du " + label(*first) + " au " + label(*last) +
                                           " ; reprise des cours le " + label(*last + 1) + "."
                                     : name + ": from " + label(*first) + " to " + label(*last) +
                                           "; back to school on " + label(*last + 1) + ".");
                return out.size() < max;
            });
    return out;
}

// "8 h 30" / "8:30".
inline std::string clock_label(const turn& t, std::int64_t at) { return t.format_time(at, "Hm"); }

// An opening_hours comment in the answer's language. Comments are written in the site's
// language ("sur rendez-vous"); the usual French ones are said in English to English speakers
// (they read "(sur rendez-vous)"), any other as written.
inline std::string comment_in(const turn& t, const std::string& comment) {
    if (t.fr()) return comment;
    static constexpr std::pair<std::string_view, std::string_view> usual[] = {
        {"sur rendez-vous", "by appointment"},
        {"uniquement sur rendez-vous", "by appointment only"},
        {"sur rdv", "by appointment"},
        {"sans rendez-vous", "without an appointment"},
        {"permanence", "drop-in hours"},
        {"permanence téléphonique", "by telephone"},
        {"accueil téléphonique", "by telephone"},
        {"fermé", "closed"},
        {"fermeture exceptionnelle", "exceptionally closed"},
        {"travaux", "works"},
        {"horaires d'été", "summer hours"},
        {"horaires d'hiver", "winter hours"},
        {"vacances scolaires", "school holidays"},
        {"à confirmer", "to be confirmed"}};
    std::string lower;
    for (unsigned char c : comment) lower += static_cast<char>(std::tolower(c));
    for (auto [fr, en] : usual)
        if (lower == fr) return std::string(en);
    return comment;
}

// "a, b et c" / "a, b and c".
inline std::string listed(const turn& t, const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i == 0 ? "" : i + 1 == items.size() ? t.tr(" et ", " and ") : ", ") + items[i];
    return out;
}

// "de 8 h 30 à 12 h et de 13 h 30 à 17 h 30" / "from 8:30 to 12:00 and from 13:30 to 17:30".
// An interval reaching the next midnight reads "jusqu'à minuit" / "until midnight".
inline std::string ranges_phrase(const turn& t, const std::vector<sdk::interval>& iv,
                                 std::int64_t day_end) {
    std::string out;
    for (std::size_t i = 0; i < iv.size(); ++i) {
        if (i) out += i + 1 == iv.size() ? t.tr(" et ", " and ") : ", ";
        std::string end = iv[i].end >= day_end ? t.tr("minuit", "midnight") : clock_label(t, iv[i].end);
        out += t.fr() ? "de " + clock_label(t, iv[i].start) + " à " + end
                      : "from " + clock_label(t, iv[i].start) + " to " + end;
        if (!iv[i].comment.empty()) out += " (" + comment_in(t, iv[i].comment) + ")";
    }
    return out;
}

// Plain text only: tags removed, the common entities decoded, spaces collapsed.
inline std::string plain_text(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '<') {
            auto close = in.find('>', i);
            if (close != std::string_view::npos) {
                i = close;
                if (!out.empty() && out.back() != ' ') out += ' ';
                continue;
            }
        }
        if (c == '&') {
            static const std::pair<const char*, const char*> ents[] = {
                {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
                {"&#39;", "'"}, {"&apos;", "'"}, {"&nbsp;", " "}};
            bool done = false;
            for (auto& [e, r] : ents)
                if (in.substr(i, std::string_view(e).size()) == e) {
                    out += r;
                    i += std::string_view(e).size() - 1;
                    done = true;
                    break;
                }
            if (done) continue;
        }
        if (c == '\r' || c == '\t') c = ' ';
        if (c == ' ' && !out.empty() && out.back() == ' ') continue;
        out += c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    while (!out.empty() && out.front() == ' ') out.erase(out.begin());
    return out;
}

// --- places --------------------------------------------------------------------------

struct place {
    std::string id, name_fr, name_en, category, address, postcode, city, phone, url,
        opening_hours, short_fr, short_en, email, notes_fr, notes_en;
    double lat = 0, lon = 0;
    bool has_hours = false;
    const std::string& name(const turn& t) const { return t.fr() ? name_fr : name_en; }
    // What the staff wrote for citizens to know ("Accès PMR par la rue des Écoles."); "" none.
    // (Kept as read, made plain text only when said: most answers never say it.)
    std::string notes(const turn& t) const;
};

constexpr const char* place_select =
    "SELECT p.id, p.name_fr, p.name_en, p.category, p.address, p.postcode, p.city, p.latitude, "
    "p.longitude, p.phone, p.url, p.opening_hours, "
    "(SELECT n.name FROM place_names n WHERE n.place_id = p.id AND n.lang = 'fr' AND "
    "n.kind = 'synonym' ORDER BY n.rowid LIMIT 1), "
    "(SELECT n.name FROM place_names n WHERE n.place_id = p.id AND n.lang = 'en' AND "
    "n.kind = 'synonym' ORDER BY n.rowid LIMIT 1), p.email, p.notes_fr, p.notes_en FROM places p ";

inline place place_from_row(const sdk::row& r) {
    place p;
    p.id = r[0];
    p.name_fr = plain_text(r[1]);
    p.name_en = plain_text(r[2]);
    p.category = r[3];
    p.address = plain_text(r[4]);
    p.postcode = r[5];
    p.city = plain_text(r[6]);
    p.lat = r.number(7);
    p.lon = r.number(8);
    p.phone = r[9];
    p.url = r[10];
    p.has_hours = !r.is_null(11) && !r[11].empty();
    p.opening_hours = r[11];
    p.short_fr = r.is_null(12) ? std::string() : plain_text(r[12]);
    p.short_en = r.is_null(13) ? std::string() : plain_text(r[13]);
    p.email = r.is_null(14) ? std::string() : std::string(r[14]);
    p.notes_fr = r.is_null(15) ? std::string() : std::string(r[15]);
    p.notes_en = r.is_null(16) ? std::string() : std::string(r[16]);
    return p;
}

inline std::string place::notes(const turn& t) const { return plain_text(t.fr() ? notes_fr : notes_en); }

// The place's address, postcode and town on one line.
inline std::string full_address(const place& p) {
    std::string s = p.address;
    if (!p.postcode.empty() || !p.city.empty())
        s += ", " + p.postcode + (p.postcode.empty() ? "" : " ") + p.city;
    return s;
}

// A place by id, or by one of its names (folded look-up done by the knowledge base's keys).
inline std::optional<place> find_place(const turn& t, std::string_view id_or_name) {
    std::optional<place> found;
    std::string key(id_or_name);
    t.query((std::string(place_select) +
             "WHERE p.id = ?1 OR p.id = (SELECT place_id FROM place_names WHERE name_key = "
             "lower(?1) OR name = ?1 LIMIT 1) LIMIT 1").c_str(),
            {key}, [&](const sdk::row& r) {
                found = place_from_row(r);
                return false;
            });
    return found;
}

// The front desk: the place the host names (`agents.desk_place`, ABI 1.4), by its id.
inline std::optional<place> front_desk(const turn& t) {
    std::optional<place> found;
    t.query((std::string(place_select) + "WHERE p.id = ?1").c_str(),
            {std::string(t.desk_place())}, [&](const sdk::row& r) {
                found = place_from_row(r);
                return false;
            });
    return found;
}

// Where a citizen is sent to reach a person, to follow a verb-less lead-in ("Pour parler à
// un agent, …"): "appelez la mairie (Accueil des agents de la mairie, 02 38 45 10 00)" /
// "call the town hall (Town hall front desk, 02 38 45 10 00)" with the desk's name and phone
// as the knowledge base writes them; without a phone "adressez-vous à la mairie (…)" /
// "contact the town hall (…)", never a number that is not the town's.
struct desk_call {
    std::string words;
    bool phone = false;  // the words give a number
};
inline desk_call call_the_desk(const turn& t) {
    const auto desk = front_desk(t);
    desk_call c;
    c.phone = desk && !desk->phone.empty();
    std::string who = desk ? desk->name(t) : std::string();
    if (c.phone) who += (who.empty() ? "" : ", ") + desk->phone;
    c.words = std::string(c.phone ? t.tr("appelez la mairie", "call the town hall")
                                  : t.tr("adressez-vous à la mairie", "contact the town hall")) +
              (who.empty() ? std::string() : " (" + who + ")");
    return c;
}

// The town's on-call service (the place `astreinte`), as the reports and the handoff say it
// out of hours: "l'astreinte de la mairie au 06 00 00 00 45 (jour et nuit)" / "the town
// hall's on-call service on … (day and night)"; "" when it has no phone.
inline std::string on_call_service(const turn& t) {
    const auto on_call = find_place(t, "astreinte");
    if (!on_call || on_call->phone.empty()) return {};
    return std::string(t.tr("l'astreinte de la mairie au ", "the town hall's on-call service on ")) +
           on_call->phone + t.tr(" (jour et nuit)", " (day and night)");
}

// Whether the place is a municipal service open day and night: the town hall's on-call line
// (`astreinte`), a phone number rather than a place to go. It is never listed among the places
// near nor among the services' hours ("c'est où le service ?" offered it, "à 0 m, ouverte en
// ce moment"), only named for what it is.
inline bool on_call_line(const place& p) {
    return p.category == "service_municipal" && p.opening_hours == "24/7";
}

// The places of a category ("dechetterie"), by name; at most `limit`.
inline std::vector<place> places_in_category(const turn& t, std::string_view category,
                                             std::size_t limit) {
    std::vector<place> out;
    t.query((std::string(place_select) + "WHERE p.category = ?1 ORDER BY p.name_fr LIMIT ?2").c_str(),
            {std::string(category), std::to_string(limit)}, [&](const sdk::row& r) {
                out.push_back(place_from_row(r));
                return true;
            });
    return out;
}

// Whether a name reads as a plural ("conteneurs", "castle gardens"): its first (French) word
// ends in s or x, its last (English) one in s (not "annex", "bus", "glass"), acronyms such as
// "CCAS" aside.
inline bool plural_name(std::string_view name, bool french) {
    auto sp = french ? name.find(' ') : name.rfind(' ');
    std::string_view w = french ? name.substr(0, sp) : (sp == std::string_view::npos ? name : name.substr(sp + 1));
    if (w.size() < 3) return false;
    bool acronym = std::all_of(w.begin(), w.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    if (acronym) return false;
    if (french) return w.back() == 's' || w.back() == 'x';
    return w.back() == 's' && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is");
}

// The accented lower-case letters of French (é, è, à, ç, œ…) as plain ones, as the knowledge
// base's full-text index reads them ("réclamation" is "reclamation"); other bytes unchanged.
// Plugins reach no ICU through the C ABI: this covers the letters French words use.
inline std::string without_accents(std::string_view text) {
    static constexpr std::string_view from[] = {"à", "â", "ä", "ç", "é", "è", "ê", "ë", "î",
                                                "ï", "ô", "ö", "ù", "û", "ü", "ÿ", "œ", "æ"};
    static constexpr std::string_view to[] = {"a", "a", "a", "c", "e", "e", "e", "e", "i",
                                              "i", "o", "o", "u", "u", "u", "y", "oe", "ae"};
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t k = 0;
        while (k < std::size(from) && text.substr(i, from[k].size()) != from[k]) ++k;
        if (k < std::size(from)) {
            out += to[k];
            i += from[k].size();
        } else {
            out += text[i++];
        }
    }
    return out;
}

// The ticket of a "report" or "handoff" row of `turn::export_user_data`, whose text starts
// with it ("2026-0042 voirie …").
inline std::string record_ticket(std::string_view text) {
    return std::string(text.substr(0, text.find(' ')));
}

// ASCII letters lower-cased (the others, accented ones included, left as they are).
inline std::string ascii_lower(std::string_view text) {
    std::string s(text);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// " word word … ": lower case, no accents, one space around each word, so that whole words and
// phrases are found by " word " ("nous a quitte" in a message, "noel" in a period's name).
inline std::string spaced_words(std::string_view text) {
    std::string out = " ";
    for (char c : without_accents(ascii_lower(text))) {
        const bool word = std::isalnum(static_cast<unsigned char>(c)) != 0;
        if (word || out.back() != ' ') out += word ? c : ' ';
    }
    if (out.back() != ' ') out += ' ';
    return out;
}

// The school holidays a question names ("vacances d'hiver", "winter half-term", "les grandes
// vacances") when knowledge/school_holidays.yaml has no such period to come (staff add each
// year's as it is published): its name in the turn's language, else "" (none named, or known).
inline std::string school_holidays_not_known(const turn& t, std::string_view text, std::int64_t from) {
    struct period {
        std::initializer_list<std::string_view> words;  // folded, whole words
        std::string_view fr, en;
    };
    static const period periods[] = {
        {{"hiver", "fevrier", "winter", "february"}, "vacances d'hiver", "winter holidays"},
        {{"printemps", "paques", "avril", "spring", "easter", "april"}, "vacances de printemps",
         "spring holidays"},
        {{"ete", "grandes vacances", "juillet", "aout", "summer", "july", "august"},
         "vacances d'été", "summer holidays"},
        {{"toussaint", "octobre", "autumn", "october"}, "vacances de la Toussaint",
         "autumn half-term"},
        {{"noel", "christmas"}, "vacances de Noël", "Christmas holidays"}};
    auto names = [&](const std::string& said, const period& p) {
        return std::any_of(p.words.begin(), p.words.end(), [&](std::string_view w) {
            return said.find(" " + std::string(w) + " ") != std::string::npos;
        });
    };
    const std::string asked = spaced_words(text);
    const period* named = nullptr;
    for (const auto& p : periods)
        if (names(asked, p)) {
            named = &p;
            break;
        }
    if (!named) return {};
    bool known = false;
    t.query("SELECT name_fr, name_en FROM school_holidays WHERE last_day >= ?1", {iso_date(from)},
            [&](const sdk::row& r) {
                known = names(spaced_words(std::string(r[0]) + " " + std::string(r[1])), *named);
                return !known;
            });
    return known ? std::string() : std::string(t.fr() ? named->fr : named->en);
}

// Edits from a to b: insertions, deletions, substitutions and swaps of two neighbours (the
// FAQ's spelling correction, the report categories' keywords typed with a slip).
inline std::size_t slips(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                                d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// "de la rue Pasteur", "de l'avenue de la Gare", "du boulevard Carnot" / "rue Pasteur".
inline std::string of_street(const turn& t, const std::string& street) {
    if (!t.fr()) return street;
    const std::string type = street.substr(0, street.find(' '));
    if (std::string_view("aeiouhAEIOUH").find(street[0]) != std::string_view::npos)
        return "de l'" + street;
    for (const char* m : {"boulevard", "chemin", "quai", "cours", "square", "mail", "faubourg"})
        if (type == m) return "du " + street;
    return "de la " + street;
}

// « de « rue des Lilas » », « d'« avenue des Lilas » »: words quoted after "de", elided before
// a vowel or an h.
inline std::string de_quoted(const std::string& said) {
    const bool elide = !said.empty() && std::string_view("aeiouhAEIOUH").find(said[0]) != std::string_view::npos;
    return (elide ? "d'« " : "de « ") + said + " »";
}

// Whether the text holds one of the (lower-case) phrases, case aside.
inline bool mentions_any(std::string_view text, std::initializer_list<const char*> phrases) {
    const std::string s = ascii_lower(text);
    for (const char* p : phrases)
        if (s.find(p) != std::string::npos) return true;
    return false;
}

// "et la cantine ?", "what about the library": a question that goes on from the last one.
// (After an acknowledgement: "ok et pour mon fils ?", "d'accord, et la cantine ?".)
inline bool follows_on(std::string_view text) {
    const std::string s = ascii_lower(text);
    std::string_view v = s;
    for (bool again = true; again;) {
        again = false;
        while (!v.empty() && (v.front() == ' ' || v.front() == ',')) v.remove_prefix(1);
        for (std::string_view ack : {"ok", "okay", "d'accord", "bon", "alors", "merci", "thanks",
                                     "thank you", "ah", "oh", "right", "alright", "all right"})
            if (v.starts_with(ack) && v.size() > ack.size() &&
                (v[ack.size()] == ' ' || v[ack.size()] == ',')) {
                v.remove_prefix(ack.size());
                again = true;
                break;
            }
    }
    if (v.empty()) return false;
    return v.starts_with("et ") || v.starts_with("and ") || v.starts_with("what about ") ||
           v.starts_with("how about ");
}

// What a question about a place asks besides the usual answer: its address ("adresse et
// horaires de la piscine"), its e-mail or its website, each when named.
inline std::string asked_details(const turn& t, const place& p, bool address) {
    std::string s;
    // ("c ou la mairie et elle ferme a quel heure", "SLT C OU LA MEDIATHEQUE…": "c'est où" as
    // typed in a text message, a word of its own.)
    if (address && !p.address.empty() &&
        mentions_any(" " + std::string(t.text()) + " ", {"adresse", "où", "ou est ", "ou se trouve",
                                                   " c ou ", "c'est ou ", "where", "address"}))
        s += std::string(t.tr(" Adresse : ", " Address: ")) + full_address(p) + ".";
    if (!p.email.empty() && mentions_any(t.text(), {"mail", "courriel"}))
        s += std::string(t.tr(" E-mail : ", " E-mail: ")) + p.email + ".";
    if (!p.url.empty() && mentions_any(t.text(), {"site", "web", "internet", "url"}))
        s += std::string(t.tr(" Site : ", " Website: ")) + p.url + ".";
    return s;
}

// A typed answer to a yes-no question ("Je l'envoie ?", "Je supprime vos données ?"): "oui",
// "ok", "yes, please", "d'accord"… / "non", "no, …". Case aside; a typographic apostrophe
// counts as "'".
inline std::string answer_words(std::string_view text) {
    constexpr std::string_view curly = "\u2019";
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    std::string s;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text.substr(i, curly.size()) == curly) {
            s += '\'';
            i += curly.size() - 1;
        } else {
            s += static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
        }
    }
    return s;
}
inline bool says_yes(std::string_view text) {
    const std::string s = answer_words(text);
    // ("envoyer", the button's own word, typed: the recap came again.)
    for (const char* w : {"oui", "yes", "ok", "d'accord", "confirme", "envoie", "envoy", "valide",
                          "yep", "yeah", "c'est bon", "send", "vas-y", "vas y", "allez-y",
                          "allez y", "go ahead", "sure",
                          "\U0001F44D", "\U0001F44C"})  // 👍 👌 (any skin tone)
        if (s.starts_with(w)) return true;
    return false;
}
inline bool says_no(std::string_view text) {
    const std::string s = answer_words(text);
    return s == "non" || s == "no" || s == "nope" || s.starts_with("non ") ||
           s.starts_with("non,") || s.starts_with("no,") || s.starts_with("no ") ||
           s.starts_with("non.") || s.starts_with("no.") || s.starts_with("non!");
}

// Whether a French name is feminine, from its article or its first word ("déchetterie",
// "toilettes", "la Poste"; "centre", "stade"… are not), which is right for the common names of
// a town's places.
inline bool feminine_name(std::string_view name) {
    const std::string lower = ascii_lower(name);
    if (lower.starts_with("la ")) return true;
    if (lower.starts_with("le ")) return false;
    std::string bare = lower.starts_with("l'") ? lower.substr(2) : lower;
    std::string first = bare.substr(0, bare.find(' '));
    if (first.size() > 2 && first.ends_with("es")) first.pop_back();  // "toilettes"
    static const char* masculine_e[] = {"centre", "service", "gymnase", "cimetière", "stade",
                                        "office", "groupe", "musée", "urbanisme", "multi-accueil",
                                        "complexe", "espace", "théâtre", "collège", "lycée"};
    for (auto* m : masculine_e)
        if (first == m) return false;
    if (first == "poste" || first == "police" || first == "maison" || first == "salle") return true;
    return !first.empty() && first.back() == 'e';
}

// A French adjective from its masculine singular: "fermé", "fermée", "fermés", "fermées".
inline std::string agree(std::string adjective, bool feminine, bool plural) {
    return adjective + (feminine ? "e" : "") + (plural ? "s" : "");
}

// A French adjective agreeing with the place's full name: "fermé" for the Parking de la
// Mairie, "fermée" for the Déchetterie du Port, "fermées" for the Toilettes publiques.
inline std::string agreed(const turn& t, const place& p, const std::string& adjective) {
    if (!t.fr()) return adjective;
    return agree(adjective, feminine_name(p.name_fr), plural_name(p.name_fr, true));
}

// "la mairie" / "the town hall": the first synonym with its article (French gender guessed
// from the first word, which is right for the common service names), else the full name.
inline std::string the_place(const turn& t, const place& p, bool* feminine = nullptr) {
    if (feminine) *feminine = false;
    if (!t.fr()) {
        if (p.short_en.empty() || plural_name(p.short_en, false)) {
            std::string n = p.name_en;
            bool french_article = n.starts_with("Les ") || n.starts_with("Le ") || n.starts_with("La ");
            if (!french_article && n.size() > 1 && std::islower(static_cast<unsigned char>(n[1])))
                n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
            return "the " + n;
        }
        return "the " + p.short_en;
    }
    std::string s = p.short_fr.empty() || plural_name(p.short_fr, true) ? p.name_fr : p.short_fr;
    const std::string lower = ascii_lower(s);
    bool has_article = lower.starts_with("la ") || lower.starts_with("le ") || lower.starts_with("l'");
    bool fem = feminine_name(s);
    if (feminine) *feminine = fem;
    if (has_article) return s;
    if (!s.empty() && s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
        std::islower(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    unsigned char c0 = static_cast<unsigned char>(lower[0]);
    bool vowel = std::string_view("aeiouyh").find(static_cast<char>(c0)) != std::string_view::npos ||
                 lower.starts_with("é") || lower.starts_with("è") || lower.starts_with("ê") ||
                 lower.starts_with("É");
    if (plural_name(s, true)) return "les " + s;  // "les toilettes publiques…"
    if (vowel) return "l'" + s;
    return (fem ? "la " : "le ") + s;
}

// "de la mairie", "du cimetière", "des Naïades", "de l'office de tourisme" / "of the town hall".
inline std::string of_the_place(const turn& t, const place& p) {
    std::string s = the_place(t, p);
    if (!t.fr()) return "of " + s;
    for (auto [article, contracted] : {std::pair{"le ", "du "}, std::pair{"les ", "des "},
                                       std::pair{"Le ", "du "}, std::pair{"Les ", "des "}})
        if (s.starts_with(article)) return contracted + s.substr(std::string_view(article).size());
    return "de " + s;
}

// Lower-cases the first ASCII letter ("Ordures ménagères" → "ordures ménagères").
inline std::string uncapitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

// Capitalises the first ASCII letter ("la mairie" → "La mairie").
inline std::string capitalised(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
    return s;
}

inline double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    constexpr double r = 6371008.8, rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(lat1 * rad) * std::cos(lat2 * rad) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * r * std::asin(std::sqrt(std::min(1.0, a)));
}

// "à 850 m" / "à 1,2 km" ("850 m away" / "1.2 km away").
// "650 m", "1,7 km" / "1.7 km".
inline std::string distance_text(const turn& t, double metres) {
    char buf[32];
    if (metres < 1000) {
        std::snprintf(buf, sizeof buf, "%d m", static_cast<int>(std::lround(metres / 10) * 10));
    } else {
        std::snprintf(buf, sizeof buf, "%.1f km", metres / 1000);
        if (t.fr())
            for (char* c = buf; *c; ++c)
                if (*c == '.') *c = ',';
    }
    return buf;
}
// Closer than this to a place, a citizen who shared their position is there ("à 0 m" said
// nothing useful).
constexpr double at_the_place_m = 30;
inline std::string distance_phrase(const turn& t, double metres) {
    return t.fr() ? "à " + distance_text(t, metres) : distance_text(t, metres) + " away";
}

inline std::string osm_link(double lat, double lon) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=17/%.5f/%.5f",
                  lat, lon, lat, lon);
    return buf;
}

// OpenStreetMap's directions from one point to another, by `engine` (fossgis_osrm_foot,
// fossgis_osrm_bike, fossgis_osrm_car), which the map opens with the route drawn.
inline std::string osm_directions(double lat1, double lon1, double lat2, double lon2,
                                  const char* engine = "fossgis_osrm_foot") {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "https://www.openstreetmap.org/directions?engine=%s&route=%.5f,%.5f;%.5f,%.5f",
                  engine, lat1, lon1, lat2, lon2);
    return buf;
}

// Today's hours of a place: "aujourd'hui de 9 h à 12 h" / "fermé aujourd'hui".
inline std::string today_phrase(const turn& t, const place& p) {
    if (!p.has_hours) return {};
    std::int64_t today = local_day_number(t, t.now());
    std::int64_t a = day_start(t, today), b = day_start(t, today + 1);
    auto iv = t.hours(p.opening_hours, a, b);
    if (iv.empty()) return agreed(t, p, t.tr("fermé", "closed")) + t.tr(" aujourd'hui", " today");
    if (iv.size() == 1 && iv[0].start <= a && iv[0].end >= b && iv[0].comment.empty())
        return agreed(t, p, t.tr("ouvert", "open")) + t.tr(" toute la journée", " all day");
    return std::string(t.tr("aujourd'hui ", "today ")) + ranges_phrase(t, iv, b);
}

// The openings of a place open for a season, from now to the season's end (its openings
// stop for two months or more within a year); none for a place open all year.
inline std::vector<sdk::interval> season_openings(const turn& t, const place& p) {
    constexpr std::int64_t gap = 60 * day_seconds;
    auto iv = t.hours(p.opening_hours, t.now(), t.now() + 400 * day_seconds);
    if (iv.empty()) return iv;
    std::size_t last = 0;
    while (last + 1 < iv.size() && iv[last + 1].start - iv[last].end < gap) ++last;
    if (last + 1 == iv.size() && iv.back().end > t.now() + 300 * day_seconds) return {};
    iv.resize(last + 1);
    return iv;
}

// The openings of `iv` that start on the local day `day` (a day's hours, for ranges_phrase()).
inline std::vector<sdk::interval> openings_on(const turn& t, const std::vector<sdk::interval>& iv,
                                              std::int64_t day) {
    std::vector<sdk::interval> out;
    for (const auto& i : iv)
        if (local_day_number(t, i.start) == day) out.push_back(i);
    return out;
}

// Whether the place is open (or in an unknown state) at `at`.
inline bool open_at(const turn& t, const place& p, std::int64_t at) {
    if (!p.has_hours) return false;
    auto iv = t.hours(p.opening_hours, at, at + 1);
    return !iv.empty() && !iv[0].unknown;
}

// --- alerts --------------------------------------------------------------------------

// Says every alert in force now (or at some time of [from, to], the period asked: "le
// dimanche en été" is not warned of a winter closure) that applies to `intent` and to one of
// `place_ids` or `categories` (alerts with no place/category target apply everywhere), once
// in a conversation: "et le 31 ?" after the pool's hours is not warned again, "pourquoi elle
// est fermée ?", "jusqu'à quand ?", "closed for works?" are, and so is a question about what
// the alert names ("et le bassin extérieur ?": a word of five letters or more of the alert's
// that names no place or kind of place asked about). Returns how many.
inline int show_alerts(const turn& t, std::string_view intent,
                       const std::vector<std::string>& place_ids = {},
                       const std::vector<std::string>& categories = {}, std::int64_t from = -1,
                       std::int64_t to = -1) {
    if (from < 0) from = t.now();
    if (to < from) to = from;
    auto join = [](const std::vector<std::string>& v) {
        std::string s = ",";
        for (auto& x : v) s += x + ",";
        return s;
    };
    int n = 0;
    const bool again = mentions_any(t.text(), {"ferm", "closed", "travaux", "works", "pourquoi",
                                               "why", "jusqu", "until", "alert"});
    std::string shown(again ? "" : t.memory("alerts.shown"));  // ",id,id,"
    const std::string asked = ascii_lower(t.text());
    const std::string places = ascii_lower(join(place_ids) + join(categories));
    auto names_what_it_says = [&](std::string_view fr, std::string_view en) {
        const std::string said = ascii_lower(fr) + ' ' + ascii_lower(en);
        std::string w;
        auto named = [&] {
            const bool it = w.size() >= 5 && said.find(w) != std::string::npos &&
                            places.find(w) == std::string::npos;
            w.clear();
            return it;
        };
        for (char c : asked) {
            if ((c & 0x80) || std::isalnum(static_cast<unsigned char>(c))) w += c;
            else if (named()) return true;
        }
        return named();
    };
    t.query(
        "SELECT a.message_fr, a.message_en, a.id FROM alerts a "
        "WHERE a.from_unix <= CAST(?5 AS INTEGER) AND CAST(?1 AS INTEGER) <= a.until_unix "
        "AND (NOT EXISTS (SELECT 1 FROM alert_targets x WHERE x.alert_id = a.id AND x.kind = 'intent') "
        "  OR EXISTS (SELECT 1 FROM alert_targets x WHERE x.alert_id = a.id AND x.kind = 'intent' "
        "             AND x.value = ?2)) "
        "AND (NOT EXISTS (SELECT 1 FROM alert_targets x WHERE x.alert_id = a.id "
        "                 AND x.kind IN ('place', 'category')) "
        "  OR EXISTS (SELECT 1 FROM alert_targets x WHERE x.alert_id = a.id AND ("
        "     (x.kind = 'place' AND instr(?3, ',' || x.value || ',') > 0) OR "
        "     (x.kind = 'category' AND instr(?4, ',' || x.value || ',') > 0)))) "
        "ORDER BY a.from_unix DESC, a.id",
        {std::to_string(from), std::string(intent), join(place_ids), join(categories),
         std::to_string(to)},
        [&](const sdk::row& r) {
            const std::string id = "," + std::string(r[2]) + ",";
            if (shown.find(id) != std::string::npos && !names_what_it_says(r[0], r[1]))
                return true;
            std::string m = plain_text(t.fr() ? r[0] : r[1]);
            if (m.empty()) m = plain_text(r[0]);
            t.say("⚠️ " + m);
            shown += shown.empty() ? id : id.substr(1);
            ++n;
            return true;
        });
    if (n > 0) t.remember("alerts.shown", shown);
    return n;
}

}  // namespace guichet::answers
