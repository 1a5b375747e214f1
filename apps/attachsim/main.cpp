// attachsim: command-line entry point. Dispatches subcommands and maps errors to exit codes:
// 0 success, 2 usage or input error, 1 runtime failure.
#include <exception>
#include <iostream>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/inspect.hpp"
#include "apps/attachsim/text.hpp"
#include "models/scenario.hpp"
#include "sim/config.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"

namespace {

using attachsim::cli::kNotice;

void print_usage(std::ostream& out) {
  out << "attachsim " << ATTACHSIM_VERSION
      << " - agent-based simulation of caregiver-child attachment\n\n"
         "Usage:\n"
         "  attachsim run [SCENARIO ...] [-o results.h5] [--threads N] [--seed S]\n"
         "                [--dyads N] [--months M] [--set key=value ...] [--print-config]\n"
         "  attachsim report FILE [-o report.html]   self-contained HTML report with charts\n"
         "  attachsim export FILE [-o DIR]           tidy CSV tables with a column dictionary\n"
         "  attachsim analyze FILE                   sensitivity of a sweep's outputs (any "
         "design)\n"
         "  attachsim inspect FILE        terminal summary of a results file\n"
         "  attachsim scenarios           list the built-in scenarios\n"
         "  attachsim parameters          every parameter and metric, with units and sources\n"
         "  attachsim bench --size S      fixed benchmark workload with a verified checksum\n"
         "  attachsim --help | --version\n\n"
         "Every subcommand takes --help. Exit codes: 0 success, 2 usage or input error,\n"
         "1 runtime failure.\n\n"
      << (attachsim::sim::distributed::built_with_mpi()
              ? "This is the MPI build: `mpirun -np R attachsim run|bench ...` splits the work\n"
                "across R processes and writes one file (docs/hpc.md).\n\n"
              : "")
      << kNotice << "\n";
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

int scenarios_command(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << "Usage: attachsim scenarios\n\nLists the built-in scenarios and teaching lessons "
                 "that `attachsim run NAME` accepts (`attachsim run --lessons` runs every lesson "
                 "into one file).\n";
    return 0;
  }
  if (!args.empty()) throw attachsim::sim::InputError("attachsim scenarios takes no arguments");
  std::size_t n_lessons = 0;
  for (const auto& b : attachsim::models::builtin_scenarios()) n_lessons += b.is_lesson ? 1 : 0;
  for (const bool lessons : {false, true}) {
    std::cout << (lessons ? "\nLessons (scenarios/lessons/; `attachsim run` with no scenario runs "
                            "all " +
                                std::to_string(n_lessons) + "):\n"
                          : std::string("Scenarios (`attachsim run NAME`):\n"));
    for (const auto& b : attachsim::models::builtin_scenarios()) {
      if (b.is_lesson != lessons) continue;
      const auto doc = attachsim::sim::load_toml_text(b.text, std::string(b.path));
      const auto text = doc["scenario"][lessons ? "lesson" : "description"].value_or(std::string{});
      std::cout << "  " << b.name << "\n" << attachsim::cli::wrapped(text, "      ", "      ");
    }
  }
  return 0;
}

int inspect(const std::vector<std::string>& args) {
  if (wants_help(args)) {
    std::cout << "Usage: attachsim inspect FILE\n\nPrints the provenance, arms and key metrics "
                 "(at the last record) of an attachsim results file.\n";
    return 0;
  }
  if (args.size() != 1) {
    throw attachsim::sim::InputError("attachsim inspect takes exactly one FILE (see --help)");
  }
  return attachsim::cli::inspect_command(args[0], std::cout);
}

std::string quote_command_line(int argc, char** argv) {
  std::string out;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (!out.empty()) out += ' ';
    if (arg.find_first_of(" \t\"'\\$") != std::string::npos || arg.empty()) {
      std::string q = "'";
      for (char c : arg) q += (c == '\'') ? std::string("'\\''") : std::string(1, c);
      out += q + "'";
    } else {
      out += arg;
    }
  }
  return out;
}

int run_main(const std::vector<std::string>& args, const std::string& command_line) {
  if (args.empty()) {
    print_usage(std::cerr);
    return 2;
  }
  const std::string command = args.front();
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "--help" || command == "-h" || command == "help") {
    print_usage(std::cout);
    return 0;
  }
  if (command == "--version") {
    std::cout << "attachsim " << ATTACHSIM_VERSION << " (build " << attachsim::cli::kBuildId << ", "
              << ATTACHSIM_BUILD_TYPE << ")\n";
    return 0;
  }
  if (attachsim::sim::distributed::size() > 1 && command != "run" && command != "bench") {
    throw attachsim::sim::InputError("attachsim " + command +
                                     " runs in one process; only run and bench run across the "
                                     "processes of an MPI job (docs/hpc.md)");
  }
  if (command == "run") return attachsim::cli::run_command(rest, command_line);
  if (command == "inspect") return inspect(rest);
  if (command == "scenarios") return scenarios_command(rest);
  if (command == "parameters") return attachsim::cli::parameters_command(rest);
  if (command == "report") return attachsim::cli::report_command(rest);
  if (command == "export") return attachsim::cli::export_command(rest);
  if (command == "bench") return attachsim::cli::bench_command(rest);
  if (command == "analyze") return attachsim::cli::analyze_command(rest);
  std::cerr << "attachsim: unknown command '" << command
            << "'; allowed: run, report, export, analyze, inspect, scenarios, parameters, bench, "
               "--help, "
               "--version\n";
  return 2;
}

}  // namespace

// In an MPI job (the MPI build under mpirun or srun, docs/hpc.md) every process runs main. Input
// errors are found the same way by every process before any work (rank 0 reports them, all exit
// 2); a runtime failure on any process ends the whole job (MPI_Abort with exit code 1), since the
// others would wait for it in a collective call.
int main(int argc, char** argv) {
  namespace distributed = attachsim::sim::distributed;
  std::unique_ptr<distributed::Session> session;
  try {
    session = std::make_unique<distributed::Session>(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "attachsim: runtime failure: " << e.what() << "\n";
    return 1;
  }
  const std::string command_line = quote_command_line(argc, argv);
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int ranks = distributed::size();
  try {
    return run_main(args, command_line);
  } catch (const attachsim::sim::InputError& e) {
    if (distributed::is_root()) std::cerr << "attachsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "attachsim: runtime failure";
    if (ranks > 1) std::cerr << " (process " << distributed::rank() << " of " << ranks << ")";
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr) {
      std::cerr << ": out of memory (allowed: fewer dyads or months, fewer threads, or more "
                   "processes in the MPI build)\n";
    } else {
      std::cerr << ": " << e.what() << "\n";
    }
    if (ranks > 1) distributed::abort(1);
    return 1;
  }
}
