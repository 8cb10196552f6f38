// National benchmark persistence: migration 2, exact round trip, idempotent and
// all-or-nothing imports through the service.
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "benchmarks/reader.hpp"
#include "service/benchmark_service.hpp"
#include "store/sqlite/sqlite_schema.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store_test_util.hpp"

namespace careforce::store {
namespace {

namespace fs = std::filesystem;
using testing::count;
using testing::query_text;
using testing::TempDatabase;

constexpr const char* kHeader =
    "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,"
    "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n";

std::unique_ptr<Store> open_or_die(const std::string& path) {
  auto store = open_store(path);
  EXPECT_TRUE(store.is_ok()) << store.error().message;
  return store ? std::move(store).value() : nullptr;
}

/// A folder of small sickness files, removed at the end of the test.
class TempFolder {
 public:
  TempFolder() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = fs::temp_directory_path() /
            ("careforce_bench_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  std::string write(const std::string& name, const std::string& body) const {
    std::ofstream(path_ / name, std::ios::binary) << kHeader << body;
    return (path_ / name).string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

// RLY April 2024 lies on a rounding boundary (5.3950003 published as 5.4); the trailing zero
// of 0.50 and the float artefact of 20292.122639999998 must survive the store unchanged.
constexpr const char* kApril =
    "30/04/2024,Y61,North West,QYG,Cheshire and Merseyside,RLY,North Staffordshire Combined,"
    "Mental Health,2782.82577,51581.56801,5.4\n"
    "30/04/2024,Y56,London,QKK,South East London,QKK,NHS South East London ICB,Integrated Care "
    "Board,0.50,20292.122639999998,0.0\n";

TEST(BenchmarkStoreMigration, VersionOneDatabaseIsUpgradedToTwoKeepingItsData) {
  TempDatabase db;
  {
    // A database as careforce left it before migration 2 existed.
    auto conn = sqlite::Connection::open(db.path());
    ASSERT_TRUE(conn.is_ok()) << conn.error().message;
    sqlite::Connection& c = **conn;
    ASSERT_TRUE(c.exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                       "description TEXT NOT NULL, applied_at TEXT NOT NULL)")
                    .is_ok());
    ASSERT_TRUE(sqlite::migrations().at(0).apply(c).is_ok());
    ASSERT_TRUE(c.exec("INSERT INTO schema_migrations VALUES(1, 'v1', '2026-01-01T00:00:00Z');"
                       "PRAGMA user_version=1;"
                       "INSERT INTO submissions(id, received_at, source, sha256, outcome) "
                       "VALUES(1, '2026-01-01T00:00:00Z', 'old', 'abc', 'accepted');"
                       "INSERT INTO organisations(submission_id, org_code, org_name, sector, "
                       "place, data_level) VALUES(1, 'RX1', 'Old Trust', 'acute', 'North', "
                       "'record');")
                    .is_ok());
  }
  ASSERT_EQ(query_text(db.path(),
                       "SELECT count(*) FROM sqlite_master WHERE name LIKE "
                       "'benchmark%'"),
            "0");
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->schema_version(), 2);
  EXPECT_EQ(sqlite::latest_schema_version(), 2);
  EXPECT_EQ(query_text(db.path(), "PRAGMA user_version"), "2");
  EXPECT_EQ(query_text(db.path(), "SELECT group_concat(version) FROM schema_migrations"), "1,2");
  EXPECT_EQ(query_text(db.path(), "SELECT description FROM schema_migrations WHERE version=2"),
            sqlite::migrations().at(1).description);
  for (const char* table :
       {"benchmark_import", "benchmark_file", "benchmark_series", "benchmark_finding"})
    EXPECT_EQ(count(db.path(), table), 0) << table;
  // Numbers are TEXT so they round-trip exactly.
  EXPECT_EQ(query_text(db.path(),
                       "SELECT type FROM pragma_table_info('benchmark_series') "
                       "WHERE name='numerator'"),
            "TEXT");
  // The submission and organisation of version 1 are still there.
  auto orgs = store->organisations();
  ASSERT_TRUE(orgs.is_ok());
  EXPECT_EQ(orgs->size(), 1u);
  EXPECT_TRUE(orgs->contains("RX1"));
  ASSERT_TRUE(store->submissions().is_ok());
  EXPECT_EQ(store->submissions()->size(), 1u);
  store.reset();
  // Opening again changes nothing.
  auto again = open_or_die(db.path());
  ASSERT_TRUE(again);
  EXPECT_EQ(count(db.path(), "schema_migrations"), 2);
}

TEST(BenchmarkStore, RowsRoundTripAsExactText) {
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  BenchmarkRow count_row;
  count_row.publication = "nhs_turnover_benchmarking";
  count_row.metric = "leavers_fte";
  count_row.period = "2025-10";
  count_row.window_start = "2025-09";
  count_row.period_label = "202509 to 202510";
  count_row.org_code = "RJ1";
  count_row.org_name = "Guy's and St Thomas'";
  count_row.org_type = "Acute";
  count_row.cluster = "Acute - Teaching";
  count_row.staff_group = "All staff groups";
  count_row.numerator = "304.53333000000000";
  count_row.source_file = "t.csv";
  count_row.source_line = 7;
  BenchmarkRow rate_row = count_row;
  rate_row.metric = "leaver_rate_fte";
  rate_row.numerator = "304.53333";
  rate_row.denominator = "22311.2";
  BenchmarkImportRecord record;
  record.source = "t.csv";
  record.sha256 = "f00d";
  record.accepted = true;
  record.series = 2;
  record.files = {{"t.csv", "nhs_turnover_benchmarking", 10, 2, false}};
  const std::vector<BenchmarkRow> rows = {rate_row, count_row};
  auto id = store->store_benchmark_import(record, rows, {});
  ASSERT_TRUE(id.is_ok()) << id.error().message;

  auto loaded = store->benchmark_rows();
  ASSERT_TRUE(loaded.is_ok()) << loaded.error().message;
  ASSERT_EQ(loaded->size(), 2u);
  // Ordered by key: leaver_rate_fte before leavers_fte.
  EXPECT_EQ((*loaded)[0].metric, "leaver_rate_fte");
  EXPECT_EQ((*loaded)[0].denominator, std::optional<std::string>("22311.2"));
  EXPECT_EQ((*loaded)[1].numerator, "304.53333000000000");
  EXPECT_EQ((*loaded)[1].denominator, std::nullopt);
  EXPECT_EQ((*loaded)[1].cluster, "Acute - Teaching");
  EXPECT_EQ((*loaded)[1].window_start, "2025-09");
  EXPECT_EQ((*loaded)[1].source_line, 7u);
  EXPECT_EQ((*loaded)[1].import_id, *id);
  EXPECT_EQ(query_text(db.path(),
                       "SELECT typeof(denominator) FROM benchmark_series WHERE "
                       "metric='leavers_fte'"),
            "null");

  auto found = store->find_benchmark_import("f00d");
  ASSERT_TRUE(found.is_ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->series, 2u);
  ASSERT_EQ((*found)->files.size(), 1u);
  EXPECT_EQ((*found)->files[0].rows_read, 10u);
  EXPECT_FALSE(store->find_benchmark_import("beef")->has_value());

  // A rejected record is never "already imported", and a rejected import cannot be stored.
  record.sha256 = "beef";
  record.accepted = false;
  EXPECT_FALSE(store->store_benchmark_import(record, rows, {}).is_ok());
  Finding bad;
  bad.kind = "bad_number";
  bad.file = "t.csv";
  bad.line = 3;
  bad.column = 13;
  bad.message = "not a number";
  const std::vector<Finding> findings = {bad};
  ASSERT_TRUE(store->record_rejected_benchmark_import(record, findings).is_ok());
  ASSERT_TRUE(store->record_rejected_benchmark_import(record, findings).is_ok());  // again
  EXPECT_FALSE(store->find_benchmark_import("beef")->has_value());
  auto history = store->benchmark_imports();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_FALSE((*history)[2].accepted);
  EXPECT_EQ((*history)[2].errors, 1u);
  EXPECT_EQ((*history)[2].series, 0u);
  auto stored = store->benchmark_findings((*history)[2].id, 10);
  ASSERT_TRUE(stored.is_ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_EQ((*stored)[0].format(), bad.format());
  EXPECT_EQ(count(db.path(), "benchmark_series"), 2);
}

TEST(BenchmarkService, SeriesSurviveTheStoreExactly) {
  TempFolder folder;
  const std::string file = folder.write("april.csv", kApril);
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  auto result = service::import_benchmarks(*store, file, {});
  ASSERT_TRUE(result.is_ok()) << result.error().message;
  ASSERT_EQ(result->outcome, service::BenchmarkImportOutcome::accepted)
      << service::describe_benchmark_import(*result, 10);
  auto set = service::load_benchmark_set(*store);
  ASSERT_TRUE(set.is_ok()) << set.error().message;
  const auto* rly = set->find("sickness_absence_rate", Month::from_ym(2024, 4), "RLY");
  ASSERT_NE(rly, nullptr);
  EXPECT_EQ(rly->numerator.text(), "2782.82577");
  ASSERT_TRUE(rly->denominator);
  EXPECT_EQ(rly->denominator->text(), "51581.56801");
  EXPECT_EQ(rly->published_value, "5.4");
  EXPECT_EQ(rly->period_label, "30/04/2024");
  EXPECT_EQ(rly->source_file, "april.csv");
  EXPECT_EQ(rly->source_line, 2u);
  auto rate = benchmarks::percent(rly->numerator, *rly->denominator, 2);
  ASSERT_TRUE(rate.is_ok());
  EXPECT_EQ(rate->text(), "5.40");
  const auto* icb = set->find("sickness_absence_rate", Month::from_ym(2024, 4), "QKK");
  ASSERT_NE(icb, nullptr);
  EXPECT_EQ(icb->numerator.text(), "0.50");
  EXPECT_EQ(icb->numerator.scale(), 2);
  EXPECT_EQ(icb->denominator->text(), "20292.122639999998");
  EXPECT_EQ(icb->ics_name, "South East London");
}

TEST(BenchmarkService, EveryPublishedSicknessSeriesRoundTripsFieldByField) {
  const fs::path folder = fs::path(CAREFORCE_SHARED_DIR) / "reference/nhs-digital/sickness-absence";
  if (!fs::exists(folder)) GTEST_SKIP() << "no published files at " << folder;
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  auto direct = benchmarks::read_publications(folder.string());
  ASSERT_TRUE(direct.is_ok());
  auto result = service::import_benchmarks(*store, folder.string(), {});
  ASSERT_TRUE(result.is_ok()) << result.error().message;
  ASSERT_EQ(result->outcome, service::BenchmarkImportOutcome::accepted);
  auto set = service::load_benchmark_set(*store);
  ASSERT_TRUE(set.is_ok()) << set.error().message;
  ASSERT_EQ(set->size(), direct->series.size());
  ASSERT_GT(set->size(), 3000u);
  for (const auto& s : direct->series) {
    const auto* back = set->find(s.metric, s.period, s.org_code, s.staff_group);
    ASSERT_NE(back, nullptr) << s.org_code << " " << s.period.iso();
    EXPECT_EQ(service::to_row(*back).numerator, service::to_row(s).numerator);
    EXPECT_TRUE(back->numerator.units() == s.numerator.units());
    EXPECT_EQ(back->numerator.scale(), s.numerator.scale());
    EXPECT_EQ(service::to_row(*back).denominator, service::to_row(s).denominator);
    const auto a = service::to_row(*back);
    const auto b = service::to_row(s);
    EXPECT_EQ(std::tie(a.publication, a.period, a.window_start, a.period_label, a.org_name,
                       a.org_type, a.cluster, a.region_code, a.region_name, a.ics_code, a.ics_name,
                       a.published_value, a.source_file, a.source_line),
              std::tie(b.publication, b.period, b.window_start, b.period_label, b.org_name,
                       b.org_type, b.cluster, b.region_code, b.region_name, b.ics_code, b.ics_name,
                       b.published_value, b.source_file, b.source_line));
  }
}

TEST(BenchmarkService, ImportingTheSameFilesAgainIsUnchanged) {
  TempFolder folder;
  folder.write("april.csv", kApril);
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  auto first = service::import_benchmarks(*store, folder.path(), {});
  ASSERT_TRUE(first.is_ok()) << first.error().message;
  ASSERT_EQ(first->outcome, service::BenchmarkImportOutcome::accepted);
  const std::string before =
      query_text(db.path(),
                 "SELECT group_concat(metric||period||org_code||numerator||import_id) FROM "
                 "benchmark_series");
  auto second = service::import_benchmarks(*store, folder.path(), {});
  ASSERT_TRUE(second.is_ok());
  EXPECT_EQ(second->outcome, service::BenchmarkImportOutcome::unchanged);
  EXPECT_EQ(second->import_id, first->import_id);
  EXPECT_EQ(second->sha256, first->sha256);
  EXPECT_EQ(count(db.path(), "benchmark_import"), 1);
  EXPECT_EQ(query_text(db.path(),
                       "SELECT group_concat(metric||period||org_code||numerator||"
                       "import_id) FROM benchmark_series"),
            before);
  EXPECT_NE(service::describe_benchmark_import(*second, 10).find("unchanged"), std::string::npos);

  // The same content under another folder is the same import.
  const fs::path copy = fs::path(folder.path()).parent_path() /
                        ("careforce_bench_copy_" + std::to_string(::getpid()));
  fs::remove_all(copy);
  fs::create_directories(copy);
  fs::copy_file(fs::path(folder.path()) / "april.csv", copy / "april.csv");
  auto moved = service::import_benchmarks(*store, copy.string(), {});
  fs::remove_all(copy);
  ASSERT_TRUE(moved.is_ok());
  EXPECT_EQ(moved->outcome, service::BenchmarkImportOutcome::unchanged);
}

TEST(BenchmarkService, RejectedImportStoresNothingAndKeepsItsFindings) {
  TempFolder folder;
  folder.write("april.csv", kApril);
  TempDatabase db;
  auto store = open_or_die(db.path());
  ASSERT_TRUE(store);
  ASSERT_EQ(service::import_benchmarks(*store, folder.path(), {})->outcome,
            service::BenchmarkImportOutcome::accepted);
  const std::string before =
      query_text(db.path(),
                 "SELECT group_concat(metric||period||org_code||numerator||denominator||"
                 "import_id) FROM benchmark_series");

  // A corrected May file that would replace nothing, plus an April file with a bad number:
  // neither goes in.
  const std::string may =
      "31/05/2024,Y61,North West,QYG,Cheshire and Merseyside,RLY,North Staffordshire "
      "Combined,Mental Health,100,2000,5.0\n";
  folder.write("may.csv", may);
  folder.write("april.csv",
               "30/04/2024,Y61,North West,QYG,Cheshire and Merseyside,RLY,North Staffordshire "
               "Combined,Mental Health,27x2.8,51581.56801,5.4\n");
  auto result = service::import_benchmarks(*store, folder.path(), {});
  ASSERT_TRUE(result.is_ok()) << result.error().message;
  EXPECT_EQ(result->outcome, service::BenchmarkImportOutcome::rejected);
  ASSERT_FALSE(result->report.findings.empty());
  EXPECT_EQ(result->report.findings[0].file, "april.csv");
  EXPECT_EQ(result->report.findings[0].line, 2u);
  EXPECT_EQ(result->report.findings[0].column, 9u);
  EXPECT_EQ(query_text(db.path(),
                       "SELECT group_concat(metric||period||org_code||numerator||"
                       "denominator||import_id) FROM benchmark_series"),
            before);
  auto history = store->benchmark_imports();
  ASSERT_TRUE(history.is_ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_FALSE((*history)[1].accepted);
  EXPECT_EQ((*history)[1].errors, result->report.errors);
  EXPECT_EQ((*history)[1].files.size(), 2u);
  auto stored = store->benchmark_findings((*history)[1].id, 100);
  ASSERT_TRUE(stored.is_ok());
  ASSERT_FALSE(stored->empty());
  EXPECT_EQ((*stored)[0].format(), result->report.findings[0].format());
  // Nothing about partners' submissions changed either.
  EXPECT_EQ(count(db.path(), "submissions"), 0);
}

}  // namespace
}  // namespace careforce::store
