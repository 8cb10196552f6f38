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
