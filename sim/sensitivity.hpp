// Variance-based sensitivity: first-order and total Sobol indices from a Saltelli design, with
// bootstrap confidence intervals (docs/sweeps.md). Generic: it sees only outputs in design order.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace attachsim::sim {

struct SobolIndices {
  std::vector<double> first;                    // S_i, Saltelli et al. (2010)
  std::vector<double> total;                    // T_i, Jansen (1999)
  std::vector<std::array<double, 2>> first_ci;  // bootstrap percentile intervals
  std::vector<std::array<double, 2>> total_ci;
  std::vector<double> first_se;  // bootstrap standard errors
  std::vector<double> total_se;
  double variance = 0.0;  // of the output, over A and B pooled
  double level = 0.95;
};

// `y` holds f at the Saltelli design's points in its order: per base sample j, f(A_j), f(B_j),
// f(AB_1j) ... f(AB_kj); so y.size() = N (k + 2). Resamples the N base samples `resamples`
// times (with replacement, a Philox stream keyed by `seed`) for the intervals. Throws
// std::invalid_argument on a size mismatch, N < 2 or a non-finite output.
SobolIndices sobol_indices(std::span<const double> y, std::size_t k, std::size_t resamples = 1000,
                           std::uint64_t seed = 1, double level = 0.95);

}  // namespace attachsim::sim
