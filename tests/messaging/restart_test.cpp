// Durability with the real executable: `guichet serve` accepts Matrix messages while the
// homeserver is failing, is killed with SIGKILL, and once restarted delivers every stored
// reply, in order, once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <cstdio>
#include <regex>

#include "fake_platform.h"
#include "harness.h"

namespace json = boost::json;
using boost::beast::http::verb;
using namespace guichet::test;

namespace {

struct server_process {
    pid_t pid = -1;
    unsigned short port = 0;
    FILE* out = nullptr;

    server_process(const std::vector<std::string>& env) {
        int fds[2];
        if (pipe(fds) != 0) throw std::runtime_error("pipe");
        pid = fork();
        if (pid == 0) {
            dup2(fds[1], 1);
            close(fds[0]);
            close(fds[1]);
            for (auto& e : env) putenv(const_cast<char*>(e.c_str()));
            std::string site = std::string(GUICHET_SOURCE_DIR) + "/tests/messaging/site";
            execl(GUICHET_BINARY, GUICHET_BINARY, "serve", "--site", site.c_str(), "--port", "0", (char*)nullptr);
            _exit(127);
        }
        close(fds[1]);
        out = fdopen(fds[0], "r");
        char line[512];
        std::regex listening("listening on http://127\\.0\\.0\\.1:([0-9]+)");
        while (fgets(line, sizeof line, out)) {
            std::cmatch m;
            if (std::regex_search(line, m, listening)) {
                port = static_cast<unsigned short>(std::stoi(m[1]));
                break;
            }
        }
        if (!port) throw std::runtime_error("guichet serve did not start");
    }
    void kill_hard() {
        if (pid > 0) {
            ::kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
            pid = -1;
        }
    }
    ~server_process() {
        if (pid > 0) {
            ::kill(pid, SIGTERM);
            waitpid(pid, nullptr, 0);
        }
        if (out) fclose(out);
    }
};

std::string text(int n, const std::string& body) {
    json::object ev{{"type", "m.room.message"}, {"room_id", "!r:example.org"}, {"sender", "@ana:example.org"},
                    {"event_id", "$k" + std::to_string(n)}, {"content", {{"msgtype", "m.text"}, {"body", body}}}};
    return json::serialize(json::object{{"events", json::array{ev}}});
}

}  // namespace

TEST(restart, replies_in_the_outbox_survive_sigkill) {
    fake_platform homeserver;
    homeserver.respond(503, R"({"errcode":"M_UNKNOWN"})");
    auto dir = temp_dir("restart");
    std::filesystem::create_directories(dir / "plugins");
    std::vector<std::string> env{
        "GUICHET_MATRIX_HS_TOKEN=hs-secret",
        "GUICHET_MATRIX_AS_TOKEN=as-secret",
        "GUICHET_MATRIX_API_URL=" + homeserver.url(),
        "GUICHET_OUTBOX_PATH=" + (dir / "outbox.db").string(),
        "GUICHET_OUTBOX_RETRY_BASE_MS=100",
        "GUICHET_OUTBOX_RETRY_MAX_MS=300",
        "GUICHET_OUTBOX_POLL_MS=100",
        "GUICHET_KB_PATH=" + (dir / "knowledge.db").string(),
        "GUICHET_PLUGINS_DIR=" + (dir / "plugins").string(),
        "GUICHET_LOG_LEVEL=warn",
    };
    const char* questions[] = {"horaires de la mairie", "numéro de téléphone de la mairie", "quelles démarches"};
    const char* expected[] = {"8h30", "Testville", "démarches possibles"};
    {
        server_process first(env);
        const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};
        for (int i = 0; i < 3; ++i)
            ASSERT_EQ(call(first.port, verb::put, "/_matrix/app/v1/transactions/k" + std::to_string(i), hs,
                           text(i, questions[i])).status,
                      200u);
        ASSERT_TRUE(eventually([&] { return homeserver.attempts() >= 2; }));  // it is trying
        first.kill_hard();
    }
    homeserver.respond(200, R"({"event_id":"$sent"})");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_TRUE(homeserver.requests().empty());
    server_process second(env);
    auto sent = homeserver.wait_for(3);
    ASSERT_EQ(sent.size(), 3u);
    for (int i = 0; i < 3; ++i) EXPECT_NE(sent[i].body.find(expected[i]), std::string::npos) << sent[i].body;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(homeserver.requests().size(), 3u);
    std::filesystem::remove_all(dir);
}

TEST(restart, matrix_numbered_buttons_are_still_known_after_sigkill) {
    fake_platform homeserver;
    homeserver.respond(200, R"({"event_id":"$sent"})");
    auto dir = temp_dir("restart-buttons");
    std::filesystem::create_directories(dir / "plugins");
    std::vector<std::string> env{
        "GUICHET_MATRIX_HS_TOKEN=hs-secret",
        "GUICHET_MATRIX_AS_TOKEN=as-secret",
        "GUICHET_MATRIX_API_URL=" + homeserver.url(),
        "GUICHET_MATRIX_USER_ID=@guichet:example.org",
        "GUICHET_OUTBOX_PATH=" + (dir / "outbox.db").string(),
        "GUICHET_OUTBOX_POLL_MS=100",
        "GUICHET_KB_PATH=" + (dir / "knowledge.db").string(),
        "GUICHET_PLUGINS_DIR=" + (dir / "plugins").string(),
        "GUICHET_LOG_LEVEL=warn",
    };
    const std::map<std::string, std::string> hs{{"Authorization", "Bearer hs-secret"}};
    {
        server_process first(env);
        ASSERT_EQ(call(first.port, verb::put, "/_matrix/app/v1/transactions/b0", hs,
                       text(10, "numéro de téléphone de la mairie")).status, 200u);
        auto sent = homeserver.wait_for(1);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_NE(sent[0].body.find("2. Démarches"), std::string::npos) << sent[0].body;
        first.kill_hard();
    }
    // The list lives in the conversation's durable state: "2" after a restart is still "Démarches".
    server_process second(env);
    ASSERT_EQ(call(second.port, verb::put, "/_matrix/app/v1/transactions/b1", hs, text(11, "2")).status, 200u);
    // (The first answer may be sent again after the kill: at least once on the wire.)
    std::string all;
    EXPECT_TRUE(eventually([&] {
        all.clear();
        for (auto& r : homeserver.requests()) all += r.body + "\n";
        return all.find("démarches possibles") != std::string::npos;
    })) << all;
    std::filesystem::remove_all(dir);
}
