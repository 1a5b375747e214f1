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

namespace attachsim::sim {

// ---- grids: main effects and two-way interactions (docs/sweeps.md) ----------------------------

struct Level {
  double value = 0.0;  // the parameter's value
  double mean = 0.0;   // mean output over the points at this value (the other parameters varying)
  double se = 0.0;     // its standard error from the replicate noise (NaN when unknown)
  std::size_t points = 0;
};

struct MainEffect {
  std::vector<Level> levels;  // ascending values
  double range = 0.0;         // largest minus smallest level mean
  double range_se = 0.0;      // SE of that difference (NaN when the noise is unknown)
  double share = 0.0;         // share of the point means' variance this main effect explains
};

struct Interaction {
  std::size_t i = 0, j = 0;  // parameter indices, i < j
  double share = 0.0;        // share of the point means' variance in the i x j interaction
};

struct GridEffects {
  std::vector<MainEffect> main;    // per parameter
  std::vector<Interaction> pairs;  // per pair of parameters whose value combinations are full
  double variance = 0.0;           // of the point means (denominator n - 1)
  double noise_variance = 0.0;     // replicate noise in a point mean (NaN when unknown)
};

// `points` holds n_points x k parameter values (row-major), `y` the output per point (mean over
// replicates) and `noise_variance` the variance of that mean's replicate noise (NaN: unknown).
// Main effects are the mean output at each value of a parameter; the shares come from the
// decomposition of the point means' sum of squares (a full factorial, as a grid is, splits it
// exactly into main effects, interactions and the rest). Throws std::invalid_argument on a size
// mismatch or a non-finite output.
GridEffects grid_effects(std::span<const double> points, std::size_t k, std::span<const double> y,
                         double noise_variance);

// ---- Latin hypercubes and Sobol designs: standardized regression coefficients ------------------

struct Regression {
  std::vector<double> src;  // standardized regression coefficients, per parameter
  double r2 = 0.0;          // share of the output's variance the linear model explains
};

// Least squares of y on the k parameters (all standardized). SRC_i^2 is parameter i's share of the
// variance when the model is linear (r2 near 1) and the parameters independent, as they are in
// these designs. Throws std::invalid_argument on a size mismatch, fewer than k + 2 points or a
// non-finite output.
Regression standardized_regression(std::span<const double> points, std::size_t k,
                                   std::span<const double> y);

}  // namespace attachsim::sim
