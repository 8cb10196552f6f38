#include "model/workforce_model.hpp"

#include <gtest/gtest.h>

namespace careforce::model {
namespace {

TEST(WorkforceModel, FinalizeSortsAndIndexesSnapshots) {
  WorkforceModel m;
  const uint32_t place = m.places.intern("North");
  const uint16_t a = m.add_organisation({"RAA", "Acute A", Sector::acute, place, DataLevel::record});
  const uint16_t b = m.add_organisation({"PCN1", "PCN 1", Sector::primary_care, place, DataLevel::record});
  EXPECT_EQ(m.find_organisation("PCN1"), 1);
  EXPECT_EQ(m.find_organisation("ZZZ"), -1);
  EXPECT_THROW(m.add_organisation({"RAA", "dup", Sector::acute, place, DataLevel::record}),
               std::invalid_argument);

  auto row = [&](Month month, uint16_t org, const char* person) {
    StaffInPost::Row r;
    r.month = month;
    r.org = org;
    r.person = m.persons.intern(person);
    r.assignment = m.assignments.intern(std::string(person) + "-a");
    r.fte = 1.0;
    return r;
  };
  const Month e = Month::from_ym(2024, 3), s = Month::from_ym(2023, 3);
  m.staff_in_post.append(row(e, a, "p1"));
  m.staff_in_post.append(row(s, b, "q1"));
  m.staff_in_post.append(row(s, a, "p1"));
  m.staff_in_post.append(row(e, b, "q1"));
  m.finalize();

  ASSERT_EQ(m.snapshot_months().size(), 2u);
  EXPECT_EQ(m.snapshot_months().front(), s);
  EXPECT_EQ(m.latest_month(), e);
  auto [first, last] = m.staff_in_post_rows(s);
  EXPECT_EQ(last - first, 2u);
  EXPECT_EQ(m.staff_in_post.org[first], a);
  EXPECT_EQ(m.staff_in_post.month[first], s);
  EXPECT_TRUE(m.organisations[a].has(FileKind::staff_in_post));
  EXPECT_FALSE(m.organisations[a].has(FileKind::absence));
  auto [none_first, none_last] = m.staff_in_post_rows(Month::from_ym(2020, 1));
  EXPECT_EQ(none_first, none_last);
}

}  // namespace
}  // namespace careforce::model
