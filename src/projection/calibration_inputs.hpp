#pragma once
// The counts calibration needs, extracted from the model with METRICS.md's snapshot method
// in this one file, so it can later be routed through the metrics module unchanged.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/workforce_model.hpp"
#include "projection/parameters.hpp"

namespace careforce::projection {

/// Counts for one (unit, role, age band) cell over the 12-month window (S, E].
struct CellCounts {
  double headcount_start = 0;  ///< Persons in the cell at S.
  double headcount_end = 0;    ///< Persons in the cell at E.
  double fte_end = 0;
  double leavers = 0;       ///< In the cell at S, not in it at E (snapshot method).
  double transfers = 0;     ///< Leavers still in the system at E.
  double retirements = 0;   ///< Leavers out of the system whose leavers.csv reason is retirement.
  double reason_known = 0;  ///< Leavers with a known reason (transfers count as non-retirement).
  std::array<double, kJoinerSources> joiners{};  ///< In the cell at E, not in the system at S.
};

/// Role-level counts from aggregate returns (no age, no person keys).
struct AggregateCounts {
  double headcount_end = 0, fte_end = 0, headcount_start = 0, leavers = 0, joiners = 0,
         international = 0;
  bool has_leavers = false;
};

struct CalibrationInputs {
  Month census_end;
  Month census_start;
  bool has_window = false;  ///< S is a snapshot month of the data.
  std::vector<std::string> places;
  bool by_place = false;
  std::vector<Unit> units;
  size_t roles = 0;
  /// Dense cells, index (unit * roles + role) * kAgeBands + age band.
  std::vector<CellCounts> cells;
  /// Aggregate returns per (unit * roles + role).
  std::vector<AggregateCounts> aggregates;
  /// Transfer counts: (origin unit-role, destination unit-role) -> persons.
  std::map<std::pair<uint32_t, uint32_t>, double> transfers;
  /// Funded FTE per unit-role at t = 0 from the organisations that sent establishment for
  /// the role, whether any did, and how many.
  std::vector<double> establishment_fte;
  std::vector<uint8_t> establishment_observed;
  std::vector<uint32_t> establishment_orgs;
  /// The organisations that sent none for the role: FTE in post at the census, and the
  /// vacant posts an aggregate return states, at its FTE per head.
  std::vector<double> unfunded_in_post_fte, unfunded_vacant_fte;
  /// Per staff group over the window: substantive pay and mean SIP FTE of paying orgs.
  std::vector<double> substantive_gbp, paid_fte;
  std::vector<double> bank_gbp, agency_gbp;
  int64_t temporary_pay_rows = 0;  ///< Pay rows in the window with bank or agency spend.
  double bank_hours = 0, bank_shift_gbp = 0, agency_hours = 0, agency_shift_gbp = 0;
  /// Filled bank and agency shift hours per staff group (for premiums against each group's
  /// own substantive pay).
  std::vector<double> bank_hours_by_group, agency_hours_by_group;
  /// Population per place per calendar year per age band.
  std::map<std::pair<uint32_t, int>, std::array<double, 18>> population;

  size_t unit_role(size_t unit, size_t role) const { return unit * roles + role; }
  size_t cell(size_t unit, size_t role, int age) const {
    return unit_role(unit, role) * kAgeBands + static_cast<size_t>(age);
  }
};

/// Extract the calibration counts for the 12 months ending at the latest census.
/// `by_place` keys units by sector and place, else by sector alone.
CalibrationInputs extract_calibration_inputs(const model::WorkforceModel& model,
                                             bool by_place = false);

}  // namespace careforce::projection
