// Sweep designs: which points of a parameter space to run (grid, Latin hypercube, Sobol,
// Saltelli), and the seed of each (point, replicate). Generic: parameters are configuration keys
// with ranges; the model is reached only through the keys (docs/sweeps.md).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/config.hpp"

namespace attachsim::sim {

enum class Design { kGrid, kLatinHypercube, kSobol, kSaltelli };
inline constexpr std::string_view kDesignNames[] = {"grid", "lhs", "sobol", "saltelli"};

struct SweepParameter {
  std::string key;             // a configuration key, as for --set
  std::vector<double> values;  // grid: explicit values (empty: steps from lo to hi)
  double lo = 0.0;             // range (all designs; grid with steps)
  double hi = 0.0;
  std::int64_t steps = 0;  // grid: evenly spaced values from lo to hi
  bool integer = false;    // round and write as a TOML integer
  std::string location;    // where it was defined, for messages
};

struct SweepSpec {
  Design design = Design::kGrid;
  std::vector<SweepParameter> parameters;
  std::int64_t samples = 0;  // lhs, sobol: points; saltelli: base samples
  std::int64_t replicates = 1;
  std::uint64_t seed = 1;        // lhs permutations and jitter
  std::int64_t dyad_stride = 0;  // keep every k-th dyad's metric rows (0: none)
};

inline constexpr std::int64_t kMaxSweepPoints = 10'000'000;
inline constexpr std::size_t kMaxSweepParameters = 64;

// Reads a [sweep] table (keys checked, located errors as for any configuration).
SweepSpec read_sweep(ConfigTable table);

// The design's points: one row of parameter values per point (already rounded for integer
// parameters). For Saltelli, rows are ordered per base sample j: A_j, B_j, AB_1j ... AB_kj.
std::vector<std::vector<double>> sweep_points(const SweepSpec& spec);

// The `key=value` overrides of one point, values formatted as TOML.
std::vector<std::string> point_overrides(const SweepSpec& spec, std::span<const double> point);

// The seed of one replicate of a point: SplitMix64 over the base seed, the point's overrides (as
// text) and the replicate, so that it depends on the point's values, not on its index.
std::uint64_t point_seed(std::uint64_t base, std::span<const std::string> overrides,
                         std::int64_t replicate);

// Which process runs each point: longest processing time first (points by decreasing expected
// `cost`, ties by index, each to the least-loaded process, ties to the lowest rank), a
// deterministic assignment within 4/3 of the best balance. Points of zero cost (finished) go to
// rank 0, to be skipped.
std::vector<int> deal_points(const std::vector<double>& cost, int ranks);

// The sweep section written back as TOML (for provenance and --print-config).
std::string sweep_to_toml(const SweepSpec& spec);

}  // namespace attachsim::sim
