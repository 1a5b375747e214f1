#include "sim/sensitivity.hpp"

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/rng.hpp"

namespace attachsim::sim {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Estimate {
  Eigen::VectorXd first, total;
};

// The estimators over the base samples listed in `rows` (repeats allowed: a bootstrap sample).
// Column 0 is f(A), 1 is f(B), 2 + i is f(AB_i).
Estimate estimate(const Matrix& f, const std::vector<std::size_t>& rows, std::size_t k) {
  const auto n = static_cast<double>(rows.size());
  double sum = 0.0, sum2 = 0.0;
  for (const std::size_t j : rows) {
    sum += f(j, 0) + f(j, 1);
    sum2 += f(j, 0) * f(j, 0) + f(j, 1) * f(j, 1);
  }
  const double mean = sum / (2.0 * n);
  const double variance = sum2 / (2.0 * n) - mean * mean;
  Estimate e{Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k)),
             Eigen::VectorXd::Zero(static_cast<Eigen::Index>(k))};
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0.0, t = 0.0;
    for (const std::size_t j : rows) {
      const double a = f(j, 0), b = f(j, 1), ab = f(j, 2 + i);
      s += (b - mean) * (ab - a);  // centred: same expectation, far less variance
      t += (a - ab) * (a - ab);
    }
    const double nan = std::nan("");  // a constant output has no variance to share out
    e.first(static_cast<Eigen::Index>(i)) = variance > 0.0 ? s / n / variance : nan;
    e.total(static_cast<Eigen::Index>(i)) = variance > 0.0 ? t / (2.0 * n) / variance : nan;
  }
  return e;
}

// Percentile of sorted values (type 7).
double percentile(const std::vector<double>& sorted, double p) {
  const double h = (static_cast<double>(sorted.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> y, std::size_t k, std::size_t resamples,
                           std::uint64_t seed, double level) {
  const std::size_t width = k + 2;
  if (k == 0 || y.size() % width != 0 || y.size() / width < 2) {
    throw std::invalid_argument("sobol_indices: need N >= 2 base samples of k + 2 outputs each");
  }
  const std::size_t n = y.size() / width;
  for (const double v : y) {
    if (!std::isfinite(v)) throw std::invalid_argument("sobol_indices: non-finite output");
  }
  const Matrix f = Eigen::Map<const Matrix>(y.data(), static_cast<Eigen::Index>(n),
                                            static_cast<Eigen::Index>(width));
  std::vector<std::size_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = j;
  const Estimate point = estimate(f, rows, k);
  SobolIndices out;
  out.level = level;
  {
    double sum = 0.0, sum2 = 0.0;
    for (std::size_t j = 0; j < n; ++j) {
      sum += f(j, 0) + f(j, 1);
      sum2 += f(j, 0) * f(j, 0) + f(j, 1) * f(j, 1);
    }
    const double mean = sum / (2.0 * static_cast<double>(n));
    out.variance = sum2 / (2.0 * static_cast<double>(n)) - mean * mean;
  }
  std::vector<std::vector<double>> boot_first(k), boot_total(k);
  Rng rng(seed, 0, 0, StreamPurpose::kAssessment);
  for (std::size_t b = 0; b < resamples; ++b) {
    for (std::size_t j = 0; j < n; ++j) {
      rows[j] = std::min(n - 1, static_cast<std::size_t>(rng.uniform() * static_cast<double>(n)));
    }
    const Estimate e = estimate(f, rows, k);
    for (std::size_t i = 0; i < k; ++i) {
      boot_first[i].push_back(e.first(static_cast<Eigen::Index>(i)));
      boot_total[i].push_back(e.total(static_cast<Eigen::Index>(i)));
    }
  }
  const double tail = (1.0 - level) / 2.0;
  auto summarise = [&](std::vector<double>& v, std::array<double, 2>& ci, double& se) {
    if (v.empty()) {
      ci = {std::nan(""), std::nan("")};
      se = std::nan("");
      return;
    }
    double m = 0.0;
    for (const double x : v) m += x;
    m /= static_cast<double>(v.size());
    double s2 = 0.0;
    for (const double x : v) s2 += (x - m) * (x - m);
    se = std::sqrt(s2 / static_cast<double>(v.size() - 1));
    std::sort(v.begin(), v.end());
    ci = {percentile(v, tail), percentile(v, 1.0 - tail)};
  };
  for (std::size_t i = 0; i < k; ++i) {
    out.first.push_back(point.first(static_cast<Eigen::Index>(i)));
    out.total.push_back(point.total(static_cast<Eigen::Index>(i)));
    out.first_ci.emplace_back();
    out.total_ci.emplace_back();
    out.first_se.push_back(0.0);
    out.total_se.push_back(0.0);
    summarise(boot_first[i], out.first_ci.back(), out.first_se.back());
    summarise(boot_total[i], out.total_ci.back(), out.total_se.back());
  }
  return out;
}

}  // namespace attachsim::sim
