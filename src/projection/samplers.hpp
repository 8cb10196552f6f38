#pragma once
// Our own samplers: std:: distributions differ between library versions, and results must
// be identical byte for byte on every build. Each is tested against its moments.

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "projection/rng.hpp"

namespace careforce::projection {

/// Return log(k!) (table below 256, Stirling series above).
double log_factorial(int64_t k);

/// Draw a standard normal (Box-Muller, one value per call).
double sample_normal(Rng& rng);

/// Draw Binomial(n, p): inversion from 0 when n*min(p,1-p) < 25 (for n < 1024 with (1-p)^n
/// from a table of powers), else BTRS (Hormann 1993).
int64_t sample_binomial(Rng& rng, int64_t n, double p);

/// (1 - p)^(k * 4^g) for k = 0..3 (row g = 0..4): (1 - p)^n for n < 1024 is the product of
/// one entry a row, picked by n's base-4 digits (no exp, no branch).
using PowerTable = std::array<std::array<double, 4>, 5>;
PowerTable power_table(double q);

/// Constants of Binomial(., p) for a probability used for many draws (the kernel's hot loop).
struct BinomialConstants {
  double p = 0;           ///< min(p, 1 - p).
  bool flip = false;      ///< The caller's p was above 0.5.
  double odds = 0;        ///< p / (1 - p).
  double log_odds = 0;    ///< log(p / (1 - p)); NaN until needed when made without it.
  PowerTable q_powers{};  ///< Of 1 - p.
};
/// Constants of Binomial(., p); without `log_odds` (only large means need it), it is left NaN
/// for sample_binomial_filling to compute on the first draw that needs it.
BinomialConstants binomial_constants(double p, bool log_odds = true);
/// The same, made in place (the kernel's per-replicate constants).
void set_binomial_constants(BinomialConstants& c, double p, bool log_odds);
namespace detail {

inline constexpr int kReciprocals = 1024;
inline constexpr std::array<double, kReciprocals> kReciprocal = [] {
  std::array<double, kReciprocals> t{};
  for (int k = 1; k < kReciprocals; ++k) t[static_cast<size_t>(k)] = 1.0 / k;
  return t;
}();

/// Sequential search from 0 (Kachitvichyanukul and Schmeiser's BINV); s = p / (1 - p),
/// r0 = (1 - p)^n. Four values are tested a step: their probabilities come from products of
/// the ratios (computed ahead of the chain), so the step costs one multiplication of latency
/// and the loop ends with one mispredicted branch instead of one per value.
inline int64_t binomial_inversion(Rng& rng, int64_t n, double s, double r0) {
  const double a = static_cast<double>(n + 1) * s;
  auto ratio = [&](int64_t x) {  // P(x) / P(x - 1)
    return a * (x < kReciprocals ? kReciprocal[static_cast<size_t>(x)]
                                 : 1.0 / static_cast<double>(x)) -
           s;
  };
  for (;;) {
    double r = r0;  // P(X = x)
    double u = rng.uniform();
    int64_t x = 0;
    for (; x + 3 < n; x += 4) {
      const double g1 = ratio(x + 1), g12 = g1 * ratio(x + 2), g123 = g12 * ratio(x + 3);
      const double c0 = r, c1 = c0 + r * g1, c2 = c1 + r * g12, c3 = c2 + r * g123;
      if (u <= c3) {
        return x + static_cast<int64_t>(u > c0) + static_cast<int64_t>(u > c1) +
               static_cast<int64_t>(u > c2);
      }
      u -= c3;
      r *= g123 * ratio(x + 4);
    }
    for (; x <= n; ++x) {  // the last values one at a time
      if (u <= r) return x;
      u -= r;
      r *= ratio(x + 1);
    }
    // u was within rounding of 1 beyond every value: draw again.
  }
}

/// (1 - p)^n for n < 1024: five factors looked up by two bits of n each.
inline double small_power(const PowerTable& t, int64_t n) {
  const auto digit = [&](int g) { return static_cast<size_t>((n >> (2 * g)) & 3); };
  return (t[0][digit(0)] * t[1][digit(1)]) * (t[2][digit(2)] * t[3][digit(3)]) * t[4][digit(4)];
}

/// Below this mean, inversion is faster than BTRS (measured: 28 vs 58 ns at 10, 39 vs 45 at
/// 22, equal near 28).
inline constexpr double kInversionMean = 25;

/// BTRS (Hormann 1993) for n * p >= 10, p <= 0.5; lpq = log(p / (1 - p)).
int64_t binomial_btrs(Rng& rng, int64_t n, double p, double lpq);

}  // namespace detail

/// Draw Binomial(n, p) with precomputed constants (the same draws as above).
inline int64_t sample_binomial(Rng& rng, int64_t n, const BinomialConstants& c) {
  if (n <= 0 || c.p <= 0) return c.flip && n > 0 ? n : 0;
  const double mean = static_cast<double>(n) * c.p;
  int64_t x = 0;
  if (mean < detail::kInversionMean)
    x = detail::binomial_inversion(rng, n, c.odds,
                                   n < 1024 ? detail::small_power(c.q_powers, n)
                                            : std::pow(1.0 - c.p, static_cast<double>(n)));
  else
    x = detail::binomial_btrs(rng, n, c.p, c.log_odds);
  return c.flip ? n - x : x;
}

/// The same draw with constants made without log_odds: it is computed (and kept) by the
/// first draw that needs it. For constants made per replicate, most of which never do.
inline int64_t sample_binomial_filling(Rng& rng, int64_t n, BinomialConstants& c) {
  if (std::isnan(c.log_odds) && static_cast<double>(n) * c.p >= detail::kInversionMean)
    c.log_odds = std::log(c.odds);
  return sample_binomial(rng, n, std::as_const(c));
}

/// Draw Poisson(mean): inversion below 10, else PTRS (Hormann 1993).
int64_t sample_poisson(Rng& rng, double mean);

/// Walker's alias method (Vose's construction) over the values first, first + 1, ...: one
/// 64-bit draw and one comparison per draw, whatever the spread. The upper 32 bits pick the
/// bucket, the lower 32 decide between it and its alias, so probabilities are exact to 2^-32
/// (far below what 1,000 replicates can see). Entries are 8 bytes so tables stay in cache.
struct AliasEntry {
  uint32_t threshold = UINT32_MAX;  ///< Keep the bucket when the lower bits are below this.
  int32_t alias = 0;                ///< Otherwise return this index.
};
/// Append the alias table of `pmf` (need not sum exactly to 1) to `out`.
void append_alias_table(std::span<const double> pmf, std::vector<AliasEntry>& out);
/// Draw an index in [0, size) from an alias table (size < 2^32).
inline int64_t draw_alias(Rng& rng, const AliasEntry* table, size_t size) {
  const uint64_t r = rng.next();
  const auto i = static_cast<size_t>(((r >> 32) * size) >> 32);
  // Select without a branch: which side wins is as unpredictable as the draw.
  const auto own = static_cast<int64_t>(i);
  const int64_t other_if_above =
      -static_cast<int64_t>(static_cast<uint32_t>(r) >= table[i].threshold);
  return own ^ ((own ^ table[i].alias) & other_if_above);
}

/// Binomial(n, p) for one fixed p from alias tables built once for every n up to `max_n`
/// (tails below 1e-17 dropped, finer than a uniform's resolution); larger n use
/// sample_binomial. One uniform per draw; the kernel's ageing step uses it.
class FixedBinomial {
 public:
  FixedBinomial(double p, int64_t max_n);
  int64_t operator()(Rng& rng, int64_t n) const {
    if (n <= 0) return 0;
    if (static_cast<size_t>(n) >= rows_.size()) return sample_binomial(rng, n, constants_);
    const Row& row = rows_[static_cast<size_t>(n)];
    return row.first + draw_alias(rng, table_.data() + row.offset, row.size);
  }

 private:
  struct Row {
    uint32_t offset = 0;  ///< Index in table_ of value `first`.
    uint32_t size = 1;    ///< Values kept.
    int64_t first = 0;    ///< Smallest value kept.
  };
  BinomialConstants constants_;
  std::vector<Row> rows_;
  std::vector<AliasEntry> table_;
};

/// Independent Poisson(means[i]) counts for categories i < kMaxCategories (the kernel's
/// external joiners by age band), from alias tables kept side by side in one block (tails
/// below 1e-17 dropped). When the total mean is below the number of categories with a
/// positive mean, a Poisson(total) count is placed one person at a time by an alias draw
/// over the categories (a Poisson total split multinomially is the same distribution);
/// else one draw per category. Means above 1e5 are drawn by sample_poisson.
class PoissonSplit {
 public:
  static constexpr size_t kMaxCategories = 16;
  explicit PoissonSplit(std::span<const double> means);
  /// Add the counts to `out` (at least as long as the means); return their total.
  int64_t operator()(Rng& rng, std::span<int64_t> out) const {
    int64_t total = 0;
    if (by_total_) {
      const Part& count = parts_[0];
      const Part& where = parts_[1];
      total = count.draw(rng, table_.data());
      for (int64_t k = 0; k < total; ++k)
        ++out[static_cast<size_t>(where.draw(rng, table_.data()))];
      return total;
    }
    for (const Part& part : parts_) {
      const int64_t x = part.draw(rng, table_.data());
      out[part.category] += x;
      total += x;
    }
    return total;
  }

 private:
  struct Part {
    uint32_t offset = 0;    ///< Index in table_ of value `first`; unused with large_mean.
    uint32_t size = 0;      ///< Values kept.
    int64_t first = 0;      ///< Smallest value kept.
    uint32_t category = 0;  ///< Where the count goes (one draw per category).
    double large_mean = 0;  ///< Above 1e5: drawn by sample_poisson instead of the table.
    int64_t draw(Rng& rng, const AliasEntry* table) const {
      if (large_mean > 0) return sample_poisson(rng, large_mean);
      return first + draw_alias(rng, table + offset, size);
    }
  };
  void add_poisson(double mean, uint32_t category);
  bool by_total_ = false;
  std::vector<Part> parts_;
  std::vector<AliasEntry> table_;
};

/// Draw Multinomial(n, probs) into `out` by conditional binomials; probs may sum to < 1
/// (the remainder is "none of these"). Returns how many were placed.
int64_t sample_multinomial(Rng& rng, int64_t n, std::span<const double> probs,
                           std::span<int64_t> out);

}  // namespace careforce::projection
