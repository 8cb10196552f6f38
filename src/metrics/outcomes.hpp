#pragma once
// The outcomes framework: targets.csv trajectories against actuals at each financial
// year's March month end, with a RAG rating and the direction of travel.

#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "metrics/engine.hpp"
#include "model/workforce_model.hpp"

namespace careforce::metrics {

struct OutcomesOptions {
  /// Amber when missed by no more than this fraction of the target value.
  double amber_tolerance = 0.10;
  /// The model's metrics index, if built (EngineOptions::index).
  std::shared_ptr<const ModelIndex> index = nullptr;
  Status validate() const;
};

struct OutcomeRow {
  std::string indicator;
  std::string scope;  ///< As in targets.csv: `system`, `sector:acute`, `org:RAA`.
  FinancialYear year;
  double actual = kNaN;
  double target = kNaN;
  double previous = kNaN;  ///< The actual a year earlier.
  Direction direction = Direction::lower_is_better;
  std::string rag;     ///< green, amber, red, or n/a when the actual is not available.
  std::string travel;  ///< improving, worsening, no change, or n/a.
  std::string note;    ///< Why the actual is missing, if it is.
};

/// Rate an actual against a target: green when met, amber within the tolerance, else red.
std::string rag_rating(double actual, double target, Direction direction, double tolerance);
/// Compare with the previous year's actual given the direction.
std::string direction_of_travel(double actual, double previous, Direction direction);
/// One row per target, ordered by indicator, scope and year.
Result<std::vector<OutcomeRow>> compute_outcomes(const model::WorkforceModel& model,
                                                 const OutcomesOptions& options);

}  // namespace careforce::metrics
