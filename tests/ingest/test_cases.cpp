// Data-driven validation cases: tests/cases/broken/<NN-name>/ holds a submission with one
// defect and expected.txt with the exact error lines; tests/cases/valid/<name>/ must pass
// with zero errors (expected.txt, when present, lists the warnings).
// CAREFORCE_UPDATE_EXPECTED=1 rewrites expected.txt from the current output (review the diff!).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/memory_sink.hpp"
#include "ingest/validator.hpp"

namespace careforce::ingest {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<fs::path> case_folders(const char* kind) {
  std::vector<fs::path> out;
  for (const auto& e :
       fs::directory_iterator(fs::path(CAREFORCE_SOURCE_DIR) / "tests/cases" / kind))
    if (e.is_directory()) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const ValidationReport& report, Severity severity) {
  std::vector<std::string> out;
  for (const auto& f : report.findings)
    if (f.severity == severity) out.push_back(f.format());
  return out;
}

void maybe_update(const fs::path& folder, const std::vector<std::string>& lines) {
  if (!std::getenv("CAREFORCE_UPDATE_EXPECTED")) return;
  std::ofstream out(folder / "expected.txt");
  for (const auto& l : lines) out << l << "\n";
}

TEST(ValidationCases, BrokenSubmissionsReportExactlyTheirDefect) {
  const auto folders = case_folders("broken");
  ASSERT_GE(folders.size(), 30u);
  for (const auto& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    auto submission = open_submission(folder);
    ASSERT_TRUE(submission.is_ok()) << submission.error().message;
    testing::MemorySink sink;
    auto report = validate_submission(*submission, {}, {}, sink);
    ASSERT_TRUE(report.is_ok()) << report.error().message;
    const auto errors = lines_of(*report, Severity::error);
    maybe_update(folder, errors);
    EXPECT_EQ(errors, read_lines(folder / "expected.txt"));
    EXPECT_TRUE(report->rejected);
  }
}

TEST(ValidationCases, ValidSubmissionsPassWithoutErrors) {
  const auto folders = case_folders("valid");
  ASSERT_GE(folders.size(), 7u);
  for (const auto& folder : folders) {
    SCOPED_TRACE(folder.filename().string());
    auto submission = open_submission(folder);
    ASSERT_TRUE(submission.is_ok()) << submission.error().message;
    testing::MemorySink sink;
    auto report = validate_submission(*submission, {}, {}, sink);
    ASSERT_TRUE(report.is_ok()) << report.error().message;
    EXPECT_EQ(report->errors, 0u) << format_report(*report, 20);
    EXPECT_FALSE(report->rejected);
    const auto warnings = lines_of(*report, Severity::warning);
    if (fs::exists(folder / "expected.txt") || !warnings.empty()) maybe_update(folder, warnings);
    const auto expected = fs::exists(folder / "expected.txt") ? read_lines(folder / "expected.txt")
                                                              : std::vector<std::string>{};
    EXPECT_EQ(warnings, expected);
    uint64_t accepted = 0;
    for (const auto& f : report->files) {
      EXPECT_EQ(f.rows_rejected, 0u) << f.file_name;
      accepted += f.rows_accepted;
    }
    EXPECT_EQ(accepted, sink.rows.size());
  }
}

// Every valid variant of the full submission yields the same rows as the plain one.
TEST(ValidationCases, VariantsOfTheFullSubmissionYieldTheSameRows) {
  const fs::path base = fs::path(CAREFORCE_SOURCE_DIR) / "tests/cases/valid";
  auto rows_of = [&](const char* name) {
    auto submission = open_submission(base / name);
    EXPECT_TRUE(submission.is_ok());
    testing::MemorySink sink;
    auto report = validate_submission(*submission, {}, {}, sink);
    EXPECT_TRUE(report.is_ok());
    std::vector<std::pair<std::string, std::vector<Value>>> out;
    for (auto& r : sink.rows)
      if (r.file != "organisations.csv") out.emplace_back(r.file, r.values);
    return out;
  };
  const auto plain = rows_of("all-files");
  EXPECT_EQ(plain.size(), 17u);
  for (const char* variant : {"crlf-line-endings", "utf8-bom", "reordered-columns",
                              "every-field-quoted", "extra-unknown-column"})
    EXPECT_EQ(rows_of(variant), plain) << variant;
}

}  // namespace
}  // namespace careforce::ingest
