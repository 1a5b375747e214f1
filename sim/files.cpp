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
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <vector>

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

// What kind of file system entry a status describes, for messages.
std::string file_type_text(const std::filesystem::file_status& status) {
  switch (status.type()) {
    case fs::file_type::directory:
      return "a directory";
    case fs::file_type::character:
      return "a character device";
    case fs::file_type::block:
      return "a block device";
    case fs::file_type::fifo:
      return "a FIFO (named pipe)";
    case fs::file_type::socket:
      return "a socket";
    case fs::file_type::symlink:
      return "a symbolic link";
    default:
      return "not a regular file";
  }
}

void clear_stale_temp(const std::string& temp) {
  std::error_code error;
  const fs::file_status status = fs::symlink_status(temp, error);
  if (!fs::exists(status) && status.type() != fs::file_type::symlink) return;
  if (fs::is_directory(status)) {
    throw RuntimeError("cannot write '" + temp + "': a directory is in the way");
  }
  if (::unlink(temp.c_str()) != 0 && errno != ENOENT) {
    throw RuntimeError("cannot remove the stale temporary file '" + temp +
                       "': " + std::strerror(errno));
  }
}

void check_output_path(const std::string& path, const std::vector<std::string>& inputs) {
  const std::string prefix = "cannot write output '" + path + "': ";
  if (path.empty()) throw InputError("the output path is empty");
  remove_stale_temporaries(path);  // what killed runs left next to it
  std::error_code error;
  const fs::file_status target = fs::status(path, error);
  if (fs::is_directory(target)) throw InputError(prefix + "it is a directory");
  if (fs::exists(target) && !fs::is_regular_file(target)) {
    throw InputError(prefix + "it is " + file_type_text(target) +
                     "; attachsim writes only regular files (choose a file name)");
  }
  if (fs::exists(target)) {
    for (const std::string& input : inputs) {
      if (fs::exists(input, error) && fs::equivalent(path, input, error)) {
        throw InputError(prefix + "it is the input '" + input +
                         "', which the output would replace; allowed: a different -o");
      }
    }
  }
  const fs::path directory = directory_of(path);
  const fs::file_status status = fs::status(directory, error);
  if (!fs::exists(status)) {
    throw InputError(prefix + "directory '" + directory.string() + "' does not exist");
  }
  if (!fs::is_directory(status)) {
    throw InputError(prefix + "'" + directory.string() + "' is not a directory");
  }
  // access() would not see read-only mounts reliably, nor ACLs; creating the file the writer will
  // create is the honest test. O_EXCL never follows a link planted at the name.
  const std::string probe = temp_name(path);
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0 && errno == EEXIST && ::access(directory.c_str(), W_OK) == 0) {
    try {
      clear_stale_temp(probe);
    } catch (const RuntimeError& e) {
      throw InputError(prefix + e.what());
    }
    fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  }
  if (fd < 0) {
    throw InputError(prefix + "directory '" + directory.string() + "' is not writable (" +
                     std::strerror(errno) + ")");
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

// Syncs a written temporary file, renames it onto `path` and syncs the directory: the commit
// point of a whole-file write. Throws RuntimeError (the temporary file is the caller's to remove).
void publish_file(const std::string& temp, const std::string& path) {
  sync_file(temp);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    throw RuntimeError("cannot rename '" + temp + "' to '" + path + "': " + std::strerror(errno));
  }
  sync_directory_of(path);
}

void commit_file(const std::string& path, const std::function<void(const std::string&)>& write) {
  const std::string temp = temp_name(path);
  const auto discard_temp = [&temp] {
    std::error_code ignored;
    fs::remove(temp, ignored);
  };
  const RemoveOnSignal remove_on_signal(temp);  // Ctrl-C or a kill mid-write leaves nothing
  try {
    clear_stale_temp(temp);  // the writer then creates a fresh file, never through a link
    write(temp);
    publish_file(temp, path);
  } catch (const RuntimeError& error) {
    discard_temp();
    throw RuntimeError("cannot write output '" + path + "': " + error.what());
  } catch (...) {
    discard_temp();
    throw;
  }
}

}  // namespace attachsim::sim
