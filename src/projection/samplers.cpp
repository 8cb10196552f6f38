#include "projection/samplers.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
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

constexpr int kReciprocals = 1024;

const std::array<double, kReciprocals>& reciprocal_table() {
  static const std::array<double, kReciprocals> table = [] {
    std::array<double, kReciprocals> t{};
    for (int k = 1; k < kReciprocals; ++k) t[k] = 1.0 / k;
    return t;
  }();
  return table;
}

int64_t binomial_inversion(Rng& rng, int64_t n, double p, double r0) {
  // Sequential search from 0 (Kachitvichyanukul and Schmeiser's BINV); r0 = (1 - p)^n.
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = static_cast<double>(n + 1) * s;
  const auto& inv = reciprocal_table();
  for (;;) {
    double r = r0;
    double u = rng.uniform();
    int64_t x = 0;
    while (u > r) {
      u -= r;
      ++x;
      if (x > n) break;
      r *= a * (x < kReciprocals ? inv[static_cast<size_t>(x)] : 1.0 / static_cast<double>(x)) - s;
    }
    if (x <= n) return x;
  }
}

int64_t bernoulli_count(Rng& rng, int64_t n, double p) {
  int64_t x = 0;
  for (int64_t i = 0; i < n; ++i) x += rng.uniform() < p;
  return x;
}

int64_t binomial_btrs(Rng& rng, int64_t n, double p, double lpq) {
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

}  // namespace

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
  // Few trials: counting Bernoulli draws is cheaper than the pow() of inversion.
  if (n <= 16) return bernoulli_count(rng, n, p);
  if (static_cast<double>(n) * p < 10)
    return binomial_inversion(rng, n, p, std::pow(1.0 - p, static_cast<double>(n)));
  return binomial_btrs(rng, n, p, std::log(p / (1.0 - p)));
}

BinomialConstants binomial_constants(double p) {
  BinomialConstants c;
  c.flip = p > 0.5;
  c.p = std::clamp(c.flip ? 1.0 - p : p, 0.0, 1.0);
  c.log_q = c.p < 1 ? std::log1p(-c.p) : 0;
  c.log_odds = c.p > 0 && c.p < 1 ? std::log(c.p / (1 - c.p)) : 0;
  return c;
}

int64_t sample_binomial(Rng& rng, int64_t n, const BinomialConstants& c) {
  if (n <= 0) return 0;
  int64_t x = 0;
  if (c.p <= 0)
    x = 0;
  else if (n <= 16)
    x = bernoulli_count(rng, n, c.p);
  else if (static_cast<double>(n) * c.p < 10)
    x = binomial_inversion(rng, n, c.p, std::exp(static_cast<double>(n) * c.log_q));
  else
    x = binomial_btrs(rng, n, c.p, c.log_odds);
  return c.flip ? n - x : x;
}

FixedBinomial::FixedBinomial(double p, int64_t max_n) : constants_(binomial_constants(p)) {
  const double log_p = p > 0 ? std::log(p) : 0, log_q = p < 1 ? std::log1p(-p) : 0;
  rows_.resize(static_cast<size_t>(std::max<int64_t>(max_n, 0) + 1));
  std::vector<double> pmf;
  for (int64_t n = 0; n <= max_n; ++n) {
    Row& row = rows_[static_cast<size_t>(n)];
    row.offset = static_cast<uint32_t>(cdf_.size());
    if (p <= 0 || p >= 1) {
      row.first = row.start = p >= 1 ? static_cast<int32_t>(n) : 0;
      cdf_.push_back(2.0);
      continue;
    }
    // The pmf from the mode outwards by the ratio recurrence, until it is negligible.
    const auto mode = std::min<int64_t>(n, static_cast<int64_t>(std::floor((n + 1) * p)));
    const double at_mode =
        std::exp(log_factorial(n) - log_factorial(mode) - log_factorial(n - mode) +
                 static_cast<double>(mode) * log_p + static_cast<double>(n - mode) * log_q);
    constexpr double kNegligible = 1e-17;
    int64_t lo = mode, hi = mode;
    std::vector<double> down{at_mode}, up;
    for (double x = at_mode; lo > 0;) {
      x *= static_cast<double>(lo) / static_cast<double>(n - lo + 1) * (1 - p) / p;
      if (x < kNegligible) break;
      down.push_back(x), --lo;
    }
    for (double x = at_mode; hi < n;) {
      x *= static_cast<double>(n - hi) / static_cast<double>(hi + 1) * p / (1 - p);
      if (x < kNegligible) break;
      up.push_back(x), ++hi;
    }
    pmf.assign(down.rbegin(), down.rend());
    pmf.insert(pmf.end(), up.begin(), up.end());
    row.first = static_cast<int32_t>(lo);
    double cumulative = 0;
    size_t median = 0;
    for (size_t i = 0; i < pmf.size(); ++i) {
      cumulative += pmf[i];
      cdf_.push_back(cumulative);
      if (cumulative < 0.5) median = i + 1;
    }
    cdf_.back() = 2.0;  // every uniform in [0, 1) ends at or before the last value kept
    row.start = static_cast<int32_t>(lo + static_cast<int64_t>(std::min(median, pmf.size() - 1)));
  }
}

int64_t FixedBinomial::operator()(Rng& rng, int64_t n) const {
  if (n <= 0) return 0;
  if (static_cast<size_t>(n) >= rows_.size()) return sample_binomial(rng, n, constants_);
  const Row& row = rows_[static_cast<size_t>(n)];
  const double* cdf = cdf_.data() + row.offset;  // cdf[i] = P(X <= first + i)
  const double u = rng.uniform();
  size_t i = static_cast<size_t>(row.start - row.first);
  if (u < cdf[i]) {
    while (i > 0 && u < cdf[i - 1]) --i;
  } else {
    while (u >= cdf[i]) ++i;
  }
  return row.first + static_cast<int64_t>(i);
}

PoissonTable::PoissonTable(double mean) : mean_(mean) {
  if (!(mean > 0)) {
    cdf_ = {2.0};
    return;
  }
  if (mean > 1e5) return;  // drawn by sample_poisson
  constexpr double kNegligible = 1e-17;
  const auto mode = static_cast<int64_t>(std::floor(mean));
  const double at_mode =
      std::exp(-mean + static_cast<double>(mode) * std::log(mean) - log_factorial(mode));
  std::vector<double> down{at_mode}, up;
  int64_t lo = mode;
  for (double x = at_mode; lo > 0;) {
    x *= static_cast<double>(lo) / mean;
    if (x < kNegligible) break;
    down.push_back(x), --lo;
  }
  for (double x = at_mode, k = static_cast<double>(mode);;) {
    x *= mean / (k + 1), k += 1;
    if (x < kNegligible) break;
    up.push_back(x);
  }
  first_ = lo;
  double cumulative = 0;
  size_t median = 0;
  for (auto it = down.rbegin(); it != down.rend(); ++it) {
    cumulative += *it;
    cdf_.push_back(cumulative);
    if (cumulative < 0.5) median = cdf_.size();
  }
  for (double x : up) {
    cumulative += x;
    cdf_.push_back(cumulative);
    if (cumulative < 0.5) median = cdf_.size();
  }
  cdf_.back() = 2.0;  // every uniform in [0, 1) ends at or before the last value kept
  start_ = std::min(median, cdf_.size() - 1);
}

int64_t PoissonTable::operator()(Rng& rng) const {
  if (!(mean_ > 0)) return 0;
  if (cdf_.empty()) return sample_poisson(rng, mean_);
  const double u = rng.uniform();
  size_t i = start_;
  if (u < cdf_[i]) {
    while (i > 0 && u < cdf_[i - 1]) --i;
  } else {
    while (u >= cdf_[i]) ++i;
  }
  return first_ + static_cast<int64_t>(i);
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
