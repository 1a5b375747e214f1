// The one-screen summary `attachsim run` prints (docs/cli.md): per scenario a plain sentence of its
// headline from the numbers, per arm trust, felt security and the share classified secure with 95%
// intervals, then where the file is and what to run next. The full per-metric tables are
// `attachsim inspect` (or `run --verbose`).
#pragma once

#include <ostream>
#include <string>

#include "sim/output.hpp"

namespace attachsim::cli {

// A share's 95% interval (Wilson's score interval: sensible near 0 and 1 and for small n).
struct ShareInterval {
  double share = 0.0, low = 0.0, high = 0.0;
};
ShareInterval wilson_interval(std::size_t successes, std::size_t n);

void print_run_summary(std::ostream& out, const std::string& path, const sim::FileSummary& file);

}  // namespace attachsim::cli
