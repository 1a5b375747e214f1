// The random-draws-only floor the engine is measured against: one dyad's event loop with nothing
// but its random draws. `events` iterations make exactly `draws` exponential draws in all,
// spread evenly (Bresenham-style), from the dyad's own event stream. Returns their sum, which
// the caller must consume (benchmark::DoNotOptimize) so the loop is not optimised away.
#pragma once

#include <cstdint>

#include "sim/rng.hpp"

namespace attachsim::bench {

inline double draws_only(std::uint64_t seed, std::uint32_t arm, std::uint32_t dyad,
                         std::uint64_t events, std::uint64_t draws) {
  sim::Rng rng(seed, arm, dyad, sim::StreamPurpose::kEvents);
  if (events == 0) return 0.0;
  const std::uint64_t per_event = draws / events;
  const std::uint64_t remainder = draws % events;
  std::uint64_t error = 0;
  double sum = 0.0;
  for (std::uint64_t e = 0; e < events; ++e) {
    std::uint64_t n = per_event;
    error += remainder;
    if (error >= events) {
      error -= events;
      ++n;
    }
    for (std::uint64_t k = 0; k < n; ++k) sum += rng.exponential(1.0);
  }
  return sum;
}

}  // namespace attachsim::bench
