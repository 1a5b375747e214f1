#include "sim/summary.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace attachsim::sim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// numpy's _lerp (numpy >= 1.22): from the upper end when t >= 0.5, which keeps the result
// monotone in t and makes it bit-identical to numpy.percentile.
double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// Type-7 quantiles at increasing probabilities `ps`, selecting order statistics with
// nth_element on the shrinking upper part of `values` (which it reorders): O(n) per quantile.
template <std::size_t N>
std::array<double, N> quantiles(std::vector<double>& values, const std::array<double, N>& ps) {
  std::array<double, N> result{};
  const std::size_t n = values.size();
  auto first = values.begin();
  for (std::size_t q = 0; q < N; ++q) {
    const double h = static_cast<double>(n - 1) * ps[q];
    const double below = std::floor(h);
    const std::size_t lo = std::min(static_cast<std::size_t>(below), n - 1);
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(lo);
    if (nth >= first) std::nth_element(first, nth, values.end());
    // Everything after position lo is >= values[lo], so the next order statistic is its minimum.
    const double next = lo + 1 < n ? *std::min_element(nth + 1, values.end()) : values[lo];
    result[q] = lerp(values[lo], next, h - below);
    first = nth + 1;
  }
  return result;
}

}  // namespace

void summarize_values(std::vector<double>& values, Summary& summary, std::size_t record) {
  if (values.empty()) return;  // the NaN the vectors were filled with
  const Eigen::Map<const Eigen::VectorXd> v(values.data(),
                                            static_cast<Eigen::Index>(values.size()));
  const double mean = v.mean();
  const double n = static_cast<double>(values.size());
  summary.mean[record] = mean;
  summary.sd[record] =
      values.size() > 1 ? std::sqrt((v.array() - mean).square().sum() / (n - 1)) : 0.0;
  const auto q = quantiles<3>(values, {0.1, 0.5, 0.9});
  summary.p10[record] = q[0];
  summary.p50[record] = q[1];
  summary.p90[record] = q[2];
}

Summary summarize(const float* dyads_by_records, std::size_t n_dyads, std::size_t n_records) {
  Summary summary;
  for (std::vector<double>* stat :
       {&summary.mean, &summary.sd, &summary.p10, &summary.p50, &summary.p90}) {
    stat->assign(n_records, kNaN);
  }
  if (n_dyads == 0 || n_records == 0) return summary;
  // Gather a block of records at a time: each dyad row is read once per block, in cache-line-sized
  // runs, instead of striding through the whole matrix once per record.
  constexpr std::size_t kBlock = 16;
  const std::size_t n_blocks = (n_records + kBlock - 1) / kBlock;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_blocks),
                    [&](const tbb::blocked_range<std::size_t>& blocks) {
                      std::array<std::vector<double>, kBlock> columns;
                      for (std::size_t b = blocks.begin(); b != blocks.end(); ++b) {
                        const std::size_t first = b * kBlock;
                        const std::size_t width = std::min(kBlock, n_records - first);
                        for (auto& column : columns) column.clear();
                        for (std::size_t d = 0; d < n_dyads; ++d) {
                          const float* row = dyads_by_records + d * n_records + first;
                          for (std::size_t c = 0; c < width; ++c) {
                            if (!std::isnan(row[c])) columns[c].push_back(row[c]);
                          }
                        }
                        for (std::size_t c = 0; c < width; ++c) {
                          summarize_values(columns[c], summary, first + c);
                        }
                      }
                    });
  return summary;
}

}  // namespace attachsim::sim
