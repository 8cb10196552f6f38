#include "metrics/run.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "metrics/disclosure.hpp"
#include "metrics/engine.hpp"
#include "metrics/format.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/registry.hpp"

namespace careforce::metrics {

Status MetricsOptions::validate() const {
  if (!at.empty() && !parse_period(at))
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("--at '{}' is not a period YYYY-MM", at));
  if (!series_from.empty() && !parse_period(series_from))
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("--from '{}' is not a period YYYY-MM", series_from));
  if (!scope.empty() && scope != "system" && scope != "place" && scope != "sector" &&
      scope != "org")
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("--scope '{}' must be system, place, sector or org", scope));
  if (by != "staff_group" && by != "role" && by != "none")
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("--by '{}' must be staff_group or role", by));
  CF_RETURN_IF_ERROR(parse_output_format(format).status());
  for (const auto& r : rolling_exclude)
    if (!leaver_reasons().find(r))
      return make_error(ErrorCode::invalid_argument,
                        fmt::format("--exclude-reason '{}' is not a leaver reason", r),
                        "known reasons: " + leaver_reasons().describe());
  Query q;
  q.metrics = metrics;
  return q.validate();
}

Status OutcomesRunOptions::validate() const {
  CF_RETURN_IF_ERROR(parse_output_format(format).status());
  return OutcomesOptions{amber_tolerance}.validate();
}

Result<std::string> run_metrics(const model::WorkforceModel& model, const MetricsOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  Query q;
  if (options.at.empty()) {
    if (model.snapshot_months().empty())
      return make_error(ErrorCode::unavailable, "the database holds no staff in post snapshot");
    q.at = model.latest_month();
  } else {
    q.at = *parse_period(options.at);
  }
  if (options.scope == "system") q.scope_types = {ScopeType::system};
  if (options.scope == "place") q.scope_types = {ScopeType::place};
  if (options.scope == "sector") q.scope_types = {ScopeType::sector};
  if (options.scope == "org") q.scope_types = {ScopeType::org};
  q.by = options.by == "role"   ? Breakdown::role
         : options.by == "none" ? Breakdown::none
                                : Breakdown::staff_group;
  q.metrics = options.metrics;
  q.rolling.fte_basis = options.rolling_fte_basis;
  q.rolling.excluded_reasons.clear();
  for (const auto& r : options.rolling_exclude)
    q.rolling.excluded_reasons.push_back(*leaver_reasons().find(r));
  MetricsEngine engine(model);
  Result<std::vector<MetricResult>> results =
      options.series_from.empty() ? engine.compute(q)
                                  : engine.series(q, *parse_period(options.series_from), q.at);
  if (!results) return results.error();
  if (options.suppress) apply_disclosure_control(*results);
  return format_results(*results, *parse_output_format(options.format));
}

namespace {

std::string number_text(double v) {
  return std::isnan(v) ? "" : fmt::format("{}", v);
}
std::string brief_text(double v) {
  return std::isnan(v) ? "-" : fmt::format("{:.2f}", v);
}

}  // namespace

Result<std::string> run_outcomes(const model::WorkforceModel& model,
                                 const OutcomesRunOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(auto rows, compute_outcomes(model, OutcomesOptions{options.amber_tolerance}));
  const OutputFormat format = *parse_output_format(options.format);
  if (format == OutputFormat::json) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& r : rows) {
      nlohmann::json j;
      j["indicator"] = r.indicator;
      j["scope"] = r.scope;
      j["year"] = r.year.label();
      j["period_end"] = r.year.march().end().iso();
      j["actual"] = std::isnan(r.actual) ? nlohmann::json(nullptr) : nlohmann::json(r.actual);
      j["target"] = r.target;
      j["previous"] = std::isnan(r.previous) ? nlohmann::json(nullptr) : nlohmann::json(r.previous);
      j["direction"] = directions().code(static_cast<uint8_t>(r.direction));
      j["rag"] = r.rag;
      j["travel"] = r.travel;
      j["note"] = r.note;
      array.push_back(j);
    }
    return array.dump(2) + "\n";
  }
  if (format == OutputFormat::csv) {
    std::string out =
        "indicator,scope,year,period_end,actual,target,previous,direction,rag,travel,note\r\n";
    for (const auto& r : rows)
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\r\n", csv_field(r.indicator),
                         csv_field(r.scope), r.year.label(), r.year.march().end().iso(),
                         number_text(r.actual), number_text(r.target), number_text(r.previous),
                         directions().code(static_cast<uint8_t>(r.direction)), r.rag, r.travel,
                         csv_field(r.note));
    return out;
  }
  // Table: one line per indicator and scope, one column per financial year, as partners
  // publish trajectories: "actual / target RAG travel".
  std::vector<FinancialYear> years;
  for (const auto& r : rows)
    if (std::find(years.begin(), years.end(), r.year) == years.end()) years.push_back(r.year);
  std::sort(years.begin(), years.end());
  std::vector<std::vector<std::string>> table{{"indicator", "scope", "direction"}};
  for (const auto& y : years) table[0].push_back(y.label());
  std::map<std::pair<std::string, std::string>, size_t> line;
  for (const auto& r : rows) {
    auto key = std::make_pair(r.indicator, r.scope);
    if (!line.count(key)) {
      line[key] = table.size();
      std::vector<std::string> cells{r.indicator, r.scope,
                                     directions().code(static_cast<uint8_t>(r.direction))};
      cells.resize(3 + years.size(), "");
      table.push_back(cells);
    }
    const size_t col =
        3 + static_cast<size_t>(std::find(years.begin(), years.end(), r.year) - years.begin());
    table[line[key]][col] =
        fmt::format("{} / {} {} {}", brief_text(r.actual), brief_text(r.target), r.rag, r.travel);
  }
  if (rows.empty()) return std::string("no targets: load targets.csv to see trajectories\n");
  return render_table(table) + "cells: actual / target, RAG (amber within " +
         fmt::format("{:g}", options.amber_tolerance * 100) +
         "% of the target), direction of travel against the previous year\n";
}

}  // namespace careforce::metrics
