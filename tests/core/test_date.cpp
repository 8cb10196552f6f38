#include "core/date.hpp"

#include <gtest/gtest.h>

namespace careforce {
namespace {

TEST(Date, RoundTripsIsoDates) {
  for (const char* text : {"1970-01-01", "2000-02-29", "2024-03-31", "1899-12-31", "2099-12-31"}) {
    auto date = parse_iso_date(text);
    ASSERT_TRUE(date) << text;
    EXPECT_EQ(date->iso(), text);
  }
  EXPECT_EQ(Date::from_ymd(1970, 1, 1).days, 0);
  EXPECT_EQ(Date::from_ymd(2024, 3, 31).days - Date::from_ymd(2023, 3, 31).days, 366);
}

TEST(Date, RejectsDatesThatDoNotExistOrAreNotIso) {
  for (const char* text : {"2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "24-03-31",
                           "2024/03/31", "2024-3-31", "31/03/2024", "2024-03-31 ", "", "abcd-ef-gh",
                           "2024-03-3x", "+024-03-31"})
    EXPECT_FALSE(parse_iso_date(text)) << text;
}

TEST(Date, MonthEnds) {
  EXPECT_TRUE(is_month_end(*parse_iso_date("2024-02-29")));
  EXPECT_FALSE(is_month_end(*parse_iso_date("2023-02-27")));
  EXPECT_TRUE(is_month_end(*parse_iso_date("2023-02-28")));
  EXPECT_EQ(Month::from_ym(2024, 2).end().iso(), "2024-02-29");
  EXPECT_EQ(Month::of(*parse_iso_date("2024-03-15")).iso(), "2024-03");
  EXPECT_EQ((Month::from_ym(2024, 3) - 12).iso(), "2023-03");
  EXPECT_EQ(Month::from_ym(2024, 1) - Month::from_ym(2023, 3), 10);
}

TEST(Date, Periods) {
  EXPECT_EQ(parse_period("2024-03")->iso(), "2024-03");
  EXPECT_FALSE(parse_period("2024-13"));
  EXPECT_FALSE(parse_period("2024-3"));
  EXPECT_FALSE(parse_period("2024-03-31"));
}

TEST(Date, FinancialYears) {
  EXPECT_EQ(FinancialYear::of(Month::from_ym(2024, 3)).label(), "2023/24");
  EXPECT_EQ(FinancialYear::of(Month::from_ym(2024, 4)).label(), "2024/25");
  EXPECT_EQ(FinancialYear{1999}.label(), "1999/00");
  EXPECT_EQ(parse_financial_year("2023/24")->march().iso(), "2024-03");
  EXPECT_FALSE(parse_financial_year("2023/25"));
  EXPECT_FALSE(parse_financial_year("2023-24"));
}

}  // namespace
}  // namespace careforce
