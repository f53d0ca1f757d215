// UTF-8 validation and line/column arithmetic for intent files.
// Hand-written rather than ICU: the loader needs the byte offset of the first bad sequence
// (to point staff at it) and character columns; both are a few lines over the raw bytes.
#include "intents/source_text.h"

#include <algorithm>

namespace guichet::intents::detail {

std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
    std::size_t i = 0;
    const std::size_t n = s.size();
    while (i < n) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        char32_t cp = 0;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;  // continuation byte alone, C0/C1 overlong lead, or F5..FF
        }
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::nullopt;
}

source_text::source_text(std::string text) : text_(std::move(text)) {
    if (text_.starts_with("\xEF\xBB\xBF")) text_.erase(0, 3);
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text_.size(); ++i) {
        // yaml-cpp counts "\r\n" and a lone "\n" as one line break; a lone "\r" too.
        if (text_[i] == '\n' ||
            (text_[i] == '\r' && (i + 1 >= text_.size() || text_[i + 1] != '\n')))
            line_starts_.push_back(i + 1);
    }
}

position source_text::at_offset(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    const auto line = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
    int column = 1;
    for (std::size_t i = line_starts_[line]; i < offset; ++i)
        if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return {static_cast<int>(line) + 1, column};
}

std::size_t source_text::offset_of_mark(int line0, int byte_column0) const {
    if (line0 < 0 || byte_column0 < 0) return std::string::npos;
    const auto l = static_cast<std::size_t>(line0);
    if (l >= line_starts_.size()) return std::string::npos;
    return std::min(line_starts_[l] + static_cast<std::size_t>(byte_column0), text_.size());
}

position source_text::at_mark(int line0, int byte_column0) const {
    const auto off = offset_of_mark(line0, byte_column0);
    if (off == std::string::npos) return {};
    return at_offset(off);
}

}  // namespace guichet::intents::detail
