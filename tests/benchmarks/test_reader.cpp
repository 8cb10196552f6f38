#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "benchmarks/reader.hpp"

namespace careforce::benchmarks {
namespace {

namespace fs = std::filesystem;

const std::string kSicknessHeader =
    "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,"
    "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n";
const std::string kTurnoverHeader =
    "PERIOD,TYPE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,REPORTING_ORG_NAME,"
    "REPORTING_ORG_CODE,CLUSTER_GROUP,BENCHMARK_GROUP,STAFF_GROUP_1_NAME,HC,FTE\n";

std::string sickness_row(const std::string& org, const std::string& lost,
                         const std::string& available, const std::string& rate,
                         const std::string& date = "31/01/2025", const std::string& name = "Org") {
  return date + ",Y56,London,QKK,South East London," + org + "," + name + ",Acute," + lost + "," +
         available + "," + rate + "\n";
}

std::string turnover_row(const std::string& type, const std::string& group, const std::string& hc,
                         const std::string& fte, const std::string& period = "202509 to 202510") {
  return period + "," + type +
         ",Y56,London,QKK,South East London,Trust A,RAA,Acute,Acute - Teaching," + group + "," +
         hc + "," + fte + "\n";
}

ImportReport read(const std::string& text, const std::string& name = "x.csv") {
  std::istringstream in(text);
  return read_publication(in, name);
}

std::vector<std::string> formatted(const ImportReport& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) out.push_back(f.format());
  return out;
}

const Series* find_series(const ImportReport& report, const std::string& metric,
                          const std::string& org, const std::string& group = "All staff groups") {
  for (const auto& s : report.series)
    if (s.metric == metric && s.org_code == org && s.staff_group == group) return &s;
  return nullptr;
}

TEST(Reader, RecognisesSicknessAbsenceAndKeepsThePublishedText) {
  const auto report =
      read(kSicknessHeader + sickness_row("RAA", "2782.82577", "51581.56801", "5.4") +
           sickness_row("RBB", "10", "200", "5.0"));
  ASSERT_TRUE(report.ok()) << testing::PrintToString(formatted(report));
  EXPECT_EQ(report.warnings, 0u);
  ASSERT_EQ(report.files.size(), 1u);
  EXPECT_EQ(report.files[0].publication, "nhs_sickness_absence");
  EXPECT_EQ(report.files[0].rows, 2u);
  ASSERT_EQ(report.series.size(), 2u);
  const Series& s = report.series[0];
  EXPECT_EQ(s.metric, "sickness_absence_rate");
  EXPECT_EQ(s.period.iso(), "2025-01");
  EXPECT_EQ(s.period_label, "31/01/2025");
  EXPECT_EQ(s.org_code, "RAA");
  EXPECT_EQ(s.ics_code, "QKK");
  EXPECT_EQ(s.region_code, "Y56");
  EXPECT_EQ(s.org_type, "Acute");
  EXPECT_EQ(s.staff_group, "All staff groups");
  EXPECT_EQ(s.numerator.text(), "2782.82577");
  ASSERT_TRUE(s.denominator);
  EXPECT_EQ(s.denominator->text(), "51581.56801");
  EXPECT_EQ(s.published_value, "5.4");
  EXPECT_EQ(s.source_file, "x.csv");
  EXPECT_EQ(s.source_line, 2u);
  EXPECT_EQ(report.series[1].source_line, 3u);
}

TEST(Reader, RecognisesAHeaderInAnyOrderWithBomAndCrlf) {
  const std::string header =
      "\xEF\xBB\xBF"
      "ORG_NAME,DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_TYPE,"
      "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\r\n";
  const auto report =
      read(header + "\"Trust, The\",30/04/2024,Y56,London,QKK,SEL,RAA,Acute,1,50,2.0\r\n");
  ASSERT_TRUE(report.ok()) << testing::PrintToString(formatted(report));
  ASSERT_EQ(report.series.size(), 1u);
  EXPECT_EQ(report.series[0].org_name, "Trust, The");
  EXPECT_EQ(report.series[0].org_code, "RAA");
  EXPECT_EQ(report.series[0].period.iso(), "2024-04");
}

TEST(Reader, UnknownHeaderNamesTheNearestPublicationAndWhatItLacks) {
  std::string header = kSicknessHeader;
  header.replace(header.find("FTE_DAYS_LOST"), 13, "FTE_LOST");
  const auto report = read(header + sickness_row("RAA", "1", "2", "50.0"));
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(report.series.empty());
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, "unknown_publication");
  EXPECT_EQ(report.findings[0].format(),
            "x.csv:1: error: header matches no declared publication; expected the header of a "
            "declared publication; nearest is nhs_sickness_absence, which also needs "
            "FTE_DAYS_LOST");
}

TEST(Reader, BadRowsAreReportedAtTheirExactLineAndColumn) {
  const std::string text = kSicknessHeader +                                        // line 1
                           sickness_row("RAA", "10", "200", "5.0") +                // 2
                           sickness_row("RBB", "10", "200", "5.0", "2025-01-31") +  // 3
                           sickness_row("RCC", "10", "0", "5.0") +                  // 4
                           sickness_row("RDD", "12,5", "200", "6.25") +             // 5
                           sickness_row("REE", "10", "200", "5.0", "31/01/2025",
                                        "\"Trust \"\"E\"\",\nEast\"") +                 // 6-7
                           sickness_row("RFF", "1.2e3", "200", "5.0") +                 // 8
                           sickness_row("RAA", "10", "200", "5.0") +                    // 9
                           sickness_row("RGG", "10", "200", "5.0", "31/01/2025", "") +  // 10
                           "31/01/2025,Y56,London,QXX,Other ICS,REE,\"Trust "
                           "\"\"E\"\",\nEast\",Acute,1,2,50.0\n" +                 // 11-12
                           sickness_row("RHH", "10.8", "200", "5.41") +            // 13
                           sickness_row("RII", "10", "200", "5.0", "30/01/2025");  // 14
  const auto report = read(text);
  EXPECT_EQ(report.errors, 8u);
  EXPECT_EQ(report.warnings, 1u);
  EXPECT_EQ(report.files[0].rows, 11u);  // two records span two lines each
  EXPECT_EQ(formatted(report),
            (std::vector<std::string>{
                "x.csv:3:1: error: '2025-01-31' is not a month end as dd/mm/yyyy (column 'DATE'); "
                "expected the last day of a month as dd/mm/yyyy, e.g. 31/01/2025",
                "x.csv:4:10: error: '0' is out of range (column 'FTE_DAYS_AVAILABLE'); expected a "
                "number greater than 0",
                "x.csv:5: error: row has 12 fields; expected 11 fields, as in the header",
                "x.csv:8:9: error: '1.2e3' is not a decimal number (column 'FTE_DAYS_LOST'); "
                "expected a decimal number such as 2335.48715 (no spaces, exponents or thousands "
                "separators)",
                "x.csv:9: error: second row for period, organisation and staff group (first on "
                "line 2); expected one row per period, organisation and staff group",
                "x.csv:10:7: error: value is blank (column 'ORG_NAME'); expected a value",
                "x.csv:11:6: error: organisation REE has a different name, type or area than on "
                "line 6 (column 'ORG_CODE'); expected the same name, type, region and ICS on "
                "every row of an organisation and period",
                "x.csv:13:11: warning: published value 5.41 is not FTE_DAYS_LOST / "
                "FTE_DAYS_AVAILABLE x 100 rounded half-up (column "
                "'SICKNESS_ABSENCE_RATE_PERCENT'); expected 5.4",
                "x.csv:14:1: error: '30/01/2025' is not a month end as dd/mm/yyyy (column "
                "'DATE'); expected the last day of a month as dd/mm/yyyy, e.g. 31/01/2025",
            }));
  const Series* quoted = find_series(report, "sickness_absence_rate", "REE");
  ASSERT_NE(quoted, nullptr);
  EXPECT_EQ(quoted->org_name, "Trust \"E\",\nEast");
  EXPECT_EQ(quoted->source_line, 6u);
  EXPECT_EQ(report.findings[1].value, "0");
  EXPECT_EQ(report.findings[1].column_name, "FTE_DAYS_AVAILABLE");
}

TEST(Reader, CsvSyntaxErrorsAreFindings) {
  auto report = read(kSicknessHeader + sickness_row("RAA", "10", "200", "5.0") +
                     "31/01/2025,Y56,London,QKK,SEL,RBB,\"Open name,Acute,1,2,50.0\n");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].format(),
            "x.csv:3:7: error: quoted field is not closed before the end of the file; expected "
            "RFC 4180 CSV: a field in quotes, with quotes inside doubled");
  report = read(kSicknessHeader + "31/01/2025,Y56,London,QKK,SEL,RBB,\"Name\"x,Acute,1,2,50.0\n");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, "bad_csv");
  EXPECT_EQ(report.findings[0].column, 7u);
  report = read("");
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].format(),
            "x.csv: error: the file is empty; expected a header row of a declared publication");
}

TEST(Reader, TurnoverRowsBecomeRatesOverTheMeanOfStartAndEnd) {
  const std::string text =
      kTurnoverHeader +
      turnover_row("Denominator at start of period", "All staff groups", "100", "90.5") +
      turnover_row("Denominator at end of period", "All staff groups", "110", "99.5") +
      turnover_row("Leavers", "All staff groups", "7", "6.3") +
      turnover_row("Joiners", "All staff groups", "17", "15.3") +
      turnover_row("Denominator at start of period", "Midwives", "40", "35") +
      turnover_row("Denominator at end of period", "Midwives", "41", "36");
  const auto report = read(text);
  ASSERT_TRUE(report.ok()) << testing::PrintToString(formatted(report));
  EXPECT_EQ(report.files[0].publication, "nhs_turnover_benchmarking");

  const Series* leavers = find_series(report, "leaver_rate_headcount", "RAA");
  ASSERT_NE(leavers, nullptr);
  EXPECT_EQ(leavers->numerator.text(), "7");
  EXPECT_EQ(leavers->denominator->text(), "105.0");  // (100 + 110) / 2
  EXPECT_EQ(leavers->period.iso(), "2025-10");
  EXPECT_EQ(leavers->window_start.iso(), "2025-09");
  EXPECT_EQ(leavers->org_type, "Acute");
  EXPECT_EQ(leavers->cluster, "Acute - Teaching");
  EXPECT_EQ(percent(leavers->numerator, *leavers->denominator, 2)->text(), "6.67");

  const Series* fte = find_series(report, "leaver_rate_fte", "RAA");
  ASSERT_NE(fte, nullptr);
  EXPECT_EQ(fte->denominator->short_text(), "95");  // (90.5 + 99.5) / 2
  EXPECT_EQ(percent(fte->numerator, *fte->denominator, 2)->text(), "6.63");

  // No Leavers row for midwives: zero leavers over a mean of 40.5, and no leavers count.
  const Series* midwives = find_series(report, "leaver_rate_headcount", "RAA", "Midwives");
  ASSERT_NE(midwives, nullptr);
  EXPECT_TRUE(midwives->numerator.is_zero());
  EXPECT_EQ(midwives->denominator->text(), "40.5");
  EXPECT_EQ(find_series(report, "leavers_headcount", "RAA", "Midwives"), nullptr);
  const Series* end = find_series(report, "staff_in_post_end_headcount", "RAA", "Midwives");
  ASSERT_NE(end, nullptr);
  EXPECT_EQ(end->numerator.text(), "41");
  EXPECT_FALSE(end->denominator.has_value());
  EXPECT_EQ(end->source_line, 7u);
}

TEST(Reader, TurnoverBadRows) {
  const std::string text =
      kTurnoverHeader + turnover_row("Leaver", "All staff groups", "7", "6.3") +     // 2
      turnover_row("Leavers", "All staff groups", "7", "6.3", "202510 to 202509") +  // 3
      turnover_row("Leavers", "Midwives", "7.5", "6.3") +                            // 4
      turnover_row("Leavers", "Nurses", "7", "-6.3") +                               // 5
      turnover_row("Joiners", "Nurses", "7", "6.3") +                                // 6
      turnover_row("Joiners", "Nurses", "8", "6.3");                                 // 7
  const auto report = read(text, "t.csv");
  EXPECT_EQ(formatted(report),
            (std::vector<std::string>{
                "t.csv:2:2: error: 'Leaver' is not a known TYPE (column 'TYPE'); expected one of "
                "'Leavers', 'Joiners', 'Denominator at end of period', 'Denominator at start of "
                "period' (nearest 'Leavers')",
                "t.csv:3:1: error: '202510 to 202509' is not a period 'YYYYMM to YYYYMM' (column "
                "'PERIOD'); expected 'YYYYMM to YYYYMM' with the second month after the first, "
                "e.g. 202509 to 202510",
                "t.csv:4:12: error: '7.5' is not a whole number (column 'HC'); expected a whole "
                "number of 0 or more",
                "t.csv:5:13: error: '-6.3' is out of range (column 'FTE'); expected a number of 0 "
                "or more",
                "t.csv:7: error: second row for period, organisation, staff group and TYPE (first "
                "on line 6); expected one row per period, organisation, staff group and TYPE",
            }));
}

class FolderImport : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(CAREFORCE_BINARY_DIR) / "test-tmp" /
           testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST_F(FolderImport, IsAllOrNothingAndIdempotent) {
  write("a_jan.csv", kSicknessHeader + sickness_row("RAA", "10", "200", "5.0"));
  write("b_feb.csv", kSicknessHeader + sickness_row("RAA", "10", "x", "5.0", "28/02/2025"));
  write("manifest.csv", "\"Dataset\",\"FileName\"\n\"Sickness Absence\",\"a_jan.csv\"\n");
  BenchmarkSet set;
  auto report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  EXPECT_FALSE(report->ok());
  EXPECT_EQ(report->errors, 1u);
  EXPECT_EQ(set.size(), 0u);  // the good January file was not added either
  EXPECT_EQ(report->findings[0].format(),
            "b_feb.csv:2:10: error: 'x' is not a decimal number (column 'FTE_DAYS_AVAILABLE'); "
            "expected a decimal number such as 2335.48715 (no spaces, exponents or thousands "
            "separators)");

  write("b_feb.csv", kSicknessHeader + sickness_row("RAA", "12", "200", "6.0", "28/02/2025"));
  report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  EXPECT_TRUE(report->ok()) << testing::PrintToString(formatted(*report));
  EXPECT_EQ(report->warnings, 1u);  // manifest.csv skipped
  ASSERT_EQ(report->files.size(), 3u);
  EXPECT_TRUE(report->files[2].skipped);
  EXPECT_EQ(set.size(), 2u);

  report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(set.size(), 2u);
  const Series* feb = set.find("sickness_absence_rate", Month::from_ym(2025, 2), "RAA");
  ASSERT_NE(feb, nullptr);
  EXPECT_EQ(feb->numerator.text(), "12");
}

TEST_F(FolderImport, ReportSaysWhatWasReadAndWhetherItWasAccepted) {
  write("a.csv", kSicknessHeader + sickness_row("RAA", "10", "200", "5.0"));
  write("m.csv", "\"Dataset\"\n");
  BenchmarkSet set;
  auto report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  const std::string a = (dir_ / "a.csv").string(), m = (dir_ / "m.csv").string();
  EXPECT_EQ(format_import_report(*report),
            a + ": nhs_sickness_absence, 1 rows, 1 series, 0 errors\n" + m +
                ": skipped (no declared publication)\n"
                "m.csv:1: warning: header matches no declared publication; file skipped; "
                "expected the header of a declared publication; nearest is nhs_sickness_absence, "
                "which also needs DATE, NHSE_REGION_CODE, NHSE_REGION_NAME, ICS_CODE, ICS_NAME, "
                "ORG_CODE, ORG_NAME, ORG_TYPE, FTE_DAYS_LOST, FTE_DAYS_AVAILABLE, "
                "SICKNESS_ABSENCE_RATE_PERCENT (11 columns, found 1)\n"
                "accepted: 1 series, 1 warnings\n");
  write("a.csv", kSicknessHeader + sickness_row("RAA", "10", "-1", "5.0"));
  report = import_publications((dir_ / "a.csv").string(), set);
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(format_import_report(*report, 0),
            a + ": nhs_sickness_absence, 1 rows, 0 series, 1 errors\n"
                "... 1 more findings not shown\n"
                "rejected: 1 errors, 0 warnings; nothing was imported\n");
}

TEST_F(FolderImport, TheSameFigureInTwoFilesIsAnError) {
  write("a.csv", kSicknessHeader + sickness_row("RAA", "10", "200", "5.0"));
  write("b.csv", kSicknessHeader + sickness_row("RAA", "10", "200", "5.0"));
  BenchmarkSet set;
  auto report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].format(),
            "b.csv:2: error: figure for RAA 2025-01 (All staff groups) is also in a.csv:2; "
            "expected each period of a publication in one file only");
  EXPECT_EQ(set.size(), 0u);
}

TEST_F(FolderImport, SubfoldersAreReadAndNamedByTheirRelativePath) {
  fs::create_directories(dir_ / "sickness");
  fs::create_directories(dir_ / "more");
  write("sickness/jan.csv", kSicknessHeader + sickness_row("RAA", "10", "200", "5.0"));
  write("more/feb.CSV", kSicknessHeader + sickness_row("RBB", "1x", "200", "5.0"));
  write("notes.txt", "not a publication");
  auto files = publication_files(dir_.string());
  ASSERT_TRUE(files.is_ok());
  EXPECT_EQ(*files, (std::vector<std::string>{"more/feb.CSV", "sickness/jan.csv"}));
  BenchmarkSet set;
  auto report = import_publications(dir_.string(), set);
  ASSERT_TRUE(report.is_ok());
  ASSERT_EQ(report->files.size(), 2u);
  ASSERT_EQ(report->findings.size(), 1u);
  EXPECT_EQ(report->findings[0].file, "more/feb.CSV");
  EXPECT_EQ(report->findings[0].line, 2u);
  EXPECT_EQ(report->findings[0].column, 9u);
  EXPECT_EQ(set.size(), 0u);
  // A file given by name is itself, named by its file name.
  auto single = publication_files((dir_ / "sickness/jan.csv").string());
  ASSERT_TRUE(single.is_ok());
  EXPECT_EQ(*single, (std::vector<std::string>{(dir_ / "sickness/jan.csv").string()}));
}

TEST_F(FolderImport, AMissingPathIsNotFound) {
  BenchmarkSet set;
  auto report = import_publications((dir_ / "nope.csv").string(), set);
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.error().code, ErrorCode::not_found);
  auto empty = import_publications(dir_.string(), set);
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.error().message, "no .csv files in folder " + dir_.string());
}

TEST_F(FolderImport, AnUnknownFileGivenByNameIsAnError) {
  write("manifest.csv", "\"Dataset\",\"FileName\"\n");
  BenchmarkSet set;
  auto report = import_publications((dir_ / "manifest.csv").string(), set);
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->errors, 1u);
  EXPECT_EQ(report->findings[0].kind, "unknown_publication");
}

}  // namespace
}  // namespace careforce::benchmarks
