#include "apps/attachsim/inspect.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/text.hpp"
#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {

namespace {

constexpr std::size_t kWidth = kTerminalWidth;
constexpr std::size_t kNameWidth = 28;  // longer metric names get a line of their own
constexpr std::size_t kMeanWidth = 12;  // "mean ± sd" is aligned on the ±
constexpr std::size_t kSdWidth = 9;
constexpr std::size_t kQuantileWidth = 10;
constexpr std::size_t kTypeWidth = 8;    // "float32 "
constexpr std::size_t kShapeWidth = 14;  // "[100000, 12] "

std::string number(double value) {
  if (std::isnan(value)) return "n/a";
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

// Word-wraps `text`: the first line starts with `first`, the others with as many spaces.
void print_wrapped(std::ostream& out, const std::string& text, const std::string& first) {
  out << wrapped(text, first, std::string(columns(first), ' '), kWidth);
}

void print_provenance(std::ostream& out, const std::string& path, const sim::FileSummary& file) {
  const sim::Provenance& p = file.provenance;
  out << "attachsim results: " << path << '\n';
  out << "  version   " << p.version << " (schema " << file.schema_version << ")\n";
  out << "  created   " << p.created_utc << '\n';
  out << "  seed      " << p.seed << '\n';
  print_wrapped(out, p.command_line, "  command   ");
}

void print_metric_header(std::ostream& out) {
  out << "  " << pad_right("metric", kNameWidth) << pad_left("mean", kMeanWidth) << " ± "
      << pad_right("sd", kSdWidth) << pad_left("p10", kQuantileWidth)
      << pad_left("p50", kQuantileWidth) << pad_left("p90", kQuantileWidth) << "  units\n";
  out << "  " << std::string(kWidth - 2, '-') << '\n';
}

void print_metric(std::ostream& out, const sim::MetricAtEnd& metric) {
  const std::string& name = metric.info.name;
  out << "  ";
  if (columns(name) + 1 > kNameWidth) {
    out << name << "\n  " << std::string(kNameWidth, ' ');
  } else {
    out << pad_right(name, kNameWidth);
  }
  out << pad_left(number(metric.mean), kMeanWidth) << " ± "
      << pad_right(number(metric.sd), kSdWidth) << pad_left(number(metric.p10), kQuantileWidth)
      << pad_left(number(metric.p50), kQuantileWidth)
      << pad_left(number(metric.p90), kQuantileWidth) << "  " << metric.info.units << '\n';
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    text += (i > 0 ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

// "A 21.0%  B 64.1%  C 14.9%  D 0.0%" over all values; empty without codes or values.
std::string code_shares(const sim::ExtraOverview& extra) {
  std::size_t total = extra.uncoded;
  for (const std::size_t count : extra.code_counts) total += count;
  if (extra.codes.empty() || total == 0) return "";
  const auto share = [&](const std::string& label, std::size_t count) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f%%",
                  100.0 * static_cast<double>(count) / static_cast<double>(total));
    return label + ' ' + text;
  };
  std::string shares;
  for (std::size_t c = 0; c < extra.codes.size(); ++c) {
    shares += (c > 0 ? "  " : "") + share(extra.codes[c].label, extra.code_counts[c]);
  }
  if (extra.uncoded > 0) shares += "  " + share("other", extra.uncoded);
  return shares;
}

// One line: path, dtype, shape, units, and the code shares where they fit (else on the next line).
// A path too long for its column gets a line of its own, as long metric names do.
void print_extra(std::ostream& out, const sim::ExtraOverview& extra) {
  std::string line = "  ";
  if (columns(extra.path) + 1 > kNameWidth) {
    out << line << extra.path << '\n';
    line += std::string(kNameWidth, ' ');
  } else {
    line += pad_right(extra.path, kNameWidth);
  }
  line += pad_right(extra.dtype, kTypeWidth) + pad_right(shape_text(extra.shape), kShapeWidth) +
          extra.info.units;
  const std::string shares = code_shares(extra);
  if (!shares.empty()) {
    if (columns(line) + 2 + columns(shares) <= kWidth) {
      line += "  " + shares;
    } else {
      line += "\n    " + shares;
    }
  }
  out << line << '\n';
}

void print_arm(std::ostream& out, const sim::ArmOverview& arm, std::size_t index,
               std::size_t count) {
  out << "\n[" << index + 1 << '/' << count << "] " << arm.name << "  (scenario '" << arm.scenario
      << "', arm '" << arm.arm << "')\n";
  if (!arm.description.empty()) print_wrapped(out, arm.description, "  ");
  out << "  " << arm.n_dyads << " dyads, ";
  if (arm.time_days.empty()) {
    out << "no records";
  } else {
    out << "horizon " << number(arm.time_days.back()) << " days (" << arm.n_records << " records)";
  }
  out << ", seed " << arm.seed << '\n';
  if (!arm.metrics.empty()) {
    out << "  summary over dyads at the last record:\n";
    print_metric_header(out);
    for (const sim::MetricAtEnd& metric : arm.metrics) print_metric(out, metric);
  }
  if (!arm.extra.empty()) {
    out << "  model-declared datasets:\n";
    for (const sim::ExtraOverview& extra : arm.extra) print_extra(out, extra);
  }
}

}  // namespace

namespace {

std::string range_text(const std::vector<double>& v) {
  double lo = INFINITY, hi = -INFINITY;
  for (const double x : v) {
    if (std::isnan(x)) continue;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  if (lo > hi) return "nan";
  return number(lo) + " to " + number(hi);
}

// A sweep file (docs/sweeps.md): its design, parameters, and per arm the spread over points of a
// few outcomes at the last record, and any stored Sobol indices.
void print_sweep(std::ostream& out, const std::string& path) {
  namespace h5 = sim::h5;
  const h5::Object file = h5::open_file(path);
  out << "attachsim sweep: " << path << '\n';
  out << "  version   " << h5::read_string_attribute(file, "attachsim_version");
  if (h5::has_attribute(file, "attachsim_build")) {
    out << " (build " << h5::read_string_attribute(file, "attachsim_build");
    if (h5::has_attribute(file, "attachsim_build_type")) {
      out << ", " << h5::read_string_attribute(file, "attachsim_build_type");
    }
    out << ")";
  }
  out << '\n';
  out << "  created   " << h5::read_string_attribute(file, "created_utc") << '\n';
  out << "  seed      " << h5::read_uint_attribute(file, "seed") << '\n';
  print_wrapped(out, h5::read_string_attribute(file, "command_line"), "  command   ");
  const h5::Object sweep = h5::open_group(file, "sweep");
  const std::int64_t n_points_attr = h5::read_int_attribute(sweep, "n_points");
  const std::int64_t reps_attr = h5::read_int_attribute(sweep, "replicates");
  if (n_points_attr < 1 || n_points_attr > 1'000'000'000 || reps_attr < 1 ||
      reps_attr > 1'000'000) {
    throw sim::InputError("'" + path +
                          "' is not a valid sweep file: /sweep attributes n_points and replicates "
                          "must be positive (and plausible)");
  }
  const auto n_points = static_cast<std::size_t>(n_points_attr);
  const auto reps = static_cast<std::size_t>(reps_attr);
  out << "  design    " << h5::read_string_attribute(sweep, "design") << ", " << n_points
      << " points x " << reps << " replicate(s)\n\nparameters (range over the points):\n";
  // Every count is checked against the datasets before it indexes them (a crafted or damaged file
  // is an input error naming the file and the dataset, never an out-of-bounds read).
  const auto require = [&](bool ok, const std::string& what) {
    if (!ok) throw sim::InputError("'" + path + "' is not a valid sweep file: " + what);
  };
  const auto sized = [&](const sim::h5::Array<double>& a, std::size_t n, const std::string& name) {
    require(a.values.size() == n, "'" + name + "' holds " + std::to_string(a.values.size()) +
                                      " values, not " + std::to_string(n));
  };
  const auto points = h5::read_double_array(sweep, "points");
  const std::vector<std::string> columns =
      split_commas(h5::read_string_attribute(h5::open_dataset(sweep, "points"), "columns"));
  sized(points, n_points * columns.size(), "/sweep/points (n_points x its columns)");
  for (std::size_t i = 0; i < columns.size(); ++i) {
    std::vector<double> column;
    for (std::size_t p = 0; p < n_points; ++p)
      column.push_back(points.values[p * columns.size() + i]);
    out << "  " << pad_right(columns[i], 44) << range_text(column) << '\n';
  }
  const h5::Object arms = h5::open_group(sweep, "arms");
  for (const std::string& name : h5::children(arms)) {
    const h5::Object arm = h5::open_group(arms, name);
    const std::size_t n_records = h5::read_vector(arm, "time_days").size();
    require(n_records > 0, "'/sweep/arms/" + name + "/time_days' is empty");
    out << "\narm " << name
        << ": mean over dyads at the last record, range over points and "
           "replicates\n";
    for (const char* metric : {"trust", "felt_security", "exploration", "distress"}) {
      const std::string where = std::string("summary/") + metric + "/mean";
      const auto mean = h5::read_double_array(arm, where);
      sized(mean, n_points * reps * n_records, "/sweep/arms/" + name + "/" + where);
      std::vector<double> last;
      for (std::size_t c = 0; c < n_points * reps; ++c) {
        last.push_back(mean.values[c * n_records + n_records - 1]);
      }
      out << "  " << pad_right(metric, 44) << range_text(last) << '\n';
    }
    if (h5::exists(arm, "ssp")) {
      for (const std::string& age : h5::children(h5::open_group(arm, "ssp"))) {
        const auto shares = h5::read_double_array(arm, "ssp/" + age + "/class_share");
        sized(shares, n_points * reps * 4, "/sweep/arms/" + name + "/ssp/" + age + "/class_share");
        for (std::size_t code = 0; code < 4; ++code) {
          std::vector<double> v;
          for (std::size_t c = 0; c < n_points * reps; ++c)
            v.push_back(shares.values[c * 4 + code]);
          out << "  " << pad_right("class " + std::string(1, "ABCD"[code]) + " share, " + age, 44)
              << range_text(v) << '\n';
        }
      }
    }
  }
  if (h5::exists(file, "analysis")) {
    out << "\nSobol indices (attachsim analyze): first order / total\n";
    const h5::Object analysis = h5::open_group(file, "analysis");
    for (const std::string& name : h5::children(analysis)) {
      const auto first = h5::read_double_array(analysis, name + "/first_order");
      const auto total = h5::read_double_array(analysis, name + "/total");
      out << "  " << name << '\n';
      for (std::size_t i = 0;
           i < columns.size() && i < first.values.size() && i < total.values.size(); ++i) {
        out << "    " << pad_right(columns[i], 42) << number(first.values[i]) << " / "
            << number(total.values[i]) << '\n';
      }
    }
  }
}

}  // namespace

int inspect_command(const std::string& path, std::ostream& out) {
  if (sim::h5::is_hdf5_file(path)) {
    const sim::h5::Object file = sim::h5::open_file(path);
    if (sim::h5::exists(file, "sweep")) {
      std::ostringstream text;  // printed only once the whole file has been read and checked
      try {
        print_sweep(text, path);
      } catch (const sim::RuntimeError& e) {
        throw sim::InputError("'" + path + "' is not a valid sweep file: " + e.what());
      }
      out << text.str();
      out << "\nattachsim illustrates published findings about populations; it does not assess "
             "or predict any real child or parent.\n";
      return 0;
    }
  }
  const sim::FileSummary file = sim::read_summary(path);
  print_provenance(out, path, file);
  for (std::size_t i = 0; i < file.arms.size(); ++i) {
    print_arm(out, file.arms[i], i, file.arms.size());
  }
  // One line even though it is longer than kWidth: it must be the last line, whole.
  out << "\nattachsim illustrates published findings about populations; it does not assess or "
         "predict any real child or parent.\n";
  return 0;
}

}  // namespace attachsim::cli
