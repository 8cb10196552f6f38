#include "core/result.hpp"

#include <gtest/gtest.h>

namespace careforce {
namespace {

Result<int> parse_positive(int x) {
  if (x <= 0) return make_error(ErrorCode::invalid_argument, "x must be positive");
  return x;
}

Status double_it(int x, int& out) {
  CF_ASSIGN_OR_RETURN(int value, parse_positive(x));
  out = value * 2;
  return Status::ok();
}

TEST(Result, CarriesValueOrError) {
  auto good = parse_positive(3);
  ASSERT_TRUE(good);
  EXPECT_EQ(*good, 3);
  auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::invalid_argument);
  EXPECT_STREQ(error_code_name(bad.error().code), "invalid_argument");
}

TEST(Result, MacrosPropagateErrors) {
  int out = 0;
  EXPECT_TRUE(double_it(4, out).is_ok());
  EXPECT_EQ(out, 8);
  Status status = double_it(0, out);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.message(), "x must be positive");
}

}  // namespace
}  // namespace careforce
