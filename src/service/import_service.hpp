#pragma once
// The import use case, shared by the CLI and the server: open a submission, validate it
// straight into one store transaction, then commit it or roll it back and record why.

#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "ingest/validator.hpp"
#include "store/store.hpp"

namespace careforce::service {

struct ImportOptions {
  /// Keep the valid rows and quarantine the rest instead of rejecting the submission.
  bool accept_valid_rows = false;
  /// Write every finding to this CSV file as well (empty: no file).
  std::filesystem::path findings_csv;
  /// Fault injection for the crash test: kill the process after this many rows (0: off).
  uint64_t crash_after_rows = 0;

  Status validate() const;
};

enum class ImportOutcome : uint8_t {
  accepted,                  ///< Every row stored.
  accepted_with_quarantine,  ///< Valid rows stored, the others quarantined.
  rejected,                  ///< Nothing stored; the history says why.
  unchanged,                 ///< The same submission was imported before: nothing to do.
};
const char* import_outcome_name(ImportOutcome outcome);

struct ImportResult {
  ImportOutcome outcome = ImportOutcome::rejected;
  int64_t submission_id = 0;  ///< The new submission, or the earlier identical one.
  std::string submission_sha256;
  std::string previously_received_at;  ///< For unchanged: when it was first imported.
  ingest::ValidationReport report;
};

/// Import a submission folder or .zip into `store`, transactionally and idempotently.
Result<ImportResult> import_submission(store::Store& store, const std::filesystem::path& source,
                                       const ImportOptions& options);

/// Validate a submission without storing it. Rows go to a scratch store in a temporary
/// file (so duplicate keys are found with bounded memory), deleted afterwards.
/// Organisations known to `reference` (may be null) count as known.
Result<ingest::ValidationReport> validate_only(const std::filesystem::path& source,
                                               const store::Store* reference,
                                               const ImportOptions& options);

/// Print the outcome in the words a user expects, with up to `max_findings` findings.
std::string describe_import(const ImportResult& result, size_t max_findings);

}  // namespace careforce::service
