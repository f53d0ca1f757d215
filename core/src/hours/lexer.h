// Tokenizer of opening_hours expressions (internal). Splits the text into numbers, HH:MM
// times, words, punctuation and "comments", each with its byte offset; whitespace between
// tokens is insignificant. Hand-written for the same reason as the parser (no library).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::hours::detail {

enum class tok : unsigned char {
    number, time, word, minus, plus, comma, semicolon, fallback, colon, slash,
    lbracket, rbracket, comment, always, end
};

struct token {
    tok k = tok::end;
    std::size_t pos = 0;   // byte offset in the expression
    std::size_t len = 0;   // bytes
    int value = 0;         // number value, or minutes since midnight for a time
    std::string_view text; // the token's text (for a comment: without the quotes)
};

// Thrown by the lexer and the parser; turned into a parse_error by parse().
struct syntax_error {
    std::size_t offset;
    std::string en;
    std::string fr;
};

// Tokenizes `expr`; the last token is tok::end at expr.size(). Throws syntax_error.
std::vector<token> tokenize(std::string_view expr);

}  // namespace guichet::hours::detail
