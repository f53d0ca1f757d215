// `guichet chat`'s conversation store: a folder of its own in the system's temporary folder,
// removed when the chat ends (/quit, the end of the input, Ctrl-C, the terminal closed). Trying
// the bot used to write into the site's state.db: the message log and the figures of what
// citizens asked that the bot could not answer counted the staff's tries.
#pragma once

#include <filesystem>

namespace guichet {

// One at a time per process (the signal handlers it installs name its folder). Not copyable.
class throwaway_store {
  public:
    // Throws std::system_error when the folder cannot be made.
    throwaway_store();
    ~throwaway_store();
    throwaway_store(const throwaway_store&) = delete;
    throwaway_store& operator=(const throwaway_store&) = delete;

    // The store's file in that folder (SQLite makes it, with its -wal and -shm beside it).
    std::filesystem::path file() const { return dir_ / "state.db"; }

  private:
    std::filesystem::path dir_;
};

}  // namespace guichet
