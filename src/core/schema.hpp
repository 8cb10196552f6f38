#pragma once
// The data standard (../shared/domain/DATA-STANDARD.md, version 1) declared once.
// Ingest validates against these declarations, the store derives its tables from them,
// and docs/data-standard.md is generated from them.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/codes.hpp"
#include "core/finding.hpp"
#include "core/result.hpp"

namespace careforce {

inline constexpr int kDataStandardVersion = 1;

enum class ColumnType : uint8_t {
  text,            ///< Free text (trimmed); identifiers and names.
  code,            ///< A value from a controlled list (`codes`).
  date,            ///< ISO date that exists.
  month_end_date,  ///< ISO date that is the last day of its month.
  period,          ///< `YYYY-MM`.
  year,            ///< Four-digit calendar year.
  financial_year,  ///< `2023/24`.
  integer,         ///< Whole number.
  decimal,         ///< Number with optional decimals.
};

const char* column_type_name(ColumnType type);

struct ColumnSpec {
  std::string name;
  ColumnType type = ColumnType::text;
  bool required = true;              ///< Blank is an error when true.
  const CodeList* codes = nullptr;   ///< For ColumnType::code.
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool min_exclusive = false;        ///< Range is (min, max] instead of [min, max].
  double warn_above = std::numeric_limits<double>::infinity();  ///< Legal but warned.
  std::string description;
};

/// Which organisations may send a file, by their data_level.
enum class FileLevel : uint8_t { any, record, aggregate };

enum class FileKind : uint8_t {
  organisations,
  staff_in_post,
  leavers,
  absence,
  establishment,
  temporary_staffing,
  pay_costs,
  aggregate_returns,
  population,
  targets,
};
inline constexpr size_t kFileKindCount = 10;

struct FileSpec {
  FileKind kind = FileKind::organisations;
  std::string file_name;   ///< e.g. "staff_in_post.csv".
  std::string table;       ///< e.g. "staff_in_post".
  bool required = false;   ///< Only organisations.csv.
  FileLevel level = FileLevel::any;
  std::vector<ColumnSpec> columns;
  /// Column naming the organisation ("" for population and targets).
  std::string org_column;
  /// Column whose month is the period a resubmission replaces ("" = replace by key).
  std::string period_column;
  /// For files without an organisation: columns that identify a replaceable row.
  std::vector<std::string> replace_key;
  std::string description;

  /// Index of a column by name, or -1.
  int column_index(std::string_view name) const;
};

/// All files of the standard, organisations.csv first.
const std::vector<FileSpec>& data_standard_files();
/// Find a file's declaration by its file name (`staff_in_post.csv`) or nullptr.
const FileSpec* find_file_spec(std::string_view file_name);
const FileSpec& file_spec(FileKind kind);

/// One validated cell: blank, integer, decimal, or text (codes and ISO dates are text).
using Value = std::variant<std::monostate, int64_t, double, std::string>;

/// Where validated rows go. The store implements it; tests implement it in memory.
class RowSink {
 public:
  virtual ~RowSink() = default;
  /// Accept one valid row; `values` follow the FileSpec's column order.
  virtual Status add_row(const FileSpec& file, std::span<const Value> values, uint64_t line) = 0;
  /// Keep a rejected row with its findings (only with --accept-valid-rows).
  virtual Status quarantine_row(const FileSpec& file, uint64_t line, std::string_view raw_row,
                                std::span<const Finding> findings) = 0;
};

}  // namespace careforce
