// Which agents are signed in to a console now. Each console (the admin console's agents, the
// shared-password inbox at /agents) adds a source counting its live sessions; the handoff
// plugin asks the total (ABI 1.3) before promising a person, and the duty watch gives the
// waiting citizens another way when it falls to zero. Thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <vector>

namespace guichet {

class agents_presence {
public:
    using source = std::function<std::size_t()>;
    // A console's count of its signed-in agents; called from any thread, must be thread-safe.
    void add(source s) {
        std::lock_guard lock(mutex_);
        sources_.push_back(std::move(s));
    }
    std::size_t count() const {
        std::vector<source> copy;
        {
            std::lock_guard lock(mutex_);
            copy = sources_;  // asked outside the lock: a source takes its own
        }
        std::size_t n = 0;
        for (auto& s : copy) n += s();
        return n;
    }

private:
    mutable std::mutex mutex_;
    std::vector<source> sources_;
};

}  // namespace guichet
