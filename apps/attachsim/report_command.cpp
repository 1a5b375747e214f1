// `attachsim report`: a self-contained HTML report of a results file, drawn by
// analysis/report.py with matplotlib (Debian's python3-matplotlib).
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "apps/attachsim/commands.hpp"
#include "sim/errors.hpp"
#include "sim/output.hpp"

namespace attachsim::cli {
namespace {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Where analysis/report.py lives: $ATTACHSIM_ANALYSIS_DIR, else the source tree it was built from.
std::filesystem::path report_script() {
  const char* dir = std::getenv("ATTACHSIM_ANALYSIS_DIR");
  return std::filesystem::path(dir != nullptr ? dir : ATTACHSIM_ANALYSIS_DIR) / "report.py";
}

}  // namespace

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
  const auto script = report_script();
  if (!std::filesystem::exists(script)) {
    throw sim::RuntimeError("cannot find " + script.string() +
                            " (set ATTACHSIM_ANALYSIS_DIR to the analysis/ folder)");
  }
  const std::string command = "/usr/bin/python3 " + shell_quote(script.string()) + " " +
                              shell_quote(input) + " -o " + shell_quote(output);
  const int status = std::system(command.c_str());
  // The script has said what was wrong: exit 2 for a file it cannot report (passed on as is),
  // 1 for anything else.
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) return 2;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw sim::RuntimeError("the report script failed (" + command + ")");
  }
  return 0;
}

}  // namespace attachsim::cli
