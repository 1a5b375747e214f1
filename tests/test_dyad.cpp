// Unit tests of one dyad's simulation: invariants, analytic special cases, and the promise that
// the per-event path allocates nothing.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <utility>
#include <vector>

#include "models/dyad.hpp"
#include "models/run.hpp"
#include "sim/config.hpp"
#include "tests/test_support.hpp"

// Counts heap allocations made while `g_count_allocations` is set (this test binary only).
namespace {
std::atomic<bool> g_count_allocations{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  if (g_count_allocations.load(std::memory_order_relaxed)) ++g_allocations;
  if (void* p = std::malloc(size ? size : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace attachsim::models {
namespace {

using testing::fixed_caregiver;

struct Rows {
  explicit Rows(std::int64_t n) : data(kNumMetrics, std::vector<float>(n)) {
    for (std::size_t m = 0; m < kNumMetrics; ++m) rows[m] = data[m].data();
  }
  std::vector<std::vector<float>> data;
  MetricRows rows{};
};

DyadSetup setup_for(const ChildParams& child, std::uint32_t dyad, std::int64_t records) {
  DyadSetup s;
  s.child = &child;
  s.seed = 99;
  s.dyad = dyad;
  s.n_records = records;
  s.record_stride_days = 7.0;
  return s;
}

TEST(Dyad, PerEventPathAllocatesNothing) {
  const ChildParams child = default_child_params();
  Rows out(52);
  const DyadSetup setup = setup_for(child, 0, 52);
  const CaregiverParams cg = fixed_caregiver();
  g_allocations = 0;
  g_count_allocations = true;
  const DyadCounters counters = simulate_dyad(setup, cg, out.rows);
  g_count_allocations = false;
  EXPECT_GT(counters.events, 10000u);  // a year of events really ran
  EXPECT_EQ(g_allocations.load(), 0);
}

// A day-care group of three children, each with a second parent and the shared carer: the
// group's few allocations (its dyads and their next-event table) happen once, so a year costs no
// more allocations than a week.
TEST(Dyad, DayCareGroupAllocatesPerGroupNotPerEvent) {
  const ChildParams child = default_child_params();
  CaregiverParams primary = fixed_caregiver();
  primary.presence = 0.3;
  std::array<FigureSetup, 2> figures{};
  figures[0].role = FigureRole::kParent;
  figures[0].caregiver = fixed_caregiver();
  figures[0].caregiver.presence = 0.3;
  figures[1].role = FigureRole::kDaycare;
  figures[1].weekdays = 5;
  figures[1].shared = true;
  figures[1].caregiver = fixed_caregiver();
  auto allocations = [&](std::int64_t records) {
    std::vector<Rows> out;
    std::vector<std::vector<float>> figure_rows(6, std::vector<float>(records));
    for (int i = 0; i < 3; ++i) out.emplace_back(records);
    GroupCarer carer;
    std::vector<DyadJob> jobs(3);
    for (std::size_t i = 0; i < 3; ++i) {
      jobs[i].setup = setup_for(child, static_cast<std::uint32_t>(i), records);
      jobs[i].setup.figures = figures;
      jobs[i].setup.carer = &carer;
      jobs[i].setup.group_member = static_cast<int>(i);
      jobs[i].caregiver = primary;
      jobs[i].rows = out[i].rows;
      jobs[i].assessments.figures[1] = {figure_rows[2 * i].data(), figure_rows[2 * i + 1].data()};
    }
    g_allocations = 0;
    g_count_allocations = true;
    simulate_group(jobs);
    g_count_allocations = false;
    EXPECT_GT(jobs[2].counters.events, static_cast<std::uint64_t>(records) * 200);
    EXPECT_GT(figure_rows[5].back(), 0.0f);  // the carer had the child for part of the week
    return g_allocations.load();
  };
  EXPECT_EQ(allocations(52), allocations(1));
}

TEST(Dyad, MetricsStayInTheirDomains) {
  const ChildParams child = default_child_params();
  const CaregiverParams cg = fixed_caregiver();
  for (std::uint32_t d = 0; d < 20; ++d) {
    Rows out(26);
    simulate_dyad(setup_for(child, d, 26), cg, out.rows);
    for (std::int64_t k = 0; k < 26; ++k) {
      for (const Metric m : {kTrust, kExpectedAvailability, kExpectedComfort, kRepairExpectation,
                             kFeltSecurity, kExploration, Metric::kDistress, kCaregiverPresence}) {
        const float v = out.data[m][k];
        ASSERT_GE(v, 0.0f) << kMetrics[m].name;
        ASSERT_LE(v, 1.0f) << kMetrics[m].name;
      }
      // trust is by definition expected availability x expected comfort (float rounding only)
      EXPECT_NEAR(out.data[kTrust][k],
                  out.data[kExpectedAvailability][k] * out.data[kExpectedComfort][k], 1e-6);
      EXPECT_GE(out.data[kRuptures][k], 0.0f);
      // At most one rupture awaits repair at a time, so an interval's repairs are its own ruptures
      // plus at most one carried over from the interval before.
      EXPECT_LE(out.data[kRepairs][k], out.data[kRuptures][k] + 1.0f);
    }
  }
}

TEST(Dyad, NoRupturesWithoutRuptureRateAndNoRepairsWithoutRepair) {
  const ChildParams child = default_child_params();
  CaregiverParams cg = fixed_caregiver();
  cg.rupture_rate = 0.0;
  Rows out(26);
  simulate_dyad(setup_for(child, 1, 26), cg, out.rows);
  for (std::int64_t k = 0; k < 26; ++k) EXPECT_EQ(out.data[kRuptures][k], 0.0f);
  cg = fixed_caregiver();
  cg.rupture_rate = 0.5;
  cg.repair_probability = 0.0;
  Rows out2(26);
  simulate_dyad(setup_for(child, 1, 26), cg, out2.rows);
  double ruptures = 0;
  for (std::int64_t k = 0; k < 26; ++k) {
    EXPECT_EQ(out2.data[kRepairs][k], 0.0f);
    ruptures += out2.data[kRuptures][k];
  }
  EXPECT_GT(ruptures, 100.0);  // 0.5/h over ~11 h/day for half a year: ~900 expected
}

TEST(Dyad, PresenceMatchesTheSchedule) {
  // presence p means away (1 - p) of waking time on 5 of 7 days: realized share 1 - (1 - p) 5/7
  // (exact when every day is equally long, hence constant waking hours).
  ChildParams child = default_child_params();
  child.awake_hours_newborn = child.awake_hours_older;
  CaregiverParams cg = fixed_caregiver();
  cg.presence = 0.4;
  Rows out(10);
  simulate_dyad(setup_for(child, 2, 10), cg, out.rows);
  for (std::int64_t k = 0; k < 10; ++k) {
    EXPECT_NEAR(out.data[kCaregiverPresence][k], 1.0 - 0.6 * 5.0 / 7.0, 1e-4);
  }
}

// Child parameters without development, so that rates are constant in time, and a child that
// always signals (signalling valued far above the alternatives, which are never tried and so stay
// at their innate -10; never mobile), so that the analytic cases below hold.
ChildParams constant_child() {
  ChildParams child = default_child_params();
  child.innate_signal = 10.0;
  child.innate_suppress = child.innate_escalate = child.innate_approach = -10.0;
  child.strategy_precision = 100.0;  // signal's value stays above -1: P(other) < exp(-900)
  child.approach_age_months = 72.0;
  child.distress_rate_newborn = child.distress_rate_older = 0.5;
  child.self_soothe_newborn = child.self_soothe_older = 12.0;
  child.awake_hours_newborn = child.awake_hours_older = 12.0;
  return child;
}

// Nobody ever responds: distress is an alternating renewal process of calm spells
// (Exp, mean 60/0.5 = 120 min) and distress spells (Exp, mean 12 min), so the mean episode lasts
// 12 minutes and the distress share is 12 / (120 + 12) = 0.0909. Checked over 100 dyads x 26
// weeks (~ 100 * 182 * 5.5 = 100,000 episodes): the sampling SE of the mean duration is
// 12 / sqrt(1e5) = 0.04 min; we allow 0.25 min (6 SE) plus the bias from episodes cut short at
// bedtime (P(an episode straddles bedtime) ~ 12/720 per day, so < 0.2% of episodes).
TEST(Dyad, UnansweredDistressFollowsTheRenewalProcess) {
  const ChildParams child = constant_child();
  CaregiverParams cg = fixed_caregiver();
  cg.responsiveness = 0.0;
  cg.rupture_rate = 0.0;
  cg.presence = 1.0;
  double soothe_sum = 0, share_sum = 0;
  int n = 0;
  for (std::uint32_t d = 0; d < 100; ++d) {
    Rows out(26);
    simulate_dyad(setup_for(child, d, 26), cg, out.rows);
    for (std::int64_t k = 0; k < 26; ++k) {
      soothe_sum += out.data[kTimeToSoothe][k];
      share_sum += out.data[Metric::kDistress][k];
      ++n;
    }
  }
  EXPECT_NEAR(soothe_sum / n, 12.0, 0.25);
  EXPECT_NEAR(share_sum / n, 12.0 / 132.0, 0.003);
}

// Mean expected availability after a year over 200 children of a caregiver always present and
// attending, answering a noticed bid with probability r, never rupturing, rebuffing or
// frightening, without history or stress effects (r is the experienced rate), arriving almost at
// once.
double learned_availability(const ChildParams& child, double r) {
  CaregiverParams cg = fixed_caregiver();
  cg.responsiveness = r;
  cg.presence = 1.0;
  cg.attention = 1.0;
  cg.consistency = 1.0;
  cg.rebuff = 0.0;
  cg.rupture_rate = 0.0;
  cg.frightening = 0.0;
  cg.history = 0.0;
  cg.burnout = 0.0;
  cg.response_latency = 0.05;
  double sum = 0;
  for (std::uint32_t d = 0; d < 200; ++d) {
    Rows out(52);
    simulate_dyad(setup_for(child, d, 52), cg, out.rows);
    sum += out.data[kExpectedAvailability][51];
  }
  return sum / 200;
}

// With a caregiver always present and attending, never rupturing or rebuffing, arriving almost
// at once, and a child that never calms alone, each episode ends the availability question with
// a response with probability 1 - (1 - r)^max_bids; with a fractional limit w + f (one more bid
// with probability f after the w-th), 1 - (1 - r)^w (1 - f r), which the truncated count w alone
// (1 - (1 - r)^w) misses by (1 - r)^w f r = 0.125 at r = 0.5, max_bids 1.5: eight times the
// tolerance. The learned expectation is a faded average of those outcomes over a neutral prior
// of 2 pseudo-experiences; after a year (~2,000 episodes, memory > 30 days = 165 episodes) the
// prior's pull is < 2/165 * 0.4 = 0.005, and the sampling sd of one child's estimate is about
// sqrt(p (1 - p) / 330) <= 0.03, so the mean over 200 children has SE ~0.002. Tolerance 0.015
// covers both with room.
TEST(Dyad, LearnedAvailabilityTracksExperiencedResponse) {
  ChildParams base = constant_child();
  base.self_soothe_newborn = base.self_soothe_older = 1e5;  // never calms alone
  base.availability_minutes = 0.0;  // ungraded: an answer teaches 1 whenever it comes
  for (const auto& [r, bids] : {std::pair{0.2, 3.0}, std::pair{0.5, 3.0}, std::pair{0.5, 1.5}}) {
    ChildParams child = base;
    child.max_bids = bids;
    const double whole = std::floor(bids);
    const double expected = 1.0 - std::pow(1.0 - r, whole) * (1.0 - (bids - whole) * r);
    EXPECT_NEAR(learned_availability(child, r), expected, 0.015)
        << "r = " << r << ", max_bids = " << bids;
  }
}

// The two variants of the availability rule (docs/model.md section 8), on learned_availability's
// caregiver at bid-answering rate r, and a child that calms alone after Exp(12 min) and never
// gives up in practice (20 bids, 3 minutes apart: it calms alone within 60 minutes with probability
// 1 - e^-5, and all 20 bids fail with probability 0.7^20 < 1e-3).
// * calm_alone_weight w: the k-th bid (at 3k minutes) is answered with probability r (1 - r)^k if
//   the child has not calmed by then, so P(answered) = r / (1 - (1 - r) e^(-3/12)) = 0.660 at
//   r = 0.3; the rest are calmed alone and count as failures of weight w, so the learned mean is
//   P / (P + w (1 - P)): 0.660 at w = 1, 0.795 at w = 0.5, and 1 at w = 0 (only answers are
//   recorded; the neutral prior's 2 pseudo-experiences against the ~300 faded answers of a
//   90-day memory, ~3.6 answers a day, pull it under 1 by about 0.003).
// * availability_minutes tau, a child that never calms alone and gives up after 3 bids: an answer
//   at the k-th bid teaches exp(-3k / tau), so the mean is r (1 + (1 - r) e^(-3/tau) +
//   (1 - r)^2 e^(-6/tau)) = 0.609 at r = 0.5, tau = 3 (ungraded: 0.875).
// The sampling and prior arguments of LearnedAvailabilityTracksExperiencedResponse hold (each
// child's faded count is at least ~100 episodes, the mean over 200 children has an SE ~0.003), so
// the tolerance is the same 0.015; each case differs from the rule without the variant by > 0.1.
TEST(Dyad, AvailabilityRuleVariantsTeachWhatSectionEightSays) {
  struct Case {
    double r, max_bids, calm_alone_weight, availability_minutes, self_soothe, expected;
  };
  const double q = 0.7 * std::exp(-3.0 / 12.0);
  const double p = 0.3 / (1.0 - q);
  const double graded = 0.5 * (1.0 + 0.5 * std::exp(-1.0) + 0.25 * std::exp(-2.0));
  for (const Case& c :
       {Case{0.3, 20.0, 1.0, 0.0, 12.0, p},
        Case{0.3, 20.0, 0.5, 0.0, 12.0, p / (p + 0.5 * (1.0 - p))},
        Case{0.3, 20.0, 0.0, 0.0, 12.0, 1.0}, Case{0.5, 3.0, 0.0, 3.0, 1e5, graded}}) {
    ChildParams child = constant_child();
    child.self_soothe_newborn = child.self_soothe_older = c.self_soothe;
    child.max_bids = c.max_bids;
    child.calm_alone_weight = c.calm_alone_weight;
    child.availability_minutes = c.availability_minutes;
    EXPECT_NEAR(learned_availability(child, c.r), c.expected, 0.015)
        << "r = " << c.r << ", calm_alone_weight = " << c.calm_alone_weight
        << ", availability_minutes = " << c.availability_minutes;
  }
}

}  // namespace
}  // namespace attachsim::models
