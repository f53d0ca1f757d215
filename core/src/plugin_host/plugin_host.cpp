// Plugin loading (dlopen + descriptor check) and the host side of the C ABI: the function
// table given to plugins, and the turn object that turns a C finish() call from any thread
// into one completion on the conversation's executor.
#include "plugin_host/plugin_host.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <condition_variable>
#include <csignal>
#include <list>
#include <mutex>
#include <thread>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <cstring>
#include <deque>
#include <map>
#include <unordered_map>

#include "common/files.h"
#include "common/utf8.h"
#include "engine/log.h"

namespace asio = boost::asio;
using guichet::turn_outcome;
using guichet::turn_status;

// The host side of one loaded plugin (opaque to the plugin).
struct guichet_host {
    guichet::loaded_plugin* plugin;
};

// One turn (opaque to the plugin). Kept alive by `self_` until the plugin finishes it (or
// the host goes away), and by the timer and posted completions while they are pending.
struct guichet_turn {
    guichet::turn_input in;
    guichet_message view{};
    std::string plugin_name;

    std::mutex mutex;  // guards replies, memory, arena: a plugin may call from any thread
    std::vector<guichet::reply> replies;
    bool unanswered = false;
    std::string source;  // the knowledge entry answered from (ABI 1.5)
    std::deque<std::string> arena;  // strings handed out, valid until the turn is finished

    std::atomic<bool> delivered{false};  // the outcome went to the engine (once)
    std::atomic<bool> finished{false};   // the plugin called finish() or refused (once)
    guichet::completion<turn_outcome> handler;
    asio::any_io_executor ex;
    std::unique_ptr<asio::steady_timer> timer;
    std::shared_ptr<guichet_turn> self_;
    std::atomic<std::size_t>* in_flight = nullptr;

    const char* keep(std::string s) {
        arena.push_back(std::move(s));
        return arena.back().c_str();
    }

    // Sends the outcome to the engine once; later calls do nothing.
    void deliver(turn_outcome outcome) {
        if (delivered.exchange(true)) return;
        // The timer lives on ex: cancel it there, then complete on the handler's executor.
        asio::post(ex, [t = keeper_.lock(), outcome = std::move(outcome)]() mutable {
            if (t->timer) t->timer->cancel();
            t->handler.post(std::move(outcome));
        });
    }

    std::weak_ptr<guichet_turn> keeper_;  // to hand out strong references from inside
    std::uintptr_t handle = 0;            // what the plugin holds instead of this address
};

namespace guichet {
namespace {

std::atomic<std::size_t> g_in_flight{0};

void copy_out(char* out, size_t size, const std::string& text) {
    if (!out || !size) return;
    std::size_t n = std::min(text.size(), size - 1);
    std::memcpy(out, text.data(), n);
    out[n] = '\0';
}

guichet::reply& last_reply(guichet_turn* t) {
    if (t->replies.empty()) t->replies.emplace_back();
    return t->replies.back();
}

// What a plugin returned, made safe to send: each string valid UTF-8 (invalid sequences
// become U+FFFD) and at most 8 KiB (cut at a character, "…" added), at most 20 replies and 20
// buttons, cards or places in each; the plugin is named in the log when anything changed
// (it went out as invalid JSON, or 200 MB were sent and stored).
void make_safe(std::vector<guichet::reply>& replies, const std::string& plugin) {
    constexpr std::size_t text_max = 8192, items_max = 20;
    bool bad_utf8 = false, too_long = false, too_many = false, bad_place = false, empty = false;
    auto fix = [&](std::string& s) {
        if (find_invalid_utf8(s)) s = valid_utf8(s, bad_utf8);
        if (s.size() > text_max) {
            too_long = true;
            std::size_t cut = text_max;
            while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
            s.resize(cut);
            s += "\u2026";
        }
    };
    auto trim = [&](auto& items) {
        if (items.size() > items_max) {
            items.resize(items_max);
            too_many = true;
        }
    };
    // A place at NaN or infinity would go out as invalid JSON ("lat":NaN) and stay so in the
    // history; a reply with nothing in it is a blank bubble.
    for (auto& r : replies)
        bad_place |= std::erase_if(r.locations, [](const guichet::place_pin& l) {
                         return !std::isfinite(l.lat) || !std::isfinite(l.lon) ||
                                std::fabs(l.lat) > 90 || std::fabs(l.lon) > 180;
                     }) > 0;
    empty = std::erase_if(replies, [](const guichet::reply& r) {
                return r.text.empty() && r.buttons.empty() && r.cards.empty() &&
                       r.locations.empty();
            }) > 0;
    trim(replies);
    for (auto& r : replies) {
        fix(r.text);
        trim(r.buttons);
        trim(r.cards);
        trim(r.locations);
        for (auto& b : r.buttons) fix(b.title), fix(b.payload);
        for (auto& c : r.cards) fix(c.title), fix(c.subtitle), fix(c.url);
        for (auto& l : r.locations) fix(l.title);
    }
    if (bad_utf8)
        log::warn("plugin_host", "plugin '" + plugin +
                                     "' replied with invalid UTF-8: each bad byte became U+FFFD");
    if (too_long)
        log::warn("plugin_host", "plugin '" + plugin + "' replied with a text over " +
                                     std::to_string(text_max) + " bytes: cut");
    if (bad_place)
        log::warn("plugin_host", "plugin '" + plugin +
                                     "' sent a place whose latitude or longitude is no number on "
                                     "the globe: left out");
    if (empty) log::warn("plugin_host", "plugin '" + plugin + "' sent an empty reply: left out");
    if (too_many)
        log::warn("plugin_host", "plugin '" + plugin + "' replied with more than " +
                                     std::to_string(items_max) + " replies, buttons, cards or "
                                     "places: the rest left out");
}

// The plugin holds a number, not the turn's address: a handle kept after its turn finished
// (a plugin's bug) would point at freed memory, or at another citizen's turn allocated there
// since. Numbers are never given twice; a call with one whose turn is finished, or with NULL,
// is logged and refused, never followed: the server and the other conversations go on. Each
// function then returns as it does when it has nothing. The turn is held for the call: a
// finish() from another thread meanwhile cannot free it under the call.
struct turn_registry {
    std::mutex mutex;
    std::unordered_map<std::uintptr_t, std::weak_ptr<guichet_turn>> live;
    std::uintptr_t last = 0;
};

turn_registry& registry() {
    static turn_registry r;
    return r;
}

void register_turn(const std::shared_ptr<guichet_turn>& t) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    t->handle = ++r.last;
    r.live.emplace(t->handle, t);
}

void unregister_turn(const guichet_turn& t) {
    auto& r = registry();
    std::lock_guard lock(r.mutex);
    r.live.erase(t.handle);
}

std::shared_ptr<guichet_turn> live(guichet_turn* handle, const char* function) {
    if (handle) {
        auto& r = registry();
        std::lock_guard lock(r.mutex);
        if (auto it = r.live.find(reinterpret_cast<std::uintptr_t>(handle)); it != r.live.end())
            if (auto t = it->second.lock()) return t;
    }
    log::error("plugin_host", std::string("a plugin called ") + function + " with " +
                                  (handle ? "the handle of a turn already finished"
                                          : "a NULL turn handle") + ": ignored");
    return nullptr;
}

// Called by the plugin (any thread) or by the host when the plugin refuses or throws.
void end_turn(guichet_turn* t, turn_status status, const char* why) {
    if (t->finished.exchange(true)) {
        log::warn("plugin_host", "plugin '" + t->plugin_name + "' finished a turn twice");
        return;
    }
    unregister_turn(*t);
    turn_outcome out;
    out.status = status;
    if (why) out.error = why;
    {
        std::lock_guard lock(t->mutex);
        if (status == turn_status::ok) {
            out.replies = std::move(t->replies);
            make_safe(out.replies, t->plugin_name);
            if (out.replies.empty()) {  // the citizen gets the fallback rather than silence
                out.status = turn_status::failed;
                out.error = "finished without a reply";
            }
        }
        if (out.status == turn_status::ok) {
            out.memory = std::move(t->in.memory);
            out.unanswered = t->unanswered;
            out.source = std::move(t->source);
        }
    }
    t->deliver(std::move(out));
    g_in_flight.fetch_sub(1);
    t->self_.reset();  // the plugin's reference: the handle is invalid from here
}

// --- the function table given to plugins -------------------------------------------------

// The error a refused handle gives back.
const char* refused_handle(const guichet_turn* handle) {
    return handle ? "turn handle of a finished turn" : "NULL turn handle";
}

void api_log(guichet_host* h, guichet_log_level level, const char* text) {
    std::string component = "plugin " + (h ? h->plugin->name() : std::string("?"));
    auto l = level >= GUICHET_LOG_ERROR  ? log::level::error
             : level == GUICHET_LOG_WARN ? log::level::warn
             : level == GUICHET_LOG_INFO ? log::level::info
                                         : log::level::debug;
    log::write(l, component, text ? text : "");
}

const char* api_slot(guichet_turn* h, const char* name) {
    const auto held = live(h, "slot");
    if (!held) return nullptr;
    guichet_turn* t = held.get();
    if (!name) return nullptr;
    std::lock_guard lock(t->mutex);
    auto it = t->in.slots.find(name);
    return it == t->in.slots.end() ? nullptr : t->keep(it->second);
}

const char* api_memory_get(guichet_turn* h, const char* key) {
    const auto held = live(h, "memory_get");
    if (!held) return nullptr;
    guichet_turn* t = held.get();
    if (!key) return nullptr;
    std::lock_guard lock(t->mutex);
    auto it = t->in.memory.find(key);
    return it == t->in.memory.end() ? nullptr : t->keep(it->second);
}

void api_memory_set(guichet_turn* h, const char* key, const char* value) {
    const auto held = live(h, "memory_set");
    if (!held) return;
    guichet_turn* t = held.get();
    constexpr std::size_t limit = 4096;
    if (!key || std::strlen(key) > limit || (value && std::strlen(value) > limit)) {
        log::warn("plugin_host", "plugin '" + t->plugin_name + "': memory_set(" +
                                     (key ? "'" + std::string(key).substr(0, 60) + "'" : "NULL") +
                                     ") ignored: a NULL key, or a key or value over 4096 bytes");
        return;
    }
    std::lock_guard lock(t->mutex);
    if (value)
        t->in.memory[key] = value;
    else
        t->in.memory.erase(key);
}

int api_kb_query(guichet_turn* h, const char* sql, const char* const* params, size_t n,
                 guichet_row_callback row, void* user, char* error, size_t error_size) {
    const auto held = live(h, "kb_query");
    if (!held) return copy_out(error, error_size, refused_handle(h)), 1;
    guichet_turn* t = held.get();
    if (!sql || !row) {
        copy_out(error, error_size, !sql ? "kb_query: sql is NULL" : "kb_query: row callback is NULL");
        return 1;
    }
    if (!t->in.services) {
        copy_out(error, error_size, "no knowledge base");
        return 1;
    }
    std::vector<std::string> p;
    for (size_t i = 0; i < n; ++i) p.emplace_back(params[i] ? params[i] : "");
    std::string err;
    if (t->in.services->kb_query(sql, p, row, user, err)) return 0;
    copy_out(error, error_size, err);
    return 1;
}

int api_hours_intervals(guichet_turn* h, const char* expr, int64_t from, int64_t to,
                        guichet_interval_callback cb, void* user, char* error,
                        size_t error_size) {
    const auto held = live(h, "hours_intervals");
    if (!held) return copy_out(error, error_size, refused_handle(h)), 1;
    guichet_turn* t = held.get();
    if (!t->in.services || !expr || !cb) {
        copy_out(error, error_size, "no opening hours service");
        return 1;
    }
    std::string err;
    if (t->in.services->hours_intervals(expr, from, to, cb, user, err)) return 0;
    copy_out(error, error_size, err);
    return 1;
}

int api_holiday_name(guichet_turn* h, int64_t at, char* out, size_t out_size) {
    const auto held = live(h, "holiday_name");
    if (!held) return 0;
    guichet_turn* t = held.get();
    if (!t->in.services) return 0;
    auto name = t->in.services->holiday_name(at, t->in.locale);
    if (!name) return 0;
    copy_out(out, out_size, *name);
    return 1;
}

size_t api_format_time(guichet_turn* h, int64_t at, const char* skeleton, char* out,
                       size_t out_size) {
    const auto held = live(h, "format_time");
    if (!held) return 0;
    guichet_turn* t = held.get();
    std::string s = t->in.services
                        ? t->in.services->format_time(at, skeleton ? skeleton : "", t->in.locale)
                        : std::to_string(at);
    copy_out(out, out_size, s);
    return s.size();
}

// A reply function called with NULL where a text is needed (a plugin's bug): what it sent is
// left out, and the log names the plugin and the call, e.g. "reply_button(NULL title)".
void left_out(const guichet_turn* t, const char* call) {
    log::warn("plugin_host", "plugin '" + t->plugin_name + "' sent " + call + ": left out");
}

void api_reply_text(guichet_turn* h, const char* text) {
    const auto held = live(h, "reply_text");
    if (!held) return;
    guichet_turn* t = held.get();
    // (An empty bubble: the buttons that follow go on it, as on reply_text(t, "").)
    if (!text) left_out(t, "reply_text(NULL text)");
    std::lock_guard lock(t->mutex);
    t->replies.push_back(reply{text ? text : "", {}, {}, {}});
}

void api_reply_button(guichet_turn* h, const char* title, const char* payload) {
    const auto held = live(h, "reply_button");
    if (!held) return;
    guichet_turn* t = held.get();
    if (!title) return left_out(t, "reply_button(NULL title)");
    std::lock_guard lock(t->mutex);
    last_reply(t).buttons.push_back({title, payload ? payload : title});
}

void api_reply_card(guichet_turn* h, const char* title, const char* subtitle, const char* url) {
    const auto held = live(h, "reply_card");
    if (!held) return;
    guichet_turn* t = held.get();
    if (!title) return left_out(t, "reply_card(NULL title)");
    std::lock_guard lock(t->mutex);
    last_reply(t).cards.push_back({title, subtitle ? subtitle : "", url ? url : ""});
}

void api_reply_location(guichet_turn* h, const char* title, double lat, double lon) {
    const auto held = live(h, "reply_location");
    if (!held) return;
    guichet_turn* t = held.get();
    // An untitled place: the citizen saw a pin named "" ({"title":"",…}).
    if (!title) return left_out(t, "reply_location(NULL title)");
    std::lock_guard lock(t->mutex);
    last_reply(t).locations.push_back({title, lat, lon});
}

void api_mark_unanswered(guichet_turn* h) {
    const auto held = live(h, "mark_unanswered");
    if (!held) return;
    guichet_turn* t = held.get();
    std::lock_guard lock(t->mutex);
    t->unanswered = true;
}

void api_finish(guichet_turn* h, guichet_turn_status status, const char* why) {
    const auto held = live(h, "finish");
    if (!held) return;
    guichet_turn* t = held.get();
    end_turn(t, status == GUICHET_TURN_OK ? turn_status::ok : turn_status::failed, why);
}

// --- since 1.1: durable records ----------------------------------------------------------

int api_report_create(guichet_turn* h, const char* const* keys, const char* const* values,
                      size_t n, char* ticket, size_t ticket_size, char* error, size_t error_size) {
    const auto held = live(h, "report_create");
    if (!held) return copy_out(error, error_size, refused_handle(h)), 1;
    guichet_turn* t = held.get();
    if (!t->in.services) {
        copy_out(error, error_size, "no store");
        return 1;
    }
    turn_services::fields f;
    for (size_t i = 0; i < n; ++i)
        if (keys && values && keys[i] && values[i]) f.emplace_back(keys[i], values[i]);
    std::string err;
    auto id = t->in.services->report_create(t->in.msg, f, t->in.locale, err);
    if (!id) {
        copy_out(error, error_size, err);
        return 1;
    }
    copy_out(ticket, ticket_size, *id);
    return 0;
}

int api_report_get(guichet_turn* h, const char* ticket, guichet_row_callback row, void* user) {
    const auto held = live(h, "report_get");
    if (!held) return 0;
    guichet_turn* t = held.get();
    if (!t->in.services || !ticket || !row) return 0;
    auto f = t->in.services->report_get(ticket);
    if (!f) return 0;
    std::vector<const char*> names, vals;
    for (auto& [k, v] : *f) {
        names.push_back(k.c_str());
        vals.push_back(v.c_str());
    }
    row(user, static_cast<int>(names.size()), vals.data(), names.data());
    return 1;
}

int api_handoff_request(guichet_turn* h, const char* kind, const char* contact, const char* note,
                        char* ticket, size_t ticket_size, char* error, size_t error_size) {
    const auto held = live(h, "handoff_request");
    if (!held) return copy_out(error, error_size, refused_handle(h)), 1;
    guichet_turn* t = held.get();
    if (!t->in.services || !kind) {
        copy_out(error, error_size, "no store");
        return 1;
    }
    std::string err;
    auto id = t->in.services->handoff_request(t->in.msg, kind, contact ? contact : "",
                                              note ? note : "", t->in.locale, err);
    if (!id) {
        copy_out(error, error_size, err);
        return 1;
    }
    copy_out(ticket, ticket_size, *id);
    return 0;
}

int64_t api_erase_user_data(guichet_turn* h) {
    const auto held = live(h, "erase_user_data");
    if (!held) return -1;
    guichet_turn* t = held.get();
    if (!t->in.services) return -1;
    auto n = t->in.services->erase_user_data(t->in.msg);
    if (n >= 0) {
        std::lock_guard lock(t->mutex);
        t->in.memory.clear();
    }
    return n;
}

int api_export_user_data(guichet_turn* h, guichet_row_callback row, void* user, char* error,
                         size_t error_size) {
    const auto held = live(h, "export_user_data");
    if (!held) return copy_out(error, error_size, refused_handle(h)), 1;
    guichet_turn* t = held.get();
    if (!t->in.services || !row) {
        copy_out(error, error_size, "no store");
        return 1;
    }
    std::vector<std::vector<std::string>> rows;
    std::string err;
    if (!t->in.services->export_user_data(t->in.msg, rows, err)) {
        copy_out(error, error_size, err);
        return 1;
    }
    static const char* const names[] = {"kind", "at", "text"};
    for (auto& r : rows) {
        const char* v[3] = {r.size() > 0 ? r[0].c_str() : "", r.size() > 1 ? r[1].c_str() : "",
                            r.size() > 2 ? r[2].c_str() : ""};
        if (row(user, 3, v, names) != 0) break;
    }
    return 0;
}

// --- since 1.3 ----------------------------------------------------------------------------

int64_t api_agents_signed_in(guichet_turn* h) {
    const auto held = live(h, "agents_signed_in");
    if (!held) return 0;
    guichet_turn* t = held.get();
    return t->in.services ? static_cast<int64_t>(t->in.services->agents_signed_in()) : 0;
}

// --- since 1.4 ----------------------------------------------------------------------------

const char* api_desk_place(guichet_turn* h) {
    const auto held = live(h, "desk_place");
    if (!held) return "";
    guichet_turn* t = held.get();
    return t->in.desk_place.c_str();
}

// --- since 1.5 ----------------------------------------------------------------------------

void api_answered_from(guichet_turn* h, const char* entry_id) {
    const auto held = live(h, "answered_from");
    if (!held) return;
    guichet_turn* t = held.get();
    std::lock_guard lock(t->mutex);
    t->source = entry_id ? entry_id : "";
}

const guichet_host_api api_table = {
    sizeof(guichet_host_api), GUICHET_ABI_MAJOR, GUICHET_ABI_MINOR,
    api_log, api_slot, api_memory_get, api_memory_set, api_kb_query, api_hours_intervals,
    api_holiday_name, api_format_time, api_reply_text, api_reply_button, api_reply_card,
    api_reply_location, api_finish,
    // since 1.1
    api_report_create, api_report_get, api_handoff_request, api_erase_user_data,
    api_export_user_data,
    // since 1.2
    api_mark_unanswered,
    // since 1.3
    api_agents_signed_in,
    // since 1.4
    api_desk_place,
    // since 1.5
    api_answered_from,
};

std::string abi(std::uint32_t major, std::uint32_t minor) {
    return std::to_string(major) + "." + std::to_string(minor);
}

// The plugin and intent whose handle() runs on this thread, for the last words of a crash:
// plugins share the engine's process, and a bad pointer in one stops the server.
thread_local const char* running_plugin = nullptr;
thread_local const char* running_intent = nullptr;

void say_fatal(int sig) {
    if (running_plugin) {  // write(2) only: the process is in a signal handler
        auto put = [](const char* s) { (void)!::write(2, s, std::strlen(s)); };
        const char* what = sig == SIGSEGV   ? "SIGSEGV (bad memory access)"
                           : sig == SIGABRT ? "SIGABRT (abort)"
                           : sig == SIGBUS  ? "SIGBUS"
                           : sig == SIGFPE  ? "SIGFPE (arithmetic error)"
                                            : "SIGILL";
        put("guichet: fatal ");
        put(what);
        put(" in plugin '");
        put(running_plugin);
        if (running_intent) {
            put("' while it handled intent '");
            put(running_intent);
            put("'");
        } else {
            put("' while it started (create)");
        }
        put(": the server stops\n");
    }
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

// Once, and only where nobody else (a sanitizer, a debugger's setup) handles them already.
void name_the_plugin_on_crash() {
    static std::once_flag once;
    std::call_once(once, [] {
        for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL}) {
            struct sigaction old {};
            if (sigaction(sig, nullptr, &old) != 0 || old.sa_handler != SIG_DFL ||
                (old.sa_flags & SA_SIGINFO))
                continue;
            struct sigaction sa {};
            sa.sa_handler = say_fatal;
            sa.sa_flags = SA_RESETHAND | SA_NODEFER;
            sigemptyset(&sa.sa_mask);
            sigaction(sig, &sa, nullptr);
        }
    });
}

bool valid_name(const char* s) {
    if (!s || !*s) return false;
    for (const char* p = s; *p; ++p)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

}  // namespace

const char* to_string(turn_status s) {
    switch (s) {
        case turn_status::ok: return "ok";
        case turn_status::failed: return "failed";
        case turn_status::refused: return "refused";
        case turn_status::timed_out: return "timed out";
        case turn_status::threw: return "threw";
    }
    return "?";
}

// A handle() that waits without BLOCKING was measured when it returned; one stuck for good
// never returns, and held its network thread (stuck on each, the whole server) without a
// word in the log. The watch sees such a call while it runs: after a second, the plugin's
// next turns go to the worker pool, where the deadline holds, and the log names it.
struct plugin_host::watch {
    struct call {
        std::string plugin, intent;
        std::atomic<bool>* waiting;  // the plugin's found_waiting_
        std::chrono::steady_clock::time_point since;
        bool seen = false;
    };
    static constexpr auto held_after = std::chrono::seconds(1);

    std::mutex mutex;
    std::condition_variable wake;
    bool stop = false;
    std::list<call> calls;
    std::thread thread{[this] { run(); }};

    ~watch() {
        {
            std::lock_guard lock(mutex);
            stop = true;
        }
        wake.notify_all();
        thread.join();
    }

    // Marks one handle() call on this network thread, for as long as it lives.
    struct entered {
        watch& w;
        std::list<call>::iterator it;
        entered(watch& wa, const std::string& plugin, const std::string& intent,
                std::atomic<bool>* waiting)
            : w(wa) {
            std::lock_guard lock(w.mutex);
            it = w.calls.insert(w.calls.end(),
                                call{plugin, intent, waiting, std::chrono::steady_clock::now()});
        }
        ~entered() {
            std::lock_guard lock(w.mutex);
            w.calls.erase(it);
        }
    };

    std::size_t held() {
        const auto now = std::chrono::steady_clock::now();
        std::lock_guard lock(mutex);
        return std::count_if(calls.begin(), calls.end(),
                             [&](const call& c) { return now - c.since >= held_after; });
    }

    void run() {
        std::unique_lock lock(mutex);
        while (!wake.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop; })) {
            std::vector<std::string> lines;
            const auto now = std::chrono::steady_clock::now();
            for (auto& c : calls) {
                if (c.seen || now - c.since < held_after) continue;
                c.seen = true;
                const bool moved = !c.waiting->exchange(true);
                lines.push_back("plugin '" + c.plugin +
                                "' has held a network thread for a second in handle() for "
                                "intent '" + c.intent +
                                "' and has not returned: the conversations of that thread wait "
                                "meanwhile; a plugin that waits must set "
                                "GUICHET_PLUGIN_BLOCKING" +
                                (moved ? "; its next turns run on the worker threads" : ""));
            }
            lock.unlock();
            for (auto& line : lines) log::error("plugin_host", line);
            lock.lock();
        }
    }
};

namespace {

// dlopen() of a private copy of `file`, in memory (memfd): overwriting a mapped .so in place
// (`cp build/x.so plugins/x.so` while the server runs) changes the pages under its running
// code, and the server dies in the plugin's code; the copy's pages stay as loaded. Where
// memory files are unavailable, the file itself is opened. On failure, lib is null and error
// says dlerror().
struct opened_library {
    void* lib = nullptr;
    int copy = -1;  // the memfd, open while the library is loaded (see unload())
    std::string error;
};
std::string copy_path(int copy) { return "/proc/self/fd/" + std::to_string(copy); }

opened_library open_private_copy(const std::filesystem::path& file) {
    opened_library out;
    const std::string bytes = file_text(file);
    if (int fd = bytes.empty() ? -1 : ::memfd_create(("guichet-plugin-" + file.filename().string()).c_str(), MFD_CLOEXEC);
        fd >= 0) {
        std::size_t done = 0;
        while (done < bytes.size()) {
            const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
            if (n <= 0) break;
            done += static_cast<std::size_t>(n);
        }
        if (done == bytes.size())
            out.copy = fd;
        else
            ::close(fd);
    }
    const std::string path = out.copy >= 0 ? copy_path(out.copy) : file.string();
    out.lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!out.lib) {
        out.error = dlerror();
        // dlerror() names the copy; the staff know the file.
        if (path != file.string())
            for (auto at = out.error.find(path); at != std::string::npos; at = out.error.find(path))
                out.error.replace(at, path.size(), file.string());
        if (out.copy >= 0) ::close(out.copy);
        out.copy = -1;
    }
    return out;
}

// dlclose(), then the copy's memfd closed if the library is gone. glibc knows a library by
// its path: a library that stays (one that cannot be unloaded) keeps its /proc/self/fd/N,
// which another copy given the same number would be taken for; its memfd stays open.
void unload(void* lib, int copy) {
    dlclose(lib);
    if (copy < 0) return;
    if (void* still = dlopen(copy_path(copy).c_str(), RTLD_LAZY | RTLD_NOLOAD)) {
        dlclose(still);
        return;
    }
    ::close(copy);
}

}  // namespace

plugin_host::plugin_host(std::size_t worker_threads)
    : workers_(worker_threads), watch_(std::make_unique<watch>()) {
    name_the_plugin_on_crash();
}

std::size_t plugin_host::network_threads_held() const { return watch_->held(); }

plugin_host::~plugin_host() {
    watch_.reset();
    workers_.join();
    for (auto it = plugins_.rbegin(); it != plugins_.rend(); ++it) {
        auto& p = **it;
        if (p.instance_) p.descriptor_->destroy(p.instance_);
        if (p.library_) unload(p.library_, p.copy_);
    }
}

std::optional<std::string> plugin_host::load(const std::filesystem::path& file,
                                             const std::string& config_json,
                                             const config_source& config_of, std::string* name) {
    auto opened = open_private_copy(file);
    return load_opened(file, opened.lib, opened.copy, opened.error, config_json, config_of, name);
}

std::optional<std::string> plugin_host::load_opened(const std::filesystem::path& file, void* lib,
                                                    int copy, const std::string& open_error,
                                                    const std::string& config_json,
                                                    const config_source& config_of,
                                                    std::string* name) {
    const std::string where = "plugin " + file.string();
    if (name) *name = file.stem().string();  // the descriptor's, once it can be read
    if (!lib) return where + ": cannot load: " + open_error;
    auto fail = [&](std::string why) {
        unload(lib, copy);
        return std::optional<std::string>(where + ": " + why);
    };
    auto entry = reinterpret_cast<guichet_plugin_entry_fn>(dlsym(lib, GUICHET_PLUGIN_ENTRY_SYMBOL));
    if (!entry) return fail("no symbol '" GUICHET_PLUGIN_ENTRY_SYMBOL "' (not a guichet plugin)");
    const guichet_plugin_descriptor* d = entry();
    if (!d) return fail(GUICHET_PLUGIN_ENTRY_SYMBOL "() returned no descriptor");
    const std::string host_abi = abi(GUICHET_ABI_MAJOR, GUICHET_ABI_MINOR);
    if (d->abi_major != GUICHET_ABI_MAJOR)
        return fail("built for plugin ABI " + abi(d->abi_major, d->abi_minor) +
                    ", this engine provides " + host_abi + " (major versions must be equal)");
    if (d->abi_minor > GUICHET_ABI_MINOR)
        return fail("built for plugin ABI " + abi(d->abi_major, d->abi_minor) +
                    ", this engine provides " + host_abi + " (the plugin needs a newer engine)");
    if (d->struct_size < sizeof(guichet_plugin_descriptor))
        return fail("descriptor is " + std::to_string(d->struct_size) + " bytes, expected " +
                    std::to_string(sizeof(guichet_plugin_descriptor)));
    if (!valid_name(d->name))
        return fail("plugin name '" + std::string(d->name ? d->name : "(null)") +
                    "' must match [a-z0-9_]+");
    if (name) *name = d->name;
    if (!d->create || !d->destroy || !d->handle)
        return fail("descriptor lacks create, destroy or handle");
    if (auto* other = find(d->name))
        return fail("a plugin named '" + std::string(d->name) + "' is already loaded from " +
                    other->file().string());
    std::vector<std::string> intents;
    for (auto p = d->intents; p && *p; ++p) {
        if (auto it = by_intent_.find(*p); it != by_intent_.end())
            return fail("intent '" + std::string(*p) + "' is already served by plugin '" +
                        it->second->name() + "' (" + it->second->file().string() + ")");
        intents.emplace_back(*p);
    }

    auto lp = std::make_unique<loaded_plugin>();
    lp->name_ = d->name;
    lp->version_ = d->version ? d->version : "";
    lp->file_ = file;
    lp->intents_ = intents;
    lp->flags_ = d->flags;
    lp->minor_ = d->abi_minor;
    lp->library_ = lib;
    lp->copy_ = copy;
    lp->descriptor_ = d;
    lp->host_side_ = std::make_unique<guichet_host>(guichet_host{lp.get()});
    char err[512] = {0};
    const std::string config = config_of ? config_of(lp->name_) : config_json;
    running_plugin = lp->name_.c_str();  // a crash in create() names the plugin too
    lp->instance_ = d->create(&api_table, lp->host_side_.get(), config.c_str(), err, sizeof err);
    running_plugin = nullptr;
    if (!lp->instance_)
        return fail("(" + lp->name_ + ") create failed: " + (err[0] ? err : "no reason given"));
    for (auto& i : intents) by_intent_.emplace(i, lp.get());
    log::info("plugin_host", "loaded plugin '" + lp->name_ + "' " + lp->version_ + " (ABI " +
                                 abi(d->abi_major, d->abi_minor) + ") from " + file.string());
    plugins_.push_back(std::move(lp));
    return std::nullopt;
}

std::vector<std::string> plugin_host::load_dir(const std::filesystem::path& dir,
                                               const config_source& config_of) {
    std::vector<std::string> errors;
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.is_regular_file() && e.path().extension() == ".so") files.push_back(e.path());
    if (ec) {
        errors.push_back("plugin folder " + dir.string() + ": " + ec.message());
        refusals_.push_back({dir, ec.message()});
    }
    std::sort(files.begin(), files.end());
    // Two plugins claiming one intent: the second loaded is refused. An intent named after a
    // plugin ("faq.ask" of plugin "faq") stays that plugin's, so a newly installed plugin
    // claiming it is the one refused and the intent files keep working: such owners load
    // first. (Each file is opened once, from its private copy, its descriptor read here, and
    // that handle loaded below, so no library is initialised twice.)
    std::map<std::filesystem::path, opened_library> opened;
    std::map<std::filesystem::path, std::pair<std::string, std::vector<std::string>>> claims;
    for (auto& f : files) {
        void* lib = (opened[f] = open_private_copy(f)).lib;
        if (!lib) continue;
        auto entry = reinterpret_cast<guichet_plugin_entry_fn>(dlsym(lib, GUICHET_PLUGIN_ENTRY_SYMBOL));
        const guichet_plugin_descriptor* d = entry ? entry() : nullptr;
        if (!d || d->abi_major != GUICHET_ABI_MAJOR || !valid_name(d->name)) continue;
        auto& [name, intents] = claims[f];
        name = d->name;
        for (auto p = d->intents; p && *p; ++p) intents.emplace_back(*p);
    }
    auto owns_a_contested_intent = [&](const std::filesystem::path& f) {
        auto it = claims.find(f);
        if (it == claims.end()) return false;
        const auto& [name, intents] = it->second;
        for (auto& i : intents) {
            if (i.rfind(name + ".", 0) != 0) continue;
            for (auto& [other, claim] : claims)
                if (other != f && std::count(claim.second.begin(), claim.second.end(), i)) return true;
        }
        return false;
    };
    std::stable_partition(files.begin(), files.end(), owns_a_contested_intent);
    for (auto& f : files) {
        std::string name;
        if (auto e = load_opened(f, opened[f].lib, opened[f].copy, opened[f].error, "{}", config_of, &name)) {
            errors.push_back(*e);
            // (load() says "plugin <file>: why"; the why alone goes with the file.)
            refusals_.push_back({f, e->substr(("plugin " + f.string() + ": ").size()),
                                 find(name) ? std::string() : name});
        }
    }
    return errors;
}

const loaded_plugin* plugin_host::find(std::string_view name) const {
    for (auto& p : plugins_)
        if (p->name_ == name) return p.get();
    return nullptr;
}

const loaded_plugin* plugin_host::for_intent(std::string_view intent) const {
    auto it = by_intent_.find(intent);
    return it == by_intent_.end() ? nullptr : it->second;
}

std::vector<const loaded_plugin*> plugin_host::plugins() const {
    std::vector<const loaded_plugin*> out;
    for (auto& p : plugins_) out.push_back(p.get());
    return out;
}

std::set<std::string> plugin_host::names() const {
    std::set<std::string> out;
    for (auto& p : plugins_) out.insert(p->name_);
    return out;
}

std::size_t plugin_host::turns_in_flight() const { return g_in_flight.load(); }

void plugin_host::start_turn(const loaded_plugin& plugin, turn_input input,
                             std::chrono::milliseconds deadline, asio::any_io_executor ex,
                             completion<turn_outcome> handler) {
    auto t = std::make_shared<guichet_turn>();
    t->keeper_ = t;
    t->in = std::move(input);
    t->plugin_name = plugin.name();
    t->handler = std::move(handler);
    t->ex = ex;
    t->self_ = t;
    register_turn(t);
    auto& m = t->in.msg;
    t->view.struct_size = sizeof(guichet_message);
    t->view.channel = m.channel.c_str();
    t->view.conversation_id = m.conversation_id.c_str();
    t->view.user_id = m.user_id.c_str();
    t->view.text = m.text.c_str();
    t->view.locale = t->in.locale.c_str();
    t->view.intent = t->in.intent.c_str();
    t->view.confidence = t->in.confidence;
    t->view.has_location = m.location ? 1 : 0;
    t->view.lat = m.location ? m.location->lat : 0;
    t->view.lon = m.location ? m.location->lon : 0;
    t->view.payload = m.payload.c_str();
    t->view.now = m.now;
    t->view.time_zone = t->in.time_zone.c_str();
    g_in_flight.fetch_add(1);

    t->timer = std::make_unique<asio::steady_timer>(ex, deadline);
    t->timer->async_wait([t, deadline](boost::system::error_code ec) {
        if (ec) return;  // cancelled: the plugin answered in time
        turn_outcome out;
        out.status = turn_status::timed_out;
        out.error = "no answer within " + std::to_string(deadline.count()) + " ms";
        t->deliver(std::move(out));
    });

    auto call = [t, d = plugin.descriptor_, inst = plugin.instance_, name = plugin.name(),
                 blocking = plugin.blocking(), waiting = &plugin.found_waiting_, w = watch_.get()] {
        guichet_turn* raw = t.get();
        guichet_turn* handle = reinterpret_cast<guichet_turn*>(raw->handle);
        int rc = 0;
        struct running {  // for the crash's last words, and the time handle() took
            running(const std::string& p, const std::string& i) {
                running_plugin = p.c_str();
                running_intent = i.c_str();
            }
            ~running() { running_plugin = running_intent = nullptr; }
            std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
        } on(name, raw->in.intent);
        std::optional<watch::entered> watched;
        if (!blocking) watched.emplace(*w, name, raw->in.intent, waiting);
        try {
            rc = d->handle(inst, handle, &raw->view);
        } catch (const std::exception& e) {
            // A C++ plugin that bypassed the SDK let an exception cross the C ABI.
            end_turn(raw, turn_status::threw, (std::string("plugin threw: ") + e.what()).c_str());
            return;
        } catch (...) {
            end_turn(raw, turn_status::threw, "plugin threw an unknown exception");
            return;
        }
        // handle() runs on a network thread unless BLOCKING: every other conversation of that
        // thread waits meanwhile, and the deadline cannot cut it short. Seen holding it a
        // second (no stall of a busy machine lasts that long; a plugin that waits does), the
        // plugin goes to the worker pool, where the deadline holds, for its next turns.
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - on.start);
        const bool moved = !blocking && took.count() >= 1000 && !waiting->exchange(true);
        if (!blocking && took.count() > 100)
            log::warn("plugin_host", "plugin '" + name + "' took " + std::to_string(took.count()) +
                                         " ms in handle() for intent '" + raw->in.intent +
                                         "' on a network thread, holding other conversations: "
                                         "a plugin that waits must set GUICHET_PLUGIN_BLOCKING" +
                                         (moved ? "; its next turns run on the worker threads" : ""));
        if (rc != 0)
            end_turn(raw, turn_status::refused,
                     ("plugin '" + name + "' refused the turn (handle returned " +
                      std::to_string(rc) + ")")
                         .c_str());
    };
    if (plugin.blocking())
        asio::post(workers_, std::move(call));
    else
        call();
}

}  // namespace guichet
