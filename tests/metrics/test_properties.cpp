// Properties that hold on any model: checked on seeded random systems.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "metrics/engine.hpp"
#include "metrics/registry.hpp"
#include "model_builder.hpp"
#include "result_lookup.hpp"

namespace careforce::metrics {
namespace {

using testing::ym;

/// A random system: 6 organisations in 2 places, 400 persons over 13 month ends, who
/// join, leave, move between organisations and change roles; with their leaver events,
/// absence episodes (some open), establishment cells, shifts and pay. With `aggregate`, also
/// an aggregate-level organisation whose 12-month counts are whole numbers or not
/// (`whole_counts`); without, the system is the same as ever.
model::WorkforceModel& random_system(testing::ModelBuilder& b, unsigned seed,
                                     bool aggregate = false, bool whole_counts = true) {
  const char* orgs[] = {"A1", "A2", "C1", "P1", "P2", "M1"};
  const char* sectors_[] = {"acute",        "acute",        "community",
                            "primary_care", "primary_care", "mental_health"};
  for (int i = 0; i < 6; ++i) b.org(orgs[i], sectors_[i], i % 2 ? "North" : "South");
  if (aggregate) b.org("G1", "primary_care", "North", DataLevel::aggregate);
  const char* roles_[] = {"adult_nurse",    "physiotherapist", "consultant",
                          "admin_clerical", "practice_nurse",  "healthcare_support_worker"};
  const char* bands_[] = {"3", "5", "6", "8A", "8C", "vsm", "medical"};
  const char* eth[] = {"white", "asian", "black", "not_stated"};
  const char* reasons[] = {"retirement", "rotation", "voluntary_relocation", "end_of_fixed_term"};
  const char* absence_reasons_[] = {"back", "cold_flu", "anxiety_stress_depression"};
  const char* outcomes[] = {"bank", "agency", "unfilled"};
  const char* cover[] = {"vacancy", "sickness", "extra_demand", "other"};
  std::mt19937 rng(seed);
  auto pick_of = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  struct Person {
    int org, role, band, eth;
    bool in = false;
  };
  std::vector<Person> people(400);
  for (auto& p : people) p = {pick_of(6), pick_of(6), pick_of(7), pick_of(4), rng() % 10 < 7};
  for (int k = 0; k <= 12; ++k) {
    const Month month = ym(2023, 3) + k;
    for (size_t i = 0; i < people.size(); ++i) {
      auto& p = people[i];
      const bool was_in = p.in;
      const int was_org = p.org;
      const unsigned roll = rng() % 100;
      if (p.in && roll < 2)
        p.in = false;  // leaves
      else if (!p.in && roll < 4)
        p.in = true;  // joins
      else if (p.in && roll < 5)
        p.org = pick_of(6);  // moves organisation
      else if (p.in && roll < 6)
        p.role = pick_of(6);  // changes staff group
      const std::string key = "x" + std::to_string(i);
      if (k > 0 && was_in && (!p.in || p.org != was_org))
        b.leaver(orgs[was_org], key, Date{month.start().days + pick_of(28)}, reasons[pick_of(4)],
                 p.in ? "other_org_in_system" : "other");
      if (!p.in) continue;
      if (rng() % 100 < 4) {  // a sickness episode starting this month, 1 in 10 still open
        const Date start{month.start().days + pick_of(28)};
        const Date end = pick_of(10) == 0 ? model::kOpenEnd : Date{start.days + pick_of(60)};
        b.absence(orgs[p.org], key, start, end, absence_reasons_[pick_of(3)]);
      }
      testing::Staff s{.role = roles_[p.role],
                       .fte = 0.5 + 0.1 * pick_of(6),
                       .band = bands_[p.band],
                       .birth_year = 1950 + pick_of(50),
                       .ethnic = eth[p.eth]};
      b.sip(month, orgs[p.org], key, s);
      if (i % 25 == 0)  // a second assignment in another staff group
        b.sip(month, orgs[p.org], key,
              {.role = "admin_clerical", .fte = 0.2, .assignment = key + "-2"});
    }
    for (int o = 0; o < 6; ++o) {
      b.establishment(month, orgs[o], "nursing", "", "", 5 + pick_of(20));
      b.establishment(month, orgs[o], "ahp", "physiotherapist", "", pick_of(8));
      b.establishment(month, orgs[o], "medical", "consultant", "medical", pick_of(6));
      b.m.pay_costs.push_back({month,
                               static_cast<uint16_t>(o),
                               testing::code(staff_groups(), "nursing"),
                               1e5 + pick_of(50000),
                               1.0 * pick_of(20000),
                               1.0 * pick_of(20000),
                               {}});
    }
    for (int n = 0; n < (k >= 10 ? 40 : 0); ++n) {
      model::ShiftRow r;
      r.shift_date = Date{month.start().days + pick_of(28)};
      r.org = static_cast<uint16_t>(pick_of(6));
      r.role = testing::code(roles(), roles_[pick_of(6)]);
      r.staff_group = role_info(r.role).staff_group;
      r.outcome = testing::code(shift_outcomes(), outcomes[pick_of(3)]);
      r.cover_reason = testing::code(cover_reasons(), cover[pick_of(4)]);
      r.hours = 7.5f;
      r.cost_gbp = r.outcome == testing::code(shift_outcomes(), "unfilled") ? 0 : 150;
      b.m.shifts.push_back(r);
    }
    if (!aggregate) continue;
    for (const char* role : {"practice_nurse", "admin_clerical"}) {
      auto& r = b.aggregate(month, "G1", role, 20 + pick_of(10), 15.5 + pick_of(10));
      r.leavers_12m = pick_of(5) + (whole_counts ? 0 : 0.5);
      r.headcount_12m_ago = 18 + pick_of(10);
      r.stayers_12m = 15 + pick_of(3);
      r.international_recruits_12m = pick_of(3);
      r.vacant_posts = pick_of(4);
      r.sickness_fte_days_lost_12m = 30.25 + pick_of(40);
      r.sickness_fte_days_available_12m = 5000 + pick_of(400);
    }
  }
  return b.done();
}

class Properties : public ::testing::TestWithParam<unsigned> {};

TEST_P(Properties, SystemLeaversAtMostSumOfOrganisationLeavers) {
  testing::ModelBuilder b;
  const auto results = testing::run(random_system(b, GetParam()), ym(2024, 3));
  std::map<std::string, double> system, sum;
  for (const auto& r : results) {
    if (r.metric != "leavers") continue;
    if (r.scope_type == ScopeType::system) system[std::string(r.staff_group)] = r.value;
    if (r.scope_type == ScopeType::org) sum[std::string(r.staff_group)] += r.value;
  }
  ASSERT_FALSE(system.empty());
  for (const auto& [group, v] : system) EXPECT_LE(v, sum[group]) << group;
  EXPECT_GT(system["all"], 0);
}

TEST_P(Properties, SystemRetentionAtLeastLowestOrganisationStability) {
  testing::ModelBuilder b;
  const auto results = testing::run(random_system(b, GetParam()), ym(2024, 3));
  double lowest = 1e9, retention = -1;
  for (const auto& r : results) {
    if (r.staff_group != "all") continue;
    if (r.metric == "stability_index" && r.basis == "headcount" && r.scope_type == ScopeType::org)
      lowest = std::min(lowest, r.value);
    if (r.metric == "system_retention_rate" && r.scope_type == ScopeType::system)
      retention = r.value;
  }
  EXPECT_GE(retention, lowest);
  // At the system scope, retention is the system's stability: stayers / SIP_S.
  const auto& stability = testing::pick(results, {"stability_index", "system", "headcount"});
  EXPECT_DOUBLE_EQ(retention, stability.value);
}

TEST_P(Properties, SharesAndIndicesStayWithinZeroAndHundred) {
  testing::ModelBuilder b;
  const auto results = testing::run(random_system(b, GetParam()), ym(2024, 3));
  // Shares of a whole (and indices of a subset over its set): METRICS.md leaves no room
  // outside [0, 100]. Turnover and sickness rates may exceed 100 and are not listed.
  const std::set<std::string> bounded{"stability_index",
                                      "system_retention_rate",
                                      "age_band_share",
                                      "age_55_plus_share",
                                      "joiner_source_share",
                                      "international_share_of_joiners",
                                      "representation_share",
                                      "ethnic_minority_share_senior",
                                      "vacancy_rate",
                                      "agency_share_of_pay",
                                      "bank_share_of_pay",
                                      "shift_fill_rate",
                                      "bank_fill_share",
                                      "leaver_reason_share",
                                      "leaver_destination_share"};
  std::set<std::string> seen;
  size_t checked = 0;
  for (const auto& r : results) {
    if (!bounded.count(std::string(r.metric)) || std::isnan(r.value)) continue;
    EXPECT_GE(r.value, 0) << r.metric << " " << r.scope << " " << r.category;
    EXPECT_LE(r.value, 100) << r.metric << " " << r.scope << " " << r.category;
    seen.insert(std::string(r.metric));
    ++checked;
  }
  EXPECT_GT(checked, 100u);
  EXPECT_EQ(seen, bounded);  // every listed metric was computed somewhere
}

TEST_P(Properties, FteAddsUpAcrossGroupsAndOrganisations) {
  testing::ModelBuilder b;
  const auto results = testing::run(random_system(b, GetParam()), ym(2024, 3));
  double system = 0, by_group = 0, by_org = 0;
  for (const auto& r : results) {
    if (r.metric != "sip_fte") continue;
    if (r.scope_type == ScopeType::system) (r.staff_group == "all" ? system : by_group) += r.value;
    if (r.scope_type == ScopeType::org && r.staff_group == "all") by_org += r.value;
  }
  EXPECT_NEAR(system, by_group, 1e-9);
  EXPECT_NEAR(system, by_org, 1e-9);
}

TEST_P(Properties, SeriesEqualsMonthByMonth) {
  testing::ModelBuilder b;
  const auto& m = random_system(b, GetParam());
  MetricsEngine engine(m);
  Query q;
  q.metrics = {"turnover_rate", "sickness_absence_rate", "sip_headcount"};
  q.scope_types = {ScopeType::system};
  q.at = ym(2024, 3);
  auto series = engine.series(q, ym(2024, 1), ym(2024, 3));
  ASSERT_TRUE(series.is_ok());
  std::vector<MetricResult> single;
  for (int k = 0; k < 3; ++k) {
    q.at = ym(2024, 1) + k;
    auto r = compute(m, q);
    single.insert(single.end(), r->begin(), r->end());
  }
  ASSERT_EQ(series->size(), single.size());
  for (size_t i = 0; i < single.size(); ++i) {
    EXPECT_EQ((*series)[i].metric, single[i].metric);
    if (!std::isnan(single[i].value)) {
      EXPECT_DOUBLE_EQ((*series)[i].value, single[i].value);
    }
  }
}

/// Every field of two result lists is the same (values exactly, or both NaN).
void expect_same_results(const std::vector<MetricResult>& a, const std::vector<MetricResult>& b) {
  ASSERT_EQ(a.size(), b.size());
  auto same = [](double x, double y) { return std::isnan(x) ? std::isnan(y) : x == y; };
  for (size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    SCOPED_TRACE(std::string(x.metric) + " " + x.scope + " " + std::string(x.staff_group) + " " +
                 std::string(x.role_code) + " " + std::string(x.category) + " " + x.period.iso());
    EXPECT_EQ(x.metric, y.metric);
    EXPECT_EQ(x.period, y.period);
    EXPECT_EQ(x.scope, y.scope);
    EXPECT_EQ(x.staff_group, y.staff_group);
    EXPECT_EQ(x.role_code, y.role_code);
    EXPECT_EQ(x.category, y.category);
    EXPECT_EQ(x.basis, y.basis);
    EXPECT_EQ(x.options, y.options);
    EXPECT_EQ(x.coverage_orgs, y.coverage_orgs);
    EXPECT_EQ(x.available, y.available);
    EXPECT_EQ(x.files.size(), y.files.size());
    EXPECT_TRUE(same(x.value, y.value));
    EXPECT_TRUE(same(x.numerator, y.numerator));
    EXPECT_TRUE(same(x.denominator, y.denominator));
    EXPECT_TRUE(same(x.numerator_persons, y.numerator_persons));
    EXPECT_TRUE(same(x.denominator_persons, y.denominator_persons));
  }
}

TEST_P(Properties, CachedEngineEqualsUncachedEngine) {
  testing::ModelBuilder b;
  const auto& m = random_system(b, GetParam());
  MetricsEngine cached(m);                            // keeps indexes, grids and windows
  MetricsEngine uncached(m, {.keep_caches = false});  // drops them after every query
  std::vector<Query> queries;
  Query all;
  all.at = ym(2024, 3);
  queries.push_back(all);
  Query by_role = all;
  by_role.by = Breakdown::role;
  queries.push_back(by_role);
  Query earlier = all;
  earlier.at = ym(2024, 1);
  queries.push_back(earlier);
  Query one_org = all;
  one_org.scopes = {"A2"};
  one_org.rolling.fte_basis = true;
  queries.push_back(one_org);
  // Twice round: the second time the cached engine answers from what the first kept.
  for (int round = 0; round < 2; ++round) {
    for (const Query& q : queries) {
      auto a = cached.compute(q);
      auto c = uncached.compute(q);
      ASSERT_TRUE(a.is_ok() && c.is_ok());
      expect_same_results(*a, *c);
    }
    Query drill;
    drill.metrics = {"turnover_rate", "rolling_turnover_rate", "sickness_absence_rate",
                     "system_retention_rate", "joiners"};
    drill.scope_types = {ScopeType::system};
    drill.at = ym(2024, 3);
    auto a = cached.series(drill, ym(2023, 9), ym(2024, 3));
    auto c = uncached.series(drill, ym(2023, 9), ym(2024, 3));
    ASSERT_TRUE(a.is_ok() && c.is_ok());
    expect_same_results(*a, *c);
  }
}

/// An engine reading a model's index (ModelIndex) answers exactly as one without, for
/// every metric, scope and breakdown, at a month end and as drill-down series.
TEST_P(Properties, IndexedEngineEqualsUnindexedEngine) {
  for (bool whole_counts : {true, false}) {
    SCOPED_TRACE(whole_counts ? "whole aggregate counts" : "fractional aggregate counts");
    testing::ModelBuilder b;
    const auto& m = random_system(b, GetParam(), true, whole_counts);
    ASSERT_FALSE(m.leavers.size() == 0 || m.absence.size() == 0);
    const auto index = ModelIndex::build(m, 2);
    EXPECT_GT(index->memory_bytes(), 0u);
    MetricsEngine indexed(m, {.index = index});
    Query all;
    all.at = ym(2024, 3);
    for (Breakdown by : {Breakdown::staff_group, Breakdown::role, Breakdown::none}) {
      for (Month at : {ym(2024, 3), ym(2023, 12), ym(2023, 3), ym(2022, 12)}) {
        Query q = all;
        q.by = by;
        q.at = at;
        auto a = indexed.compute(q);
        auto c = MetricsEngine(m).compute(q);
        ASSERT_TRUE(a.is_ok() && c.is_ok());
        expect_same_results(*a, *c);
      }
    }
    for (const char* scope : {"system", "A2", "North", "acute"}) {
      Query drill;
      drill.metrics = {"turnover_rate",
                       "stability_index",
                       "rolling_turnover_rate",
                       "sickness_absence_rate",
                       "vacancy_rate",
                       "leaver_reason_share",
                       "joiners",
                       "system_retention_rate"};
      if (std::string(scope) != "system") drill.scopes = {scope};
      drill.rolling.fte_basis = std::string(scope) == "A2";
      drill.at = ym(2024, 3);
      auto a = indexed.series(drill, ym(2023, 1), ym(2024, 3));
      auto c = MetricsEngine(m).series(drill, ym(2023, 1), ym(2024, 3));
      ASSERT_TRUE(a.is_ok() && c.is_ok());
      expect_same_results(*a, *c);
    }
  }
}

/// People holding several posts that end one at a time (some while another goes on in the
/// organisation, some on the day of a month end, some still in the next snapshot), internal
/// moves and posts in other organisations: an engine reading a model's index counts leaver
/// events and their reasons exactly as one without.
TEST_P(Properties, IndexedEngineCountsEndedPostsAsUnindexedEngine) {
  testing::ModelBuilder b;
  const char* orgs[] = {"A1", "A2", "C1"};
  const char* sectors_[] = {"acute", "acute", "community"};
  for (int i = 0; i < 3; ++i) b.org(orgs[i], sectors_[i], i % 2 ? "North" : "South");
  const char* roles_[] = {"adult_nurse", "physiotherapist", "admin_clerical"};
  const char* reasons[] = {"retirement", "rotation", "voluntary_relocation", "end_of_fixed_term"};
  std::mt19937 rng(GetParam());
  auto pick_of = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  struct Post {
    int org, role, id;
    double fte;
    bool ended = false;
    int snapshots = 0;  ///< Snapshots it is still in once ended.
  };
  std::vector<std::vector<Post>> people(150);
  std::vector<int> next_id(people.size(), 0);
  int while_another_goes_on = 0;
  for (int k = 0; k <= 14; ++k) {
    const Month month = ym(2023, 3) + k;
    for (size_t i = 0; i < people.size(); ++i) {
      const std::string key = "y" + std::to_string(i);
      auto& posts = people[i];
      std::erase_if(posts, [](const Post& x) { return x.ended && x.snapshots == 0; });
      auto start = [&](int org) {
        posts.push_back({org, pick_of(3), next_id[i]++, 0.2 + 0.1 * pick_of(8)});
      };
      if (k == 0 || pick_of(100) < 6)
        start(posts.empty() || pick_of(3) == 0 ? pick_of(3) : posts.front().org);
      for (size_t x = 0; k > 0 && x < posts.size(); ++x) {
        if (posts[x].ended || pick_of(100) >= 8) continue;
        // Ends this month, on a random day or the month end; one in four is still in this
        // month's snapshot, one in eight in the next one too.
        const Date day = pick_of(4) == 0 ? month.end() : Date{month.start().days + pick_of(28)};
        b.leaver(orgs[posts[x].org], key, day, reasons[pick_of(4)],
                 pick_of(2) ? "other_org_in_system" : "other",
                 key + "-" + std::to_string(posts[x].id));
        for (const auto& y : posts)
          while_another_goes_on += &y != &posts[x] && !y.ended && y.org == posts[x].org;
        const int roll = pick_of(8);
        posts[x].ended = true;
        posts[x].snapshots = roll == 0 ? 2 : roll < 2 ? 1 : 0;
        if (pick_of(3) == 0) start(posts[x].org);  // an internal move
        break;
      }
      for (auto& x : posts) {
        if (x.ended && x.snapshots == 0) continue;
        if (x.ended) --x.snapshots;
        b.sip(
            month, orgs[x.org], key,
            {.role = roles_[x.role], .fte = x.fte, .assignment = key + "-" + std::to_string(x.id)});
      }
    }
  }
  auto& m = b.done();
  ASSERT_GT(while_another_goes_on, 10);
  const auto index = ModelIndex::build(m, 2);
  MetricsEngine indexed(m, {.index = index});
  for (Breakdown by : {Breakdown::staff_group, Breakdown::role}) {
    for (bool fte : {false, true}) {
      for (Month at : {ym(2024, 3), ym(2024, 5), ym(2023, 11)}) {
        Query q;
        q.metrics = {"rolling_turnover_rate", "leaver_reason_share", "leaver_destination_share"};
        q.by = by;
        q.at = at;
        q.rolling.fte_basis = fte;
        auto a = indexed.compute(q);
        auto c = MetricsEngine(m).compute(q);
        ASSERT_TRUE(a.is_ok() && c.is_ok());
        ASSERT_FALSE(a->empty());
        expect_same_results(*a, *c);
      }
    }
  }
}

/// A query naming one scope gives that scope's results of a query of every scope: what is
/// left uncounted for organisations in no shown scope never reaches a shown one.
TEST_P(Properties, NamedScopeEqualsItsResultsInTheWholeQuery) {
  testing::ModelBuilder b;
  const auto& m = random_system(b, GetParam(), true);
  MetricsEngine engine(m);  // keeps windows between the scopes
  for (Breakdown by : {Breakdown::staff_group, Breakdown::role}) {
    Query all;
    all.at = ym(2024, 3);
    all.by = by;
    auto whole = MetricsEngine(m).compute(all);
    ASSERT_TRUE(whole.is_ok());
    for (const char* scope : {"A2", "North", "acute", "P1", "G1", "system"}) {
      SCOPED_TRACE(scope);
      Query named = all;
      named.scopes = {scope};
      std::vector<MetricResult> rows;
      for (const auto& r : *whole)
        if (r.scope == scope) rows.push_back(r);
      ASSERT_FALSE(rows.empty());
      for (int round = 0; round < 2; ++round) {  // computed, then from the kept windows
        auto one = engine.compute(named);
        ASSERT_TRUE(one.is_ok());
        expect_same_results(rows, *one);
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, Properties, ::testing::Values(1u, 7u, 42u));

}  // namespace
}  // namespace careforce::metrics
