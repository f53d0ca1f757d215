// Sparse TF-IDF features of one utterance for the intent classifier (internal to nlu):
// word unigrams and bigrams of Snowball stems plus character 3–4-grams inside each word, hashed
// to 64-bit keys, then mapped to dense indexes by a vocabulary learnt at training time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace guichet::nlu::detail {

// Hashed feature keys of one text. `words` is also returned (joined with spaces it is the
// exact-pattern key). Thread-safe.
struct feature_keys {
    std::vector<std::uint64_t> word_keys;  // stem unigrams and bigrams
    std::vector<std::uint64_t> char_keys;  // character n-grams of each word, "<" ">" padded
    std::vector<std::string> words;
};
feature_keys extract_keys(std::string_view text, std::string_view lang);

// One sparse vector: parallel arrays, indexes ascending.
struct sparse_vector {
    std::vector<std::uint32_t> index;
    std::vector<float> value;
};

// Vocabulary and IDF learnt from training texts; immutable after build(), so vectorize() is
// thread-safe. Open addressing on 64-bit keys: lookups sit on the classification hot path.
class vocabulary {
  public:
    // Keeps keys seen in at least `min_df` documents. `docs` are the key lists of the
    // training texts (read during the call only).
    void build(const std::vector<const feature_keys*>& docs, unsigned min_df);

    // Sublinear tf (1 + ln tf) × idf, the word and char blocks each L2-normalised and weighted
    // so that the whole vector has norm 1 (or 0 when no key is known). Unknown keys ignored.
    void vectorize(const feature_keys& keys, sparse_vector& out) const;

    std::uint32_t size() const { return static_cast<std::uint32_t>(idf_.size()); }

  private:
    std::uint32_t find(std::uint64_t key) const;  // npos_ when absent
    void insert(std::uint64_t key, std::uint32_t id);
    void add_block(const std::vector<std::uint64_t>& keys, float weight,
                   std::vector<std::pair<std::uint32_t, float>>& acc) const;

    static constexpr std::uint32_t npos_ = 0xFFFFFFFFu;
    std::vector<std::uint64_t> keys_;  // slot → key (0 = empty; keys are never 0)
    std::vector<std::uint32_t> ids_;   // slot → feature index
    std::uint64_t mask_ = 0;
    std::vector<float> idf_;  // feature index → idf
};

}  // namespace guichet::nlu::detail
