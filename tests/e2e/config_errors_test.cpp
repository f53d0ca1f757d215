// The real `guichet serve` and `guichet check` refuse a wrong setting before serving: a
// message that names it (variable, option, file:line:column) and says what is expected, and
// a non-zero exit; never a random port, an exception's what() ("stol") or a Boost source path.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "support/http_client.h"
#include "support/run_command.h"

namespace fs = std::filesystem;
using guichet::test::run_result;

namespace {

// `guichet ARGS` with the environment `env` ("NAME=value …"); the time limit keeps a server
// that started anyway from hanging the test.
// Its knowledge base goes in this process's folder, removed at exit (one was left in /tmp for
// each test).
struct kb_folder {
    fs::path path = fs::temp_directory_path() / ("guichet_config_errors_" + std::to_string(getpid()));
    ~kb_folder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
} kb;

run_result run_guichet(const std::string& env, const std::string& args) {
    return guichet::test::run("env GUICHET_KB_PATH=" + (kb.path / "kb.db").string() + " " + env +
                              " timeout 60 " GUICHET_BINARY_DIR "/guichet " + args);
}

const std::string site = " --site " GUICHET_SOURCE_DIR "/tests/e2e/site";

bool has(const run_result& r, const std::string& text) {
    return r.out.find(text) != std::string::npos;
}

fs::path empty_folder(const std::string& name) {
    auto d = fs::temp_directory_path() /
             ("guichet_config_errors_" + name + "_" + std::to_string(getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

}  // namespace

TEST(config_errors, a_port_out_of_range_or_not_a_number_is_refused) {
    for (const char* port : {"99999", "-1", "1e3", "18811abc", "abc"}) {
        auto r = run_guichet("", "serve" + site + " --port " + port);
        EXPECT_EQ(r.status, 2) << port << ": " << r.out;
        EXPECT_TRUE(has(r, std::string("guichet serve: --port: '") + port +
                               "' is not a whole number from 0 to 65535"))
            << r.out;
        EXPECT_FALSE(has(r, "listening")) << r.out;
        EXPECT_FALSE(has(r, "stol")) << r.out;
    }
    auto r = run_guichet("GUICHET_SERVER_PORT=99999", "serve" + site);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, "GUICHET_SERVER_PORT: '99999' is not a whole number from 0 to 65535"))
        << r.out;
    EXPECT_TRUE(has(r, "not starting")) << r.out;
}

TEST(config_errors, wrong_values_from_the_environment_stop_serve_and_fail_check) {
    for (const char* command : {"serve", "check"}) {
        auto r = run_guichet(
            "GUICHET_SERVER_THREADS=100000 GUICHET_OPS_MASK_PERSONAL_DATA=maybe "
            "GUICHET_DIRECTLINE_TOKEN_LIFETIME_S=abc",
            std::string(command) + site);
        EXPECT_EQ(r.status, 1) << r.out;
        EXPECT_TRUE(has(r, "GUICHET_SERVER_THREADS: '100000' is not a whole number from 0 to 256"))
            << r.out;
        EXPECT_TRUE(has(r, "GUICHET_OPS_MASK_PERSONAL_DATA: 'maybe' is not true or false"))
            << r.out;
        EXPECT_TRUE(has(r, "GUICHET_DIRECTLINE_TOKEN_LIFETIME_S: 'abc' is not a whole number"))
            << r.out;
        EXPECT_FALSE(has(r, "stol")) << r.out;
    }
}

TEST(config_errors, a_folder_as_configuration_file_is_said_so) {
    auto dir = empty_folder("config");
    auto r = run_guichet("", "serve" + site + " --config " + dir.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, "--config: " + dir.string() + " is a folder, not a file")) << r.out;
    EXPECT_FALSE(has(r, "basic_filebuf")) << r.out;
    fs::remove_all(dir);
}

TEST(config_errors, a_store_that_does_not_open_names_the_variable) {
    auto r = run_guichet("GUICHET_STORE_PATH=/etc/passwd/state.db", "serve" + site + " --port 0");
    EXPECT_EQ(r.status, 1) << r.out;
    // The part of the path in the way, and why (SQLite said "unable to open database file").
    EXPECT_TRUE(has(r, "GUICHET_STORE_PATH: /etc/passwd : n'est pas un dossier mais un fichier")) << r.out;
    EXPECT_TRUE(has(r, "/etc/passwd is not a folder but a file")) << r.out;
    EXPECT_FALSE(has(r, "guichet.yaml")) << r.out;
}

// A plugins folder that is missing or gives no plugin while the intents need some: the server
// would say "ready" and answer "Désolé…" to everything.
TEST(config_errors, a_plugins_folder_without_the_plugins_the_intents_need_is_refused) {
    auto dir = empty_folder("plugins");
    for (std::string command : {"serve --port 0", "check"}) {
        auto r = run_guichet("GUICHET_PLUGINS_DIR=" + dir.string(), command + site);
        EXPECT_EQ(r.status, 1) << command << ": " << r.out;
        EXPECT_TRUE(has(
            r, "GUICHET_PLUGINS_DIR: " + dir.string() + ": no plugin was loaded from this folder"))
            << r.out;
        EXPECT_TRUE(
            has(r, "is not loaded, nor any other; the intents need: reference_c, smalltalk"))
            << r.out;
        EXPECT_FALSE(has(r, "listening")) << r.out;

        auto missing = run_guichet("GUICHET_PLUGINS_DIR=/nonexistent/plugins", command + site);
        EXPECT_EQ(missing.status, 1) << missing.out;
        EXPECT_TRUE(has(missing, "GUICHET_PLUGINS_DIR: /nonexistent/plugins is not a folder"))
            << missing.out;
    }
    fs::remove_all(dir);
}

TEST(config_errors, a_port_in_use_is_said_without_boost_internals) {
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor taken(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    auto port = std::to_string(taken.local_endpoint().port());
    auto r = run_guichet("", "serve" + site + " --port " + port);
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, "guichet: cannot listen on 127.0.0.1:" + port + ": Address already in use"))
        << r.out;
    EXPECT_FALSE(has(r, "boost")) << r.out;
    EXPECT_FALSE(has(r, "[system:")) << r.out;
}

// `check` counts as problems what `serve` only logged: a plugin refused (here a second file
// with the name of one already loaded, which the sorted order decides), and a section that is
// neither guichet's nor a loaded plugin's ("servr:" was accepted silently).
TEST(config_errors, a_refused_plugin_and_an_unknown_section_are_problems_for_check) {
    auto dir = empty_folder("twice");
    for (auto name : {"reference_c.so", "smalltalk.so"})
        fs::copy_file(fs::path(GUICHET_BINARY_DIR) / "plugins" / name, dir / name);
    fs::copy_file(fs::path(GUICHET_BINARY_DIR) / "plugins" / "smalltalk.so", dir / "zz_smalltalk.so");
    auto site_dir = empty_folder("section_site");
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", site_dir, fs::copy_options::recursive);
    {
        std::FILE* f = std::fopen((site_dir / "guichet.yaml").c_str(), "a");
        std::fputs("\nservr:\n  port: 9000\n", f);
        std::fclose(f);
    }
    auto r = run_guichet("GUICHET_PLUGINS_DIR=" + dir.string(), "check --site " + site_dir.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, (dir / "zz_smalltalk.so").string() +
                           ": a plugin named 'smalltalk' is already loaded from " +
                           (dir / "smalltalk.so").string()))
        << r.out;
    EXPECT_TRUE(has(r, "unknown section 'servr': neither a setting of guichet nor a loaded "
                       "plugin's (did you mean 'server'?)"))
        << r.out;
    // `serve` refuses it too: it started on the defaults, silently ("servr: host: 0.0.0.0").
    r = run_guichet("GUICHET_PLUGINS_DIR=" + dir.string(), "serve --port 0 --site " + site_dir.string());
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, "unknown section 'servr'")) << r.out;
    EXPECT_FALSE(has(r, "listening")) << r.out;
    fs::remove_all(dir);
    fs::remove_all(site_dir);
}

// A misspelt variable of a known section changed nothing, silently; now `serve` and `check`
// name it with the nearest one.
TEST(config_errors, a_misspelt_variable_is_named_with_the_nearest_one) {
    for (std::string command : {"serve --port 0", "check"}) {
        auto r = run_guichet("GUICHET_SERVER_PROT=9000", command + site);
        EXPECT_EQ(r.status, 1) << command << ": " << r.out;
        EXPECT_TRUE(has(r, "GUICHET_SERVER_PROT: no such setting in 'server' (did you mean "
                           "'GUICHET_SERVER_PORT'?)"))
            << r.out;
        EXPECT_FALSE(has(r, "listening")) << r.out;
    }
}

// A variable whose section is misspelt (GUICHET_SERVR_PORT=9000) changed nothing, silently: it is
// neither guichet's section nor a plugin's, so nothing said which setting it missed. `check` and
// `serve` now warn with the nearest setting, and still check and serve (it may be another
// program's); a plugin's section misspelt is named with the plugin's (the key its own).
TEST(config_errors, a_variable_of_a_misspelt_section_is_a_warning_naming_the_nearest_setting) {
    auto r = run_guichet("GUICHET_SERVR_PORT=9000 GUICHET_SMALLTAK_GREETING=x", "check" + site);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_TRUE(has(r, "warning: GUICHET_SERVR_PORT: names no setting of guichet nor of a loaded "
                       "plugin: ignored (did you mean 'GUICHET_SERVER_PORT'?)"))
        << r.out;
    EXPECT_TRUE(has(r, "warning: GUICHET_SMALLTAK_GREETING: names no setting of guichet nor of a "
                       "loaded plugin: ignored (did you mean 'GUICHET_SMALLTALK_GREETING'?)"))
        << r.out;
    // guichet's own variable that is no setting, and a plugin's variable, are no typo.
    r = run_guichet("GUICHET_STAFF_PASSWORD=x GUICHET_SMALLTALK_GREETING=x", "check" + site);
    EXPECT_EQ(r.status, 0) << r.out;
    EXPECT_FALSE(has(r, "warning:")) << r.out;
    auto dir = empty_folder("servr");
    guichet::test::server_process s(GUICHET_BINARY_DIR "/guichet",
                                    {"serve", "--site", GUICHET_SOURCE_DIR "/tests/e2e/site", "--port", "0"},
                                    {{"GUICHET_KB_PATH", (dir / "kb.db").string()},
                                     {"GUICHET_SERVR_PORT", "9000"}});
    ASSERT_TRUE(s.started()) << s.stderr_text();
    EXPECT_EQ(s.stop(SIGTERM), 0);
    EXPECT_NE(s.stderr_text().find("GUICHET_SERVR_PORT: names no setting of guichet nor of a loaded "
                                   "plugin: ignored (did you mean 'GUICHET_SERVER_PORT'?)"),
              std::string::npos)
        << s.stderr_text();
    fs::remove_all(dir);
}

namespace {
// `guichet check` run inside a site's subfolder (knowledge/faq/, where staff edit) checks that
// site: it checked the default commune and said "ok".
TEST(config_errors, check_inside_a_sites_subfolder_checks_that_site) {
    auto site_dir = empty_folder("subfolder_site");
    fs::copy(GUICHET_SOURCE_DIR "/tests/e2e/site", site_dir, fs::copy_options::recursive);
    fs::create_directories(site_dir / "knowledge" / "faq");
    {
        std::FILE* f = std::fopen((site_dir / "knowledge" / "faq" / "broken.yaml").c_str(), "w");
        std::fputs("entries:\n  - id: x\n    question: { fr: \"oups\n", f);
        std::fclose(f);
    }
    auto r = guichet::test::run("cd " + (site_dir / "knowledge" / "faq").string() +
                                " && timeout 60 " GUICHET_BINARY_DIR "/guichet check");
    EXPECT_EQ(r.status, 1) << r.out;
    EXPECT_TRUE(has(r, "broken.yaml")) << r.out;
    fs::remove_all(site_dir);
}
}  // namespace
