// `attachsim export`: a results file as tidy CSV tables with a column dictionary, written by
// analysis/attachsim/export.py (pandas) from the module researchers import (docs/export.md).
#include <iostream>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/python_tools.hpp"
#include "sim/errors.hpp"

namespace attachsim::cli {

int export_command(const std::vector<std::string>& args) {
  std::string input, output;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool has_value = i + 1 < args.size();
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout
          << "Usage: attachsim export FILE [-o DIR] [--format csv]\n\n"
             "Writes the results file (a run or a sweep) as tidy CSV tables into DIR (default:\n"
             "FILE's name with _csv): a run gives metrics.csv (one row per arm, dyad and record)\n"
             "and per_dyad.csv (parameters and assessments, one row per arm and dyad); a sweep\n"
             "gives sweep.csv (one row per arm, point and replicate); both give dictionary.csv\n"
             "(units and meaning of every column) and provenance.csv. They read into R with\n"
             "read.csv(..., check.names = FALSE), or into pandas (docs/export.md). Needs\n"
             "/usr/bin/python3 with h5py and pandas.\n\n"
          << kNotice << "\n";
      return 0;
    }
    if ((args[i] == "-o" || args[i] == "--output") && has_value) {
      output = args[++i];
    } else if (args[i] == "--format" && has_value) {
      const std::string format = args[++i];
      if (format != "csv") {
        throw sim::InputError("--format " + format + ": allowed: csv");
      }
    } else if (!args[i].empty() && args[i][0] == '-') {
      throw sim::InputError("attachsim export: unknown option '" + args[i] +
                            "'; allowed: -o DIR, --format csv, --help");
    } else if (input.empty()) {
      input = args[i];
    } else {
      throw sim::InputError("attachsim export takes one results file (see --help)");
    }
  }
  if (input.empty()) throw sim::InputError("attachsim export: which results file? (see --help)");
  std::string command =
      shell_quote(analysis_file("attachsim/export.py").string()) + " " + shell_quote(input);
  if (!output.empty()) command += " -o " + shell_quote(output);
  return run_python(command);
}

}  // namespace attachsim::cli
