#pragma once
// Streaming reader for published NHS Digital files: recognises the publication from its
// header, validates every row against the declared layout (findings with file:line:column)
// and turns rows into benchmark series. Imports are all or nothing.

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "benchmarks/benchmark_set.hpp"
#include "core/finding.hpp"
#include "core/result.hpp"

namespace careforce::benchmarks {

struct ImportOptions {
  /// Findings kept in the report; later ones are counted but not kept.
  size_t max_findings = 1000;
  /// Warn when a published rate is not its own numerator / denominator rounded the
  /// publisher's way (the publication is still accepted).
  bool check_published_values = true;

  Status validate() const;
};

struct ImportedFile {
  std::string path;
  std::string publication;  ///< "" when the file was not recognised.
  uint64_t rows = 0;        ///< Data rows read (header excluded).
  uint64_t series = 0;      ///< Series the file produced.
  uint64_t errors = 0;
  bool skipped = false;  ///< A folder's file whose header is no declared publication.
};

struct ImportReport {
  std::vector<ImportedFile> files;
  std::vector<Finding> findings;  ///< The first ImportOptions::max_findings.
  std::vector<Series> series;
  uint64_t errors = 0;
  uint64_t warnings = 0;

  bool ok() const { return errors == 0; }
};

/// Read one published file from a stream; `file_name` names it in findings. A header that
/// matches no declared layout is an error unless `skip_unknown` (then a warning).
ImportReport read_publication(std::istream& in, const std::string& file_name,
                              const ImportOptions& options = {}, bool skip_unknown = false);

/// The `.csv` files `read_publications()` reads: `path` itself when it is a file, else every
/// `.csv` in the folder and its subfolders as paths relative to it ('/'-separated), sorted.
Result<std::vector<std::string>> publication_files(const std::string& path);

/// Read a file, or every `.csv` in a folder and its subfolders (by relative path; files of
/// no declared publication are skipped with a warning). Fails only when the path cannot be
/// read.
Result<ImportReport> read_publications(const std::string& path, const ImportOptions& options = {});

/// Read `path` and add its series to `set` only if no file had an error (all or nothing).
/// Importing the same publication again replaces its series with identical ones.
Result<ImportReport> import_publications(const std::string& path, BenchmarkSet& set,
                                         const ImportOptions& options = {});

/// Summarise an import for `benchmarks import`: one line per file, the findings, a verdict.
std::string format_import_report(const ImportReport& report, size_t max_findings = 50);

}  // namespace careforce::benchmarks
