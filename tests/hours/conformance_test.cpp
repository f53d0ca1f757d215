// Conformance against the corpus produced with opening_hours.js 3.15.0
// (${GUICHET_SHARED_DIR}/data/opening_hours): intervals (start, end, unknown) of every
// accepted expression, every refused expression refused with a message, every invalid
// expression refused. Skipped (and says so) when the shared folder is absent.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <string>

#include "hours/opening_hours.h"

namespace guichet::hours {
namespace {

namespace json = boost::json;

const std::filesystem::path data_dir = std::filesystem::path(GUICHET_SHARED_DIR) / "data" / "opening_hours";

std::string describe(const json::array& ivs) {
    std::string s;
    for (const auto& v : ivs) s += json::serialize(v) + "\n";
    return s;
}

// Our intervals in the corpus's shape.
json::array ours(const schedule& s, const json::object& row) {
    const std::string tz = "Europe/Paris";
    const auto from = parse_local_iso(row.at("from").as_string().c_str(), tz);
    const auto to = parse_local_iso(row.at("to").as_string().c_str(), tz);
    json::array out;
    for (const interval& iv : intervals(s, *from, *to, {tz, false})) {
        json::array r;
        r.emplace_back(format_local_iso(iv.start, tz));
        r.emplace_back(format_local_iso(iv.end, tz));
        r.emplace_back(iv.unknown);
        if (iv.comment) r.emplace_back(*iv.comment);
        else r.emplace_back(nullptr);
        out.emplace_back(std::move(r));
    }
    return out;
}

bool same_times(const json::array& a, const json::array& b, bool with_comment) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a[i].as_array();
        const auto& y = b[i].as_array();
        if (x[0] != y[0] || x[1] != y[1] || x[2] != y[2]) return false;
        if (with_comment && x[3] != y[3]) return false;
    }
    return true;
}

struct figures {
    int probes = 0, probe_state_ok = 0, probe_next_ok = 0;
    int lines = 0, accepted = 0, exact = 0, exact_comment = 0, refused = 0, fr_lines = 0, fr_accepted = 0, fr_exact = 0;
};

// Runs every line of a corpus file (cases.jsonl shape); prints mismatches and the refused
// expressions with their messages, returns the figures.
figures run_corpus(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string line;
    figures f;
    std::map<std::string, std::string> refused_exprs;
    int shown = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        ++f.lines;
        const json::object row = json::parse(line).as_object();
        const std::string expr = row.at("expr").as_string().c_str();
        const bool fr = std::string(row.at("source").as_string().c_str()).rfind("fr:", 0) == 0;
        f.fr_lines += fr;
        const parse_result pr = parse(expr);
        if (!pr) {
            ++f.refused;
            EXPECT_FALSE(pr.error().message_en.empty()) << expr;
            EXPECT_FALSE(pr.error().message_fr.empty()) << expr;
            EXPECT_LE(pr.error().offset, expr.size()) << expr;
            refused_exprs[expr] = pr.error().message_en;
            continue;
        }
        ++f.accepted;
        f.fr_accepted += fr;
        if (const auto* probes = row.if_contains("probes")) {
            for (const auto& pv : probes->as_array()) {
                const auto& probe = pv.as_array();
                const std::string tz = "Europe/Paris";
                const auto t = parse_local_iso(probe[0].as_string().c_str(), tz);
                const state got_state = state_at(pr.value(), *t, {tz, false});
                const char* names[] = {"closed", "open", "unknown"};
                ++f.probes;
                const bool state_ok = probe[1].as_string() == names[static_cast<int>(got_state.value)];
                f.probe_state_ok += state_ok;
                static int shown_state = 0;
                if (!state_ok && getenv("HOURS_SHOW_NEXT") && shown_state++ < 40) {
                    std::cout << "STATE " << expr << " at " << probe[0].as_string().c_str() << " want "
                              << probe[1].as_string().c_str() << "\n";
                }
                const auto nc = next_change(pr.value(), *t, 366 * 86400, {tz, false});
                const bool next_ok = probe[3].is_null() ? !nc.has_value()
                                                        : (nc && format_local_iso(*nc, tz) == probe[3].as_string().c_str());
                f.probe_next_ok += next_ok;
                static int shown_next = 0;
                if (!next_ok && getenv("HOURS_SHOW_NEXT") && shown_next++ < 25) {
                    std::cout << "NEXT " << expr << " at " << probe[0].as_string().c_str() << " want "
                              << json::serialize(probe[3]) << " got " << (nc ? format_local_iso(*nc, tz) : "null") << "\n";
                }
            }
        }
        const json::array got = ours(pr.value(), row);
        const json::array& want = row.at("intervals").as_array();
        if (same_times(got, want, false)) {
            ++f.exact;
            f.fr_exact += fr;
            f.exact_comment += same_times(got, want, true);
        } else if (shown++ < 12) {
            std::cout << "MISMATCH " << row.at("id").as_string().c_str() << "  " << expr << "\n want:\n"
                      << describe(want) << " got:\n" << describe(got);
        }
    }
    std::cout << "refused expressions (" << refused_exprs.size() << "), each with its message:\n";
    for (const auto& [e, m] : refused_exprs) std::cout << "  " << e << "   -> " << m << "\n";
    std::cout << path.filename().string() << ": lines " << f.lines << ", accepted " << f.accepted << ", exact "
              << f.exact << " (" << (f.accepted ? 100.0 * f.exact / f.accepted : 0) << " %), exact with comments "
              << f.exact_comment << ", refused lines " << f.refused << " (" << refused_exprs.size()
              << " expressions), fr lines " << f.fr_lines << ", fr accepted " << f.fr_accepted << ", fr exact "
              << f.fr_exact << "; probes " << f.probes << ", state_at right " << f.probe_state_ok
              << ", next_change right " << f.probe_next_ok << "\n";
    return f;
}

TEST(conformance, cases_jsonl) {
    const auto path = data_dir / "cases.jsonl";
    if (!std::filesystem::exists(path)) {
        GTEST_SKIP() << data_dir.string() << " absent: conformance not checked";
    }
    const figures f = run_corpus(path);
    ASSERT_GT(f.lines, 0);
    EXPECT_GE(f.exact * 100, f.accepted * 99) << "fewer than 99 % of accepted lines exactly right";
    EXPECT_EQ(f.fr_exact, f.fr_accepted) << "every accepted fr:* line must be exactly right";
    EXPECT_EQ(f.fr_lines, 1082) << "the corpus changed: re-check the fr:* figures";
    EXPECT_GE(f.probe_state_ok * 100, f.probes * 99) << "state_at: fewer than 99 % of probes right";
    EXPECT_GE(f.probe_next_ok * 100, f.probes * 97) << "next_change: fewer than 97 % of probes right";
}

// Runs without ../shared: the French public-service expressions copied into the repository
// (generated for the project with opening_hours.js 3.15.0; three weeks each).
TEST(conformance, fr_public_services_fixture) {
    const std::filesystem::path path = std::filesystem::path(GUICHET_HOURS_FIXTURE_DIR) / "fr_public_services.jsonl";
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    const figures f = run_corpus(path);
    EXPECT_EQ(f.lines, 405);
    EXPECT_EQ(f.fr_lines, f.lines);
    EXPECT_EQ(f.exact, f.accepted) << "every accepted fr:* line must be exactly right";
    EXPECT_GE(f.accepted * 100, f.lines * 85) << "too many French public-service expressions refused";
}

TEST(conformance, invalid_jsonl_all_refused) {
    const auto path = data_dir / "invalid.jsonl";
    if (!std::filesystem::exists(path)) {
        GTEST_SKIP() << data_dir.string() << " absent: conformance not checked";
    }
    std::ifstream in(path);
    std::string line;
    int total = 0, refused = 0;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        ++total;
        const json::object row = json::parse(line).as_object();
        const std::string expr = row.at("expr").as_string().c_str();
        const parse_result pr = parse(expr);
        if (!pr) {
            ++refused;
            EXPECT_FALSE(pr.error().message_en.empty()) << expr;
        } else {
            ADD_FAILURE() << "accepted an expression the reference rejects: " << expr;
        }
    }
    std::cout << "invalid.jsonl: " << refused << " / " << total << " refused\n";
    EXPECT_GT(total, 0);
}

}  // namespace
}  // namespace guichet::hours
