// Intent-file tests: classification plus slot values, one line per failure.
#include "dialogue/intent_tests.h"

namespace guichet {

intent_test_report run_intent_tests(const engine& e, const site& s, std::int64_t now) {
    intent_test_report report;
    for (auto& in : s.intents().intents)
        for (auto& [lang, part] : in.langs)
            for (auto& t : part.tests) {
                auto u = e.understand(s, t.say, lang, now);
                std::string got = u.intent.empty() ? std::string(intents::out_of_scope) : u.intent;
                if (u.ambiguous && u.ranked.size() >= 2)
                    got = "ambiguous between " + u.ranked[0].intent + " and " + u.ranked[1].intent;
                std::string expected = t.expect_intent;
                bool ok = got == expected;
                std::string slot_problem;
                if (ok)
                    for (auto& [name, value] : t.expect_slots) {
                        auto it = u.slots.find(name);
                        std::string actual = it == u.slots.end() ? "(none)" : it->second;
                        if (actual != value) {
                            slot_problem += " slot " + name + "=" + actual + " (expected " + value + ")";
                            ok = false;
                        }
                    }
                if (ok) {
                    ++report.passed;
                    continue;
                }
                char conf[32];
                std::snprintf(conf, sizeof conf, "%.2f", u.confidence);
                report.failures.push_back(
                    {t.file, t.line, lang, t.say, expected,
                     slot_problem.empty() ? got + " (confidence " + conf + ")"
                                          : got + "," + slot_problem});
            }
    return report;
}

void print_report(const intent_test_report& r, std::ostream& out) {
    for (auto& f : r.failures)
        out << f.file << ':' << f.line << ": [" << f.lang << "] \"" << f.said << "\"\n"
            << "    expected: " << f.expected << "\n"
            << "    got:      " << f.got << "\n";
    out << r.passed << " passed, " << r.failures.size() << " failed\n";
}

}  // namespace guichet
