#pragma once
// The in-memory columnar model: everything the metrics engine and the projection compute
// from, loaded once from the store (store/ fills it; nothing here knows SQL).
// Codes are small integers (their index in core/codes.hpp lists); dates are Date/Month.
// Every row keeps its origin (submission id, line) so a number can be traced to its rows.

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/codes.hpp"
#include "core/date.hpp"
#include "core/schema.hpp"

namespace careforce::model {

/// Marks an unknown (blank) number in aggregate returns.
inline constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
/// Marks an open absence episode (blank end_date).
inline constexpr Date kOpenEnd{std::numeric_limits<int32_t>::max()};

struct RowOrigin {
  uint32_t submission = 0;
  uint32_t line = 0;
};

/// Interns strings (person keys, places, assignment ids) to dense uint32 ids.
class Dictionary {
 public:
  uint32_t intern(std::string_view value);
  /// Return the id of a known value, or UINT32_MAX.
  uint32_t find(std::string_view value) const;
  const std::string& value(uint32_t id) const { return values_[id]; }
  size_t size() const { return values_.size(); }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
  std::unordered_map<std::string, uint32_t> index_;
};

struct Organisation {
  std::string code;
  std::string name;
  Sector sector = Sector::other;
  uint32_t place = 0;  ///< Id in WorkforceModel::places.
  DataLevel level = DataLevel::record;
  /// Bit i set when the organisation has any row of FileKind i (coverage, "not available").
  uint32_t files = 0;
  bool has(FileKind kind) const { return files & (1u << static_cast<unsigned>(kind)); }
};

/// staff_in_post.csv, columnar; after finalize() sorted by (month, org, person, assignment).
struct StaffInPost {
  struct Row {
    Month month;
    uint16_t org = 0;
    uint32_t person = 0;
    uint32_t assignment = 0;  ///< Id in WorkforceModel::assignments ("org|assignment_id").
    uint8_t staff_group = 0, role = 0, band = 0, contract_type = 0;
    double fte = 0;
    Date org_start_date;
    int16_t birth_year = 0;
    uint8_t sex = 0, ethnic_group = 0, disability = 0, nationality_group = 0,
            recruitment_source = 0;
    RowOrigin origin;
  };

  std::vector<Month> month;
  std::vector<uint16_t> org;
  std::vector<uint32_t> person;
  std::vector<uint32_t> assignment;
  std::vector<uint8_t> staff_group, role, band, contract_type;
  std::vector<double> fte;
  std::vector<Date> org_start_date;
  std::vector<int16_t> birth_year;
  std::vector<uint8_t> sex, ethnic_group, disability, nationality_group, recruitment_source;
  std::vector<RowOrigin> origin;

  size_t size() const { return month.size(); }
  void reserve(size_t n);
  void append(const Row& row);
  Row row(size_t i) const;
  /// Reorder every column by `order` (a permutation of row indices).
  void permute(std::span<const uint32_t> order);
};

/// leavers.csv, columnar, sorted by leave_date.
struct Leavers {
  struct Row {
    uint16_t org = 0;
    uint32_t person = 0, assignment = 0;
    Date leave_date;
    uint8_t reason = 0, destination = 0;
    RowOrigin origin;
  };
  std::vector<uint16_t> org;
  std::vector<uint32_t> person, assignment;
  std::vector<Date> leave_date;
  std::vector<uint8_t> reason, destination;
  std::vector<RowOrigin> origin;

  size_t size() const { return org.size(); }
  void append(const Row& row);
  Row row(size_t i) const;
  void permute(std::span<const uint32_t> order);
};

/// absence.csv, columnar, sorted by start_date; open episodes end at kOpenEnd.
struct Absence {
  struct Row {
    uint16_t org = 0;
    uint32_t person = 0, assignment = 0;
    Date start_date, end_date = kOpenEnd;
    uint8_t reason = 0;
    RowOrigin origin;
  };
  std::vector<uint16_t> org;
  std::vector<uint32_t> person, assignment;
  std::vector<Date> start_date, end_date;
  std::vector<uint8_t> reason;
  std::vector<RowOrigin> origin;

  size_t size() const { return org.size(); }
  void append(const Row& row);
  Row row(size_t i) const;
  void permute(std::span<const uint32_t> order);
};

// The remaining files are small (thousands to a few million rows of a few fields):
// plain vectors of compact rows.

struct EstablishmentRow {
  Month period;
  uint16_t org = 0;
  uint8_t staff_group = 0;
  uint8_t role = kAnyCode;  ///< kAnyCode = all roles of the staff group.
  uint8_t band = kAnyCode;  ///< kAnyCode = all bands.
  double funded_fte = 0;
  RowOrigin origin;
};

struct ShiftRow {
  Date shift_date;
  uint16_t org = 0;
  uint8_t staff_group = 0, role = 0, outcome = 0, cover_reason = 0;
  float hours = 0;
  double cost_gbp = 0;  ///< 0 when unfilled.
  RowOrigin origin;
};

struct PayCostRow {
  Month period;
  uint16_t org = 0;
  uint8_t staff_group = 0;
  double substantive_gbp = 0, bank_gbp = 0, agency_gbp = 0;
  RowOrigin origin;
};

/// One aggregate return row; blank numbers are kUnknown (NaN).
struct AggregateRow {
  Month month;
  uint16_t org = 0;
  uint8_t staff_group = 0, role = 0;
  double headcount = 0, fte = 0;
  double vacant_posts = kUnknown, leavers_12m = kUnknown, headcount_12m_ago = kUnknown,
         stayers_12m = kUnknown, sickness_fte_days_lost_12m = kUnknown,
         sickness_fte_days_available_12m = kUnknown, age_55_plus_headcount = kUnknown,
         ethnic_minority_headcount = kUnknown, international_recruits_12m = kUnknown;
  RowOrigin origin;
};

struct PopulationRow {
  uint32_t place = 0;
  int16_t year = 0;
  uint8_t age_band = 0;  ///< Index in population_age_bands().
  uint8_t kind = 0;      ///< PopulationKind.
  double population = 0;
  RowOrigin origin;
};

struct TargetRow {
  std::string indicator;
  std::string scope;  ///< `system`, `sector:<s>`, `place:<p>`, `org:<code>`.
  FinancialYear year;
  double target = 0;
  Direction direction = Direction::lower_is_better;
  RowOrigin origin;
};

class WorkforceModel {
 public:
  std::vector<Organisation> organisations;
  Dictionary places;
  Dictionary persons;      ///< person_key pseudonyms.
  Dictionary assignments;  ///< "org_code|assignment_id".

  StaffInPost staff_in_post;
  Leavers leavers;
  Absence absence;
  std::vector<EstablishmentRow> establishment;
  std::vector<ShiftRow> shifts;
  std::vector<PayCostRow> pay_costs;
  std::vector<AggregateRow> aggregate_returns;
  std::vector<PopulationRow> population;
  std::vector<TargetRow> targets;

  /// Add an organisation (codes must be unique) and return its index.
  uint16_t add_organisation(Organisation org);
  /// Index of an organisation by code, or -1.
  int find_organisation(std::string_view code) const;

  /// Sort the columns, build the month index and the per-organisation file bits.
  /// Call once after loading; the accessors below need it.
  void finalize();

  /// Month-end snapshots present in staff_in_post or aggregate_returns, ascending.
  const std::vector<Month>& snapshot_months() const { return snapshot_months_; }
  /// Row range [first, second) of staff_in_post for one snapshot month (empty if none).
  std::pair<size_t, size_t> staff_in_post_rows(Month month) const;
  /// The latest snapshot month (Month{} if there is no data).
  Month latest_month() const;

 private:
  std::vector<Month> snapshot_months_;
  std::unordered_map<int32_t, std::pair<size_t, size_t>> sip_rows_by_month_;
  std::unordered_map<std::string, uint16_t> org_index_;
};

}  // namespace careforce::model
