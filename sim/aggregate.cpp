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

// Type-7 quantile: position h = (n - 1) p among the sorted values, interpolated between the
// order statistics at floor(h) and floor(h) + 1; each order statistic is placed uniformly within
// its bin (the i-th of c values in a bin at lo + (i + 0.5) / c of the bin width).
double SummaryAccumulator::quantile(std::size_t metric, std::size_t record, double p) const {
  const Moments& mo = moments_[metric * n_records_ + record];
  const double n = mo.n;
  const SummaryRange r = ranges_[metric];
  const double width = (r.hi - r.lo) / static_cast<double>(kBins);
  const std::uint32_t* bins = bins_.data() + (metric * n_records_ + record) * kBins;
  auto order_statistic = [&](double i) {  // value of the i-th smallest (0-based)
    double before = 0.0;
    for (std::size_t b = 0; b < kBins; ++b) {
      const double c = bins[b];
      if (i < before + c) return r.lo + width * (static_cast<double>(b) + (i - before + 0.5) / c);
      before += c;
    }
    return r.hi;
  };
  const double h = (n - 1.0) * p;
  const double lo = std::floor(h);
  const double a = order_statistic(lo);
  if (lo + 1.0 > n - 1.0) return a;
  return a + (h - lo) * (order_statistic(lo + 1.0) - a);
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
  s.p10 = quantile(metric, record, 0.1);
  s.p50 = quantile(metric, record, 0.5);
  s.p90 = quantile(metric, record, 0.9);
  return s;
}

}  // namespace attachsim::sim
