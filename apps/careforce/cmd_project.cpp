// careforce project --db <file> [--years 15] [--runs 1000] [--seed N] [--scenario f.toml ...]
//                   [--scope ...] [--cells auto|sector|sector_place]
//                   [--format table|csv|json] [--explain]
#include <fmt/core.h>

#include "commands.hpp"
#include "common.hpp"
#include "projection/runner.hpp"

namespace careforce::cli {
namespace {

struct ProjectCommandOptions {
  std::string db;
  projection::ProjectionOptions run;
};

int run_project_command(const ProjectCommandOptions& o) {
  if (auto valid = o.run.validate(); !valid) return report_error(valid.error());
  auto model = load_model_from(o.db);
  if (!model) return report_error(model.error());
  auto text = projection::run_projection(*model, o.run);
  if (!text) return report_error(text.error());
  fmt::print("{}", *text);
  return kExitOk;
}

}  // namespace

void register_project(CLI::App& app) {
  auto o = std::make_shared<ProjectCommandOptions>();
  auto* sub = app.add_subcommand(
      "project", "The long-term workforce plan: stochastic supply, demand, gap and cost");
  sub->add_option("--db", o->db, "SQLite database file")->required();
  sub->add_option("--years", o->run.years, "Horizon in financial years (default 15)");
  sub->add_option("--runs", o->run.runs, "Replicates (default 1000)");
  sub->add_option("--seed", o->run.seed, "Run seed: same seed, same numbers");
  sub->add_option("--scenario", o->run.scenario_files, "Scenario TOML file(s) (docs/scenarios)");
  sub->add_option("--scope", o->run.scopes,
                  "system (default), sectors, places, all, sector:<code>, place:<name>");
  sub->add_option("--cells", o->run.cells,
                  "auto (default: by place when a scope or intervention names one), sector or "
                  "sector_place");
  sub->add_option("--format", o->run.format, "table (default), csv or json");
  sub->add_option("--gap-threshold", o->run.gap_threshold,
                  "Report the probability that the gap exceeds this many FTE");
  sub->add_option("--threads", o->run.threads, "Worker threads (default: all cores)");
  sub->add_flag("--explain", o->run.explain, "Print the assumptions in plain English");
  on_run(sub, [o] { return run_project_command(*o); });
}

}  // namespace careforce::cli
