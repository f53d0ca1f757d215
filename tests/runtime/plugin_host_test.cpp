// The plugin host against one fixture plugin per failure mode: exact refusal texts for bad
// libraries, and an outcome (never a hang) for plugins that are late, fail, refuse or throw.
#include "plugin_host/plugin_host.h"

#include "config/config.h"
#include "engine/log.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

std::string fixture(const std::string& name) {
    return std::string(GUICHET_FIXTURE_DIR) + "/fixture_" + name + ".so";
}

guichet::turn_outcome run(guichet::plugin_host& host, const std::string& plugin,
                          const std::string& text, std::chrono::milliseconds deadline = 1000ms) {
    asio::io_context io;
    auto* p = host.find(plugin);
    EXPECT_NE(p, nullptr) << plugin;
    guichet::turn_input in;
    in.msg.channel = "test";
    in.msg.conversation_id = "c1";
    in.msg.text = text;
    in.msg.now = 1764000000;
    in.locale = "fr";
    in.intent = p->intents().front();
    std::optional<guichet::turn_outcome> got;
    host.async_run(*p, in, deadline, asio::make_strand(io),
                   [&](guichet::turn_outcome o) { got = std::move(o); });
    io.run();
    EXPECT_TRUE(got.has_value());
    return got.value_or(guichet::turn_outcome{});
}

}  // namespace

// The engine's plugin ABI as its messages write it ("1.4"): the fixtures are built against it.
std::string engine_abi() {
    return std::to_string(GUICHET_ABI_MAJOR) + "." + std::to_string(GUICHET_ABI_MINOR);
}

TEST(plugin_host, loads_a_plugin_and_runs_a_turn) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("ok")), std::nullopt);
    auto* p = host.for_intent("fixture.ok");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name(), "fixture_ok");
    auto out = run(host, "fixture_ok", "bonjour");
    EXPECT_EQ(out.status, guichet::turn_status::ok);
    ASSERT_EQ(out.replies.size(), 1u);
    EXPECT_EQ(out.replies[0].text, "bonjour");
}

TEST(plugin_host, refuses_a_library_without_the_entry_symbol) {
    guichet::plugin_host host;
    EXPECT_EQ(host.load(fixture("no_entry")).value_or(""),
              "plugin " + fixture("no_entry") +
                  ": no symbol 'guichet_plugin_entry' (not a guichet plugin)");
}

TEST(plugin_host, refuses_another_major_naming_both_versions) {
    guichet::plugin_host host;
    EXPECT_EQ(host.load(fixture("major_mismatch")).value_or(""),
              "plugin " + fixture("major_mismatch") +
                  ": built for plugin ABI 2.0, this engine provides " + engine_abi() + " (major versions must be "
                  "equal)");
    EXPECT_EQ(host.find("fixture_major"), nullptr);
}

TEST(plugin_host, refuses_a_newer_minor) {
    guichet::plugin_host host;
    EXPECT_EQ(host.load(fixture("newer_minor")).value_or(""),
              "plugin " + fixture("newer_minor") +
                  ": built for plugin ABI 1." + std::to_string(GUICHET_ABI_MINOR + 7) +
                  ", this engine provides " + engine_abi() + " (the plugin needs a newer "
                  "engine)");
}

TEST(plugin_host, reports_why_creation_failed) {
    guichet::plugin_host host;
    EXPECT_EQ(host.load(fixture("create_fails")).value_or(""),
              "plugin " + fixture("create_fails") +
                  ": (fixture_create_fails) create failed: cannot open its database");
}

TEST(plugin_host, refuses_a_missing_file_and_a_second_plugin_of_the_same_name) {
    guichet::plugin_host host;
    auto e = host.load("/nonexistent/x.so");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->rfind("plugin /nonexistent/x.so: cannot load: ", 0), 0u) << *e;
    ASSERT_EQ(host.load(fixture("ok")), std::nullopt);
    // The same file again: the name is taken.
    EXPECT_EQ(host.load(fixture("ok")).value_or(""),
              "plugin " + fixture("ok") + ": a plugin named 'fixture_ok' is already loaded from " +
                  fixture("ok"));
}

TEST(plugin_host, a_plugin_that_never_replies_times_out) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("never_replies")), std::nullopt);
    auto start = std::chrono::steady_clock::now();
    auto out = run(host, "fixture_never_replies", "allo ?", 100ms);
    EXPECT_EQ(out.status, guichet::turn_status::timed_out);
    EXPECT_EQ(out.error, "no answer within 100 ms");
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(plugin_host, a_reply_from_another_thread_comes_back) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("other_thread")), std::nullopt);
    auto out = run(host, "fixture_other_thread", "bonjour");
    EXPECT_EQ(out.status, guichet::turn_status::ok);
    ASSERT_EQ(out.replies.size(), 1u);
    EXPECT_EQ(out.replies[0].text, "from another thread");
}

TEST(plugin_host, a_late_reply_is_discarded_after_the_fallback) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("other_thread")), std::nullopt);
    auto out = run(host, "fixture_other_thread", "slow", 50ms);
    EXPECT_EQ(out.status, guichet::turn_status::timed_out);
    // The plugin still finishes its turn later, without crashing the host.
    for (int i = 0; i < 100 && host.turns_in_flight() > 0; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(host.turns_in_flight(), 0u);
}

TEST(plugin_host, a_refused_turn_says_so) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("returns_error")), std::nullopt);
    auto out = run(host, "fixture_returns_error", "x");
    EXPECT_EQ(out.status, guichet::turn_status::refused);
    EXPECT_EQ(out.error, "plugin 'fixture_returns_error' refused the turn (handle returned 7)");
}

// reply_text(t, "") then finish OK: the citizen got a blank bubble; the turn fails, so the
// engine answers with its fallback.
TEST(plugin_host, a_turn_that_says_nothing_fails) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("empty_reply")), std::nullopt);
    auto out = run(host, "fixture_empty_reply", "x");
    EXPECT_EQ(out.status, guichet::turn_status::failed);
    EXPECT_EQ(out.error, "finished without a reply");
    EXPECT_TRUE(out.replies.empty());
}

// Every turn function called with a NULL handle is refused as when it has nothing (it was
// followed: the server crashed); the plugin's real turn is answered, with none of those calls.
// The turn of a fixture calling turn functions with a bad handle: answered with the count of
// refusals it saw (`said`), and with nothing those calls tried to add to it.
void expect_only_the_refusals(const guichet::turn_outcome& out, const std::string& said) {
    ASSERT_EQ(out.status, guichet::turn_status::ok) << out.error;
    ASSERT_EQ(out.replies.size(), 1u);
    EXPECT_EQ(out.replies[0].text, said);
    EXPECT_TRUE(out.replies[0].buttons.empty());
    EXPECT_FALSE(out.unanswered);
    EXPECT_EQ(out.source, "");
}

TEST(plugin_host, a_null_turn_handle_is_refused_and_the_turn_goes_on) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("null_turn")), std::nullopt);
    expect_only_the_refusals(run(host, "fixture_null_turn", "x"), "14 refused");  // every check the fixture makes
}

// A handle kept after its turn finished, used in the next turn, is refused: it named freed
// memory, which may hold the next turn — another citizen's — that the old calls then wrote
// into, or finished as failed.
TEST(plugin_host, a_finished_turns_handle_is_refused_and_touches_no_other_turn) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("stale_turn")), std::nullopt);
    auto first = run(host, "fixture_stale_turn", "x");
    ASSERT_EQ(first.status, guichet::turn_status::ok) << first.error;
    for (int i = 0; i < 3; ++i) {
        auto out = run(host, "fixture_stale_turn", "x");
        expect_only_the_refusals(out, "4 refused");  // every check the fixture makes
        EXPECT_EQ(out.memory.count("k"), 0u);
    }
}

TEST(plugin_host, a_failed_turn_sends_none_of_its_replies) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("fails")), std::nullopt);
    auto out = run(host, "fixture_fails", "x");
    EXPECT_EQ(out.status, guichet::turn_status::failed);
    EXPECT_EQ(out.error, "no data for this service");
    EXPECT_TRUE(out.replies.empty());
}

TEST(plugin_host, an_exception_in_a_cpp_plugin_is_caught_by_the_sdk) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("throws")), std::nullopt);
    auto out = run(host, "fixture_throws", "x");
    EXPECT_EQ(out.status, guichet::turn_status::failed);
    EXPECT_EQ(out.error, "plugin threw: boom");
    EXPECT_TRUE(out.replies.empty());
}

TEST(plugin_host, the_reference_c_plugin_uses_memory_and_buttons) {
    guichet::plugin_host host;
    ASSERT_EQ(host.load(std::string(GUICHET_PLUGIN_DIR) + "/reference_c.so"), std::nullopt);
    auto* p = host.find("reference_c");
    ASSERT_NE(p, nullptr);
    asio::io_context io;
    guichet::turn_input in;
    in.msg.text = "coucou";
    in.locale = "fr";
    in.intent = "reference.echo";
    in.memory["reference.count"] = "4";
    std::optional<guichet::turn_outcome> got;
    host.async_run(*p, in, 1000ms, io.get_executor(), [&](guichet::turn_outcome o) { got = o; });
    io.run();
    ASSERT_TRUE(got);
    ASSERT_EQ(got->replies.size(), 1u);
    EXPECT_EQ(got->replies[0].text, "Vous avez dit : « coucou » (message n° 5)");
    ASSERT_EQ(got->replies[0].buttons.size(), 1u);
    EXPECT_EQ(got->replies[0].buttons[0].title, "Recommencer");
    EXPECT_EQ(got->memory.at("reference.count"), "5");
}

TEST(plugin_host, load_dir_loads_the_shipped_plugins) {
    guichet::plugin_host host;
    auto errors = host.load_dir(GUICHET_PLUGIN_DIR);
    EXPECT_TRUE(errors.empty()) << errors.front();
    EXPECT_NE(host.for_intent("smalltalk.greet"), nullptr);
    EXPECT_NE(host.for_intent("reference.echo"), nullptr);
}

// A newly installed plugin claiming the shipped FAQ's intent loads first by its file name
// ("a_…" < "faq.so"); it used to take the intent, the FAQ was refused and the server did not
// start ("unknown plugin 'faq'"). The intent stays the FAQ's; the newcomer is refused, named.
TEST(plugin_host, a_plugin_claiming_an_intent_named_after_another_plugin_is_the_one_refused) {
    auto dir = std::filesystem::temp_directory_path() / ("guichet-claims-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::filesystem::create_symlink(fixture("intruder"), dir / "a_intruder.so");
    std::filesystem::create_symlink(std::filesystem::path(GUICHET_PLUGIN_DIR) / "faq.so", dir / "faq.so");
    guichet::plugin_host host;
    auto errors = host.load_dir(dir);
    std::filesystem::remove_all(dir);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0], "plugin " + (dir / "a_intruder.so").string() +
                             ": intent 'faq.ask' is already served by plugin 'faq' (" +
                             (dir / "faq.so").string() + ")");
    ASSERT_NE(host.for_intent("faq.ask"), nullptr);
    EXPECT_EQ(host.for_intent("faq.ask")->name(), "faq");
    EXPECT_EQ(host.find("intruder"), nullptr);
}

// A plugin's create() gets the configuration section named after it, as JSON: values typed as
// the YAML has them, lists and maps whole, an environment variable over the file (it got "{}"
// whatever the file said, though plugin.h promised its section).
TEST(plugin_host, a_plugin_gets_its_section_of_the_configuration) {
    auto file = std::filesystem::temp_directory_path() /
                ("guichet_plugin_config_" + std::to_string(::getpid()) + ".yaml");
    std::ofstream(file) << "fixture_config:\n  hourly_eur: 2.5\n  postcode: \"45960\"\n"
                           "  zones: [centre, nord]\n  open: true\n  name: Parking\n"
                           "other_plugin:\n  x: 1\n";
    ::setenv("GUICHET_FIXTURE_CONFIG_NAME", "Parc relais", 1);
    guichet::diagnostics problems;
    auto c = guichet::config::load(file, true, problems);
    std::filesystem::remove(file);
    ASSERT_TRUE(problems.empty()) << problems.front().str();
    guichet::plugin_host host;
    auto refused = host.load(fixture("config"), "{}",
                             [&](const std::string& name) { return c.section_json(name); });
    ::unsetenv("GUICHET_FIXTURE_CONFIG_NAME");
    ASSERT_EQ(refused, std::nullopt);
    auto out = run(host, "fixture_config", "");
    ASSERT_EQ(out.replies.size(), 1u);
    auto got = boost::json::parse(out.replies[0].text);
    EXPECT_EQ(got, boost::json::parse(R"({"hourly_eur": 2.5, "postcode": "45960",
        "zones": ["centre", "nord"], "open": true, "name": "Parc relais"})"))
        << out.replies[0].text;
}

// What a plugin returns goes out as JSON: invalid UTF-8 is replaced, a text over 8 KiB cut,
// more than 20 buttons left out, and the plugin named in the log; a handle() that takes
// over 100 ms on a network thread is named too.
TEST(plugin_host, a_careless_plugins_replies_are_made_safe_and_it_is_named) {
    std::vector<std::string> warnings;
    auto old = guichet::log::set_sink([&](guichet::log::level l, std::string_view line) {
        if (l == guichet::log::level::warn) warnings.emplace_back(line);
    });
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("bad_output")), std::nullopt);
    auto out = run(host, "fixture_bad_output", "slow");
    guichet::log::set_sink(old);
    ASSERT_EQ(out.status, guichet::turn_status::ok);
    ASSERT_EQ(out.replies.size(), 2u);
    EXPECT_EQ(out.replies[0].text, "caf\xEF\xBF\xBD ok");
    // A place at NaN / infinity would go out as invalid JSON ("lat":NaN) and be stored so.
    ASSERT_EQ(out.replies[0].locations.size(), 1u);
    EXPECT_EQ(out.replies[0].locations[0].title, "Mairie");
    // NULL titles: no button, card or untitled place ({"title":"",…}) reaches the citizen.
    EXPECT_TRUE(out.replies[0].buttons.empty());
    EXPECT_TRUE(out.replies[0].cards.empty());
    EXPECT_EQ(out.replies[1].text, std::string(8192, 'a') + "\u2026");
    EXPECT_EQ(out.replies[1].buttons.size(), 20u);
    std::string all;
    for (auto& w : warnings) all += w + "\n";
    EXPECT_NE(all.find("plugin 'fixture_bad_output' replied with invalid UTF-8"), std::string::npos) << all;
    EXPECT_NE(all.find("replied with a text over 8192 bytes"), std::string::npos) << all;
    EXPECT_NE(all.find("more than 20 replies, buttons"), std::string::npos) << all;
    EXPECT_NE(all.find("plugin 'fixture_bad_output' sent a place whose latitude or longitude is "
                       "no number on the globe: left out"),
              std::string::npos) << all;
    EXPECT_NE(all.find("plugin 'fixture_bad_output' sent an empty reply: left out"),
              std::string::npos) << all;
    for (auto call : {"reply_text(NULL text)", "reply_button(NULL title)", "reply_card(NULL title)",
                      "reply_location(NULL title)"})
        EXPECT_NE(all.find(std::string("plugin 'fixture_bad_output' sent ") + call + ": left out"),
                  std::string::npos) << all;
    EXPECT_NE(all.find("in handle() for intent 'fixture.bad_output' on a network thread"),
              std::string::npos) << all;
}

// A plugin without the BLOCKING flag that waits in handle() held a network thread on every
// turn, beyond its deadline: seen holding it a second, its next turns run on the worker pool,
// where the deadline holds (150 ms of waiting against 50 ms is a timeout), said once (by the
// watch while the call runs, or when it returns). A shorter wait (a stall of a busy machine
// looks the same) is only warned of.
TEST(plugin_host, a_plugin_seen_waiting_on_a_network_thread_goes_to_the_worker_pool) {
    std::vector<std::string> lines;
    std::mutex m;
    auto old = guichet::log::set_sink([&](guichet::log::level l, std::string_view line) {
        std::lock_guard lock(m);
        if (l >= guichet::log::level::warn && line.find("network thread") != std::string_view::npos)
            lines.emplace_back(line);
    });
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("bad_output")), std::nullopt);
    const auto* p = host.find("fixture_bad_output");
    EXPECT_FALSE(p->blocking());
    EXPECT_EQ(run(host, "fixture_bad_output", "slow", 50ms).status, guichet::turn_status::ok);  // inline
    EXPECT_FALSE(p->blocking());
    EXPECT_EQ(run(host, "fixture_bad_output", "stuck", 50ms).status, guichet::turn_status::ok);  // inline
    EXPECT_TRUE(p->blocking());
    EXPECT_EQ(run(host, "fixture_bad_output", "slow", 50ms).status, guichet::turn_status::timed_out);
    for (int i = 0; i < 100 && host.turns_in_flight() > 0; ++i) std::this_thread::sleep_for(20ms);
    EXPECT_EQ(host.turns_in_flight(), 0u);
    guichet::log::set_sink(old);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_EQ(lines[0].find("worker threads"), std::string::npos) << lines[0];
    EXPECT_EQ(std::count_if(lines.begin(), lines.end(), [](const std::string& l) {
                  return l.find("its next turns run on the worker threads") != std::string::npos;
              }),
              1) << lines.back();
}

// A plugin stuck for good in handle() never returns to be measured: it held its network
// thread (stuck once on each, the whole server) without a word. Seen by the watch while it
// still runs, it is named in the log and its next turns run on the worker pool, before the
// stuck call returns (here after 3 s).
TEST(plugin_host, a_plugin_stuck_on_a_network_thread_is_seen_while_it_runs) {
    std::vector<std::string> errors;
    std::mutex m;
    auto old = guichet::log::set_sink([&](guichet::log::level l, std::string_view line) {
        std::lock_guard lock(m);
        if (l == guichet::log::level::error) errors.emplace_back(line);
    });
    guichet::plugin_host host;
    ASSERT_EQ(host.load(fixture("bad_output")), std::nullopt);
    const auto* p = host.find("fixture_bad_output");
    std::thread network([&] { run(host, "fixture_bad_output", "hang", 50ms); });
    const auto start = std::chrono::steady_clock::now();
    while (!p->blocking() && std::chrono::steady_clock::now() - start < 2500ms)
        std::this_thread::sleep_for(20ms);
    const auto seen_after = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(p->blocking());
    EXPECT_LT(seen_after, 2500ms);  // the call was still running
    EXPECT_EQ(host.network_threads_held(), 1u);
    {
        std::lock_guard lock(m);
        ASSERT_EQ(errors.size(), 1u);
        EXPECT_NE(errors[0].find("plugin 'fixture_bad_output' has held a network thread for a second "
                                 "in handle() for intent 'fixture.bad_output' and has not returned"),
                  std::string::npos) << errors[0];
        EXPECT_NE(errors[0].find("its next turns run on the worker threads"), std::string::npos);
    }
    network.join();
    EXPECT_EQ(host.network_threads_held(), 0u);
    guichet::log::set_sink(old);
}

// A plugin's crash stops the process (plugins share it), but its last words name the plugin
// and the intent, for the IT person reading the log.
TEST(plugin_host_death, a_crashing_plugin_is_named_before_the_process_stops) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            guichet::plugin_host host;
            if (host.load(fixture("crashes"))) std::abort();
            run(host, "fixture_crashes", "");
        },
        "guichet: fatal SIGSEGV \\(bad memory access\\) in plugin 'fixture_crashes' while it "
        "handled intent 'fixture.crashes'");
}

// So does a crash while a plugin starts: its create() runs before any turn, and without its
// name the last line of the log was the plugin loaded before it.
TEST(plugin_host_death, a_plugin_crashing_as_it_starts_is_named) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH(
        {
            guichet::plugin_host host;
            (void)host.load(fixture("crashes_in_create"));
        },
        "guichet: fatal SIGSEGV \\(bad memory access\\) in plugin 'fixture_crashes_in_create' "
        "while it started \\(create\\): the server stops");
}
