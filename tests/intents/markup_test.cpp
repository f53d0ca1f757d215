// The pieces under the loader: example markup, UTF-8 validation, positions, suggestions.
#include "intents/markup.h"

#include <gtest/gtest.h>

#include "intents/source_text.h"
#include "intents/yaml_context.h"

namespace guichet::intents::detail {

TEST(markup, strips_markup_and_records_spans) {
    const auto r = parse_markup("la [piscine](service) ouvre [samedi](datetime) ?");
    ASSERT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.text, "la piscine ouvre samedi ?");
    ASSERT_EQ(r.spans.size(), 2u);
    EXPECT_EQ(r.text.substr(r.spans[0].begin, r.spans[0].end - r.spans[0].begin), "piscine");
    EXPECT_EQ(r.spans[0].name, "service");
    EXPECT_EQ(r.spans[0].name_offset, 13u);
    EXPECT_EQ(r.text.substr(r.spans[1].begin, r.spans[1].end - r.spans[1].begin), "samedi");
    EXPECT_EQ(r.spans[1].name, "datetime");
}

TEST(markup, multibyte_text_keeps_byte_offsets) {
    const auto r = parse_markup("la [médiathèque](service)");
    ASSERT_TRUE(r.ok);
    EXPECT_EQ(r.text, "la médiathèque");
    EXPECT_EQ(r.spans.at(0).begin, 3u);
    EXPECT_EQ(r.spans.at(0).end, r.text.size());
}

TEST(markup, reports_where_it_breaks) {
    struct c {
        const char* raw;
        std::size_t at;
        const char* message;
    };
    for (const c& x :
         {c{"a [b", 2, "unclosed '[' (markup is '[text](entity)')"},
          c{"a [b](", 5, "unclosed '(' (markup is '[text](entity)')"},
          c{"a [b](c", 5, "unclosed '(' (markup is '[text](entity)')"},
          c{"a [b] c", 4, "expected '(entity)' after ']' (markup is '[text](entity)')"},
          c{"a [](c)", 2, "empty '[]' (markup is '[text](entity)')"},
          c{"a [b]() c", 6, "empty entity name in '()'"},
          c{"a [b](c d)", 7, "expected ')' after the entity name"},
          c{"a b] c", 3, "']' without a matching '[' (markup is '[text](entity)')"},
          c{"a [b [c](d)", 2, "unclosed '[' (markup is '[text](entity)')"}}) {
        const auto r = parse_markup(x.raw);
        EXPECT_FALSE(r.ok) << x.raw;
        EXPECT_EQ(r.error_offset, x.at) << x.raw;
        EXPECT_EQ(r.error, x.message) << x.raw;
    }
}

TEST(utf8, finds_the_first_invalid_sequence) {
    EXPECT_FALSE(find_invalid_utf8("caf\xC3\xA9 \xF0\x9F\x98\x80").has_value());
    EXPECT_EQ(find_invalid_utf8("caf\xE9 ok"), 3u);          // Latin-1 é
    EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);          // overlong '/'
    EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);      // surrogate
    EXPECT_EQ(find_invalid_utf8("ab\xF4\x90\x80\x80"), 2u);  // above U+10FFFF
    EXPECT_EQ(find_invalid_utf8("ab\xE2\x82"), 2u);          // truncated
    EXPECT_EQ(find_invalid_utf8("\x80"), 0u);                // lone continuation
}

TEST(source_text, positions_count_characters_and_skip_the_bom) {
    const source_text s("\xEF\xBB\xBFk: v\r\n\xC3\xA9t\xC3\xA9: x\nz");
    EXPECT_EQ(s.text().substr(0, 4), "k: v");
    auto p = s.at_mark(1, 7);  // 'x' after "été: " (7 bytes)
    EXPECT_EQ(p.line, 2);
    EXPECT_EQ(p.column, 6);
    p = s.at_offset(s.text().size() - 1);
    EXPECT_EQ(p.line, 3);
    EXPECT_EQ(p.column, 1);
    EXPECT_EQ(s.offset_of_mark(9, 0), std::string::npos);
    EXPECT_EQ(s.at_mark(-1, -1).line, 0);
}

TEST(suggest, proposes_only_plausible_typos) {
    const std::vector<std::string> keys = {"intent", "examples", "patterns", "slots"};
    EXPECT_EQ(closest("exemples", keys), "examples");
    EXPECT_EQ(closest("intnet", keys), "intent");
    EXPECT_EQ(closest("slot", keys), "slots");
    EXPECT_EQ(closest("answer", keys), "");
    EXPECT_EQ(did_you_mean("paterns", keys), " (did you mean 'patterns'?)");
    EXPECT_EQ(join({"a", "b"}), "a, b");
}

}  // namespace guichet::intents::detail
