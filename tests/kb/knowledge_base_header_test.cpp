// The public headers compile on their own (this file includes nothing before them).
#include "kb/knowledge_base.h"
#include "kb/builder.h"

#include <gtest/gtest.h>

TEST(kb_headers, compile_standalone) {
    guichet::kb::build_options options;
    EXPECT_EQ(options.time_zone, "Europe/Paris");
    EXPECT_FALSE(static_cast<bool>(options.validate_opening_hours));
}
