// Durable analytics without a server: the writer commits what turns buffered, a new store
// reads it back (counts per day and week, questions and their groups, 👍/👎, the answers
// judged unhelpful and the figures per FAQ entry), dismissed questions stay forgotten, and a
// failed write keeps the changes for the next one.
#include "analytics/analytics_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

using namespace guichet;
namespace fs = std::filesystem;

namespace {
void record(analytics::store& s, const std::string& text, const std::string& intent, bool fallback,
            std::int64_t at = 1796205600, const std::string& faq_entry = "", bool unsure = false) {
    message m;
    m.channel = "web";
    m.text = text;
    turn_result r;
    r.locale = "fr";
    r.intent = intent;
    r.confidence = fallback ? 0 : 0.9;
    r.fallback = fallback;
    r.source = faq_entry;
    r.unanswered = unsure;
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
        first->feedback({"hours.open", "fr", true, "", "", ""}, 1796205600);
        first->feedback({"hours.open", "fr", false, "", "", ""}, 1796205600);
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

// A 👎 keeps the citizen's question (personal data masked, as the unanswered questions) and the
// answer judged, with its intent and FAQ entry; the same answer to the same question in other
// words is one group, counted; "traité" hides it until it is voted down again, across a
// restart. Each FAQ entry counts how often it was the answer and its 👍/👎, most 👎 first.
TEST(analytics_db, answers_rated_unhelpful_and_faq_entries_are_kept) {
    scratch_folder scratch;
    auto file = scratch.dir / "analytics.db";
    const std::string answer = "Faites la pré-demande en ligne puis prenez rendez-vous.";
    auto first = std::make_shared<analytics::store>();
    {
        analytics::writer w(first, std::make_unique<analytics::database>(file));
        for (int i = 0; i < 3; ++i) record(*first, "passeport perdu", "faq.ask", false, 1796205600, "passeport_perdu");
        record(*first, "carte d'identité", "faq.ask", false, 1796205600, "carte_identite");
        // The suggestions of a question with no sure answer: no entry shown.
        record(*first, "carte", "faq.ask", false, 1796205600, "carte_identite", true);
        first->feedback({"faq.ask", "fr", false, "passeport_perdu",
                         "j'ai perdu mon passeport, appelez-moi au 06 12 34 56 78", answer},
                        1796205600);
        first->feedback({"faq.ask", "fr", false, "passeport_perdu", "J'ai perdu mon passeport, appelez-moi !", answer},
                        1796209200);
        first->feedback({"faq.ask", "fr", true, "passeport_perdu", "passeport perdu", answer}, 1796209200);
        first->feedback({"faq.ask", "fr", false, "carte_identite", "carte d'identité", "Autre réponse."},
                        1796205000);
        first->feedback({"contact.town_hall", "fr", false, "", "numéro de la mairie", "02 38 00 00 00"},
                        1796205000);
        auto groups = first->unhelpful();
        ASSERT_EQ(groups.size(), 3u);
        EXPECT_EQ(groups[0].count, 2u);
        EXPECT_EQ(groups[0].source, "passeport_perdu");
        EXPECT_EQ(groups[0].intent, "faq.ask");
        EXPECT_EQ(groups[0].answer, answer);
        EXPECT_EQ(groups[0].last_voted, 1796209200);
        const auto wordings = groups[0].question + " | " + (groups[0].examples.empty() ? "" : groups[0].examples[0]);
        EXPECT_NE(wordings.find("[phone]"), std::string::npos) << wordings;
        EXPECT_EQ(wordings.find("06 12"), std::string::npos) << wordings;
        EXPECT_EQ(groups[2].answer, "[phone]");  // the answer masked too
        EXPECT_TRUE(first->mark_unhelpful_done(groups[1].id));
        EXPECT_FALSE(first->mark_unhelpful_done("u999"));
        EXPECT_FALSE(first->mark_unhelpful_done("q1"));  // (the unanswered questions' ids are not these)
        ASSERT_EQ(first->unhelpful().size(), 2u);
    }
    auto second = std::make_shared<analytics::store>();
    analytics::database(file).load_into(*second);
    auto groups = second->unhelpful();
    ASSERT_EQ(groups.size(), 2u);
    EXPECT_EQ(groups[0].count, 2u);
    EXPECT_EQ(groups[0].answer, answer);
    auto entries = second->entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].entry, "passeport_perdu");
    EXPECT_EQ(entries[0].counts.shown, 3u);
    EXPECT_EQ(entries[0].counts.useful, 1u);
    EXPECT_EQ(entries[0].counts.not_useful, 2u);
    EXPECT_EQ(entries[1].entry, "carte_identite");
    EXPECT_EQ(entries[1].counts.shown, 1u);
    EXPECT_EQ(entries[1].counts.not_useful, 1u);
    EXPECT_EQ(second->feedback_counts().size(), 2u);  // per intent as before
    // Voted down again: the group marked done is back, with all its votes.
    second->feedback({"faq.ask", "fr", false, "carte_identite", "la carte d'identité", "Autre réponse."},
                     1796212800);
    groups = second->unhelpful();
    ASSERT_EQ(groups.size(), 3u);
    auto back = std::find_if(groups.begin(), groups.end(), [](auto& g) { return g.source == "carte_identite"; });
    ASSERT_NE(back, groups.end());
    EXPECT_EQ(back->count, 2u);
    EXPECT_EQ(back->last_voted, 1796212800);
    // The questions and the votes share one numbering: no id is given twice.
    auto p = second->take_pending();
    ASSERT_EQ(p.questions.size(), 1u);
    EXPECT_GT(p.questions[0].seq, 4u);
}
