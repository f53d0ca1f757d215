// The public header compiles on its own (it is the first include of this file).
#include <gtest/gtest.h>

#include "intents/intents.h"

namespace guichet::intents {

TEST(intents_header, stands_alone_and_find_works_on_sorted_intents) {
    site_intents s;
    s.intents.push_back(intent{"a.b", "x", "", {}});
    s.intents.push_back(intent{"c.d", "", "", {}});
    ASSERT_NE(s.find("c.d"), nullptr);
    EXPECT_EQ(s.find("c.d")->name, "c.d");
    EXPECT_EQ(s.find("b"), nullptr);
    EXPECT_EQ(s.find("zz"), nullptr);
    load_result r;
    EXPECT_TRUE(r.ok());
    r.problems.push_back({"f", 1, 2, "m"});
    EXPECT_FALSE(r.ok());
}

}  // namespace guichet::intents
