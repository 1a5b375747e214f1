// A caregiver's day and stress (docs/model.md sections 4 and 9b): today's responsiveness,
// attention, rebuffs and frightening behaviour from the caregiver's parameters, its own history
// and the day's swing; stress that builds with care and escalations and recovers with breaks
// and support, and lowers responsiveness. Pure functions; tests/test_learning.cpp.
#pragma once

#include <algorithm>
#include <cmath>

#include "models/caregiver_params.hpp"
#include "models/learning.hpp"
#include "sim/fmath.hpp"
#include "sim/time.hpp"

namespace attachsim::models {

inline constexpr double kDailySwingLogits = 2.0;  // day-to-day sd at consistency 0
inline constexpr double kMinutesPerYear = 365.25 * sim::kMinutesPerDay;

inline double logistic(double x) { return 1.0 / (1.0 + sim::exp(-x)); }

// A probability moved by `logits` on the logit scale; 0 and 1 stay put.
inline double swung(double p, double logits) {
  if (p <= 0.0 || p >= 1.0) return p;
  return logistic(sim::log(p / (1.0 - p)) + logits);
}

// One caregiver's caregiving on one day.
struct DayCaregiving {
  double responsiveness = 0.0;           // probability of answering a noticed signal
  double good_day_responsiveness = 0.0;  // a very good day's (escalated bids; section 4)
  double attention = 0.0;                // share of time at home spent attending
  double rebuff = 0.0;                   // probability that a response is a rebuff
  double frightening = 0.0;              // probability that a response frightens
};

// Today's caregiving: the caregiver's own history shapes it, softened by intentional change
// (reflection), and responsiveness and attention swing from day to day on the logit scale by
// (1 - consistency) x 2 x z, z the day's standard normal draw; escalated bids reach the
// responsiveness of a day `escalate_pull` standard deviations above the mean.
inline DayCaregiving plan_day(const CaregiverParams& cg, double day_start_minutes, double z,
                              double escalate_pull) {
  DayCaregiving d;
  const double history =
      cg.history * sim::exp(-cg.reflection * day_start_minutes / kMinutesPerYear);
  const double responsiveness = cg.responsiveness * (1.0 - cg.history_responsiveness * history);
  const double consistency = cg.consistency * (1.0 - cg.history_consistency * history);
  // A dismissing caregiver -- insecure (history above history_insecure) and leaning dismissing
  // (dismissing above 0.5) -- rebuffs bids for comfort: history_rebuff of the gap to 1 is closed.
  // History does not raise any other caregiver's rebuffs.
  const bool dismissing = history > cg.history_insecure && cg.dismissing > 0.5;
  d.rebuff = dismissing ? cg.rebuff + (1.0 - cg.rebuff) * cg.history_rebuff : cg.rebuff;
  d.frightening = std::min(1.0, cg.frightening + cg.history_frightening * history * history);
  const double swing = (1.0 - consistency) * kDailySwingLogits;
  d.responsiveness = swung(responsiveness, swing * z);
  d.good_day_responsiveness = swung(responsiveness, swing * escalate_pull);
  d.attention = swung(cg.attention, swing * z);  // good and bad days show in attention too
  return d;
}

// Stress added by `minutes` in charge of the awake child (three times as much while it is
// distressed), buffered by support.
// Attention spells (docs/model.md section 3) alternate: distracted spells of mean
// `distraction_minutes` d, attending spells of mean d a / (1 - a), so that the figure attends a
// share `a` of the time. A two-state Markov process leaves its state at total rate 1 / (d a);
// the probability that it attends `minutes` after a moment at which it attended (or not) is
// a + (1 - a) e^(-t / (d a)) (or a (1 - e^(-t / (d a)))). The dyad carries a calm child's
// caregiver's attention forward with it instead of simulating every spell.
inline double p_attending_after(bool attending, double a, double distraction_minutes,
                                double minutes) {
  if (a >= 1.0) return 1.0;
  if (a <= 0.0) return 0.0;
  const double decay = sim::exp(-minutes / (distraction_minutes * a));
  return attending ? a + (1.0 - a) * decay : a * (1.0 - decay);
}

inline double care_stress(const CaregiverParams& cg, double minutes, bool distressed) {
  return cg.stress_load * (1.0 - 0.5 * cg.support) * (distressed ? 3.0 : 1.0) * minutes /
         sim::kMinutesPerHour;
}

// Stress of one escalated bid: half an hour's care load, buffered by support like the rest.
inline double escalation_stress(const CaregiverParams& cg) {
  return 0.5 * cg.stress_load * (1.0 - 0.5 * cg.support);
}

// The factor by which stress falls over `minutes` off duty; support speeds recovery.
inline double stress_recovery(const CaregiverParams& cg, double minutes) {
  return decay(minutes * (1.0 + 2.0 * cg.support) / (cg.stress_recovery * sim::kMinutesPerHour));
}

// Responsiveness lowered by stress s (burnout: by burnout x s / (1 + s)).
inline double under_stress(double responsiveness, const CaregiverParams& cg, double s) {
  return responsiveness * (1.0 - cg.burnout * s / (1.0 + s));
}

}  // namespace attachsim::models
