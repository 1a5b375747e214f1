#include "apps/attachsim/python_tools.hpp"

#include <sys/wait.h>

#include <cstdlib>

#include "sim/errors.hpp"

namespace attachsim::cli {

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::filesystem::path analysis_file(const std::string& relative) {
  const char* dir = std::getenv("ATTACHSIM_ANALYSIS_DIR");
  const auto path = std::filesystem::path(dir != nullptr ? dir : ATTACHSIM_ANALYSIS_DIR) / relative;
  if (!std::filesystem::exists(path)) {
    throw sim::RuntimeError("cannot find " + path.string() +
                            " (set ATTACHSIM_ANALYSIS_DIR to the analysis/ folder)");
  }
  return path;
}

int run_python(const std::string& args) {
  const std::string command = "/usr/bin/python3 " + args;
  const int status = std::system(command.c_str());
  // The tool has said what was wrong: exit 2 for an input it cannot use (passed on as is), 1 for
  // anything else.
  if (WIFEXITED(status) && WEXITSTATUS(status) == 2) return 2;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw sim::RuntimeError("the Python tool failed (" + command + ")");
  }
  return 0;
}

}  // namespace attachsim::cli
