#pragma once
// Calibrated parameters with their provenance, and the tables the supply and demand
// kernels read. Every number a user can see records where it came from.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "core/date.hpp"

namespace careforce::projection {

/// Five-year age bands of staff: `<20`, `20-24`, ... `65-69`, `70+`.
inline constexpr int kAgeBands = 12;
/// Return the label of a staff age band.
const char* age_band_label(int band);
/// Return the staff age band for an age in whole years.
int age_band_of(int age);

/// Joiner sources from outside the system, as the model moves them.
enum class JoinerSource : uint8_t {
  newly_qualified,
  international,
  return_to_practice,
  apprenticeship,
  other
};
inline constexpr int kJoinerSources = 5;
const char* joiner_source_name(JoinerSource source);
/// Map a recruitment_source code (core RecruitmentSource) to the model's joiner source.
JoinerSource joiner_source_of(RecruitmentSource source);

enum class Provenance : uint8_t { observed, default_value, user };
/// Return `observed`, `default` or `user`.
const char* provenance_name(Provenance provenance);

/// One reported parameter: its value, spread, and where it came from.
struct Parameter {
  std::string name;  ///< e.g. `leaver_rate[care_worker|25-29]`.
  double value = 0;
  double spread = 0;  ///< Standard deviation used when drawing replicates (0 = fixed).
  Provenance provenance = Provenance::default_value;
  int64_t sample_size = 0;  ///< Persons or events behind an observed value.
  std::string note;         ///< Source or method in a few words.
};

/// Unit::place when cells are by sector only (every place together).
inline constexpr uint32_t kAllPlaces = UINT32_MAX;

/// A supply unit: one sector, in one place or in all places (the state's "sector").
struct Unit {
  Sector sector = Sector::other;
  uint32_t place = 0;  ///< Index into Calibration::places.
};

/// A transfer destination of a line's leavers.
struct TransferShare {
  uint32_t line = 0;  ///< Destination line.
  double share = 0;   ///< Share of the origin's non-retirement leavers who move there.
};

/// One (unit, role) with its age-band cells.
struct Line {
  uint16_t unit = 0;
  uint8_t role = 0;
  std::array<int64_t, kAgeBands> headcount{};    ///< At t = 0.
  std::array<double, kAgeBands> fte_per_head{};  ///< Observed mean, shrunk for small cells.
  double establishment_fte = 0;                  ///< Funded FTE at t = 0.
  bool establishment_observed = false;           ///< Some organisation sent it for the role.
  double funded_fte_sent = 0;       ///< The part sent as establishment (the rest is in post).
  uint32_t establishment_orgs = 0;  ///< Organisations that sent it for the role.
  std::array<double, kJoinerSources> joiners_per_year{};  ///< Baseline external joiners.
  std::vector<TransferShare> transfers;
};

struct Calibration {
  Month census;             ///< t = 0.
  FinancialYear base_year;  ///< Financial year of the census.
  bool has_window = false;  ///< Whether a 12-month window was observed.
  std::vector<std::string> places;
  bool by_place = false;  ///< Units are sector x place (else sector, all places together).
  std::vector<Unit> units;
  std::vector<Line> lines;
  /// Leaver probability per role and age band, and its relative spread (sd / value).
  std::vector<std::array<double, kAgeBands>> leaver_rate;
  std::vector<double> leaver_rate_relative_spread;  ///< Per role.
  /// Share of leavers who retire, per age band.
  std::array<double, kAgeBands> retirement_share{};
  /// Age-band distribution of external joiners, per role.
  std::vector<std::array<double, kAgeBands>> joiner_age_share;
  std::vector<double> unit_cost_per_fte;  ///< Per staff group, GBP a year.
  double bank_premium = 1.0;              ///< Bank cost per hour / substantive cost per hour.
  double agency_premium = 1.0;
  double bank_fill_share = 0.7;  ///< Share of a shortfall covered by bank.
  /// Service-use weight per sector and population age band (18 bands).
  std::array<std::array<double, 18>, 8> demand_weight{};
  /// Population per place, calendar year (index year - population_first_year), age band.
  int population_first_year = 0;
  std::vector<std::vector<std::array<double, 18>>> population;
  double productivity_gain = 0;        ///< Per year, compounding.
  double productivity_spread = 0.005;  ///< Absolute sd per replicate.
  std::vector<Parameter> parameters;

  /// Find the line of (unit, role), or -1.
  int find_line(uint16_t unit, uint8_t role) const;
  /// Population demand index of a place and sector, calendar year over base year.
  double population_index(uint32_t place, Sector sector, int calendar_year) const;
};

}  // namespace careforce::projection
