// Checkpoints of a sweep: each finished point is committed as its own small file, so that a run
// killed at any moment loses at most the points in progress and can be resumed to the same
// results (docs/sweeps.md, "Resume").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/files.hpp"  // write_file_atomically, read_whole_file
#include "sim/results.hpp"

namespace attachsim::sim {

// A 64-bit fingerprint of text (SplitMix64 over the bytes): identifies a configuration.
std::uint64_t fingerprint(std::string_view text);

// The point in slot `slot` of the slab `sweep` (every arm's summaries, clamp counts, class shares
// and kept dyads, for all replicates), tagged with the configuration fingerprint and the point's
// index p in the sweep.
std::string encode_point(const SweepResult& sweep, std::size_t slot, std::size_t p,
                         std::uint64_t config);

// Restores point p into slot `slot` of the slab `sweep`; false (slot left unspecified) if the
// bytes are not a whole checkpoint of point p of this configuration and shape.
bool decode_point(SweepResult& sweep, std::size_t slot, std::size_t p, std::uint64_t config,
                  std::string_view bytes);

// The checkpoint directory of a sweep writing `output`: "<output>.parts", holding a manifest (the
// configuration's fingerprint, then its text) and one file per finished point (part_name).
std::string parts_directory(const std::string& output);
std::string part_name(std::size_t p);  // "point-<p>.bin"

// Held by the one process running a sweep into a checkpoint directory: an exclusive flock(2) on
// "<parts>/lock", released when the object is destroyed (or the process ends, however it ends).
// Where the file system cannot lock (ENOLCK, EOPNOTSUPP: some network file systems) the object
// holds nothing and the directory's atomic creation is the only guard (docs/reliability.md).
class CheckpointLock {
 public:
  CheckpointLock() = default;
  CheckpointLock(CheckpointLock&& other) noexcept;
  CheckpointLock& operator=(CheckpointLock&& other) noexcept;
  CheckpointLock(const CheckpointLock&) = delete;
  CheckpointLock& operator=(const CheckpointLock&) = delete;
  ~CheckpointLock();

  // Locks `parts`/lock; false if another process holds it.
  bool acquire(const std::string& parts);
  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Before a sweep writes `output`. Resuming: removes stale temporaries of killed runs, checks that
// parts_directory(output) holds this configuration's manifest and that no other process is running
// it now (InputError otherwise, saying what to do). Starting: checks the output path
// (check_output_path, `inputs` as there) and that no run, interrupted or in progress, is waiting,
// then creates the directory — atomically, so that of two runs started on one output at once the
// second stops (InputError) — and writes the manifest. The returned lock is held until the sweep
// ends; keep it alive for the whole run.
[[nodiscard]] CheckpointLock prepare_checkpoints(const std::string& output,
                                                 const std::vector<std::string>& inputs,
                                                 bool resume, const std::string& config,
                                                 std::uint64_t config_id);

}  // namespace attachsim::sim
