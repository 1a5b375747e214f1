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
#include <limits>
#include <span>

#include "models/assessment/strange_situation.hpp"
#include "models/metrics.hpp"
#include "models/parameters.hpp"
#include "models/scenario.hpp"
#include "sim/rng.hpp"

namespace attachsim::models {

// Draws one caregiver from the population (one call per parameter, in kCaregiverParams order).
CaregiverParams draw_caregiver(const Population& population, sim::Rng& rng);

// A change of caregiving from a given day on (an intervention): the caregiver's parameters from
// then on.
struct CaregiverChange {
  double day = 0.0;  // simulation day
  CaregiverParams caregiver{};
};

struct DyadSetup {
  const ChildParams* child = nullptr;
  std::uint64_t seed = 0;
  std::uint32_t arm_index = 0;
  std::uint32_t dyad = 0;
  double start_age_days = 0.0;
  std::int64_t n_records = 0;
  double record_stride_days = 7.0;
  std::span<const double> ssp_days;          // simulation days of the Strange Situations, ascending
  std::span<const double> observe_days;      // simulation days observation windows begin, ascending
  double observe_window_days = 3.0;          // length of each observation window
  std::span<const CaregiverChange> changes;  // interventions, ascending by day
};

// An observer's rating of caregiver sensitivity over one window of home life (Ainsworth's 1-9
// scale, section 9 of docs/model.md), with the counts it rests on.
struct ObservedSensitivity {
  float rating = std::numeric_limits<float>::quiet_NaN();  // 1-9
  float signalled_episodes = 0.0f;  // distress episodes begun at home with signals
  float prompt_comfort = 0.0f;      // of which comforted by the caregiver within 3 minutes
  float ruptures = 0.0f;            // ruptures while observed
};

// Where the dyad writes its assessments: one entry per scheduled assessment.
struct AssessmentRows {
  StrangeSituationResult* ssp = nullptr;    // setup.ssp_days.size() entries
  ObservedSensitivity* observed = nullptr;  // setup.observe_days.size() entries
};

struct DyadCounters {
  std::uint64_t events = 0;  // events handled
  std::uint64_t draws = 0;   // 32-bit random values drawn by the event and daily streams
};

// Where the dyad writes its metrics: rows[m] points at n_records floats for metric m.
using MetricRows = std::array<float*, kNumMetrics>;

// Simulates one dyad over setup.n_records recording intervals, writing every metric row and
// every scheduled assessment.
DyadCounters simulate_dyad(const DyadSetup& setup, const CaregiverParams& caregiver,
                           const MetricRows& rows, const AssessmentRows& assessments = {});

}  // namespace attachsim::models
