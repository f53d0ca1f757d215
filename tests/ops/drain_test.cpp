// A graceful stop under load: the real `guichet serve`, many keep-alive clients and a few that
// open a connection per request, SIGTERM in the middle. Every request written gets a complete
// HTTP answer (no reset, no connection closed under it), each keep-alive client is told
// `Connection: close`, a connection opened during the stop gets 503 with Retry-After, the server
// exits 0, and every message answered is in the store afterwards.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "support/http_client.h"

namespace fs = std::filesystem;
namespace http = boost::beast::http;
using namespace guichet::test;
using tcp = boost::asio::ip::tcp;

namespace {

struct load_outcome {
    std::atomic<bool> stop_sent{false};
    std::atomic<int> answered{0}, answered_after_stop{0}, told_to_close{0}, unavailable{0}, refused{0};
    std::mutex mutex;
    std::vector<std::string> problems;
    std::set<std::string> answered_conversations;
    void problem(std::string what) {
        std::lock_guard lock(mutex);
        problems.push_back(std::move(what));
    }
};

enum class client_end { told_to_close, unavailable, refused, problem };

// One client: posts a message per new conversation, on one keep-alive connection or a
// connection per request, pausing `pause` between requests, until the server stops it.
client_end run_client(unsigned short port, int id, bool keep_alive, std::chrono::milliseconds pause,
                      load_outcome& out) {
    boost::asio::io_context io;
    tcp::socket s(io);
    bool connected = false;
    const tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    for (int i = 0;; ++i) {
        boost::system::error_code ec;
        if (!connected) {
            s = tcp::socket(io);
            s.connect(ep, ec);
            if (ec == boost::asio::error::connection_refused && out.stop_sent) {
                ++out.refused;
                return client_end::refused;
            }
            if (ec) {
                out.problem("client " + std::to_string(id) + " connect: " + ec.message());
                return client_end::problem;
            }
            connected = true;
        }
        const std::string conv = "d" + std::to_string(id) + "-" + std::to_string(i);
        http::request<http::string_body> req{http::verb::post, "/api/v1/messages", 11};
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::content_type, "application/json");
        req.body() = R"({"conversation":")" + conv + R"(","user":"u","text":"Bonjour"})";
        req.keep_alive(keep_alive);
        req.prepare_payload();
        const bool after_stop = out.stop_sent;
        http::write(s, req, ec);
        if (ec) {
            out.problem("client " + std::to_string(id) + " request " + conv + " write: " + ec.message());
            return client_end::problem;
        }
        boost::beast::flat_buffer buf;
        http::response<http::string_body> res;
        http::read(s, buf, res, ec);
        if (ec) {  // reset, or closed before a complete answer
            out.problem("client " + std::to_string(id) + " request " + conv + " read: " + ec.message());
            return client_end::problem;
        }
        if (res.result() == http::status::service_unavailable) {
            if (res[http::field::retry_after].empty()) out.problem("503 without Retry-After");
            ++out.unavailable;
            return client_end::unavailable;
        }
        if (res.result() != http::status::ok) {
            out.problem("client " + std::to_string(id) + ": HTTP " + std::to_string(res.result_int()) + " " + res.body());
            return client_end::problem;
        }
        ++out.answered;
        if (after_stop) ++out.answered_after_stop;
        {
            std::lock_guard lock(out.mutex);
            out.answered_conversations.insert(conv);
        }
        if (!res.keep_alive()) {
            if (keep_alive || out.stop_sent) {
                ++out.told_to_close;
                return client_end::told_to_close;
            }
            s.close(ec);
            connected = false;
        }
        std::this_thread::sleep_for(pause);
    }
}

std::set<std::string> logged_conversations(const fs::path& db) {
    std::set<std::string> out;
    sqlite3* h = nullptr;
    if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(h, "SELECT conversation_id FROM messages WHERE direction = 'in'", -1, &st, nullptr);
    while (st && sqlite3_step(st) == SQLITE_ROW)
        out.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

}  // namespace

TEST(graceful_stop, sigterm_under_load_answers_every_request_and_loses_nothing) {
    auto dir = fs::temp_directory_path() / ("guichet_drain_" + std::to_string(getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto server = std::make_unique<server_process>(
        GUICHET_BINARY_DIR "/guichet",
        std::vector<std::string>{"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/site", "--port", "0"},
        std::map<std::string, std::string>{{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                                           {"GUICHET_STORE_PATH", (dir / "state.db").string()},
                                           {"GUICHET_PLUGINS_DIR", GUICHET_PLUGIN_DIR},
                                           {"GUICHET_LIMITS_RATE_PER_MINUTE", "0"}});
    ASSERT_TRUE(server->started()) << server->stderr_text();

    load_outcome out;
    constexpr int keep_alive_clients = 48, fresh_connection_clients = 8;
    std::vector<std::thread> clients;
    std::vector<client_end> ends(keep_alive_clients + fresh_connection_clients, client_end::problem);
    for (int id = 0; id < keep_alive_clients + fresh_connection_clients; ++id) {
        const bool keep_alive = id < keep_alive_clients;
        // Most clients send at once; some pause (a person typing), under the drain's idle grace.
        auto pause = std::chrono::milliseconds(id % 6 == 0 ? 400 : id % 3);
        clients.emplace_back([&, id, keep_alive, pause] {
            ends[id] = run_client(server->port(), id, keep_alive, pause, out);
        });
    }
    for (int i = 0; i < 600 && out.answered < 400; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_GE(out.answered, 400) << "the load did not start";
    out.stop_sent = true;
    const int status = server->stop(SIGTERM);  // waits for the exit
    for (auto& t : clients) t.join();

    EXPECT_EQ(status, 0) << server->stderr_text();
    EXPECT_TRUE(out.problems.empty()) << out.problems.size() << " request(s) without a complete answer, first: "
                                      << (out.problems.empty() ? "" : out.problems.front());
    for (int id = 0; id < keep_alive_clients; ++id)
        EXPECT_EQ(ends[id], client_end::told_to_close) << "keep-alive client " << id;
    for (int id = keep_alive_clients; id < keep_alive_clients + fresh_connection_clients; ++id)
        EXPECT_NE(ends[id], client_end::problem) << "client " << id;
    // Every message answered was kept (the store's writer committed before the exit).
    auto kept = logged_conversations(dir / "state.db");
    std::size_t lost = 0;
    for (auto& c : out.answered_conversations) lost += kept.count(c) == 0;
    EXPECT_EQ(lost, 0u) << "of " << out.answered_conversations.size() << " answered";
    std::cout << "answered " << out.answered << " (" << out.answered_after_stop << " after SIGTERM), "
              << out.told_to_close << " told to close, " << out.unavailable << " 503, " << out.refused
              << " refused after the stop\n";
    server.reset();
    fs::remove_all(dir);
}
