// CSV parsing with field positions (see csv_reader.h).
#include "kb/csv_reader.h"

#include <algorithm>

namespace guichet::kb {

std::optional<std::vector<csv_row>> parse_csv(std::string_view text, csv_error& error) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::string_view first = text.substr(0, text.find('\n'));
    char sep = std::count(first.begin(), first.end(), ';') > std::count(first.begin(), first.end(), ',')
                   ? ';'
                   : ',';
    std::vector<csv_row> rows;
    csv_row row;
    std::size_t i = 0;
    int line = 1;
    std::size_t line_start = 0;
    bool row_has_content = false;
    while (i <= text.size()) {
        csv_field f;
        f.line = line;
        f.column = static_cast<int>(i - line_start) + 1;
        if (i < text.size() && text[i] == '"') {
            ++i;
            bool closed = false;
            while (i < text.size()) {
                if (text[i] == '"') {
                    if (i + 1 < text.size() && text[i + 1] == '"') {
                        f.value += '"';
                        i += 2;
                        continue;
                    }
                    ++i;
                    closed = true;
                    break;
                }
                if (text[i] == '\n') {
                    ++line;
                    line_start = i + 1;
                }
                f.value += text[i++];
            }
            if (!closed) {
                error = {f.line, f.column, "guillemet non fermé", "unterminated quote"};
                return std::nullopt;
            }
            // Anything between the closing quote and the separator is kept verbatim.
            while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r')
                f.value += text[i++];
        } else {
            while (i < text.size() && text[i] != sep && text[i] != '\n' && text[i] != '\r')
                f.value += text[i++];
        }
        if (!f.value.empty()) row_has_content = true;
        row.push_back(std::move(f));
        if (i < text.size() && text[i] == sep) {
            ++i;
            continue;
        }
        // End of record.
        if (i < text.size() && text[i] == '\r') ++i;
        if (i < text.size() && text[i] == '\n') ++i;
        if (row_has_content) rows.push_back(std::move(row));
        row.clear();
        row_has_content = false;
        ++line;
        line_start = i;
        if (i >= text.size()) break;
    }
    return rows;
}

}  // namespace guichet::kb
