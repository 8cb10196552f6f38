#include "service/benchmark_service.hpp"

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "benchmarks/decimal.hpp"
#include "ingest/submission.hpp"

namespace careforce::service {
namespace {

namespace fs = std::filesystem;

store::BenchmarkImportRecord make_record(const std::string& path, const std::string& sha256,
                                         const benchmarks::ImportReport& report) {
  store::BenchmarkImportRecord record;
  record.source = path;
  record.sha256 = sha256;
  record.accepted = report.ok();
  record.errors = report.errors;
  record.warnings = report.warnings;
  record.series = report.series.size();
  for (const auto& f : report.files)
    record.files.push_back({f.path, f.publication, f.rows, f.series, f.skipped});
  return record;
}

Error bad_row(const store::BenchmarkRow& row, const std::string& what) {
  return make_error(ErrorCode::store_error,
                    "stored benchmark series " + row.metric + " " + row.period + " " +
                        row.org_code + " has " + what,
                    row.source_file + ":" + std::to_string(row.source_line));
}

}  // namespace

Status BenchmarkImportOptions::validate() const {
  if (max_findings == 0)
    return make_error(ErrorCode::invalid_argument, "--max-findings must be at least 1");
  return Status::ok();
}

const char* benchmark_outcome_name(BenchmarkImportOutcome outcome) {
  switch (outcome) {
    case BenchmarkImportOutcome::accepted:
      return "accepted";
    case BenchmarkImportOutcome::rejected:
      return "rejected";
    case BenchmarkImportOutcome::unchanged:
      return "unchanged";
  }
  return "rejected";
}

Result<std::string> benchmark_files_sha256(const std::string& path) {
  CF_ASSIGN_OR_RETURN(std::vector<std::string> names, benchmarks::publication_files(path));
  std::error_code ec;
  const bool folder = fs::is_directory(fs::path(path), ec);
  std::string manifest;
  for (const std::string& relative : names) {
    const fs::path file = folder ? fs::path(path) / relative : fs::path(path);
    std::ifstream in(file, std::ios::binary);
    if (!in) return make_error(ErrorCode::io_error, "cannot open " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return make_error(ErrorCode::io_error, "cannot read " + file.string());
    // A single file is named by its file name, so the same file from elsewhere is the same.
    manifest += folder ? relative : file.filename().string();
    manifest += '\0';
    manifest += ingest::sha256_hex(content.str());
    manifest += '\n';
  }
  return ingest::sha256_hex(manifest);
}

store::BenchmarkRow to_row(const benchmarks::Series& s) {
  store::BenchmarkRow row;
  row.publication = s.publication;
  row.metric = s.metric;
  row.period = s.period.iso();
  row.window_start = s.window_start.iso();
  row.period_label = s.period_label;
  row.org_code = s.org_code;
  row.org_name = s.org_name;
  row.org_type = s.org_type;
  row.cluster = s.cluster;
  row.region_code = s.region_code;
  row.region_name = s.region_name;
  row.ics_code = s.ics_code;
  row.ics_name = s.ics_name;
  row.staff_group = s.staff_group;
  row.numerator = s.numerator.text();
  if (s.denominator) row.denominator = s.denominator->text();
  row.published_value = s.published_value;
  row.source_file = s.source_file;
  row.source_line = s.source_line;
  return row;
}

Result<benchmarks::Series> from_row(const store::BenchmarkRow& row) {
  benchmarks::Series s;
  const auto period = parse_period(row.period);
  const auto window_start = parse_period(row.window_start);
  if (!period || !window_start) return bad_row(row, "a period that is not YYYY-MM");
  const auto numerator = benchmarks::Decimal::parse(row.numerator);
  if (!numerator) return bad_row(row, "a numerator that is not a decimal: " + row.numerator);
  if (row.denominator) {
    const auto denominator = benchmarks::Decimal::parse(*row.denominator);
    if (!denominator)
      return bad_row(row, "a denominator that is not a decimal: " + *row.denominator);
    s.denominator = *denominator;
  }
  s.publication = row.publication;
  s.metric = row.metric;
  s.period = *period;
  s.window_start = *window_start;
  s.period_label = row.period_label;
  s.org_code = row.org_code;
  s.org_name = row.org_name;
  s.org_type = row.org_type;
  s.cluster = row.cluster;
  s.region_code = row.region_code;
  s.region_name = row.region_name;
  s.ics_code = row.ics_code;
  s.ics_name = row.ics_name;
  s.staff_group = row.staff_group;
  s.numerator = *numerator;
  s.published_value = row.published_value;
  s.source_file = row.source_file;
  s.source_line = row.source_line;
  return s;
}

Result<BenchmarkImportResult> import_benchmarks(store::Store& store, const std::string& path,
                                                const BenchmarkImportOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  BenchmarkImportResult result;
  CF_ASSIGN_OR_RETURN(result.sha256, benchmark_files_sha256(path));
  CF_ASSIGN_OR_RETURN(auto earlier, store.find_benchmark_import(result.sha256));
  if (earlier) {
    result.outcome = BenchmarkImportOutcome::unchanged;
    result.import_id = earlier->id;
    result.previously_received_at = earlier->received_at;
    return result;
  }
  benchmarks::ImportOptions reading;
  reading.max_findings = options.max_findings;
  CF_ASSIGN_OR_RETURN(result.report, benchmarks::read_publications(path, reading));
  const store::BenchmarkImportRecord record = make_record(path, result.sha256, result.report);
  if (!result.report.ok()) {
    CF_ASSIGN_OR_RETURN(result.import_id,
                        store.record_rejected_benchmark_import(record, result.report.findings));
    result.outcome = BenchmarkImportOutcome::rejected;
    return result;
  }
  std::vector<store::BenchmarkRow> rows;
  rows.reserve(result.report.series.size());
  for (const auto& s : result.report.series) rows.push_back(to_row(s));
  CF_ASSIGN_OR_RETURN(result.import_id,
                      store.store_benchmark_import(record, rows, result.report.findings));
  result.outcome = BenchmarkImportOutcome::accepted;
  return result;
}

Result<benchmarks::BenchmarkSet> load_benchmark_set(const store::Store& store) {
  CF_ASSIGN_OR_RETURN(std::vector<store::BenchmarkRow> rows, store.benchmark_rows());
  std::vector<benchmarks::Series> series;
  series.reserve(rows.size());
  for (const auto& row : rows) {
    CF_ASSIGN_OR_RETURN(benchmarks::Series s, from_row(row));
    series.push_back(std::move(s));
  }
  benchmarks::BenchmarkSet set;
  set.add(std::move(series));
  return set;
}

std::string describe_benchmark_import(const BenchmarkImportResult& result, size_t max_findings) {
  if (result.outcome == BenchmarkImportOutcome::unchanged)
    return fmt::format(
        "unchanged: these files were already imported (benchmark import {}, {}); nothing to "
        "do\n",
        result.import_id, result.previously_received_at);
  std::string out = benchmarks::format_import_report(result.report, max_findings);
  if (result.outcome == BenchmarkImportOutcome::accepted)
    out += fmt::format("stored as benchmark import {}\n", result.import_id);
  else
    out += fmt::format("recorded as rejected benchmark import {}\n", result.import_id);
  return out;
}

}  // namespace careforce::service
