// Runs a shell command for the end-to-end tests of the `guichet` command line: its exit status
// and everything it printed (standard output and error together).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace guichet::test {

struct run_result {
    int status = -1;
    std::string out;
};

inline run_result run(const std::string& command) {
    run_result r;
    FILE* p = popen((command + " 2>&1").c_str(), "r");
    if (!p) return r;
    std::array<char, 4096> buf;
    std::size_t n;
    while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
    const int st = pclose(p);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return r;
}

}  // namespace guichet::test
