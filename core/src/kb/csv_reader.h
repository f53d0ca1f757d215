// A small CSV reader (RFC 4180: quotes, doubled quotes, CRLF) that remembers the line and
// column of every field, so that errors in staff-edited spreadsheets point at the cell.
// Hand-written: none of the project's libraries parses CSV with positions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::kb {

struct csv_field {
    std::string value;
    int line = 0;    // 1-based line where the field starts
    int column = 0;  // 1-based byte column where the field starts (its quote, if quoted)
};

using csv_row = std::vector<csv_field>;

struct csv_error {
    int line = 0, column = 0;
    std::string message_fr, message_en;
};

// Parses `text`. The separator is `;` if the first line has more `;` than `,` (French
// spreadsheets export with `;`), else `,`. Blank lines are skipped; a UTF-8 BOM is ignored.
// On an unterminated quote returns nullopt and fills `error`.
std::optional<std::vector<csv_row>> parse_csv(std::string_view text, csv_error& error);

}  // namespace guichet::kb
