// A fixed set of one-shot timers: the event queue of one dyad.
//
// Each event kind has at most one pending occurrence, so the queue is an array of N times and the
// next event is the earliest (ties go to the lower kind index, which makes the order
// deterministic). For the handful of kinds a dyad has (N <= 16) a linear scan beats a heap and
// needs no allocation. Times are in minutes since the start of the simulation.
#pragma once

#include <array>
#include <cstddef>
#include <limits>

namespace attachsim::sim {

inline constexpr double kNever = std::numeric_limits<double>::infinity();

template <std::size_t N>
class TimerSet {
 public:
  TimerSet() noexcept { times_.fill(kNever); }

  void set(std::size_t kind, double time) noexcept { times_[kind] = time; }
  void cancel(std::size_t kind) noexcept { times_[kind] = kNever; }
  bool pending(std::size_t kind) const noexcept { return times_[kind] != kNever; }
  double at(std::size_t kind) const noexcept { return times_[kind]; }

  // Index of the earliest pending timer (N if none).
  std::size_t next() const noexcept {
    std::size_t best = N;
    double best_time = kNever;
    for (std::size_t k = 0; k < N; ++k) {
      if (times_[k] < best_time) {
        best_time = times_[k];
        best = k;
      }
    }
    return best;
  }

 private:
  std::array<double, N> times_;
};

}  // namespace attachsim::sim
