// careforce import <folder-or-zip> --db <file> [--accept-valid-rows] [--report findings.csv]
#include <fmt/core.h>

#include "commands.hpp"
#include "service/import_service.hpp"

namespace careforce::cli {
namespace {

struct ImportCommandOptions {
  std::string source;
  std::string db;
  std::string report;
  bool accept_valid_rows = false;
  size_t max_findings = 50;
  uint64_t crash_after_rows = 0;
};

int run_import(const ImportCommandOptions& o) {
  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  service::ImportOptions options;
  options.accept_valid_rows = o.accept_valid_rows;
  options.findings_csv = o.report;
  options.crash_after_rows = o.crash_after_rows;
  auto result = service::import_submission(**store, o.source, options);
  if (!result) return report_error(result.error());
  fmt::print("{}", service::describe_import(*result, o.max_findings));
  if (!o.report.empty()) fmt::print("Findings written to {}\n", o.report);
  return result->outcome == service::ImportOutcome::rejected ? kExitRejected : kExitOk;
}

}  // namespace

void register_import(CLI::App& app) {
  auto o = std::make_shared<ImportCommandOptions>();
  auto* sub = app.add_subcommand(
      "import", "Validate a submission (folder or .zip) and store it; all or nothing");
  sub->add_option("source", o->source, "Submission folder or .zip")->required();
  sub->add_option("--db", o->db, "SQLite database file (created if absent)")->required();
  sub->add_flag("--accept-valid-rows", o->accept_valid_rows,
                "Keep the valid rows and quarantine the rejected ones with their reasons");
  sub->add_option("--report", o->report, "Also write every finding to this CSV file");
  sub->add_option("--max-findings", o->max_findings, "Findings to print (default 50)");
  sub->add_option("--test-crash-after-rows", o->crash_after_rows)->group("");  // crash test hook
  on_run(sub, [o] { return run_import(*o); });
}

}  // namespace careforce::cli
