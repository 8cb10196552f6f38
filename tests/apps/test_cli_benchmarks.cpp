// `careforce benchmarks import / compare / list` end to end on the real published files.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "benchmarks/benchmark_set.hpp"
#include "benchmarks/reader.hpp"
#include "cli_harness.hpp"

namespace careforce::testing {
namespace {

namespace fs = std::filesystem;

const fs::path kReference = fs::path(CAREFORCE_SHARED_DIR) / "reference/nhs-digital";

/// Every benchmark_series row as one string (equal strings = untouched series).
std::string series_text(const fs::path& db_path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return "cannot open";
  }
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db,
                         "SELECT metric, period, org_code, staff_group, numerator, "
                         "ifnull(denominator, '-'), import_id FROM benchmark_series ORDER BY 1, "
                         "2, 3, 4",
                         -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < 7; ++c) {
        const auto* text = sqlite3_column_text(stmt, c);
        out += text ? reinterpret_cast<const char*>(text) : "";
        out += c == 6 ? '\n' : ',';
      }
    }
  } else {
    out = "no table";
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// England's sickness absence rate for a month by the module's own aggregate on the files.
std::string england_rate(Month month, int places) {
  auto report = benchmarks::read_publications((kReference / "sickness-absence").string());
  EXPECT_TRUE(report.is_ok());
  if (!report) return "";
  benchmarks::BenchmarkSet set;
  set.add(report->series);
  benchmarks::AggregateQuery query;
  query.metric = "sickness_absence_rate";
  query.period = month;
  query.level = benchmarks::Level::england;
  query.places = places;
  auto england = benchmarks::aggregate(set, query);
  EXPECT_TRUE(england.is_ok());
  if (!england || england->empty()) return "";
  return england->front().value;
}

// One import of the whole reference folder, shared by the tests that only read it.
class CliBenchmarks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists(kReference)) return;
    dir_ = new TempDir("cli-benchmarks");
    db_ = *dir_ / "careforce.db";
    first_ =
        new CliRun(run_cli({"benchmarks", "import", kReference.string(), "--db", db_.string()}));
  }
  static void TearDownTestSuite() {
    delete first_;
    delete dir_;
    first_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!fs::exists(kReference)) GTEST_SKIP() << "no published files at " << kReference;
    ASSERT_EQ(first_->exit_code, 0) << first_->output;
  }

  static inline TempDir* dir_ = nullptr;
  static inline fs::path db_;
  static inline CliRun* first_ = nullptr;
};

TEST_F(CliBenchmarks, OneCommandImportsTheWholeReferenceFolder) {
  const std::string& out = first_->output;
  EXPECT_NE(out.find("sickness-absence/nhs_sickness_absence_2025-01.csv: nhs_sickness_absence"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("turnover_benchmarking_Oct-2025.csv: nhs_turnover_benchmarking"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("download_manifest_from_source_repo.csv: skipped"), std::string::npos) << out;
  EXPECT_NE(out.find("stored as benchmark import 1"), std::string::npos) << out;
  // Every series the reader makes is in the store, kept apart from partners' submissions.
  auto report = benchmarks::read_publications(kReference.string());
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(count_rows(db_, "benchmark_series"), static_cast<long long>(report->series.size()));
  EXPECT_NE(out.find("accepted: " + std::to_string(report->series.size()) + " series"),
            std::string::npos)
      << out;
  EXPECT_EQ(count_rows(db_, "submissions"), 0);
  EXPECT_EQ(count_rows(db_, "organisations"), 0);
  EXPECT_EQ(integrity_check(db_), "ok");
}

TEST_F(CliBenchmarks, ImportingAgainSaysUnchangedAndChangesNothing) {
  const std::string before = series_text(db_);
  auto again = run_cli({"benchmarks", "import", kReference.string(), "--db", db_.string()});
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("unchanged: these files were already imported (benchmark import 1"),
            std::string::npos)
      << again.output;
  EXPECT_EQ(series_text(db_), before);
  EXPECT_EQ(count_rows(db_, "benchmark_import"), 1);
}

TEST_F(CliBenchmarks, CompareSetsAnIcsBesideEnglandAsTheModuleAggregatesIt) {
  const Month january = Month::from_ym(2025, 1);
  // docs/benchmarks.md: the publication's key fact, England January 2025, is 5.7 at 1 dp.
  ASSERT_EQ(england_rate(january, 1), "5.7");
  const std::string england = england_rate(january, -1);
  ASSERT_TRUE(england.starts_with("5.")) << england;

  auto text = run_cli({"benchmarks", "compare", "--db", db_.string(), "--ics", "QKK", "--metric",
                       "sickness_absence_rate", "--from", "2025-01", "--to", "2025-01"});
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("QKK South East London"), std::string::npos) << text.output;
  const size_t row = text.output.find("2025-01");
  ASSERT_NE(row, std::string::npos) << text.output;
  const std::string line = text.output.substr(row, text.output.find('\n', row) - row);
  EXPECT_NE(line.find(" " + england + " "), std::string::npos) << line;
  EXPECT_EQ(text.output.find("2024-12"), std::string::npos) << text.output;

  auto csv =
      run_cli({"benchmarks", "compare", "--db", db_.string(), "--ics", "QKK", "--metric",
               "sickness_absence_rate", "--from", "2025-01", "--to", "2025-01", "--format", "csv"});
  ASSERT_EQ(csv.exit_code, 0) << csv.output;
  std::istringstream lines(csv.output);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_TRUE(
      header.starts_with("metric,period,entity_code,entity_name,numerator,denominator,"
                         "value,england_value,"))
      << header;
  std::vector<std::string> cells;
  std::istringstream fields(first);
  for (std::string cell; std::getline(fields, cell, ',');) cells.push_back(cell);
  ASSERT_GE(cells.size(), 8u) << first;
  EXPECT_EQ(cells[0], "sickness_absence_rate");
  EXPECT_EQ(cells[1], "2025-01");
  EXPECT_EQ(cells[2], "QKK");
  EXPECT_EQ(cells[7], england);
}

TEST_F(CliBenchmarks, CompareRefusesBadOptionsWithUsageExitCode) {
  auto both =
      run_cli({"benchmarks", "compare", "--db", db_.string(), "--ics", "QKK", "--org", "RJ1"});
  EXPECT_EQ(both.exit_code, 2) << both.output;
  EXPECT_NE(both.output.find("give exactly one of --ics and --org"), std::string::npos)
      << both.output;
  auto month =
      run_cli({"benchmarks", "compare", "--db", db_.string(), "--ics", "QKK", "--from", "2025-13"});
  EXPECT_EQ(month.exit_code, 2) << month.output;
  EXPECT_NE(month.output.find("--from '2025-13' is not a month (YYYY-MM)"), std::string::npos)
      << month.output;
}

TEST_F(CliBenchmarks, ListShowsTheImportAndSeriesByMetric) {
  auto list = run_cli({"benchmarks", "list", "--db", db_.string()});
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("accepted"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find(kReference.string()), std::string::npos) << list.output;
  // Columns: publication padded to 28, two spaces, metric.
  const auto row_of = [](std::string publication, const std::string& metric) {
    publication.resize(30, ' ');
    return publication + metric;
  };
  const size_t row = list.output.find(row_of("nhs_sickness_absence", "sickness_absence_rate"));
  ASSERT_NE(row, std::string::npos) << list.output;
  const std::string line = list.output.substr(row, list.output.find('\n', row) - row);
  EXPECT_NE(line.find("2024-04  2025-03       12"), std::string::npos) << line;
  EXPECT_NE(list.output.find(row_of("nhs_turnover_benchmarking", "leaver_rate_fte")),
            std::string::npos)
      << list.output;
}

TEST(CliBenchmarksBroken, BadNumberIsRejectedWithItsPlaceAndStoresNothing) {
  const fs::path source = kReference / "sickness-absence/nhs_sickness_absence_2025-01.csv";
  if (!fs::exists(source)) GTEST_SKIP() << "no published files at " << source;
  TempDir dir("cli-benchmarks-broken");
  const fs::path db = dir / "careforce.db";
  const fs::path good = dir / "good";
  const fs::path bad = dir / "bad";
  fs::create_directories(good);
  fs::create_directories(bad);
  // A small copy: the header and the first four organisations.
  std::istringstream in(read_file(source));
  std::string small, line;
  for (int i = 0; i < 5 && std::getline(in, line); ++i) small += line + "\n";
  std::ofstream(good / "jan.csv", std::ios::binary) << small;
  auto imported =
      run_cli({"benchmarks", "import", (good / "jan.csv").string(), "--db", db.string()});
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  ASSERT_EQ(count_rows(db, "benchmark_series"), 4);
  const std::string before = series_text(db);

  // Line 3, column 9 (FTE_DAYS_LOST) of the copy: 1508.61215 becomes 1508,61215.
  std::string broken = small;
  const size_t at = broken.find("1508.61215");
  ASSERT_NE(at, std::string::npos) << small;
  broken[at + 4] = ';';
  std::ofstream(bad / "jan.csv", std::ios::binary) << broken;
  auto rejected =
      run_cli({"benchmarks", "import", (bad / "jan.csv").string(), "--db", db.string()});
  EXPECT_EQ(rejected.exit_code, 1) << rejected.output;
  EXPECT_NE(rejected.output.find("jan.csv:3:9: error:"), std::string::npos) << rejected.output;
  EXPECT_NE(rejected.output.find("rejected: 1 errors"), std::string::npos) << rejected.output;
  EXPECT_NE(rejected.output.find("nothing was imported"), std::string::npos) << rejected.output;
  EXPECT_EQ(series_text(db), before);
  // The attempt is in the history with its finding.
  EXPECT_EQ(count_rows(db, "benchmark_import"), 2);
  EXPECT_EQ(count_rows(db, "benchmark_finding"), 1);
  auto list = run_cli({"benchmarks", "list", "--db", db.string()});
  EXPECT_NE(list.output.find("rejected"), std::string::npos) << list.output;
}

TEST(CliBenchmarksEmpty, CompareOnAStoreWithoutBenchmarksSaysHowToImportThem) {
  TempDir dir("cli-benchmarks-empty");
  const fs::path db = dir / "careforce.db";
  auto list = run_cli({"benchmarks", "list", "--db", db.string()});
  EXPECT_NE(list.exit_code, 0);  // --db must exist for list and compare
  auto created = run_cli({"benchmarks", "import", (dir / "none").string(), "--db", db.string()});
  EXPECT_EQ(created.exit_code, 3) << created.output;
  EXPECT_NE(created.output.find("no such file or folder: " + (dir / "none").string()),
            std::string::npos)
      << created.output;
  auto compare = run_cli({"benchmarks", "compare", "--db", db.string(), "--ics", "QKK"});
  EXPECT_EQ(compare.exit_code, 3) << compare.output;
  EXPECT_NE(compare.output.find("no benchmark series in " + db.string() +
                                "; import published files first"),
            std::string::npos)
      << compare.output;
  list = run_cli({"benchmarks", "list", "--db", db.string()});
  EXPECT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("No benchmark imports yet."), std::string::npos) << list.output;
}

}  // namespace
}  // namespace careforce::testing
