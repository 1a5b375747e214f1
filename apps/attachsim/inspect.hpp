// `attachsim inspect FILE`: a terminal overview of a results file.
#pragma once

#include <ostream>
#include <string>

namespace attachsim::cli {

// Prints provenance, then per arm its description, size and horizon, for every metric the
// summary over dyads at the last record (mean ± sd, p10/p50/p90, units) and, one line each, the
// model-declared datasets (path, dtype, shape, units; for int8 data with a `codes` attribute the
// share of each code), in at most 100 columns (longer names or paths overflow their column).
// Returns 0. Throws sim::InputError if `path` is missing or not an attachsim results file.
int inspect_command(const std::string& path, std::ostream& out);

}  // namespace attachsim::cli
