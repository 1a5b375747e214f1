// Whole-file commits: a file is written under a temporary name and renamed into place, so a
// reader (or a later run) sees it whole or not at all. Shared by the results writer and the
// sweep checkpoints.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace attachsim::sim {

// The temporary name a file is written under before its rename: "<path>.tmp-<pid>".
std::string temp_name(const std::string& path);

// The directory holding `path` ("." for a bare file name).
std::filesystem::path directory_of(const std::string& path);

// fsync of a written file; throws RuntimeError if it cannot be synced. The rename is only a
// commit point if the data is on disk before it.
void sync_file(const std::string& path);

// fsync of the directory holding `path`, making a rename in it durable; best effort (some file
// systems refuse fsync on directories).
void sync_directory_of(const std::string& path) noexcept;

// Writes `bytes` to `path` through temp_name and rename: if the process dies, the file is whole
// or absent. With `durable`, also syncs the file before the rename (best effort) and the
// directory after, so that the same holds after a power loss; without, a power loss may leave a
// torn file, which is fine for data that carries its own checksum (sweep checkpoints). Throws
// RuntimeError.
void write_file_atomically(const std::string& path, std::string_view bytes, bool durable = true);

// Removes what killed runs left in the directory of `path`: entries named "<name>.tmp-<pid>" (the
// temp_name of `path`) whose process no longer exists on this machine (kill(pid, 0) reports no
// such process), and, when `path` is a directory, such entries inside it ("<file>.tmp-<pid>").
// Never a directory, never a live process's file, never through a link. Returns how many it
// removed; best effort (errors are ignored).
std::size_t remove_stale_temporaries(const std::string& path);

// While alive, a SIGINT, SIGTERM or SIGHUP removes the temporary file `temp` before the process
// ends by that signal (the default action, re-raised: exit status 128 + signal). The path is kept
// in a static buffer, so the handler is async-signal-safe (one unlink); one at a time per
// process. Restores the previous handlers when destroyed.
class RemoveOnSignal {
 public:
  explicit RemoveOnSignal(const std::string& temp);
  ~RemoveOnSignal();
  RemoveOnSignal(const RemoveOnSignal&) = delete;
  RemoveOnSignal& operator=(const RemoveOnSignal&) = delete;
};

// The whole file, or nothing if it does not exist. Throws RuntimeError if it cannot be read.
std::optional<std::string> read_whole_file(const std::string& path);

}  // namespace attachsim::sim
