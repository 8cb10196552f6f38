#pragma once
// Turn the snapshot-method counts into model parameters, each with its provenance.

#include "model/workforce_model.hpp"
#include "projection/calibration_inputs.hpp"
#include "projection/parameters.hpp"

namespace careforce::projection {

struct CalibrationOptions {
  /// Cells by sector x place (place scopes available) instead of by sector (faster).
  bool by_place = false;
  /// Pseudo-observations pulling a small (role, age band) cell toward the role's rate.
  double leaver_shrinkage = 20;
  /// Pseudo-observations pulling a small cell's FTE per head toward its line's mean.
  double fte_shrinkage = 5;
  /// Pseudo-observations pulling an age band's retirement share toward the all-ages share.
  double retirement_shrinkage = 10;
};

/// Default annual leaver probability for a role with no observed window.
double default_leaver_rate(uint8_t role);
/// Default substantive cost per FTE a year (GBP) for a staff group with no pay data.
double default_unit_cost(uint8_t staff_group);

/// Calibrate every parameter from the extracted counts.
Calibration calibrate(const CalibrationInputs& inputs, const CalibrationOptions& options = {});
/// Extract and calibrate in one call.
Calibration calibrate(const model::WorkforceModel& model, const CalibrationOptions& options = {});

}  // namespace careforce::projection
