#pragma once
// GET /api/benchmarks and GET /api/benchmarks/cross-check (docs/api.md): the ICS's own
// figures beside the published national statistics (England, its NHS region, its peers,
// with rank and quartile), and partners' own rates beside the rates published for their
// ODS codes. The published series are loaded once from the store at start-up.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "benchmarks/benchmark_set.hpp"
#include "core/result.hpp"
#include "metrics/engine.hpp"
#include "server/api_support.hpp"
#include "store/store.hpp"

namespace careforce::server {

/// Which ICS and region the dashboard compares (serve --ics / --region).
struct BenchmarkIdentity {
  std::string ics_code;     ///< ICS code as published (e.g. QKK); "" = not declared.
  std::string region_code;  ///< NHS region code (e.g. Y56); "" = the ICS's, or none.
};

/// Own figures of a scope for a metric over months (disclosure control applied), from the
/// metrics engine of the server: (metric, scope type, scope, from, to).
using OwnSeriesFn = std::function<Result<std::vector<metrics::MetricResult>>(
    const std::string&, metrics::ScopeType, const std::string&, Month, Month)>;

class BenchmarkApi {
 public:
  /// Load the stored series; checks that declared codes exist when series are loaded.
  /// `partner_codes` are the organisations of the ICS (taken as ODS codes only when an
  /// ICS code is declared).
  Status load(const store::Store& store, const BenchmarkIdentity& identity,
              std::vector<std::string> partner_codes);

  Json handle_benchmarks(Query& q, const OwnSeriesFn& own) const;
  Json handle_cross_check(Query& q, const OwnSeriesFn& own) const;

  bool loaded() const { return !monthly_.series().empty(); }

  /// A dashboard metric and the published metric set beside it.
  struct Mapping {
    std::string metric;            ///< careforce metric name (or the published one).
    std::string benchmark_metric;  ///< Published metric.
    int window_months = 1;         ///< 1 = monthly figures; 12 = sums of 12 months.
    bool own_comparable = true;    ///< careforce computes the same quantity.
    std::string note;
  };

 private:
  Json identity_json() const;
  Json metric_json(const Mapping& m, const std::string& scope_type, const std::string& scope,
                   std::optional<Month> from, std::optional<Month> to,
                   const OwnSeriesFn& own) const;

  benchmarks::BenchmarkSet monthly_;
  benchmarks::BenchmarkSet rolling12_;  ///< Sickness summed over 12 published months.
  BenchmarkIdentity identity_;
  std::string ics_name_, region_name_;
  std::vector<std::string> partner_codes_;
  std::vector<Mapping> mappings_;
  mutable std::mutex cache_mutex_;
  mutable std::map<std::string, std::string> cache_;
};

}  // namespace careforce::server
