// Sweeps from the command line (`attachsim run SWEEP.toml`; docs/sweeps.md).
#pragma once

#include <string>
#include <vector>

#include "apps/attachsim/scenario_loading.hpp"
#include "sim/sweep.hpp"

namespace attachsim::cli {

struct SweepOptions {
  std::string output = "results.h5";
  int threads = 0;        // 0: all cores
  bool progress = false;  // a bar on a terminal, lines in a log (off: --no-progress)
  bool print_plan = false;
  bool print_config = false;
  bool resume = false;  // continue the interrupted run of `output` (its .parts/ directory)
  std::vector<std::string> inputs;  // files the command reads (the output must not be one)
};

// Runs (or, with print_plan / print_config, only plans) the sweep in `document`, after applying
// `overrides` to it. Every point is validated first; bad input throws sim::InputError naming the
// point and the key.
int run_sweep(ScenarioDocument document, const std::vector<std::string>& overrides,
              const SweepOptions& options, const std::string& command_line);

}  // namespace attachsim::cli
