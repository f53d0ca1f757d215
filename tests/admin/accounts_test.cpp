// Staff accounts without a server: scrypt hashing (salted, constant-time check, the time a
// login costs), the staff table in a real SQLite file, sessions' lifetimes, login throttle.
#include "admin/accounts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "../support/sqlite_file.h"
#include "admin/sessions.h"

using namespace guichet;
namespace fs = std::filesystem;

namespace {
fs::path temp_dir() {
    char tmpl[] = "/tmp/guichet-admin-XXXXXX";
    return ::mkdtemp(tmpl);
}
}  // namespace

TEST(password, hashes_are_salted_and_checked) {
    auto a = admin::hash_password("correct horse battery");
    auto b = admin::hash_password("correct horse battery");
    EXPECT_NE(a, b);  // random salt
    EXPECT_EQ(a.rfind("scrypt$15$8$1$", 0), 0u) << a;
    EXPECT_TRUE(admin::verify_password("correct horse battery", a));
    EXPECT_TRUE(admin::verify_password("correct horse battery", b));
    EXPECT_FALSE(admin::verify_password("correct horse batterY", a));
    EXPECT_FALSE(admin::verify_password("", a));
    EXPECT_FALSE(admin::verify_password("correct horse battery", "scrypt$15$8$1$zz$00"));
    EXPECT_FALSE(admin::verify_password("correct horse battery", "plain"));
    // A hash with an absurd cost is refused rather than computed.
    EXPECT_FALSE(admin::verify_password("x", "scrypt$40$8$1$00$00"));
}

TEST(password, a_check_costs_tens_of_milliseconds) {
    auto h = admin::hash_password("correct horse battery");
    auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(admin::verify_password("correct horse battery", h));
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    std::printf("scrypt N=2^15 r=8 p=1 check: %.1f ms\n", ms);
    EXPECT_GT(ms, 5.0);  // memory-hard: far from a plain hash's microseconds
}

TEST(accounts, add_list_check_remove) {
    auto dir = temp_dir();
    {
        admin::accounts acc(dir / "var" / "staff.db");
        EXPECT_EQ(acc.add("alice", admin::role::admin, "correct horse battery"), "");
        EXPECT_NE(acc.add("alice", admin::role::editor, "correct horse battery"), "");  // exists
        EXPECT_NE(acc.add("bob", admin::role::editor, "short"), "");                    // weak
        EXPECT_NE(acc.add("bad name", admin::role::editor, "correct horse battery"), "");
        EXPECT_EQ(acc.add("bob", admin::role::agent, "another good one"), "");
        auto who = acc.check("bob", "another good one");
        ASSERT_TRUE(who);
        EXPECT_EQ(who->role, admin::role::agent);
        EXPECT_FALSE(acc.check("bob", "another good on"));
        EXPECT_FALSE(acc.check("nobody", "another good one"));
        EXPECT_NE(acc.remove("alice"), "");  // the last admin stays
        EXPECT_EQ(acc.remove("bob"), "");
    }
    admin::accounts again(dir / "var" / "staff.db");  // on disk
    auto list = again.list();
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].name, "alice");
    for (const char* f :
         {"staff.db", "staff.db-wal", "staff.db-shm"})  // the hashes are in all three
        if (fs::exists(dir / "var" / f))
            EXPECT_EQ(fs::status(dir / "var" / f).permissions() &
                          (fs::perms::others_read | fs::perms::group_read),
                      fs::perms::none)
                << f;
    fs::remove_all(dir);
}

// The name citizens see above an agent's replies: chosen, trimmed, checked, kept on disk; a
// staff.db made before it gets the column and its accounts show none.
TEST(accounts, the_name_shown_to_citizens) {
    auto dir = temp_dir();
    auto file = dir / "var" / "staff.db";
    fs::create_directories(file.parent_path());
    ASSERT_NO_FATAL_FAILURE(guichet::test::change_sqlite_file(  // the table before the shown name
        file,
        "CREATE TABLE staff (name TEXT PRIMARY KEY, role TEXT NOT NULL,"
        " password_hash TEXT NOT NULL, created INTEGER NOT NULL);"
        "INSERT INTO staff VALUES ('old', 'agent', 'x', 1)"));
    {
        admin::accounts acc(file);
        ASSERT_TRUE(acc.find("old"));
        EXPECT_EQ(acc.find("old")->shown_as, "");
        EXPECT_EQ(acc.add("marie", admin::role::agent, "correct horse battery"), "");
        EXPECT_EQ(acc.set_shown_as("marie", "  Marie-Hélène  "), "");
        EXPECT_EQ(acc.find("marie")->shown_as, "Marie-Hélène");
        EXPECT_EQ(acc.check("marie", "correct horse battery")->shown_as, "Marie-Hélène");
        // 40 characters (not bytes) at most; no control character; UTF-8 only.
        EXPECT_EQ(acc.set_shown_as("marie", std::string(20, 'e') + "éééééééééééééééééééé"), "");
        EXPECT_NE(acc.set_shown_as("marie", std::string(41, 'e')), "");
        EXPECT_NE(acc.set_shown_as("marie", "Marie\nDupont"), "");
        EXPECT_NE(acc.set_shown_as("marie", "Marie \xE9"), "");
        EXPECT_NE(acc.set_shown_as("nobody", "Marie"), "");
        EXPECT_EQ(acc.set_shown_as("marie", "Marie"), "");
        EXPECT_EQ(acc.set_shown_as("old", "Paul"), "");
        EXPECT_EQ(acc.set_shown_as("old", ""), "");  // none again
    }
    admin::accounts again(file);
    EXPECT_EQ(again.find("marie")->shown_as, "Marie");
    EXPECT_EQ(again.find("old")->shown_as, "");
    fs::remove_all(dir);
}

TEST(sessions, ids_are_random_and_end) {
    admin::session_table t(std::chrono::seconds(1), std::chrono::seconds(3));
    admin::account a{"alice", admin::role::admin, 0};
    auto s1 = t.open(a), s2 = t.open(a);
    EXPECT_EQ(s1.id.size(), 64u);
    EXPECT_NE(s1.id, s2.id);
    EXPECT_NE(s1.csrf, s1.id);
    ASSERT_TRUE(t.find(s1.id));
    t.close(s1.id);
    EXPECT_FALSE(t.find(s1.id));
    EXPECT_FALSE(t.find(""));
    std::this_thread::sleep_for(std::chrono::milliseconds(1300));
    EXPECT_FALSE(t.find(s2.id));  // idle too long
    auto s3 = t.open(a);
    for (int i = 0; i < 4; ++i) {  // kept alive by use, but not beyond the absolute lifetime
        std::this_thread::sleep_for(std::chrono::milliseconds(800));
        if (i < 3) EXPECT_TRUE(t.find(s3.id)) << i;
        else EXPECT_FALSE(t.find(s3.id));
    }
}

// A page that refreshes itself (the inbox, every 3 s) keeps no unattended console signed in.
TEST(sessions, a_refresh_does_not_keep_a_session_alive) {
    admin::session_table t(std::chrono::seconds(1), std::chrono::seconds(30));
    admin::account a{"agnes", admin::role::agent, 0};
    auto s = t.open(a);
    for (int i = 0; i < 2; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        if (i == 0)
            EXPECT_TRUE(t.find(s.id, true));
        else
            EXPECT_FALSE(t.find(s.id, true));  // 1.2 s without a request of its own
    }
}

TEST(sessions, failed_logins_lock_the_address_out) {
    admin::login_throttle th(5);
    for (int i = 0; i < 4; ++i) th.failed("10.0.0.1");
    EXPECT_EQ(th.wait_seconds("10.0.0.1"), 0);
    th.failed("10.0.0.1");
    auto wait = th.wait_seconds("10.0.0.1");
    EXPECT_GT(wait, 0);
    EXPECT_LE(wait, 60);
    EXPECT_EQ(th.wait_seconds("10.0.0.2"), 0);
}
