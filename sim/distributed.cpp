#include "sim/distributed.hpp"

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <stdexcept>

#ifdef ATTACHSIM_MPI
#include <mpi.h>
#endif

#include "sim/errors.hpp"

namespace attachsim::sim::distributed {

void on_root(const std::function<void()>& work) {
  // "" (fine), or 'I' / 'R' and the message of an input error or another failure.
  std::string problem;
  if (rank() == 0) {
    try {
      work();
    } catch (const InputError& e) {
      problem = std::string("I") + e.what();
    } catch (const std::exception& e) {
      problem = std::string("R") + e.what();
    }
  }
  problem = broadcast(problem);
  if (problem.empty()) return;
  if (problem[0] == 'I') throw InputError(problem.substr(1));
  throw RuntimeError(problem.substr(1));
}

Share share_of(std::size_t units, int rank, int ranks) noexcept {
  const auto r = static_cast<std::size_t>(rank);
  const auto n = static_cast<std::size_t>(ranks);
  const std::size_t first = units / n * r + std::min(r, units % n);
  return {first, units / n + (r < units % n ? 1 : 0)};
}

#ifndef ATTACHSIM_MPI

bool built_with_mpi() noexcept { return false; }
Session::Session(int&, char**&) {}
Session::~Session() = default;
int rank() noexcept { return 0; }
int size() noexcept { return 1; }
void barrier() {}
std::string broadcast(const std::string& text, int) { return text; }
std::uint64_t sum(std::uint64_t value) { return value; }
double sum(double value) { return value; }
double max(double value) { return value; }
bool any(bool value) { return value; }
std::vector<float> gather_rows(std::span<const float> rows, std::size_t, int) {
  return {rows.begin(), rows.end()};
}
std::uint64_t chain(std::uint64_t initial, std::uint64_t (*step)(std::uint64_t, const void*),
                    const void* context) {
  return step(initial, context);
}
void abort(int code) noexcept { std::exit(code); }

#else

namespace {

bool active() noexcept {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  return initialized != 0 && finalized == 0;
}

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(status, text, &length);
    throw RuntimeError(std::string("MPI: ") + what + ": " + std::string(text, length));
  }
}

}  // namespace

bool built_with_mpi() noexcept { return true; }

Session::Session(int& argc, char**& argv) {
  int provided = 0;
  check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  if (provided < MPI_THREAD_FUNNELED) {
    throw RuntimeError("MPI: the library does not provide MPI_THREAD_FUNNELED");
  }
  // Errors come back as codes (and become exceptions) rather than aborting inside MPI.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
}

Session::~Session() {
  if (active()) MPI_Finalize();
}

int rank() noexcept {
  if (!active()) return 0;
  int r = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &r);
  return r;
}

int size() noexcept {
  if (!active()) return 1;
  int n = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &n);
  return n;
}

void barrier() {
  if (active()) check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier");
}

std::string broadcast(const std::string& text, int root) {
  if (!active()) return text;
  std::uint64_t length = text.size();
  check(MPI_Bcast(&length, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
  std::string out = rank() == root ? text : std::string(length, '\0');
  if (length > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) {
    throw RuntimeError("MPI: broadcast of more than 2 GiB");
  }
  if (length > 0) {
    check(MPI_Bcast(out.data(), static_cast<int>(length), MPI_CHAR, root, MPI_COMM_WORLD),
          "MPI_Bcast");
  }
  return out;
}

std::uint64_t sum(std::uint64_t value) {
  if (!active()) return value;
  std::uint64_t out = 0;
  check(MPI_Allreduce(&value, &out, 1, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

double sum(double value) {
  if (!active()) return value;
  double out = 0;
  check(MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

double max(double value) {
  if (!active()) return value;
  double out = 0;
  check(MPI_Allreduce(&value, &out, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD), "MPI_Allreduce");
  return out;
}

bool any(bool value) {
  if (!active()) return value;
  int in = value ? 1 : 0, out = 0;
  check(MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_LOR, MPI_COMM_WORLD), "MPI_Allreduce");
  return out != 0;
}

std::vector<float> gather_rows(std::span<const float> rows, std::size_t row_elements, int root) {
  if (!active() || size() == 1) return {rows.begin(), rows.end()};
  if (row_elements == 0 ||
      row_elements > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    throw std::logic_error("gather_rows: row length out of range");
  }
  const int n = size();
  const bool is_root_here = rank() == root;
  const auto my_rows = static_cast<int>(rows.size() / row_elements);
  std::vector<int> counts(is_root_here ? n : 0), offsets(is_root_here ? n : 0);
  check(MPI_Gather(&my_rows, 1, MPI_INT, counts.data(), 1, MPI_INT, root, MPI_COMM_WORLD),
        "MPI_Gather");
  std::size_t total = 0;
  for (int r = 0; r < static_cast<int>(counts.size()); ++r) {
    if (total > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      throw RuntimeError("MPI: more than 2^31 rows to gather");
    }
    offsets[r] = static_cast<int>(total);
    total += static_cast<std::size_t>(counts[r]);
  }
  MPI_Datatype row;
  check(MPI_Type_contiguous(static_cast<int>(row_elements), MPI_FLOAT, &row),
        "MPI_Type_contiguous");
  MPI_Type_commit(&row);
  std::vector<float> out(is_root_here ? total * row_elements : 0);
  const int status = MPI_Gatherv(rows.data(), my_rows, row, out.data(), counts.data(),
                                 offsets.data(), row, root, MPI_COMM_WORLD);
  MPI_Type_free(&row);
  check(status, "MPI_Gatherv");
  return out;
}

std::uint64_t chain(std::uint64_t initial, std::uint64_t (*step)(std::uint64_t, const void*),
                    const void* context) {
  if (!active() || size() == 1) return step(initial, context);
  const int r = rank(), n = size();
  std::uint64_t value = initial;
  if (r > 0) {
    check(MPI_Recv(&value, 1, MPI_UINT64_T, r - 1, 71, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
  }
  value = step(value, context);
  if (r + 1 < n) {
    check(MPI_Send(&value, 1, MPI_UINT64_T, r + 1, 71, MPI_COMM_WORLD), "MPI_Send");
  }
  check(MPI_Bcast(&value, 1, MPI_UINT64_T, n - 1, MPI_COMM_WORLD), "MPI_Bcast");
  return value;
}

void abort(int code) noexcept {
  if (active()) MPI_Abort(MPI_COMM_WORLD, code);
  std::exit(code);
}

#endif

}  // namespace attachsim::sim::distributed
