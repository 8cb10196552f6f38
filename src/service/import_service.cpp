#include "service/import_service.hpp"

#include <fmt/core.h>
#include <unistd.h>

#include <csignal>
#include <random>

namespace careforce::service {
namespace {

/// Passes rows to the store; kills the process after N rows when asked (crash test).
class CrashingSink : public RowSink {
 public:
  CrashingSink(RowSink& inner, uint64_t crash_after) : inner_(inner), crash_after_(crash_after) {}

  Status add_row(const FileSpec& file, std::span<const Value> values, uint64_t line) override {
    if (crash_after_ > 0 && ++rows_ >= crash_after_) ::raise(SIGKILL);
    return inner_.add_row(file, values, line);
  }
  Status quarantine_row(const FileSpec& file, uint64_t line, std::string_view raw_row,
                        std::span<const Finding> findings) override {
    return inner_.quarantine_row(file, line, raw_row, findings);
  }

 private:
  RowSink& inner_;
  uint64_t crash_after_;
  uint64_t rows_ = 0;
};

uint64_t rejected_rows(const ingest::ValidationReport& report) {
  uint64_t rows = 0;
  for (const auto& f : report.files) rows += f.rows_rejected;
  return rows;
}

std::vector<store::FileCounts> file_counts(const ingest::ValidationReport& report) {
  std::vector<store::FileCounts> out;
  for (const auto& f : report.files)
    if (f.present)
      out.push_back({f.file_name, f.sha256, f.rows_read, f.rows_accepted, f.rows_rejected});
  return out;
}

store::SubmissionMeta make_meta(const ingest::Submission& submission,
                                const std::filesystem::path& source,
                                const ImportOptions& options) {
  store::SubmissionMeta meta;
  meta.source = source.string();
  meta.sha256 = submission.sha256;
  meta.file_hashes = submission.file_hashes();
  meta.accept_valid_rows = options.accept_valid_rows;
  return meta;
}

/// What the store already holds that a submission may refer to.
struct Known {
  ingest::KnownOrganisations organisations;
  ingest::KnownPlaces places;
};

Result<Known> known_organisations(const store::Store* store) {
  Known known;
  if (!store) return known;
  CF_ASSIGN_OR_RETURN(auto stored, store->organisations());
  for (const auto& [code, org] : stored) {
    known.organisations.emplace(code, org.level);
    if (!org.place.empty()) known.places.insert(org.place);
  }
  return known;
}

/// Validate into an open session; commit or roll back. Returns the report.
Result<ingest::ValidationReport> run_session(store::ImportSession& session,
                                             const ingest::Submission& submission,
                                             const Known& known, const ImportOptions& options) {
  ingest::ValidationOptions validation;
  validation.accept_valid_rows = options.accept_valid_rows;
  CF_RETURN_IF_ERROR(validation.validate());
  CrashingSink sink(session, options.crash_after_rows);
  auto report =
      ingest::validate_submission(submission, known.organisations, validation, sink, known.places);
  if (!report) session.rollback();
  return report;
}

}  // namespace

Status ImportOptions::validate() const {
  if (!findings_csv.empty() && findings_csv.filename().empty())
    return make_error(ErrorCode::invalid_argument, "--report must name a file");
  return Status::ok();
}

const char* import_outcome_name(ImportOutcome outcome) {
  switch (outcome) {
    case ImportOutcome::accepted: return "accepted";
    case ImportOutcome::accepted_with_quarantine: return "accepted_with_quarantine";
    case ImportOutcome::rejected: return "rejected";
    case ImportOutcome::unchanged: return "unchanged";
  }
  return "rejected";
}

Result<ImportResult> import_submission(store::Store& store, const std::filesystem::path& source,
                                       const ImportOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(auto submission, ingest::open_submission(source));
  ImportResult result;
  result.submission_sha256 = submission.sha256;

  CF_ASSIGN_OR_RETURN(auto previous, store.find_submission(submission.sha256));
  if (previous) {
    // Unchanged only while nothing was committed after it: a submission sent again after a
    // later one (to undo a correction, say) is imported again, and replaces as it did.
    CF_ASSIGN_OR_RETURN(auto history, store.submissions());
    for (const auto& later : history)
      if (later.id > previous->id && later.outcome != store::SubmissionOutcome::rejected)
        previous.reset();
  }
  if (previous) {
    result.outcome = ImportOutcome::unchanged;
    result.submission_id = previous->id;
    result.previously_received_at = previous->received_at;
    return result;
  }

  CF_ASSIGN_OR_RETURN(auto known, known_organisations(&store));
  const auto meta = make_meta(submission, source, options);
  CF_ASSIGN_OR_RETURN(auto session, store.begin_import(meta));
  CF_ASSIGN_OR_RETURN(result.report, run_session(*session, submission, known, options));
  auto& report = result.report;
  // (Listing findings, such as unknown files, are already the report's first findings.)
  const auto counts = file_counts(report);

  if (report.rejected) {
    session->rollback();
    CF_RETURN_IF_ERROR(store.record_rejected(meta, counts, report.findings));
    result.outcome = ImportOutcome::rejected;
  } else {
    result.outcome = report.errors > 0 ? ImportOutcome::accepted_with_quarantine
                                       : ImportOutcome::accepted;
    CF_RETURN_IF_ERROR(session->commit(result.outcome == ImportOutcome::accepted
                                           ? store::SubmissionOutcome::accepted
                                           : store::SubmissionOutcome::accepted_with_quarantine,
                                       counts, report.findings));
    result.submission_id = session->submission_id();
  }
  if (!options.findings_csv.empty())
    CF_RETURN_IF_ERROR(ingest::write_findings_csv(report, options.findings_csv));
  return result;
}

Result<ingest::ValidationReport> validate_only(const std::filesystem::path& source,
                                               const store::Store* reference,
                                               const ImportOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(auto submission, ingest::open_submission(source));
  CF_ASSIGN_OR_RETURN(auto known, known_organisations(reference));

  std::random_device entropy;
  const auto scratch = std::filesystem::temp_directory_path() /
                       fmt::format("careforce-validate-{}-{:x}.db", ::getpid(), entropy());
  struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() {
      std::error_code ignored;
      for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        std::filesystem::remove(path.string() + suffix, ignored);
    }
  } cleanup{scratch};

  Result<ingest::ValidationReport> report = make_error(ErrorCode::internal, "not run");
  {
    CF_ASSIGN_OR_RETURN(auto store, store::open_store(scratch.string()));
    CF_ASSIGN_OR_RETURN(auto session, store->begin_import(make_meta(submission, source, options)));
    report = run_session(*session, submission, known, options);
    if (report) session->rollback();
  }
  if (!report) return report;
  if (!options.findings_csv.empty())
    CF_RETURN_IF_ERROR(ingest::write_findings_csv(*report, options.findings_csv));
  return report;
}

std::string describe_import(const ImportResult& result, size_t max_findings) {
  switch (result.outcome) {
    case ImportOutcome::unchanged:
      return fmt::format(
          "Unchanged: this submission (sha256 {}) was already imported as submission {} on {}. "
          "Nothing was changed.\n",
          result.submission_sha256.substr(0, 12), result.submission_id,
          result.previously_received_at);
    case ImportOutcome::rejected:
      return ingest::format_report(result.report, max_findings) +
             "\nRejected: nothing was stored. Fix the errors above and import again.\n";
    case ImportOutcome::accepted:
      return ingest::format_report(result.report, max_findings) +
             fmt::format("\nAccepted as submission {}.\n", result.submission_id);
    case ImportOutcome::accepted_with_quarantine:
      return ingest::format_report(result.report, max_findings) +
             fmt::format(
                 "\nAccepted as submission {} with {} rejected row(s) quarantined "
                 "(list them with: careforce quarantine --db <file> --submission {}).\n",
                 result.submission_id, rejected_rows(result.report), result.submission_id);
  }
  return {};
}

}  // namespace careforce::service
