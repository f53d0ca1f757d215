// The typed queries of knowledge_base: nearest places (R*Tree bounding box widened until
// enough places lie within the inscribed circle, then great-circle distance in C++), name
// look-ups, FAQ search (FTS5 + BM25), waste per street, alerts and the gazetteer.
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "kb/knowledge_base.h"
#include "kb/text_fold.h"

namespace guichet::kb {
namespace {

constexpr double earth_radius_m = 6371008.8;
constexpr double pi = 3.14159265358979323846;
constexpr double metres_per_degree = earth_radius_m * pi / 180.0;
constexpr std::size_t max_faq_results = 100;

constexpr const char* place_columns =
    "p.id, p.name_fr, p.name_en, p.category, p.address, p.postcode, p.city, p.latitude, "
    "p.longitude, p.phone, p.email, p.url, p.opening_hours, p.notes_fr, p.notes_en, p.department";

std::string col(sqlite3_stmt* s, int i) {
    const unsigned char* t = sqlite3_column_text(s, i);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string();
}

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
    sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
    auto rad = [](double d) { return d * pi / 180.0; };
    double dlat = rad(lat2 - lat1), dlon = rad(lon2 - lon1);
    double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
               std::cos(rad(lat1)) * std::cos(rad(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2 * earth_radius_m * std::asin(std::min(1.0, std::sqrt(a)));
}

// SQL texts, kept as constants so that the statement cache keys on stable pointers' text.
const std::string sql_nearest = std::string("SELECT ") + place_columns +
    " FROM places_rtree r JOIN places p ON p.num = r.num WHERE r.max_lat >= ?1 AND r.min_lat <= ?2"
    " AND r.max_lon >= ?3 AND r.min_lon <= ?4 AND (?5 = '' OR p.category = ?5)";
const std::string sql_place_by_key = std::string("SELECT ") + place_columns +
    " FROM place_names n JOIN places p ON p.id = n.place_id WHERE n.name_key = ?1 LIMIT 1";
const std::string sql_place_by_id = std::string("SELECT ") + place_columns + " FROM places p WHERE p.id = ?1";
const std::string sql_place_containing = std::string("SELECT DISTINCT ") + place_columns +
    " FROM place_names n JOIN places p ON p.id = n.place_id WHERE instr(n.name_key, ?1) > 0 LIMIT 2";
const std::string sql_by_category = std::string("SELECT ") + place_columns +
    " FROM places p WHERE p.category = ?1 ORDER BY p.name_fr";
// Best row per FAQ entry: bm25 is negative (lower is better), so min() keeps the best-matching
// question (or answer) row, and SQLite takes the bare column `question` from that row.
// MATERIALIZED: bm25() cannot be evaluated inside the aggregate if the CTE were flattened.
constexpr const char* sql_faq =
    "WITH t AS MATERIALIZED (SELECT question, faq_num, bm25(faq_fts, 4.0, 1.0) AS score"
    "   FROM faq_fts WHERE faq_fts MATCH ?1 AND (?4 = '' OR lang = ?4))"
    " SELECT f.id, f.topic, f.answer_fr, f.answer_en, f.source_url, f.reviewed, f.owner,"
    " coalesce(nullif(t.question, ''), (SELECT question FROM faq_questions q"
    "   WHERE q.faq_id = f.id AND q.lang = ?3 LIMIT 1)),"
    " min(t.score) AS score"
    " FROM t JOIN faq f ON f.num = t.faq_num GROUP BY f.num ORDER BY score, f.num LIMIT ?2";
constexpr const char* sql_street_by_key =
    "SELECT street, zone_id FROM waste_streets WHERE street_key = ?1 LIMIT 1";
constexpr const char* sql_street_by_core =
    "SELECT street, zone_id FROM waste_streets WHERE street_core = ?1 LIMIT 3";
constexpr const char* sql_street_containing =
    "SELECT street, zone_id FROM waste_streets WHERE instr(street_core, ?1) > 0 LIMIT 3";
constexpr const char* sql_zone =
    "SELECT name_fr, name_en, holiday_shift FROM waste_zones WHERE id = ?1";
constexpr const char* sql_schedules =
    "SELECT s.stream, w.label_fr, w.label_en, s.weekday, s.nth, s.week_parity, s.on_request,"
    " s.notes_fr, s.notes_en, s.months FROM waste_schedules s"
    " JOIN waste_streams w ON w.id = s.stream"
    " WHERE s.zone_id = ?1 ORDER BY s.rowid";
constexpr const char* sql_exceptions =
    "SELECT date, stream, moved_to, notes_fr, notes_en FROM waste_exceptions"
    " WHERE zone_id IS NULL OR zone_id = ?1 ORDER BY date";
constexpr const char* sql_alerts =
    "SELECT a.id, a.message_fr, a.message_en, a.from_local, a.until_local, a.from_unix,"
    " a.until_unix FROM alerts a WHERE a.from_unix <= ?1 AND ?1 <= a.until_unix"
    " AND (NOT EXISTS (SELECT 1 FROM alert_targets t WHERE t.alert_id = a.id AND t.kind = 'intent')"
    "  OR EXISTS (SELECT 1 FROM alert_targets t WHERE t.alert_id = a.id AND t.kind = 'intent'"
    "   AND t.value = ?2))"
    " AND (NOT EXISTS (SELECT 1 FROM alert_targets t WHERE t.alert_id = a.id"
    "   AND t.kind IN ('place', 'category'))"
    "  OR EXISTS (SELECT 1 FROM alert_targets t WHERE t.alert_id = a.id AND t.kind = 'place'"
    "   AND t.value = ?3)"
    "  OR EXISTS (SELECT 1 FROM alert_targets t JOIN places p ON p.category = t.value"
    "   WHERE t.alert_id = a.id AND t.kind = 'category' AND p.id = ?3))"
    " ORDER BY a.from_unix, a.id";

}  // namespace

place knowledge_base::read_place(sqlite3_stmt* s) {
    place p;
    p.id = col(s, 0);
    p.name_fr = col(s, 1);
    p.name_en = col(s, 2);
    p.category = col(s, 3);
    p.address = col(s, 4);
    p.postcode = col(s, 5);
    p.city = col(s, 6);
    p.latitude = sqlite3_column_double(s, 7);
    p.longitude = sqlite3_column_double(s, 8);
    p.phone = col(s, 9);
    p.email = col(s, 10);
    p.url = col(s, 11);
    p.opening_hours = col(s, 12);
    p.notes_fr = col(s, 13);
    p.notes_en = col(s, 14);
    p.department = col(s, 15);
    return p;
}

std::vector<place> knowledge_base::nearest_places(std::string_view category, double lat,
                                                  double lon, std::size_t limit) {
    if (!std::isfinite(lat) || !std::isfinite(lon) || std::abs(lat) > 90 || std::abs(lon) > 180)
        throw kb_error("nearest_places: coordinates out of range (lat " + std::to_string(lat) +
                       ", lon " + std::to_string(lon) + ")");
    std::vector<place> found;
    if (limit == 0) return found;
    sqlite3_stmt* s = prepare(sql_nearest.c_str());
    const double half_circumference = pi * earth_radius_m;
    for (double radius = 2000;; radius *= 4) {
        double dlat = radius / metres_per_degree;
        double coslat = std::cos(lat * pi / 180.0);
        double dlon = coslat > 1e-6 ? dlat / coslat : 360.0;
        bool whole_lon = dlon >= 180 || lon - dlon < -180 || lon + dlon > 180;
        sqlite3_reset(s);
        sqlite3_bind_double(s, 1, std::max(-90.0, lat - dlat));
        sqlite3_bind_double(s, 2, std::min(90.0, lat + dlat));
        sqlite3_bind_double(s, 3, whole_lon ? -180.0 : lon - dlon);
        sqlite3_bind_double(s, 4, whole_lon ? 180.0 : lon + dlon);
        bind_text(s, 5, category);
        found.clear();
        std::size_t within = 0;
        while (sqlite3_step(s) == SQLITE_ROW) {
            place p = read_place(s);
            p.distance_m = haversine_m(lat, lon, p.latitude, p.longitude);
            if (p.distance_m <= radius) ++within;
            found.push_back(std::move(p));
        }
        // Only places within the inscribed circle are certainly the nearest ones.
        if (within >= limit || radius >= half_circumference) break;
    }
    sqlite3_reset(s);
    std::sort(found.begin(), found.end(), [](const place& a, const place& b) {
        return a.distance_m < b.distance_m || (a.distance_m == b.distance_m && a.id < b.id);
    });
    if (found.size() > limit) found.resize(limit);
    return found;
}

std::optional<place> knowledge_base::find_place(std::string_view name_or_synonym) {
    std::string key = name_key(name_or_synonym);
    if (key.empty()) return std::nullopt;
    auto one = [&](const std::string& sql, std::string_view arg) -> std::optional<place> {
        sqlite3_stmt* s = prepare(sql.c_str());
        bind_text(s, 1, arg);
        std::optional<place> p;
        if (sqlite3_step(s) == SQLITE_ROW) p = read_place(s);
        sqlite3_reset(s);
        return p;
    };
    if (auto p = one(sql_place_by_key, key)) return p;
    if (auto p = one(sql_place_by_id, name_or_synonym)) return p;
    // A unique place whose name contains the words ("piscine" → "Piscine des Naïades").
    sqlite3_stmt* s = prepare(sql_place_containing.c_str());
    bind_text(s, 1, key);
    std::vector<place> hits;
    while (sqlite3_step(s) == SQLITE_ROW) hits.push_back(read_place(s));
    sqlite3_reset(s);
    if (hits.size() == 1) return hits.front();
    return std::nullopt;
}

std::vector<place> knowledge_base::places_by_category(std::string_view category) {
    sqlite3_stmt* s = prepare(sql_by_category.c_str());
    bind_text(s, 1, category);
    std::vector<place> out;
    while (sqlite3_step(s) == SQLITE_ROW) out.push_back(read_place(s));
    sqlite3_reset(s);
    return out;
}

std::vector<faq_hit> knowledge_base::search_faq(std::string_view query, std::string_view lang,
                                                std::size_t limit) {
    std::vector<faq_hit> out;
    std::string q = fts_query(query);
    if (q.empty() || limit == 0) return out;
    limit = std::min(limit, max_faq_results);
    auto run = [&](std::string_view l) {
        sqlite3_stmt* s = prepare(sql_faq);
        bind_text(s, 1, q);
        bind_text(s, 4, l == "fr" || l == "en" ? l : "");
        sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(limit));
        bind_text(s, 3, l == "en" ? "en" : "fr");
        while (sqlite3_step(s) == SQLITE_ROW) {
            faq_hit h;
            h.id = col(s, 0);
            h.topic = col(s, 1);
            h.answer_fr = col(s, 2);
            h.answer_en = col(s, 3);
            h.source_url = col(s, 4);
            h.reviewed = col(s, 5);
            h.owner = col(s, 6);
            h.question = col(s, 7);
            h.score = sqlite3_column_double(s, 8);
            out.push_back(std::move(h));
        }
        sqlite3_reset(s);
    };
    run(lang);
    if (out.empty() && (lang == "fr" || lang == "en")) run("");
    return out;
}

std::optional<waste_info> knowledge_base::waste_for_street(std::string_view street) {
    std::string key = fold(street), core = street_core(street);
    if (key.empty()) return std::nullopt;
    auto matches = [&](const char* sql, const std::string& arg) {
        std::vector<std::pair<std::string, std::string>> rows;
        sqlite3_stmt* s = prepare(sql);
        bind_text(s, 1, arg);
        while (sqlite3_step(s) == SQLITE_ROW) rows.emplace_back(col(s, 0), col(s, 1));
        sqlite3_reset(s);
        return rows;
    };
    auto rows = matches(sql_street_by_key, key);
    if (rows.empty()) rows = matches(sql_street_by_core, core);
    if (rows.empty() && core.size() >= 3) rows = matches(sql_street_containing, core);
    if (rows.empty()) return std::nullopt;
    // Ambiguous between zones ("Loire" for "rue de la Loire" and "quai de la Loire"): no answer.
    for (const auto& r : rows)
        if (r.second != rows.front().second) return std::nullopt;
    waste_info w;
    w.street = rows.front().first;
    w.zone_id = rows.front().second;
    sqlite3_stmt* s = prepare(sql_zone);
    bind_text(s, 1, w.zone_id);
    if (sqlite3_step(s) == SQLITE_ROW) {
        w.zone_name_fr = col(s, 0);
        w.zone_name_en = col(s, 1);
        w.holiday_shift = col(s, 2);
    }
    sqlite3_reset(s);
    s = prepare(sql_schedules);
    bind_text(s, 1, w.zone_id);
    while (sqlite3_step(s) == SQLITE_ROW) {
        waste_collection c;
        c.stream = col(s, 0);
        c.label_fr = col(s, 1);
        c.label_en = col(s, 2);
        c.weekday = sqlite3_column_int(s, 3);
        c.nth = sqlite3_column_int(s, 4);
        c.week_parity = sqlite3_column_int(s, 5);
        c.on_request = sqlite3_column_int(s, 6) != 0;
        c.notes_fr = col(s, 7);
        c.notes_en = col(s, 8);
        c.months = sqlite3_column_int(s, 9);
        w.collections.push_back(std::move(c));
    }
    sqlite3_reset(s);
    s = prepare(sql_exceptions);
    bind_text(s, 1, w.zone_id);
    while (sqlite3_step(s) == SQLITE_ROW)
        w.exceptions.push_back({col(s, 0), col(s, 1), col(s, 2), col(s, 3), col(s, 4)});
    sqlite3_reset(s);
    return w;
}

std::vector<alert> knowledge_base::active_alerts(std::int64_t now_unix, std::string_view intent,
                                                 std::string_view place_id) {
    sqlite3_stmt* s = prepare(sql_alerts);
    sqlite3_bind_int64(s, 1, now_unix);
    bind_text(s, 2, intent);
    bind_text(s, 3, place_id);
    std::vector<alert> out;
    while (sqlite3_step(s) == SQLITE_ROW)
        out.push_back({col(s, 0), col(s, 1), col(s, 2), col(s, 3), col(s, 4),
                       sqlite3_column_int64(s, 5), sqlite3_column_int64(s, 6)});
    sqlite3_reset(s);
    return out;
}

std::vector<gazetteer_entry> knowledge_base::gazetteer() {
    std::vector<gazetteer_entry> out;
    auto grouped = [&](const char* type, const char* sql) {
        sqlite3_stmt* s = prepare(sql);
        while (sqlite3_step(s) == SQLITE_ROW) {
            std::string id = col(s, 0), name = col(s, 1);
            if (out.empty() || out.back().type != type || out.back().id != id)
                out.push_back({type, id, {}});
            auto& names = out.back().names;
            if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
        }
        sqlite3_reset(s);
    };
    grouped("service", "SELECT place_id, name FROM place_names ORDER BY place_id, rowid");
    grouped("street", "SELECT street, street FROM waste_streets ORDER BY street");
    grouped("place_category", "SELECT category_id, name FROM category_names ORDER BY category_id, rowid");
    grouped("waste_stream", "SELECT stream_id, name FROM waste_stream_names ORDER BY stream_id, rowid");
    return out;
}

}  // namespace guichet::kb
