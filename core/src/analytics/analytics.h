// What citizens ask: counts per day and per week by intent, channel and language, and the
// questions that fell to the fallback or were answered with low confidence, grouped by
// similarity (stemmed words, Jaccard) for staff review, and the citizens' 👍/👎 on answers.
// Kept in memory (bounded) and made durable by analytics_db.h: every change is also buffered
// as a delta that one writer takes (take_pending) and commits at most once a second.
// Texts are stored with personal data masked. Thread-safe.
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
    std::int64_t last_asked = 0;        // when it was last asked (Unix seconds; 0: unknown)
};

struct feedback_row {
    std::string intent;
    std::uint64_t useful = 0, not_useful = 0;
};

// A persisted question (analytics_db), as restored at start.
struct stored_question {
    std::uint64_t seq = 0;
    std::string text, locale, intent;
    double confidence = 0;
    std::int64_t at = 0;  // when it was asked (Unix seconds)
    bool done = false;    // staff marked its group "traité"
};

// What changed since the last take_pending(): the writer's work.
struct pending_changes {
    // (day, intent, channel, locale) → increment
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint64_t> daily;
    std::vector<stored_question> questions;  // new questions
    std::vector<std::uint64_t> forgotten;    // seqs dismissed or dropped
    std::vector<std::uint64_t> done;         // seqs marked "traité"
    // (day, intent, locale, useful) → increment
    std::map<std::tuple<std::string, std::string, std::string, int>, std::uint64_t> feedback;
    bool empty() const {
        return daily.empty() && questions.empty() && forgotten.empty() && done.empty() &&
               feedback.empty();
    }
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
    // Unanswered or low-confidence questions grouped by similarity, largest group first; a
    // group marked "traité" (done) is left out until one of its questions is asked again.
    std::vector<question_group> unanswered(std::size_t max_groups = 50) const;
    // Forgets the questions of a group (after staff turned it into an example).
    bool dismiss(const std::string& group_id);
    // Marks the questions of a group "traité": the group is hidden until it is asked again.
    bool mark_done(const std::string& group_id);

    // A citizen's 👍 (useful) or 👎 on an answer of `intent` (any thread).
    void feedback(const std::string& intent, const std::string& locale, bool useful,
                  std::int64_t at);
    // 👍/👎 per intent, most rated first.
    std::vector<feedback_row> feedback_counts() const;

    // Durability (analytics_db): the changes since the last call, and the state read at start.
    pending_changes take_pending();
    // Puts back changes a failed write could not commit (they are retried next time).
    void requeue(pending_changes p);
    void restore(const std::vector<count_row>& daily, const std::vector<stored_question>& questions,
                 const std::vector<std::pair<std::string, std::pair<std::uint64_t, std::uint64_t>>>& feedback,
                 std::uint64_t last_seq = 0);  // the highest question number ever given

private:
    struct question {
        std::string text, locale, intent;
        double confidence = 0;
        std::vector<std::string> stems;
        std::uint64_t seq = 0;
        std::int64_t at = 0;
        bool done = false;
    };
    // Applies `change` to each question of the group `group_id` (under the lock); false when
    // there is no such group.
    template <class Change>
    bool change_group(const std::string& group_id, Change change);
    std::string time_zone_;
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint64_t>
        daily_, weekly_;
    std::deque<question> questions_;
    std::uint64_t seq_ = 0;
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> feedback_;  // intent → (👍, 👎)
    pending_changes pending_;
    std::string day_of(std::int64_t at) const;
};

// Jaccard similarity of two sorted word sets.
double similarity(const std::vector<std::string>& a, const std::vector<std::string>& b);
// The sorted, unique stems of text in lang.
std::vector<std::string> stems_of(const std::string& text, const std::string& lang);
// "2026-12-02" → "2026-W49" (ISO 8601 week).
std::string iso_week(const std::string& date);

// Appends `sentence` as one more item of the `examples:` list of `intent` in `file`, and of
// its `patterns:` list (created after `examples:` when missing) so that this exact question
// is answered by the intent from now on, keeping everything else byte for byte (comments,
// order, quoting). Each line is inserted after the list's last item with the same
// indentation, quoted as YAML needs. The result is checked with yaml-cpp before it replaces
// the file (atomically). Returns "" or what went wrong.
std::string append_example(const std::filesystem::path& file, const std::string& intent,
                           const std::string& sentence);

}  // namespace guichet::analytics
