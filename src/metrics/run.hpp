#pragma once
// The `careforce metrics` and `careforce outcomes` commands as library functions: the CLI
// parses into these option structs and prints what they return.

#include <string>
#include <vector>

#include "core/result.hpp"
#include "model/workforce_model.hpp"

namespace careforce::metrics {

/// Options of `careforce metrics` (the --db is opened by the CLI).
struct MetricsOptions {
  std::string at;                    ///< YYYY-MM; empty = the latest snapshot month.
  std::string scope;                 ///< system, place, sector or org; empty = all.
  std::string by = "staff_group";    ///< staff_group, role, or none (all staff only).
  std::vector<std::string> metrics;  ///< Empty = every metric.
  std::string format = "table";      ///< table, csv or json.
  bool suppress = false;             ///< Apply disclosure control.
  bool rolling_fte_basis = false;    ///< Rolling turnover on FTE basis.
  std::vector<std::string> rolling_exclude{"rotation"};  ///< Leaver reasons left out.
  std::string series_from;  ///< YYYY-MM: a monthly series from here to `at`.
  /// Check every option; messages name the option.
  Status validate() const;
};

/// Options of `careforce outcomes`.
struct OutcomesRunOptions {
  std::string format = "table";
  double amber_tolerance = 0.10;
  Status validate() const;
};

/// Compute and format exactly what `careforce metrics` prints.
Result<std::string> run_metrics(const model::WorkforceModel& model, const MetricsOptions& options);
/// Compute and format exactly what `careforce outcomes` prints.
Result<std::string> run_outcomes(const model::WorkforceModel& model,
                                 const OutcomesRunOptions& options);

}  // namespace careforce::metrics
