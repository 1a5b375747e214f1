#include "sim/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace attachsim::sim {

ProgressBar::ProgressBar(std::uint64_t total, std::string label, bool enabled)
    : total_(total ? total : 1),
      label_(std::move(label)),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { loop(); });
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
  if (!enabled_) return;
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

}  // namespace attachsim::sim
