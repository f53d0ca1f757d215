// What citizens ask: counts per day and per week by intent, channel and language, and the
// questions that fell to the fallback or were answered with low confidence, grouped by
// similarity (stemmed words, Jaccard) for staff review. Kept in memory (bounded): the figures
// restart with the server. Texts are stored with personal data masked. Thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "engine/message.h"

namespace guichet::analytics {

struct count_row {
    std::string period;  // "2026-12-02" (day) or "2026-W49" (ISO week)
    std::string intent, channel, locale;
    std::uint64_t count = 0;
};

struct question_group {
    std::string id;                     // stable while the group's first question is kept
    std::string text;                   // the most frequent wording
    std::string locale;
    std::size_t count = 0;
    std::vector<std::string> examples;  // up to 5 other wordings
    std::string suggested_intent;       // the intent it was closest to ("" when none)
    double best_confidence = 0;
};

class store {
public:
    static constexpr std::size_t unanswered_max = 5000;  // oldest questions dropped beyond
    static constexpr double low_confidence = 0.5;

    explicit store(std::string time_zone = "Europe/Paris") : time_zone_(std::move(time_zone)) {}

    // Records one answered message (called by the turn observer, any thread).
    void record(const message& m, const turn_result& r, std::int64_t at);

    // Counts per period, most recent period first. weekly: ISO weeks instead of days.
    std::vector<count_row> counts(bool weekly) const;
    // Unanswered or low-confidence questions grouped by similarity, largest group first.
    std::vector<question_group> unanswered(std::size_t max_groups = 50) const;
    // Forgets the questions of a group (after staff turned it into an example).
    bool dismiss(const std::string& group_id);

private:
    struct question {
        std::string text, locale, intent;
        double confidence = 0;
        std::vector<std::string> stems;
        std::uint64_t seq = 0;
    };
    std::string time_zone_;
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint64_t>
        daily_, weekly_;
    std::deque<question> questions_;
    std::uint64_t seq_ = 0;
};

// Jaccard similarity of two sorted word sets.
double similarity(const std::vector<std::string>& a, const std::vector<std::string>& b);
// The sorted, unique stems of text in lang.
std::vector<std::string> stems_of(const std::string& text, const std::string& lang);
// "2026-12-02" → "2026-W49" (ISO 8601 week).
std::string iso_week(const std::string& date);

// Appends `sentence` as one more item of the `examples:` list of `intent` in `file`, keeping
// everything else byte for byte (comments, order, quoting). The line is inserted after the
// list's last item with the same indentation, quoted as YAML needs. The result is checked
// with yaml-cpp before it replaces the file (atomically). Returns "" or what went wrong.
std::string append_example(const std::filesystem::path& file, const std::string& intent,
                           const std::string& sentence);

}  // namespace guichet::analytics
