// Validation of the Sobol estimators (sim/sensitivity.hpp) on the Ishigami function, whose
// indices are known in closed form, before they are trusted on the model (docs/sweeps.md).
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "sim/config.hpp"
#include "sim/rng.hpp"
#include "sim/sensitivity.hpp"
#include "sim/sweep.hpp"

namespace attachsim::sim {
namespace {

// The design points of a [sweep] section given as TOML text (`name` for error messages).
std::vector<std::vector<double>> design_points(const std::string& text, const std::string& name) {
  const toml::table doc = load_toml_text(text, name);
  ConfigTable root(&doc, "", name);
  return sweep_points(read_sweep(root.table("sweep")));
}

// Ishigami & Homma (1990): f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi), with
// a = 7, b = 0.1. Closed form (Sobol' & Levitan 1999): V1 = (1 + b pi^4 / 5)^2 / 2,
// V2 = a^2 / 8, V3 = 0, V13 = b^2 pi^8 (1/18 - 1/50), V = V1 + V2 + V13; so
// S = (0.3139, 0.4424, 0) and T = (0.5576, 0.4424, 0.2437).
TEST(Sensitivity, SaltelliAndJansenRecoverTheIshigamiIndices) {
  constexpr double a = 7.0, b = 0.1, pi = std::numbers::pi;
  const double v1 = 0.5 * std::pow(1.0 + b * std::pow(pi, 4) / 5.0, 2);
  const double v2 = a * a / 8.0;
  const double v13 = b * b * std::pow(pi, 8) * (1.0 / 18.0 - 1.0 / 50.0);
  const double v = v1 + v2 + v13;
  const double first[3] = {v1 / v, v2 / v, 0.0};
  const double total[3] = {(v1 + v13) / v, v2 / v, v13 / v};

  const std::string text = R"(
[sweep]
design = "saltelli"
samples = 8192
[[sweep.parameter]]
key = "x1"
min = -3.141592653589793
max = 3.141592653589793
[[sweep.parameter]]
key = "x2"
min = -3.141592653589793
max = 3.141592653589793
[[sweep.parameter]]
key = "x3"
min = -3.141592653589793
max = 3.141592653589793
)";
  const auto points = design_points(text, "ishigami.toml");
  ASSERT_EQ(points.size(), 8192u * 5u);
  std::vector<double> y;
  for (const auto& x : points) {
    y.push_back(std::sin(x[0]) + a * std::pow(std::sin(x[1]), 2) +
                b * std::pow(x[2], 4) * std::sin(x[0]));
  }
  const SobolIndices s = sobol_indices(y, 3, 1000, 11);
  EXPECT_NEAR(s.variance, v, 0.05 * v);  // 16,384 quasi-random points: within 5%
  for (std::size_t i = 0; i < 3; ++i) {
    std::string name = "x";  // (built in steps: GCC 12 warns falsely on "x" + std::string)
    name += std::to_string(i + 1);
    SCOPED_TRACE(name);
    // Each estimate within 4 bootstrap standard errors of the truth (a chance miss for a correct
    // estimator has p ~ 6e-5 per index), and those errors small enough to be useful (< 0.03).
    EXPECT_LT(s.first_se[i], 0.03);
    EXPECT_LT(s.total_se[i], 0.03);
    EXPECT_NEAR(s.first[i], first[i], 4.0 * s.first_se[i]) << s.first[i];
    EXPECT_NEAR(s.total[i], total[i], 4.0 * s.total_se[i]) << s.total[i];
    // The bootstrap treats the base samples as independent draws (SE ~0.015 here); a Sobol
    // design does much better than independent sampling on this smooth function, so a correct
    // estimator lands far closer: we require 0.01, below one bootstrap SE, which a wrong
    // normalisation or a swapped A/B would miss by far.
    EXPECT_NEAR(s.first[i], first[i], 0.01);
    EXPECT_NEAR(s.total[i], total[i], 0.01);
    EXPECT_LE(s.first_ci[i][0], s.first[i]);
    EXPECT_GE(s.first_ci[i][1], s.first[i]);
  }
}

// A stochastic model's outputs carry noise, independent at every point: y = x1 + e with
// x1 ~ U(0, 1) (V1 = 1/12), e ~ N(0, s^2), s^2 = V1 / 4, and x2 inert, so V = V1 + s^2. Jansen's
// total index averages (f(A) - f(AB_i))^2 / 2V, and the two evaluations' independent noise adds
// s^2 to the mean square whatever parameter changed: T2 = s^2 / V = 0.2 for a parameter that does
// nothing, T1 = (V1 + s^2) / V = 1. The first-order estimator's noise terms have mean zero:
// S1 = V1 / V = 0.8, S2 = 0. This is the noise floor `attachsim analyze` reports as the noise
// variance over the output's variance. Tolerance: 4 bootstrap SEs, as above.
TEST(Sensitivity, IndependentNoiseRaisesEveryTotalIndexByItsShare) {
  const std::string text = R"(
[sweep]
design = "saltelli"
samples = 8192
[[sweep.parameter]]
key = "x1"
min = 0
max = 1
[[sweep.parameter]]
key = "x2"
min = 0
max = 1
)";
  const auto points = design_points(text, "noisy.toml");
  const double v1 = 1.0 / 12.0, s2 = v1 / 4.0, v = v1 + s2;
  Rng rng(5, 0, 0, StreamPurpose::kEvents);
  std::vector<double> y;
  for (const auto& x : points) y.push_back(x[0] + std::sqrt(s2) * rng.normal());
  const SobolIndices s = sobol_indices(y, 2, 1000, 11);
  EXPECT_NEAR(s.variance, v, 0.05 * v);
  EXPECT_NEAR(s.total[1], s2 / v, 4.0 * s.total_se[1]) << s.total[1];
  EXPECT_NEAR(s.total[0], 1.0, 4.0 * s.total_se[0]) << s.total[0];
  EXPECT_NEAR(s.first[0], v1 / v, 4.0 * s.first_se[0]) << s.first[0];
  EXPECT_NEAR(s.first[1], 0.0, 4.0 * s.first_se[1]) << s.first[1];
  EXPECT_GT(s.total_ci[1][0], 0.1);  // the inert parameter's floor is not a chance estimate
}

TEST(Sensitivity, RejectsMalformedInput) {
  EXPECT_THROW(sobol_indices(std::vector<double>(7, 1.0), 2), std::invalid_argument);
  EXPECT_THROW(sobol_indices(std::vector<double>(4, 1.0), 2), std::invalid_argument);  // N = 1
  std::vector<double> y(8, 1.0);
  y[3] = std::nan("");
  EXPECT_THROW(sobol_indices(y, 2), std::invalid_argument);
  const SobolIndices flat = sobol_indices(std::vector<double>(8, 1.0), 2, 10);
  EXPECT_TRUE(std::isnan(flat.first[0]));  // a constant output: no variance to apportion
}

// Grid main effects and interactions, on outputs whose decomposition is known by construction:
// a 2 x 3 full factorial with y = a + b (additive: no interaction; the main effects' shares are
// their sums of squares over the total, 1 : 2 here), and y = a XOR b on a 2 x 2 grid (no main
// effect at all, everything in the interaction).
TEST(Sensitivity, GridEffectsSplitAFactorialExactly) {
  std::vector<double> points, y;
  for (const double a : {0.0, 1.0}) {
    for (const double b : {0.0, 1.0, 2.0}) {
      points.insert(points.end(), {a, b});
      y.push_back(a + b);
    }
  }
  const sim::GridEffects g = sim::grid_effects(points, 2, y, 0.04);
  ASSERT_EQ(g.main.size(), 2u);
  ASSERT_EQ(g.main[1].levels.size(), 3u);
  EXPECT_DOUBLE_EQ(g.main[0].levels[1].mean - g.main[0].levels[0].mean, 1.0);
  EXPECT_DOUBLE_EQ(g.main[1].range, 2.0);
  // SS: total = sum (y - 1.5)^2 = 5.5; a: 6 x 0.25 = 1.5; b: 2 x (1 + 0 + 1) = 4.
  EXPECT_NEAR(g.main[0].share, 1.5 / 5.5, 1e-12);
  EXPECT_NEAR(g.main[1].share, 4.0 / 5.5, 1e-12);
  ASSERT_EQ(g.pairs.size(), 1u);
  EXPECT_NEAR(g.pairs[0].share, 0.0, 1e-12);
  EXPECT_NEAR(g.main[1].levels[0].se, std::sqrt(0.04 / 2.0), 1e-12);  // 2 points at b = 0

  const std::vector<double> square = {0, 0, 0, 1, 1, 0, 1, 1};
  const sim::GridEffects x = sim::grid_effects(square, 2, std::vector<double>{0, 1, 1, 0}, NAN);
  EXPECT_NEAR(x.main[0].share, 0.0, 1e-12);
  EXPECT_NEAR(x.main[1].share, 0.0, 1e-12);
  EXPECT_NEAR(x.pairs[0].share, 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(x.main[0].levels[0].se));
  EXPECT_THROW(sim::grid_effects(square, 2, std::vector<double>{0, 1, NAN, 0}, 0.0),
               std::invalid_argument);
}

// Standardized regression: y = 3 x1 + 0 x2 + 5 exactly gives SRC (1, 0) and R^2 = 1; with y
// = x1 + x2 over independent, equally spread x1 and x2 each SRC is 1/sqrt(2).
TEST(Sensitivity, StandardizedRegressionRecoversLinearShares) {
  std::vector<double> points, y1, y2;
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 5; ++j) {
      points.insert(points.end(), {static_cast<double>(i), static_cast<double>(j)});
      y1.push_back(3.0 * i + 5.0);
      y2.push_back(static_cast<double>(i + j));
    }
  }
  const sim::Regression r = sim::standardized_regression(points, 2, y1);
  EXPECT_NEAR(r.src[0], 1.0, 1e-12);
  EXPECT_NEAR(r.src[1], 0.0, 1e-12);
  EXPECT_NEAR(r.r2, 1.0, 1e-12);
  const sim::Regression s = sim::standardized_regression(points, 2, y2);
  EXPECT_NEAR(s.src[0], 1.0 / std::sqrt(2.0), 1e-12);
  EXPECT_NEAR(s.src[1], 1.0 / std::sqrt(2.0), 1e-12);
  EXPECT_THROW(sim::standardized_regression(points, 2, std::vector<double>(3, 1.0)),
               std::invalid_argument);
}

}  // namespace
}  // namespace attachsim::sim
