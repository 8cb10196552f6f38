#include "benchmarks/publication.hpp"

#include <algorithm>

namespace careforce::benchmarks {
namespace {

MetricSpec turnover_rate(std::string name, std::string label, Component component, Basis basis) {
  const bool headcount = basis == Basis::headcount;
  const std::string what = component == Component::leavers ? "leavers" : "joiners";
  return MetricSpec{std::move(name),
                    std::move(label),
                    MetricKind::percent,
                    Formula::over_mean_staff,
                    component,
                    basis,
                    2,
                    NumberStyle::fixed,
                    what + (headcount ? " (headcount)" : " (FTE)"),
                    std::string("mean of staff in post at the start and end of the period (") +
                        (headcount ? "headcount" : "FTE") + ")"};
}

MetricSpec turnover_count(std::string name, std::string label, Component component, Basis basis) {
  return MetricSpec{std::move(name),
                    std::move(label),
                    MetricKind::count,
                    Formula::component_total,
                    component,
                    basis,
                    basis == Basis::fte ? 5 : 0,
                    NumberStyle::fixed,
                    "",
                    ""};
}

std::vector<Layout> declare_layouts() {
  std::vector<Layout> layouts;

  Layout sickness;
  sickness.publication = "nhs_sickness_absence";
  sickness.title = "NHS Sickness Absence Rates (organisation level, monthly)";
  sickness.description =
      "One row per organisation and month; rate = FTE days lost / FTE days available x 100, "
      "rounded half-up to 2 decimal places and printed without trailing zeros.";
  sickness.columns = {
      {"DATE", Field::period_end_date, "last day of the month, dd/mm/yyyy"},
      {"NHSE_REGION_CODE", Field::region_code, "NHS England region (QZZ: other bodies)"},
      {"NHSE_REGION_NAME", Field::region_name, "region name"},
      {"ICS_CODE", Field::ics_code, "ICS / ICB area"},
      {"ICS_NAME", Field::ics_name, "ICS name"},
      {"ORG_CODE", Field::org_code, "ODS code"},
      {"ORG_NAME", Field::org_name, "organisation name"},
      {"ORG_TYPE", Field::org_type, "organisation type"},
      {"FTE_DAYS_LOST", Field::numerator, "FTE days lost to sickness in the month"},
      {"FTE_DAYS_AVAILABLE", Field::denominator, "FTE days available in the month"},
      {"SICKNESS_ABSENCE_RATE_PERCENT", Field::published_value, "published rate, 2 dp"},
  };
  sickness.metrics = {MetricSpec{"sickness_absence_rate", "Sickness absence rate (%)",
                                 MetricKind::percent, Formula::published_ratio, Component::leavers,
                                 Basis::fte, 2, NumberStyle::trimmed, "FTE days lost",
                                 "FTE days available"}};
  sickness.non_geographic = {"QZZ"};
  layouts.push_back(std::move(sickness));

  Layout turnover;
  turnover.publication = "nhs_turnover_benchmarking";
  turnover.title =
      "NHS Workforce Statistics - Turnover benchmarking 2: staff group and organisation, monthly";
  turnover.description =
      "Long format: one row per period, organisation, staff group and TYPE, with headcount "
      "and FTE. Leaver rate = leavers / mean of start and end staff in post.";
  turnover.columns = {
      {"PERIOD", Field::period_range, "YYYYMM to YYYYMM: from the first month end to the second"},
      {"TYPE", Field::component, "which count the row holds"},
      {"NHSE_REGION_CODE", Field::region_code, "NHS England region"},
      {"NHSE_REGION_NAME", Field::region_name, "region name"},
      {"ICS_CODE", Field::ics_code, "ICS / ICB area"},
      {"ICS_NAME", Field::ics_name, "ICS name"},
      {"REPORTING_ORG_NAME", Field::org_name, "organisation name"},
      {"REPORTING_ORG_CODE", Field::org_code, "ODS code"},
      {"CLUSTER_GROUP", Field::org_type, "organisation type"},
      {"BENCHMARK_GROUP", Field::cluster, "benchmark group (finer than the type)"},
      {"STAFF_GROUP_1_NAME", Field::staff_group, "staff group; 'All staff groups' is the total"},
      {"HC", Field::headcount, "headcount (not additive across staff groups)"},
      {"FTE", Field::fte, "full-time equivalent (additive)"},
  };
  turnover.components = {{"Denominator at start of period", Component::start},
                         {"Denominator at end of period", Component::end},
                         {"Leavers", Component::leavers},
                         {"Joiners", Component::joiners}};
  turnover.metrics = {
      turnover_rate("leaver_rate_headcount", "Leaver rate, headcount (%)", Component::leavers,
                    Basis::headcount),
      turnover_rate("leaver_rate_fte", "Leaver rate, FTE (%)", Component::leavers, Basis::fte),
      turnover_rate("joiner_rate_headcount", "Joiner rate, headcount (%)", Component::joiners,
                    Basis::headcount),
      turnover_rate("joiner_rate_fte", "Joiner rate, FTE (%)", Component::joiners, Basis::fte),
      turnover_count("staff_in_post_start_headcount", "Staff in post at start, headcount",
                     Component::start, Basis::headcount),
      turnover_count("staff_in_post_start_fte", "Staff in post at start, FTE", Component::start,
                     Basis::fte),
      turnover_count("staff_in_post_end_headcount", "Staff in post at end, headcount",
                     Component::end, Basis::headcount),
      turnover_count("staff_in_post_end_fte", "Staff in post at end, FTE", Component::end,
                     Basis::fte),
      turnover_count("leavers_headcount", "Leavers, headcount", Component::leavers,
                     Basis::headcount),
      turnover_count("leavers_fte", "Leavers, FTE", Component::leavers, Basis::fte),
      turnover_count("joiners_headcount", "Joiners, headcount", Component::joiners,
                     Basis::headcount),
      turnover_count("joiners_fte", "Joiners, FTE", Component::joiners, Basis::fte),
  };
  turnover.non_geographic = {"QZZ"};
  layouts.push_back(std::move(turnover));
  return layouts;
}

}  // namespace

const char* field_name(Field field) {
  switch (field) {
    case Field::period_end_date:
      return "period_end_date";
    case Field::period_range:
      return "period_range";
    case Field::region_code:
      return "region_code";
    case Field::region_name:
      return "region_name";
    case Field::ics_code:
      return "ics_code";
    case Field::ics_name:
      return "ics_name";
    case Field::org_code:
      return "org_code";
    case Field::org_name:
      return "org_name";
    case Field::org_type:
      return "org_type";
    case Field::cluster:
      return "cluster";
    case Field::staff_group:
      return "staff_group";
    case Field::component:
      return "component";
    case Field::numerator:
      return "numerator";
    case Field::denominator:
      return "denominator";
    case Field::published_value:
      return "published_value";
    case Field::headcount:
      return "headcount";
    case Field::fte:
      return "fte";
  }
  return "unknown";
}

int Layout::column_index(Field field) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].field == field) return static_cast<int>(i);
  return -1;
}

const MetricSpec* Layout::metric(std::string_view name) const {
  for (const auto& m : metrics)
    if (m.name == name) return &m;
  return nullptr;
}

bool Layout::is_non_geographic(std::string_view code) const {
  return std::find(non_geographic.begin(), non_geographic.end(), code) != non_geographic.end();
}

const std::vector<Layout>& publication_layouts() {
  static const std::vector<Layout> layouts = declare_layouts();
  return layouts;
}

const Layout* find_layout(std::string_view publication) {
  for (const auto& layout : publication_layouts())
    if (layout.publication == publication) return &layout;
  return nullptr;
}

const Layout* recognise_layout(std::span<const std::string> header) {
  for (const auto& layout : publication_layouts()) {
    if (header.size() != layout.columns.size()) continue;
    const bool all = std::all_of(layout.columns.begin(), layout.columns.end(), [&](const auto& c) {
      return std::count(header.begin(), header.end(), c.name) == 1;
    });
    if (all) return &layout;
  }
  return nullptr;
}

std::string layouts_markdown() {
  std::string out;
  for (const auto& layout : publication_layouts()) {
    out += "### `" + layout.publication + "` - " + layout.title + "\n\n";
    out += layout.description + "\n\n";
    out += "| column | field | meaning |\n|---|---|---|\n";
    for (const auto& c : layout.columns)
      out += "| `" + c.name + "` | " + field_name(c.field) + " | " + c.meaning + " |\n";
    if (!layout.components.empty()) {
      out +=
          "\nComponents (`" + layout.columns[layout.column_index(Field::component)].name + "`): ";
      for (size_t i = 0; i < layout.components.size(); ++i)
        out += (i ? ", `" : "`") + layout.components[i].text + "`";
      out += ".\n";
    }
    out += "\n| metric | label | numerator | denominator | places |\n|---|---|---|---|---|\n";
    for (const auto& m : layout.metrics)
      out += "| `" + m.name + "` | " + m.label + " | " +
             (m.numerator_meaning.empty() ? "the count" : m.numerator_meaning) + " | " +
             (m.kind == MetricKind::count ? "-" : m.denominator_meaning) + " | " +
             std::to_string(m.places) +
             (m.style == NumberStyle::trimmed ? ", trailing zeros dropped" : "") + " |\n";
    out += "\n";
  }
  return out;
}

const MetricSpec* find_metric(std::string_view name, const Layout** layout) {
  for (const auto& l : publication_layouts()) {
    if (const MetricSpec* m = l.metric(name)) {
      if (layout) *layout = &l;
      return m;
    }
  }
  return nullptr;
}

}  // namespace careforce::benchmarks
