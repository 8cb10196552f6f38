#pragma once
// Exact decimal arithmetic for published statistics. A published figure such as
// 2782.82577 is held as the integer 278282577 at scale 5, so sums are exact and a ratio is
// rounded once, half-up, by integer division: never through binary floating point, where
// 5.395000340936708 and 5.394999999 look alike.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace careforce::benchmarks {

/// How a rounded decimal is printed.
enum class NumberStyle : uint8_t {
  fixed,    ///< Always the requested places: 5.40, 3.00.
  trimmed,  ///< Trailing zeros dropped, at least one decimal kept: 5.4, 3.0 (NHS Digital CSVs).
};

class Decimal {
 public:
  /// Integer digits accepted by parse().
  static constexpr int kMaxIntegerDigits = 15;
  /// Decimal places accepted by parse() (published FTE can carry float artefacts such as
  /// 73956.96734999999, 14 places).
  static constexpr int kMaxScale = 18;

  Decimal() = default;
  /// Parse `[-]digits[.digits]` exactly; nullopt for anything else (no exponent, no spaces).
  static std::optional<Decimal> parse(std::string_view text);
  static Decimal from_integer(int64_t value);
  /// Build from raw units at a scale: (12345, 2) is 123.45.
  static Decimal from_units(__int128 units, int scale);

  __int128 units() const { return units_; }
  int scale() const { return scale_; }
  bool is_zero() const { return units_ == 0; }
  bool is_negative() const { return units_ < 0; }

  /// Exact text with all `scale()` places, e.g. "2782.82577", "-0.50", "3".
  std::string text() const;
  /// Exact text without trailing zeros: "2782.8257700" -> "2782.82577", "3.0" -> "3".
  std::string short_text() const;
  /// Nearest double (for charts only; never for rounding or comparisons).
  double to_double() const;

  /// Round half away from zero to `places` decimals (exact).
  Decimal round(int places) const;
  /// Format at `places` decimals, rounding half away from zero first.
  std::string format(int places, NumberStyle style) const;

  /// Exact sum, or an error when it cannot be held (beyond about 10^38 units).
  Result<Decimal> checked_add(const Decimal& other) const;
  /// Exact sum; the caller guarantees it fits (use checked_add() for sums of input).
  Decimal operator+(const Decimal& other) const;
  Decimal operator-(const Decimal& other) const;
  Decimal& operator+=(const Decimal& other) { return *this = *this + other; }
  /// Exact half (one more decimal place): the mean of two staff-in-post counts.
  Decimal half() const;

  std::strong_ordering operator<=>(const Decimal& other) const;
  bool operator==(const Decimal& other) const { return (*this <=> other) == 0; }

 private:
  __int128 units_ = 0;
  int scale_ = 0;
};

/// Return numerator / denominator × 100 rounded half away from zero to `places` decimals,
/// computed exactly. Fails on a zero denominator or when the result cannot be held.
Result<Decimal> percent(const Decimal& numerator, const Decimal& denominator, int places);

/// Return numerator / denominator rounded half away from zero to `places` decimals, exactly.
Result<Decimal> ratio(const Decimal& numerator, const Decimal& denominator, int places);

/// Compare a/b with c/d exactly (b, d > 0).
std::strong_ordering compare_ratios(const Decimal& a, const Decimal& b, const Decimal& c,
                                    const Decimal& d);

}  // namespace careforce::benchmarks
