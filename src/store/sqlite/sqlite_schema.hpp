#pragma once
// The SQLite schema: data tables derived from the declared data standard (core/schema.hpp)
// plus the submission history, created and upgraded by an ordered list of migrations.

#include <functional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"

namespace careforce::store::sqlite {

/// The columns that identify one row of a file; a repeat inside a submission is a conflict.
struct UniqueKey {
  std::vector<std::string> columns;  ///< Empty: the file has no key (temporary_staffing).
  bool blanks_equal = false;         ///< Compare blanks as equal (ifnull(column, '')).
};
const UniqueKey& unique_key(FileKind kind);

/// The SQLite column type of a declared column type.
const char* sql_type(ColumnType type);
/// CREATE TABLE and CREATE INDEX statements of one data file's table.
std::string create_data_table_sql(const FileSpec& file);

/// One schema step; later issues append (version 2: the national-benchmark tables).
struct Migration {
  int version = 0;
  std::string description;
  std::function<Status(Connection&)> apply;
};
/// Every migration, in version order.
const std::vector<Migration>& migrations();
/// The newest schema version this program knows.
int latest_schema_version();
/// Bring the database to the latest version; refuse a database newer than the program.
Result<int> migrate(Connection& db);

/// The current UTC time as ISO 8601 (`2024-04-30T12:00:00Z`).
std::string utc_now();

}  // namespace careforce::store::sqlite
