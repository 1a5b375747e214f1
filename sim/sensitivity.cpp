#include "sim/sensitivity.hpp"

#include <Eigen/Core>
#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

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

namespace attachsim::sim {

namespace {

void check_sizes(std::span<const double> points, std::size_t k, std::span<const double> y,
                 const char* who) {
  if (k == 0 || points.size() != y.size() * k) {
    throw std::invalid_argument(std::string(who) + ": points must hold k values per output");
  }
  for (const double v : y) {
    if (!std::isfinite(v)) throw std::invalid_argument(std::string(who) + ": a non-finite output");
  }
}

double mean_of(const std::vector<double>& v) {
  double s = 0.0;
  for (const double x : v) s += x;
  return v.empty() ? 0.0 : s / static_cast<double>(v.size());
}

}  // namespace

GridEffects grid_effects(std::span<const double> points, std::size_t k, std::span<const double> y,
                         double noise_variance) {
  check_sizes(points, k, y, "grid_effects");
  const std::size_t n = y.size();
  if (n < 2) throw std::invalid_argument("grid_effects: fewer than two points");
  GridEffects g;
  g.noise_variance = noise_variance;
  const double grand = mean_of(std::vector<double>(y.begin(), y.end()));
  double total_ss = 0.0;
  for (const double v : y) total_ss += (v - grand) * (v - grand);
  g.variance = total_ss / static_cast<double>(n - 1);
  // Each point's level index per parameter.
  std::vector<std::vector<double>> values(k);
  std::vector<std::vector<std::size_t>> level_of(k, std::vector<std::size_t>(n));
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t p = 0; p < n; ++p) values[i].push_back(points[p * k + i]);
    std::sort(values[i].begin(), values[i].end());
    values[i].erase(std::unique(values[i].begin(), values[i].end()), values[i].end());
    for (std::size_t p = 0; p < n; ++p) {
      level_of[i][p] = static_cast<std::size_t>(
          std::lower_bound(values[i].begin(), values[i].end(), points[p * k + i]) -
          values[i].begin());
    }
  }
  std::vector<std::vector<double>> level_mean(k);
  for (std::size_t i = 0; i < k; ++i) {
    MainEffect e;
    std::vector<double> sum(values[i].size(), 0.0);
    std::vector<std::size_t> count(values[i].size(), 0);
    for (std::size_t p = 0; p < n; ++p) {
      sum[level_of[i][p]] += y[p];
      ++count[level_of[i][p]];
    }
    double ss = 0.0, lo = INFINITY, hi = -INFINITY;
    std::size_t lo_at = 0, hi_at = 0;
    for (std::size_t l = 0; l < values[i].size(); ++l) {
      Level level;
      level.value = values[i][l];
      level.points = count[l];
      level.mean = sum[l] / static_cast<double>(count[l]);
      level.se = std::sqrt(noise_variance / static_cast<double>(count[l]));
      ss += static_cast<double>(count[l]) * (level.mean - grand) * (level.mean - grand);
      if (level.mean < lo) lo = level.mean, lo_at = l;
      if (level.mean > hi) hi = level.mean, hi_at = l;
      level_mean[i].push_back(level.mean);
      e.levels.push_back(level);
    }
    e.range = hi - lo;
    e.range_se = std::sqrt(e.levels[lo_at].se * e.levels[lo_at].se +
                           e.levels[hi_at].se * e.levels[hi_at].se);
    e.share = total_ss > 0.0 ? ss / total_ss : NAN;
    g.main.push_back(std::move(e));
  }
  // Two-way interactions where every combination of the pair's values occurs.
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = i + 1; j < k; ++j) {
      const std::size_t li = values[i].size(), lj = values[j].size();
      if (li < 2 || lj < 2) continue;
      std::vector<double> sum(li * lj, 0.0);
      std::vector<std::size_t> count(li * lj, 0);
      for (std::size_t p = 0; p < n; ++p) {
        const std::size_t c = level_of[i][p] * lj + level_of[j][p];
        sum[c] += y[p];
        ++count[c];
      }
      if (std::find(count.begin(), count.end(), 0u) != count.end()) continue;
      double ss = 0.0;
      for (std::size_t a = 0; a < li; ++a) {
        for (std::size_t b = 0; b < lj; ++b) {
          const std::size_t c = a * lj + b;
          const double r =
              sum[c] / static_cast<double>(count[c]) - level_mean[i][a] - level_mean[j][b] + grand;
          ss += static_cast<double>(count[c]) * r * r;
        }
      }
      g.pairs.push_back({i, j, total_ss > 0.0 ? ss / total_ss : NAN});
    }
  }
  return g;
}

Regression standardized_regression(std::span<const double> points, std::size_t k,
                                   std::span<const double> y) {
  check_sizes(points, k, y, "standardized_regression");
  const std::size_t n = y.size();
  if (n < k + 2) throw std::invalid_argument("standardized_regression: fewer than k + 2 points");
  const auto rows = static_cast<Eigen::Index>(n), cols = static_cast<Eigen::Index>(k);
  Eigen::MatrixXd x(rows, cols + 1);
  Eigen::VectorXd v(rows);
  std::vector<double> sd(k, 0.0);
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0.0, s2 = 0.0;
    for (std::size_t p = 0; p < n; ++p) s += points[p * k + i];
    const double m = s / static_cast<double>(n);
    for (std::size_t p = 0; p < n; ++p) s2 += (points[p * k + i] - m) * (points[p * k + i] - m);
    sd[i] = std::sqrt(s2 / static_cast<double>(n - 1));
    for (std::size_t p = 0; p < n; ++p) {
      x(static_cast<Eigen::Index>(p), static_cast<Eigen::Index>(i)) =
          sd[i] > 0.0 ? (points[p * k + i] - m) / sd[i] : 0.0;
    }
  }
  const double ym = mean_of(std::vector<double>(y.begin(), y.end()));
  double yss = 0.0;
  for (const double t : y) yss += (t - ym) * (t - ym);
  const double ysd = std::sqrt(yss / static_cast<double>(n - 1));
  for (std::size_t p = 0; p < n; ++p) {
    x(static_cast<Eigen::Index>(p), cols) = 1.0;
    v(static_cast<Eigen::Index>(p)) = ysd > 0.0 ? (y[p] - ym) / ysd : 0.0;
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(v);
  Regression r;
  for (std::size_t i = 0; i < k; ++i) r.src.push_back(beta(static_cast<Eigen::Index>(i)));
  const double rss = (x * beta - v).squaredNorm();
  const double tss = v.squaredNorm();
  r.r2 = tss > 0.0 ? 1.0 - rss / tss : NAN;
  return r;
}

}  // namespace attachsim::sim
