#include "metrics/outcomes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "metrics/registry.hpp"

namespace careforce::metrics {

Status OutcomesOptions::validate() const {
  if (!(amber_tolerance >= 0) || amber_tolerance > 1)
    return make_error(ErrorCode::invalid_argument,
                      fmt::format("amber tolerance {} must be between 0 and 1", amber_tolerance));
  return Status::ok();
}

std::string rag_rating(double actual, double target, Direction direction, double tolerance) {
  if (std::isnan(actual) || std::isnan(target)) return "n/a";
  const double slack = tolerance * std::abs(target);
  if (direction == Direction::lower_is_better) {
    if (actual <= target) return "green";
    return actual <= target + slack ? "amber" : "red";
  }
  if (actual >= target) return "green";
  return actual >= target - slack ? "amber" : "red";
}

std::string direction_of_travel(double actual, double previous, Direction direction) {
  if (std::isnan(actual) || std::isnan(previous)) return "n/a";
  const double diff = actual - previous;
  if (std::abs(diff) < 1e-9) return "no change";
  const bool better = direction == Direction::lower_is_better ? diff < 0 : diff > 0;
  return better ? "improving" : "worsening";
}

namespace {

struct ScopeRef {
  ScopeType type = ScopeType::system;
  std::string name = "system";
};

std::optional<ScopeRef> parse_scope(const std::string& text) {
  if (text == "system") return ScopeRef{};
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  const std::string kind = text.substr(0, colon), name = text.substr(colon + 1);
  if (kind == "sector") return ScopeRef{ScopeType::sector, name};
  if (kind == "place") return ScopeRef{ScopeType::place, name};
  if (kind == "org") return ScopeRef{ScopeType::org, name};
  return std::nullopt;
}

}  // namespace

Result<std::vector<OutcomeRow>> compute_outcomes(const model::WorkforceModel& model,
                                                 const OutcomesOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  MetricsEngine engine(model, {.index = options.index});
  // The actual of one indicator, scope and month end in the first basis available (or in
  // `basis` when given, so a year is compared with its own basis); NaN with a note when
  // unavailable.
  auto actual = [&](const std::string& indicator, const ScopeRef& scope, Month at,
                    std::string& note, std::string& basis) -> double {
    if (!find_metric(indicator)) {
      note = "unknown indicator";
      return kNaN;
    }
    Query q;
    q.at = at;
    q.metrics = {indicator};
    q.scope_types = {scope.type};
    q.scopes = {scope.name};
    q.by = Breakdown::none;
    auto results = engine.compute(q);
    if (!results) {
      note = results.error().message;
      return kNaN;
    }
    for (const auto& r : *results) {
      if (r.scope_type != scope.type || r.scope != scope.name || !r.category.empty()) continue;
      if (!r.available) continue;
      if (std::isnan(r.value)) continue;
      if (!basis.empty() && r.basis != basis) continue;
      basis = r.basis;
      return r.value;
    }
    note = results->empty() ? "scope not found" : "not available";
    return kNaN;
  };
  std::vector<OutcomeRow> rows;
  for (const auto& t : model.targets) {
    OutcomeRow row;
    row.indicator = t.indicator;
    row.scope = t.scope;
    row.year = t.year;
    row.target = t.target;
    row.direction = t.direction;
    const auto scope = parse_scope(t.scope);
    if (!scope) {
      row.note = "unknown scope";
    } else {
      std::string basis, ignored;
      row.actual = actual(t.indicator, *scope, t.year.march(), row.note, basis);
      // Direction of travel against the same basis only (vacancy: fte or posts, never mixed).
      if (!std::isnan(row.actual))
        row.previous = actual(t.indicator, *scope, t.year.march() - 12, ignored, basis);
    }
    row.rag = rag_rating(row.actual, row.target, row.direction, options.amber_tolerance);
    row.travel = direction_of_travel(row.actual, row.previous, row.direction);
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const OutcomeRow& a, const OutcomeRow& b) {
    return std::tie(a.indicator, a.scope, a.year) < std::tie(b.indicator, b.scope, b.year);
  });
  return rows;
}

}  // namespace careforce::metrics
