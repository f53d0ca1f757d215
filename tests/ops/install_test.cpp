// The IT person's installation: `cmake --install` into a prefix, the prefix moved elsewhere
// (relocatable), then the installed `guichet serve` on a real port answers a citizen and serves
// the widget from its own share/ and its plugins from its own lib/ — not from the build tree,
// which nothing here changes. The settings still win over the installed defaults.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "support/http_client.h"
#include "support/run_command.h"

namespace fs = std::filesystem;
using namespace guichet::test;

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The server's memory map: the files it really loaded.

// Runs `guichet serve` from `cwd` (a folder that holds no site: the default site applies).
std::unique_ptr<server_process> serve_from(const fs::path& cwd, const fs::path& exe,
                                           std::map<std::string, std::string> env = {}) {
    auto here = fs::current_path();
    fs::current_path(cwd);
    auto s = std::make_unique<server_process>(exe.string(), std::vector<std::string>{"serve", "--port", "0"}, env);
    fs::current_path(here);
    return s;
}

class installed_tree : public ::testing::Test {
protected:
    void SetUp() override {
        // Nothing of the test's own environment may point the server back at the build tree.
        for (auto v : {"GUICHET_PLUGINS_DIR", "GUICHET_WEB_STATIC_DIR", "GUICHET_ADMIN_STATIC_DIR",
                       "GUICHET_KB_PATH", "GUICHET_STORE_PATH"})
            ::unsetenv(v);
        dir_ = fs::temp_directory_path() / ("guichet_install_" + std::to_string(getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "elsewhere");
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

}  // namespace

TEST_F(installed_tree, moved_prefix_serves_with_its_own_plugins_and_files) {
    auto r = run("\"" GUICHET_CMAKE_COMMAND "\" --install \"" GUICHET_BINARY_DIR "\" --prefix \"" +
                 (dir_ / "first").string() + "\"");
    ASSERT_EQ(r.status, 0) << r.out;
    const fs::path prefix = dir_ / "elsewhere" / "guichet";
    fs::rename(dir_ / "first", prefix);  // relocatable: nothing refers to the first place
    ASSERT_TRUE(fs::exists(prefix / "bin" / "guichet"));
    ASSERT_TRUE(fs::exists(prefix / "share" / "guichet" / "commune" / "intents"));
    ASSERT_TRUE(fs::exists(prefix / "share" / "guichet" / "examples" / "nginx-guichet.conf"));
    // The reference plugin is an example, not a plugin the town serves: its source is shipped,
    // its library is not; a plugin author builds against the installed headers alone.
    EXPECT_FALSE(fs::exists(prefix / "lib" / "guichet" / "plugins" / "reference_c.so"));
    const auto example = prefix / "share" / "guichet" / "examples" / "plugin" / "reference_c.c";
    ASSERT_TRUE(fs::exists(example));
    // (With the answers the town's plugins share, which the README tells authors to use.)
    { std::ofstream(dir_ / "hello.cpp") << "#include <guichet/sdk.hpp>\n#include <guichet/answers.hpp>\n"
          "struct hello { explicit hello(guichet::sdk::host&) {}\n"
          "  void handle(guichet::sdk::turn t) {\n"
          "    const std::string n = std::to_string(3);\n"
          "    t.say(t.tr(\"Bonjour\", \"Hello\")); t.say(t.tr(n + \" h\", n + \" pm\"));\n"
          "    t.say(guichet::answers::call_the_desk(t).words); t.finish(); } };\n"
          "GUICHET_SDK_PLUGIN(hello, \"hello\", \"1.0.0\", 0, \"hello.say\")\n"; }
    for (const auto& [compiler, source, out] :
         {std::tuple{"cc -std=c99", example, dir_ / "reference_c.so"},
          std::tuple{"c++ -std=c++20", dir_ / "hello.cpp", dir_ / "hello.so"}}) {
        auto built = run(std::string(compiler) + " -shared -fPIC -fvisibility=hidden -Wl,--no-undefined -I \"" +
                         (prefix / "include").string() + "\" \"" + source.string() + "\" -o \"" +
                         out.string() + "\" 2>&1");
        EXPECT_EQ(built.status, 0) << built.out;
    }
    // A mark only the installed copy of the widget has.
    const std::string mark = "\n/* installed copy " + std::to_string(getpid()) + " */\n";
    { std::ofstream(prefix / "share" / "guichet" / "web" / "widget.js", std::ios::app) << mark; }

    auto server = serve_from(dir_, prefix / "bin" / "guichet");
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client c(server->port());
    auto a = c.post_json("/api/v1/messages", R"({"conversation":"i1","user":"u1","text":"Bonjour"})");
    ASSERT_EQ(a.status, 200) << a.body;
    auto v = boost::json::parse(a.body).as_object();
    EXPECT_EQ(v.at("intent").at("name").as_string(), "smalltalk.greet");
    auto widget = c.request(boost::beast::http::verb::get, "/widget.js");
    EXPECT_EQ(widget.status, 200);
    EXPECT_NE(widget.body.find(mark), std::string::npos) << "the widget is not the installed one";
    EXPECT_EQ(c.request(boost::beast::http::verb::get, "/admin").status, 200);  // the console's page
    // The plugins loaded are the installed ones (each runs from a private copy in memory: the
    // log says the file it was copied from); the default commune is the installed one.
    auto loaded = server->stderr_text();
    EXPECT_NE(loaded.find(") from " + (prefix / "lib").string()), std::string::npos) << loaded;
    EXPECT_EQ(loaded.find(") from " GUICHET_BINARY_DIR "/plugins/"), std::string::npos) << loaded;
    EXPECT_TRUE(fs::exists(prefix / "share" / "guichet" / "commune" / "var" / "knowledge.db"));
    EXPECT_EQ(server->stop(SIGTERM), 0) << server->stderr_text();

    // The settings still win over the installed defaults.
    fs::create_directories(dir_ / "web");
    for (auto f : {"index.html", "widget.css"}) fs::copy(prefix / "share/guichet/web" / f, dir_ / "web" / f);
    { std::ofstream(dir_ / "web" / "widget.js") << "/* the town's own widget */"; }
    server = serve_from(dir_, prefix / "bin" / "guichet",
                        {{"GUICHET_WEB_STATIC_DIR", (dir_ / "web").string()},
                         {"GUICHET_PLUGINS_DIR", GUICHET_BINARY_DIR "/plugins"}});
    ASSERT_TRUE(server->started()) << server->stderr_text();
    http_client again(server->port());
    EXPECT_EQ(again.request(boost::beast::http::verb::get, "/widget.js").body, "/* the town's own widget */");
    EXPECT_EQ(again.post_json("/api/v1/messages", R"({"conversation":"i2","user":"u","text":"Bonjour"})").status, 200);
    EXPECT_NE(server->stderr_text().find(") from " GUICHET_BINARY_DIR "/plugins/"), std::string::npos)
        << server->stderr_text();
}
