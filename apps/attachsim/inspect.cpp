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
#include "sim/sweep_file.hpp"

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

// A sweep file (docs/sweeps.md), read and checked whole by sim::read_sweep_file: its design,
// parameters, and per arm the spread over points of a few outcomes at the last record and of every
// class share, and any stored Sobol indices.
void print_sweep(std::ostream& out, const sim::SweepFile& file) {
  const sim::Provenance& p = file.provenance;
  out << "attachsim sweep: " << file.path << '\n';
  out << "  version   " << p.version;
  if (!p.build.empty()) {
    out << " (build " << p.build << (p.build_type.empty() ? "" : ", " + p.build_type) << ")";
  }
  out << '\n';
  out << "  created   " << p.created_utc << '\n';
  out << "  seed      " << p.seed << '\n';
  print_wrapped(out, p.command_line, "  command   ");
  out << "  design    " << file.design << ", " << file.n_points << " points x " << file.replicates
      << " replicate(s)\n\nparameters (range over the points):\n";
  const std::size_t k = file.columns.size();
  for (std::size_t i = 0; i < k; ++i) {
    std::vector<double> column;
    for (std::size_t q = 0; q < file.n_points; ++q) column.push_back(file.points[q * k + i]);
    out << "  " << pad_right(file.columns[i], 44) << range_text(column) << '\n';
  }
  const std::size_t cells = file.n_points * file.replicates;
  for (const sim::SweepFileArm& arm : file.arms) {
    out << "\narm " << arm.name
        << ": mean over dyads at the last record, range over points and replicates\n";
    const std::size_t n_records = arm.time_days.size();
    for (const char* metric : {"trust", "felt_security", "exploration", "distress"}) {
      if (std::find(arm.metrics.begin(), arm.metrics.end(), metric) == arm.metrics.end()) continue;
      const std::vector<double> mean = sim::read_sweep_summary(file, arm, metric, "mean");
      std::vector<double> last;
      for (std::size_t c = 0; c < cells; ++c) last.push_back(mean[c * n_records + n_records - 1]);
      out << "  " << pad_right(metric, 44) << range_text(last) << '\n';
    }
    for (const sim::SweepFileShares& shares : arm.shares) {
      const std::vector<double> values = sim::read_sweep_shares(file, arm, shares);
      const std::size_t width = shares.codes.size();
      for (std::size_t code = 0; code < width; ++code) {
        std::vector<double> v;
        for (std::size_t c = 0; c < cells; ++c) v.push_back(values[c * width + code]);
        out << "  " << pad_right(shares.path + " " + shares.codes[code].label, 44) << range_text(v)
            << '\n';
      }
    }
  }
  if (!file.analysis.empty()) {
    out << "\nSobol indices (attachsim analyze): first order / total\n";
    for (const sim::SweepFileAnalysis& a : file.analysis) {
      out << "  " << a.name << '\n';
      for (std::size_t i = 0; i < k; ++i) {
        out << "    " << pad_right(file.columns[i], 42) << number(a.first[i]) << " / "
            << number(a.total[i]) << '\n';
      }
    }
  }
}

}  // namespace

int inspect_command(const std::string& path, std::ostream& out) {
  if (sim::is_sweep_file(path)) {
    const sim::SweepFile file = sim::read_sweep_file(path);
    std::ostringstream text;  // printed only once the whole file has been read and checked
    print_sweep(text, file);
    out << text.str();
    out << "\nattachsim illustrates published findings about populations; it does not assess "
           "or predict any real child or parent.\n";
    return 0;
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
