// In-memory model of the knowledge sources once read and validated, before they are written
// into SQLite. Internal to the kb component (the SQLite schema is the public contract).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/diagnostic.h"

namespace guichet::kb {

struct place_src {
    std::string id, name_fr, name_en;
    std::vector<std::string> synonyms_fr, synonyms_en;
    std::string category, address, postcode, city;
    double latitude = 0, longitude = 0;
    std::string phone, email, url, opening_hours, notes_fr, notes_en, department;
};

struct faq_src {
    std::string id, topic;
    std::vector<std::string> questions_fr, questions_en;
    std::string answer_fr, answer_en, source_url, reviewed, owner;
    // A report category code (report_categories.yaml) when the answer asks for a report of
    // that kind ("signalez-le-moi avec la rue"): the place given next files it. Else empty.
    std::string report;
};

struct waste_schedule_src {
    std::string stream;
    int weekday = 0;   // 1 = Monday … 7 = Sunday; 0 when on_request
    int nth = 0;       // 0 = every week; 1…5 = n-th such weekday of the month; -1 = last
    int week_parity = 0;  // 0 = every week; 1 = odd ISO weeks; 2 = even ISO weeks
    int months = 0;       // bit 1 << m for each month m (1…12) it runs; 0 = all year
    bool on_request = false;
    int register_days = 0;  // registration closes this many days before the collection; 0 = none
    std::string notes_fr, notes_en;
};

struct waste_zone_src {
    std::string id, name_fr, name_en;
    std::vector<waste_schedule_src> schedules;
};

struct waste_street_src {
    std::string name, zone_id;
};

struct waste_exception_src {
    std::string date, stream, zone_id, moved_to;  // empty stream/zone: all; empty moved_to: cancelled
    std::string notes_fr, notes_en;
};

struct alert_src {
    std::string id, message_fr, message_en, from_local, until_local;
    std::int64_t from_unix = 0, until_unix = 0;
    std::vector<std::string> intents, places, categories;
};

// A category of reports about public space (Open311 service), in display order.
struct report_category_src {
    std::string code, name_fr, name_en, group, description_fr, description_en;
    std::vector<std::string> keywords_fr, keywords_en;  // words that point to it, as written
    // Words that point to it only when no keyword of any category is said ("la route" in "la
    // route est inondée" is where, not what): context_keywords, as written.
    std::vector<std::string> context_fr, context_en;
};

// A period of school holidays (knowledge/school_holidays.yaml): `SH` in places' hours.
struct school_holiday_src {
    std::string name_fr, name_en;
    std::string first_day, last_day;  // "YYYY-MM-DD", inclusive (the day before classes resume)
};

struct knowledge_src {
    std::vector<place_src> places;
    std::vector<faq_src> faq;
    std::vector<waste_zone_src> zones;
    std::vector<waste_street_src> streets;
    std::vector<waste_exception_src> waste_exceptions;
    std::string holiday_shift = "next_day";
    std::vector<alert_src> alerts;
    std::vector<report_category_src> report_categories;
    std::vector<school_holiday_src> school_holidays;  // in date order
};

}  // namespace guichet::kb
