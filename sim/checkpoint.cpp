#include "sim/checkpoint.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <utility>

#include "sim/errors.hpp"
#include "sim/rng.hpp"

namespace attachsim::sim {
namespace {

constexpr char kMagic[8] = {'A', 'T', 'S', 'W', 'P', 'T', '0', '1'};

// Visits point p's values of every array of the sweep, in a fixed order.
template <class Sweep, class Visit>
void for_each_slice(Sweep& sweep, std::size_t p, Visit&& visit) {
  const auto reps = static_cast<std::size_t>(sweep.replicates);
  for (auto& arm : sweep.arms) {
    const std::size_t n = reps * arm.time_days.size();
    for (std::size_t m = 0; m < arm.stats.size(); ++m) {
      for (auto& stat : arm.stats[m]) visit(stat.data() + p * n, n);
      visit(arm.clamped[m].data() + p * n, n);
    }
    for (auto& s : arm.shares) {
      const std::size_t width = s.values.size() / sweep.n_points;
      visit(s.values.data() + p * width, width);
    }
    for (auto& rows : arm.dyad_rows) {
      const std::size_t width = rows.size() / sweep.n_points;
      visit(rows.data() + p * width, width);
    }
  }
}

}  // namespace

std::uint64_t fingerprint(std::string_view text) {
  std::uint64_t h = splitmix64(text.size());
  for (const unsigned char c : text) h = splitmix64(h ^ c);
  return h;
}

std::string encode_point(const SweepResult& sweep, std::size_t slot, std::size_t p,
                         std::uint64_t config) {
  std::string out(kMagic, sizeof kMagic);
  auto put = [&out](const void* data, std::size_t bytes) {
    out.append(static_cast<const char*>(data), bytes);
  };
  const std::uint64_t header[2] = {config, p};
  put(header, sizeof header);
  for_each_slice(sweep, slot,
                 [&](const auto* values, std::size_t n) { put(values, n * sizeof(*values)); });
  const std::uint64_t check = fingerprint(out);
  put(&check, sizeof check);
  return out;
}

bool decode_point(SweepResult& sweep, std::size_t slot, std::size_t p, std::uint64_t config,
                  std::string_view bytes) {
  if (bytes.size() < sizeof kMagic + 3 * sizeof(std::uint64_t) ||
      std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
    return false;
  }
  std::uint64_t check = 0;
  std::memcpy(&check, bytes.data() + bytes.size() - sizeof check, sizeof check);
  const std::string_view body = bytes.substr(0, bytes.size() - sizeof check);
  if (fingerprint(body) != check) return false;
  std::uint64_t header[2] = {0, 0};
  std::memcpy(header, body.data() + sizeof kMagic, sizeof header);
  if (header[0] != config || header[1] != p) return false;
  std::size_t need = sizeof kMagic + sizeof header;
  for_each_slice(sweep, slot, [&](auto* values, std::size_t n) { need += n * sizeof(*values); });
  if (need != body.size()) return false;
  std::size_t at = sizeof kMagic + sizeof header;
  for_each_slice(sweep, slot, [&](auto* values, std::size_t n) {
    std::memcpy(values, body.data() + at, n * sizeof(*values));
    at += n * sizeof(*values);
  });
  return true;
}

std::string parts_directory(const std::string& output) { return output + ".parts"; }

std::string part_name(std::size_t p) { return "point-" + std::to_string(p) + ".bin"; }

CheckpointLock::CheckpointLock(CheckpointLock&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)) {}

CheckpointLock& CheckpointLock::operator=(CheckpointLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

CheckpointLock::~CheckpointLock() {
  if (fd_ >= 0) ::close(fd_);  // closing the last descriptor releases the flock
}

bool CheckpointLock::acquire(const std::string& parts) {
  const std::string path = parts + "/lock";
  // O_NOFOLLOW: a link planted at the name is refused, not followed.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) throw RuntimeError("cannot open '" + path + "': " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) return false;
    if (error == ENOLCK || error == EOPNOTSUPP || error == EINVAL) return true;  // cannot lock here
    throw RuntimeError("cannot lock '" + path + "': " + std::strerror(error));
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  return true;
}

CheckpointLock prepare_checkpoints(const std::string& output,
                                   const std::vector<std::string>& inputs, bool resume,
                                   const std::string& config, std::uint64_t config_id) {
  namespace fs = std::filesystem;
  const std::string parts = parts_directory(output);
  const std::string manifest = parts + "/manifest";
  const std::string header = "attachsim sweep checkpoint " + std::to_string(config_id) + "\n";
  const std::string running = "another attachsim process is running the sweep into '" + output +
                              "' now (it holds " + parts + "/lock); allowed: wait for it to " +
                              "finish, or stop it and continue with --resume";
  CheckpointLock lock;
  if (resume) {
    if (!fs::exists(manifest)) {
      throw InputError("--resume: no interrupted run of '" + output + "' (no " + manifest + ")" +
                       (fs::exists(output) ? "; the file is complete, so there is nothing to resume"
                                           : "; run without --resume to start it"));
    }
    if (!lock.acquire(parts)) throw InputError(running);
    // Only now, holding the lock: the temporaries of killed runs, here and in .parts/.
    remove_stale_temporaries(output);
    remove_stale_temporaries(parts);
    const auto text = read_whole_file(manifest);
    if (!text || text->rfind(header, 0) != 0) {
      throw InputError("--resume: " + parts +
                       "/ was made by a different configuration or attachsim version than this "
                       "command's; allowed: the same scenario, overrides and version, or delete " +
                       parts + "/ and run without --resume");
    }
    return lock;
  }
  if (fs::exists(parts)) {
    if (fs::is_directory(parts) && !CheckpointLock{}.acquire(parts)) throw InputError(running);
    throw InputError("an interrupted run of '" + output + "' is waiting in " + parts +
                     "/; allowed: continue it with --resume, or delete " + parts +
                     "/ to start over");
  }
  check_output_path(output, inputs);
  std::error_code error;
  // Creating the directory is the lock between two starts: of two runs started on one output at
  // once, the second finds it made (create_directory is atomic) and stops here.
  const bool created = fs::create_directory(parts, error);
  if (error) throw RuntimeError("cannot create '" + parts + "': " + error.message());
  if (!created) {
    throw InputError("another run of '" + output + "' started at the same time (" + parts +
                     "/ appeared); allowed: one run per output");
  }
  lock.acquire(parts);  // new and ours: nobody else can hold it yet
  write_file_atomically(manifest, header + config);
  return lock;
}

}  // namespace attachsim::sim
