// Language identification between a few candidate languages (French and English profiles are
// built in) for channels that give no locale. Meant for the short questions citizens type.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace guichet::nlu {

struct language_guess {
    std::string lang;   // one of the candidates
    double confidence;  // 0–1; 1/candidates.size() when the text gave no evidence
    bool fallback = false;  // no evidence either way: the first candidate
};

// The most likely language of `text` among `candidates` (language codes such as "fr", "en",
// first = preferred). Short or ambiguous texts (no stop word, accent or typical letter
// sequence telling them apart) fall back to the first candidate. Candidates without a built-in
// profile only win as that fallback. An empty candidate list gives {"fr", 0}. Never throws on
// bad input (it goes through sanitize()). Thread-safe.
language_guess detect_language(std::string_view text, const std::vector<std::string>& candidates);

}  // namespace guichet::nlu
