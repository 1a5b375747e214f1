// What the child learns, as small value types (docs/model.md sections 4, 5 and 8): beliefs about
// a figure that fade with time, and the values of the strategies it can use when distressed.
// Pure state plus arithmetic: no randomness, no knowledge of the dyad; tests/test_learning.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>

#include "models/child_state.hpp"
#include "sim/fmath.hpp"

namespace attachsim::models {

// exp(-x) for x >= 0. Most decays per event are tiny (minutes against time constants of days),
// where a 5-term Taylor series is exact to < 1e-10 relative (x^5/120 at x = 0.03) and much cheaper
// than an exponential; larger arguments take sim::exp.
inline double decay(double x) {
  if (x < 0.03) return 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0 - x * (1.0 / 24.0))));
  return sim::exp(-x);
}

// Discounted Beta belief about a Bernoulli outcome: pseudo-counts of successes and failures that
// fade exponentially with time (forgetting), over a prior of `prior` pseudo-experiences with mean
// `prior_mean` (neutral 0.5, except fear: a newborn does not expect to be frightened).
struct Belief {
  double successes = 0.0;
  double failures = 0.0;
  double last = 0.0;  // minute of the last update

  void observe(double now, double memory_minutes, double outcome, double weight) {
    const double fade = decay((now - last) / memory_minutes);
    successes = successes * fade + weight * outcome;
    failures = failures * fade + weight * (1.0 - outcome);
    last = now;
  }
  double mean(double prior, double prior_mean = 0.5) const {
    return (successes + prior_mean * prior) / (successes + failures + prior);
  }
};

// The child's expected outcome of one strategy: the mean of the rewards it brought, weighted so
// that old episodes fade exponentially with time (the memory of section 8), over a prior of
// `prior` pseudo-episodes at the strategy's innate value. A strategy left unused drifts back
// towards its innate value as its evidence fades.
struct StrategyValue {
  double reward_sum = 0.0;  // faded sum of rewards
  double weight = 0.0;      // faded number of episodes
  double last = 0.0;        // minute of the last update

  void observe(double now, double memory_minutes, double reward) {
    const double fade = decay((now - last) / memory_minutes);
    reward_sum = reward_sum * fade + reward;
    weight = weight * fade + 1.0;
    last = now;
  }
  double mean(double now, double memory_minutes, double prior, double innate) const {
    const double fade = decay((now - last) / memory_minutes);
    return (reward_sum * fade + prior * innate) / (weight * fade + prior);
  }
};

// The strategy learner toward one figure (section 5): each strategy's faded mean reward, the
// cached current values q and the propensities p (a softmax of q over the strategies available
// at the child's age), and the organised strategy (the most valued available one).
struct StrategyLearner {
  std::array<StrategyValue, kNumStrategies> value{};  // what each strategy has brought
  std::array<double, kNumStrategies> q{};             // current value of each strategy
  std::array<double, kNumStrategies> p{};             // current propensities (softmax of q)

  // Brings q up to `now`: each value's faded mean over `prior` pseudo-episodes at `innate`.
  void refresh(double now, double memory_minutes, double prior,
               const std::array<double, kNumStrategies>& innate) {
    for (std::size_t k = 0; k < kNumStrategies; ++k) {
      q[k] = value[k].mean(now, memory_minutes, prior, innate[k]);
    }
  }

  // Softmax of q with the given precision over the first `available` strategies (approach needs
  // mobility); the others get 0.
  void update_propensities(double precision, std::size_t available) {
    double best = q[0];
    for (std::size_t s = 1; s < available; ++s) best = std::max(best, q[s]);
    double total = 0.0;
    for (std::size_t s = 0; s < kNumStrategies; ++s) {
      // (the best strategy's weight is e^0 = 1; no call needed)
      p[s] = s >= available ? 0.0 : q[s] == best ? 1.0 : sim::exp(precision * (q[s] - best));
      total += p[s];
    }
    for (double& x : p) x /= total;
  }

  // The available strategy with the highest value (ties: the first).
  Strategy organised(std::size_t available) const {
    std::size_t best = 0;
    for (std::size_t k = 1; k < available; ++k) {
      if (q[k] > q[best]) best = k;
    }
    return static_cast<Strategy>(best);
  }

  void learn(Strategy used, double now, double memory_minutes, double reward) {
    value[used].observe(now, memory_minutes, reward);
  }
};

}  // namespace attachsim::models
