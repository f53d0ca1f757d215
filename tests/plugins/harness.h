// Black-box harness for the knowledge-base plugins: the real .so files loaded by the
// engine's plugin_host, a real site (the default commune's knowledge/ compiled into a real
// SQLite file, and the intent files of these plugins), and the real dialogue engine with a
// fixed clock. Message in, replies out. One site per test binary (training takes a moment).
#pragma once

#include <stdexcept>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cmath>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dialogue/engine.h"
#include "engine/site.h"
#include "plugin_host/plugin_host.h"

namespace guichet::test {

namespace fs = std::filesystem;

// Unix seconds of a local time in Europe/Paris, given its UTC offset in hours (1 in winter,
// 2 in summer) — written out in each test so that the expected text is checkable by hand.
inline std::int64_t paris(int y, int m, int d, int hh, int mm, int offset_hours) {
    y -= m <= 2;
    std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    auto yoe = static_cast<unsigned>(y - era * 400);
    unsigned doy = (153 * static_cast<unsigned>(m > 2 ? m - 3 : m + 9) + 2) / 5 + static_cast<unsigned>(d) - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    std::int64_t days = era * 146097 + static_cast<std::int64_t>(doe) - 719468;
    return days * 86400 + hh * 3600 + mm * 60 - offset_hours * 3600;
}

// What a test's own site changes of the default commune.
struct site_changes {
    std::string desk_place;                            // agents.desk_place ("": the default)
    std::function<void(const fs::path&)> knowledge;    // edits a copy of knowledge/ (else linked)
    std::vector<std::string> more_plugins;             // loaded with their intent files (handoff)
};

class harness {
public:
    static harness& get() {
        static harness h;
        return h;
    }
    explicit harness(const site_changes& changes = {}) : harness(changes, 0) {}

    // One message through the whole engine (understanding, slots, plugin, reply).
    turn_result ask(const std::string& text, const std::string& locale, std::int64_t now,
                    const std::string& conversation = "", std::optional<geo_point> at = {}) {
        message m;
        m.channel = "test";
        m.conversation_id = conversation.empty() ? "c" + std::to_string(++count_) : conversation;
        m.user_id = "u";
        m.text = text;
        m.locale = locale;
        m.now = now;
        m.location = at;
        boost::asio::io_context io;
        std::optional<turn_result> out;
        boost::asio::co_spawn(io, engine_->handle(std::move(m)),
                              [&](std::exception_ptr e, turn_result r) {
                                  if (e) std::rethrow_exception(e);
                                  out = std::move(r);
                              });
        io.run();
        return out.value();
    }

    // One turn straight into a plugin with chosen slots (for slots the NLU would not give).
    turn_outcome run(const std::string& plugin, const std::string& intent,
                     std::map<std::string, std::string> slots, const std::string& locale,
                     std::int64_t now, const std::string& text = "", double confidence = 1) {
        auto* p = plugins_.find(plugin);
        if (!p) return {turn_status::failed, "plugin not loaded: " + plugin, {}, {}, false, ""};
        turn_input in;
        in.msg.channel = "test";
        in.msg.conversation_id = "direct";
        in.msg.now = now;
        in.msg.text = text;
        in.locale = locale;
        in.intent = intent;
        in.confidence = confidence;
        in.slots = std::move(slots);
        in.desk_place = site_->options().desk_place;
        in.services = site_;
        boost::asio::io_context io;
        turn_outcome out;
        plugins_.async_run(*p, in, std::chrono::milliseconds(3000), io.get_executor(),
                           [&](turn_outcome o) { out = std::move(o); });
        io.run();
        return out;
    }

    site& the_site() { return *site_; }
    engine& the_engine() { return *engine_; }
    plugin_host& plugins() { return plugins_; }

    // All the texts of a result, joined by newlines.
    static std::string text(const turn_result& r) { return text(r.replies); }
    static std::string text(const std::vector<reply>& replies) {
        std::string s;
        for (auto& x : replies) s += x.text + "\n";
        return s;
    }

private:
    harness(const site_changes& changes, int) {
        static int sites = 0;
        root_ = fs::temp_directory_path() / ("guichet_plugins_test_" + std::to_string(::getpid()) +
                                             "_" + std::to_string(++sites));
        fs::remove_all(root_);
        fs::create_directories(root_ / "intents" / "fr");
        fs::create_directories(root_ / "intents" / "en");
        const auto knowledge = fs::path(GUICHET_SOURCE_DIR) / "knowledge";
        if (changes.knowledge) {
            fs::copy(knowledge, root_ / "knowledge", fs::copy_options::recursive);
            changes.knowledge(root_ / "knowledge");
        } else {
            fs::create_directory_symlink(knowledge, root_ / "knowledge");
        }
        std::vector<std::string> intents = {"hours", "places", "faq", "waste", "smalltalk", "contact"};
        intents.insert(intents.end(), changes.more_plugins.begin(), changes.more_plugins.end());
        for (const char* lang : {"fr", "en"})
            for (const auto& f : intents) {
                auto src = fs::path(GUICHET_SOURCE_DIR) / "intents" / lang / (f + ".yaml");
                if (fs::exists(src)) fs::copy_file(src, root_ / "intents" / lang / src.filename());
            }
        // The report plugin too, without its intents: run() calls it directly.
        std::vector<std::string> plugins = {"hours", "places", "faq", "waste", "smalltalk", "report"};
        plugins.insert(plugins.end(), changes.more_plugins.begin(), changes.more_plugins.end());
        for (const auto& p : plugins) {
            auto err = plugins_.load(fs::path(GUICHET_PLUGIN_DIR) / (p + ".so"));
            if (err) throw std::runtime_error(*err);
        }
        site_options o;
        o.root = root_;
        if (!changes.desk_place.empty()) o.desk_place = changes.desk_place;
        diagnostics problems;
        site_ = site::load(o, plugins_, problems);
        if (!site_) {
            std::string all;
            for (auto& d : problems) all += d.str() + "\n";
            throw std::runtime_error("site did not load:\n" + all);
        }
        engine_ = std::make_unique<engine>(plugins_, site_, engine_options{});
    }

public:
    ~harness() {
        engine_.reset();
        site_.reset();
        std::error_code ec;
        fs::remove_all(root_, ec);
    }

private:

    fs::path root_;
    plugin_host plugins_;
    std::shared_ptr<site> site_;
    std::unique_ptr<engine> engine_;
    int count_ = 0;
};

}  // namespace guichet::test
