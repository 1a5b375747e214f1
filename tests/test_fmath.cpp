#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "sim/fmath.hpp"
#include "sim/rng.hpp"

namespace attachsim::sim {
namespace {

// Distance in units in the last place between two finite doubles of the same sign.
std::int64_t ulps(double a, double b) {
  const auto ia = std::bit_cast<std::int64_t>(a);
  const auto ib = std::bit_cast<std::int64_t>(b);
  return ia > ib ? ia - ib : ib - ia;
}

// The largest distance in ulps between f and the library's g over the arguments `each` offers,
// and where it was.
template <class F, class G, class Each>
std::pair<std::int64_t, double> worst_ulps(F f, G g, Each each) {
  std::pair<std::int64_t, double> worst{0, 0.0};
  each([&](double x) {
    const std::int64_t d = ulps(f(x), g(x));
    if (d > worst.first) worst = {d, x};
  });
  return worst;
}

// sim::exp's error is below about 0.52 ulp (sim/fmath.hpp) and glibc's exp, the reference here,
// is below 0.51 ulp; two results that close to the exact value are at most 1 ulp apart.
TEST(Fmath, ExpWithinOneUlpOfTheLibraryOverItsWholeRange) {
  Rng r(11, 0, 0, StreamPurpose::kEvents);
  const auto [worst, at] =
      worst_ulps([](double x) { return sim::exp(x); }, [](double x) { return std::exp(x); },
                 [&](auto check) {
                   for (int i = 0; i < 2'000'000; ++i)
                     check(-708.0 + 1417.7 * r.uniform());  // normal
                   for (int i = 0; i < 1'000'000; ++i)
                     check(-0.1 + 0.2 * r.uniform());  // the decays
                   for (int k = -708 * 64; k <= 709 * 64; ++k)
                     check(k * (std::log(2.0) / 64));  // edges
                 });
  EXPECT_LE(worst, 1) << "at x = " << at;
}

// Below 2^-1000 the result is rounded twice (sim/fmath.hpp): one more unit of the subnormal.
TEST(Fmath, ExpSubnormalResultsWithinTwoUlps) {
  Rng r(12, 0, 0, StreamPurpose::kEvents);
  for (int i = 0; i < 200'000; ++i) {
    const double x = -745.0 + 37.0 * r.uniform();
    ASSERT_LE(ulps(sim::exp(x), std::exp(x)), 2) << "at x = " << x;
  }
}

TEST(Fmath, ExpSpecialValues) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sim::exp(0.0), 1.0);  // exactly: the softmax relies on e^0 = 1
  EXPECT_EQ(sim::exp(-0.0), 1.0);
  EXPECT_EQ(sim::exp(inf), inf);
  EXPECT_EQ(sim::exp(-inf), 0.0);
  EXPECT_EQ(sim::exp(710.0), inf);
  EXPECT_EQ(sim::exp(-746.0), 0.0);
  EXPECT_TRUE(std::isnan(sim::exp(std::numeric_limits<double>::quiet_NaN())));
  EXPECT_EQ(sim::exp(1.0), std::exp(1.0));        // e, correctly rounded
  EXPECT_EQ(sim::exp(709.78), std::exp(709.78));  // 2^1024 > e^709.78 > 2^1023
  EXPECT_EQ(sim::exp(709.7827128933839), std::exp(709.7827128933839));  // just below DBL_MAX
}

// FDLIBM's log is within 1 ulp of the exact value and glibc's within 0.52: at most 1 ulp apart.
TEST(Fmath, LogWithinOneUlpOfTheLibrary) {
  Rng r(14, 0, 0, StreamPurpose::kEvents);
  const auto [worst, at] = worst_ulps(
      [](double x) { return sim::log(x); }, [](double x) { return std::log(x); },
      [&](auto check) {
        for (int i = 0; i < 1'000'000; ++i) check(r.uniform());        // the draws' u
        for (int i = 0; i < 1'000'000; ++i) check(0.5 + r.uniform());  // around 1
        for (int i = 0; i < 1'000'000; ++i) {
          check(std::ldexp(1.0 + r.uniform(), static_cast<int>(r.next_u32() % 2000) - 1000));
        }
        for (int i = 0; i < 1000; ++i) check(std::ldexp(1.0 + r.uniform(), -1060));  // subnormal
      });
  EXPECT_LE(worst, 1) << "at x = " << at;
  constexpr double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(sim::log(1.0), 0.0);
  EXPECT_EQ(sim::log(0.0), -inf);
  EXPECT_EQ(sim::log(inf), inf);
  EXPECT_TRUE(std::isnan(sim::log(-1.0)));
  EXPECT_TRUE(std::isnan(sim::log(std::numeric_limits<double>::quiet_NaN())));
}

// Goldberg's log1p: a few roundings on top of log's ulp; 2 ulp against glibc's (< 1 ulp).
TEST(Fmath, Log1pWithinTwoUlpsOfTheLibrary) {
  Rng r(15, 0, 0, StreamPurpose::kEvents);
  for (int i = 0; i < 500'000; ++i) {
    const double x = std::ldexp(r.uniform(), -static_cast<int>(r.next_u32() % 60));
    ASSERT_LE(ulps(sim::log1p(x), std::log1p(x)), 2) << "at x = " << x;
  }
  EXPECT_EQ(sim::log1p(0.0), 0.0);
  EXPECT_EQ(sim::log1p(1e-300), 1e-300);
}

// cos(2 pi u) against long double (64-bit significand, its own error ~1e-19 relative). The
// reference reduces exactly as sim::cos_2pi does (u = q/4 + w, w exact): near the zeros of cos,
// cos(2 pi u) computed directly in long double carries the rounding of 2 pi u (~1e-19 absolute),
// larger than an ulp of a result of 1e-9. Against that, sim::cos_2pi's angle carries one rounding
// (<= 0.6 ulp in the result) and the series' evaluation about one more. The quadrant logic is
// checked against std::cos directly, to an absolute 1e-15.
TEST(Fmath, Cos2PiWithinTwoUlpsOfLongDouble) {
  Rng r(16, 0, 0, StreamPurpose::kEvents);
  const long double two_pi = 6.283185307179586476925286766559005768L;
  double worst = 0.0;
  for (int i = 0; i < 1'000'000; ++i) {
    const double u = r.uniform();
    const double q = std::nearbyint(4.0 * u);
    const long double a = two_pi * static_cast<long double>(u - 0.25 * q);
    const long double quadrant[4] = {std::cos(a), -std::sin(a), -std::cos(a), std::sin(a)};
    const auto ref = static_cast<double>(quadrant[static_cast<int>(q) & 3]);
    const double ulp = std::nextafter(std::fabs(ref), 1.0 / 0.0) - std::fabs(ref);
    worst = std::max(worst, std::fabs(sim::cos_2pi(u) - ref) / ulp);
    ASSERT_NEAR(sim::cos_2pi(u), std::cos(6.283185307179586 * u), 1e-15) << u;
  }
  EXPECT_LE(worst, 2.0);
  EXPECT_EQ(sim::cos_2pi(0.0), 1.0);
  EXPECT_EQ(sim::cos_2pi(0.5), -1.0);
  EXPECT_EQ(sim::cos_2pi(1.0), 1.0);
  EXPECT_EQ(sim::cos_2pi(0.25), -0.0);
}

// The ziggurat sampler against the exponential distribution. Kolmogorov-Smirnov over 10^6 draws:
// P(D > d) <= 2 exp(-2 n d^2), so d = 0.0027 fails a correct sampler with probability < 10^-6.
TEST(Fmath, ZigguratExponentialFollowsTheExponentialDistribution) {
  constexpr int n = 1'000'000;
  Rng r(13, 0, 0, StreamPurpose::kEvents);
  std::vector<double> x(n);
  for (double& v : x) v = r.standard_exponential();
  std::sort(x.begin(), x.end());
  double d = 0.0;
  for (int i = 0; i < n; ++i) {
    const double cdf = 1.0 - std::exp(-x[static_cast<std::size_t>(i)]);
    d = std::max({d, cdf - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - cdf});
  }
  EXPECT_LT(d, 0.0027);
  EXPECT_GT(x.front(), 0.0);
  // The tail beyond r = 7.697 (its own code path) holds e^-r = 4.5e-4 of the draws: 454 expected,
  // binomial SE 21.3, within 5 SE; beyond r, X - r is again Exp(1) (mean 1, SE 1/sqrt(454)).
  const auto tail_begin = std::upper_bound(x.begin(), x.end(), fmath_tables::kZigR);
  const auto tail = static_cast<double>(x.end() - tail_begin);
  const double p = std::exp(-fmath_tables::kZigR);
  EXPECT_NEAR(tail, n * p, 5 * std::sqrt(n * p * (1 - p)));
  double excess = 0.0;
  for (auto it = tail_begin; it != x.end(); ++it) excess += *it - fmath_tables::kZigR;
  EXPECT_NEAR(excess / tail, 1.0, 5 / std::sqrt(tail));
}

// The layers have equal areas v (Marsaglia & Tsang 2000): x_i (f(x_{i+1}) - f(x_i)) = v, and the
// base layer's pseudo-width times f(r) is v too. Each table entry is rounded once: the two f's
// are off by at most 2^-54 each (they lie in (0, 1]), so their difference by 2^-53, times x_i,
// plus a few roundings of v itself.
TEST(Fmath, ZigguratLayersHaveEqualAreas) {
  namespace t = fmath_tables;
  const double v = t::kZigX[0] * t::kZigF[1];
  EXPECT_NEAR(v, (t::kZigR + 1.0) * std::exp(-t::kZigR), 1e-15);
  for (std::size_t i = 1; i < 256; ++i)
    EXPECT_NEAR(t::kZigX[i] * (t::kZigF[i + 1] - t::kZigF[i]), v,
                t::kZigX[i] * 0x1p-53 + 4 * v * 0x1p-53)
        << "layer " << i;
  EXPECT_EQ(t::kZigX[256], 0.0);
  EXPECT_EQ(t::kZigF[256], 1.0);
}

}  // namespace
}  // namespace attachsim::sim
