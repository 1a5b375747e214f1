// Counter-based random streams (Philox4x32-10 from Random123).
//
// A stream is identified by (seed, arm, dyad, purpose). The same identity always yields the same
// sequence, whichever thread or process draws it, so results never depend on how work is split.
// A stream is a small value type (48 bytes): no heap, no global state. Not thread-safe: one stream
// belongs to one dyad, and a dyad is simulated by one thread at a time.
#pragma once

#if defined(__EMSCRIPTEN__) && !defined(__riscv)
// Random123's features/gccfeatures.h stops on processors it has not been tested on; its generic
// code is what runs on wasm32 (Philox4x32 output checked bit-identical to x86 over 10^6 draws,
// docs/toolchain notes), so it is let through as on RISC-V, whose path is the generic one.
#define __riscv 1
#include <Random123/philox.h>
#undef __riscv
#else
#include <Random123/philox.h>
#endif

#include <cmath>
#include <cstdint>

#include "sim/fmath.hpp"

namespace attachsim::sim {

// SplitMix64's finaliser (Steele, Lea & Flood 2014): a bijective 64-bit mixer, for deriving seeds
// and fingerprints from data (not a stream: streams are the Philox generators below).
inline std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// What a stream is used for; part of the key so that adding draws to one process never shifts
// another (for example, drawing one more caregiver parameter does not change the event sequence).
enum class StreamPurpose : std::uint32_t {
  kParameters = 1,  // per-dyad parameter draws (caregiver, child)
  kDaily = 2,       // day-level draws (day-to-day variation in caregiving)
  kEvents = 3,      // the event process (waiting times, outcomes)
  kAssessment = 4,  // assessments
};

class Rng {
 public:
  // `arm` < 2^16 and `purpose` < 2^16 (checked by the scenario validator, not here: hot path).
  Rng(std::uint64_t seed, std::uint32_t arm, std::uint32_t dyad, StreamPurpose purpose) noexcept {
    key_ = {{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}};
    ctr_ = {{0u, 0u, dyad, (arm << 16) | static_cast<std::uint32_t>(purpose)}};
  }

  // Uniform 32-bit integer.
  std::uint32_t next_u32() noexcept {
    if (pos_ == 4) refill();
    ++draws_;
    return buf_.v[pos_++];
  }

  // Uniform on the open interval (0, 1); resolution 2^-32.
  double uniform() noexcept { return (static_cast<double>(next_u32()) + 0.5) * 0x1p-32; }

  // Exponential waiting time with the given rate (events per unit time); rate > 0.
  double exponential(double rate) noexcept { return standard_exponential() / rate; }

  // Exp(1) by Marsaglia & Tsang's (2000) ziggurat with 256 layers: 98.9% of draws cost two
  // 32-bit values, a multiply and a compare; no logarithm (the tail beyond r is r plus a fresh
  // draw, by memorylessness), and the rare wedge test uses the portable sim::exp, so the draws
  // are the same on every platform. Tables: sim/fmath_tables.hpp.
  double standard_exponential() noexcept {
    namespace t = fmath_tables;
    double offset = 0.0;
    for (;;) {
      const std::uint32_t bits = next_u32();  // 8 bits choose the layer, 24 place x in it
      const auto i = static_cast<std::size_t>(bits & 0xFF);
      const double x = (static_cast<double>(bits >> 8) + 0.5) * 0x1p-24 * t::kZigX[i];
      if (x < t::kZigX[i + 1]) return offset + x;  // inside the layer below: under the curve
      if (i == 0) {
        offset += t::kZigR;  // the tail: r plus a fresh draw
        continue;
      }
      if (t::kZigF[i] + uniform() * (t::kZigF[i + 1] - t::kZigF[i]) < sim::exp(-x))
        return offset + x;
    }
  }

  bool bernoulli(double p) noexcept { return uniform() < p; }

  // Standard normal by Box-Muller (two uniforms per value; no cached second value so that the
  // number of draws per call is fixed).
  double normal() noexcept {
    const double u1 = uniform();
    const double u2 = uniform();
    return std::sqrt(-2.0 * sim::log(u1)) * sim::cos_2pi(u2);
  }

  // Gamma(shape, 1) by Marsaglia & Tsang (2000); shape > 0.
  double gamma(double shape) noexcept {
    if (shape < 1.0) {  // boost: Gamma(a) = Gamma(a + 1) * U^(1/a)
      const double u = uniform();
      return gamma(shape + 1.0) * sim::exp(sim::log(u) / shape);  // U^(1/a)
    }
    const double d = shape - 1.0 / 3.0;
    const double c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      double x;
      double v;
      do {
        x = normal();
        v = 1.0 + c * x;
      } while (v <= 0.0);
      v = v * v * v;
      const double u = uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (sim::log(u) < 0.5 * x * x + d * (1.0 - v + sim::log(v))) return d * v;
    }
  }

  // Beta(a, b) from two gammas; a, b > 0.
  double beta(double a, double b) noexcept {
    const double x = gamma(a);
    const double y = gamma(b);
    return x / (x + y);
  }

  // Number of 32-bit values drawn so far (for benchmarks and the draws-only floor).
  std::uint64_t draws() const noexcept { return draws_; }

 private:
  void refill() noexcept {
    buf_ = philox_(ctr_, key_);
    if (++ctr_.v[0] == 0) ++ctr_.v[1];
    pos_ = 0;
  }

  r123::Philox4x32 philox_;
  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::ctr_type buf_{};
  std::uint32_t pos_ = 4;
  std::uint64_t draws_ = 0;
};

}  // namespace attachsim::sim
