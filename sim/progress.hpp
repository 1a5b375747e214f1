// A progress bar with ETA on stderr, drawn only when stderr is a terminal.
//
// `advance()` is thread-safe and cheap (one relaxed atomic add): workers call it as blocks of
// dyads finish; a background thread redraws a few times a second. Silent when stderr is not a
// terminal (logs, CI, pipes) or when disabled.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace attachsim::sim {

class ProgressBar {
 public:
  // `total` units of work (dyad-days); `label` is shown before the bar.
  ProgressBar(std::uint64_t total, std::string label, bool enabled);
  ~ProgressBar();  // stops the drawing thread (no output besides clearing the line)
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void advance(std::uint64_t units) noexcept { done_.fetch_add(units, std::memory_order_relaxed); }
  void finish();  // draws 100% and ends the line

  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  void draw(bool final_draw);
  void loop();

  std::uint64_t total_;
  std::string label_;
  bool enabled_;
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace attachsim::sim
