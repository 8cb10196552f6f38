#include "core/schema.hpp"

namespace careforce {

const char* column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::text: return "text";
    case ColumnType::code: return "code";
    case ColumnType::date: return "date (YYYY-MM-DD)";
    case ColumnType::month_end_date: return "month-end date (YYYY-MM-DD)";
    case ColumnType::period: return "period (YYYY-MM)";
    case ColumnType::year: return "year (YYYY)";
    case ColumnType::financial_year: return "financial year (YYYY/YY)";
    case ColumnType::integer: return "whole number";
    case ColumnType::decimal: return "number";
  }
  return "text";
}

int FileSpec::column_index(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  return -1;
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

ColumnSpec text(std::string name, std::string description, bool required = true) {
  return {std::move(name), ColumnType::text, required, nullptr, -kInf, kInf, false, kInf,
          std::move(description)};
}
ColumnSpec code(std::string name, const CodeList& list, std::string description,
                bool required = true) {
  return {std::move(name), ColumnType::code, required, &list, -kInf, kInf, false, kInf,
          std::move(description)};
}
ColumnSpec typed(std::string name, ColumnType type, std::string description,
                 bool required = true) {
  return {std::move(name), type, required, nullptr, -kInf, kInf, false, kInf,
          std::move(description)};
}
ColumnSpec number(std::string name, ColumnType type, double min, double max,
                  std::string description, bool required = true) {
  return {std::move(name), type, required, nullptr, min, max, false, kInf, std::move(description)};
}
ColumnSpec count(std::string name, std::string description, bool required = false) {
  return number(std::move(name), ColumnType::integer, 0, 1e9, std::move(description), required);
}
ColumnSpec amount(std::string name, std::string description, bool required = true) {
  return number(std::move(name), ColumnType::decimal, 0, 1e12, std::move(description), required);
}

std::vector<FileSpec> build_files() {
  std::vector<FileSpec> files;

  files.push_back({FileKind::organisations, "organisations.csv", "organisations", true,
                   FileLevel::any,
                   {text("org_code", "ODS code or ASC-WDS location id"),
                    text("org_name", "Display name"),
                    code("sector", sectors(), "Sector of the organisation"),
                    text("place", "The place (locality) the organisation mainly serves"),
                    code("data_level", data_levels(), "record or aggregate")},
                   "org_code", "", {}, "The partner organisations of the ICS."});

  ColumnSpec fte = number("fte", ColumnType::decimal, 0, 1.5, "Contracted / full-time hours");
  fte.min_exclusive = true;
  fte.warn_above = 1.0;
  files.push_back(
      {FileKind::staff_in_post, "staff_in_post.csv", "staff_in_post", false, FileLevel::record,
       {typed("snapshot_date", ColumnType::month_end_date, "Month-end census date"),
        text("org_code", "Organisation"), text("person_key", "System-wide pseudonym"),
        text("assignment_id", "Assignment, unique inside the organisation"),
        code("staff_group", staff_groups(), "Staff group"), code("role_code", roles(), "Role"),
        code("band", bands(), "Agenda for Change band"), fte,
        code("contract_type", contract_types(), "permanent or fixed_term"),
        typed("org_start_date", ColumnType::date, "Start of continuous employment here"),
        number("birth_year", ColumnType::year, 1900, 2100, "Year of birth"),
        code("sex", sexes(), "Sex"), code("ethnic_group", ethnic_groups(), "Ethnic group"),
        code("disability", disabilities(), "Disability"),
        code("nationality_group", nationality_groups(), "Nationality group"),
        code("recruitment_source", recruitment_sources(), "How they joined this organisation")},
       "org_code", "snapshot_date", {}, "One row per assignment per month-end snapshot."});

  files.push_back({FileKind::leavers, "leavers.csv", "leavers", false, FileLevel::record,
                   {text("org_code", "Organisation"), text("person_key", "Pseudonym"),
                    text("assignment_id", "Assignment that ended"),
                    typed("leave_date", ColumnType::date, "Last day of the assignment"),
                    code("reason", leaver_reasons(), "Reason for leaving"),
                    code("destination", destinations(), "Destination on leaving")},
                   "org_code", "leave_date", {}, "One row per assignment that ended."});

  files.push_back({FileKind::absence, "absence.csv", "absence", false, FileLevel::record,
                   {text("org_code", "Organisation"), text("person_key", "Pseudonym"),
                    text("assignment_id", "Assignment"),
                    typed("start_date", ColumnType::date, "First day of the episode"),
                    typed("end_date", ColumnType::date, "Last day (inclusive); blank if open",
                          false),
                    code("reason", absence_reasons(), "Reason")},
                   "org_code", "start_date", {}, "One row per sickness episode."});

  files.push_back(
      {FileKind::establishment, "establishment.csv", "establishment", false, FileLevel::any,
       {typed("period", ColumnType::period, "Month"), text("org_code", "Organisation"),
        code("staff_group", staff_groups(), "Staff group"),
        code("role_code", roles(), "Role; blank = all roles of the group", false),
        code("band", bands(), "Band; blank = all bands", false),
        number("funded_fte", ColumnType::decimal, 0, 1e6, "Budgeted FTE")},
       "org_code", "period", {}, "Budgeted posts."});

  ColumnSpec hours = number("hours", ColumnType::decimal, 0, 24, "Hours requested");
  hours.min_exclusive = true;  // a shift of no hours is no shift
  files.push_back(
      {FileKind::temporary_staffing, "temporary_staffing.csv", "temporary_staffing", false,
       FileLevel::any,
       {typed("shift_date", ColumnType::date, "Date of the shift"),
        text("org_code", "Organisation"), code("staff_group", staff_groups(), "Staff group"),
        code("role_code", roles(), "Role"), hours,
        code("outcome", shift_outcomes(), "bank, agency or unfilled"),
        amount("cost_gbp", "Cost; blank when unfilled", false),
        code("cover_reason", cover_reasons(), "Why cover was requested")},
       "org_code", "shift_date", {}, "One row per shift requested."});

  files.push_back({FileKind::pay_costs, "pay_costs.csv", "pay_costs", false, FileLevel::any,
                   {typed("period", ColumnType::period, "Month"), text("org_code", "Organisation"),
                    code("staff_group", staff_groups(), "Staff group"),
                    amount("substantive_gbp", "Substantive pay"), amount("bank_gbp", "Bank pay"),
                    amount("agency_gbp", "Agency pay")},
                   "org_code", "period", {}, "Monthly pay ledger."});

  files.push_back(
      {FileKind::aggregate_returns, "aggregate_returns.csv", "aggregate_returns", false,
       FileLevel::aggregate,
       {typed("snapshot_date", ColumnType::month_end_date, "Month-end census date"),
        text("org_code", "Organisation"), code("staff_group", staff_groups(), "Staff group"),
        code("role_code", roles(), "Role"), count("headcount", "Staff in post", true),
        number("fte", ColumnType::decimal, 0, 1e6, "FTE in post"),
        count("vacant_posts", "Vacant posts"), count("leavers_12m", "Leavers in 12 months"),
        count("headcount_12m_ago", "Headcount 12 months before"),
        count("stayers_12m", "In post 12 months ago and now"),
        amount("sickness_fte_days_lost_12m", "FTE days lost to sickness", false),
        amount("sickness_fte_days_available_12m", "FTE days available", false),
        count("age_55_plus_headcount", "Headcount aged 55+"),
        count("ethnic_minority_headcount", "Headcount of ethnic minority staff"),
        count("international_recruits_12m", "International recruits in 12 months")},
       "org_code", "snapshot_date", {}, "Aggregate return per organisation x role x snapshot."});

  files.push_back({FileKind::population, "population.csv", "population", false, FileLevel::any,
                   {text("place", "Place"),
                    number("year", ColumnType::year, 1900, 2100, "Mid-year"),
                    code("age_band", population_age_bands(), "Five-year age band"),
                    number("population", ColumnType::decimal, 0, 1e9, "Residents"),
                    code("kind", population_kinds(), "estimate or projection")},
                   "", "", {"place", "year", "age_band", "kind"},
                   "Population estimates and projections."});

  files.push_back({FileKind::targets, "targets.csv", "targets", false, FileLevel::any,
                   {text("indicator", "Metric name"),
                    text("scope", "system, sector:<s>, place:<p> or org:<code>"),
                    typed("year", ColumnType::financial_year, "Financial year, e.g. 2023/24"),
                    number("target", ColumnType::decimal, -1e12, 1e12, "Target value"),
                    code("direction", directions(), "lower_is_better or higher_is_better")},
                   "", "", {"indicator", "scope", "year"},
                   "Outcomes-framework target trajectories."});
  return files;
}

}  // namespace

const std::vector<FileSpec>& data_standard_files() {
  static const std::vector<FileSpec> files = build_files();
  return files;
}

const FileSpec* find_file_spec(std::string_view file_name) {
  for (const auto& f : data_standard_files())
    if (f.file_name == file_name) return &f;
  return nullptr;
}

const FileSpec& file_spec(FileKind kind) {
  return data_standard_files().at(static_cast<size_t>(kind));
}

}  // namespace careforce
