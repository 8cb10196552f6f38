#include <gtest/gtest.h>

#include <filesystem>

#include "projection/scenario.hpp"

namespace careforce::projection {
namespace {

std::string error_of(const std::string& text) {
  auto parsed = parse_scenario(text, "s.toml");
  EXPECT_FALSE(parsed.is_ok());
  return parsed.is_ok() ? std::string() : parsed.error().message;
}

TEST(Scenario, ParsesEveryField) {
  auto parsed = parse_scenario(R"(name = "mix"
description = "all kinds"

[[intervention]]
type = "turnover_change"
label = "Retain care workers"
role = "care_worker"
scope = "sector:social_care"
start = "2026/27"
change_pp = -5
phase_in_years = 3

[[intervention]]
type = "training_places"
role = "adult_nurse"
scope = "place:North"
intake = 40
completion_rate = 0.85
local_share = 0.6
course_years = 3

[[intervention]]
type = "wisn"
role = "physiotherapist"
available_hours = 1500
activities = [ { name = "assessment", annual_volume = 6000, minutes_each = 45 } ]
)",
                               "s.toml");
  ASSERT_TRUE(parsed.is_ok()) << parsed.error().message;
  const Scenario& s = *parsed;
  EXPECT_EQ(s.name, "mix");
  EXPECT_EQ(s.description, "all kinds");
  ASSERT_EQ(s.interventions.size(), 3u);
  const auto& t = s.interventions[0];
  EXPECT_EQ(t.type, InterventionType::turnover_change);
  EXPECT_EQ(t.label, "Retain care workers");
  EXPECT_EQ(t.line, 4);
  EXPECT_EQ(*t.target.role, *roles().find("care_worker"));
  EXPECT_EQ(*t.target.sector, Sector::social_care);
  EXPECT_EQ(t.start_year, 2026);
  EXPECT_EQ(t.change_pp, -5);
  EXPECT_EQ(t.phase_in_years, 3);
  EXPECT_EQ(t.describe(),
            "Change the leaver rate of care_worker in sector social_care by -5.0 percentage "
            "points, phased in over "
            "3.0 years from 2026/27.");
  const auto& p = s.interventions[1];
  EXPECT_EQ(*p.target.place, "North");
  EXPECT_EQ(p.intake, 40);
  EXPECT_EQ(p.course_years, 3);
  EXPECT_EQ(p.label, "training_places");
  EXPECT_EQ(s.interventions[2].activities.size(), 1u);
  EXPECT_EQ(s.interventions[2].available_hours, 1500);
}

TEST(Scenario, ErrorsNameTheFileAndLine) {
  EXPECT_EQ(error_of("description = \"no name\"\n"),
            "s.toml:1: the scenario needs a name = \"...\"");
  EXPECT_EQ(
      error_of(
          "name = \"x\"\n[[intervention]]\ntype = \"turnover_change\"\nchange_pp = -5\nsize = 3\n"),
      "s.toml:5: unknown key 'size' for turnover_change (allowed: type, label, scope, start, role, "
      "staff_group, change_pp, phase_in_years)");
  EXPECT_EQ(
      error_of(
          "name = \"x\"\n\n[[intervention]]\ntype = \"training_places\"\nrole = \"adult_nurse\"\n"),
      "s.toml:3: training_places needs 'intake'");
  EXPECT_EQ(
      error_of("name = \"x\"\n[[intervention]]\ntype = \"retirement_deferral\"\nshare = 1.5\n"),
      "s.toml:4: share = 1.5 is out of range [0, 1]");
  EXPECT_EQ(error_of("name = \"x\"\n[[intervention]]\ntype = \"productivity\"\ngain = 0.01\nstart "
                     "= \"2026\"\n"),
            "s.toml:5: start must be a financial year such as \"2026/27\"");
  EXPECT_EQ(
      error_of("name = \"x\"\n[[intervention]]\ntype = \"demand_growth\"\npercent = \"lots\"\n"),
      "s.toml:4: percent must be a number");
  EXPECT_EQ(
      error_of("name = \"x\"\n[[intervention]]\ntype = \"productivity\"\ngain = 0.01\nscope = "
               "\"sector:hospital\"\n"),
      "s.toml:5: unknown sector 'hospital' in scope (nearest: " +
          [] {
            std::string s;
            for (const auto& c : sectors().nearest("hospital")) s += (s.empty() ? "" : ", ") + c;
            return s;
          }() +
          ")");
  EXPECT_EQ(error_of("name = \"baseline\"\n"),
            "s.toml:1: 'baseline' is reserved; give the scenario another name");
  EXPECT_EQ(error_of("name = \"x\"\ncolour = \"red\"\n"),
            "s.toml:2: unknown key 'colour' (expected name, description, [[intervention]])");
  EXPECT_EQ(error_of("name = \"x\"\n[[intervention]]\ntype = \"international_recruitment\"\n"),
            "s.toml:2: international_recruitment needs per_year or percent");
}

TEST(Scenario, UnknownTypeAndRoleListTheChoices) {
  const std::string type_error = error_of("name = \"x\"\n[[intervention]]\ntype = \"turnover\"\n");
  EXPECT_EQ(
      type_error.rfind(
          "s.toml:3: unknown intervention type 'turnover' (expected one of turnover_change, ", 0),
      0u)
      << type_error;
  const std::string role_error = error_of(
      "name = \"x\"\n[[intervention]]\ntype = \"turnover_change\"\nchange_pp = 1\nrole = "
      "\"adult_nurses\"\n");
  EXPECT_EQ(role_error.rfind(
                "s.toml:5: unknown role_code 'adult_nurses' in role (nearest: adult_nurse", 0),
            0u)
      << role_error;
}

TEST(Scenario, TomlSyntaxErrorsCarryTheLine) {
  const std::string e =
      error_of("name = \"x\"\n[[intervention]]\ntype = \"productivity\"\ngain = \n");
  EXPECT_EQ(e.rfind("s.toml:4: ", 0), 0u) << e;
}

TEST(Scenario, MissingFileIsAnIoError) {
  auto r = load_scenario_file("/nonexistent/scenario.toml");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.error().code, ErrorCode::io_error);
  EXPECT_EQ(r.error().message, "cannot read scenario file /nonexistent/scenario.toml");
}

TEST(Scenario, ShippedExamplesParse) {
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(CAREFORCE_SOURCE_DIR) + "/docs/scenarios")) {
    if (entry.path().extension() != ".toml") continue;
    auto s = load_scenario_file(entry.path().string());
    EXPECT_TRUE(s.is_ok()) << entry.path() << ": " << (s.is_ok() ? "" : s.error().message);
    ++count;
  }
  EXPECT_GE(count, 3);
}

}  // namespace
}  // namespace careforce::projection
