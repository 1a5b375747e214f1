#include "sim/files.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "sim/errors.hpp"

namespace attachsim::sim {
namespace {

namespace fs = std::filesystem;

// fsync of `path` opened with `flags`: 0, or the errno of the open or the fsync.
int fsync_path(const std::string& path, int flags) noexcept {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) return errno;
  const int status = ::fsync(fd);
  const int error = status != 0 ? errno : 0;
  ::close(fd);
  return error;
}

// The temporary file a signal should remove (empty: none), and the handlers it replaced.
std::array<char, 4096> g_temp_to_remove{};
constexpr std::array<int, 3> kEndSignals = {SIGINT, SIGTERM, SIGHUP};
std::array<struct sigaction, 3> g_previous{};

extern "C" void remove_temp_and_end(int signal) {
  if (g_temp_to_remove[0] != '\0') ::unlink(g_temp_to_remove.data());
  struct sigaction fallback {};
  fallback.sa_handler = SIG_DFL;
  sigemptyset(&fallback.sa_mask);
  sigaction(signal, &fallback, nullptr);
  ::raise(signal);
}

// "<name>.tmp-<digits>": the pid, or 0.
long pid_of_temp(const std::string& entry, const std::string& name) {
  const std::string prefix = name + ".tmp-";
  if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return 0;
  const std::string digits = entry.substr(prefix.size());
  if (digits.size() > 9 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return 0;
  return std::stol(digits);
}

bool process_gone(long pid) {
  return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH;
}

}  // namespace

RemoveOnSignal::RemoveOnSignal(const std::string& temp) {
  const std::size_t n = std::min(temp.size(), g_temp_to_remove.size() - 1);
  std::copy_n(temp.data(), n, g_temp_to_remove.data());
  g_temp_to_remove[n] = '\0';
  if (n < temp.size()) g_temp_to_remove[0] = '\0';  // too long to hold: not removed by a signal
  struct sigaction action {};
  action.sa_handler = remove_temp_and_end;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < kEndSignals.size(); ++i) {
    sigaction(kEndSignals[i], &action, &g_previous[i]);
  }
}

RemoveOnSignal::~RemoveOnSignal() {
  for (std::size_t i = 0; i < kEndSignals.size(); ++i) {
    sigaction(kEndSignals[i], &g_previous[i], nullptr);
  }
  g_temp_to_remove[0] = '\0';
}

std::size_t remove_stale_temporaries(const std::string& path) {
  std::size_t removed = 0;
  std::error_code error;
  auto sweep = [&](const fs::path& directory, const std::string* only_name) {
    for (fs::directory_iterator it(directory, error), end; !error && it != end;
         it.increment(error)) {
      const std::string entry = it->path().filename().string();
      const auto dot = entry.rfind(".tmp-");
      if (dot == std::string::npos) continue;
      const std::string name = entry.substr(0, dot);
      if (only_name != nullptr && name != *only_name) continue;
      if (!process_gone(pid_of_temp(entry, name))) continue;
      std::error_code status_error;
      if (fs::is_directory(fs::symlink_status(it->path(), status_error))) continue;
      if (::unlink(it->path().c_str()) == 0) ++removed;
    }
    error.clear();
  };
  const std::string name = fs::path(path).filename().string();
  sweep(directory_of(path), &name);
  if (fs::is_directory(fs::symlink_status(path, error))) sweep(fs::path(path), nullptr);
  return removed;
}

std::string temp_name(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

fs::path directory_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

void sync_file(const std::string& path) {
  if (const int error = fsync_path(path, O_RDONLY); error != 0) {
    throw RuntimeError("cannot sync '" + path + "': " + std::strerror(error));
  }
}

void sync_directory_of(const std::string& path) noexcept {
  fsync_path(directory_of(path).string(), O_RDONLY | O_DIRECTORY);
}

void write_file_atomically(const std::string& path, std::string_view bytes, bool durable) {
  const std::string temp = temp_name(path);
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw RuntimeError("cannot write '" + temp + "': " + std::strerror(errno));
    }
  }
  if (durable) fsync_path(temp, O_RDONLY);  // best effort, as before
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::error_code ignored;
    fs::remove(temp, ignored);
    throw RuntimeError("cannot rename '" + temp + "' to '" + path + "': " + std::strerror(error));
  }
  if (durable) sync_directory_of(path);
}

std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!fs::exists(path)) return std::nullopt;
    throw RuntimeError("cannot read '" + path + "': " + std::strerror(errno));
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace attachsim::sim
