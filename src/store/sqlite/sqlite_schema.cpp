#include "store/sqlite/sqlite_schema.hpp"

#include <chrono>
#include <ctime>
#include <string>

namespace careforce::store::sqlite {

const UniqueKey& unique_key(FileKind kind) {
  static const std::vector<UniqueKey> keys = [] {
    std::vector<UniqueKey> k(kFileKindCount);
    k[static_cast<size_t>(FileKind::organisations)] = {{"org_code"}, false};
    k[static_cast<size_t>(FileKind::staff_in_post)] = {
        {"org_code", "snapshot_date", "assignment_id"}, false};
    k[static_cast<size_t>(FileKind::leavers)] = {{"org_code", "assignment_id", "leave_date"},
                                                 false};
    k[static_cast<size_t>(FileKind::absence)] = {{"org_code", "assignment_id", "start_date"},
                                                 false};
    k[static_cast<size_t>(FileKind::establishment)] = {
        {"period", "org_code", "staff_group", "role_code", "band"}, true};
    k[static_cast<size_t>(FileKind::temporary_staffing)] = {{}, false};
    k[static_cast<size_t>(FileKind::pay_costs)] = {{"period", "org_code", "staff_group"}, false};
    k[static_cast<size_t>(FileKind::aggregate_returns)] = {
        {"snapshot_date", "org_code", "staff_group", "role_code"}, false};
    k[static_cast<size_t>(FileKind::population)] = {{"place", "year", "age_band", "kind"}, false};
    k[static_cast<size_t>(FileKind::targets)] = {{"indicator", "scope", "year"}, false};
    return k;
  }();
  return keys.at(static_cast<size_t>(kind));
}

const char* sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::integer:
    case ColumnType::year:
      return "INTEGER";
    case ColumnType::decimal:
      return "REAL";
    case ColumnType::text:
    case ColumnType::code:
    case ColumnType::date:
    case ColumnType::month_end_date:
    case ColumnType::period:
    case ColumnType::financial_year:
      return "TEXT";
  }
  return "TEXT";
}

std::string create_data_table_sql(const FileSpec& file) {
  const UniqueKey& key = unique_key(file.kind);
  const bool keyed_by_org = file.kind == FileKind::organisations;
  std::string sql = "CREATE TABLE " + file.table + " (\n";
  sql += "  submission_id INTEGER NOT NULL REFERENCES submissions(id),\n";
  sql += "  source_line INTEGER";
  if (!file.period_column.empty()) sql += ",\n  period_month TEXT NOT NULL";
  for (const ColumnSpec& column : file.columns) {
    sql += ",\n  " + column.name + " " + sql_type(column.type);
    if (column.required) sql += " NOT NULL";
    if (keyed_by_org && column.name == file.org_column) sql += " PRIMARY KEY";
  }
  sql += "\n);\n";
  if (!file.period_column.empty())
    sql += "CREATE INDEX " + file.table + "_replace ON " + file.table + "(" + file.org_column +
           ", period_month);\n";
  if (!key.columns.empty() && !keyed_by_org) {
    sql += "CREATE UNIQUE INDEX " + file.table + "_key ON " + file.table + "(";
    for (size_t i = 0; i < key.columns.size(); ++i) {
      if (i) sql += ", ";
      sql += key.blanks_equal ? "ifnull(" + key.columns[i] + ", '')" : key.columns[i];
    }
    sql += ");\n";
  }
  return sql;
}

namespace {

constexpr const char* kHistorySql = R"sql(
CREATE TABLE submissions (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  committed_at TEXT,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  accept_valid_rows INTEGER NOT NULL DEFAULT 0,
  outcome TEXT NOT NULL
    CHECK (outcome IN ('pending', 'accepted', 'accepted_with_quarantine', 'rejected')),
  errors INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0,
  findings_stored INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX submissions_sha256 ON submissions(sha256);
CREATE TABLE submission_files (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  file_name TEXT NOT NULL,
  sha256 TEXT,
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_accepted INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (submission_id, file_name)
);
CREATE TABLE submission_organisations (
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  org_code TEXT NOT NULL,
  PRIMARY KEY (submission_id, org_code)
);
CREATE TABLE quarantine (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  file_name TEXT NOT NULL,
  line INTEGER NOT NULL,
  raw_row TEXT NOT NULL
);
CREATE INDEX quarantine_submission ON quarantine(submission_id);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  submission_id INTEGER NOT NULL REFERENCES submissions(id),
  quarantine_id INTEGER REFERENCES quarantine(id),
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  column_number INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT NOT NULL,
  message TEXT NOT NULL,
  expected TEXT NOT NULL
);
CREATE INDEX findings_submission ON findings(submission_id, quarantine_id);
CREATE INDEX findings_quarantine ON findings(quarantine_id);
)sql";

// Published national benchmarks (docs/benchmarks.md), apart from partners' submissions.
constexpr const char* kBenchmarkSql = R"sql(
CREATE TABLE benchmark_import (
  id INTEGER PRIMARY KEY,
  received_at TEXT NOT NULL,
  source TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
  errors INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  series INTEGER NOT NULL DEFAULT 0,
  findings_stored INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX benchmark_import_sha256 ON benchmark_import(sha256)
  WHERE outcome = 'accepted';
CREATE TABLE benchmark_file (
  import_id INTEGER NOT NULL REFERENCES benchmark_import(id),
  path TEXT NOT NULL,
  publication TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  series INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  PRIMARY KEY (import_id, path)
);
CREATE TABLE benchmark_series (
  publication TEXT NOT NULL,
  metric TEXT NOT NULL,
  period TEXT NOT NULL,
  window_start TEXT NOT NULL,
  period_label TEXT NOT NULL,
  level TEXT NOT NULL DEFAULT 'organisation',
  org_code TEXT NOT NULL,
  org_name TEXT NOT NULL,
  org_type TEXT NOT NULL,
  cluster TEXT NOT NULL,
  region_code TEXT NOT NULL,
  region_name TEXT NOT NULL,
  ics_code TEXT NOT NULL,
  ics_name TEXT NOT NULL,
  staff_group TEXT NOT NULL,
  numerator TEXT NOT NULL,
  denominator TEXT,
  published_value TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_line INTEGER NOT NULL,
  import_id INTEGER NOT NULL REFERENCES benchmark_import(id),
  PRIMARY KEY (metric, period, org_code, staff_group)
);
CREATE INDEX benchmark_series_ics ON benchmark_series(metric, period, ics_code);
CREATE TABLE benchmark_finding (
  id INTEGER PRIMARY KEY,
  import_id INTEGER NOT NULL REFERENCES benchmark_import(id),
  severity TEXT NOT NULL CHECK (severity IN ('error', 'warning')),
  kind TEXT NOT NULL,
  file TEXT NOT NULL,
  line INTEGER NOT NULL,
  column_number INTEGER NOT NULL,
  column_name TEXT NOT NULL,
  value TEXT NOT NULL,
  message TEXT NOT NULL,
  expected TEXT NOT NULL
);
CREATE INDEX benchmark_finding_import ON benchmark_finding(import_id);
)sql";

Status create_benchmark_tables(Connection& db) {
  return db.exec(kBenchmarkSql);
}

Status create_everything(Connection& db) {
  CF_RETURN_IF_ERROR(db.exec(kHistorySql));
  for (const FileSpec& file : data_standard_files())
    CF_RETURN_IF_ERROR(db.exec(create_data_table_sql(file)));
  return Status::ok();
}

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> list = {
      {1, "submission history and the data standard version 1 tables", create_everything},
      {2, "national benchmark series, imports, files and findings", create_benchmark_tables},
  };
  return list;
}

int latest_schema_version() {
  return migrations().back().version;
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

Result<int> migrate(Connection& db) {
  CF_RETURN_IF_ERROR(
      db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
              "description TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  Transaction tx(db);
  CF_RETURN_IF_ERROR(tx.begin());
  int current = 0;
  {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db.prepare("SELECT ifnull(max(version), 0) FROM schema_migrations"));
    CF_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (row) current = static_cast<int>(stmt.column_int(0));
  }
  const int latest = latest_schema_version();
  if (current > latest)
    return make_error(ErrorCode::store_error,
                      "database '" + db.path() + "' is at schema version " +
                          std::to_string(current) + ", newer than this careforce knows (" +
                          std::to_string(latest) + "); use a newer careforce",
                      db.path());
  if (current == latest) {
    tx.rollback();
    return current;
  }
  CF_ASSIGN_OR_RETURN(
      Statement record,
      db.prepare("INSERT INTO schema_migrations(version, description, applied_at) VALUES(?,?,?)"));
  const std::string now = utc_now();
  for (const Migration& migration : migrations()) {
    if (migration.version <= current) continue;
    Status applied = migration.apply(db);
    if (!applied)
      return make_error(ErrorCode::store_error,
                        "schema migration " + std::to_string(migration.version) + " (" +
                            migration.description + ") failed: " + applied.message(),
                        applied.error().details);
    record.reset();
    record.bind(1, static_cast<int64_t>(migration.version));
    record.bind(2, std::string_view(migration.description));
    record.bind(3, std::string_view(now));
    CF_RETURN_IF_ERROR(record.run());
  }
  CF_RETURN_IF_ERROR(db.exec("PRAGMA user_version=" + std::to_string(latest)));
  CF_RETURN_IF_ERROR(tx.commit());
  return latest;
}

}  // namespace careforce::store::sqlite
