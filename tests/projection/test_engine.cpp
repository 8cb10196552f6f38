#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "plan_fixture.hpp"
#include "projection/engine.hpp"

namespace careforce::projection {
namespace {

using testing::add_line;
using testing::blank_calibration;
using testing::role_index;

int64_t heads(const ReplicateOutput& out, size_t line, size_t t, int years) {
  return out.headcount[line * static_cast<size_t>(years + 1) + t];
}

// A system with every kind of flow: transfers both ways, retirements, joiners, a training
// pipeline, internal recruitment into a new role.
Calibration busy_system() {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 500, 6, 0.12);
  add_line(cal, 1, "practice_nurse", 60, 8, 0.10);
  add_line(cal, 2, "care_worker", 400, 3, 0.30);
  add_line(cal, 0, "healthcare_support_worker", 300, 5, 0.15);
  cal.lines[0].transfers = {{1, 0.15}, {3, 0.05}};
  cal.lines[2].transfers = {{3, 0.2}};
  cal.lines[3].transfers = {{2, 0.1}, {0, 0.1}};
  cal.lines[0].joiners_per_year = {20, 15, 3, 0, 10};
  cal.lines[2].joiners_per_year = {0, 20, 0, 5, 80};
  cal.lines[3].joiners_per_year = {0, 0, 0, 10, 30};
  for (size_t a = 8; a < kAgeBands; ++a) cal.retirement_share[a] = 0.5;
  return cal;
}

// Training places for a role: `intake` a year, 90% complete, a 2-year course.
Intervention training_places(const char* role, double intake, double local_share) {
  Intervention train;
  train.type = InterventionType::training_places;
  train.target.role = role_index(role);
  train.intake = intake, train.completion_rate = 0.9, train.local_share = local_share,
  train.course_years = 2;
  return train;
}

// PCN paramedics, 15 recruits a year, 60% of them from `from_role` inside the system.
Intervention pcn_paramedics_from(const char* from_role) {
  Intervention recruit;
  recruit.type = InterventionType::new_role;
  recruit.target.role = role_index("pcn_paramedic");
  recruit.target.sector = Sector::primary_care;
  recruit.fte = 20, recruit.per_year = 15, recruit.share = 0.6,
  recruit.from_role = role_index(from_role);
  return recruit;
}

Scenario busy_scenario() {
  Scenario s;
  s.name = "busy";
  s.source = "busy.toml";
  const Intervention train = training_places("adult_nurse", 50, 0.7);
  const Intervention recruit = pcn_paramedics_from("adult_nurse");
  Intervention defer;
  defer.type = InterventionType::retirement_deferral;
  defer.share = 0.5;
  s.interventions = {train, recruit, defer};
  return s;
}

TEST(Supply, ConservesPeopleInEveryReplicateAndYear) {
  const Calibration cal = busy_system();
  const Scenario scenario = busy_scenario();
  auto plan = build_plan(cal, &scenario, 3, 10, true);
  ASSERT_TRUE(plan.is_ok()) << plan.error().message;
  const size_t T = 11, L = plan->lines.size();
  ASSERT_EQ(L, 5u);  // the new role made a line
  ReplicateOutput out;
  int64_t moved_total = 0;
  for (uint64_t rep = 0; rep < 50; ++rep) {
    simulate_replicate(*plan, 9, rep, out, true);
    for (size_t t = 1; t < T; ++t) {
      int64_t in = 0, out_moves = 0;
      for (size_t l = 0; l < L; ++l) {
        const LineFlows& f = out.flows[l * T + t];
        EXPECT_EQ(f.start, heads(out, l, t - 1, 10));
        EXPECT_EQ(f.end, heads(out, l, t, 10));
        EXPECT_EQ(f.end, f.start - f.exits - f.transfers_out + f.transfers_in + f.joiners)
            << "line " << l << " year " << t << " replicate " << rep;
        EXPECT_LE(f.retirements, f.exits);
        in += f.transfers_in, out_moves += f.transfers_out;
      }
      EXPECT_EQ(in, out_moves) << "transfers must sum to zero over the system";
      moved_total += in;
    }
  }
  EXPECT_GT(moved_total, 0);
}

TEST(Supply, ReplicateOfUpstreamLinesGivesTheWantedLinesExactly) {
  const Calibration cal = busy_system();
  const Scenario scenario = busy_scenario();
  auto plan = build_plan(cal, &scenario, 3, 10, true);
  ASSERT_TRUE(plan.is_ok());
  const size_t T = 11, L = plan->lines.size();
  // Line 1 (practice nurses) receives transfers from line 0, which receives from line 3,
  // which receives from line 2: all four feed it; the new role's line does not.
  std::vector<uint8_t> wanted(L, 0);
  wanted[1] = 1;
  const auto active = upstream_lines(*plan, wanted);
  EXPECT_EQ(active, (std::vector<uint8_t>{1, 1, 1, 1, 0}));
  ReplicateOutput full, part;
  for (uint64_t rep = 0; rep < 5; ++rep) {
    simulate_replicate(*plan, 9, rep, full);
    simulate_replicate(*plan, 9, rep, part, false, active);
    for (size_t l = 0; l < L; ++l)
      for (size_t t = 0; t < T; ++t) {
        EXPECT_EQ(full.demand_fte[l * T + t], part.demand_fte[l * T + t]);
        if (!active[l]) continue;
        EXPECT_EQ(full.headcount[l * T + t], part.headcount[l * T + t]);
        EXPECT_EQ(full.supply_fte[l * T + t], part.supply_fte[l * T + t]);
        EXPECT_EQ(full.cost_gbp[l * T + t], part.cost_gbp[l * T + t]);
      }
  }
}

// Two chains of moves and a line apart: nurses -> practice nurses -> care coordinators, care
// workers -> support workers, and paramedics; with joiners, retirements and all ages.
Calibration chain_system() {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 500, 6, 0.12);
  add_line(cal, 1, "practice_nurse", 80, 8, 0.10);
  add_line(cal, 1, "care_coordinator", 40, 3, 0.2);
  add_line(cal, 2, "care_worker", 400, 3, 0.30);
  add_line(cal, 0, "healthcare_support_worker", 300, 5, 0.15);
  add_line(cal, 0, "paramedic", 120, 7, 0.08);
  cal.lines[0].transfers = {{1, 0.25}, {2, 0.05}};
  cal.lines[1].transfers = {{2, 0.3}};
  cal.lines[3].transfers = {{4, 0.2}};
  for (auto& line : cal.lines) {
    line.joiners_per_year = {10, 5, 2, 1, 8};
    for (size_t a = 0; a < kAgeBands; ++a) line.headcount[a] += 7 + static_cast<int64_t>(a);
  }
  for (size_t a = 8; a < kAgeBands; ++a) cal.retirement_share[a] = 0.5;
  return cal;
}

// Scenarios that change some lines only, so a run can copy the others from the baseline.
std::vector<Scenario> partial_scenarios() {
  Intervention keep;
  keep.type = InterventionType::turnover_change;
  keep.target.role = role_index("adult_nurse");
  keep.change_pp = -5, keep.phase_in_years = 3;
  const Intervention train = training_places("practice_nurse", 30, 0.8);
  const Intervention recruit = pcn_paramedics_from("care_worker");
  Intervention demand;
  demand.type = InterventionType::demand_growth;
  demand.percent = 2;
  std::vector<Scenario> out;
  for (const auto& list : std::vector<std::vector<Intervention>>{
           {keep}, {train}, {recruit}, {demand}, {keep, train, recruit, demand}}) {
    Scenario s;
    s.name = "partial" + std::to_string(out.size());
    s.source = s.name + ".toml";
    s.interventions = list;
    out.push_back(s);
  }
  return out;
}

TEST(Supply, ScenarioRunOnABaselineRecordEqualsAFullRun) {
  const Calibration cal = chain_system();
  auto base = build_plan(cal, nullptr, 0, 10, true);
  ASSERT_TRUE(base.is_ok());
  const size_t T = 11, runs = 12;
  BaselineRecord record(*base, 9, runs, {});
  ReplicateOutput out;
  for (size_t rep = 0; rep < runs; ++rep) {
    simulate_replicate(*base, 9, rep, out, false, {}, true);
    record.store(rep, out);
  }
  size_t reused = 0;
  for (const auto& scenario : partial_scenarios()) {
    auto plan = build_plan(cal, &scenario, scenario.interventions.size(), 10, true);
    ASSERT_TRUE(plan.is_ok()) << plan.error().message;
    const size_t L = plan->lines.size();
    for (const bool narrow : {false, true}) {
      // Narrow: only what the primary care unit's lines need.
      std::vector<uint8_t> needed;
      if (narrow) {
        std::vector<uint8_t> wanted(L, 0);
        for (size_t l = 0; l < L; ++l) wanted[l] = plan->lines[l].sector == Sector::primary_care;
        needed = upstream_lines(*plan, wanted);
      }
      const auto reuse = plan_reuse(record, *plan, 9, runs, needed);
      if (!reuse) continue;
      ++reused;
      EXPECT_EQ(plan_reuse(record, *plan, 10, runs, needed), std::nullopt) << "another seed";
      EXPECT_EQ(plan_reuse(record, *plan, 9, runs + 1, needed), std::nullopt) << "more runs";
      ReplicateOutput full, part;
      for (size_t rep = 0; rep < runs; ++rep) {
        simulate_replicate(*plan, 9, rep, full);
        simulate_replicate(*plan, *reuse, rep, part);
        for (size_t l = 0; l < L; ++l) {
          if (!needed.empty() && !needed[l]) continue;
          for (size_t t = 0; t < T; ++t) {
            const size_t i = l * T + t;
            ASSERT_EQ(full.headcount[i], part.headcount[i])
                << scenario.name << " line " << l << " year " << t << " rep " << rep;
            ASSERT_EQ(full.supply_fte[i], part.supply_fte[i]);
            ASSERT_EQ(full.demand_fte[i], part.demand_fte[i]);
            ASSERT_EQ(full.cost_gbp[i], part.cost_gbp[i]);
          }
        }
      }
    }
  }
  EXPECT_GE(reused, 6u) << "most of these scenarios leave some lines alone";
}

// The record's edge flows are the transfers: into each line and band they add up to its
// arrivals, out of each line to its transfers out.
TEST(Supply, RecordedEdgeFlowsAddUpToArrivalsAndTransfersOut) {
  const Calibration cal = chain_system();
  auto plan = build_plan(cal, nullptr, 0, 10, true);
  ASSERT_TRUE(plan.is_ok());
  const size_t T = 11, L = plan->lines.size();
  const auto first = first_edges(*plan);
  ASSERT_EQ(first.back(), 4u) << "four transfer edges in the chain";
  ReplicateOutput out;
  int64_t moved = 0;
  for (uint64_t rep = 0; rep < 5; ++rep) {
    simulate_replicate(*plan, 3, rep, out, true, {}, true);
    ASSERT_EQ(out.edge_flows.size(), first.back() * T * kAgeBands);
    std::vector<int64_t> into(L * T * kAgeBands, 0), out_of(L * T, 0);
    for (size_t l = 0; l < L; ++l)
      for (size_t d = 0; d < plan->lines[l].transfers.size(); ++d)
        for (size_t t = 0; t < T; ++t)
          for (size_t a = 0; a < kAgeBands; ++a) {
            const int32_t x = out.edge_flows[((first[l] + d) * T + t) * kAgeBands + a];
            into[(plan->lines[l].transfers[d].line * T + t) * kAgeBands + a] += x;
            out_of[l * T + t] += x;
            moved += x;
          }
    for (size_t l = 0; l < L; ++l)
      for (size_t t = 1; t < T; ++t) {
        EXPECT_EQ(out_of[l * T + t], out.flows[l * T + t].transfers_out) << l << " " << t;
        for (size_t a = 0; a < kAgeBands; ++a) {
          const size_t i = (l * T + t) * kAgeBands + a;
          EXPECT_EQ(into[i], out.arrivals[i]) << l << " " << t << " " << a;
        }
      }
  }
  EXPECT_GT(moved, 100) << "people moved along the edges";
}

TEST(Supply, ARecordWhoseArrivalsOverflowSixteenBitsIsNotUsed) {
  // 400,000 nurses in one band, a third leaving, all to practice nursing: about 133,000
  // arrivals in a year, more than a 16-bit count holds.
  Calibration cal = chain_system();
  cal.lines[0].headcount[6] = 400000;
  cal.leaver_rate[cal.lines[0].role].fill(0.33);
  cal.lines[0].transfers = {{1, 1.0}};
  auto base = build_plan(cal, nullptr, 0, 3, false);
  ASSERT_TRUE(base.is_ok());
  BaselineRecord record(*base, 1, 1, {});
  ReplicateOutput out;
  simulate_replicate(*base, 1, 0, out, false, {}, true);
  record.store(0, out);
  EXPECT_TRUE(record.overflow);
  const auto scenarios = partial_scenarios();
  auto plan = build_plan(cal, &scenarios[3], 1, 3, false);
  EXPECT_EQ(plan_reuse(record, *plan, 1, 1, {}), std::nullopt);
}

// The 10-year plan of `cal` under every intervention of `scenario` (nullptr: the baseline).
SimulationPlan ten_year_plan(const Calibration& cal, const Scenario* scenario) {
  auto plan = build_plan(cal, scenario, scenario ? scenario->interventions.size() : 0, 10, true);
  EXPECT_TRUE(plan.is_ok()) << plan.error().message;
  return std::move(*plan);
}

TEST(Supply, ChangedLinesFollowPeopleDownstream) {
  const Calibration cal = chain_system();
  const auto base = ten_year_plan(cal, nullptr);
  const auto scenarios = partial_scenarios();
  auto changed = [&](const Scenario& s) { return changed_lines(base, ten_year_plan(cal, &s)); };
  // Nurses' turnover: line 0, and the lines its leavers move to (1, 2), and on (2 via 1).
  EXPECT_EQ(changed(scenarios[0]), (std::vector<uint8_t>{1, 1, 1, 0, 0, 0}));
  // Practice nurses' training: line 1 and the care coordinators its leavers join.
  EXPECT_EQ(changed(scenarios[1]), (std::vector<uint8_t>{0, 1, 1, 0, 0, 0}));
  // A new role recruited from care workers: the new line, care workers and support workers.
  EXPECT_EQ(changed(scenarios[2]), (std::vector<uint8_t>{0, 0, 0, 1, 1, 0, 1}));
  // Demand growth changes no line's supply.
  EXPECT_EQ(changed(scenarios[3]), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0}));
}

TEST(Supply, SameOutputsAreExactlyTheBaselinesInEveryReplicate) {
  const Calibration cal = chain_system();
  const auto base = ten_year_plan(cal, nullptr);
  const auto scenarios = partial_scenarios();
  auto same = [&](const Scenario& s) { return same_outputs(base, ten_year_plan(cal, &s)); };
  // Nurses' turnover changes the supply of lines 0-2 only; demand is untouched.
  EXPECT_EQ(same(scenarios[0]), (std::vector<uint8_t>{0, 0, 0, 1, 1, 1}));
  // Demand growth changes every line's demand (and so its cost).
  EXPECT_EQ(same(scenarios[3]), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0}));
  // A new role: its line is new, so never the baseline's.
  EXPECT_EQ(same(scenarios[2]).back(), 0);
  // Whatever is marked the same is identical, replicate by replicate.
  for (const auto& scenario : scenarios) {
    const auto plan = ten_year_plan(cal, &scenario);
    const auto marked = same_outputs(base, plan);
    const size_t T = 11;
    ReplicateOutput a, b;
    for (uint64_t rep = 0; rep < 8; ++rep) {
      simulate_replicate(base, 5, rep, a);
      simulate_replicate(plan, 5, rep, b);
      for (size_t l = 0; l < marked.size(); ++l) {
        if (!marked[l]) continue;
        for (size_t t = 0; t < T; ++t) {
          const size_t i = l * T + t;
          ASSERT_EQ(a.supply_fte[i], b.supply_fte[i]) << scenario.name << " line " << l;
          ASSERT_EQ(a.demand_fte[i], b.demand_fte[i]) << scenario.name << " line " << l;
          ASSERT_EQ(a.cost_gbp[i], b.cost_gbp[i]) << scenario.name << " line " << l;
        }
      }
    }
  }
}

TEST(Supply, CohortDecaysAsBinomialSurvival) {
  // 1,000 people, leaver probability 0.1 at every age, no joiners: E[N_t] = N (1 - p)^t and
  // Var[N_t] = N q^t (1 - q^t); the replicate mean must lie within 4 standard errors.
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 1000, 4, 0.1);
  auto plan = build_plan(cal, nullptr, 0, 10, false);
  ASSERT_TRUE(plan.is_ok());
  const int reps = 400;
  std::vector<double> sum(11, 0);
  ReplicateOutput out;
  for (int r = 0; r < reps; ++r) {
    simulate_replicate(*plan, 1, static_cast<uint64_t>(r), out);
    for (size_t t = 0; t <= 10; ++t) sum[t] += static_cast<double>(out.headcount[t]);
  }
  for (int t = 1; t <= 10; ++t) {
    const double q = std::pow(0.9, t), expected = 1000 * q,
                 se = std::sqrt(1000 * q * (1 - q) / reps);
    EXPECT_NEAR(sum[static_cast<size_t>(t)] / reps, expected, 4 * se) << "year " << t;
  }
}

TEST(Supply, TrainingPipelineArrivesAfterTheCourseLength) {
  // Intake I = 200 from the census year, completion 0.8, local share 0.5, course 3 years: no
  // arrivals in years 1-2, then I c l = 80 a year (binomial, so sd sqrt(200 x 0.4 x 0.6)).
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  Scenario s;
  s.name = "train";
  Intervention iv;
  iv.type = InterventionType::training_places;
  iv.target.role = role_index("adult_nurse");
  iv.start_year = 2024;  // the census year 2024/25: the first cohort is in training now
  iv.intake = 200, iv.completion_rate = 0.8, iv.local_share = 0.5, iv.course_years = 3;
  s.interventions = {iv};
  auto plan = build_plan(cal, &s, 1, 6, false);
  ASSERT_TRUE(plan.is_ok()) << plan.error().message;
  const int reps = 300;
  std::vector<double> added(7, 0);
  ReplicateOutput out;
  for (int r = 0; r < reps; ++r) {
    simulate_replicate(*plan, 4, static_cast<uint64_t>(r), out);
    for (size_t t = 1; t <= 6; ++t) {
      const double step = static_cast<double>(out.headcount[t] - out.headcount[t - 1]);
      if (t < 3) {
        ASSERT_EQ(step, 0) << "nobody qualifies before year 3";
      }
      added[t] += step;
    }
  }
  const double se = std::sqrt(200 * 0.4 * 0.6 / reps);
  for (size_t t = 3; t <= 6; ++t) EXPECT_NEAR(added[t] / reps, 80, 4 * se) << "year " << t;
}

TEST(Supply, TrainingArrivalsLeaveTheExternalJoinerDrawsAlone) {
  // Every student completes and stays (probability 1), so 40 qualifiers arrive each year from
  // year 3 (intake from year 1, a 2-year course) exactly; with the same seed, the external joiners
  // of every replicate and year must be the baseline's, so the scenario's joiners are the
  // baseline's plus 40.
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 300, 5, 0.1);
  cal.lines[0].joiners_per_year = {10, 8, 0, 0, 12};
  cal.joiner_age_share[cal.lines[0].role] = {0, 0.3, 0.3, 0.2, 0.1, 0.1, 0, 0, 0, 0, 0, 0};
  Scenario s;
  s.name = "train";
  Intervention train;
  train.type = InterventionType::training_places;
  train.target.role = role_index("adult_nurse");
  train.intake = 40, train.completion_rate = 1, train.local_share = 1, train.course_years = 2;
  s.interventions = {train};
  auto base = build_plan(cal, nullptr, 0, 8, true);
  auto plan = build_plan(cal, &s, 1, 8, true);
  ASSERT_TRUE(base.is_ok() && plan.is_ok());
  ASSERT_EQ(plan->pipelines.size(), 1u);
  const size_t T = 9;
  ReplicateOutput a, b;
  int64_t external = 0;
  for (uint64_t rep = 0; rep < 20; ++rep) {
    simulate_replicate(*base, 5, rep, a, true);
    simulate_replicate(*plan, 5, rep, b, true);
    for (size_t t = 1; t < T; ++t) {
      const int64_t qualifiers = t >= 3 ? 40 : 0;
      ASSERT_EQ(b.flows[t].joiners, a.flows[t].joiners + qualifiers)
          << "replicate " << rep << " year " << t;
      external += a.flows[t].joiners;
    }
  }
  EXPECT_GT(external, 0);
}

TEST(Supply, RetirementDeferralPreventsThatShareOfRetirements) {
  // 2,000 people aged 60-64, leaver rate 0.2, of whom 60% retire; deferring half of the
  // retirements makes the leaver probability 0.2 x (1 - 0.6 x 0.5) = 0.14 and the retirement
  // probability 0.2 x 0.6 x 0.5 = 0.06 in year 1 (binomial, so the means fall within 4 SE).
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 2000, 9, 0.2);
  cal.retirement_share[9] = 0.6;
  Scenario s;
  s.name = "retire_and_return";
  Intervention defer;
  defer.type = InterventionType::retirement_deferral;
  defer.share = 0.5;
  s.interventions = {defer};
  auto base = build_plan(cal, nullptr, 0, 1, false);
  auto plan = build_plan(cal, &s, 1, 1, false);
  ASSERT_TRUE(base.is_ok() && plan.is_ok());
  const int reps = 200;
  const double n = 2000;
  double stayed = 0, retired = 0, retired_base = 0;
  ReplicateOutput a, b;
  for (int r = 0; r < reps; ++r) {
    simulate_replicate(*base, 6, static_cast<uint64_t>(r), a, true);
    simulate_replicate(*plan, 6, static_cast<uint64_t>(r), b, true);
    stayed += static_cast<double>(b.flows[1].start - b.flows[1].exits);
    retired += static_cast<double>(b.flows[1].retirements);
    retired_base += static_cast<double>(a.flows[1].retirements);
  }
  auto se = [&](double p) { return std::sqrt(n * p * (1 - p) / reps); };
  EXPECT_NEAR(stayed / reps, n * 0.86, 4 * se(0.14));
  EXPECT_NEAR(retired / reps, n * 0.06, 4 * se(0.06));
  EXPECT_NEAR(retired_base / reps, n * 0.12, 4 * se(0.12));
}

// Lines of one role in two units (300 and 100 heads, no leavers), with baseline joiners a
// year by source {newly qualified, international, return to practice, apprenticeship, other}.
Calibration two_units_with_joiners() {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 300, 5, 0.0);
  add_line(cal, 1, "adult_nurse", 100, 5, 0.0);
  cal.lines[0].joiners_per_year = {10, 20, 4, 6, 10};
  cal.lines[1].joiners_per_year = {5, 10, 2, 2, 1};
  return cal;
}

TEST(Supply, RecruitmentLeversRaiseJoinersByTheirStatedSize) {
  // Each lever from year 2: per_year spread over the role's lines by headcount (3 : 1), percent
  // of the line's own observed joiners from that source (not for bank-to-substantive).
  const Calibration cal = two_units_with_joiners();
  struct Case {
    InterventionType type;
    double per_year, percent;
    std::array<double, 2> extra;  // expected extra joiners a year per line
  };
  const std::vector<Case> cases = {
      {InterventionType::international_recruitment, 40, 0, {30, 10}},
      {InterventionType::international_recruitment, 0, -100, {-20, -10}},  // none from abroad
      {InterventionType::apprenticeships, 8, 50, {6 + 3, 2 + 1}},
      {InterventionType::return_to_practice, 0, 200, {8, 4}},
      {InterventionType::bank_to_substantive, 20, 50, {15, 5}},
  };
  const std::array<double, 2> base = {50, 20};
  const int reps = 300;
  for (const auto& c : cases) {
    Scenario s;
    s.name = "lever";
    Intervention iv;
    iv.type = c.type;
    iv.target.role = role_index("adult_nurse");
    iv.start_year = 2026;  // year 2
    iv.per_year = c.per_year, iv.percent = c.percent;
    s.interventions = {iv};
    auto plan = build_plan(cal, &s, 1, 3, false);
    ASSERT_TRUE(plan.is_ok()) << plan.error().message;
    const std::string what =
        std::string(intervention_spec(c.type).name) + " " + std::to_string(c.percent);
    for (size_t l = 0; l < 2; ++l) {
      EXPECT_NEAR(plan->lines[l].joiner_mean[1], base[l], 1e-9) << what;
      EXPECT_NEAR(plan->lines[l].joiner_mean[2], base[l] + c.extra[l], 1e-9) << what;
    }
    // The simulated joiners (Poisson, variance = mean) in year 3.
    std::array<double, 2> joined{};
    ReplicateOutput out;
    for (int r = 0; r < reps; ++r) {
      simulate_replicate(*plan, 8, static_cast<uint64_t>(r), out, true);
      for (size_t l = 0; l < 2; ++l) joined[l] += static_cast<double>(out.flows[l * 4 + 3].joiners);
    }
    for (size_t l = 0; l < 2; ++l) {
      const double mean = base[l] + c.extra[l];
      EXPECT_NEAR(joined[l] / reps, mean, 4 * std::sqrt(mean / reps)) << what << " line " << l;
    }
  }
}

TEST(Supply, AgeingMovesAFifthOfABandEachYear) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 1000, 3, 0.0);
  auto plan = build_plan(cal, nullptr, 0, 1, false);
  ASSERT_TRUE(plan.is_ok());
  // Headcount stays 1000; the FTE is 1 per head whatever the band, so check the split via
  // per-band FTE: give band 4 a different FTE per head.
  plan->lines[0].fte_per_head[4] = 0.0;
  ReplicateOutput out;
  const int reps = 400;
  double moved = 0;
  for (int r = 0; r < reps; ++r) {
    simulate_replicate(*plan, 2, static_cast<uint64_t>(r), out);
    EXPECT_EQ(out.headcount[1], 1000);
    moved += 1000 - out.supply_fte[1];
  }
  EXPECT_NEAR(moved / reps, 200, 4 * std::sqrt(1000 * 0.2 * 0.8 / reps));
}

TEST(Supply, SameSeedSameNumbersDifferentSeedDifferent) {
  const Calibration cal = busy_system();
  const Scenario scenario = busy_scenario();
  auto plan = build_plan(cal, &scenario, 3, 15, true);
  ASSERT_TRUE(plan.is_ok());
  ReplicateOutput a, b, c;
  simulate_replicate(*plan, 123, 7, a);
  simulate_replicate(*plan, 123, 7, b);
  simulate_replicate(*plan, 124, 7, c);
  EXPECT_EQ(a.headcount, b.headcount);
  EXPECT_EQ(a.supply_fte, b.supply_fte);
  EXPECT_EQ(a.cost_gbp, b.cost_gbp);
  EXPECT_NE(a.headcount, c.headcount);
}

// An adult nurse demand step from 2026/27 (in percent or FTE) and 1% productivity a year.
Scenario nurse_demand_step_with_productivity(double percent, double fte) {
  Scenario s;
  s.name = "policy";
  Intervention step;
  step.type = InterventionType::demand_step;
  step.target.role = role_index("adult_nurse");
  step.start_year = 2026;
  step.percent = percent;
  step.fte = fte;
  Intervention prod;
  prod.type = InterventionType::productivity;
  prod.gain = 0.01;
  s.interventions = {step, prod};
  return s;
}

TEST(Demand, EstablishmentTimesPopulationIndexPolicyAndProductivity) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  cal.lines[0].establishment_fte = 110;
  // Place North: one age band, growing 2% a year.
  cal.population_first_year = 2024;
  cal.population.assign(2, {});
  for (int y = 0; y < 10; ++y) {
    std::array<double, 18> bands{};
    bands[17] = 1000 * std::pow(1.02, y);
    cal.population[0].push_back(bands);
  }
  // +10% adult nurse demand from 2026/27 (year 2) and 1% productivity a year.
  const Scenario s = nurse_demand_step_with_productivity(/*percent=*/10, /*fte=*/0);
  auto plan = build_plan(cal, &s, 2, 4, false);
  ASSERT_TRUE(plan.is_ok()) << plan.error().message;
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  EXPECT_NEAR(out.demand_fte[0], 110, 1e-9);
  EXPECT_NEAR(out.demand_fte[1], 110 * 1.02 * 0.99, 1e-9);
  EXPECT_NEAR(out.demand_fte[2], 110 * std::pow(1.02, 2) * 1.1 * std::pow(0.99, 2), 1e-9);
  EXPECT_NEAR(out.demand_fte[4], 110 * std::pow(1.02, 4) * 1.1 * std::pow(0.99, 4), 1e-9);
}

TEST(Demand, PopulationIndexWeighsEachAgeBandByItsServiceUse) {
  // Place North: children (0-4) flat at 5,000, adults (40-44) falling 1% a year, over-85s
  // growing 5% a year; acute weights 0.5, 1 and 6. The index is the weighted population over
  // the same at the base year, 2024 (unweighted it would barely move).
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  cal.lines[0].establishment_fte = 90;
  auto& w = cal.demand_weight[static_cast<size_t>(Sector::acute)];
  w.fill(1.0);
  w[0] = 0.5, w[8] = 1.0, w[17] = 6.0;
  cal.population_first_year = 2024;
  cal.population.assign(2, {});
  auto bands_at = [](int y) {
    std::array<double, 18> bands{};
    bands[0] = 5000, bands[8] = 8000 * std::pow(0.99, y), bands[17] = 1000 * std::pow(1.05, y);
    return bands;
  };
  for (int y = 0; y < 4; ++y) cal.population[0].push_back(bands_at(y));
  auto weighted = [](int y) {
    return 0.5 * 5000 + 1.0 * 8000 * std::pow(0.99, y) + 6.0 * 1000 * std::pow(1.05, y);
  };
  auto plan = build_plan(cal, nullptr, 0, 5, false);
  ASSERT_TRUE(plan.is_ok());
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  for (int t = 0; t <= 5; ++t) {
    // Years beyond the data (2028 on) hold the last year's population.
    const double index = weighted(std::min(t, 3)) / weighted(0);
    EXPECT_NEAR(out.demand_fte[static_cast<size_t>(t)], 90 * index, 1e-9) << "year " << t;
  }
  EXPECT_NEAR(out.demand_fte[3] / 90, (2500 + 8000 * 0.970299 + 6000 * 1.157625) / 16500, 1e-12);
  // Sector cells (every place together) weigh the sum over places.
  cal.population[1] = {bands_at(0), bands_at(0), bands_at(0), bands_at(0)};
  EXPECT_NEAR(cal.population_index(kAllPlaces, Sector::acute, 2027),
              (weighted(3) + weighted(0)) / (2 * weighted(0)), 1e-12);
}

TEST(Demand, FteStepsAreAddedAfterThePopulationIndexAndSpreadByEstablishment) {
  // Adult nurses in two units of place North with establishment 300 and 100 (heads 100 each);
  // population growing 2% a year; +40 FTE from 2026/27 (year 2) and 1% productivity a year:
  // demand(t) = (establishment x 1.02^t + 40 x share) x 0.99^t, share by establishment.
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  add_line(cal, 1, "adult_nurse", 100, 4, 0.0);
  cal.lines[0].establishment_fte = 300;
  cal.lines[1].establishment_fte = 100;
  cal.population_first_year = 2024;
  cal.population.assign(2, {});
  for (int y = 0; y < 6; ++y) {
    std::array<double, 18> bands{};
    bands.fill(1000 * std::pow(1.02, y));
    cal.population[0].push_back(bands);
  }
  const Scenario s = nurse_demand_step_with_productivity(/*percent=*/0, /*fte=*/40);
  auto plan = build_plan(cal, &s, 2, 4, false);
  ASSERT_TRUE(plan.is_ok()) << plan.error().message;
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  const size_t T = 5;
  for (size_t t = 0; t < T; ++t) {
    const double index = std::pow(1.02, static_cast<double>(t));
    const double step_fte = t >= 2 ? 40 : 0, kept = std::pow(0.99, static_cast<double>(t));
    EXPECT_NEAR(out.demand_fte[t], (300 * index + 0.75 * step_fte) * kept, 1e-9) << t;
    EXPECT_NEAR(out.demand_fte[T + t], (100 * index + 0.25 * step_fte) * kept, 1e-9) << t;
  }
}

TEST(Demand, SkillMixMovesAShareOfNewDemandBetweenRoles) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  Scenario s;
  s.name = "mix";
  Intervention grow;
  grow.type = InterventionType::demand_growth;
  grow.target.role = role_index("adult_nurse");
  grow.percent = 10;
  Intervention mix;
  mix.type = InterventionType::skill_mix;
  mix.target.role = role_index("adult_nurse");
  mix.to_role = role_index("nursing_associate");
  mix.share = 0.2, mix.ratio = 1.5;
  s.interventions = {grow, mix};
  auto plan = build_plan(cal, &s, 2, 2, false);
  ASSERT_TRUE(plan.is_ok()) << plan.error().message;
  ASSERT_EQ(plan->lines.size(), 2u);
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  // Year 2: nurse demand 100 x 1.1^2 = 121, new demand 21, 20% = 4.2 moves, x 1.5 = 6.3.
  EXPECT_NEAR(out.demand_fte[2], 121 - 4.2, 1e-9);
  EXPECT_NEAR(out.demand_fte[3 + 2], 6.3, 1e-9);
}

TEST(Demand, WisnComputesStaffFromActivity) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "physiotherapist", 10, 4, 0.0);
  Scenario s;
  s.name = "wisn";
  Intervention w;
  w.type = InterventionType::wisn;
  w.target.role = role_index("physiotherapist");
  w.activities = {{"assessment", 6000, 45}, {"follow-up", 12000, 30}};
  w.available_hours = 1500;
  w.allowance_factor = 1.1;
  s.interventions = {w};
  auto plan = build_plan(cal, &s, 1, 1, false);
  ASSERT_TRUE(plan.is_ok());
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  // (6000 x 45 + 12000 x 30) / 60 = 10,500 hours; / 1500 x 1.1 = 7.7 FTE.
  EXPECT_NEAR(out.demand_fte[0], 10, 1e-9);  // establishment method at t = 0
  EXPECT_NEAR(out.demand_fte[1], 7.7, 1e-9);
}

TEST(Cost, SupplyAtUnitCostPlusShortfallAtTheTemporaryStaffingPremium) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  cal.lines[0].establishment_fte = 120;
  cal.bank_fill_share = 0.75, cal.bank_premium = 1.2, cal.agency_premium = 2.0;
  auto plan = build_plan(cal, nullptr, 0, 1, false);
  ASSERT_TRUE(plan.is_ok());
  ReplicateOutput out;
  simulate_replicate(*plan, 1, 0, out);
  // 100 FTE x 40,000 + 20 FTE short x 40,000 x (0.75 x 1.2 + 0.25 x 2.0) = 5,120,000.
  EXPECT_NEAR(out.cost_gbp[0], 5120000, 1e-6);
}

TEST(Plan, ExplainsBadTargets) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "adult_nurse", 100, 4, 0.1);
  Scenario s;
  s.name = "bad";
  s.source = "bad.toml";
  Intervention iv;
  iv.type = InterventionType::turnover_change;
  iv.line = 7;
  iv.target.place = "Nowhere";
  s.interventions = {iv};
  auto plan = build_plan(cal, &s, 1, 5, false);
  ASSERT_FALSE(plan.is_ok());
  EXPECT_EQ(plan.error().message, "bad.toml:7: unknown place 'Nowhere' (places: North, South)");
  // Also when it starts after the horizon, where it would change nothing.
  s.interventions[0].start_year = 2040;
  plan = build_plan(cal, &s, 1, 5, false);
  ASSERT_FALSE(plan.is_ok());
  EXPECT_EQ(plan.error().message, "bad.toml:7: unknown place 'Nowhere' (places: North, South)");
  s.interventions[0].target.place.reset();
  EXPECT_TRUE(build_plan(cal, &s, 1, 5, false).is_ok());
  s.interventions[0].start_year = 2020;
  plan = build_plan(cal, &s, 1, 5, false);
  ASSERT_FALSE(plan.is_ok());
  EXPECT_EQ(plan.error().message, "bad.toml:7: start 2020/21 is before the census year 2024/25");
  s.interventions[0].start_year = 0;
  s.interventions[0].target.role = role_index("midwife");
  plan = build_plan(cal, &s, 1, 5, false);
  ASSERT_FALSE(plan.is_ok());
  EXPECT_EQ(plan.error().message, "bad.toml:7: no staff match midwife");
}

TEST(Supply, TurnoverChangeLowersLeaversPhasedIn) {
  Calibration cal = blank_calibration();
  add_line(cal, 0, "care_worker", 2000, 4, 0.3);
  Scenario s;
  s.name = "retain";
  Intervention iv;
  iv.type = InterventionType::turnover_change;
  iv.change_pp = -6, iv.phase_in_years = 3;
  s.interventions = {iv};
  auto plan = build_plan(cal, &s, 1, 4, false);
  ASSERT_TRUE(plan.is_ok());
  EXPECT_NEAR(plan->lines[0].leave_delta[1], -0.02, 1e-12);
  EXPECT_NEAR(plan->lines[0].leave_delta[2], -0.04, 1e-12);
  EXPECT_NEAR(plan->lines[0].leave_delta[3], -0.06, 1e-12);
  EXPECT_NEAR(plan->lines[0].leave_delta[4], -0.06, 1e-12);
  ReplicateOutput out;
  const int reps = 200;
  double survivors = 0;
  for (int r = 0; r < reps; ++r) {
    simulate_replicate(*plan, 3, static_cast<uint64_t>(r), out, true);
    survivors += static_cast<double>(out.headcount[1]);
  }
  EXPECT_NEAR(survivors / reps, 2000 * 0.72, 4 * std::sqrt(2000 * 0.28 * 0.72 / reps));
}

}  // namespace
}  // namespace careforce::projection
