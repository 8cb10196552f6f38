// careforce submissions --db <file>: the submission history.
// careforce quarantine --db <file> [--submission N]: rejected rows kept with their reasons.
#include <fmt/core.h>

#include "commands.hpp"
#include "store/store.hpp"

namespace careforce::cli {
namespace {

struct HistoryOptions {
  std::string db;
  int64_t submission = 0;  ///< 0: all submissions.
  size_t limit = 200;
};

int run_submissions(const HistoryOptions& o) {
  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  auto history = (*store)->submissions();
  if (!history) return report_error(history.error());
  fmt::print("{:>4}  {:<20}  {:<24}  {:>7}  {:>8}  {:>9}  {}\n", "id", "received (UTC)",
             "outcome", "errors", "warnings", "rows", "source");
  for (const auto& s : *history) {
    uint64_t rows = 0;
    for (const auto& f : s.files) rows += f.rows_accepted;
    fmt::print("{:>4}  {:<20}  {:<24}  {:>7}  {:>8}  {:>9}  {}\n", s.id, s.received_at,
               store::outcome_name(s.outcome), s.errors, s.warnings, rows, s.source);
  }
  if (history->empty()) fmt::print("No submissions yet.\n");
  return kExitOk;
}

int run_quarantine(const HistoryOptions& o) {
  auto store = store::open_store(o.db);
  if (!store) return report_error(store.error());
  std::optional<int64_t> filter;
  if (o.submission > 0) filter = o.submission;
  auto rows = (*store)->quarantine(filter, o.limit);
  if (!rows) return report_error(rows.error());
  for (const auto& row : *rows) {
    fmt::print("submission {} {}:{}: {}\n", row.submission_id, row.file_name, row.line,
               row.raw_row);
    for (const auto& f : row.findings) fmt::print("    {}\n", f.format());
  }
  if (rows->empty()) fmt::print("No quarantined rows.\n");
  return kExitOk;
}

}  // namespace

void register_submissions(CLI::App& app) {
  auto o = std::make_shared<HistoryOptions>();
  auto* sub = app.add_subcommand("submissions", "List the submission history");
  sub->add_option("--db", o->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  on_run(sub, [o] { return run_submissions(*o); });

  auto q = std::make_shared<HistoryOptions>();
  auto* quarantine = app.add_subcommand("quarantine", "List quarantined rows with their reasons");
  quarantine->add_option("--db", q->db, "SQLite database file")->required()->check(CLI::ExistingFile);
  quarantine->add_option("--submission", q->submission, "Only this submission id");
  quarantine->add_option("--limit", q->limit, "At most this many rows (default 200)");
  on_run(quarantine, [q] { return run_quarantine(*q); });
}

}  // namespace careforce::cli
