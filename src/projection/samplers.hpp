#pragma once
// Our own samplers: std:: distributions differ between library versions, and results must
// be identical byte for byte on every build. Each is tested against its moments.

#include <cstdint>
#include <span>
#include <vector>

#include "projection/rng.hpp"

namespace careforce::projection {

/// Return log(k!) (table below 256, Stirling series above).
double log_factorial(int64_t k);

/// Draw a standard normal (Box-Muller, one value per call).
double sample_normal(Rng& rng);

/// Draw Binomial(n, p): Bernoulli counts for n <= 16, inversion when n*min(p,1-p) < 10,
/// else BTRS (Hormann 1993).
int64_t sample_binomial(Rng& rng, int64_t n, double p);

/// Constants of Binomial(., p) for a probability used for many draws (the kernel's hot loop).
struct BinomialConstants {
  double p = 0;         ///< min(p, 1 - p).
  bool flip = false;    ///< The caller's p was above 0.5.
  double log_q = 0;     ///< log(1 - p).
  double log_odds = 0;  ///< log(p / (1 - p)).
};
BinomialConstants binomial_constants(double p);
/// Draw Binomial(n, p) with precomputed constants (same distribution as above).
int64_t sample_binomial(Rng& rng, int64_t n, const BinomialConstants& constants);

/// Binomial(n, p) for one fixed p by inversion of cumulative tables built once for every
/// n up to `max_n` (tails below 1e-17 dropped, finer than a uniform's resolution); larger n
/// use sample_binomial. One uniform per draw; the kernel's ageing step uses it.
class FixedBinomial {
 public:
  FixedBinomial(double p, int64_t max_n);
  int64_t operator()(Rng& rng, int64_t n) const;

 private:
  struct Row {
    uint32_t offset = 0;  ///< Index in cdf_ of value `first`.
    int32_t first = 0;    ///< Smallest value kept.
    int32_t start = 0;    ///< Where the search begins (the median).
  };
  BinomialConstants constants_;
  std::vector<Row> rows_;
  std::vector<double> cdf_;  ///< P(X <= k); the last kept value of each n holds 2.
};

/// Poisson(mean) for one fixed mean by inversion of a cumulative table (tails below 1e-17
/// dropped); means above 1e5 use sample_poisson. One uniform per draw.
class PoissonTable {
 public:
  explicit PoissonTable(double mean);
  int64_t operator()(Rng& rng) const;

 private:
  double mean_ = 0;
  int64_t first_ = 0;  ///< Smallest value kept.
  size_t start_ = 0;   ///< Index where the search begins (the median).
  std::vector<double> cdf_;
};

/// Draw Poisson(mean): inversion below 10, else PTRS (Hormann 1993).
int64_t sample_poisson(Rng& rng, double mean);

/// Draw Multinomial(n, probs) into `out` by conditional binomials; probs may sum to < 1
/// (the remainder is "none of these"). Returns how many were placed.
int64_t sample_multinomial(Rng& rng, int64_t n, std::span<const double> probs,
                           std::span<int64_t> out);

}  // namespace careforce::projection
