#include "metrics/disclosure.hpp"

#include <cmath>

#include "metrics/registry.hpp"

namespace careforce::metrics {

namespace {

/// A person count from 1 to 4 (means of counts below 5 included).
bool small_count(double persons) {
  return !std::isnan(persons) && persons > 0 && persons < 5;
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
    if (d->numerator_quantity == Quantity::count && !r.numerator_suppressed)
      r.numerator = round_to_5(r.numerator);
    if (d->denominator_quantity == Quantity::count && !r.denominator_suppressed)
      r.denominator = round_to_5(r.denominator);
    if (d->value_kind == ValueKind::amount && d->numerator_quantity == Quantity::count &&
        !r.value_suppressed)
      r.value = r.numerator;
    if (r.value_suppressed) r.value = kNaN;
    if (r.numerator_suppressed) r.numerator = kNaN;
    if (r.denominator_suppressed) r.denominator = kNaN;
  }
}

}  // namespace careforce::metrics
