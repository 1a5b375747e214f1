// What a child carries from its history: learned expectations and strategies toward an attachment
// figure. Assessments (models/assessment/) see only this and the child parameters — never a
// caregiver parameter — so that every classification comes from experience and behaviour.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace attachsim::models {

// Signalling strategies the child learns to use when distressed (docs/model.md section 5).
enum Strategy : std::size_t { kSuppress, kSignal, kEscalate, kApproach, kNumStrategies };

inline constexpr std::array<std::string_view, kNumStrategies> kStrategyNames = {
    "suppress", "signal", "escalate", "approach"};

// The strategy whose cumulative propensity first exceeds `u` (uniform on (0, 1)).
inline Strategy sample_strategy(const std::array<double, kNumStrategies>& propensity, double u) {
  double cumulative = 0.0;
  for (std::size_t s = 0; s < kNumStrategies; ++s) {
    cumulative += propensity[s];
    if (u < cumulative) return static_cast<Strategy>(s);
  }
  return kSignal;  // rounding left u above the total
}

// A snapshot of the child's learned state toward one figure. All values come from the child's
// simulated experience.
struct ChildSnapshot {
  double age_months = 0.0;
  std::array<double, kNumStrategies> strategy_probability{};  // current propensities, sum 1
  // The organised strategy: the one the child has learned to value most toward this figure
  // (among those available at its age; docs/model.md section 14).
  Strategy organised = kSignal;
  double expected_availability = 0.5;  // probability
  double expected_comfort = 0.5;       // probability
  double trust = 0.25;                 // expected availability x expected comfort
  double fear = 0.0;                   // learned expectation that the figure frightens
  double self_worth = 0.5;             // learned expectation of being met warmly
  double self_soothe_minutes = 12.0;   // current mean time to calm alone (development)
  double reactivity = 1.0;             // the child's temperament: arousal per unit of stress
};

}  // namespace attachsim::models
