// `attachsim bench`: a fixed, documented workload in the manner of HPC proxy applications. It
// prints (and optionally writes as JSON) a figure of merit (dyad-days per second), the wall time,
// the workers used, and a verification checksum of the results that must equal the documented
// value for the size whatever the thread count: a wrong answer fast is a failure (exit 1).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>
#include <variant>
#include <vector>

#include "apps/attachsim/commands.hpp"
#include "models/run.hpp"
#include "sim/checksum.hpp"
#include "sim/config.hpp"
#include "sim/distributed.hpp"
#include "sim/errors.hpp"
#include "sim/results_file.hpp"

namespace attachsim::cli {
namespace {

// Workloads: the calibrated community population, one arm, fixed seed. Checksums are FNV-1a
// (64-bit) over the bit patterns of every metric value and every Strange Situation class of the
// first `dyads` dyads, in dyad order. They were recorded at 2 threads and reproduced at 1 and 8
// (small) and 1 (medium): results do not depend on the thread count. Any change to the model or
// its defaults changes them; re-record them (docs/performance.md) in the same commit.
struct Size {
  const char* name;
  std::int64_t dyads;
  double months;
  std::uint64_t checksum;
};

constexpr Size kSizes[] = {
    {"small", 1000, 12.5, 0xf7439363edfa06baull},
    {"medium", 10000, 12.5, 0x1537f445e2cfc5daull},
    {"large", 10000, 60.0, 0x5662ebcbb5b2a853ull},
    {"xl", 100000, 24.0, 0x9bc26226023c1fc5ull},
};

// The rows of one dataset that this process holds: rows [first, first + arm.n_dyads) of the run,
// of which those before `limit` enter the checksum.
struct Rows {
  const sim::ArmResult* arm;
  std::size_t first;
  std::size_t limit;
  std::size_t dataset;  // metric index, or n_metrics + index into arm->extra
};

std::uint64_t hash_rows(std::uint64_t hash, const void* context) {
  const Rows& r = *static_cast<const Rows*>(context);
  const sim::ArmResult& arm = *r.arm;
  // Rows of this process before the limit.
  const std::size_t end =
      r.limit > r.first ? std::min(arm.metrics.n_dyads(), r.limit - r.first) : 0;
  if (r.dataset < arm.metrics.n_metrics()) {
    for (std::size_t d = 0; d < end; ++d) {
      hash =
          sim::fnv1a(hash, arm.metrics.row(r.dataset, d), arm.metrics.n_records() * sizeof(float));
    }
  } else if (const auto* codes = std::get_if<std::vector<std::int8_t>>(
                 &arm.extra[r.dataset - arm.metrics.n_metrics()].data)) {
    hash = sim::fnv1a(hash, codes->data(), end * sizeof(std::int8_t));
  }
  return hash;
}

// Checksum over the first `dyads` dyads (so a weak-scaling run, which adds dyads after them,
// verifies against the same value). In an MPI job each process holds rows [first, ...) and the
// hash state is handed from rank to rank (distributed::chain), so the value is the serial one
// without gathering the data.
std::uint64_t checksum(const sim::ArmResult& arm, std::size_t first, std::size_t dyads) {
  std::uint64_t hash = sim::kFnvOffset;
  for (std::size_t k = 0; k < arm.metrics.n_metrics() + arm.extra.size(); ++k) {
    const Rows rows{&arm, first, dyads, k};
    hash = sim::distributed::chain(hash, hash_rows, &rows);
  }
  return hash;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out + "\"";
}

std::string seconds_text(double seconds) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(3) << seconds;
  return out.str();
}

std::string host_name() {
  char name[256] = {};
  return ::gethostname(name, sizeof name - 1) == 0 ? std::string(name) : std::string("unknown");
}

// The processor's model name (Linux: /proc/cpuinfo), or "unknown".
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

void usage(std::ostream& out) {
  out << "Usage: attachsim bench [--size small|medium|large|xl] [--weak] [--threads T]\n"
         "                       [--repeat N] [--json FILE]\n\n"
         "Runs a fixed workload (the calibrated community population; docs/performance.md lists\n"
         "the sizes and their checksums) and prints the figure of merit (dyad-days/s), the wall\n"
         "time, the processes x threads, and a verification checksum that must equal the\n"
         "documented value whatever the process and thread counts. --weak multiplies the dyads\n"
         "by processes x threads (weak scaling; the checksum covers the first block). In the MPI\n"
         "build, `mpirun -np R attachsim bench ...` splits the dyads across R processes.\n"
         "--repeat N runs the workload N times (1 to 100) and reports every wall time and the\n"
         "median; the figure of merit is the median's. --json also records the version, build,\n"
         "host, CPU, hardware threads and time of the measurement.\n"
         "Exit 1 if verification fails.\n";
}

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  std::string size_name = "small";
  std::string json;
  bool weak = false;
  int threads = 0;
  int repeat = 1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--help" || a == "-h") {
      usage(std::cout);
      return 0;
    } else if (a == "--size" && has_value) {
      size_name = args[++i];
    } else if (a == "--json" && has_value) {
      json = args[++i];
    } else if (a == "--threads" && has_value) {
      const std::string t = args[++i];
      threads = std::atoi(t.c_str());
      if (threads < 1 || threads > 4096 || std::to_string(threads) != t) {
        throw sim::InputError("--threads " + t + ": allowed: integers 1 to 4096");
      }
    } else if (a == "--repeat" && has_value) {
      const std::string n = args[++i];
      repeat = std::atoi(n.c_str());
      if (repeat < 1 || repeat > 100 || std::to_string(repeat) != n) {
        throw sim::InputError("--repeat " + n + ": allowed: integers 1 to 100");
      }
    } else if (a == "--weak") {
      weak = true;
    } else {
      throw sim::InputError("attachsim bench: unexpected '" + a + "' (see attachsim bench --help)");
    }
  }
  const Size* size = nullptr;
  for (const Size& s : kSizes) {
    if (size_name == s.name) size = &s;
  }
  if (size == nullptr) {
    throw sim::InputError("--size " + size_name + ": allowed: small, medium, large, xl");
  }
  const int ranks = sim::distributed::size();
  const int rank = sim::distributed::rank();
  const int per_rank =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = ranks * per_rank;

  const models::BuiltinScenario* community = nullptr;
  for (const auto& b : models::builtin_scenarios()) {
    if (b.name == "community") community = &b;
  }
  toml::table doc = sim::load_toml_text(community->text, std::string(community->path));
  const std::int64_t dyads = size->dyads * (weak ? workers : 1);
  sim::apply_override(doc, "scenario.dyads=" + std::to_string(dyads));
  sim::apply_override(doc, "scenario.months=" + sim::toml_number(size->months));
  sim::apply_override(doc, "scenario.seed=20261128");
  sim::apply_override(doc, "assessment.strange_situation_months=[12]");
  sim::apply_override(doc, "assessment.sensitivity_months=[6]");
  const models::ScenarioSpec spec = models::scenario_from_toml(doc, "bench:" + size_name);

  // Each process runs its share of the dyads (all of them in one process); the wall time is the
  // slowest process's, from a common start.
  const models::DyadShare mine = models::dyad_share(spec, 0, rank, ranks);
  std::vector<double> walls;
  sim::ArmResult arm;
  for (int r = 0; r < repeat; ++r) {
    sim::distributed::barrier();
    const auto start = std::chrono::steady_clock::now();
    arm = models::run_arm_block(spec, 0, mine.first, mine.count, {threads, 16});
    walls.push_back(sim::distributed::max(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()));
  }
  std::vector<double> sorted = walls;
  std::sort(sorted.begin(), sorted.end());
  const std::size_t mid = sorted.size() / 2;
  const double seconds =
      sorted.size() % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
  const std::uint64_t sum = checksum(arm, mine.first, static_cast<std::size_t>(size->dyads));
  const double dyad_days = sim::distributed::sum(arm.counters.dyad_days);
  const bool documented = size->checksum != 0;
  const bool verified = documented && sum == size->checksum;
  const double fom = dyad_days / seconds;
  if (rank != 0) return documented && !verified ? 1 : 0;

  std::ostringstream hex;
  hex << "0x" << std::hex << std::setw(16) << std::setfill('0') << sum;
  std::cout << std::fixed << std::setprecision(0) << "attachsim bench --size " << size->name
            << (weak ? " --weak" : "") << "\n  workload      " << dyads << " dyads x "
            << std::setprecision(1) << size->months << " months = " << std::setprecision(0)
            << dyad_days << " dyad-days\n  ranks x threads " << ranks << " x " << per_rank
            << "\n  wall time     " << std::setprecision(3) << seconds << " s"
            << (repeat > 1 ? " (median of " + std::to_string(repeat) + " runs, " +
                                 seconds_text(sorted.front()) + " to " +
                                 seconds_text(sorted.back()) + " s)"
                           : std::string())
            << "\n  figure of merit " << std::setprecision(0) << fom
            << " dyad-days/s\n  checksum      " << hex.str()
            << (verified     ? "  VERIFIED"
                : documented ? "  WRONG (does not match the documented value)"
                             : "  (no documented value for this size)")
            << "\n";
  if (!json.empty()) {
    std::ofstream out(json);
    if (!out) throw sim::InputError("cannot write --json " + json);
    out << std::fixed;  // plain decimals in JSON (the default float format writes 4e+05)
    std::string walls_json;
    for (const double w : walls) {
      std::ostringstream one;
      one << std::fixed << std::setprecision(6) << w;
      walls_json += (walls_json.empty() ? "" : ", ") + one.str();
    }
    out << "{\"attachsim_version\": \"" << ATTACHSIM_VERSION << "\", \"build\": \"" << kBuildId
        << "\", \"build_type\": \"" << ATTACHSIM_BUILD_TYPE << "\", \"created_utc\": \""
        << sim::utc_now_iso8601() << "\", \"host\": " << json_string(host_name())
        << ", \"cpu\": " << json_string(cpu_model())
        << ", \"hardware_threads\": " << std::thread::hardware_concurrency() << ", ";
    out << "\"size\": \"" << size->name << "\", \"weak\": " << (weak ? "true" : "false")
        << ", \"dyads\": " << dyads << ", \"months\": " << size->months
        << ", \"dyad_days\": " << std::setprecision(0) << dyad_days << ", \"ranks\": " << ranks
        << ", \"threads\": " << per_rank << ", \"wall_seconds\": " << std::setprecision(6)
        << seconds << ", \"repeat\": " << repeat << ", \"wall_seconds_each\": [" << walls_json
        << "], \"dyad_days_per_second\": " << std::setprecision(1) << fom << ", \"checksum\": \""
        << hex.str() << "\", \"verified\": " << (verified ? "true" : "false") << "}\n";
  }
  return documented && !verified ? 1 : 0;
}

}  // namespace attachsim::cli
