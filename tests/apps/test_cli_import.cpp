// The foundation's "Done when", checked end to end through the CLI binary.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include <fstream>
#include <sstream>

#include "cli_harness.hpp"

namespace careforce::testing {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // CSV reports use CRLF
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<fs::path> case_folders(const std::string& kind) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(case_dir(kind)))
    if (entry.is_directory()) out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

class CliImport : public ::testing::Test {
 protected:
  TempDir dir_{"cli-import"};
  fs::path db_ = dir_ / "careforce.db";

  void import_baseline() {
    auto run = run_cli({"import", case_dir("valid/all-files").string(), "--db", db_.string()});
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }
};

TEST_F(CliImport, EveryBrokenSubmissionIsRejectedWithItsLineAndLeavesTheStoreUntouched) {
  import_baseline();
  const std::string before = data_digest(db_);
  const auto cases = case_folders("broken");
  ASSERT_GE(cases.size(), 25u);
  for (const auto& folder : cases) {
    SCOPED_TRACE(folder.filename().string());
    auto run = run_cli({"import", folder.string(), "--db", db_.string(), "--max-findings", "500"});
    EXPECT_EQ(run.exit_code, 1) << run.output;
    EXPECT_NE(run.output.find("Rejected: nothing was stored"), std::string::npos) << run.output;
    for (const auto& expected : read_lines(folder / "expected.txt"))
      EXPECT_NE(run.output.find(expected), std::string::npos)
          << "missing: " << expected << "\noutput:\n"
          << run.output;
    EXPECT_EQ(data_digest(db_), before);
  }
  // The history keeps every rejected attempt with its outcome.
  auto history = run_cli({"submissions", "--db", db_.string()});
  EXPECT_EQ(history.exit_code, 0);
  EXPECT_NE(history.output.find("rejected"), std::string::npos);
}

TEST_F(CliImport, ValidVariantsAreAccepted) {
  for (const auto& folder : case_folders("valid")) {
    SCOPED_TRACE(folder.filename().string());
    auto run = run_cli({"import", folder.string(), "--db",
                        (dir_ / (folder.filename().string() + ".db")).string()});
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("Accepted as submission"), std::string::npos) << run.output;
  }
}

TEST_F(CliImport, ValidateStoresNothingAndAgreesWithImport) {
  auto good = run_cli({"validate", case_dir("valid/all-files").string()});
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_NE(good.output.find("Valid"), std::string::npos);
  auto bad = run_cli({"validate", case_dir("broken/15-unknown-role").string(), "--report",
                      (dir_ / "findings.csv").string()});
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  const auto report = read_lines(dir_ / "findings.csv");
  ASSERT_GE(report.size(), 2u);
  EXPECT_EQ(report[0], "severity,kind,file,line,column,column_name,value,message,expected");
  EXPECT_FALSE(fs::exists(db_));
}

TEST_F(CliImport, ImportingTheSameSubmissionTwiceChangesNothing) {
  import_baseline();
  const std::string before = data_digest(db_);
  const long long history = count_rows(db_, "submissions");
  auto again = run_cli({"import", case_dir("valid/all-files").string(), "--db", db_.string()});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("Unchanged"), std::string::npos) << again.output;
  EXPECT_EQ(data_digest(db_), before);
  EXPECT_EQ(count_rows(db_, "submissions"), history);
}

TEST_F(CliImport, ASubmissionSentAgainAfterACorrectionIsImportedAgain) {
  import_baseline();
  const std::string original = data_digest(db_);
  // A correction of the same organisations and months, then the original once more (to undo
  // the correction): the original must replace the correction, not be skipped as "unchanged".
  const fs::path corrected = dir_ / "corrected";
  fs::copy(case_dir("valid/all-files"), corrected);
  {
    std::ofstream out(corrected / "pay_costs.csv", std::ios::trunc);
    out << "period,org_code,staff_group,substantive_gbp,bank_gbp,agency_gbp\n"
           "2024-03,RWH,nursing,260000,12000.50,8000\n";
  }
  auto correction = run_cli({"import", corrected.string(), "--db", db_.string()});
  ASSERT_EQ(correction.exit_code, 0) << correction.output;
  EXPECT_NE(data_digest(db_), original);
  const long long history = count_rows(db_, "submissions");
  auto again = run_cli({"import", case_dir("valid/all-files").string(), "--db", db_.string()});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_EQ(again.output.find("Unchanged"), std::string::npos) << again.output;
  EXPECT_EQ(count_rows(db_, "submissions"), history + 1);
  // The original's figure is back (the rows' submission ids differ, so no digest check).
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT substantive_gbp FROM pay_costs", -1, &stmt, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_double(stmt, 0), 250000.0);
  EXPECT_EQ(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  // And once it is the latest, importing it again is unchanged.
  auto third = run_cli({"import", case_dir("valid/all-files").string(), "--db", db_.string()});
  EXPECT_EQ(third.exit_code, 0) << third.output;
  EXPECT_NE(third.output.find("Unchanged"), std::string::npos) << third.output;
}

TEST_F(CliImport, AcceptValidRowsReportsTheRowsQuarantinedNotTheFindings) {
  import_baseline();
  // One row with two errors, one good row: one row quarantined.
  const fs::path folder = dir_ / "two-errors-one-row";
  fs::create_directories(folder);
  fs::copy_file(case_dir("valid/all-files") / "organisations.csv", folder / "organisations.csv");
  {
    std::ofstream out(folder / "pay_costs.csv");
    out << "period,org_code,staff_group,substantive_gbp,bank_gbp,agency_gbp\n"
           "2024-04,RWH,nursing,-1,-2,8000\n"
           "2024-04,RWH,medical,100,0,0\n";
  }
  auto run = run_cli({"import", folder.string(), "--db", db_.string(), "--accept-valid-rows"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("with 1 rejected row(s) quarantined"), std::string::npos) << run.output;
  EXPECT_EQ(count_rows(db_, "quarantine"), 1);
}

TEST_F(CliImport, ListingWarningsAreReportedOnceAndCountedOnce) {
  for (const char* command : {"import", "validate"}) {
    SCOPED_TRACE(command);
    auto run =
        run_cli({command, case_dir("valid/extra-unknown-column").string(), "--db", db_.string()});
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("0 error(s), 2 warning(s)"), std::string::npos) << run.output;
    const std::string unknown = "expected.txt: warning: unknown file, ignored";
    const size_t first = run.output.find(unknown);
    ASSERT_NE(first, std::string::npos) << run.output;
    EXPECT_EQ(run.output.find(unknown, first + 1), std::string::npos) << run.output;
  }
}

TEST_F(CliImport, TargetsMayNameThePlaceOfAStoredOrganisation) {
  import_baseline();  // RWH serves Riverside
  const fs::path folder = dir_ / "icb-targets";
  fs::create_directories(folder);
  std::ofstream(folder / "organisations.csv") << "org_code,org_name,sector,place,data_level\n"
                                                 "ICB,Our ICB,other,System,aggregate\n";
  std::ofstream(folder / "targets.csv") << "indicator,scope,year,target,direction\n"
                                           "leaver_rate,place:Riverside,2025/26,0.1,"
                                           "lower_is_better\n";
  auto run = run_cli({"import", folder.string(), "--db", db_.string()});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("0 error(s)"), std::string::npos) << run.output;
}

TEST_F(CliImport, AcceptValidRowsQuarantinesTheRestWithReasons) {
  import_baseline();
  auto run = run_cli({"import", case_dir("broken/15-unknown-role").string(), "--db", db_.string(),
                      "--accept-valid-rows"});
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("quarantined"), std::string::npos) << run.output;
  auto listed = run_cli({"quarantine", "--db", db_.string()});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_NE(listed.output.find("staff_in_post.csv"), std::string::npos) << listed.output;
  EXPECT_NE(listed.output.find("role_code"), std::string::npos) << listed.output;
}

TEST_F(CliImport, AKilledImportLeavesTheStoreAsItWas) {
  import_baseline();
  const std::string before = data_digest(db_);
  const long long history = count_rows(db_, "submissions");
  // A second, larger submission: the demo generator's, killed after 5,000 rows.
  const fs::path demo = dir_ / "demo";
  auto generated = run_cli({"demo", "generate", "--out", demo.string(), "--scale", "0.05"});
  ASSERT_EQ(generated.exit_code, 0) << generated.output;
  auto killed =
      run_cli({"import", demo.string(), "--db", db_.string(), "--test-crash-after-rows", "5000"});
  EXPECT_EQ(killed.signal, 9) << killed.output;
  EXPECT_EQ(integrity_check(db_), "ok");
  EXPECT_EQ(data_digest(db_), before);
  EXPECT_EQ(count_rows(db_, "submissions"), history);
  // The store still works: the same submission then imports in full.
  auto retry = run_cli({"import", demo.string(), "--db", db_.string()});
  EXPECT_EQ(retry.exit_code, 0) << retry.output.substr(0, 2000);
  EXPECT_NE(data_digest(db_), before);
}

TEST_F(CliImport, BadArgumentsGetAClearMessage) {
  auto missing = run_cli({"import", (dir_ / "no-such-folder").string(), "--db", db_.string()});
  EXPECT_EQ(missing.exit_code, 3) << missing.output;
  EXPECT_NE(missing.output.find("no-such-folder"), std::string::npos) << missing.output;
  auto usage = run_cli({"import"});
  EXPECT_EQ(usage.exit_code, 2) << usage.output;
}

}  // namespace
}  // namespace careforce::testing
