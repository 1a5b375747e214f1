// Error kinds that map to the CLI's exit codes.
#pragma once

#include <stdexcept>
#include <string>

namespace attachsim::sim {

// Bad usage or input (configuration, scenario file, output path): exit code 2. The message names
// where (file, line, key), what is wrong and what is allowed; it is printed as is.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

// Failure while running or writing (disk full, HDF5 library error): exit code 1.
class RuntimeError : public std::runtime_error {
 public:
  explicit RuntimeError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace attachsim::sim
