// FNV-1a (64-bit): the checksum of result tables (bench sizes, the explorer's comparison with the
// command line). Not cryptographic; it detects any changed bit of the results.
#pragma once

#include <cstddef>
#include <cstdint>

namespace attachsim::sim {

inline constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ull;

inline std::uint64_t fnv1a(std::uint64_t hash, const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < bytes; ++i) hash = (hash ^ p[i]) * 0x100000001b3ull;
  return hash;
}

}  // namespace attachsim::sim
