// Simulation of one caregiver-child dyad in continuous time (minutes), event by event.
//
// The child's trust, felt security and exploration emerge from what it experiences: distress
// episodes, bids, responses (comfort or rebuff), ruptures and repairs. Nothing here maps
// caregiver parameters to outcomes directly; docs/model.md gives every rule and equation.
//
// simulate_dyad allocates nothing and makes no virtual call: state lives in one stack object,
// events in a fixed TimerSet, randomness in counter-based streams keyed by
// (seed, arm, dyad, purpose). Thread-safe for distinct dyads (no shared mutable state).
#pragma once

#include <array>
#include <cstdint>

#include "models/metrics.hpp"
#include "models/parameters.hpp"
#include "models/scenario.hpp"
#include "sim/rng.hpp"

namespace attachsim::models {

// Draws one caregiver from the population (one call per parameter, in kCaregiverParams order).
CaregiverParams draw_caregiver(const Population& population, sim::Rng& rng);

struct DyadSetup {
  const ChildParams* child = nullptr;
  std::uint64_t seed = 0;
  std::uint32_t arm_index = 0;
  std::uint32_t dyad = 0;
  double start_age_days = 0.0;
  std::int64_t n_records = 0;
  double record_stride_days = 7.0;
};

struct DyadCounters {
  std::uint64_t events = 0;  // events handled
  std::uint64_t draws = 0;   // 32-bit random values drawn by the event and daily streams
};

// Where the dyad writes its metrics: rows[m] points at n_records floats for metric m.
using MetricRows = std::array<float*, kNumMetrics>;

// Simulates one dyad over setup.n_records recording intervals, writing every metric row.
DyadCounters simulate_dyad(const DyadSetup& setup, const CaregiverParams& caregiver,
                           const MetricRows& rows);

}  // namespace attachsim::models
