// `guichet explain "TEXT"...`: what the engine understands of each text and why, then its
// answer (see explain.cpp).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace guichet {

class app;

// `locale` empty: guessed from each text, as for a citizen's message. Returns the exit code.
int run_explain(app& a, const std::vector<std::string>& texts, const std::string& locale,
                std::int64_t now, std::ostream& out);

}  // namespace guichet
