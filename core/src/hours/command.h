// The `guichet hours` command: evaluates an opening_hours expression over a time window and
// prints the open/unknown intervals as JSON (same shape as the conformance corpus).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace guichet::hours {

// `args` are the arguments after `hours`: EXPR --from T --to T [--tz ZONE] [--alsace-moselle],
// or --help. T is local ISO-8601 (`2025-01-13T00:00:00`) or with an offset (`…+01:00`, `…Z`).
// On success prints one line `{"intervals":[[start,end,unknown,comment],…]}` to `out` and
// returns 0; on bad input prints the problem to `err` (for a bad expression: the expression, a
// caret under the offending character and the message in French and English) and returns 1.
// Never throws. Thread-safe (no shared state besides the per-thread time-zone cache).
int run_hours_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace guichet::hours
