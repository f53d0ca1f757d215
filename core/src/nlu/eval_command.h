// `guichet nlu …`: the command-line entry of the nlu component (evaluation on a CLINC150-style
// JSON file). The main executable forwards the arguments that follow `nlu`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace guichet::nlu {

// Runs `guichet nlu eval --data FILE.json [--json]` or `guichet nlu --help`. `args` are the
// words after `nlu`. Reads {"train": [[text, intent], …], "val", "test", "oos_train",
// "oos_val", "oos_test"} (intent "oos" = out of scope; all English), trains on train
// (+ oos_train), tunes on val (+ oos_val; without them on a share of train), evaluates on test
// + oos_test, and prints in-scope accuracy, out-of-scope recall and precision, training
// seconds, median and p99 µs per classification and peak RSS. With --json prints one JSON
// object with keys in_scope_accuracy, oos_recall, oos_precision, train_seconds,
// classify_median_us, classify_p99_us, peak_rss_mb. Errors go to `err`.
// Returns the process exit code: 0 success, 1 bad data or file, 2 bad usage.
int run_nlu_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace guichet::nlu
