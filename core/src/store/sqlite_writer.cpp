// The store's writer thread: group commit of the turns' writes (see sqlite_writer.h).
#include "store/sqlite_writer.h"

#include <sqlite3.h>

#include <stdexcept>
#include <string>

namespace guichet::store {

group_writer::group_writer(connection& db, std::mutex& db_mutex, apply_fn apply, apply_fn committed)
    : db_(db),
      db_mutex_(db_mutex),
      apply_(std::move(apply)),
      committed_(std::move(committed)),
      thread_([this] { loop(); }) {}

group_writer::~group_writer() {
    {
        std::lock_guard lock(jobs_mutex_);
        stopping_ = true;
    }
    jobs_cv_.notify_one();
    thread_.join();  // the turns waiting are committed first
}

bool group_writer::submit(turn_writes& w, done_fn& done) {
    std::lock_guard lock(jobs_mutex_);
    if (stopping_) return false;
    jobs_.push_back({std::move(w), std::move(done)});
    jobs_cv_.notify_one();
    return true;
}

void group_writer::loop() {
    std::vector<job> batch;
    for (;;) {
        {
            std::unique_lock lock(jobs_mutex_);
            jobs_cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, nothing left
            batch.swap(jobs_);
        }
        auto errors = commit(batch);
        if (committed_)
            for (std::size_t i = 0; i < batch.size(); ++i)
                if (!errors[i]) committed_(batch[i].w);
        for (std::size_t i = 0; i < batch.size(); ++i) {
            try {
                batch[i].done(errors[i]);
            } catch (...) {  // a callback must not stop the writer
            }
        }
        batch.clear();
    }
}

// One transaction for the batch; returns each turn's error (all of them the commit's error
// when the transaction itself failed: nothing of the batch is kept then). Turns rarely fail:
// the batch is first written without a savepoint per turn (four statements a turn fewer);
// when one does fail, the batch is rolled back and written again, each turn in its savepoint,
// so that only the failing turns are lost.
std::vector<std::exception_ptr> group_writer::commit(std::vector<job>& batch) {
    std::lock_guard lock(db_mutex_);
    bool open = false;
    try {
        stmt(db_, "BEGIN IMMEDIATE").run();
        open = true;
        for (auto& j : batch) apply_(j.w);
        stmt(db_, "COMMIT").run();
        return std::vector<std::exception_ptr>(batch.size());
    } catch (...) {
        if (open) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
    std::vector<std::exception_ptr> errors(batch.size());
    open = false;
    try {
        stmt(db_, "BEGIN IMMEDIATE").run();  // kept prepared, like every statement of a turn
        open = true;
        for (std::size_t i = 0; i < batch.size(); ++i) {
            stmt(db_, "SAVEPOINT turn").run();
            try {
                apply_(batch[i].w);
                stmt(db_, "RELEASE turn").run();
            } catch (...) {
                errors[i] = std::current_exception();
                stmt(db_, "ROLLBACK TO turn").run();
                stmt(db_, "RELEASE turn").run();
            }
        }
        stmt(db_, "COMMIT").run();
    } catch (...) {
        if (open) sqlite3_exec(db_.get(), "ROLLBACK", nullptr, nullptr, nullptr);
        auto all = std::current_exception();
        for (auto& e : errors) e = all;
    }
    return errors;
}

}  // namespace guichet::store
