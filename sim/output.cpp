#include "sim/output.hpp"

#include <fcntl.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <unistd.h>

#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <limits>
#include <utility>

#include "sim/errors.hpp"
#include "sim/h5.hpp"

namespace attachsim::sim {

namespace {

namespace fs = std::filesystem;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string temp_name(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

std::string errno_text(int error) { return std::strerror(error); }

// --- summaries ---------------------------------------------------------------------------------

// numpy's _lerp (numpy >= 1.22): from the upper end when t >= 0.5, which keeps the result
// monotone in t and makes it bit-identical to numpy.percentile.
double lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

// Type-7 quantiles at increasing probabilities `ps`, selecting order statistics with
// nth_element on the shrinking upper part of `values` (which it reorders): O(n) per quantile.
template <std::size_t N>
std::array<double, N> quantiles(std::vector<double>& values, const std::array<double, N>& ps) {
  std::array<double, N> result{};
  const std::size_t n = values.size();
  auto first = values.begin();
  for (std::size_t q = 0; q < N; ++q) {
    const double h = static_cast<double>(n - 1) * ps[q];
    const double below = std::floor(h);
    const std::size_t lo = std::min(static_cast<std::size_t>(below), n - 1);
    const auto nth = values.begin() + static_cast<std::ptrdiff_t>(lo);
    if (nth >= first) std::nth_element(first, nth, values.end());
    // Everything after position lo is >= values[lo], so the next order statistic is its minimum.
    const double next = lo + 1 < n ? *std::min_element(nth + 1, values.end()) : values[lo];
    result[q] = lerp(values[lo], next, h - below);
    first = nth + 1;
  }
  return result;
}

void summarize_values(std::vector<double>& values, Summary& summary, std::size_t record) {
  if (values.empty()) return;  // the NaN the vectors were filled with
  const Eigen::Map<const Eigen::VectorXd> v(values.data(),
                                            static_cast<Eigen::Index>(values.size()));
  const double mean = v.mean();
  const double n = static_cast<double>(values.size());
  summary.mean[record] = mean;
  summary.sd[record] =
      values.size() > 1 ? std::sqrt((v.array() - mean).square().sum() / (n - 1)) : 0.0;
  const auto q = quantiles<3>(values, {0.1, 0.5, 0.9});
  summary.p10[record] = q[0];
  summary.p50[record] = q[1];
  summary.p90[record] = q[2];
}

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

void write_summary(const h5::Object& parent, const ColumnInfo& info, const float* data,
                   std::size_t n_dyads, std::size_t n_records) {
  const Summary summary = summarize(data, n_dyads, n_records);
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
    describe(h5::write_vector(group, stat.name, stat.values), info.units,
             stat.meaning + info.name + " per record (NaN values skipped)");
  }
}

void write_arm(const h5::Object& scenarios, const ArmResult& arm) {
  check_link_name(arm.name, "arm");
  check_arm_shape(arm);
  const MetricTable& table = arm.metrics;
  const h5::Object group = h5::create_group(scenarios, arm.name);
  h5::write_string_attribute(group, "scenario", arm.scenario);
  h5::write_string_attribute(group, "arm", arm.arm);
  h5::write_string_attribute(group, "description", arm.description);
  h5::write_uint_attribute(group, "seed", arm.seed);
  h5::write_int_attribute(group, "n_dyads", static_cast<std::int64_t>(table.n_dyads()));
  h5::write_int_attribute(group, "n_records", static_cast<std::int64_t>(table.n_records()));

  describe(h5::write_vector(group, "time_days", arm.time_days), "days",
           "end of each recording interval, days since the start of the simulation");

  const h5::Object params = h5::create_group(group, "params");
  for (const ParamColumn& param : arm.params) {
    check_link_name(param.info.name, "parameter");
    describe(h5::write_vector(params, param.info.name, param.values), param.info.units,
             param.info.description);
  }

  const h5::Object metrics = h5::create_group(group, "metrics");
  for (std::size_t m = 0; m < table.n_metrics(); ++m) {
    const ColumnInfo& info = arm.metric_info[m];
    check_link_name(info.name, "metric");
    describe(
        h5::write_matrix(metrics, info.name, table.metric(m), table.n_dyads(), table.n_records()),
        info.units, info.description);
  }

  const h5::Object summary = h5::create_group(group, "summary");
  for (std::size_t m = 0; m < table.n_metrics(); ++m) {
    write_summary(summary, arm.metric_info[m], table.metric(m), table.n_dyads(), table.n_records());
  }
}

void write_file(const std::string& path, const RunResult& result) {
  h5::Object file = h5::create_file(path);
  const Provenance& provenance = result.provenance;
  h5::write_string_attribute(file, "attachsim_version", provenance.version);
  h5::write_int_attribute(file, "schema_version", kSchemaVersion);
  h5::write_string_attribute(file, "created_utc", provenance.created_utc);
  h5::write_uint_attribute(file, "seed", provenance.seed);
  h5::write_string_attribute(file, "command_line", provenance.command_line);
  h5::write_string_attribute(file, "config", provenance.config);
  {
    const h5::Object scenarios = h5::create_group(file, "scenarios");
    for (const ArmResult& arm : result.arms) write_arm(scenarios, arm);
  }
  file.close();
}

// The rename is only a commit point if the data is on disk before it.
void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) throw RuntimeError("cannot open '" + path + "' to sync: " + errno_text(errno));
  const int status = ::fsync(fd);
  const int error = errno;
  ::close(fd);
  if (status != 0) throw RuntimeError("cannot sync '" + path + "': " + errno_text(error));
}

// Makes the rename itself durable; best effort (some file systems refuse fsync on directories).
void sync_directory(const fs::path& directory) noexcept {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

fs::path directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

// --- reading -----------------------------------------------------------------------------------

h5::Object open_results_file(const std::string& path) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (!fs::exists(status)) throw InputError("cannot read '" + path + "': no such file");
  if (fs::is_directory(status)) throw InputError("cannot read '" + path + "': it is a directory");
  if (::access(path.c_str(), R_OK) != 0) {
    throw InputError("cannot read '" + path + "': " + errno_text(errno));
  }
  if (!h5::is_hdf5_file(path)) {
    throw InputError("'" + path + "' is not an HDF5 file (expected an attachsim results file)");
  }
  h5::Object file = h5::open_file(path);
  if (!h5::has_attribute(file, "attachsim_version") || !h5::has_attribute(file, "schema_version") ||
      !h5::exists(file, "scenarios")) {
    throw InputError("'" + path +
                     "' is an HDF5 file but not an attachsim results file (no attachsim_version, "
                     "schema_version or /scenarios)");
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

Provenance read_provenance(const h5::Object& file) {
  return {h5::read_string_attribute(file, "attachsim_version"),
          h5::read_string_attribute(file, "created_utc"), h5::read_uint_attribute(file, "seed"),
          h5::read_string_attribute(file, "command_line"),
          h5::read_string_attribute(file, "config")};
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
    MetricAtEnd metric;
    metric.info = std::move(info);
    metric.mean = last_or_nan(h5::read_vector(stats, "mean"));
    metric.sd = last_or_nan(h5::read_vector(stats, "sd"));
    metric.p10 = last_or_nan(h5::read_vector(stats, "p10"));
    metric.p50 = last_or_nan(h5::read_vector(stats, "p50"));
    metric.p90 = last_or_nan(h5::read_vector(stats, "p90"));
    arm.metrics.push_back(std::move(metric));
  }
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
  arm.metrics = MetricTable(arm.metric_info.size(), header.n_dyads, header.n_records);
  for (std::size_t m = 0; m < arm.metric_info.size(); ++m) {
    const h5::Matrix matrix = h5::read_matrix(metrics, arm.metric_info[m].name);
    if (matrix.rows != header.n_dyads || matrix.cols != header.n_records) {
      throw RuntimeError("metric '" + arm.metric_info[m].name + "' is not n_dyads x n_records");
    }
    std::copy(matrix.values.begin(), matrix.values.end(), arm.metrics.row(m, 0));
  }
  return arm;
}

}  // namespace

// --- public ------------------------------------------------------------------------------------

void check_output_path(const std::string& path) {
  const std::string prefix = "cannot write output '" + path + "': ";
  if (path.empty()) throw InputError("the output path is empty");
  std::error_code error;
  if (fs::is_directory(path, error)) throw InputError(prefix + "it is a directory");
  const fs::path directory = directory_of(path);
  const fs::file_status status = fs::status(directory, error);
  if (!fs::exists(status)) {
    throw InputError(prefix + "directory '" + directory.string() + "' does not exist");
  }
  if (!fs::is_directory(status)) {
    throw InputError(prefix + "'" + directory.string() + "' is not a directory");
  }
  // access() would not see read-only mounts reliably, nor ACLs; creating the file the writer will
  // create is the honest test.
  const std::string probe = temp_name(path);
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    const int reason = errno;
    // A stale temp of ours (reused pid) is truncated by the writer; then only permissions matter.
    if (reason == EEXIST && ::access(directory.c_str(), W_OK) == 0) return;
    throw InputError(prefix + "directory '" + directory.string() + "' is not writable (" +
                     errno_text(reason) + ")");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

void write_results(const std::string& path, const RunResult& result) {
  const std::string temp = temp_name(path);
  const auto discard_temp = [&temp] {
    std::error_code ignored;
    fs::remove(temp, ignored);
  };
  try {
    write_file(temp, result);
    sync_file(temp);
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
      throw RuntimeError("cannot rename '" + temp + "' to '" + path + "': " + errno_text(errno));
    }
  } catch (const RuntimeError& error) {
    discard_temp();
    throw RuntimeError("cannot write output '" + path + "': " + error.what());
  } catch (...) {
    discard_temp();
    throw;
  }
  sync_directory(directory_of(path));
}

Summary summarize(const float* dyads_by_records, std::size_t n_dyads, std::size_t n_records) {
  Summary summary;
  for (std::vector<double>* stat :
       {&summary.mean, &summary.sd, &summary.p10, &summary.p50, &summary.p90}) {
    stat->assign(n_records, kNaN);
  }
  if (n_dyads == 0 || n_records == 0) return summary;
  // Gather a block of records at a time: each dyad row is read once per block, in cache-line-sized
  // runs, instead of striding through the whole matrix once per record.
  constexpr std::size_t kBlock = 16;
  const std::size_t n_blocks = (n_records + kBlock - 1) / kBlock;
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n_blocks),
                    [&](const tbb::blocked_range<std::size_t>& blocks) {
                      std::array<std::vector<double>, kBlock> columns;
                      for (std::size_t b = blocks.begin(); b != blocks.end(); ++b) {
                        const std::size_t first = b * kBlock;
                        const std::size_t width = std::min(kBlock, n_records - first);
                        for (auto& column : columns) column.clear();
                        for (std::size_t d = 0; d < n_dyads; ++d) {
                          const float* row = dyads_by_records + d * n_records + first;
                          for (std::size_t c = 0; c < width; ++c) {
                            if (!std::isnan(row[c])) columns[c].push_back(row[c]);
                          }
                        }
                        for (std::size_t c = 0; c < width; ++c) {
                          summarize_values(columns[c], summary, first + c);
                        }
                      }
                    });
  return summary;
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
    const h5::Object file = open_results_file(path);
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
    const h5::Object file = open_results_file(path);
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
