// careforce validate <folder-or-zip> [--db file] [--report findings.csv]: check, store nothing.
#include <fmt/core.h>

#include "commands.hpp"
#include "service/import_service.hpp"

namespace careforce::cli {
namespace {

struct ValidateCommandOptions {
  std::string source;
  std::string db;
  std::string report;
  size_t max_findings = 50;
};

int run_validate(const ValidateCommandOptions& o) {
  std::unique_ptr<store::Store> reference;
  if (!o.db.empty()) {
    auto store = store::open_store(o.db);
    if (!store) return report_error(store.error());
    reference = std::move(*store);
  }
  service::ImportOptions options;
  options.findings_csv = o.report;
  auto report = service::validate_only(o.source, reference.get(), options);
  if (!report) return report_error(report.error());
  fmt::print("{}", ingest::format_report(*report, o.max_findings));
  if (!o.report.empty()) fmt::print("Findings written to {}\n", o.report);
  fmt::print("{}", report->rejected ? "\nInvalid: this submission would be rejected.\n"
                                    : "\nValid: this submission would be accepted.\n");
  return report->rejected ? kExitRejected : kExitOk;
}

}  // namespace

void register_validate(CLI::App& app) {
  auto o = std::make_shared<ValidateCommandOptions>();
  auto* sub = app.add_subcommand("validate", "Check a submission against the data standard");
  sub->add_option("source", o->source, "Submission folder or .zip")->required();
  sub->add_option("--db", o->db, "Also accept organisations already in this database");
  sub->add_option("--report", o->report, "Also write every finding to this CSV file");
  sub->add_option("--max-findings", o->max_findings, "Findings to print (default 50)");
  on_run(sub, [o] { return run_validate(*o); });
}

}  // namespace careforce::cli
