#pragma once
// Every metric is declared once here (registry.cpp): its name, unit, family, the files it
// needs and its definition. The engine, the CLI help, the API's metric list and
// docs/metrics.md all read these declarations.

#include <string>
#include <string_view>
#include <vector>

#include "core/schema.hpp"

namespace careforce::metrics {

/// How a result's value is formed from its numerator and denominator.
enum class ValueKind : uint8_t {
  percent,   ///< numerator / denominator x 100
  per_100k,  ///< numerator / denominator x 100,000
  ratio,     ///< numerator / denominator
  amount,    ///< the numerator itself (a count, FTE, hours or pounds)
};

/// What a numerator or denominator measures (disclosure control rounds `count` only).
enum class Quantity : uint8_t { none, count, fte, fte_days, gbp, hours, population };

struct MetricDecl {
  std::string name;
  std::string label;
  std::string unit;    ///< `%`, `headcount`, `FTE`, `hours`, `GBP`, `residents per FTE`, ...
  std::string family;  ///< staff_in_post, turnover, vacancy, sickness, temporary_staffing, ...
  ValueKind value_kind = ValueKind::percent;
  Quantity numerator_quantity = Quantity::count;
  Quantity denominator_quantity = Quantity::count;
  /// Files a record-level organisation needs (all of them) to contribute.
  std::vector<FileKind> record_files;
  /// Whether aggregate organisations contribute (from aggregate_returns.csv).
  bool aggregate = false;
  /// What the result's `category` holds ("" when the metric has no categories).
  std::string category;
  /// Only these scope types ("" = every scope type); e.g. "system,place".
  std::string scopes;
  /// Breakdown available: "staff_group,role", "staff_group" or "" (all staff only).
  std::string breakdowns = "staff_group,role";
  std::string description;
  std::string numerator;
  std::string denominator;
  std::string example;
};

/// All metrics, in the order they are reported.
const std::vector<MetricDecl>& metric_registry();
/// The declaration of a metric by name, or nullptr.
const MetricDecl* find_metric(std::string_view name);
/// Name of a file kind as the data standard spells it (`staff_in_post.csv`).
std::string file_name(FileKind kind);
/// The list of metrics for `careforce metrics --help` (one line each).
std::string metrics_help_text();
/// docs/metrics.md, generated from the registry.
std::string metrics_markdown();

}  // namespace careforce::metrics
