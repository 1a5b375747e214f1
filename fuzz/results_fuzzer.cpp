// libFuzzer target for the results readers (issue 14; docs/reliability.md), structure-aware: the
// input is a program of mutations applied to a valid results file — a run's or a sweep's
// (tests/file_examples.hpp) — through HDF5 itself: attributes rewritten (counts, names, codes,
// text), links removed, datasets replaced by others of another shape, rank or type (sizes small),
// groups linked into themselves, new members added. The mutated file must then be read by
// sim::read_summary and sim::read_results (a run) or sim::read_sweep_file and every per-point
// array it lists (a sweep) to a result or a sim::InputError: never a crash, a sanitizer report, a
// hang or another exception. Mutating through HDF5, not the bytes, aims the search at the readers'
// own checks rather than at the HDF5 library's parser.
//
// Input: byte 0 picks the file (even: run, odd: sweep); then operations, each an opcode byte and
// its arguments (a missing argument reads as 0).
#include <hdf5.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "sim/errors.hpp"
#include "sim/h5.hpp"
#include "sim/results_file.hpp"
#include "sim/sweep_file.hpp"
#include "tests/file_examples.hpp"

namespace {

using namespace attachsim;
namespace fs = std::filesystem;

// Reads the fuzz input as a stream of arguments.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return at_ >= size_; }
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::int64_t integer() {  // small values are likely, any 64-bit value possible
    const std::uint8_t kind = byte();
    if (kind < 200) return static_cast<std::int64_t>(kind) - 16;
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | byte();
    return static_cast<std::int64_t>(v);
  }
  double number() {
    const std::uint8_t kind = byte();
    if (kind == 255) return std::numeric_limits<double>::quiet_NaN();
    if (kind == 254) return std::numeric_limits<double>::infinity();
    if (kind == 253) return -1e300;
    return static_cast<double>(kind) / 16.0 - 2.0;
  }
  std::string text() {
    const std::size_t n = byte() % 40;
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(static_cast<char>(byte()));
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

// The bytes of the two base files, made once.
const std::string& base_file(bool sweep) {
  static const auto make = [](bool s) {
    const std::string path =
        (fs::temp_directory_path() /
         ("attachsim-fuzz-base-" + std::to_string(::getpid()) + (s ? "-sweep.h5" : "-run.h5")))
            .string();
    if (s) {
      testing::write_example_sweep(path);
    } else {
      sim::write_results(path, testing::example_run_result());
    }
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    fs::remove(path);
    return bytes;
  };
  static const std::string run_bytes = make(false), sweep_bytes = make(true);
  return sweep ? sweep_bytes : run_bytes;
}

// Every group and dataset of the file (depth first, bounded), and the root.
void walk(const sim::h5::Object& group, const std::string& prefix, std::vector<std::string>& out,
          int depth = 0) {
  if (depth > 8) return;
  for (const std::string& name : sim::h5::children(group)) {
    const std::string path = prefix.empty() ? name : prefix + "/" + name;
    out.push_back(path);
    if (sim::h5::kind(group, name) == sim::h5::Kind::kGroup) {
      walk(sim::h5::open_group(group, name), path, out, depth + 1);
    }
  }
}

const char* const kAttributes[] = {
    "n_points", "replicates",  "samples",        "design",      "columns",   "units",
    "codes",    "dyad_stride", "schema_version", "n_dyads",     "n_records", "attachsim_version",
    "config",   "seed",        "description",    "command_line"};
const char* const kNames[] = {"sweep",     "arms",   "summary", "ssp",   "age_12mo",  "class_share",
                              "time_days", "mean",   "points",  "seeds", "analysis",  "first_order",
                              "metrics",   "params", "class",   "dyads", "scenarios", "total_ci"};

// Splits "a/b/c" into the parent path ("a/b", "" for the root) and the name ("c").
std::pair<std::string, std::string> split_path(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

void mutate(const std::string& path, Input& in) {
  namespace h5 = attachsim::sim::h5;
  h5::Object file = h5::open_file_rw(path);
  std::vector<std::string> objects = {""};  // "": the root
  walk(file, "", objects);
  for (int op = 0; op < 12 && !in.done(); ++op) {
    const std::uint8_t code = in.byte();
    const std::string target = objects.empty() ? "" : objects[in.byte() % objects.size()];
    try {
      if (!target.empty() && !h5::exists(file, target)) continue;  // removed by an earlier op
      const auto split = split_path(target);
      const std::string& parent_path = split.first;
      const std::string& name = split.second;
      const h5::Object parent = h5::require_group(file, parent_path);
      const bool is_group = target.empty() || h5::kind(parent, name) == h5::Kind::kGroup;
      const auto object = [&]() -> h5::Object {
        if (target.empty()) return h5::require_group(file, "");
        return is_group ? h5::open_group(parent, name) : h5::open_dataset(parent, name);
      };
      const char* attribute = kAttributes[in.byte() % std::size(kAttributes)];
      switch (code % 9) {
        case 0:  // an integer attribute
          h5::write_int_attribute(object(), attribute, in.integer());
          break;
        case 1:  // a text attribute
          h5::write_string_attribute(object(), attribute, in.text());
          break;
        case 2:  // a floating-point attribute
          h5::write_double_attribute(object(), attribute, in.number());
          break;
        case 3:  // remove a link
          if (!target.empty()) h5::remove_link(parent, name);
          break;
        case 4: {  // replace a dataset (or add one) by a float64 array of another shape
          const std::size_t rank = in.byte() % 4;
          std::vector<std::size_t> shape;
          std::size_t total = 1;
          for (std::size_t i = 0; i < rank; ++i) {
            shape.push_back(in.byte() % 9);
            total *= shape.back();
          }
          std::vector<double> values(total);
          for (double& v : values) v = in.number();
          const std::string member = is_group ? kNames[in.byte() % std::size(kNames)] : name;
          const h5::Object where = is_group ? object() : h5::require_group(file, parent_path);
          if (h5::exists(where, member)) h5::remove_link(where, member);
          h5::write_double_array(where, member, values, shape);
          break;
        }
        case 5: {  // replace a dataset by one of another element type
          const std::size_t n = in.byte() % 9;
          const std::size_t shape[1] = {n};
          const h5::Object where = h5::require_group(file, parent_path);
          if (h5::exists(where, name)) h5::remove_link(where, name);
          if (in.byte() % 2 == 0) {
            std::vector<std::int8_t> values(n);
            for (auto& v : values) v = static_cast<std::int8_t>(in.byte());
            h5::write_int8_array(where, name, values, shape);
          } else {
            std::vector<std::uint64_t> values(n);
            for (auto& v : values) v = static_cast<std::uint64_t>(in.integer());
            h5::write_uint64_array(where, name, values, shape);
          }
          break;
        }
        case 6: {  // link a group into itself or into one of its members (a cycle)
          if (!is_group) break;
          const h5::Object g = object();
          H5Lcreate_hard(g.id(), ".", g.id(), kNames[in.byte() % std::size(kNames)], H5P_DEFAULT,
                         H5P_DEFAULT);
          // The last mutation: HDF5 1.10 itself crashes (a null name in its compact-group lookup)
          // when such a group is modified further, which is not what this target tests.
          op = 12;
          break;
        }
        case 7:  // a new, empty group where a member was expected
          if (is_group) h5::create_group(object(), kNames[in.byte() % std::size(kNames)]);
          break;
        case 8: {  // a dataset's member moved into a group of the same name
          if (target.empty() || is_group) break;
          h5::remove_link(parent, name);
          h5::create_group(parent, name);
          break;
        }
      }
    } catch (const std::exception&) {
      // The mutation itself was not possible (HDF5 refused it): go on with the next.
    }
  }
  file.close();
}

// Reads the mutated file as attachsim's readers do; anything but success or InputError escapes.
void read(const std::string& path, bool sweep, std::size_t pick) {
  try {
    if (sweep) {
      const sim::SweepFile file = sim::read_sweep_file(path);
      for (const sim::SweepFileArm& arm : file.arms) {
        // One summary per arm (every one goes through the same checks; reading all of them
        // would only slow the search), chosen by the input.
        const std::string& metric = arm.metrics[pick % arm.metrics.size()];
        const char* stat = std::array{"mean", "sd", "p10", "p50", "p90"}[pick % 5];
        const std::vector<double> v = sim::read_sweep_summary(file, arm, metric, stat);
        if (v.size() != file.n_points * file.replicates * arm.time_days.size()) std::abort();
        for (const sim::SweepFileShares& shares : arm.shares) {
          const std::vector<double> w = sim::read_sweep_shares(file, arm, shares);
          if (w.size() != file.n_points * file.replicates * shares.codes.size()) std::abort();
        }
      }
    } else {
      const sim::FileSummary summary = sim::read_summary(path);
      const sim::RunResult result = sim::read_results(path);
      if (summary.arms.size() != result.arms.size()) std::abort();
    }
  } catch (const sim::InputError&) {
    // A bad file, reported as such: what the readers promise.
  }
}

}  // namespace

// HDF5 keeps freed blocks on free lists, but by default frees those over its limits, such as the
// metadata cache every H5Fopen allocates; under ASan each is then a fresh mapping, page-faulted in
// and zeroed. Without limits the blocks are reused: twice the executions per second on the same
// code paths. (ASan cannot see a use after free into a block HDF5 holds on a list; the readers
// never hold on to HDF5's memory, and HDF5 itself is not what this target tests.)
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  H5set_free_list_limits(-1, -1, -1, -1, -1, -1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const bool sweep = in.byte() % 2 == 1;
  static const std::string path =
      (fs::temp_directory_path() / ("attachsim-fuzz-" + std::to_string(::getpid()) + ".h5"))
          .string();
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string& bytes = base_file(sweep);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  try {
    mutate(path, in);
  } catch (const std::exception&) {
    return 0;  // the file could not be opened for mutation: nothing to read
  }
  read(path, sweep, in.byte());
  return 0;
}
