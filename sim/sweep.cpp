#include "sim/sweep.hpp"

#include <algorithm>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <numeric>
#include <sstream>

#include "sim/errors.hpp"
#include "sim/rng.hpp"

namespace attachsim::sim {
namespace {

// n points of a k-dimensional Sobol sequence in (0, 1)^k after skipping `skip`. Boost's generator
// starts after the origin: its first point is (1/2, ..., 1/2).
std::vector<std::vector<double>> sobol_points(std::size_t dims, std::int64_t n,
                                              std::int64_t skip = 0) {
  boost::random::sobol qrng(dims);
  const double scale = 1.0 / (static_cast<double>(qrng.max()) + 1.0);
  std::vector<std::vector<double>> out;
  std::vector<double> u(dims);
  for (std::int64_t i = 0; i < skip + n; ++i) {
    for (std::size_t d = 0; d < dims; ++d) u[d] = static_cast<double>(qrng()) * scale;
    if (i >= skip) out.push_back(u);
  }
  return out;
}

double scaled(const SweepParameter& p, double u) {
  const double v = p.lo + u * (p.hi - p.lo);
  return p.integer ? std::round(v) : v;
}

}  // namespace

SweepSpec read_sweep(ConfigTable table) {
  SweepSpec spec;
  const std::string design = table.string("design", "grid");
  const auto* it = std::find(std::begin(kDesignNames), std::end(kDesignNames), design);
  if (it == std::end(kDesignNames)) {
    table.fail("design", "= '" + design + "' is unknown; allowed: grid, lhs, sobol, saltelli");
  }
  spec.design = static_cast<Design>(it - std::begin(kDesignNames));
  const bool sampled = spec.design != Design::kGrid;
  spec.samples = table.integer("samples", sampled ? 0 : 1, 1, kMaxSweepPoints, "points");
  if (sampled && !table.has("samples")) {
    table.fail("samples",
               "is missing; allowed: the number of points (saltelli: base samples), "
               "1 to " +
                   std::to_string(kMaxSweepPoints));
  }
  if (!sampled && table.has("samples")) {
    table.fail("samples",
               "applies to the lhs, sobol and saltelli designs only; a grid's points "
               "are every combination of its parameters' values");
  }
  spec.replicates = table.integer("replicates", 1, 1, 1000, "runs per point");
  spec.dyad_stride = table.integer("dyad_stride", 0, 0, 100'000'000,
                                   "keep every k-th dyad's records; 0 keeps none");
  spec.seed = static_cast<std::uint64_t>(
      table.integer("seed", 1, 0, std::numeric_limits<std::int64_t>::max(), "seed"));
  auto params = table.table_array("parameter");
  if (params.empty()) {
    table.fail("parameter",
               "is missing; allowed: one or more [[sweep.parameter]] tables, each "
               "with key and min/max (grid: values, or min/max/steps)");
  }
  if (params.size() > kMaxSweepParameters) {
    table.fail("parameter", "has " + std::to_string(params.size()) + " entries; allowed: at most " +
                                std::to_string(kMaxSweepParameters));
  }
  std::int64_t grid_points = 1;
  for (ConfigTable& t : params) {
    SweepParameter p;
    p.location = t.location("key");
    p.key = t.string("key", "");
    if (p.key.empty()) t.fail("key", "is missing; allowed: a scenario key, as for --set");
    if (p.key.starts_with("sweep."))
      t.fail("key", "names the sweep itself; allowed: scenario keys");
    for (const SweepParameter& other : spec.parameters) {
      if (other.key == p.key) t.fail("key", "repeats '" + p.key + "'");
    }
    p.integer = t.boolean("integer", false);
    const bool has_values = t.has("values");
    const double inf = std::numeric_limits<double>::infinity();
    if (has_values) {
      if (sampled) t.fail("values", "applies to the grid design only; allowed here: min, max");
      p.values = t.increasing_numbers("values", {}, -inf, inf, "");
      if (p.values.empty()) t.fail("values", "is empty; allowed: one or more values");
      if (t.has("min") || t.has("max") || t.has("steps")) {
        t.fail("values", "is given with min/max/steps; allowed: values, or min and max");
      }
      p.lo = p.values.front();
      p.hi = p.values.back();
      if (p.integer) {
        for (double& v : p.values) v = std::round(v);
      }
    } else {
      if (!t.has("min") || !t.has("max")) {
        t.fail(t.has("min") ? "max" : "min", "is missing; allowed: min and max (grid: or values)");
      }
      p.lo = t.number("min", 0.0, -inf, inf, "");
      p.hi = t.number("max", 0.0, -inf, inf, "");
      if (!(p.lo < p.hi)) t.fail("max", "must be greater than min");
      if (!sampled) {
        p.steps = t.integer("steps", 0, 2, 100000, "values");
        if (!t.has("steps")) t.fail("steps", "is missing; allowed: values from min to max, >= 2");
        for (std::int64_t s = 0; s < p.steps; ++s) {
          const double u = static_cast<double>(s) / static_cast<double>(p.steps - 1);
          p.values.push_back(scaled(p, u));
        }
      } else if (t.has("steps")) {
        t.fail("steps", "applies to the grid design only");
      }
    }
    t.reject_unknown();
    if (!sampled) {
      grid_points *= static_cast<std::int64_t>(p.values.size());
      if (grid_points > kMaxSweepPoints) {
        t.fail("key",
               "brings the grid to more than " + std::to_string(kMaxSweepPoints) + " points");
      }
    }
    spec.parameters.push_back(std::move(p));
  }
  if (spec.design == Design::kSaltelli &&
      spec.samples * static_cast<std::int64_t>(spec.parameters.size() + 2) > kMaxSweepPoints) {
    table.fail("samples", "gives more than " + std::to_string(kMaxSweepPoints) + " points");
  }
  table.reject_unknown();
  return spec;
}

std::vector<std::vector<double>> sweep_points(const SweepSpec& spec) {
  const std::size_t k = spec.parameters.size();
  std::vector<std::vector<double>> points;
  switch (spec.design) {
    case Design::kGrid: {
      std::vector<std::size_t> index(k, 0);
      for (;;) {
        std::vector<double> row(k);
        for (std::size_t i = 0; i < k; ++i) row[i] = spec.parameters[i].values[index[i]];
        points.push_back(std::move(row));
        std::size_t i = k;
        while (i > 0) {
          --i;
          if (++index[i] < spec.parameters[i].values.size()) break;
          index[i] = 0;
          if (i == 0) return points;
        }
        if (k == 0) return points;
      }
    }
    case Design::kLatinHypercube: {
      const auto n = static_cast<std::size_t>(spec.samples);
      points.assign(n, std::vector<double>(k));
      for (std::size_t i = 0; i < k; ++i) {
        Rng rng(spec.seed, static_cast<std::uint32_t>(i), 0, StreamPurpose::kParameters);
        std::vector<std::size_t> strata(n);
        std::iota(strata.begin(), strata.end(), 0);
        for (std::size_t s = n; s > 1; --s) {  // Fisher-Yates with the counter-based stream
          const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(s));
          std::swap(strata[s - 1], strata[std::min(j, s - 1)]);
        }
        for (std::size_t s = 0; s < n; ++s) {
          const double u =
              (static_cast<double>(strata[s]) + rng.uniform()) / static_cast<double>(n);
          points[s][i] = scaled(spec.parameters[i], u);
        }
      }
      return points;
    }
    case Design::kSobol: {
      for (auto& u : sobol_points(k, spec.samples)) {
        for (std::size_t i = 0; i < k; ++i) u[i] = scaled(spec.parameters[i], u[i]);
        points.push_back(std::move(u));
      }
      return points;
    }
    case Design::kSaltelli: {
      // The first point, (1/2, ..., 1/2), would give A = B: a base sample with no contrast.
      for (const auto& u : sobol_points(2 * k, spec.samples, 1)) {
        std::vector<double> a(k), b(k);
        for (std::size_t i = 0; i < k; ++i) {
          a[i] = scaled(spec.parameters[i], u[i]);
          b[i] = scaled(spec.parameters[i], u[k + i]);
        }
        points.push_back(a);
        points.push_back(b);
        for (std::size_t i = 0; i < k; ++i) {
          std::vector<double> ab = a;
          ab[i] = b[i];
          points.push_back(std::move(ab));
        }
      }
      return points;
    }
  }
  return points;
}

std::vector<std::string> point_overrides(const SweepSpec& spec, std::span<const double> point) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < spec.parameters.size(); ++i) {
    const SweepParameter& p = spec.parameters[i];
    std::string value;
    if (p.integer) {
      value = std::to_string(static_cast<std::int64_t>(std::llround(point[i])));
    } else {
      value = toml_number(point[i]);
    }
    out.push_back(p.key + "=" + value);
  }
  return out;
}

std::uint64_t point_seed(std::uint64_t base, std::span<const std::string> overrides,
                         std::int64_t replicate) {
  std::uint64_t h = splitmix64(base);
  for (const std::string& o : overrides) {
    for (const unsigned char c : o) h = splitmix64(h ^ c);
    h = splitmix64(h ^ 0xffULL);  // separator: "a=1","b=2" differs from "a=1b","=2"
  }
  h = splitmix64(h ^ static_cast<std::uint64_t>(replicate));
  return h >> 1;  // a non-negative TOML integer
}

std::string sweep_to_toml(const SweepSpec& spec) {
  std::ostringstream out;
  out << "\n[sweep]\n";
  out << "design = " << toml_quote(kDesignNames[static_cast<std::size_t>(spec.design)]) << "\n";
  if (spec.design != Design::kGrid) out << "samples = " << spec.samples << "\n";
  out << "replicates = " << spec.replicates << "\n";
  out << "seed = " << spec.seed << "\n";
  if (spec.dyad_stride > 0) out << "dyad_stride = " << spec.dyad_stride << "\n";
  for (const SweepParameter& p : spec.parameters) {
    out << "[[sweep.parameter]]\n";
    out << "key = " << toml_quote(p.key) << "\n";
    if (p.integer) out << "integer = true\n";
    if (spec.design == Design::kGrid && p.steps == 0) {
      out << "values = [";
      for (std::size_t i = 0; i < p.values.size(); ++i) {
        out << (i ? ", " : "") << toml_number(p.values[i]);
      }
      out << "]\n";
    } else {
      out << "min = " << toml_number(p.lo) << "\nmax = " << toml_number(p.hi) << "\n";
      if (p.steps > 0) out << "steps = " << p.steps << "\n";
    }
  }
  return out.str();
}

std::vector<int> deal_points(const std::vector<double>& cost, int ranks) {
  std::vector<std::size_t> order(cost.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return cost[a] > cost[b]; });
  std::vector<double> load(static_cast<std::size_t>(std::max(ranks, 1)), 0.0);
  std::vector<int> owner(cost.size(), 0);
  for (const std::size_t p : order) {
    if (cost[p] <= 0.0) continue;
    const auto least = std::min_element(load.begin(), load.end()) - load.begin();
    owner[p] = static_cast<int>(least);
    load[static_cast<std::size_t>(least)] += cost[p];
  }
  return owner;
}

}  // namespace attachsim::sim
