#pragma once
// The metrics engine: computes every metric of the registry on the in-memory columnar
// model, for every scope (system, place, sector, org) crossed with staff group or role,
// at a month end or as a monthly series. Numerators and denominators are summed over the
// scope first and divided last (../shared/domain/METRICS.md).

#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"
#include "model/workforce_model.hpp"

namespace careforce::metrics {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

enum class ScopeType : uint8_t { system, place, sector, org };
/// `system`, `place`, `sector` or `org`.
const char* scope_type_name(ScopeType type);

/// Break results down by staff group or by role (always with the all-staff total).
enum class Breakdown : uint8_t { none, staff_group, role };

/// Options of the event-method (rolling) turnover; stated in the result's `options`.
struct RollingTurnoverOptions {
  bool fte_basis = false;
  /// Leaver reasons left out (indices in leaver_reasons()); default `rotation`.
  std::vector<uint8_t> excluded_reasons{static_cast<uint8_t>(LeaverReason::rotation)};
  /// Describe the options as `basis=headcount; excluded=rotation`.
  std::string describe() const;
};

struct Query {
  Month at;                            ///< The month end E.
  std::vector<ScopeType> scope_types;  ///< Empty = every scope type.
  std::vector<std::string> scopes;     ///< Empty = every scope; else names (`RAA`, `North`).
  Breakdown by = Breakdown::staff_group;
  std::vector<std::string> metrics;  ///< Empty = every registered metric.
  RollingTurnoverOptions rolling;
  /// Check metric names and scope types.
  Status validate() const;
};

/// One figure. The string_view fields point into the registry and the code lists, which
/// live as long as the program; `scope` and `options` are owned.
struct MetricResult {
  std::string_view metric;
  Month period;  ///< period_end = period.end().
  ScopeType scope_type = ScopeType::system;
  std::string scope = "system";
  std::string_view staff_group = "all";
  std::string_view role_code = "all";
  std::string_view category;  ///< e.g. `back`, `55-64`, `8A-8B|sex=female`.
  double value = kNaN;
  double numerator = kNaN;
  double denominator = kNaN;
  std::string_view basis;  ///< headcount, fte, posts, fte_days, gbp, shifts...
  int coverage_orgs = 0;
  int total_orgs = 0;
  bool available = true;  ///< False: the files it needs are missing in scope.
  bool value_suppressed = false;
  bool numerator_suppressed = false;
  bool denominator_suppressed = false;
  std::string options;
  std::span<const std::string> files;  ///< Files that fed the result.
  /// Person counts behind numerator and denominator (disclosure control), NaN if none.
  double numerator_persons = kNaN;
  double denominator_persons = kNaN;
};

/// What every query of a model reads, whatever it asks: each snapshot month's staff by
/// person and by organisation, headcount and FTE of every scope, vacancy cells, and the
/// snapshot rows of every leaver event and absence episode. Build it once when the model
/// is loaded and share it among engines: it is immutable, so any number of engines on any
/// threads may read it. An engine without one builds what a query needs as it goes.
class ModelIndex {
 public:
  /// Index `model` on `threads` threads (months are shared out between them).
  static std::shared_ptr<const ModelIndex> build(const model::WorkforceModel& model,
                                                 int threads = 1);
  ~ModelIndex();
  ModelIndex(const ModelIndex&) = delete;
  ModelIndex& operator=(const ModelIndex&) = delete;

  const model::WorkforceModel& model() const { return model_; }
  /// Approximate bytes held.
  size_t memory_bytes() const;

  /// The indexes themselves (engine.cpp).
  struct Data;
  const Data& data() const { return *data_; }

 private:
  ModelIndex(const model::WorkforceModel& model, std::unique_ptr<Data> data);
  const model::WorkforceModel& model_;
  std::unique_ptr<Data> data_;
};

/// How a MetricsEngine keeps what it computes.
struct EngineOptions {
  /// Keep per-month indexes, grids, windows and event rows across queries (false: drop
  /// them after each query and each month of a series; the results are the same).
  bool keep_caches = true;
  /// Indexes built when the model was loaded (ModelIndex::build on the same model), read
  /// instead of building them; null: the engine builds what it needs. Same results.
  std::shared_ptr<const ModelIndex> index = nullptr;
};

/// Computes metrics on one model; caches per-month indexes, so keep it for a series.
/// Not thread-safe: use one engine per thread.
class MetricsEngine {
 public:
  explicit MetricsEngine(const model::WorkforceModel& model, EngineOptions options = {});
  ~MetricsEngine();
  MetricsEngine(const MetricsEngine&) = delete;
  MetricsEngine& operator=(const MetricsEngine&) = delete;

  /// Every requested metric at the month end `query.at`.
  Result<std::vector<MetricResult>> compute(const Query& query) const;
  /// The same for every month end from `from` to `to` (inclusive), in month order.
  Result<std::vector<MetricResult>> series(const Query& query, Month from, Month to) const;

  /// The engine's indexes and caches (engine.cpp).
  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

/// Compute with a temporary engine.
Result<std::vector<MetricResult>> compute(const model::WorkforceModel& model, const Query& query);

}  // namespace careforce::metrics
