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
#include "sim/sensitivity.hpp"
#include "sim/sweep_file.hpp"
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

// What the analysis needs of the sweep file (read and checked by sim::read_sweep_file).
struct Sweep {
  const sim::SweepFile& file;
  const sim::SweepFileArm& arm;
  std::vector<double> dyads_per_point;  // from the configuration, or the swept scenario.dyads
  const std::vector<std::string>& columns() const { return file.columns; }
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

// "12mo" of the share dataset "ssp/age_12mo/class_share"; empty for other datasets.
std::string class_share_age(const std::string& path) {
  constexpr std::string_view kPrefix = "ssp/age_", kSuffix = "/class_share";
  if (!path.starts_with(kPrefix) || !path.ends_with(kSuffix) ||
      path.size() <= kPrefix.size() + kSuffix.size()) {
    return "";
  }
  return path.substr(kPrefix.size(), path.size() - kPrefix.size() - kSuffix.size());
}

// One output per point and replicate, from the spec (see --help): a class share, its class found
// through the dataset's codes, or a metric's mean at a record.
std::vector<double> output_values(const Sweep& sweep, const std::string& spec,
                                  std::string& description) {
  const sim::SweepFile& file = sweep.file;
  const sim::SweepFileArm& arm = sweep.arm;
  const std::size_t cells = file.n_points * file.replicates;
  const std::size_t at = spec.find('@');
  const std::string what = spec.substr(0, at);
  const std::string age = at == std::string::npos ? "" : spec.substr(at + 1);
  std::vector<double> y(cells, 0.0);
  if (what.starts_with("class_")) {
    const std::string label = what.substr(6);
    std::string ages;
    const sim::SweepFileShares* found = nullptr;
    for (const sim::SweepFileShares& s : arm.shares) {
      const std::string a = class_share_age(s.path);
      if (a.empty()) continue;
      ages += (ages.empty() ? "" : ", ") + a;
      if (found == nullptr && (age.empty() || a == age)) found = &s;
    }
    if (ages.empty()) {
      throw sim::InputError("--output " + spec + ": the sweep ran no Strange Situation");
    }
    if (found == nullptr) {
      throw sim::InputError("--output " + spec + ": no Strange Situation at " + age +
                            "; allowed ages: " + ages);
    }
    std::size_t code = found->codes.size();
    std::string labels;
    for (std::size_t c = 0; c < found->codes.size(); ++c) {
      if (found->codes[c].label == label) code = c;
      labels += (labels.empty() ? "class_" : ", class_") + found->codes[c].label;
    }
    if (code == found->codes.size()) {
      throw sim::InputError("--output " + spec + ": no class '" + label + "' in " + found->path +
                            "; allowed: " + labels);
    }
    const std::vector<double> shares = sim::read_sweep_shares(file, arm, *found);
    const std::size_t width = found->codes.size();
    for (std::size_t c = 0; c < cells; ++c) y[c] = shares[c * width + code];
    description = "share of class " + label + " at the Strange Situation at " +
                  class_share_age(found->path) + ", arm " + arm.name;
    return y;
  }
  if (std::find(arm.metrics.begin(), arm.metrics.end(), what) == arm.metrics.end()) {
    throw sim::InputError("--output " + spec + ": '" + what +
                          "' is not a metric of the sweep or a class share; allowed: class_A to "
                          "class_D, or a metric name (attachsim parameters lists them)");
  }
  const std::vector<double>& time_days = arm.time_days;
  std::size_t record = time_days.size() - 1;
  if (!age.empty()) {
    double months = 0.0;
    try {
      months = std::stod(age.ends_with("mo") ? age.substr(0, age.size() - 2) : age);
    } catch (const std::exception&) {
      throw sim::InputError("--output " + spec + ": '" + age +
                            "' is not an age; allowed: e.g. 12mo");
    }
    double best = INFINITY;
    for (std::size_t k = 0; k < time_days.size(); ++k) {
      const double d = std::abs(sim::days_to_months(time_days[k]) - months);
      if (d < best) {
        best = d;
        record = k;
      }
    }
  }
  const std::size_t n_records = time_days.size();
  const std::vector<double> mean = sim::read_sweep_summary(file, arm, what, "mean");
  for (std::size_t c = 0; c < cells; ++c) y[c] = mean[c * n_records + record];
  std::ostringstream d;
  d << "mean " << what << " over dyads at day " << time_days[record] << " of the simulation, arm "
    << arm.name;
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
  const std::size_t R = sweep.file.replicates;
  double within = 0.0, binomial = 0.0;
  for (std::size_t p = 0; p < sweep.file.n_points; ++p) {
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
  const auto n = static_cast<double>(sweep.file.n_points);
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
std::vector<double> dyads_per_point(const sim::SweepFile& file) {
  const auto swept = std::find(file.columns.begin(), file.columns.end(), "scenario.dyads");
  if (swept != file.columns.end()) {
    const auto c = static_cast<std::size_t>(swept - file.columns.begin());
    std::vector<double> out;
    for (std::size_t p = 0; p < file.n_points; ++p) {
      out.push_back(file.points[p * file.columns.size() + c]);
    }
    return out;
  }
  try {
    const toml::table doc = sim::load_toml_text(file.provenance.config, "config");
    const auto dyads = doc["scenario"]["dyads"].value<std::int64_t>();
    if (dyads && *dyads > 0) {
      return std::vector<double>(file.n_points, static_cast<double>(*dyads));
    }
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
  std::cout << "Sobol indices (" << sweep.file.n_points / (sweep.file.columns.size() + 2)
            << " base samples x " << sweep.file.replicates
            << " replicate(s); bootstrap 95% intervals, " << resamples << " resamples), written to "
            << path << " under /analysis/\n";
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
    for (std::size_t i = 0; i < sweep.file.columns.size(); ++i) {
      std::cout << "  " << std::left << std::setw(40) << sweep.file.columns[i] << std::right
                << interval(r.indices.first[i], r.indices.first_ci[i]) << "   "
                << interval(r.indices.total[i], r.indices.total_ci[i]) << "\n";
      first_sum += r.indices.first[i];
      if (r.indices.first_ci[i][0] < 0.0 && r.indices.first_ci[i][1] > 0.0 &&
          r.indices.first_ci[i][1] - r.indices.first_ci[i][0] > 0.2) {
        spanning.push_back(sweep.file.columns[i]);
      }
      if (r.indices.total[i] > 1.0) above_one.push_back(sweep.file.columns[i]);
    }
    const double variance = variance_of(outputs[o].mean);
    std::vector<std::string> warnings = noise_warnings(outputs[o], variance);
    // Jansen's total index averages (f(A) - f(AB_i))^2 / 2 over the base samples: independent
    // noise of variance s^2 in each of the two evaluations adds s^2 to that mean, so every
    // parameter's total index carries s^2 / V even if it does nothing (the first-order estimator's
    // noise terms have mean zero). Above 0.2 the noise warning already says the estimates are
    // largely noise.
    const double noise_floor = outputs[o].noise_variance / variance;
    if (std::isfinite(noise_floor) && variance > 0.0 && noise_floor >= 0.01 && noise_floor <= 0.2) {
      std::ostringstream w;
      w << std::fixed << std::setprecision(2) << "every total index includes about " << noise_floor
        << " of noise (the noise's share of the output's variance: each re-evaluated point's own "
           "noise counts as an effect of the parameter changed), so a total index within about "
        << noise_floor << " of zero is not an effect; increase scenario.dyads or sweep.replicates";
      warnings.push_back(w.str());
    }
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
  const std::size_t k = sweep.file.columns.size();
  std::cout << "Main effects of a grid (" << sweep.file.n_points << " points x "
            << sweep.file.replicates
            << " replicate(s)): the mean output at each value of a parameter, over the other\n"
               "parameters' values, with 95% intervals from the replicate noise; and the shares "
               "of the\nvariance over the points in each main effect and two-way interaction.\n";
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const Output& out = outputs[o];
    const sim::GridEffects g =
        sim::grid_effects(sweep.file.points, k, out.mean, out.noise_variance);
    std::cout << "\n" << names[o] << ": " << out.description << ", mean over replicates\n";
    for (std::size_t i = 0; i < k; ++i) {
      const sim::MainEffect& e = g.main[i];
      std::cout << "  " << sweep.file.columns[i] << "  (share of variance " << std::fixed
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
      std::cout << "  interaction " << sweep.file.columns[p.i] << " x " << sweep.file.columns[p.j]
                << ": share of variance " << std::setprecision(2) << p.share << "\n";
    }
    std::cout.unsetf(std::ios::fixed);
    std::vector<std::string> warnings = noise_warnings(out, g.variance);
    for (std::size_t i = 0; i < k; ++i) {
      const sim::MainEffect& e = g.main[i];
      if (std::isfinite(e.range_se) && e.range - 1.96 * e.range_se <= 0.0 && e.levels.size() > 1) {
        warnings.push_back("the effect of " + sweep.file.columns[i] +
                           " is within the noise (its interval reaches zero); increase "
                           "scenario.dyads or sweep.replicates");
      }
    }
    print_warnings(warnings);
  }
}

void print_regression(const Sweep& sweep, const std::vector<Output>& outputs,
                      const std::vector<std::string>& names) {
  const std::size_t k = sweep.file.columns.size();
  std::cout << "Standardized regression coefficients (" << sweep.file.design << " design, "
            << sweep.file.n_points << " points x " << sweep.file.replicates
            << " replicate(s)): SRC^2 is a parameter's share of the variance when the linear fit "
               "is good (R^2 near 1).\n";
  for (std::size_t o = 0; o < outputs.size(); ++o) {
    const Output& out = outputs[o];
    sim::Regression r;
    try {
      r = sim::standardized_regression(sweep.file.points, k, out.mean);
    } catch (const std::invalid_argument& e) {
      throw sim::InputError("--output " + names[o] + ": " + e.what() + "; increase sweep.samples");
    }
    std::cout << "\n"
              << names[o] << ": " << out.description << ", mean over replicates (R^2 " << std::fixed
              << std::setprecision(2) << r.r2 << ")\n";
    for (std::size_t i = 0; i < k; ++i) {
      std::cout << "  " << std::left << std::setw(40) << sweep.file.columns[i] << std::right
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
  std::vector<std::string> outputs = {"class_B", "trust"};
  if (vm.count("output")) outputs = vm["output"].as<std::vector<std::string>>();

  // The whole file is read and checked before anything is computed or written into it.
  const sim::SweepFile file = sim::read_sweep_file(path);
  const sim::SweepFileArm& arm =
      sim::sweep_arm(file, vm.count("arm") ? vm["arm"].as<std::string>() : file.arms.front().name);
  const Sweep sweep{file, arm, dyads_per_point(file)};
  std::vector<sim::AnalysisResult> results;
  std::vector<Output> outputs_read;
  std::vector<std::string> output_names;
  for (const std::string& spec : outputs) {
    std::string description;
    std::vector<double> y = output_values(sweep, spec, description);
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
    if (file.design == "saltelli") {
      sim::AnalysisResult r;
      r.name = name;
      r.description = o.description + ", mean over replicates";
      try {
        r.indices =
            sim::sobol_indices(o.mean, file.columns.size(), static_cast<std::size_t>(resamples),
                               static_cast<std::uint64_t>(vm["seed"].as<int>()));
      } catch (const std::invalid_argument& e) {
        throw sim::InputError("--output " + spec + ": " + e.what());
      }
      results.push_back(std::move(r));
    }
    outputs_read.push_back(std::move(o));
    output_names.push_back(name);
  }
  if (file.design == "saltelli") {
    sim::write_analysis(path, file.columns, results, static_cast<std::size_t>(resamples));
    print_sobol(sweep, results, outputs_read, resamples, path);
  } else if (file.design == "grid") {
    print_grid(sweep, outputs_read, output_names);
  } else {
    print_regression(sweep, outputs_read, output_names);
  }
  std::cout << "\n" << kNotice << "\n";
  return 0;
}

}  // namespace attachsim::cli
