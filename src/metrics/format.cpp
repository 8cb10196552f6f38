#include "metrics/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "metrics/registry.hpp"

namespace careforce::metrics {

Result<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "table") return OutputFormat::table;
  if (text == "csv") return OutputFormat::csv;
  if (text == "json") return OutputFormat::json;
  return make_error(ErrorCode::invalid_argument,
                    fmt::format("unknown format '{}': expected table, csv or json", text));
}

namespace {

nlohmann::json number(double v, bool suppressed) {
  if (suppressed) return "*";
  if (std::isnan(v) || std::isinf(v)) return nullptr;
  return v;
}

/// Full precision for CSV (shortest text that reads back the same double).
std::string full(double v, bool suppressed) {
  if (suppressed) return "*";
  if (std::isnan(v) || std::isinf(v)) return "";
  return fmt::format("{}", v);
}

/// Two decimals for the terminal; whole numbers without decimals.
std::string brief(double v, bool suppressed) {
  if (suppressed) return "*";
  if (std::isnan(v) || std::isinf(v)) return "-";
  if (v == std::round(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2f}", v);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : std::string(sep)) + i;
  return out;
}

}  // namespace

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

nlohmann::json to_json(const MetricResult& r) {
  nlohmann::json j;
  const MetricDecl* d = find_metric(r.metric);
  j["metric"] = r.metric;
  j["unit"] = d ? d->unit : "";
  j["period_end"] = r.period.end().iso();
  j["scope_type"] = scope_type_name(r.scope_type);
  j["scope"] = r.scope;
  j["staff_group"] = r.staff_group;
  j["role_code"] = r.role_code;
  j["category"] = r.category.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.category);
  j["value"] = number(r.value, r.value_suppressed);
  j["numerator"] = number(r.numerator, r.numerator_suppressed);
  j["denominator"] = number(r.denominator, r.denominator_suppressed);
  j["basis"] = r.basis;
  j["coverage_orgs"] = r.coverage_orgs;
  j["total_orgs"] = r.total_orgs;
  j["available"] = r.available;
  j["options"] = r.options;
  j["files"] = r.files;
  return j;
}

nlohmann::json metric_catalog_json() {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& d : metric_registry()) {
    nlohmann::json files = nlohmann::json::array();
    for (FileKind f : d.record_files) files.push_back(file_name(f));
    array.push_back({{"name", d.name},
                     {"label", d.label},
                     {"unit", d.unit},
                     {"family", d.family},
                     {"files", files},
                     {"aggregate_returns", d.aggregate},
                     {"category", d.category},
                     {"scopes", d.scopes.empty() ? "system,place,sector,org" : d.scopes},
                     {"breakdowns", d.breakdowns},
                     {"description", d.description},
                     {"numerator", d.numerator},
                     {"denominator", d.denominator},
                     {"example", d.example}});
  }
  return array;
}

std::string render_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  std::string out;
  for (size_t i = 0; i < rows.size(); ++i) {
    std::string line;
    for (size_t c = 0; c < rows[i].size(); ++c)
      line += fmt::format("{:<{}}", rows[i][c], c + 1 < rows[i].size() ? width[c] + 2 : 0);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
    if (i == 0) {
      size_t total = 0;
      for (size_t w : width) total += w + 2;
      out += std::string(total > 2 ? total - 2 : 0, '-') + "\n";
    }
  }
  return out;
}

std::string format_results(const std::vector<MetricResult>& results, OutputFormat format) {
  if (format == OutputFormat::json) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& r : results) array.push_back(to_json(r));
    return array.dump(2) + "\n";
  }
  if (format == OutputFormat::csv) {
    std::string out =
        "metric,period_end,scope_type,scope,staff_group,role_code,category,value,numerator,"
        "denominator,basis,coverage_orgs,total_orgs,available,options,files\r\n";
    for (const auto& r : results) {
      out += fmt::format(
          "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\r\n", r.metric, r.period.end().iso(),
          scope_type_name(r.scope_type), csv_field(r.scope), r.staff_group, r.role_code,
          csv_field(r.category), full(r.value, r.value_suppressed),
          full(r.numerator, r.numerator_suppressed), full(r.denominator, r.denominator_suppressed),
          r.basis, r.coverage_orgs, r.total_orgs, r.available ? "yes" : "no", csv_field(r.options),
          csv_field(join(r.files, ";")));
    }
    return out;
  }
  std::vector<std::vector<std::string>> rows{{"metric", "period_end", "scope", "staff_group",
                                              "role", "category", "value", "numerator",
                                              "denominator", "basis", "coverage", "note"}};
  for (const auto& r : results) {
    const std::string scope = r.scope_type == ScopeType::system
                                  ? "system"
                                  : fmt::format("{}:{}", scope_type_name(r.scope_type), r.scope);
    std::string note = r.available ? r.options : "not available";
    rows.push_back({r.metric, r.period.end().iso(), scope, r.staff_group, r.role_code,
                    r.category.empty() ? "-" : r.category,
                    r.available ? brief(r.value, r.value_suppressed) : "n/a",
                    brief(r.numerator, r.numerator_suppressed),
                    brief(r.denominator, r.denominator_suppressed), r.basis,
                    fmt::format("{}/{}", r.coverage_orgs, r.total_orgs), note});
  }
  return render_table(rows);
}

}  // namespace careforce::metrics
