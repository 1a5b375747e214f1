#include "sim/results_file.hpp"

#include <fcntl.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <variant>

#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/h5.hpp"
#include "sim/resources.hpp"
#include "sim/summary.hpp"

namespace attachsim::sim {

namespace {

namespace fs = std::filesystem;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What write_arm puts directly under an arm group; model-declared datasets live beside these.
constexpr std::array<std::string_view, 4> kArmMembers = {"time_days", "params", "metrics",
                                                         "summary"};

bool is_arm_member(const std::string& name) {
  return std::find(kArmMembers.begin(), kArmMembers.end(), name) != kArmMembers.end();
}

// Splits at every `separator`, keeping empty pieces ("a//b" gives "a", "", "b").
std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> pieces;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    pieces.push_back(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return pieces;
    start = end + 1;
  }
}

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

std::string errno_text(int error) { return std::strerror(error); }

// --- writing -----------------------------------------------------------------------------------

void describe(const h5::Object& dataset, const std::string& units, const std::string& description) {
  h5::write_string_attribute(dataset, "units", units);
  h5::write_string_attribute(dataset, "description", description);
}

void check_link_name(const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name.find('/') != std::string::npos) {
    throw RuntimeError(what + " name '" + name +
                       "' cannot be an HDF5 name (it must be non-empty, not '.', without '/')");
  }
}

void check_arm_shape(const ArmResult& arm) {
  const MetricTable& table = arm.metrics;
  const auto mismatch = [&](const std::string& detail) {
    throw RuntimeError("arm '" + arm.name + "': " + detail + " (internal error)");
  };
  if (arm.metric_info.size() != table.n_metrics()) {
    mismatch(std::to_string(arm.metric_info.size()) + " metric declarations for " +
             std::to_string(table.n_metrics()) + " metrics");
  }
  if (arm.time_days.size() != table.n_records()) {
    mismatch(std::to_string(arm.time_days.size()) + " times for " +
             std::to_string(table.n_records()) + " records");
  }
  for (const ParamColumn& param : arm.params) {
    if (param.values.size() != table.n_dyads()) {
      mismatch("parameter '" + param.info.name + "' has " + std::to_string(param.values.size()) +
               " values for " + std::to_string(table.n_dyads()) + " dyads");
    }
  }
}

void check_extra_attributes(const ExtraDataset& extra,
                            const std::function<void(std::string)>& fail) {
  std::set<std::string> names;
  for (const auto& [name, value] : extra.string_attributes) {
    if (name.empty() || name == "units" || name == "description") {
      fail("attribute name '" + name +
           "' is empty or reserved (units and description come from info)");
    }
    if (!names.insert(name).second) fail("attribute '" + name + "' is given twice");
    if (name != "codes") continue;
    if (!std::holds_alternative<std::vector<std::int8_t>>(extra.data)) {
      fail("a 'codes' attribute belongs on int8 data");
    }
    if (!parse_codes(value)) {
      fail("attribute codes = '" + value + "' is not of the form '0=A,1=B' (distinct int8 values)");
    }
  }
}

// Paths, shapes and attributes of the model-declared datasets, before anything of the arm is
// written.
void check_extras(const ArmResult& arm) {
  std::set<std::string> datasets;
  std::set<std::string> groups;  // every proper prefix of a dataset path
  for (const ExtraDataset& extra : arm.extra) {
    const std::function<void(std::string)> fail = [&](const std::string& detail) {
      throw RuntimeError("arm '" + arm.name + "': dataset '" + extra.path + "': " + detail +
                         " (internal error)");
    };
    const std::vector<std::string> segments = split(extra.path, '/');
    for (const std::string& segment : segments) {
      if (segment.empty() || segment == ".") fail("a path segment is empty or '.'");
    }
    if (is_arm_member(segments.front())) {
      fail("'" + segments.front() +
           "' is one of the arm's own members (time_days, params, metrics, summary)");
    }
    std::string prefix;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) {
      prefix += (i > 0 ? "/" : "") + segments[i];
      if (datasets.count(prefix) > 0) fail("'" + prefix + "' is another dataset, not a group");
      groups.insert(prefix);
    }
    if (groups.count(extra.path) > 0) fail("the path is a group of another dataset");
    if (!datasets.insert(extra.path).second) fail("the path is declared twice");

    const std::vector<std::size_t>& shape = extra.shape;
    if (shape.empty() || shape.size() > 2) {
      fail("shape " + shape_text(shape) + " is not [dyads] or [dyads, k]");
    }
    if (shape[0] != arm.metrics.n_dyads()) {
      fail("shape " + shape_text(shape) + " for " + std::to_string(arm.metrics.n_dyads()) +
           " dyads");
    }
    const std::size_t expected = shape.size() == 1 ? shape[0] : shape[0] * shape[1];
    const std::size_t actual =
        std::visit([](const auto& values) { return values.size(); }, extra.data);
    if (actual != expected) {
      fail(std::to_string(actual) + " values for shape " + shape_text(shape));
    }
    check_extra_attributes(extra, fail);
  }
}

// Where an arm's rows go: all of them (a serial file), or this process's rows [first, first + n)
// of `total` (a distributed file, docs/hpc.md).
struct Placement {
  bool distributed = false;
  std::size_t first = 0;
  std::size_t total = 0;
};

// A per-dyad dataset of `rows` local rows of shape `inner` each.
h5::Object put_rows(const h5::Object& parent, const std::string& name, h5::Layout layout,
                    h5::Element type, std::size_t rows, std::span<const std::size_t> inner,
                    const void* values, const Placement& place) {
  std::vector<std::size_t> shape{place.distributed ? place.total : rows};
  shape.insert(shape.end(), inner.begin(), inner.end());
  return h5::write_slab(parent, name, layout, type, shape, place.distributed ? place.first : 0,
                        rows, values);
}

// A float64 vector every process knows (or, for a summary, the one that computed it): written by
// `mine` in a distributed file.
h5::Object put_vector(const h5::Object& parent, const std::string& name, std::size_t size,
                      const double* values, bool distributed, bool mine) {
  const std::size_t shape[1] = {size};
  return h5::write_slab(parent, name, h5::Layout::kVector, h5::Element::kFloat64, shape, 0,
                        !distributed || mine ? size : 0, values);
}

// One metric's summary group. In a distributed file the metric's rows are gathered to one process
// (metrics dealt round-robin), which summarises the whole column exactly as the serial writer does
// and writes it; memory holds one metric's table on one process at a time.
// `computed`: the summary, already computed (a serial file).
void write_summary(const h5::Object& parent, const ColumnInfo& info, std::size_t m,
                   const MetricTable& table, const Placement& place, Summary computed) {
  const std::size_t n_records = table.n_records();
  Summary summary;
  bool mine = true;
  if (!place.distributed) {
    summary = std::move(computed);
  } else {
    const int owner = static_cast<int>(m % static_cast<std::size_t>(distributed::size()));
    mine = distributed::rank() == owner;
    const std::vector<float> all = distributed::gather_rows(
        {table.metric(m), table.n_dyads() * n_records}, std::max<std::size_t>(n_records, 1), owner);
    if (mine) summary = summarize(all.data(), place.total, n_records);
  }
  const h5::Object group = h5::create_group(parent, info.name);
  const struct {
    const char* name;
    const std::vector<double>& values;
    const char* meaning;
  } stats[] = {
      {"mean", summary.mean, "mean over dyads of "},
      {"sd", summary.sd, "sample standard deviation (n-1) over dyads of "},
      {"p10", summary.p10, "10th percentile (linear interpolation) over dyads of "},
      {"p50", summary.p50, "median (linear interpolation) over dyads of "},
      {"p90", summary.p90, "90th percentile (linear interpolation) over dyads of "},
  };
  for (const auto& stat : stats) {
    describe(put_vector(group, stat.name, n_records, stat.values.data(), place.distributed, mine),
             info.units, stat.meaning + info.name + " per record (NaN values skipped)");
  }
}

void write_extra(const h5::Object& arm_group, const ExtraDataset& extra, const Placement& place) {
  const std::size_t slash = extra.path.rfind('/');
  const std::string name = slash == std::string::npos ? extra.path : extra.path.substr(slash + 1);
  const h5::Object parent =
      h5::require_group(arm_group, slash == std::string::npos ? "" : extra.path.substr(0, slash));
  const bool is_float = std::holds_alternative<std::vector<float>>(extra.data);
  const void* values =
      is_float ? static_cast<const void*>(std::get<std::vector<float>>(extra.data).data())
               : std::get<std::vector<std::int8_t>>(extra.data).data();
  const h5::Object dataset = put_rows(
      parent, name, h5::Layout::kArray, is_float ? h5::Element::kFloat32 : h5::Element::kInt8,
      extra.shape[0], std::span(extra.shape).subspan(1), values, place);
  describe(dataset, extra.info.units, extra.info.description);
  for (const auto& [key, value] : extra.string_attributes) {
    h5::write_string_attribute(dataset, key, value);
  }
}

void write_arm(const h5::Object& scenarios, const ArmResult& arm, const Placement& place) {
  check_link_name(arm.name, "arm");
  check_arm_shape(arm);
  check_extras(arm);
  const MetricTable& table = arm.metrics;
  const std::size_t n_dyads = place.distributed ? place.total : table.n_dyads();
  const std::size_t n_records = table.n_records();
  const bool root = distributed::is_root();
  const h5::Object group = h5::create_group(scenarios, arm.name);
  h5::write_string_attribute(group, "scenario", arm.scenario);
  h5::write_string_attribute(group, "arm", arm.arm);
  h5::write_string_attribute(group, "description", arm.description);
  h5::write_uint_attribute(group, "seed", arm.seed);
  h5::write_int_attribute(group, "n_dyads", static_cast<std::int64_t>(n_dyads));
  h5::write_int_attribute(group, "n_records", static_cast<std::int64_t>(n_records));

  describe(put_vector(group, "time_days", arm.time_days.size(), arm.time_days.data(),
                      place.distributed, root),
           "days", "end of each recording interval, days since the start of the simulation");

  const h5::Object params = h5::create_group(group, "params");
  for (const ParamColumn& param : arm.params) {
    check_link_name(param.info.name, "parameter");
    describe(put_rows(params, param.info.name, h5::Layout::kVector, h5::Element::kFloat64,
                      param.values.size(), {}, param.values.data(), place),
             param.info.units, param.info.description);
  }

  // A serial file: the metrics' chunks are filtered and their summaries computed in parallel
  // phases over batches of metrics (tasks of several metrics together keep every thread busy in
  // small arms), each batch then stored by one thread. A batch holds about kBatchBytes of metric
  // data, so the compressed copies held at once stay bounded whatever the number of dyads.
  constexpr std::size_t kBatchBytes = std::size_t{64} << 20;
  const std::size_t n_metrics = table.n_metrics();
  const std::size_t metric_bytes =
      std::max<std::size_t>(1, table.n_dyads() * n_records * sizeof(float));
  const std::size_t batch = place.distributed
                                ? n_metrics
                                : std::clamp<std::size_t>(kBatchBytes / metric_bytes, 1,
                                                          std::max<std::size_t>(n_metrics, 1));
  std::vector<h5::FilteredMatrix> filtered(batch);
  std::vector<Summary> summaries(n_metrics);
  const h5::Object metrics = h5::create_group(group, "metrics");
  for (std::size_t first = 0; first < n_metrics; first += batch) {
    const std::size_t n = std::min(batch, n_metrics - first);
    if (!place.distributed) {
      tbb::parallel_for(std::size_t{0}, 2 * n, [&](std::size_t i) {
        const std::size_t m = first + i % n;
        if (i < n) {
          filtered[i] = h5::filter_matrix(table.metric(m), table.n_dyads(), n_records);
        } else {
          summaries[m] = summarize(table.metric(m), table.n_dyads(), n_records);
        }
      });
    }
    for (std::size_t m = first; m < first + n; ++m) {
      const ColumnInfo& info = arm.metric_info[m];
      check_link_name(info.name, "metric");
      const std::size_t inner[1] = {n_records};
      describe(place.distributed
                   ? put_rows(metrics, info.name, h5::Layout::kMatrix, h5::Element::kFloat32,
                              table.n_dyads(), inner, table.metric(m), place)
                   : h5::write_filtered_matrix(metrics, info.name, filtered[m - first]),
               info.units, info.description);
      if (!place.distributed) filtered[m - first] = {};  // stored: free its chunks
    }
  }

  const h5::Object summary = h5::create_group(group, "summary");
  for (std::size_t m = 0; m < n_metrics; ++m) {
    write_summary(summary, arm.metric_info[m], m, table, place, std::move(summaries[m]));
  }

  for (const ExtraDataset& extra : arm.extra) write_extra(group, extra, place);
}

}  // namespace

// The root attributes every results file carries (docs/output-format.md).
void write_provenance(const h5::Object& file, const Provenance& provenance) {
  h5::write_string_attribute(file, "attachsim_version", provenance.version);
  h5::write_int_attribute(file, "schema_version", kSchemaVersion);
  h5::write_string_attribute(file, "created_utc", provenance.created_utc);
  h5::write_uint_attribute(file, "seed", provenance.seed);
  h5::write_string_attribute(file, "command_line", provenance.command_line);
  h5::write_string_attribute(file, "config", provenance.config);
  if (!provenance.build.empty()) {
    h5::write_string_attribute(file, "attachsim_build", provenance.build);
  }
  if (!provenance.build_type.empty()) {
    h5::write_string_attribute(file, "attachsim_build_type", provenance.build_type);
  }
}

namespace {

// `rows`: empty for a serial file, else where this process's rows of each arm go.
void write_file(const std::string& path, const RunResult& result,
                const std::vector<ArmRows>& rows) {
  const bool distributed = !rows.empty();
  h5::Object file = h5::create_file(path, distributed);
  write_provenance(file, result.provenance);
  {
    const h5::Object scenarios = h5::create_group(file, "scenarios");
    for (std::size_t a = 0; a < result.arms.size(); ++a) {
      Placement place;
      if (distributed) place = {true, rows.at(a).first, rows.at(a).total};
      write_arm(scenarios, result.arms[a], place);
    }
  }
  file.close();
}

}  // namespace

h5::Object open_attachsim_file(const std::string& path, const std::string& group) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError("cannot read '" + path + "': no such file");
  if (fs::is_directory(status)) throw InputError("cannot read '" + path + "': it is a directory");
  if (!fs::is_regular_file(status)) {
    throw InputError("cannot read '" + path + "': it is " + file_type_text(status) +
                     ", not a results file");
  }
  if (::access(path.c_str(), R_OK) != 0) {
    throw InputError("cannot read '" + path + "': " + errno_text(errno));
  }
  if (!h5::is_hdf5_file(path)) {
    throw InputError("'" + path + "' is not an HDF5 file (expected an attachsim results file)");
  }
  h5::Object file = h5::open_file(path);
  if (!h5::has_attribute(file, "attachsim_version") || !h5::has_attribute(file, "schema_version")) {
    throw InputError("'" + path +
                     "' is an HDF5 file but not an attachsim results file (no attachsim_version "
                     "or schema_version)");
  }
  if (!h5::exists(file, group)) {
    const bool sweep = h5::exists(file, "sweep"), run = h5::exists(file, "scenarios");
    throw InputError("'" + path + "' is an attachsim file without /" + group +
                     (group == "sweep" && run         ? ": the results of a run, not a sweep"
                      : group == "scenarios" && sweep ? ": the results of a sweep, not of a run"
                                                      : ""));
  }
  const std::int64_t schema = h5::read_int_attribute(file, "schema_version");
  if (schema > kSchemaVersion) {
    throw InputError("'" + path + "' has schema_version " + std::to_string(schema) +
                     "; this attachsim reads up to " + std::to_string(kSchemaVersion) +
                     ": use a newer attachsim");
  }
  if (schema < 1) {
    throw InputError("'" + path + "' has an invalid schema_version " + std::to_string(schema));
  }
  return file;
}

Provenance read_provenance(const h5::Object& file) {
  return {h5::read_string_attribute(file, "attachsim_version"),
          h5::read_string_attribute(file, "created_utc"),
          h5::read_uint_attribute(file, "seed"),
          h5::read_string_attribute(file, "command_line"),
          h5::read_string_attribute(file, "config"),
          h5::has_attribute(file, "attachsim_build")
              ? h5::read_string_attribute(file, "attachsim_build")
              : std::string(),
          h5::has_attribute(file, "attachsim_build_type")
              ? h5::read_string_attribute(file, "attachsim_build_type")
              : std::string()};
}

namespace {

// Library-level failures (RuntimeError) while reading a file given as input mean the file is bad
// input; InputErrors from open_results_file pass through unchanged.
template <class Read>
auto read_or_reject(const std::string& path, Read&& read) {
  try {
    return read();
  } catch (const RuntimeError& error) {
    throw InputError("'" + path + "' is not a valid attachsim results file: " + error.what());
  }
}

std::size_t read_count(const h5::Object& group, const std::string& name) {
  const std::int64_t value = h5::read_int_attribute(group, name);
  if (value < 0) throw RuntimeError("attribute '" + name + "' is negative");
  return static_cast<std::size_t>(value);
}

ColumnInfo read_info(const h5::Object& parent, const std::string& name) {
  const h5::Object dataset = h5::open_dataset(parent, name);
  return {name, h5::read_string_attribute(dataset, "units"),
          h5::read_string_attribute(dataset, "description")};
}

std::vector<ColumnInfo> read_infos(const h5::Object& group) {
  std::vector<ColumnInfo> infos;
  for (const std::string& name : h5::children(group)) infos.push_back(read_info(group, name));
  return infos;
}

// Attributes and the time axis; `group` is /scenarios/<name>.
ArmOverview read_arm_header(const h5::Object& group, const std::string& name) {
  ArmOverview arm;
  arm.name = name;
  arm.scenario = h5::read_string_attribute(group, "scenario");
  arm.arm = h5::read_string_attribute(group, "arm");
  arm.description = h5::read_string_attribute(group, "description");
  arm.seed = h5::read_uint_attribute(group, "seed");
  arm.n_dyads = read_count(group, "n_dyads");
  arm.n_records = read_count(group, "n_records");
  arm.time_days = h5::read_vector(group, "time_days");
  if (arm.time_days.size() != arm.n_records) {
    throw RuntimeError("arm '" + name + "': time_days has " + std::to_string(arm.time_days.size()) +
                       " entries, n_records is " + std::to_string(arm.n_records));
  }
  return arm;
}

// A model-declared dataset as found in the file, without its data.
struct ExtraHeader {
  std::string path;
  ColumnInfo info;
  bool is_int8 = false;  // else float32
  std::vector<std::size_t> shape;
  std::vector<std::pair<std::string, std::string>> string_attributes;
};

// nullopt for a dataset that does not fit the contract of model-declared datasets.
std::optional<ExtraHeader> read_extra_header(const h5::Object& parent, const std::string& name,
                                             const std::string& path, std::size_t n_dyads) {
  const h5::Object dataset = h5::open_dataset(parent, name);
  const h5::ElementType type = h5::element_type(dataset);
  if (type != h5::ElementType::kInt8 && type != h5::ElementType::kFloat32) return std::nullopt;
  std::vector<std::size_t> shape = h5::shape(dataset);
  if (shape.empty() || shape.size() > 2 || shape[0] != n_dyads) return std::nullopt;
  ExtraHeader header{path,
                     {name, h5::read_string_attribute(dataset, "units"),
                      h5::read_string_attribute(dataset, "description")},
                     type == h5::ElementType::kInt8,
                     std::move(shape),
                     {}};
  for (const std::string& attribute : h5::attribute_names(dataset)) {
    if (attribute == "units" || attribute == "description") continue;
    if (!h5::is_string_attribute(dataset, attribute)) continue;
    header.string_attributes.emplace_back(attribute, h5::read_string_attribute(dataset, attribute));
  }
  return header;
}

// An arm's extra datasets lie at most a few groups deep (ssp/age_12mo/class); a file whose groups
// nest deeper than this holds a cycle of links (a group linked into itself) or is not ours.
constexpr int kMaxExtraDepth = 16;

// Calls visit(parent group, header) for each model-declared dataset under the arm `group`, depth
// first in creation order.
template <class Visit>
void for_each_extra(const h5::Object& group, const std::string& prefix, std::size_t n_dyads,
                    const Visit& visit, int depth = 0) {
  if (depth > kMaxExtraDepth) {
    throw RuntimeError("group '" + prefix.substr(0, 60) + "...' is nested more than " +
                       std::to_string(kMaxExtraDepth) +
                       " groups deep (a group linked into itself?)");
  }
  for (const std::string& name : h5::children(group)) {
    if (prefix.empty() && is_arm_member(name)) continue;
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    switch (h5::kind(group, name)) {
      case h5::Kind::kGroup:
        for_each_extra(h5::open_group(group, name), path, n_dyads, visit, depth + 1);
        break;
      case h5::Kind::kDataset:
        if (std::optional<ExtraHeader> header = read_extra_header(group, name, path, n_dyads)) {
          visit(group, std::move(*header));
        }
        break;
      case h5::Kind::kOther:
        break;
    }
  }
}

ExtraOverview overview_of(const h5::Object& parent, ExtraHeader header) {
  ExtraOverview extra;
  extra.path = std::move(header.path);
  extra.info = std::move(header.info);
  extra.dtype = header.is_int8 ? "int8" : "float32";
  extra.shape = std::move(header.shape);
  extra.string_attributes = std::move(header.string_attributes);
  if (!header.is_int8) return extra;
  const auto codes = std::find_if(extra.string_attributes.begin(), extra.string_attributes.end(),
                                  [](const auto& attribute) { return attribute.first == "codes"; });
  if (codes == extra.string_attributes.end()) return extra;
  std::optional<std::vector<Code>> parsed = parse_codes(codes->second);
  if (!parsed) return extra;  // not ours to reject: the listing simply shows no shares
  extra.codes = std::move(*parsed);
  extra.code_counts.assign(extra.codes.size(), 0);
  std::array<int, 256> index_of{};  // value + 128 -> index into codes, or -1
  index_of.fill(-1);
  for (std::size_t c = 0; c < extra.codes.size(); ++c) {
    index_of[static_cast<std::size_t>(extra.codes[c].value + 128)] = static_cast<int>(c);
  }
  for (const std::int8_t value : h5::read_int8_array(parent, extra.info.name).values) {
    const int index = index_of[static_cast<std::size_t>(value + 128)];
    if (index < 0) {
      ++extra.uncoded;
    } else {
      ++extra.code_counts[static_cast<std::size_t>(index)];
    }
  }
  return extra;
}

double last_or_nan(const std::vector<double>& values) {
  return values.empty() ? kNaN : values.back();
}

ArmOverview read_arm_overview(const h5::Object& scenarios, const std::string& name) {
  const h5::Object group = h5::open_group(scenarios, name);
  ArmOverview arm = read_arm_header(group, name);
  arm.params = read_infos(h5::open_group(group, "params"));
  const h5::Object summary = h5::open_group(group, "summary");
  for (ColumnInfo& info : read_infos(h5::open_group(group, "metrics"))) {
    const h5::Object stats = h5::open_group(summary, info.name);
    // One value per record: a shorter or longer summary is not this arm's (its "last" value
    // would belong to another record).
    const auto at_end = [&](const char* statistic) {
      const std::vector<double> values = h5::read_vector(stats, statistic);
      if (values.size() != arm.n_records) {
        throw RuntimeError("'" + name + "/summary/" + info.name + "/" + statistic + "' has " +
                           std::to_string(values.size()) + " values, n_records is " +
                           std::to_string(arm.n_records));
      }
      return last_or_nan(values);
    };
    MetricAtEnd metric;
    metric.mean = at_end("mean");
    metric.sd = at_end("sd");
    metric.p10 = at_end("p10");
    metric.p50 = at_end("p50");
    metric.p90 = at_end("p90");
    metric.info = std::move(info);
    arm.metrics.push_back(std::move(metric));
  }
  for_each_extra(group, "", arm.n_dyads, [&](const h5::Object& parent, ExtraHeader header) {
    arm.extra.push_back(overview_of(parent, std::move(header)));
  });
  return arm;
}

ArmResult read_arm(const h5::Object& scenarios, const std::string& name) {
  const h5::Object group = h5::open_group(scenarios, name);
  ArmOverview header = read_arm_header(group, name);
  ArmResult arm;
  arm.name = name;
  arm.scenario = std::move(header.scenario);
  arm.arm = std::move(header.arm);
  arm.description = std::move(header.description);
  arm.seed = header.seed;
  arm.time_days = std::move(header.time_days);

  const h5::Object params = h5::open_group(group, "params");
  for (ColumnInfo& info : read_infos(params)) {
    std::vector<double> values = h5::read_vector(params, info.name);
    if (values.size() != header.n_dyads) {
      throw RuntimeError("parameter '" + info.name + "' does not have n_dyads values");
    }
    arm.params.push_back({std::move(info), std::move(values)});
  }

  const h5::Object metrics = h5::open_group(group, "metrics");
  arm.metric_info = read_infos(metrics);
  // Every metric's extent is checked before the table is allocated, so that its size comes from
  // datasets that are there, never from the n_dyads and n_records attributes alone.
  for (const ColumnInfo& info : arm.metric_info) {
    const std::vector<std::size_t> shape = h5::shape(h5::open_dataset(metrics, info.name));
    if (shape.size() != 2 || shape[0] != header.n_dyads || shape[1] != header.n_records) {
      throw RuntimeError("metric '" + info.name + "' is not n_dyads x n_records");
    }
  }
  const double table_bytes = static_cast<double>(arm.metric_info.size()) *
                             static_cast<double>(header.n_dyads) *
                             static_cast<double>(header.n_records) * sizeof(float);
  if (table_bytes > process_limits().memory_bytes) {
    throw RuntimeError("arm '" + name +
                       "': its metrics declare more values than this process's "
                       "memory can hold");
  }
  arm.metrics = MetricTable(arm.metric_info.size(), header.n_dyads, header.n_records);
  for (std::size_t m = 0; m < arm.metric_info.size(); ++m) {
    const h5::Matrix matrix = h5::read_matrix(metrics, arm.metric_info[m].name);
    if (matrix.rows != header.n_dyads || matrix.cols != header.n_records) {
      throw RuntimeError("metric '" + arm.metric_info[m].name + "' is not n_dyads x n_records");
    }
    std::copy(matrix.values.begin(), matrix.values.end(), arm.metrics.row(m, 0));
  }

  for_each_extra(group, "", header.n_dyads, [&](const h5::Object& parent, ExtraHeader extra) {
    ExtraDataset dataset{std::move(extra.path),
                         std::move(extra.info),
                         std::move(extra.shape),
                         {},
                         std::move(extra.string_attributes)};
    if (extra.is_int8) {
      dataset.data = h5::read_int8_array(parent, dataset.info.name).values;
    } else {
      dataset.data = h5::read_float_array(parent, dataset.info.name).values;
    }
    arm.extra.push_back(std::move(dataset));
  });
  return arm;
}

}  // namespace

void write_results(const std::string& path, const RunResult& result) {
  commit_file(path, [&](const std::string& temp) { write_file(temp, result, {}); });
}

void write_results_distributed(const std::string& path, const RunResult& local,
                               const std::vector<ArmRows>& rows) {
  if (rows.size() != local.arms.size()) {
    throw std::logic_error("write_results_distributed: one ArmRows per arm");
  }
  // Every process writes the file under rank 0's temporary name; rank 0 renames it into place
  // once every process has closed it (H5Fclose is collective, the barrier makes it explicit).
  const std::string temp = distributed::broadcast(temp_name(path));
  distributed::on_root([&] { clear_stale_temp(temp); });
  try {
    write_file(temp, local, rows);
  } catch (...) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw;  // the caller ends the job: the other processes wait in a collective call
  }
  distributed::barrier();
  distributed::on_root([&] {
    try {
      publish_file(temp, path);
    } catch (const RuntimeError& error) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw RuntimeError("cannot write output '" + path + "': " + error.what());
    }
  });
}

std::optional<std::vector<Code>> parse_codes(const std::string& text) {
  std::vector<Code> codes;
  for (const std::string& item : split(text, ',')) {
    const std::size_t equals = item.find('=');
    if (equals == std::string::npos) return std::nullopt;
    const std::string value = trim(item.substr(0, equals));
    std::string label = trim(item.substr(equals + 1));
    int number = 0;
    const char* end = value.data() + value.size();
    const auto [stop, error] = std::from_chars(value.data(), end, number);
    if (value.empty() || error != std::errc() || stop != end || number < -128 || number > 127 ||
        label.empty()) {
      return std::nullopt;
    }
    if (std::any_of(codes.begin(), codes.end(), [&](const Code& c) { return c.value == number; })) {
      return std::nullopt;
    }
    codes.push_back({number, std::move(label)});
  }
  return codes;
}

std::string utc_now_iso8601() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

FileSummary read_summary(const std::string& path) {
  return read_or_reject(path, [&] {
    const h5::Object file = open_attachsim_file(path, "scenarios");
    FileSummary summary;
    summary.provenance = read_provenance(file);
    summary.schema_version = h5::read_int_attribute(file, "schema_version");
    const h5::Object scenarios = h5::open_group(file, "scenarios");
    for (const std::string& name : h5::children(scenarios)) {
      summary.arms.push_back(read_arm_overview(scenarios, name));
    }
    return summary;
  });
}

RunResult read_results(const std::string& path) {
  return read_or_reject(path, [&] {
    const h5::Object file = open_attachsim_file(path, "scenarios");
    RunResult result;
    result.provenance = read_provenance(file);
    const h5::Object scenarios = h5::open_group(file, "scenarios");
    for (const std::string& name : h5::children(scenarios)) {
      result.arms.push_back(read_arm(scenarios, name));
    }
    return result;
  });
}

}  // namespace attachsim::sim
