#include "core/big_array.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <utility>
#include <vector>

namespace careforce {
namespace {

TEST(BigArray, HoldsWhatIsWrittenAtEverySize) {
  // Below, at and above one huge page (2 MiB), and not a whole number of them.
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, (size_t{2} << 20) / 8, size_t{300001}}) {
    BigArray<double> a(n);
    ASSERT_EQ(a.size(), n);
    EXPECT_EQ(a.span().size(), n);
    for (size_t i = 0; i < n; ++i) a[i] = static_cast<double>(i) * 0.5;
    double sum = 0;
    for (double x : std::as_const(a).span()) sum += x;
    EXPECT_DOUBLE_EQ(sum, n == 0 ? 0 : 0.25 * static_cast<double>(n) * static_cast<double>(n - 1));
    if (n > 0) {
      EXPECT_EQ(a.data(), &a[0]);
    }
  }
}

TEST(BigArray, ThreadsFillDisjointRanges) {
  const size_t n = size_t{3} << 20;
  BigArray<uint16_t> a(n);
  std::vector<std::thread> pool;
  for (size_t k = 0; k < 2; ++k)
    pool.emplace_back([&, k] {
      for (size_t i = k; i < n; i += 2) a[i] = static_cast<uint16_t>(i % 65521);
    });
  for (auto& t : pool) t.join();
  for (size_t i = 0; i < n; i += 4099) ASSERT_EQ(a[i], i % 65521) << i;
}

TEST(BigArray, MovesWithoutCopying) {
  BigArray<int32_t> a(size_t{1} << 20);
  a[12345] = 7;
  const int32_t* data = a.data();
  BigArray<int32_t> b = std::move(a);
  EXPECT_EQ(b.data(), data);
  EXPECT_EQ(b[12345], 7);
  EXPECT_EQ(b.size(), size_t{1} << 20);
  a = BigArray<int32_t>(3);  // a moved-from array can be assigned again
  EXPECT_EQ(a.size(), 3u);
}

}  // namespace
}  // namespace careforce
