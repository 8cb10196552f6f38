#pragma once
// Find one result in an engine's output for assertions.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/engine.hpp"

namespace careforce::metrics::testing {

struct Pick {
  std::string metric;
  std::string scope = "system";
  std::string basis;  ///< "" = any.
  std::string staff_group = "all";
  std::string category;
  std::string role_code = "all";
};

inline const MetricResult& pick(const std::vector<MetricResult>& results, const Pick& p) {
  for (const auto& r : results)
    if (r.metric == p.metric && r.scope == p.scope && (p.basis.empty() || r.basis == p.basis) &&
        r.staff_group == p.staff_group && r.category == p.category && r.role_code == p.role_code)
      return r;
  ADD_FAILURE() << "no result " << p.metric << " " << p.scope << " " << p.basis << " "
                << p.staff_group << " " << p.category;
  static MetricResult none;
  return none;
}

inline bool has(const std::vector<MetricResult>& results, const Pick& p) {
  for (const auto& r : results)
    if (r.metric == p.metric && r.scope == p.scope && (p.basis.empty() || r.basis == p.basis) &&
        r.staff_group == p.staff_group && r.category == p.category && r.role_code == p.role_code)
      return true;
  return false;
}

inline std::vector<MetricResult> run(const model::WorkforceModel& m, Month at,
                                     Breakdown by = Breakdown::staff_group) {
  Query q;
  q.at = at;
  q.by = by;
  auto r = compute(m, q);
  EXPECT_TRUE(r.is_ok()) << (r.is_ok() ? "" : r.error().message);
  return r.is_ok() ? *r : std::vector<MetricResult>{};
}

}  // namespace careforce::metrics::testing
