// The warnings the engine logs while a test's logged_warnings lives, to check that a refusal
// or a failure is said (and what it says) rather than only that it happened.
#pragma once

#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "engine/log.h"

namespace guichet::test {

// The warnings logged while it lives.
struct logged_warnings {
    logged_warnings()
        : previous(log::set_sink([this](log::level l, std::string_view line) {
              std::lock_guard lock(m);
              if (l == log::level::warn) said.emplace_back(line);
          })) {}
    ~logged_warnings() { log::set_sink(previous); }
    std::vector<std::string> lines() {
        std::lock_guard lock(m);
        return said;
    }
    std::vector<std::string> with(std::string_view words) {
        std::vector<std::string> out;
        for (auto& l : lines())
            if (l.find(words) != std::string::npos) out.push_back(l);
        return out;
    }
    std::mutex m;
    std::vector<std::string> said;
    log::sink previous;
};

}  // namespace guichet::test
