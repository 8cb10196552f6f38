#pragma once
// A synthetic ICS built in memory from known rates: two censuses 12 months apart, leavers
// with reasons, moves between organisations, joiners by source, establishment (from every
// organisation or some), aggregate returns, pay, shifts and population. Used by the
// calibration-recovery tests and the benchmark. Options off by default draw no random
// numbers, so adding one leaves the default store unchanged.

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "core/codes.hpp"
#include "model/workforce_model.hpp"
#include "projection/rng.hpp"

namespace careforce::projection::testing {

/// The store's known constants: the truths the calibration-recovery tests check.
inline constexpr double kPartTimeShare = 0.3;  ///< Of staff, at kPartTimeFte (the rest 1.0).
inline constexpr double kPartTimeFte = 0.6;
inline constexpr double kFtePerHead = 0.88;          ///< 0.7 x 1.0 + 0.3 x 0.6.
inline constexpr double kNewlyQualifiedShare = 0.3;  ///< Of external joiners.
inline constexpr double kFundedFtePerHead = 0.95;    ///< Establishment per staff member at S.
inline constexpr double kPayPerFte = 40000;          ///< Substantive pay per FTE a year.
inline constexpr double kHoursPerFteYear = 37.5 * 52.143;

struct SyntheticRole {
  std::string role;
  Sector sector = Sector::acute;
  int staff_per_org = 100;
  double leaver_rate = 0.1;     ///< Probability a person at S is not in the cell at E.
  double transfer_share = 0.0;  ///< Share of leavers who move to `transfer_role` in another org.
  std::string transfer_role;
  Sector transfer_sector = Sector::primary_care;
  double international_share = 0.2;  ///< Of external joiners.
};

struct SyntheticOptions {
  int places = 3;
  int orgs_per_sector_place = 2;
  std::vector<SyntheticRole> roles;
  int census_year = 2025;  ///< E = March of this year.
  uint64_t seed = 7;
  bool establishment = true;
  bool pay = true;
  int min_age = 21, max_age = 64;  ///< Ages at S, uniform.
  /// Of the leavers who leave the system, the share who retire at 55-59 and at 60 and over.
  double retirement_share_55_59 = 0.3, retirement_share_60_plus = 0.7;
  /// Joiners' FTE drawn like the staff's (else 1.0).
  bool part_time_joiners = false;
  /// Organisations per sector and place that send establishment (the first ones); -1 = all.
  int establishment_senders = -1;
  /// Aggregate organisations per sector and place: per role `staff_per_org` heads at
  /// kFtePerHead, the role's leavers and international share, vacant posts, no establishment.
  int aggregate_orgs_per_sector_place = 0;
  double aggregate_vacancy_rate = 0.05;  ///< Vacant posts per head of an aggregate return.
  /// Pay each person's FTE at kPayPerFte for the months held: 12 for stayers, 6 for leavers
  /// and joiners (so FTE-years are the mean of the two censuses); else staff x kFtePerHead.
  bool pay_by_person_months = false;
  /// Filled bank and agency shifts per record organisation and role, 7.5 hours each, costing
  /// the premium times kPayPerFte per hour (0 = no shifts).
  int shifts_per_org = 0;
  double bank_share_of_shifts = 0.75, bank_premium = 1.15, agency_premium = 1.8;
};

inline std::vector<SyntheticRole> default_synthetic_roles() {
  return {
      {"adult_nurse", Sector::acute, 400, 0.10, 0.10, "practice_nurse", Sector::primary_care, 0.3},
      {"healthcare_support_worker", Sector::acute, 300, 0.14, 0.05, "care_worker",
       Sector::social_care, 0.1},
      {"consultant", Sector::acute, 80, 0.06, 0.0, "", Sector::acute, 0.2},
      {"admin_clerical", Sector::acute, 250, 0.12, 0.0, "", Sector::acute, 0.0},
      {"mental_health_nurse", Sector::mental_health, 250, 0.11, 0.05, "community_nurse",
       Sector::community, 0.2},
      {"community_nurse", Sector::community, 200, 0.10, 0.0, "", Sector::community, 0.1},
      {"practice_nurse", Sector::primary_care, 30, 0.12, 0.0, "", Sector::primary_care, 0.1},
      {"salaried_gp", Sector::primary_care, 40, 0.09, 0.0, "", Sector::primary_care, 0.1},
      {"care_worker", Sector::social_care, 250, 0.28, 0.08, "healthcare_support_worker",
       Sector::acute, 0.25},
      {"paramedic", Sector::ambulance, 300, 0.09, 0.05, "pcn_paramedic", Sector::primary_care, 0.1},
  };
}

/// Build the model; the true parameters are those in `options`.
inline model::WorkforceModel build_synthetic_model(const SyntheticOptions& options) {
  model::WorkforceModel m;
  Rng rng(options.seed);
  const Month end = Month::from_ym(options.census_year, 3), start = end - 12;
  std::vector<uint32_t> places;
  for (int p = 0; p < options.places; ++p)
    places.push_back(m.places.intern("Place " + std::to_string(p + 1)));
  // Organisations per (sector, place).
  std::vector<std::vector<std::vector<uint16_t>>> orgs(
      8, std::vector<std::vector<uint16_t>>(places.size()));
  for (int s = 0; s < 8; ++s)
    for (size_t p = 0; p < places.size(); ++p)
      for (int k = 0; k < options.orgs_per_sector_place; ++k) {
        model::Organisation org;
        org.code = "O" + std::to_string(s) + "_" + std::to_string(p) + "_" + std::to_string(k);
        org.name = org.code;
        org.sector = static_cast<Sector>(s);
        org.place = places[p];
        orgs[static_cast<size_t>(s)][p].push_back(m.add_organisation(org));
      }
  // Aggregate organisations after the record ones, so those keep their indices.
  std::vector<std::vector<std::vector<uint16_t>>> aggregate_orgs(
      8, std::vector<std::vector<uint16_t>>(places.size()));
  for (int s = 0; s < 8; ++s)
    for (size_t p = 0; p < places.size(); ++p)
      for (int k = 0; k < options.aggregate_orgs_per_sector_place; ++k) {
        model::Organisation org;
        org.code = "A" + std::to_string(s) + "_" + std::to_string(p) + "_" + std::to_string(k);
        org.name = org.code;
        org.sector = static_cast<Sector>(s);
        org.place = places[p];
        org.level = DataLevel::aggregate;
        aggregate_orgs[static_cast<size_t>(s)][p].push_back(m.add_organisation(org));
      }
  // FTE-months paid per (organisation, staff group), for pay_by_person_months.
  std::map<std::pair<uint16_t, uint8_t>, double> fte_months;
  auto paid = [&](uint16_t org, uint8_t role, double fte, double months) {
    fte_months[{org, role_info(role).staff_group}] += fte * months;
  };
  uint32_t next_person = 0;
  auto person_key = [&] { return m.persons.intern("P" + std::to_string(next_person++)); };
  auto add_row = [&](Month month, uint16_t org, uint32_t person, uint8_t role, int birth_year,
                     uint8_t source, double fte) {
    model::StaffInPost::Row row;
    row.month = month;
    row.org = org;
    row.person = person;
    row.assignment = m.assignments.intern(std::to_string(org) + "|" + std::to_string(person) + "|" +
                                          std::to_string(role));
    row.staff_group = role_info(role).staff_group;
    row.role = role;
    row.fte = fte;
    row.birth_year = static_cast<int16_t>(birth_year);
    row.recruitment_source = source;
    m.staff_in_post.append(row);
  };
  auto uniform_int = [&](int lo, int hi) {
    return lo + static_cast<int>(rng.uniform() * (hi - lo + 1));
  };
  for (const auto& spec : options.roles) {
    const uint8_t role = *roles().find(spec.role);
    const auto& here = orgs[static_cast<size_t>(spec.sector)];
    for (size_t p = 0; p < here.size(); ++p)
      for (size_t k = 0; k < here[p].size(); ++k) {
        const uint16_t org = here[p][k];
        for (int i = 0; i < spec.staff_per_org; ++i) {
          const uint32_t person = person_key();
          const int birth_year =
              options.census_year - 1 - uniform_int(options.min_age, options.max_age);
          const double fte = rng.uniform() < kPartTimeShare ? kPartTimeFte : 1.0;
          add_row(start, org, person, role, birth_year,
                  static_cast<uint8_t>(RecruitmentSource::other), fte);
          if (rng.uniform() >= spec.leaver_rate) {
            add_row(end, org, person, role, birth_year,
                    static_cast<uint8_t>(RecruitmentSource::other), fte);
            paid(org, role, fte, 12);
            continue;
          }
          paid(org, role, fte, 6);
          const int age = options.census_year - 1 - birth_year;
          if (!spec.transfer_role.empty() && rng.uniform() < spec.transfer_share) {
            const auto& dest = orgs[static_cast<size_t>(spec.transfer_sector)][p];
            const uint16_t to =
                dest[static_cast<size_t>(uniform_int(0, static_cast<int>(dest.size()) - 1))];
            const uint8_t to_role = *roles().find(spec.transfer_role);
            add_row(end, to, person, to_role, birth_year,
                    static_cast<uint8_t>(RecruitmentSource::other_org_in_system), fte);
            paid(to, to_role, fte, 6);
            continue;
          }
          model::Leavers::Row leaver;
          leaver.org = org;
          leaver.person = person;
          leaver.leave_date = Date::from_ymd(options.census_year - 1, 9, 15);
          const bool retire = age >= 60   ? rng.uniform() < options.retirement_share_60_plus
                              : age >= 55 ? rng.uniform() < options.retirement_share_55_59
                                          : false;
          leaver.reason = static_cast<uint8_t>(retire ? LeaverReason::retirement
                                                      : LeaverReason::voluntary_other);
          leaver.destination =
              static_cast<uint8_t>(retire ? Destination::retirement : Destination::other);
          m.leavers.append(leaver);
        }
        // External joiners replace about as many as left.
        const int joiners =
            static_cast<int>(spec.staff_per_org * spec.leaver_rate * (1 - spec.transfer_share));
        for (int j = 0; j < joiners; ++j) {
          const uint32_t person = person_key();
          const double u = rng.uniform();
          const auto source = u < spec.international_share ? RecruitmentSource::international
                              : u < spec.international_share + kNewlyQualifiedShare
                                  ? RecruitmentSource::newly_qualified
                                  : RecruitmentSource::other;
          const int birth_year = options.census_year - uniform_int(22, 45);
          const double fte =
              options.part_time_joiners && rng.uniform() < kPartTimeShare ? kPartTimeFte : 1.0;
          add_row(end, org, person, role, birth_year, static_cast<uint8_t>(source), fte);
          paid(org, role, fte, 6);
        }
        for (int s = 0; s < options.shifts_per_org; ++s) {
          model::ShiftRow shift;
          shift.shift_date = Date::from_ymd(options.census_year - 1, 10, 1 + s % 28);
          shift.org = org;
          shift.staff_group = role_info(role).staff_group;
          shift.role = role;
          const bool bank = s < options.shifts_per_org * options.bank_share_of_shifts;
          shift.outcome = static_cast<uint8_t>(bank ? ShiftOutcome::bank : ShiftOutcome::agency);
          shift.hours = 7.5f;
          shift.cost_gbp = 7.5 * kPayPerFte / kHoursPerFteYear *
                           (bank ? options.bank_premium : options.agency_premium);
          m.shifts.push_back(shift);
        }
        const bool sends = options.establishment_senders < 0 ||
                           static_cast<int>(k) < options.establishment_senders;
        if (options.establishment && sends) {
          model::EstablishmentRow est;
          est.period = end;
          est.org = org;
          est.staff_group = role_info(role).staff_group;
          est.role = role;
          est.funded_fte = spec.staff_per_org * kFundedFtePerHead;
          m.establishment.push_back(est);
        }
        if (options.pay && !options.pay_by_person_months)
          for (int k = 0; k < 12; ++k) {
            model::PayCostRow pay;
            pay.period = end - k;
            pay.org = org;
            pay.staff_group = role_info(role).staff_group;
            pay.substantive_gbp = spec.staff_per_org * kFtePerHead * kPayPerFte / 12;
            pay.bank_gbp = 1000, pay.agency_gbp = 500;
            m.pay_costs.push_back(pay);
          }
      }
    for (size_t p = 0; p < here.size(); ++p)
      for (uint16_t org : aggregate_orgs[static_cast<size_t>(spec.sector)][p]) {
        const double heads = spec.staff_per_org;
        const double leavers = std::round(heads * spec.leaver_rate);
        model::AggregateRow row;
        row.month = end;
        row.org = org;
        row.role = role;
        row.staff_group = role_info(role).staff_group;
        row.headcount = heads;
        row.fte = heads * kFtePerHead;
        row.vacant_posts = std::round(heads * options.aggregate_vacancy_rate);
        row.leavers_12m = leavers;
        row.headcount_12m_ago = heads;
        row.stayers_12m = heads - leavers;
        row.international_recruits_12m = std::round(leavers * spec.international_share);
        m.aggregate_returns.push_back(row);
      }
  }
  if (options.pay && options.pay_by_person_months)
    for (const auto& [key, months] : fte_months)
      for (int k = 0; k < 12; ++k) {
        model::PayCostRow pay;
        pay.period = end - k;
        pay.org = key.first;
        pay.staff_group = key.second;
        pay.substantive_gbp = kPayPerFte * months / 12 / 12;
        m.pay_costs.push_back(pay);
      }
  for (uint32_t place : places)
    for (int year = options.census_year - 2; year <= options.census_year + 20; ++year)
      for (uint8_t band = 0; band < 18; ++band) {
        model::PopulationRow row;
        row.place = place;
        row.year = static_cast<int16_t>(year);
        row.age_band = band;
        row.kind = static_cast<uint8_t>(year < options.census_year ? PopulationKind::estimate
                                                                   : PopulationKind::projection);
        // Older bands grow 2% a year, younger ones are flat.
        row.population =
            10000.0 * (band >= 13 ? std::pow(1.02, year - (options.census_year - 1)) : 1.0);
        m.population.push_back(row);
      }
  m.finalize();
  return m;
}

}  // namespace careforce::projection::testing
