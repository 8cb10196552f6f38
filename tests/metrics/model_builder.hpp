#pragma once
// Builds small WorkforceModels in code for hand-checked metric tests.

#include <string>

#include "core/codes.hpp"
#include "model/workforce_model.hpp"

namespace careforce::metrics::testing {

inline uint8_t code(const CodeList& list, const std::string& value) {
  auto found = list.find(value);
  if (!found) throw std::invalid_argument("bad code " + value + " for " + list.name());
  return *found;
}

inline Month ym(int year, int month) {
  return Month::from_ym(year, month);
}
inline Date ymd(int year, int month, int day) {
  return Date::from_ymd(year, month, day);
}

struct Staff {
  std::string role = "adult_nurse";
  double fte = 1.0;
  std::string band = "5";
  int birth_year = 1980;
  std::string ethnic = "white";
  std::string sex = "female";
  std::string disability = "no";
  std::string source = "other";
  std::string assignment;  ///< Defaults to "<person>-1".
};

class ModelBuilder {
 public:
  model::WorkforceModel m;

  uint16_t org(const std::string& code_, const std::string& sector, const std::string& place,
               DataLevel level = DataLevel::record) {
    return m.add_organisation({code_, code_ + " name", static_cast<Sector>(code(sectors(), sector)),
                               m.places.intern(place), level});
  }

  void sip(Month month, const std::string& org_code, const std::string& person,
           const Staff& s = {}) {
    model::StaffInPost::Row r;
    r.month = month;
    r.org = static_cast<uint16_t>(m.find_organisation(org_code));
    r.person = m.persons.intern(person);
    r.assignment = m.assignments.intern(org_code + "|" +
                                        (s.assignment.empty() ? person + "-1" : s.assignment));
    r.role = code(roles(), s.role);
    r.staff_group = role_info(r.role).staff_group;
    r.band = code(bands(), s.band);
    r.fte = s.fte;
    r.birth_year = static_cast<int16_t>(s.birth_year);
    r.ethnic_group = code(ethnic_groups(), s.ethnic);
    r.sex = code(sexes(), s.sex);
    r.disability = code(disabilities(), s.disability);
    r.recruitment_source = code(recruitment_sources(), s.source);
    m.staff_in_post.append(r);
  }

  void leaver(const std::string& org_code, const std::string& person, Date date,
              const std::string& reason, const std::string& destination = "other",
              const std::string& assignment = "") {
    model::Leavers::Row r;
    r.org = static_cast<uint16_t>(m.find_organisation(org_code));
    r.person = m.persons.intern(person);
    r.assignment =
        m.assignments.intern(org_code + "|" + (assignment.empty() ? person + "-1" : assignment));
    r.leave_date = date;
    r.reason = code(leaver_reasons(), reason);
    r.destination = code(destinations(), destination);
    m.leavers.append(r);
  }

  void absence(const std::string& org_code, const std::string& person, Date start, Date end,
               const std::string& reason, const std::string& assignment = "") {
    model::Absence::Row r;
    r.org = static_cast<uint16_t>(m.find_organisation(org_code));
    r.person = m.persons.intern(person);
    r.assignment =
        m.assignments.intern(org_code + "|" + (assignment.empty() ? person + "-1" : assignment));
    r.start_date = start;
    r.end_date = end;
    r.reason = code(absence_reasons(), reason);
    m.absence.append(r);
  }

  void establishment(Month period, const std::string& org_code, const std::string& group,
                     const std::string& role, const std::string& band, double funded) {
    model::EstablishmentRow r;
    r.period = period;
    r.org = static_cast<uint16_t>(m.find_organisation(org_code));
    r.staff_group = code(staff_groups(), group);
    r.role = role.empty() ? kAnyCode : code(roles(), role);
    r.band = band.empty() ? kAnyCode : code(bands(), band);
    r.funded_fte = funded;
    m.establishment.push_back(r);
  }

  model::AggregateRow& aggregate(Month month, const std::string& org_code, const std::string& role,
                                 double headcount, double fte) {
    model::AggregateRow r;
    r.month = month;
    r.org = static_cast<uint16_t>(m.find_organisation(org_code));
    r.role = code(roles(), role);
    r.staff_group = role_info(r.role).staff_group;
    r.headcount = headcount;
    r.fte = fte;
    m.aggregate_returns.push_back(r);
    return m.aggregate_returns.back();
  }

  model::WorkforceModel& done() {
    m.finalize();
    return m;
  }
};

}  // namespace careforce::metrics::testing
