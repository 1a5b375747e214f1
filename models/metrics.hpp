// The metrics a dyad records per recording interval (declared once; the output layer writes them
// with these names, units and descriptions).
#pragma once

#include <array>
#include <cstddef>
#include <string_view>

namespace attachsim::models {

enum Metric : std::size_t {
  kTrust,
  kExpectedAvailability,
  kExpectedComfort,
  kRepairExpectation,
  kFeltSecurity,
  kExploration,
  kDistress,
  kTimeToSoothe,
  kRuptures,
  kRepairs,
  kCaregiverPresence,
  kHiddenArousal,
  kFear,
  kSelfWorth,
  kStrategySuppress,
  kStrategySignal,
  kStrategyEscalate,
  kStrategyApproach,
  kCaregiverStress,
  kNumMetrics
};

struct MetricSpec {
  std::string_view name;
  std::string_view units;
  std::string_view description;
  // Range of the histogram behind a sweep's streaming quantiles (docs/sweeps.md): the metric's
  // domain when bounded, else a generous range (values beyond it are counted as clamped).
  double lo = 0.0;
  double hi = 1.0;
};

inline constexpr std::array<MetricSpec, kNumMetrics> kMetrics = {{
    {"trust", "probability",
     "expected availability x expected comfort of the caregiver, as the child has learned "
     "them; at the end of the interval",
     0.0, 1.0},
    {"expected_availability", "probability",
     "child's learned expectation that a distress bid made with the caregiver at home is "
     "answered before the child gives up; at the end of the interval",
     0.0, 1.0},
    {"expected_comfort", "probability",
     "child's learned expectation that the caregiver's response comforts rather than rebuffs "
     "(ruptures count as failed comfort, repairs as comfort); at the end of the interval",
     0.0, 1.0},
    {"repair_expectation", "probability",
     "child's learned expectation that a rupture is repaired; at the end of the interval", 0.0,
     1.0},
    {"felt_security", "index 0-1",
     "exponentially weighted average over waking time of the child's momentary sense of safety; "
     "at the end of the interval",
     0.0, 1.0},
    {"exploration", "share", "share of waking time in the interval spent exploring", 0.0, 1.0},
    {"distress", "share", "share of waking time in the interval spent distressed", 0.0, 1.0},
    {"time_to_soothe", "minutes",
     "mean minutes from distress onset to calm, over episodes ending in the interval (NaN if "
     "none)",
     0.0, 120.0},
    {"ruptures", "count", "ruptures in the interval", 0.0, 200.0},
    {"repairs", "count", "ruptures repaired in the interval", 0.0, 200.0},
    {"caregiver_presence", "share",
     "share of the child's waking time in the interval with the caregiver at home", 0.0, 1.0},
    {"hidden_arousal", "arousal units",
     "mean physiological arousal over waking time in the interval (1 = the jolt of one distress "
     "episode); distinct from displayed distress: a child that suppresses its signals looks calm "
     "while aroused",
     0.0, 5.0},
    {"fear", "probability",
     "child's learned expectation that the caregiver frightens (responses and ruptures); at the "
     "end of the interval",
     0.0, 1.0},
    {"self_worth", "probability",
     "child's learned expectation that its check-ins are met warmly (acknowledgement, delight); "
     "at the end of the interval",
     0.0, 1.0},
    {"strategy_suppress", "probability",
     "propensity to suppress signals and soothe alone when distressed with the caregiver at "
     "home; at the end of the interval",
     0.0, 1.0},
    {"strategy_signal", "probability",
     "propensity to signal directly (cry, call); at the end of the interval", 0.0, 1.0},
    {"strategy_escalate", "probability",
     "propensity to escalate (intense, persistent crying); at the end of the interval", 0.0, 1.0},
    {"strategy_approach", "probability",
     "propensity to approach the caregiver (0 before the child is mobile); at the end of the "
     "interval",
     0.0, 1.0},
    {"caregiver_stress", "stress units",
     "caregiver stress at the end of the interval (builds with sole care and escalations, "
     "recovers with breaks and support, jumps with life events)",
     0.0, 20.0},
}};

}  // namespace attachsim::models
