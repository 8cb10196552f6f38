#pragma once
// The national-benchmark use cases shared by the CLI and the server: import published files
// into the store (validated, all or nothing, idempotent) and load them back as a set.

#include <cstdint>
#include <string>

#include "benchmarks/benchmark_set.hpp"
#include "benchmarks/reader.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace careforce::service {

struct BenchmarkImportOptions {
  /// Findings kept in the report and the store; later ones are counted only.
  size_t max_findings = 1000;

  Status validate() const;
};

enum class BenchmarkImportOutcome : uint8_t {
  accepted,   ///< Every series stored.
  rejected,   ///< Nothing stored; the history keeps the findings.
  unchanged,  ///< The same files were imported before: nothing to do.
};
const char* benchmark_outcome_name(BenchmarkImportOutcome outcome);

struct BenchmarkImportResult {
  BenchmarkImportOutcome outcome = BenchmarkImportOutcome::rejected;
  int64_t import_id = 0;  ///< The new import, or the earlier identical one.
  std::string sha256;
  std::string previously_received_at;  ///< For unchanged: when it was first imported.
  benchmarks::ImportReport report;     ///< Empty for unchanged (the files were not read).
};

/// Return the hex SHA-256 over the `.csv` files of `path` (relative names and contents).
Result<std::string> benchmark_files_sha256(const std::string& path);

/// Import a published file or folder into `store` as benchmark series.
Result<BenchmarkImportResult> import_benchmarks(store::Store& store, const std::string& path,
                                                const BenchmarkImportOptions& options);

/// Load every stored benchmark series (exact decimals round-trip through their text).
Result<benchmarks::BenchmarkSet> load_benchmark_set(const store::Store& store);

/// Convert a series to the store's row and back.
store::BenchmarkRow to_row(const benchmarks::Series& series);
Result<benchmarks::Series> from_row(const store::BenchmarkRow& row);

/// Print the outcome in the words a user expects, with up to `max_findings` findings.
std::string describe_benchmark_import(const BenchmarkImportResult& result, size_t max_findings);

}  // namespace careforce::service
