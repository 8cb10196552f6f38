#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "plan_fixture.hpp"
#include "projection/engine.hpp"
#include "projection/rng.hpp"
#include "projection/runner.hpp"
#include "synthetic_model.hpp"

namespace careforce::projection {
namespace {

const model::WorkforceModel& small_model() {
  static const model::WorkforceModel m = [] {
    testing::SyntheticOptions options;
    options.places = 2;
    options.orgs_per_sector_place = 1;
    options.roles = testing::default_synthetic_roles();
    for (auto& r : options.roles) r.staff_per_org = std::max(20, r.staff_per_org / 4);
    return testing::build_synthetic_model(options);
  }();
  return m;
}

ProjectionOptions quick(std::string format = "json") {
  ProjectionOptions o;
  o.years = 6;
  o.runs = 40;
  o.seed = 11;
  o.format = std::move(format);
  o.threads = 2;
  o.attribution_runs = 20;
  return o;
}

std::string scenario_path(const char* name) {
  return std::string(CAREFORCE_SOURCE_DIR) + "/docs/scenarios/" + name;
}

TEST(Quantile, LinearInterpolationBetweenOrderStatistics) {
  std::vector<float> v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_NEAR(quantile(v, 0.1), 1.9, 1e-6);
  EXPECT_NEAR(quantile(v, 0.5), 5.5, 1e-6);
  EXPECT_NEAR(quantile(v, 0.9), 9.1, 1e-6);
  std::vector<float> one = {4};
  EXPECT_EQ(quantile(one, 0.9), 4);
}

TEST(Quantile, ThreeAtOnceEqualOneAtATime) {
  Rng rng(8);
  for (size_t n : {size_t{1}, size_t{2}, size_t{10}, size_t{63}, size_t{64}, size_t{200},
                   size_t{1000}, size_t{1001}}) {
    for (int shape = 0; shape < 5; ++shape) {
      std::vector<float> v(n);
      for (size_t i = 0; i < n; ++i) {
        const double u = rng.uniform();
        v[i] = shape == 0   ? static_cast<float>(1000 + 50 * u)          // narrow, positive
               : shape == 1 ? static_cast<float>(u - 0.5)                // both signs
               : shape == 2 ? static_cast<float>(std::floor(u * 4) - 2)  // many ties, zeros
               : shape == 3 ? static_cast<float>(i == 0 ? 1e30 : u)      // one far outlier
                            : -7.25f;                                    // all equal
      }
      std::vector<float> copy = v;
      const Quantiles q = quantiles_in_place(v);
      EXPECT_EQ(q.p10, quantile(copy, 0.1)) << n << " " << shape;
      EXPECT_EQ(q.p50, quantile(copy, 0.5)) << n << " " << shape;
      EXPECT_EQ(q.p90, quantile(copy, 0.9)) << n << " " << shape;
    }
  }
}

TEST(Runner, SameSeedSameBytesAndThreadCountDoesNotMatter) {
  auto options = quick();
  options.scenario_files = {scenario_path("grow_our_own.toml")};
  options.scopes = {"all"};
  options.calibration.by_place = true;
  auto a = run_projection(small_model(), options);
  ASSERT_TRUE(a.is_ok()) << a.error().message;
  auto b = run_projection(small_model(), options);
  ASSERT_TRUE(b.is_ok());
  EXPECT_EQ(*a, *b);
  options.threads = 1;
  auto single = run_projection(small_model(), options);
  ASSERT_TRUE(single.is_ok());
  EXPECT_EQ(*a, *single);
  options.threads = 3;
  auto three = run_projection(small_model(), options);
  EXPECT_EQ(*a, *three);
  options.seed = 12;
  auto other = run_projection(small_model(), options);
  ASSERT_TRUE(other.is_ok());
  EXPECT_NE(*a, *other);
}

TEST(Runner, JsonFollowsTheContract) {
  auto options = quick();
  options.scenario_files = {scenario_path("grow_our_own.toml"), scenario_path("pcn_arrs.toml")};
  options.scopes = {"system", "sectors"};
  auto out = run_projection(small_model(), options);
  ASSERT_TRUE(out.is_ok()) << out.error().message;
  const auto j = nlohmann::json::parse(*out);
  EXPECT_EQ(j["years"], 6);
  EXPECT_EQ(j["runs"], 40);
  EXPECT_EQ(j["seed"], 11);
  ASSERT_TRUE(j["parameters"].is_object());
  const auto& rate = j["parameters"]["leaver_rate[adult_nurse|all]"];
  EXPECT_EQ(rate["provenance"], "observed");
  EXPECT_TRUE(rate["value"].is_number());
  EXPECT_EQ(j["parameters"]["productivity_gain_per_year"]["provenance"], "default");
  const auto& user =
      j["parameters"]["intervention[grow_our_own|Extra adult nursing degree places]"];
  EXPECT_EQ(user["provenance"], "user");
  EXPECT_EQ(user["value"], 60);
  std::set<std::string> scenarios, years;
  bool saw_total = false, saw_role = false;
  for (const auto& row : j["series"]) {
    scenarios.insert(row["scenario"]);
    years.insert(row["year"]);
    for (const char* key : {"scope_type", "scope", "staff_group", "role_code"})
      ASSERT_TRUE(row[key].is_string());
    for (const char* m : {"supply", "demand", "gap", "cost_gbp"}) {
      ASSERT_LE(row[m]["p10"].get<double>(), row[m]["p50"].get<double>()) << row.dump();
      ASSERT_LE(row[m]["p50"].get<double>(), row[m]["p90"].get<double>()) << row.dump();
    }
    saw_total |=
        row["scope_type"] == "system" && row["role_code"] == "all" && row["staff_group"] == "all";
    saw_role |= row["scope_type"] == "sector" && row["scope"] == "acute" &&
                row["role_code"] == "adult_nurse";
  }
  EXPECT_EQ(scenarios, (std::set<std::string>{"baseline", "grow_our_own", "pcn_additional_roles"}));
  EXPECT_EQ(years, (std::set<std::string>{"2024/25", "2025/26", "2026/27", "2027/28", "2028/29",
                                          "2029/30", "2030/31"}));
  EXPECT_TRUE(saw_total);
  EXPECT_TRUE(saw_role);
  EXPECT_FALSE(j["attribution"].empty());
}

TEST(Runner, ScenarioRaisesSupplyAndAttributesTheGapClosed) {
  auto options = quick();
  options.years = 8;
  options.scenario_files = {scenario_path("grow_our_own.toml")};
  options.scopes = {"system"};
  auto result = project(small_model(), options);
  ASSERT_TRUE(result.is_ok()) << result.error().message;
  double base = 0, scen = 0;
  for (const auto& row : result->series)
    if (row.t == 8 && row.role_code == "adult_nurse")
      (row.scenario == "baseline" ? base : scen) = row.supply.p50;
  // 60 places x 0.8 x 0.7 = 33.6 a year from year 4, plus 15 returners a year.
  EXPECT_GT(scen, base + 50);
  std::set<std::string> labels;
  for (const auto& a : result->attribution) labels.insert(a.intervention);
  EXPECT_EQ(labels, (std::set<std::string>{"Extra adult nursing degree places",
                                           "Care worker retention programme",
                                           "Return to practice campaign"}));
  // At t = 0 supply is the census: every replicate equal.
  for (const auto& row : result->series)
    if (row.t == 0) {
      EXPECT_EQ(row.supply.p10, row.supply.p90);
    }
}

// The series and attribution of each scenario, formatted, so runs can be compared exactly.
std::string scenario_output(const ProjectionResult& r, const std::string& scenario) {
  std::string out;
  for (const auto& row : r.series)
    if (row.scenario == scenario)
      out += row.scope + "|" + row.role_code + "|" + std::to_string(row.t) + "|" +
             std::to_string(row.supply.p10) + "|" + std::to_string(row.supply.p50) + "|" +
             std::to_string(row.supply.p90) + "|" + std::to_string(row.demand.p10) + "|" +
             std::to_string(row.demand.p90) + "|" + std::to_string(row.gap.p10) + "|" +
             std::to_string(row.gap.p50) + "|" + std::to_string(row.gap.p90) + "|" +
             std::to_string(row.cost_gbp.p10) + "|" + std::to_string(row.cost_gbp.p90) + "|" +
             std::to_string(row.p_gap_exceeds) + "\n";
  for (const auto& a : r.attribution)
    if (a.scenario == scenario)
      out += a.intervention + "|" + std::to_string(a.t) + "|" +
             std::to_string(a.gap_closed_fte.p10) + "|" + std::to_string(a.gap_closed_fte.p90) +
             "\n";
  return out;
}

TEST(Runner, ScenariosOnTheBaselineRecordGiveTheSameNumbersAsAlone) {
  // With the baseline in the same run, scenarios copy the lines they leave alone from its
  // replicates, and the summaries of sums over such lines; run alone they simulate every
  // line and summarise every sum. Every figure must be identical.
  for (const auto& scopes : {std::vector<std::string>{"all"}, {"sector:acute"}}) {
    auto options = quick();
    options.scopes = scopes;
    options.scenario_files = {scenario_path("grow_our_own.toml"), scenario_path("pcn_arrs.toml"),
                              scenario_path("demand_pressure.toml")};
    options.attribution = scopes[0] == "all";
    options.keep_baseline_record = true;
    auto together = project(small_model(), options);
    ASSERT_TRUE(together.is_ok()) << together.error().message;
    ASSERT_NE(together->baseline_record, nullptr);
    for (const auto& file : options.scenario_files) {
      auto alone = options;
      alone.scenario_files = {file};
      alone.include_baseline = false;
      alone.keep_baseline_record = false;
      auto run = project(small_model(), alone);
      ASSERT_TRUE(run.is_ok());
      const std::string name = run->scenarios.front().name;
      const std::string expected = scenario_output(*run, name);
      EXPECT_FALSE(expected.empty());
      EXPECT_EQ(scenario_output(*together, name), expected) << name << " " << scopes[0];
      // A re-run handed the earlier baseline's record gives the same again.
      alone.baseline_record = together->baseline_record;
      auto rerun = project(small_model(), alone);
      ASSERT_TRUE(rerun.is_ok());
      EXPECT_EQ(scenario_output(*rerun, name), expected) << name << " " << scopes[0];
    }
  }
  // The dashboard's demand and cost settings change no line's supply: a run with them takes
  // the same baseline record and gives what it gives alone.
  Calibration cal = calibrate(small_model());
  auto options = quick();
  options.keep_baseline_record = true;
  auto baseline = project(cal, options);
  ASSERT_TRUE(baseline.is_ok());
  cal.productivity_gain = 0.01, cal.bank_premium = 1.3, cal.agency_premium = 2.9;
  options.scenario_files = {scenario_path("grow_our_own.toml")};
  options.include_baseline = false;
  options.keep_baseline_record = false;
  auto alone = project(cal, options);
  options.baseline_record = baseline->baseline_record;
  auto reused = project(cal, options);
  ASSERT_TRUE(alone.is_ok() && reused.is_ok());
  EXPECT_EQ(scenario_output(*reused, "grow_our_own"), scenario_output(*alone, "grow_our_own"));
}

const SeriesRow* system_total(const ProjectionResult& r, const std::string& scenario, int t) {
  for (const auto& row : r.series)
    if (row.scenario == scenario && row.scope_type == "system" && row.role_code == "all" &&
        row.staff_group == "all" && row.t == t)
      return &row;
  return nullptr;
}

TEST(Runner, GapExceedsThresholdIsCertainWhenTheGapIsFixed) {
  // 100 nurses who never leave, no joiners, establishment 120: the gap is 20 FTE in every
  // replicate and year, so P(gap > threshold) is 1 below 20 and 0 from 20 (strictly greater).
  Calibration cal = testing::blank_calibration();
  testing::add_line(cal, 0, "adult_nurse", 100, 4, 0.0);
  cal.lines[0].establishment_fte = 120;
  for (const auto& [threshold, expected] :
       {std::pair{-5.0, 1.0}, {19.9, 1.0}, {20.0, 0.0}, {25.0, 0.0}}) {
    auto options = quick();
    options.gap_threshold = threshold;
    auto r = project(cal, options);
    ASSERT_TRUE(r.is_ok()) << r.error().message;
    for (int t = 0; t <= options.years; ++t) {
      const SeriesRow* row = system_total(*r, "baseline", t);
      ASSERT_NE(row, nullptr);
      EXPECT_EQ(row->gap.p50, 20);
      EXPECT_EQ(row->p_gap_exceeds, expected) << "threshold " << threshold << " year " << t;
    }
  }
}

TEST(Runner, GapExceedsThresholdIsTheShareOfReplicatesAboveIt) {
  // Two lines whose supply varies by replicate around an establishment of 1,000 and 300; the
  // share of the replicates whose system gap is above 5 FTE, computed here from the kernel.
  Calibration cal = testing::blank_calibration();
  testing::add_line(cal, 0, "adult_nurse", 1000, 4, 0.1);
  testing::add_line(cal, 2, "care_worker", 300, 3, 0.25);
  cal.lines[0].joiners_per_year = {0, 0, 0, 0, 100};
  cal.lines[1].joiners_per_year = {0, 0, 0, 0, 75};
  auto options = quick();
  options.runs = 200;
  options.gap_threshold = 5;
  auto r = project(cal, options);
  ASSERT_TRUE(r.is_ok()) << r.error().message;
  auto plan = build_plan(cal, nullptr, 0, options.years, options.parameter_uncertainty);
  ASSERT_TRUE(plan.is_ok());
  const auto T = static_cast<size_t>(options.years + 1);
  std::vector<int> above(T, 0);
  ReplicateOutput out;
  for (int rep = 0; rep < options.runs; ++rep) {
    simulate_replicate(*plan, options.seed, static_cast<uint64_t>(rep), out);
    for (size_t t = 0; t < T; ++t) {
      // Summed over lines, then stored as float, as the runner keeps its replicate sums.
      double supply = 0, demand = 0;
      for (size_t l = 0; l < plan->lines.size(); ++l)
        supply += out.supply_fte[l * T + t], demand += out.demand_fte[l * T + t];
      above[t] += static_cast<float>(demand) - static_cast<float>(supply) > options.gap_threshold;
    }
  }
  for (size_t t = 1; t < T; ++t) {
    const double share = above[t] / static_cast<double>(options.runs);
    ASSERT_GT(share, 0.1) << "year " << t << ": the threshold should split the replicates";
    ASSERT_LT(share, 0.9) << "year " << t;
    const SeriesRow* row = system_total(*r, "baseline", static_cast<int>(t));
    ASSERT_NE(row, nullptr);
    EXPECT_DOUBLE_EQ(row->p_gap_exceeds, share) << "year " << t;
  }
}

TEST(Runner, GapClosedByEachInterventionIsThePairedFallInTheSystemGap) {
  // A scenario of two interventions; the test simulates the baseline, the first and both with
  // the run's seed and takes the quantiles of each replicate's fall in the system gap.
  Calibration cal = testing::blank_calibration();
  testing::add_line(cal, 0, "adult_nurse", 800, 4, 0.12);
  testing::add_line(cal, 2, "care_worker", 400, 3, 0.3);
  cal.lines[0].joiners_per_year = {30, 20, 0, 0, 30};
  cal.lines[1].joiners_per_year = {0, 10, 0, 10, 90};
  cal.lines[0].establishment_fte = 900, cal.lines[1].establishment_fte = 450;
  Scenario s;
  s.name = "close_the_gap";
  Intervention abroad;
  abroad.type = InterventionType::international_recruitment;
  abroad.label = "International nurses";
  abroad.target.role = testing::role_index("adult_nurse");
  abroad.per_year = 30;
  Intervention retain;
  retain.type = InterventionType::turnover_change;
  retain.label = "Care worker retention";
  retain.target.role = testing::role_index("care_worker");
  retain.change_pp = -5, retain.phase_in_years = 2;
  s.interventions = {abroad, retain};
  auto options = quick();
  options.runs = 60, options.attribution_runs = 40;
  options.scenarios = {s};
  auto r = project(cal, options);
  ASSERT_TRUE(r.is_ok()) << r.error().message;
  const auto T = static_cast<size_t>(options.years + 1);
  const size_t runs = 40;
  std::vector<std::vector<double>> gap(3, std::vector<double>(T * runs));
  for (size_t k = 0; k <= 2; ++k) {
    auto plan = build_plan(cal, &s, k, options.years, options.parameter_uncertainty);
    ASSERT_TRUE(plan.is_ok());
    ReplicateOutput out;
    for (size_t rep = 0; rep < runs; ++rep) {
      simulate_replicate(*plan, options.seed, rep, out);
      for (size_t t = 0; t < T; ++t)
        for (size_t l = 0; l < plan->lines.size(); ++l)
          gap[k][t * runs + rep] += out.demand_fte[l * T + t] - out.supply_fte[l * T + t];
    }
  }
  size_t rows = 0;
  for (const auto& a : r->attribution) {
    ASSERT_EQ(a.scenario, "close_the_gap");
    const size_t k = a.intervention == "International nurses" ? 1 : 2;
    const auto t = static_cast<size_t>(a.t);
    std::vector<float> closed(runs);
    for (size_t rep = 0; rep < runs; ++rep)
      closed[rep] = static_cast<float>(gap[k - 1][t * runs + rep] - gap[k][t * runs + rep]);
    // Quantiles of the paired falls, rounded to 0.1 FTE as reported.
    const double p10 = quantile(closed, 0.1), p50 = quantile(closed, 0.5),
                 p90 = quantile(closed, 0.9);
    EXPECT_NEAR(a.gap_closed_fte.p10, p10, 0.05 + 1e-6) << a.intervention << " year " << t;
    EXPECT_NEAR(a.gap_closed_fte.p50, p50, 0.05 + 1e-6) << a.intervention << " year " << t;
    EXPECT_NEAR(a.gap_closed_fte.p90, p90, 0.05 + 1e-6) << a.intervention << " year " << t;
    // Recruits from abroad close the gap: 30 a year less what leaves again.
    if (k == 1) {
      EXPECT_GT(a.gap_closed_fte.p10, 30);
    }
    ++rows;
  }
  EXPECT_EQ(rows, 4u);  // two interventions at years 5 and 6 (the horizon)
}

TEST(Runner, CsvHasOneHeaderAndARowPerSeriesYear) {
  auto options = quick("csv");
  auto out = run_projection(small_model(), options);
  ASSERT_TRUE(out.is_ok());
  const std::string header = out->substr(0, out->find('\n'));
  EXPECT_EQ(header,
            "scenario,year,scope_type,scope,staff_group,role_code,supply_p10,supply_p50,supply_p90,"
            "demand_p10,"
            "demand_p50,demand_p90,gap_p10,gap_p50,gap_p90,cost_gbp_p10,cost_gbp_p50,cost_gbp_p90,"
            "p_gap_exceeds_threshold");
  EXPECT_NE(out->find("\nbaseline,2030/31,system,system,all,all,"), std::string::npos);
}

TEST(Runner, TableShowsHorizonsAndExplainSpeaksPlainly) {
  auto options = quick("table");
  auto table = run_projection(small_model(), options);
  ASSERT_TRUE(table.is_ok());
  EXPECT_NE(table->find("baseline | system"), std::string::npos);
  EXPECT_NE(table->find("2029/30  all staff"), std::string::npos) << *table;
  options.explain = true;
  options.scenario_files = {scenario_path("pcn_arrs.toml")};
  auto text = run_projection(small_model(), options);
  ASSERT_TRUE(text.is_ok()) << text.error().message;
  EXPECT_NE(
      text->find(
          "The projection starts from the staff in post at 2025-03-31 (financial year 2024/25)"),
      std::string::npos)
      << *text;
  EXPECT_NE(text->find("Scenario \"pcn_additional_roles\""), std::string::npos);
  EXPECT_NE(text->find("- PCN paramedics: Fund 60.0 FTE of pcn_paramedic in sector primary_care"),
            std::string::npos)
      << *text;
}

TEST(Runner, TableColumnsNeverRunTogether) {
  ProjectionResult r;
  r.options = quick("table");
  r.options.years = 5;
  SeriesRow& row = r.series.emplace_back();
  row.scenario = "baseline", row.t = 5, row.year = FinancialYear{2030};
  row.scope_type = row.scope = "system", row.staff_group = row.role_code = "all";
  row.supply = row.demand = row.gap = {-1234567.8, -1234567.8, -1234567.8};
  const std::string table = format_result(r);
  const std::string cell = "-1,234,567.8 [-1,234,567.8 to -1,234,567.8]";
  EXPECT_NE(table.find(cell + " " + cell + " " + cell), std::string::npos) << table;
}

TEST(Runner, OptionsAreValidatedWithNamedMessages) {
  auto options = quick();
  options.years = 0;
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "--years must be between 1 and 50, got 0");
  options = quick("xml");
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "--format must be table, csv or json, got 'xml'");
  options = quick();
  options.scopes = {"county"};
  EXPECT_EQ(
      run_projection(small_model(), options).error().message,
      "--scope 'county' must be system, sectors, places, all, sector:<sector> or place:<place>");
  options.scopes = {"place:Atlantis"};
  options.cells = "sector";
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "--scope place:Atlantis needs cells by place (--cells sector_place)");
  options.cells = "auto";  // a place scope takes cells by place
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "unknown place in --scope place:Atlantis (places: Place 1, Place 2)");
  options.cells = "county";
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "--cells must be auto, sector or sector_place, got 'county'");
  options = quick();
  options.scenario_files = {scenario_path("grow_our_own.toml"), scenario_path("grow_our_own.toml")};
  EXPECT_EQ(run_projection(small_model(), options).error().message,
            "two scenarios are named 'grow_our_own'");
  model::WorkforceModel empty;
  empty.finalize();
  EXPECT_EQ(run_projection(empty, quick()).error().code, ErrorCode::unavailable);
}

}  // namespace
}  // namespace careforce::projection
