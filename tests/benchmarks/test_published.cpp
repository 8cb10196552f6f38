// Done-when tests on the real NHS Digital files in ../shared/reference/nhs-digital.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "benchmarks/reader.hpp"

namespace careforce::benchmarks {
namespace {

namespace fs = std::filesystem;

const fs::path kReference = fs::path(CAREFORCE_SHARED_DIR) / "reference" / "nhs-digital";

struct Loaded {
  BenchmarkSet set;
  ImportReport report;
  bool present = false;
};

const Loaded& load(const std::string& folder) {
  static std::map<std::string, Loaded> cache;
  auto [it, inserted] = cache.try_emplace(folder);
  if (inserted && fs::exists(kReference / folder)) {
    auto report = import_publications((kReference / folder).string(), it->second.set);
    if (report.is_ok()) {
      it->second.report = std::move(*report);
      it->second.present = true;
    }
  }
  return it->second;
}

std::string value_at(const BenchmarkSet& set, const std::string& metric, Month period, Level level,
                     const std::string& code, int places) {
  AggregateQuery query;
  query.metric = metric;
  query.period = period;
  query.level = level;
  query.places = places;
  auto groups = aggregate(set, query);
  EXPECT_TRUE(groups.is_ok());
  if (!groups.is_ok()) return "";
  for (const auto& g : *groups)
    if (g.code == code) return g.value;
  return "(no " + code + ")";
}

// Data lines of a file, counted independently of the reader (the files quote no line breaks).
size_t data_lines(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  size_t n = 0;
  while (std::getline(in, line)) ++n;
  return n - 1;
}

class SicknessAbsence : public testing::Test {
 protected:
  void SetUp() override {
    if (!load("sickness-absence").present) GTEST_SKIP() << "no " << kReference.string();
  }
  const BenchmarkSet& set() { return load("sickness-absence").set; }
  const ImportReport& report() { return load("sickness-absence").report; }
};

TEST_F(SicknessAbsence, ImportsTwelveMonthsCleanly) {
  EXPECT_EQ(report().errors, 0u);
  // The only warning: the download manifest, which is no publication.
  ASSERT_EQ(report().warnings, 1u);
  EXPECT_EQ(report().findings[0].file, "download_manifest_from_source_repo.csv");
  EXPECT_EQ(report().findings[0].kind, "unknown_publication");
  size_t recognised = 0;
  for (const auto& f : report().files) {
    if (f.skipped) continue;
    ++recognised;
    EXPECT_EQ(f.publication, "nhs_sickness_absence");
    EXPECT_EQ(f.rows, data_lines(f.path)) << f.path;
  }
  EXPECT_EQ(recognised, 12u);
  const auto periods = set().periods("sickness_absence_rate");
  ASSERT_EQ(periods.size(), 12u);
  EXPECT_EQ(periods.front().iso(), "2024-04");
  EXPECT_EQ(periods.back().iso(), "2025-03");
  EXPECT_EQ(set().size(), 3394u);  // 285 x 6 + 283 + 281 + 280 x 4 rows
}

TEST_F(SicknessAbsence, ReproducesEveryOrganisationsPublishedRateExactly) {
  size_t checked = 0, one_decimal = 0;
  for (const auto& s : set().series()) {
    ASSERT_TRUE(s.denominator);
    auto value = percent(s.numerator, *s.denominator, 2);
    ASSERT_TRUE(value.is_ok());
    EXPECT_EQ(value->format(2, NumberStyle::trimmed), s.published_value)
        << s.source_file << ":" << s.source_line << " " << s.org_code;
    ++checked;
    if (s.published_value.size() - s.published_value.find('.') == 2) ++one_decimal;
  }
  EXPECT_EQ(checked, 3394u);
  EXPECT_GT(one_decimal, 0u);  // the publisher prints 5.4, not 5.40
}

TEST_F(SicknessAbsence, RoundsTheBoundaryCaseUp) {
  // RLY, April 2024: 2782.82577 / 51581.56801 x 100 = 5.39500034..., published as 5.4.
  const Series* rly = set().find("sickness_absence_rate", Month::from_ym(2024, 4), "RLY");
  ASSERT_NE(rly, nullptr);
  EXPECT_EQ(rly->numerator.text(), "2782.82577");
  EXPECT_EQ(rly->denominator->text(), "51581.56801");
  EXPECT_EQ(rly->published_value, "5.4");
  EXPECT_EQ(percent(rly->numerator, *rly->denominator, 2)->format(2, NumberStyle::trimmed), "5.4");
  EXPECT_EQ(percent(rly->numerator, *rly->denominator, 7)->text(), "5.3950003");
}

TEST_F(SicknessAbsence, ReproducesTheJanuary2025KeyFacts) {
  const Month jan = Month::from_ym(2025, 1);
  const std::string m = "sickness_absence_rate";
  EXPECT_EQ(value_at(set(), m, jan, Level::england, "ENG", 1), "5.7");
  EXPECT_EQ(value_at(set(), m, jan, Level::region, "Y62", 1), "6.7");  // North West
  EXPECT_EQ(value_at(set(), m, jan, Level::region, "Y56", 1), "5.0");  // London
  EXPECT_EQ(value_at(set(), m, jan, Level::org_type, "Ambulance", 1), "7.5");
  EXPECT_EQ(value_at(set(), m, jan, Level::org_type, "Commissioning Support Unit", 1), "3.6");
}

TEST_F(SicknessAbsence, EnglandIsARatioOfSumsOverEveryOrganisation) {
  AggregateQuery query;
  query.metric = "sickness_absence_rate";
  query.period = Month::from_ym(2025, 1);
  auto england = aggregate(set(), query);
  ASSERT_TRUE(england.is_ok());
  ASSERT_EQ(england->size(), 1u);
  EXPECT_EQ((*england)[0].organisations, 280u);  // QZZ bodies included
  EXPECT_EQ((*england)[0].value, "5.71");
  query.level = Level::region;
  auto regions = aggregate(set(), query);
  ASSERT_TRUE(regions.is_ok());
  EXPECT_EQ(regions->size(), 8u);  // seven regions and QZZ
  Decimal lost, available;
  for (const auto& r : *regions) {
    lost += r.numerator;
    available += *r.denominator;
  }
  EXPECT_EQ(lost, (*england)[0].numerator);
  EXPECT_EQ(available, *(*england)[0].denominator);
}

TEST_F(SicknessAbsence, ImportingAgainChangesNothing) {
  BenchmarkSet again = set();
  auto report = import_publications((kReference / "sickness-absence").string(), again);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->ok());
  ASSERT_EQ(again.size(), set().size());
  for (size_t i = 0; i < again.size(); ++i) {
    EXPECT_EQ(again.series()[i].numerator, set().series()[i].numerator);
    EXPECT_EQ(again.series()[i].published_value, set().series()[i].published_value);
  }
}

class TurnoverBenchmarking : public testing::Test {
 protected:
  void SetUp() override {
    if (!load("turnover-benchmarking").present) GTEST_SKIP() << "no " << kReference.string();
  }
  const BenchmarkSet& set() { return load("turnover-benchmarking").set; }
  const ImportReport& report() { return load("turnover-benchmarking").report; }
};

TEST_F(TurnoverBenchmarking, ImportsBothMonthsCleanly) {
  EXPECT_EQ(report().errors, 0u);
  EXPECT_EQ(report().warnings, 0u);
  ASSERT_EQ(report().files.size(), 2u);
  for (const auto& f : report().files) {
    EXPECT_EQ(f.publication, "nhs_turnover_benchmarking");
    EXPECT_EQ(f.rows, data_lines(f.path));
  }
  const auto periods = set().periods("leaver_rate_headcount");
  ASSERT_EQ(periods.size(), 2u);
  EXPECT_EQ(periods[0].iso(), "2025-10");
  EXPECT_EQ(periods[1].iso(), "2025-11");
}

TEST_F(TurnoverBenchmarking, LeaverRateIsLeaversOverTheMeanOfStartAndEnd) {
  // Guy's and St Thomas' (RJ1), 202509 to 202510, all staff groups: start 22490, end 22555,
  // leavers 316 (FTE 20924.14872, 20988.89046, 285.44167).
  const Month oct = Month::from_ym(2025, 10);
  const Series* hc = set().find("leaver_rate_headcount", oct, "RJ1");
  ASSERT_NE(hc, nullptr);
  EXPECT_EQ(hc->numerator.text(), "316");
  EXPECT_EQ(hc->denominator->text(), "22522.5");
  EXPECT_EQ(percent(hc->numerator, *hc->denominator, 2)->text(), "1.40");
  const Series* fte = set().find("leaver_rate_fte", oct, "RJ1");
  ASSERT_NE(fte, nullptr);
  EXPECT_EQ(fte->numerator.text(), "285.44167");
  EXPECT_EQ(fte->denominator->text(), "20956.519590");
  EXPECT_EQ(percent(fte->numerator, *fte->denominator, 2)->text(), "1.36");
  // England: 15122 / ((1499731 + 1501545) / 2) and 12776.04226 / ((1328733.52792 +
  // 1330538.84046) / 2).
  EXPECT_EQ(value_at(set(), "leaver_rate_headcount", oct, Level::england, "ENG", 2), "1.01");
  EXPECT_EQ(value_at(set(), "leaver_rate_fte", oct, Level::england, "ENG", 2), "0.96");
}

TEST_F(TurnoverBenchmarking, AggregatesByIcsClusterAndStaffGroup) {
  // Hand-checked from the October file: South East London 825 leavers over a mean of 63255;
  // its nurses and health visitors 156 over 17296.5; the Acute - Teaching cluster 0.99%.
  const Month oct = Month::from_ym(2025, 10);
  AggregateQuery query;
  query.metric = "leaver_rate_headcount";
  query.period = oct;
  query.level = Level::ics;
  auto all = aggregate(set(), query);
  ASSERT_TRUE(all.is_ok());
  const auto qkk = std::find_if(all->begin(), all->end(), [](auto& g) { return g.code == "QKK"; });
  ASSERT_NE(qkk, all->end());
  EXPECT_EQ(qkk->numerator.text(), "825");
  EXPECT_EQ(qkk->denominator->short_text(), "63255");
  EXPECT_EQ(qkk->value, "1.30");
  query.staff_group = "Nurses & health visitors";
  auto nurses = aggregate(set(), query);
  ASSERT_TRUE(nurses.is_ok());
  const auto qkk_nurses =
      std::find_if(nurses->begin(), nurses->end(), [](auto& g) { return g.code == "QKK"; });
  ASSERT_NE(qkk_nurses, nurses->end());
  EXPECT_EQ(qkk_nurses->numerator.text(), "156");
  EXPECT_EQ(qkk_nurses->denominator->short_text(), "17296.5");
  EXPECT_EQ(qkk_nurses->value, "0.90");
  EXPECT_EQ(value_at(set(), "leaver_rate_headcount", oct, Level::cluster, "Acute - Teaching", 2),
            "0.99");
}

// Sum of the staff-group rows and the "All staff groups" row of each organisation and period.
struct Totals {
  Decimal all;
  Decimal groups;
  bool has_all = false;
};

std::map<std::string, Totals> totals_by_org(const BenchmarkSet& set, const std::string& metric) {
  std::map<std::string, Totals> out;
  for (const auto& s : set.series()) {
    if (s.metric != metric) continue;
    Totals& t = out[s.period.iso() + " " + s.org_code];
    if (s.staff_group == kAllStaffGroups) {
      t.all = s.numerator;
      t.has_all = true;
    } else {
      t.groups += s.numerator;
    }
  }
  return out;
}

TEST_F(TurnoverBenchmarking, FteAddsUpAcrossStaffGroups) {
  for (const std::string metric :
       {"staff_in_post_start_fte", "staff_in_post_end_fte", "leavers_fte", "joiners_fte"}) {
    size_t checked = 0;
    for (const auto& [key, t] : totals_by_org(set(), metric)) {
      if (!t.has_all) continue;
      EXPECT_EQ(t.groups, t.all) << metric << " " << key;
      ++checked;
    }
    EXPECT_GT(checked, 400u) << metric;
  }
}

TEST_F(TurnoverBenchmarking, HeadcountDoesNotAddUpAcrossStaffGroups) {
  size_t more = 0, checked = 0;
  for (const auto& [key, t] : totals_by_org(set(), "staff_in_post_end_headcount")) {
    ASSERT_TRUE(t.has_all) << key;
    EXPECT_GE(t.groups, t.all) << key;  // a person in two groups counts in both, once in all
    if (t.groups > t.all) ++more;
    ++checked;
  }
  EXPECT_EQ(checked, 247u * 2);  // 247 organisations in each month
  EXPECT_GT(more, 100u);
  // RJ1 at the end of October 2025: 22555 people, 22585 staff-group memberships.
  const auto rj1 = totals_by_org(set(), "staff_in_post_end_headcount").at("2025-10 RJ1");
  EXPECT_EQ(rj1.all.text(), "22555");
  EXPECT_EQ(rj1.groups.text(), "22585");
}

TEST_F(TurnoverBenchmarking, TotalsUseTheAllStaffGroupsRows) {
  const Month oct = Month::from_ym(2025, 10);
  EXPECT_EQ(value_at(set(), "staff_in_post_end_headcount", oct, Level::england, "ENG", 0),
            "1501545");
  EXPECT_EQ(value_at(set(), "staff_in_post_end_fte", oct, Level::england, "ENG", 5),
            "1330538.84046");
  // Summing the staff groups instead would count 2078 memberships twice over.
  AggregateQuery by_group;
  by_group.metric = "staff_in_post_end_headcount";
  by_group.period = oct;
  by_group.level = Level::staff_group;
  auto groups = aggregate(set(), by_group);
  ASSERT_TRUE(groups.is_ok());
  Decimal memberships;
  for (const auto& g : *groups)
    if (g.code != kAllStaffGroups) memberships += g.numerator;
  EXPECT_EQ(memberships.text(), "1503623");
  // November's start is October's end, for England as published.
  const Month nov = Month::from_ym(2025, 11);
  EXPECT_EQ(value_at(set(), "staff_in_post_start_headcount", nov, Level::england, "ENG", 0),
            "1501545");
  EXPECT_EQ(value_at(set(), "staff_in_post_start_fte", nov, Level::england, "ENG", 5),
            "1330538.84046");
}

}  // namespace
}  // namespace careforce::benchmarks
