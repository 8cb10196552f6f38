#include <gtest/gtest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "benchmarks/compare.hpp"
#include "benchmarks/cross_check.hpp"
#include "benchmarks/reader.hpp"

namespace careforce::benchmarks {
namespace {

namespace fs = std::filesystem;

Decimal dec(std::string_view text) {
  return Decimal::parse(text).value();
}

const BenchmarkSet* sickness() {
  static const BenchmarkSet* set = [] {
    const fs::path folder =
        fs::path(CAREFORCE_SHARED_DIR) / "reference" / "nhs-digital" / "sickness-absence";
    if (!fs::exists(folder)) return static_cast<BenchmarkSet*>(nullptr);
    auto* loaded = new BenchmarkSet();
    auto report = import_publications(folder.string(), *loaded);
    return report.is_ok() && report->ok() ? loaded : nullptr;
  }();
  return set;
}

const BenchmarkSet* turnover() {
  static const BenchmarkSet* set = [] {
    const fs::path folder =
        fs::path(CAREFORCE_SHARED_DIR) / "reference" / "nhs-digital" / "turnover-benchmarking";
    if (!fs::exists(folder)) return static_cast<BenchmarkSet*>(nullptr);
    auto* loaded = new BenchmarkSet();
    auto report = import_publications(folder.string(), *loaded);
    return report.is_ok() && report->ok() ? loaded : nullptr;
  }();
  return set;
}

Series sickness_series(const std::string& org, const std::string& ics, const std::string& region,
                       const std::string& type, const std::string& lost,
                       const std::string& available) {
  Series s;
  s.publication = "nhs_sickness_absence";
  s.metric = "sickness_absence_rate";
  s.period = s.window_start = Month::from_ym(2025, 1);
  s.org_code = s.org_name = org;
  s.ics_code = s.ics_name = ics;
  s.region_code = s.region_name = region;
  s.org_type = type;
  s.numerator = dec(lost);
  s.denominator = dec(available);
  return s;
}

CompareOptions january(std::string ics, std::string org = {}) {
  CompareOptions options;
  options.ics_code = std::move(ics);
  options.org_code = std::move(org);
  options.from = options.to = Month::from_ym(2025, 1);
  return options;
}

class PublishedComparison : public testing::Test {
 protected:
  void SetUp() override {
    if (!sickness()) GTEST_SKIP() << "no reference/nhs-digital/sickness-absence";
  }
};

TEST_F(PublishedComparison, IcsBesideEnglandRegionAndPeers) {
  // South East London, January 2025 (hand-checked from the file: 106167.9106 FTE days lost of
  // 1982770.9606 available; 17th lowest of 42 ICSs; highest of London's five).
  auto rows = compare(*sickness(), january("QKK"));
  ASSERT_TRUE(rows.is_ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  const Comparison& c = (*rows)[0];
  EXPECT_EQ(c.metric, "sickness_absence_rate");
  EXPECT_EQ(c.entity.name, "South East London");
  EXPECT_EQ(c.entity.value, "5.35");
  EXPECT_EQ(c.entity.organisations, 9u);  // rows whose ICS_CODE is QKK
  EXPECT_EQ(c.england.value, "5.71");
  ASSERT_TRUE(c.region);
  EXPECT_EQ(c.region->code, "Y56");
  EXPECT_EQ(c.region->value, "5.02");
  ASSERT_EQ(c.peers.size(), 2u);
  EXPECT_EQ(c.peers[0].label, "ICSs in England");
  EXPECT_EQ(c.peers[0].rank, 17u);
  EXPECT_EQ(c.peers[0].count, 42u);  // QZZ bodies are not an ICS
  EXPECT_EQ(c.peers[0].quartile, 2);
  EXPECT_EQ(c.peers[0].lowest, "3.98");   // Frimley
  EXPECT_EQ(c.peers[0].highest, "7.27");  // Lancashire and South Cumbria
  EXPECT_EQ(c.peers[1].label, "ICSs in London");
  EXPECT_EQ(c.peers[1].rank, 5u);
  EXPECT_EQ(c.peers[1].count, 5u);
  EXPECT_EQ(c.peers[1].quartile, 4);
}

TEST_F(PublishedComparison, MonthlyByDefault) {
  CompareOptions options;
  options.ics_code = "QKK";
  auto rows = compare(*sickness(), options);
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 12u);
  EXPECT_EQ(rows->front().period.iso(), "2024-04");
  EXPECT_EQ(rows->back().period.iso(), "2025-03");
}

TEST_F(PublishedComparison, OrganisationAgainstItsTypeAndIcs) {
  // RLY, April 2024: a mental health trust in Staffordshire and Stoke-on-Trent.
  CompareOptions options;
  options.org_code = "RLY";
  options.from = options.to = Month::from_ym(2024, 4);
  auto rows = compare(*sickness(), options);
  ASSERT_TRUE(rows.is_ok());
  ASSERT_EQ(rows->size(), 1u);
  const Comparison& c = (*rows)[0];
  EXPECT_EQ(c.entity.value, "5.4");
  EXPECT_EQ(c.england.value, "4.76");
  EXPECT_EQ(c.region->value, "5.12");
  ASSERT_TRUE(c.ics);
  EXPECT_EQ(c.ics->code, "QNC");
  EXPECT_EQ(c.ics->value, "5.08");
  ASSERT_EQ(c.peers.size(), 1u);  // the sickness publication has no benchmark cluster
  EXPECT_EQ(c.peers[0].label, "Mental Health organisations");
  EXPECT_EQ(c.peers[0].rank, 31u);
  EXPECT_EQ(c.peers[0].count, 48u);
  EXPECT_EQ(c.peers[0].quartile, 3);
  EXPECT_EQ(c.peers[0].lowest, "1.84");
  EXPECT_EQ(c.peers[0].highest, "7.25");
}

TEST_F(PublishedComparison, RendersCsvJsonAndText) {
  CompareOptions options = january("QKK");
  options.format = OutputFormat::csv;
  auto csv = run_compare(*sickness(), options);
  ASSERT_TRUE(csv.is_ok());
  EXPECT_EQ(*csv,
            "metric,period,entity_code,entity_name,numerator,denominator,value,england_value,"
            "region_code,region_value,ics_code,ics_value,peer_group,peer_label,rank,peer_count,"
            "quartile,peer_lowest,peer_highest\n"
            "sickness_absence_rate,2025-01,QKK,South East London,106167.9106,1982770.960599999998,"
            "5.35,5.71,Y56,5.02,,,ics_england,ICSs in England,17,42,2,3.98,7.27\n"
            "sickness_absence_rate,2025-01,QKK,South East London,106167.9106,1982770.960599999998,"
            "5.35,5.71,Y56,5.02,,,ics_region,ICSs in London,5,5,4,4.6,5.35\n");

  options.format = OutputFormat::json;
  auto json = run_compare(*sickness(), options);
  ASSERT_TRUE(json.is_ok());
  const auto j = nlohmann::json::parse(*json);
  EXPECT_EQ(j["entity"]["kind"], "ics");
  ASSERT_EQ(j["comparisons"].size(), 1u);
  const auto& row = j["comparisons"][0];
  EXPECT_EQ(row["period"], "2025-01");
  EXPECT_EQ(row["entity"]["value"], "5.35");
  EXPECT_EQ(row["england"]["value"], "5.71");
  EXPECT_EQ(row["england"]["organisations"], 280);
  EXPECT_EQ(row["region"]["name"], "London");
  EXPECT_EQ(row["peers"][0]["rank"], 17);
  EXPECT_EQ(row["peers"][1]["quartile"], 4);

  options.format = OutputFormat::text;
  auto text = run_compare(*sickness(), options);
  ASSERT_TRUE(text.is_ok());
  EXPECT_NE(text->find("QKK South East London\n"), std::string::npos) << *text;
  EXPECT_NE(text->find("  2025-01       5.35      5.71      5.02  ICSs in England: 17 of 42, Q2; "
                       "ICSs in London: 5 of 5, Q4\n"),
            std::string::npos)
      << *text;
}

TEST_F(PublishedComparison, CrossCheckAgainstThePublishedRate) {
  CrossCheckInput input;
  input.org_code = "RLY";
  input.period = Month::from_ym(2024, 4);
  input.numerator = dec("2782.82577");
  input.denominator = dec("51581.56801");
  auto same = cross_check(*sickness(), input);
  ASSERT_TRUE(same.is_ok()) << same.error().message;
  EXPECT_TRUE(same->value_matches);
  EXPECT_TRUE(same->differences.empty());
  EXPECT_EQ(same->own_value, "5.4");
  EXPECT_EQ(same->published_value, "5.4");
  EXPECT_EQ(same->source, "nhs_sickness_absence_2024-04.csv:153");

  // The partner's own system counted 30 more FTE days lost and 100 fewer available.
  input.numerator = dec("2812.82577");
  input.denominator = dec("51481.56801");
  auto differs = cross_check(*sickness(), input);
  ASSERT_TRUE(differs.is_ok());
  EXPECT_FALSE(differs->value_matches);
  EXPECT_EQ(differs->own_value, "5.46");
  EXPECT_EQ(differs->value_difference, "0.06");
  EXPECT_EQ(differs->differences,
            (std::vector<std::string>{
                "FTE days lost differs by 30.00000 (2812.82577 own, 2782.82577 published)",
                "FTE days available differs by -100.00000 (51481.56801 own, 51581.56801 "
                "published)",
                "rate differs by 0.06 percentage points (5.46 own, 5.4 published)"}));

  input.org_code = "XXX";
  auto missing = cross_check(*sickness(), input);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().message, "no published sickness_absence_rate for XXX in 2024-04");
}

TEST(TurnoverComparison, OrganisationAgainstItsTypeAndCluster) {
  if (!turnover()) GTEST_SKIP() << "no reference/nhs-digital/turnover-benchmarking";
  // Guy's and St Thomas' (RJ1), October 2025, leaver rate on headcount: 129th lowest of 134
  // acute trusts and 49th of 51 in Acute - Teaching (hand-checked from the file).
  CompareOptions options;
  options.org_code = "RJ1";
  options.metrics = {"leaver_rate_headcount"};
  options.from = options.to = Month::from_ym(2025, 10);
  auto rows = compare(*turnover(), options);
  ASSERT_TRUE(rows.is_ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 1u);
  const Comparison& c = (*rows)[0];
  EXPECT_EQ(c.entity.value, "1.40");
  EXPECT_EQ(c.england.value, "1.01");
  EXPECT_EQ(c.ics->value, "1.30");
  ASSERT_EQ(c.peers.size(), 2u);
  EXPECT_EQ(c.peers[0].label, "Acute organisations");
  EXPECT_EQ(c.peers[0].rank, 129u);
  EXPECT_EQ(c.peers[0].count, 134u);
  EXPECT_EQ(c.peers[0].quartile, 4);
  EXPECT_EQ(c.peers[0].lowest, "0.56");
  EXPECT_EQ(c.peers[0].highest, "2.57");
  EXPECT_EQ(c.peers[1].label, "Acute - Teaching organisations");
  EXPECT_EQ(c.peers[1].rank, 49u);
  EXPECT_EQ(c.peers[1].count, 51u);
  EXPECT_EQ(c.peers[1].lowest, "0.66");

  // By default every rate the organisation has, for both months.
  options.metrics.clear();
  options.from.reset();
  options.to.reset();
  rows = compare(*turnover(), options);
  ASSERT_TRUE(rows.is_ok());
  EXPECT_EQ(rows->size(), 4u * 2u);
}

TEST(TurnoverComparison, CrossCheckWhereThePublicationPrintsNoRate) {
  if (!turnover()) GTEST_SKIP() << "no reference/nhs-digital/turnover-benchmarking";
  CrossCheckInput input;
  input.org_code = "RJ1";
  input.period = Month::from_ym(2025, 10);
  input.metric = "leaver_rate_headcount";
  input.numerator = dec("316");
  input.denominator = dec("22522.5");
  auto check = cross_check(*turnover(), input);
  ASSERT_TRUE(check.is_ok()) << check.error().message;
  EXPECT_EQ(check->published_value, "1.40");
  EXPECT_TRUE(check->value_matches);
  EXPECT_TRUE(check->differences.empty());
  input.metric = "leavers_headcount";
  auto count = cross_check(*turnover(), input);
  ASSERT_FALSE(count.is_ok());
  EXPECT_EQ(count.error().message, "cannot cross-check 'leavers_headcount': not a published rate");
}

TEST(Compare, TiesShareARankAndQuartilesFollowRank) {
  BenchmarkSet set;
  set.add({sickness_series("A1", "QA", "Y1", "Acute", "1", "100"),
           sickness_series("B1", "QB", "Y1", "Acute", "2", "100"),
           sickness_series("C1", "QC", "Y1", "Acute", "4", "200"),  // 2%, ties with B1
           sickness_series("D1", "QD", "Y2", "Acute", "9", "100"),
           sickness_series("Z1", "QZZ", "QZZ", "Others", "50", "100")});
  auto rank_of = [&](const std::string& ics) {
    auto rows = compare(set, january(ics));
    EXPECT_TRUE(rows.is_ok());
    return rows->at(0).peers.at(0);
  };
  EXPECT_EQ(rank_of("QA").rank, 1u);
  EXPECT_EQ(rank_of("QA").quartile, 1);
  EXPECT_EQ(rank_of("QB").rank, 2u);
  EXPECT_EQ(rank_of("QC").rank, 2u);
  EXPECT_EQ(rank_of("QC").quartile, 2);
  EXPECT_EQ(rank_of("QD").rank, 4u);
  EXPECT_EQ(rank_of("QD").count, 4u);  // QZZ is not ranked
  EXPECT_EQ(rank_of("QD").quartile, 4);
  // England still includes the QZZ bodies: 66 / 600.
  auto rows = compare(set, january("QA"));
  ASSERT_TRUE(rows.is_ok());
  EXPECT_EQ(rows->at(0).england.value, "11.0");
  EXPECT_EQ(rows->at(0).england.organisations, 5u);
  // A non-geographic group is compared with England but has no peers.
  auto qzz = compare(set, january("QZZ"));
  ASSERT_TRUE(qzz.is_ok());
  EXPECT_TRUE(qzz->at(0).peers.empty());
}

TEST(Compare, OptionsAreValidated) {
  BenchmarkSet set;
  CompareOptions options;
  EXPECT_EQ(options.validate().message(), "give exactly one of --ics and --org to compare");
  options.ics_code = "QKK";
  options.org_code = "RJ1";
  EXPECT_EQ(options.validate().message(), "give exactly one of --ics and --org to compare");
  options.org_code.clear();
  options.metrics = {"sickness_rate"};
  EXPECT_EQ(options.validate().message(), "unknown benchmark metric 'sickness_rate'");
  options.metrics.clear();
  options.from = Month::from_ym(2025, 2);
  options.to = Month::from_ym(2025, 1);
  EXPECT_EQ(options.validate().message(), "--from 2025-02 is after --to 2025-01");
  options.to.reset();
  options.places = 12;
  EXPECT_EQ(options.validate().message(), "--places must be between 0 and 9");
  options.places = -1;
  EXPECT_TRUE(options.validate().is_ok());
  auto missing = run_compare(set, options);
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  EXPECT_EQ(missing.error().message, "no benchmark series for ICS 'QKK'");
  EXPECT_EQ(parse_output_format("json"), OutputFormat::json);
  EXPECT_FALSE(parse_output_format("xml").has_value());
}

}  // namespace
}  // namespace careforce::benchmarks
