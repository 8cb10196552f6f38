#pragma once
// A hand-built calibration: lines with chosen headcounts and rates, no population data,
// no parameter spread, so tests can state the closed-form answer.

#include <numeric>

#include "projection/calibration.hpp"
#include "projection/parameters.hpp"

namespace careforce::projection::testing {

inline Calibration blank_calibration() {
  Calibration cal;
  cal.census = Month::from_ym(2025, 3);
  cal.base_year = FinancialYear::of(cal.census);
  cal.has_window = true;
  cal.places = {"North", "South"};
  cal.by_place = true;
  cal.units = {Unit{Sector::acute, 0}, Unit{Sector::primary_care, 0}, Unit{Sector::social_care, 1}};
  const size_t nroles = roles().size();
  cal.leaver_rate.assign(nroles, {});
  cal.leaver_rate_relative_spread.assign(nroles, 0.0);
  cal.joiner_age_share.assign(nroles, {});
  for (auto& share : cal.joiner_age_share) share[2] = 1.0;  // joiners aged 25-29
  cal.unit_cost_per_fte.assign(staff_groups().size(), 40000);
  cal.productivity_spread = 0;
  for (auto& w : cal.demand_weight) w.fill(1.0);
  return cal;
}

inline uint8_t role_index(const char* code) {
  return *roles().find(code);
}

/// Add a line of `heads` people in one age band, leaver rate `p` for its role.
inline void add_line(Calibration& cal, uint16_t unit, const char* role, int64_t heads, int age_band,
                     double p) {
  Line line;
  line.unit = unit;
  line.role = role_index(role);
  line.headcount[static_cast<size_t>(age_band)] = heads;
  line.fte_per_head.fill(1.0);
  line.establishment_fte = static_cast<double>(heads);
  line.establishment_observed = true;
  cal.leaver_rate[line.role].fill(p);
  cal.lines.push_back(line);
}

}  // namespace careforce::projection::testing
