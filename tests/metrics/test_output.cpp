// Disclosure control, output formats, the CLI-facing run functions and the registry.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "metrics/disclosure.hpp"
#include "metrics/format.hpp"
#include "metrics/registry.hpp"
#include "metrics/run.hpp"
#include "model_builder.hpp"
#include "result_lookup.hpp"

namespace careforce::metrics {
namespace {

using testing::pick;
using testing::Staff;
using testing::ym;

model::WorkforceModel& worked_example(testing::ModelBuilder& b) {
  b.org("RAA", "acute", "North");
  b.org("PCN1", "primary_care", "North");
  const Month s = ym(2023, 3), e = ym(2024, 3);
  for (int i = 1; i <= 10; ++i) b.sip(s, "RAA", "p" + std::to_string(i));
  Staff pcn{.role = "practice_nurse", .fte = 0.5};
  b.sip(s, "PCN1", "q1", pcn);
  b.sip(s, "PCN1", "q2", pcn);
  for (int i = 1; i <= 7; ++i) b.sip(e, "RAA", "p" + std::to_string(i));
  b.sip(e, "RAA", "p11");
  b.sip(e, "RAA", "p12");
  b.sip(e, "PCN1", "q1", pcn);
  b.sip(e, "PCN1", "q2", pcn);
  b.sip(e, "PCN1", "p8", {.role = "practice_nurse"});
  return b.done();
}

TEST(Disclosure, SmallCountsSuppressedOthersRoundedZeroStays) {
  testing::ModelBuilder b;
  auto results = testing::run(worked_example(b), ym(2024, 3));
  apply_disclosure_control(results);
  // RAA leavers 3: suppressed, with the turnover rate it feeds.
  const auto& leavers = pick(results, {"leavers", "RAA"});
  EXPECT_TRUE(leavers.numerator_suppressed);
  EXPECT_TRUE(leavers.value_suppressed);
  const auto& t = pick(results, {"turnover_rate", "RAA", "headcount"});
  EXPECT_TRUE(t.value_suppressed);
  EXPECT_TRUE(std::isnan(t.value));
  EXPECT_FALSE(t.denominator_suppressed);
  EXPECT_DOUBLE_EQ(t.denominator, 10);  // 9.5 rounded to the nearest 5
  // The FTE turnover of 3 leavers is suppressed too.
  EXPECT_TRUE(pick(results, {"turnover_rate", "RAA", "fte"}).value_suppressed);
  // Headcount 9 -> 10, 12 -> 10; PCN1's 3 and its FTE suppressed.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "RAA"}).value, 10);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system"}).value, 10);
  EXPECT_TRUE(pick(results, {"sip_headcount", "PCN1"}).value_suppressed);
  EXPECT_TRUE(pick(results, {"sip_fte", "PCN1"}).value_suppressed);
  EXPECT_FALSE(pick(results, {"sip_fte", "RAA"}).value_suppressed);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_fte", "RAA"}).value, 9);  // FTE is not rounded
  // Zero stays zero.
  const auto& none = pick(results, {"leavers", "PCN1"});
  EXPECT_FALSE(none.value_suppressed);
  EXPECT_DOUBLE_EQ(none.value, 0);
  EXPECT_DOUBLE_EQ(round_to_5(7), 5);
  EXPECT_DOUBLE_EQ(round_to_5(8), 10);
  EXPECT_DOUBLE_EQ(round_to_5(0), 0);
}

TEST(Disclosure, FteIsNeverRoundedAndFteOfSmallCountsIsSuppressed) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("RBB", "community", "North");
  b.org("RCC", "acute", "East");
  const Month s = ym(2023, 3), e = ym(2024, 3);
  for (int k = 0; k <= 12; ++k) {
    // RAA: 23 staff at 0.5 FTE every month end; RBB 6; RCC 3 at 1.0.
    for (int i = 0; i < 23; ++i) b.sip(s + k, "RAA", "p" + std::to_string(i), {.fte = 0.5});
    for (int i = 0; i < 6; ++i) b.sip(s + k, "RBB", "r" + std::to_string(i), {.fte = 0.5});
    for (int i = 0; i < 3; ++i) b.sip(s + k, "RCC", "c" + std::to_string(i));
  }
  // Leavers after S: 7 from RAA, 5 from RBB, all at 0.5 FTE.
  for (int i = 0; i < 7; ++i) {
    b.sip(s, "RAA", "l" + std::to_string(i), {.fte = 0.5});
    b.leaver("RAA", "l" + std::to_string(i), testing::ymd(2023, 4, 15), "retirement");
  }
  for (int i = 0; i < 5; ++i) {
    b.sip(s, "RBB", "m" + std::to_string(i), {.fte = 0.5});
    b.leaver("RBB", "m" + std::to_string(i), testing::ymd(2023, 5, 10), "retirement");
  }
  b.absence("RCC", "c0", testing::ymd(2024, 1, 8), testing::ymd(2024, 1, 12), "cold_flu");
  b.m.population.push_back({b.m.places.find("East"), 2023, 0, 0, 10000, {}});
  auto shift = [&](const char* outcome, const char* reason, float hours) {
    model::ShiftRow r;
    r.shift_date = testing::ymd(2024, 3, 5);
    r.staff_group = testing::code(staff_groups(), "nursing");
    r.role = testing::code(roles(), "adult_nurse");
    r.outcome = testing::code(shift_outcomes(), outcome);
    r.cover_reason = testing::code(cover_reasons(), reason);
    r.hours = hours;
    r.cost_gbp = 100;
    b.m.shifts.push_back(r);
  };
  for (int i = 0; i < 2; ++i) shift("bank", "vacancy", 7.5);
  for (int i = 0; i < 6; ++i) shift("agency", "sickness", 12);
  Query q;
  q.at = e;
  q.by = Breakdown::none;
  q.rolling.fte_basis = true;
  auto computed = compute(b.done(), q);
  ASSERT_TRUE(computed.is_ok());
  auto results = *computed;
  apply_disclosure_control(results);
  // RAA FTE turnover: 7 leavers x 0.5 = 3.5 FTE over the mean of 15 (S) and 11.5 (E) =
  // 13.25; FTE figures are shown as they are, not rounded to 5.
  const auto& t = pick(results, {"turnover_rate", "RAA", "fte"});
  EXPECT_FALSE(t.value_suppressed);
  EXPECT_DOUBLE_EQ(t.numerator, 3.5);
  EXPECT_DOUBLE_EQ(t.denominator, 13.25);
  EXPECT_NEAR(t.value, 350 / 13.25, 1e-9);
  // Stability, FTE basis: stayers' FTE at S 11.5 of 15.
  const auto& st = pick(results, {"stability_index", "RAA", "fte"});
  EXPECT_DOUBLE_EQ(st.numerator, 11.5);
  EXPECT_DOUBLE_EQ(st.denominator, 15);
  // Rolling turnover, FTE basis: RAA 3.5 FTE over (15 + 12 x 11.5) / 13 = 153 / 13.
  const auto& ra = pick(results, {"rolling_turnover_rate", "RAA"});
  EXPECT_DOUBLE_EQ(ra.numerator, 3.5);
  EXPECT_NEAR(ra.denominator, 153.0 / 13, 1e-12);
  // RBB: 5 leavers (2.5 FTE) of a mean headcount (11 + 12 x 6) / 13 = 6.4: not small,
  // though the mean FTE (5.5 + 12 x 3) / 13 = 3.2 is below 5.
  const auto& rb = pick(results, {"rolling_turnover_rate", "RBB"});
  EXPECT_FALSE(rb.value_suppressed);
  EXPECT_DOUBLE_EQ(rb.numerator, 2.5);
  EXPECT_NEAR(rb.denominator, 41.5 / 13, 1e-12);
  // RCC has 3 staff: FTE growth, sickness (FTE days of 3 people) and FTE per population
  // are figures from a suppressed count.
  for (const char* metric :
       {"fte_growth_12m", "sickness_absence_rate", "sickness_absence_rate_month", "sip_fte"}) {
    const auto& r = pick(results, {metric, "RCC"});
    EXPECT_TRUE(r.value_suppressed) << metric;
    EXPECT_TRUE(std::isnan(r.value)) << metric;
  }
  EXPECT_TRUE(pick(results, {"fte_per_100k_population", "East"}).value_suppressed);
  EXPECT_TRUE(pick(results, {"population_per_fte", "East"}).value_suppressed);
  // The system (32 staff at E, 44 at S) is not: FTE at S 15 + 5.5 + 3 = 23.5, at E
  // 11.5 + 3 + 3 = 17.5; growth (17.5 - 23.5) / 23.5.
  const auto& g = pick(results, {"fte_growth_12m", "system"});
  EXPECT_FALSE(g.value_suppressed);
  EXPECT_NEAR(g.value, -600 / 23.5, 1e-9);
  // Shifts: hours of 2 vacancy shifts are suppressed; 6 sickness shifts give 72 hours,
  // not rounded; 8 of 8 filled, rounded to 10 of 10.
  EXPECT_TRUE(
      pick(results, {"shift_hours_by_cover_reason", "RAA", "", "all", "vacancy"}).value_suppressed);
  const auto& h = pick(results, {"shift_hours_by_cover_reason", "RAA", "", "all", "sickness"});
  EXPECT_FALSE(h.value_suppressed);
  EXPECT_DOUBLE_EQ(h.value, 72);
  EXPECT_DOUBLE_EQ(h.denominator, 87);
  const auto& fill = pick(results, {"shift_fill_rate", "RAA"});
  EXPECT_DOUBLE_EQ(fill.numerator, 10);
  EXPECT_DOUBLE_EQ(fill.value, 100);
}

TEST(RunMetrics, JsonCarriesTheContractFields) {
  testing::ModelBuilder b;
  const auto& m = worked_example(b);
  MetricsOptions o;
  o.at = "2024-03";
  o.scope = "org";
  o.metrics = {"turnover_rate"};
  o.format = "json";
  auto out = run_metrics(m, o);
  ASSERT_TRUE(out.is_ok()) << out.error().message;
  const auto j = nlohmann::json::parse(*out);
  ASSERT_TRUE(j.is_array());
  bool found = false;
  for (const auto& r : j) {
    EXPECT_EQ(r["scope_type"], "org");
    if (r["scope"] != "RAA" || r["basis"] != "headcount" || r["staff_group"] != "all") continue;
    found = true;
    EXPECT_EQ(r["metric"], "turnover_rate");
    EXPECT_EQ(r["period_end"], "2024-03-31");
    EXPECT_EQ(r["role_code"], "all");
    EXPECT_NEAR(r["value"].get<double>(), 300 / 9.5, 1e-12);  // unrounded
    EXPECT_EQ(r["numerator"], 3);
    EXPECT_EQ(r["denominator"], 9.5);
    EXPECT_EQ(r["coverage_orgs"], 1);
    EXPECT_EQ(r["total_orgs"], 1);
    EXPECT_EQ(r["files"], nlohmann::json::array({"staff_in_post.csv"}));
  }
  EXPECT_TRUE(found);
  // Suppressed figures are "*" in JSON.
  o.suppress = true;
  const auto s = nlohmann::json::parse(*run_metrics(m, o));
  for (const auto& r : s) {
    if (r["scope"] == "RAA" && r["basis"] == "headcount" && r["staff_group"] == "all") {
      EXPECT_EQ(r["numerator"], "*");
    }
  }
}

TEST(RunMetrics, CsvAndTable) {
  testing::ModelBuilder b;
  const auto& m = worked_example(b);
  MetricsOptions o;
  o.at = "2024-03";
  o.scope = "system";
  o.metrics = {"turnover_rate", "sickness_absence_rate"};
  o.format = "csv";
  auto csv = run_metrics(m, o);
  ASSERT_TRUE(csv.is_ok());
  EXPECT_EQ(csv->substr(0, csv->find("\r\n")),
            "metric,period_end,scope_type,scope,staff_group,role_code,category,value,numerator,"
            "denominator,basis,coverage_orgs,total_orgs,available,options,files");
  EXPECT_NE(csv->find("turnover_rate,2024-03-31,system,system,all,all,,16.666666666666664,2,12,"
                      "headcount,2,2,yes,,staff_in_post.csv\r\n"),
            std::string::npos)
      << *csv;
  EXPECT_NE(csv->find("sickness_absence_rate,2024-03-31,system,system,all,all,,,,,fte_days,0,2,no"),
            std::string::npos);
  o.format = "table";
  auto table = run_metrics(m, o);
  ASSERT_TRUE(table.is_ok());
  EXPECT_NE(table->find("16.67"), std::string::npos) << *table;
  EXPECT_NE(table->find("not available"), std::string::npos);
}

TEST(RunMetrics, SeriesGivesOneResultPerMonth) {
  testing::ModelBuilder b;
  const auto& m = worked_example(b);
  MetricsOptions o;
  o.at = "2024-03";
  o.series_from = "2024-01";
  o.scope = "system";
  o.by = "none";
  o.metrics = {"sip_headcount"};
  o.format = "json";
  const auto j = nlohmann::json::parse(*run_metrics(m, o));
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j[0]["period_end"], "2024-01-31");
  EXPECT_EQ(j[0]["available"], false);  // no snapshot in January
  EXPECT_EQ(j[2]["value"], 12);
}

TEST(MetricsOptions, ValidateNamesTheOption) {
  MetricsOptions o;
  o.at = "2024-3";
  EXPECT_EQ(o.validate().message(), "--at '2024-3' is not a period YYYY-MM");
  o.at = "2024-03";
  o.scope = "region";
  EXPECT_EQ(o.validate().message(), "--scope 'region' must be system, place, sector or org");
  o.scope = "";
  o.metrics = {"turnover"};
  EXPECT_EQ(o.validate().message(), "unknown metric 'turnover'");
  o.metrics = {};
  o.format = "xml";
  EXPECT_EQ(o.validate().message(), "unknown format 'xml': expected table, csv or json");
  o.format = "csv";
  o.rolling_exclude = {"holiday"};
  EXPECT_EQ(o.validate().message(), "--exclude-reason 'holiday' is not a leaver reason");
  o.rolling_exclude = {};
  EXPECT_TRUE(o.validate().is_ok());
}

TEST(Registry, EveryMetricIsDocumented) {
  const std::string generated = metrics_markdown();
  const std::string path = std::string(CAREFORCE_SOURCE_DIR) + "/docs/metrics.md";
  if (std::getenv("CAREFORCE_UPDATE_DOCS")) std::ofstream(path) << generated;
  std::ifstream in(path);
  ASSERT_TRUE(in) << path << " is missing: run with CAREFORCE_UPDATE_DOCS=1";
  std::stringstream text;
  text << in.rdbuf();
  for (const auto& d : metric_registry()) {
    EXPECT_NE(text.str().find("## `" + d.name + "`"), std::string::npos) << d.name;
    EXPECT_NE(metrics_help_text().find(d.name), std::string::npos) << d.name;
    EXPECT_FALSE(d.description.empty()) << d.name;
    EXPECT_FALSE(d.example.empty()) << d.name;
  }
  EXPECT_EQ(text.str(), generated) << "docs/metrics.md is stale: run with CAREFORCE_UPDATE_DOCS=1";
}

TEST(Registry, CatalogListsEveryMetricWithItsFiles) {
  const auto catalog = metric_catalog_json();
  ASSERT_EQ(catalog.size(), metric_registry().size());
  EXPECT_EQ(catalog[0]["name"], "sip_headcount");
  for (const auto& m : catalog) {
    if (m["name"] == "rolling_turnover_rate") {
      EXPECT_EQ(m["files"], nlohmann::json::array({"staff_in_post.csv", "leavers.csv"}));
    }
  }
}

TEST(Registry, EveryRegisteredMetricIsComputed) {
  testing::ModelBuilder b;
  const auto results = testing::run(worked_example(b), ym(2024, 3));
  for (const auto& d : metric_registry()) {
    bool seen = false;
    for (const auto& r : results) seen = seen || r.metric == d.name;
    EXPECT_TRUE(seen) << d.name;
  }
}

}  // namespace
}  // namespace careforce::metrics
