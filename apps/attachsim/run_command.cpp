#include <tbb/task_arena.h>

#include <boost/program_options.hpp>
#include <cctype>
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/inspect.hpp"
#include "apps/attachsim/run_summary.hpp"
#include "apps/attachsim/scenario_loading.hpp"
#include "apps/attachsim/sweep.hpp"
#include "apps/attachsim/text.hpp"
#include "models/run.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/progress.hpp"
#include "sim/resources.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {
namespace po = boost::program_options;
namespace {

po::options_description run_options() {
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "output,o", po::value<std::string>()->default_value("results.h5"), "HDF5 file to write")(
      "threads", po::value<std::string>(), "worker threads, >= 1 (default: all cores)")(
      "seed", po::value<std::string>(), "random seed (same as --set scenario.seed=S)")(
      "dyads", po::value<std::string>(), "dyads per arm (same as --set scenario.dyads=N)")(
      "months", po::value<std::string>(), "horizon in months (same as --set scenario.months=M)")(
      "set", po::value<std::vector<std::string>>()->composing(),
      "override one configuration key, e.g. --set population.responsiveness.mean=0.8 or "
      "--set arm.NAME.population.rebuff.mean=0.3 (repeatable)")(
      "lessons", "run every built-in teaching lesson (attachsim scenarios lists them)")(
      "print-config", "print the resolved configuration (TOML) and exit without running")(
      "print-plan", "for a sweep: list its points (values and seeds) and exit without running")(
      "resume", "for a sweep: continue an interrupted run of the same -o file and configuration")(
      "no-progress",
      "no progress on stderr (by default a bar on a terminal, a line per tenth of the work in a "
      "log)")("verbose",
              "after the run, print every metric's table (attachsim inspect) instead of the "
              "one-screen summary");
  return opts;
}

void print_run_help(std::ostream& out) {
  out << "Usage: attachsim run [SCENARIO ...] [options]\n\n"
         "Simulates every arm of each SCENARIO (a .toml file or a built-in name; default: all\n"
         "teaching lessons, as --lessons) and writes the results to one HDF5 file.\n\n"
      << run_options() << "\n"
      << kNotice << "\n";
}

int parse_threads(const std::string& text) {
  std::size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value < 1 || value > 4096) {
    throw sim::InputError("--threads " + text +
                          ": not a valid thread count; allowed: integers 1 to 4096 "
                          "(leave it out to use all cores)");
  }
  return static_cast<int>(value);
}

// `--dyads -5` would otherwise read "-5" as an option: join such values to their flag so that the
// validator, not the parser, reports them (with the allowed range).
std::vector<std::string> join_negative_values(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool numeric_flag = args[i] == "--threads" || args[i] == "--seed" ||
                              args[i] == "--dyads" || args[i] == "--months";
    if (numeric_flag && i + 1 < args.size() && args[i + 1].size() > 1 && args[i + 1][0] == '-' &&
        (std::isdigit(static_cast<unsigned char>(args[i + 1][1])) || args[i + 1][1] == '.')) {
      out.push_back(args[i] + "=" + args[i + 1]);
      ++i;
    } else {
      out.push_back(args[i]);
    }
  }
  return out;
}

}  // namespace

int run_command(const std::vector<std::string>& raw_args, const std::string& command_line) {
  const std::vector<std::string> args = join_negative_values(raw_args);
  po::options_description visible = run_options();
  po::options_description all;
  all.add(visible).add_options()("scenario", po::value<std::vector<std::string>>(), "");
  po::positional_options_description positional;
  positional.add("scenario", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw sim::InputError(std::string("attachsim run: ") + e.what() +
                          " (see attachsim run --help)");
  }
  if (vm.count("help")) {
    print_run_help(std::cout);
    return 0;
  }

  std::vector<std::string> overrides;
  if (vm.count("set")) overrides = vm["set"].as<std::vector<std::string>>();
  for (const auto& [flag, key] :
       {std::pair{"seed", "scenario.seed"}, std::pair{"dyads", "scenario.dyads"},
        std::pair{"months", "scenario.months"}}) {
    if (vm.count(flag)) overrides.push_back(std::string(key) + "=" + vm[flag].as<std::string>());
  }
  sim::ParallelOptions parallel;
  if (vm.count("threads")) {
    parallel.threads = parse_threads(vm["threads"].as<std::string>());
    sim::check_threads(parallel.threads);
  }

  std::vector<std::string> names;
  if (vm.count("scenario")) names = vm["scenario"].as<std::vector<std::string>>();
  if (vm.count("lessons")) {
    for (const auto& b : models::builtin_scenarios()) {
      if (b.is_lesson) names.emplace_back(b.name);
    }
  }
  // A scenario with a [sweep] section is a sweep (docs/sweeps.md); it runs alone.
  for (const std::string& name : names) {
    ScenarioDocument document = load_document(name);
    if (!document.doc.contains("sweep")) continue;
    if (names.size() > 1) {
      throw sim::InputError(document.source +
                            " has a [sweep] section: a sweep runs alone; allowed: give it as the "
                            "only scenario");
    }
    SweepOptions sweep;
    sweep.output = vm["output"].as<std::string>();
    sweep.threads = parallel.threads;
    sweep.progress = !vm.count("no-progress");
    sweep.print_plan = vm.count("print-plan") > 0;
    sweep.print_config = vm.count("print-config") > 0;
    sweep.resume = vm.count("resume") > 0;
    sweep.inputs = names;
    return run_sweep(std::move(document), overrides, sweep, command_line);
  }
  for (const char* flag : {"print-plan", "resume"}) {
    if (vm.count(flag)) {
      throw sim::InputError(std::string("--") + flag +
                            ": the scenario has no [sweep] section (docs/sweeps.md)");
    }
  }
  const std::vector<models::ScenarioSpec> specs = load_scenarios(names, overrides);

  std::string config;
  for (const auto& spec : specs) config += models::scenario_to_toml(spec);
  if (vm.count("print-config")) {
    std::cout << config;
    return 0;
  }

  const std::string output = vm["output"].as<std::string>();
  // In an MPI job (docs/hpc.md) rank 0 checks the path and every process reports its verdict.
  const int rank = sim::distributed::rank();
  const int ranks = sim::distributed::size();
  sim::distributed::on_root([&] { sim::check_output_path(output, names); });
  {  // this process's share of every arm is held until the file is written
    double bytes = 0.0;
    for (const auto& spec : specs) {
      for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        bytes += models::arm_result_bytes(spec, a, models::dyad_share(spec, a, rank, ranks).count);
      }
    }
    sim::check_memory(bytes, "the results of this run (every arm's tables, held until written)",
                      "fewer dyads or months, a longer scenario.record_stride_days, or the MPI "
                      "build across more nodes (docs/hpc.md)");
  }

  sim::RunResult result;
  result.provenance = {
      ATTACHSIM_VERSION, sim::utc_now_iso8601(), specs.front().seed, command_line, config,
      kBuildId,          ATTACHSIM_BUILD_TYPE};
  double total_days = 0.0;
  for (const auto& spec : specs) total_days += models::scenario_dyad_days(spec);
  // Rank 0's clock stamps the file: every process must write the same attributes.
  result.provenance.created_utc = sim::distributed::broadcast(result.provenance.created_utc);
  const sim::ProgressBar::Mode progress =
      sim::ProgressBar::mode_for(rank != 0 || vm.count("no-progress") > 0);
  std::vector<sim::ArmRows> rows;  // in an MPI job: where this process's dyads go
  const auto start = std::chrono::steady_clock::now();
  {
    // Rank 0 shows its own share's progress: the shares are equal in expected cost.
    sim::ProgressBar bar(static_cast<std::uint64_t>(total_days / ranks), "simulating", progress);
    auto on_progress = [&bar](double days) { bar.advance(static_cast<std::uint64_t>(days)); };
    for (const auto& spec : specs) {
      for (std::size_t a = 0; a < spec.arms.size(); ++a) {
        const models::DyadShare mine = models::dyad_share(spec, a, rank, ranks);
        sim::ArmResult arm = ranks == 1 ? models::run_arm(spec, a, parallel, on_progress)
                                        : models::run_arm_block(spec, a, mine.first, mine.count,
                                                                parallel, on_progress);
        rows.push_back({mine.first, static_cast<std::size_t>(spec.dyads)});
        if (specs.size() > 1) arm.name = spec.name + "." + arm.arm;
        result.arms.push_back(std::move(arm));
      }
    }
    bar.finish();
  }
  const auto simulated = std::chrono::steady_clock::now();
  // The slowest process sets the pace.
  result.simulate_seconds =
      sim::distributed::max(std::chrono::duration<double>(simulated - start).count());
  {
    // The summaries are computed in parallel: honour --threads there too.
    tbb::task_arena arena(parallel.threads > 0 ? parallel.threads : tbb::task_arena::automatic);
    arena.execute([&] {
      if (ranks == 1) {
        sim::write_results(output, result);
      } else {
        sim::write_results_distributed(output, result, rows);
      }
    });
  }
  const double write_seconds = sim::distributed::max(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - simulated).count());

  std::uint64_t events = 0;
  for (const auto& arm : result.arms) events += arm.counters.events;
  events = sim::distributed::sum(events);
  if (rank != 0) return 0;
  const int threads = parallel.threads > 0 ? parallel.threads
                                           : static_cast<int>(std::thread::hardware_concurrency());
  const double share = write_seconds / (result.simulate_seconds + write_seconds);
  std::ostringstream line;
  line << std::fixed << std::setprecision(0) << "simulated " << total_days << " dyad-days in "
       << std::setprecision(2) << result.simulate_seconds << " s on ";
  if (ranks > 1) line << ranks << " processes x ";
  line << threads << " thread(s): " << std::setprecision(0) << total_days / result.simulate_seconds
       << " dyad-days/s, " << static_cast<double>(events) / result.simulate_seconds
       << " events/s; wrote " << output << " in " << std::setprecision(2) << write_seconds << " s ("
       << std::setprecision(0) << 100.0 * share << "% of the run)";
  std::cout << wrapped(line.str(), "", "  ");
  if (vm.count("verbose")) {
    // The checksum of each arm's metrics and classes (models::arm_checksum), which the core-only
    // build and the explorer reproduce for the same scenario and seed. A distributed run holds
    // only its share of each arm here, so it has none to print.
    if (ranks == 1) {
      for (const auto& arm : result.arms) {
        std::cout << "checksum " << arm.name << ": 0x" << std::hex << std::setw(16)
                  << std::setfill('0') << models::arm_checksum(arm) << std::dec << std::setfill(' ')
                  << "\n";
      }
    }
    std::cout << "\n";
    return inspect_command(output, std::cout);
  }
  print_run_summary(std::cout, output, sim::read_summary(output));
  return 0;
}

}  // namespace attachsim::cli
