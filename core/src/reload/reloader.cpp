// The reload thread: poll, settle, build, test, swap. Each candidate site gets its own
// knowledge-base file (knowledge.r<N>.db next to the configured one) so that the live site's
// connections never see a database that did not pass the tests; the file before the live
// one is removed once no turn can still open it (one generation later).
#include "reload/reloader.h"

#include <algorithm>

#include <chrono>
#include <sstream>

#include "dialogue/intent_tests.h"
#include "engine/log.h"
#include "hours/opening_hours.h"

namespace guichet {

namespace fs = std::filesystem;

reloader::reloader(plugin_host& plugins, engine& e, site_options base, engine_options eo,
                   reload_options o)
    : plugins_(plugins), engine_(e), base_(std::move(base)), engine_options_(eo),
      options_(std::move(o)) {
    live_kb_ = base_.kb_path.empty() ? base_.root / "var" / "knowledge.db" : base_.kb_path;
    initial_kb_ = live_kb_;
}

reloader::~reloader() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void reloader::start() {
    if (thread_.joinable()) return;
    // The files as they are now, before start() returns: an edit made right after counts.
    thread_ = std::thread([this, first = take_snapshot()]() mutable { run(std::move(first)); });
}

void reloader::serving_last_good(std::vector<std::string> problems) {
    std::lock_guard lock(mutex_);
    status_.serving_last_good = true;
    status_.last_ok = false;
    status_.last_problems = std::move(problems);
}

void reloader::request() {
    {
        std::lock_guard lock(mutex_);
        requested_ = true;
    }
    wake_.notify_all();
}

void reloader::request(std::function<void(const reload_status&)> then) {
    {
        std::lock_guard lock(mutex_);
        waiting_.emplace_back(attempts_started_, std::move(then));
        requested_ = true;
    }
    wake_.notify_all();
}

reload_status reloader::status() const {
    std::lock_guard lock(mutex_);
    return status_;
}

void reloader::on_attempt(std::function<void(const reload_status&)> f) {
    std::lock_guard lock(mutex_);
    on_attempt_ = std::move(f);
}

reloader::snapshot reloader::take_snapshot() const {
    snapshot s;
    for (const char* dir : {"intents", "knowledge", "tests"}) {
        std::error_code ec;
        auto root = base_.root / dir;
        if (!fs::is_directory(root, ec)) continue;
        for (auto it = fs::recursive_directory_iterator(root, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
            std::error_code e2;
            // Tools' folders hold no site content and can be huge (a browser test's
            // node_modules has tens of thousands of files, walked at every poll).
            auto name = it->path().filename().string();
            if (it->is_directory(e2) && (name == "node_modules" || name.rfind('.', 0) == 0)) {
                it.disable_recursion_pending();
                continue;
            }
            auto ext = it->path().extension();
            if (!it->is_regular_file(e2) ||
                (ext != ".yaml" && ext != ".yml" && ext != ".csv" && ext != ".json"))
                continue;  // editors' swap files, sources of other tests
            auto t = fs::last_write_time(it->path(), e2).time_since_epoch();
            auto size = it->file_size(e2);
            s[it->path().string()] = {
                std::chrono::duration_cast<std::chrono::nanoseconds>(t).count(),
                e2 ? 0 : size};
        }
    }
    return s;
}

void reloader::run(snapshot last) {
    std::unique_lock lock(mutex_);
    while (!stop_) {
        wake_.wait_for(lock, options_.poll_interval, [&] { return stop_ || requested_; });
        if (stop_) break;
        bool forced = requested_;
        requested_ = false;
        lock.unlock();
        auto now = take_snapshot();
        if (forced || now != last) {
            // Let the editor finish writing: wait until two looks agree.
            for (int i = 0; i < 10; ++i) {
                std::this_thread::sleep_for(options_.settle);
                auto again = take_snapshot();
                if (again == now) break;
                now = std::move(again);
            }
            last = now;
            try {
                reload_now();
            } catch (const std::exception& e) {
                log::error("reload", std::string("reload failed: ") + e.what());
            }
        }
        lock.lock();
    }
}

bool reloader::reload_now() {
    std::uint64_t attempt, started_as;
    {
        std::lock_guard lock(mutex_);
        attempt = status_.generation + status_.rejected + 1;
        started_as = ++attempts_started_;
    }
    auto started = std::chrono::steady_clock::now();
    site_options o = base_;
    o.build_kb = true;
    // Named after the configured file, not the live one: "knowledge.r3.db", not
    // "knowledge.r1.r2.r3.db", whose name grew with every reload until it could not be created.
    o.kb_path = initial_kb_.parent_path() /
                (initial_kb_.stem().string() + ".r" + std::to_string(attempt) + initial_kb_.extension().string());
    std::vector<std::string> problems;
    diagnostics diags;
    auto candidate = site::load(o, plugins_, diags);
    for (auto& d : diags) problems.push_back(d.str());
    if (candidate) {
        auto now = hours::parse_local_iso(options_.test_now, o.time_zone);
        auto report = run_site_tests(plugins_, candidate, engine_options_, now.value_or(0));
        for (auto& f : report.failures)
            problems.push_back(f.file + ":" + std::to_string(f.line) + ": test failed: [" + f.lang +
                               "] \"" + f.said + "\": expected " + f.expected + ", got " + f.got);
        if (problems.empty())
            log::info("reload", std::to_string(report.passed) + " tests passed");
    } else if (problems.empty()) {
        problems.push_back(base_.root.string() + ": the site did not load");
    }

    bool ok = candidate && problems.empty();
    std::error_code ec;
    std::function<void(const reload_status&)> cb;
    std::vector<std::function<void(const reload_status&)>> waiters;
    reload_status st;
    bool left_last_good = false;
    {
        // The swap and the count change together, so whoever sees the new answers also sees
        // the new generation.
        std::lock_guard lock(mutex_);
        if (ok) {
            engine_.set_site(candidate);
            ++status_.generation;
            left_last_good = std::exchange(status_.serving_last_good, false);
        } else {
            ++status_.rejected;
        }
        status_.last_ok = ok;
        status_.last_problems = problems;
        status_.last_attempt = std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch()).count();
        st = status_;
        cb = on_attempt_;
        auto answered = std::stable_partition(waiting_.begin(), waiting_.end(),
                                              [&](auto& w) { return w.first >= started_as; });
        for (auto it = answered; it != waiting_.end(); ++it) waiters.push_back(std::move(it->second));
        waiting_.erase(answered, waiting_.end());
    }
    if (ok) {
        if (!previous_kb_.empty() && previous_kb_ != initial_kb_) fs::remove(previous_kb_, ec);
        previous_kb_ = std::exchange(live_kb_, o.kb_path);
        site::keep_as_last_good(base_);  // what a restart serves if a file breaks later
        auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - started).count();
        log::info("reload", "new site version swapped in (" + std::to_string(ms) + " ms)" +
                                (left_last_good ? ": the site's fixed files are online, the "
                                                  "last-good copy is no longer served"
                                                : ""));
    } else {
        candidate.reset();
        fs::remove(o.kb_path, ec);
        // A test may fail in a file nobody edited: the edit moved its answer (new examples
        // train the same classifier as everyone's).
        if (st.serving_last_good)
            log::error("reload", "the site's files still have " + std::to_string(problems.size()) +
                                     " problem(s): the last version that loaded stays online");
        else
            log::error("reload", "the edit is refused and the live site kept: " +
                                     std::to_string(problems.size()) +
                                     " problem(s) with the edited site (files that do not load, or "
                                     "tests whose answers the edit changed)");
        // A problem of several lines (a test's expected / got) as several log lines: the text
        // log wrote them as one, with literal "\n" (the log escapes line breaks).
        for (auto& p : problems) {
            std::istringstream lines(p);
            for (std::string line; std::getline(lines, line);)
                if (!line.empty()) log::error("reload", line);
        }
    }
    if (cb) cb(st);
    for (auto& w : waiters) w(st);
    return ok;
}

}  // namespace guichet
