#include "projection/samplers.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <numbers>

namespace careforce::projection {

namespace {

constexpr int kLogFactorialTable = 256;

const std::array<double, kLogFactorialTable>& log_factorial_table() {
  static const std::array<double, kLogFactorialTable> table = [] {
    std::array<double, kLogFactorialTable> t{};
    t[0] = 0;
    for (int k = 1; k < kLogFactorialTable; ++k) t[k] = t[k - 1] + std::log(static_cast<double>(k));
    return t;
  }();
  return table;
}

}  // namespace

int64_t detail::binomial_btrs(Rng& rng, int64_t n, double p, double lpq) {
  const double q = 1.0 - p;
  const double nd = static_cast<double>(n);
  const double spq = std::sqrt(nd * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double v_r = 0.92 - 4.2 / b;
  // Constants of the rejection test, set up only when a draw falls outside the squeeze.
  double alpha = 0, h = 0;
  int64_t m = -1;
  for (;;) {
    const double u = rng.uniform() - 0.5;
    double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double kd = std::floor((2 * a / us + b) * u + c);
    if (kd < 0 || kd > nd) continue;
    const auto k = static_cast<int64_t>(kd);
    if (us >= 0.07 && v <= v_r) return k;
    if (m < 0) {
      alpha = (2.83 + 5.1 / b) * spq;
      m = static_cast<int64_t>(std::floor((nd + 1) * p));
      h = log_factorial(m) + log_factorial(n - m);
    }
    v = std::log(v * alpha / (a / (us * us) + b));
    const double bound =
        h - log_factorial(k) - log_factorial(n - k) + static_cast<double>(k - m) * lpq;
    if (v <= bound) return k;
  }
}

PowerTable power_table(double q) {
  PowerTable t;
  double base = q;  // q^(4^g)
  for (auto& row : t) {
    row = {1.0, base, base * base, base * base * base};
    base = row[2] * row[2];
  }
  return t;
}

double log_factorial(int64_t k) {
  assert(k >= 0);
  if (k < kLogFactorialTable) return log_factorial_table()[static_cast<size_t>(k)];
  const double x = static_cast<double>(k) + 1.0;
  const double inv = 1.0 / x;
  const double inv2 = inv * inv;
  // Stirling series for log Gamma(x), x = k + 1 >= 257: error far below 1e-15 relative.
  return (x - 0.5) * std::log(x) - x + 0.5 * std::log(2 * std::numbers::pi) +
         inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 / 1260));
}

double sample_normal(Rng& rng) {
  const double u1 = rng.uniform_open();
  const double u2 = rng.uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

int64_t sample_binomial(Rng& rng, int64_t n, double p) {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sample_binomial(rng, n, 1.0 - p);
  if (n < 1024 && static_cast<double>(n) * p < detail::kInversionMean)
    return detail::binomial_inversion(rng, n, p / (1 - p),
                                      detail::small_power(power_table(1.0 - p), n));
  if (static_cast<double>(n) * p < detail::kInversionMean)
    return detail::binomial_inversion(rng, n, p / (1 - p),
                                      std::pow(1.0 - p, static_cast<double>(n)));
  return detail::binomial_btrs(rng, n, p, std::log(p / (1.0 - p)));
}

BinomialConstants binomial_constants(double p, bool log_odds) {
  BinomialConstants c;
  set_binomial_constants(c, p, log_odds);
  return c;
}

void set_binomial_constants(BinomialConstants& c, double p, bool log_odds) {
  c.flip = p > 0.5;
  c.p = std::clamp(c.flip ? 1.0 - p : p, 0.0, 1.0);
  c.odds = c.p < 1 ? c.p / (1 - c.p) : 0;
  c.log_odds = !(c.p > 0 && c.p < 1) ? 0
               : log_odds            ? std::log(c.odds)
                                     : std::numeric_limits<double>::quiet_NaN();
  c.q_powers = power_table(1 - c.p);
}

void append_alias_table(std::span<const double> pmf, std::vector<AliasEntry>& out) {
  const size_t k = pmf.size();
  const size_t base = out.size();
  out.resize(base + k);
  AliasEntry* table = out.data() + base;
  double total = 0;
  for (double x : pmf) total += x;
  // Vose: scaled probabilities k * p_i; pair each under-full bucket with an over-full one.
  std::vector<double> scaled(k);
  std::vector<int32_t> small, large;
  for (size_t i = 0; i < k; ++i) {
    scaled[i] = pmf[i] / total * static_cast<double>(k);
    (scaled[i] < 1 ? small : large).push_back(static_cast<int32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const int32_t s = small.back(), l = large.back();
    small.pop_back();
    // Keep with probability scaled (rounded to 2^-32; never 1, so 0xFFFFFFFF means "always").
    table[s] = {static_cast<uint32_t>(
                    std::min(std::ldexp(scaled[static_cast<size_t>(s)], 32), 4294967294.0)),
                l};
    scaled[static_cast<size_t>(l)] -= 1 - scaled[static_cast<size_t>(s)];
    if (scaled[static_cast<size_t>(l)] < 1) large.pop_back(), small.push_back(l);
  }
  // What is left is full up to rounding: it keeps its own value.
  for (int32_t i : large) table[i] = {UINT32_MAX, i};
  for (int32_t i : small) table[i] = {UINT32_MAX, i};
}

namespace {

constexpr double kNegligible = 1e-17;

// A pmf from its mode outwards by ratio recurrences, until it is negligible or reaches 0 or
// `highest`: down(k) = P(k - 1) / P(k), up(k) = P(k + 1) / P(k). `first` gets the smallest
// value kept.
template <typename Down, typename Up>
std::vector<double> pmf_around_mode(double at_mode, int64_t mode, int64_t highest, Down down, Up up,
                                    int64_t& first) {
  int64_t lo = mode, hi = mode;
  std::vector<double> below{at_mode}, above;
  for (double x = at_mode; lo > 0;) {
    x *= down(lo);
    if (x < kNegligible) break;
    below.push_back(x), --lo;
  }
  for (double x = at_mode; hi < highest;) {
    x *= up(hi);
    if (x < kNegligible) break;
    above.push_back(x), ++hi;
  }
  first = lo;
  std::vector<double> pmf(below.rbegin(), below.rend());
  pmf.insert(pmf.end(), above.begin(), above.end());
  return pmf;
}

std::vector<double> binomial_pmf_around_mode(int64_t n, double p, int64_t& first) {
  const double log_p = std::log(p), log_q = std::log1p(-p);
  const auto mode = std::min<int64_t>(n, static_cast<int64_t>(std::floor((n + 1) * p)));
  const double at_mode =
      std::exp(log_factorial(n) - log_factorial(mode) - log_factorial(n - mode) +
               static_cast<double>(mode) * log_p + static_cast<double>(n - mode) * log_q);
  return pmf_around_mode(
      at_mode, mode, n,
      [&](int64_t k) {
        return static_cast<double>(k) / static_cast<double>(n - k + 1) * (1 - p) / p;
      },
      [&](int64_t k) {
        return static_cast<double>(n - k) / static_cast<double>(k + 1) * p / (1 - p);
      },
      first);
}

std::vector<double> poisson_pmf_around_mode(double mean, int64_t& first) {
  const auto mode = static_cast<int64_t>(std::floor(mean));
  const double at_mode =
      std::exp(-mean + static_cast<double>(mode) * std::log(mean) - log_factorial(mode));
  return pmf_around_mode(
      at_mode, mode, INT64_MAX, [&](int64_t k) { return static_cast<double>(k) / mean; },
      [&](int64_t k) { return mean / (static_cast<double>(k) + 1); }, first);
}

}  // namespace

FixedBinomial::FixedBinomial(double p, int64_t max_n) : constants_(binomial_constants(p)) {
  rows_.resize(static_cast<size_t>(std::max<int64_t>(max_n, 0) + 1));
  for (int64_t n = 0; n <= max_n; ++n) {
    Row& row = rows_[static_cast<size_t>(n)];
    row.offset = static_cast<uint32_t>(table_.size());
    if (p <= 0 || p >= 1 || n == 0) {
      row.first = p >= 1 ? n : 0;
      table_.push_back({});
      continue;
    }
    const auto pmf = binomial_pmf_around_mode(n, p, row.first);
    row.size = static_cast<uint32_t>(pmf.size());
    append_alias_table(pmf, table_);
  }
}

void PoissonSplit::add_poisson(double mean, uint32_t category) {
  Part part;
  part.category = category;
  if (mean > 1e5) {
    part.large_mean = mean;
    parts_.push_back(part);
    return;
  }
  const auto pmf = poisson_pmf_around_mode(mean, part.first);
  part.offset = static_cast<uint32_t>(table_.size());
  part.size = static_cast<uint32_t>(pmf.size());
  append_alias_table(pmf, table_);
  parts_.push_back(part);
}

PoissonSplit::PoissonSplit(std::span<const double> means) {
  assert(means.size() <= kMaxCategories);
  size_t positive = 0;
  double total_mean = 0;
  for (double m : means) {
    if (!(m > 0)) continue;
    ++positive;
    total_mean += m;
  }
  if (positive == 0) return;
  by_total_ = positive > 1 && total_mean < static_cast<double>(positive);
  if (!by_total_) {
    for (size_t i = 0; i < means.size(); ++i)
      if (means[i] > 0) add_poisson(means[i], static_cast<uint32_t>(i));
    return;
  }
  add_poisson(total_mean, 0);
  std::vector<double> share(means.size());
  for (size_t i = 0; i < means.size(); ++i) share[i] = means[i] > 0 ? means[i] : 0.0;
  Part where;
  where.offset = static_cast<uint32_t>(table_.size());
  where.size = static_cast<uint32_t>(share.size());
  append_alias_table(share, table_);
  parts_.push_back(where);
}

int64_t sample_poisson(Rng& rng, double mean) {
  if (!(mean > 0)) return 0;
  if (mean < 10) {
    double prob = std::exp(-mean);
    double u = rng.uniform();
    int64_t x = 0;
    while (u > prob) {
      u -= prob;
      ++x;
      prob *= mean / static_cast<double>(x);
      if (prob <= 0) break;  // u was within rounding of 1: accept the tail value.
    }
    return x;
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    const double v = rng.uniform_open();
    const double us = 0.5 - std::fabs(u);
    const double kd = std::floor((2 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= vr) return static_cast<int64_t>(kd);
    if (kd < 0 || (us < 0.013 && v > us)) continue;
    const auto k = static_cast<int64_t>(kd);
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + kd * loglam - log_factorial(k))
      return k;
  }
}

int64_t sample_multinomial(Rng& rng, int64_t n, std::span<const double> probs,
                           std::span<int64_t> out) {
  assert(out.size() >= probs.size());
  int64_t left = n;
  double mass_left = 1.0;
  int64_t placed = 0;
  for (size_t i = 0; i < probs.size(); ++i) {
    out[i] = 0;
    if (left <= 0 || probs[i] <= 0) continue;
    const double cond = mass_left > 0 ? std::min(1.0, probs[i] / mass_left) : 1.0;
    const int64_t x = sample_binomial(rng, left, cond);
    out[i] = x;
    left -= x;
    placed += x;
    mass_left -= probs[i];
  }
  return placed;
}

}  // namespace careforce::projection
