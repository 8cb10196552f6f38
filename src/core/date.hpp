#pragma once
// Calendar dates, months and financial years as small integers, so the columnar model
// stores them in 4 bytes and compares them with one instruction.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace careforce {

struct YearMonthDay {
  int year = 1970;
  int month = 1;  ///< 1..12
  int day = 1;    ///< 1..31
};

/// A civil date: days since 1970-01-01 (proleptic Gregorian).
struct Date {
  int32_t days = 0;

  static Date from_ymd(int year, int month, int day);
  YearMonthDay ymd() const;
  int year() const { return ymd().year; }
  /// Format as ISO `YYYY-MM-DD`.
  std::string iso() const;
  auto operator<=>(const Date&) const = default;
};

/// A calendar month: year * 12 + (month - 1).
struct Month {
  int32_t index = 0;

  static Month from_ym(int year, int month) { return Month{year * 12 + (month - 1)}; }
  static Month of(Date date);
  int year() const { return index / 12; }
  int month() const { return index % 12 + 1; }
  /// The last calendar day of the month (the census date).
  Date end() const;
  Date start() const { return Date::from_ymd(year(), month(), 1); }
  int days() const;
  /// Format as `YYYY-MM`.
  std::string iso() const;
  Month operator+(int months) const { return Month{index + months}; }
  Month operator-(int months) const { return Month{index - months}; }
  int operator-(Month other) const { return index - other.index; }
  auto operator<=>(const Month&) const = default;
};

bool is_leap_year(int year);
int days_in_month(int year, int month);
bool is_month_end(Date date);

/// Parse a strict ISO date `YYYY-MM-DD` that exists on the calendar.
std::optional<Date> parse_iso_date(std::string_view text);
/// Parse a strict period `YYYY-MM`.
std::optional<Month> parse_period(std::string_view text);

/// A financial year (April to March) by the calendar year it starts in: 2023 is 2023/24.
struct FinancialYear {
  int start_year = 2000;

  static FinancialYear of(Month month) {
    return {month.month() >= 4 ? month.year() : month.year() - 1};
  }
  /// The March month end at which the year is measured.
  Month march() const { return Month::from_ym(start_year + 1, 3); }
  /// Format as `2023/24`.
  std::string label() const;
  auto operator<=>(const FinancialYear&) const = default;
};

/// Parse `2023/24` (the second part must be the next year).
std::optional<FinancialYear> parse_financial_year(std::string_view text);

}  // namespace careforce
