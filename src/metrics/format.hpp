#pragma once
// Results as a terminal table, CSV (opens in Excel) or JSON (rates unrounded).

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/result.hpp"
#include "metrics/engine.hpp"

namespace careforce::metrics {

enum class OutputFormat : uint8_t { table, csv, json };

/// Parse `table`, `csv` or `json`.
Result<OutputFormat> parse_output_format(std::string_view text);
/// One result as a JSON object (NaN as null, suppressed figures as "*").
nlohmann::json to_json(const MetricResult& result);
/// The registry as JSON, for the API's metric list (one object per declared metric).
nlohmann::json metric_catalog_json();
/// Format results in the chosen format.
std::string format_results(const std::vector<MetricResult>& results, OutputFormat format);
/// Render rows of cells as a left-aligned text table with a header rule.
std::string render_table(const std::vector<std::vector<std::string>>& rows);
/// Quote a CSV field when it needs it (RFC 4180).
std::string csv_field(std::string_view text);

}  // namespace careforce::metrics
