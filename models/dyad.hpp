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

// The shared state of a day-care carer whose group of children is simulated together
// (docs/model.md section 14b). Touched only by the group's dyads, which run serially.
struct GroupCarer {
  int busy_with = -1;   // group member she is responding to or comforting; -1: free
  double stress = 0.0;  // her stress, one value for the group
};

// A further attachment figure of one dyad: its role, schedule and parameters (as drawn).
struct FigureSetup {
  FigureRole role = FigureRole::kGrandparent;
  int first_weekday = 0;  // grandparent, day care: cares on weekdays [first, first + weekdays)
  int weekdays = 0;
  bool shared = false;  // the group's day-care carer (state in DyadSetup::carer)
  CaregiverParams caregiver{};
};

struct DyadSetup {
  const ChildParams* child = nullptr;
  std::uint64_t seed = 0;
  std::uint32_t arm_index = 0;
  std::uint32_t dyad = 0;
  double start_age_days = 0.0;
  double reactivity = 1.0;  // the child's temperament (docs/model.md section 6), as drawn
  std::int64_t n_records = 0;
  double record_stride_days = 7.0;
  std::span<const double> ssp_days;          // simulation days of the Strange Situations, ascending
  std::span<const double> observe_days;      // simulation days observation windows begin, ascending
  double observe_window_days = 3.0;          // length of each observation window
  std::span<const CaregiverChange> changes;  // interventions, ascending by day
  std::span<const FigureSetup> figures;      // further figures, at most kMaxFigures
  GroupCarer* carer = nullptr;               // shared day-care carer, when a figure is shared
  int group_member = 0;                      // index of this dyad within its day-care group
};

// An observer's rating of caregiver sensitivity over one window of home life (Ainsworth's 1-9
// scale, section 9 of docs/model.md), with the counts it rests on.
struct ObservedSensitivity {
  float rating = std::numeric_limits<float>::quiet_NaN();  // 1-9
  float opportunities = 0.0f;  // the child's signals the caregiver noticed
  float score = 0.0f;          // of those, the ones the caregiver decided to answer
  float ruptures = 0.0f;       // ruptures while observed
  // For validation, unseen by the observer: the mean probability of answering a noticed signal.
  float true_responsiveness = std::numeric_limits<float>::quiet_NaN();
};

// Where a further figure's records go: n_records floats each.
struct FigureRows {
  float* trust = nullptr;       // the child's trust in the figure
  float* care_share = nullptr;  // share of waking time in the figure's charge
};

// Where the dyad writes its assessments: one entry per scheduled assessment, and the further
// figures' records (one entry per setup.figures element).
struct AssessmentRows {
  StrangeSituationResult* ssp = nullptr;    // setup.ssp_days.size() entries
  ObservedSensitivity* observed = nullptr;  // setup.observe_days.size() entries
  std::array<FigureRows, kMaxFigures> figures{};
};

struct DyadCounters {
  std::uint64_t events = 0;  // events handled
  std::uint64_t draws = 0;   // 32-bit random values drawn by the event and daily streams
};

// Where the dyad writes its metrics: rows[m] points at n_records floats for metric m.
using MetricRows = std::array<float*, kNumMetrics>;

// Simulates one dyad over setup.n_records recording intervals, writing every metric row and
// every scheduled assessment. Not for a dyad that shares a day-care carer (setup.carer set).
DyadCounters simulate_dyad(const DyadSetup& setup, const CaregiverParams& caregiver,
                           const MetricRows& rows, const AssessmentRows& assessments = {});

// One dyad of a day-care group: its inputs, where it writes, and its counters (out).
struct DyadJob {
  DyadSetup setup;
  CaregiverParams caregiver{};
  MetricRows rows{};
  AssessmentRows assessments{};
  DyadCounters counters{};
};

// Simulates a day-care group's dyads together, their events interleaved in time order (ties by
// position in `jobs`, which must match setup.group_member), so that they compete for the carer
// they share. Allocates once per group, not per event.
void simulate_group(std::span<DyadJob> jobs);

}  // namespace attachsim::models
