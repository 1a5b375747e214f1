// Plain data that a run produces and the output layer writes. The engine knows nothing of the
// model: metric and parameter names, units and descriptions arrive as data (declared up front by
// the model), so `sim/` never includes `models/`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace attachsim::sim {

// Declaration of one output column: name, unit and a one-line meaning.
struct ColumnInfo {
  std::string name;
  std::string units;
  std::string description;
};

// Metrics of one arm, struct-of-arrays: value(metric, dyad, record) lives at
// data[(metric * n_dyads + dyad) * n_records + record], so each dyad writes only its own
// contiguous rows (no sharing between threads except at row boundaries).
class MetricTable {
 public:
  MetricTable() = default;
  MetricTable(std::size_t n_metrics, std::size_t n_dyads, std::size_t n_records)
      : n_metrics_(n_metrics),
        n_dyads_(n_dyads),
        n_records_(n_records),
        data_(n_metrics * n_dyads * n_records, 0.0f) {}

  std::size_t n_metrics() const { return n_metrics_; }
  std::size_t n_dyads() const { return n_dyads_; }
  std::size_t n_records() const { return n_records_; }

  float* row(std::size_t metric, std::size_t dyad) {
    return data_.data() + (metric * n_dyads_ + dyad) * n_records_;
  }
  const float* row(std::size_t metric, std::size_t dyad) const {
    return data_.data() + (metric * n_dyads_ + dyad) * n_records_;
  }
  // All dyads x records of one metric, row-major (the HDF5 dataset layout).
  const float* metric(std::size_t metric) const {
    return data_.data() + metric * n_dyads_ * n_records_;
  }
  const std::vector<float>& data() const { return data_; }

 private:
  std::size_t n_metrics_ = 0;
  std::size_t n_dyads_ = 0;
  std::size_t n_records_ = 0;
  std::vector<float> data_;
};

// One per-dyad parameter column (as drawn), in double precision.
struct ParamColumn {
  ColumnInfo info;
  std::vector<double> values;  // one per dyad
};

// Work counters, summed over dyads (used by benchmarks and the run summary).
struct RunCounters {
  std::uint64_t events = 0;
  std::uint64_t draws = 0;
  double dyad_days = 0.0;
};

// A model-declared dataset, written under the arm group at `path` ("ssp/age_12mo/class": segments
// separated by '/', each non-empty and not "."; missing intermediate groups are created). The first
// segment may not be one of the arm's own members (time_days, params, metrics, summary), and no
// path may be another's group (both "ssp" and "ssp/class" is an error). Row-major `data` of the
// given shape: 1-D [dyads] or 2-D [dyads, k], with dyads the arm's number of dyads.
// The writer checks all of this and throws RuntimeError, as for other internal inconsistencies.
struct ExtraDataset {
  std::string path;
  // `units` and `description` become the dataset's attributes. `name` is not stored: the writer
  // ignores it and the reader sets it to the last segment of `path`.
  ColumnInfo info;
  std::vector<std::size_t> shape;
  std::variant<std::vector<float>, std::vector<std::int8_t>> data;  // float32 or int8 dataset
  // Further scalar string attributes, in order, e.g. {"codes", "0=A,1=B,2=C,3=D"} (the `codes`
  // convention, for int8 only, is in docs/output-format.md). Names must be non-empty, distinct,
  // and not "units" or "description".
  std::vector<std::pair<std::string, std::string>> string_attributes;
};

struct ArmResult {
  std::string name;         // HDF5 group name under /scenarios/
  std::string scenario;     // scenario the arm came from
  std::string arm;          // arm name within the scenario
  std::string description;  // what the arm is
  std::uint64_t seed = 0;
  std::vector<double> time_days;        // end of each record interval, days since start
  std::vector<ColumnInfo> metric_info;  // one per metric in `metrics`
  MetricTable metrics;
  std::vector<ParamColumn> params;
  std::vector<ExtraDataset> extra;  // written after the summaries, in this order
  RunCounters counters;
};

// Provenance stored as root attributes.
struct Provenance {
  std::string version;
  std::string created_utc;
  std::uint64_t seed = 0;
  std::string command_line;
  std::string config;      // fully resolved configuration, TOML text
  std::string build;       // git commit built from (git describe), empty when not known
  std::string build_type;  // CMake build type (Release, Debug, ...), empty when not known
};

struct RunResult {
  Provenance provenance;
  std::vector<ArmResult> arms;
  double simulate_seconds = 0.0;  // wall time of the simulation proper
};

// One arm of a sweep: per (point, replicate, record) summaries over the arm's dyads, streamed
// (docs/sweeps.md). Arrays hold a slab of the sweep's points (SweepResult::n_points of them),
// row-major [points][replicates][n_records] (summaries) and [points][replicates][codes] (class
// shares).
struct SweepArmResult {
  std::string name;  // group name under /sweep/arms/
  std::vector<double> time_days;
  std::vector<ColumnInfo> metric_info;
  // Per metric: mean, sd, p10, p50, p90 (in that order), and how many values fell outside the
  // quantile histogram's range.
  std::vector<std::array<std::vector<double>, 5>> stats;
  std::vector<std::vector<std::int64_t>> clamped;
  struct Shares {
    std::string path;   // e.g. "ssp/age_12mo/class_share"
    std::string codes;  // "0=A,1=B,2=C,3=D": the last axis
    std::size_t n_codes = 4;
    std::vector<double> values;
  };
  std::vector<Shares> shares;
  // Kept dyads' metric rows (every dyad_stride-th dyad; empty when none are kept):
  // per metric, [slab points * replicates][kept dyads][n_records], float32 as in metrics/.
  std::size_t kept_dyads = 0;
  std::int64_t dyad_stride = 0;
  std::vector<std::vector<float>> dyad_rows;
};

// A sweep: its design and points, and per arm the layout of its per-point arrays. Used two ways:
// as the layout of the whole sweep (n_points = all points; points and seeds filled; per-point
// arrays empty), and as a slab holding the per-point arrays of a few points (sweep_slab), whose
// arrays are row-major [slab points][replicates][...].
struct SweepResult {
  Provenance provenance;
  std::string design;
  std::int64_t samples = 0;
  std::int64_t replicates = 1;
  std::vector<std::string> columns;  // parameter keys
  std::vector<std::string> units;
  std::size_t n_points = 0;
  std::vector<double> points;        // [n_points][columns] (layout only)
  std::vector<std::uint64_t> seeds;  // [n_points][replicates] (layout only)
  std::vector<SweepArmResult> arms;
  RunCounters counters;
};

// A slab shaped like `layout` for `n` points: per-point arrays allocated (zero), no points or
// seeds.
inline SweepResult sweep_slab(const SweepResult& layout, std::size_t n) {
  SweepResult slab;
  slab.design = layout.design;
  slab.replicates = layout.replicates;
  slab.n_points = n;
  const auto reps = static_cast<std::size_t>(layout.replicates);
  for (const SweepArmResult& a : layout.arms) {
    SweepArmResult b;
    b.name = a.name;
    b.time_days = a.time_days;
    b.metric_info = a.metric_info;
    const std::size_t cells = n * reps * a.time_days.size();
    b.stats.resize(a.metric_info.size());
    for (auto& stat : b.stats) {
      for (auto& v : stat) v.assign(cells, 0.0);
    }
    b.clamped.assign(a.metric_info.size(), std::vector<std::int64_t>(cells, 0));
    for (const SweepArmResult::Shares& s : a.shares) {
      b.shares.push_back({s.path, s.codes, s.n_codes, std::vector<double>(n * reps * s.n_codes)});
    }
    b.kept_dyads = a.kept_dyads;
    b.dyad_stride = a.dyad_stride;
    if (a.kept_dyads > 0) {
      b.dyad_rows.assign(a.metric_info.size(),
                         std::vector<float>(n * reps * a.kept_dyads * a.time_days.size(), 0.0f));
    }
    slab.arms.push_back(std::move(b));
  }
  return slab;
}

}  // namespace attachsim::sim
