// `attachsim run SWEEP.toml`: a scenario with a [sweep] section (docs/sweeps.md). The sweep engine
// is models/sweep_run.hpp; this is the command: plan, print the configuration or the plan, or
// run and print what was done.
#include <iomanip>
#include <iostream>
#include <sstream>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/inspect.hpp"
#include "apps/attachsim/scenario_loading.hpp"
#include "apps/attachsim/sweep.hpp"
#include "apps/attachsim/text.hpp"
#include "models/sweep_run.hpp"
#include "sim/config.hpp"
#include "sim/distributed.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {
namespace {

// The plan: its size and memory estimate, then one line per point with its values and seeds.
void print_plan(const models::SweepPlan& plan, int threads) {
  std::cout << "sweep of scenario '" << plan.base.name << "': design "
            << sim::kDesignNames[static_cast<std::size_t>(plan.sweep.design)] << ", "
            << plan.points.size() << " points x " << plan.sweep.replicates << " replicate(s) x "
            << plan.base.arms.size() << " arm(s) x " << plan.base.dyads << " dyads\n";
  std::cout << "memory: about " << std::fixed << std::setprecision(0)
            << models::sweep_bytes(plan, threads) / (1024.0 * 1024.0) << " MiB with "
            << (threads > 0 ? std::to_string(threads) : std::string("all")) << " thread(s)\n"
            << std::defaultfloat;
  std::cout << "point";
  for (const auto& p : plan.sweep.parameters) std::cout << "\t" << p.key;
  std::cout << "\tseeds\n";
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::cout << p;
    for (const double v : plan.points[p].values) std::cout << "\t" << sim::toml_number(v);
    std::cout << "\t";
    for (std::size_t r = 0; r < plan.points[p].seeds.size(); ++r) {
      std::cout << (r ? "," : "") << plan.points[p].seeds[r];
    }
    std::cout << "\n";
  }
}

}  // namespace

int run_sweep(ScenarioDocument document, const std::vector<std::string>& overrides,
              const SweepOptions& options, const std::string& command_line) {
  toml::table& doc = document.doc;
  warn_shadowed_overrides(doc, overrides,
                          doc["scenario"]["name"].value_or(std::string("the scenario")));
  for (const std::string& assignment : overrides) sim::apply_override(doc, assignment);
  // Every point is planned and validated before anything runs (by every process of an MPI job;
  // rank 0 alone prints).
  const models::SweepPlan plan = models::plan_sweep(std::move(doc), document.source);
  const int rank = sim::distributed::rank();
  if (options.print_config) {
    if (rank == 0) std::cout << plan.config;
    return 0;
  }
  if (options.print_plan) {
    if (rank == 0) print_plan(plan, options.threads);
    return 0;
  }

  models::SweepRunOptions run;
  run.output = options.output;
  run.inputs = options.inputs;
  run.resume = options.resume;
  run.threads = options.threads;
  run.progress = options.progress;
  run.provenance = {
      ATTACHSIM_VERSION, sim::utc_now_iso8601(), plan.base.seed, command_line, plan.config,
      kBuildId,          ATTACHSIM_BUILD_TYPE};
  run.resume_command = "attachsim " + command_line.substr(command_line.find(' ') + 1);
  const models::SweepRunReport report = models::run_planned_sweep(plan, run);
  if (report.exit_code != 0 || rank != 0) return report.exit_code;

  const int ranks = sim::distributed::size();
  std::ostringstream line;
  line << std::fixed << std::setprecision(0) << "swept " << plan.points.size() << " points x "
       << plan.sweep.replicates << " replicate(s): " << report.counters.dyad_days
       << " dyad-days in " << std::setprecision(2) << report.simulate_seconds << " s on "
       << (ranks > 1 ? std::to_string(ranks) + " processes x " : std::string()) << report.threads
       << " thread(s): " << std::setprecision(0)
       << report.counters.dyad_days / report.simulate_seconds << " dyad-days/s; wrote "
       << options.output << " in " << std::setprecision(2) << report.write_seconds << " s";
  std::cout << wrapped(line.str(), "", "  ") << "\n";
  return inspect_command(options.output, std::cout);
}

}  // namespace attachsim::cli
