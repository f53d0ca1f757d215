// The dates on which a place's note says it is closed ("Fermeture du 2 au 22 août", "fermé
// en août", "closed from 24 to 31 December"), to compare with its opening_hours: a note that
// says so while the hours open on those days gives citizens two answers. Written by hand: no
// library reads French and English date spans out of free text, and the engine's date
// extractor (entities) reads questions, not the knowledge, which `kb` builds without it.
// Internal to the kb component.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::kb {

struct said_closure {
    std::int64_t first_day = 0;  // local days since 1970-01-01, both included
    std::int64_t last_day = 0;
    std::string rule;             // the same days as an opening_hours rule: "Aug 02-22 off"
    std::size_t sentence_at = 0;  // byte offset in the note of the sentence that says it
    std::string sentence;         // that sentence, trimmed
};

// The closures said in `note` (French or English), each at its next occurrence that does not
// end before `today` (a year written in the note is kept; a span of a past year is skipped).
// Only sentences with a word of closing ("fermé", "fermeture", "closed", "closure", "shut")
// are read; spans: "du 2 au 22 août", "du 24 décembre au 2 janvier", "en août", "au mois
// d'août", "le 15 août", "from 2 to 22 August", "from August 2 to 22", "in August", "on 15
// August", "on August 15th".
std::vector<said_closure> closures_in_note(std::string_view note, std::int64_t today);

}  // namespace guichet::kb
