// What this process may use, checked before a run starts so that an impossible request is a clear
// input error (exit 2) instead of a crash minutes later (std::bad_alloc, or oneTBB terminating
// when it cannot create a worker thread).
#pragma once

#include <string>

namespace attachsim::sim {

struct ProcessLimits {
  double memory_bytes = 0.0;         // physical memory, or RLIMIT_AS if lower
  double address_space_bytes = 0.0;  // RLIMIT_AS (infinity when unlimited)
  double processes = 0.0;            // RLIMIT_NPROC (infinity when unlimited)
};
ProcessLimits process_limits();

// Address space `threads` worker threads reserve: a 4 MiB stack each (oneTBB's default on 64-bit
// systems), a 64 MiB malloc arena for each of up to 8 per core (glibc's default cap), and 512 MiB
// for the rest of the process.
double thread_address_space_bytes(int threads);

// Throws InputError if `threads` cannot be created within the address-space and process limits;
// the message says how many can.
void check_threads(int threads);

// Throws InputError if holding `bytes` (plus a quarter for the writer's buffers and summaries)
// would not fit in this process's memory; `what` names it and `advice` says what to change.
void check_memory(double bytes, const std::string& what, const std::string& advice);

}  // namespace attachsim::sim
