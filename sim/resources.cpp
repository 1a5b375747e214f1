#include "sim/resources.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>
#include <thread>

#include "sim/errors.hpp"

namespace attachsim::sim {
namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;

double limit_of(int resource) {
  rlimit limit{};
  if (::getrlimit(resource, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) {
    return std::numeric_limits<double>::infinity();
  }
  return static_cast<double>(limit.rlim_cur);
}

std::string gib(double bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(bytes < 10 * kGiB ? 1 : 0) << bytes / kGiB << " GiB";
  return out.str();
}

}  // namespace

ProcessLimits process_limits() {
  ProcessLimits l;
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGE_SIZE);
  const double physical = pages > 0 && page > 0
                              ? static_cast<double>(pages) * static_cast<double>(page)
                              : std::numeric_limits<double>::infinity();
  l.address_space_bytes = limit_of(RLIMIT_AS);
  l.memory_bytes = std::min(physical, l.address_space_bytes);
  l.processes = limit_of(RLIMIT_NPROC);
  return l;
}

double thread_address_space_bytes(int threads) {
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  const double arenas = std::min(static_cast<double>(threads), 8.0 * cores);
  return threads * 4.0 * kMiB + arenas * 64.0 * kMiB + 512.0 * kMiB;
}

void check_threads(int threads) {
  const ProcessLimits l = process_limits();
  if (thread_address_space_bytes(threads) > l.address_space_bytes) {
    int fits = threads;
    while (fits > 1 && thread_address_space_bytes(fits) > l.address_space_bytes) --fits;
    throw InputError(
        "--threads " + std::to_string(threads) + ": that many worker threads need about " +
        gib(thread_address_space_bytes(threads)) +
        " of address space (stacks and malloc arenas), more than this process's limit of " +
        gib(l.address_space_bytes) + " (ulimit -v); allowed here: at most " + std::to_string(fits) +
        " (or leave --threads out to use all cores)");
  }
  if (static_cast<double>(threads) > l.processes) {
    throw InputError("--threads " + std::to_string(threads) +
                     ": more than this user's process limit of " +
                     std::to_string(static_cast<long long>(l.processes)) +
                     " (ulimit -u); allowed: fewer threads (or leave --threads out)");
  }
}

void check_memory(double bytes, const std::string& what, const std::string& advice) {
  const ProcessLimits l = process_limits();
  const double needed = 1.25 * bytes;
  if (needed > l.memory_bytes) {
    throw InputError(what + " need about " + gib(needed) +
                     " of memory, more than this process has (" + gib(l.memory_bytes) +
                     // memory_bytes is the lower of physical memory and the address-space limit
                     (l.address_space_bytes <= l.memory_bytes ? ", the address-space limit"
                                                              : " of physical memory") +
                     "); allowed: " + advice);
  }
}

}  // namespace attachsim::sim
