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

int64_t binomial_inversion(Rng& rng, int64_t n, double p) {
  // Sequential search from 0 (Kachitvichyanukul and Schmeiser's BINV).
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = static_cast<double>(n + 1) * s;
  const double r0 = std::pow(q, static_cast<double>(n));
  for (;;) {
    double r = r0;
    double u = rng.uniform();
    int64_t x = 0;
    while (u > r) {
      u -= r;
      ++x;
      if (x > n) break;
      r *= a / static_cast<double>(x) - s;
    }
    if (x <= n) return x;
  }
}

int64_t binomial_btrs(Rng& rng, int64_t n, double p) {
  const double q = 1.0 - p;
  const double nd = static_cast<double>(n);
  const double spq = std::sqrt(nd * p * q);
  const double b = 1.15 + 2.53 * spq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = nd * p + 0.5;
  const double v_r = 0.92 - 4.2 / b;
  const double alpha = (2.83 + 5.1 / b) * spq;
  const double lpq = std::log(p / q);
  const auto m = static_cast<int64_t>(std::floor((nd + 1) * p));
  const double h = log_factorial(m) + log_factorial(n - m);
  for (;;) {
    const double u = rng.uniform() - 0.5;
    double v = rng.uniform();
    const double us = 0.5 - std::fabs(u);
    const double kd = std::floor((2 * a / us + b) * u + c);
    if (kd < 0 || kd > nd) continue;
    const auto k = static_cast<int64_t>(kd);
    if (us >= 0.07 && v <= v_r) return k;
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
  if (n <= 16) {
    // Few trials: counting Bernoulli draws is cheaper than the pow() of inversion.
    int64_t x = 0;
    for (int64_t i = 0; i < n; ++i) x += rng.uniform() < p;
    return x;
  }
  if (static_cast<double>(n) * p < 10) return binomial_inversion(rng, n, p);
  return binomial_btrs(rng, n, p);
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
