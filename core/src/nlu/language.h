// Language identification between a few candidate languages (French and English profiles are
// built in) for channels that give no locale. Meant for the short questions citizens type.
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>
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

// Words a site's own French and English sentences use (its intents' examples, its FAQ's
// questions), each in one language only: more evidence than the built-in lists ("mattress",
// "déchetterie") wherever staff have written the word. Words of both languages are left out.
struct site_words {
    std::unordered_set<std::string> fr, en;
    // Adds the words of a sentence written in `lang` ("fr" or "en"; others are ignored).
    void add(std::string_view sentence, std::string_view lang);
    // Leaves out the words both languages have (call once all sentences are added).
    void keep_distinct();
};
language_guess detect_language(std::string_view text, const std::vector<std::string>& candidates,
                               const site_words* site);

// The language of `text` when it is none of `candidates` ("necesito ayuda con mi basura": "es";
// "Ich brauche Hilfe": "de"), as Google's Compact Language Detector 2 tells it reliably, or
// "script" for a text mostly written in a script other than Latin (Arabic, Cyrillic…); else "".
// Meant for texts detect_language found no evidence in, or that nothing understood: CLD2
// needs a few words, costs ~10 µs, and a French or English text is told by detect_language
// first. Thread-safe.
std::string other_language(std::string_view text, const std::vector<std::string>& candidates);

// The cheap part of other_language: a word of a short list of other languages' greetings,
// thanks and calls for help ("hola", "danke", "preciso de ajuda"), in a text with fewer than
// two French or English words; else "". For any text, before understanding. Thread-safe.
std::string foreign_words_language(std::string_view text);

}  // namespace guichet::nlu
