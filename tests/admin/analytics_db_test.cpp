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
void record(analytics::store& s, const std::string& text, const std::string& intent, bool fallback) {
    message m;
    m.channel = "web";
    m.text = text;
    turn_result r;
    r.locale = "fr";
    r.intent = intent;
    r.confidence = fallback ? 0 : 0.9;
    r.fallback = fallback;
    s.record(m, r, 1796205600);  // 2026-12-02
}
}  // namespace

TEST(analytics_db, what_was_counted_is_read_back) {
    char tmpl[] = "/tmp/guichet-analytics-XXXXXX";
    fs::path dir = ::mkdtemp(tmpl);
    auto file = dir / "analytics.db";
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
    fs::remove_all(dir);
}

TEST(analytics_db, a_failed_write_keeps_the_changes) {
    char tmpl[] = "/tmp/guichet-analytics-XXXXXX";
    fs::path dir = ::mkdtemp(tmpl);
    auto s = std::make_shared<analytics::store>();
    record(*s, "horaires de la piscine", "hours.open", false);
    auto p = s->take_pending();
    EXPECT_TRUE(s->take_pending().empty());
    s->requeue(std::move(p));
    analytics::database db(dir / "a.db");
    db.write(s->take_pending());
    auto back = std::make_shared<analytics::store>();
    db.load_into(*back);
    ASSERT_EQ(back->counts(false).size(), 1u);
    EXPECT_EQ(back->counts(false)[0].count, 1u);
    EXPECT_THROW(analytics::database("/proc/no/such/dir/a.db"), std::runtime_error);
    fs::remove_all(dir);
}
