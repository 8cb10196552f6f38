#include "ingest/validator.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/memory_sink.hpp"

namespace careforce::ingest {
namespace {

const std::string kOrgs =
    "org_code,org_name,sector,place,data_level\n"
    "RWH,Riverside Hospital,acute,Riverside,record\n";
const std::string kSipHeader =
    "snapshot_date,org_code,person_key,assignment_id,staff_group,role_code,band,fte,"
    "contract_type,org_start_date,birth_year,sex,ethnic_group,disability,nationality_group,"
    "recruitment_source\n";
const std::string kSipRow =
    "2024-03-31,RWH,pk001,A1,nursing,adult_nurse,5,1.0,permanent,2019-04-01,1985,female,white,"
    "no,uk,newly_qualified\n";

struct Run {
  ValidationReport report;
  testing::MemorySink sink;
};

Run run(std::map<std::string, std::string, std::less<>> files, ValidationOptions options = {},
        KnownOrganisations stored = {}) {
  Run r;
  auto report = validate_submission(memory_submission(std::move(files)), stored, options, r.sink);
  EXPECT_TRUE(report.is_ok()) << report.error().message;
  if (report.is_ok()) r.report = std::move(*report);
  return r;
}

std::vector<std::string> formatted(const ValidationReport& report) {
  std::vector<std::string> out;
  for (const auto& f : report.findings) out.push_back(f.format());
  return out;
}

TEST(Validator, PassesTypedValuesToTheSinkInColumnOrder) {
  // Columns reordered, header names quoted and padded.
  auto r = run({{"organisations.csv", kOrgs},
                {"staff_in_post.csv",
                 "\" fte \",snapshot_date,org_code,person_key,assignment_id,staff_group,role_code,"
                 "band,contract_type,org_start_date,birth_year,sex,ethnic_group,disability,"
                 "nationality_group,recruitment_source\n"
                 "0.8,2024-03-31,RWH,pk001,A1,nursing,adult_nurse,5,permanent,2019-04-01,1985,"
                 "female,white,no,uk,newly_qualified\n"}});
  EXPECT_EQ(r.report.errors, 0u) << format_report(r.report, 10);
  ASSERT_EQ(r.sink.rows.size(), 2u);
  const auto& v = r.sink.rows[1].values;
  ASSERT_EQ(v.size(), file_spec(FileKind::staff_in_post).columns.size());
  EXPECT_EQ(std::get<std::string>(v[0]), "2024-03-31");
  EXPECT_EQ(std::get<double>(v[7]), 0.8);
  EXPECT_EQ(std::get<int64_t>(v[10]), 1985);
  EXPECT_EQ(r.sink.rows[1].line, 2u);
  EXPECT_EQ(r.report.organisations, std::vector<std::string>{"RWH"});
}

TEST(Validator, WarnsAboutFteAboveOne) {
  std::string row = kSipRow;
  row.replace(row.find(",1.0,"), 5, ",1.2,");
  auto r = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", kSipHeader + row}});
  EXPECT_EQ(r.report.errors, 0u);
  EXPECT_FALSE(r.report.rejected);
  EXPECT_EQ(formatted(r.report),
            std::vector<std::string>{"staff_in_post.csv:2:8: warning: '1.2' is above 1 (allowed "
                                     "but unusual) (column 'fte'); expected at most 1 in most "
                                     "cases"});
  EXPECT_EQ(r.sink.count("staff_in_post.csv"), 1u);
}

TEST(Validator, AcceptsReferencesToStoredOrganisations) {
  std::string row = kSipRow;
  row.replace(row.find("RWH"), 3, "OLD");
  auto r = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", kSipHeader + row}}, {},
               {{"OLD", DataLevel::record}});
  EXPECT_EQ(r.report.errors, 0u) << format_report(r.report, 10);
  auto agg = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", kSipHeader + row}}, {},
                 {{"OLD", DataLevel::aggregate}});
  EXPECT_EQ(agg.report.errors, 1u);
  EXPECT_EQ(agg.report.findings.at(0).kind, "wrong_data_level");
}

TEST(Validator, RejectsOnAnyErrorUnlessValidRowsAreAccepted) {
  std::string bad = kSipRow;
  bad.replace(bad.find("A1"), 2, "A2");
  bad.replace(bad.find(",5,"), 3, ",8E,");
  const std::string text = kSipHeader + kSipRow + bad;
  auto strict = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", text}});
  EXPECT_TRUE(strict.report.rejected);
  EXPECT_TRUE(strict.sink.quarantined.empty());

  ValidationOptions lenient;
  lenient.accept_valid_rows = true;
  auto r = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", text}}, lenient);
  EXPECT_FALSE(r.report.rejected);
  EXPECT_EQ(r.report.errors, 1u);
  EXPECT_EQ(r.sink.count("staff_in_post.csv"), 1u);
  ASSERT_EQ(r.sink.quarantined.size(), 1u);
  EXPECT_EQ(r.sink.quarantined[0].line, 3u);
  EXPECT_EQ(r.sink.quarantined[0].raw + "\n", bad);
  ASSERT_EQ(r.sink.quarantined[0].findings.size(), 1u);
  EXPECT_EQ(r.sink.quarantined[0].findings[0].kind, "unknown_code");
  const FileReport& counts = r.report.files.at(1);
  EXPECT_EQ(counts.file_name, "staff_in_post.csv");
  EXPECT_EQ(counts.rows_read, 2u);
  EXPECT_EQ(counts.rows_accepted, 1u);
  EXPECT_EQ(counts.rows_rejected, 1u);
}

TEST(Validator, PrivacyRejectsEvenWithAcceptValidRowsAndMasksTheIdentifier) {
  std::string row = kSipRow;
  row.replace(row.find("pk001"), 5, "AB123456C");
  row.replace(row.find(",5,"), 3, ",AB123456C,");  // also in a code column: still masked
  ValidationOptions lenient;
  lenient.accept_valid_rows = true;
  auto r = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", kSipHeader + row}}, lenient);
  EXPECT_TRUE(r.report.rejected);
  EXPECT_TRUE(r.report.privacy_violation);
  for (const auto& f : r.report.findings) {
    EXPECT_EQ(f.value.find("123456"), std::string::npos) << f.format();
    EXPECT_EQ(f.message.find("123456"), std::string::npos) << f.format();
  }
  EXPECT_EQ(r.report.findings.at(0).format(),
            "staff_in_post.csv:2:3: error: value looks like a National Insurance number; direct "
            "identifiers must never be submitted (column 'person_key'); expected a pseudonymous "
            "person_key, never an NHS or NI number");
  EXPECT_EQ(r.report.findings.at(0).value, "AB****");
  ASSERT_EQ(r.sink.quarantined.size(), 1u);
  EXPECT_EQ(r.sink.quarantined[0].raw.find("123456"), std::string::npos);
  EXPECT_NE(r.sink.quarantined[0].raw.find(",AB****,A1,"), std::string::npos);
}

TEST(Validator, TurnsSinkConflictsIntoFindingsAndAbortsOnOtherSinkErrors) {
  auto r =
      run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", kSipHeader + kSipRow + kSipRow}});
  EXPECT_EQ(formatted(r.report),
            std::vector<std::string>{
                "staff_in_post.csv:3: error: duplicate row: (org_code, snapshot_date, "
                "assignment_id) = (RWH, 2024-03-31, A1) appears more than once, first on "
                "line 2; expected each row once"});

  class FailingSink : public testing::MemorySink {
    Status add_row(const FileSpec&, std::span<const Value>, uint64_t) override {
      return make_error(ErrorCode::store_error, "disk full");
    }
  } failing;
  auto report =
      validate_submission(memory_submission({{"organisations.csv", kOrgs}}), {}, {}, failing);
  ASSERT_FALSE(report.is_ok());
  EXPECT_EQ(report.error().message, "disk full");
}

TEST(Validator, KeepsAtMostMaxFindingsButCountsThemAll) {
  std::string text = kSipHeader;
  for (int i = 0; i < 20; ++i) {
    std::string row = kSipRow;
    row.replace(row.find("A1"), 2, "A" + std::to_string(i + 10));
    row.replace(row.find(",5,"), 3, ",X,");
    text += row;
  }
  ValidationOptions options;
  options.max_findings_kept = 5;
  auto r = run({{"organisations.csv", kOrgs}, {"staff_in_post.csv", text}}, options);
  EXPECT_EQ(r.report.findings.size(), 5u);
  EXPECT_EQ(r.report.errors, 20u);
  const std::string summary = format_report(r.report, 3);
  EXPECT_NE(summary.find("Submission rejected: 20 error(s), 0 warning(s)"), std::string::npos);
  EXPECT_NE(summary.find("staff_in_post.csv: 20 rows read, 0 accepted, 20 rejected"),
            std::string::npos);
  EXPECT_NE(summary.find("... and 17 more finding(s)"), std::string::npos);
  options.max_findings_kept = 0;
  EXPECT_FALSE(options.validate().is_ok());
}

TEST(Validator, HeaderOnlyAndAbsentOptionalFilesAreFine) {
  auto r = run({{"organisations.csv", kOrgs},
                {"absence.csv", "org_code,person_key,assignment_id,start_date,end_date,reason\n"}});
  EXPECT_EQ(r.report.errors, 0u) << format_report(r.report, 10);
  EXPECT_FALSE(r.report.rejected);
  ASSERT_EQ(r.report.files.size(), 2u);
  EXPECT_EQ(r.report.files[1].rows_read, 0u);
}

TEST(Validator, EveryColumnMustBeInTheHeaderEvenWhenItsValuesMayBeBlank) {
  // A missing end_date column must not read as "every episode still open".
  auto r = run({{"organisations.csv", kOrgs},
                {"absence.csv",
                 "org_code,person_key,assignment_id,start_date,reason\n"
                 "RWH,pk001,A1,2024-02-01,back\n"}},
               {.accept_valid_rows = true});
  EXPECT_TRUE(r.report.rejected);
  EXPECT_EQ(r.sink.count("absence.csv"), 0u);
  EXPECT_EQ(formatted(r.report),
            std::vector<std::string>{
                "absence.csv:1: error: column 'end_date' is missing from the header (its values "
                "may be blank, but the column must be there) (column 'end_date'); expected a "
                "header that names end_date"});
}

TEST(Validator, AHeaderInAnotherLetterCaseIsOneClearError) {
  auto r = run({{"organisations.csv",
                 "Org_Code,org_name,SECTOR,place,data_level\nRWH,R,acute,Riverside,record\n"}});
  EXPECT_TRUE(r.report.rejected);
  EXPECT_EQ(formatted(r.report),
            (std::vector<std::string>{
                "organisations.csv:1:1: error: column 'Org_Code' differs from the standard's "
                "column 'org_code' only in letter case (column 'Org_Code'); expected the column "
                "name exactly as the standard writes it: org_code",
                "organisations.csv:1:3: error: column 'SECTOR' differs from the standard's "
                "column 'sector' only in letter case (column 'SECTOR'); expected the column "
                "name exactly as the standard writes it: sector"}));
}

TEST(Validator, AnAssignmentBelongsToOnePersonAcrossSnapshotsAndFiles) {
  const std::string row_feb =
      "2024-02-29,RWH,pk001,A1,nursing,adult_nurse,5,1.0,permanent,2019-04-01,1985,female,white,"
      "no,uk,newly_qualified\n";
  auto r = run({{"organisations.csv", kOrgs},
                {"staff_in_post.csv", kSipHeader + row_feb + kSipRow},  // pk001 twice: fine
                {"leavers.csv",
                 "org_code,person_key,assignment_id,leave_date,reason,destination\n"
                 "RWH,pk001,A1,2024-03-31,retirement,retirement\n"
                 "RWH,pk002,A1,2024-03-30,retirement,retirement\n"},
                {"absence.csv",
                 "org_code,person_key,assignment_id,start_date,end_date,reason\n"
                 "RWH,pk003,A1,2024-02-01,,back\n"
                 "RWH,pk003,A2,2024-02-01,,back\n"}},
               {.accept_valid_rows = true});
  EXPECT_EQ(formatted(r.report),
            (std::vector<std::string>{
                "leavers.csv:3:3: error: assignment_id 'A1' of organisation 'RWH' belongs to "
                "another person_key (staff_in_post.csv line 2) (column 'assignment_id'); "
                "expected one person_key per assignment_id inside an organisation "
                "(assignment_id is unique inside the organisation)",
                "absence.csv:2:3: error: assignment_id 'A1' of organisation 'RWH' belongs to "
                "another person_key (staff_in_post.csv line 2) (column 'assignment_id'); "
                "expected one person_key per assignment_id inside an organisation "
                "(assignment_id is unique inside the organisation)"}));
  EXPECT_EQ(r.sink.count("staff_in_post.csv"), 2u);
  EXPECT_EQ(r.sink.count("leavers.csv"), 1u);
  EXPECT_EQ(r.sink.count("absence.csv"), 1u);
  ASSERT_EQ(r.sink.quarantined.size(), 2u);
  EXPECT_EQ(r.sink.quarantined[0].line, 3u);
  EXPECT_EQ(r.sink.quarantined[1].line, 2u);
}

TEST(Validator, EmailsAndPhoneNumbersInAnyColumnRejectAndAreMasked) {
  auto r = run({{"organisations.csv", kOrgs},
                {"leavers.csv",
                 "org_code,person_key,assignment_id,leave_date,reason,destination,note\n"
                 "RWH,pk001,A1,2024-03-31,retirement,retirement,jane.smith@nhs.net\n"
                 "RWH,pk002,A2,2024-03-31,retirement,retirement,+44 7700 900123\n"}},
               {.accept_valid_rows = true});
  EXPECT_TRUE(r.report.rejected);
  EXPECT_TRUE(r.report.privacy_violation);
  std::vector<std::string> errors;
  for (const auto& f : r.report.findings)
    if (f.severity == Severity::error) errors.push_back(f.format());
  EXPECT_EQ(errors,
            (std::vector<std::string>{
                "leavers.csv:2:7: error: value looks like an email address; direct identifiers "
                "must never be submitted (column 'note'); expected no email addresses or phone "
                "numbers (direct identifiers are never stored)",
                "leavers.csv:3:7: error: value looks like a phone number; direct identifiers "
                "must never be submitted (column 'note'); expected no email addresses or phone "
                "numbers (direct identifiers are never stored)"}));
  for (const auto& f : r.report.findings) EXPECT_EQ(f.value.find("smith"), std::string::npos);
  for (const auto& q : r.sink.quarantined) {
    EXPECT_EQ(q.raw.find("smith"), std::string::npos) << q.raw;
    EXPECT_EQ(q.raw.find("900123"), std::string::npos) << q.raw;
  }
}

TEST(Validator, TargetsMayNameThePlaceOfAStoredOrganisation) {
  // An ICB sends its own organisation and the system's targets; the places' providers were
  // submitted earlier.
  testing::MemorySink sink;
  auto report = validate_submission(
      memory_submission({{"organisations.csv",
                          "org_code,org_name,sector,place,data_level\n"
                          "ICB,Our ICB,other,System,aggregate\n"},
                         {"targets.csv",
                          "indicator,scope,year,target,direction\n"
                          "leaver_rate,place:Riverside,2024/25,0.1,lower_is_better\n"
                          "leaver_rate,place:Nowhere,2024/25,0.1,lower_is_better\n"}}),
      {{"RWH", DataLevel::record}}, {}, sink, {"Riverside"});
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(formatted(*report),
            std::vector<std::string>{
                "targets.csv:3:2: error: scope 'place:Nowhere' names no place of an organisation "
                "(column 'scope'); expected place:<place> with a place of an organisation (of "
                "organisations.csv or stored): Riverside, System"});
}

TEST(Validator, WarnsAboutPopulationPlacesNoOrganisationServes) {
  auto r = run({{"organisations.csv", kOrgs},
                {"population.csv",
                 "place,year,age_band,population,kind\nElsewhere,2023,0-4,100,estimate\n"}});
  EXPECT_EQ(r.report.errors, 0u);
  EXPECT_EQ(formatted(r.report),
            std::vector<std::string>{"population.csv:2:1: warning: place 'Elsewhere' is not the "
                                     "place of any organisation (column 'place'); expected a "
                                     "place of organisations.csv: Riverside"});
}

TEST(Validator, WritesFindingsAsCsv) {
  auto r = run({{"organisations.csv", kOrgs + "RWH,\"Dup, again\",acute,Riverside,record\n"}});
  const auto path = std::filesystem::path(CAREFORCE_BINARY_DIR) / "test-findings.csv";
  ASSERT_TRUE(write_findings_csv(r.report, path).is_ok());
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(),
            "severity,kind,file,line,column,column_name,value,message,expected\r\n"
            "error,duplicate_org,organisations.csv,3,1,org_code,RWH,org_code 'RWH' appears twice "
            "in organisations.csv (first on line 2),each organisation once\r\n");
}

}  // namespace
}  // namespace careforce::ingest
