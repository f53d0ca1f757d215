// The SQLite store on a real file: ticket numbers per year, reports and their status,
// the handoff queue, erasure (anonymous counts stay), export, the retention purge, reopening
// after close, and personal data masking.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "../support/sqlite_file.h"
#include "dialogue/durable.h"
#include "dialogue/engine.h"
#include "store/pii.h"
#include "store/sqlite_writer.h"
#include "store/store.h"

namespace fs = std::filesystem;
using namespace guichet::store;

namespace {

constexpr std::int64_t dec_2026 = 1796200000;  // 2026-12-02
constexpr std::int64_t jan_2027 = 1798900000;  // 2027-01-02

struct temp_file {
    fs::path path = fs::temp_directory_path() /
                    ("guichet_store_" + std::to_string(getpid()) + "_" +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
    temp_file() { fs::remove(path); }
    ~temp_file() {
        for (auto s : {"", "-wal", "-shm"}) fs::remove(path.string() + s);
    }
};

report_record pothole(std::int64_t at, const std::string& conv = "c1") {
    report_record r;
    r.service_code = "voirie";
    r.description = "nid de poule";
    r.address = "12 rue Victor Hugo";
    r.requested = at;
    r.email = "jean@example.org";
    r.who = {"web", conv, "u-" + conv};
    return r;
}

// write_turn, waited for.
void write_and_wait(store& s, turn_writes w) {
    std::promise<std::exception_ptr> done;
    s.write_turn(std::move(w), [&](std::exception_ptr e) { done.set_value(e); });
    if (auto e = done.get_future().get()) std::rethrow_exception(e);
}

turn_writes state_turn(const std::string& conv, const std::string& json, std::int64_t now) {
    turn_writes w;
    w.save_state = true;
    w.state_key = "web\x1f" + conv;
    w.who = {"web", conv, "u-" + conv};
    w.state_json = json;
    w.now = now;
    w.messages.push_back({0, w.who, "in", std::string(600, 'x'), now});
    return w;
}

}  // namespace

TEST(store, tickets_count_per_year_and_survive_reopening) {
    temp_file f;
    {
        auto s = open_sqlite(f.path);
        EXPECT_EQ(s->create_report(pothole(dec_2026)).ticket, "2026-0001");
        EXPECT_EQ(s->create_report(pothole(dec_2026)).ticket, "2026-0002");
        EXPECT_EQ(s->create_report(pothole(jan_2027)).ticket, "2027-0001");
    }
    auto s = open_sqlite(f.path);
    EXPECT_EQ(s->create_report(pothole(dec_2026)).ticket, "2026-0003");
    auto r = s->get_report("2026-0002");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->address, "12 rue Victor Hugo");
    EXPECT_FALSE(s->get_report("2026-0999"));
}

TEST(store, status_changes_and_filters) {
    temp_file f;
    auto s = open_sqlite(f.path);
    s->create_report(pothole(dec_2026));
    auto r = s->update_report("2026-0001", "closed", "rebouché", dec_2026 + 60);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, "closed");
    EXPECT_EQ(r->updated, dec_2026 + 60);
    EXPECT_FALSE(s->update_report("2026-0404", "closed", "", dec_2026));
    report_filter open;
    open.status = "open";
    EXPECT_TRUE(s->list_reports(open).empty());
    report_filter closed;
    closed.status = "closed";
    EXPECT_EQ(s->list_reports(closed).size(), 1u);
}

TEST(store, handoff_queue_share_the_ticket_counter) {
    temp_file f;
    auto s = open_sqlite(f.path);
    s->create_report(pothole(dec_2026));
    handoff_record h;
    h.kind = "queue";
    h.who = {"web", "c9", "u9"};
    h.created = dec_2026;
    EXPECT_EQ(s->create_handoff(h).ticket, "2026-0002");
    ASSERT_TRUE(s->open_handoff("web", "c9"));
    EXPECT_EQ(s->list_handoffs().size(), 1u);
    EXPECT_TRUE(s->set_handoff_state("2026-0002", "closed", "agnes", dec_2026 + 5));
    EXPECT_FALSE(s->open_handoff("web", "c9"));
    EXPECT_TRUE(s->list_handoffs().empty());
}

// Closed with an agent, a handoff says who ended it; closed by the bot or the citizen, nobody.
// The ended ones are listed the latest first.
TEST(store, a_closed_handoff_says_who_ended_it) {
    temp_file f;
    auto s = open_sqlite(f.path);
    handoff_record h;
    h.kind = "queue";
    h.who = {"web", "c9", "u9"};
    h.created = dec_2026;
    auto first = s->create_handoff(h).ticket, second = s->create_handoff(h).ticket;
    ASSERT_TRUE(s->set_handoff_state(first, "active", "agnes", dec_2026 + 1));
    ASSERT_TRUE(s->set_handoff_state(first, "closed", "bruno", dec_2026 + 9));
    ASSERT_TRUE(s->set_handoff_state(second, "closed", "", dec_2026 + 5));
    auto ended = s->list_handoffs("closed");
    ASSERT_EQ(ended.size(), 2u);
    EXPECT_EQ(ended[0].ticket, first);  // ended last
    EXPECT_EQ(ended[0].closed_by, "bruno");
    EXPECT_EQ(ended[0].updated, dec_2026 + 9);
    EXPECT_EQ(ended[1].closed_by, "");
}

// A store written before handoffs said who ended them opens, its handoffs kept.
TEST(store, a_store_from_before_closed_by_opens) {
    temp_file f;
    ASSERT_NO_FATAL_FAILURE(guichet::test::change_sqlite_file(
        f.path,
        "CREATE TABLE handoffs(ticket TEXT PRIMARY KEY, kind TEXT NOT NULL, "
        "state TEXT NOT NULL, contact TEXT NOT NULL, note TEXT NOT NULL, agent "
        "TEXT NOT NULL, channel TEXT NOT NULL, conversation_id TEXT NOT NULL, "
        "user_id TEXT NOT NULL, locale TEXT NOT NULL, created INTEGER NOT NULL, "
        "updated INTEGER NOT NULL);"
        "INSERT INTO handoffs VALUES('2026-0001', 'queue', 'closed', '', '', "
        "'agnes', 'web', 'c1', 'u1', 'fr', 1796200000, 1796200100);"));
    auto s = open_sqlite(f.path);
    auto h = s->get_handoff("2026-0001");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->agent, "agnes");
    EXPECT_EQ(h->closed_by, "");
}

// A store written before an agent's message kept the name they showed opens, its messages
// kept with none; a new agent's message keeps its name, read back after reopening.
TEST(store, an_agents_message_keeps_the_name_shown_and_an_older_log_opens) {
    temp_file f;
    ASSERT_NO_FATAL_FAILURE(guichet::test::change_sqlite_file(
        f.path,
        "CREATE TABLE messages(id INTEGER PRIMARY KEY, channel TEXT NOT NULL, "
        "conversation_id TEXT NOT NULL, user_id TEXT NOT NULL, direction TEXT "
        "NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL);"
        "INSERT INTO messages VALUES(1, 'web', 'c1', 'u1', 'agent', 'Bonjour', 1796200000);"));
    {
        auto s = open_sqlite(f.path);
        s->log_message({0, {"web", "c1", "u1"}, "agent", "Je regarde.", 1796200100, "Marie"});
    }
    auto s = open_sqlite(f.path);
    auto t = s->transcript("web", "c1");
    ASSERT_EQ(t.size(), 2u);
    EXPECT_EQ(t[0].text, "Bonjour");
    EXPECT_EQ(t[0].author, "");
    EXPECT_EQ(t[1].author, "Marie");
}

// The one read of a turn: the state and the open handoff, each present or not, and a
// closed handoff no longer counts.
TEST(store, a_turn_reads_state_and_open_handoff_at_once) {
    temp_file f;
    auto s = open_sqlite(f.path);
    const std::string key = "web\x1f" "c7";
    auto none = s->load_turn(key, "web", "c7");
    EXPECT_FALSE(none.state);
    EXPECT_FALSE(none.handoff);

    s->save_state(key, {"web", "c7", "u7"}, R"({"memory":{"a":"1"}})", dec_2026);
    auto state_only = s->load_turn(key, "web", "c7");
    ASSERT_TRUE(state_only.state);
    EXPECT_EQ(*state_only.state, R"({"memory":{"a":"1"}})");
    EXPECT_FALSE(state_only.handoff);

    handoff_record h;
    h.kind = "queue";
    h.who = {"web", "c7", "u7"};
    h.created = dec_2026;
    auto ticket = s->create_handoff(h).ticket;
    auto both = s->load_turn(key, "web", "c7");
    ASSERT_TRUE(both.state);
    ASSERT_TRUE(both.handoff);
    EXPECT_EQ(both.handoff->ticket, ticket);
    EXPECT_EQ(both.handoff->state, "waiting");
    EXPECT_FALSE(s->load_turn("web\x1f" "c8", "web", "c8").handoff);  // another conversation

    EXPECT_TRUE(s->set_handoff_state(ticket, "closed", "agnes", dec_2026 + 5));
    auto closed = s->load_turn(key, "web", "c7");
    EXPECT_TRUE(closed.state);
    EXPECT_FALSE(closed.handoff);
}

// The turn's reads come from memory for a conversation seen lately: what they return must be
// what is on disk, after the turn's own writes and after changes made outside turns.
TEST(store, turn_reads_kept_in_memory_follow_every_change) {
    temp_file f;
    auto s = open_sqlite(f.path);
    const std::string key = "web\x1f" "c7";
    EXPECT_FALSE(s->load_turn(key, "web", "c7").state);  // now kept: no state, no handoff
    write_and_wait(*s, state_turn("c7", R"({"n":1})", dec_2026));
    EXPECT_EQ(s->load_turn(key, "web", "c7").state.value_or(""), R"({"n":1})");
    write_and_wait(*s, state_turn("c7", R"({"n":2})", dec_2026 + 1));
    EXPECT_EQ(s->load_turn(key, "web", "c7").state.value_or(""), R"({"n":2})");
    EXPECT_EQ(s->load_state(key).value_or(""), R"({"n":2})");  // on disk too

    handoff_record h;  // an agent's queue, opened outside the turn
    h.kind = "queue";
    h.who = {"web", "c7", "u-c7"};
    h.created = dec_2026;
    auto ticket = s->create_handoff(h).ticket;
    EXPECT_TRUE(s->load_turn(key, "web", "c7").handoff);
    EXPECT_TRUE(s->set_handoff_state(ticket, "closed", "agnes", dec_2026 + 5));
    EXPECT_FALSE(s->load_turn(key, "web", "c7").handoff);

    s->forget_state(key);
    EXPECT_FALSE(s->load_turn(key, "web", "c7").state);
    write_and_wait(*s, state_turn("c7", R"({"n":3})", dec_2026 + 2));
    EXPECT_TRUE(s->load_turn(key, "web", "c7").state);
    s->erase_citizen({"web", "c7", "u-c7"});
    EXPECT_FALSE(s->load_turn(key, "web", "c7").state);

    // Another process opening the file sees the same (the memory is only a shortcut).
    write_and_wait(*s, state_turn("c7", R"({"n":4})", dec_2026 + 3));
    s.reset();
    EXPECT_EQ(open_sqlite(f.path)->load_turn(key, "web", "c7").state.value_or(""), R"({"n":4})");
}

// Checkpoints run beside the turns' commits: the write-ahead log is copied into the file
// while the store serves, not only when it closes.
TEST(store, the_log_is_checkpointed_while_serving) {
    temp_file f;
    auto s = open_sqlite(f.path);
    auto initial = fs::file_size(f.path);
    for (int i = 0; i < 3000; ++i)
        write_and_wait(*s, state_turn("c" + std::to_string(i % 50), R"({"i":)" + std::to_string(i) + "}",
                                      dec_2026 + i));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (fs::file_size(f.path) < initial + 1'000'000 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_GE(fs::file_size(f.path), initial + 1'000'000) << "nothing checkpointed into the file";
    // (How large the log grows meanwhile depends on how much CPU the checkpointer gets: on a
    // quiet machine ~17 MB here, ~68 MB when it is never restarted; not asserted.)
    EXPECT_EQ(s->transcript("web", "c7").size(), 60u);
}

// The turns of a batch share one transaction; a turn that fails fails alone: its writes are
// undone, the others' are kept, and only its caller hears the error.
TEST(store_writer, a_failing_turn_fails_alone_and_the_others_commit) {
    temp_file f;
    connection db;
    db.open(f.path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    ASSERT_EQ(sqlite3_exec(db.get(), "CREATE TABLE t(v TEXT NOT NULL)", nullptr, nullptr, nullptr),
              SQLITE_OK);
    std::mutex db_mutex;
    std::vector<std::promise<std::exception_ptr>> done(10);
    std::vector<std::string> committed;
    {
        auto apply = [&](const turn_writes& w) {
            stmt(db, "INSERT INTO t(v) VALUES(?1)").bind(1, w.state_key).run();
            if (w.state_key == "bad") throw std::runtime_error("bad turn");
        };
        auto kept = [&](const turn_writes& w) { committed.push_back(w.state_key); };
        // Held while submitting: the writer takes at most one batch before all are queued, so
        // "bad" (fifth of ten) shares its batch with others.
        std::unique_lock hold(db_mutex);
        group_writer writer(db, db_mutex, apply, kept);
        for (int i = 0; i < 10; ++i) {
            turn_writes w;
            w.state_key = i == 4 ? "bad" : "t" + std::to_string(i);
            group_writer::done_fn d = [&done, i](std::exception_ptr e) { done[i].set_value(e); };
            ASSERT_TRUE(writer.submit(w, d));
        }
        hold.unlock();
        for (int i = 0; i < 10; ++i) EXPECT_EQ(done[i].get_future().get() != nullptr, i == 4) << i;
    }  // the writer stops
    std::vector<std::string> rows;
    stmt s(db, "SELECT v FROM t ORDER BY rowid");
    while (s.step()) rows.push_back(s.text(0));
    const std::vector<std::string> good{"t0", "t1", "t2", "t3", "t5", "t6", "t7", "t8", "t9"};
    EXPECT_EQ(rows, good);
    EXPECT_EQ(committed, good);
}

// Every counted turn is counted once, from any thread, whatever the batches were.
TEST(store, counts_of_concurrent_turns_add_up) {
    temp_file f;
    auto s = open_sqlite(f.path);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 100; ++i) {
                auto w = state_turn("c" + std::to_string(t), "{}", dec_2026 + i);
                w.counts = {{"2026-12-02", "intent:hours"}, {"2026-12-02", t % 2 ? "lang:fr" : "lang:en"}};
                if (i % 10 == 0) w.counts.push_back({"2026-12-03", "intent:hours"});
                write_and_wait(*s, std::move(w));
            }
        });
    for (auto& th : threads) th.join();
    auto c = s->counts();
    EXPECT_EQ(c["intent:hours"], 440);
    EXPECT_EQ(c["lang:fr"], 200);
    EXPECT_EQ(c["lang:en"], 200);
}

TEST(store, erasure_removes_personal_data_but_keeps_counts) {
    temp_file f;
    auto s = open_sqlite(f.path);
    s->save_state("web\x1f" "c1", {"web", "c1", "u-c1"}, R"({"memory":{}})", dec_2026);
    s->log_message({0, {"web", "c1", "u-c1"}, "in", "bonjour", dec_2026});
    s->log_message({0, {"web", "c2", "u-c2"}, "in", "autre usager", dec_2026});
    s->create_report(pothole(dec_2026));
    s->count("2026-12-02", "intent:report.create");
    EXPECT_FALSE(s->export_citizen({"web", "c1", "u-c1"}).empty());
    EXPECT_GT(s->erase_citizen({"web", "c1", "u-c1"}), 0);
    EXPECT_FALSE(s->load_state("web\x1f" "c1"));
    EXPECT_TRUE(s->transcript("web", "c1").empty());
    EXPECT_EQ(s->transcript("web", "c2").size(), 1u);  // someone else's stays
    auto r = s->get_report("2026-0001");
    ASSERT_TRUE(r);  // the pothole is still to be fixed…
    EXPECT_EQ(r->email, "");  // …but nobody's address is kept
    EXPECT_TRUE(s->export_citizen({"web", "c1", "u-c1"}).empty());
    EXPECT_EQ(s->counts("intent:").at("intent:report.create"), 1);
}

TEST(store, purge_follows_the_retention_of_each_kind) {
    temp_file f;
    auto s = open_sqlite(f.path);
    s->log_message({0, {"web", "old", "u"}, "in", "vieux", dec_2026});
    s->log_message({0, {"web", "new", "u"}, "in", "récent", dec_2026 + 80 * 86400});
    // Logged after a recent one with an older time (a clock set back): kept while the recent
    // one is, never a reason to delete the recent one.
    s->log_message({0, {"web", "late", "u"}, "in", "en retard", dec_2026});
    s->create_report(pothole(dec_2026));
    s->update_report("2026-0001", "closed", "", dec_2026);
    retention r;  // 90 days of messages, a year of closed reports
    EXPECT_EQ(s->purge(dec_2026 + 100 * 86400, r), 1);
    EXPECT_TRUE(s->transcript("web", "old").empty());
    EXPECT_EQ(s->transcript("web", "new").size(), 1u);
    EXPECT_EQ(s->transcript("web", "late").size(), 1u);
    EXPECT_TRUE(s->get_report("2026-0001"));
    EXPECT_EQ(s->purge(dec_2026 + 400 * 86400, r), 3);  // both messages and the closed report
    EXPECT_TRUE(s->transcript("web", "late").empty());
    EXPECT_FALSE(s->get_report("2026-0001"));
}

TEST(pii, masks_email_phone_nir_and_iban) {
    EXPECT_EQ(mask_pii("écrivez à jean.dupont@example.org svp"), "écrivez à [email] svp");
    EXPECT_EQ(mask_pii("mon numéro 06 12 34 56 78"), "mon numéro [phone]");
    EXPECT_EQ(mask_pii("tel +33 6 12 34 56 78"), "tel [phone]");
    EXPECT_EQ(mask_pii("NIR 1 85 05 78 006 084 36"), "NIR [nir]");
    EXPECT_EQ(mask_pii("IBAN FR76 3000 6000 0112 3456 7890 189"), "IBAN [iban]");
    EXPECT_EQ(mask_pii("nid de poule au 12 rue Victor Hugo, 45960"),
              "nid de poule au 12 rue Victor Hugo, 45960");
}

// The conversation state written at every turn: what is at its default is left out, and
// everything comes back.
TEST(store, conversation_state_round_trip) {
    guichet::conversation_state s;
    s.last_seen = dec_2026;
    EXPECT_EQ(guichet::state_to_json(s), R"({"last_seen":)" + std::to_string(dec_2026) + "}");
    s.memory = {{"last.service", "mairie"}, {"plugin.x", "é\"\n"}};
    s.pending_intent = "report.create";
    s.pending_slot = "where";
    s.pending_text = "nid de poule";
    s.pending_slots = {{"what", "voirie"}};
    s.failures = 2;
    s.locale = "en";
    auto back = guichet::state_from_json(guichet::state_to_json(s));
    EXPECT_EQ(back.memory, s.memory);
    EXPECT_EQ(back.pending_intent, s.pending_intent);
    EXPECT_EQ(back.pending_slot, s.pending_slot);
    EXPECT_EQ(back.pending_text, s.pending_text);
    EXPECT_EQ(back.pending_slots, s.pending_slots);
    EXPECT_EQ(back.failures, 2);
    EXPECT_EQ(back.locale, "en");
    EXPECT_EQ(back.last_seen, dec_2026);
    // A state written by an earlier version, every field present, reads the same.
    auto old = guichet::state_from_json(
        R"({"memory":{},"pending_intent":"","pending_slot":"","pending_text":"","pending_slots":{},"failures":0,"last_seen":5})");
    EXPECT_TRUE(old.memory.empty() && old.pending_intent.empty() && old.pending_slots.empty());
    EXPECT_EQ(old.last_seen, 5);
}
