// "Did you mean …?" for a misspelt name (a key of an intent file, of the configuration): the
// known word closest by edit distance. A plain edit distance over a handful of names: no
// library needed for ten words.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

namespace guichet {

// Edits between two words, a swap of two neighbours counting as one ("prot" is one edit from
// "port": the optimal string alignment distance).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i)
        for (std::size_t j = 1; j <= b.size(); ++j) {
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                                d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[a.size()][b.size()];
}

// The known word closest to `word` by edit distance, or "" when none is close enough to be a
// plausible typo. Pure function.
inline std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = std::string::npos;
    for (const auto& c : candidates) {
        const auto d = edit_distance(word, c);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    // A typo: at most a third of the word changed (at least 1, at most 3 edits).
    const std::size_t limit = std::clamp<std::size_t>(word.size() / 3, 1, 3);
    return best_d <= limit ? best : std::string();
}

// " (did you mean 'x'?)" or "".
inline std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto c = closest(word, candidates);
    return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

}  // namespace guichet
