// Fuzzy gazetteer: finds names of services, places and streets in folded tokens, multi-word,
// tolerant of typos (Damerau-Levenshtein <= 1 for words of 5-8 letters, <= 2 for longer)
// and of a missing street type ("victor hugo" -> "rue Victor Hugo"). Internal to `entities`.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/lru_map.h"
#include "entities/entities.h"
#include "entities/lexicon.h"

namespace guichet::entities {

// Optimal-string-alignment distance (Damerau-Levenshtein with adjacent transpositions),
// or `limit + 1` as soon as it is known to exceed `limit`.
int osa_distance(std::string_view a, std::string_view b, int limit);

// A folded word that names a kind of street: "rue", "av", "boulevard", "road"…
bool is_street_type(std::string_view w);

// Built once; find() is const and thread-safe (the typo matches of the words last looked up
// are kept, behind a mutex).
class gazetteer {
  public:
    // `prose`: sentences whose words are real words, never read as typos of a name (see
    // options::prose).
    explicit gazetteer(const std::vector<gazetteer_entry>& entries,
                       const std::vector<std::string>& prose = {});

    // Appends one candidate per (entry name, position) that matches; overlapping
    // candidates are left for the caller to choose between.
    void find(const token_cursor& c, std::string_view text, std::vector<entity>& out) const;

    std::size_t variant_count() const { return variants_.size(); }

  private:
    struct string_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const {
            return std::hash<std::string_view>{}(s);
        }
    };
    using word_map =
        std::unordered_map<std::string, std::vector<std::uint32_t>, string_hash, std::equal_to<>>;
    struct variant {
        std::uint32_t entry = 0;
        std::vector<std::uint32_t> words;  // vocabulary ids
        bool stripped = false;             // street type or article removed
    };
    struct match {
        std::uint32_t word = 0;
        int distance = 0;
    };

    std::uint32_t intern(const std::string& w);
    void add_variant(std::uint32_t entry, const std::vector<std::string>& words, bool stripped);
    void matches_for(std::string_view w, std::vector<match>& out) const;

    std::vector<std::string> types_, ids_;  // per entry
    std::vector<std::string> vocab_;        // folded words of all names
    std::unordered_map<std::string, std::uint32_t, string_hash, std::equal_to<>> vocab_ids_;
    word_map deletes_;  // deletion variant -> vocabulary ids
    std::unordered_set<std::string, string_hash, std::equal_to<>> real_words_;  // from prose
    std::vector<variant> variants_;
    std::vector<std::vector<std::uint32_t>> by_first_word_;  // vocabulary id -> variants

    // Looking a word up with typos (its deletions in deletes_) was half of extraction's time,
    // and citizens use the same few hundred words: the last words' matches are kept.
    struct fuzzy_memo {
        std::mutex mutex;
        lru_map<std::vector<match>> kept{4096};
    };
    std::unique_ptr<fuzzy_memo> memo_ = std::make_unique<fuzzy_memo>();
};

}  // namespace guichet::entities
