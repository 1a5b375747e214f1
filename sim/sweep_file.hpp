// The results file of a sweep (layout: docs/sweeps.md): writing it in batches of points,
// storing a sensitivity analysis in it, and reading it back with every count, shape and
// cross-reference checked.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/results.hpp"
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

}  // namespace attachsim::sim
