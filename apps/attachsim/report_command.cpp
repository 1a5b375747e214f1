// `attachsim report`: a self-contained HTML report of a results file, drawn by
// analysis/report.py with matplotlib (Debian's python3-matplotlib).
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "apps/attachsim/commands.hpp"
#include "apps/attachsim/python_tools.hpp"
#include "sim/errors.hpp"
#include "sim/output.hpp"

namespace attachsim::cli {

int report_command(const std::vector<std::string>& args) {
  std::string input;
  std::string output = "report.html";
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      std::cout << "Usage: attachsim report RESULTS.h5 [-o report.html]\n\n"
                   "Writes one self-contained HTML page (no network needed): per scenario or "
                   "lesson, the lesson text, charts of trust and felt security over age, "
                   "attachment classes, exploration against distress, ruptures and repairs, with "
                   "captions from the numbers. Needs /usr/bin/python3 with h5py and matplotlib.\n\n"
                << kNotice << "\n";
      return 0;
    }
    if ((args[i] == "-o" || args[i] == "--output") && i + 1 < args.size()) {
      output = args[++i];
    } else if (!args[i].empty() && args[i][0] == '-') {
      throw sim::InputError("attachsim report: unknown option '" + args[i] +
                            "'; allowed: -o FILE, --help");
    } else if (input.empty()) {
      input = args[i];
    } else {
      throw sim::InputError("attachsim report takes one results file (see --help)");
    }
  }
  if (input.empty()) throw sim::InputError("attachsim report: which results file? (see --help)");
  (void)sim::read_summary(input);  // an attachsim results file, or a clear InputError
  sim::check_output_path(output, {input});
  return run_python(shell_quote(analysis_file("report.py").string()) + " " + shell_quote(input) +
                    " -o " + shell_quote(output));
}

}  // namespace attachsim::cli
