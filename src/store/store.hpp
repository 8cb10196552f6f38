#pragma once
// The store seam: one interface, SQLite now (store/sqlite/), PostgreSQL later.
// Metrics and projection never see this header's implementations: they get a
// model::WorkforceModel from load_model().

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/result.hpp"
#include "core/schema.hpp"
#include "model/workforce_model.hpp"

namespace careforce::store {

/// What the import pipeline knows about a submission before it writes anything.
struct SubmissionMeta {
  std::string source;  ///< Path of the folder or zip as given by the user.
  std::string sha256;  ///< Hash over the submission's files (names and contents), sorted.
  std::vector<std::pair<std::string, std::string>> file_hashes;  ///< (file name, sha256).
  bool accept_valid_rows = false;
};

enum class SubmissionOutcome : uint8_t {
  accepted,                  ///< Every row accepted.
  accepted_with_quarantine,  ///< --accept-valid-rows: good rows kept, the rest quarantined.
  rejected,                  ///< Nothing written.
};
const char* outcome_name(SubmissionOutcome outcome);
/// Parse a name written by outcome_name().
std::optional<SubmissionOutcome> parse_outcome(std::string_view name);

struct FileCounts {
  std::string file_name;
  std::string sha256;
  uint64_t rows_read = 0;
  uint64_t rows_accepted = 0;
  uint64_t rows_rejected = 0;
};

/// One line of the submission history.
struct SubmissionRecord {
  int64_t id = 0;
  std::string received_at;  ///< UTC, ISO 8601.
  std::string source;
  std::string sha256;
  SubmissionOutcome outcome = SubmissionOutcome::rejected;
  uint64_t errors = 0;
  uint64_t warnings = 0;
  uint64_t findings_stored = 0;  ///< Findings kept in the store (capped); the counts cover all.
  std::vector<FileCounts> files;
  std::vector<std::string> organisations;  ///< Org codes the submission touched.
};

struct QuarantinedRow {
  int64_t submission_id = 0;
  std::string file_name;
  uint64_t line = 0;
  std::string raw_row;
  std::vector<Finding> findings;
};

/// A write transaction for one submission. Rows go in through RowSink; nothing is visible
/// to readers until commit(); destroying it without commit() rolls back. A process killed
/// mid-way leaves the store as it was.
class ImportSession : public RowSink {
 public:
  /// Id the submission will have once committed (rows carry it as their origin).
  virtual int64_t submission_id() const = 0;
  /// Make the submission's rows, history entry, findings and quarantine durable.
  virtual Status commit(SubmissionOutcome outcome, std::span<const FileCounts> files,
                        std::span<const Finding> findings) = 0;
  virtual void rollback() = 0;
};

struct KnownOrganisation {
  Sector sector = Sector::other;
  DataLevel level = DataLevel::record;
  std::string place;  ///< The place it mainly serves (targets may name it).
};

/// One published benchmark figure as stored (`benchmark_series`): plain text, so the store
/// needs no knowledge of the benchmarks module. Numbers are exact decimal text, never REAL.
struct BenchmarkRow {
  std::string publication;
  std::string metric;
  std::string period;        ///< `YYYY-MM`.
  std::string window_start;  ///< `YYYY-MM`.
  std::string period_label;  ///< As published.
  std::string level = "organisation";
  std::string org_code;
  std::string org_name;
  std::string org_type;
  std::string cluster;
  std::string region_code;
  std::string region_name;
  std::string ics_code;
  std::string ics_name;
  std::string staff_group;
  std::string numerator;                   ///< Exact decimal text.
  std::optional<std::string> denominator;  ///< nullopt for counts.
  std::string published_value;             ///< Publisher's text, "" when not published.
  std::string source_file;
  uint64_t source_line = 0;
  int64_t import_id = 0;  ///< Set by the store.
};

/// One file read by a benchmark import (`benchmark_file`).
struct BenchmarkFileRecord {
  std::string path;
  std::string publication;  ///< "" when skipped or not recognised.
  uint64_t rows_read = 0;
  uint64_t series = 0;
  bool skipped = false;
};

/// One line of the benchmark import history (`benchmark_import`).
struct BenchmarkImportRecord {
  int64_t id = 0;           ///< Set by the store.
  std::string received_at;  ///< UTC, ISO 8601; set by the store.
  std::string source;       ///< Path given by the user.
  std::string sha256;       ///< Over the files' names and contents.
  bool accepted = false;    ///< false: rejected, no series stored.
  uint64_t errors = 0;
  uint64_t warnings = 0;
  uint64_t series = 0;           ///< Series stored by this import.
  uint64_t findings_stored = 0;  ///< Set by the store (capped at kStoredFindingsLimit).
  std::vector<BenchmarkFileRecord> files;
};

/// Stored series of one publication and metric (for `benchmarks list`).
struct BenchmarkSeriesSummary {
  std::string publication;
  std::string metric;
  std::string first_period;  ///< `YYYY-MM`.
  std::string last_period;
  uint64_t periods = 0;
  uint64_t organisations = 0;
  uint64_t series = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  /// The schema version the database is at (after migrations).
  virtual int schema_version() const = 0;
  /// Organisations already stored, by code (the validator accepts references to them).
  virtual Result<std::map<std::string, KnownOrganisation>> organisations() const = 0;
  /// A committed submission with this hash, if any (imports are idempotent).
  virtual Result<std::optional<SubmissionRecord>> find_submission(
      const std::string& sha256) const = 0;
  /// Open a write transaction. A resubmission for an organisation and period replaces
  /// that organisation's rows of that file for those periods (docs/data-standard.md).
  virtual Result<std::unique_ptr<ImportSession>> begin_import(const SubmissionMeta& meta) = 0;
  /// Record a rejected submission in the history (its rows were never written).
  virtual Status record_rejected(const SubmissionMeta& meta, std::span<const FileCounts> files,
                                 std::span<const Finding> findings) = 0;

  virtual Result<std::vector<SubmissionRecord>> submissions() const = 0;
  /// Findings stored for a submission (the first `limit`).
  virtual Result<std::vector<Finding>> findings(int64_t submission_id, size_t limit) const = 0;
  virtual Result<std::vector<QuarantinedRow>> quarantine(std::optional<int64_t> submission_id,
                                                         size_t limit) const = 0;
  /// UTC time of the last committed import, or "" when there is none.
  virtual Result<std::string> last_import_time() const = 0;

  /// Build the in-memory columnar model from every stored row (finalized).
  virtual Result<model::WorkforceModel> load_model() const = 0;

  // National benchmarks: published series kept apart from partners' submissions.

  /// An accepted benchmark import with this hash, if any (benchmark imports are idempotent).
  virtual Result<std::optional<BenchmarkImportRecord>> find_benchmark_import(
      const std::string& sha256) const = 0;
  /// Store an accepted import in one transaction: its history line, files and findings, and
  /// every row (INSERT OR REPLACE by metric, period, org_code, staff_group). Returns its id.
  virtual Result<int64_t> store_benchmark_import(const BenchmarkImportRecord& record,
                                                 std::span<const BenchmarkRow> rows,
                                                 std::span<const Finding> findings) = 0;
  /// Record a rejected benchmark import (history, files and findings; no series).
  virtual Result<int64_t> record_rejected_benchmark_import(const BenchmarkImportRecord& record,
                                                           std::span<const Finding> findings) = 0;
  /// The benchmark import history, oldest first.
  virtual Result<std::vector<BenchmarkImportRecord>> benchmark_imports() const = 0;
  /// Findings stored for a benchmark import (the first `limit`).
  virtual Result<std::vector<Finding>> benchmark_findings(int64_t import_id,
                                                          size_t limit) const = 0;
  /// Every stored benchmark row, ordered by key.
  virtual Result<std::vector<BenchmarkRow>> benchmark_rows() const = 0;
  /// Stored series counted by publication and metric.
  virtual Result<std::vector<BenchmarkSeriesSummary>> benchmark_summary() const = 0;
};

/// How a store connection is tuned (defaults suit an import of tens of millions of rows).
struct StoreOptions {
  int cache_size_mib = 64;      ///< Page cache per connection; an import spills beyond it.
  int busy_timeout_ms = 10000;  ///< How long to wait for another writer before failing.
  Status validate() const;
};

/// Open (creating if needed) a store. `location` is a SQLite file path; a future
/// `postgresql://` URL selects another backend.
Result<std::unique_ptr<Store>> open_store(const std::string& location,
                                          const StoreOptions& options = {});

}  // namespace careforce::store
