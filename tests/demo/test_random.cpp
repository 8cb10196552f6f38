#include "demo/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace careforce::demo {
namespace {

TEST(DemoRandom, PortableLogMatchesTheLibraryLog) {
  for (double x : {1e-9, 0.001, 0.3, 0.5, 0.999, 1.0, 2.0, 10.0, 12345.678})
    EXPECT_NEAR(portable_log(x), std::log(x), 1e-12 * std::max(1.0, std::fabs(std::log(x)))) << x;
}

TEST(DemoRandom, SameSeedSameStreamDifferentStreamsDiffer) {
  Rng a(42, 1), b(42, 1), c(42, 2), d(43, 1);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.next();
    ASSERT_EQ(x, b.next());
    same_c += x == c.next();
    same_d += x == d.next();
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(DemoRandom, DistributionsHaveTheirMoments) {
  Rng rng(7);
  const int n = 200000;
  double u_sum = 0, e_sum = 0, z_sum = 0, z_sq = 0;
  int below_hits[5] = {};
  for (int i = 0; i < n; ++i) {
    u_sum += rng.uniform();
    e_sum += rng.exponential(4.0);
    const double z = rng.normal(10.0, 2.0, -1e9, 1e9);
    z_sum += z;
    z_sq += z * z;
    below_hits[rng.below(5)]++;
  }
  EXPECT_NEAR(u_sum / n, 0.5, 0.005);
  EXPECT_NEAR(e_sum / n, 4.0, 0.05);
  const double mean = z_sum / n;
  EXPECT_NEAR(mean, 10.0, 0.02);
  EXPECT_NEAR(std::sqrt(z_sq / n - mean * mean), 2.0, 0.02);
  for (int hits : below_hits) EXPECT_NEAR(hits / static_cast<double>(n), 0.2, 0.005);
  EXPECT_EQ(rng.normal(0, 1, -0.5, 0.5) <= 0.5, true);
}

TEST(DemoRandom, RoundRandomKeepsTheExpectation) {
  Rng rng(3);
  int64_t total = 0;
  for (int i = 0; i < 100000; ++i) total += rng.round_random(2.3);
  EXPECT_NEAR(total / 100000.0, 2.3, 0.01);
}

}  // namespace
}  // namespace careforce::demo
