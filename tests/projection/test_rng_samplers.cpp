#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "projection/rng.hpp"
#include "projection/samplers.hpp"

namespace careforce::projection {
namespace {

TEST(Rng, MatchesReferenceVectors) {
  // splitmix64 from state 0 and xoshiro256** from state {1, 2, 3, 4} (reference C code).
  uint64_t state = 0;
  EXPECT_EQ(splitmix64(state), 0xe220a8397b1dcdafULL);
  Rng rng = Rng::from_state(1, 2, 3, 4);
  EXPECT_EQ(rng.next(), 11520u);
  EXPECT_EQ(rng.next(), 0u);
  EXPECT_EQ(rng.next(), 1509978240u);
  EXPECT_EQ(rng.next(), 1215971899390074240u);
}

TEST(Rng, StreamsAreReproducibleAndDistinct) {
  Rng a = Rng::stream(42, "leavers", 3, 17), b = Rng::stream(42, "leavers", 3, 17);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next(), b.next());
  const uint64_t first = Rng::stream(42, "leavers", 3, 17).next();
  EXPECT_NE(first, Rng::stream(43, "leavers", 3, 17).next());
  EXPECT_NE(first, Rng::stream(42, "joiners", 3, 17).next());
  EXPECT_NE(first, Rng::stream(42, "leavers", 4, 17).next());
  EXPECT_NE(first, Rng::stream(42, "leavers", 3, 18).next());
}

TEST(Rng, UniformHasMeanHalfAndVarianceOneTwelfth) {
  Rng rng(1);
  const int n = 200000;
  double sum = 0, sum2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u, sum2 += u * u;
  }
  const double mean = sum / n, var = sum2 / n - mean * mean;
  EXPECT_NEAR(mean, 0.5, 4 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(var, 1.0 / 12, 4 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}

// Check a sampler's sample mean and variance against the closed form, with tolerances from
// the sampling distribution (4 standard errors).
void expect_moments(const std::vector<int64_t>& x, double mean, double var, double mu4) {
  const double n = static_cast<double>(x.size());
  double s = 0, s2 = 0;
  for (int64_t v : x) s += static_cast<double>(v);
  const double m = s / n;
  for (int64_t v : x) s2 += (static_cast<double>(v) - m) * (static_cast<double>(v) - m);
  const double sample_var = s2 / (n - 1);
  EXPECT_NEAR(m, mean, 4 * std::sqrt(var / n) + 1e-12);
  const double var_se = std::sqrt(std::max(0.0, (mu4 - var * var * (n - 3) / (n - 1)) / n));
  EXPECT_NEAR(sample_var, var, 4 * var_se + 1e-12);
}

class BinomialMoments : public ::testing::TestWithParam<std::pair<int64_t, double>> {};

TEST_P(BinomialMoments, MatchClosedForm) {
  const auto [trials, p] = GetParam();
  Rng rng(99);
  std::vector<int64_t> x(100000);
  for (auto& v : x) {
    v = sample_binomial(rng, trials, p);
    ASSERT_GE(v, 0);
    ASSERT_LE(v, trials);
  }
  const double n = static_cast<double>(trials), q = 1 - p;
  expect_moments(x, n * p, n * p * q, n * p * q * (1 + 3 * (n - 2) * p * q));
}

// Covers inversion with (1 - p)^n by a table of powers (n < 1024) and by exp (np < 25), BTRS, and p
// > 0.5.
INSTANTIATE_TEST_SUITE_P(
    Regimes, BinomialMoments,
    ::testing::Values(std::make_pair(int64_t{5}, 0.3), std::make_pair(int64_t{40}, 0.1),
                      std::make_pair(int64_t{120}, 0.11), std::make_pair(int64_t{63}, 0.24),
                      std::make_pair(int64_t{1000}, 0.12), std::make_pair(int64_t{250}, 0.8),
                      std::make_pair(int64_t{100000}, 0.02), std::make_pair(int64_t{30}, 0.5)));

class PoissonMoments : public ::testing::TestWithParam<double> {};

TEST_P(PoissonMoments, MatchClosedForm) {
  const double lambda = GetParam();
  Rng rng(5);
  std::vector<int64_t> x(100000);
  for (auto& v : x) {
    v = sample_poisson(rng, lambda);
    ASSERT_GE(v, 0);
  }
  expect_moments(x, lambda, lambda, lambda * (1 + 3 * lambda));
}

INSTANTIATE_TEST_SUITE_P(Regimes, PoissonMoments,
                         ::testing::Values(0.3, 4.0, 9.9, 10.0, 55.5, 2500.0));

// Chi-square goodness of fit against the exact pmf; the critical value (p = 0.001) comes
// from the Wilson-Hilferty approximation.
double chi_square_critical(int dof) {
  const double z = 3.090232;  // upper 0.1% of the standard normal
  const double k = dof;
  return k * std::pow(1 - 2 / (9 * k) + z * std::sqrt(2 / (9 * k)), 3);
}

double binomial_pmf(int64_t n, double p, int64_t k) {
  return std::exp(log_factorial(n) - log_factorial(k) - log_factorial(n - k) + k * std::log(p) +
                  (n - k) * std::log(1 - p));
}

double poisson_pmf(double lambda, int64_t k) {
  return std::exp(-lambda + k * std::log(lambda) - log_factorial(k));
}

/// Pearson's statistic of `observed` counts of 0, 1, ... over `draws` against `pmf`;
/// values whose expected count is under 5 are left out.
struct ChiSquare {
  double statistic = 0;
  int bins = 0;
};
template <typename Pmf>
ChiSquare chi_square(const std::vector<double>& observed, int draws, Pmf pmf) {
  ChiSquare out;
  for (size_t k = 0; k < observed.size(); ++k) {
    const double expected = pmf(static_cast<int64_t>(k)) * draws;
    if (expected < 5) continue;
    out.statistic += (observed[k] - expected) * (observed[k] - expected) / expected;
    ++out.bins;
  }
  return out;
}

TEST(Binomial, BtrsMatchesTheExactDistribution) {
  const int64_t n = 100;
  const double p = 0.3;
  const int draws = 200000;
  Rng rng(11);
  std::vector<double> observed(n + 1, 0);
  for (int i = 0; i < draws; ++i) observed[static_cast<size_t>(sample_binomial(rng, n, p))] += 1;
  const auto fit = chi_square(observed, draws, [&](int64_t k) { return binomial_pmf(n, p, k); });
  EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1));
}

TEST(Binomial, InversionMatchesTheExactDistribution) {
  // Means under 25 are drawn by inversion, four values a step: (1 - p)^n by a table of powers for
  // n < 1024 and by exp (or pow) above; with and without precomputed constants; p > 0.5 flips.
  for (const auto& [n, p] : {std::pair<int64_t, double>{40, 0.2},
                             {120, 0.11},
                             {63, 0.24},
                             {7, 0.5},
                             {300, 0.98},
                             {2000, 0.004},
                             {1023, 0.02}}) {
    const int draws = 200000;
    Rng rng(static_cast<uint64_t>(n) * 7 + 1);
    const auto constants = binomial_constants(p);
    std::vector<double> observed(static_cast<size_t>(n) + 1, 0);
    for (int i = 0; i < draws; ++i) {
      const int64_t k = i % 2 ? sample_binomial(rng, n, p) : sample_binomial(rng, n, constants);
      ASSERT_GE(k, 0);
      ASSERT_LE(k, n);
      observed[static_cast<size_t>(k)] += 1;
    }
    const auto fit = chi_square(observed, draws, [&](int64_t k) { return binomial_pmf(n, p, k); });
    EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1)) << n << " " << p;
  }
}

TEST(Binomial, PrecomputedConstantsGiveTheSameDraws) {
  for (const auto& [n, p] : {std::pair<int64_t, double>{40, 0.2},
                             {120, 0.11},
                             {700, 0.03},
                             {2000, 0.004},
                             {300, 0.98},
                             {500, 0.3}}) {
    Rng a(99), b(99), c(99), d(99);
    const auto constants = binomial_constants(p);
    // Made without log_odds: filled by the first draw that needs it (BTRS), the same draws.
    auto filling = binomial_constants(p, /*log_odds=*/false);
    EXPECT_TRUE(std::isnan(filling.log_odds)) << n << " " << p;
    for (int i = 0; i < 1000; ++i) {
      ASSERT_EQ(sample_binomial(a, n, p), sample_binomial(b, n, constants)) << n << " " << p;
      // Alternating n: small means draw by inversion before a large one needs the log.
      const int64_t m = i % 2 ? n : std::max<int64_t>(1, n / 50);
      ASSERT_EQ(sample_binomial(c, m, p), sample_binomial_filling(d, m, filling)) << n << " " << p;
    }
    const bool large_mean = static_cast<double>(n) * std::min(p, 1 - p) >= 25;
    EXPECT_EQ(std::isnan(filling.log_odds), !large_mean) << n << " " << p;
    if (large_mean) {
      EXPECT_EQ(filling.log_odds, constants.log_odds) << n << " " << p;
    }
  }
}

TEST(Poisson, PtrsMatchesTheExactDistribution) {
  const double lambda = 30;
  const int draws = 200000;
  Rng rng(12);
  std::vector<double> observed(200, 0);
  for (int i = 0; i < draws; ++i) {
    const int64_t k = sample_poisson(rng, lambda);
    if (k < 200) observed[static_cast<size_t>(k)] += 1;
  }
  const auto fit = chi_square(observed, draws, [&](int64_t k) { return poisson_pmf(lambda, k); });
  EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1));
}

TEST(FixedBinomial, MatchesTheExactDistributionInsideAndBeyondItsTable) {
  // n = 90 is read from the tables, n = 300 falls back to sample_binomial.
  const double p = 0.2;
  const FixedBinomial draw(p, 128);
  for (const int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{90}, int64_t{300}}) {
    const int draws = 200000;
    Rng rng(static_cast<uint64_t>(21 + n));
    std::vector<double> observed(static_cast<size_t>(n) + 1, 0);
    for (int i = 0; i < draws; ++i) {
      const int64_t k = draw(rng, n);
      ASSERT_GE(k, 0);
      ASSERT_LE(k, n);
      observed[static_cast<size_t>(k)] += 1;
    }
    if (n == 0) continue;
    const auto fit = chi_square(observed, draws, [&](int64_t k) { return binomial_pmf(n, p, k); });
    if (fit.bins > 1) {
      EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1)) << "n = " << n;
    }
  }
}

TEST(PoissonSplit, OneCategoryMatchesTheExactDistribution) {
  for (const double lambda : {0.0, 0.004, 3.5, 30.0, 400.0}) {
    const std::array<double, 1> means{lambda};
    const PoissonSplit draw(means);
    const int draws = 200000;
    Rng rng(static_cast<uint64_t>(31 + lambda));
    std::vector<double> observed(2000, 0);
    double sum = 0;
    for (int i = 0; i < draws; ++i) {
      std::array<int64_t, 1> k{};
      ASSERT_EQ(draw(rng, k), k[0]);
      ASSERT_GE(k[0], 0);
      ASSERT_LT(k[0], 2000);
      observed[static_cast<size_t>(k[0])] += 1;
      sum += static_cast<double>(k[0]);
    }
    EXPECT_NEAR(sum / draws, lambda, 4 * std::sqrt(lambda / draws) + 1e-12) << lambda;
    if (lambda == 0) continue;
    const auto fit = chi_square(observed, draws, [&](int64_t k) { return poisson_pmf(lambda, k); });
    if (fit.bins > 1) {
      EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1)) << lambda;
    }
  }
}

// Both ways of drawing (a Poisson total placed one by one when the total mean is small, one
// draw per category otherwise) give independent Poisson counts with the stated means.
TEST(PoissonSplit, CategoriesAreIndependentPoissonCountsInBothWaysOfDrawing) {
  const std::vector<std::vector<double>> cases = {{0.1, 0.25, 0, 0.4, 0.05},  // by total
                                                  {5, 30, 0, 400, 0.5}};      // per category
  for (const auto& means : cases) {
    const PoissonSplit draw(means);
    const size_t K = means.size();
    const int draws = 200000;
    Rng rng(99);
    std::vector<std::vector<double>> observed(K, std::vector<double>(2000, 0));
    std::vector<double> sum(K, 0);
    double product01 = 0;
    std::vector<int64_t> out(K);
    for (int i = 0; i < draws; ++i) {
      std::fill(out.begin(), out.end(), 0);
      const int64_t total = draw(rng, out);
      int64_t placed = 0;
      for (size_t c = 0; c < K; ++c) {
        ASSERT_LT(out[c], 2000);
        observed[c][static_cast<size_t>(out[c])] += 1;
        sum[c] += static_cast<double>(out[c]);
        placed += out[c];
      }
      ASSERT_EQ(total, placed);
      product01 += static_cast<double>(out[0] * out[1]);
    }
    for (size_t c = 0; c < K; ++c) {
      const double lambda = means[c];
      EXPECT_NEAR(sum[c] / draws, lambda, 4 * std::sqrt(lambda / draws) + 1e-12) << c;
      if (lambda == 0) continue;
      const auto fit =
          chi_square(observed[c], draws, [&](int64_t k) { return poisson_pmf(lambda, k); });
      if (fit.bins > 1) {
        EXPECT_LT(fit.statistic, chi_square_critical(fit.bins - 1)) << c;
      }
    }
    // Independent: E[X0 X1] = m0 m1 (the sd of X0 X1 is below sqrt(m0 m1 (1 + m0) (1 + m1))).
    const double m01 = means[0] * means[1];
    const double sd = std::sqrt(m01 * (1 + means[0]) * (1 + means[1]) / draws);
    EXPECT_NEAR(product01 / draws, m01, 5 * sd);
  }
}

TEST(LogFactorial, MatchesDirectSumsAcrossTheTableEdge) {
  double direct = 0;
  for (int k = 1; k <= 400; ++k) {
    direct += std::log(static_cast<double>(k));
    EXPECT_NEAR(log_factorial(k), direct, 1e-9 * direct) << k;
  }
}

TEST(Multinomial, ConservesTrialsAndHasBinomialMargins) {
  Rng rng(3);
  const std::vector<double> probs = {0.5, 0.3, 0.15};  // 0.05 left over: "none of these"
  const int draws = 50000;
  const int64_t n = 40;
  std::vector<double> sums(3, 0);
  for (int i = 0; i < draws; ++i) {
    int64_t out[3];
    const int64_t placed = sample_multinomial(rng, n, probs, out);
    ASSERT_EQ(placed, out[0] + out[1] + out[2]);
    ASSERT_LE(placed, n);
    for (int k = 0; k < 3; ++k) sums[static_cast<size_t>(k)] += static_cast<double>(out[k]);
  }
  for (size_t k = 0; k < 3; ++k) {
    const double mean = n * probs[k], sd = std::sqrt(n * probs[k] * (1 - probs[k]) / draws);
    EXPECT_NEAR(sums[k] / draws, mean, 4 * sd);
  }
  int64_t all[2];
  EXPECT_EQ(sample_multinomial(rng, 17, std::vector<double>{0.25, 0.75}, all), 17);
}

}  // namespace
}  // namespace careforce::projection
