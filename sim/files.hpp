// Whole-file commits and output paths: a file is written under a temporary name and renamed into
// place, so a reader (or a later run) sees it whole or not at all; an output path is checked
// before a run. Shared by the results and sweep writers and the sweep checkpoints.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

// Checks, before a run, that `path` can be written: its directory exists and is writable, and
// `path` is absent or a regular file (attachsim never replaces a directory, a device, a FIFO or a
// socket) and is none of `inputs` (the files the command reads: a scenario, a results file).
// Probes by creating and removing `<path>.tmp-<pid>` exclusively, so it leaves nothing behind; a
// stale entry at that name (a file left by a killed run with the same pid, or a planted symbolic
// link) is unlinked first, never followed. Throws InputError naming the path and the reason.
void check_output_path(const std::string& path, const std::vector<std::string>& inputs = {});

// Unlinks whatever is at `temp` (a stale temporary file or a symbolic link, never its target), so
// that the writer creates a fresh file there. Throws RuntimeError if it cannot (a directory).
void clear_stale_temp(const std::string& temp);

// Syncs a written temporary file, renames it onto `path` and syncs the directory: the commit
// point of a whole-file write. Throws RuntimeError (the temporary file is the caller's to remove).
void publish_file(const std::string& temp, const std::string& path);

// Writes a file through `write(temporary path)` under temp_name(path), syncs it and renames it
// onto `path`: a reader sees the whole file or none. A stale entry at the temporary name is
// unlinked first (never followed); on any failure, or on SIGINT/SIGTERM/SIGHUP while writing,
// the temporary file is removed and a file already at `path` is left untouched. Throws
// RuntimeError ("cannot write output ...") or what `write` throws.
void commit_file(const std::string& path, const std::function<void(const std::string&)>& write);

// What kind of file system entry a status describes, for messages ("a directory", "a FIFO
// (named pipe)", ...).
std::string file_type_text(const std::filesystem::file_status& status);

// The whole file, or nothing if it does not exist. Throws RuntimeError if it cannot be read.
std::optional<std::string> read_whole_file(const std::string& path);

}  // namespace attachsim::sim
