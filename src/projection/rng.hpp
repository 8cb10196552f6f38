#pragma once
// Randomness is explicit: one run seed, a named stream per flow, replicate and cell; no
// global generator. xoshiro256** seeded through splitmix64 (Blackman and Vigna, 2018).

#include <cstdint>
#include <string_view>

namespace careforce::projection {

/// Advance a splitmix64 state and return its next output.
uint64_t splitmix64(uint64_t& state);

/// Hash a stream name to 64 bits (FNV-1a, stable across platforms and builds).
uint64_t stream_name_hash(std::string_view name);

/// Mix (run seed, flow name, replicate) into the key that per-cell streams derive from.
uint64_t stream_key(uint64_t seed, std::string_view name, uint64_t replicate);

/// xoshiro256**: a small, fast generator with 256 bits of state.
class Rng {
 public:
  /// Seed from one 64-bit value through splitmix64 (never all-zero state).
  explicit Rng(uint64_t seed = 0);
  /// Derive the stream for (run seed, flow name, replicate, cell) deterministically.
  static Rng stream(uint64_t seed, std::string_view name, uint64_t replicate, uint64_t cell = 0);
  /// The same stream from a key made by stream_key(seed, name, replicate).
  static Rng stream(uint64_t key, uint64_t cell);

  /// Start from an explicit state (reference test vectors).
  static Rng from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3);

  uint64_t next() {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  /// Return a uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  /// Return a uniform double in (0, 1).
  double uniform_open() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }

 private:
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

}  // namespace careforce::projection
