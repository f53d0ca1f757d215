// Line/column arithmetic for intent files (UTF-8 validation is in common/utf8.h).
// Hand-written rather than ICU: character columns are a few lines over the raw bytes.
#include "intents/source_text.h"

#include <algorithm>

namespace guichet::intents::detail {

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
