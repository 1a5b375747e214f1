// What a dyad accumulates over one recording interval (default a week) before it writes a record
// (docs/output-format.md): minutes in each state and counts of events. Reset after each record.
#pragma once

#include <cstdint>
#include <limits>

namespace attachsim::models {

struct IntervalTotals {
  double awake_minutes = 0.0;
  double home_minutes = 0.0;  // awake with the primary caregiver at home
  double distress_minutes = 0.0;
  double explore_minutes = 0.0;
  double soothe_minutes = 0.0;   // from onset to calm, summed over finished episodes
  double arousal_minutes = 0.0;  // integral of hidden arousal over waking time
  std::int64_t episodes = 0;     // distress episodes finished
  std::int64_t ruptures = 0;
  std::int64_t repairs = 0;

  // A share of waking time (NaN for an interval without waking time).
  double share(double minutes) const {
    return awake_minutes > 0.0 ? minutes / awake_minutes : std::numeric_limits<double>::quiet_NaN();
  }
  double mean_time_to_soothe() const {
    return episodes > 0 ? soothe_minutes / static_cast<double>(episodes)
                        : std::numeric_limits<double>::quiet_NaN();
  }
};

}  // namespace attachsim::models
