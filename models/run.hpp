// Runs a scenario: every arm's dyads in parallel (oneTBB), into plain result tables.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "models/scenario.hpp"
#include "sim/results.hpp"
#include "sim/runner.hpp"

namespace attachsim::models {

// Where one of an arm's extra datasets (assessments, further figures, the child's draws) sits in
// ArmResult::extra, with its element type: handles are set where the datasets are declared
// (arm_outputs and make_arm_result share that code), so no index is computed anywhere else.
template <class T>
struct ExtraColumn {
  std::size_t index = 0;
  T* in(sim::ArmResult& result) const {
    return std::get<std::vector<T>>(result.extra[index].data).data();
  }
  const T* in(const sim::ArmResult& result) const {
    return std::get<std::vector<T>>(result.extra[index].data).data();
  }
};

// One Strange Situation's datasets (ssp/age_<M>/...); the four scales have 2 columns (reunions).
struct SspOutputs {
  ExtraColumn<std::int8_t> attachment_class, abc_class;
  ExtraColumn<float> security, disorganization;
  ExtraColumn<float> proximity_seeking, contact_maintaining, resistance, avoidance;
};
// One observation window's datasets (observed/sensitivity_<M>, ..._counts: kObservedCounts
// columns).
struct ObservedOutputs {
  ExtraColumn<float> rating, counts;
};
inline constexpr std::size_t kObservedCounts = 4;  // episodes, score, ruptures, true resp.
// One further figure's datasets (figures/<name>/...): n_records and kNumCaregiverParams columns.
struct FigureOutputs {
  ExtraColumn<float> trust, care_share, parameters;
};
struct ArmOutputs {
  std::vector<SspOutputs> ssp;            // per assessment.strange_situation_months
  std::vector<ObservedOutputs> observed;  // per assessment.sensitivity_months
  std::vector<FigureOutputs> figures;     // per arm figure
  ExtraColumn<float> reactivity;          // child/reactivity
};

// The handles of an arm's extra datasets, as make_arm_result declares them (no allocation).
ArmOutputs arm_outputs(const ScenarioSpec& spec, std::size_t arm_index);

// Bytes the result tables of `dyads` dyads of an arm take in memory (metrics, parameters,
// assessments, further figures), for the check before a run.
double arm_result_bytes(const ScenarioSpec& spec, std::size_t arm_index, std::size_t dyads);

// "12mo", "12.5mo": the age label of assessment datasets (ssp/age_<label>/...).
std::string age_label(double months);

// Dyad-days of work in the scenario (for progress reporting).
double scenario_dyad_days(const ScenarioSpec& spec);

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

// Runs one dyad of an arm serially into `result` (already sized): the reference path used by
// tests to check the parallel engine.
void run_one_dyad(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad,
                  sim::ArmResult& result);

// Allocates an arm's result tables and fills names, time axis and metadata (no simulation).
sim::ArmResult make_arm_result(const ScenarioSpec& spec, std::size_t arm_index);

}  // namespace attachsim::models
