// Write the workbook for the worked example of METRICS.md and read it back as Excel would.
#include "export/xlsx_export.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>

namespace careforce::xlsx {
namespace {

namespace fs = std::filesystem;

/// The XML parts of an .xlsx (a zip), by name.
std::map<std::string, std::string> unzip(const fs::path& path) {
  std::map<std::string, std::string> parts;
  archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_filename(a, path.c_str(), 1 << 16) != ARCHIVE_OK) return parts;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    std::string data;
    char buffer[1 << 14];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) data.append(buffer, n);
    parts[archive_entry_pathname(entry)] = data;
  }
  archive_read_free(a);
  return parts;
}

struct Cell {
  std::string type;  ///< "n" for numbers, "inlineStr" or "str" for text.
  std::string text;
};

/// Rows of one sheet's XML: row number -> column letter -> cell.
std::map<int, std::map<std::string, Cell>> cells(const std::string& xml) {
  std::map<int, std::map<std::string, Cell>> out;
  static const std::regex cell_re(
      R"re(<c r="([A-Z]+)([0-9]+)"(?: s="[0-9]+")?(?: t="([a-zA-Z]+)")?(?: s="[0-9]+")?>(?:<v>([^<]*)</v>|<is><t[^>]*>([^<]*)</t></is>))re");
  for (auto it = std::sregex_iterator(xml.begin(), xml.end(), cell_re); it != std::sregex_iterator(); ++it) {
    const auto& m = *it;
    Cell cell{m[3].matched ? m[3].str() : "n", m[4].matched ? m[4].str() : m[5].str()};
    out[std::stoi(m[2])][m[1]] = cell;
  }
  return out;
}

model::WorkforceModel worked_example() {
  model::WorkforceModel m;
  const uint32_t place = m.places.intern("North");
  const uint16_t raa = m.add_organisation({"RAA", "Acute A", Sector::acute, place, DataLevel::record});
  const uint16_t pcn = m.add_organisation({"PCN1", "PCN 1", Sector::primary_care, place, DataLevel::record});
  const Month s = Month::from_ym(2023, 3), e = Month::from_ym(2024, 3);
  auto add = [&](Month month, uint16_t org, const std::string& person, double fte, const char* group,
                 const char* role) {
    model::StaffInPost::Row r;
    r.month = month;
    r.org = org;
    r.person = m.persons.intern(person);
    r.assignment = m.assignments.intern(m.organisations[org].code + "|" + person);
    r.staff_group = *staff_groups().find(group);
    r.role = *roles().find(role);
    r.band = static_cast<uint8_t>(Band::b5);
    r.fte = fte;
    r.org_start_date = Date::from_ymd(2020, 1, 1);
    r.birth_year = 1980;
    m.staff_in_post.append(r);
  };
  for (int i = 1; i <= 10; ++i) add(s, raa, "p" + std::to_string(i), 1.0, "nursing", "adult_nurse");
  add(s, pcn, "q1", 0.5, "primary_care_direct", "practice_nurse");
  add(s, pcn, "q2", 0.5, "primary_care_direct", "practice_nurse");
  for (int i = 1; i <= 7; ++i) add(e, raa, "p" + std::to_string(i), 1.0, "nursing", "adult_nurse");
  add(e, raa, "p11", 1.0, "nursing", "adult_nurse");
  add(e, raa, "p12", 1.0, "nursing", "adult_nurse");
  add(e, pcn, "q1", 0.5, "primary_care_direct", "practice_nurse");
  add(e, pcn, "q2", 0.5, "primary_care_direct", "practice_nurse");
  add(e, pcn, "p8", 1.0, "primary_care_direct", "practice_nurse");
  m.targets.push_back({"turnover_rate", "system", FinancialYear{2023}, 15.0, Direction::lower_is_better, {}});
  m.finalize();
  return m;
}

TEST(XlsxExport, WorkbookHoldsTheWorkedExampleAsNumbersWithNumeratorsAndDenominators) {
  const fs::path path = fs::temp_directory_path() / ("careforce-export-" + std::to_string(::getpid()) + ".xlsx");
  WorkbookOptions options;
  options.path = path;
  options.at = "2024-03";
  auto summary = write_workbook(worked_example(), options);
  ASSERT_TRUE(summary) << summary.error().message;
  EXPECT_GE(summary->sheets, 4u);

  const auto parts = unzip(path);
  ASSERT_TRUE(parts.count("xl/workbook.xml"));
  const std::string& workbook = parts.at("xl/workbook.xml");
  for (const char* name : {"Definitions", "Staff in post", "Turnover and stability", "Outcomes framework"})
    EXPECT_NE(workbook.find(std::string("name=\"") + name + "\""), std::string::npos) << name;

  // Sheet order: Definitions, Staff in post, Turnover and stability, ...
  const auto turnover = cells(parts.at("xl/worksheets/sheet3.xml"));
  ASSERT_FALSE(turnover.empty());
  EXPECT_EQ(turnover.at(1).at("A").text, "metric");
  EXPECT_EQ(turnover.at(1).at("I").text, "value");
  bool found_raa = false, found_system = false;
  for (const auto& [row, c] : turnover) {
    if (row == 1 || !c.count("A") || c.at("A").text != "turnover_rate") continue;
    if (c.at("E").text != "all" || c.at("H").text != "headcount") continue;
    if (c.at("D").text == "RAA") {
      found_raa = true;
      EXPECT_EQ(c.at("I").type, "n");  // stored as a number, not text
      EXPECT_NEAR(std::stod(c.at("I").text), 3.0 / 9.5 * 100, 1e-9);
      EXPECT_NEAR(std::stod(c.at("J").text), 3, 1e-12);
      EXPECT_NEAR(std::stod(c.at("K").text), 9.5, 1e-12);
    }
    if (c.at("D").text == "system") {
      found_system = true;
      EXPECT_NEAR(std::stod(c.at("I").text), 2.0 / 12 * 100, 1e-9);
    }
  }
  EXPECT_TRUE(found_raa);
  EXPECT_TRUE(found_system);
  // Frozen header row in every data sheet.
  EXPECT_NE(parts.at("xl/worksheets/sheet3.xml").find("state=\"frozen\""), std::string::npos);
  fs::remove(path);
}

TEST(XlsxExport, RejectsBadOptionsWithTheirName) {
  WorkbookOptions options;
  options.path = "report.csv";
  EXPECT_NE(options.validate().message().find("--xlsx"), std::string::npos);
  options.path = "report.xlsx";
  options.at = "2024-13";
  EXPECT_NE(options.validate().message().find("--at"), std::string::npos);
}

}  // namespace
}  // namespace careforce::xlsx
