// The store's writer thread (group commit): turns' writes wait in a queue; the thread takes
// every turn waiting, applies them in one SQLite transaction (each in its savepoint, so that
// one bad turn fails alone), commits, and only then reports each one done.
// Threads: submit may be called from any thread; `apply`, `committed` and the `done` callbacks
// run on the writer thread, `apply` with the database mutex held. `committed` is called for
// each turn kept by a commit, before any `done`. The destructor commits what waits.
#pragma once

#include <condition_variable>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "store/sqlite_db.h"
#include "store/store.h"

namespace guichet::store {

class group_writer {
public:
    using apply_fn = std::function<void(const turn_writes&)>;
    using done_fn = std::function<void(std::exception_ptr)>;

    // db and db_mutex (which guards it) must outlive the writer; apply writes one turn on db.
    group_writer(connection& db, std::mutex& db_mutex, apply_fn apply, apply_fn committed = {});
    ~group_writer();
    group_writer(const group_writer&) = delete;
    group_writer& operator=(const group_writer&) = delete;

    // Queues w; false (w and done untouched) once the writer is stopping.
    bool submit(turn_writes& w, done_fn& done);

private:
    struct job {
        turn_writes w;
        done_fn done;
    };
    void loop();
    std::vector<std::exception_ptr> commit(std::vector<job>& batch);

    connection& db_;
    std::mutex& db_mutex_;
    apply_fn apply_, committed_;
    std::mutex jobs_mutex_;
    std::condition_variable jobs_cv_;
    std::vector<job> jobs_;
    bool stopping_ = false;
    std::thread thread_;  // last: started when everything above exists
};

}  // namespace guichet::store
