// Stopping long work cleanly on SIGINT / SIGTERM: the handler only records the signal (async-signal
// safe); the work polls stop_signal() at safe points, keeps what it finished and ends with exit
// status 128 + signal (docs/reliability.md). Used by sweeps, which keep finished points.
#pragma once

namespace attachsim::sim {

// While alive, SIGINT and SIGTERM set the stop request instead of ending the process; the
// previous handlers come back when it is destroyed. One at a time per process.
class StopOnSignal {
 public:
  StopOnSignal();
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
};

// The signal that asked to stop since the last StopOnSignal was created, or 0.
int stop_signal() noexcept;

}  // namespace attachsim::sim
