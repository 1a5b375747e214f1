// Parallel loop over dyads with oneTBB.
//
// Each dyad's result depends only on its own index and the inputs, never on which thread ran it or
// in what order, so output is bit-identical for any thread count. Blocks of `grain` dyads amortise
// scheduling; `on_block_done` (may be empty) is called with the number of dyads finished, from
// worker threads, for progress reporting: it must be thread-safe.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cstddef>
#include <functional>
#include <stdexcept>

namespace attachsim::sim {

struct ParallelOptions {
  int threads = 0;         // 0: all hardware threads; else exactly this many
  std::size_t grain = 16;  // dyads per task (a dyad-year is ~1 ms, so 16 amortise scheduling)
};

template <class Body>
void parallel_for_dyads(std::size_t n_dyads, const ParallelOptions& options, Body&& body,
                        const std::function<void(std::size_t)>& on_block_done = {}) {
  // Each block publishes its writes with a release increment; the caller acquires them below.
  // oneTBB synchronises the same way internally, but inside libtbb, which ThreadSanitizer cannot
  // see; this one atomic per block makes the ordering visible to it (and checks completeness).
  std::atomic<std::size_t> done{0};
  auto loop = [&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, n_dyads, options.grain ? options.grain : 1),
        [&](const tbb::blocked_range<std::size_t>& range) {
          for (std::size_t d = range.begin(); d != range.end(); ++d) body(d);
          done.fetch_add(range.size(), std::memory_order_release);
          if (on_block_done) on_block_done(range.size());
        });
  };
  if (options.threads > 0) {
    // global_control lifts oneTBB's default cap of one worker per core, so that 8 threads on a
    // 2-core machine really are 8 (the thread-count identity tests rely on it).
    tbb::global_control allow(tbb::global_control::max_allowed_parallelism,
                              static_cast<std::size_t>(options.threads));
    tbb::task_arena arena(options.threads);
    arena.execute(loop);
  } else {
    loop();
  }
  if (done.load(std::memory_order_acquire) != n_dyads) {
    throw std::logic_error("parallel_for_dyads: not every dyad ran");
  }
}

}  // namespace attachsim::sim
