// Sampling statistics shared by the validation and lesson tests: means and shares over dyads with
// their standard errors, and the z statistic of a difference.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <variant>

#include "models/metrics.hpp"
#include "sim/results.hpp"

namespace attachsim::testing {

struct Estimate {
  double mean = 0.0;
  double se = 0.0;  // standard error of the mean (or of the share)
};

// z statistic of a - b for independent estimates.
inline double z_of(const Estimate& a, const Estimate& b) {
  return (a.mean - b.mean) / std::sqrt(a.se * a.se + b.se * b.se);
}

inline constexpr std::size_t kLastRecord = static_cast<std::size_t>(-1);

// Mean and standard error over dyads of `value(dyad)`, NaN skipped.
template <class Value>
Estimate over_dyads(const sim::ArmResult& arm, Value value) {
  double sum = 0.0, sum2 = 0.0, n = 0.0;
  for (std::size_t d = 0; d < arm.metrics.n_dyads(); ++d) {
    const double v = value(d);
    if (std::isnan(v)) continue;
    sum += v;
    sum2 += v * v;
    n += 1.0;
  }
  const double mean = sum / n;
  return {mean, std::sqrt((sum2 - n * mean * mean) / (n - 1.0) / n)};
}

// Mean and standard error over dyads of `metric` at record `k` (default: the last), NaN skipped.
inline Estimate metric_at(const sim::ArmResult& arm, models::Metric metric,
                          std::size_t k = kLastRecord) {
  if (k == kLastRecord) k = arm.metrics.n_records() - 1;
  return over_dyads(arm, [&](std::size_t d) { return double(arm.metrics.row(metric, d)[k]); });
}

// Mean and standard error over dyads of each dyad's change in `metric` from record `k` to the last
// record (the same children at two times: the SE of the change, not of two independent means).
inline Estimate change_since(const sim::ArmResult& arm, models::Metric metric, std::size_t k) {
  const std::size_t last = arm.metrics.n_records() - 1;
  return over_dyads(arm, [&](std::size_t d) {
    return double(arm.metrics.row(metric, d)[last]) - double(arm.metrics.row(metric, d)[k]);
  });
}

// Share, with its binomial standard error, of dyads whose code in the int8 dataset `path` is
// `code` (default: the class at the 12-month Strange Situation).
inline Estimate class_share(const sim::ArmResult& arm, std::int8_t code,
                            const std::string& path = "ssp/age_12mo/class") {
  for (const auto& d : arm.extra) {
    if (d.path != path) continue;
    const auto& v = std::get<std::vector<std::int8_t>>(d.data);
    const double n = static_cast<double>(v.size());
    const double p = static_cast<double>(std::count(v.begin(), v.end(), code)) / n;
    return {p, std::sqrt(p * (1.0 - p) / n)};
  }
  ADD_FAILURE() << "no dataset " << path << " in " << arm.name;
  return {};
}

// Mean and standard error over dyads of a float [dyads x records] model-declared dataset at
// record `k` (kAllRecords: each dyad's mean over all records first), NaN skipped.
inline constexpr std::size_t kAllRecords = static_cast<std::size_t>(-2);
inline Estimate dataset_at(const sim::ArmResult& arm, const std::string& path,
                           std::size_t k = kLastRecord) {
  for (const auto& d : arm.extra) {
    if (d.path != path) continue;
    const auto& v = std::get<std::vector<float>>(d.data);
    const std::size_t records = d.shape.at(1);
    double sum = 0.0, sum2 = 0.0, n = 0.0;
    for (std::size_t dyad = 0; dyad < d.shape[0]; ++dyad) {
      const float* row = v.data() + dyad * records;
      double x = 0.0;
      if (k == kAllRecords) {
        double m = 0.0;
        for (std::size_t r = 0; r < records; ++r) {
          if (!std::isnan(row[r])) {
            x += row[r];
            m += 1.0;
          }
        }
        if (m == 0.0) continue;
        x /= m;
      } else {
        x = row[k == kLastRecord ? records - 1 : k];
        if (std::isnan(x)) continue;
      }
      sum += x;
      sum2 += x * x;
      n += 1.0;
    }
    const double mean = sum / n;
    return {mean, std::sqrt((sum2 - n * mean * mean) / (n - 1.0) / n)};
  }
  ADD_FAILURE() << "no dataset " << path << " in " << arm.name;
  return {};
}

}  // namespace attachsim::testing
