// The raw text of one intent file: UTF-8 validation, and turning yaml-cpp's 0-based byte
// marks (or a byte offset inside a scalar) into the 1-based line and character column that
// staff see in their editor.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/utf8.h"

namespace guichet::intents::detail {

struct position {
    int line = 0;    // 1-based
    int column = 0;  // 1-based, in characters (code points)
};

using guichet::find_invalid_utf8;  // common/utf8.h

// Owns a copy of the file's text (without a UTF-8 byte-order mark). Not thread-safe to share
// while being built; const methods are safe.
class source_text {
  public:
    explicit source_text(std::string text);

    const std::string& text() const { return text_; }
    // 1-based position of byte `offset` in the text.
    position at_offset(std::size_t offset) const;
    // 1-based position of a yaml-cpp mark (0-based line and byte column); {0,0} if unknown.
    position at_mark(int line0, int byte_column0) const;
    // Byte offset of a yaml-cpp mark, or npos if out of range.
    std::size_t offset_of_mark(int line0, int byte_column0) const;

  private:
    std::string text_;
    std::vector<std::size_t> line_starts_;
};

}  // namespace guichet::intents::detail
