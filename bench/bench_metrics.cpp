// Metrics engine speed: the full metric set at every scope and staff group on a
// national-sized model (1.5 million persons, 13 month ends, 220 organisations), and a
// 36-month drill-down (one metric, one scope, all staff groups) on a demo-sized ICS.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "metrics/engine.hpp"
#include "model/workforce_model.hpp"
#include "store/store.hpp"

namespace careforce::metrics {
namespace {

struct Shape {
  size_t persons;
  int orgs;
  int places;
  int months;  ///< Month ends, ending 2025-03.
};

/// A synthetic system: people join, leave, move between organisations and change roles;
/// 5% hold a second assignment; absence, establishment, shifts and pay for every month.
std::unique_ptr<model::WorkforceModel> make_model(const Shape& shape, unsigned seed) {
  auto m = std::make_unique<model::WorkforceModel>();
  std::mt19937 rng(seed);
  auto uniform = [&](unsigned n) { return static_cast<unsigned>(rng() % n); };
  for (int p = 0; p < shape.places; ++p) m->places.intern("place" + std::to_string(p));
  const Sector cycle[] = {Sector::acute,        Sector::community,    Sector::mental_health,
                          Sector::primary_care, Sector::primary_care, Sector::social_care,
                          Sector::ambulance,    Sector::vcse};
  for (int o = 0; o < shape.orgs; ++o)
    m->add_organisation({"ORG" + std::to_string(o), "Organisation " + std::to_string(o),
                         cycle[o % 8], static_cast<uint32_t>(o % shape.places), DataLevel::record});
  // Larger organisations first: acute trusts hold most staff.
  std::vector<double> weight(static_cast<size_t>(shape.orgs));
  for (int o = 0; o < shape.orgs; ++o) weight[static_cast<size_t>(o)] = o % 8 == 0 ? 6 : 1;
  std::discrete_distribution<int> org_of(weight.begin(), weight.end());
  const size_t nroles = roles().size();
  struct Person {
    uint16_t org;
    uint8_t role, band;
    bool active, second;
    float fte;
    int16_t birth_year;
    uint8_t eth, sex, source;
  };
  const size_t pool = shape.persons + shape.persons / 10;  // inactive pool to join from
  std::vector<Person> people(pool);
  for (size_t i = 0; i < pool; ++i) {
    m->persons.intern("P" + std::to_string(i));
    people[i] = {static_cast<uint16_t>(org_of(rng)),
                 static_cast<uint8_t>(uniform(static_cast<unsigned>(nroles))),
                 static_cast<uint8_t>(uniform(14)),
                 i < shape.persons,
                 uniform(100) < 5,
                 0.4f + 0.1f * static_cast<float>(uniform(7)),
                 static_cast<int16_t>(1955 + uniform(50)),
                 static_cast<uint8_t>(uniform(6)),
                 static_cast<uint8_t>(uniform(3)),
                 static_cast<uint8_t>(uniform(9))};
  }
  auto assignment = [&](size_t person, uint16_t org, int which) {
    return m->assignments.intern(std::to_string(org) + "|P" + std::to_string(person) + "-" +
                                 std::to_string(which));
  };
  const uint8_t admin = *roles().find("admin_clerical");
  const Month last = Month::from_ym(2025, 3);
  const Month first = last - (shape.months - 1);
  m->staff_in_post.reserve(pool * static_cast<size_t>(shape.months) * 11 / 10);
  for (Month month = first; month <= last; month = month + 1) {
    std::vector<double> group_fte(static_cast<size_t>(shape.orgs) * 16, 0.0);
    for (size_t i = 0; i < pool; ++i) {
      auto& p = people[i];
      const unsigned roll = uniform(1000);
      const Date day = Date{month.start().days + static_cast<int>(uniform(28))};
      if (month != first) {
        if (p.active && roll < 10) {  // leaves
          p.active = false;
          m->leavers.append({p.org,
                             static_cast<uint32_t>(i),
                             assignment(i, p.org, 1),
                             day,
                             static_cast<uint8_t>(uniform(14)),
                             static_cast<uint8_t>(uniform(9)),
                             {}});
          continue;
        }
        if (!p.active && roll < 90) {  // joins
          p.active = true;
          p.org = static_cast<uint16_t>(org_of(rng));
        } else if (p.active && roll < 13) {  // moves to another organisation
          m->leavers.append(
              {p.org, static_cast<uint32_t>(i), assignment(i, p.org, 1), day, 0, 0, {}});
          p.org = static_cast<uint16_t>(org_of(rng));
        } else if (p.active && roll < 18) {
          p.role = static_cast<uint8_t>(uniform(static_cast<unsigned>(nroles)));
        }
      }
      if (!p.active) continue;
      model::StaffInPost::Row r;
      r.month = month;
      r.org = p.org;
      r.person = static_cast<uint32_t>(i);
      r.assignment = assignment(i, p.org, 1);
      r.role = p.role;
      r.staff_group = role_info(p.role).staff_group;
      r.band = p.band;
      r.fte = p.fte;
      r.birth_year = p.birth_year;
      r.ethnic_group = p.eth;
      r.sex = p.sex;
      r.disability = 1;
      r.recruitment_source = p.source;
      m->staff_in_post.append(r);
      group_fte[p.org * 16u + r.staff_group] += r.fte;
      if (p.second) {
        r.assignment = assignment(i, p.org, 2);
        r.role = admin;
        r.staff_group = role_info(admin).staff_group;
        r.fte = 0.2;
        m->staff_in_post.append(r);
        group_fte[p.org * 16u + r.staff_group] += r.fte;
      }
      if (uniform(100) < 4)  // a sickness episode starting this month
        m->absence.append({p.org,
                           static_cast<uint32_t>(i),
                           assignment(i, p.org, 1),
                           day,
                           Date{day.days + static_cast<int>(uniform(60))},
                           static_cast<uint8_t>(uniform(12)),
                           {}});
    }
    for (int o = 0; o < shape.orgs; ++o) {
      for (uint8_t g = 0; g < 16; ++g) {
        const double fte = group_fte[static_cast<size_t>(o) * 16 + g];
        if (fte == 0) continue;
        const auto org = static_cast<uint16_t>(o);
        m->establishment.push_back(
            {month, org, g, kAnyCode, kAnyCode, fte * (0.95 + 0.002 * uniform(100)), {}});
        m->pay_costs.push_back({month, org, g, fte * 3000, fte * 150, fte * 120, {}});
      }
      for (int s = 0; s < 100; ++s)
        m->shifts.push_back({Date{month.start().days + static_cast<int>(uniform(28))},
                             static_cast<uint16_t>(o),
                             2,
                             6,
                             static_cast<uint8_t>(uniform(3)),
                             static_cast<uint8_t>(uniform(4)),
                             7.5f,
                             250.0,
                             {}});
    }
  }
  m->finalize();
  return m;
}

const model::WorkforceModel& national() {
  // CAREFORCE_BENCH_PERSONS shrinks the model for a quick look; the target is 1.5 million.
  const char* persons = std::getenv("CAREFORCE_BENCH_PERSONS");
  static auto model = make_model({persons ? std::stoul(persons) : 1'500'000, 220, 42, 13}, 11);
  return *model;
}

const model::WorkforceModel& demo() {
  static auto model = make_model({61'000, 30, 5, 48}, 12);
  return *model;
}

/// The demo ICS itself (`careforce demo generate` + `careforce import`), when
/// CAREFORCE_BENCH_DEMO_DB names its database; else null (its rows are skipped).
const model::WorkforceModel* demo_ics() {
  static const std::unique_ptr<model::WorkforceModel> model = []() {
    const char* db = std::getenv("CAREFORCE_BENCH_DEMO_DB");
    if (!db) return std::unique_ptr<model::WorkforceModel>();
    auto store = store::open_store(db);
    if (!store) return std::unique_ptr<model::WorkforceModel>();
    auto loaded = (*store)->load_model();
    if (!loaded) return std::unique_ptr<model::WorkforceModel>();
    return std::make_unique<model::WorkforceModel>(std::move(*loaded));
  }();
  return model.get();
}

/// Every metric, every scope, every staff group plus totals, at the latest month end.
void BM_NationalFullMetricSet(benchmark::State& state) {
  const auto& m = national();
  size_t results = 0;
  for (auto _ : state) {
    MetricsEngine engine(m);  // cold: builds its per-month indexes inside the timing
    Query q;
    q.at = m.latest_month();
    auto r = engine.compute(q);
    results = r->size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["results"] = static_cast<double>(results);
  state.counters["sip_rows"] = static_cast<double>(m.staff_in_post.size());
}
// CPU time is the process's (the engine computes some months on a second thread).
BENCHMARK(BM_NationalFullMetricSet)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2)
    ->MeasureProcessCPUTime();

/// One metric, one scope, all staff groups, 36 monthly windows, on a fresh engine.
void BM_DemoDrillDownSeries36(benchmark::State& state) {
  const auto& m = demo();
  for (auto _ : state) {
    MetricsEngine engine(m);
    Query q;
    q.metrics = {"turnover_rate"};
    q.scope_types = {ScopeType::system};
    q.at = m.latest_month();
    auto r = engine.series(q, q.at - 35, q.at);
    benchmark::DoNotOptimize(r);
  }
  state.counters["sip_rows_per_month"] =
      static_cast<double>(m.staff_in_post.size()) / static_cast<double>(m.snapshot_months().size());
}
BENCHMARK(BM_DemoDrillDownSeries36)->Unit(benchmark::kMillisecond);

/// The same drill-down on an engine that already served it (indexes cached).
void BM_DemoDrillDownSeries36Warm(benchmark::State& state) {
  const auto& m = demo();
  MetricsEngine engine(m);
  Query q;
  q.metrics = {"turnover_rate"};
  q.scope_types = {ScopeType::system};
  q.at = m.latest_month();
  for (auto _ : state) {
    auto r = engine.series(q, q.at - 35, q.at);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_DemoDrillDownSeries36Warm)->Unit(benchmark::kMillisecond);

/// The same drill-down on the demo ICS itself (CAREFORCE_BENCH_DEMO_DB): on a fresh engine
/// without the model's index (`warm` false), or on one that already served it.
void BM_IcsDrillDownSeries36(benchmark::State& state, bool warm) {
  const model::WorkforceModel* m = demo_ics();
  if (!m) {
    state.SkipWithError("set CAREFORCE_BENCH_DEMO_DB to the demo ICS database");
    return;
  }
  Query q;
  q.metrics = {"turnover_rate"};
  q.scope_types = {ScopeType::system};
  q.at = m->latest_month();
  std::unique_ptr<MetricsEngine> served;
  if (warm) {
    served = std::make_unique<MetricsEngine>(*m);
    (void)served->series(q, q.at - 35, q.at);
  }
  for (auto _ : state) {
    if (warm) {
      auto r = served->series(q, q.at - 35, q.at);
      benchmark::DoNotOptimize(r);
    } else {
      MetricsEngine engine(*m);
      auto r = engine.series(q, q.at - 35, q.at);
      benchmark::DoNotOptimize(r);
    }
  }
}
BENCHMARK_CAPTURE(BM_IcsDrillDownSeries36, fresh, false)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_IcsDrillDownSeries36, warm, true)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

/// The model's index, built once per model (what a server builds when it loads the model).
const std::shared_ptr<const ModelIndex>& index_of(const model::WorkforceModel& m) {
  static std::map<const model::WorkforceModel*, std::shared_ptr<const ModelIndex>> built;
  auto& index = built[&m];
  if (!index) index = ModelIndex::build(m, 2);
  return index;
}

/// Loading's share of the metrics: building the model's index on 1 or 2 threads.
void BM_ModelIndexBuild(benchmark::State& state, bool ics) {
  const model::WorkforceModel* m = ics ? demo_ics() : &demo();
  if (!m) {
    state.SkipWithError("set CAREFORCE_BENCH_DEMO_DB to the demo ICS database");
    return;
  }
  size_t bytes = 0;
  for (auto _ : state) {
    auto index = ModelIndex::build(*m, static_cast<int>(state.range(0)));
    bytes = index->memory_bytes();
    benchmark::DoNotOptimize(index);
  }
  state.counters["MiB"] = static_cast<double>(bytes) / (1 << 20);
}
BENCHMARK_CAPTURE(BM_ModelIndexBuild, demo, false)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();
BENCHMARK_CAPTURE(BM_ModelIndexBuild, ics, true)
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime();

/// The first drill-down of one metric on a loaded model: one metric, one scope (system or
/// the first organisation), all staff groups, 36 monthly windows, on a new engine reading
/// the model's index (built once, outside the timing). `ics`: on the demo ICS itself.
void BM_DrillDownFirstQuery(benchmark::State& state, const char* metric, bool org_scope, bool ics) {
  const model::WorkforceModel* m = ics ? demo_ics() : &demo();
  if (!m) {
    state.SkipWithError("set CAREFORCE_BENCH_DEMO_DB to the demo ICS database");
    return;
  }
  Query q;
  q.metrics = {metric};
  q.scope_types = {org_scope ? ScopeType::org : ScopeType::system};
  if (org_scope) q.scopes = {m->organisations.front().code};
  q.at = m->latest_month();
  size_t results = 0;
  const auto& index = index_of(*m);
  for (auto _ : state) {
    state.PauseTiming();
    auto engine = std::make_unique<MetricsEngine>(*m, EngineOptions{.index = index});
    state.ResumeTiming();
    auto r = engine->series(q, q.at - 35, q.at);
    results = r->size();
    benchmark::DoNotOptimize(r);
    state.PauseTiming();
    engine.reset();
    state.ResumeTiming();
  }
  state.counters["results"] = static_cast<double>(results);
}
#define CAREFORCE_FIRST_QUERY(name, metric)                                             \
  BENCHMARK_CAPTURE(BM_DrillDownFirstQuery, demo_##name##_system, metric, false, false) \
      ->Unit(benchmark::kMillisecond)                                                   \
      ->MeasureProcessCPUTime();                                                        \
  BENCHMARK_CAPTURE(BM_DrillDownFirstQuery, demo_##name##_org, metric, true, false)     \
      ->Unit(benchmark::kMillisecond)                                                   \
      ->MeasureProcessCPUTime();                                                        \
  BENCHMARK_CAPTURE(BM_DrillDownFirstQuery, ics_##name##_system, metric, false, true)   \
      ->Unit(benchmark::kMillisecond)                                                   \
      ->MeasureProcessCPUTime();                                                        \
  BENCHMARK_CAPTURE(BM_DrillDownFirstQuery, ics_##name##_org, metric, true, true)       \
      ->Unit(benchmark::kMillisecond)                                                   \
      ->MeasureProcessCPUTime()
CAREFORCE_FIRST_QUERY(turnover, "turnover_rate");
CAREFORCE_FIRST_QUERY(stability, "stability_index");
CAREFORCE_FIRST_QUERY(rolling_turnover, "rolling_turnover_rate");
CAREFORCE_FIRST_QUERY(sickness, "sickness_absence_rate");
CAREFORCE_FIRST_QUERY(vacancy, "vacancy_rate");
CAREFORCE_FIRST_QUERY(leaver_reasons, "leaver_reason_share");
#undef CAREFORCE_FIRST_QUERY

}  // namespace
}  // namespace careforce::metrics

BENCHMARK_MAIN();
