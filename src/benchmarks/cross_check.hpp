#pragma once
// Cross-check: a partner's own computed figure against the one NHS Digital published for the
// same organisation (ODS code) and month, rounded the same way.

#include <string>
#include <vector>

#include "benchmarks/benchmark_set.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::benchmarks {

struct CrossCheckInput {
  std::string org_code;  ///< The partner's ODS code.
  Month period;
  std::string metric = "sickness_absence_rate";
  std::string staff_group = std::string(kAllStaffGroups);
  Decimal numerator;    ///< The partner's own numerator (e.g. FTE days lost).
  Decimal denominator;  ///< The partner's own denominator (e.g. FTE days available).
};

struct CrossCheck {
  std::string org_code;
  std::string org_name;
  std::string metric;
  Month period;
  Decimal own_numerator;
  Decimal own_denominator;
  std::string own_value;  ///< Rounded like the publication ("" for a zero denominator).
  Decimal published_numerator;
  Decimal published_denominator;
  std::string published_value;     ///< The publisher's text, or its rounding when not published.
  Decimal numerator_difference;    ///< own − published.
  Decimal denominator_difference;  ///< own − published.
  std::string value_difference;    ///< own − published in percentage points, at the places.
  bool value_matches = false;      ///< Rounded values are equal.
  std::vector<std::string> differences;  ///< One sentence per differing quantity.
  std::string source;                    ///< file:line of the published figure.
};

/// Compare an organisation's own figure with the published one; not_found when the
/// publication has no figure for that organisation and month.
Result<CrossCheck> cross_check(const BenchmarkSet& set, const CrossCheckInput& input);

}  // namespace careforce::benchmarks
