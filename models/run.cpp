#include "models/run.hpp"

#include <atomic>

#include "models/dyad.hpp"
#include "models/metrics.hpp"
#include "sim/time.hpp"

namespace attachsim::models {

double scenario_dyad_days(const ScenarioSpec& spec) {
  return static_cast<double>(spec.dyads) * static_cast<double>(spec.arms.size()) *
         static_cast<double>(spec.n_records()) * spec.record_stride_days;
}

sim::ArmResult make_arm_result(const ScenarioSpec& spec, std::size_t arm_index) {
  const ArmSpec& arm = spec.arms.at(arm_index);
  const auto n_dyads = static_cast<std::size_t>(spec.dyads);
  const auto n_records = static_cast<std::size_t>(spec.n_records());
  sim::ArmResult result;
  result.name = arm.name;
  result.scenario = spec.name;
  result.arm = arm.name;
  result.description = arm.description;
  result.seed = spec.seed;
  for (std::size_t k = 0; k < n_records; ++k) {
    result.time_days.push_back(spec.record_stride_days * static_cast<double>(k + 1));
  }
  for (const MetricSpec& m : kMetrics) {
    result.metric_info.push_back(
        {std::string(m.name), std::string(m.units), std::string(m.description)});
  }
  result.metrics = sim::MetricTable(kNumMetrics, n_dyads, n_records);
  for (const CaregiverParamSpec& p : kCaregiverParams) {
    result.params.push_back({{std::string(p.key), std::string(p.unit),
                              "caregiver's " + std::string(p.description) + " (as drawn)"},
                             std::vector<double>(n_dyads, 0.0)});
  }
  return result;
}

namespace {

// Draws the dyad's caregiver, simulates it and writes its parameter and metric rows. Touches only
// the dyad's own slots of `result`, so distinct dyads may run concurrently.
DyadCounters simulate_into(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad,
                           sim::ArmResult& result) {
  const ArmSpec& arm = spec.arms[arm_index];
  const auto arm_key = static_cast<std::uint32_t>(arm_index);
  sim::Rng params_rng(spec.seed, arm_key, dyad, sim::StreamPurpose::kParameters);
  const CaregiverParams caregiver = draw_caregiver(arm.population, params_rng);
  for (std::size_t i = 0; i < kNumCaregiverParams; ++i) {
    result.params[i].values[dyad] = caregiver.*kCaregiverParams[i].field;
  }
  MetricRows rows{};
  for (std::size_t m = 0; m < kNumMetrics; ++m) rows[m] = result.metrics.row(m, dyad);
  DyadSetup setup;
  setup.child = &arm.child;
  setup.seed = spec.seed;
  setup.arm_index = arm_key;
  setup.dyad = dyad;
  setup.start_age_days = sim::months_to_days(spec.start_age_months);
  setup.n_records = spec.n_records();
  setup.record_stride_days = spec.record_stride_days;
  return simulate_dyad(setup, caregiver, rows);
}

double days_per_dyad(const ScenarioSpec& spec) {
  return static_cast<double>(spec.n_records()) * spec.record_stride_days;
}

}  // namespace

void run_one_dyad(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad,
                  sim::ArmResult& result) {
  const DyadCounters counters = simulate_into(spec, arm_index, dyad, result);
  result.counters.events += counters.events;
  result.counters.draws += counters.draws;
  result.counters.dyad_days += days_per_dyad(spec);
}

sim::ArmResult run_arm(const ScenarioSpec& spec, std::size_t arm_index,
                       const sim::ParallelOptions& options,
                       const std::function<void(double)>& progress) {
  sim::ArmResult result = make_arm_result(spec, arm_index);
  const auto n_dyads = static_cast<std::size_t>(spec.dyads);
  std::vector<DyadCounters> counters(n_dyads);
  const double dyad_days = days_per_dyad(spec);
  std::function<void(std::size_t)> on_block;
  if (progress) on_block = [&](std::size_t n) { progress(static_cast<double>(n) * dyad_days); };
  sim::parallel_for_dyads(
      n_dyads, options,
      [&](std::size_t d) {
        counters[d] = simulate_into(spec, arm_index, static_cast<std::uint32_t>(d), result);
      },
      on_block);
  for (const DyadCounters& c : counters) {  // summed in dyad order: independent of threads
    result.counters.events += c.events;
    result.counters.draws += c.draws;
  }
  result.counters.dyad_days = static_cast<double>(n_dyads) * dyad_days;
  return result;
}

}  // namespace attachsim::models
