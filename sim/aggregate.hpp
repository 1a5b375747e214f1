// Streaming summaries over dyads, per (metric, record), in memory that does not grow with the
// number of dyads: exact count, mean and sum of squared deviations (Welford's update, dyads in
// index order, so the result does not depend on threads), and a fixed histogram over each
// metric's declared range for the quantiles (exact to one bin; docs/sweeps.md).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/results.hpp"

namespace attachsim::sim {

struct SummaryRange {
  double lo = 0.0;
  double hi = 1.0;
};

struct StreamedSummary {
  double mean = 0.0;
  double sd = 0.0;
  double p10 = 0.0;
  double p50 = 0.0;
  double p90 = 0.0;
  std::int64_t count = 0;    // dyads with a value (NaN skipped)
  std::int64_t clamped = 0;  // values outside the range, counted in the end bins
};

class SummaryAccumulator {
 public:
  static constexpr std::size_t kBins = 1000;

  SummaryAccumulator(std::vector<SummaryRange> ranges, std::size_t n_records);

  // Folds every dyad of `block` (metrics in the order of the ranges), dyad by dyad. Metrics are
  // folded in parallel (oneTBB); each metric's dyads in index order.
  void add(const MetricTable& block);

  // Mean, sd (n - 1 denominator) and the 10th, 50th and 90th percentiles (type 7, interpolated
  // within the bin) of one metric at one record. NaN where no dyad had a value.
  StreamedSummary summary(std::size_t metric, std::size_t record) const;

  std::size_t n_metrics() const { return ranges_.size(); }
  std::size_t n_records() const { return n_records_; }

 private:
  struct Moments {
    double n = 0.0;
    double mean = 0.0;
    double m2 = 0.0;
    std::int64_t clamped = 0;
  };
  // The type-7 quantiles at probabilities `p` (ascending), in one pass over the bins.
  template <std::size_t N>
  std::array<double, N> quantiles(std::size_t metric, std::size_t record,
                                  const std::array<double, N>& p) const;

  std::vector<SummaryRange> ranges_;
  std::size_t n_records_;
  std::vector<Moments> moments_;     // [metric][record]
  std::vector<std::uint32_t> bins_;  // [metric][record][bin]
};

}  // namespace attachsim::sim
