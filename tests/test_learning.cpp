// The value types the dyad is built from (models/learning.hpp, age_curves.hpp, caregiving.hpp,
// interval_totals.hpp), each against values worked out by hand from docs/model.md's equations.
// Tolerances: 1e-12 where the only error is rounding (a few operations on doubles and sim::exp,
// within 1 ulp); looser bounds are argued where they appear.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "models/age_curves.hpp"
#include "models/caregiving.hpp"
#include "models/interval_totals.hpp"
#include "models/learning.hpp"
#include "models/parameters.hpp"
#include "sim/rng.hpp"
#include "tests/test_support.hpp"

namespace attachsim::models {
namespace {

constexpr double kTight = 1e-12;

using testing::fixed_caregiver;

TEST(Belief, EvidenceHalvesAfterMemoryTimesLn2) {
  const double tau = 1000.0;
  Belief b;
  b.observe(0.0, tau, 1.0, 1.0);                      // a success at t = 0
  b.observe(tau * std::numbers::ln2, tau, 0.0, 1.0);  // a failure when the success weighs 1/2
  EXPECT_NEAR(b.successes, 0.5, kTight);
  EXPECT_NEAR(b.failures, 1.0, kTight);
  // Over a prior of 2 pseudo-experiences at 1/2: (0.5 + 1) / (1.5 + 2).
  EXPECT_NEAR(b.mean(2.0), 1.5 / 3.5, kTight);
  // Fear's prior expects no fright: (0.5 + 0) / (1.5 + 2).
  EXPECT_NEAR(b.mean(2.0, 0.0), 0.5 / 3.5, kTight);
}

TEST(Belief, TinyIntervalsFadeAsTheExponential) {
  // decay's Taylor branch (x < 0.03) against the exponential: its first omitted term is
  // x^5 / 120 < 2.1e-10 at x = 0.03.
  for (const double x : {0.0, 1e-6, 0.001, 0.01, 0.0299}) {
    EXPECT_NEAR(decay(x), std::exp(-x), 2.1e-10) << x;
  }
  EXPECT_EQ(decay(0.0), 1.0);
  EXPECT_NEAR(decay(2.0), std::exp(-2.0), kTight);
}

TEST(StrategyValue, IsAFadedMeanThatDriftsBackToItsInnateValue) {
  const double tau = 500.0;
  StrategyValue v;
  v.observe(0.0, tau, 1.0);
  v.observe(0.0, tau, 0.0);
  // Two episodes (rewards 1 and 0) over 2 pseudo-episodes at innate 0.3: (1 + 0.6) / (2 + 2).
  EXPECT_NEAR(v.mean(0.0, tau, 2.0, 0.3), 1.6 / 4.0, kTight);
  // After 40 time constants the evidence (e^-40 ~ 4e-18) is gone: back to innate.
  EXPECT_NEAR(v.mean(40.0 * tau, tau, 2.0, 0.3), 0.3, kTight);
}

TEST(StrategyLearner, SoftmaxOverTheAvailableStrategies) {
  StrategyLearner s;
  s.q = {0.0, 0.1, 0.1, 0.5};
  s.update_propensities(12.0, kApproach);  // not yet mobile: approach unavailable
  const double w = std::exp(12.0 * -0.1);  // suppress's weight against the two best at 1
  EXPECT_NEAR(s.p[kSuppress], w / (w + 2.0), kTight);
  EXPECT_NEAR(s.p[kSignal], 1.0 / (w + 2.0), kTight);
  EXPECT_NEAR(s.p[kEscalate], 1.0 / (w + 2.0), kTight);
  EXPECT_EQ(s.p[kApproach], 0.0);
  EXPECT_EQ(s.organised(kApproach), kSignal);  // ties go to the first
  EXPECT_EQ(s.organised(kNumStrategies), kApproach);
  s.update_propensities(0.0, kNumStrategies);  // no precision: uniform
  for (const double p : s.p) EXPECT_NEAR(p, 0.25, kTight);
}

TEST(StrategyLearner, LearnsTheMeanRewardOfAStrategy) {
  StrategyLearner s;
  const std::array<double, kNumStrategies> innate = {0.0, 0.3, 0.1, 0.3};
  for (int i = 0; i < 8; ++i) s.learn(kSuppress, 0.0, 1000.0, 0.6);
  s.refresh(0.0, 1000.0, 2.0, innate);
  EXPECT_NEAR(s.q[kSuppress], (8 * 0.6 + 2 * 0.0) / 10.0, kTight);  // over the innate prior
  EXPECT_NEAR(s.q[kSignal], 0.3, kTight);                           // unused: innate
  EXPECT_EQ(s.organised(kApproach), kSuppress);
}

TEST(AgeProfile, MovesFromNewbornToOlderValues) {
  const ChildParams c = default_child_params();
  const AgeProfile newborn = age_profile(c, 0.0);
  // The distress rate keeps its early value through the first weeks (docs/model.md section 2):
  // at birth the logistic ramp centred at distress_decline_months (0.5-month scale) has risen by
  // 1 / (1 + e^(2 decline)), about 1% at the default 2.25 months.
  const double at_birth = 1.0 / (1.0 + std::exp(2.0 * c.distress_decline_months));
  EXPECT_NEAR(
      newborn.distress_rate,
      (c.distress_rate_newborn - (c.distress_rate_newborn - c.distress_rate_older) * at_birth) /
          60.0,
      kTight);
  EXPECT_NEAR(newborn.self_soothe_minutes, c.self_soothe_newborn, kTight);
  EXPECT_NEAR(newborn.awake_minutes, c.awake_hours_newborn * 60.0, kTight);
  EXPECT_NEAR(newborn.memory_minutes, c.memory_days_newborn * 1440.0, kTight);
  EXPECT_FALSE(newborn.mobile);
  // Ten years on, exp(-120 / development_months) is below 1e-30: the older values.
  const AgeProfile older = age_profile(c, 3652.5);
  EXPECT_NEAR(older.self_soothe_minutes, c.self_soothe_older, kTight);
  EXPECT_NEAR(older.distress_rate, c.distress_rate_older / 60.0, kTight);
  EXPECT_NEAR(older.explore_max, c.explore_max_older, kTight);
  EXPECT_NEAR(older.felt_security_tau, c.felt_security_days * c.awake_hours_older * 60.0, 1e-9);
  EXPECT_NEAR(older.memory_minutes,
              (c.memory_days_newborn + c.memory_days_per_year * 10.0) * 1440.0, 1e-6);
  EXPECT_TRUE(older.mobile);
  // Halfway in development time: the midpoint weighted by e^-1.
  const double days = c.development_months * 365.25 / 12.0;
  const double e = std::exp(-1.0);
  EXPECT_NEAR(age_profile(c, days).self_soothe_minutes,
              c.self_soothe_older + (c.self_soothe_newborn - c.self_soothe_older) * e, 1e-9);
  // At distress_decline_months the distress rate is halfway between its early and older values
  // (the ramp's midpoint), and it falls on either side of it.
  const double decline_days = c.distress_decline_months * 365.25 / 12.0;
  EXPECT_NEAR(age_profile(c, decline_days).distress_rate,
              0.5 * (c.distress_rate_newborn + c.distress_rate_older) / 60.0, 1e-12);
  EXPECT_GT(age_profile(c, decline_days - 30.0).distress_rate,
            age_profile(c, decline_days).distress_rate);
  EXPECT_GT(age_profile(c, decline_days).distress_rate,
            age_profile(c, decline_days + 30.0).distress_rate);
}

// The dyad carries a calm child's caregiver's attention forward with p_attending_after instead of
// simulating every spell. Independent check: simulate the alternating exponential spells
// themselves (distracted mean d, attending mean d a / (1 - a)) from a known state and count how
// often the figure attends t minutes later. 40,000 runs: the binomial SE is at most .0025, so
// 4 SE = .01.
TEST(Caregiving, AttentionCarriedForwardMatchesTheSpells) {
  sim::Rng rng(7, 0, 0, sim::StreamPurpose::kEvents);
  constexpr int kRuns = 40000;
  for (const double a : {0.3, 0.75}) {
    const double d = 8.0;
    for (const bool start : {true, false}) {
      for (const double t : {2.0, 10.0, 60.0}) {
        int attending = 0;
        for (int i = 0; i < kRuns; ++i) {
          bool state = start;
          double clock = 0.0;
          for (;;) {
            clock += rng.exponential(1.0 / (state ? d * a / (1.0 - a) : d));
            if (clock > t) break;
            state = !state;
          }
          attending += state ? 1 : 0;
        }
        EXPECT_NEAR(static_cast<double>(attending) / kRuns, p_attending_after(start, a, d, t), 0.01)
            << "a " << a << ", from " << (start ? "attending" : "distracted") << ", t " << t;
      }
    }
    // Long after, the share of time attending, whatever the start.
    EXPECT_NEAR(p_attending_after(true, a, d, 1e4), a, 1e-12);
    EXPECT_NEAR(p_attending_after(false, a, d, 1e4), a, 1e-12);
  }
  EXPECT_EQ(p_attending_after(false, 1.0, 8.0, 0.0), 1.0);   // never distracted
  EXPECT_EQ(p_attending_after(true, 0.0, 8.0, 100.0), 0.0);  // never attending
}

TEST(Caregiving, ConsistentCaregiverHasTheSameDayEveryDay) {
  CaregiverParams cg = fixed_caregiver();
  cg.consistency = 1.0;
  cg.history = 0.0;
  for (const double z : {-2.0, 0.0, 2.5}) {
    const DayCaregiving d = plan_day(cg, 0.0, z, 2.0);
    EXPECT_NEAR(d.responsiveness, cg.responsiveness, 1e-15);  // logit and back: rounding only
    EXPECT_NEAR(d.good_day_responsiveness, cg.responsiveness, 1e-15);
    EXPECT_NEAR(d.attention, cg.attention, 1e-15);
    EXPECT_EQ(d.rebuff, cg.rebuff);
    EXPECT_EQ(d.frightening, cg.frightening);
  }
}

TEST(Caregiving, HistoryAndSwingFollowTheDocumentedEquations) {
  CaregiverParams cg = fixed_caregiver();
  cg.history = 1.0;
  cg.reflection = 0.0;
  cg.consistency = 0.5;
  cg.history_consistency = 0.0;
  cg.history_responsiveness = 0.2;
  cg.history_rebuff = 0.4;
  cg.history_frightening = 0.1;
  const DayCaregiving d = plan_day(cg, 0.0, 1.0, 2.0);
  EXPECT_NEAR(d.rebuff, cg.rebuff + (1.0 - cg.rebuff) * 0.4, kTight);
  EXPECT_NEAR(d.frightening, std::min(1.0, cg.frightening + 0.1), kTight);
  const double r = cg.responsiveness * 0.8;
  auto logit = [](double p) { return std::log(p / (1.0 - p)); };
  // Swing (1 - 0.5) x 2 = 1 logit per unit of z; the good day is escalate_pull = 2 units up.
  EXPECT_NEAR(logit(d.responsiveness), logit(r) + 1.0, 1e-12);
  EXPECT_NEAR(logit(d.good_day_responsiveness), logit(r) + 2.0, 1e-12);
  EXPECT_NEAR(logit(d.attention), logit(cg.attention) + 1.0, 1e-12);
  // Rebuffs rise only in a dismissing caregiver: insecure (history above history_insecure) and
  // leaning dismissing (dismissing above 0.5). A preoccupied one rebuffs at its own rate.
  cg.history_insecure = 0.6;
  cg.dismissing = 0.4;
  EXPECT_EQ(plan_day(cg, 0.0, 1.0, 2.0).rebuff, cg.rebuff);
  cg.dismissing = 0.9;
  EXPECT_NEAR(plan_day(cg, 0.0, 1.0, 2.0).rebuff, cg.rebuff + (1.0 - cg.rebuff) * 0.4, kTight);
  // Reflection softens the history: after a year at reflection ln 2, half of it (frightening
  // scales with its square); at 0.5, below history_insecure, the caregiver no longer counts as
  // dismissing and its rebuffs fall back to its own rate.
  cg.reflection = std::numbers::ln2;
  const DayCaregiving later = plan_day(cg, 365.25 * 1440.0, 0.0, 2.0);
  EXPECT_NEAR(later.frightening, std::min(1.0, cg.frightening + 0.1 * 0.25), kTight);
  EXPECT_EQ(later.rebuff, cg.rebuff);
}

TEST(Caregiving, StressBuildsWithCareAndRecoversWithSupport) {
  CaregiverParams cg = fixed_caregiver();
  cg.stress_load = 0.2;
  cg.support = 0.5;
  cg.stress_recovery = 8.0;
  cg.burnout = 0.7;
  EXPECT_NEAR(care_stress(cg, 60.0, false), 0.2 * 0.75, kTight);  // an hour, calm child
  EXPECT_NEAR(care_stress(cg, 60.0, true), 3 * 0.2 * 0.75, kTight);
  EXPECT_NEAR(escalation_stress(cg), 0.5 * 0.2 * 0.75, kTight);
  // Recovery time constant 8 h / (1 + 2 x 0.5) = 4 h.
  EXPECT_NEAR(stress_recovery(cg, 4 * 60.0), std::exp(-1.0), kTight);
  EXPECT_EQ(under_stress(0.8, cg, 0.0), 0.8);
  EXPECT_NEAR(under_stress(0.8, cg, 1.0), 0.8 * (1.0 - 0.7 * 0.5), kTight);
}

TEST(IntervalTotals, SharesOfWakingTime) {
  IntervalTotals t;
  EXPECT_TRUE(std::isnan(t.share(0.0)));  // no waking time: not a share
  EXPECT_TRUE(std::isnan(t.mean_time_to_soothe()));
  t.awake_minutes = 600.0;
  t.distress_minutes = 60.0;
  t.episodes = 4;
  t.soothe_minutes = 30.0;
  EXPECT_DOUBLE_EQ(t.share(t.distress_minutes), 0.1);
  EXPECT_DOUBLE_EQ(t.mean_time_to_soothe(), 7.5);
}

}  // namespace
}  // namespace attachsim::models
