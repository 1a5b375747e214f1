// Plain data that a run produces and the output layer writes. The engine knows nothing of the
// model: metric and parameter names, units and descriptions arrive as data (declared up front by
// the model), so `sim/` never includes `models/`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
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
  RunCounters counters;
};

// Provenance stored as root attributes.
struct Provenance {
  std::string version;
  std::string created_utc;
  std::uint64_t seed = 0;
  std::string command_line;
  std::string config;  // fully resolved configuration, TOML text
};

struct RunResult {
  Provenance provenance;
  std::vector<ArmResult> arms;
  double simulate_seconds = 0.0;  // wall time of the simulation proper
};

}  // namespace attachsim::sim
