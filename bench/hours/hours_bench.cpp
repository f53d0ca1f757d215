// Speed of the opening_hours parser/evaluator on a realistic mix of French public-service
// expressions (taken from the corpus's fr:* lines). Targets: "open at T" on a parsed schedule
// >= 400,000/s, parse + evaluate >= 21,000/s (reference opening_hours.js: 40,000/s and 2,100/s).
#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <vector>

#include "hours/opening_hours.h"

namespace {

using namespace guichet::hours;

const std::array<const char*, 16> mix{
    "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; PH off",
    "Mo-Fr 08:30-12:00,13:30-17:00; PH off",
    "Mo,Tu,Th,Fr 08:30-12:00,13:30-17:00; We 08:30-12:00; Sa 09:00-11:30; PH off",
    "Mo-Fr 09:00-12:00,14:00-17:00; Th 09:00-12:00,14:00-19:00; Sa[1,3] 09:00-12:00; PH off",
    "Mo-Fr 08:30-17:30; PH -1 day 08:30-12:00; PH off",
    "Mo-Fr 08:00-18:00; 12:00-13:30 off",
    "week 01-53/2 Sa 09:00-12:00; Mo-Fr 09:00-12:00,14:00-17:00",
    "Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00; Jul-Aug Mo-Fr 08:30-12:00; Jul-Aug Sa off; PH off",
    "Mar-Oct: Mo,We-Sa 09:00-12:00,14:00-18:00; Nov-Feb: Mo,We-Sa 09:00-12:00,14:00-17:00; Su,PH off",
    "Tu-Sa 10:00-18:00; Th 10:00-20:00; Su 14:00-18:00; Jul-Aug Su off; PH off",
    "Mo-Fr 12:00-13:45,17:00-20:00; Sa 14:00-18:00; Su 09:00-12:30; 2025 Jul 05-2025 Sep 01: Mo-Su 10:00-19:00; PH off",
    "Mo-Fr 08:30-16:30; We 08:30-12:00; PH off || \"accueil sur rendez-vous\"",
    "Tu-Su 10:00-18:00; easter +1 day 10:00-18:00; PH 14:00-18:00; May 01 off",
    "Mo-Sa 19:30-08:30; Su,PH 00:00-24:00",
    "Mo-Fr 08:30-12:00 open \"accueil\", Mo-Fr 13:30-17:00 open \"sur rendez-vous\"; PH off",
    "Mo-Fr 09:00-17:00; 2025 Dec 29-2026 Jan 04 off",
};

constexpr std::int64_t t0 = 1736755200;  // 2025-01-13T08:00:00Z (a Monday)

std::vector<schedule> parsed_mix() {
    std::vector<schedule> out;
    for (const char* e : mix) out.push_back(parse(e).value());
    return out;
}

void bm_parse(benchmark::State& state) {
    std::size_t i = 0;
    for (auto _ : state) {
        auto r = parse(mix[i++ % mix.size()]);
        benchmark::DoNotOptimize(r);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_parse);

void bm_open_at(benchmark::State& state) {
    const auto schedules = parsed_mix();
    const eval_context ctx;
    std::size_t i = 0;
    std::int64_t t = t0;
    for (auto _ : state) {
        auto s = state_at(schedules[i++ % schedules.size()], t, ctx);
        benchmark::DoNotOptimize(s);
        t += 3607;  // walk through the week and the year, at odd minutes
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_open_at);

void bm_parse_and_open_at(benchmark::State& state) {
    const eval_context ctx;
    std::size_t i = 0;
    std::int64_t t = t0;
    for (auto _ : state) {
        const auto r = parse(mix[i++ % mix.size()]);
        auto s = state_at(r.value(), t, ctx);
        benchmark::DoNotOptimize(s);
        t += 3607;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_parse_and_open_at);

void bm_intervals_week(benchmark::State& state) {
    const auto schedules = parsed_mix();
    const eval_context ctx;
    std::size_t i = 0;
    for (auto _ : state) {
        auto v = intervals(schedules[i++ % schedules.size()], t0, t0 + 7 * 86400, ctx);
        benchmark::DoNotOptimize(v);
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_intervals_week);

void bm_next_change(benchmark::State& state) {
    const auto schedules = parsed_mix();
    const eval_context ctx;
    std::size_t i = 0;
    std::int64_t t = t0;
    for (auto _ : state) {
        auto n = next_change(schedules[i++ % schedules.size()], t, 366 * 86400, ctx);
        benchmark::DoNotOptimize(n);
        t += 3607;
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(bm_next_change);

}  // namespace
