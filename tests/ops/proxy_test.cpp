// guichet behind the real nginx (Debian's package), configured by the repository's sample site
// core/src/ops/nginx-guichet.conf with only its two ports changed: a widget message, the
// WebSocket, the citizen's address seen through X-Forwarded-For (each address its own rate
// limit) and an agent's console sign-in, all through the proxy. nginx runs as a foreground
// process with its own prefix, logs and temporary folders in a temporary folder.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "admin/accounts.h"
#include "support/http_client.h"

namespace fs = std::filesystem;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using namespace guichet::test;
using tcp = boost::asio::ip::tcp;

namespace {

const char* nginx_exe = "/usr/sbin/nginx";

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Replaces the one occurrence of `from` in `text`; fails the test when it is not there once.
void replace_once(std::string& text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << "the sample config no longer has: " << from;
    ASSERT_EQ(text.find(from, at + 1), std::string::npos) << "more than one: " << from;
    text.replace(at, from.size(), to);
}

unsigned short free_port() {
    boost::asio::io_context io;
    tcp::acceptor a(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

// nginx in the foreground (daemon off), stopped at the end.
class nginx_process {
public:
    nginx_process(const fs::path& prefix, const fs::path& conf) {
        pid_ = fork();
        if (pid_ == 0) {
            int null = ::open("/dev/null", O_WRONLY);
            dup2(null, 1);
            execl(nginx_exe, nginx_exe, "-p", prefix.c_str(), "-c", conf.c_str(), "-e",
                  (prefix / "error.log").c_str(), "-g", "daemon off;", static_cast<char*>(nullptr));
            _exit(127);
        }
    }
    ~nginx_process() {
        if (pid_ <= 0) return;
        kill(pid_, SIGQUIT);  // graceful
        int st = 0;
        waitpid(pid_, &st, 0);
    }
    bool running() const { return pid_ > 0 && waitpid(pid_, nullptr, WNOHANG) == 0; }

private:
    pid_t pid_ = -1;
};

bool accepts(unsigned short port) {
    boost::asio::io_context io;
    tcp::socket s(io);
    boost::system::error_code ec;
    s.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
    return !ec;
}

class behind_nginx : public ::testing::Test {
protected:
    static constexpr const char* password = "correct horse battery";

    void SetUp() override {
        ASSERT_TRUE(fs::exists(nginx_exe)) << "install Debian's nginx (scripts/apt-packages.txt)";
        dir_ = fs::temp_directory_path() / ("guichet_proxy_" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "logs");
        {
            guichet::admin::accounts acc(dir_ / "staff.db");  // beside the store
            ASSERT_EQ(acc.add("agnes", guichet::admin::role::agent, password), "");
        }
        server_ = std::make_unique<server_process>(
            GUICHET_BINARY_DIR "/guichet",
            std::vector<std::string>{"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/site", "--port", "0"},
            std::map<std::string, std::string>{{"GUICHET_KB_PATH", (dir_ / "kb.db").string()},
                                               {"GUICHET_STORE_PATH", (dir_ / "state.db").string()},
                                               {"GUICHET_PLUGINS_DIR", GUICHET_PLUGIN_DIR},
                                               {"GUICHET_LIMITS_TRUSTED_PROXIES", "127.0.0.1"},
                                               {"GUICHET_LIMITS_RATE_PER_MINUTE", "3"}});
        ASSERT_TRUE(server_->started()) << server_->stderr_text();

        // The sample site, with this test's ports in place of 80 and 8080.
        auto site = read_file(GUICHET_SOURCE_DIR "/core/src/ops/nginx-guichet.conf");
        port_ = free_port();
        replace_once(site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port_) + ";");
        replace_once(site, "server 127.0.0.1:8080;", "server 127.0.0.1:" + std::to_string(server_->port()) + ";");
        std::ofstream(dir_ / "site.conf") << site;
        auto d = dir_.string();
        std::ofstream(dir_ / "nginx.conf")
            << (geteuid() == 0 ? "user root;\n" : "") << "worker_processes 1;\npid " << d << "/nginx.pid;\n"
            << "error_log " << d << "/error.log info;\nevents { worker_connections 256; }\nhttp {\n"
            << "  access_log " << d << "/logs/access.log;\n"
            << "  client_body_temp_path " << d << "/client_body;\n  proxy_temp_path " << d << "/proxy;\n"
            << "  fastcgi_temp_path " << d << "/fastcgi;\n  uwsgi_temp_path " << d << "/uwsgi;\n"
            << "  scgi_temp_path " << d << "/scgi;\n  include " << d << "/site.conf;\n}\n";
        nginx_ = std::make_unique<nginx_process>(dir_, dir_ / "nginx.conf");
        for (int i = 0; i < 100 && !accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        ASSERT_TRUE(accepts(port_)) << read_file(dir_ / "error.log");
    }
    void TearDown() override {
        nginx_.reset();
        server_.reset();
        fs::remove_all(dir_);
    }

    // What a browser on the town's site (here nginx's address) sends: Host and its page's Origin.
    std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    std::string origin() const { return "http://" + host(); }
    std::map<std::string, std::string> browser(std::map<std::string, std::string> more = {}) const {
        more["Host"] = host();
        more["Origin"] = origin();
        return more;
    }

    fs::path dir_;
    unsigned short port_ = 0;
    std::unique_ptr<server_process> server_;
    std::unique_ptr<nginx_process> nginx_;
};

}  // namespace

TEST_F(behind_nginx, widget_message_and_websocket_pass_through) {
    http_client c(port_, "127.0.0.1", "127.0.0.2");
    auto first = c.request(http::verb::post, "/api/v1/messages",
                           R"({"conversation":"p1","user":"u1","text":"Bonjour"})", browser());
    ASSERT_EQ(first.status, 200) << first.body;
    auto token = std::string(json::parse(first.body).at("token").as_string());
    EXPECT_EQ(c.request(http::verb::get, "/widget.js").status, 200);

    boost::asio::io_context io;
    beast::websocket::stream<tcp::socket> ws(io);
    ws.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    ws.set_option(beast::websocket::stream_base::decorator(
        [o = origin()](beast::websocket::request_type& req) { req.set(http::field::origin, o); }));
    beast::websocket::response_type upgrade;
    boost::system::error_code ec;
    ws.handshake(upgrade, host(), "/api/v1/ws?token=" + token, ec);
    ASSERT_FALSE(ec) << ec.message() << " — HTTP " << upgrade.result_int() << ' ' << upgrade.body();
    ws.write(boost::asio::buffer(std::string(R"({"text":"Bonjour"})")));
    // The socket says ready, then carries the citizen's message and the bot's answer.
    bool answered = false;
    for (int i = 0; i < 10 && !answered; ++i) {
        beast::flat_buffer b;
        ws.read(b);
        auto v = json::parse(beast::buffers_to_string(b.data())).as_object();
        if (v.at("type") == "entry" && v.at("entry").at("from") == "bot") answered = true;
    }
    EXPECT_TRUE(answered);
    ws.close(beast::websocket::close_code::normal);
}

TEST_F(behind_nginx, each_citizen_has_their_own_address) {
    // Three messages a minute per address: the fourth from one citizen is refused, while
    // another citizen behind the same proxy is still answered.
    http_client one(port_, "127.0.0.1", "127.0.0.3"), other(port_, "127.0.0.1", "127.0.0.4");
    auto say = [](http_client& c, const std::string& conv) {
        return c.post_json("/api/v1/messages", R"({"conversation":")" + conv + R"(","user":"u","text":"Bonjour"})").status;
    };
    for (int i = 0; i < 3; ++i) EXPECT_EQ(say(one, "x" + std::to_string(i)), 200);
    EXPECT_EQ(say(one, "x3"), 429);
    EXPECT_EQ(say(other, "y0"), 200);
}

TEST_F(behind_nginx, an_agent_signs_in_to_the_console) {
    http_client c(port_, "127.0.0.1", "127.0.0.5");
    auto page = c.request(http::verb::get, "/admin");
    EXPECT_EQ(page.status, 200);
    auto login = c.request(http::verb::post, "/admin/api/login",
                           json::serialize(json::object{{"name", "agnes"}, {"password", password}}),
                           browser());
    ASSERT_EQ(login.status, 200) << login.body;
    auto cookie = login.headers["Set-Cookie"];
    cookie = cookie.substr(0, cookie.find(';'));
    auto csrf = std::string(json::parse(login.body).at("csrf").as_string());
    auto queue = c.request(http::verb::get, "/admin/api/inbox/queue", {}, {{"Cookie", cookie}});
    EXPECT_EQ(queue.status, 200) << queue.body;
    // A state change through the proxy: the CSRF token and our origin still required.
    EXPECT_EQ(c.request(http::verb::post, "/admin/api/logout", "{}",
                        {{"Host", host()}, {"Cookie", cookie}, {"Origin", "http://evil.example"}, {"X-CSRF-Token", csrf}})
                  .status,
              403);
    EXPECT_EQ(c.request(http::verb::post, "/admin/api/logout", "{}",
                        browser({{"Cookie", cookie}, {"X-CSRF-Token", csrf}}))
                  .status,
              200);
}
