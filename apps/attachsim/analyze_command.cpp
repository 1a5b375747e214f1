// `attachsim analyze RESULTS.h5`: Sobol sensitivity indices of a Saltelli sweep's outputs, with
// bootstrap intervals, printed and stored under /analysis/ (docs/sweeps.md).
#include <boost/program_options.hpp>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "apps/attachsim/commands.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "sim/output.hpp"
#include "sim/sensitivity.hpp"
#include "sim/time.hpp"

namespace attachsim::cli {
namespace po = boost::program_options;
namespace {

po::options_description analyze_options() {
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output", po::value<std::vector<std::string>>()->composing(),
      "an output to analyse (repeatable): class_A, class_B, class_C or class_D (share at the first "
      "Strange Situation; class_B@18mo for another age), or a metric name (mean at the last "
      "record; trust@12mo for the record nearest an age). Default: class_B and trust")(
      "arm", po::value<std::string>(), "the arm to analyse (default: the first)")(
      "resamples", po::value<int>()->default_value(1000), "bootstrap resamples, 10 to 100000")(
      "seed", po::value<int>()->default_value(1), "bootstrap seed");
  return opts;
}

struct Sweep {
  std::string file;  // for messages
  std::vector<std::string> columns;
  std::size_t n_points = 0;
  std::size_t replicates = 0;
  std::string arm;
  std::vector<double> time_days;
  std::vector<std::string> ssp_ages;  // "12mo", in file order
};

// A sweep file's counts must agree with its datasets before anything is indexed by them: a crafted
// or damaged file is an input error naming the file and the dataset, never an out-of-bounds read.
void require(bool ok, const std::string& file, const std::string& what) {
  if (!ok) throw sim::InputError("'" + file + "' is not a valid sweep file: " + what);
}

// Reads a per-point dataset and checks it holds n_points x replicates x `per` values.
std::vector<double> read_per_point(const sim::h5::Object& file, const Sweep& sweep,
                                   const std::string& path, std::size_t per) {
  auto a = sim::h5::read_double_array(file, path);
  require(a.values.size() == sweep.n_points * sweep.replicates * per, sweep.file,
          "'/" + path + "' holds " + std::to_string(a.values.size()) + " values, not " +
              std::to_string(sweep.n_points) + " points x " + std::to_string(sweep.replicates) +
              " replicates x " + std::to_string(per));
  return std::move(a.values);
}

// One output per point, averaged over replicates, from the spec (see --help).
std::vector<double> output_values(const sim::h5::Object& file, const Sweep& sweep,
                                  const std::string& spec, std::string& description) {
  const std::string base = "sweep/arms/" + sweep.arm + "/";
  const std::size_t at = spec.find('@');
  const std::string what = spec.substr(0, at);
  const std::string age = at == std::string::npos ? "" : spec.substr(at + 1);
  std::vector<double> y(sweep.n_points, 0.0);
  const auto reps = static_cast<double>(sweep.replicates);
  if (what.size() == 7 && what.starts_with("class_") &&
      std::string("ABCD").find(what[6]) != std::string::npos) {
    if (sweep.ssp_ages.empty()) {
      throw sim::InputError("--output " + spec + ": the sweep ran no Strange Situation");
    }
    const std::string label = age.empty() ? sweep.ssp_ages.front() : age;
    const std::string path = base + "ssp/age_" + label + "/class_share";
    if (!sim::h5::exists(file, path)) {
      throw sim::InputError("--output " + spec + ": no Strange Situation at " + label +
                            "; allowed ages: " + [&] {
                              std::string a;
                              for (const auto& s : sweep.ssp_ages) a += (a.empty() ? "" : ", ") + s;
                              return a;
                            }());
    }
    const std::vector<double> shares = read_per_point(file, sweep, path, 4);
    const auto code = static_cast<std::size_t>(what[6] - 'A');
    for (std::size_t p = 0; p < sweep.n_points; ++p) {
      for (std::size_t r = 0; r < sweep.replicates; ++r) {
        y[p] += shares[(p * sweep.replicates + r) * 4 + code] / reps;
      }
    }
    description = "share of class " + std::string(1, what[6]) + " at the Strange Situation at " +
                  label + ", arm " + sweep.arm + ", mean over replicates";
    return y;
  }
  const std::string path = base + "summary/" + what + "/mean";
  if (!sim::h5::exists(file, path)) {
    throw sim::InputError("--output " + spec + ": '" + what +
                          "' is not a metric of the sweep or a class share; allowed: class_A to "
                          "class_D, or a metric name (attachsim parameters lists them)");
  }
  std::size_t record = sweep.time_days.size() - 1;
  if (!age.empty()) {
    double months = 0.0;
    try {
      months = std::stod(age.ends_with("mo") ? age.substr(0, age.size() - 2) : age);
    } catch (const std::exception&) {
      throw sim::InputError("--output " + spec + ": '" + age +
                            "' is not an age; allowed: e.g. 12mo");
    }
    double best = INFINITY;
    for (std::size_t k = 0; k < sweep.time_days.size(); ++k) {
      const double d = std::abs(sim::days_to_months(sweep.time_days[k]) - months);
      if (d < best) {
        best = d;
        record = k;
      }
    }
  }
  const std::size_t n_records = sweep.time_days.size();
  const std::vector<double> mean = read_per_point(file, sweep, path, n_records);
  for (std::size_t p = 0; p < sweep.n_points; ++p) {
    for (std::size_t r = 0; r < sweep.replicates; ++r) {
      y[p] += mean[(p * sweep.replicates + r) * n_records + record] / reps;
    }
  }
  std::ostringstream d;
  d << "mean " << what << " over dyads at day " << sweep.time_days[record]
    << " of the simulation, arm " << sweep.arm << ", mean over replicates";
  description = d.str();
  return y;
}

std::string interval(double value, const std::array<double, 2>& ci) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << std::setw(6) << value << " [" << std::setw(6)
      << ci[0] << ", " << std::setw(6) << ci[1] << "]";
  return out.str();
}

}  // namespace

int analyze_command(const std::vector<std::string>& args) {
  po::options_description visible = analyze_options();
  po::options_description all;
  all.add(visible).add_options()("file", po::value<std::string>(), "");
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw sim::InputError(std::string("attachsim analyze: ") + e.what() +
                          " (see attachsim analyze --help)");
  }
  if (vm.count("help")) {
    std::cout << "Usage: attachsim analyze RESULTS.h5 [options]\n\n"
                 "First-order and total Sobol indices, with bootstrap 95% intervals, of outputs of "
                 "a\nsweep run with design = \"saltelli\"; printed, and stored in the file under "
                 "/analysis/.\n\n"
              << visible << "\n"
              << kNotice << "\n";
    return 0;
  }
  if (!vm.count("file")) {
    throw sim::InputError(
        "attachsim analyze: no results file given (see attachsim analyze --help)");
  }
  const std::string path = vm["file"].as<std::string>();
  const int resamples = vm["resamples"].as<int>();
  if (resamples < 10 || resamples > 100000) {
    throw sim::InputError("--resamples " + std::to_string(resamples) +
                          ": allowed: integers 10 to 100000");
  }
  if (!sim::h5::is_hdf5_file(path)) {
    throw sim::InputError("attachsim analyze: '" + path + "' is not a readable HDF5 file");
  }
  std::vector<std::string> outputs = {"class_B", "trust"};
  if (vm.count("output")) outputs = vm["output"].as<std::vector<std::string>>();

  std::vector<sim::AnalysisResult> results;
  Sweep sweep;
  try {  // everything read from the file is checked; a damaged file is an input error
    const sim::h5::Object file = sim::h5::open_file(path);
    if (!sim::h5::exists(file, "sweep")) {
      throw sim::InputError("attachsim analyze: '" + path +
                            "' holds no sweep; allowed: the output of a scenario with a [sweep] "
                            "section (docs/sweeps.md)");
    }
    const sim::h5::Object group = sim::h5::open_group(file, "sweep");
    const std::string design = sim::h5::read_string_attribute(group, "design");
    if (design != "saltelli") {
      throw sim::InputError("attachsim analyze: '" + path + "' is a '" + design +
                            "' sweep; Sobol indices need design = \"saltelli\"");
    }
    sweep.file = path;
    const std::int64_t n_points = sim::h5::read_int_attribute(group, "n_points");
    const std::int64_t replicates = sim::h5::read_int_attribute(group, "replicates");
    require(n_points >= 1 && replicates >= 1, path,
            "/sweep attributes n_points and replicates must be at least 1");
    sweep.n_points = static_cast<std::size_t>(n_points);
    sweep.replicates = static_cast<std::size_t>(replicates);
    const sim::h5::Object points = sim::h5::open_dataset(group, "points");
    sweep.columns = split_commas(sim::h5::read_string_attribute(points, "columns"));
    const auto point_values = sim::h5::read_double_array(group, "points");
    require(
        point_values.shape.size() == 2 && point_values.shape[0] == sweep.n_points &&
            point_values.shape[1] == sweep.columns.size(),
        path,
        "'/sweep/points' must be n_points x (one column per name in its 'columns' attribute): " +
            std::to_string(sweep.n_points) + " x " + std::to_string(sweep.columns.size()));
    require(!sweep.columns.empty() && sweep.n_points % (sweep.columns.size() + 2) == 0, path,
            "a Saltelli design has N x (k + 2) points for k parameters; n_points " +
                std::to_string(sweep.n_points) + " is not a multiple of " +
                std::to_string(sweep.columns.size() + 2));
    const sim::h5::Object arms = sim::h5::open_group(group, "arms");
    const std::vector<std::string> names = sim::h5::children(arms);
    require(!names.empty(), path, "'/sweep/arms' holds no arm");
    sweep.arm = vm.count("arm") ? vm["arm"].as<std::string>() : names.front();
    if (std::find(names.begin(), names.end(), sweep.arm) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      throw sim::InputError("--arm " + sweep.arm + ": no such arm; allowed: " + known);
    }
    const sim::h5::Object arm = sim::h5::open_group(arms, sweep.arm);
    sweep.time_days = sim::h5::read_vector(arm, "time_days");
    require(!sweep.time_days.empty(), path,
            "'/sweep/arms/" + sweep.arm + "/time_days' is empty (no records)");
    if (sim::h5::exists(arm, "ssp")) {
      for (const std::string& age : sim::h5::children(sim::h5::open_group(arm, "ssp"))) {
        sweep.ssp_ages.push_back(age.substr(4));  // "age_12mo" -> "12mo"
      }
    }
    for (const std::string& spec : outputs) {
      sim::AnalysisResult r;
      const std::vector<double> y = output_values(file, sweep, spec, r.description);
      r.name = spec;
      std::replace(r.name.begin(), r.name.end(), '@', '_');
      try {
        r.indices = sim::sobol_indices(y, sweep.columns.size(), static_cast<std::size_t>(resamples),
                                       static_cast<std::uint64_t>(vm["seed"].as<int>()));
      } catch (const std::invalid_argument& e) {
        throw sim::InputError("--output " + spec + ": " + e.what() +
                              " (is a class or metric undefined at some points?)");
      }
      results.push_back(std::move(r));
    }
  } catch (const sim::RuntimeError& e) {
    throw sim::InputError("'" + path + "' is not a valid sweep file: " + e.what());
  }
  sim::write_analysis(path, sweep.columns, results, static_cast<std::size_t>(resamples));

  std::cout << "Sobol indices (" << sweep.n_points / (sweep.columns.size() + 2)
            << " base samples x " << sweep.replicates << " replicate(s); bootstrap 95% intervals, "
            << resamples << " resamples), written to " << path << " under /analysis/\n";
  for (const sim::AnalysisResult& r : results) {
    std::cout << "\n"
              << r.name << ": " << r.description << " (variance " << std::setprecision(4)
              << r.indices.variance << ")\n";
    std::cout << "  " << std::left << std::setw(40) << "parameter" << std::setw(28)
              << "first order [95% CI]"
              << "total [95% CI]\n"
              << std::right;
    for (std::size_t i = 0; i < sweep.columns.size(); ++i) {
      std::cout << "  " << std::left << std::setw(40) << sweep.columns[i] << std::right
                << interval(r.indices.first[i], r.indices.first_ci[i]) << "   "
                << interval(r.indices.total[i], r.indices.total_ci[i]) << "\n";
    }
  }
  std::cout << "\n" << kNotice << "\n";
  return 0;
}

}  // namespace attachsim::cli
