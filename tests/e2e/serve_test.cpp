// End to end: the real `guichet serve --port 0` on a test site, over real HTTP. Greetings in
// both languages, bad requests answered clearly while the server keeps serving, many
// conversations at once, and misbehaving plugins that still leave the citizen an answer.
#include <fstream>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "common/files.h"
#include "e2e/site_copy.h"
#include "support/http_client.h"

namespace fs = std::filesystem;
namespace json = boost::json;
using guichet::test::http_client;
using guichet::test::server_process;

namespace {

const std::string exe = std::string(GUICHET_BINARY_DIR) + "/guichet";

fs::path temp_dir(const std::string& name) {
    auto d = fs::temp_directory_path() / ("guichet_e2e_" + name + "_" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

// A temporary folder `name` with plugins/ holding the fixture plugins `fixtures` (symlinks).
fs::path with_fixture_plugins(const std::string& name, std::initializer_list<const char*> fixtures) {
    auto dir = temp_dir(name);
    fs::create_directories(dir / "plugins");
    for (auto fixture : fixtures)
        fs::create_symlink(std::string(GUICHET_FIXTURE_DIR) + "/" + fixture + ".so",
                           dir / "plugins" / (std::string(fixture) + ".so"));
    return dir;
}

std::string msg(const std::string& conv, const std::string& text, const std::string& extra = "") {
    json::object o{{"conversation", conv}, {"user", "u-" + conv}, {"text", text}};
    auto s = json::serialize(o);
    if (!extra.empty()) s.insert(s.size() - 1, "," + extra);
    return s;
}

// Starts a conversation: the web channel gives its id and the token that opens it.
std::pair<std::string, std::string> start_conversation(http_client& c) {
    auto r = c.post_json("/api/v1/conversations", "{}");
    if (r.status != 201) throw std::runtime_error("POST /api/v1/conversations: " + r.body);
    auto v = json::parse(r.body).as_object();
    return {std::string(v.at("conversation").as_string()), std::string(v.at("token").as_string())};
}

guichet::test::http_reply post_in(http_client& c, const std::pair<std::string, std::string>& conv,
                                  const std::string& text) {
    return c.request(boost::beast::http::verb::post, "/api/v1/messages", msg(conv.first, text),
                     {{"Authorization", "Bearer " + conv.second}});
}

// Sends a 10 MB body the way a careless client does (without waiting), then reads the
// answer the server gave before closing.
int post_huge(unsigned short port, std::size_t size) {
    namespace asio = boost::asio;
    namespace http = boost::beast::http;
    asio::io_context io;
    asio::ip::tcp::socket s(io);
    s.connect({asio::ip::make_address("127.0.0.1"), port});
    std::string head = "POST /api/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                       "Content-Length: " + std::to_string(size) + "\r\n\r\n";
    boost::system::error_code ec;
    asio::write(s, asio::buffer(head), ec);
    std::string chunk(64 * 1024, 'a');
    for (std::size_t sent = 0; !ec && sent < size; sent += chunk.size()) asio::write(s, asio::buffer(chunk), ec);
    boost::beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(s, buf, res, ec);
    return ec && res.result_int() == 0 ? -1 : static_cast<int>(res.result_int());
}

class serve : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = temp_dir("serve");
        server_ = std::make_unique<server_process>(
            exe, std::vector<std::string>{"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/site", "--port", "0"},
            std::map<std::string, std::string>{{"GUICHET_KB_PATH", (dir_ / "kb.db").string()},
                                               {"GUICHET_SERVER_BODY_LIMIT", "65536"},
                                               {"GUICHET_LIMITS_RATE_PER_MINUTE", "0"}});
    }
    static void TearDownTestSuite() {
        server_.reset();
        fs::remove_all(dir_);
    }
    static inline fs::path dir_;
    static inline std::unique_ptr<server_process> server_;
};

}  // namespace

TEST_F(serve, greets_in_french) {
    ASSERT_TRUE(server_->started()) << server_->stderr_text();
    http_client c(server_->port());
    auto r = c.post_json("/api/v1/messages", R"({"conversation":"c1","user":"u1","text":"Bonjour"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto v = json::parse(r.body).as_object();
    EXPECT_EQ(v.at("conversation").as_string(), "c1");
    EXPECT_EQ(v.at("locale").as_string(), "fr");
    EXPECT_EQ(v.at("intent").at("name").as_string(), "smalltalk.greet");
    auto text = std::string(v.at("replies").at(0).at("text").as_string());
    EXPECT_NE(text.find("Bonjour"), std::string::npos) << text;
}

TEST_F(serve, answers_what_can_you_do_in_english_with_topic_buttons) {
    http_client c(server_->port());
    auto r = c.post_json("/api/v1/messages", msg("c2", "What can you do?"));
    ASSERT_EQ(r.status, 200) << r.body;
    auto v = json::parse(r.body).as_object();
    EXPECT_EQ(v.at("locale").as_string(), "en");
    EXPECT_EQ(v.at("intent").at("name").as_string(), "smalltalk.capabilities");
    auto& reply = v.at("replies").at(0).as_object();
    EXPECT_NE(std::string(reply.at("text").as_string()).find("I can"), std::string::npos);
    ASSERT_TRUE(reply.contains("buttons"));
    EXPECT_GE(reply.at("buttons").as_array().size(), 4u);
    EXPECT_EQ(reply.at("buttons").at(0).at("title").as_string(), "Opening hours");
}

TEST_F(serve, not_understood_admits_it_and_offers_topics) {
    http_client c(server_->port());
    auto r = c.post_json("/api/v1/messages", msg("c3", "xqzw plorf gnagna", R"("locale":"fr")"));
    ASSERT_EQ(r.status, 200);
    auto v = json::parse(r.body).as_object();
    EXPECT_TRUE(v.at("intent").at("name").is_null());
    auto& reply = v.at("replies").at(0).as_object();
    EXPECT_NE(std::string(reply.at("text").as_string()).find("pas compris"), std::string::npos);
    EXPECT_GE(reply.at("buttons").as_array().size(), 4u);
}

TEST_F(serve, bad_requests_get_clear_errors_and_the_server_keeps_serving) {
    http_client c(server_->port());
    auto bad = c.post_json("/api/v1/messages", "{\"conversation\": \"c4\", \"text\": ");
    EXPECT_EQ(bad.status, 400);
    EXPECT_NE(bad.body.find("malformed JSON"), std::string::npos) << bad.body;
    EXPECT_EQ(c.post_json("/api/v1/messages", "[1,2]").status, 400);
    EXPECT_EQ(c.post_json("/api/v1/messages", R"({"text":"bonjour"})").status, 400);
    EXPECT_EQ(c.post_json("/api/v1/messages", R"({"conversation":"c4","text":42})").status, 400);
    // Invalid UTF-8 inside a JSON string.
    EXPECT_EQ(c.post_json("/api/v1/messages", "{\"conversation\":\"c4\",\"text\":\"\xff\xfe\"}").status, 400);
    auto wrong_method = c.request(boost::beast::http::verb::get, "/api/v1/messages");
    EXPECT_EQ(wrong_method.status, 405);
    EXPECT_EQ(wrong_method.headers["Allow"], "POST");
    EXPECT_EQ(c.request(boost::beast::http::verb::get, "/nope").status, 404);
    EXPECT_EQ(post_huge(server_->port(), 10 * 1024 * 1024), 413);
    http_client after(server_->port());
    EXPECT_EQ(after.post_json("/api/v1/messages", msg("c4-after", "bonjour")).status, 200);
}

TEST_F(serve, thousand_conversations_of_ten_messages_each_are_each_handled_in_turn) {
    // The reference plugin counts the messages of its conversation in the conversation's
    // memory: if two turns of one conversation ever ran at once, a number would repeat.
    constexpr int conversations = 1000, per_conversation = 10, threads = 32;
    std::vector<std::pair<std::string, std::string>> convs;
    {
        http_client c(server_->port());
        for (int i = 0; i < conversations; ++i) convs.push_back(start_conversation(c));
    }
    std::atomic<int> next{0}, errors{0};
    std::mutex mutex;
    std::map<int, std::multiset<std::string>> replies;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&] {
            http_client c(server_->port());
            for (int i; (i = next++) < conversations * per_conversation;) {
                int conv = i / per_conversation;  // the ten messages of a conversation are adjacent
                try {
                    auto r = post_in(c, convs[conv], "répète après moi");
                    if (r.status != 200) {
                        ++errors;
                        continue;
                    }
                    auto text = std::string(json::parse(r.body).at("replies").at(0).at("text").as_string());
                    std::lock_guard lock(mutex);
                    replies[conv].insert(text.substr(text.rfind("n° ") + 4));
                } catch (const std::exception&) {
                    ++errors;
                }
            }
        });
    for (auto& t : pool) t.join();
    EXPECT_EQ(errors.load(), 0);
    ASSERT_EQ(replies.size(), static_cast<size_t>(conversations));
    for (auto& [conv, numbers] : replies) {
        std::multiset<std::string> expected;
        for (int i = 1; i <= per_conversation; ++i) expected.insert(std::to_string(i) + ")");
        EXPECT_EQ(numbers, expected) << "conversation " << conv;
    }
}

TEST_F(serve, messages_of_one_conversation_are_answered_in_order) {
    http_client c(server_->port());
    auto conv = start_conversation(c);
    for (int i = 1; i <= 5; ++i) {
        auto r = post_in(c, conv, "répète après moi");
        ASSERT_EQ(r.status, 200);
        auto text = std::string(json::parse(r.body).at("replies").at(0).at("text").as_string());
        EXPECT_NE(text.find("n° " + std::to_string(i) + ")"), std::string::npos) << text;
    }
}

TEST(serve_faulty_plugins, late_failing_and_throwing_plugins_still_leave_an_answer) {
    auto dir = with_fixture_plugins("faulty", {"fixture_never_replies", "fixture_throws", "fixture_fails", "fixture_major_mismatch"});
    server_process s(exe,
                     {"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/faulty_site", "--port", "0"},
                     {{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                      {"GUICHET_PLUGINS_DIR", (dir / "plugins").string()},
                      {"GUICHET_ENGINE_TURN_DEADLINE_MS", "300"}});
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    // (The refused plugin too: its intent loads, the rest of the site is served.)
    for (auto text : {"plugin muet", "plugin qui plante", "plugin en échec", "plugin refusé"}) {
        auto start = std::chrono::steady_clock::now();
        auto r = c.post_json("/api/v1/messages", msg(std::string("f1-") + text, text));
        auto took = std::chrono::steady_clock::now() - start;
        ASSERT_EQ(r.status, 200) << text;
        auto text_out = std::string(json::parse(r.body).at("replies").at(0).at("text").as_string());
        EXPECT_NE(text_out.find("ne peux pas répondre"), std::string::npos) << text << ": " << text_out;
        // A refused plugin stays refused until a restart: "try again in a moment" is said only
        // of one that was late or failed.
        EXPECT_EQ(text_out.find("Réessayez") == std::string::npos,
                  std::string_view(text) == "plugin refusé")
            << text << ": " << text_out;
        EXPECT_LT(took, std::chrono::seconds(2)) << text;
    }
    EXPECT_EQ(c.post_json("/api/v1/messages", msg("f2", "bonjour")).status, 200);
    EXPECT_EQ(c.post_json("/api/v1/messages", msg("f3", "bonjour")).status, 200);
    // The refused plugin is counted where monitoring looks (it was said in the log only).
    auto ready = c.request(boost::beast::http::verb::get, "/readyz");
    EXPECT_EQ(ready.status, 200);
    EXPECT_EQ(json::parse(ready.body).at("plugins_refused"), 1) << ready.body;
    EXPECT_NE(c.request(boost::beast::http::verb::get, "/metrics").body.find("\nguichet_plugins_refused 1\n"), std::string::npos);
    EXPECT_EQ(json::parse(ready.body).at("network_threads_held"), 0) << ready.body;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    auto log = s.stderr_text();
    EXPECT_NE(log.find((dir / "plugins" / "fixture_major_mismatch.so").string() +
                       ": built for plugin ABI 2.0, this engine provides 1."),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("plugin 'fixture_throws' failed on intent 'fixture.throws': plugin threw: boom"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("no answer within 300 ms"), std::string::npos) << log;
    EXPECT_NE(log.find("serving without plugin 'fixture_major_mismatch' (refused: built for plugin ABI 2.0"),
              std::string::npos)
        << log;
    fs::remove_all(dir);
}

// A plugin rebuilt and copied over the loaded one while the server runs (`cp build/x.so
// plugins/x.so` writes in place): the server keeps answering with the plugin as it was loaded
// (it died in the plugin's code, the pages under it changed), and takes the new file at the
// next start.
TEST(serve_faulty_plugins, a_plugin_file_overwritten_in_place_leaves_the_server_answering) {
    auto dir = with_fixture_plugins("overwritten", {"fixture_never_replies", "fixture_fails", "fixture_major_mismatch"});
    const auto plugin = dir / "plugins" / "fixture_throws.so";  // a file of its own, not a link
    fs::copy_file(std::string(GUICHET_FIXTURE_DIR) + "/fixture_throws.so", plugin);
    server_process s(exe,
                     {"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/faulty_site", "--port", "0"},
                     {{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                      {"GUICHET_PLUGINS_DIR", (dir / "plugins").string()}});
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    auto answer = [&](const std::string& conv) {
        auto r = c.post_json("/api/v1/messages", msg(conv, "plugin qui plante"));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? std::string(json::parse(r.body).at("replies").at(0).at("text").as_string())
                               : std::string();
    };
    const auto before = answer("o1");
    EXPECT_NE(before.find("ne peux pas répondre"), std::string::npos) << before;
    {  // as cp does: the same file (inode) truncated and written with other bytes
        const auto other = guichet::file_text(std::string(GUICHET_FIXTURE_DIR) + "/fixture_fails.so");
        ASSERT_FALSE(other.empty());
        std::ofstream out(plugin, std::ios::binary | std::ios::trunc);
        out << other;
    }
    EXPECT_EQ(answer("o2"), before);
    EXPECT_EQ(c.post_json("/api/v1/messages", msg("o3", "bonjour")).status, 200);
    EXPECT_EQ(s.stop(SIGTERM), 0) << s.stderr_text();
    EXPECT_EQ(s.stderr_text().find("fatal"), std::string::npos) << s.stderr_text();
    fs::remove_all(dir);
}

// With ops.log_format: json every line the server logs is JSON, from the first: the plugins'
// "loaded" lines and a refused plugin's reason came as text before the format was set.
TEST(serve_faulty_plugins, a_json_log_is_json_from_its_first_line) {
    auto dir = with_fixture_plugins("jsonlog", {"fixture_never_replies", "fixture_throws", "fixture_fails", "fixture_major_mismatch"});
    server_process s(exe, {"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/faulty_site", "--port", "0"},
                     {{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                      {"GUICHET_PLUGINS_DIR", (dir / "plugins").string()},
                      {"GUICHET_OPS_LOG_FORMAT", "json"}});
    ASSERT_TRUE(s.started()) << s.stderr_text();
    EXPECT_EQ(s.stop(SIGTERM), 0);
    std::istringstream lines(s.stderr_text());
    std::size_t n = 0;
    bool loaded = false, refused = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        ++n;
        boost::system::error_code ec;
        auto v = json::parse(line, ec);
        ASSERT_TRUE(!ec && v.is_object()) << "not a JSON line: " << line;
        std::string msg(v.at("msg").as_string());
        loaded = loaded || msg.rfind("loaded plugin 'fixture_fails'", 0) == 0;
        refused = refused || (v.at("level") == "error" && msg.find("built for plugin ABI 2.0") != std::string::npos);
    }
    EXPECT_GT(n, 2u);
    EXPECT_TRUE(loaded && refused) << s.stderr_text();
    fs::remove_all(dir);
}

TEST(serve_graceful, sigterm_lets_the_turn_in_progress_finish) {
    auto dir = with_fixture_plugins("graceful", {"fixture_never_replies", "fixture_throws", "fixture_fails",
                                                 "fixture_major_mismatch"});
    server_process s(exe,
                     {"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/faulty_site", "--port", "0"},
                     {{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                      {"GUICHET_PLUGINS_DIR", (dir / "plugins").string()},
                      {"GUICHET_ENGINE_TURN_DEADLINE_MS", "1500"}});
    ASSERT_TRUE(s.started()) << s.stderr_text();
    std::optional<guichet::test::http_reply> reply;
    std::thread t([&] {
        http_client c(s.port());
        reply = c.post_json("/api/v1/messages", msg("g1", "plugin muet"));  // takes 1.5 s
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    EXPECT_EQ(s.stop(SIGTERM), 0);
    t.join();
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, 200) << "the turn in flight was cut short";
    fs::remove_all(dir);
}

namespace {
// `guichet serve` on the e2e site with its store in `dir` (rate limit off), for the tests that
// stop and start it.
const std::vector<std::string> restart_args{"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/site",
                                            "--port", "0"};
std::map<std::string, std::string> restart_env(const fs::path& dir) {
    return {{"GUICHET_KB_PATH", (dir / "kb.db").string()}, {"GUICHET_LIMITS_RATE_PER_MINUTE", "0"}};
}
}  // namespace

// A restart loses the server's memory, not the store: a conversation it had still needs its
// token (nobody else takes it over by its id), and its history is read back.
TEST(serve_restart, a_known_conversation_keeps_its_token_and_its_history) {
    auto dir = temp_dir("restart");
    auto env = restart_env(dir);
    env["GUICHET_WEB_TOKEN_SECRET"] = "0123456789abcdef0123456789abcdef";
    const auto& args = restart_args;
    std::string token;
    {
        server_process s(exe, args, env);
        ASSERT_TRUE(s.started()) << s.stderr_text();
        http_client c(s.port());
        auto r = c.post_json("/api/v1/messages", msg("kept1", "Bonjour"));
        ASSERT_EQ(r.status, 200) << r.body;
        token = std::string(json::parse(r.body).at("token").as_string());
        EXPECT_EQ(s.stop(SIGTERM), 0);
    }
    server_process s(exe, args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    auto r = c.post_json("/api/v1/messages", msg("kept1", "supprime mes données"));
    EXPECT_EQ(r.status, 401) << "taken over without its token: " << r.body;
    r = c.request(boost::beast::http::verb::get, "/api/v1/conversations/kept1/messages", "",
                  {{"Authorization", "Bearer " + token}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto messages = json::parse(r.body).at("messages").as_array();
    ASSERT_GE(messages.size(), 2u) << r.body;
    EXPECT_EQ(messages[0].at("from").as_string(), "user");
    EXPECT_EQ(messages[0].at("text").as_string(), "Bonjour");
    EXPECT_EQ(messages[1].at("from").as_string(), "bot");
    EXPECT_NE(r.body.find("Bonjour !"), std::string::npos) << r.body;
    r = post_in(c, {"kept1", token}, "merci");  // and its owner goes on
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// The history keeps its numbers across a restart: one entry per message and per answer, as
// before it (an answer's two replies came back as two entries, so a page that had seen entry
// 4 asked `?after=4` and got an old answer again).
TEST(serve_restart, the_history_keeps_its_numbers) {
    const guichet::test::site_copy site;
    // An alert for the pool, whatever the date: its hours are an answer of two replies.
    std::ofstream(site.dir / "knowledge" / "alerts.yaml", std::ios::app)
        << "  - id: toujours\n    message:\n      fr: \"Bonnet de bain obligatoire.\"\n"
           "      en: \"Swimming caps are required.\"\n"
           "    from: 2020-01-01 00:00\n    until: 2099-12-31 23:59\n    places: [piscine]\n";
    auto history = [](http_client& c, const std::string& token, const std::string& after) {
        auto r = c.request(boost::beast::http::verb::get,
                           "/api/v1/conversations/ids1/messages" + after, "",
                           {{"Authorization", "Bearer " + token}});
        EXPECT_EQ(r.status, 200) << r.body;
        return json::parse(r.body).at("messages").as_array();
    };
    std::string token;
    std::int64_t last = 0;
    std::size_t replies = 0;
    {
        auto server = site.start();
        auto& s = *server;
        ASSERT_TRUE(s.started()) << s.stderr_text();
        http_client c(s.port());
        auto r = c.post_json("/api/v1/messages", msg("ids1", "horaires de la piscine"));
        ASSERT_EQ(r.status, 200) << r.body;
        replies = json::parse(r.body).at("replies").as_array().size();
        ASSERT_GE(replies, 2u) << r.body;
        token = std::string(json::parse(r.body).at("token").as_string());
        ASSERT_EQ(post_in(c, {"ids1", token}, "merci").status, 200);
        auto before = history(c, token, "");
        ASSERT_EQ(before.size(), 4u);
        last = before.back().at("id").as_int64();
        EXPECT_EQ(s.stop(SIGTERM), 0);
    }
    auto server = site.start();
    auto& s = *server;
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    auto after = history(c, token, "?after=" + std::to_string(last));
    EXPECT_TRUE(after.empty()) << json::serialize(after);
    auto all = history(c, token, "");
    ASSERT_EQ(all.size(), 4u) << json::serialize(all);
    EXPECT_EQ(all.back().at("id").as_int64(), last);
    EXPECT_EQ(all[1].at("replies").as_array().size(), replies) << json::serialize(all[1]);
    EXPECT_EQ(s.stop(SIGTERM), 0);
}

// A file broken since the last start (an edit the live reload refused, then a restart): the
// server serves the last version of the site that loaded, and says so; it refused to start,
// and the town had no assistant until someone fixed the file.
TEST(serve_restart, a_broken_file_at_a_restart_serves_the_last_site_that_loaded) {
    auto dir = temp_dir("restart_broken");
    const auto site = dir / "site";
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", site, fs::copy_options::recursive);
    fs::remove_all(site / "var");
    const auto env = restart_env(dir);
    const std::vector<std::string> args{"serve", "--site", site.string(), "--port", "0"};
    {
        server_process s(exe, args, env);
        ASSERT_TRUE(s.started()) << s.stderr_text();
        EXPECT_EQ(s.stop(SIGTERM), 0);
    }
    ASSERT_TRUE(fs::is_directory(dir / "last-good" / "knowledge")) << "kept beside the knowledge base";
    std::ofstream(site / "knowledge" / "places.yaml", std::ios::app) << "  - id: [oups\n";
    server_process s(exe, args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    EXPECT_NE(s.stderr_text().find("places.yaml"), std::string::npos) << s.stderr_text();
    EXPECT_NE(s.stderr_text().find("serving the last version of the site that loaded"),
              std::string::npos)
        << s.stderr_text();
    http_client c(s.port());
    auto r = c.post_json("/api/v1/messages", msg("broken1", "répète après moi"));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// Two servers whose knowledge bases share a folder share the last-good copy's place: the copy
// says which site it is of, and another site's is never served (a broken restart served the
// other town's places and answers).
TEST(serve_restart, another_sites_last_good_copy_is_not_served) {
    auto dir = temp_dir("restart_other_copy");
    for (auto name : {"a", "b"}) {
        fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", dir / name, fs::copy_options::recursive);
        fs::remove_all(dir / name / "var");
    }
    auto env_of = [&](const std::string& name) {
        auto env = restart_env(dir);
        env["GUICHET_KB_PATH"] = (dir / (name + ".db")).string();
        env["GUICHET_STORE_PATH"] = (dir / (name + "-store.db")).string();
        return env;
    };
    auto args_of = [&](const std::string& name) {
        return std::vector<std::string>{"serve", "--site", (dir / name).string(), "--port", "0"};
    };
    for (auto name : {"a", "b"}) {  // a, then b: the copy in the shared folder is b's
        server_process s(exe, args_of(name), env_of(name));
        ASSERT_TRUE(s.started()) << s.stderr_text();
        EXPECT_EQ(s.stop(SIGTERM), 0);
        if (std::string(name) == "b")
            EXPECT_NE(s.stderr_text().find("was of another site"), std::string::npos) << s.stderr_text();
    }
    std::ofstream(dir / "a" / "knowledge" / "places.yaml", std::ios::app) << "  - id: [oups\n";
    server_process s(exe, args_of("a"), env_of("a"));
    EXPECT_FALSE(s.started()) << "served b's copy for a";
    EXPECT_NE(s.stderr_text().find("is not of this site"), std::string::npos) << s.stderr_text();
    EXPECT_EQ(s.stderr_text().find("serving the last version"), std::string::npos) << s.stderr_text();
    fs::remove_all(dir);
}

// Without web.token_secret the key is drawn once and kept beside the store (owner only): a
// restart or an upgrade no longer cuts every conversation (403 on the citizen's next message).
TEST(serve_restart, without_a_configured_secret_tokens_outlive_a_restart) {
    auto dir = temp_dir("restart_kept_key");
    const auto env = restart_env(dir);
    const auto& args = restart_args;
    std::string token;
    {
        server_process s(exe, args, env);
        ASSERT_TRUE(s.started()) << s.stderr_text();
        http_client c(s.port());
        auto r = c.post_json("/api/v1/messages", msg("kept2", "Bonjour"));
        ASSERT_EQ(r.status, 200) << r.body;
        token = std::string(json::parse(r.body).at("token").as_string());
        EXPECT_EQ(s.stop(SIGTERM), 0);
    }
    auto key = dir / "token_secret";
    ASSERT_TRUE(fs::exists(key));
    EXPECT_EQ(fs::status(key).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
    server_process s(exe, args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    auto r = post_in(c, {"kept2", token}, "merci");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// Two servers on one store answered each their own citizens only (a report closed through
// one never reached a citizen of the other): the second one refuses to start, saying why.
TEST(serve_restart, a_second_server_on_the_same_store_refuses_to_start) {
    auto dir = temp_dir("one_store");
    const auto env = restart_env(dir);
    const auto& args = restart_args;
    server_process first(exe, args, env);
    ASSERT_TRUE(first.started()) << first.stderr_text();
    server_process second(exe, args, env);
    EXPECT_FALSE(second.started());
    EXPECT_EQ(second.stop(SIGTERM), 1);
    EXPECT_NE(second.stderr_text().find("already uses this store"), std::string::npos)
        << second.stderr_text();
    EXPECT_EQ(first.stop(SIGTERM), 0);
    server_process again(exe, args, env);  // the first one gone, the store is free
    ASSERT_TRUE(again.started()) << again.stderr_text();
    http_client c(again.port());  // serving (and its SIGTERM handler in place)
    EXPECT_EQ(c.post_json("/api/v1/messages", msg("one-store", "Bonjour")).status, 200);
    EXPECT_EQ(again.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// The databases hold the citizens' messages, their unanswered questions and the staff's
// passwords: for the service user only (store.db, analytics.db and their -wal were readable
// by every user of the machine; only staff.db was not).
TEST(serve_restart, the_databases_are_for_the_service_user_only) {
    auto dir = temp_dir("private_databases");
    const auto env = restart_env(dir);
    server_process s(exe, restart_args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    ASSERT_EQ(c.post_json("/api/v1/messages", msg("private1", "Bonjour")).status, 200);
    std::vector<fs::path> databases;
    for (auto& f : fs::directory_iterator(dir))
        if (auto n = f.path().filename().string();
            f.is_regular_file() && (n.ends_with(".db") || n.ends_with(".db-wal") || n.ends_with(".db-shm")) &&
            !n.starts_with("kb."))  // the compiled knowledge base is the site's public text
            databases.push_back(f.path());
    for (const char* expected : {"state.db", "state.db-wal", "analytics.db"})
        EXPECT_TRUE(fs::exists(dir / expected)) << expected;
    for (auto& f : databases)
        EXPECT_EQ(fs::status(f).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
            << f;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// GUICHET_STORE_PATH in a "folder" that is a file: the server says so (it said "cannot open
// the store: unable to open database file"); a missing folder is created.
TEST(serve_restart, a_store_path_under_a_file_says_it_is_not_a_folder) {
    auto dir = temp_dir("store_under_a_file");
    std::ofstream(dir / "o3") << "not a folder\n";
    auto env = restart_env(dir);
    env["GUICHET_STORE_PATH"] = (dir / "o3" / "store.db").string();
    server_process bad(exe, restart_args, env);
    EXPECT_FALSE(bad.started());
    bad.stop(SIGTERM);
    EXPECT_NE(bad.stderr_text().find(dir.string() + "/o3 : n'est pas un dossier"), std::string::npos)
        << bad.stderr_text();
    EXPECT_NE(bad.stderr_text().find("GUICHET_STORE_PATH"), std::string::npos) << bad.stderr_text();
    env["GUICHET_STORE_PATH"] = (dir / "new" / "folder" / "store.db").string();
    server_process good(exe, restart_args, env);
    ASSERT_TRUE(good.started()) << good.stderr_text();
    EXPECT_TRUE(fs::exists(dir / "new" / "folder" / "store.db"));
    EXPECT_EQ(good.stop(SIGTERM), 0);
    fs::remove_all(dir);
}

// A site whose intents/ and knowledge/ the service user may not write in: the start says that
// the console's edits will fail there, and an example added then is refused naming the folder,
// the reason and the fix, in French and in English (a 409 said ".../contact.yaml.tmp-add:
// cannot write"). Root runs it without the capabilities that let it write anywhere (as another
// user, it could not read a build folder inside a private home or a mktemp folder).
TEST(serve_restart, folders_the_service_user_may_not_write_in_are_said_with_the_fix) {
    auto dir = temp_dir("read_only_site");
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", dir / "site", fs::copy_options::recursive);
    fs::remove_all(dir / "site" / "var");
    for (auto& d : {dir / "site" / "knowledge", dir / "site" / "intents" / "fr"})
        fs::permissions(d, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                               fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir, fs::perms::all);  // the kb and the store stay writable
    auto env = restart_env(dir);
    env["GUICHET_OPS_STAFF_TOKEN"] = "staff-token-of-the-test-0123456789";
    const std::vector<std::string> serve{"serve", "--site", (dir / "site").string(), "--port", "0"};
    std::vector<std::string> args = serve;
    std::string program = exe;
    if (::geteuid() == 0) {
        program = "/usr/bin/setpriv";
        args = {"--bounding-set", "-dac_override,-dac_read_search", exe};
        args.insert(args.end(), serve.begin(), serve.end());
    }
    server_process s(program, args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    for (auto d : {dir / "site" / "knowledge", dir / "site" / "intents" / "fr"})
        EXPECT_NE(s.stderr_text().find(d.string() + ": guichet may not write in this folder (Permission denied)"),
                  std::string::npos)
            << s.stderr_text();
    EXPECT_NE(s.stderr_text().find("ReadWritePaths="), std::string::npos) << s.stderr_text();
    http_client c(s.port());
    auto r = c.request(boost::beast::http::verb::post, "/api/v1/staff/examples",
                       R"({"intent":"contact.town_hall","locale":"fr","text":"le numéro du secrétariat"})",
                       {{"Authorization", "Bearer staff-token-of-the-test-0123456789"}});
    EXPECT_EQ(r.status, 500) << r.body;
    auto error = json::parse(r.body).at("error").as_object();
    const std::string folder = (dir / "site" / "intents" / "fr").string();
    EXPECT_EQ(std::string(error.at("message_fr").as_string()).rfind(
                  folder + " : le guichet ne peut pas écrire dans ce dossier (permission refusée)", 0),
              0u)
        << r.body;
    EXPECT_NE(std::string(error.at("message").as_string()).find("sudo chown -R guichet: " + folder),
              std::string::npos)
        << r.body;
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::permissions(dir, fs::perms::owner_all);
    fs::remove_all(dir);
}

// The IT person's view of a fresh server: the channels' counters read 0 before any message
// (an alert on guichet_fallbacks_total saw no series), and at debug each turn is one log line
// naming its conversation, intent, confidence and duration, without the citizen's words.
TEST(serve_restart, counters_start_at_zero_and_debug_logs_one_line_per_turn) {
    auto dir = temp_dir("turn_lines");
    auto env = restart_env(dir);
    env["GUICHET_OPS_LOG_FORMAT"] = "json";
    env["GUICHET_LOG_LEVEL"] = "debug";
    server_process s(exe, restart_args, env);
    ASSERT_TRUE(s.started()) << s.stderr_text();
    http_client c(s.port());
    auto m = c.request(boost::beast::http::verb::get, "/metrics");
    for (const char* series : {"guichet_fallbacks_total{channel=\"web\"} 0\n",
                               "guichet_turn_errors_total{channel=\"web\"} 0\n",
                               "guichet_messages_total{channel=\"directline\"} 0\n"})
        EXPECT_NE(m.body.find(series), std::string::npos) << series << "\n" << m.body;
    ASSERT_EQ(c.post_json("/api/v1/messages", msg("turn-line", "Bonjour, je suis Zéphirin")).status, 200);
    std::string turn;
    std::istringstream lines(s.stderr_text());
    for (std::string line; std::getline(lines, line);)
        if (line.find("\"component\":\"turn\"") != std::string::npos) turn = line;
    ASSERT_FALSE(turn.empty()) << s.stderr_text();
    auto o = json::parse(turn).as_object();
    EXPECT_EQ(o.at("level").as_string(), "debug");
    EXPECT_EQ(o.at("conversation").as_string(), "turn-line");
    const std::string text(o.at("msg").as_string());
    EXPECT_NE(text.find("turn on web: intent "), std::string::npos) << text;
    EXPECT_NE(text.find("confidence "), std::string::npos) << text;
    EXPECT_NE(text.find(" ms"), std::string::npos) << text;
    EXPECT_EQ(s.stderr_text().find("Zéphirin"), std::string::npos) << "the citizen's words in the log";
    EXPECT_EQ(s.stop(SIGTERM), 0);
    fs::remove_all(dir);
}
