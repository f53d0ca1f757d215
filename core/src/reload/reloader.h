// Live reload of a site behind a test gate: a thread polls the site's intents/, knowledge/
// and tests/ folders every 500 ms (or is woken by request(), e.g. on SIGHUP); on a change it
// builds a new site into a new knowledge-base file, runs the intent and conversation tests,
// and swaps it into the engine only if everything loads and passes. Otherwise the live site
// stays and each problem is logged as file:line:column. Turns never wait for a reload.
// It watches the site's own files, also while the last-good copy is served (serving_last_good()).
// Thread-safe: request(), status() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "dialogue/engine.h"

namespace guichet {

struct reload_options {
    std::chrono::milliseconds poll_interval{500};
    std::chrono::milliseconds settle{100};  // a change must be stable this long (editors write twice)
    std::string test_now = "2026-12-02T10:00:00";  // the tests' fixed clock, local time
};

struct reload_status {
    std::uint64_t generation = 0;  // site versions swapped in since start
    std::uint64_t rejected = 0;    // attempts that kept the live site
    bool last_ok = true;
    std::vector<std::string> last_problems;  // "file:line:column: message" of the last attempt
    std::int64_t last_attempt = 0;           // Unix seconds, 0 = never
    // The live site is the last-good copy served since a start with broken files, not the
    // site's files; last_problems are then theirs. False from the first swap on.
    bool serving_last_good = false;
};

class reloader {
public:
    // base: the options of the site's own files, those it watches and reloads (not the
    // last-good copy's, even when e serves that copy); plugins and e outlive the reloader.
    reloader(plugin_host& plugins, engine& e, site_options base, engine_options eo,
             reload_options o = {});
    ~reloader();  // stops the thread

    void start();
    // Says that e serves the last-good copy because the site's files did not load, and why
    // (file:line:column: …): the status reports it until a reload swaps the site in. Call
    // before start().
    void serving_last_good(std::vector<std::string> problems);
    // Reloads as soon as possible even without a change (SIGHUP, the console's button).
    void request();
    // The same, then `then` with the outcome of the first attempt that starts after this call
    // (so it sees every file written before it), on the reloader's thread.
    void request(std::function<void(const reload_status&)> then);
    reload_status status() const;
    // Called after every attempt, on the reloader's thread (metrics, tests).
    void on_attempt(std::function<void(const reload_status&)> f);

    // One synchronous attempt (what the thread does); true when swapped in.
    bool reload_now();

private:
    using snapshot = std::map<std::string, std::pair<std::int64_t, std::uintmax_t>>;
    snapshot take_snapshot() const;
    void run(snapshot last);

    plugin_host& plugins_;
    engine& engine_;
    site_options base_;
    engine_options engine_options_;
    reload_options options_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false, requested_ = false;
    reload_status status_;
    std::function<void(const reload_status&)> on_attempt_;
    std::uint64_t attempts_started_ = 0;
    // Callers of request(then), with the attempts started when they asked.
    std::vector<std::pair<std::uint64_t, std::function<void(const reload_status&)>>> waiting_;
    std::filesystem::path initial_kb_, live_kb_, previous_kb_;
    std::thread thread_;
};

}  // namespace guichet
