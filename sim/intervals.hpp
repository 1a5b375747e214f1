// Confidence intervals shared by the command line's summary and the explorer.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace attachsim::sim {

inline constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile

// A share's 95% interval (Wilson's score interval: sensible near 0 and 1 and for small n); NaN
// when n = 0.
struct ShareInterval {
  double share = 0.0, low = 0.0, high = 0.0;
};

inline ShareInterval wilson_interval(std::size_t successes, std::size_t n) {
  if (n == 0) return {NAN, NAN, NAN};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
  const double half = kZ95 * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / (1 + z2 / nn);
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace attachsim::sim
