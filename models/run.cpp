#include "models/run.hpp"

#include <algorithm>

#include "sim/distributed.hpp"

namespace attachsim::models {

namespace {

// The oneTBB loop (sim/runner.hpp) as a UnitLoop.
UnitLoop parallel_units(const sim::ParallelOptions& options) {
  return [options](std::size_t n_units, std::size_t grain,
                   const std::function<void(std::size_t)>& body,
                   const std::function<void(std::size_t)>& on_done) {
    sim::ParallelOptions unit_options = options;
    unit_options.grain = grain;
    sim::parallel_for_dyads(n_units, unit_options, body, on_done);
  };
}

}  // namespace

sim::ArmResult run_arm(const ScenarioSpec& spec, std::size_t arm_index,
                       const sim::ParallelOptions& options,
                       const std::function<void(double)>& progress) {
  return simulate_range(spec, arm_index, 0, static_cast<std::size_t>(spec.dyads), options.grain,
                        parallel_units(options), progress);
}

sim::ArmResult run_arm_block(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                             std::size_t count, const sim::ParallelOptions& options,
                             const std::function<void(double)>& progress) {
  return simulate_range(spec, arm_index, first, count, options.grain, parallel_units(options),
                        progress);
}

DyadShare dyad_share(const ScenarioSpec& spec, std::size_t arm_index, int rank, int ranks) {
  const auto n = static_cast<std::size_t>(spec.dyads);
  const auto g = static_cast<std::size_t>(spec.arms.at(arm_index).group_size());
  const sim::distributed::Share units = sim::distributed::share_of((n + g - 1) / g, rank, ranks);
  const std::size_t first = std::min(units.first * g, n);
  return {first, std::min(units.count * g, n - first)};
}

}  // namespace attachsim::models
