// The `[text](entity)` markup of example sentences: strips it and records where each marked
// entity sits in the plain sentence.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::intents::detail {

struct marked_span {
    std::size_t begin, end;   // byte offsets into the plain text, end exclusive
    std::string name;         // the name between the parentheses
    std::size_t name_offset;  // byte offset of that name in the raw sentence
};

struct markup_result {
    std::string text;  // the sentence without markup
    std::vector<marked_span> spans;
    bool ok = true;
    std::size_t error_offset = 0;  // byte offset in the raw sentence when !ok
    std::string error;             // message when !ok
};

// Parses one raw example. Pure function; thread-safe.
markup_result parse_markup(std::string_view raw);

}  // namespace guichet::intents::detail
