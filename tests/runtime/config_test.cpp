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
