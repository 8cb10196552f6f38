#include "benchmarks/cross_check.hpp"

#include <fmt/core.h>

namespace careforce::benchmarks {

Result<CrossCheck> cross_check(const BenchmarkSet& set, const CrossCheckInput& input) {
  const MetricSpec* metric = find_metric(input.metric);
  if (!metric || metric->kind != MetricKind::percent)
    return make_error(ErrorCode::invalid_argument,
                      "cannot cross-check '" + input.metric + "': not a published rate");
  if (input.numerator.is_negative() || input.denominator.is_negative())
    return make_error(ErrorCode::invalid_argument, "own numerator and denominator must be >= 0");
  const Series* published = set.find(input.metric, input.period, input.org_code, input.staff_group);
  if (!published || !published->denominator)
    return make_error(ErrorCode::not_found,
                      fmt::format("no published {} for {} in {}", input.metric, input.org_code,
                                  input.period.iso()));

  const int places = metric->places;
  CrossCheck out;
  out.org_code = input.org_code;
  out.org_name = published->org_name;
  out.metric = input.metric;
  out.period = input.period;
  out.own_numerator = input.numerator;
  out.own_denominator = input.denominator;
  out.published_numerator = published->numerator;
  out.published_denominator = *published->denominator;
  out.numerator_difference = input.numerator - published->numerator;
  out.denominator_difference = input.denominator - *published->denominator;
  out.source = published->source_file + ":" + std::to_string(published->source_line);

  CF_ASSIGN_OR_RETURN(Decimal published_value,
                      percent(published->numerator, *published->denominator, places));
  if (!published->published_value.empty()) {
    // The publisher's own text is the figure to match; it is validated as a decimal on import.
    published_value = Decimal::parse(published->published_value).value_or(published_value);
    out.published_value = published->published_value;
  } else {
    out.published_value = published_value.format(places, metric->style);
  }

  if (!out.numerator_difference.is_zero())
    out.differences.push_back(fmt::format(
        "{} differs by {} ({} own, {} published)", metric->numerator_meaning,
        out.numerator_difference.text(), input.numerator.text(), published->numerator.text()));
  if (!out.denominator_difference.is_zero())
    out.differences.push_back(
        fmt::format("{} differs by {} ({} own, {} published)", metric->denominator_meaning,
                    out.denominator_difference.text(), input.denominator.text(),
                    published->denominator->text()));
  if (input.denominator.is_zero()) {
    out.differences.push_back("own denominator is zero: no rate to compare");
    return out;
  }
  CF_ASSIGN_OR_RETURN(Decimal own_value, percent(input.numerator, input.denominator, places));
  out.own_value = own_value.format(places, metric->style);
  const Decimal gap = own_value - published_value.round(places);
  out.value_difference = gap.format(places, NumberStyle::fixed);
  out.value_matches = gap.is_zero();
  if (!out.value_matches)
    out.differences.push_back(
        fmt::format("rate differs by {} percentage points ({} own, {} "
                    "published)",
                    out.value_difference, out.own_value, out.published_value));
  return out;
}

}  // namespace careforce::benchmarks
