// Read-only access to a compiled knowledge base (see builder.h and knowledge/README.md for the
// schema): nearest places, name look-ups, FAQ full-text search, waste collection per street,
// active alerts, the gazetteer for the entity extractor, and a guarded generic SELECT.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace guichet::kb {

// Thrown by open() (missing file, not a knowledge base, wrong schema version) and by queries
// given impossible arguments (e.g. latitude 200). Messages are for logs, in English.
class kb_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct place {
    std::string id, name_fr, name_en, category, address, postcode, city;
    double latitude = 0, longitude = 0;
    std::string phone, email, url, opening_hours, notes_fr, notes_en, department;
    double distance_m = 0;  // set by nearest_places() only: great-circle distance in metres
};

struct faq_hit {
    std::string id, topic, answer_fr, answer_en, source_url, reviewed, owner;
    std::string question;  // the best-matching question variant (or the first one in the
                           // requested language when only the answer matched)
    double score = 0;      // BM25 (FTS5 convention: lower, i.e. more negative, is better)
};

struct waste_collection {
    std::string stream, label_fr, label_en;
    int weekday = 0;      // 1 = Monday … 7 = Sunday; 0 when on request
    int nth = 0;          // 0 every week; 1…5 n-th weekday of the month; -1 last
    int week_parity = 0;  // 0 every week; 1 odd ISO weeks; 2 even ISO weeks
    int months = 0;       // bit 1 << m for each month m (1…12) it runs; 0 all year
    bool on_request = false;
    std::string notes_fr, notes_en;
};

struct waste_exception {
    std::string date, stream, moved_to, notes_fr, notes_en;  // empty stream: all streams;
                                                             // empty moved_to: cancelled
};

struct waste_info {
    std::string street, zone_id, zone_name_fr, zone_name_en;
    std::string holiday_shift;  // "next_day": a collection on a public holiday is the day after
    std::vector<waste_collection> collections;
    std::vector<waste_exception> exceptions;  // for this zone or all zones
};

struct alert {
    std::string id, message_fr, message_en, from_local, until_local;
    std::int64_t from_unix = 0, until_unix = 0;
};

struct gazetteer_entry {
    std::string type;  // "service" (a place), "street", "place_category", "waste_stream"
    std::string id;    // place id, street name, category id
    std::vector<std::string> names;  // names and synonyms, fr and en, as written by staff
};

using value = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
// Called once per row; return false to stop early. `columns` and `values` are valid only
// during the call.
using row_callback =
    std::function<bool(const std::vector<std::string>& columns, const std::vector<value>& values)>;

struct query_status {
    bool ok = false;
    std::string error;  // why the statement was refused or failed
    std::size_t rows = 0;
    // The statement calls no function whose result changes between runs (random(), the
    // clock…): on this immutable file, the same parameters give the same rows.
    bool deterministic = false;
    bool complete = false;  // every row was delivered (the callback never stopped it)
};

// One read-only connection with its cache of prepared statements.
// Thread safety: an instance must be used by one thread at a time (open one per thread, or
// keep a small pool; opening is cheap). Instances on the same file are independent. The file
// is opened immutable: rebuilding replaces it by rename, and an open instance keeps reading the
// old file until it is destroyed; open a new instance to see the new one.
class knowledge_base {
public:
    // Opens `path` read-only and checks meta.schema_version. Throws kb_error.
    static knowledge_base open(const std::string& path);

    knowledge_base(knowledge_base&&) noexcept;
    knowledge_base& operator=(knowledge_base&&) noexcept;
    ~knowledge_base();

    // A meta value ("schema_version", "built_at", "source_digest", "count_places"…) or "".
    std::string meta(std::string_view key);

    // Up to `limit` places (of `category`, or any when ""), nearest first, with distance_m.
    // Throws kb_error if lat/lon are not finite or out of range.
    std::vector<place> nearest_places(std::string_view category, double lat, double lon,
                                      std::size_t limit);
    // A place by name or synonym, fr or en, ignoring case, accents, punctuation and a leading
    // article ("la Médiathèque" = "mediatheque"); also matches the place id.
    std::optional<place> find_place(std::string_view name_or_synonym);
    std::vector<place> places_by_category(std::string_view category);

    // Full-text FAQ search in `lang` ("fr", "en"; "" = both), best first, at most `limit`.
    // Any user text is accepted (it is sanitised, never an FTS syntax error). If nothing
    // matches in `lang`, the other language is searched.
    std::vector<faq_hit> search_faq(std::string_view query, std::string_view lang,
                                    std::size_t limit);

    // Zone and schedules for a street: "victor hugo", "Rue Victor-Hugo", "r victor hugo" all find
    // "rue Victor Hugo". Exact name first, then without street type, then a unique containment.
    std::optional<waste_info> waste_for_street(std::string_view street);

    // Alerts active at `now_unix` (from <= now <= until) that apply to `intent` and `place_id`:
    // an alert with no intent target applies to every intent; with no place/category target, to
    // every place; with place or category targets, only when `place_id` is one of them (or of
    // such a category).
    std::vector<alert> active_alerts(std::int64_t now_unix, std::string_view intent,
                                     std::string_view place_id);

    // Every name the entity extractor should know: services (places), streets, categories.
    std::vector<gazetteer_entry> gazetteer();

    // Runs one read-only SELECT (or WITH … SELECT) with `params` bound to ?1, ?2…; anything
    // else (DELETE, ATTACH, PRAGMA, several statements) is refused. At most `max_rows` rows are
    // delivered and a statement running too long is interrupted. Never throws.
    query_status query(std::string_view sql, const std::vector<value>& params,
                       const row_callback& on_row, std::size_t max_rows = 10000);

private:
    struct stmt_cache;
    explicit knowledge_base(sqlite3* db);
    sqlite3_stmt* prepare(const char* sql);  // cached; reset before reuse; throws kb_error
    place read_place(sqlite3_stmt* s);

    sqlite3* db_ = nullptr;
    std::unique_ptr<stmt_cache> cache_;
    std::uint64_t progress_steps_ = 0;
    friend int kb_progress_handler(void*);
};

}  // namespace guichet::kb
