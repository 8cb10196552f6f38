#pragma once
// The demo's own random numbers: xoshiro256** seeded by splitmix64, and distributions built
// only from +, *, / so that a seed gives the same bytes on every platform and library version.

#include <cmath>
#include <cstdint>
#include <span>

#include "core/xoshiro.hpp"

namespace careforce::demo {

using careforce::splitmix64;

/// Mix one 64-bit value into another bijectively (used for pseudonymous keys).
inline uint64_t mix64(uint64_t value) {
  uint64_t state = value;
  return splitmix64(state);
}

/// Natural logarithm from frexp and an atanh series: exact IEEE operations only.
double portable_log(double x);

/// The demo's generator: xoshiro256** (src/core/xoshiro.hpp) with its distributions.
class Rng : public Xoshiro256 {
 public:
  /// Seed the four words of state from splitmix64(seed ^ stream).
  explicit Rng(uint64_t seed, uint64_t stream = 0) { seed_from(seed ^ mix64(stream + 0x5EED)); }

  /// Uniform integer in [0, n).
  uint64_t below(uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(next()) * n) >> 64);
  }
  /// Uniform integer in [lo, hi].
  int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<uint64_t>(hi - lo + 1)));
  }
  bool chance(double p) { return uniform() < p; }
  /// Approximately normal (Irwin-Hall sum of four uniforms), clipped to [lo, hi].
  double normal(double mean, double sd, double lo, double hi) {
    const double z = (uniform() + uniform() + uniform() + uniform() - 2.0) * 1.7320508075688772;
    const double x = mean + sd * z;
    return x < lo ? lo : (x > hi ? hi : x);
  }
  /// Exponential with the given mean.
  double exponential(double mean) { return -mean * portable_log(1.0 - uniform()); }
  /// Index drawn with probability proportional to weights.
  size_t pick(std::span<const double> weights) {
    double total = 0;
    for (double w : weights) total += w;
    double u = uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (u < weights[i]) return i;
      u -= weights[i];
    }
    return weights.size() - 1;
  }
  /// Round x up or down at random so that the expectation is x (x >= 0).
  int64_t round_random(double x) {
    const auto whole = static_cast<int64_t>(x);
    return whole + (chance(x - static_cast<double>(whole)) ? 1 : 0);
  }
};

}  // namespace careforce::demo
