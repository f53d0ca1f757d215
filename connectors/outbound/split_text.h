// Cuts a reply too long for one platform message into several, each within the platform's
// limit, at the best boundary ICU finds before it: a paragraph, a line, a sentence, a word
// (a break opportunity), and only when there is none a character. Shared by every renderer.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::outbound {

// How a platform counts a text's length.
enum class length_unit {
    code_points,  // "characters": WhatsApp, Messenger, Slack
    utf16,        // UTF-16 code units: Telegram (an emoji outside the BMP counts 2)
};

// The length of UTF-8 `text` as the platform counts it.
std::size_t text_length(std::string_view text, length_unit unit);

// `text` (UTF-8) as parts of at most `limit` units each, in order; the spaces and line breaks
// at a cut are dropped. A text within the limit is returned whole (also an empty one).
// `limit` must be above 0. Thread-safe.
std::vector<std::string> split_text(std::string_view text, std::size_t limit, length_unit unit);

}  // namespace guichet::outbound
