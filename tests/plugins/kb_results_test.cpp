// Plugins' knowledge-base queries through the site (the C ABI's kb_query): kept results are
// replayed exactly as the first run delivered them, a plugin that stopped early and one that
// wants every row both get what they ask, and statements that may change between runs are
// run every time.
#include <gtest/gtest.h>

#include <set>

#include "harness.h"

using guichet::test::harness;

namespace {

struct collected {
    std::vector<std::vector<std::string>> rows;  // "NULL" for a null value
    std::vector<std::string> columns;
    std::size_t stop_after = 0;  // 0: take every row
};

int on_row(void* user, int n, const char* const* values, const char* const* names) {
    auto* c = static_cast<collected*>(user);
    std::vector<std::string> row;
    c->columns.clear();
    for (int i = 0; i < n; ++i) {
        row.push_back(values[i] ? values[i] : "NULL");
        c->columns.push_back(names[i]);
    }
    c->rows.push_back(row);
    return c->stop_after && c->rows.size() >= c->stop_after ? 1 : 0;
}

collected run(const std::string& sql, const std::vector<std::string>& params, std::size_t stop_after = 0) {
    collected c;
    c.stop_after = stop_after;
    std::string error;
    EXPECT_TRUE(harness::get().the_site().kb_query(sql, params, on_row, &c, error)) << error;
    return c;
}

}  // namespace

TEST(kb_results, a_kept_result_is_replayed_as_first_delivered) {
    auto& cache = harness::get().the_site().kb().results();
    const std::string sql =
        "SELECT id, latitude, phone, NULL AS empty_column FROM places WHERE category = ?1 ORDER BY id";
    auto before = cache.stats();
    auto first = run(sql, {"dechetterie"});
    auto second = run(sql, {"dechetterie"});
    auto after = cache.stats();
    ASSERT_EQ(first.rows.size(), 2u);
    EXPECT_EQ(first.rows, second.rows);
    EXPECT_EQ(second.columns, (std::vector<std::string>{"id", "latitude", "phone", "empty_column"}));
    EXPECT_EQ(second.rows[0][3], "NULL");
    EXPECT_GE(after.hits, before.hits + 1);
    // Another parameter is another result.
    auto other = run(sql, {"mairie"});
    ASSERT_EQ(other.rows.size(), 1u);
    EXPECT_EQ(other.rows[0][0], "mairie");
}

TEST(kb_results, stopping_early_then_wanting_every_row) {
    const std::string sql = "SELECT id FROM places WHERE category = ?1 ORDER BY id DESC";
    auto one = run(sql, {"point_d_apport_volontaire"}, 1);
    ASSERT_EQ(one.rows.size(), 1u);
    auto again = run(sql, {"point_d_apport_volontaire"}, 1);  // served from what was kept
    EXPECT_EQ(again.rows, one.rows);
    auto all = run(sql, {"point_d_apport_volontaire"});
    ASSERT_GT(all.rows.size(), 1u);
    EXPECT_EQ(all.rows[0], one.rows[0]);
    // Each row once, in order, although the first was already delivered from memory.
    for (std::size_t i = 1; i < all.rows.size(); ++i) EXPECT_GT(all.rows[i - 1][0], all.rows[i][0]);
}

TEST(kb_results, statements_reading_the_clock_or_random_run_every_time) {
    auto& cache = harness::get().the_site().kb().results();
    auto before = cache.stats();
    std::set<std::string> seen;
    for (int i = 0; i < 5; ++i) seen.insert(run("SELECT random()", {}).rows.at(0).at(0));
    EXPECT_GT(seen.size(), 1u);
    EXPECT_EQ(cache.stats().entries, before.entries);
}

TEST(kb_results, a_large_result_is_not_kept) {
    auto& cache = harness::get().the_site().kb().results();
    const std::string sql =
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
        "SELECT x, 'a line of text that makes the result large' FROM c";
    auto before = cache.stats();
    EXPECT_EQ(run(sql, {}).rows.size(), 2000u);
    EXPECT_EQ(run(sql, {}).rows.size(), 2000u);
    auto after = cache.stats();
    EXPECT_EQ(after.entries, before.entries);
    EXPECT_EQ(after.hits, before.hits);  // both runs went to SQLite
}
