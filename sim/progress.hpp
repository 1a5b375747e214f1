// Progress on stderr: a bar with ETA redrawn in place when stderr is a terminal; plain lines for
// logs (a batch job's output file, a pipe), one at each further tenth of the work once the run
// has taken 5 s, or every 30 s, with dyad-days/s and ETA, and a last line when done.
//
// `advance()` is thread-safe and cheap (one relaxed atomic add): workers call it as blocks of
// dyads finish; a background thread redraws a few times a second.
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
  enum class Mode { kOff, kBar, kLines };
  // kOff when `disabled` (--no-progress), else kBar on a terminal and kLines otherwise.
  static Mode mode_for(bool disabled);

  // `total` units of work (dyad-days); `label` is shown before the bar.
  ProgressBar(std::uint64_t total, std::string label, Mode mode);
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

  void write_line(bool final_draw);

  std::uint64_t total_;
  std::string label_;
  Mode mode_;
  double next_tenth_ = 0.1;  // kLines: the fraction at which the next line is due
  double last_line_ = 0.0;   // kLines: seconds since start when the last line was written
  std::atomic<std::uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace attachsim::sim
