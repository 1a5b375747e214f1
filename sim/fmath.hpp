#pragma once

// Portable, deterministic elementary functions for the model's hot paths.
//
// The C library's exp differs between implementations in the last bit (glibc against
// Emscripten's musl-derived libm, x86 against ARM), and a last-bit difference in a waiting time
// changes which event comes first, so a simulation that calls std::exp is only reproducible on
// one platform. sim::exp uses nothing but IEEE-754 double addition and multiplication, in an
// order fixed by the source (the project compiles with -ffp-contract=off, so no fused
// multiply-add is formed), and tables rounded once from exact values
// (scripts/gen-fmath-tables.py): it gives the same bits on every IEEE-754 machine, in the
// default rounding mode.
//
// Accuracy (tests/test_fmath.cpp): within 1 ulp of the correctly rounded result on [-745, 709.78]
// (the error bound is about 0.52 ulp: 0.5 from the final rounding, < 0.02 from the degree-5
// polynomial on |r| <= ln2/128 and the table's rest). Results below 2^-1000 (x < -693) are
// rounded twice and may be off by one more unit in the last place of a subnormal.

#include <bit>
#include <cstdint>
#include <limits>

#include "sim/fmath_tables.hpp"

namespace attachsim::sim {

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
  const double scale = std::bit_cast<double>(std::bit_cast<std::uint64_t>(t::kExp2Hi[j]) +
                                             (static_cast<std::uint64_t>(m) << 52));
  const double y = scale + scale * rest;
  return post == 1.0 ? y : y * post;
}

}  // namespace attachsim::sim
