#include "benchmarks/decimal.hpp"

#include <algorithm>
#include <cassert>

namespace careforce::benchmarks {
namespace {

using Int = __int128;

// 10^n for n in [0, 38].
Int pow10(int n) {
  assert(n >= 0 && n <= 38);
  Int value = 1;
  for (int i = 0; i < n; ++i) value *= 10;
  return value;
}

bool checked_mul(Int a, Int b, Int& out) {
  return !__builtin_mul_overflow(a, b, &out);
}

Int abs_value(Int v) {
  return v < 0 ? -v : v;
}

// Units of `d` rescaled to `scale` (>= d.scale()).
Int units_at(const Decimal& d, int scale) {
  Int out = 0;
  const bool ok = checked_mul(d.units(), pow10(scale - d.scale()), out);
  assert(ok && "decimal out of range");
  (void)ok;
  return out;
}

// Round a / b half away from zero; b != 0.
Int divide_half_away(Int a, Int b) {
  const bool negative = (a < 0) != (b < 0);
  const Int x = abs_value(a), y = abs_value(b);
  Int q = x / y;
  const Int r = x % y;
  if (r >= y - r) ++q;
  return negative ? -q : q;
}

std::string units_text(Int units, int scale) {
  const bool negative = units < 0;
  Int v = abs_value(units);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v != 0);
  while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  if (negative) digits.insert(digits.begin(), '-');
  return digits;
}

// Compare x1/y1 with x2/y2 for x >= 0, y > 0 exactly, without overflow (continued fractions).
std::strong_ordering compare_fractions(Int x1, Int y1, Int x2, Int y2) {
  bool flipped = false;
  for (;;) {
    std::strong_ordering order = std::strong_ordering::equal;
    const Int q1 = x1 / y1, q2 = x2 / y2;
    const Int r1 = x1 % y1, r2 = x2 % y2;
    if (q1 != q2) {
      order = q1 <=> q2;
    } else if (r1 == 0 || r2 == 0) {
      order = r1 <=> r2;  // the one with a remainder is larger
    } else {
      // r1/y1 vs r2/y2 is the reverse of y1/r1 vs y2/r2.
      x1 = y1;
      y1 = r1;
      x2 = y2;
      y2 = r2;
      flipped = !flipped;
      continue;
    }
    return flipped ? (0 <=> order) : order;
  }
}

}  // namespace

std::optional<Decimal> Decimal::parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && text[i] == '-') {
    negative = true;
    ++i;
  }
  Int units = 0;
  int integer_digits = 0, scale = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    units = units * 10 + (text[i] - '0');
    ++integer_digits;
    ++i;
  }
  if (integer_digits == 0 || integer_digits > kMaxIntegerDigits) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      units = units * 10 + (text[i] - '0');
      ++scale;
      ++i;
    }
    if (scale == 0 || scale > kMaxScale) return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  return from_units(negative ? -units : units, scale);
}

Decimal Decimal::from_integer(int64_t value) {
  return from_units(value, 0);
}

Decimal Decimal::from_units(__int128 units, int scale) {
  assert(scale >= 0 && scale <= 30);
  Decimal d;
  d.units_ = units;
  d.scale_ = scale;
  return d;
}

std::string Decimal::text() const {
  return units_text(units_, scale_);
}

std::string Decimal::short_text() const {
  std::string out = text();
  if (scale_ == 0) return out;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

double Decimal::to_double() const {
  return static_cast<double>(static_cast<long double>(units_) /
                             static_cast<long double>(pow10(scale_)));
}

Decimal Decimal::round(int places) const {
  assert(places >= 0);
  if (places >= scale_) return from_units(units_at(*this, places), places);
  return from_units(divide_half_away(units_, pow10(scale_ - places)), places);
}

std::string Decimal::format(int places, NumberStyle style) const {
  std::string out = units_text(round(places).units(), places);
  if (style == NumberStyle::trimmed && places > 0) {
    const size_t point = out.find('.');
    while (out.size() > point + 2 && out.back() == '0') out.pop_back();
  }
  return out;
}

Result<Decimal> Decimal::checked_add(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  Int a = 0, b = 0, sum = 0;
  if (!checked_mul(units_, pow10(scale - scale_), a) ||
      !checked_mul(other.units_, pow10(scale - other.scale_), b) ||
      __builtin_add_overflow(a, b, &sum))
    return make_error(ErrorCode::invalid_argument, "sum too large to compute exactly");
  return from_units(sum, scale);
}

Decimal Decimal::operator+(const Decimal& other) const {
  auto sum = checked_add(other);
  assert(sum.is_ok() && "decimal sum out of range");
  return sum.is_ok() ? *sum : Decimal();
}

Decimal Decimal::operator-(const Decimal& other) const {
  return *this + from_units(-other.units_, other.scale_);
}

Decimal Decimal::half() const {
  return from_units(units_ * 5, scale_ + 1);
}

std::strong_ordering Decimal::operator<=>(const Decimal& other) const {
  const int scale = std::max(scale_, other.scale_);
  return units_at(*this, scale) <=> units_at(other, scale);
}

Result<Decimal> ratio(const Decimal& numerator, const Decimal& denominator, int places) {
  if (places < 0 || places > 9)
    return make_error(ErrorCode::invalid_argument, "decimal places must be between 0 and 9");
  if (denominator.is_zero())
    return make_error(ErrorCode::invalid_argument, "ratio with a zero denominator");
  // n/10^sn ÷ d/10^sd × 10^p = n × 10^(sd+p) ÷ (d × 10^sn); common powers of ten cancel.
  const int common = std::min(denominator.scale() + places, numerator.scale());
  Int top = 0, bottom = 0;
  if (!checked_mul(numerator.units(), pow10(denominator.scale() + places - common), top) ||
      !checked_mul(denominator.units(), pow10(numerator.scale() - common), bottom))
    return make_error(ErrorCode::invalid_argument, "ratio too large to compute exactly");
  return Decimal::from_units(divide_half_away(top, bottom), places);
}

Result<Decimal> percent(const Decimal& numerator, const Decimal& denominator, int places) {
  // × 100 exactly: two more places on the numerator's scale.
  Int hundredfold = 0;
  if (!checked_mul(numerator.units(), 100, hundredfold))
    return make_error(ErrorCode::invalid_argument, "ratio too large to compute exactly");
  return ratio(Decimal::from_units(hundredfold, numerator.scale()), denominator, places);
}

std::strong_ordering compare_ratios(const Decimal& a, const Decimal& b, const Decimal& c,
                                    const Decimal& d) {
  assert(!b.is_negative() && !b.is_zero() && !d.is_negative() && !d.is_zero());
  const int s1 = std::max(a.scale(), b.scale()), s2 = std::max(c.scale(), d.scale());
  const Int x1 = units_at(a, s1), y1 = units_at(b, s1);
  const Int x2 = units_at(c, s2), y2 = units_at(d, s2);
  const bool neg1 = x1 < 0, neg2 = x2 < 0;
  if (neg1 != neg2) return neg1 ? std::strong_ordering::less : std::strong_ordering::greater;
  const auto order = compare_fractions(abs_value(x1), y1, abs_value(x2), y2);
  return neg1 ? (0 <=> order) : order;
}

}  // namespace careforce::benchmarks
