// The results file of a sweep (layout: docs/sweeps.md): writing it in batches of points,
// storing a sensitivity analysis in it, and reading it back with every count, shape and
// cross-reference checked.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/results.hpp"
#include "sim/results_file.hpp"
#include "sim/sensitivity.hpp"

namespace attachsim::sim {

// Writes a sweep's results (layout: docs/sweeps.md) the same way: whole file or none. `layout`
// gives the design, the points and seeds and each arm's layout; the per-point arrays are written
// in batches of points, `batch(first, n, slab)` filling the slab (sweep_slab(layout, n)) with
// points [first, first + n), so memory holds one batch, not the whole sweep.
using SweepBatch = std::function<void(std::size_t first, std::size_t n, SweepResult& slab)>;
void write_sweep(const std::string& path, const SweepResult& layout, const SweepBatch& batch);

// Sobol indices of one output of a sweep (attachsim analyze).
struct AnalysisResult {
  std::string name;         // group name under /analysis/
  std::string description;  // what the output is
  SobolIndices indices;
};

// Stores /analysis/<name>/{first_order, total, first_order_ci, total_ci} in an existing results
// file, replacing any /analysis group there, through a copy that is renamed into place: the file
// is whole before and after, never half-written. `columns` names the parameters.
void write_analysis(const std::string& path, const std::vector<std::string>& columns,
                    const std::vector<AnalysisResult>& results, std::size_t resamples);

// --- reading -----------------------------------------------------------------------------------
// One reader for sweep files: read_sweep_file checks everything it returns and every shape it
// will index — attributes, counts, dataset shapes and cross-references — before anything is
// used, so a damaged or crafted file is an InputError naming the file and the dataset, never an
// out-of-bounds read; the per-point arrays are read on demand, checked again.

// A class-share dataset of a sweep arm: `path` under the arm, its classes (the last axis).
struct SweepFileShares {
  std::string path;  // e.g. "ssp/age_12mo/class_share"
  std::vector<Code> codes;
};

struct SweepFileArm {
  std::string name;
  std::vector<double> time_days;     // n_records, non-empty, finite
  std::vector<std::string> metrics;  // summary/<metric> groups, in file order
  std::vector<SweepFileShares> shares;
  std::size_t kept_dyads = 0;  // dyads/<metric>: rows kept per point and replicate (0: none)
  std::int64_t dyad_stride = 0;
  std::vector<std::string> kept_metrics;
};

// A stored sensitivity analysis (/analysis/<name>, written by attachsim analyze).
struct SweepFileAnalysis {
  std::string name;
  std::string description;
  std::vector<double> first, total;  // one per parameter
  std::vector<std::array<double, 2>> first_ci, total_ci;
};

struct SweepFile {
  std::string path;
  Provenance provenance;
  std::int64_t schema_version = 0;
  std::string design;  // grid, lhs, sobol or saltelli
  std::int64_t samples = 0;
  std::size_t n_points = 0;
  std::size_t replicates = 0;
  std::vector<std::string> columns;  // parameter keys (k >= 1)
  std::vector<std::string> units;    // one per column ("" where the file has none)
  std::vector<double> points;        // [n_points][k]
  std::vector<std::uint64_t> seeds;  // [n_points][replicates]
  std::vector<SweepFileArm> arms;    // at least one, in file order
  std::vector<SweepFileAnalysis> analysis;
  // The file, kept open for read_sweep_summary and read_sweep_shares (opening an HDF5 file costs
  // more than reading these arrays); shared by copies.
  std::shared_ptr<const h5::Object> handle;
};

// True if `path` is a regular file in HDF5 format with a /sweep group (what the readers use to
// choose between a run's and a sweep's results); false for anything else, without blocking on a
// FIFO or following into a device.
bool is_sweep_file(const std::string& path) noexcept;

// Reads and checks a sweep file's structure (everything but the per-point arrays). Throws
// InputError: not a regular readable file, not an attachsim sweep file, a newer schema_version,
// or anything inconsistent, naming the dataset.
SweepFile read_sweep_file(const std::string& path);

// The arm named `name`; InputError listing the arms when there is none.
const SweepFileArm& sweep_arm(const SweepFile& file, const std::string& name);

// summary/<metric>/<stat> of an arm (stat: mean, sd, p10, p50 or p90), row-major
// [n_points][replicates][n_records]. InputError for an unknown metric or stat (listing those
// allowed) or a dataset that is not of that shape.
std::vector<double> read_sweep_summary(const SweepFile& file, const SweepFileArm& arm,
                                       const std::string& metric, const std::string& stat);

// A share dataset of an arm, row-major [n_points][replicates][codes]. InputError as above.
std::vector<double> read_sweep_shares(const SweepFile& file, const SweepFileArm& arm,
                                      const SweepFileShares& shares);

}  // namespace attachsim::sim
