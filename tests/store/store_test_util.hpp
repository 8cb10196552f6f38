#pragma once
// Helpers for the store tests: a fresh database file per test and rows built by column name.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/schema.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace careforce::store::testing {

/// A database path unique to the running test; removed (with -wal and -shm) on both ends.
class TempDatabase {
 public:
  TempDatabase() {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = (std::filesystem::temp_directory_path() /
             ("careforce_store_" + std::to_string(::getpid()) + "_" + info->test_suite_name() +
              "_" + info->name() + ".db"))
                .string();
    remove();
  }
  ~TempDatabase() { remove(); }
  const std::string& path() const { return path_; }

 private:
  void remove() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

/// A row of `kind` from (column, text) pairs; columns left out are blank. Numbers are parsed
/// by the declared column type, as the ingest pipeline would.
inline std::vector<Value> make_row(
    FileKind kind, std::initializer_list<std::pair<const char*, const char*>> cells) {
  const FileSpec& spec = file_spec(kind);
  std::vector<Value> row(spec.columns.size());
  for (const auto& [name, text] : cells) {
    const int index = spec.column_index(name);
    EXPECT_GE(index, 0) << "no column " << name << " in " << spec.file_name;
    if (index < 0) continue;
    switch (spec.columns[index].type) {
      case ColumnType::integer:
      case ColumnType::year:
        row[index] = static_cast<int64_t>(std::stoll(text));
        break;
      case ColumnType::decimal:
        row[index] = std::stod(text);
        break;
      default:
        row[index] = std::string(text);
    }
  }
  return row;
}

inline std::vector<Value> organisation(const char* code, const char* name,
                                       const char* sector = "acute", const char* place = "North",
                                       const char* level = "record") {
  return make_row(FileKind::organisations, {{"org_code", code},
                                            {"org_name", name},
                                            {"sector", sector},
                                            {"place", place},
                                            {"data_level", level}});
}

inline std::vector<Value> staff(const char* org, const char* snapshot, const char* person,
                                const char* assignment, const char* fte = "1.0") {
  return make_row(FileKind::staff_in_post, {{"snapshot_date", snapshot},
                                            {"org_code", org},
                                            {"person_key", person},
                                            {"assignment_id", assignment},
                                            {"staff_group", "nursing"},
                                            {"role_code", "adult_nurse"},
                                            {"band", "5"},
                                            {"fte", fte},
                                            {"contract_type", "permanent"},
                                            {"org_start_date", "2019-09-02"},
                                            {"birth_year", "1985"},
                                            {"sex", "female"},
                                            {"ethnic_group", "asian"},
                                            {"disability", "no"},
                                            {"nationality_group", "non_eu"},
                                            {"recruitment_source", "international"}});
}

inline SubmissionMeta meta(const std::string& sha, const std::string& source = "sub") {
  SubmissionMeta m;
  m.source = source;
  m.sha256 = sha;
  return m;
}

/// Run a single-value query (counts, pragmas) on a fresh connection.
inline std::string query_text(const std::string& path, const std::string& sql) {
  auto db = sqlite::Connection::open(path);
  EXPECT_TRUE(db.is_ok()) << db.error().message;
  if (!db) return "";
  auto stmt = (*db)->prepare(sql);
  EXPECT_TRUE(stmt.is_ok()) << stmt.error().message;
  if (!stmt) return "";
  auto row = stmt->step();
  EXPECT_TRUE(row.is_ok());
  if (!row.is_ok() || !*row) return "";
  return std::string(stmt->column_text(0));
}

inline int64_t count(const std::string& path, const std::string& table) {
  return std::stoll(query_text(path, "SELECT count(*) FROM " + table));
}

}  // namespace careforce::store::testing
