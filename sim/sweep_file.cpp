#include "sim/sweep_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"
#include "sim/sweep.hpp"

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

// --- reading -----------------------------------------------------------------------------------

namespace {

constexpr std::array<const char*, 5> kStatNames = {"mean", "sd", "p10", "p50", "p90"};
constexpr std::int64_t kMaxReplicates = 1'000'000;
constexpr std::size_t kMaxRecords = 10'000'000;
constexpr int kMaxShareDepth = 16;  // deeper nesting: a group linked into itself, or not ours

std::vector<std::string> split_at_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    out.push_back(text.substr(start, comma == std::string::npos ? comma : comma - start));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

// Checks made while reading one file: each failure names the file and the dataset.
class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}
  void require(bool ok, const std::string& what) const {
    if (!ok) throw InputError("'" + path_ + "' is not a valid sweep file: " + what);
  }
  // The dataset `name` under `parent` (shown as `where`): float64, of exactly `shape`.
  h5::Object float64_of_shape(const h5::Object& parent, const std::string& name,
                              const std::vector<std::size_t>& shape,
                              const std::string& where) const {
    require(h5::exists(parent, name) && h5::kind(parent, name) == h5::Kind::kDataset,
            "'" + where + "' is missing or not a dataset");
    h5::Object d = h5::open_dataset(parent, name);
    require(h5::element_type(d) == h5::ElementType::kFloat64, "'" + where + "' is not float64");
    const std::vector<std::size_t> found = h5::shape(d);
    require(found == shape,
            "'" + where + "' has shape " + shape_text(found) + ", expected " + shape_text(shape));
    return d;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The class-share datasets under an arm group (every dataset with a `codes` attribute, outside
// time_days, summary and dyads), depth first in creation order.
void find_shares(const Checker& check, const h5::Object& group, const std::string& prefix,
                 const std::string& arm_where, const std::vector<std::size_t>& lead,
                 std::vector<SweepFileShares>& out, int depth = 0) {
  check.require(depth <= kMaxShareDepth,
                "'" + arm_where + "/" + prefix.substr(0, 60) + "' is nested more than " +
                    std::to_string(kMaxShareDepth) + " groups deep (a group linked into itself?)");
  for (const std::string& name : h5::children(group)) {
    if (prefix.empty() && (name == "time_days" || name == "summary" || name == "dyads")) continue;
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    const h5::Kind kind = h5::kind(group, name);
    if (kind == h5::Kind::kGroup) {
      find_shares(check, h5::open_group(group, name), path, arm_where, lead, out, depth + 1);
      continue;
    }
    if (kind != h5::Kind::kDataset) continue;
    const h5::Object d = h5::open_dataset(group, name);
    if (!h5::has_attribute(d, "codes")) continue;  // not a share (a newer writer's addition)
    const std::string where = arm_where + "/" + path;
    check.require(h5::is_string_attribute(d, "codes"),
                  "the 'codes' attribute of '" + where + "' is not text");
    const std::optional<std::vector<Code>> codes =
        parse_codes(h5::read_string_attribute(d, "codes"));
    check.require(codes.has_value() && !codes->empty(),
                  "the 'codes' attribute of '" + where + "' is not a list of value=label");
    std::vector<std::size_t> shape = lead;
    shape.push_back(codes->size());
    check.float64_of_shape(group, name, shape, where);
    out.push_back({path, *codes});
  }
}

SweepFileArm read_arm(const Checker& check, const h5::Object& arms, const std::string& name,
                      std::size_t n_points, std::size_t reps) {
  const std::string where = "/sweep/arms/" + name;
  check.require(h5::kind(arms, name) == h5::Kind::kGroup, "'" + where + "' is not a group");
  const h5::Object group = h5::open_group(arms, name);
  SweepFileArm arm;
  arm.name = name;
  check.require(
      h5::exists(group, "time_days") && h5::kind(group, "time_days") == h5::Kind::kDataset,
      "'" + where + "/time_days' is missing");
  const std::vector<std::size_t> time_shape = h5::shape(h5::open_dataset(group, "time_days"));
  check.require(time_shape.size() == 1 && time_shape[0] >= 1 && time_shape[0] <= kMaxRecords,
                "'" + where + "/time_days' has shape " + shape_text(time_shape) +
                    ", expected [n_records] with 1 to " + std::to_string(kMaxRecords) + " records");
  arm.time_days = h5::read_vector(group, "time_days");
  for (const double t : arm.time_days) {
    check.require(std::isfinite(t), "'" + where + "/time_days' holds a value that is not finite");
  }
  const std::size_t records = arm.time_days.size();
  const std::vector<std::size_t> cell = {n_points, reps, records};
  check.require(h5::exists(group, "summary") && h5::kind(group, "summary") == h5::Kind::kGroup,
                "'" + where + "/summary' is missing");
  const h5::Object summary = h5::open_group(group, "summary");
  for (const std::string& metric : h5::children(summary)) {
    const std::string mwhere = where + "/summary/" + metric;
    check.require(h5::kind(summary, metric) == h5::Kind::kGroup, "'" + mwhere + "' is not a group");
    const h5::Object m = h5::open_group(summary, metric);
    for (const char* stat : kStatNames) {
      check.float64_of_shape(m, stat, cell, mwhere + "/" + stat);
    }
    arm.metrics.push_back(metric);
  }
  check.require(!arm.metrics.empty(), "'" + where + "/summary' holds no metric");
  find_shares(check, group, "", where, {n_points, reps}, arm.shares);
  if (h5::exists(group, "dyads")) {
    check.require(h5::kind(group, "dyads") == h5::Kind::kGroup,
                  "'" + where + "/dyads' is not a group");
    const h5::Object dyads = h5::open_group(group, "dyads");
    check.require(h5::has_attribute(dyads, "dyad_stride"),
                  "'" + where + "/dyads' has no dyad_stride attribute");
    arm.dyad_stride = h5::read_int_attribute(dyads, "dyad_stride");
    check.require(arm.dyad_stride >= 1, "'" + where + "/dyads' has dyad_stride " +
                                            std::to_string(arm.dyad_stride) + "; expected >= 1");
    for (const std::string& metric : h5::children(dyads)) {
      const std::string dwhere = where + "/dyads/" + metric;
      check.require(h5::kind(dyads, metric) == h5::Kind::kDataset,
                    "'" + dwhere + "' is not a dataset");
      const std::vector<std::size_t> shape = h5::shape(h5::open_dataset(dyads, metric));
      check.require(shape.size() == 3 && shape[0] == n_points * reps && shape[1] >= 1 &&
                        shape[2] == records && (arm.kept_dyads == 0 || shape[1] == arm.kept_dyads),
                    "'" + dwhere + "' has shape " + shape_text(shape) + ", expected [" +
                        std::to_string(n_points * reps) + ", kept dyads, " +
                        std::to_string(records) + "] as every kept metric");
      arm.kept_dyads = shape[1];
      arm.kept_metrics.push_back(metric);
    }
  }
  return arm;
}

SweepFileAnalysis read_analysis(const Checker& check, const h5::Object& analysis,
                                const std::string& name, std::size_t k) {
  const std::string where = "/analysis/" + name;
  check.require(h5::kind(analysis, name) == h5::Kind::kGroup, "'" + where + "' is not a group");
  const h5::Object g = h5::open_group(analysis, name);
  SweepFileAnalysis a;
  a.name = name;
  if (h5::has_attribute(g, "description") && h5::is_string_attribute(g, "description")) {
    a.description = h5::read_string_attribute(g, "description");
  }
  check.float64_of_shape(g, "first_order", {k}, where + "/first_order");
  check.float64_of_shape(g, "total", {k}, where + "/total");
  check.float64_of_shape(g, "first_order_ci", {k, 2}, where + "/first_order_ci");
  check.float64_of_shape(g, "total_ci", {k, 2}, where + "/total_ci");
  a.first = h5::read_double_array(g, "first_order").values;
  a.total = h5::read_double_array(g, "total").values;
  const auto pairs = [](const std::vector<double>& flat) {
    std::vector<std::array<double, 2>> out;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) out.push_back({flat[i], flat[i + 1]});
    return out;
  };
  a.first_ci = pairs(h5::read_double_array(g, "first_order_ci").values);
  a.total_ci = pairs(h5::read_double_array(g, "total_ci").values);
  check.require(a.first.size() == k && a.total.size() == k && a.first_ci.size() == k &&
                    a.total_ci.size() == k,
                "'" + where + "' does not hold one index per parameter");
  return a;
}

// Library-level failures (RuntimeError: a wrong type, an unreadable attribute) while reading a
// file given as input mean the file is bad input.
template <class Read>
auto rejecting(const std::string& path, Read&& read) {
  try {
    return read();
  } catch (const RuntimeError& error) {
    throw InputError("'" + path + "' is not a valid sweep file: " + error.what());
  }
}

}  // namespace

bool is_sweep_file(const std::string& path) noexcept {
  try {
    std::error_code error;
    if (!fs::is_regular_file(path, error) || !h5::is_hdf5_file(path)) return false;
    const h5::Object file = h5::open_file(path);
    return h5::exists(file, "sweep");
  } catch (...) {
    return false;
  }
}

SweepFile read_sweep_file(const std::string& path) {
  return rejecting(path, [&] {
    const Checker check(path);
    auto handle = std::make_shared<const h5::Object>(open_attachsim_file(path, "sweep"));
    const h5::Object& file = *handle;
    SweepFile out;
    out.handle = handle;
    out.path = path;
    out.provenance = read_provenance(file);
    out.schema_version = h5::read_int_attribute(file, "schema_version");
    check.require(h5::kind(file, "sweep") == h5::Kind::kGroup, "'/sweep' is not a group");
    const h5::Object sweep = h5::open_group(file, "sweep");
    for (const char* attribute : {"design", "samples", "replicates", "n_points"}) {
      check.require(h5::has_attribute(sweep, attribute),
                    std::string("'/sweep' has no attribute '") + attribute + "'");
    }
    out.design = h5::read_string_attribute(sweep, "design");
    check.require(std::find(std::begin(kDesignNames), std::end(kDesignNames), out.design) !=
                      std::end(kDesignNames),
                  "'/sweep' has design '" + out.design + "'; allowed: grid, lhs, sobol, saltelli");
    out.samples = h5::read_int_attribute(sweep, "samples");
    const std::int64_t n_points = h5::read_int_attribute(sweep, "n_points");
    const std::int64_t reps = h5::read_int_attribute(sweep, "replicates");
    check.require(n_points >= 1 && n_points <= kMaxSweepPoints,
                  "'/sweep' attribute n_points is " + std::to_string(n_points) +
                      "; allowed: 1 to " + std::to_string(kMaxSweepPoints));
    check.require(reps >= 1 && reps <= kMaxReplicates,
                  "'/sweep' attribute replicates is " + std::to_string(reps) + "; allowed: 1 to " +
                      std::to_string(kMaxReplicates));
    check.require(out.samples >= 0, "'/sweep' attribute samples is negative");
    out.n_points = static_cast<std::size_t>(n_points);
    out.replicates = static_cast<std::size_t>(reps);
    // The points and their columns.
    check.require(h5::exists(sweep, "points") && h5::kind(sweep, "points") == h5::Kind::kDataset,
                  "'/sweep/points' is missing");
    const h5::Object points = h5::open_dataset(sweep, "points");
    check.require(
        h5::has_attribute(points, "columns") && h5::is_string_attribute(points, "columns"),
        "'/sweep/points' has no 'columns' attribute naming its parameters");
    out.columns = split_at_commas(h5::read_string_attribute(points, "columns"));
    const std::size_t k = out.columns.size();
    for (const std::string& c : out.columns) {
      check.require(!c.empty(), "'/sweep/points' attribute 'columns' has an empty name");
    }
    check.require(k <= kMaxSweepParameters, "'/sweep/points' names " + std::to_string(k) +
                                                " parameters; allowed: at most " +
                                                std::to_string(kMaxSweepParameters));
    if (h5::has_attribute(points, "units") && h5::is_string_attribute(points, "units")) {
      out.units = split_at_commas(h5::read_string_attribute(points, "units"));
      check.require(out.units.size() == k, "'/sweep/points' attribute 'units' has " +
                                               std::to_string(out.units.size()) + " entries for " +
                                               std::to_string(k) + " columns");
    } else {
      out.units.assign(k, "");
    }
    check.float64_of_shape(sweep, "points", {out.n_points, k}, "/sweep/points");
    out.points = h5::read_double_array(sweep, "points").values;
    check.require(out.design != "saltelli" || out.n_points % (k + 2) == 0,
                  "a Saltelli design has N x (k + 2) points for k parameters; n_points " +
                      std::to_string(out.n_points) + " is not a multiple of " +
                      std::to_string(k + 2));
    check.require(h5::exists(sweep, "seeds") && h5::kind(sweep, "seeds") == h5::Kind::kDataset,
                  "'/sweep/seeds' is missing");
    const std::vector<std::size_t> seed_shape = h5::shape(h5::open_dataset(sweep, "seeds"));
    check.require(seed_shape == std::vector<std::size_t>{out.n_points, out.replicates},
                  "'/sweep/seeds' has shape " + shape_text(seed_shape) + ", expected [" +
                      std::to_string(out.n_points) + ", " + std::to_string(out.replicates) + "]");
    out.seeds = h5::read_uint64_array(sweep, "seeds").values;
    // The arms.
    check.require(h5::exists(sweep, "arms") && h5::kind(sweep, "arms") == h5::Kind::kGroup,
                  "'/sweep/arms' is missing");
    const h5::Object arms = h5::open_group(sweep, "arms");
    for (const std::string& name : h5::children(arms)) {
      out.arms.push_back(read_arm(check, arms, name, out.n_points, out.replicates));
    }
    check.require(!out.arms.empty(), "'/sweep/arms' holds no arm");
    if (h5::exists(file, "analysis")) {
      check.require(h5::kind(file, "analysis") == h5::Kind::kGroup, "'/analysis' is not a group");
      const h5::Object analysis = h5::open_group(file, "analysis");
      for (const std::string& name : h5::children(analysis)) {
        out.analysis.push_back(read_analysis(check, analysis, name, k));
      }
    }
    return out;
  });
}

const SweepFileArm& sweep_arm(const SweepFile& file, const std::string& name) {
  std::string known;
  for (const SweepFileArm& arm : file.arms) {
    if (arm.name == name) return arm;
    known += (known.empty() ? "" : ", ") + arm.name;
  }
  throw InputError("'" + file.path + "' has no arm '" + name + "'; arms: " + known);
}

std::vector<double> read_sweep_summary(const SweepFile& file, const SweepFileArm& arm,
                                       const std::string& metric, const std::string& stat) {
  if (std::find(arm.metrics.begin(), arm.metrics.end(), metric) == arm.metrics.end()) {
    std::string known;
    for (const std::string& m : arm.metrics) known += (known.empty() ? "" : ", ") + m;
    throw InputError("'" + file.path + "': arm '" + arm.name + "' has no metric '" + metric +
                     "'; metrics: " + known);
  }
  if (std::find_if(kStatNames.begin(), kStatNames.end(),
                   [&](const char* s) { return stat == s; }) == kStatNames.end()) {
    throw InputError("no summary statistic '" + stat + "'; allowed: mean, sd, p10, p50, p90");
  }
  return rejecting(file.path, [&] {
    const Checker check(file.path);
    const h5::Object reopened =
        file.handle ? h5::Object() : open_attachsim_file(file.path, "sweep");
    const h5::Object& h = file.handle ? *file.handle : reopened;
    const std::string where = "/sweep/arms/" + arm.name + "/summary/" + metric;
    const h5::Object group = h5::open_group(
        h5::open_group(h5::open_group(h5::open_group(h, "sweep"), "arms"), arm.name), "summary");
    const h5::Object m = h5::open_group(group, metric);
    check.float64_of_shape(m, stat, {file.n_points, file.replicates, arm.time_days.size()},
                           where + "/" + stat);
    std::vector<double> values = h5::read_double_array(m, stat).values;
    check.require(values.size() == file.n_points * file.replicates * arm.time_days.size(),
                  "'" + where + "/" + stat + "' changed while it was read");
    return values;
  });
}

std::vector<double> read_sweep_shares(const SweepFile& file, const SweepFileArm& arm,
                                      const SweepFileShares& shares) {
  return rejecting(file.path, [&] {
    const Checker check(file.path);
    const h5::Object reopened =
        file.handle ? h5::Object() : open_attachsim_file(file.path, "sweep");
    const h5::Object& h = file.handle ? *file.handle : reopened;
    const h5::Object group =
        h5::open_group(h5::open_group(h5::open_group(h, "sweep"), "arms"), arm.name);
    const std::size_t slash = shares.path.rfind('/');
    // A share directly under the arm is opened through the arm group itself ("" is the group).
    const h5::Object parent =
        h5::require_group(group, slash == std::string::npos ? "" : shares.path.substr(0, slash));
    const std::string name =
        slash == std::string::npos ? shares.path : shares.path.substr(slash + 1);
    const std::string where = "/sweep/arms/" + arm.name + "/" + shares.path;
    check.float64_of_shape(parent, name, {file.n_points, file.replicates, shares.codes.size()},
                           where);
    std::vector<double> values = h5::read_double_array(parent, name).values;
    check.require(values.size() == file.n_points * file.replicates * shares.codes.size(),
                  "'" + where + "' changed while it was read");
    return values;
  });
}

}  // namespace attachsim::sim
