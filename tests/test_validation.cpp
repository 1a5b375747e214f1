// Validation: the model's qualitative behaviour, each expectation argued from the mechanism and
// checked with a margin set by sampling error. N and the margins are stated next to each test.
#include <gtest/gtest.h>

#include <cmath>

#include "models/metrics.hpp"
#include "models/run.hpp"
#include "sim/config.hpp"

namespace attachsim {
namespace {

struct Estimate {
  double mean = 0.0;
  double se = 0.0;  // standard error of the mean over dyads
};

// Mean and standard error over dyads of `metric` at the last record.
Estimate at_end(const sim::ArmResult& arm, models::Metric metric) {
  const std::size_t last = arm.metrics.n_records() - 1;
  double sum = 0.0, sum2 = 0.0;
  std::size_t n = 0;
  for (std::size_t d = 0; d < arm.metrics.n_dyads(); ++d) {
    const double v = arm.metrics.row(metric, d)[last];
    if (std::isnan(v)) continue;
    sum += v;
    sum2 += v * v;
    ++n;
  }
  const double mean = sum / static_cast<double>(n);
  const double var = (sum2 - static_cast<double>(n) * mean * mean) / static_cast<double>(n - 1);
  return {mean, std::sqrt(var / static_cast<double>(n))};
}

// z statistic of a - b.
double z_of(const Estimate& a, const Estimate& b) {
  return (a.mean - b.mean) / std::sqrt(a.se * a.se + b.se * b.se);
}

// Runs every arm of a scenario given as TOML; 400 dyads per arm over 12 months unless the text
// says otherwise.
std::vector<sim::ArmResult> run(const std::string& arms_toml, int dyads = 400) {
  const std::string text =
      "[scenario]\nname = \"validation\"\nseed = 2024\ndyads = " + std::to_string(dyads) +
      "\nmonths = 12\n" + arms_toml;
  const auto spec = models::scenario_from_toml(sim::load_toml_text(text, "v.toml"), "v.toml");
  std::vector<sim::ArmResult> out;
  for (std::size_t a = 0; a < spec.arms.size(); ++a) out.push_back(models::run_arm(spec, a, {}));
  return out;
}

// Responsiveness 0.9 vs 0.2 (sd 0.05), N = 400 per arm. In the model a bid-answering probability
// r gives availability ~ 1 - (1 - r)^3 per episode: ~0.49 vs ~1.0 before attention and ruptures,
// so the trust gap should be large (> 0.15) and, with per-dyad sd ~0.1, its SE is ~0.007: we
// require z > 10 as well, far beyond chance (p < 1e-20) yet far below the expected z (~40).
TEST(Validation, TrustRisesWithResponsiveness) {
  const auto arms = run(R"(
[[arm]]
name = "high"
population.responsiveness = { mean = 0.9, sd = 0.05 }
[[arm]]
name = "low"
population.responsiveness = { mean = 0.2, sd = 0.05 }
)");
  const Estimate high = at_end(arms[0], models::kTrust);
  const Estimate low = at_end(arms[1], models::kTrust);
  EXPECT_GT(high.mean - low.mean, 0.15) << high.mean << " vs " << low.mean;
  EXPECT_GT(z_of(high, low), 10.0);
  // The same children explore more (secure base) and are distressed for less of the day.
  EXPECT_GT(z_of(at_end(arms[0], models::kExploration), at_end(arms[1], models::kExploration)),
            5.0);
  EXPECT_GT(z_of(at_end(arms[1], models::kTimeToSoothe), at_end(arms[0], models::kTimeToSoothe)),
            5.0);
}

// Same rupture rate (0.2/h, high so the effect is visible within a year), repair probability 0.9
// vs 0. A repair counts as comfort and lifts the unrepaired-rupture weight on felt security, so
// both trust and felt security must be higher with repair; z > 5 (p < 3e-7) at N = 400.
TEST(Validation, RepairProtectsTrustAndFeltSecurity) {
  const auto arms = run(R"(
[population]
rupture_rate = { mean = 0.2, sd = 0.05 }
[[arm]]
name = "repair"
population.repair_probability = { mean = 0.9, sd = 0.05 }
[[arm]]
name = "no-repair"
population.repair_probability = 0.0
)");
  EXPECT_GT(z_of(at_end(arms[0], models::kTrust), at_end(arms[1], models::kTrust)), 5.0);
  EXPECT_GT(z_of(at_end(arms[0], models::kFeltSecurity), at_end(arms[1], models::kFeltSecurity)),
            5.0);
  // The rupture rate is the same: ruptures per week must agree within sampling error (|z| < 4).
  EXPECT_LT(std::abs(z_of(at_end(arms[0], models::kRuptures), at_end(arms[1], models::kRuptures))),
            4.0);
}

// Consistency 1 vs 0 at the same mean responsiveness 0.5: day-to-day swings of 2 logits spread
// daily responsiveness over roughly 0.15-0.85, and availability 1 - (1 - r)^3 is concave in r, so
// by Jensen's inequality the inconsistent caregiver is, on average, less available. z > 5, N = 400.
TEST(Validation, InconsistencyLowersTrust) {
  const auto arms = run(R"(
[population]
responsiveness = 0.5
[[arm]]
name = "consistent"
population.consistency = 1.0
[[arm]]
name = "inconsistent"
population.consistency = 0.0
)");
  EXPECT_GT(z_of(at_end(arms[0], models::kExpectedAvailability),
                 at_end(arms[1], models::kExpectedAvailability)),
            5.0);
}

// Good enough: security saturates well before perfect responsiveness. With r fixed at 0.2, 0.6
// and 1.0, the availability mechanism alone predicts gains of 0.45 (0.2 -> 0.6) and 0.06
// (0.6 -> 1.0). We require the second gain in trust to be under half the first: a model where
// only perfect care gave security would fail. SEs are ~0.005 per arm at N = 400, so sampling
// noise cannot move the ratio across 0.5 when the gains are as predicted.
TEST(Validation, SecuritySaturatesBeforePerfectResponsiveness) {
  const auto arms = run(R"(
[[arm]]
name = "r02"
population.responsiveness = 0.2
[[arm]]
name = "r06"
population.responsiveness = 0.6
[[arm]]
name = "r10"
population.responsiveness = 1.0
)");
  const double t02 = at_end(arms[0], models::kTrust).mean;
  const double t06 = at_end(arms[1], models::kTrust).mean;
  const double t10 = at_end(arms[2], models::kTrust).mean;
  EXPECT_GT(t06 - t02, 0.1);
  EXPECT_LT(t10 - t06, 0.5 * (t06 - t02)) << t02 << " " << t06 << " " << t10;
  const double f02 = at_end(arms[0], models::kFeltSecurity).mean;
  const double f06 = at_end(arms[1], models::kFeltSecurity).mean;
  const double f10 = at_end(arms[2], models::kFeltSecurity).mean;
  EXPECT_LT(f10 - f06, 0.5 * (f06 - f02)) << f02 << " " << f06 << " " << f10;
}

// Rebuffing: a caregiver who answers but rebuffs half the time teaches low expected comfort while
// availability stays high (the response still comes). z > 5 both ways, N = 400.
TEST(Validation, RebuffLowersExpectedComfortNotAvailability) {
  const auto arms = run(R"(
[[arm]]
name = "warm"
population.rebuff = 0.05
[[arm]]
name = "rebuffing"
population.rebuff = 0.5
)");
  EXPECT_GT(
      z_of(at_end(arms[0], models::kExpectedComfort), at_end(arms[1], models::kExpectedComfort)),
      5.0);
  // Availability differs only through second-order paths: |difference| < 0.05.
  EXPECT_LT(std::abs(at_end(arms[0], models::kExpectedAvailability).mean -
                     at_end(arms[1], models::kExpectedAvailability).mean),
            0.05);
}

}  // namespace
}  // namespace attachsim
