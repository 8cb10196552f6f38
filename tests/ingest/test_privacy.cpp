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
  for (const char* h : {"surname",
                        "Surname",
                        " First Name ",
                        "date-of-birth",
                        "NHS Number",
                        "ni_number",
                        "Post-Code",
                        "POSTCODE",
                        "name",
                        "Last Name",
                        "LastName",
                        "firstname",
                        "EmployeeName",
                        "employee_name",
                        "staff_name",
                        "full_name",
                        "NHSNumber",
                        "nhs_no",
                        "NINO",
                        "NI No",
                        "National Insurance Number",
                        "DOB",
                        "DateOfBirth",
                        "birth_date",
                        "home_address",
                        "Address Line 1",
                        "email",
                        "Email Address",
                        "e-mail",
                        "phone",
                        "Mobile",
                        "mobile_number",
                        "Telephone No",
                        "contact_number",
                        "manager_name"})
    EXPECT_TRUE(is_identifier_header(h)) << h;
  for (const char* h :
       {"org_name", "person_key", "birth_year", "postcode_district", "assignment_id", "staff_group",
        "role_code", "place", "team", "ip_address", "site_name", "band", "ward_name", "org_code",
        "snapshot_date", "number_of_posts", "", "   "})
    EXPECT_FALSE(is_identifier_header(h)) << h;
}

TEST(Privacy, RecognisesEmailAddresses) {
  EXPECT_TRUE(looks_like_email("jane.smith@nhs.net"));
  EXPECT_TRUE(looks_like_email("J.O'Neil+work@example.co.uk"));
  EXPECT_FALSE(looks_like_email("pk001"));
  EXPECT_FALSE(looks_like_email("a@b"));
  EXPECT_FALSE(looks_like_email("@nhs.net"));
  EXPECT_FALSE(looks_like_email("jane smith@nhs.net"));
  EXPECT_FALSE(looks_like_email("a@@nhs.net"));
  EXPECT_FALSE(looks_like_email("jane@nhs.n3"));
  EXPECT_FALSE(looks_like_email("place:Riverside"));
}

TEST(Privacy, RecognisesUkPhoneNumbers) {
  for (const char* v : {"07700 900123", "07700900123", "+44 7700 900123", "+44 (0)20 7946 0000",
                        "0044 20 7946 0000", "(01632) 960001", "020-7946-0000", "0300 123 4567"})
    EXPECT_TRUE(looks_like_phone_number(v)) << v;
  for (const char* v :
       {"9434765919", "2024-03-31", "0.8", "250000", "12345678901", "09000 123456", "0770090012",
        "077009001234", "+1 202 555 0123", "1-123456789", "07700 900123x"})
    EXPECT_FALSE(looks_like_phone_number(v)) << v;
}

TEST(Privacy, MasksAllButTheFirstTwoCharacters) {
  EXPECT_EQ(mask_identifier("AB123456C"), "AB****");
  EXPECT_EQ(mask_identifier("9"), "9****");
}

}  // namespace
}  // namespace careforce::ingest
