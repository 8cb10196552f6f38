#pragma once
// The Excel workbook of `careforce export`: one sheet per metric family with numerator,
// denominator and coverage beside every value, the outcomes framework, and the metric
// definitions. Numbers are stored as numbers; header rows are frozen and filterable.

#include <filesystem>
#include <string>

#include "core/date.hpp"
#include "core/result.hpp"
#include "model/workforce_model.hpp"

namespace careforce::xlsx {

struct WorkbookOptions {
  std::filesystem::path path;  ///< The .xlsx file to write.
  std::string at;              ///< Month YYYY-MM; empty = the latest snapshot.
  bool suppress = false;       ///< Apply the disclosure control of METRICS.md.
  double amber_tolerance = 0.10;

  Status validate() const;
};

struct WorkbookSummary {
  Month at;
  size_t sheets = 0;
  size_t rows = 0;  ///< Data rows over all sheets.
};

/// Compute every metric at every scope and staff group and write the workbook.
Result<WorkbookSummary> write_workbook(const model::WorkforceModel& model,
                                       const WorkbookOptions& options);

}  // namespace careforce::xlsx
