// Checkpoints of a sweep: each finished point is committed as its own small file, so that a run
// killed at any moment loses at most the points in progress and can be resumed to the same
// results (docs/sweeps.md, "Resume").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/results.hpp"

namespace attachsim::sim {

// Writes `bytes` to `path` through a temporary name and rename: if the process dies, the file is
// whole or absent. With `durable`, also fsyncs the file before the rename and the directory
// after, so that the same holds after a power loss; without, a power loss may leave a torn file,
// which is fine for data that carries its own checksum (sweep checkpoints). Throws RuntimeError.
void write_file_atomically(const std::string& path, std::string_view bytes, bool durable = true);

// The whole file, or nothing if it does not exist. Throws RuntimeError if it cannot be read.
std::optional<std::string> read_whole_file(const std::string& path);

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

}  // namespace attachsim::sim
