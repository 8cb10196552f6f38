#include "metrics/disclosure.hpp"

#include <cmath>

#include "metrics/registry.hpp"

namespace careforce::metrics {

namespace {

/// A person count from 1 to 4 (means of counts below 5 included).
bool small_count(double persons) {
  return !std::isnan(persons) && persons > 0 && persons < 5;
}

/// Whether a numerator or denominator declared as `quantity` holds a count in this result:
/// the FTE basis of a headcount metric (turnover, stability, rolling turnover) holds FTE.
bool holds_count(Quantity quantity, const MetricResult& r) {
  return quantity == Quantity::count && r.basis != "fte";
}

}  // namespace

double round_to_5(double count) {
  if (std::isnan(count)) return count;
  return std::round(count / 5.0) * 5.0;
}

void apply_disclosure_control(std::vector<MetricResult>& results) {
  for (auto& r : results) {
    if (!r.available) continue;
    const MetricDecl* d = find_metric(r.metric);
    if (!d) continue;
    if (small_count(r.numerator_persons)) {
      r.numerator_suppressed = true;
      r.value_suppressed = true;
    }
    if (small_count(r.denominator_persons)) {
      r.denominator_suppressed = true;
      r.value_suppressed = true;
    }
    if (holds_count(d->numerator_quantity, r) && !r.numerator_suppressed)
      r.numerator = round_to_5(r.numerator);
    if (holds_count(d->denominator_quantity, r) && !r.denominator_suppressed)
      r.denominator = round_to_5(r.denominator);
    if (d->value_kind == ValueKind::amount && holds_count(d->numerator_quantity, r) &&
        !r.value_suppressed)
      r.value = r.numerator;
    if (r.value_suppressed) r.value = kNaN;
    if (r.numerator_suppressed) r.numerator = kNaN;
    if (r.denominator_suppressed) r.denominator = kNaN;
  }
}

}  // namespace careforce::metrics
