// `attachsim analyze RESULTS.h5`: the sensitivity of a sweep's outputs to its parameters (Sobol
// bootstrap intervals, printed and stored under /analysis/ (docs/sweeps.md).
#include <algorithm>
#include <boost/program_options.hpp>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "apps/attachsim/commands.hpp"
#include "sim/config.hpp"
#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "sim/sweep_file.hpp"
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
  std::string design;
  std::vector<double> points;           // n_points x columns, row-major
  std::vector<double> dyads_per_point;  // from the configuration, or the swept scenario.dyads
};

// One output of the sweep: its value per point and replicate, and per point (mean over
// replicates), with the replicate noise of that mean.
struct Output {
  std::vector<double> per_replicate;  // n_points x replicates
  std::vector<double> mean;           // n_points
  bool share = false;                 // a class share (binomial noise is known)
  double noise_variance = NAN;        // of a point's mean; NaN when it cannot be estimated
  std::string noise_source;
  std::string description;
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
  std::vector<double> y(sweep.n_points * sweep.replicates, 0.0);
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
        y[p * sweep.replicates + r] = shares[(p * sweep.replicates + r) * 4 + code];
      }
    }
    description = "share of class " + std::string(1, what[6]) + " at the Strange Situation at " +
                  label + ", arm " + sweep.arm;
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
      y[p * sweep.replicates + r] = mean[(p * sweep.replicates + r) * n_records + record];
    }
  }
  std::ostringstream d;
  d << "mean " << what << " over dyads at day " << sweep.time_days[record]
    << " of the simulation, arm " << sweep.arm;
  description = d.str();
  return y;
}

// The output per point and its replicate noise: from the replicates when there are two or more
// (the pooled within-point variance over R), else, for a class share, binomial (p (1 - p) / n
// over the point's dyads); else unknown.
Output make_output(const Sweep& sweep, std::vector<double> per_replicate, bool share,
                   std::string description) {
  Output o;
  o.per_replicate = std::move(per_replicate);
  o.share = share;
  o.description = std::move(description);
  const std::size_t R = sweep.replicates;
  double within = 0.0, binomial = 0.0;
  for (std::size_t p = 0; p < sweep.n_points; ++p) {
    double m = 0.0;
    for (std::size_t r = 0; r < R; ++r) m += o.per_replicate[p * R + r];
    m /= static_cast<double>(R);
    o.mean.push_back(m);
    for (std::size_t r = 0; r < R; ++r) {
      within += (o.per_replicate[p * R + r] - m) * (o.per_replicate[p * R + r] - m);
    }
    if (share && !sweep.dyads_per_point.empty()) {
      binomial += m * (1.0 - m) / sweep.dyads_per_point[p];
    }
  }
  const auto n = static_cast<double>(sweep.n_points);
  if (R >= 2) {
    o.noise_variance = within / (n * static_cast<double>(R - 1)) / static_cast<double>(R);
    o.noise_source = "from the " + std::to_string(R) + " replicates";
  } else if (share && !sweep.dyads_per_point.empty()) {
    o.noise_variance = binomial / n;
    o.noise_source = "binomial, from the dyads per point";
  }
  return o;
}

// What the sample cannot carry, in words, with what to increase.
std::vector<std::string> noise_warnings(const Output& o, double variance) {
  std::vector<std::string> out;
  if (!std::isfinite(o.noise_variance)) {
    out.push_back(
        "the replicate noise cannot be estimated (one replicate, not a class share): "
        "set sweep.replicates = 2 or more to see how much of the variation is noise");
  } else if (variance > 0.0 && o.noise_variance / variance > 0.2) {
    std::ostringstream w;
    w << std::fixed << std::setprecision(0) << "replicate noise (" << o.noise_source
      << ") is about " << 100.0 * std::min(1.0, o.noise_variance / variance)
      << "% of the output's variance over the points: the estimates below are largely noise; "
         "increase scenario.dyads (noise falls as 1 / dyads) or sweep.replicates";
    out.push_back(w.str());
  }
  return out;
}

std::string interval(double value, const std::array<double, 2>& ci) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << std::setw(6) << value << " [" << std::setw(6)
      << ci[0] << ", " << std::setw(6) << ci[1] << "]";
  return out.str();
}

// Dyads per point, for the binomial noise of class shares: the swept scenario.dyads, else the
// configuration's. Empty when neither can be read.
std::vector<double> dyads_per_point(const sim::h5::Object& file, const Sweep& sweep) {
  const auto swept = std::find(sweep.columns.begin(), sweep.columns.end(), "scenario.dyads");
  if (swept != sweep.columns.end()) {
    const auto c = static_cast<std::size_t>(swept - sweep.columns.begin());
    std::vector<double> out;
    for (std::size_t p = 0; p < sweep.n_points; ++p) {
      out.push_back(sweep.points[p * sweep.columns.size() + c]);
    }
    return out;
  }
  try {
    const toml::table doc =
        sim::load_toml_text(sim::h5::read_string_attribute(file, "config"), "config");
    const auto dyads = doc["scenario"]["dyads"].value<std::int64_t>();
    if (dyads && *dyads > 0)
      return std::vector<double>(sweep.n_points, static_cast<double>(*dyads));
  } catch (const std::exception&) {
  }
  return {};
}

void print_warnings(const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) std::cout << "  warning: " << w << "\n";
}

double variance_of(const std::vector<double>& y) {
  double m = 0.0, ss = 0.0;
  for (const double v : y) m += v;
  m /= static_cast<double>(y.size());
  for (const double v : y) ss += (v - m) * (v - m);
  return y.size() > 1 ? ss / static_cast<double>(y.size() - 1) : 0.0;
}

void print_sobol(const Sweep& sweep, const std::vector<sim::AnalysisResult>& results,
                 const std::vector<Output>& outputs, int resamples, const std::string& path) {
  std::cout << "Sobol indices (" << sweep.n_points / (sweep.columns.size() + 2)
            << " base samples x " << sweep.replicates << " replicate(s); bootstrap 95% intervals, "
            << resamples << " resamples), written to " << path << " under /analysis/\n";
  for (std::size_t o = 0; o < results.size(); ++o) {
    const sim::AnalysisResult& r = results[o];
    std::cout << "\n"
              << r.name << ": " << r.description << " (variance " << std::setprecision(4)
              << r.indices.variance << ")\n";
    std::cout << "  " << std::left << std::setw(40) << "parameter" << std::setw(28)
              << "first order [95% CI]"
              << "total [95% CI]\n"
              << std::right;
    std::vector<std::string> spanning, above_one;
    double first_sum = 0.0;
    for (std::size_t i = 0; i < sweep.columns.size(); ++i) {
      std::cout << "  " << std::left << std::setw(40) << sweep.columns[i] << std::right
                << interval(r.indices.first[i], r.indices.first_ci[i]) << "   "
                << interval(r.indices.total[i], r.indices.total_ci[i]) << "\n";
      first_sum += r.indices.first[i];
      if (r.indices.first_ci[i][0] < 0.0 && r.indices.first_ci[i][1] > 0.0 &&
          r.indices.first_ci[i][1] - r.indices.first_ci[i][0] > 0.2) {
        spanning.push_back(sweep.columns[i]);
      }
      if (r.indices.total[i] > 1.0) above_one.push_back(sweep.columns[i]);
    }
    std::vector<std::string> warnings = noise_warnings(outputs[o], variance_of(outputs[o].mean));
    if (!spanning.empty()) {
      std::string list;
      for (const auto& c : spanning) list += (list.empty() ? "" : ", ") + c;
      warnings.push_back("the first-order intervals of " + list +
                         " span zero and are wider than 0.2: at this sample size they cannot be "
                         "told from zero (nor from 0.2); increase sweep.samples (intervals narrow "
                         "as 1 / sqrt(samples))");
    }
    if (!above_one.empty() || first_sum > 1.2) {
      warnings.push_back(
          "total indices above one or first-order indices summing above one are "
          "impossible for exact values: the sample is too small or too noisy; "
          "increase sweep.samples and scenario.dyads");
    }
    print_warnings(warnings);
  }
}

void print_grid(const Sweep& sweep, const std::vector<Output>& outputs,
                const std::vector<std::string>& names) {
  const std::size_t k = sweep.columns.size();
  std::cout << "Main effects of a grid (" << sweep.n_points << " points x " << sweep.replicates
            << " replicate(s)): the mean output at each value of a parameter, over the other\n"
               "parameters' values, with 95% intervals from the replicate noise; and the shares "
               "of the\nvariance over the points in each main effect and two-way interaction.\n";
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const Output& out = outputs[o];
    const sim::GridEffects g = sim::grid_effects(sweep.points, k, out.mean, out.noise_variance);
    std::cout << "\n" << names[o] << ": " << out.description << ", mean over replicates\n";
    for (std::size_t i = 0; i < k; ++i) {
      const sim::MainEffect& e = g.main[i];
      std::cout << "  " << sweep.columns[i] << "  (share of variance " << std::fixed
                << std::setprecision(2) << e.share << ")\n";
      for (const sim::Level& l : e.levels) {
        std::cout << "    " << std::setw(10) << std::setprecision(4) << l.value << "  "
                  << std::setprecision(3) << std::setw(7) << l.mean;
        if (std::isfinite(l.se)) {
          std::cout << " [" << std::setw(6) << l.mean - 1.96 * l.se << ", " << std::setw(6)
                    << l.mean + 1.96 * l.se << "]";
        }
        std::cout << "  (" << l.points << " points)\n";
      }
      std::cout << "    effect (largest - smallest level) " << std::setprecision(3) << e.range;
      if (std::isfinite(e.range_se)) {
        std::cout << " [" << e.range - 1.96 * e.range_se << ", " << e.range + 1.96 * e.range_se
                  << "]";
      }
      std::cout << "\n";
    }
    for (const sim::Interaction& p : g.pairs) {
      std::cout << "  interaction " << sweep.columns[p.i] << " x " << sweep.columns[p.j]
                << ": share of variance " << std::setprecision(2) << p.share << "\n";
    }
    std::cout.unsetf(std::ios::fixed);
    std::vector<std::string> warnings = noise_warnings(out, g.variance);
    for (std::size_t i = 0; i < k; ++i) {
      const sim::MainEffect& e = g.main[i];
      if (std::isfinite(e.range_se) && e.range - 1.96 * e.range_se <= 0.0 && e.levels.size() > 1) {
        warnings.push_back("the effect of " + sweep.columns[i] +
                           " is within the noise (its interval reaches zero); increase "
                           "scenario.dyads or sweep.replicates");
      }
    }
    print_warnings(warnings);
  }
}

void print_regression(const Sweep& sweep, const std::vector<Output>& outputs,
                      const std::vector<std::string>& names) {
  const std::size_t k = sweep.columns.size();
  std::cout << "Standardized regression coefficients (" << sweep.design << " design, "
            << sweep.n_points << " points x " << sweep.replicates
            << " replicate(s)): SRC^2 is a parameter's share of the variance when the linear fit "
               "is good (R^2 near 1).\n";
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const Output& out = outputs[o];
    sim::Regression r;
    try {
      r = sim::standardized_regression(sweep.points, k, out.mean);
    } catch (const std::invalid_argument& e) {
      throw sim::InputError("--output " + names[o] + ": " + e.what() + "; increase sweep.samples");
    }
    std::cout << "\n"
              << names[o] << ": " << out.description << ", mean over replicates (R^2 " << std::fixed
              << std::setprecision(2) << r.r2 << ")\n";
    for (std::size_t i = 0; i < k; ++i) {
      std::cout << "  " << std::left << std::setw(40) << sweep.columns[i] << std::right
                << std::setw(7) << std::setprecision(3) << r.src[i] << "  (share "
                << std::setprecision(2) << r.src[i] * r.src[i] << ")\n";
    }
    std::cout.unsetf(std::ios::fixed);
    std::vector<std::string> warnings = noise_warnings(out, variance_of(out.mean));
    if (r.r2 < 0.7) {
      warnings.push_back(
          "the linear fit explains less than 70% of the variance: the output is "
          "not linear in the parameters, and SRC^2 understates their shares; use "
          "design = \"saltelli\" for Sobol indices");
    }
    print_warnings(warnings);
  }
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
    std::cout
        << "Usage: attachsim analyze RESULTS.h5 [options]\n\n"
           "Sensitivity of a sweep's outputs to its parameters, by design:\n"
           "  saltelli  first-order and total Sobol indices with bootstrap 95% intervals,\n"
           "            printed and stored in the file under /analysis/\n"
           "  grid      main effects (the mean output at each value of a parameter, with\n"
           "            95% intervals from the replicate noise) and the shares of the\n"
           "            variance in main effects and two-way interactions\n"
           "  lhs, sobol standardized regression coefficients and the R^2 of the linear fit\n"
           "Each output is checked for what the sample cannot carry -- replicate noise that\n"
           "dominates, intervals spanning zero, total indices above one, a poor linear fit --\n"
           "with what to increase.\n\n"
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
  std::vector<Output> outputs_read;
  std::vector<std::string> output_names;
  Sweep sweep;
  try {  // everything read from the file is checked; a damaged file is an input error
    const sim::h5::Object file = sim::h5::open_file(path);
    if (!sim::h5::exists(file, "sweep")) {
      throw sim::InputError("attachsim analyze: '" + path +
                            "' holds no sweep; allowed: the output of a scenario with a [sweep] "
                            "section (docs/sweeps.md)");
    }
    const sim::h5::Object group = sim::h5::open_group(file, "sweep");
    sweep.design = sim::h5::read_string_attribute(group, "design");
    if (sweep.design != "saltelli" && sweep.design != "grid" && sweep.design != "lhs" &&
        sweep.design != "sobol") {
      throw sim::InputError("attachsim analyze: '" + path + "' has design '" + sweep.design +
                            "'; allowed: grid, lhs, sobol, saltelli");
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
    sweep.points = point_values.values;
    require(!sweep.columns.empty() &&
                (sweep.design != "saltelli" || sweep.n_points % (sweep.columns.size() + 2) == 0),
            path,
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
    sweep.dyads_per_point = dyads_per_point(file, sweep);
    for (const std::string& spec : outputs) {
      std::string description;
      std::vector<double> y = output_values(file, sweep, spec, description);
      const bool share = spec.starts_with("class_");
      for (const double v : y) {
        if (!std::isfinite(v)) {
          throw sim::InputError("--output " + spec +
                                ": undefined at some points (is a class or metric undefined "
                                "there?)");
        }
      }
      Output o = make_output(sweep, std::move(y), share, std::move(description));
      std::string name = spec;
      std::replace(name.begin(), name.end(), '@', '_');
      if (sweep.design == "saltelli") {
        sim::AnalysisResult r;
        r.name = name;
        r.description = o.description + ", mean over replicates";
        try {
          r.indices =
              sim::sobol_indices(o.mean, sweep.columns.size(), static_cast<std::size_t>(resamples),
                                 static_cast<std::uint64_t>(vm["seed"].as<int>()));
        } catch (const std::invalid_argument& e) {
          throw sim::InputError("--output " + spec + ": " + e.what());
        }
        results.push_back(std::move(r));
      }
      outputs_read.push_back(std::move(o));
      output_names.push_back(name);
    }
  } catch (const sim::RuntimeError& e) {
    throw sim::InputError("'" + path + "' is not a valid sweep file: " + e.what());
  }
  if (sweep.design == "saltelli") {
    sim::write_analysis(path, sweep.columns, results, static_cast<std::size_t>(resamples));
    print_sobol(sweep, results, outputs_read, resamples, path);
  } else if (sweep.design == "grid") {
    print_grid(sweep, outputs_read, output_names);
  } else {
    print_regression(sweep, outputs_read, output_names);
  }
  std::cout << "\n" << kNotice << "\n";
  return 0;
}

}  // namespace attachsim::cli
