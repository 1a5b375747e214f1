#pragma once

// Portable, deterministic elementary functions for the model (exp, log, log1p, cos(2 pi u)).
//
// The C library's exp differs between implementations in the last bit (glibc against
// Emscripten's musl-derived libm, x86 against ARM), and a last-bit difference in a waiting time
// changes which event comes first, so a simulation that calls std::exp is only reproducible on
// one platform. These functions use nothing but IEEE-754 double arithmetic, in an
// order fixed by the source (the project compiles with -ffp-contract=off, so no fused
// multiply-add is formed), and tables rounded once from exact values
// (scripts/gen-fmath-tables.py): it gives the same bits on every IEEE-754 machine, in the
// default rounding mode.
//
// Accuracy against the C library or long double (tests/test_fmath.cpp): exp within 1 ulp on
// [-708, 709.78] (error bound about 0.52 ulp: 0.5 from the final rounding, < 0.02 from the
// degree-5 polynomial on |r| <= ln2/128 and the table's rest; results below 2^-1000, x < -693,
// are rounded twice and may be off by one more unit of a subnormal); log within 1 ulp (FDLIBM's
// bound); log1p and cos_2pi within 2 ulp.

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

#include "sim/fmath_tables.hpp"

namespace attachsim::sim {

// std::bit_cast, which Emscripten 3.1.6's libc++ lacks; GCC and Clang both provide the builtin.
template <class To, class From>
constexpr To bit_cast(const From& from) noexcept {
  static_assert(sizeof(To) == sizeof(From));
  return __builtin_bit_cast(To, from);
}

// e^x. Overflow gives +inf, underflow 0, NaN stays NaN.
inline double exp(double x) noexcept {
  namespace t = fmath_tables;
  constexpr double kOverflow = 0x1.62e42fefa39efp+9;    // ln(DBL_MAX) = 709.78...
  constexpr double kUnderflow = -0x1.74910d52d3051p+9;  // ln(2^-1075) = -745.13...
  constexpr double kShift = 0x1.8p52;                   // adding it rounds to an integer
  if (!(x < kOverflow)) return x != x ? x : std::numeric_limits<double>::infinity();
  if (!(x > kUnderflow)) return 0.0;
  // x = k ln2/64 + r, k = 64 m + j, |r| <= ln2/128 (Cody & Waite's two-part ln2/64).
  const double kd = (x * t::kInvLn2N + kShift) - kShift;
  const auto k = static_cast<std::int64_t>(kd);
  const double r = (x - kd * t::kLn2NHi) - kd * t::kLn2NLo;
  const auto j = static_cast<std::size_t>(k & 63);
  std::int64_t m = k >> t::kExpTableBits;  // floor(k / 64)
  // e^r - 1 by its Taylor series to degree 5: the first omitted term is < 3.6e-17 relative.
  const double p = r + r * r * (0.5 + r * (1.0 / 6.0 + r * (1.0 / 24.0 + r * (1.0 / 120.0))));
  const double rest = t::kExp2Tail[j] + p;
  // 2^m as an exponent-field offset of 2^(j/64); near the ends of the range the scale is built
  // 2^1000 (or 2) closer to 1 and the result rescaled by an exact power of two.
  double post = 1.0;
  if (m < -1000 || m > 1000) [[unlikely]] {
    post = m < 0 ? 0x1p-1000 : 2.0;
    m += m < 0 ? 1000 : -1;
  }
  const double scale = sim::bit_cast<double>(sim::bit_cast<std::uint64_t>(t::kExp2Hi[j]) +
                                             (static_cast<std::uint64_t>(m) << 52));
  const double y = scale + scale * rest;
  return post == 1.0 ? y : y * post;
}

// Natural logarithm. log(0) = -inf, log of a negative number or NaN is NaN, log(inf) = inf.
//
// The reduction and the polynomial are FDLIBM's e_log.c (x = 2^k (1 + f), sqrt(2)/2 < 1 + f <
// sqrt(2), s = f / (2 + f), log(1 + f) = f - s (f - R) with R a minimax polynomial in s^2, error
// < 1 ulp). Its coefficients and the split of ln 2 are used under FDLIBM's notice: "Copyright (C)
// 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunSoft, a Sun Microsystems,
// Inc. business. Permission to use, copy, modify, and distribute this software is freely
// granted, provided that this notice is preserved."
inline double log(double x) noexcept {
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 0x3fe62e42 fee00000
  constexpr double kLn2Lo = 1.90821492927058770002e-10;  // 0x3dea39ef 35793c76
  constexpr double kL1 = 6.666666666666735130e-01;
  constexpr double kL2 = 3.999999999940941908e-01;
  constexpr double kL3 = 2.857142874366239149e-01;
  constexpr double kL4 = 2.222219843214978396e-01;
  constexpr double kL5 = 1.818357216161805012e-01;
  constexpr double kL6 = 1.531383769920937332e-01;
  constexpr double kL7 = 1.479819860511658591e-01;
  constexpr double kHalfSqrt2 = 0.70710678118654752440;
  if (x != x || x == std::numeric_limits<double>::infinity()) return x;
  if (x < 0.0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0.0) return -std::numeric_limits<double>::infinity();
  // x = m 2^e with m in [0.5, 1) (subnormals scaled up by 2^54 first).
  std::int64_t e = 0;
  if (x < 0x1p-1022) {
    x *= 0x1p54;
    e = -54;
  }
  const auto bits = sim::bit_cast<std::uint64_t>(x);
  e += static_cast<std::int64_t>((bits >> 52) & 0x7ff) - 1022;
  double m = sim::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL);
  if (m < kHalfSqrt2) {
    m *= 2.0;
    --e;
  }
  const double f = m - 1.0;
  const auto k = static_cast<double>(e);
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  const double s4 = s2 * s2;
  const double t1 = s2 * (kL1 + s4 * (kL3 + s4 * (kL5 + s4 * kL7)));
  const double t2 = s4 * (kL2 + s4 * (kL4 + s4 * kL6));
  const double r = t1 + t2;
  const double hfsq = 0.5 * f * f;
  return k * kLn2Hi - ((hfsq - (s * (hfsq + r) + k * kLn2Lo)) - f);
}

// log(1 + x), accurate for small x: Goldberg's (1991) correction log(u) x / (u - 1), u = 1 + x,
// within a few ulp given a log within 1 ulp.
inline double log1p(double x) noexcept {
  const double u = 1.0 + x;
  if (u == 1.0) return x;
  return sim::log(u) * x / (u - 1.0);
}

// cos(2 pi u) for u in [0, 1] (Box-Muller's angle). The reduction is exact: u = q/4 + w with q
// the nearest quarter and |w| <= 1/8, so the angle 2 pi w lies in [-pi/4, pi/4], where the
// Taylor series of cos to degree 18 and of sin to degree 17 are exact to < 1e-19 relative; the
// result is within about 1 ulp of cos(2 pi u) (tests/test_fmath.cpp).
inline double cos_2pi(double u) noexcept {
  constexpr double kTwoPi = 6.283185307179586476925;
  const double q = std::nearbyint(4.0 * u);  // 4u is exact; ties to even, as everywhere
  const double a = kTwoPi * (u - 0.25 * q);  // u - q/4 is exact (Sterbenz)
  const double a2 = a * a;
  const double c =
      1.0 - a2 * (1.0 / 2 -
                  a2 * (1.0 / 24 -
                        a2 * (1.0 / 720 -
                              a2 * (1.0 / 40320 -
                                    a2 * (1.0 / 3628800 -
                                          a2 * (1.0 / 479001600 -
                                                a2 * (1.0 / 87178291200 -
                                                      a2 * (1.0 / 20922789888000 -
                                                            a2 * (1.0 / 6402373705728000)))))))));
  const double sn =
      a * (1.0 -
           a2 * (1.0 / 6 - a2 * (1.0 / 120 -
                                 a2 * (1.0 / 5040 -
                                       a2 * (1.0 / 362880 -
                                             a2 * (1.0 / 39916800 -
                                                   a2 * (1.0 / 6227020800 -
                                                         a2 * (1.0 / 1307674368000 -
                                                               a2 * (1.0 / 355687428096000)))))))));
  switch (static_cast<int>(q) & 3) {
    case 0:
      return c;
    case 1:
      return -sn;
    case 2:
      return -c;
    default:
      return sn;
  }
}

}  // namespace attachsim::sim
