// Latency of whole turns of the knowledge-base plugins on the default commune, with p50/p99
// per turn as counters (target: any KB question p99 < 1 ms). "plugin" benchmarks time the
// plugin turn alone (plugin_host → .so → host services → KB/hours/ICU → replies); "engine"
// benchmarks add understanding (NLU, entities, slots) in front, as a citizen's message gets.
#include <benchmark/benchmark.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "harness.h"

namespace {

using guichet::test::harness;
using guichet::test::paris;

double thread_cpu_us() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

double percentile(std::vector<double>& v, int p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, v.size() * p / 100)];
}

template <typename F>
void timed(benchmark::State& state, F f) {
    std::vector<double> wall, cpu;
    for (auto _ : state) {
        double c0 = thread_cpu_us();
        auto t0 = std::chrono::steady_clock::now();
        f();
        wall.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
        cpu.push_back(thread_cpu_us() - c0);
    }
    state.counters["p50_us"] = percentile(wall, 50);
    state.counters["p99_us"] = percentile(wall, 99);
    state.counters["p99_cpu_us"] = percentile(cpu, 99);
}

const std::int64_t now = paris(2026, 12, 3, 10, 0, 1);

void plugin_turn(benchmark::State& s, const char* plugin, const char* intent,
                 std::map<std::string, std::string> slots) {
    auto& h = harness::get();
    timed(s, [&] {
        auto out = h.run(plugin, intent, slots, "fr", now);
        if (out.status != guichet::turn_status::ok || out.replies.empty()) s.SkipWithError(out.error.c_str());
    });
}

void bm_plugin_hours_day(benchmark::State& s) {
    plugin_turn(s, "hours", "hours.open",
                {{"service", "mairie"}, {"when", "2026-12-05T00:00:00+01:00"},
                 {"when.start", std::to_string(paris(2026, 12, 5, 0, 0, 1))},
                 {"when.end", std::to_string(paris(2026, 12, 6, 0, 0, 1))}});
}
void bm_plugin_hours_week(benchmark::State& s) {
    plugin_turn(s, "hours", "hours.open", {{"service", "piscine"}, {"when", "now"}});
}
void bm_plugin_places_nearest(benchmark::State& s) {
    plugin_turn(s, "places", "places.nearest", {{"category", "dechetterie"}});
}
void bm_plugin_faq(benchmark::State& s) {
    auto& h = harness::get();
    timed(s, [&] {
        auto out = h.run("faq", "faq.ask", {}, "fr", now, "comment faire une carte d'identité ?");
        if (out.status != guichet::turn_status::ok || out.replies.empty()) s.SkipWithError(out.error.c_str());
    });
}
void bm_plugin_waste(benchmark::State& s) {
    plugin_turn(s, "waste", "waste.days", {{"street", "rue Victor Hugo"}, {"when", "now"}});
}

void engine_turn(benchmark::State& s, const char* text) {
    auto& h = harness::get();
    timed(s, [&] { benchmark::DoNotOptimize(h.ask(text, "fr", now, "bench")); });
}
void bm_engine_hours(benchmark::State& s) { engine_turn(s, "la mairie est ouverte samedi ?"); }
void bm_engine_faq(benchmark::State& s) { engine_turn(s, "comment faire une carte d'identité ?"); }
void bm_engine_places(benchmark::State& s) { engine_turn(s, "où est la médiathèque ?"); }
void bm_engine_waste(benchmark::State& s) { engine_turn(s, "poubelles rue Victor Hugo"); }

}  // namespace

BENCHMARK(bm_plugin_hours_day)->MinTime(0.5);
BENCHMARK(bm_plugin_hours_week)->MinTime(0.5);
BENCHMARK(bm_plugin_places_nearest)->MinTime(0.5);
BENCHMARK(bm_plugin_faq)->MinTime(0.5);
BENCHMARK(bm_plugin_waste)->MinTime(0.5);
BENCHMARK(bm_engine_hours)->MinTime(0.5);
BENCHMARK(bm_engine_faq)->MinTime(0.5);
BENCHMARK(bm_engine_places)->MinTime(0.5);
BENCHMARK(bm_engine_waste)->MinTime(0.5);
BENCHMARK_MAIN();
