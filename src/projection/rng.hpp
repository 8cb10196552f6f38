#pragma once
// Randomness is explicit: one run seed, a named stream per flow, replicate and cell; no
// global generator.

#include <cstdint>
#include <string_view>

#include "core/xoshiro.hpp"

namespace careforce::projection {

using careforce::splitmix64;

/// Hash a stream name to 64 bits (FNV-1a, stable across platforms and builds).
uint64_t stream_name_hash(std::string_view name);

/// Mix (run seed, flow name, replicate) into the key that per-cell streams derive from.
uint64_t stream_key(uint64_t seed, std::string_view name, uint64_t replicate);

/// The projection's streams: xoshiro256** (src/core/xoshiro.hpp) seeded per (run seed, flow,
/// replicate, cell).
class Rng : public Xoshiro256 {
 public:
  /// Seed from one 64-bit value through splitmix64 (never all-zero state).
  explicit Rng(uint64_t seed = 0) { seed_from(seed); }
  /// Derive the stream for (run seed, flow name, replicate, cell) deterministically.
  static Rng stream(uint64_t seed, std::string_view name, uint64_t replicate, uint64_t cell = 0);
  /// The same stream from a key made by stream_key(seed, name, replicate).
  static Rng stream(uint64_t key, uint64_t cell);

  /// Start from an explicit state (reference test vectors).
  static Rng from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

  /// Return a uniform double in (0, 1).
  double uniform_open() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
};

}  // namespace careforce::projection
