// careforce metrics --db <file> --at YYYY-MM [--scope ...] [--by ...] [--metric NAME ...]
//                   [--format table|csv|json] [--suppress]
#include <fmt/core.h>

#include "commands.hpp"
#include "common.hpp"
#include "metrics/registry.hpp"
#include "metrics/run.hpp"

namespace careforce::cli {
namespace {

struct MetricsCommandOptions {
  std::string db;
  metrics::MetricsOptions run;
  bool rolling_include_rotation = false;
};

int run_metrics_command(MetricsCommandOptions o) {
  if (o.rolling_include_rotation) o.run.rolling_exclude.clear();
  if (auto valid = o.run.validate(); !valid) return report_error(valid.error());
  auto model = load_model_from(o.db);
  if (!model) return report_error(model.error());
  auto text = metrics::run_metrics(*model, o.run);
  if (!text) return report_error(text.error());
  fmt::print("{}", *text);
  return kExitOk;
}

}  // namespace

void register_metrics(CLI::App& app) {
  auto o = std::make_shared<MetricsCommandOptions>();
  auto* sub = app.add_subcommand("metrics", "Compute the system metrics (docs/metrics.md)");
  sub->add_option("--db", o->db, "SQLite database file")->required();
  sub->add_option("--at", o->run.at, "Month end YYYY-MM (default: the latest snapshot)");
  sub->add_option("--scope", o->run.scope, "system, place, sector or org (default: all)");
  sub->add_option("--by", o->run.by, "staff_group (default), role, or none");
  sub->add_option("--metric", o->run.metrics, "Metric name(s) (default: all; see below)");
  sub->footer(metrics::metrics_help_text());
  sub->add_option("--format", o->run.format, "table (default), csv or json");
  sub->add_flag("--suppress", o->run.suppress,
                "Disclosure control: counts 1-4 shown as *, others rounded to 5");
  sub->add_option("--from", o->run.series_from, "Also every month end from YYYY-MM to --at");
  sub->add_flag("--rolling-fte", o->run.rolling_fte_basis, "Rolling turnover on FTE basis");
  sub->add_flag("--rolling-include-rotation", o->rolling_include_rotation,
                "Rolling turnover counts rotation leavers too");
  on_run(sub, [o] { return run_metrics_command(*o); });
}

}  // namespace careforce::cli
