#pragma once
// Run the projection: calibrate, compile the baseline and each scenario, simulate N
// replicates on threads (results do not depend on the thread count), and summarise every
// scope and year as P10/P50/P90. run_projection() returns the exact CLI output.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "model/workforce_model.hpp"
#include "projection/calibration.hpp"
#include "projection/parameters.hpp"
#include "projection/scenario.hpp"

namespace careforce::projection {

struct BaselineRecord;

struct ProjectionOptions {
  int years = 15;                           ///< Projection horizon in financial years.
  int runs = 1000;                          ///< Replicates.
  uint64_t seed = 20240331;                 ///< Run seed; same seed, same numbers.
  std::vector<std::string> scenario_files;  ///< TOML files, each one scenario.
  std::vector<Scenario> scenarios;          ///< Already parsed scenarios (API, tests).
  /// Scopes: `system`, `sectors`, `places`, `all`, `sector:<code>`, `place:<name>`.
  std::vector<std::string> scopes = {"system"};
  /// Cells: `sector`, `sector_place`, or `auto` (by place when a scope or an intervention
  /// names a place, or calibration.by_place is set). Applies when project() calibrates.
  std::string cells = "auto";
  std::string format = "table";       ///< table, csv or json.
  bool explain = false;               ///< Print the assumptions in plain English instead.
  double gap_threshold = 0;           ///< Report P(gap > threshold) per scope and year.
  int threads = 0;                    ///< 0 = hardware threads.
  bool parameter_uncertainty = true;  ///< Draw leaver rates and productivity per replicate.
  bool attribution = true;            ///< Estimate how much of the gap each intervention closes.
  int attribution_runs = 200;         ///< Replicates for the attribution (system totals).
  bool include_baseline = true;       ///< false: re-run only the scenarios (baseline cached).
  /// Keep the baseline's replicates in the result (ProjectionResult::baseline_record).
  bool keep_baseline_record = false;
  /// A baseline record from an earlier run (same calibration, seed and scopes or wider):
  /// scenarios then simulate only the lines they change. Numbers are identical either way.
  std::shared_ptr<const BaselineRecord> baseline_record;
  CalibrationOptions calibration;

  /// Check ranges and names; the message names the option.
  Status validate() const;
};

struct Quantiles {
  double p10 = 0, p50 = 0, p90 = 0;
};

struct SeriesRow {
  std::string scenario;
  int t = 0;
  FinancialYear year;
  std::string scope_type, scope, staff_group, role_code;
  Quantiles supply, demand, gap, cost_gbp;
  double p_gap_exceeds = 0;
};

struct AttributionRow {
  std::string scenario, intervention, type;
  int t = 0;
  FinancialYear year;
  Quantiles gap_closed_fte;
};

struct ProjectionResult {
  ProjectionOptions options;
  Calibration calibration;
  std::vector<Scenario> scenarios;  ///< Parsed, without the baseline.
  std::vector<SeriesRow> series;
  std::vector<AttributionRow> attribution;
  /// The baseline's replicates, when asked for and under the memory cap.
  std::shared_ptr<const BaselineRecord> baseline_record;
};

/// Return the q-quantile (0..1) by partial sort with linear interpolation (type 7).
double quantile(std::vector<float>& values, double q);

/// Return the 0.1, 0.5 and 0.9 quantiles exactly as quantile() does, reordering `values`.
Quantiles quantiles_in_place(std::span<float> values);

/// Calibrate, run the baseline and every scenario, and summarise.
Result<ProjectionResult> project(const model::WorkforceModel& model,
                                 const ProjectionOptions& options);
/// Run with a calibration already made (re-runs for one scope reuse it).
Result<ProjectionResult> project(const Calibration& calibration, const ProjectionOptions& options);

/// Format as the CLI prints it: table, csv or json.
std::string format_result(const ProjectionResult& result);
/// Describe the assumptions in plain English for a board paper.
std::string explain(const Calibration& calibration, const std::vector<Scenario>& scenarios,
                    const ProjectionOptions& options);

/// The CLI in one call: `careforce project` prints exactly this string.
Result<std::string> run_projection(const model::WorkforceModel& model,
                                   const ProjectionOptions& options);

}  // namespace careforce::projection
