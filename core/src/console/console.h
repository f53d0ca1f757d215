// The console connector: a conversation in a terminal, buttons shown as numbers.
#pragma once

#include <istream>
#include <ostream>
#include <string>

namespace guichet {

class app;

// Reads lines until EOF or /quit; returns the process exit code.
int run_console(app& a, const std::string& locale, std::istream& in, std::ostream& out);

}  // namespace guichet
