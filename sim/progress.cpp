#include "sim/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace attachsim::sim {

ProgressBar::Mode ProgressBar::mode_for(bool disabled) {
  if (disabled) return Mode::kOff;
  return stderr_is_terminal() ? Mode::kBar : Mode::kLines;
}

ProgressBar::ProgressBar(std::uint64_t total, std::string label, Mode mode)
    : total_(total ? total : 1),
      label_(std::move(label)),
      mode_(mode),
      start_(std::chrono::steady_clock::now()) {
  if (mode_ != Mode::kOff) thread_ = std::thread([this] { loop(); });
}

ProgressBar::~ProgressBar() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ProgressBar::stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressBar::loop() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; })) {
    draw(false);
  }
}

void ProgressBar::finish() {
  if (mode_ == Mode::kOff) return;
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  done_.store(total_);
  draw(true);
}

void ProgressBar::draw(bool final_draw) {
  if (mode_ == Mode::kLines) {
    write_line(final_draw);
    return;
  }
  const double done = static_cast<double>(done_.load(std::memory_order_relaxed));
  const double fraction = std::min(1.0, done / static_cast<double>(total_));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  char bar[kWidth + 1];
  for (int i = 0; i < kWidth; ++i) bar[i] = i < filled ? '#' : '.';
  bar[kWidth] = '\0';
  char eta[32] = "--";
  if (final_draw) {
    std::snprintf(eta, sizeof eta, "done in %.1fs", elapsed);
  } else if (fraction > 0.0) {
    std::snprintf(eta, sizeof eta, "ETA %.0fs", elapsed * (1.0 - fraction) / fraction);
  }
  std::fprintf(stderr, "\r%s [%s] %3.0f%% %s   %s", label_.c_str(), bar, fraction * 100.0, eta,
               final_draw ? "\n" : "");
  std::fflush(stderr);
}

// For logs: a line at each further tenth once 5 s have passed, or after 30 s without one.
void ProgressBar::write_line(bool final_draw) {
  const double done = static_cast<double>(done_.load(std::memory_order_relaxed));
  const double fraction = std::min(1.0, done / static_cast<double>(total_));
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0.0 ? done / elapsed : 0.0;
  if (final_draw) {
    std::fprintf(stderr, "%s: done, %.0f dyad-days in %.1f s (%.0f dyad-days/s)\n", label_.c_str(),
                 static_cast<double>(total_), elapsed,
                 elapsed > 0.0 ? static_cast<double>(total_) / elapsed : 0.0);
    std::fflush(stderr);
    return;
  }
  const bool tenth = fraction >= next_tenth_ && elapsed >= 5.0;
  if (!tenth && elapsed - last_line_ < 30.0) return;
  while (next_tenth_ <= fraction) next_tenth_ += 0.1;
  last_line_ = elapsed;
  std::fprintf(stderr, "%s: %3.0f%% (%.0f of %.0f dyad-days), %.0f dyad-days/s, ETA %.0f s\n",
               label_.c_str(), 100.0 * fraction, done, static_cast<double>(total_), rate,
               fraction > 0.0 ? elapsed * (1.0 - fraction) / fraction : 0.0);
  std::fflush(stderr);
}

}  // namespace attachsim::sim
