#include "ingest/fuzz_entry.hpp"

#include <cstdlib>

#include "ingest/csv_reader.hpp"
#include "ingest/privacy.hpp"
#include "ingest/submission.hpp"
#include "ingest/validator.hpp"

namespace careforce::ingest {

namespace {

// An invariant broke: stop so the fuzzer records the input.
void require(bool condition) {
  if (!condition) std::abort();
}

class CountingSink : public RowSink {
 public:
  Status add_row(const FileSpec& file, std::span<const Value> values, uint64_t) override {
    require(values.size() == file.columns.size());
    ++rows_;
    if (rows_ % 7 == 0) return make_error(ErrorCode::conflict, "duplicate row (fuzz sink)");
    return Status::ok();
  }
  Status quarantine_row(const FileSpec&, uint64_t, std::string_view raw,
                        std::span<const Finding> findings) override {
    require(!findings.empty());
    (void)raw;
    return Status::ok();
  }

 private:
  uint64_t rows_ = 0;
};

constexpr std::string_view kOrganisations =
    "org_code,org_name,sector,place,data_level\n"
    "RWH,Riverside Hospital,acute,Riverside,record\n"
    "GP1,Hill Surgery,primary_care,Hilltown,aggregate\n";

}  // namespace

void fuzz_csv_reader(std::string_view data) {
  if (data.empty()) return;
  const size_t chunk = static_cast<unsigned char>(data[0]) % 17 + 1;
  data.remove_prefix(1);
  MemoryStream in(data, chunk);
  CsvOptions options;
  options.max_record_bytes = 1024;
  CsvReader reader(in, "fuzz.csv", options);
  uint64_t last_line = 0;
  for (int records = 0; records < 100000; ++records) {
    auto more = reader.next();
    if (!more.is_ok() || !*more) break;
    require(reader.line() > last_line);
    last_line = reader.line();
    require(reader.raw().size() <= data.size());
    size_t bytes = 0;
    for (std::string_view field : reader.fields()) bytes += field.size();
    require(bytes <= reader.raw().size());
    for (const Finding& f : reader.findings()) {
      require(f.line >= reader.line());
      require(f.column >= 1 && f.column <= reader.size() + 1);
    }
  }
}

void fuzz_row_validator(std::string_view data) {
  if (data.empty()) return;
  const auto& files = data_standard_files();
  const unsigned char selector = static_cast<unsigned char>(data[0]);
  const FileSpec& spec = files[(selector & 0x7F) % files.size()];
  data.remove_prefix(1);
  std::map<std::string, std::string, std::less<>> contents;
  if (spec.kind != FileKind::organisations) contents["organisations.csv"] = kOrganisations;
  contents[spec.file_name] = std::string(data);
  const Submission submission = memory_submission(std::move(contents));
  KnownOrganisations stored{{"STORED1", DataLevel::record}};
  ValidationOptions options;
  options.accept_valid_rows = (selector & 0x80) != 0;
  options.max_findings_kept = 50;
  CountingSink sink;
  auto report = validate_submission(submission, stored, options, sink);
  require(report.is_ok());
  require(report->findings.size() <= 50);
  for (const Finding& f : report->findings) {
    // No identifier may leak into a finding.
    require(!looks_like_ni_number(f.value) && !looks_like_nhs_number(f.value) &&
            !looks_like_email(f.value) && !looks_like_phone_number(f.value));
    (void)f.format();
  }
  (void)format_report(*report, 20);
}

}  // namespace careforce::ingest
