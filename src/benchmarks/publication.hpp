#pragma once
// Published NHS Digital formats, declared once: which header identifies a publication,
// what each column means, and which metrics its rows give. The reader, the docs and the
// store mapping all work from these declarations; a new publication is a new entry here.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "benchmarks/decimal.hpp"

namespace careforce::benchmarks {

/// What a column of a published file holds.
enum class Field : uint8_t {
  period_end_date,  ///< `dd/mm/yyyy`, the last day of the month reported.
  period_range,     ///< `YYYYMM to YYYYMM`: the window from the first month end to the second.
  region_code,
  region_name,
  ics_code,
  ics_name,
  org_code,
  org_name,
  org_type,         ///< Organisation type (sickness ORG_TYPE, turnover CLUSTER_GROUP).
  cluster,          ///< Finer benchmark group (turnover BENCHMARK_GROUP).
  staff_group,      ///< The publisher's staff group name.
  component,        ///< Long layouts: which count the row holds (TYPE).
  numerator,        ///< Wide layouts: the published numerator.
  denominator,      ///< Wide layouts: the published denominator.
  published_value,  ///< Wide layouts: the publisher's rounded rate.
  headcount,        ///< Long layouts: whole number of people.
  fte,              ///< Long layouts: full-time equivalent.
};

/// Return the stable name of a field (used in docs and messages).
const char* field_name(Field field);

struct LayoutColumn {
  std::string name;  ///< Header text, exactly as published.
  Field field = Field::org_code;
  std::string meaning;
};

/// A count that rows of a long layout carry, named by the component column.
enum class Component : uint8_t { start, end, leavers, joiners };
inline constexpr size_t kComponentCount = 4;

struct ComponentName {
  std::string text;  ///< e.g. "Denominator at start of period".
  Component component = Component::start;
};

enum class MetricKind : uint8_t {
  percent,  ///< numerator / denominator × 100.
  count,    ///< A total (headcount or FTE); no denominator.
};

enum class Formula : uint8_t {
  published_ratio,  ///< The row's numerator and denominator columns.
  over_mean_staff,  ///< A component / ((start + end) / 2): NHS Digital's turnover method.
  component_total,  ///< A component's value.
};

enum class Basis : uint8_t { none, headcount, fte };

struct MetricSpec {
  std::string name;  ///< e.g. "sickness_absence_rate".
  std::string label;
  MetricKind kind = MetricKind::percent;
  Formula formula = Formula::published_ratio;
  Component component = Component::leavers;  ///< For over_mean_staff and component_total.
  Basis basis = Basis::none;
  int places = 2;  ///< Places of the organisation-level figure (the publisher's).
  NumberStyle style = NumberStyle::trimmed;
  std::string numerator_meaning;
  std::string denominator_meaning;
};

struct Layout {
  std::string publication;  ///< Stable id stored with every series.
  std::string title;
  std::vector<LayoutColumn> columns;      ///< The header must hold exactly these names.
  std::vector<ComponentName> components;  ///< Long layouts only.
  std::vector<MetricSpec> metrics;
  std::vector<std::string> non_geographic;  ///< Region/ICS codes that are not places (QZZ).
  std::string description;

  /// True when rows are one count each (component + headcount + FTE).
  bool is_long() const { return !components.empty(); }
  /// Index of the column holding `field`, or -1.
  int column_index(Field field) const;
  const MetricSpec* metric(std::string_view name) const;
  bool is_non_geographic(std::string_view code) const;
};

/// The staff group value that means "everyone": totals use these rows, never sums of groups.
inline constexpr std::string_view kAllStaffGroups = "All staff groups";

/// Every declared publication layout.
const std::vector<Layout>& publication_layouts();
/// Find a layout by its publication id, or nullptr.
const Layout* find_layout(std::string_view publication);
/// Return the layout whose columns are exactly the names in `header` (any order), or nullptr.
const Layout* recognise_layout(std::span<const std::string> header);
/// Render every declared layout as Markdown (columns and metrics), as docs/benchmarks.md
/// includes it between `<!-- layouts:begin -->` and `<!-- layouts:end -->`.
std::string layouts_markdown();
/// Find a metric in any layout; sets `layout` when given.
const MetricSpec* find_metric(std::string_view name, const Layout** layout = nullptr);

}  // namespace careforce::benchmarks
