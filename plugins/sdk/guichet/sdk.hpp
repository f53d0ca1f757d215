// guichet plugin SDK for C++ authors: RAII and std::string_view over the C ABI of
// <guichet/plugin.h>. Header-only; the plugin still reaches the engine only through that
// header, so it needs neither our Boost nor our standard library build.
//
//   struct my_plugin {
//       explicit my_plugin(guichet::sdk::host& h) {}
//       void handle(guichet::sdk::turn t) { t.say(t.fr() ? "Bonjour" : "Hello"); t.finish(); }
//   };
//   GUICHET_SDK_PLUGIN(my_plugin, "my_plugin", "1.0.0", 0, "my.intent")
//
// Exceptions never cross the C ABI: one thrown by the constructor fails create() with its
// what(); one thrown by handle() finishes the turn with an error (the citizen gets the
// engine's fallback). A turn that is dropped without finish() is finished with an error.
#pragma once

#include <guichet/plugin.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace guichet::sdk {

// The host side of a loaded plugin: logging and the API table. Valid from construction of
// the plugin object to its destruction; usable from any thread.
class host {
public:
    host(const guichet_host_api* api, guichet_host* h) : api_(api), host_(h) {}
    const guichet_host_api* api() const { return api_; }
    void log(guichet_log_level level, const std::string& message) const {
        api_->log(host_, level, message.c_str());
    }
    void info(const std::string& m) const { log(GUICHET_LOG_INFO, m); }
    void warn(const std::string& m) const { log(GUICHET_LOG_WARN, m); }

private:
    const guichet_host_api* api_;
    guichet_host* host_;
};

// One row of a knowledge-base query. Views are valid only during the row callback.
class row {
public:
    row(int n, const char* const* values, const char* const* names)
        : n_(n), values_(values), names_(names) {}
    int size() const { return n_; }
    bool is_null(int i) const { return values_[i] == nullptr; }
    std::string_view operator[](int i) const {
        return values_[i] ? std::string_view(values_[i]) : std::string_view();
    }
    std::string_view operator[](std::string_view name) const {
        for (int i = 0; i < n_; ++i)
            if (name == names_[i]) return (*this)[i];
        return {};
    }
    double number(int i) const { return values_[i] ? std::strtod(values_[i], nullptr) : 0.0; }

private:
    int n_;
    const char* const* values_;
    const char* const* names_;
};

struct interval {
    std::int64_t start = 0, end = 0;
    bool unknown = false;
    std::string comment;
};

// One turn: the message and the ways to answer it. Copyable and movable to any thread;
// all copies share one turn, finished once. When the last copy goes away unfinished, the
// turn is finished with an error.
class turn {
    struct state {
        const guichet_host_api* api;
        guichet_turn* handle;
        const guichet_message* msg;
        std::atomic<bool> done{false};
        ~state() {
            if (!done.exchange(true))
                api->finish(handle, GUICHET_TURN_ERROR, "plugin dropped the turn without finishing it");
        }
    };

public:
    turn(const guichet_host_api* api, guichet_turn* t, const guichet_message* m)
        : s_(std::make_shared<state>()) {
        s_->api = api;
        s_->handle = t;
        s_->msg = m;
    }

    const guichet_message& message() const { return *s_->msg; }
    // The raw C handles, for host services the SDK does not wrap (e.g. those since 1.1).
    const guichet_host_api* api() const { return s_->api; }
    guichet_turn* handle() const { return s_->handle; }
    std::string_view text() const { return s_->msg->text; }
    std::string_view locale() const { return s_->msg->locale; }
    bool fr() const { return locale() != "en"; }
    // French first: returns the text for the turn's language.
    const char* tr(const char* fr_text, const char* en_text) const { return fr() ? fr_text : en_text; }
    // The same for texts built at run time: t.tr("Tarif : " + price, "Price: " + price).
    std::string tr(const std::string& fr_text, const std::string& en_text) const {
        return fr() ? fr_text : en_text;
    }
    std::string_view intent() const { return s_->msg->intent; }
    std::string_view payload() const { return s_->msg->payload; }
    std::int64_t now() const { return s_->msg->now; }
    bool has_location() const { return s_->msg->has_location != 0; }
    double lat() const { return s_->msg->lat; }
    double lon() const { return s_->msg->lon; }

    // A slot's value, or "" when absent (check has_slot to tell the two apart).
    std::string_view slot(const char* name) const {
        const char* v = s_->api->slot(s_->handle, name);
        return v ? std::string_view(v) : std::string_view();
    }
    bool has_slot(const char* name) const { return s_->api->slot(s_->handle, name) != nullptr; }
    std::string_view memory(const char* key) const {
        const char* v = s_->api->memory_get(s_->handle, key);
        return v ? std::string_view(v) : std::string_view();
    }
    void remember(const char* key, const std::string& value) const {
        s_->api->memory_set(s_->handle, key, value.c_str());
    }
    void forget(const char* key) const { s_->api->memory_set(s_->handle, key, nullptr); }

    // Runs a read-only query; throws std::runtime_error with the host's message on failure.
    void query(const char* sql, const std::vector<std::string>& params,
               const std::function<bool(const row&)>& on_row) const {
        std::vector<const char*> p;
        p.reserve(params.size());
        for (auto& s : params) p.push_back(s.c_str());
        rows("knowledge base: ", on_row,
             [&](guichet_row_callback cb, void* ctx, char* err, std::size_t n) {
                 return s_->api->kb_query(s_->handle, sql, p.data(), p.size(), cb, ctx, err, n);
             });
    }

    // Whether the host keeps citizens' data (ABI 1.1: erase_user_data, export_user_data).
    bool has_store() const {
        return s_->api->abi_minor >= 1 &&
               s_->api->struct_size >= offsetof(guichet_host_api, export_user_data) + sizeof(void*);
    }

    // What the engine keeps about the turn's citizen, one row per record: kind ("message.in",
    // "message.out", "message.agent", "report", "handoff", "conversation"), at (Unix seconds),
    // text. Throws std::runtime_error on failure or without a store.
    void export_user_data(const std::function<bool(const row&)>& on_row) const {
        if (!has_store()) throw std::runtime_error("the host keeps no citizens' data");
        rows("export: ", on_row, [&](guichet_row_callback cb, void* ctx, char* err, std::size_t n) {
            return s_->api->export_user_data(s_->handle, cb, ctx, err, n);
        });
    }

    // Open and unknown intervals of an opening_hours expression over [from, to).
    std::vector<interval> hours(const std::string& expression, std::int64_t from,
                                std::int64_t to) const {
        std::vector<interval> out;
        char err[512] = {0};
        int rc = s_->api->hours_intervals(
            s_->handle, expression.c_str(), from, to,
            [](void* user, std::int64_t a, std::int64_t b, int unknown, const char* c) -> int {
                static_cast<std::vector<interval>*>(user)->push_back(
                    {a, b, unknown != 0, c ? c : ""});
                return 0;
            },
            &out, err, sizeof err);
        if (rc != 0) throw std::runtime_error(std::string("opening_hours: ") + err);
        return out;
    }

    // The public holiday's name of the local day containing `at`, or "" when none.
    std::string holiday(std::int64_t at) const {
        char buf[128];
        return s_->api->holiday_name(s_->handle, at, buf, sizeof buf) ? std::string(buf)
                                                                     : std::string();
    }

    std::string format_time(std::int64_t at, const char* skeleton) const {
        char buf[128];
        size_t n = s_->api->format_time(s_->handle, at, skeleton, buf, sizeof buf);
        if (n < sizeof buf) return std::string(buf, n);
        std::string big(n + 1, '\0');
        s_->api->format_time(s_->handle, at, skeleton, big.data(), big.size());
        big.resize(n);
        return big;
    }

    void say(const std::string& text) const { s_->api->reply_text(s_->handle, text.c_str()); }
    void button(const std::string& title, const std::string& payload) const {
        s_->api->reply_button(s_->handle, title.c_str(), payload.c_str());
    }
    void card(const std::string& title, const std::string& subtitle = {},
              const std::string& url = {}) const {
        s_->api->reply_card(s_->handle, title.c_str(), subtitle.empty() ? nullptr : subtitle.c_str(),
                            url.empty() ? nullptr : url.c_str());
    }
    void location(const std::string& title, double lat, double lon) const {
        s_->api->reply_location(s_->handle, title.c_str(), lat, lon);
    }

    // The replies hold no sure answer: the staff see the question among the unanswered ones.
    // Does nothing on a host older than ABI 1.2.
    void mark_unanswered() const {
        const auto* a = s_->api;
        if (a->abi_minor >= 2 &&
            a->struct_size >= offsetof(guichet_host_api, mark_unanswered) + sizeof(void*))
            a->mark_unanswered(s_->handle);
    }

    // How many agents are signed in to the agents' console now (ABI 1.3); nothing on an older
    // host, which does not know.
    std::optional<std::int64_t> agents_signed_in() const {
        const auto* a = s_->api;
        if (a->abi_minor >= 3 &&
            a->struct_size >= offsetof(guichet_host_api, agents_signed_in) + sizeof(void*))
            return a->agents_signed_in(s_->handle);
        return std::nullopt;
    }

    // The id of the knowledge base's place that is the front desk (`agents.desk_place`, ABI
    // 1.4); "accueil_mairie", the older hosts' only desk, on an older host.
    std::string_view desk_place() const {
        const auto* a = s_->api;
        if (a->abi_minor >= 4 &&
            a->struct_size >= offsetof(guichet_host_api, desk_place) + sizeof(void*))
            if (const char* id = a->desk_place(s_->handle)) return id;
        return "accueil_mairie";
    }

    // Names the knowledge entry the answer comes from (an FAQ entry's id) for the staff's
    // figures per entry (ABI 1.5); nothing on an older host.
    void answered_from(const std::string& entry_id) const {
        const auto* a = s_->api;
        if (a->abi_minor >= 5 &&
            a->struct_size >= offsetof(guichet_host_api, answered_from) + sizeof(void*))
            a->answered_from(s_->handle, entry_id.c_str());
    }

    // Ends the turn (once; later calls are ignored).
    void finish() const { end(GUICHET_TURN_OK, nullptr); }
    void fail(const std::string& why) const { end(GUICHET_TURN_ERROR, why.c_str()); }
    bool finished() const { return s_->done.load(); }

private:
    // Calls `call` with a C row callback that hands each row to on_row (false stops), then
    // rethrows what on_row threw, or throws the host's error prefixed by `what`.
    template <class Call>
    static void rows(const char* what, const std::function<bool(const row&)>& on_row, Call call) {
        struct ctx_t {
            const std::function<bool(const row&)>* fn;
            std::exception_ptr error;
        } ctx{&on_row, nullptr};
        char err[512] = {0};
        int rc = call(
            [](void* user, int n, const char* const* v, const char* const* names) -> int {
                auto* c = static_cast<ctx_t*>(user);
                try {
                    return (*c->fn)(row(n, v, names)) ? 0 : 1;
                } catch (...) {
                    c->error = std::current_exception();
                    return 1;
                }
            },
            &ctx, err, sizeof err);
        if (ctx.error) std::rethrow_exception(ctx.error);
        if (rc != 0) throw std::runtime_error(std::string(what) + err);
    }

    void end(guichet_turn_status st, const char* why) const {
        if (!s_->done.exchange(true)) s_->api->finish(s_->handle, st, why);
    }
    std::shared_ptr<state> s_;
};

namespace detail {

template <class P>
struct holder {
    sdk::host host;
    P plugin;
    holder(const guichet_host_api* a, guichet_host* h, std::string_view config)
        : host(a, h), plugin(make(host, config)) {}
    static P make(sdk::host& h, std::string_view config) {
        if constexpr (std::is_constructible_v<P, sdk::host&, std::string_view>)
            return P(h, config);
        else
            return P(h);
    }
};

inline void copy_error(char* out, size_t size, const char* text) {
    if (out && size) std::snprintf(out, size, "%s", text);
}

template <class P>
guichet_plugin* create(const guichet_host_api* api, guichet_host* h, const char* config,
                       char* error, size_t error_size) {
    try {
        return reinterpret_cast<guichet_plugin*>(new holder<P>(api, h, config ? config : "{}"));
    } catch (const std::exception& e) {
        copy_error(error, error_size, e.what());
    } catch (...) {
        copy_error(error, error_size, "unknown exception");
    }
    return nullptr;
}

template <class P>
void destroy(guichet_plugin* p) {
    delete reinterpret_cast<holder<P>*>(p);
}

template <class P>
int handle(guichet_plugin* p, guichet_turn* t, const guichet_message* m) {
    auto* self = reinterpret_cast<holder<P>*>(p);
    turn keep(self->host.api(), t, m);  // outlives the handler, so a throw is reported first
    try {
        self->plugin.handle(keep);
    } catch (const std::exception& e) {
        keep.fail(std::string("plugin threw: ") + e.what());
    } catch (...) {
        keep.fail("plugin threw an unknown exception");
    }
    return 0;
}

}  // namespace detail
}  // namespace guichet::sdk

// Defines guichet_plugin_entry() for plugin class P. Intents are string literals. FLAGS: 0, or
// GUICHET_PLUGIN_BLOCKING when handle() waits (a remote call, a slow query): its turns then run
// on the worker pool, where the turn's deadline applies.
#define GUICHET_SDK_PLUGIN(P, NAME, VERSION, FLAGS, ...)                                    \
    extern "C" GUICHET_PLUGIN_EXPORT const guichet_plugin_descriptor* guichet_plugin_entry(  \
        void) {                                                                             \
        static const char* const intents[] = {__VA_ARGS__, nullptr};                        \
        static const guichet_plugin_descriptor d = {                                        \
            sizeof(guichet_plugin_descriptor), GUICHET_ABI_MAJOR, GUICHET_ABI_MINOR, NAME,   \
            VERSION, intents, FLAGS, &::guichet::sdk::detail::create<P>,                   \
            &::guichet::sdk::detail::destroy<P>, &::guichet::sdk::detail::handle<P>};      \
        return &d;                                                                          \
    }
