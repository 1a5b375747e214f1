// The subcommands of the attachsim tool. Each returns the process exit code (0 success) and
// throws sim::InputError (exit 2) or other exceptions (exit 1) on failure.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace attachsim::cli {

// The git commit this program was built from (cmake/build_id.cmake), or "unknown".
extern const char* const kBuildId;

inline constexpr const char* kNotice =
    "attachsim illustrates published findings about populations; it does not assess or predict "
    "any real child or parent.";

// "a,b,c" -> {"a", "b", "c"} (attribute lists such as a sweep's `columns`).
inline std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

// `args` excludes the subcommand name; `command_line` is the whole invocation, for provenance.
int run_command(const std::vector<std::string>& args, const std::string& command_line);

// `attachsim parameters`: every parameter and metric as Markdown tables (docs/model.md embeds
// this output; a test keeps the two equal).
int parameters_command(const std::vector<std::string>& args);
std::string parameters_markdown();
std::string metrics_markdown();

// `attachsim report RESULTS.h5 [-o report.html]`: the HTML report (analysis/report.py).
int report_command(const std::vector<std::string>& args);

// `attachsim export FILE [-o DIR]`: tidy CSV tables (analysis/attachsim/export.py).
int export_command(const std::vector<std::string>& args);

// `attachsim analyze RESULTS.h5 [--output O ...]`: Sobol indices of a Saltelli sweep
// (docs/sweeps.md), printed and stored under /analysis/.
int analyze_command(const std::vector<std::string>& args);

// `attachsim bench --size S [--weak] [--threads T] [--json F]`: a fixed workload with a figure of
// merit and a verification checksum (exit 1 when it does not match the documented value).
int bench_command(const std::vector<std::string>& args);

}  // namespace attachsim::cli
