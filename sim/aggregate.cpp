#include "sim/aggregate.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace attachsim::sim {

SummaryAccumulator::SummaryAccumulator(std::vector<SummaryRange> ranges, std::size_t n_records)
    : ranges_(std::move(ranges)),
      n_records_(n_records),
      moments_(ranges_.size() * n_records),
      bins_(ranges_.size() * n_records * kBins, 0) {}

void SummaryAccumulator::add(const MetricTable& block) {
  if (block.n_metrics() != ranges_.size() || block.n_records() != n_records_) {
    throw std::logic_error("SummaryAccumulator::add: block shape does not match");
  }
  tbb::parallel_for(std::size_t{0}, ranges_.size(), [&](std::size_t m) {
    const SummaryRange r = ranges_[m];
    const double scale = static_cast<double>(kBins) / (r.hi - r.lo);
    for (std::size_t d = 0; d < block.n_dyads(); ++d) {
      const float* row = block.row(m, d);
      for (std::size_t k = 0; k < n_records_; ++k) {
        const double x = row[k];
        if (std::isnan(x)) continue;
        Moments& mo = moments_[m * n_records_ + k];
        mo.n += 1.0;
        const double delta = x - mo.mean;
        mo.mean += delta / mo.n;
        mo.m2 += delta * (x - mo.mean);
        double b = std::floor((x - r.lo) * scale);
        if (b < 0.0 || b >= static_cast<double>(kBins)) {
          ++mo.clamped;
          b = std::clamp(b, 0.0, static_cast<double>(kBins - 1));
        }
        ++bins_[(m * n_records_ + k) * kBins + static_cast<std::size_t>(b)];
      }
    }
  });
}

// Type-7 quantiles: position h = (n - 1) p among the sorted values, interpolated between the
// order statistics at floor(h) and floor(h) + 1; each order statistic is placed uniformly within
// its bin (the i-th of c values in a bin at lo + (i + 0.5) / c of the bin width). The wanted
// order statistics are ascending, so one pass over the bins finds them all.
template <std::size_t N>
std::array<double, N> SummaryAccumulator::quantiles(std::size_t metric, std::size_t record,
                                                    const std::array<double, N>& p) const {
  const double n = moments_[metric * n_records_ + record].n;
  const SummaryRange r = ranges_[metric];
  const double width = (r.hi - r.lo) / static_cast<double>(kBins);
  const std::uint32_t* bins = bins_.data() + (metric * n_records_ + record) * kBins;
  std::array<double, 2 * N> rank{}, value{};
  for (std::size_t q = 0; q < N; ++q) {
    const double h = (n - 1.0) * p[q];
    rank[2 * q] = std::floor(h);
    rank[2 * q + 1] = std::min(std::floor(h) + 1.0, n - 1.0);
  }
  std::size_t next = 0;
  double before = 0.0;
  for (std::size_t b = 0; b < kBins && next < 2 * N; ++b) {
    const double c = bins[b];
    while (next < 2 * N && rank[next] < before + c) {
      value[next] = r.lo + width * (static_cast<double>(b) + (rank[next] - before + 0.5) / c);
      ++next;
    }
    before += c;
  }
  for (; next < 2 * N; ++next) value[next] = r.hi;
  std::array<double, N> out{};
  for (std::size_t q = 0; q < N; ++q) {
    const double h = (n - 1.0) * p[q];
    out[q] = value[2 * q] + (h - rank[2 * q]) * (value[2 * q + 1] - value[2 * q]);
  }
  return out;
}

StreamedSummary SummaryAccumulator::summary(std::size_t metric, std::size_t record) const {
  const Moments& mo = moments_[metric * n_records_ + record];
  StreamedSummary s;
  s.count = static_cast<std::int64_t>(mo.n);
  s.clamped = mo.clamped;
  if (mo.n == 0.0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    s.mean = s.sd = s.p10 = s.p50 = s.p90 = nan;
    return s;
  }
  s.mean = mo.mean;
  s.sd = mo.n > 1.0 ? std::sqrt(mo.m2 / (mo.n - 1.0)) : std::numeric_limits<double>::quiet_NaN();
  const std::array<double, 3> q = quantiles<3>(metric, record, {0.1, 0.5, 0.9});
  s.p10 = q[0];
  s.p50 = q[1];
  s.p90 = q[2];
  return s;
}

}  // namespace attachsim::sim
