// careforce export --db <file> --xlsx <file> [--at YYYY-MM] [--suppress]
#include <fmt/core.h>

#include "commands.hpp"
#include "common.hpp"
#include "export/xlsx_export.hpp"

namespace careforce::cli {
namespace {

struct ExportCommandOptions {
  std::string db;
  xlsx::WorkbookOptions workbook;
};

int run_export(const ExportCommandOptions& o) {
  if (auto valid = o.workbook.validate(); !valid) return report_error(valid.error());
  auto model = load_model_from(o.db);
  if (!model) return report_error(model.error());
  auto summary = xlsx::write_workbook(*model, o.workbook);
  if (!summary) return report_error(summary.error());
  fmt::print("Wrote {} ({} sheets, {} rows) for {}\n", o.workbook.path.string(), summary->sheets,
             summary->rows, summary->at.end().iso());
  return kExitOk;
}

}  // namespace

void register_export(CLI::App& app) {
  auto o = std::make_shared<ExportCommandOptions>();
  auto* sub = app.add_subcommand("export", "Write every metric and the outcomes framework to Excel");
  sub->add_option("--db", o->db, "SQLite database file")->required();
  sub->add_option("--xlsx", o->workbook.path, "The .xlsx workbook to write")->required();
  sub->add_option("--at", o->workbook.at, "Month end YYYY-MM (default: the latest snapshot)");
  sub->add_flag("--suppress", o->workbook.suppress, "Apply disclosure control");
  on_run(sub, [o] { return run_export(*o); });
}

}  // namespace careforce::cli
