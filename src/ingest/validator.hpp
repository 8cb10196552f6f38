#pragma once
// Validation of a submission against the data standard (core/schema.hpp). Valid rows go
// to a RowSink; every problem becomes a Finding with file, line, column, value and what
// was expected.

#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "core/finding.hpp"
#include "core/result.hpp"
#include "core/schema.hpp"
#include "ingest/submission.hpp"

namespace careforce::ingest {

/// Organisations already in the store, by org_code.
using KnownOrganisations = std::map<std::string, DataLevel, std::less<>>;
/// Places of the organisations already in the store (targets may name them as place:<p>).
using KnownPlaces = std::set<std::string, std::less<>>;

struct ValidationOptions {
  bool accept_valid_rows = false;    ///< Keep good rows, quarantine bad ones.
  size_t max_findings_kept = 10000;  ///< Findings beyond this are counted, not kept.

  Status validate() const;
};

/// Row counts of one file (the fields of store::FileCounts, plus whether it was present).
struct FileReport {
  std::string file_name;
  std::string sha256;
  bool present = false;
  uint64_t rows_read = 0;
  uint64_t rows_accepted = 0;
  uint64_t rows_rejected = 0;
};

struct ValidationReport {
  std::vector<Finding> findings;           ///< The first max_findings_kept findings.
  uint64_t errors = 0;                     ///< All errors, kept or not.
  uint64_t warnings = 0;                   ///< All warnings, kept or not.
  std::vector<FileReport> files;           ///< One per file of the standard present, in read order.
  std::vector<std::string> organisations;  ///< Valid org_codes of organisations.csv.
  bool privacy_violation = false;          ///< A direct identifier was found (always rejects).
  bool file_errors = false;                ///< A file-level error (always rejects).
  bool rejected = false;                   ///< Nothing of this submission may be kept.
};

/// Validate every file of `submission`, organisations.csv first; valid rows go to `sink`.
Result<ValidationReport> validate_submission(const Submission& submission,
                                             const KnownOrganisations& stored_orgs,
                                             const ValidationOptions& options, RowSink& sink,
                                             const KnownPlaces& stored_places = {});

/// A readable summary: counts per file, then up to `max_lines` findings.
std::string format_report(const ValidationReport& report, size_t max_lines);

/// Write the kept findings as CSV
/// (severity,kind,file,line,column,column_name,value,message,expected).
Status write_findings_csv(const ValidationReport& report, const std::filesystem::path& path);

}  // namespace careforce::ingest
