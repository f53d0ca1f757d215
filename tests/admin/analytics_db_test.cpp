// Durable analytics without a server: the writer commits what turns buffered, a new store
// reads it back (counts per day and week, questions and their groups, 👍/👎), dismissed
// questions stay forgotten, and a failed write keeps the changes for the next one.
#include "analytics/analytics_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

using namespace guichet;
namespace fs = std::filesystem;

namespace {
void record(analytics::store& s, const std::string& text, const std::string& intent, bool fallback,
            std::int64_t at = 1796205600) {
    message m;
    m.channel = "web";
    m.text = text;
    turn_result r;
    r.locale = "fr";
    r.intent = intent;
    r.confidence = fallback ? 0 : 0.9;
    r.fallback = fallback;
    s.record(m, r, at);  // 2026-12-02 by default
}

// A folder of its own for one test's analytics.db, removed at the end.
struct scratch_folder {
    fs::path dir;
    scratch_folder() {
        char tmpl[] = "/tmp/guichet-analytics-XXXXXX";
        dir = ::mkdtemp(tmpl);
    }
    ~scratch_folder() { fs::remove_all(dir); }
};
}  // namespace

TEST(analytics_db, what_was_counted_is_read_back) {
    scratch_folder scratch;
    auto file = scratch.dir / "analytics.db";
    auto first = std::make_shared<analytics::store>();
    {
        analytics::writer w(first, std::make_unique<analytics::database>(file), std::chrono::milliseconds(50));
        record(*first, "horaires de la piscine", "hours.open", false);
        record(*first, "où garer mon vélo", "", true);
        record(*first, "ou garer mon velo ?", "", true);
        record(*first, "une autre question bizarre", "", true);
        first->feedback("hours.open", "fr", true, 1796205600);
        first->feedback("hours.open", "fr", false, 1796205600);
        std::this_thread::sleep_for(std::chrono::milliseconds(200));  // flushed by the thread
        auto groups = first->unanswered();
        ASSERT_EQ(groups.size(), 2u);
        EXPECT_TRUE(first->dismiss(groups[1].id));
        record(*first, "horaires de la piscine", "hours.open", false);  // flushed at destruction
    }
    auto second = std::make_shared<analytics::store>();
    analytics::database(file).load_into(*second);
    auto days = second->counts(false);
    auto weeks = second->counts(true);
    ASSERT_EQ(days.size(), 2u);
    std::uint64_t hours = 0;
    for (auto& d : days)
        if (d.intent == "hours.open") hours = d.count;
    EXPECT_EQ(hours, 2u);
    EXPECT_EQ(weeks[0].period, "2026-W49");
    auto groups = second->unanswered();
    ASSERT_EQ(groups.size(), 1u);
    auto fb = second->feedback_counts();
    ASSERT_EQ(fb.size(), 1u);
    EXPECT_EQ(fb[0].useful, 1u);
    EXPECT_EQ(fb[0].not_useful, 1u);
    // New questions after a restart do not reuse old ids.
    record(*second, "encore une question inconnue", "", true);
    auto p = second->take_pending();
    ASSERT_EQ(p.questions.size(), 1u);
    EXPECT_GT(p.questions[0].seq, 3u);
}

TEST(analytics_db, a_failed_write_keeps_the_changes) {
    scratch_folder scratch;
    auto s = std::make_shared<analytics::store>();
    record(*s, "horaires de la piscine", "hours.open", false);
    auto p = s->take_pending();
    EXPECT_TRUE(s->take_pending().empty());
    s->requeue(std::move(p));
    analytics::database db(scratch.dir / "a.db");
    db.write(s->take_pending());
    auto back = std::make_shared<analytics::store>();
    db.load_into(*back);
    ASSERT_EQ(back->counts(false).size(), 1u);
    EXPECT_EQ(back->counts(false)[0].count, 1u);
    EXPECT_THROW(analytics::database("/proc/no/such/dir/a.db"), std::runtime_error);
}

// A question group says when it was last asked, and one marked "traité" stays hidden across a
// restart until it is asked again (then it comes back, with all its askings counted).
TEST(analytics_db, when_last_asked_and_done_are_kept) {
    scratch_folder scratch;
    auto file = scratch.dir / "analytics.db";
    auto first = std::make_shared<analytics::store>();
    {  // (flushed when the writer goes)
        analytics::writer w(first, std::make_unique<analytics::database>(file));
        record(*first, "où garer mon vélo", "", true, 1796205600);
        record(*first, "ou garer mon velo ?", "", true, 1796209200);
        record(*first, "une autre question bizarre", "", true, 1796205000);
        auto groups = first->unanswered();
        ASSERT_EQ(groups.size(), 2u);
        EXPECT_EQ(groups[0].last_asked, 1796209200);
        EXPECT_TRUE(first->mark_done(groups[0].id));
        EXPECT_FALSE(first->mark_done("q999"));
        ASSERT_EQ(first->unanswered().size(), 1u);
    }
    auto second = std::make_shared<analytics::store>();
    analytics::database(file).load_into(*second);
    auto groups = second->unanswered();
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].text, "une autre question bizarre");
    EXPECT_EQ(groups[0].last_asked, 1796205000);
    record(*second, "où garer mon vélo ?", "", true, 1796212800);
    groups = second->unanswered();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].count, 3u);
    EXPECT_EQ(groups[0].last_asked, 1796212800);
}

// A file written before the questions had their time and "traité" mark is read, its questions
// kept (asked at an unknown time), and written to from then on.
TEST(analytics_db, a_file_from_before_gets_the_new_columns) {
    scratch_folder scratch;
    auto file = scratch.dir / "analytics.db";
    {
        sqlite3* db = nullptr;
        ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(db,
                               "CREATE TABLE analytics_questions (seq INTEGER PRIMARY KEY, text TEXT NOT NULL,"
                               " locale TEXT NOT NULL, intent TEXT NOT NULL, confidence REAL NOT NULL);"
                               "INSERT INTO analytics_questions VALUES (7, 'où garer mon vélo', 'fr', '', 0);",
                               nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(db);
    }
    auto s = std::make_shared<analytics::store>();
    analytics::database db(file);
    db.load_into(*s);
    auto groups = s->unanswered();
    ASSERT_EQ(groups.size(), 1u);
    EXPECT_EQ(groups[0].last_asked, 0);
    EXPECT_TRUE(s->mark_done(groups[0].id));
    db.write(s->take_pending());
    auto back = std::make_shared<analytics::store>();
    db.load_into(*back);
    EXPECT_TRUE(back->unanswered().empty());
}
