// The public header compiles on its own (it is included first, before anything else) and
// its types behave as documented: an entity defaults to an exact, empty match.
#include <gtest/gtest.h>

#include <type_traits>

#include "entities/entities.h"

namespace guichet::entities {
namespace {

TEST(entities_header, compiles_alone_and_has_documented_defaults) {
    const entity e;
    EXPECT_DOUBLE_EQ(e.score, 1.0);
    EXPECT_EQ(e.begin, 0u);
    EXPECT_TRUE(e.grain.empty());
    const options o;
    EXPECT_EQ(o.time_zone, "Europe/Paris");
    EXPECT_FALSE(o.alsace_moselle);
    static_assert(std::is_nothrow_move_constructible_v<extractor>);
    static_assert(!std::is_copy_constructible_v<extractor>);
    EXPECT_EQ(extractor::max_input_bytes, 4096u);
}

}  // namespace
}  // namespace guichet::entities
