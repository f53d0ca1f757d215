// Building the default commune: counts, meta, build time, atomic replacement while a reader
// holds the old file, the `guichet kb build` command, and check() writing nothing.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "kb/builder.h"
#include "kb/knowledge_base.h"
#include "kb_test_support.h"

using namespace guichet::kb;
namespace fs = std::filesystem;

namespace {

long long count_rows(knowledge_base& kb, const std::string& table) {
    long long n = -1;
    auto st = kb.query("SELECT count(*) FROM " + table, {},
                       [&](const auto&, const auto& v) { n = std::get<std::int64_t>(v[0]); return true; });
    EXPECT_TRUE(st.ok) << st.error;
    return n;
}

// The FAQ entries of the sample, counted from its files' text ("  - id:" lines), apart from
// the loader that the tests check.
long long faq_entries() {
    long long n = 0;
    for (const auto& f : fs::directory_iterator(fs::path(test::knowledge_dir()) / "faq")) {
        std::ifstream in(f.path());
        for (std::string line; std::getline(in, line);) n += line.rfind("  - id:", 0) == 0;
    }
    return n;
}

void copy_tree(const fs::path& from, const fs::path& to) {
    fs::copy(from, to, fs::copy_options::recursive);
}

}  // namespace

TEST(kb_build, sample_builds_under_one_second_with_expected_counts) {
    test::temp_dir dir;
    build_result r = build(test::knowledge_dir(), dir.file("kb.db"));
    for (const auto& d : r.errors) ADD_FAILURE() << d.str();
    std::cout << "[ build    ] sample knowledge base built in " << r.seconds * 1000 << " ms\n";
    EXPECT_LT(r.seconds, 1.0) << "build took " << r.seconds << " s";
    EXPECT_GE(r.counts.places, 30u);
    EXPECT_GT(faq_entries(), 150);
    EXPECT_EQ(static_cast<long long>(r.counts.faq), faq_entries());
    EXPECT_EQ(r.counts.waste_zones, 3u);
    EXPECT_EQ(r.counts.waste_streets, 41u);
    EXPECT_EQ(r.counts.alerts, 3u);
    EXPECT_EQ(r.digest.size(), 64u);

    knowledge_base kb = knowledge_base::open(dir.file("kb.db"));
    EXPECT_EQ(count_rows(kb, "places"), static_cast<long long>(r.counts.places));
    EXPECT_EQ(count_rows(kb, "places_rtree"), static_cast<long long>(r.counts.places));
    EXPECT_EQ(count_rows(kb, "faq"), faq_entries());
    EXPECT_EQ(count_rows(kb, "(SELECT DISTINCT faq_num FROM faq_fts)"), faq_entries());
    EXPECT_EQ(count_rows(kb, "waste_streets"), 41);
    EXPECT_EQ(count_rows(kb, "alerts"), 3);
    EXPECT_EQ(count_rows(kb, "school_holidays"), 2);
    EXPECT_EQ(count_rows(kb, "school_holidays WHERE first_day = '2026-12-19' AND last_day = '2027-01-03'"), 1);
    EXPECT_EQ(kb.meta("schema_version"), "7");
    // Context keywords kept apart from the keywords (report_categories.yaml's voirie).
    EXPECT_EQ(count_rows(kb, "report_categories WHERE code = 'voirie' AND context_fr LIKE '%route%' "
                             "AND keywords_fr NOT LIKE '%route%' AND context_en LIKE '%road%'"), 1);
    // An FAQ answer that asks for a report keeps its category (faq/vie_pratique.yaml).
    EXPECT_EQ(count_rows(kb, "faq WHERE id = 'deneigement' AND report = 'voirie'"), 1);
    EXPECT_EQ(count_rows(kb, "faq WHERE id = 'passeport_perdu' AND report = ''"), 1);
    EXPECT_EQ(kb.meta("source_digest"), r.digest);
    EXPECT_EQ(kb.meta("count_faq"), std::to_string(faq_entries()));
    EXPECT_EQ(kb.meta("built_at").size(), 20u);  // 2026-11-28T16:00:00Z
    EXPECT_EQ(kb.meta("no_such_key"), "");
}

TEST(kb_build, every_faq_and_place_has_both_languages) {
    knowledge_base kb = knowledge_base::open(test::sample_db());
    EXPECT_EQ(count_rows(kb, "faq WHERE answer_fr = '' OR answer_en = ''"), 0);
    EXPECT_EQ(count_rows(kb, "(SELECT DISTINCT faq_id FROM faq_questions WHERE lang = 'fr')"), faq_entries());
    EXPECT_EQ(count_rows(kb, "(SELECT DISTINCT faq_id FROM faq_questions WHERE lang = 'en')"), faq_entries());
    EXPECT_EQ(count_rows(kb, "places WHERE name_fr = '' OR name_en = ''"), 0);
    EXPECT_EQ(count_rows(kb, "places WHERE id = 'accueil_mairie'"), 1);
}

TEST(kb_build, rebuild_replaces_file_atomically_while_reader_keeps_old_one) {
    test::temp_dir dir;
    fs::path site = dir.path() / "knowledge";
    copy_tree(test::knowledge_dir(), site);
    std::string db = dir.file("kb.db");
    ASSERT_TRUE(build(site.string(), db).ok());
    knowledge_base old_reader = knowledge_base::open(db);
    std::string old_digest = old_reader.meta("source_digest");
    ASSERT_TRUE(old_reader.find_place("médiathèque"));

    // Staff rename the media library and rebuild.
    std::string places = (site / "places.yaml").string();
    std::ifstream in(places);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    auto at = text.find("Médiathèque Colette");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, std::string("Médiathèque Colette").size(), "Médiathèque George Sand");
    std::ofstream(places) << text;
    build_result r = build(site.string(), db);
    ASSERT_TRUE(r.ok());

    // The reader opened before keeps a consistent view of the old file…
    EXPECT_EQ(old_reader.meta("source_digest"), old_digest);
    EXPECT_EQ(old_reader.find_place("mediatheque")->name_fr, "Médiathèque Colette");
    EXPECT_EQ(old_reader.search_faq("carte d'identité", "fr", 3).size(), 3u);
    // …and a new one sees the new file.
    knowledge_base fresh = knowledge_base::open(db);
    EXPECT_NE(fresh.meta("source_digest"), old_digest);
    EXPECT_EQ(fresh.find_place("mediatheque")->name_fr, "Médiathèque George Sand");
    // Readable by an engine running as another user.
    EXPECT_NE(fs::status(db).permissions() & fs::perms::others_read, fs::perms::none);
    // No temporary file is left behind.
    for (const auto& e : fs::directory_iterator(dir.path()))
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

TEST(kb_build, failed_build_keeps_the_previous_file) {
    test::temp_dir dir;
    std::string db = dir.file("kb.db");
    ASSERT_TRUE(build(test::knowledge_dir(), db).ok());
    auto before = fs::last_write_time(db);
    build_result r = build(std::string(GUICHET_KB_FIXTURES) + "/duplicate_id", db);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(fs::last_write_time(db), before);
    EXPECT_EQ(knowledge_base::open(db).meta("count_faq"), std::to_string(faq_entries()));
}

TEST(kb_build, check_validates_without_writing) {
    test::temp_dir dir;
    build_result ok = check(test::knowledge_dir());
    EXPECT_TRUE(ok.ok());
    EXPECT_EQ(static_cast<long long>(ok.counts.faq), faq_entries());
    build_result bad = check(std::string(GUICHET_KB_FIXTURES) + "/bad_url");
    EXPECT_EQ(bad.errors.size(), 1u);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST(kb_build, missing_folder_is_a_diagnostic) {
    build_result r = check("/nonexistent/knowledge", {.validate_opening_hours = {}, .time_zone = "Europe/Paris", .lang = "en"});
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].str(), "/nonexistent/knowledge: knowledge folder not found");
}

TEST(kb_command, builds_into_site_var_and_prints_counts) {
    test::temp_dir dir;
    copy_tree(test::knowledge_dir(), dir.path() / "knowledge");
    std::ostringstream out, err;
    build_options en;
    en.lang = "en";
    int rc = run_kb_command({"build", "--site", dir.path().string()}, out, err, en);
    EXPECT_EQ(rc, 0) << err.str();
    EXPECT_TRUE(fs::exists(dir.path() / "var" / "knowledge.db"));
    EXPECT_NE(out.str().find(std::to_string(faq_entries()) + " FAQ"), std::string::npos) << out.str();
    EXPECT_NE(out.str().find("41 streets"), std::string::npos) << out.str();
}

TEST(kb_command, errors_exit_1_with_diagnostics_and_usage_exit_2) {
    test::temp_dir dir;
    copy_tree(std::string(GUICHET_KB_FIXTURES) + "/latitude_range", dir.path() / "knowledge");
    std::ostringstream out, err;
    build_options en;
    en.lang = "en";
    std::string db = dir.file("out.db");
    EXPECT_EQ(run_kb_command({"build", "--site", dir.path().string(), "--out", db}, out, err, en), 1);
    EXPECT_NE(err.str().find("places.yaml:6:15: 'latitude' out of range"), std::string::npos) << err.str();
    EXPECT_FALSE(fs::exists(db));
    std::ostringstream out2, err2;
    EXPECT_EQ(run_kb_command({"frobnicate"}, out2, err2, en), 2);
    EXPECT_NE(err2.str().find("usage"), std::string::npos);
}

TEST(kb_open, refuses_missing_and_foreign_files) {
    test::temp_dir dir;
    EXPECT_THROW(knowledge_base::open(dir.file("nope.db")), kb_error);
    std::string other = dir.file("other.db");
    sqlite3* db = nullptr;
    sqlite3_open(other.c_str(), &db);
    sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    EXPECT_THROW(knowledge_base::open(other), kb_error);
}
