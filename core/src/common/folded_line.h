// A list item that YAML quietly joined with the line below it: "- horaires mairie" followed by
// "    ouvert samedi" (indented, no dash) is ONE plain text, "horaires mairie ouvert samedi".
// The intent loader and the knowledge reader both say where that line is. Header-only:
// a few lines over the raw text, which is all yaml-cpp's marks give to work with.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string_view>

namespace guichet {

// `text`: the whole file; `start`: byte offset where the list item's scalar starts (its
// yaml-cpp mark); `value`: the scalar as parsed. Returns the byte offset of the first
// character of the line that YAML folded into the item, or nullopt when the item is written
// on its own line. Quoted and block scalars (`"…"`, `'…'`, `|`, `>`) span lines on purpose
// and are left alone.
inline std::optional<std::size_t> folded_line(std::string_view text, std::size_t start,
                                              std::string_view value) {
    if (start >= text.size() || std::string_view("\"'|>").find(text[start]) != std::string_view::npos)
        return std::nullopt;
    const std::size_t eol = std::min(text.find('\n', start), text.size());
    std::string_view rest = text.substr(start, eol - start);
    if (const auto hash = rest.find(" #"); hash != std::string_view::npos) rest = rest.substr(0, hash);
    if (const auto last = rest.find_last_not_of(" \t\r"); last != std::string_view::npos)
        rest = rest.substr(0, last + 1);
    // Folded: the value is this line's text and more, joined by a space (or a line break
    // when a blank line came between).
    if (value.size() <= rest.size() || value.substr(0, rest.size()) != rest ||
        (value[rest.size()] != ' ' && value[rest.size()] != '\n'))
        return std::nullopt;
    for (std::size_t at = eol; at < text.size(); ++at)
        if (std::string_view(" \t\r\n").find(text[at]) == std::string_view::npos) return at;
    return std::nullopt;
}

}  // namespace guichet
