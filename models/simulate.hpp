// The model's core: an arm's result tables and the simulation of its dyads, serially or through
// any loop the caller supplies. It needs no oneTBB, HDF5 or MPI (the target attachsim_model_core
// links only the engine's core), so the command line and the explorer (WebAssembly) run the same
// code; models/run.hpp adds the parallel loop (docs/architecture.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "models/scenario.hpp"
#include "sim/results.hpp"

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

// Runs one dyad of an arm serially into `result` (already sized): the reference path used by
// tests to check the parallel engine.
void run_one_dyad(const ScenarioSpec& spec, std::size_t arm_index, std::uint32_t dyad,
                  sim::ArmResult& result);

// Allocates an arm's result tables and fills names, time axis and metadata (no simulation).
sim::ArmResult make_arm_result(const ScenarioSpec& spec, std::size_t arm_index);

// Runs body(u) for every u in [0, n_units), in any order and on any threads, and on_done(k)
// (may be empty) after every k units finished; `grain` suggests units per task. The loop is the
// caller's: serial_units below, or the oneTBB loop of models/run.hpp.
using UnitLoop = std::function<void(std::size_t n_units, std::size_t grain,
                                    const std::function<void(std::size_t)>& body,
                                    const std::function<void(std::size_t)>& on_done)>;

// The serial loop: units in order on the calling thread.
void serial_units(std::size_t n_units, std::size_t grain,
                  const std::function<void(std::size_t)>& body,
                  const std::function<void(std::size_t)>& on_done);

// Dyads [first, first + count) of an arm (their random streams keyed by their indices in the arm)
// into a result sized for `count` dyads, the units (dyads or day-care groups) run by `loop`;
// `progress` (may be empty, called from the loop's threads) receives dyad-days completed. The
// result does not depend on the loop: every unit writes only its own rows. A block must not split
// a day-care group (first a multiple of the arm's group size).
sim::ArmResult simulate_range(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                              std::size_t count, std::size_t grain, const UnitLoop& loop,
                              const std::function<void(double)>& progress = {});

// Runs dyads [first, first + count) of an arm serially into `whole`, a result make_arm_result made
// for the whole arm (row d is dyad d), and adds their counters: the explorer runs an arm in
// blocks between progress reports. The same rows as simulate_range; a block must not split a
// day-care group.
void simulate_into(const ScenarioSpec& spec, std::size_t arm_index, std::size_t first,
                   std::size_t count, sim::ArmResult& whole);

// FNV-1a over an arm's tables in file order: every metric's rows, then every int8 dataset (the
// classes). The same value for the same scenario and seed, whatever the loop, threads or platform
// (bench sizes document theirs; the explorer compares its own with the command line's).
std::uint64_t arm_checksum(const sim::ArmResult& arm);

}  // namespace attachsim::models
