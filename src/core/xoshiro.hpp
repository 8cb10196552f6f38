#pragma once
// xoshiro256** seeded through splitmix64 (Blackman and Vigna, 2018): the one generator of
// the demo data and the projection, each of which seeds it its own way. Integer operations
// only, so a state gives the same numbers on every platform and build.

#include <cstdint>

namespace careforce {

/// Advance a splitmix64 state and return its next output.
inline uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

/// xoshiro256**: 256 bits of state, set by the deriving generator's seeding.
class Xoshiro256 {
 public:
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

 protected:
  /// The four words from splitmix64 started at `state` (never all zero).
  void seed_from(uint64_t state) {
    for (auto& word : s_) word = splitmix64(state);
    if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;
  }
  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4] = {1, 0, 0, 0};
};

}  // namespace careforce
