#pragma once
// Published benchmark series held apart from partners' submissions, and their aggregation
// at every level a publication allows, always as ratios of sums.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/decimal.hpp"
#include "benchmarks/publication.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::benchmarks {

/// One published figure for one organisation, period and staff group (a `benchmark_series`
/// row). Percent metrics carry numerator and denominator; counts carry only the numerator.
struct Series {
  std::string publication;   ///< Layout id, e.g. "nhs_sickness_absence".
  std::string metric;        ///< e.g. "sickness_absence_rate".
  Month period;              ///< The month the figure is for (the window's last month).
  Month window_start;        ///< First month end of the window (== period for monthly rates).
  std::string period_label;  ///< As published: "31/01/2025", "202509 to 202510".
  std::string org_code;
  std::string org_name;
  std::string org_type;
  std::string cluster;  ///< Benchmark group, "" when the publication has none.
  std::string region_code;
  std::string region_name;
  std::string ics_code;
  std::string ics_name;
  std::string staff_group = std::string(kAllStaffGroups);
  Decimal numerator;
  std::optional<Decimal> denominator;  ///< nullopt for counts.
  std::string published_value;         ///< The publisher's own text, "" when not published.
  std::string source_file;
  uint64_t source_line = 0;  ///< First line the figure came from.
};

/// The series imported so far. Adding a series with the key of one already held replaces
/// it, so importing the same publication twice leaves the set unchanged.
class BenchmarkSet {
 public:
  /// Add series, replacing those with the same (publication, metric, period, org, staff group).
  void add(std::vector<Series> series);
  const std::vector<Series>& series() const { return series_; }
  size_t size() const { return series_.size(); }
  /// The organisation-level series, or nullptr.
  const Series* find(std::string_view metric, Month period, std::string_view org_code,
                     std::string_view staff_group = kAllStaffGroups) const;
  /// Metric names held, sorted.
  std::vector<std::string> metrics() const;
  /// Periods held for a metric, ascending.
  std::vector<Month> periods(std::string_view metric) const;

 private:
  std::vector<Series> series_;
  std::map<std::string, size_t> index_;
};

/// Levels a publication can be aggregated to.
enum class Level : uint8_t { england, region, ics, org_type, cluster, organisation, staff_group };

const char* level_name(Level level);
std::optional<Level> parse_level(std::string_view text);

struct AggregateQuery {
  std::string metric;
  Month period;
  Level level = Level::england;
  /// Staff group summed over; for Level::staff_group every group is reported instead.
  std::string staff_group = std::string(kAllStaffGroups);
  /// Places of the rounded value; -1 = the metric's organisation-level places.
  int places = -1;
  /// Printing style; nullopt = the metric's.
  std::optional<NumberStyle> style;
};

/// A ratio of sums over the organisations of one group.
struct Aggregate {
  std::string code;  ///< Group code ("ENG", region, ICS or org code, type or staff group name).
  std::string name;
  std::string region_code;  ///< Set for ics and organisation groups.
  Decimal numerator;
  std::optional<Decimal> denominator;
  size_t organisations = 0;     ///< Organisations whose rows were summed.
  std::string value;            ///< Rounded value as text ("" when the denominator is zero).
  bool non_geographic = false;  ///< The group is a publisher's catch-all (QZZ), not a place.
};

/// Aggregate one metric and period at a level, groups ordered by code.
Result<std::vector<Aggregate>> aggregate(const BenchmarkSet& set, const AggregateQuery& query);

/// Compare two aggregates by their exact value (ratio, or count).
std::strong_ordering compare_values(const Aggregate& a, const Aggregate& b);

}  // namespace careforce::benchmarks
