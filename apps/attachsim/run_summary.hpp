// The one-screen summary `attachsim run` prints (docs/cli.md): per scenario a plain sentence of its
// headline from the numbers, per arm trust, felt security and the share classified secure with 95%
// intervals, then where the file is and what to run next. The full per-metric tables are
// `attachsim inspect` (or `run --verbose`).
#pragma once

#include <ostream>
#include <string>

#include "sim/intervals.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {

using sim::ShareInterval;
using sim::wilson_interval;

void print_run_summary(std::ostream& out, const std::string& path, const sim::FileSummary& file);

}  // namespace attachsim::cli
