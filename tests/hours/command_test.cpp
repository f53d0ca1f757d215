// Tests of `guichet hours` (run_hours_command): JSON output in the corpus's shape, --help,
// and clear errors (caret under the offending character) for bad input.
#include "hours/command.h"

#include <gtest/gtest.h>

#include <sstream>

namespace guichet::hours {
namespace {

struct run_result {
    int code;
    std::string out, err;
};

run_result run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = run_hours_command(args, out, err);
    return {code, out.str(), err.str()};
}

TEST(hours_command, prints_intervals_like_the_corpus) {
    const auto r = run({"Mo-Fr 10:00-12:00; PH off", "--from", "2025-05-07T00:00:00", "--to", "2025-05-09T00:00:00"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "{\"intervals\":[[\"2025-05-07T10:00:00+02:00\",\"2025-05-07T12:00:00+02:00\",false,null]]}\n");
    EXPECT_TRUE(r.err.empty());
}

TEST(hours_command, comments_offsets_and_time_zone) {
    const auto r = run({"Sa 21:00+", "--from", "2025-01-18T00:00:00+01:00", "--to", "2025-01-19T00:00:00+01:00",
                        "--tz", "Europe/Paris"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out,
              "{\"intervals\":[[\"2025-01-18T21:00:00+01:00\",\"2025-01-19T00:00:00+01:00\",true,"
              "\"Specified as open end. Closing time was guessed.\"]]}\n");
    const auto ny = run({"Mo 10:00-11:00", "--from", "2025-01-13T00:00:00", "--to", "2025-01-14T00:00:00", "--tz",
                         "America/New_York"});
    EXPECT_EQ(ny.out, "{\"intervals\":[[\"2025-01-13T10:00:00-05:00\",\"2025-01-13T11:00:00-05:00\",false,null]]}\n");
}

TEST(hours_command, help) {
    const auto r = run({"--help"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("usage: guichet hours"), std::string::npos);
    EXPECT_NE(r.out.find("utilisation"), std::string::npos);
}

TEST(hours_command, bad_expression_shows_a_caret) {
    const auto r = run({"Mo-Fr 25:00-26:00", "--from", "2025-01-13T00:00:00", "--to", "2025-01-14T00:00:00"});
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(r.err.rfind("Mo-Fr 25:00-26:00\n      ^\n", 0), 0u) << r.err;
    EXPECT_NE(r.err.find("24:00"), std::string::npos);
}

TEST(hours_command, bad_arguments) {
    EXPECT_EQ(run({"24/7", "--from", "2025-01-13", "--to", "2025-01-14T00:00:00"}).code, 1);
    EXPECT_EQ(run({"24/7", "--from", "2025-01-13T00:00:00"}).code, 1);
    EXPECT_EQ(run({"24/7", "--from", "2025-01-14T00:00:00", "--to", "2025-01-13T00:00:00"}).code, 1);
    EXPECT_EQ(run({"24/7", "--from", "2025-01-13T00:00:00", "--to", "2025-01-14T00:00:00", "--tz", "Nowhere/City"}).code, 1);
    EXPECT_EQ(run({"24/7", "extra", "--from", "2025-01-13T00:00:00", "--to", "2025-01-14T00:00:00"}).code, 1);
    EXPECT_EQ(run({}).code, 1);
    const auto r = run({"24/7", "--from"});
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("--from"), std::string::npos);
}

}  // namespace
}  // namespace guichet::hours
