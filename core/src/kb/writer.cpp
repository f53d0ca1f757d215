// Creating and filling the knowledge base file (see writer.h). The schema text here is the
// plugin contract: change it only together with schema_version and knowledge/README.md.
#include "kb/writer.h"

#include <sqlite3.h>

#include <memory>
#include <stdexcept>

#include "kb/text_fold.h"
#include "kb/values.h"

namespace guichet::kb {
namespace {

constexpr const char* schema_sql = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE report_categories(num INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
  name_fr TEXT NOT NULL, name_en TEXT NOT NULL, group_name TEXT NOT NULL,
  description_fr TEXT NOT NULL, description_en TEXT NOT NULL, keywords TEXT NOT NULL,
  keywords_fr TEXT NOT NULL, keywords_en TEXT NOT NULL, context_fr TEXT NOT NULL,
  context_en TEXT NOT NULL);
CREATE TABLE categories(id TEXT PRIMARY KEY, label_fr TEXT NOT NULL, label_en TEXT NOT NULL);
CREATE TABLE category_names(category_id TEXT NOT NULL, lang TEXT NOT NULL, name TEXT NOT NULL,
  name_key TEXT NOT NULL);
CREATE TABLE places(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, name_fr TEXT NOT NULL,
  name_en TEXT NOT NULL, category TEXT NOT NULL REFERENCES categories(id), address TEXT NOT NULL,
  postcode TEXT, city TEXT, latitude REAL NOT NULL, longitude REAL NOT NULL, phone TEXT,
  email TEXT, url TEXT, opening_hours TEXT, notes_fr TEXT, notes_en TEXT, department TEXT);
CREATE INDEX places_by_category ON places(category);
CREATE VIRTUAL TABLE places_rtree USING rtree(num, min_lat, max_lat, min_lon, max_lon);
CREATE TABLE place_names(place_id TEXT NOT NULL REFERENCES places(id), lang TEXT NOT NULL,
  kind TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL);
CREATE INDEX place_names_by_key ON place_names(name_key);
CREATE INDEX place_names_by_place ON place_names(place_id, lang, kind);
CREATE INDEX place_names_by_name ON place_names(name);
CREATE TABLE faq(num INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, topic TEXT NOT NULL,
  answer_fr TEXT NOT NULL, answer_en TEXT NOT NULL, source_url TEXT NOT NULL,
  reviewed TEXT NOT NULL, owner TEXT NOT NULL, report TEXT NOT NULL);
CREATE TABLE faq_questions(faq_id TEXT NOT NULL REFERENCES faq(id), lang TEXT NOT NULL,
  question TEXT NOT NULL);
CREATE INDEX faq_questions_by_faq ON faq_questions(faq_id, lang);
CREATE VIRTUAL TABLE faq_fts USING fts5(question, answer, lang UNINDEXED, faq_num UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE faq_vocab USING fts5vocab(faq_fts, 'row');
CREATE TABLE waste_streams(id TEXT PRIMARY KEY, label_fr TEXT NOT NULL, label_en TEXT NOT NULL);
CREATE TABLE waste_stream_names(stream_id TEXT NOT NULL REFERENCES waste_streams(id),
  lang TEXT NOT NULL, name TEXT NOT NULL, name_key TEXT NOT NULL);
CREATE TABLE waste_zones(id TEXT PRIMARY KEY, name_fr TEXT NOT NULL, name_en TEXT NOT NULL,
  holiday_shift TEXT NOT NULL);
CREATE TABLE waste_streets(street TEXT NOT NULL, street_key TEXT NOT NULL,
  street_core TEXT NOT NULL, zone_id TEXT NOT NULL REFERENCES waste_zones(id));
CREATE INDEX waste_streets_by_key ON waste_streets(street_key);
CREATE INDEX waste_streets_by_core ON waste_streets(street_core);
CREATE TABLE waste_schedules(zone_id TEXT NOT NULL REFERENCES waste_zones(id),
  stream TEXT NOT NULL REFERENCES waste_streams(id), weekday INTEGER NOT NULL,
  nth INTEGER NOT NULL, week_parity INTEGER NOT NULL, on_request INTEGER NOT NULL,
  notes_fr TEXT, notes_en TEXT, months INTEGER NOT NULL, register_days INTEGER NOT NULL);
CREATE INDEX waste_schedules_by_zone ON waste_schedules(zone_id);
CREATE TABLE waste_exceptions(date TEXT NOT NULL, stream TEXT, zone_id TEXT, moved_to TEXT,
  notes_fr TEXT, notes_en TEXT);
CREATE TABLE alerts(id TEXT PRIMARY KEY, message_fr TEXT NOT NULL, message_en TEXT NOT NULL,
  from_local TEXT NOT NULL, until_local TEXT NOT NULL, from_unix INTEGER NOT NULL,
  until_unix INTEGER NOT NULL);
CREATE TABLE alert_targets(alert_id TEXT NOT NULL REFERENCES alerts(id), kind TEXT NOT NULL,
  value TEXT NOT NULL);
CREATE INDEX alert_targets_by_alert ON alert_targets(alert_id);
CREATE TABLE school_holidays(first_day TEXT NOT NULL, last_day TEXT NOT NULL,
  name_fr TEXT NOT NULL, name_en TEXT NOT NULL);
)sql";

struct db_closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct stmt_closer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// Thin insert helper: binds texts (empty → NULL where allowed), numbers, and steps.
class inserter {
public:
    inserter(sqlite3* db, const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK)
            throw std::runtime_error(sqlite3_errmsg(db));
        stmt_.reset(s);
        db_ = db;
    }
    inserter& text(const std::string& v, bool null_if_empty = false) {
        ++i_;
        if (null_if_empty && v.empty()) sqlite3_bind_null(stmt_.get(), i_);
        else sqlite3_bind_text(stmt_.get(), i_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    inserter& opt(const std::string& v) { return text(v, true); }
    inserter& num(double v) {
        sqlite3_bind_double(stmt_.get(), ++i_, v);
        return *this;
    }
    inserter& integer(long long v) {
        sqlite3_bind_int64(stmt_.get(), ++i_, v);
        return *this;
    }
    void run() {
        if (sqlite3_step(stmt_.get()) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
        sqlite3_reset(stmt_.get());
        sqlite3_clear_bindings(stmt_.get());
        i_ = 0;
    }

private:
    std::unique_ptr<sqlite3_stmt, stmt_closer> stmt_;
    sqlite3* db_ = nullptr;
    int i_ = 0;
};

void exec(sqlite3* db, const char* sql) {
    char* msg = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &msg) != SQLITE_OK) {
        std::string m = msg ? msg : "unknown SQLite error";
        sqlite3_free(msg);
        throw std::runtime_error(m);
    }
}

// A vocabulary's entries (id, labels) and their labels and synonyms (id, lang, name, key).
void write_vocabulary(sqlite3* db, const std::vector<vocabulary_entry>& entries,
                      const char* insert_entry, const char* insert_name) {
    inserter entry(db, insert_entry);
    inserter name(db, insert_name);
    for (const auto& e : entries) {
        entry.text(e.id).text(e.label_fr).text(e.label_en).run();
        auto add = [&](const char* lang, const char* n) {
            name.text(e.id).text(lang).text(n).text(name_key(n)).run();
        };
        add("fr", e.label_fr);
        add("en", e.label_en);
        for (const char* n : e.synonyms_fr) add("fr", n);
        for (const char* n : e.synonyms_en) add("en", n);
    }
}

void write_vocabularies(sqlite3* db) {
    write_vocabulary(db, place_categories(), "INSERT INTO categories VALUES(?,?,?)",
                     "INSERT INTO category_names VALUES(?,?,?,?)");
    write_vocabulary(db, waste_streams(), "INSERT INTO waste_streams VALUES(?,?,?)",
                     "INSERT INTO waste_stream_names VALUES(?,?,?,?)");
}

void write_places(sqlite3* db, const knowledge_src& data) {
    inserter place(db,
                   "INSERT INTO places VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    inserter rtree(db, "INSERT INTO places_rtree VALUES(?,?,?,?,?)");
    inserter name(db, "INSERT INTO place_names VALUES(?,?,?,?,?)");
    long long num = 0;
    for (const auto& p : data.places) {
        ++num;
        place.integer(num).text(p.id).text(p.name_fr).text(p.name_en).text(p.category)
            .text(p.address).opt(p.postcode).opt(p.city).num(p.latitude).num(p.longitude)
            .opt(p.phone).opt(p.email).opt(p.url).opt(p.opening_hours).opt(p.notes_fr)
            .opt(p.notes_en).opt(p.department).run();
        rtree.integer(num).num(p.latitude).num(p.latitude).num(p.longitude).num(p.longitude).run();
        auto add = [&](const char* lang, const char* kind, const std::string& n) {
            name.text(p.id).text(lang).text(kind).text(n).text(name_key(n)).run();
        };
        add("fr", "name", p.name_fr);
        add("en", "name", p.name_en);
        for (const auto& s : p.synonyms_fr) add("fr", "synonym", s);
        for (const auto& s : p.synonyms_en) add("en", "synonym", s);
    }
}

void write_faq(sqlite3* db, const knowledge_src& data) {
    inserter faq(db, "INSERT INTO faq VALUES(?,?,?,?,?,?,?,?,?)");
    inserter question(db, "INSERT INTO faq_questions VALUES(?,?,?)");
    // One row per question variant (so that a short matching variant ranks high) and one per
    // answer, each tagged with its language and the faq.num it belongs to.
    inserter fts(db, "INSERT INTO faq_fts(question, answer, lang, faq_num) VALUES(?,?,?,?)");
    long long num = 0;
    for (const auto& f : data.faq) {
        ++num;
        faq.integer(num).text(f.id).text(f.topic).text(f.answer_fr).text(f.answer_en)
            .text(f.source_url).text(f.reviewed).text(f.owner).text(f.report).run();
        for (const auto& q : f.questions_fr) question.text(f.id).text("fr").text(q).run();
        for (const auto& q : f.questions_en) question.text(f.id).text("en").text(q).run();
        for (const auto& q : f.questions_fr) fts.text(q).text("").text("fr").integer(num).run();
        for (const auto& q : f.questions_en) fts.text(q).text("").text("en").integer(num).run();
        for (const auto& [answer, lang] : {std::pair{&f.answer_fr, "fr"}, std::pair{&f.answer_en, "en"}}) {
            std::string indexed = *answer;
            for (auto placeholder : {school_holidays_placeholder, seasonal_places_placeholder})
                if (auto at = indexed.find(placeholder); at != std::string::npos)
                    indexed.erase(at, placeholder.size());
            fts.text("").text(indexed).text(lang).integer(num).run();
        }
    }
}

// Report categories in display order; without a source, the one catch-all category.
void write_report_categories(sqlite3* db, const knowledge_src& data) {
    inserter cat(db, "INSERT INTO report_categories VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    long long num = 0;
    auto folded = [](const report_category_src& c) {
        std::string k;
        for (const auto* list : {&c.keywords_fr, &c.keywords_en})
            for (const auto& w : *list) {
                if (!k.empty()) k += '|';
                k += fold(w);
            }
        return k;
    };
    auto joined = [](const std::vector<std::string>& words) {
        std::string k;
        for (const auto& w : words) {
            if (!k.empty()) k += ", ";
            k += w;
        }
        return k;
    };
    for (const auto& c : data.report_categories)
        cat.integer(++num).text(c.code).text(c.name_fr).text(c.name_en).text(c.group)
            .text(c.description_fr).text(c.description_en).text(folded(c))
            .text(joined(c.keywords_fr)).text(joined(c.keywords_en))
            .text(joined(c.context_fr)).text(joined(c.context_en)).run();
    if (data.report_categories.empty())
        cat.integer(1).text("autre").text("Autre problème").text("Other problem")
            .text("espace public").text("").text("").text("").text("").text("").text("").text("")
            .run();
}

void write_waste_and_alerts(sqlite3* db, const knowledge_src& data) {
    inserter zone(db, "INSERT INTO waste_zones VALUES(?,?,?,?)");
    inserter sched(db, "INSERT INTO waste_schedules VALUES(?,?,?,?,?,?,?,?,?,?)");
    for (const auto& z : data.zones) {
        zone.text(z.id).text(z.name_fr).text(z.name_en).text(data.holiday_shift).run();
        for (const auto& s : z.schedules)
            sched.text(z.id)
                .text(s.stream)
                .integer(s.weekday)
                .integer(s.nth)
                .integer(s.week_parity)
                .integer(s.on_request ? 1 : 0)
                .opt(s.notes_fr)
                .opt(s.notes_en)
                .integer(s.months)
                .integer(s.register_days)
                .run();
    }
    inserter street(db, "INSERT INTO waste_streets VALUES(?,?,?,?)");
    for (const auto& s : data.streets)
        street.text(s.name).text(fold(s.name)).text(street_core(s.name)).text(s.zone_id).run();
    inserter ex(db, "INSERT INTO waste_exceptions VALUES(?,?,?,?,?,?)");
    for (const auto& x : data.waste_exceptions)
        ex.text(x.date).opt(x.stream).opt(x.zone_id).opt(x.moved_to).opt(x.notes_fr)
            .opt(x.notes_en).run();
    inserter alert(db, "INSERT INTO alerts VALUES(?,?,?,?,?,?,?)");
    inserter target(db, "INSERT INTO alert_targets VALUES(?,?,?)");
    for (const auto& a : data.alerts) {
        alert.text(a.id).text(a.message_fr).text(a.message_en).text(a.from_local)
            .text(a.until_local).integer(a.from_unix).integer(a.until_unix).run();
        for (const auto& i : a.intents) target.text(a.id).text("intent").text(i).run();
        for (const auto& p : a.places) target.text(a.id).text("place").text(p).run();
        for (const auto& c : a.categories) target.text(a.id).text("category").text(c).run();
    }
    inserter sh(db, "INSERT INTO school_holidays VALUES(?,?,?,?)");
    for (const auto& h : data.school_holidays)
        sh.text(h.first_day).text(h.last_day).text(h.name_fr).text(h.name_en).run();
}

}  // namespace

std::string write_database(const std::string& path, const knowledge_src& data,
                           const std::vector<std::pair<std::string, std::string>>& meta) {
    sqlite3* raw = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::unique_ptr<sqlite3, db_closer> db(raw);
    if (rc != SQLITE_OK) return raw ? sqlite3_errmsg(raw) : "cannot open";
    try {
        // The file is private until renamed into place: no journal needed.
        exec(db.get(), "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;");
        exec(db.get(), schema_sql);
        write_vocabularies(db.get());
        write_places(db.get(), data);
        write_faq(db.get(), data);
        write_waste_and_alerts(db.get(), data);
        write_report_categories(db.get(), data);
        inserter m(db.get(), "INSERT INTO meta VALUES(?,?)");
        m.text("schema_version").text(std::to_string(schema_version)).run();
        for (const auto& [k, v] : meta) m.text(k).text(v).run();
        exec(db.get(), "INSERT INTO faq_fts(faq_fts) VALUES('optimize'); COMMIT; ANALYZE;");
    } catch (const std::exception& e) {
        return e.what();
    }
    if (sqlite3_close_v2(db.release()) != SQLITE_OK) return "cannot close the database";
    return {};
}

}  // namespace guichet::kb
