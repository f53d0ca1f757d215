// Runs the `tests:` written in the site's intent files against the understanding of the
// engine (intent and slots, fixed clock), and the multi-turn conversation tests of
// <site>/tests/**/*.yaml through a private engine (fixed clock and location); reports each
// failure where it was written. Used by `guichet test` and by the reload gate.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "dialogue/engine.h"

namespace guichet {

struct intent_test_failure {
    std::string file;
    int line = 0;
    std::string lang, said, expected, got;
    // When the sentence went to another intent or to "not understood": the classifier's
    // ranking, its threshold and the nearest examples (dialogue/ranking.h), lines ending in '\n'.
    std::string why;
    // A test file that could not be read: its `file:line:column: problem` line, printed as it
    // is (as `guichet check` prints it) instead of the lines above.
    std::string problem;
};

// One of the FAQ's questions, typed as written, that got no FAQ answer.
struct faq_elsewhere {
    std::string entry, lang, question, got;
};

struct intent_test_report {
    std::size_t passed = 0;
    std::vector<intent_test_failure> failures;
    // The FAQ's questions asked as written (run_faq_questions): how many, and those another
    // intent answered (a street asked for the bins' days may be right; the emergency numbers
    // for "construire une maison" were not). For staff to read; not failures.
    std::size_t faq_questions = 0;
    std::vector<faq_elsewhere> faq_answered_elsewhere;
};

// now: the fixed clock the tests' dates are resolved against.
intent_test_report run_intent_tests(const engine& e, const site& s, std::int64_t now);

// One turn of a conversation test file:
//   - say: "bonjour"            (or press: "<button payload>")
//     expect: { intent: smalltalk.greet, reply_contains: "Bonjour", buttons: ["Horaires"] }
//     (reply_excludes: words no reply may hold; replies: how many replies the turn gives)
struct conversation_turn {
    int line = 0;
    std::string say, press;
    std::optional<geo_point> share;                // a location shared alone (`share: {lat, lon}`)
    std::int64_t after = 10;                       // seconds since the previous turn
                                                   // (`after: 2h`, `30min`, `1d`, `45s`)
    std::optional<std::string> intent;             // "out_of_scope" / "fallback" allowed
    std::vector<std::string> reply_contains;       // every one must appear (case-insensitive)
    std::vector<std::string> reply_excludes;       // none may appear (case-insensitive)
    std::vector<std::string> buttons;              // every title must be offered
    std::optional<int> replies;                    // how many replies (messages), if said
};

// A file holds one conversation (`turns:`) or several (`conversations:` of {name, turns}).
// File-level keys: now: 2026-12-02T10:00:00 (local), location: {lat, lon}, locale: fr|en,
// agents: how many agents are signed in to the console (0 unless said; a conversation may
// say its own, as it may its own now and locale).
struct conversation_test {
    std::string file, name;
    int line = 0;
    std::string now_text, locale;
    std::size_t agents = 0;
    std::optional<geo_point> location;
    std::vector<conversation_turn> turns;
};

// What a conversation test file is checked against besides its shape.
struct conversation_checks {
    // The site's intents: an expected intent none of them is is a problem. nullptr: unchecked.
    const intents::site_intents* intents = nullptr;
    // The values `locale:` may take, besides "" (none).
    std::vector<std::string> languages = {"fr", "en"};
};

// Reads every *.yaml under <root>/tests (recursively, sorted; folders named fixtures, site,
// data or holding an intents/ folder are skipped, and so are intent files kept there); a file
// that is not valid UTF-8, an unknown key (with the closest one), a `locale:` or (with
// checks.intents) an expected intent that does not exist are problems as file:line:column.
std::vector<conversation_test> load_conversation_tests(const std::filesystem::path& root,
                                                       diagnostics& problems,
                                                       const conversation_checks& checks = {});

// Runs each conversation in a fresh engine over site `s` (the live engine's conversations
// are untouched). default_now: the clock when a file gives none. Blocks the calling thread.
void run_conversation_tests(plugin_host& plugins, std::shared_ptr<site> s,
                            const engine_options& options, std::int64_t default_now,
                            const std::vector<conversation_test>& tests,
                            intent_test_report& report);

// Each question of the site's FAQ, typed as written in a new conversation, through a private
// engine: counted in report.faq_questions, listed in report.faq_answered_elsewhere when it does
// not get an FAQ answer (`guichet test` prints them for staff). Blocks the calling thread.
void run_faq_questions(plugin_host& plugins, std::shared_ptr<site> s, const engine_options& options,
                       std::int64_t now, intent_test_report& report);

// The tests `guichet test` and the reload gate run: intent tests, then conversation tests (load
// problems are failures). Blocks the calling thread.
intent_test_report run_site_tests(plugin_host& plugins, std::shared_ptr<site> s,
                                  const engine_options& options, std::int64_t now);

// Human-readable report; the last line is "N passed, M failed".
void print_report(const intent_test_report& r, std::ostream& out);

}  // namespace guichet
