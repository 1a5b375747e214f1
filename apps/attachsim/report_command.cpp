// `attachsim report`: a self-contained HTML report of a results file, drawn by
// analysis/report.py with matplotlib (Debian's python3-matplotlib).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/python_tools.hpp"
#include "sim/errors.hpp"
#include "sim/files.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {

int report_command(const std::vector<std::string>& args) {
  std::vector<std::string> inputs;
  std::string output = "report.html";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "Usage: attachsim report RESULTS.h5 [MORE.h5 ...] [-o report.html]\n\n"
                   "Writes one self-contained HTML page (no network needed): per scenario or "
                   "lesson, the lesson text, charts of trust and felt security over age, "
                   "attachment classes, exploration against distress, ruptures and repairs, with "
                   "captions from the numbers. For a sweep: each output against each swept "
                   "parameter, a response surface and the Sobol indices analyze stored. With "
                   "several files (a lesson and a variant run from its copied scenario, say), the "
                   "arms of a scenario found in more than one are drawn together, labelled by "
                   "file. Needs "
                   "/usr/bin/python3 with h5py and matplotlib.\n\n"
                << kNotice << "\n";
      return 0;
    }
    if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
      output = args[++i];
    } else if (!args[i].empty() && args[i][0] == '-') {
      throw sim::InputError("attachsim report: unknown option '" + args[i] +
                            "'; allowed: -o FILE, --help");
    } else {
      inputs.push_back(args[i]);
    }
  }
  if (inputs.empty()) throw sim::InputError("attachsim report: which results file? (see --help)");
  std::string quoted;
  for (const std::string& input : inputs) {
    // A sweep file (a /sweep group, no /scenarios) is checked by the report's own reader
    // (analysis/attachsim); anything else must be a run file, or a clear InputError.
    bool sweep = false;
    if (std::filesystem::is_regular_file(input) && sim::h5::is_hdf5_file(input)) {
      const sim::h5::Object file = sim::h5::open_file(input);
      sweep = sim::h5::exists(file, "sweep") && !sim::h5::exists(file, "scenarios") &&
              sim::h5::has_attribute(file, "attachsim_version");
    }
    if (!sweep) (void)sim::read_summary(input);
    quoted.push_back(' ');
    quoted += shell_quote(input);
  }
  sim::check_output_path(output, inputs);
  return run_python(shell_quote(analysis_file("report.py").string()) + quoted + " -o " +
                    shell_quote(output));
}

}  // namespace attachsim::cli
