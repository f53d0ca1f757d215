// Accent- and case-folding of a message with a map back to the original bytes, and the
// token list every recogniser of this component works on. Internal to `entities`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::entities {

enum class token_kind : std::uint8_t { word, punct };

struct token {
    std::string_view text;  // folded text (points into folded_text::folded)
    std::size_t begin = 0;  // original byte offsets [begin, end)
    std::size_t end = 0;
    token_kind kind = token_kind::word;
    bool space_before = true;  // false when glued to the previous token ("14" "h" "30")
    bool digits = false;       // word made of ASCII digits only
};

// The folded text owns the characters the tokens point to: keep it alive while using them.
// Not copyable or movable, so that the tokens' views can never dangle.
struct folded_text {
    folded_text() = default;
    folded_text(const folded_text&) = delete;
    folded_text& operator=(const folded_text&) = delete;

    std::string folded;                    // NFD, non-spacing marks removed, case-folded
    std::vector<std::uint32_t> src_begin;  // per folded byte: original code point start
    std::vector<std::uint32_t> src_end;    // per folded byte: original code point end
    std::vector<token> tokens;

    // Original byte range of folded bytes [fb, fe).
    std::size_t orig_begin(std::size_t fb) const { return src_begin[fb]; }
    std::size_t orig_end(std::size_t fe) const { return src_end[fe - 1]; }
};

// Folds `text` (already cut to the input limit). Invalid UTF-8, control and format
// characters, emoji and other symbols become separators. Thread-safe.
void fold(std::string_view text, folded_text& out);

// Cuts `text` to at most `max` bytes without splitting a UTF-8 sequence.
std::string_view cut_utf8(std::string_view text, std::size_t max);

// Folds a single name (gazetteer) and returns its word tokens as strings.
std::vector<std::string> fold_words(std::string_view text);

}  // namespace guichet::entities
