// Whole-run throughput: run_arm over a fixed scenario (256 dyads x 12 months, weekly records,
// default population and child) at 1 and 2 threads, and the random-draws-only floor of the same
// run, parallel over dyads in the same way.
//
// How to read (bench/summarize.py does this from the JSON):
//   BM_RunArm/threads:T        dyad_days_per_s and events_per_s are rates over wall time
//                              (UseRealTime: the main thread waits while workers run).
//   BM_RunArmDrawsOnly/threads:T  every dyad makes exactly its own draws (D, over E loop
//                              iterations, each draw an exponential) and nothing else.
//   parallel efficiency = rate(2 threads) / (2 x rate(1 thread)); 1 is perfect scaling.
//   floor ratio         = time(BM_RunArm) / time(BM_RunArmDrawsOnly) at the same thread count:
//                         how many times the draws alone the whole run costs.
// The default run of this binary takes well under a minute on two cores.
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bench/draws_only.hpp"
#include "models/dyad.hpp"
#include "models/metrics.hpp"
#include "models/run.hpp"
#include "models/scenario.hpp"
#include "sim/config.hpp"
#include "sim/rng.hpp"
#include "sim/runner.hpp"
#include "sim/time.hpp"

namespace {

using attachsim::models::ScenarioSpec;
using attachsim::sim::ParallelOptions;
using attachsim::sim::Rng;
using attachsim::sim::StreamPurpose;

constexpr std::size_t kArm = 0;

// Fixed so that numbers compare between commits; the population and child take their defaults.
constexpr const char* kScenarioToml = R"toml(
[scenario]
name = "throughput"
description = "Throughput benchmark: default population, one arm"
seed = 20261128
dyads = 256
months = 12
record_stride_days = 7
start_age_months = 0
)toml";

ScenarioSpec bench_scenario() {
  return attachsim::models::scenario_from_toml(
      attachsim::sim::load_toml_text(kScenarioToml, "bench:throughput"), "bench:throughput");
}

struct DyadWork {
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
};

// Each dyad's event and draw counts in the scenario, simulated serially as run_arm does (same
// caregiver draw, same stream keys); used only to size the draws-only floor.
std::vector<DyadWork> measure_dyads(const ScenarioSpec& spec) {
  const auto& arm = spec.arms[kArm];
  const auto n_dyads = static_cast<std::uint32_t>(spec.dyads);
  const auto n_records = static_cast<std::size_t>(spec.n_records());
  std::vector<float> storage(attachsim::models::kNumMetrics * n_records);
  attachsim::models::MetricRows rows{};
  for (std::size_t m = 0; m < rows.size(); ++m) rows[m] = storage.data() + m * n_records;
  std::vector<DyadWork> work(n_dyads);
  for (std::uint32_t d = 0; d < n_dyads; ++d) {
    Rng params_rng(spec.seed, kArm, d, StreamPurpose::kParameters);
    const auto caregiver = attachsim::models::draw_caregiver(arm.population, params_rng);
    attachsim::models::DyadSetup setup;
    setup.child = &arm.child;
    setup.seed = spec.seed;
    setup.arm_index = kArm;
    setup.dyad = d;
    setup.start_age_days = attachsim::sim::months_to_days(spec.start_age_months);
    setup.n_records = spec.n_records();
    setup.record_stride_days = spec.record_stride_days;
    const auto c = attachsim::models::simulate_dyad(setup, caregiver, rows);
    work[d] = {c.events, c.draws};
  }
  return work;
}

// Rates over wall time, and draws per event (a property of the scenario, not of speed).
void set_rate_counters(benchmark::State& state, double dyad_days, std::uint64_t events,
                       std::uint64_t draws) {
  state.counters["dyad_days_per_s"] = benchmark::Counter(dyad_days, benchmark::Counter::kIsRate);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["draws_per_event"] =
      events > 0 ? static_cast<double>(draws) / static_cast<double>(events) : 0.0;
  state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_RunArm(benchmark::State& state, const ScenarioSpec& spec) {
  ParallelOptions options;
  options.threads = static_cast<int>(state.range(0));
  double dyad_days = 0.0;
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
  for (auto _ : state) {
    const auto result = attachsim::models::run_arm(spec, kArm, options);
    dyad_days += result.counters.dyad_days;
    events += result.counters.events;
    draws += result.counters.draws;
  }
  set_rate_counters(state, dyad_days, events, draws);
}

void BM_RunArmDrawsOnly(benchmark::State& state, const ScenarioSpec& spec,
                        const std::vector<DyadWork>& work) {
  ParallelOptions options;
  options.threads = static_cast<int>(state.range(0));
  const double days_per_dyad = static_cast<double>(spec.n_records()) * spec.record_stride_days;
  std::uint64_t events_per_run = 0;
  std::uint64_t draws_per_run = 0;
  for (const DyadWork& w : work) {
    events_per_run += w.events;
    draws_per_run += w.draws;
  }
  std::vector<double> sums(work.size());
  double dyad_days = 0.0;
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
  for (auto _ : state) {
    attachsim::sim::parallel_for_dyads(work.size(), options, [&](std::size_t d) {
      sums[d] = attachsim::bench::draws_only(spec.seed, kArm, static_cast<std::uint32_t>(d),
                                             work[d].events, work[d].draws);
    });
    benchmark::DoNotOptimize(sums.data());
    benchmark::ClobberMemory();
    dyad_days += days_per_dyad * static_cast<double>(work.size());
    events += events_per_run;
    draws += draws_per_run;
  }
  set_rate_counters(state, dyad_days, events, draws);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  const ScenarioSpec spec = bench_scenario();
  const std::vector<DyadWork> work = measure_dyads(spec);  // once, not timed
  // MinTime(2): a run takes ~0.1-0.3 s, so 2 s gives enough runs for a stable rate while the
  // whole binary stays well under a minute.
  benchmark::RegisterBenchmark("BM_RunArm", BM_RunArm, spec)
      ->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->MinTime(2.0)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_RunArmDrawsOnly", BM_RunArmDrawsOnly, spec, work)
      ->ArgName("threads")
      ->Arg(1)
      ->Arg(2)
      ->UseRealTime()
      ->MinTime(2.0)
      ->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
