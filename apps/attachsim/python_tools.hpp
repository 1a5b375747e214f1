// Subcommands carried out by the Python tools in analysis/ (report, export): where they live and
// how they are called.
#pragma once

#include <filesystem>
#include <string>

namespace attachsim::cli {

// `text` as one single-quoted shell word.
std::string shell_quote(const std::string& text);

// analysis/<relative>: under $ATTACHSIM_ANALYSIS_DIR, else the source tree the program was built
// from. A RuntimeError names the variable when the file is not there.
std::filesystem::path analysis_file(const std::string& relative);

// Runs /usr/bin/python3 with `args` (already quoted). Returns 2 when the tool said the input was
// bad (exit 2), 0 on success; throws RuntimeError for anything else.
int run_python(const std::string& args);

}  // namespace attachsim::cli
