#include "sim/signals.hpp"

#include <csignal>

namespace attachsim::sim {
namespace {

volatile std::sig_atomic_t g_stop_signal = 0;
struct sigaction g_old_int {};
struct sigaction g_old_term {};

extern "C" void request_stop(int signal) { g_stop_signal = signal; }

}  // namespace

StopOnSignal::StopOnSignal() {
  g_stop_signal = 0;
  struct sigaction action {};
  action.sa_handler = request_stop;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, &g_old_int);
  sigaction(SIGTERM, &action, &g_old_term);
}

StopOnSignal::~StopOnSignal() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

int stop_signal() noexcept { return static_cast<int>(g_stop_signal); }

}  // namespace attachsim::sim
