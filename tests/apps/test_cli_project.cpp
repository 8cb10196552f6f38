// `careforce project` end to end: the issue's CLI contract, place cells, --explain.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "cli_harness.hpp"

namespace careforce::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class CliProject : public ::testing::Test {
 protected:
  // Two organisations: a record-level acute trust in Riverside and an aggregate GP practice
  // in Hilltown.
  void SetUp() override {
    auto run = run_cli({"import", case_dir("valid/all-files").string(), "--db", db_.string()});
    ASSERT_EQ(run.exit_code, 0) << run.output;
  }

  CliRun project(std::vector<std::string> extra) {
    std::vector<std::string> args = {"project", "--db",    db_.string(), "--runs",
                                     "20",      "--years", "5"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args);
  }

  fs::path write_scenario(const std::string& text) {
    const fs::path file = dir_ / "scenario.toml";
    std::ofstream(file) << text;
    return file;
  }

  TempDir dir_{"cli-project"};
  fs::path db_ = dir_ / "careforce.db";
};

constexpr const char* kHilltownScenario = R"(name = "hilltown_returners"
[[intervention]]
type = "return_to_practice"
label = "Hilltown GP returners"
role = "salaried_gp"
scope = "place:Hilltown"
per_year = 2
)";

TEST_F(CliProject, JsonFollowsTheContractWithValuesRoundedExactly) {
  auto run = project({"--format", "json", "--seed", "7"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const json out = json::parse(run.output);
  EXPECT_EQ(out.at("years"), 5);
  EXPECT_EQ(out.at("runs"), 20);
  EXPECT_EQ(out.at("seed"), 7);
  ASSERT_FALSE(out.at("parameters").empty());
  for (const auto& p : out.at("parameters")) {
    EXPECT_TRUE(p.at("value").is_number()) << p;
    const std::string provenance = p.at("provenance");
    EXPECT_TRUE(provenance == "observed" || provenance == "default" || provenance == "user") << p;
  }
  const std::regex year_label(R"(\d{4}/\d{2})");
  size_t totals = 0;
  for (const auto& row : out.at("series")) {
    EXPECT_EQ(row.at("scenario"), "baseline");
    EXPECT_TRUE(std::regex_match(row.at("year").get<std::string>(), year_label)) << row;
    for (const char* key : {"scope_type", "scope", "staff_group", "role_code"})
      EXPECT_TRUE(row.at(key).is_string()) << key;
    totals += row.at("role_code") == "all" && row.at("staff_group") == "all";
    for (const char* key : {"supply", "demand", "gap", "cost_gbp"}) {
      const auto& q = row.at(key);
      const double p10 = q.at("p10"), p50 = q.at("p50"), p90 = q.at("p90");
      EXPECT_LE(p10, p50) << key << row;
      EXPECT_LE(p50, p90) << key << row;
      // FTE to 0.1 and cost to GBP 1,000, printed without binary noise (68.1, never
      // 68.10000000000001): the value is exactly the nearest tenth (or thousand).
      for (double v : {p10, p50, p90}) {
        const double exact =
            std::string(key) == "cost_gbp" ? std::round(v / 1000) * 1000 : std::round(v * 10) / 10;
        EXPECT_EQ(v, exact) << key << row;
      }
    }
  }
  EXPECT_EQ(totals, 6u);  // the system total for 2023/24 (the census) .. 2028/29
}

TEST_F(CliProject, SameSeedSameBytesAndAnotherSeedDiffers) {
  auto first = project({"--format", "csv", "--seed", "7"});
  auto again = project({"--format", "csv", "--seed", "7", "--threads", "1"});
  auto other = project({"--format", "csv", "--seed", "8"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_EQ(first.output, again.output);
  EXPECT_NE(first.output, other.output);
}

TEST_F(CliProject, PlaceScopesAndPlaceInterventionsChooseCellsByPlace) {
  auto places = project({"--scope", "places", "--format", "csv"});
  ASSERT_EQ(places.exit_code, 0) << places.output;
  EXPECT_NE(places.output.find(",place,Riverside,all,all,"), std::string::npos) << places.output;
  EXPECT_NE(places.output.find(",place,Hilltown,all,all,"), std::string::npos);

  // `all` now includes the places; with sector cells it could not.
  auto all = project({"--scope", "all", "--format", "csv"});
  ASSERT_EQ(all.exit_code, 0) << all.output;
  EXPECT_NE(all.output.find(",place,Hilltown,"), std::string::npos);
  EXPECT_NE(all.output.find(",sector,primary_care,"), std::string::npos);

  const fs::path scenario = write_scenario(kHilltownScenario);
  auto scoped = project({"--scenario", scenario.string(), "--format", "csv"});
  ASSERT_EQ(scoped.exit_code, 0) << scoped.output;
  EXPECT_NE(scoped.output.find("hilltown_returners,"), std::string::npos);
}

TEST_F(CliProject, SectorCellsRefusePlacesWithAMessageThatNamesTheOption) {
  auto scope = project({"--cells", "sector", "--scope", "place:Riverside"});
  EXPECT_EQ(scope.exit_code, 2) << scope.output;
  EXPECT_NE(
      scope.output.find("--scope place:Riverside needs cells by place (--cells sector_place)"),
      std::string::npos)
      << scope.output;

  const fs::path scenario = write_scenario(kHilltownScenario);
  auto intervention = project({"--cells", "sector", "--scenario", scenario.string()});
  EXPECT_EQ(intervention.exit_code, 2) << intervention.output;
  EXPECT_NE(intervention.output.find("scenario.toml"), std::string::npos) << intervention.output;
  EXPECT_NE(intervention.output.find("--cells sector_place"), std::string::npos);

  auto bad = project({"--cells", "county"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("--cells must be auto, sector or sector_place, got 'county'"),
            std::string::npos)
      << bad.output;

  auto unknown = project({"--scope", "place:Atlantis"});
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("places: "), std::string::npos) << unknown.output;
}

TEST_F(CliProject, ExplainCountsScenarioSizesAsSetByTheUser) {
  auto plain = project({"--explain"});
  ASSERT_EQ(plain.exit_code, 0) << plain.output;
  EXPECT_NE(plain.output.find(" and 0 were set by the user."), std::string::npos) << plain.output;
  EXPECT_NE(plain.output.find(" sectors and "), std::string::npos);

  const fs::path scenario = write_scenario(kHilltownScenario);
  auto with = project({"--explain", "--scenario", scenario.string()});
  ASSERT_EQ(with.exit_code, 0) << with.output;
  EXPECT_NE(with.output.find(" and 1 were set by the user."), std::string::npos) << with.output;
  EXPECT_NE(with.output.find("sector-and-place groups"), std::string::npos);
  EXPECT_NE(with.output.find("Scenario \"hilltown_returners\""), std::string::npos);
  EXPECT_NE(with.output.find("- Hilltown GP returners: "), std::string::npos);
}

TEST_F(CliProject, TableShowsEveryScopeAtTheHorizon) {
  auto run = project({"--scope", "all"});
  ASSERT_EQ(run.exit_code, 0) << run.output;
  for (const char* heading :
       {"baseline | system", "baseline | sector acute", "baseline | sector primary_care",
        "baseline | place Riverside", "baseline | place Hilltown"})
    EXPECT_NE(run.output.find(std::string("\n") + heading + "\n"), std::string::npos)
        << heading << "\n"
        << run.output;
  EXPECT_NE(run.output.find("2028/29  all staff"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace careforce::testing
