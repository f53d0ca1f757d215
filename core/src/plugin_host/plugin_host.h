// Loads intent plugins (shared libraries speaking <guichet/plugin.h>), checks their ABI
// before running any of their code, and runs turns on them with a deadline. The C callback
// that finishes a turn is bridged here, once, into an Asio completion (any thread → the
// caller's executor).
#pragma once

#include <guichet/plugin.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/completion.h"
#include "engine/message.h"

namespace guichet {

// What the engine lends to a turn, beyond the message: the knowledge base, opening hours,
// formatting. Implemented by the engine; called from any thread, must be thread-safe.
class turn_services {
public:
    virtual ~turn_services() = default;
    // Read-only SQL on the knowledge base; returns false and sets error on failure.
    virtual bool kb_query(const std::string& sql, const std::vector<std::string>& params,
                          guichet_row_callback row, void* user, std::string& error) = 0;
    virtual bool hours_intervals(const std::string& expression, std::int64_t from,
                                 std::int64_t to, guichet_interval_callback cb, void* user,
                                 std::string& error) = 0;
    virtual std::optional<std::string> holiday_name(std::int64_t at, const std::string& locale) = 0;
    virtual std::string format_time(std::int64_t at, const std::string& skeleton,
                                    const std::string& locale) = 0;

    // --- since ABI 1.1: durable records (the engine's store). Defaults say "unsupported".
    // `who` is the turn's message (channel, conversation, user, now).
    using fields = std::vector<std::pair<std::string, std::string>>;
    // `locale`: the conversation's, for the citizen's later notices (its new status).
    virtual std::optional<std::string> report_create(const message& who, const fields& f,
                                                     const std::string& locale,
                                                     std::string& error) {
        (void)who, (void)f, (void)locale;
        error = "reports are not supported by this engine";
        return std::nullopt;
    }
    virtual std::optional<fields> report_get(const std::string& ticket) {
        (void)ticket;
        return std::nullopt;
    }
    virtual std::optional<std::string> handoff_request(const message& who, const std::string& kind,
                                                       const std::string& contact,
                                                       const std::string& note,
                                                       const std::string& locale,
                                                       std::string& error) {
        (void)who, (void)kind, (void)contact, (void)note, (void)locale;
        error = "handoff is not supported by this engine";
        return std::nullopt;
    }
    virtual std::int64_t erase_user_data(const message& who) {
        (void)who;
        return -1;
    }
    // Rows of (kind, at, text).
    virtual bool export_user_data(const message& who, std::vector<std::vector<std::string>>& rows,
                                  std::string& error) {
        (void)who, (void)rows;
        error = "export is not supported by this engine";
        return false;
    }

    // --- since ABI 1.3: agents signed in to the console now (0: none, or no console).
    virtual std::size_t agents_signed_in() { return 0; }
};

// Everything a plugin needs to answer one message.
struct turn_input {
    message msg;              // msg.now must be set
    std::string locale;       // "fr" or "en"
    std::string intent;
    double confidence = 0;
    std::string time_zone = "Europe/Paris";
    std::string desk_place = "accueil_mairie";  // the front desk's place id (ABI 1.4)
    std::map<std::string, std::string> slots;
    std::map<std::string, std::string> memory;  // the conversation's memory, a copy
    std::shared_ptr<turn_services> services;    // may be null: KB/hours calls then fail
};

enum class turn_status { ok, failed, refused, timed_out, threw };

struct turn_outcome {
    turn_status status = turn_status::ok;
    std::string error;  // for the log when status != ok
    std::vector<reply> replies;
    std::map<std::string, std::string> memory;  // the memory after the turn (when ok)
    bool unanswered = false;  // the plugin said its replies hold no sure answer (ABI 1.2)
    std::string source;       // the knowledge entry the answer came from (ABI 1.5), or ""
};

const char* to_string(turn_status s);

class plugin_host;

// One loaded plugin. Owned by the plugin_host; address stable until the host is destroyed.
class loaded_plugin {
public:
    const std::string& name() const { return name_; }
    const std::string& version() const { return version_; }
    const std::filesystem::path& file() const { return file_; }
    const std::vector<std::string>& intents() const { return intents_; }
    // BLOCKING, or found waiting: a handle() that held a network thread a second or more
    // moves the plugin to the worker pool from its next turn on.
    bool blocking() const {
        return (flags_ & GUICHET_PLUGIN_BLOCKING) != 0 || found_waiting_.load(std::memory_order_relaxed);
    }
    std::uint32_t abi_minor() const { return minor_; }

private:
    friend class plugin_host;
    friend struct ::guichet_host;
    std::string name_, version_;
    std::filesystem::path file_;
    std::vector<std::string> intents_;
    std::uint32_t flags_ = 0, minor_ = 0;
    mutable std::atomic<bool> found_waiting_{false};
    void* library_ = nullptr;
    int copy_ = -1;  // the private copy the library was opened from (memfd), or -1
    const guichet_plugin_descriptor* descriptor_ = nullptr;
    guichet_plugin* instance_ = nullptr;
    std::unique_ptr<guichet_host> host_side_;
};

class plugin_host {
public:
    // worker_threads: the pool that runs BLOCKING plugins.
    explicit plugin_host(std::size_t worker_threads = 2);
    ~plugin_host();  // destroys every plugin instance and unloads the libraries
    plugin_host(const plugin_host&) = delete;
    plugin_host& operator=(const plugin_host&) = delete;

    // The configuration section of the plugin of this name, as a JSON object ("{}": none).
    using config_source = std::function<std::string(const std::string& plugin_name)>;
    // Loads one plugin, from a private copy of its file made now: a file overwritten in place
    // while the server runs (`cp build/x.so plugins/`) leaves the running code alone, and the
    // new file is taken at the next start. Its create() gets config_json, or what config_of gives for its name.
    // Returns the exact reason on refusal (file, and for ABI mismatches both versions), and
    // sets *name to the plugin's name (its descriptor's, else the file's stem).
    std::optional<std::string> load(const std::filesystem::path& file,
                                    const std::string& config_json = "{}",
                                    const config_source& config_of = {},
                                    std::string* name = nullptr);
    // Loads every *.so in dir (sorted by file name: of two plugins of the same name, the
    // first file's is loaded and the other refused; of two claiming one intent, the one the
    // intent is named after, "faq" for "faq.ask", else the first); returns the refusals.
    std::vector<std::string> load_dir(const std::filesystem::path& dir,
                                      const config_source& config_of = {});

    // What load_dir() refused: the file (or the folder) and why.
    struct refusal {
        std::filesystem::path file;
        std::string why;
        // The plugin's name (its descriptor's, else the file's stem): the intents that name it
        // still load, and answer that they cannot answer now. Empty when a plugin of that name
        // was loaded after all (a second file of one name).
        std::string name;
    };
    const std::vector<refusal>& refusals() const { return refusals_; }

    const loaded_plugin* find(std::string_view name) const;
    const loaded_plugin* for_intent(std::string_view intent) const;
    std::vector<const loaded_plugin*> plugins() const;
    std::set<std::string> names() const;

    // Runs one turn: calls the plugin's handle() (on the worker pool when BLOCKING), and
    // completes on `ex` with the outcome when the plugin finishes, refuses, throws, or the
    // deadline passes — whichever comes first. Never completes twice.
    template <class Token>
    auto async_run(const loaded_plugin& plugin, turn_input input,
                   std::chrono::milliseconds deadline, boost::asio::any_io_executor ex,
                   Token&& token) {
        return boost::asio::async_initiate<Token, void(turn_outcome)>(
            [this, &plugin, deadline, ex](auto handler, turn_input in) mutable {
                start_turn(plugin, std::move(in), deadline, ex,
                           completion<turn_outcome>(std::move(handler), ex));
            },
            token, std::move(input));
    }

    // Turns started and not yet finished by their plugin (late ones included).
    std::size_t turns_in_flight() const;
    // Network threads held right now by a handle() that has not returned for a second or
    // more (a plugin without BLOCKING that waits, or is stuck for good).
    std::size_t network_threads_held() const;

private:
    // load() of a library opened by open_private_copy() (lib), or of why it could not be.
    std::optional<std::string> load_opened(const std::filesystem::path& file, void* lib, int copy,
                                           const std::string& open_error,
                                           const std::string& config_json,
                                           const config_source& config_of, std::string* name);
    void start_turn(const loaded_plugin& plugin, turn_input input,
                    std::chrono::milliseconds deadline, boost::asio::any_io_executor ex,
                    completion<turn_outcome> handler);

    std::vector<std::unique_ptr<loaded_plugin>> plugins_;
    std::vector<refusal> refusals_;
    std::map<std::string, loaded_plugin*, std::less<>> by_intent_;
    boost::asio::thread_pool workers_;
    struct watch;  // the handle() calls running on network threads, looked at every 200 ms
    std::unique_ptr<watch> watch_;
};

}  // namespace guichet
