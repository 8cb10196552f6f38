#pragma once
// Disclosure control for users who may not see record-level data (METRICS.md): person
// counts 1-4 are suppressed with the rates and FTE they feed; other counts are rounded
// to the nearest 5; zero stays zero.

#include <vector>

#include "metrics/engine.hpp"

namespace careforce::metrics {

/// Round a count to the nearest 5 (zero stays zero).
double round_to_5(double count);
/// Suppress and round the results in place.
void apply_disclosure_control(std::vector<MetricResult>& results);

}  // namespace careforce::metrics
