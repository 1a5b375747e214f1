#include "sim/files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

}  // namespace

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
