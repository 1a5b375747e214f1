#include "sim/sweep_file.hpp"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"

namespace attachsim::sim {
namespace {

namespace fs = std::filesystem;

// /sweep and everything below it (closed before the file is). The per-point arrays are written
// in batches of whole chunks, each batch filled by `batch` (from the checkpoints), so memory holds
// one batch of points whatever the number of points.
void write_sweep_group(const h5::Object& file, const SweepResult& layout, const SweepBatch& batch) {
  const h5::Object group = h5::create_group(file, "sweep");
  h5::write_string_attribute(group, "design", layout.design);
  h5::write_int_attribute(group, "samples", layout.samples);
  h5::write_int_attribute(group, "replicates", layout.replicates);
  h5::write_int_attribute(group, "n_points", static_cast<std::int64_t>(layout.n_points));
  const std::size_t n_points = layout.n_points;
  const std::size_t k = layout.columns.size();
  const auto reps = static_cast<std::size_t>(layout.replicates);
  {
    const std::size_t shape[2] = {n_points, k};
    const h5::Object points = h5::write_double_array(group, "points", layout.points, shape);
    std::string columns, units;
    for (std::size_t i = 0; i < k; ++i) {
      columns += (i ? "," : "") + layout.columns[i];
      units += (i ? "," : "") + layout.units[i];
    }
    h5::write_string_attribute(points, "units", units);
    h5::write_string_attribute(points, "description",
                               "parameter values of each sweep point (one column per key)");
    h5::write_string_attribute(points, "columns", columns);
  }
  {
    const std::size_t shape[2] = {n_points, reps};
    const h5::Object seeds = h5::write_uint64_array(group, "seeds", layout.seeds, shape);
    h5::write_string_attribute(seeds, "units", "seed");
    h5::write_string_attribute(seeds, "description",
                               "scenario seed of each replicate of each point (derived from the "
                               "base seed, the point's values and the replicate)");
  }
  // Every per-point dataset, in the order the slab's arrays are visited below.
  std::vector<h5::Object> targets;
  std::size_t row_bytes = 1;  // the largest per-point row of any dataset
  for (const SweepArmResult& arm : layout.arms) {
    const std::size_t n_records = arm.time_days.size();
    row_bytes = std::max(row_bytes, reps * n_records * sizeof(double));
    row_bytes = std::max(row_bytes, reps * arm.kept_dyads * n_records * sizeof(float));
  }
  const std::size_t rows_per_chunk = std::clamp<std::size_t>((std::size_t{1} << 17) / row_bytes, 1,
                                                             std::max<std::size_t>(n_points, 1));
  const h5::Object arms = h5::create_group(group, "arms");
  static constexpr const char* kStats[5] = {"mean", "sd", "p10", "p50", "p90"};
  for (const SweepArmResult& arm : layout.arms) {
    const h5::Object a = h5::create_group(arms, arm.name);
    const std::size_t n_records = arm.time_days.size();
    {
      const h5::Object t = h5::write_vector(a, "time_days", arm.time_days);
      h5::write_string_attribute(t, "units", "days");
      h5::write_string_attribute(t, "description", "end of each recording interval");
    }
    const h5::Object summary = h5::create_group(a, "summary");
    const std::size_t shape[3] = {n_points, reps, n_records};
    for (const ColumnInfo& info : arm.metric_info) {
      const h5::Object g = h5::create_group(summary, info.name);
      for (std::size_t s = 0; s < 5; ++s) {
        h5::Object d =
            h5::create_row_dataset(g, kStats[s], h5::Element::kFloat64, shape, rows_per_chunk);
        h5::write_string_attribute(d, "units", info.units);
        h5::write_string_attribute(
            d, "description",
            std::string(kStats[s]) +
                " over the dyads of each point and replicate, per record, of: " + info.description +
                (s >= 2 ? " (streamed: exact to 1/1000 of the range)" : ""));
        targets.push_back(std::move(d));
      }
      h5::Object c =
          h5::create_row_dataset(g, "clamped", h5::Element::kInt64, shape, rows_per_chunk);
      h5::write_string_attribute(c, "units", "count");
      h5::write_string_attribute(c, "description",
                                 "values outside the quantile histogram's range (counted in its "
                                 "end bins)");
      targets.push_back(std::move(c));
    }
    for (const SweepArmResult::Shares& sh : arm.shares) {
      const std::size_t sshape[3] = {n_points, reps, sh.n_codes};
      const std::size_t slash = sh.path.rfind('/');
      const h5::Object g = h5::require_group(a, sh.path.substr(0, slash));
      h5::Object d = h5::create_row_dataset(g, sh.path.substr(slash + 1), h5::Element::kFloat64,
                                            sshape, rows_per_chunk);
      h5::write_string_attribute(d, "units", "share");
      h5::write_string_attribute(d, "description",
                                 "share of the dyads of each point and replicate in each class "
                                 "(last axis: codes)");
      h5::write_string_attribute(d, "codes", sh.codes);
      targets.push_back(std::move(d));
    }
    if (arm.kept_dyads > 0) {
      const h5::Object dyads = h5::create_group(a, "dyads");
      h5::write_int_attribute(dyads, "dyad_stride", arm.dyad_stride);
      // Rows are (point, replicate) pairs: a point's replicates are reps consecutive rows.
      const std::size_t dshape[3] = {n_points * reps, arm.kept_dyads, n_records};
      for (const ColumnInfo& info : arm.metric_info) {
        h5::Object d = h5::create_row_dataset(dyads, info.name, h5::Element::kFloat32, dshape,
                                              rows_per_chunk * reps);
        h5::write_string_attribute(d, "units", info.units);
        h5::write_string_attribute(
            d, "description",
            info.description +
                " (kept dyads 0, k, 2k, ... with k = dyad_stride; first axis: point "
                "x replicates + replicate)");
        targets.push_back(std::move(d));
      }
    }
  }
  for (std::size_t first = 0; first < n_points; first += rows_per_chunk) {
    const std::size_t n = std::min(rows_per_chunk, n_points - first);
    SweepResult slab = sweep_slab(layout, n);
    batch(first, n, slab);
    std::size_t t = 0;
    for (const SweepArmResult& arm : slab.arms) {
      for (std::size_t m = 0; m < arm.metric_info.size(); ++m) {
        for (std::size_t s = 0; s < 5; ++s) {
          h5::write_rows(targets[t++], h5::Element::kFloat64, first, n, arm.stats[m][s].data());
        }
        h5::write_rows(targets[t++], h5::Element::kInt64, first, n, arm.clamped[m].data());
      }
      for (const SweepArmResult::Shares& sh : arm.shares) {
        h5::write_rows(targets[t++], h5::Element::kFloat64, first, n, sh.values.data());
      }
      for (const std::vector<float>& rows : arm.dyad_rows) {
        h5::write_rows(targets[t++], h5::Element::kFloat32, first * reps, n * reps, rows.data());
      }
    }
  }
}

void write_sweep_file(const std::string& path, const SweepResult& layout, const SweepBatch& batch) {
  h5::Object file = h5::create_file(path);
  write_provenance(file, layout.provenance);
  { write_sweep_group(file, layout, batch); }
  file.close();
}

}  // namespace

void write_sweep(const std::string& path, const SweepResult& layout, const SweepBatch& batch) {
  commit_file(path, [&](const std::string& temp) { write_sweep_file(temp, layout, batch); });
}

void write_analysis(const std::string& path, const std::vector<std::string>& columns,
                    const std::vector<AnalysisResult>& results, std::size_t resamples) {
  commit_file(path, [&](const std::string& temp) {
    std::error_code error;
    fs::copy_file(path, temp, fs::copy_options::overwrite_existing, error);
    if (error) {
      throw RuntimeError("cannot copy '" + path + "' to '" + temp + "': " + error.message());
    }
    h5::Object file = h5::open_file_rw(temp);
    {
      if (h5::exists(file, "analysis")) h5::remove_link(file, "analysis");
      const h5::Object analysis = h5::create_group(file, "analysis");
      std::string names;
      for (std::size_t i = 0; i < columns.size(); ++i) names += (i ? "," : "") + columns[i];
      for (const AnalysisResult& r : results) {
        const h5::Object g = h5::create_group(analysis, r.name);
        h5::write_string_attribute(g, "description", r.description);
        h5::write_string_attribute(g, "columns", names);
        h5::write_double_attribute(g, "variance", r.indices.variance);
        h5::write_double_attribute(g, "level", r.indices.level);
        h5::write_int_attribute(g, "bootstrap_resamples", static_cast<std::int64_t>(resamples));
        const std::size_t k = r.indices.first.size();
        const std::size_t one[1] = {k};
        const std::size_t two[2] = {k, 2};
        auto flat = [](const std::vector<std::array<double, 2>>& ci) {
          std::vector<double> v;
          for (const auto& [lo, hi] : ci) {
            v.push_back(lo);
            v.push_back(hi);
          }
          return v;
        };
        const struct {
          const char* name;
          std::vector<double> values;
          const std::size_t* shape;
          std::size_t rank;
          const char* description;
        } sets[4] = {
            {"first_order", r.indices.first, one, 1,
             "first-order Sobol index per parameter (Saltelli et al. 2010 estimator)"},
            {"total", r.indices.total, one, 1,
             "total Sobol index per parameter (Jansen 1999 estimator)"},
            {"first_order_ci", flat(r.indices.first_ci), two, 2,
             "bootstrap percentile interval of the first-order index (lower, upper)"},
            {"total_ci", flat(r.indices.total_ci), two, 2,
             "bootstrap percentile interval of the total index (lower, upper)"},
        };
        for (const auto& set : sets) {
          const h5::Object d = h5::write_double_array(
              g, set.name, set.values, std::span<const std::size_t>(set.shape, set.rank));
          h5::write_string_attribute(d, "units", "share of variance");
          h5::write_string_attribute(d, "description", set.description);
        }
      }
    }
    file.close();
  });
}

}  // namespace attachsim::sim
