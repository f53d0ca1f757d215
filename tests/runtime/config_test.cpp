// Configuration: defaults, file values, environment overrides, precise errors.
#include "config/config.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {
// This process's folder of files, removed at exit (ctest runs each test in a process of its own:
// a folder was left in /tmp for each).
struct temp_folder {
    fs::path path = fs::temp_directory_path() / ("guichet_config_test_" + std::to_string(::getpid()));
    ~temp_folder() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
} folder;

fs::path write_temp(const std::string& name, const std::string& text) {
    fs::create_directories(folder.path);
    std::ofstream(folder.path / name) << text;
    return folder.path / name;
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
    auto f = write_temp("b.yaml", "server:\n  prt: 9000\n");
    guichet::diagnostics problems;
    guichet::config::load(f, true, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(),
              f.string() + ":2:3: unknown key 'prt' in 'server' (did you mean 'port'?)");
    // The one problem a file has, as ":line:column: message" (its path taken off).
    auto only_problem = [](const std::string& name, const std::string& text) {
        auto file = write_temp(name, text);
        guichet::diagnostics found;
        guichet::config::load(file, true, found);
        if (found.size() != 1) return std::to_string(found.size()) + " problems";
        const auto said = found[0].str();
        return said.rfind(file.string(), 0) == 0 ? said.substr(file.string().size()) : said;
    };
    // A staff key a script could guess is refused, not repeated.
    EXPECT_EQ(only_problem("b3.yaml", "ops:\n  staff_token: a\n")
                  .rfind(":2:16: 'ops.staff_token': the value is too short for a key", 0),
              0u);
    // A language guichet does not speak is refused.
    EXPECT_EQ(only_problem("b5.yaml", "engine:\n  languages: fr,de\n")
                  .rfind(":2:14: 'engine.languages': 'de' is not a language guichet speaks", 0),
              0u);
    // A key set twice (YAML silently keeps the last) is said where it is.
    EXPECT_EQ(only_problem("b4.yaml", "server:\n  port: 9881\n  port: 9882\n"),
              ":3:3: 'server.port' is set twice (first on line 2; YAML keeps the last): keep one");
    // Two letters swapped are one typo.
    EXPECT_EQ(only_problem("b2.yaml", "server:\n  prot: 9000\n"),
              ":2:3: unknown key 'prot' in 'server' (did you mean 'port'?)");

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
                                     "not a number from 0 to 1");
    EXPECT_EQ(problems[2].str(), f.string() +
                                     ":4:19: 'engine.alsace_moselle': 'peut-être' is "
                                     "not true or false (also: yes/no, on/off, 1/0, oui/non)");
    EXPECT_EQ(problems[3].str(),
              f.string() + ":6:9: 'server.port': 'abc' is not a whole number from 0 to 65535");
    EXPECT_EQ(problems[4].str(), f.string() +
                                     ":8:10: 'log.level': 'warning' is not one of: debug, "
                                     "info, warn, error");
    EXPECT_EQ(c.get("engine.time_zone"), "Europe/Paris");
    EXPECT_EQ(c.get_int("server.port"), 8080);

    ::setenv("GUICHET_SERVER_PORT", "x", 1);
    ::setenv("GUICHET_ENGINE_TIME_ZONE", "America/New_York", 1);
    problems.clear();
    auto e = guichet::config::load(f.parent_path() / "none.yaml", false, problems);
    ::unsetenv("GUICHET_SERVER_PORT");
    ::unsetenv("GUICHET_ENGINE_TIME_ZONE");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(), "GUICHET_SERVER_PORT: 'x' is not a whole number from 0 to 65535");
    EXPECT_EQ(e.get("engine.time_zone"), "America/New_York");

    // A value from an env file with Windows line ends, or a space typed after it.
    ::setenv("GUICHET_SERVER_PORT", "9651\r", 1);
    ::setenv("GUICHET_ENGINE_TIME_ZONE", " Europe/Paris ", 1);
    problems.clear();
    auto crlf = guichet::config::load(f.parent_path() / "none.yaml", false, problems);
    ::unsetenv("GUICHET_SERVER_PORT");
    ::unsetenv("GUICHET_ENGINE_TIME_ZONE");
    EXPECT_TRUE(problems.empty()) << problems[0].str();
    EXPECT_EQ(crlf.get_int("server.port"), 9651);
    EXPECT_EQ(crlf.get("engine.time_zone"), "Europe/Paris");
}

// The one reader of whole numbers, numbers and yes/no values: the whole text or nothing.
TEST(config_values, whole_numbers_numbers_and_yes_no_are_read_whole_or_not_at_all) {
    using guichet::parse_bool;
    using guichet::parse_number;
    using guichet::parse_whole;
    EXPECT_EQ(parse_whole("8080"), 8080);
    EXPECT_EQ(parse_whole("-1"), -1);
    EXPECT_EQ(parse_whole("0"), 0);
    for (const char* bad : {"", "abc", "10abc", "18811abc", "1e3", " 5", "5 ", "+5", "1.5", "0x10",
                            "99999999999999999999"})
        EXPECT_FALSE(parse_whole(bad).has_value()) << bad;
    EXPECT_DOUBLE_EQ(*parse_number("0.12"), 0.12);
    EXPECT_DOUBLE_EQ(*parse_number("-3"), -3);
    for (const char* bad : {"", "beaucoup", "0.12x", " 1", "nan", "inf"})
        EXPECT_FALSE(parse_number(bad).has_value()) << bad;
    for (const char* yes : {"true", "True", "TRUE", "1", "yes", "Yes", "on", "ON", "oui", "Oui"})
        EXPECT_EQ(parse_bool(yes), true) << yes;
    for (const char* no : {"false", "False", "0", "no", "NO", "off", "Off", "non", "NON"})
        EXPECT_EQ(parse_bool(no), false) << no;
    for (const char* bad : {"", "maybe", "vrai", "2", "yes!", " true"})
        EXPECT_FALSE(parse_bool(bad).has_value()) << bad;
}

namespace {

// The problems of the environment `name=value` alone (no file).
guichet::diagnostics environment_problems(const char* name, const char* value) {
    ::setenv(name, value, 1);
    guichet::diagnostics problems;
    guichet::config::load("/nonexistent/guichet.yaml", false, problems);
    ::unsetenv(name);
    return problems;
}

}  // namespace

// Every wrong value the IT person found accepted is refused under the variable's name, saying
// what is expected; the values that mean something (0: any port, rate 0: off) still pass.
TEST(config_values, wrong_environment_values_name_the_variable_and_what_is_expected) {
    const struct {
        const char *name, *value, *expected;
    } cases[] = {
        {"GUICHET_SERVER_PORT", "99999", "'99999' is not a whole number from 0 to 65535"},
        {"GUICHET_SERVER_PORT", "-1", "'-1' is not a whole number from 0 to 65535"},
        {"GUICHET_SERVER_PORT", "1e3", "'1e3' is not a whole number from 0 to 65535"},
        {"GUICHET_SERVER_PORT", "18811abc", "'18811abc' is not a whole number from 0 to 65535"},
        {"GUICHET_SERVER_BODY_LIMIT", "-1", "'-1' is not a whole number >= 1"},
        {"GUICHET_ENGINE_MESSAGE_MAX_BYTES", "-1", "'-1' is not a whole number from 1 to 1048576"},
        {"GUICHET_SERVER_IDLE_TIMEOUT_S", "-1", "'-1' is not a whole number from 1 to 86400"},
        {"GUICHET_SERVER_MAX_CONNECTIONS", "0", "'0' is not a whole number from 1 to 1000000"},
        {"GUICHET_SERVER_THREADS", "-1", "'-1' is not a whole number from 0 to 256"},
        {"GUICHET_SERVER_THREADS", "100000", "'100000' is not a whole number from 0 to 256"},
        {"GUICHET_SERVER_HOST", "localhost", "'localhost' is not an IP address"},
        {"GUICHET_ENGINE_BLOCKING_WORKERS", "-1", "'-1' is not a whole number from 1 to 256"},
        {"GUICHET_WEB_TOKEN_LIFETIME_S", "-1", "'-1' is not a whole number from 1 to 31536000"},
        {"GUICHET_LIMITS_RATE_PER_MINUTE", "-1", "'-1' is not a whole number from 0 to 1000000"},
        {"GUICHET_LIMITS_RATE_PER_MINUTE", "10abc",
         "'10abc' is not a whole number from 0 to 1000000"},
        {"GUICHET_LIMITS_MAX_CONNECTIONS_PER_IP", "-1",
         "'-1' is not a whole number from 1 to 1000000"},
        {"GUICHET_OUTBOX_POLL_MS", "0", "'0' is not a whole number from 1 to 3600000"},
        {"GUICHET_OUTBOX_TIMEOUT_MS", "-5", "'-5' is not a whole number from 1 to 600000"},
        {"GUICHET_DIRECTLINE_TOKEN_LIFETIME_S", "abc",
         "'abc' is not a whole number from 1 to 31536000"},
        {"GUICHET_OPS_RELOAD_POLL_MS", "abc", "'abc' is not a whole number from 1 to 3600000"},
        {"GUICHET_RETENTION_MESSAGES_DAYS", "-1", "'-1' is not a whole number from 0 to 36500"},
        {"GUICHET_ADMIN_SESSION_IDLE_S", "0", "'0' is not a whole number from 1 to 31536000"},
        {"GUICHET_OPS_MASK_PERSONAL_DATA", "maybe", "'maybe' is not true or false"},
        {"GUICHET_OPS_RELOAD", "peut-être", "'peut-être' is not true or false"},
        {"GUICHET_ENGINE_ALSACE_MOSELLE", "", "'' is not true or false"},
        {"GUICHET_OPS_LOG_FORMAT", "xml", "'xml' is not one of: text, json"},
        {"GUICHET_LOG_LEVEL", "verbose", "'verbose' is not one of: debug, info, warn, error"},
        {"GUICHET_TELEGRAM_API_URL", "api.telegram.org",
         "'api.telegram.org' is not an https:// URL"},
        {"GUICHET_TELEGRAM_API_URL", "http://api.telegram.org",
         "is not an https:// URL (http:// only for 127.0.0.1 or localhost)"},
        {"GUICHET_MATRIX_API_URL", "ftp://matrix.example.org", "is not an https:// URL"},
        {"GUICHET_SLACK_API_URL", "https://", "is not an https:// URL"},
        {"GUICHET_DIRECTLINE_PUBLIC_URL", "chat.example.fr", "is not an http:// or https:// URL"},
        {"GUICHET_TELEGRAM_SECRET_TOKEN", "no spaces please",
         "must be 1 to 256 characters among A-Z a-z 0-9 _ -"},
    };
    for (auto& c : cases) {
        auto problems = environment_problems(c.name, c.value);
        ASSERT_EQ(problems.size(), 1u) << c.name << "=" << c.value;
        auto text = problems[0].str();
        EXPECT_EQ(text.rfind(std::string(c.name) + ": ", 0), 0u) << text;
        EXPECT_NE(text.find(c.expected), std::string::npos) << text;
    }
    const struct {
        const char *name, *value;
    } fine[] = {
        {"GUICHET_SERVER_PORT", "0"},
        {"GUICHET_SERVER_PORT", "65535"},
        {"GUICHET_SERVER_THREADS", "0"},
        {"GUICHET_LIMITS_RATE_PER_MINUTE", "0"},
        {"GUICHET_OPS_MASK_PERSONAL_DATA", "True"},
        {"GUICHET_OPS_MASK_PERSONAL_DATA", "oui"},
        {"GUICHET_OPS_LOG_FORMAT", "json"},
        {"GUICHET_SERVER_HOST", "::1"},
        {"GUICHET_TELEGRAM_API_URL", "http://127.0.0.1:9999"},
        {"GUICHET_MATRIX_API_URL", "https://matrix.example.org"},
        {"GUICHET_TELEGRAM_SECRET_TOKEN", "Abc_123-xyz"},
        {"GUICHET_WEB_TOKEN_LIFETIME_S", ""},  // empty: the web channel's own default
    };
    for (auto& f : fine)
        EXPECT_TRUE(environment_problems(f.name, f.value).empty()) << f.name << "=" << f.value;
}

// A secret is never repeated in a message: it would end in a terminal or a log.
TEST(config_values, a_wrong_secret_is_not_repeated) {
    auto problems = environment_problems("GUICHET_TELEGRAM_SECRET_TOKEN", "s3cret with spaces");
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str().find("s3cret"), std::string::npos) << problems[0].str();
}

// The sections of connectors, limits, retention, ops…: an unknown key is said with the
// nearest known one, and a wrong value with its file:line:column.
TEST(config_values, other_sections_point_at_the_place) {
    auto f = write_temp("sections.yaml",
                        "web:\n  token_lifetim_s: 60\n"
                        "limits:\n  rate_per_minut: 5\n  rate_per_minute: -1\n"
                        "store:\n  pth: /tmp/x\n"
                        "telegram:\n  secret_tokn: abc\n"
                        "directline:\n  secrett: abc\n"
                        "retention:\n  messages_days: lots\n"
                        "admin:\n  session_idle_s: 0\n"
                        "outbox:\n  poll_ms: 0\n"
                        "ops:\n  mask_personal_data: True\n  log_format: xml\n"
                        "myplugin:\n  anything: goes\n");
    guichet::diagnostics problems;
    auto c = guichet::config::load(f, true, problems);
    std::vector<std::string> said;
    for (auto& p : problems) said.push_back(p.str());
    const std::string p = f.string();
    EXPECT_EQ(
        said,
        (std::vector<std::string>{
            p + ":2:3: unknown key 'token_lifetim_s' in 'web' (did you mean 'token_lifetime_s'?)",
            p + ":4:3: unknown key 'rate_per_minut' in 'limits' (did you mean 'rate_per_minute'?)",
            p + ":5:20: 'limits.rate_per_minute': '-1' is not a whole number from 0 to 1000000",
            p + ":7:3: unknown key 'pth' in 'store' (did you mean 'path'?)",
            p + ":9:3: unknown key 'secret_tokn' in 'telegram' (did you mean 'secret_token'?)",
            p + ":11:3: unknown key 'secrett' in 'directline' (did you mean 'secret'?)",
            p + ":13:18: 'retention.messages_days': 'lots' is not a whole number from 0 to 36500",
            p + ":15:19: 'admin.session_idle_s': '0' is not a whole number from 1 to 31536000",
            p + ":17:12: 'outbox.poll_ms': '0' is not a whole number from 1 to 3600000",
            p + ":20:15: 'ops.log_format': 'xml' is not one of: text, json",
        }));
    EXPECT_TRUE(c.get_bool("ops.mask_personal_data"));
    EXPECT_EQ(c.get_int("retention.messages_days"), 90);   // the default kept after the problem
    EXPECT_EQ(c.section("myplugin")["anything"], "goes");  // a plugin's section is its own
}

// Where a value came from, for the problems found only when it is used (a store that does not
// open): the variable, the file's place, or the key for a default.
TEST(config_values, a_value_is_named_where_it_was_set) {
    auto f =
        write_temp("origin.yaml", "store:\n  path: /from/the/file.db\nkb:\n  path: /k/kb.db\n");
    ::setenv("GUICHET_STORE_PATH", "/from/the/environment.db", 1);
    guichet::diagnostics problems;
    auto c = guichet::config::load(f, true, problems);
    ::unsetenv("GUICHET_STORE_PATH");
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(c.setting_name("store.path"), "GUICHET_STORE_PATH");
    EXPECT_EQ(c.setting_name("kb.path"), f.string() + ":4:9: 'kb.path'");
    EXPECT_EQ(c.setting_name("plugins.dir"), "plugins.dir");
}

// A value set in code is checked when read: the exception names the key, never "stol".
TEST(config_values, getters_check_the_value_and_name_the_key) {
    auto c = guichet::config::defaults();
    c.set("server.threads", "100000");
    try {
        c.get_int("server.threads");
        FAIL() << "no exception";
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(), "server.threads: '100000' is not a whole number from 0 to 256");
    }
    c.set("ops.reload", "maybe");
    EXPECT_THROW(c.get_bool("ops.reload"), std::invalid_argument);
    EXPECT_EQ(c.get_int("web.history_max", 200), 200);  // empty: the component's default
    c.set("web.history_max", "10");
    EXPECT_EQ(c.get_int("web.history_max", 200), 10);
}

TEST(config_values, a_folder_given_as_configuration_file_is_said_so) {
    auto dir = write_temp("x.yaml", "").parent_path();
    guichet::diagnostics problems;
    guichet::config::load_for_site("/nonexistent", dir, problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].str(), "--config: " + dir.string() + " is a folder, not a file");
}
