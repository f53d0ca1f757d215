// The throwaway store of `guichet chat` (see throwaway_store.h). A signal ends the process
// before any destructor runs, so the handler removes the folder itself, with the calls a
// signal handler may make (unlink, rmdir, _exit) on paths written down beforehand.
#include "console/throwaway_store.h"

#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace guichet {

namespace {

// What the handler removes: the store's files (SQLite's own names beside state.db), then the
// folder. Fixed-size, filled before the handlers are installed.
constexpr std::size_t path_max = 4096;
constexpr const char* store_files[] = {"state.db", "state.db-wal", "state.db-shm",
                                       "state.db-journal"};
char files_to_remove[std::size(store_files)][path_max];
char dir_to_remove[path_max];

void remove_now() {
    for (auto& f : files_to_remove)
        if (f[0]) ::unlink(f);
    if (dir_to_remove[0]) ::rmdir(dir_to_remove);
}

extern "C" void on_signal(int sig) {
    remove_now();
    ::_exit(128 + sig);
}

}  // namespace

throwaway_store::throwaway_store() {
    auto pattern = (std::filesystem::temp_directory_path() / "guichet-chat-XXXXXX").string();
    const int failed = pattern.size() + 32 >= path_max ? ENAMETOOLONG
                       : !::mkdtemp(pattern.data())    ? errno
                                                       : 0;
    if (failed)
        throw std::system_error(
            failed, std::generic_category(),
            "cannot make a temporary folder for the conversation store (" + pattern + ")");
    dir_ = pattern;
    std::strcpy(dir_to_remove, pattern.c_str());
    for (std::size_t i = 0; i < std::size(store_files); ++i)
        std::strcpy(files_to_remove[i], (dir_ / store_files[i]).c_str());
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, on_signal);
}

throwaway_store::~throwaway_store() {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, SIG_DFL);
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    dir_to_remove[0] = 0;
    for (auto& f : files_to_remove) f[0] = 0;
}

}  // namespace guichet
