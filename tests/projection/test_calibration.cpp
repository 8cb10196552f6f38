#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "projection/calibration.hpp"
#include "projection/calibration_inputs.hpp"
#include "synthetic_model.hpp"

namespace careforce::projection {
namespace {

const Parameter* find_parameter(const Calibration& cal, const std::string& name) {
  for (const auto& p : cal.parameters)
    if (p.name == name) return &p;
  return nullptr;
}

// METRICS.md's worked example: RAA (acute) and PCN1 (primary care), window ending 2024-03-31.
// `non_senders` adds two acute organisations that sent no establishment: RBB (record level,
// staff in post only at the later census, 12 months of nursing pay) and AGG (an aggregate
// return with a vacant post).
model::WorkforceModel worked_example(bool non_senders = false) {
  model::WorkforceModel m;
  const uint32_t place = m.places.intern("Central");
  const uint16_t raa =
      m.add_organisation({"RAA", "Acute trust", Sector::acute, place, DataLevel::record, 0});
  const uint16_t pcn =
      m.add_organisation({"PCN1", "PCN", Sector::primary_care, place, DataLevel::record, 0});
  const uint8_t nurse = *roles().find("adult_nurse"), gpn = *roles().find("practice_nurse");
  auto add = [&](Month month, uint16_t org, const std::string& person, uint8_t role, double fte,
                 RecruitmentSource src) {
    model::StaffInPost::Row row;
    row.month = month;
    row.org = org;
    row.person = m.persons.intern(person);
    row.assignment = m.assignments.intern(std::to_string(org) + "|" + person);
    row.role = role;
    row.staff_group = role_info(role).staff_group;
    row.fte = fte;
    row.birth_year = 1980;
    row.recruitment_source = static_cast<uint8_t>(src);
    m.staff_in_post.append(row);
  };
  const Month s = Month::from_ym(2023, 3), e = Month::from_ym(2024, 3);
  for (int i = 1; i <= 10; ++i)
    add(s, raa, "p" + std::to_string(i), nurse, 1.0, RecruitmentSource::other);
  add(s, pcn, "q1", gpn, 0.5, RecruitmentSource::other);
  add(s, pcn, "q2", gpn, 0.5, RecruitmentSource::other);
  for (int i = 1; i <= 7; ++i)
    add(e, raa, "p" + std::to_string(i), nurse, 1.0, RecruitmentSource::other);
  add(e, raa, "p11", nurse, 1.0, RecruitmentSource::international);
  add(e, raa, "p12", nurse, 1.0, RecruitmentSource::newly_qualified);
  add(e, pcn, "q1", gpn, 0.5, RecruitmentSource::other);
  add(e, pcn, "q2", gpn, 0.5, RecruitmentSource::other);
  add(e, pcn, "p8", gpn, 1.0, RecruitmentSource::other_org_in_system);
  // p9 retired, p10 left for the private sector.
  m.leavers.append({raa,
                    m.persons.find("p9"),
                    0,
                    Date::from_ymd(2023, 10, 31),
                    static_cast<uint8_t>(LeaverReason::retirement),
                    static_cast<uint8_t>(Destination::retirement),
                    {}});
  m.leavers.append({raa,
                    m.persons.find("p10"),
                    0,
                    Date::from_ymd(2023, 12, 31),
                    static_cast<uint8_t>(LeaverReason::voluntary_better_pay),
                    static_cast<uint8_t>(Destination::private_sector),
                    {}});
  // Twelve months of nursing pay ending at E.
  auto pay_nursing = [&](uint16_t org, double monthly_gbp) {
    for (int k = 0; k < 12; ++k) {
      model::PayCostRow pay;
      pay.period = e - k;
      pay.org = org;
      pay.staff_group = role_info(nurse).staff_group;
      pay.substantive_gbp = monthly_gbp;
      m.pay_costs.push_back(pay);
    }
  };
  // Establishment for all nursing roles of RAA (blank role), pay for nursing.
  m.establishment.push_back({e, raa, role_info(nurse).staff_group, kAnyCode, kAnyCode, 10.5, {}});
  pay_nursing(raa, 30000);
  model::ShiftRow bank;
  bank.shift_date = Date::from_ymd(2024, 1, 10);
  bank.org = raa;
  bank.staff_group = role_info(nurse).staff_group;
  bank.outcome = static_cast<uint8_t>(ShiftOutcome::bank);
  bank.hours = 100;
  bank.cost_gbp = 3000;
  m.shifts.push_back(bank);
  if (non_senders) {
    const uint16_t rbb =
        m.add_organisation({"RBB", "Acute trust 2", Sector::acute, place, DataLevel::record, 0});
    add(e, rbb, "r1", nurse, 1.0, RecruitmentSource::other);
    add(e, rbb, "r2", nurse, 0.6, RecruitmentSource::other);
    pay_nursing(rbb, 10000);
    const uint16_t agg =
        m.add_organisation({"AGG", "Aggregate", Sector::acute, place, DataLevel::aggregate, 0});
    model::AggregateRow row;
    row.month = e;
    row.org = agg;
    row.role = nurse;
    row.staff_group = role_info(nurse).staff_group;
    row.headcount = 4;
    row.fte = 3.2;
    row.vacant_posts = 1;
    m.aggregate_returns.push_back(row);
  }
  m.finalize();
  return m;
}

TEST(CalibrationInputs, WorkedExampleFollowsTheSnapshotMethod) {
  const auto m = worked_example();
  const auto in = extract_calibration_inputs(m);
  ASSERT_TRUE(in.has_window);
  ASSERT_EQ(in.units.size(), 2u);
  const uint8_t nurse = *roles().find("adult_nurse");
  const int age = age_band_of(2023 - 1980);
  const auto& c = in.cells[in.cell(0, nurse, age)];
  EXPECT_EQ(c.headcount_start, 10);
  EXPECT_EQ(c.leavers, 3);       // p8, p9, p10
  EXPECT_EQ(c.transfers, 1);     // p8 moved to PCN1
  EXPECT_EQ(c.retirements, 1);   // p9
  EXPECT_EQ(c.reason_known, 3);  // p8 (a move), p9, p10
  EXPECT_EQ(in.cells[in.cell(0, nurse, age_band_of(2024 - 1980))].headcount_end, 9);
  const auto& joined = in.cells[in.cell(0, nurse, age_band_of(2024 - 1980))].joiners;
  EXPECT_EQ(joined[static_cast<size_t>(JoinerSource::international)], 1);
  EXPECT_EQ(joined[static_cast<size_t>(JoinerSource::newly_qualified)], 1);
  EXPECT_EQ(in.transfers.size(), 1u);
}

TEST(CalibrationInputs, ALeaverStillInTheSystemIsNotARetirement) {
  // p1 held adult_nurse at RAA and practice_nurse at PCN1 at S and keeps only the PCN role at
  // E; RAA reports them as retired. They left the nurse cell but not the system, so they are
  // a leaver with a known, non-retirement reason (like a mover), not a retirement.
  model::WorkforceModel m = worked_example();
  const uint16_t raa = 0, pcn = 1;
  const uint8_t nurse = *roles().find("adult_nurse"), gpn = *roles().find("practice_nurse");
  auto add = [&](Month month, uint16_t org, uint8_t role) {
    model::StaffInPost::Row row;
    row.month = month;
    row.org = org;
    row.person = m.persons.intern("dual");
    row.assignment = m.assignments.intern(std::to_string(org) + "|dual");
    row.role = role;
    row.staff_group = role_info(role).staff_group;
    row.fte = 0.5;
    row.birth_year = 1960;
    row.recruitment_source = static_cast<uint8_t>(RecruitmentSource::other);
    m.staff_in_post.append(row);
  };
  const Month s = Month::from_ym(2023, 3), e = Month::from_ym(2024, 3);
  add(s, raa, nurse);
  add(s, pcn, gpn);
  add(e, pcn, gpn);
  m.leavers.append({raa,
                    m.persons.find("dual"),
                    0,
                    Date::from_ymd(2023, 11, 30),
                    static_cast<uint8_t>(LeaverReason::retirement),
                    static_cast<uint8_t>(Destination::retirement),
                    {}});
  m.finalize();
  const auto in = extract_calibration_inputs(m);
  const auto& c = in.cells[in.cell(0, nurse, age_band_of(2023 - 1960))];
  EXPECT_EQ(c.headcount_start, 1);
  EXPECT_EQ(c.leavers, 1);
  EXPECT_EQ(c.transfers, 0);  // no new holding at E
  EXPECT_EQ(c.reason_known, 1);
  EXPECT_EQ(c.retirements, 0);
  // The worked example's own retirement (p9, out of the system) still counts.
  EXPECT_EQ(in.cells[in.cell(0, nurse, age_band_of(2023 - 1980))].retirements, 1);
}

TEST(Calibration, WorkedExampleHandChecked) {
  const Calibration cal = calibrate(worked_example());
  const uint8_t nurse = *roles().find("adult_nurse");
  const Parameter* rate = find_parameter(cal, "leaver_rate[adult_nurse|all]");
  ASSERT_NE(rate, nullptr);
  EXPECT_DOUBLE_EQ(rate->value, 0.3);  // 3 leavers / 10 at S
  EXPECT_EQ(rate->provenance, Provenance::observed);
  EXPECT_EQ(rate->sample_size, 10);
  // The only age band holds the whole role, so shrinkage leaves it at 0.3.
  EXPECT_DOUBLE_EQ(cal.leaver_rate[nurse][static_cast<size_t>(age_band_of(43))], 0.3);
  // Transfers: 1 of the 2 non-retirement leavers moved to practice_nurse in primary care.
  const int from = cal.find_line(0, nurse);
  ASSERT_GE(from, 0);
  ASSERT_EQ(cal.lines[static_cast<size_t>(from)].transfers.size(), 1u);
  EXPECT_DOUBLE_EQ(cal.lines[static_cast<size_t>(from)].transfers[0].share, 0.5);
  const Parameter* moved = find_parameter(cal, "internal_transfer_share[acute|all|adult_nurse]");
  ASSERT_NE(moved, nullptr);
  EXPECT_DOUBLE_EQ(moved->value, 0.5);
  EXPECT_EQ(moved->sample_size, 2);  // non-retirement leavers
  // Joiners from outside: p11 international, p12 newly qualified (p8 came from inside).
  const auto& joiners = cal.lines[static_cast<size_t>(from)].joiners_per_year;
  EXPECT_EQ(joiners[static_cast<size_t>(JoinerSource::international)], 1);
  EXPECT_EQ(joiners[static_cast<size_t>(JoinerSource::newly_qualified)], 1);
  EXPECT_EQ(joiners[static_cast<size_t>(JoinerSource::other)], 0);
  // Establishment of the blank-role nursing row goes to adult_nurse (the only nursing role).
  EXPECT_DOUBLE_EQ(cal.lines[static_cast<size_t>(from)].establishment_fte, 10.5);
  EXPECT_TRUE(cal.lines[static_cast<size_t>(from)].establishment_observed);
  // Unit cost: 12 x 30,000 / mean nursing FTE (10 at S, 9 at E) = 360,000 / 9.5.
  const uint8_t nursing = role_info(nurse).staff_group;
  EXPECT_NEAR(cal.unit_cost_per_fte[nursing], 360000 / 9.5, 1e-6);
  EXPECT_EQ(find_parameter(cal, "unit_cost_per_fte[nursing]")->provenance, Provenance::observed);
  EXPECT_EQ(find_parameter(cal, "unit_cost_per_fte[medical]")->provenance,
            Provenance::default_value);
  // Bank premium: 30 GBP an hour / nursing pay per hour, 360,000 / 9.5 / (37.5 x 52.143).
  EXPECT_NEAR(cal.bank_premium, 30.0 / (360000 / 9.5 / (37.5 * 52.143)), 1e-9);
  EXPECT_DOUBLE_EQ(cal.bank_fill_share, 1.0);
  EXPECT_EQ(find_parameter(cal, "agency_premium")->provenance, Provenance::default_value);
}

TEST(Calibration, OrganisationsThatSentNoEstablishmentCountAtTheirFteInPost) {
  const Calibration cal = calibrate(worked_example(/*non_senders=*/true));
  const uint8_t nurse = *roles().find("adult_nurse");
  const int line = cal.find_line(0, nurse);
  ASSERT_GE(line, 0);
  // RAA's funded 10.5 + RBB's 1.0 + 0.6 in post + AGG's 3.2 in post and 1 vacant post at
  // its 0.8 FTE per head.
  EXPECT_NEAR(cal.lines[static_cast<size_t>(line)].establishment_fte, 10.5 + 1.6 + 3.2 + 0.8, 1e-9);
  const Parameter* p = find_parameter(cal, "establishment_fte[acute|adult_nurse]");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->provenance, Provenance::observed);
  EXPECT_EQ(p->sample_size, 1);  // organisations that sent it
  EXPECT_NEAR(p->value, 16.1, 1e-9);
  // Supply at t = 0 is the FTE in post (RAA 9, RBB 1.6, AGG 3.2), whatever the shrinkage of
  // FTE per head by age band does.
  const auto& l = cal.lines[static_cast<size_t>(line)];
  double fte = 0;
  for (size_t a = 0; a < kAgeBands; ++a)
    fte += static_cast<double>(l.headcount[a]) * l.fte_per_head[a];
  EXPECT_NEAR(fte, 9 + 1.6 + 3.2, 1e-9);
  // Unit cost: RBB had staff in post at one census only, so its FTE is that census's 1.6,
  // not half of it: (12 x 30,000 + 12 x 10,000) / (9.5 + 1.6). AGG sent no pay.
  EXPECT_NEAR(cal.unit_cost_per_fte[role_info(nurse).staff_group], 480000 / 11.1, 1e-6);
}

TEST(Calibration, PremiumsCompareShiftsWithTheirOwnStaffGroupsPay) {
  // 100 bank hours of nursing at 30 GBP and 100 of medical at 90 GBP; nursing pay observed
  // (360,000 / 9.5 a year), medical at its default unit cost.
  model::WorkforceModel m = worked_example();
  model::ShiftRow medical;
  medical.shift_date = Date::from_ymd(2024, 2, 10);
  medical.org = 0;
  medical.staff_group = *staff_groups().find("medical");
  medical.outcome = static_cast<uint8_t>(ShiftOutcome::bank);
  medical.hours = 100;
  medical.cost_gbp = 9000;
  m.shifts.push_back(medical);
  const Calibration cal = calibrate(m);
  const double hours_a_year = 37.5 * 52.143;
  const double nursing_hourly = 360000 / 9.5 / hours_a_year;
  const double medical_hourly = default_unit_cost(medical.staff_group) / hours_a_year;
  EXPECT_NEAR(cal.bank_premium, 12000 / (100 * nursing_hourly + 100 * medical_hourly), 1e-9);
  EXPECT_EQ(find_parameter(cal, "bank_premium")->sample_size, 200);
}

TEST(Calibration, RecoversKnownRatesWithinSamplingError) {
  testing::SyntheticOptions options;
  options.roles = testing::default_synthetic_roles();
  const auto m = testing::build_synthetic_model(options);
  const Calibration cal = calibrate(m, CalibrationOptions{.by_place = true});
  ASSERT_TRUE(cal.has_window);
  ASSERT_EQ(cal.units.size(), 8u * 3u);
  for (const auto& spec : options.roles) {
    const Parameter* p = find_parameter(cal, "leaver_rate[" + spec.role + "|all]");
    ASSERT_NE(p, nullptr) << spec.role;
    // Synthetic leavers of a role also include nobody else, so the true rate is spec.leaver_rate.
    const double n = static_cast<double>(p->sample_size);
    EXPECT_EQ(n, spec.staff_per_org * options.places * options.orgs_per_sector_place) << spec.role;
    const double se = std::sqrt(spec.leaver_rate * (1 - spec.leaver_rate) / n);
    EXPECT_NEAR(p->value, spec.leaver_rate, 4 * se) << spec.role;
  }
  // Age bands: the true rate is flat, so a well-filled band recovers it within its own
  // sampling error plus the (small) shrinkage pull.
  const uint8_t nurse = *roles().find("adult_nurse");
  const double truth = 0.10, n_band = 2400.0 / 9;  // ages 21-64 over ~9 bands
  EXPECT_NEAR(cal.leaver_rate[nurse][5], truth, 4 * std::sqrt(truth * (1 - truth) / n_band) + 0.01);
  // Transfers: adult nurses' movers all go to practice_nurse in primary care in their place.
  double moved_share_sum = 0;
  for (const auto& line : cal.lines)
    if (line.role == nurse)
      for (const auto& t : line.transfers) {
        EXPECT_EQ(cal.lines[t.line].role, *roles().find("practice_nurse"));
        EXPECT_EQ(cal.units[cal.lines[t.line].unit].sector, Sector::primary_care);
        EXPECT_EQ(cal.units[cal.lines[t.line].unit].place, cal.units[line.unit].place);
        moved_share_sum += t.share;
      }
  // 10% of leavers move, so about 0.11 of the non-retiring ones; about 24 movers a place,
  // so each share has a standard error near 0.02 and the mean of 3 near 0.012.
  EXPECT_NEAR(moved_share_sum / options.places, 0.111, 4 * 0.012);
  // Retirement shares follow the synthetic age pattern: none under 55, most at 60+.
  EXPECT_LT(cal.retirement_share[static_cast<size_t>(age_band_of(40))], 0.02);
  EXPECT_GT(cal.retirement_share[static_cast<size_t>(age_band_of(62))], 0.5);
  // Unit cost: pay was staff x 0.88 x 40,000 a year over FTE ~0.88 per head.
  EXPECT_NEAR(cal.unit_cost_per_fte[role_info(nurse).staff_group], 40000, 40000 * 0.05);
}

double parameter_value(const Calibration& cal, const std::string& name) {
  const Parameter* p = find_parameter(cal, name);
  return p ? p->value : 0.0;
}

TEST(Calibration, RecoversJoinersBySourceAndFtePerHead) {
  testing::SyntheticOptions options;
  options.roles = testing::default_synthetic_roles();
  options.part_time_joiners = true;
  const auto m = testing::build_synthetic_model(options);
  const Calibration cal = calibrate(m);
  const int orgs = options.places * options.orgs_per_sector_place;
  for (const auto& spec : options.roles) {
    // Each organisation takes a fixed number of external joiners; each one's source is
    // international with the role's share, newly qualified with kNewlyQualifiedShare, else other.
    const double joiners =
        orgs * static_cast<int>(spec.staff_per_org * spec.leaver_rate * (1 - spec.transfer_share));
    auto joined = [&](const char* source) {
      return parameter_value(cal, "joiners_per_year[" + spec.role + "|" + source + "]");
    };
    EXPECT_EQ(joined("international") + joined("newly_qualified") + joined("other"), joiners)
        << spec.role;
    EXPECT_EQ(joined("return_to_practice") + joined("apprenticeship"), 0) << spec.role;
    for (const auto& [source, share] :
         {std::pair{"international", spec.international_share},
          std::pair{"newly_qualified", testing::kNewlyQualifiedShare},
          std::pair{"other", 1 - spec.international_share - testing::kNewlyQualifiedShare}}) {
      const double se = std::sqrt(joiners * share * (1 - share));
      EXPECT_NEAR(joined(source), joiners * share, std::max(4 * se, 1e-9))
          << spec.role << " " << source;
    }
  }
  // Every person's FTE is 0.6 with probability 0.3, else 1.0: mean 0.88, sd 0.4 x sqrt(0.21).
  const double sd = (1 - testing::kPartTimeFte) *
                    std::sqrt(testing::kPartTimeShare * (1 - testing::kPartTimeShare));
  int checked = 0;
  for (const auto& p : cal.parameters) {
    if (p.name.rfind("fte_per_head[", 0) != 0) continue;
    ASSERT_GT(p.sample_size, 0) << p.name;
    EXPECT_NEAR(p.value, testing::kFtePerHead, 4 * sd / std::sqrt(p.sample_size)) << p.name;
    ++checked;
  }
  EXPECT_EQ(checked, 11);  // the ten roles and pcn_paramedic, whom paramedics move to
  // Every organisation sent establishment: 0.95 a head of the staff at S.
  for (const auto& spec : options.roles)
    EXPECT_NEAR(
        parameter_value(cal, "establishment_fte[" +
                                 std::string(sectors().code(static_cast<uint8_t>(spec.sector))) +
                                 "|" + spec.role + "]"),
        testing::kFundedFtePerHead * spec.staff_per_org * orgs, 1e-6)
        << spec.role;
}

TEST(Calibration, RecoversRetirementSharesOfAnOlderWorkforce) {
  // Staff aged 50-64 at S, no moves: of the leavers, 45% retire at 55-59, 80% at 60-64 and
  // none at 50-54. Each band's share is (R + k d) / (K + k) with K leavers with a known
  // reason, R ~ Binomial(K, truth) and k = 10 pseudo-leavers at the default profile d
  // (docs/projection.md: 0 under 50, 2% at 50-54, 25%, 60%, 85%, 90% above).
  const std::array<double, kAgeBands> prior = {0, 0, 0, 0, 0, 0, 0, 0.02, 0.25, 0.6, 0.85, 0.9};
  const std::array<double, kAgeBands> truth = {0, 0, 0, 0, 0, 0, 0, 0, 0.45, 0.8, 0, 0};
  testing::SyntheticOptions options;
  options.min_age = 50, options.max_age = 64;
  options.retirement_share_55_59 = 0.45, options.retirement_share_60_plus = 0.8;
  options.roles = {{"adult_nurse", Sector::acute, 1000, 0.15, 0, "", Sector::acute, 0.2},
                   {"care_worker", Sector::social_care, 1000, 0.2, 0, "", Sector::acute, 0.2},
                   {"paramedic", Sector::ambulance, 1000, 0.15, 0, "", Sector::acute, 0.2}};
  const auto m = testing::build_synthetic_model(options);
  const Calibration cal = calibrate(m);
  const double k = CalibrationOptions{}.retirement_shrinkage;
  ASSERT_EQ(k, 10);
  double leavers = 0;  // all of them leave the system with a stated reason
  for (const auto& spec : options.roles) {
    const Parameter* rate = find_parameter(cal, "leaver_rate[" + spec.role + "|all]");
    ASSERT_NE(rate, nullptr);
    leavers += std::round(rate->value * static_cast<double>(rate->sample_size));
  }
  double known_total = 0;
  for (int band = 0; band < kAgeBands; ++band) {
    const auto b = static_cast<size_t>(band);
    const Parameter* p =
        find_parameter(cal, std::string("retirement_share[") + age_band_label(band) + "]");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->provenance, Provenance::observed);
    EXPECT_DOUBLE_EQ(cal.retirement_share[b], p->value);
    const auto known = static_cast<double>(p->sample_size);
    known_total += known;
    if (band < 7 || band > 9) {
      EXPECT_EQ(known, 0) << "nobody outside 50-64: " << age_band_label(band);
      EXPECT_NEAR(p->value, prior[b], 1e-12) << age_band_label(band);
      continue;
    }
    ASSERT_GT(known, 600) << age_band_label(band);
    const double expected = (known * truth[b] + k * prior[b]) / (known + k);
    const double se = std::sqrt(known * truth[b] * (1 - truth[b])) / (known + k);
    EXPECT_NEAR(p->value, expected, std::max(4 * se, 1e-12)) << age_band_label(band);
  }
  EXPECT_EQ(known_total, leavers);
}

// FTE in post at E of a synthetic organisation in a role.
double fte_in_post(const model::WorkforceModel& m, const std::string& org_code, const char* role) {
  double fte = 0;
  const uint8_t r = *roles().find(role);
  for (size_t i = 0; i < m.staff_in_post.size(); ++i)
    if (m.staff_in_post.month[i] == m.latest_month() && m.staff_in_post.role[i] == r &&
        m.organisations[m.staff_in_post.org[i]].code == org_code)
      fte += m.staff_in_post.fte[i];
  return fte;
}

TEST(Calibration, EstablishmentOfAMixedUnitCountsEachNonSenderAtItsFteInPost) {
  // One place, acute nurses in three organisations: O0_0_0 sends establishment (0.95 a head of
  // its 200 at S), O0_0_1 sends none, and an aggregate return states 200 heads at 0.88 FTE
  // and 10 vacant posts.
  testing::SyntheticOptions options;
  options.places = 1;
  options.roles = {{"adult_nurse", Sector::acute, 200, 0.1, 0, "", Sector::acute, 0.2}};
  options.establishment_senders = 1;
  options.aggregate_orgs_per_sector_place = 1;
  const auto m = testing::build_synthetic_model(options);
  const Calibration cal = calibrate(m);
  const double non_sender = fte_in_post(m, "O0_0_1", "adult_nurse");
  ASSERT_GT(non_sender, 100);
  const double aggregate = 200 * testing::kFtePerHead + 10 * testing::kFtePerHead;
  const Parameter* p = find_parameter(cal, "establishment_fte[acute|adult_nurse]");
  ASSERT_NE(p, nullptr);
  EXPECT_NEAR(p->value, testing::kFundedFtePerHead * 200 + non_sender + aggregate, 1e-9);
  EXPECT_EQ(p->provenance, Provenance::observed);
  EXPECT_EQ(p->sample_size, 1);
  // The aggregate return's leavers count in the role's rate: 400 record heads at S and 200.
  const Parameter* rate = find_parameter(cal, "leaver_rate[adult_nurse|all]");
  ASSERT_NE(rate, nullptr);
  EXPECT_EQ(rate->sample_size, 600);
  // With no establishment sent at all, the line is its FTE in post plus the stated vacancies.
  options.establishment = false;
  const auto none = testing::build_synthetic_model(options);
  const Calibration cal_none = calibrate(none);
  const Parameter* q = find_parameter(cal_none, "establishment_fte[acute|adult_nurse]");
  ASSERT_NE(q, nullptr);
  EXPECT_NEAR(q->value,
              fte_in_post(none, "O0_0_0", "adult_nurse") +
                  fte_in_post(none, "O0_0_1", "adult_nurse") + aggregate,
              1e-9);
  EXPECT_EQ(q->provenance, Provenance::default_value);
  EXPECT_EQ(q->sample_size, 0);
}

TEST(Calibration, RecoversUnitCostAndPremiumsFromPayAndShifts) {
  // Pay is each person's FTE at 40,000 a year for the months held (stayers 12, leavers and
  // joiners 6, movers 6 in each organisation): FTE-years equal the mean FTE of the two
  // censuses, so the unit cost is recovered exactly. Shifts cost 1.15 (bank) and 1.8 (agency)
  // times that pay per hour, six bank shifts to two agency shifts.
  testing::SyntheticOptions options;
  options.roles = testing::default_synthetic_roles();
  options.pay_by_person_months = true;
  options.shifts_per_org = 8;
  const auto m = testing::build_synthetic_model(options);
  const Calibration cal = calibrate(m);
  std::set<uint8_t> groups;
  for (const auto& spec : options.roles)
    groups.insert(role_info(*roles().find(spec.role)).staff_group);
  for (uint8_t g : groups) {
    const std::string name = "unit_cost_per_fte[" + staff_groups().code(g) + "]";
    const Parameter* p = find_parameter(cal, name);
    ASSERT_NE(p, nullptr) << name;
    EXPECT_EQ(p->provenance, Provenance::observed) << name;
    EXPECT_NEAR(cal.unit_cost_per_fte[g], testing::kPayPerFte, 1e-6) << name;
  }
  EXPECT_NEAR(cal.bank_premium, options.bank_premium, 1e-9);
  EXPECT_NEAR(cal.agency_premium, options.agency_premium, 1e-9);
  EXPECT_NEAR(cal.bank_fill_share, 0.75, 1e-12);
  const int orgs = options.places * options.orgs_per_sector_place;
  EXPECT_EQ(find_parameter(cal, "bank_premium")->sample_size,
            static_cast<int64_t>(options.roles.size()) * orgs * 6 * 7.5);
}

// One acute organisation of adult nurses; per cell {age at S, persons at S, of whom leavers,
// of whom retired (leavers.csv reason retirement; the other leavers' reasons are unknown)}.
model::WorkforceModel nurses_by_age(const std::vector<std::array<int, 4>>& cells) {
  model::WorkforceModel m;
  const uint32_t place = m.places.intern("Central");
  const uint16_t org =
      m.add_organisation({"RAA", "Acute trust", Sector::acute, place, DataLevel::record, 0});
  const uint8_t nurse = *roles().find("adult_nurse");
  const Month s = Month::from_ym(2023, 3), e = Month::from_ym(2024, 3);
  int next = 0;
  for (const auto& [age, heads, leavers, retired] : cells)
    for (int i = 0; i < heads; ++i) {
      const std::string person = "p" + std::to_string(next++);
      if (i < retired)
        m.leavers.append({org,
                          m.persons.intern(person),
                          0,
                          Date::from_ymd(2023, 10, 31),
                          static_cast<uint8_t>(LeaverReason::retirement),
                          static_cast<uint8_t>(Destination::retirement),
                          {}});
      for (Month month : {s, e}) {
        if (month == e && i < leavers) continue;
        model::StaffInPost::Row row;
        row.month = month;
        row.org = org;
        row.person = m.persons.intern(person);
        row.assignment = m.assignments.intern(person);
        row.role = nurse;
        row.staff_group = role_info(nurse).staff_group;
        row.fte = 1.0;
        row.birth_year = static_cast<int16_t>(2023 - age);
        row.recruitment_source = static_cast<uint8_t>(RecruitmentSource::other);
        m.staff_in_post.append(row);
      }
    }
  m.finalize();
  return m;
}

TEST(Calibration, SmallCellsAreShrunkTowardTheRoleRate) {
  // 100 nurses aged 40 of whom 10 left, and 5 aged 60 of whom 3 left: the role's rate is
  // 13 / 105; each band's rate is (L + k p_role) / (N + k) with k = leaver_shrinkage = 20.
  const auto m = nurses_by_age({{40, 100, 10, 0}, {60, 5, 3, 0}});
  const uint8_t nurse = *roles().find("adult_nurse");
  const size_t forty = static_cast<size_t>(age_band_of(40)),
               sixty = static_cast<size_t>(age_band_of(60));
  const double role = 13.0 / 105;
  const Calibration cal = calibrate(m);
  ASSERT_EQ(CalibrationOptions{}.leaver_shrinkage, 20);
  EXPECT_NEAR(parameter_value(cal, "leaver_rate[adult_nurse|all]"), role, 1e-12);
  EXPECT_NEAR(cal.leaver_rate[nurse][sixty], (3 + 20 * role) / (5 + 20), 1e-12);
  EXPECT_NEAR(cal.leaver_rate[nurse][forty], (10 + 20 * role) / (100 + 20), 1e-12);
  // A band with nobody at S takes the role's rate.
  EXPECT_NEAR(cal.leaver_rate[nurse][static_cast<size_t>(age_band_of(30))], role, 1e-12);
  const Parameter* small = find_parameter(cal, "leaver_rate[adult_nurse|60-64]");
  ASSERT_NE(small, nullptr);
  EXPECT_EQ(small->sample_size, 5);
  EXPECT_DOUBLE_EQ(small->value, cal.leaver_rate[nurse][sixty]);
  // The weight is an option: with k = 0 the small band keeps its own 3 / 5.
  const Calibration raw = calibrate(m, CalibrationOptions{.leaver_shrinkage = 0});
  EXPECT_NEAR(raw.leaver_rate[nurse][sixty], 0.6, 1e-12);
  EXPECT_NEAR(raw.leaver_rate[nurse][forty], 0.1, 1e-12);
}

TEST(Calibration, WithoutShrinkageEmptyCellsTakeTheirPriorNotNaN) {
  // With no pseudo-observations, a band with nobody at S (leaver rate) or no leavers with a
  // known reason (retirement share) has no data: it takes the role's rate or the default
  // retirement profile instead of 0 / 0.
  const auto m = nurses_by_age({{40, 100, 10, 0}, {60, 5, 3, 3}});
  const Calibration cal =
      calibrate(m, CalibrationOptions{.leaver_shrinkage = 0, .retirement_shrinkage = 0});
  const uint8_t nurse = *roles().find("adult_nurse");
  for (size_t a = 0; a < kAgeBands; ++a) {
    EXPECT_FALSE(std::isnan(cal.leaver_rate[nurse][a])) << age_band_label(static_cast<int>(a));
    EXPECT_FALSE(std::isnan(cal.retirement_share[a])) << age_band_label(static_cast<int>(a));
  }
  EXPECT_NEAR(cal.leaver_rate[nurse][static_cast<size_t>(age_band_of(30))], 13.0 / 105, 1e-12);
  // Only the three retired 60-64s have a known reason: that band is 3 / 3, the others the
  // default profile (90% at 70+, 0 at 30).
  EXPECT_NEAR(cal.retirement_share[static_cast<size_t>(age_band_of(60))], 1.0, 1e-12);
  EXPECT_NEAR(cal.retirement_share[kAgeBands - 1], 0.9, 1e-12);
  EXPECT_EQ(cal.retirement_share[static_cast<size_t>(age_band_of(30))], 0);
  for (const auto& p : cal.parameters) EXPECT_FALSE(std::isnan(p.value)) << p.name;
}

TEST(Calibration, FallsBackToStatedDefaultsWithoutAWindow) {
  testing::SyntheticOptions options;
  options.roles = {{"care_worker", Sector::social_care, 50, 0.3, 0, "", Sector::acute, 0.1}};
  options.places = 1;
  options.orgs_per_sector_place = 1;
  auto m = testing::build_synthetic_model(options);
  // Drop the earlier census: only one snapshot remains.
  model::WorkforceModel single;
  single.places = m.places;
  for (const auto& org : m.organisations) single.add_organisation(org);
  for (size_t i = 0; i < m.staff_in_post.size(); ++i)
    if (m.staff_in_post.month[i] == m.latest_month())
      single.staff_in_post.append(m.staff_in_post.row(i));
  single.finalize();
  const Calibration cal = calibrate(single);
  EXPECT_FALSE(cal.has_window);
  const Parameter* p = find_parameter(cal, "leaver_rate[care_worker|all]");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->provenance, Provenance::default_value);
  EXPECT_DOUBLE_EQ(p->value, default_leaver_rate(*roles().find("care_worker")));
  EXPECT_EQ(find_parameter(cal, "establishment_fte[social_care|care_worker]")->provenance,
            Provenance::default_value);
}

}  // namespace
}  // namespace careforce::projection
