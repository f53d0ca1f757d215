// What the classifier made of a sentence, told to the staff who write intents: the intents it
// ranks with their confidence, the out-of-scope threshold, and the site's examples nearest to
// the sentence (with the file and line they are written at). `guichet explain` prints it for
// each text; `guichet test` under a test that went to another intent or to "not understood",
// so that an intent just added, whose examples now draw the sentence, is named.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "dialogue/engine.h"

namespace guichet {

struct nearest_example {
    std::string intent, text, file;
    int line = 0;
    double score = 0;  // share of the words (stems) the sentence and the example have in common
};

// The `n` examples of `lang` whose words are closest to `text`'s (Jaccard similarity of their
// Snowball stems), best first; none that shares no word. Thread-safe (reads `s` only).
std::vector<nearest_example> nearest_examples(const site& s, std::string_view text,
                                              std::string_view lang, std::size_t n = 3);

// Writes, each line after `indent`, in French then English:
//   classifieur / classifier (hors sujet sous / out of scope below 0.41):
//     0.62  hours.open
//   exemples les plus proches / nearest examples:
//     0.50  hours.open  « horaires mairie »  intents/fr/hours.yaml:12
void print_ranking(const understanding& u, const site& s, std::string_view text,
                   std::string_view lang, std::string_view indent, std::ostream& out);

}  // namespace guichet
