// `guichet chat`, the real binary: trying the bot in the terminal leaves the site's state.db
// as it was (it wrote the staff's tries into the message log and the figures of what citizens
// asked), says so at start, and removes its throwaway store on leaving, by /quit or Ctrl-C.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "e2e/site_copy.h"
#include "support/run_command.h"

namespace fs = std::filesystem;
using namespace guichet::test;

namespace {

// How many messages the site's message log holds (-1: no store, or no such table).
long long messages_in(const fs::path& state) {
    if (!fs::exists(state)) return -1;
    sqlite3* db = nullptr;
    long long n = -1;
    if (sqlite3_open_v2(state.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT count(*) FROM messages", -1, &st, nullptr) ==
                SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return n;
}

bool empty_folder(const fs::path& d) { return fs::is_directory(d) && fs::is_empty(d); }

}  // namespace

TEST(chat, a_trial_leaves_the_site_conversations_as_they_were) {
    site_copy site;
    // A citizen's conversation first, through the real server: the site's state.db has it.
    {
        auto server = site.start();
        ASSERT_TRUE(server->started()) << server->stderr_text();
        http_client c(server->port());
        auto r = c.post_json("/api/v1/messages",
                             R"({"conversation":"c1","user":"u1","text":"Bonjour"})");
        ASSERT_EQ(r.status, 200) << r.body;
        EXPECT_EQ(server->stop(), 0) << server->stderr_text();
    }
    const auto state = site.dir / "var" / "state.db";
    const auto before = messages_in(state);
    ASSERT_GT(before, 0) << state;

    const auto tmp = site.dir / "tmp";
    fs::create_directories(tmp);
    auto r = run("printf 'horaires de la mairie\\noui\\n/quit\\n' | env TMPDIR=" + tmp.string() +
                 " " + GUICHET_BINARY_DIR "/guichet chat --site " + site.dir.string());
    EXPECT_EQ(r.status, 0) << r.out;
    // Said at start, in French and in English.
    EXPECT_NE(r.out.find("Conversation d'essai, effacée en quittant (rien dans state.db) / A trial "
                         "conversation, "
                         "removed on leaving (nothing in state.db)\n"),
              std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("Horaires de la mairie"), std::string::npos)
        << "the bot answered: " << r.out;
    EXPECT_EQ(messages_in(state), before) << r.out;
    EXPECT_TRUE(empty_folder(tmp)) << "the throwaway store is removed on leaving";
}

// Staff leave with Ctrl-C as often as with /quit: the throwaway store goes too.
TEST(chat, ctrl_c_removes_the_throwaway_store) {
    site_copy site;
    const auto tmp = site.dir / "tmp";
    fs::create_directories(tmp);
    int in[2], out[2];
    ASSERT_EQ(pipe(in), 0);
    ASSERT_EQ(pipe(out), 0);
    const std::string exe = GUICHET_BINARY_DIR "/guichet", dir = site.dir.string();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        ::close(in[1]);
        ::close(out[0]);
        setenv("TMPDIR", tmp.c_str(), 1);
        execl(exe.c_str(), exe.c_str(), "chat", "--site", dir.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    // Waits for the prompt: the store is open, the chat waits for the staff member's words.
    std::string said;
    char buf[4096];
    ssize_t n;
    while (said.find("> ") == std::string::npos && (n = read(out[0], buf, sizeof buf)) > 0)
        said.append(buf, n);
    ASSERT_NE(said.find("> "), std::string::npos) << said;
    EXPECT_FALSE(empty_folder(tmp)) << "the store is in a folder of TMPDIR while the chat runs";
    kill(pid, SIGINT);
    int st = 0;
    waitpid(pid, &st, 0);
    ::close(in[1]);
    ::close(out[0]);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 128 + SIGINT) << st;
    EXPECT_TRUE(empty_folder(tmp)) << "the throwaway store is removed on Ctrl-C";
    EXPECT_FALSE(fs::exists(site.dir / "var" / "state.db"));
}
