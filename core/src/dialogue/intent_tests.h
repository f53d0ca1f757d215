// Runs the `tests:` written in the site's intent files against the understanding of the
// engine (intent and slots, fixed clock), and reports each failure where it was written.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "dialogue/engine.h"

namespace guichet {

struct intent_test_failure {
    std::string file;
    int line = 0;
    std::string lang, said, expected, got;
};

struct intent_test_report {
    std::size_t passed = 0;
    std::vector<intent_test_failure> failures;
};

// now: the fixed clock the tests' dates are resolved against.
intent_test_report run_intent_tests(const engine& e, const site& s, std::int64_t now);
// Human-readable report; the last line is "N passed, M failed".
void print_report(const intent_test_report& r, std::ostream& out);

}  // namespace guichet
