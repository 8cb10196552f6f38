// careforce outcomes --db <file> [--format table|csv|json] [--amber-tolerance 0.10]
#include <fmt/core.h>

#include "commands.hpp"
#include "common.hpp"
#include "metrics/run.hpp"

namespace careforce::cli {
namespace {

struct OutcomesCommandOptions {
  std::string db;
  metrics::OutcomesRunOptions run;
};

int run_outcomes_command(const OutcomesCommandOptions& o) {
  if (auto valid = o.run.validate(); !valid) return report_error(valid.error());
  auto model = load_model_from(o.db);
  if (!model) return report_error(model.error());
  auto text = metrics::run_outcomes(*model, o.run);
  if (!text) return report_error(text.error());
  fmt::print("{}", *text);
  return kExitOk;
}

}  // namespace

void register_outcomes(CLI::App& app) {
  auto o = std::make_shared<OutcomesCommandOptions>();
  auto* sub = app.add_subcommand(
      "outcomes", "The outcomes framework: indicators x years, actual against target, RAG");
  sub->add_option("--db", o->db, "SQLite database file")->required();
  sub->add_option("--format", o->run.format, "table (default), csv or json");
  sub->add_option("--amber-tolerance", o->run.amber_tolerance,
                  "Amber when within this share of the target (default 0.10)");
  on_run(sub, [o] { return run_outcomes_command(*o); });
}

}  // namespace careforce::cli
