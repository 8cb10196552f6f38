// careforce benchmarks import <file-or-folder> --db <file> [--max-findings N]
// careforce benchmarks compare --db <file> (--ics CODE | --org CODE) [--metric NAME ...]
//   [--staff-group NAME] [--from YYYY-MM] [--to YYYY-MM] [--places N] [--format text|csv|json]
// careforce benchmarks list --db <file>
#include <fmt/core.h>

#include "benchmarks/compare.hpp"
#include "commands.hpp"
#include "core/date.hpp"
#include "service/benchmark_service.hpp"

namespace careforce::cli {
namespace {

struct BenchmarkImportCommand {
  std::string source;
  std::string db;
  size_t max_findings = 50;
};

struct BenchmarkCompareCommand {
  std::string db;
  std::string ics;
  std::string org;
  std::vector<std::string> metrics;
  std::string staff_group = std::string(benchmarks::kAllStaffGroups);
  std::string from;
  std::string to;
  int places = -1;
  std::string format = "text";
};

struct BenchmarkListCommand {
  std::string db;
};

int run_benchmarks_import(const BenchmarkImportCommand& o) {
  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  service::BenchmarkImportOptions options;
  // Keep every finding the store would keep; --max-findings limits only what is printed.
  options.max_findings = 10000;
  auto result = service::import_benchmarks(**store, o.source, options);
  if (!result) return report_error(result.error());
  fmt::print("{}", service::describe_benchmark_import(*result, o.max_findings));
  return result->outcome == service::BenchmarkImportOutcome::rejected ? kExitRejected : kExitOk;
}

/// Parse an optional `YYYY-MM` option; an error names the option.
Result<std::optional<Month>> month_option(const std::string& text, const char* name) {
  if (text.empty()) return std::optional<Month>();
  auto month = parse_period(text);
  if (!month)
    return make_error(ErrorCode::invalid_argument,
                      std::string(name) + " '" + text + "' is not a month (YYYY-MM)");
  return std::optional<Month>(*month);
}

int run_benchmarks_compare(const BenchmarkCompareCommand& o) {
  benchmarks::CompareOptions options;
  options.ics_code = o.ics;
  options.org_code = o.org;
  options.metrics = o.metrics;
  options.staff_group = o.staff_group;
  options.places = o.places;
  auto from = month_option(o.from, "--from");
  if (!from) return report_error(from.error());
  auto to = month_option(o.to, "--to");
  if (!to) return report_error(to.error());
  options.from = *from;
  options.to = *to;
  auto format = benchmarks::parse_output_format(o.format);
  if (!format)
    return report_error(make_error(ErrorCode::invalid_argument,
                                   "--format '" + o.format + "' is not text, csv or json"));
  options.format = *format;
  if (Status valid = options.validate(); !valid) return report_error(valid.error());

  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  auto set = service::load_benchmark_set(**store);
  if (!set) return report_error(set.error());
  if (set->size() == 0)
    return report_error(make_error(ErrorCode::not_found,
                                   "no benchmark series in " + o.db +
                                       "; import published files first with `careforce benchmarks "
                                       "import <file-or-folder> --db " +
                                       o.db + "`"));
  auto output = benchmarks::run_compare(*set, options);
  if (!output) return report_error(output.error());
  fmt::print("{}", *output);
  return kExitOk;
}

int run_benchmarks_list(const BenchmarkListCommand& o) {
  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  auto imports = (*store)->benchmark_imports();
  if (!imports) return report_error(imports.error());
  auto summary = (*store)->benchmark_summary();
  if (!summary) return report_error(summary.error());
  if (imports->empty()) {
    fmt::print("No benchmark imports yet.\n");
    return kExitOk;
  }
  fmt::print("{:>4}  {:<20}  {:<8}  {:>6}  {:>8}  {:>7}  {}\n", "id", "received (UTC)", "outcome",
             "errors", "warnings", "series", "source");
  for (const auto& i : *imports)
    fmt::print("{:>4}  {:<20}  {:<8}  {:>6}  {:>8}  {:>7}  {}\n", i.id, i.received_at,
               i.accepted ? "accepted" : "rejected", i.errors, i.warnings, i.series, i.source);
  fmt::print("\n{:<28}  {:<32}  {:<7}  {:<7}  {:>7}  {:>13}  {:>7}\n", "publication", "metric",
             "from", "to", "periods", "organisations", "series");
  uint64_t total = 0;
  for (const auto& s : *summary) {
    fmt::print("{:<28}  {:<32}  {:<7}  {:<7}  {:>7}  {:>13}  {:>7}\n", s.publication, s.metric,
               s.first_period, s.last_period, s.periods, s.organisations, s.series);
    total += s.series;
  }
  fmt::print("{} benchmark series stored\n", total);
  return kExitOk;
}

}  // namespace

void register_benchmarks(CLI::App& app) {
  auto* group = app.add_subcommand(
      "benchmarks", "Published national statistics: import them and compare an ICS or trust");
  group->require_subcommand(1);

  auto i = std::make_shared<BenchmarkImportCommand>();
  auto* import = group->add_subcommand(
      "import",
      "Validate published NHS Digital files (file or folder) and store them; all or "
      "nothing, idempotent");
  import->add_option("source", i->source, "Published .csv file, or a folder of them")->required();
  import->add_option("--db", i->db, "SQLite database file (created if absent)")->required();
  import->add_option("--max-findings", i->max_findings, "Findings to print (default 50)");
  on_run(import, [i] { return run_benchmarks_import(*i); });

  auto c = std::make_shared<BenchmarkCompareCommand>();
  auto* compare = group->add_subcommand(
      "compare", "Set an ICS or organisation beside England, its region and its peers");
  compare->add_option("--db", c->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  compare->add_option("--ics", c->ics, "ICS code (e.g. QKK)");
  compare->add_option("--org", c->org, "Organisation ODS code (e.g. RJ1)");
  compare->add_option("--metric", c->metrics, "Metric (repeatable; default: every rate)");
  compare->add_option("--staff-group", c->staff_group,
                      "Publisher's staff group (default: All staff groups)");
  compare->add_option("--from", c->from, "First month, YYYY-MM");
  compare->add_option("--to", c->to, "Last month, YYYY-MM");
  compare->add_option("--places", c->places, "Decimal places of values (default: the metric's)");
  compare->add_option("--format", c->format, "text, csv or json (default text)");
  on_run(compare, [c] { return run_benchmarks_compare(*c); });

  auto l = std::make_shared<BenchmarkListCommand>();
  auto* list = group->add_subcommand("list", "List benchmark imports and the series stored");
  list->add_option("--db", l->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  on_run(list, [l] { return run_benchmarks_list(*l); });
}

}  // namespace careforce::cli
