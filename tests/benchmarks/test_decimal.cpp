#include <gtest/gtest.h>

#include <fmt/core.h>

#include "benchmarks/decimal.hpp"

namespace careforce::benchmarks {
namespace {

Decimal dec(std::string_view text) {
  auto d = Decimal::parse(text);
  EXPECT_TRUE(d.has_value()) << text;
  return d.value_or(Decimal());
}

std::string pct(std::string_view num, std::string_view den, int places,
                NumberStyle style = NumberStyle::fixed) {
  auto value = percent(dec(num), dec(den), places);
  EXPECT_TRUE(value.is_ok());
  return value.is_ok() ? value->format(places, style) : "";
}

TEST(Decimal, ParsesPublishedTextExactly) {
  EXPECT_EQ(dec("2782.82577").text(), "2782.82577");
  EXPECT_EQ(dec("2782.82577").scale(), 5);
  EXPECT_EQ(dec("73956.96734999999").text(), "73956.96734999999");
  EXPECT_EQ(dec("-0.50").text(), "-0.50");
  EXPECT_EQ(dec("0").text(), "0");
  EXPECT_EQ(dec("3.0").short_text(), "3");
  EXPECT_EQ(dec("1982770.96060000000000").short_text(), "1982770.9606");
}

TEST(Decimal, RejectsAnythingButPlainDecimals) {
  for (const char* bad : {"", "-", "1.", ".5", "1e5", " 1", "1 ", "1,000", "+1", "1.2.3", "NaN",
                          "1234567890123456", "0.1234567890123456789"})
    EXPECT_FALSE(Decimal::parse(bad).has_value()) << bad;
}

TEST(Decimal, SumsExactlyWhereBinaryFloatingPointDoesNot) {
  EXPECT_NE(0.1 + 0.2, 0.3);
  EXPECT_EQ(dec("0.1") + dec("0.2"), dec("0.3"));
  EXPECT_EQ((dec("0.1") + dec("0.2")).text(), "0.3");
  EXPECT_EQ((dec("22490") + dec("22555")).half().text(), "22522.5");
  EXPECT_EQ((dec("1.5") - dec("2.25")).text(), "-0.75");
}

TEST(Decimal, RoundsHalfUpOnTheBoundary) {
  // 5.395 is 5.39499999999999957367... as a double, so printf-style rounding goes down.
  EXPECT_EQ(fmt::format("{:.2f}", 5.395), "5.39");
  EXPECT_EQ(dec("5.395").round(2).text(), "5.40");
  EXPECT_EQ(dec("5.3950003").round(2).text(), "5.40");
  EXPECT_EQ(dec("5.3949999").round(2).text(), "5.39");
  EXPECT_EQ(dec("0.005").round(2).text(), "0.01");
  EXPECT_EQ(dec("0.0049999").round(2).text(), "0.00");
  EXPECT_EQ(dec("-0.005").round(2).text(), "-0.01");  // half away from zero
  EXPECT_EQ(dec("2.5").round(0).text(), "3");         // not banker's rounding
  EXPECT_EQ(dec("3.5").round(0).text(), "4");
  EXPECT_EQ(dec("1.2").round(3).text(), "1.200");
}

TEST(Decimal, PercentRoundsOnceFromTheExactRatio) {
  // RLY, April 2024: 2782.82577 / 51581.56801 x 100 = 5.3950003409..., published as 5.4.
  EXPECT_EQ(pct("2782.82577", "51581.56801", 2), "5.40");
  EXPECT_EQ(pct("2782.82577", "51581.56801", 2, NumberStyle::trimmed), "5.4");
  EXPECT_EQ(pct("1", "8", 2), "12.50");
  EXPECT_EQ(pct("1", "16", 1), "6.3");     // 6.25 exactly: half goes up
  EXPECT_EQ(pct("1", "1600", 2), "0.06");  // 0.0625
  EXPECT_EQ(pct("1", "3", 2), "33.33");
  EXPECT_EQ(pct("2", "3", 2), "66.67");
  EXPECT_EQ(pct("5.395", "100", 4), "5.3950");
  EXPECT_EQ(pct("0.05395", "1", 2), "5.40");  // exactly on the boundary
  EXPECT_EQ(pct("316", "22522.5", 2), "1.40");
  // Rounding in steps (5.645, 5.65, 5.7) would give 5.7; rounding once gives 5.6.
  EXPECT_EQ(pct("5.6449", "100", 1), "5.6");
}

TEST(Decimal, TrimmedStyleMatchesThePublishersPrinting) {
  EXPECT_EQ(dec("5.40").format(2, NumberStyle::trimmed), "5.4");
  EXPECT_EQ(dec("3.00").format(2, NumberStyle::trimmed), "3.0");
  EXPECT_EQ(dec("12.34").format(2, NumberStyle::trimmed), "12.34");
  EXPECT_EQ(dec("12.345").format(0, NumberStyle::trimmed), "12");
  EXPECT_EQ(dec("5.40").format(2, NumberStyle::fixed), "5.40");
}

TEST(Decimal, ZeroDenominatorIsAnErrorNotAnInfinity) {
  auto value = percent(dec("1"), dec("0.000"), 2);
  ASSERT_FALSE(value.is_ok());
  EXPECT_EQ(value.error().message, "ratio with a zero denominator");
  EXPECT_FALSE(ratio(dec("1"), dec("2"), 10).is_ok());
}

TEST(Decimal, ComparesRatiosExactly) {
  EXPECT_EQ(compare_ratios(dec("1"), dec("3"), dec("0.333333"), dec("1")),
            std::strong_ordering::greater);
  EXPECT_EQ(compare_ratios(dec("2"), dec("4"), dec("1"), dec("2")), std::strong_ordering::equal);
  EXPECT_EQ(compare_ratios(dec("2782.82577"), dec("51581.56801"), dec("5.395"), dec("100")),
            std::strong_ordering::greater);
  EXPECT_EQ(compare_ratios(dec("-1"), dec("2"), dec("0"), dec("1")), std::strong_ordering::less);
  EXPECT_EQ(compare_ratios(dec("-1"), dec("3"), dec("-1"), dec("4")), std::strong_ordering::less);
  EXPECT_EQ(compare_ratios(dec("355"), dec("113"), dec("22"), dec("7")),
            std::strong_ordering::less);
}

TEST(Decimal, ComparesValuesAcrossScales) {
  EXPECT_EQ(dec("5.4"), dec("5.40000"));
  EXPECT_LT(dec("5.39"), dec("5.4"));
  EXPECT_GT(dec("-0.1"), dec("-0.11"));
}

}  // namespace
}  // namespace careforce::benchmarks
