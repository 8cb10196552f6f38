#include "core/codes.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/schema.hpp"

namespace careforce {
namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The product ships its own copy of the code lists; it must match the method in ../shared.
TEST(Codes, ShippedCopyMatchesSharedDomain) {
  const std::string shared = CAREFORCE_SHARED_DIR "/domain/";
  const std::string shipped = CAREFORCE_SOURCE_DIR "/data/codes/";
  for (const char* name : {"staff_groups.csv", "roles.csv"}) {
    const std::string expected = read_file(shared + name);
    if (expected.empty()) GTEST_SKIP() << "../shared is not beside the checkout";
    EXPECT_EQ(read_file(shipped + name), expected) << name;
  }
  EXPECT_EQ(std::string(embedded_staff_groups_csv()), read_file(shipped + "staff_groups.csv"));
  EXPECT_EQ(std::string(embedded_roles_csv()), read_file(shipped + "roles.csv"));
}

TEST(Codes, LoadsEmbeddedListsWithRoleFacts) {
  EXPECT_EQ(staff_groups().size(), 16u);
  EXPECT_EQ(roles().size(), 51u);
  const auto nurse = roles().find("adult_nurse");
  ASSERT_TRUE(nurse);
  EXPECT_EQ(staff_groups().code(role_info(*nurse).staff_group), "nursing");
  EXPECT_TRUE(role_info(*nurse).registered);
  EXPECT_TRUE(role_info(*roles().find("pcn_paramedic")).new_role);
  EXPECT_EQ(staff_group_family(*staff_groups().find("social_care_direct")), "social_care");
  EXPECT_EQ(roles().label(*roles().find("care_worker")), "Care worker");
}

TEST(Codes, NearestCodesSuggestTheIntendedValue) {
  EXPECT_EQ(roles().nearest("adult_nurce").front(), "adult_nurse");
  EXPECT_EQ(staff_groups().nearest("nurses").front(), "nursing");
  EXPECT_EQ(sectors().nearest("mental-health").front(), "mental_health");
  EXPECT_EQ(bands().nearest("8a").front(), "8A");
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(Codes, EnumOrderMatchesLists) {
  EXPECT_EQ(sectors().code(static_cast<uint8_t>(Sector::primary_care)), "primary_care");
  EXPECT_EQ(bands().code(static_cast<uint8_t>(Band::b8a)), "8A");
  EXPECT_EQ(bands().code(static_cast<uint8_t>(Band::non_afc)), "non_afc");
  EXPECT_EQ(leaver_reasons().code(static_cast<uint8_t>(LeaverReason::rotation)), "rotation");
  EXPECT_EQ(destinations().code(static_cast<uint8_t>(Destination::not_stated)), "not_stated");
  EXPECT_EQ(recruitment_sources().code(static_cast<uint8_t>(RecruitmentSource::international)),
            "international");
  EXPECT_EQ(population_age_bands().size(), 18u);
  ASSERT_NE(code_list_by_name("role_code"), nullptr);
  EXPECT_EQ(code_list_by_name("nonexistent"), nullptr);
}

TEST(Schema, DeclaresEveryFileOfTheStandard) {
  EXPECT_EQ(data_standard_files().size(), kFileKindCount);
  for (size_t i = 0; i < kFileKindCount; ++i)
    EXPECT_EQ(static_cast<size_t>(data_standard_files()[i].kind), i);
  const FileSpec* sip = find_file_spec("staff_in_post.csv");
  ASSERT_NE(sip, nullptr);
  EXPECT_EQ(sip->columns.size(), 16u);
  EXPECT_EQ(sip->level, FileLevel::record);
  EXPECT_EQ(sip->column_index("recruitment_source"), 15);
  EXPECT_EQ(find_file_spec("aggregate_returns.csv")->columns.size(), 15u);
  EXPECT_TRUE(find_file_spec("organisations.csv")->required);
  EXPECT_EQ(find_file_spec("nonsense.csv"), nullptr);
}

}  // namespace
}  // namespace careforce
