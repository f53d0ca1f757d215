// Accent- and case-insensitive keys for names and streets, and the FTS5 query sanitiser.
// Folding uses ICU (NFD, drop non-spacing marks, case folding), like FTS5's
// `unicode61 remove_diacritics 2`, so that C++ keys and the full-text index agree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace guichet::kb {

// "Rue Victor-Hugo" → "rue victor hugo": lower case, no accents, letters and digits only,
// words separated by one space. "œ"/"æ" become "oe"/"ae". Thread-safe.
std::string fold(std::string_view utf8);

// Folded name without street-type words and articles at its start:
// "Avenue Jean-Jaurès" → "jean jaures", "rue du 8 Mai 1945" → "8 mai 1945". Thread-safe.
std::string street_core(std::string_view utf8);

// Folded name without leading articles ("la médiathèque" → "mediatheque"). Thread-safe.
std::string name_key(std::string_view utf8);

// Turns free user text into a safe FTS5 MATCH expression: every word quoted (so `"`, `*`,
// `AND`, `-`, `(` in user text are plain text), joined with OR, with prefix matching on words of
// 4+ letters and on the last word; common French/English stop words dropped when other words
// remain. Returns "" when the text has no word at all (the caller then returns no result).
std::string fts_query(std::string_view user_text);

}  // namespace guichet::kb
