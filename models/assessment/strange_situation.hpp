// The virtual Strange Situation Procedure (Ainsworth et al. 1978): eight short episodes with the
// caregiver, a stranger and two separations, in which the child's behaviour is simulated from its
// learned state and scored as an observer would, on the interactive scales per reunion, with a
// disorganization rating, a forced A/B/C class, D as primary class when indicated, and a
// continuous security score. docs/model.md section 10 gives every rule.
//
// Structural separation: this header sees only the child's learned state (ChildSnapshot) and the
// child parameters, never caregiver parameters. The adults in the procedure behave in a
// standardised way, as the procedure instructs them to.
#pragma once

#include <array>
#include <cstdint>

#include "models/age_curves.hpp"
#include "models/child_params.hpp"
#include "models/child_state.hpp"
#include "sim/rng.hpp"

namespace attachsim::models {

enum AttachmentClass : std::int8_t { kClassA = 0, kClassB = 1, kClassC = 2, kClassD = 3 };
inline constexpr const char* kClassCodes = "0=A,1=B,2=C,3=D";

struct StrangeSituationResult {
  // Interactive scales, 1-7, for reunion 1 (episode 5) and reunion 2 (episode 8).
  std::array<float, 2> proximity_seeking{};
  std::array<float, 2> contact_maintaining{};
  std::array<float, 2> resistance{};
  std::array<float, 2> avoidance{};
  float disorganization = 1.0f;            // 1-9; >= 5 classifies D
  std::int8_t abc_class = kClassB;         // forced best fit among A, B, C
  std::int8_t attachment_class = kClassB;  // D when disorganization >= 5, else abc_class
  float security = 0.0f;                   // continuous, -1 (insecure) to 1 (secure)
};

// Forced A/B/C from the resistance and avoidance scales averaged over the two reunions
// (docs/model.md section 14): A when avoidance is conspicuous (at or above the scale midpoint 4)
// and at least as high as resistance; otherwise C when resistance is conspicuous; otherwise B.
inline constexpr double kAvoidantFrom = 4.0;
inline constexpr double kResistantFrom = 4.0;
inline constexpr float kDisorganizedFrom = 5.0f;  // Main & Solomon 1990: D at a rating >= 5
std::int8_t classify_abc(double resistance, double avoidance);

// Runs the procedure once. `rng` is the dyad's assessment stream.
StrangeSituationResult run_strange_situation(const ChildSnapshot& child, const ChildParams& params,
                                             sim::Rng& rng);

}  // namespace attachsim::models
