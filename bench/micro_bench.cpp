// Micro-benchmarks of the hot paths: one dyad-year event by event, the random-draws-only floor of
// the same work, single random draws, and the timer queue.
//
// Reading the output (JSON via --benchmark_out=x.json --benchmark_out_format=json):
//   BM_DyadYear_PerEvent  one dyad simulated for 52 weekly records (364 days) per iteration, a
//                         different dyad each iteration. items_per_second and events_per_s are
//                         events handled per second; ns_per_event is CPU time per event;
//                         draws_per_event is 32-bit random values per event.
//   BM_DrawsOnly_PerEvent the floor: for the same dyads, only the random draws (exactly D draws
//                         over E loop iterations, each draw transformed as an exponential waiting
//                         time), with the same counters. ns_per_event(DyadYear) /
//                         ns_per_event(DrawsOnly) is how far the model is above its draws.
//   BM_RngUniform, BM_RngExponential: one call per iteration (time per iteration = per call).
//   BM_TimerNext          TimerSet<15>::next() plus rescheduling the popped timer.
// bench/summarize.py prints the ratios from the JSON files.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "bench/draws_only.hpp"
#include "models/dyad.hpp"
#include "models/metrics.hpp"
#include "models/parameters.hpp"
#include "sim/aggregate.hpp"
#include "sim/rng.hpp"
#include "sim/summary.hpp"
#include "sim/timers.hpp"

namespace {

using attachsim::models::CaregiverParams;
using attachsim::models::ChildParams;
using attachsim::models::DyadCounters;
using attachsim::models::DyadSetup;
using attachsim::models::MetricRows;
using attachsim::sim::Rng;
using attachsim::sim::StreamPurpose;

constexpr std::uint64_t kSeed = 20261128;
constexpr std::uint32_t kArm = 0;
constexpr std::int64_t kRecords = 52;  // weekly records: one dyad-year
constexpr double kStrideDays = 7.0;
// Dyads cycled through by the per-dyad benchmarks. Larger than the iterations a default run
// makes (~1 ms a dyad-year, 0.5 s minimum time), so each iteration simulates a different dyad.
constexpr std::uint32_t kDyadPool = 1024;

// Every caregiver parameter at its population mean (what sd = 0 would draw).
CaregiverParams mean_caregiver() {
  CaregiverParams cg{};
  for (const auto& spec : attachsim::models::kCaregiverParams) cg.*spec.field = spec.mean;
  return cg;
}

// Owns the inputs and metric rows of one dyad-year; `setup(dyad)` keys it to a dyad.
class DyadYear {
 public:
  DyadYear() : storage_(attachsim::models::kNumMetrics * kRecords, 0.0f) {
    for (std::size_t m = 0; m < rows_.size(); ++m) rows_[m] = storage_.data() + m * kRecords;
  }

  DyadCounters simulate(std::uint32_t dyad) {
    DyadSetup setup;
    setup.child = &child_;
    setup.seed = kSeed;
    setup.arm_index = kArm;
    setup.dyad = dyad;
    setup.n_records = kRecords;
    setup.record_stride_days = kStrideDays;
    return attachsim::models::simulate_dyad(setup, caregiver_, rows_);
  }

 private:
  ChildParams child_ = attachsim::models::default_child_params();
  CaregiverParams caregiver_ = mean_caregiver();
  std::vector<float> storage_;
  MetricRows rows_{};
};

// Events handled per second, CPU time per event (ns) and draws per event (one thread: CPU time
// and wall time agree; CPU time is less disturbed by other processes).
void set_per_event_counters(benchmark::State& state, std::uint64_t events, std::uint64_t draws) {
  const auto e = static_cast<double>(events);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
  state.counters["events_per_s"] = benchmark::Counter(e, benchmark::Counter::kIsRate);
  // kIsRate | kInvert gives seconds / value; a value of events x 1e-9 gives ns per event.
  state.counters["ns_per_event"] =
      benchmark::Counter(e * 1e-9, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["draws_per_event"] =
      benchmark::Counter(e > 0.0 ? static_cast<double>(draws) / e : 0.0);
}

void BM_DyadYear_PerEvent(benchmark::State& state) {
  DyadYear dyad_year;
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
  std::uint32_t dyad = 0;
  for (auto _ : state) {
    const DyadCounters c = dyad_year.simulate(dyad);
    events += c.events;
    draws += c.draws;
    dyad = (dyad + 1) % kDyadPool;
  }
  set_per_event_counters(state, events, draws);
}

// Event and draw counts of the first kDyadPool dyads, measured once (not timed).
struct DyadWork {
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
};

std::vector<DyadWork> measure_pool() {
  DyadYear dyad_year;
  std::vector<DyadWork> work(kDyadPool);
  for (std::uint32_t d = 0; d < kDyadPool; ++d) {
    const DyadCounters c = dyad_year.simulate(d);
    work[d] = {c.events, c.draws};
  }
  return work;
}

void BM_DrawsOnly_PerEvent(benchmark::State& state, const std::vector<DyadWork>& work) {
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
  std::uint32_t dyad = 0;
  for (auto _ : state) {
    const double sum =
        attachsim::bench::draws_only(kSeed, kArm, dyad, work[dyad].events, work[dyad].draws);
    benchmark::DoNotOptimize(sum);
    events += work[dyad].events;
    draws += work[dyad].draws;
    dyad = (dyad + 1) % kDyadPool;
  }
  set_per_event_counters(state, events, draws);
}

void BM_RngUniform(benchmark::State& state) {
  Rng rng(kSeed, kArm, 0, StreamPurpose::kEvents);
  for (auto _ : state) {
    const double u = rng.uniform();
    benchmark::DoNotOptimize(u);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_RngExponential(benchmark::State& state) {
  Rng rng(kSeed, kArm, 0, StreamPurpose::kEvents);
  for (auto _ : state) {
    const double x = rng.exponential(1.0);
    benchmark::DoNotOptimize(x);
  }
  state.SetItemsProcessed(state.iterations());
}

// next() on a full set of 15 timers, as in a dyad. Each iteration reschedules the popped timer a
// precomputed exponential step later, so the earliest timer moves around as it does in the model
// and the compiler cannot hoist the scan out of the loop.
void BM_TimerNext(benchmark::State& state) {
  constexpr std::size_t kKinds = 15;
  constexpr std::size_t kSteps = 4096;  // power of two: cheap wrap-around
  Rng rng(kSeed, kArm, 0, StreamPurpose::kEvents);
  std::array<double, kSteps> steps{};
  for (double& s : steps) s = rng.exponential(1.0);
  attachsim::sim::TimerSet<kKinds> timers;
  for (std::size_t k = 0; k < kKinds; ++k) timers.set(k, rng.exponential(1.0));
  std::size_t i = 0;
  for (auto _ : state) {
    const std::size_t next = timers.next();
    benchmark::DoNotOptimize(next);
    timers.set(next, timers.at(next) + steps[i]);
    i = (i + 1) & (kSteps - 1);
  }
  state.SetItemsProcessed(state.iterations());
}

// A sweep's aggregation cost: one streamed block (4,096 dyads x 54 weekly records x every metric,
// values drawn once) folded into the accumulator, against the exact summary of the same table
// that a plain run computes. Items: metric values (dyad x record x metric) per second, one thread.
attachsim::sim::MetricTable summary_block() {
  constexpr std::size_t kBlockDyads = 4096, kWeeklyRecords = 54;
  attachsim::sim::MetricTable table(attachsim::models::kNumMetrics, kBlockDyads, kWeeklyRecords);
  Rng rng(kSeed, kArm, 0, StreamPurpose::kEvents);
  for (std::size_t m = 0; m < table.n_metrics(); ++m) {
    const auto& spec = attachsim::models::kMetrics[m];
    for (std::size_t d = 0; d < kBlockDyads; ++d) {
      for (std::size_t k = 0; k < kWeeklyRecords; ++k) {
        table.row(m, d)[k] =
            static_cast<float>(spec.lo + (spec.hi - spec.lo) * 0.3 * rng.beta(2.0, 5.0));
      }
    }
  }
  return table;
}

std::vector<attachsim::sim::SummaryRange> metric_ranges() {
  std::vector<attachsim::sim::SummaryRange> ranges;
  for (const auto& m : attachsim::models::kMetrics) ranges.push_back({m.lo, m.hi});
  return ranges;
}

void BM_StreamedSummary_Add(benchmark::State& state) {
  const attachsim::sim::MetricTable table = summary_block();
  attachsim::sim::SummaryAccumulator acc(metric_ranges(), table.n_records());
  for (auto _ : state) {
    acc.add(table);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table.data().size()));
}

void BM_StreamedSummary_Read(benchmark::State& state) {
  const attachsim::sim::MetricTable table = summary_block();
  attachsim::sim::SummaryAccumulator acc(metric_ranges(), table.n_records());
  acc.add(table);
  for (auto _ : state) {
    for (std::size_t m = 0; m < table.n_metrics(); ++m) {
      for (std::size_t k = 0; k < table.n_records(); ++k) {
        benchmark::DoNotOptimize(acc.summary(m, k));
      }
    }
  }
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(table.n_metrics() * table.n_records()));
}

void BM_ExactSummary(benchmark::State& state) {
  const attachsim::sim::MetricTable table = summary_block();
  for (auto _ : state) {
    for (std::size_t m = 0; m < table.n_metrics(); ++m) {
      benchmark::DoNotOptimize(
          attachsim::sim::summarize(table.metric(m), table.n_dyads(), table.n_records()));
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(table.data().size()));
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  // Measured once here rather than in the benchmark body, which the library runs several times.
  const std::vector<DyadWork> work = measure_pool();
  // Registered here, in reading order, so that the floor sits next to the full loop.
  benchmark::RegisterBenchmark("BM_DyadYear_PerEvent", BM_DyadYear_PerEvent)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_DrawsOnly_PerEvent", BM_DrawsOnly_PerEvent, work)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_RngUniform", BM_RngUniform);
  benchmark::RegisterBenchmark("BM_RngExponential", BM_RngExponential);
  benchmark::RegisterBenchmark("BM_TimerNext", BM_TimerNext);
  benchmark::RegisterBenchmark("BM_StreamedSummary_Add", BM_StreamedSummary_Add)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_StreamedSummary_Read", BM_StreamedSummary_Read)
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("BM_ExactSummary", BM_ExactSummary)->Unit(benchmark::kMillisecond);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
