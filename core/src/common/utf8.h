// UTF-8 validation of staff-authored files (intents, knowledge, conversation tests): a file
// saved in another encoding (Latin-1 from an old editor) is refused with the line and column
// of its first bad byte, rather than read as garbage. Header-only: every loader shares it.
#pragma once

#include <cstddef>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "common/diagnostic.h"

namespace guichet {

// Where the first invalid UTF-8 sequence starts, or nullopt when `s` is valid UTF-8
// (overlong forms, surrogates and code points above U+10FFFF are invalid).
inline std::optional<std::size_t> find_invalid_utf8(std::string_view s) {
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

// The characters (code points) of UTF-8 text: what a person counts, not its bytes.
inline std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // each byte but a continuation starts one
    return n;
}

// `s` with each invalid UTF-8 sequence's first byte replaced by U+FFFD (what a plugin
// returned, which goes out as JSON); `changed` says whether any was.
inline std::string valid_utf8(std::string_view s, bool& changed) {
    std::string out;
    while (auto bad = find_invalid_utf8(s)) {
        changed = true;
        out.append(s.substr(0, *bad)).append("\xEF\xBF\xBD");
        s.remove_prefix(*bad + 1);
    }
    return out.append(s);
}

// The problem with a file's text when it is not UTF-8: at the 1-based line and character
// column of the first bad byte (a byte-order mark is not counted; "\r\n", "\n" and a lone
// "\r" end a line), "not valid UTF-8 (byte 0xE9); save the file as UTF-8", in French when
// `french`. nullopt when the text is valid.
inline std::optional<diagnostic> invalid_utf8(const std::string& file, std::string_view text,
                                              bool french) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const auto bad = find_invalid_utf8(text);
    if (!bad) return std::nullopt;
    int line = 1, column = 1;
    for (std::size_t i = 0; i < *bad; ++i) {
        const char c = text[i];
        if (c == '\n' || (c == '\r' && text[i + 1] != '\n')) {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
            ++column;
        }
    }
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[*bad]));
    return diagnostic{
        file, line, column,
        french ? std::string("UTF-8 invalide (octet ") + hex + ") : enregistrez le fichier en UTF-8"
               : std::string("not valid UTF-8 (byte ") + hex + "); save the file as UTF-8"};
}

}  // namespace guichet
