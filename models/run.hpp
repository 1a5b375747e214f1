// Runs a scenario: every arm's dyads in parallel (oneTBB), into plain result tables.
#pragma once

#include <cstddef>
#include <functional>

#include "models/simulate.hpp"
#include "sim/runner.hpp"

namespace attachsim::models {

// Runs one arm (`arm_index` keys its random streams). `progress` (may be empty) receives
// dyad-days completed, from worker threads. Output is identical for any thread count.
sim::ArmResult run_arm(const ScenarioSpec& spec, std::size_t arm_index,
                       const sim::ParallelOptions& options,
                       const std::function<void(double)>& progress = {});

// Runs dyads [first, first + count) of an arm, their random streams keyed by their indices in the
// arm, into a result sized for `count` dyads (row 0 is dyad `first`): one block of a streamed
// sweep. A block must not split a day-care group (first a multiple of the arm's group size).
sim::ArmResult run_arm_block(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                             std::size_t count, const sim::ParallelOptions& options,
                             const std::function<void(double)>& progress = {});

// This process's share of an arm in a distributed run (docs/hpc.md): dyads [first, first + count)
// for rank `rank` of `ranks`. Within an arm every dyad has the same expected cost (the same days,
// figures and assessments), so equal contiguous shares of every arm balance the expected work;
// shares are whole day-care groups, so a group never straddles two processes.
struct DyadShare {
  std::size_t first = 0;
  std::size_t count = 0;
};
DyadShare dyad_share(const ScenarioSpec& spec, std::size_t arm_index, int rank, int ranks);

}  // namespace attachsim::models
