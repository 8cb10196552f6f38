// careforce summary --db <file> [--at YYYY-MM]: the headline figures of the system and its
// sectors for one month, as a People Board would first ask for them.
#include <fmt/core.h>

#include <cmath>
#include <map>

#include "commands.hpp"
#include "common.hpp"
#include "metrics/engine.hpp"

namespace careforce::cli {
namespace {

struct SummaryOptions {
  std::string db;
  std::string at;
};

struct Column {
  const char* metric;
  const char* basis;  ///< "" = any basis.
  const char* heading;
  bool percent;
};

constexpr Column kColumns[] = {
    {"sip_headcount", "", "Headcount", false},
    {"sip_fte", "", "FTE", false},
    {"vacancy_rate", "fte", "Vacancy % (FTE)", true},
    {"vacancy_rate", "posts", "Vacancy % (posts)", true},
    {"turnover_rate", "headcount", "Turnover %", true},
    {"stability_index", "", "Stability %", true},
    {"sickness_absence_rate", "", "Sickness %", true},
    {"agency_share_of_pay", "", "Agency % pay", true},
    {"age_55_plus_share", "", "Aged 55+ %", true},
};

std::string cell(const metrics::MetricResult* r, bool percent) {
  if (!r || !r->available || std::isnan(r->value)) return "n/a";
  return percent ? fmt::format("{:.1f}", r->value) : fmt::format("{:.0f}", r->value);
}

int run_summary(const SummaryOptions& o) {
  auto model = load_model_from(o.db);
  if (!model) return report_error(model.error());
  if (model->snapshot_months().empty()) {
    fmt::print("The store at {} holds no staff data yet.\n", o.db);
    return kExitOk;
  }
  Month at = model->latest_month();
  if (!o.at.empty()) {
    auto parsed = parse_period(o.at);
    if (!parsed)
      return report_error(make_error(ErrorCode::invalid_argument,
                                     "--at must be a month YYYY-MM, got '" + o.at + "'"));
    at = *parsed;
  }
  metrics::Query query;
  query.at = at;
  query.scope_types = {metrics::ScopeType::system, metrics::ScopeType::sector};
  query.by = metrics::Breakdown::none;
  for (const auto& c : kColumns) query.metrics.push_back(c.metric);
  query.metrics.push_back("system_retention_rate");
  auto results = metrics::compute(*model, query);
  if (!results) return report_error(results.error());

  // (scope, metric, basis) -> result; the all-staff, uncategorised figure.
  std::map<std::tuple<std::string, std::string, std::string>, const metrics::MetricResult*> by_key;
  std::vector<std::string> scopes;
  for (const auto& r : *results) {
    if (!r.category.empty()) continue;
    by_key[{r.scope, std::string(r.metric), std::string(r.basis)}] = &r;
    by_key.try_emplace({r.scope, std::string(r.metric), ""}, &r);
    if (std::find(scopes.begin(), scopes.end(), r.scope) == scopes.end()) scopes.push_back(r.scope);
  }

  size_t record = 0;
  for (const auto& org : model->organisations) record += org.level == DataLevel::record;
  fmt::print("careforce summary: {} at {}\n", o.db, at.end().iso());
  fmt::print("{} organisations ({} record-level, {} aggregate returns) in {} places; {} snapshots "
             "from {} to {}\n\n",
             model->organisations.size(), record, model->organisations.size() - record,
             model->places.size(), model->snapshot_months().size(),
             model->snapshot_months().front().end().iso(),
             model->snapshot_months().back().end().iso());
  fmt::print("{:<14}", "scope");
  for (const auto& c : kColumns) fmt::print(" {:>{}}", c.heading, std::max<size_t>(9, strlen(c.heading)));
  fmt::print("\n");
  for (const auto& scope : scopes) {
    fmt::print("{:<14}", scope);
    for (const auto& c : kColumns) {
      auto it = by_key.find({scope, c.metric, c.basis});
      fmt::print(" {:>{}}", cell(it == by_key.end() ? nullptr : it->second, c.percent),
                 std::max<size_t>(9, strlen(c.heading)));
    }
    fmt::print("\n");
  }
  auto retention = by_key.find({"system", "system_retention_rate", ""});
  if (retention != by_key.end())
    fmt::print("\nSystem retention (stayed anywhere in the system for 12 months): {}%\n",
               cell(retention->second, true));
  fmt::print("Every figure: careforce metrics --db {} --at {}\n", o.db, at.iso());
  return kExitOk;
}

}  // namespace

void register_summary(CLI::App& app) {
  auto o = std::make_shared<SummaryOptions>();
  auto* sub = app.add_subcommand("summary", "Headline figures for the system and each sector");
  sub->add_option("--db", o->db, "SQLite database file")->required();
  sub->add_option("--at", o->at, "Month end YYYY-MM (default: the latest snapshot)");
  on_run(sub, [o] { return run_summary(*o); });
}

}  // namespace careforce::cli
