// The processes of a run: an MPI job in the MPI build (ATTACHSIM_MPI, docs/hpc.md), the one
// process of the serial build. The serial build implements every function trivially (rank 0 of
// 1), so callers need no #ifdef. MPI is only called from the main thread (MPI_THREAD_FUNNELED):
// oneTBB workers never communicate.
//
// Collective functions (barrier, broadcast, sums, gather_rows, chain) must be called by every
// process in the same order. Before MPI is initialised (tests, tools) every function behaves as
// in the serial build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace attachsim::sim::distributed {

// True in the MPI build.
bool built_with_mpi() noexcept;

// Initialises MPI for the lifetime of the object (MPI build; nothing in the serial build) and
// finalises it on destruction. One per process, in main.
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank() noexcept;  // 0 .. size() - 1
int size() noexcept;  // number of processes (1 unless launched by mpirun/srun with more)
inline bool is_root() noexcept { return rank() == 0; }

void barrier();
// `text` of `root` on every process.
std::string broadcast(const std::string& text, int root = 0);
std::uint64_t sum(std::uint64_t value);
double sum(double value);
double max(double value);
// True on every process if `value` is true on any.
bool any(bool value);

// Runs `work` on rank 0 only and gives its verdict to every process: if it threw an InputError or
// another exception, every process throws the same InputError or RuntimeError (with its message);
// otherwise every process returns. For checks and file operations one process does on behalf of
// all (the output path, checkpoints, the final rename), so that all fail or go on together.
void on_root(const std::function<void()>& work);

// Rows of `row_elements` floats from every process, concatenated in rank order on `root` (empty
// elsewhere). Counts travel in rows, so a gather may exceed 2^31 floats.
std::vector<float> gather_rows(std::span<const float> rows, std::size_t row_elements, int root);

// A value handed along the ranks in order: rank r > 0 receives what rank r - 1 passed on, applies
// `step`, and passes the result on; the last rank's result returns on every process. Used to run
// a sequential hash (the bench checksum) over data split across ranks without gathering it.
std::uint64_t chain(std::uint64_t initial, std::uint64_t (*step)(std::uint64_t, const void*),
                    const void* context);

// Ends every process of the job with `code` (MPI_Abort); in the serial build, std::exit(code).
[[noreturn]] void abort(int code) noexcept;

// [first, first + count) of `units` work units for `rank` of `ranks`: contiguous, in rank order,
// sizes differing by at most one.
struct Share {
  std::size_t first = 0;
  std::size_t count = 0;
};
Share share_of(std::size_t units, int rank, int ranks) noexcept;

}  // namespace attachsim::sim::distributed
