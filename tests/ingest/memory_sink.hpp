#pragma once
// An in-memory RowSink for tests: keeps rows and quarantined rows, and refuses a second
// staff_in_post row for the same (org_code, snapshot_date, assignment_id), as the store does.

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "core/schema.hpp"

namespace careforce::ingest::testing {

class MemorySink : public RowSink {
 public:
  struct Row {
    std::string file;
    uint64_t line = 0;
    std::vector<Value> values;
  };
  struct Quarantined {
    std::string file;
    uint64_t line = 0;
    std::string raw;
    std::vector<Finding> findings;
  };

  Status add_row(const FileSpec& file, std::span<const Value> values, uint64_t line) override {
    if (file.kind == FileKind::staff_in_post) {
      auto key = std::make_tuple(std::get<std::string>(values[1]), std::get<std::string>(values[0]),
                                 std::get<std::string>(values[3]));
      // The same words as the store's unique key (store/sqlite/sqlite_store.cpp).
      auto [it, inserted] = assignments_.emplace(key, line);
      if (!inserted)
        return make_error(ErrorCode::conflict,
                          "duplicate row: (org_code, snapshot_date, assignment_id) = (" +
                              std::get<0>(key) + ", " + std::get<1>(key) + ", " +
                              std::get<2>(key) + ") appears more than once, first on line " +
                              std::to_string(it->second));
    }
    rows.push_back({file.file_name, line, {values.begin(), values.end()}});
    return Status::ok();
  }
  Status quarantine_row(const FileSpec& file, uint64_t line, std::string_view raw,
                        std::span<const Finding> findings) override {
    quarantined.push_back(
        {file.file_name, line, std::string(raw), {findings.begin(), findings.end()}});
    return Status::ok();
  }

  size_t count(std::string_view file) const {
    size_t n = 0;
    for (const auto& r : rows) n += r.file == file;
    return n;
  }

  std::vector<Row> rows;
  std::vector<Quarantined> quarantined;

 private:
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> assignments_;
};

}  // namespace careforce::ingest::testing
