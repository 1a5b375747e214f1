// Helpers shared by the test binaries: running the built CLI and comparing float data bitwise.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "models/parameters.hpp"
#include "sim/errors.hpp"

namespace attachsim::testing {

// A caregiver with every parameter at its registry default (no population spread).
inline models::CaregiverParams fixed_caregiver() {
  models::CaregiverParams cg{};
  for (const auto& spec : models::kCaregiverParams) cg.*spec.field = spec.mean;
  return cg;
}

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// A fresh empty directory under the system temp dir, removed by the destructor.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "attachsim-test-XXXXXX").string();
    path_ = ::mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    for (const auto& e : std::filesystem::directory_iterator(path_)) {
      out.push_back(e.path().filename().string());
    }
    return out;
  }

 private:
  std::filesystem::path path_;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// Runs the attachsim binary with `args` (already shell-quoted as needed) in `dir`.
inline CommandResult run_attachsim(const TempDir& dir, const std::string& args) {
  const std::string out = dir.file(".stdout"), err = dir.file(".stderr");
  const std::string cmd = "cd '" + dir.path().string() + "' && '" + ATTACHSIM_BINARY + "' " + args +
                          " >'" + out + "' 2>'" + err + "' </dev/null";
  const int status = std::system(cmd.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out);
  r.err = read_file(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

// Bitwise equality of float arrays (NaN payloads included), reporting the first difference.
inline bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Bit-for-bit equality of two model-declared datasets' data (NaN equals NaN).
inline bool same_bits(const std::variant<std::vector<float>, std::vector<std::int8_t>>& a,
                      const std::variant<std::vector<float>, std::vector<std::int8_t>>& b) {
  if (a.index() != b.index()) return false;
  if (const auto* x = std::get_if<std::vector<float>>(&a)) {
    return same_bits(*x, std::get<std::vector<float>>(b));
  }
  return std::get<std::vector<std::int8_t>>(a) == std::get<std::vector<std::int8_t>>(b);
}

// `call` must throw sim::InputError whose message holds every fragment.
template <class Call>
void expect_input_error_holding(Call&& call, const std::vector<std::string>& fragments) {
  try {
    call();
    FAIL() << "expected InputError";
  } catch (const sim::InputError& error) {
    const std::string what = error.what();
    for (const auto& f : fragments) EXPECT_NE(what.find(f), std::string::npos) << what;
  }
}

}  // namespace attachsim::testing
