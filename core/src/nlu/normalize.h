// Text normalisation for understanding: makes any untrusted input safe (valid UTF-8, no control
// characters, bounded length), folds it for matching (NFKC, case folding, accents removed) and
// cuts it into words (ICU word boundaries, French elision, SMS spellings) and Snowball stems.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::nlu {

// Longest input looked at, in bytes; longer text is cut at the last UTF-8 boundary before it.
inline constexpr std::size_t max_input_bytes = 4096;

// Returns `raw` as valid UTF-8: only its first max_input_bytes are read (cut at a code point
// boundary), invalid byte sequences replaced by U+FFFD, tab/newline/CR turned into spaces,
// other control and format characters (Cc, Cf) dropped, typographic apostrophes (’ ʼ) turned
// into '. Never throws on bad bytes. Thread-safe.
std::string sanitize(std::string_view raw);

// sanitize(), then NFKC + case folding, then accents removed (NFD, nonspacing marks dropped,
// NFC) and the French ligatures œ/æ spelt oe/ae: "L'Œuvre ÉTÉ" → "l'oeuvre ete". Thread-safe.
std::string fold(std::string_view raw);

// fold(), trimmed of spaces and of final punctuation (". ! ? ; , )"): a short answer or a
// button's title compared as typed ("Oui !" is "oui", "etre rappele" "Être rappelé").
std::string loose(std::string_view raw);

// The words of `raw` for matching, in order: fold(), ICU word boundaries (punctuation, spaces
// and symbols such as emoji dropped), French elision split and spelt out when lang is "fr"
// ("l'horaire" and "l horaire" → "le horaire", "qu'est-ce" → "que est ce"), apostrophes
// dropped inside English words ("what's" → "whats"), SMS spellings of `lang` expanded
// ("bjr" → "bonjour").
// `lang` is a language code ("fr", "en"; others get no elision or SMS list). Thread-safe.
std::vector<std::string> words(std::string_view raw, std::string_view lang);

// The words of `raw` as the citizen wrote them, to quote back ("impasse des roses"): cut at
// spaces and , ? ! . ; : only.
std::vector<std::string> words_as_written(std::string_view raw);

// What `raw` asks after an opening greeting and the people it addresses ("bonjour madame, il
// y a un trou dans ma rue" → "il y a un trou dans ma rue", "hi there, when…" → "when…"), when at
// least two words follow; else `raw` itself ("bonjour", "bonjour madame"). Thread-safe.
std::string_view after_greeting(std::string_view raw);

// The Snowball stem of one folded word in `lang` ("fr" → french, "en" → english, anything else
// → the word unchanged). Uses one stemmer per thread and language (libstemmer is not
// thread-safe). Thread-safe.
std::string stem(std::string_view word, std::string_view lang);

// The SMS spelling table of `lang`: the expansion of `word` ("slt" → "salut", "rdv" →
// "rendez vous"), or an empty view when `word` is not an SMS spelling. Thread-safe.
std::string_view expand_sms(std::string_view word, std::string_view lang);

}  // namespace guichet::nlu
