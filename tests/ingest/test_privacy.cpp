#include "ingest/privacy.hpp"

#include <gtest/gtest.h>

namespace careforce::ingest {
namespace {

TEST(Privacy, RecognisesNationalInsuranceNumbers) {
  EXPECT_TRUE(looks_like_ni_number("AB123456C"));
  EXPECT_TRUE(looks_like_ni_number("ab 12 34 56 c"));
  EXPECT_FALSE(looks_like_ni_number("DA123456C"));  // D is never a prefix letter
  EXPECT_FALSE(looks_like_ni_number("AB123456E"));  // suffix A-D only
  EXPECT_FALSE(looks_like_ni_number("AB12345C"));
  EXPECT_FALSE(looks_like_ni_number("pk001"));
}

TEST(Privacy, RecognisesNhsNumbersByTheirCheckDigit) {
  EXPECT_TRUE(looks_like_nhs_number("9434765919"));  // 9*10+4*9+...: remainder 2, check 9
  EXPECT_TRUE(looks_like_nhs_number("943 476 5919"));
  EXPECT_TRUE(looks_like_nhs_number("943-476-5919"));
  EXPECT_FALSE(looks_like_nhs_number("9434765918"));
  EXPECT_FALSE(looks_like_nhs_number("943476591"));
  EXPECT_FALSE(looks_like_nhs_number("94347659190"));
  EXPECT_FALSE(looks_like_nhs_number("2024-03-31"));
  // CQC / ASC-WDS location ids ("1-" then digits) are org codes, not NHS numbers, even when
  // their digits happen to pass the modulus-11 check.
  EXPECT_FALSE(looks_like_nhs_number("9-434765919"));
  EXPECT_FALSE(looks_like_nhs_number("9434 765919"));
  EXPECT_FALSE(looks_like_nhs_number("943 476-5919"));
}

TEST(Privacy, RecognisesIdentifierHeaders) {
  for (const char* h : {"surname", "Surname", " First Name ", "date-of-birth", "NHS Number",
                        "ni_number", "Post-Code" /* not in the list */})
    EXPECT_EQ(is_identifier_header(h), std::string_view(h) != "Post-Code") << h;
  EXPECT_TRUE(is_identifier_header("POSTCODE"));
  EXPECT_FALSE(is_identifier_header("org_name"));
  EXPECT_FALSE(is_identifier_header("person_key"));
}

TEST(Privacy, MasksAllButTheFirstTwoCharacters) {
  EXPECT_EQ(mask_identifier("AB123456C"), "AB****");
  EXPECT_EQ(mask_identifier("9"), "9****");
}

}  // namespace
}  // namespace careforce::ingest
