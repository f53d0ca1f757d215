// What citizens ask: counts per day and per week by intent, channel and language, and the
// questions that fell to the fallback or were answered with low confidence, grouped by
// similarity (stemmed words, Jaccard) for staff review, and the citizens' 👍/👎 on answers:
// per intent, per knowledge entry (the FAQ's: shown, useful, not useful), and each 👎 with
// the question and the answer it judged, grouped the same way.
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

// A citizen's 👍/👎 on one answer, as the website channel tells it.
struct vote {
    std::string intent, locale;
    bool useful = false;
    std::string source;    // the knowledge entry answered from (an FAQ entry's id), "" for none
    std::string question;  // the citizen's words that led to the answer (masked when kept)
    std::string answer;    // the answer's text (masked when kept)
};

// 👎 on the same answer (intent, entry, text) to the same question in other words (stems,
// as the unanswered groups), for staff review.
struct unhelpful_group {
    std::string id;  // "u<n>": stable while the group's first vote is kept
    std::string question;                // the most frequent wording
    std::vector<std::string> examples;   // up to 5 other wordings
    std::string answer, intent, source, locale;
    std::size_t count = 0;
    std::int64_t last_voted = 0;  // Unix seconds
};

// A knowledge entry's figures: how often it was the answer, and how citizens rated it.
struct entry_counts {
    std::uint64_t shown = 0, useful = 0, not_useful = 0;
    entry_counts& operator+=(const entry_counts& o) {
        shown += o.shown;
        useful += o.useful;
        not_useful += o.not_useful;
        return *this;
    }
};
struct entry_row {
    std::string entry;  // the FAQ entry's id
    entry_counts counts;
};

// A persisted question (analytics_db), as restored at start; or a 👎 (`vote`) with the
// question that led to the answer judged.
struct stored_question {
    std::uint64_t seq = 0;  // one numbering for both kinds
    std::string text, locale, intent;
    double confidence = 0;
    std::int64_t at = 0;  // when it was asked (Unix seconds)
    bool done = false;    // staff marked its group "traité"
    bool vote = false;    // a 👎: the answer it judged, and the entry it came from
    std::string answer, source;
};

// What changed since the last take_pending(): the writer's work.
struct pending_changes {
    // (day, intent, channel, locale) → increment
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint64_t> daily;
    std::vector<stored_question> questions;  // new questions and 👎
    std::vector<std::uint64_t> forgotten;    // seqs dismissed or dropped
    std::vector<std::uint64_t> done;         // seqs marked "traité"
    // (day, intent, locale, useful) → increment
    std::map<std::tuple<std::string, std::string, std::string, int>, std::uint64_t> feedback;
    std::map<std::string, entry_counts> entries;  // entry → increments
    bool empty() const {
        return daily.empty() && questions.empty() && forgotten.empty() && done.empty() &&
               feedback.empty() && entries.empty();
    }
};

class store {
public:
    static constexpr std::size_t unanswered_max = 5000;  // oldest questions dropped beyond
    static constexpr std::size_t unhelpful_max = 5000;   // oldest 👎 (with texts) dropped beyond
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

    // A citizen's 👍 (useful) or 👎 on an answer (any thread): counted per intent and per
    // entry; a 👎 also keeps its question and answer (personal data masked) for staff review.
    void feedback(const vote& v, std::int64_t at);
    // 👍/👎 per intent, most rated first.
    std::vector<feedback_row> feedback_counts() const;
    // The answers judged unhelpful, grouped, most 👎 first; a group marked "traité" is left out
    // until it is voted down again.
    std::vector<unhelpful_group> unhelpful(std::size_t max_groups = 50) const;
    // Marks a group of 👎 "traité": hidden until the same answer is voted down again.
    bool mark_unhelpful_done(const std::string& group_id);
    // Per knowledge entry (the FAQ's): shown, useful, not useful; most 👎 first, then most shown.
    std::vector<entry_row> entries() const;

    // Durability (analytics_db): the changes since the last call, and the state read at start.
    pending_changes take_pending();
    // Puts back changes a failed write could not commit (they are retried next time).
    void requeue(pending_changes p);
    void restore(const std::vector<count_row>& daily, const std::vector<stored_question>& questions,
                 const std::vector<std::pair<std::string, std::pair<std::uint64_t, std::uint64_t>>>& feedback,
                 const std::map<std::string, entry_counts>& entries,
                 std::uint64_t last_seq = 0);  // the highest question number ever given

private:
    // One question asked (the whole message, or one of its two questions).
    void record(const message& m, const answered_question& a, const std::string& locale, std::int64_t at);
    struct question {
        std::string text, locale, intent;
        double confidence = 0;
        std::vector<std::string> stems;
        std::uint64_t seq = 0;
        std::int64_t at = 0;
        bool done = false;
        std::string answer, source;  // 👎 only: the answer judged
    };
    using group = std::vector<std::size_t>;  // positions in the list
    // The questions of `list` grouped by wording (stems' Jaccard with the group's first; for
    // 👎, on the same answer), in order of first asking, each group's id `prefix` + its
    // first question's number. Call under the lock.
    static std::vector<std::pair<std::string, group>> groups_of(const std::deque<question>& list,
                                                                char prefix);
    // Applies `change` to the group `group_id` of `list` (under the lock); false when there is
    // no such group.
    template <class Change>
    bool change_group(std::deque<question>& list, char prefix, const std::string& group_id, Change change);
    // Marks the group "traité".
    bool mark_group_done(std::deque<question>& list, char prefix, const std::string& group_id);

    std::string time_zone_;
    mutable std::mutex mutex_;
    std::map<std::tuple<std::string, std::string, std::string, std::string>, std::uint64_t>
        daily_, weekly_;
    std::deque<question> questions_;
    std::uint64_t seq_ = 0;
    std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> feedback_;  // intent → (👍, 👎)
    std::deque<question> unhelpful_;  // the 👎 with their question (text) and answer
    std::map<std::string, entry_counts> entries_;
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
