// Configuration: defaults, file values, environment overrides, precise errors.
#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace {
fs::path write_temp(const std::string& name, const std::string& text) {
    auto dir = fs::temp_directory_path() / ("guichet_config_test_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / name) << text;
    return dir / name;
}
}  // namespace

TEST(config, defaults_file_then_environment) {
    auto f = write_temp("a.yaml", "server:\n  port: 9000\n  host: 0.0.0.0\nengine:\n  time_zone: Europe/Paris\n");
    ::setenv("GUICHET_SERVER_HOST", "127.0.0.2", 1);
    guichet::diagnostics problems;
    auto c = guichet::config::load(f, true, problems);
    ::unsetenv("GUICHET_SERVER_HOST");
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(c.get_int("server.port"), 9000);
    EXPECT_EQ(c.get("server.host"), "127.0.0.2");
    EXPECT_EQ(c.get_int("engine.turn_deadline_ms"), 3000);
}

TEST(config, unknown_keys_and_bad_yaml_point_at_the_place) {
    auto f = write_temp("b.yaml", "server:\n  prot: 9000\n");
    guichet::diagnostics problems;
    guichet::config::load(f, true, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(), f.string() + ":2:3: unknown key 'server.prot'");

    auto g = write_temp("c.yaml", "server:\n  port: [9000\n");
    problems.clear();
    guichet::config::load(g, true, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].file, g.string());
    EXPECT_GT(problems[0].line, 0);
}

TEST(config, free_sections_and_their_environment) {
    ::setenv("GUICHET_TELEGRAM_BOT_TOKEN", "123:abc", 1);
    auto c = guichet::config::defaults();
    auto telegram = c.section("telegram");
    ::unsetenv("GUICHET_TELEGRAM_BOT_TOKEN");
    EXPECT_EQ(telegram["bot_token"], "123:abc");
    EXPECT_EQ(guichet::environment_name("server.body_limit"), "GUICHET_SERVER_BODY_LIMIT");
    EXPECT_THROW(c.get("server.nope"), std::out_of_range);
}

// A wrong value is said where it is written (or under its environment variable), and its
// default is kept for the rest of the check: a zone ICU does not know is no silent UTC.
TEST(config, wrong_values_point_at_the_place_and_keep_the_default) {
    auto f = write_temp("d.yaml",
                        "engine:\n  time_zone: Europe/Pariss\n  ambiguity_margin: beaucoup\n"
                        "  alsace_moselle: peut-être\nserver:\n  port: \"abc\"\nlog:\n"
                        "  level: warning\n");
    guichet::diagnostics problems;
    auto c = guichet::config::load(f, true, problems);
    ASSERT_EQ(problems.size(), 5u);
    EXPECT_EQ(problems[0].str(), f.string() +
                                     ":2:14: 'engine.time_zone': unknown time zone "
                                     "'Europe/Pariss' (an IANA name such as Europe/Paris)");
    EXPECT_EQ(problems[1].str(), f.string() +
                                     ":3:21: 'engine.ambiguity_margin': 'beaucoup' is "
                                     "not a number");
    EXPECT_EQ(problems[2].str(), f.string() +
                                     ":4:19: 'engine.alsace_moselle': 'peut-être' is "
                                     "not true or false");
    EXPECT_EQ(problems[3].str(), f.string() + ":6:9: 'server.port': 'abc' is not a whole number");
    EXPECT_EQ(problems[4].str(), f.string() +
                                     ":8:10: 'log.level': 'warning' is not a log level "
                                     "(debug, info, warn or error)");
    EXPECT_EQ(c.get("engine.time_zone"), "Europe/Paris");
    EXPECT_EQ(c.get_int("server.port"), 8080);

    ::setenv("GUICHET_SERVER_PORT", "x", 1);
    ::setenv("GUICHET_ENGINE_TIME_ZONE", "America/New_York", 1);
    problems.clear();
    auto e = guichet::config::load(f.parent_path() / "none.yaml", false, problems);
    ::unsetenv("GUICHET_SERVER_PORT");
    ::unsetenv("GUICHET_ENGINE_TIME_ZONE");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(), "GUICHET_SERVER_PORT: 'x' is not a whole number");
    EXPECT_EQ(e.get("engine.time_zone"), "America/New_York");
}
