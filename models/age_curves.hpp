// How the child's needs and capacities change with age (docs/model.md section 2): each quantity
// moves from its newborn value to its older value as exp(-age / development_months), except the
// distress rate, which keeps its early value for the first weeks and falls around
// distress_decline_months (a logistic ramp); memory lengthens linearly with age; approach needs
// mobility. Evaluated once per simulated day, at midday. Pure function of the child's parameters
// and age; tests/test_learning.cpp.
#pragma once

#include "models/child_params.hpp"
#include "sim/fmath.hpp"
#include "sim/time.hpp"

namespace attachsim::models {

// Logistic developmental ramp: 0 well before `onset_months`, 1 well after (about 1 month wide:
// 0.5-month scale).
inline double developmental_ramp(double age_months, double onset_months) {
  return 1.0 / (1.0 + sim::exp(-(age_months - onset_months) / 0.5));
}

struct AgeProfile {
  double age_months = 0.0;
  double distress_rate = 0.0;        // distress onsets per minute awake
  double self_soothe_minutes = 1.0;  // mean time to calm alone
  double explore_max = 0.0;          // largest share of calm time spent exploring
  double awake_minutes = 0.0;        // waking minutes per day
  double memory_minutes = 1.0;       // time constant of forgetting (section 8)
  double felt_security_tau = 1.0;    // minutes: felt security averages over this much waking time
  bool mobile = false;               // can approach the caregiver (crawling)
};

inline AgeProfile age_profile(const ChildParams& child, double age_days) {
  using sim::kMinutesPerDay;
  using sim::kMinutesPerHour;
  AgeProfile a;
  a.age_months = sim::days_to_months(age_days);
  const double young = sim::exp(-a.age_months / child.development_months);
  auto develop = [young](double newborn, double older) {
    return older + (newborn - older) * young;
  };
  const double early = 1.0 - developmental_ramp(a.age_months, child.distress_decline_months);
  a.distress_rate = (child.distress_rate_older +
                     (child.distress_rate_newborn - child.distress_rate_older) * early) /
                    kMinutesPerHour;
  a.self_soothe_minutes = develop(child.self_soothe_newborn, child.self_soothe_older);
  a.explore_max = develop(child.explore_max_newborn, child.explore_max_older);
  a.awake_minutes = develop(child.awake_hours_newborn, child.awake_hours_older) * kMinutesPerHour;
  a.memory_minutes =
      (child.memory_days_newborn + child.memory_days_per_year * age_days / 365.25) * kMinutesPerDay;
  a.felt_security_tau = child.felt_security_days * a.awake_minutes;
  a.mobile = a.age_months >= child.approach_age_months;
  return a;
}

}  // namespace attachsim::models
