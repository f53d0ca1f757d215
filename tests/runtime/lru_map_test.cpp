// The bounded map behind the caches of knowledge-base results and of turns' reads.
#include <gtest/gtest.h>

#include "common/lru_map.h"

TEST(lru_map, the_least_recently_used_entry_goes_first) {
    guichet::lru_map<int> m(2);
    m.put("a", 1);
    m.put("b", 2);
    ASSERT_TRUE(m.find("a"));  // a is now more recent than b
    m.put("c", 3);
    EXPECT_EQ(m.size(), 2u);
    EXPECT_FALSE(m.find("b"));
    EXPECT_EQ(*m.find("a"), 1);
    EXPECT_EQ(*m.find("c"), 3);
    // peek does not make an entry recent: c was used last, a goes.
    ASSERT_TRUE(m.peek("a"));
    m.put("d", 4);
    EXPECT_FALSE(m.find("a"));
    EXPECT_TRUE(m.find("c"));
}

TEST(lru_map, replace_erase_clear) {
    guichet::lru_map<std::string> m(3);
    m.put("a", "x");
    m.put("a", "y");
    EXPECT_EQ(m.size(), 1u);
    EXPECT_EQ(*m.find("a"), "y");
    m.erase("a");
    m.erase("missing");
    EXPECT_FALSE(m.find("a"));
    m.put("b", "z");
    m.clear();
    EXPECT_EQ(m.size(), 0u);
    guichet::lru_map<int> none(0);
    none.put("a", 1);
    EXPECT_FALSE(none.find("a"));
}
