#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sim/rng.hpp"

namespace attachsim::sim {
namespace {

TEST(Rng, SameKeySameSequence) {
  Rng a(42, 1, 7, StreamPurpose::kEvents);
  Rng b(42, 1, 7, StreamPurpose::kEvents);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next_u32(), b.next_u32());
}

TEST(Rng, EveryKeyComponentChangesTheSequence) {
  auto first = [](Rng r) {
    std::vector<std::uint32_t> v;
    for (int i = 0; i < 8; ++i) v.push_back(r.next_u32());
    return v;
  };
  const auto base = first(Rng(42, 1, 7, StreamPurpose::kEvents));
  EXPECT_NE(base, first(Rng(43, 1, 7, StreamPurpose::kEvents)));
  EXPECT_NE(base,
            first(Rng(42ull | (1ull << 40), 1, 7, StreamPurpose::kEvents)));  // high seed bits
  EXPECT_NE(base, first(Rng(42, 2, 7, StreamPurpose::kEvents)));
  EXPECT_NE(base, first(Rng(42, 1, 8, StreamPurpose::kEvents)));
  EXPECT_NE(base, first(Rng(42, 1, 7, StreamPurpose::kDaily)));
}

TEST(Rng, PhiloxKnownAnswer) {
  // Random123's published known-answer vector for philox4x32-10 (kat_vectors):
  // ctr = key = 0 gives 6627e8d5 e169c58d bc57ac4c 9b00dbd8. Our stream with seed 0, arm 0,
  // dyad 0 and purpose 0 uses exactly that counter and key for its first block.
  Rng r(0, 0, 0, static_cast<StreamPurpose>(0));
  EXPECT_EQ(r.next_u32(), 0x6627e8d5u);
  EXPECT_EQ(r.next_u32(), 0xe169c58du);
  EXPECT_EQ(r.next_u32(), 0xbc57ac4cu);
  EXPECT_EQ(r.next_u32(), 0x9b00dbd8u);
}

// Moments of the derived distributions, each within 5 standard errors for n = 200,000 draws
// (a false failure has probability < 1e-6 per check).
constexpr int kN = 200000;

TEST(Rng, UniformMomentsAndRange) {
  Rng r(1, 0, 0, StreamPurpose::kEvents);
  double sum = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double u = r.uniform();
    ASSERT_GT(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  const double se = std::sqrt(1.0 / 12.0 / kN);
  EXPECT_NEAR(sum / kN, 0.5, 5 * se);
}

TEST(Rng, ExponentialMean) {
  Rng r(2, 0, 0, StreamPurpose::kEvents);
  double sum = 0.0;
  for (int i = 0; i < kN; ++i) sum += r.exponential(0.25);
  const double se = 4.0 / std::sqrt(kN);  // sd of Exp(rate) = mean = 4
  EXPECT_NEAR(sum / kN, 4.0, 5 * se);
}

TEST(Rng, NormalMoments) {
  Rng r(3, 0, 0, StreamPurpose::kEvents);
  double sum = 0.0, sum2 = 0.0;
  for (int i = 0; i < kN; ++i) {
    const double x = r.normal();
    sum += x;
    sum2 += x * x;
  }
  EXPECT_NEAR(sum / kN, 0.0, 5 / std::sqrt(kN));
  EXPECT_NEAR(sum2 / kN, 1.0, 5 * std::sqrt(2.0 / kN));  // var of x^2 is 2
}

TEST(Rng, BetaAndGammaMeans) {
  Rng r(4, 0, 0, StreamPurpose::kEvents);
  const double a = 2.0, b = 5.0;
  const double mean = a / (a + b);
  const double var = a * b / ((a + b) * (a + b) * (a + b + 1));
  double sum = 0.0, gsum = 0.0;
  for (int i = 0; i < kN; ++i) {
    sum += r.beta(a, b);
    gsum += r.gamma(0.5);  // shape < 1 path: mean 0.5, variance 0.5
  }
  EXPECT_NEAR(sum / kN, mean, 5 * std::sqrt(var / kN));
  EXPECT_NEAR(gsum / kN, 0.5, 5 * std::sqrt(0.5 / kN));
}

}  // namespace
}  // namespace attachsim::sim
