// Golden tests: the worked example of METRICS.md and hand-checked fixtures for each family.
#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "metrics/engine.hpp"
#include "metrics/registry.hpp"
#include "model_builder.hpp"
#include "result_lookup.hpp"

namespace careforce::metrics {
namespace {

using testing::has;
using testing::pick;
using testing::Pick;
using testing::run;
using testing::Staff;
using testing::ym;
using testing::ymd;

uint8_t code_nursing() {
  return testing::code(staff_groups(), "nursing");
}

/// The worked example of METRICS.md: RAA (acute) and PCN1 (primary care), one place.
testing::ModelBuilder worked_example() {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("PCN1", "primary_care", "North");
  const Month s = ym(2023, 3), e = ym(2024, 3);
  for (int i = 1; i <= 10; ++i) b.sip(s, "RAA", "p" + std::to_string(i));
  Staff pcn{.role = "practice_nurse", .fte = 0.5};
  b.sip(s, "PCN1", "q1", pcn);
  b.sip(s, "PCN1", "q2", pcn);
  for (int i = 1; i <= 7; ++i) b.sip(e, "RAA", "p" + std::to_string(i));
  b.sip(e, "RAA", "p11", {.source = "international"});
  b.sip(e, "RAA", "p12", {.source = "newly_qualified"});
  b.sip(e, "PCN1", "q1", pcn);
  b.sip(e, "PCN1", "q2", pcn);
  b.sip(e, "PCN1", "p8", {.role = "practice_nurse", .fte = 1.0, .source = "other_org_in_system"});
  return b;
}

TEST(WorkedExample, OrganisationTurnoverAndStability) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  // RAA: leavers p8, p9, p10 = 3; mean SIP (10 + 9) / 2 = 9.5; 3 / 9.5 x 100 = 31.578...
  const auto& t = pick(results, {"turnover_rate", "RAA", "headcount"});
  EXPECT_NEAR(t.value, 31.58, 0.005);
  EXPECT_DOUBLE_EQ(t.numerator, 3);
  EXPECT_DOUBLE_EQ(t.denominator, 9.5);
  EXPECT_EQ(t.coverage_orgs, 1);
  EXPECT_EQ(t.total_orgs, 1);
  // Stability: stayers p1..p7 = 7 of SIP_S 10.
  EXPECT_NEAR(pick(results, {"stability_index", "RAA", "headcount"}).value, 70.00, 1e-9);
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "RAA"}).value, 3);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "RAA"}).value, 2);
  // PCN1: SIP_S 2, SIP_E 3 (p8 joined), no leavers.
  EXPECT_DOUBLE_EQ(pick(results, {"turnover_rate", "PCN1", "headcount"}).value, 0);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "PCN1"}).value, 1);
}

TEST(WorkedExample, SystemTurnoverAndRetention) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  // System: SIP_S 12, SIP_E 12, leavers p9 and p10: 2 / 12 x 100 = 16.666...
  const auto& t = pick(results, {"turnover_rate", "system", "headcount"});
  EXPECT_NEAR(t.value, 16.67, 0.005);
  EXPECT_DOUBLE_EQ(t.numerator, 2);
  EXPECT_DOUBLE_EQ(t.denominator, 12);
  EXPECT_EQ(t.coverage_orgs, 2);
  EXPECT_EQ(t.total_orgs, 2);
  // System retention: 10 stayers / 12 = 83.33.
  const auto& r = pick(results, {"system_retention_rate", "system"});
  EXPECT_NEAR(r.value, 83.33, 0.005);
  EXPECT_DOUBLE_EQ(r.numerator, 10);
  // RAA's staff retained in the system: p1..p7 and p8 (now at PCN1) = 8 / 10.
  EXPECT_DOUBLE_EQ(pick(results, {"system_retention_rate", "RAA"}).value, 80);
  // The place holds both organisations, so it equals the system.
  EXPECT_NEAR(pick(results, {"turnover_rate", "North", "headcount"}).value, 16.67, 0.005);
}

TEST(WorkedExample, AcuteSectorEqualsRaa) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  for (const char* metric : {"turnover_rate", "stability_index", "system_retention_rate", "leavers",
                             "joiners", "sip_headcount", "sip_fte"}) {
    for (const auto& r : results) {
      if (r.metric != metric || r.scope != "RAA") continue;
      const auto& s =
          pick(results, {metric, "acute", std::string(r.basis), std::string(r.staff_group)});
      EXPECT_EQ(s.scope_type, ScopeType::sector);
      EXPECT_DOUBLE_EQ(s.value, r.value) << metric << " " << r.basis << " " << r.staff_group;
      EXPECT_DOUBLE_EQ(s.numerator, r.numerator) << metric;
    }
  }
}

TEST(WorkedExample, FteBasisAndStaffGroupMoves) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  // System FTE: leavers p9, p10 = 2.0 FTE at S; SIP FTE S = 10 + 0.5 + 0.5 = 11,
  // E = 9 + 0.5 + 0.5 + 1.0 = 11; 2 / 11 x 100 = 18.1818...
  const auto& f = pick(results, {"turnover_rate", "system", "fte"});
  EXPECT_NEAR(f.value, 200.0 / 11, 1e-9);
  EXPECT_DOUBLE_EQ(f.denominator, 11);
  // p8 moved from nursing (RAA) to primary_care_direct (PCN1): a nursing leaver of the
  // system. Nursing S = p1..p10 (10), E = p1..p7, p11, p12 (9): 3 / 9.5.
  const auto& n = pick(results, {"turnover_rate", "system", "headcount", "nursing"});
  EXPECT_DOUBLE_EQ(n.numerator, 3);
  EXPECT_NEAR(n.value, 300 / 9.5, 1e-9);
  // ...and not retained in nursing: 7 / 10.
  EXPECT_DOUBLE_EQ(pick(results, {"system_retention_rate", "system", "", "nursing"}).value, 70);
  // primary_care_direct: q1, q2 stay, p8 joins: no leavers, 1 joiner.
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "system", "", "primary_care_direct"}).value, 0);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "system", "", "primary_care_direct"}).value, 1);
  // Recruitment: RAA joiners p11 (international), p12 (newly qualified): 1 / 2.
  EXPECT_DOUBLE_EQ(pick(results, {"international_share_of_joiners", "RAA"}).value, 50);
  const auto& src =
      pick(results, {"joiner_source_share", "system", "headcount", "all", "other_org_in_system"});
  EXPECT_DOUBLE_EQ(src.numerator, 0);  // p8 joined PCN1 but did not join the system
  EXPECT_DOUBLE_EQ(src.denominator, 2);
}

TEST(StaffInPost, TwoAssignmentsCountOnceInTotalAndOnceInEachGroup) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month s = ym(2023, 3), e = ym(2024, 3);
  // x works 0.5 as a nurse and 0.5 as a physiotherapist at S; at E only nursing (0.6).
  b.sip(s, "RAA", "x", {.role = "adult_nurse", .fte = 0.5, .assignment = "x-n"});
  b.sip(s, "RAA", "x", {.role = "physiotherapist", .fte = 0.5, .assignment = "x-p"});
  b.sip(s, "RAA", "y", {.role = "physiotherapist"});
  b.sip(e, "RAA", "x", {.role = "adult_nurse", .fte = 0.6, .assignment = "x-n"});
  b.sip(e, "RAA", "y", {.role = "physiotherapist"});
  const auto results = run(b.done(), e);
  // At E: x and y = 2 persons; nursing 1, ahp 1; FTE 1.6 adds up.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "RAA"}).value, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_fte", "RAA"}).value, 1.6);
  // At S headcount 2 in total but nursing 1 + ahp 2 = 3 by group.
  EXPECT_DOUBLE_EQ(pick(results, {"stability_index", "RAA", "headcount"}).denominator, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"stability_index", "RAA", "headcount", "ahp"}).denominator, 2);
  // x left ahp but not the organisation: an ahp leaver (FTE 0.5), not a leaver in total.
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "RAA"}).value, 0);
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "RAA", "", "ahp"}).value, 1);
  const auto& ahp_fte = pick(results, {"turnover_rate", "RAA", "fte", "ahp"});
  EXPECT_DOUBLE_EQ(ahp_fte.numerator, 0.5);
  // Mean ahp FTE: S 0.5 + 1.0 = 1.5, E 1.0: 1.25.
  EXPECT_DOUBLE_EQ(ahp_fte.denominator, 1.25);
  // Stayer FTE at S in total: x 1.0 + y 1.0 = 2.0 of SIP FTE 2.0.
  EXPECT_DOUBLE_EQ(pick(results, {"stability_index", "RAA", "fte"}).value, 100);
}

TEST(StaffInPost, ByRoleReportsRoleAndItsStaffGroup) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3), Breakdown::role);
  const auto& r = pick(results, {"sip_headcount", "system", "headcount", "primary_care_direct", "",
                                 "practice_nurse"});
  EXPECT_DOUBLE_EQ(r.value, 3);  // q1, q2, p8
  EXPECT_FALSE(has(results, {"sip_headcount", "system", "headcount", "nursing"}));
}

TEST(RollingTurnover, EventsInWindowOverMeanOfThirteenSnapshots) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  // 10 staff every month end 2023-03..2024-03, plus 3 more in the first 3 months:
  // headcounts 13, 13, 13, then 10 x 10 = 139 / 13.
  for (int k = 0; k <= 12; ++k) {
    const Month month = ym(2023, 3) + k;
    for (int i = 1; i <= 10; ++i) b.sip(month, "RAA", "p" + std::to_string(i));
    if (k < 3)
      for (const char* p : {"a", "b", "c"}) b.sip(month, "RAA", p, {.fte = 0.5});
  }
  b.leaver("RAA", "a", ymd(2023, 6, 15), "voluntary_relocation");  // counted
  b.leaver("RAA", "b", ymd(2023, 6, 20), "rotation");              // excluded by default
  b.leaver("RAA", "c", ymd(2023, 6, 30), "end_of_fixed_term");     // kept
  b.leaver("RAA", "z", ymd(2023, 3, 31), "retirement");            // on S: outside (S, E]
  auto& m = b.done();
  Query q;
  q.at = ym(2024, 3);
  q.metrics = {"rolling_turnover_rate"};
  auto r = compute(m, q);
  ASSERT_TRUE(r.is_ok());
  const auto& t = pick(*r, {"rolling_turnover_rate", "RAA"});
  // 2 events / (139 / 13) x 100 = 18.705...
  EXPECT_DOUBLE_EQ(t.numerator, 2);
  EXPECT_NEAR(t.denominator, 139.0 / 13, 1e-12);
  EXPECT_NEAR(t.value, 200.0 * 13 / 139, 1e-9);
  EXPECT_EQ(t.options, "basis=headcount; excluded=rotation");
  // FTE basis, nothing excluded: 3 leavers x 0.5 FTE / mean FTE (3 x 11.5 + 10 x 10) / 13.
  q.rolling.fte_basis = true;
  q.rolling.excluded_reasons.clear();
  auto f = compute(m, q);
  ASSERT_TRUE(f.is_ok());
  const auto& tf = pick(*f, {"rolling_turnover_rate", "RAA"});
  EXPECT_DOUBLE_EQ(tf.numerator, 1.5);
  EXPECT_NEAR(tf.denominator, 134.5 / 13, 1e-12);
  EXPECT_EQ(tf.options, "basis=fte; excluded=none");
  EXPECT_EQ(tf.basis, "fte");
  // Leavers by reason take every reason: 3 leavers, 1 rotation.
  q.metrics = {"leaver_reason_share"};
  auto c = compute(m, q);
  ASSERT_TRUE(c.is_ok());
  const auto& rot = pick(*c, {"leaver_reason_share", "RAA", "headcount", "all", "rotation"});
  EXPECT_DOUBLE_EQ(rot.numerator, 1);
  EXPECT_DOUBLE_EQ(rot.denominator, 3);
  EXPECT_NEAR(rot.value, 100.0 / 3, 1e-9);
}

TEST(Sickness, EpisodesCrossingTheWindowOpenAndNearestSnapshotTie) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  // z every month end 2022-12..2023-12 at 1.0 FTE, except 2023-02 at 0.5.
  for (int k = 0; k <= 12; ++k) {
    const Month month = ym(2022, 12) + k;
    b.sip(month, "RAA", "z", {.fte = month == ym(2023, 2) ? 0.5 : 1.0});
  }
  // Starts 2023-02-14: 14 days after 01-31 and 14 before 02-28: the tie goes to January
  // (1.0 FTE). 10 days x 1.0 = 10.
  b.absence("RAA", "z", ymd(2023, 2, 14), ymd(2023, 2, 23), "back");
  // Crosses the window start: 5 days (2023-01-01..05) inside, FTE at 2022-12-31 = 1.0.
  b.absence("RAA", "z", ymd(2022, 12, 20), ymd(2023, 1, 5), "cold_flu");
  // Still open: 2023-11-20..2023-12-31 = 42 days inside; long-term (> 28 days).
  b.absence("RAA", "z", ymd(2023, 11, 20), model::kOpenEnd, "anxiety_stress_depression");
  const auto results = run(b.done(), ym(2023, 12));
  // Lost 10 + 5 + 42 = 57; available 365 days x 1.0 less 28 x 0.5 for February = 351.
  const auto& s = pick(results, {"sickness_absence_rate", "RAA"});
  EXPECT_DOUBLE_EQ(s.numerator, 57);
  EXPECT_DOUBLE_EQ(s.denominator, 351);
  EXPECT_NEAR(s.value, 5700.0 / 351, 1e-9);
  // Short-term: 10 + 5 = 15; long-term: 42.
  EXPECT_DOUBLE_EQ(pick(results, {"sickness_absence_rate_short_term", "RAA"}).numerator, 15);
  EXPECT_DOUBLE_EQ(pick(results, {"sickness_absence_rate_long_term", "RAA"}).numerator, 42);
  EXPECT_DOUBLE_EQ(
      pick(results, {"sickness_absence_rate_by_reason", "RAA", "", "all", "back"}).numerator, 10);
  // December alone: 31 days lost of 31 available.
  const auto& month = pick(results, {"sickness_absence_rate_month", "RAA"});
  EXPECT_DOUBLE_EQ(month.value, 100);
}

TEST(Vacancy, CellsAtTheirOwnGranularityOverEstablishmentDoesNotCancel) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("CARE1", "social_care", "North", DataLevel::aggregate);
  for (int k = 0; k < 3; ++k) {
    const Month month = ym(2024, 1) + k;
    // 8 nurses (1.0), 4 physiotherapists band 6 (1.0), no radiographer.
    for (int i = 0; i < 8; ++i) b.sip(month, "RAA", "n" + std::to_string(i));
    for (int i = 0; i < 4; ++i)
      b.sip(month, "RAA", "t" + std::to_string(i), {.role = "physiotherapist", .band = "6"});
    b.establishment(month, "RAA", "ahp", "radiographer", "", 2);       // vacant 3 months
    if (k >= 1) b.establishment(month, "RAA", "nursing", "", "", 10);  // vacant 2 months
  }
  const Month e = ym(2024, 3);
  b.establishment(e, "RAA", "ahp", "physiotherapist", "6", 3);  // over-established by 1
  b.aggregate(e, "CARE1", "care_worker", 45, 40).vacant_posts = 5;
  const auto results = run(b.done(), e);
  // Vacancy FTE: nursing 10 - 8 = 2, physio max(0, 3 - 4) = 0, radiographer 2 = 4 of 15.
  const auto& v = pick(results, {"vacancy_rate", "system", "fte"});
  EXPECT_DOUBLE_EQ(v.numerator, 4);
  EXPECT_DOUBLE_EQ(v.denominator, 15);
  EXPECT_NEAR(v.value, 400.0 / 15, 1e-9);
  EXPECT_EQ(v.coverage_orgs, 1);
  EXPECT_EQ(v.total_orgs, 2);
  // Posts basis from the aggregate organisation: 5 / (45 + 5) = 10%, its own coverage.
  const auto& p = pick(results, {"vacancy_rate", "system", "posts"});
  EXPECT_DOUBLE_EQ(p.value, 10);
  EXPECT_EQ(p.coverage_orgs, 1);
  // ahp: radiographer 2 + physio 0 of 5 funded.
  EXPECT_DOUBLE_EQ(pick(results, {"vacancy_rate", "RAA", "fte", "ahp"}).value, 40);
  // Long-term: only the radiographer cell (3 month ends), 2 FTE.
  EXPECT_DOUBLE_EQ(pick(results, {"long_term_vacancy_count", "RAA"}).value, 1);
  EXPECT_DOUBLE_EQ(pick(results, {"long_term_vacancy_fte", "RAA"}).value, 2);
  // RAA sends no aggregate return: no posts basis for it, and CARE1 no fte basis.
  EXPECT_FALSE(pick(results, {"vacancy_rate", "RAA", "posts"}).available);
  EXPECT_FALSE(pick(results, {"vacancy_rate", "CARE1", "fte"}).available);
}

TEST(Aggregate, MixedWithRecordLevelSumsNumeratorsAndDenominators) {
  auto b = worked_example();
  b.org("CARE1", "social_care", "South", DataLevel::aggregate);
  auto& row = b.aggregate(ym(2024, 3), "CARE1", "care_worker", 50, 45);
  row.leavers_12m = 10, row.headcount_12m_ago = 40, row.stayers_12m = 30;
  row.age_55_plus_headcount = 12;
  const auto results = run(b.done(), ym(2024, 3));
  // System leavers 2 + 10 = 12; SIP_S 12 + 40 = 52; SIP_E 12 + 50 = 62; 12 / 57.
  const auto& t = pick(results, {"turnover_rate", "system", "headcount"});
  EXPECT_DOUBLE_EQ(t.numerator, 12);
  EXPECT_DOUBLE_EQ(t.denominator, 57);
  EXPECT_EQ(t.coverage_orgs, 3);
  EXPECT_EQ(std::vector<std::string>(t.files.begin(), t.files.end()),
            (std::vector<std::string>{"staff_in_post.csv", "aggregate_returns.csv"}));
  // Stability (10 + 30) / 52.
  EXPECT_NEAR(pick(results, {"stability_index", "system", "headcount"}).value, 4000.0 / 52, 1e-9);
  // The FTE basis has no aggregate figures: 2 of 3 organisations.
  EXPECT_EQ(pick(results, {"turnover_rate", "system", "fte"}).coverage_orgs, 2);
  // Headcount 12 + 50; the social care sector is CARE1 alone.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system"}).value, 62);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "social_care"}).value, 50);
  EXPECT_DOUBLE_EQ(pick(results, {"age_55_plus_share", "CARE1"}).value, 24);
}

TEST(Availability, MissingFilesAreNotAvailableNeverZero) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  for (const char* metric : {"sickness_absence_rate", "rolling_turnover_rate", "vacancy_rate",
                             "agency_share_of_pay", "shift_fill_rate", "fte_per_100k_population"}) {
    const auto& r = pick(results, {metric, "system"});
    EXPECT_FALSE(r.available) << metric;
    EXPECT_TRUE(std::isnan(r.value)) << metric;
    EXPECT_EQ(r.coverage_orgs, 0) << metric;
    EXPECT_EQ(r.total_orgs, 2) << metric;
  }
  // A month without any staff in post: not available either.
  const auto none = run(b.m, ym(2020, 1));
  EXPECT_FALSE(pick(none, {"sip_headcount", "system"}).available);
}

TEST(PayAndShifts, SharesAndFillRates) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.sip(ym(2024, 3), "RAA", "p1");
  // Pay over the 12 months (2023-03, 2024-03]: 2023-04 and 2024-03 count, 2023-03 does not.
  auto pay = [&](Month period, double sub, double bank, double agency) {
    b.m.pay_costs.push_back({period, 0, code_nursing(), sub, bank, agency, {}});
  };
  pay(ym(2023, 3), 1000, 1000, 1000);
  pay(ym(2023, 4), 800, 50, 50);
  pay(ym(2024, 3), 900, 100, 100);
  auto shift = [&](int day, const char* outcome, const char* reason, float hours, double cost) {
    model::ShiftRow s;
    s.shift_date = ymd(2024, 3, day);
    s.staff_group = code_nursing();
    s.role = testing::code(roles(), "adult_nurse");
    s.outcome = testing::code(shift_outcomes(), outcome);
    s.cover_reason = testing::code(cover_reasons(), reason);
    s.hours = hours;
    s.cost_gbp = cost;
    b.m.shifts.push_back(s);
  };
  shift(1, "bank", "vacancy", 7.5, 200);
  shift(2, "bank", "sickness", 7.5, 210);
  shift(3, "agency", "vacancy", 12, 600);
  shift(4, "unfilled", "vacancy", 12, 0);
  const auto results = run(b.done(), ym(2024, 3));
  // Agency 150 of 2000; bank 150 of 2000.
  EXPECT_DOUBLE_EQ(pick(results, {"agency_share_of_pay", "RAA"}).value, 7.5);
  EXPECT_DOUBLE_EQ(pick(results, {"bank_share_of_pay", "RAA", "", "nursing"}).value, 7.5);
  // 3 of 4 shifts filled; 2 of 3 by bank.
  EXPECT_DOUBLE_EQ(pick(results, {"shift_fill_rate", "RAA"}).value, 75);
  EXPECT_NEAR(pick(results, {"bank_fill_share", "RAA"}).value, 200.0 / 3, 1e-9);
  // Filled hours for vacancy 7.5 + 12 = 19.5 of 27; cost 800 of 1010.
  const auto& h = pick(results, {"shift_hours_by_cover_reason", "RAA", "", "all", "vacancy"});
  EXPECT_DOUBLE_EQ(h.value, 19.5);
  EXPECT_DOUBLE_EQ(h.denominator, 27);
  EXPECT_DOUBLE_EQ(
      pick(results, {"shift_cost_by_cover_reason", "RAA", "", "all", "sickness"}).value, 210);
}

TEST(AgeAndEquality, BandsAndSeniorShare) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month e = ym(2024, 3);
  // Ages at 2024: 23 (<25), 34 (25-34), 55 (55-64), 66 (65+).
  b.sip(e, "RAA", "a", {.band = "3", .birth_year = 2001});
  b.sip(e, "RAA", "b", {.band = "8A", .birth_year = 1990, .ethnic = "asian"});
  b.sip(e, "RAA", "c", {.band = "9", .birth_year = 1969, .ethnic = "not_stated"});
  b.sip(e, "RAA", "d", {.band = "vsm", .birth_year = 1958, .sex = "male"});
  const auto results = run(b.done(), e);
  EXPECT_DOUBLE_EQ(pick(results, {"age_band_share", "RAA", "", "all", "<25"}).numerator, 1);
  EXPECT_DOUBLE_EQ(pick(results, {"age_band_share", "RAA", "", "all", "25-34"}).value, 25);
  EXPECT_DOUBLE_EQ(pick(results, {"age_55_plus_share", "RAA"}).value, 50);  // c and d
  // Senior (8A+): b asian, c not stated, d white: 1 minority of 2 stated.
  const auto& s = pick(results, {"ethnic_minority_share_senior", "RAA"});
  EXPECT_DOUBLE_EQ(s.numerator, 1);
  EXPECT_DOUBLE_EQ(s.denominator, 2);
  // Band group 8C-9 and vsm: c and d; male 1 of 2.
  const auto& rep =
      pick(results, {"representation_share", "RAA", "", "all", "8C-9 and vsm|sex=male"});
  EXPECT_DOUBLE_EQ(rep.value, 50);
  EXPECT_DOUBLE_EQ(rep.denominator, 2);
}

TEST(Population, FtePerHundredThousandByPlace) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("RBB", "acute", "South");
  const Month e = ym(2024, 3);
  for (int i = 0; i < 4; ++i) b.sip(e, "RAA", "p" + std::to_string(i), {.fte = 0.5});
  b.sip(e, "RBB", "q", {.fte = 1.0});
  const uint32_t north = b.m.places.find("North");
  // North: 2023 estimate 3,000 + 1,000 (2022 ignored; latest estimate up to 2024).
  b.m.population.push_back({north, 2022, 0, 0, 9999, {}});
  b.m.population.push_back({north, 2023, 0, 0, 3000, {}});
  b.m.population.push_back({north, 2023, 1, 0, 1000, {}});
  const auto results = run(b.done(), e);
  // North: 2.0 FTE / 4,000 x 100,000 = 50; 2,000 residents per FTE.
  EXPECT_DOUBLE_EQ(pick(results, {"fte_per_100k_population", "North"}).value, 50);
  EXPECT_DOUBLE_EQ(pick(results, {"population_per_fte", "North"}).value, 2000);
  // South has no population: not available; the system covers North only.
  EXPECT_FALSE(pick(results, {"fte_per_100k_population", "South"}).available);
  const auto& sys = pick(results, {"fte_per_100k_population", "system"});
  EXPECT_EQ(sys.coverage_orgs, 1);
  EXPECT_DOUBLE_EQ(sys.value, 50);
  EXPECT_FALSE(has(results, {"fte_per_100k_population", "RAA"}));
}

TEST(Growth, FteGrowthOverTwelveMonths) {
  auto b = worked_example();
  const auto results = run(b.done(), ym(2024, 3));
  // RAA 10 -> 9 FTE: -10%; PCN1 1.0 -> 2.0: +100%.
  EXPECT_DOUBLE_EQ(pick(results, {"fte_growth_12m", "RAA"}).value, -10);
  EXPECT_DOUBLE_EQ(pick(results, {"fte_growth_12m", "PCN1"}).value, 100);
  EXPECT_DOUBLE_EQ(pick(results, {"fte_growth_12m", "system"}).value, 0);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(RollingTurnover, PersonInTwoOrganisationsCountsOnceInTheSystem) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("RBB", "community", "North");
  for (int k = 0; k <= 12; ++k) {
    const Month month = testing::ym(2023, 3) + k;
    b.sip(month, "RAA", "d", {.fte = 0.6});
    b.sip(month, "RBB", "d", {.role = "physiotherapist", .fte = 0.4});
    b.sip(month, "RAA", "e");
  }
  b.leaver("RAA", "x", testing::ymd(2023, 9, 1), "retirement");
  b.leaver("RBB", "y", testing::ymd(2023, 10, 1), "retirement");
  Query q;
  q.at = testing::ym(2024, 3);
  q.metrics = {"rolling_turnover_rate", "sickness_absence_rate"};
  auto r = compute(b.done(), q);
  ASSERT_TRUE(r.is_ok());
  // d and e every month: the system's mean headcount is 2, RAA's 2, RBB's 1.
  const auto& sys = pick(*r, {"rolling_turnover_rate", "system"});
  EXPECT_DOUBLE_EQ(sys.denominator, 2);
  EXPECT_DOUBLE_EQ(sys.value, 100);  // 2 events / 2
  EXPECT_EQ(sys.coverage_orgs, 2);
  EXPECT_DOUBLE_EQ(pick(*r, {"rolling_turnover_rate", "RAA"}).denominator, 2);
  EXPECT_DOUBLE_EQ(pick(*r, {"rolling_turnover_rate", "RBB"}).denominator, 1);
  // By staff group at the place: nursing d (RAA) and e = 2; ahp d (RBB) = 1.
  EXPECT_DOUBLE_EQ(pick(*r, {"rolling_turnover_rate", "North", "", "nursing"}).denominator, 2);
  EXPECT_DOUBLE_EQ(pick(*r, {"rolling_turnover_rate", "North", "", "ahp"}).denominator, 1);
  // No absence.csv anywhere: not available.
  EXPECT_FALSE(pick(*r, {"sickness_absence_rate", "system"}).available);
}

}  // namespace
}  // namespace careforce::metrics

// ---- Audit against METRICS.md: one hand-checked fixture per tricky case -------------------
namespace careforce::metrics {
namespace {

/// Moves: b moves RAA -> RBB (both nursing, same place, acute -> community); c moves RAA
/// (nursing) -> PCN1 (primary_care_direct, another place); d changes role inside RAA (ahp ->
/// nursing, same assignment). Nobody leaves the system.
testing::ModelBuilder moves_example() {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("RBB", "community", "North");
  b.org("PCN1", "primary_care", "South");
  const Month s = ym(2023, 3), e = ym(2024, 3);
  b.sip(s, "RAA", "a");
  b.sip(s, "RAA", "b");
  b.sip(s, "RAA", "c", {.fte = 0.8});
  b.sip(s, "RAA", "d", {.role = "physiotherapist"});
  b.sip(s, "RBB", "e");
  b.sip(s, "PCN1", "f", {.role = "practice_nurse"});
  b.sip(e, "RAA", "a");
  b.sip(e, "RAA", "d");
  b.sip(e, "RBB", "e");
  b.sip(e, "RBB", "b", {.fte = 0.6});
  b.sip(e, "PCN1", "f", {.role = "practice_nurse"});
  b.sip(e, "PCN1", "c", {.role = "practice_nurse", .fte = 0.8});
  return b;
}

TEST(Moves, BetweenOrganisationsLeaveTheOrganisationNotTheSystem) {
  auto b = moves_example();
  const auto results = run(b.done(), ym(2024, 3));
  // RAA: S {a, b, c, d} = 4, E {a, d} = 2; leavers b, c = 2; 2 / ((4 + 2) / 2) = 66.67.
  const auto& raa = pick(results, {"turnover_rate", "RAA", "headcount"});
  EXPECT_DOUBLE_EQ(raa.numerator, 2);
  EXPECT_DOUBLE_EQ(raa.denominator, 3);
  EXPECT_NEAR(raa.value, 200.0 / 3, 1e-9);
  // Stability: stayers a, d = 2 of 4.
  const auto& stab = pick(results, {"stability_index", "RAA", "headcount"});
  EXPECT_DOUBLE_EQ(stab.numerator, 2);
  EXPECT_DOUBLE_EQ(stab.denominator, 4);
  EXPECT_DOUBLE_EQ(stab.value, 50);
  // FTE basis: leavers' FTE at S b 1.0 + c 0.8 = 1.8; mean SIP FTE (3.8 + 2.0) / 2 = 2.9.
  const auto& raa_fte = pick(results, {"turnover_rate", "RAA", "fte"});
  EXPECT_NEAR(raa_fte.numerator, 1.8, 1e-12);
  EXPECT_NEAR(raa_fte.denominator, 2.9, 1e-12);
  EXPECT_NEAR(raa_fte.value, 180 / 2.9, 1e-9);
  // RBB: S {e}, E {e, b}: no leaver, b a joiner.
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "RBB"}).value, 0);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "RBB"}).value, 1);
  // The acute sector is RAA: b (now community) and c (now primary care) left it.
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "acute"}).value, 2);
  // North (RAA + RBB): S {a, b, c, d, e} = 5, E {a, d, e, b} = 4: c left the place.
  const auto& north = pick(results, {"turnover_rate", "North", "headcount"});
  EXPECT_DOUBLE_EQ(north.numerator, 1);
  EXPECT_DOUBLE_EQ(north.denominator, 4.5);
  // System: S 6, E 6, nobody left: turnover 0 / 6; retention 6 / 6.
  const auto& sys = pick(results, {"turnover_rate", "system", "headcount"});
  EXPECT_DOUBLE_EQ(sys.numerator, 0);
  EXPECT_DOUBLE_EQ(sys.denominator, 6);
  EXPECT_DOUBLE_EQ(sys.value, 0);
  const auto& ret = pick(results, {"system_retention_rate", "system"});
  EXPECT_DOUBLE_EQ(ret.numerator, 6);
  EXPECT_DOUBLE_EQ(ret.denominator, 6);
  // RAA's staff at S all still work in the system: 4 / 4.
  const auto& raa_ret = pick(results, {"system_retention_rate", "RAA"});
  EXPECT_DOUBLE_EQ(raa_ret.numerator, 4);
  EXPECT_DOUBLE_EQ(raa_ret.denominator, 4);
  // Organisation leavers 2 + 0 + 0 >= system leavers 0.
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "system"}).value, 0);
}

TEST(Moves, BetweenStaffGroupsLeaveTheFirstGroup) {
  auto b = moves_example();
  const auto results = run(b.done(), ym(2024, 3));
  // RAA nursing: S {a, b, c} = 3, E {a, d} = 2; leavers b, c; joiner d; 2 / 2.5 = 80.
  const auto& n = pick(results, {"turnover_rate", "RAA", "headcount", "nursing"});
  EXPECT_DOUBLE_EQ(n.numerator, 2);
  EXPECT_DOUBLE_EQ(n.denominator, 2.5);
  EXPECT_DOUBLE_EQ(n.value, 80);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "RAA", "", "nursing"}).value, 1);
  // RAA ahp: S {d}, E {}: d left ahp (1 / 0.5 = 200) though d never left RAA.
  const auto& ahp = pick(results, {"turnover_rate", "RAA", "headcount", "ahp"});
  EXPECT_DOUBLE_EQ(ahp.numerator, 1);
  EXPECT_DOUBLE_EQ(ahp.denominator, 0.5);
  EXPECT_DOUBLE_EQ(ahp.value, 200);
  // System nursing: S {a, b, c, e} = 4, E {a, b, d, e} = 4; c left nursing for
  // primary_care_direct: 1 / 4 = 25; joiner d; retention in nursing 3 / 4 = 75.
  const auto& sn = pick(results, {"turnover_rate", "system", "headcount", "nursing"});
  EXPECT_DOUBLE_EQ(sn.numerator, 1);
  EXPECT_DOUBLE_EQ(sn.denominator, 4);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "system", "", "nursing"}).value, 1);
  const auto& sr = pick(results, {"system_retention_rate", "system", "", "nursing"});
  EXPECT_DOUBLE_EQ(sr.numerator, 3);
  EXPECT_DOUBLE_EQ(sr.denominator, 4);
  // RAA nursing at S {a, b, c}: a and b (now RBB) still nursing in the system: 2 / 3.
  const auto& rr = pick(results, {"system_retention_rate", "RAA", "", "nursing"});
  EXPECT_DOUBLE_EQ(rr.numerator, 2);
  EXPECT_DOUBLE_EQ(rr.denominator, 3);
  // primary_care_direct in the system: S {f}, E {f, c}: c joined the group.
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "system", "", "primary_care_direct"}).value, 1);
  EXPECT_DOUBLE_EQ(pick(results, {"leavers", "system", "", "primary_care_direct"}).value, 0);
}

TEST(StaffInPost, PersonInTwoOrganisationsCountsOnceInEachScopeThatHoldsThem) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("RBB", "community", "North");
  const Month e = ym(2024, 3);
  b.sip(e, "RAA", "x", {.fte = 0.6});
  b.sip(e, "RBB", "x", {.role = "physiotherapist", .fte = 0.4});
  b.sip(e, "RAA", "y");
  const auto results = run(b.done(), e);
  // System and North: x and y = 2 persons (x once), FTE 0.6 + 0.4 + 1.0 = 2.0.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system"}).value, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "North"}).value, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_fte", "system"}).value, 2.0);
  // By group: nursing x, y = 2; ahp x = 1 (2 + 1 > 2 in total).
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system", "", "nursing"}).value, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system", "", "ahp"}).value, 1);
  // Each organisation and sector counts x once.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "RAA"}).value, 2);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "RBB"}).value, 1);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_fte", "RBB"}).value, 0.4);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "community"}).value, 1);
}

TEST(Sickness, EpisodeCrossingTheWindowEndAndTheAssignmentsOwnFte) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  // w: assignment w-1 (nursing) 0.6 FTE every month end 2023-01..2024-03, except 0.3 at
  // 2023-06; assignment w-2 (ahp) 0.4 FTE throughout.
  for (int k = 0; k <= 14; ++k) {
    const Month month = ym(2023, 1) + k;
    b.sip(month, "RAA", "w", {.fte = month == ym(2023, 6) ? 0.3 : 0.6, .assignment = "w-1"});
    b.sip(month, "RAA", "w", {.role = "physiotherapist", .fte = 0.4, .assignment = "w-2"});
  }
  // Starts 2023-06-25: 5 days before 06-30, 25 after 05-31: the June snapshot (0.3).
  // Inside the window 2023-01-01..2023-12-31: 06-25..07-04 = 10 days x 0.3 = 3.
  b.absence("RAA", "w", ymd(2023, 6, 25), ymd(2023, 7, 4), "back", "w-1");
  // Crosses the window end: 12-20..2024-01-10; inside 12-20..12-31 = 12 days x 0.4 (the
  // ahp assignment, not the person's 1.0) = 4.8; 22 days long: short-term.
  b.absence("RAA", "w", ymd(2023, 12, 20), ymd(2024, 1, 10), "cold_flu", "w-2");
  // Crosses into December: 11-25..12-03 = 9 days x 0.6 = 5.4, of which 3 in December.
  b.absence("RAA", "w", ymd(2023, 11, 25), ymd(2023, 12, 3), "headache_migraine", "w-1");
  // Still open, from 2023-12-30: 2 days inside (x 0.6 = 1.2); measured to the latest
  // snapshot 2024-03-31 it is 93 days long: long-term.
  b.absence("RAA", "w", ymd(2023, 12, 30), model::kOpenEnd, "anxiety_stress_depression", "w-1");
  const auto results = run(b.done(), ym(2023, 12));
  // Lost: 3 + 4.8 + 5.4 + 1.2 = 14.4. Available: 365 days x 1.0 less 30 days x 0.3 for
  // June (0.7 instead of 1.0) = 356.
  const auto& s = pick(results, {"sickness_absence_rate", "RAA"});
  EXPECT_NEAR(s.numerator, 14.4, 1e-9);
  EXPECT_NEAR(s.denominator, 356, 1e-9);
  EXPECT_NEAR(s.value, 1440.0 / 356, 1e-9);
  // By staff group: ahp 4.8 of 365 x 0.4 = 146.
  const auto& ahp = pick(results, {"sickness_absence_rate", "RAA", "", "ahp"});
  EXPECT_NEAR(ahp.numerator, 4.8, 1e-9);
  EXPECT_NEAR(ahp.denominator, 146, 1e-9);
  // Short-term 3 + 4.8 + 5.4 = 13.2; long-term 1.2.
  EXPECT_NEAR(pick(results, {"sickness_absence_rate_short_term", "RAA"}).numerator, 13.2, 1e-9);
  EXPECT_NEAR(pick(results, {"sickness_absence_rate_long_term", "RAA"}).numerator, 1.2, 1e-9);
  // December: 12 x 0.4 + 3 x 0.6 + 2 x 0.6 = 7.8 of 31 x 1.0.
  const auto& month = pick(results, {"sickness_absence_rate_month", "RAA"});
  EXPECT_NEAR(month.numerator, 7.8, 1e-9);
  EXPECT_NEAR(month.denominator, 31, 1e-9);
  // An episode outside the window adds nothing: at 2024-03 the window is 2023-04-01 ..
  // 2024-03-31; the June episode (3), the cold (22 days x 0.4 = 8.8), the November one
  // (5.4) and the open one (2023-12-30..2024-03-31 = 93 days x 0.6 = 55.8) = 73.
  const auto later = run(b.m, ym(2024, 3));
  EXPECT_NEAR(pick(later, {"sickness_absence_rate", "RAA"}).numerator, 73, 1e-9);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(Aggregate, EveryAggregateColumnAddsToItsMetricAndBlanksDoNotContribute) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  b.org("CARE1", "social_care", "South", DataLevel::aggregate);
  b.org("CARE2", "social_care", "South", DataLevel::aggregate);
  const Month s = ym(2023, 3), e = ym(2024, 3);
  // RAA: n0..n9 at 1.0 every month end; x0, x1 at S only; j0 (international) and j1
  // (other) at E only. Monthly FTE: 12 at S, 10 from 2023-04 to 2024-02, 12 at E.
  for (int k = 0; k <= 12; ++k)
    for (int i = 0; i < 10; ++i) b.sip(s + k, "RAA", "n" + std::to_string(i));
  b.sip(s, "RAA", "x0");
  b.sip(s, "RAA", "x1");
  b.sip(e, "RAA", "j0", {.source = "international"});
  b.sip(e, "RAA", "j1");
  b.absence("RAA", "n0", ymd(2024, 1, 10), ymd(2024, 1, 19), "back");  // 10 days x 1.0
  auto& care1 = b.aggregate(e, "CARE1", "care_worker", 40, 30);
  care1.vacant_posts = 10, care1.leavers_12m = 12, care1.headcount_12m_ago = 44;
  care1.stayers_12m = 32, care1.sickness_fte_days_lost_12m = 300;
  care1.sickness_fte_days_available_12m = 10950, care1.age_55_plus_headcount = 8;
  care1.international_recruits_12m = 2;
  b.aggregate(s, "CARE1", "care_worker", 44, 33);
  b.aggregate(e, "CARE2", "care_worker", 10, 8);  // every column after fte blank
  const auto results = run(b.done(), e);
  // Staff in post: 12 + 40 + 10 = 62 persons, 12 + 30 + 8 = 50 FTE, all 3 contribute.
  const auto& hc = pick(results, {"sip_headcount", "system"});
  EXPECT_DOUBLE_EQ(hc.value, 62);
  EXPECT_EQ(hc.coverage_orgs, 3);
  EXPECT_DOUBLE_EQ(pick(results, {"sip_fte", "system"}).value, 50);
  // Turnover: leavers 2 + 12 = 14 over ((12 + 44) + (12 + 40)) / 2 = 54; CARE2 (blank
  // 12-month columns) does not contribute.
  const auto& t = pick(results, {"turnover_rate", "system", "headcount"});
  EXPECT_DOUBLE_EQ(t.numerator, 14);
  EXPECT_DOUBLE_EQ(t.denominator, 54);
  EXPECT_NEAR(t.value, 1400.0 / 54, 1e-9);
  EXPECT_EQ(t.coverage_orgs, 2);
  // Stability (10 + 32) / (12 + 44) = 75; joiners 2 + (40 - 32) = 10.
  EXPECT_DOUBLE_EQ(pick(results, {"stability_index", "system", "headcount"}).value, 75);
  EXPECT_DOUBLE_EQ(pick(results, {"joiners", "system"}).value, 10);
  // social_care_direct is CARE1 alone: 12 / ((44 + 40) / 2) = 28.57.
  EXPECT_NEAR(pick(results, {"turnover_rate", "system", "headcount", "social_care_direct"}).value,
              1200.0 / 42, 1e-9);
  // International share: j0 + 2 of 2 + (40 - 32) joiners = 3 / 10.
  const auto& intl = pick(results, {"international_share_of_joiners", "system"});
  EXPECT_DOUBLE_EQ(intl.numerator, 3);
  EXPECT_DOUBLE_EQ(intl.denominator, 10);
  EXPECT_EQ(intl.coverage_orgs, 2);
  // Vacancies: posts basis CARE1 10 / (40 + 10) = 20; no establishment.csv: the FTE basis
  // is not available (never zero).
  const auto& posts = pick(results, {"vacancy_rate", "system", "posts"});
  EXPECT_DOUBLE_EQ(posts.value, 20);
  EXPECT_EQ(posts.coverage_orgs, 1);
  EXPECT_FALSE(pick(results, {"vacancy_rate", "system", "fte"}).available);
  // Sickness, 12 months: RAA lost 10; available 10 FTE x 335 days (2023-04..2024-02) +
  // 12 x 31 (March) = 3,722; CARE1 300 of 10,950: 310 / 14,672.
  const auto& sick = pick(results, {"sickness_absence_rate", "system"});
  EXPECT_DOUBLE_EQ(sick.numerator, 310);
  EXPECT_DOUBLE_EQ(sick.denominator, 14672);
  EXPECT_EQ(sick.coverage_orgs, 2);
  // The monthly rate is record-level only: 0 of 12 x 31.
  const auto& month = pick(results, {"sickness_absence_rate_month", "system"});
  EXPECT_DOUBLE_EQ(month.denominator, 372);
  EXPECT_EQ(month.coverage_orgs, 1);
  // 55+: RAA none of 12 (born 1980), CARE1 8 of 40: 8 / 52.
  const auto& age = pick(results, {"age_55_plus_share", "system"});
  EXPECT_DOUBLE_EQ(age.numerator, 8);
  EXPECT_DOUBLE_EQ(age.denominator, 52);
  // FTE growth: RAA 12 -> 12, CARE1 33 -> 30 (CARE2 has no return at S): -3 / 45.
  const auto& g = pick(results, {"fte_growth_12m", "system"});
  EXPECT_DOUBLE_EQ(g.numerator, -3);
  EXPECT_DOUBLE_EQ(g.denominator, 45);
  EXPECT_EQ(g.coverage_orgs, 2);
}

TEST(Vacancy, ByRoleOnlyCellsThatNameTheRole) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month e = ym(2024, 3);
  // 3 adult nurses band 5 (1.0), 1 band 6 (0.6); 2 physiotherapists (1.0).
  for (int i = 0; i < 3; ++i) b.sip(e, "RAA", "n" + std::to_string(i));
  b.sip(e, "RAA", "n6", {.fte = 0.6, .band = "6"});
  for (int i = 0; i < 2; ++i) b.sip(e, "RAA", "t" + std::to_string(i), {.role = "physiotherapist"});
  // Cells: adult_nurse band 5 funded 4 (vacant 1); adult_nurse band 6 funded 0.5
  // (over-established by 0.1: 0); whole ahp group funded 2.5 (vacant 0.5).
  b.establishment(e, "RAA", "nursing", "adult_nurse", "5", 4);
  b.establishment(e, "RAA", "nursing", "adult_nurse", "6", 0.5);
  b.establishment(e, "RAA", "ahp", "", "", 2.5);
  const auto results = run(b.done(), e, Breakdown::role);
  // Total: (1 + 0 + 0.5) / (4 + 0.5 + 2.5) = 1.5 / 7.
  const auto& all = pick(results, {"vacancy_rate", "RAA", "fte"});
  EXPECT_DOUBLE_EQ(all.numerator, 1.5);
  EXPECT_DOUBLE_EQ(all.denominator, 7);
  // adult_nurse: 1 / 4.5; the whole-group ahp cell names no role, so no physiotherapist row.
  const auto& nurse = pick(results, {"vacancy_rate", "RAA", "fte", "nursing", "", "adult_nurse"});
  EXPECT_DOUBLE_EQ(nurse.numerator, 1);
  EXPECT_DOUBLE_EQ(nurse.denominator, 4.5);
  EXPECT_FALSE(has(results, {"vacancy_rate", "RAA", "fte", "ahp", "", "physiotherapist"}));
  // By staff group the ahp cell is ahp's: 0.5 / 2.5 = 20.
  const auto by_group = run(b.m, e);
  EXPECT_DOUBLE_EQ(pick(by_group, {"vacancy_rate", "RAA", "fte", "ahp"}).value, 20);
  EXPECT_DOUBLE_EQ(pick(by_group, {"vacancy_fte", "RAA", "", "nursing"}).value, 1);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(Availability, EveryMetricWhoseFilesAreMissingIsNotAvailableAtEveryScope) {
  auto b = worked_example();  // staff_in_post.csv only
  b.org("PCN2", "primary_care", "North");
  b.sip(ym(2024, 3), "PCN2", "r1");  // staff in post at E but not at S
  const auto results = run(b.done(), ym(2024, 3));
  const std::vector<FileKind> sip_only{FileKind::staff_in_post};
  const std::set<std::string> windowed{"leavers",
                                       "joiners",
                                       "turnover_rate",
                                       "stability_index",
                                       "system_retention_rate",
                                       "fte_growth_12m",
                                       "international_share_of_joiners",
                                       "joiner_source_share"};
  for (const auto& d : metric_registry()) {
    size_t seen = 0;
    for (const auto& r : results) {
      if (r.metric != d.name) continue;
      ++seen;
      SCOPED_TRACE(d.name + " " + r.scope + " " + std::string(r.basis));
      // Metrics of staff in post alone are available, except a 12-month window for PCN2,
      // whose data starts after S.
      const bool needs_more = d.record_files != sip_only;
      const bool window_missing = r.scope == "PCN2" && windowed.count(d.name);
      if (!needs_more && !window_missing) {
        EXPECT_TRUE(r.available);
        continue;
      }
      // Not available, never zero: no value, no coverage, no files, no staff-group rows.
      EXPECT_FALSE(r.available);
      EXPECT_TRUE(std::isnan(r.value));
      EXPECT_EQ(r.coverage_orgs, 0);
      EXPECT_TRUE(r.files.empty());
      EXPECT_EQ(r.staff_group, "all");
      EXPECT_TRUE(r.category.empty());
    }
    EXPECT_GT(seen, 0u) << d.name;
  }
  // PCN2 counts in the system's staff in post at E but not in its window: coverage 2 of 3.
  EXPECT_DOUBLE_EQ(pick(results, {"sip_headcount", "system"}).value, 13);
  const auto& t = pick(results, {"turnover_rate", "system", "headcount"});
  EXPECT_EQ(t.coverage_orgs, 2);
  EXPECT_EQ(t.total_orgs, 3);
  EXPECT_DOUBLE_EQ(t.denominator, 12);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(RollingTurnover, AnEndedAssignmentIsALeaverOfTheOrganisationOnlyWhenNoneGoesOn) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month s = ym(2023, 3);
  auto during = [&](int first, int last, const std::string& person, const Staff& staff) {
    for (int k = first; k <= last; ++k) b.sip(s + k, "RAA", person, staff);
  };
  // k = 0 is 2023-03 (S), k = 12 is 2024-03 (E).
  for (int i = 0; i < 10; ++i) during(0, 12, "p" + std::to_string(i), {});
  // p0's second post (ahp, 0.4) ends 2023-09-10; nursing goes on: an ahp leaver only.
  during(0, 5, "p0", {.role = "physiotherapist", .fte = 0.4, .assignment = "p0-2"});
  b.leaver("RAA", "p0", ymd(2023, 9, 10), "voluntary_promotion", "other", "p0-2");
  // p1's second nursing post (0.3) ends 2023-11-05; the first goes on: no leaver at all.
  during(0, 7, "p1", {.fte = 0.3, .assignment = "p1-2"});
  b.leaver("RAA", "p1", ymd(2023, 11, 5), "other", "other", "p1-2");
  // q: nursing 0.8 and ahp 0.2, both end 2023-07-20: one leaver of RAA (1.0 FTE), of
  // nursing (0.8) and of ahp (0.2).
  during(0, 3, "q", {.fte = 0.8, .assignment = "q-1"});
  during(0, 3, "q", {.role = "physiotherapist", .fte = 0.2, .assignment = "q-2"});
  b.leaver("RAA", "q", ymd(2023, 7, 20), "retirement", "retirement", "q-1");
  b.leaver("RAA", "q", ymd(2023, 7, 20), "retirement", "retirement", "q-2");
  // r (0.6) leaves on E, still in the 2024-03-31 snapshot: a leaver.
  during(0, 12, "r", {.fte = 0.6});
  b.leaver("RAA", "r", ymd(2024, 3, 31), "voluntary_relocation", "abroad");
  // s leaves on rotation (excluded by default).
  during(0, 1, "s", {});
  b.leaver("RAA", "s", ymd(2023, 5, 2), "rotation", "other");
  // t moves from nursing (t-1, ended 2023-10-01) to a new ahp post (t-2) from 2023-10: an
  // internal move, a nursing leaver only.
  during(0, 6, "t", {.assignment = "t-1"});
  during(7, 12, "t", {.role = "physiotherapist", .assignment = "t-2"});
  b.leaver("RAA", "t", ymd(2023, 10, 1), "voluntary_promotion", "other", "t-1");
  auto& m = b.done();
  Query q;
  q.at = ym(2024, 3);
  q.metrics = {"rolling_turnover_rate", "leaver_reason_share"};
  auto r = compute(m, q);
  ASSERT_TRUE(r.is_ok());
  // Month-end headcounts: p0..p9 13 x 10, q 4, r 13, s 2, t 13 = 162; leavers q and r.
  const auto& all = pick(*r, {"rolling_turnover_rate", "RAA"});
  EXPECT_DOUBLE_EQ(all.numerator, 2);
  EXPECT_NEAR(all.denominator, 162.0 / 13, 1e-12);
  EXPECT_NEAR(all.value, 2600.0 / 162, 1e-9);
  // Nursing: q, r, t leave it; headcounts 130 + q 4 + r 13 + s 2 + t 7 = 156, mean 12.
  const auto& nursing = pick(*r, {"rolling_turnover_rate", "RAA", "", "nursing"});
  EXPECT_DOUBLE_EQ(nursing.numerator, 3);
  EXPECT_NEAR(nursing.denominator, 12, 1e-12);
  // ahp: p0 and q leave it; headcounts p0 6 + q 4 + t 6 = 16.
  const auto& ahp = pick(*r, {"rolling_turnover_rate", "RAA", "", "ahp"});
  EXPECT_DOUBLE_EQ(ahp.numerator, 2);
  EXPECT_NEAR(ahp.denominator, 16.0 / 13, 1e-12);
  // Leavers by reason (no reason excluded): RAA q retirement, r voluntary_relocation,
  // s rotation = 3; the internal moves of p0 and t count in their groups only.
  const auto& ret = pick(*r, {"leaver_reason_share", "RAA", "", "all", "retirement"});
  EXPECT_DOUBLE_EQ(ret.numerator, 1);
  EXPECT_DOUBLE_EQ(ret.denominator, 3);
  EXPECT_DOUBLE_EQ(
      pick(*r, {"leaver_reason_share", "RAA", "", "all", "voluntary_promotion"}).numerator, 0);
  const auto& promo =
      pick(*r, {"leaver_reason_share", "RAA", "", "nursing", "voluntary_promotion"});
  EXPECT_DOUBLE_EQ(promo.numerator, 1);    // t
  EXPECT_DOUBLE_EQ(promo.denominator, 4);  // q, r, s, t
  // FTE basis: q 0.8 + 0.2 and r 0.6 = 1.6 over the mean month-end FTE: p0..p9 130, p0-2
  // 0.4 x 6, p1-2 0.3 x 8, q 1.0 x 4, r 0.6 x 13, s 2, t 13 = 161.6.
  q.rolling.fte_basis = true;
  auto f = compute(m, q);
  ASSERT_TRUE(f.is_ok());
  const auto& fte = pick(*f, {"rolling_turnover_rate", "RAA"});
  EXPECT_NEAR(fte.numerator, 1.6, 1e-12);
  EXPECT_NEAR(fte.denominator, 161.6 / 13, 1e-12);
  // Nursing FTE: q 0.8 + r 0.6 + t 1.0; ahp: p0 0.4 + q 0.2.
  EXPECT_NEAR(pick(*f, {"rolling_turnover_rate", "RAA", "", "nursing"}).numerator, 2.4, 1e-12);
  EXPECT_NEAR(pick(*f, {"rolling_turnover_rate", "RAA", "", "ahp"}).numerator, 0.6, 1e-12);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(AgeAndEquality, AgeBandEdgesEveryBandGroupAndSeniorBands) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month e = ym(2024, 3);
  // Ages at 2024 (year(E) - birth_year) on the edges of the bands, one band each.
  const int ages[] = {24, 25, 34, 35, 44, 45, 54, 55, 64, 65};
  const char* bands_[] = {"1", "4", "5", "6", "7", "8A", "8B", "8C", "8D", "9"};
  const char* ethnic[] = {"white", "white", "white", "white",      "asian",
                          "asian", "white", "black", "not_stated", "mixed"};
  for (int i = 0; i < 10; ++i)
    b.sip(e, "RAA", "a" + std::to_string(i),
          {.band = bands_[i], .birth_year = 2024 - ages[i], .ethnic = ethnic[i]});
  b.sip(e, "RAA", "v", {.band = "vsm", .birth_year = 1984, .ethnic = "other"});
  b.sip(e, "RAA", "m",
        {.role = "consultant",
         .band = "medical",
         .birth_year = 1984,
         .ethnic = "black",
         .sex = "male"});
  b.sip(e, "RAA", "x", {.band = "non_afc", .birth_year = 1984});
  const auto results = run(b.done(), e);
  // <25: 24; 25-34: 25, 34; 35-44: 35, 44 and v, m, x (40); 45-54: 45, 54; 55-64: 55, 64;
  // 65+: 65. Of 13.
  const std::pair<const char*, double> expected[] = {{"<25", 1},   {"25-34", 2}, {"35-44", 5},
                                                     {"45-54", 2}, {"55-64", 2}, {"65+", 1}};
  for (const auto& [band, count] : expected) {
    const auto& r = pick(results, {"age_band_share", "RAA", "", "all", band});
    EXPECT_DOUBLE_EQ(r.numerator, count) << band;
    EXPECT_DOUBLE_EQ(r.denominator, 13) << band;
  }
  // 55+: 55, 64, 65 = 3 of 13.
  EXPECT_DOUBLE_EQ(pick(results, {"age_55_plus_share", "RAA"}).numerator, 3);
  // Band groups: 1-4 {1, 4}, 5 {5}, 6-7 {6, 7}, 8A-8B {8A, 8B}, 8C-9 and vsm {8C, 8D, 9,
  // vsm}, medical {m}; non_afc in none.
  const std::pair<const char*, double> groups[] = {
      {"1-4", 2}, {"5", 1}, {"6-7", 2}, {"8A-8B", 2}, {"8C-9 and vsm", 4}, {"medical", 1}};
  for (const auto& [group, count] : groups) {
    const auto& r = pick(
        results, {"representation_share", "RAA", "", "all", std::string(group) + "|sex=female"});
    EXPECT_DOUBLE_EQ(r.denominator, count) << group;
  }
  // 8C-9 and vsm: 8C black, 8D not stated, 9 mixed, vsm other: not_stated 1 of 4.
  EXPECT_DOUBLE_EQ(pick(results, {"representation_share", "RAA", "", "all",
                                  "8C-9 and vsm|ethnic_group=not_stated"})
                       .value,
                   25);
  EXPECT_DOUBLE_EQ(
      pick(results, {"representation_share", "RAA", "", "all", "medical|sex=male"}).value, 100);
  // Senior (8A and above, vsm): 8A asian, 8B white, 8C black, 8D not stated, 9 mixed,
  // vsm other: stated 5, of them not white 4 (band 7 asian and medical black do not count).
  const auto& senior = pick(results, {"ethnic_minority_share_senior", "RAA"});
  EXPECT_DOUBLE_EQ(senior.numerator, 4);
  EXPECT_DOUBLE_EQ(senior.denominator, 5);
  EXPECT_DOUBLE_EQ(senior.value, 80);
}

}  // namespace
}  // namespace careforce::metrics

namespace careforce::metrics {
namespace {

TEST(Boundaries, MonthsOfShiftsPopulationYearAndABreakInAVacancy) {
  testing::ModelBuilder b;
  b.org("RAA", "acute", "North");
  const Month e = ym(2024, 3);
  for (int k = 0; k < 3; ++k) b.sip(ym(2024, 1) + k, "RAA", "p");
  // Radiographers funded 1 in January and March, not in February: vacant at E and E-2
  // but not 3 consecutive month ends.
  b.establishment(ym(2024, 1), "RAA", "ahp", "radiographer", "", 1);
  b.establishment(e, "RAA", "ahp", "radiographer", "", 1);
  auto shift = [&](Date day) {
    model::ShiftRow r;
    r.shift_date = day;
    r.staff_group = testing::code(staff_groups(), "nursing");
    r.role = testing::code(roles(), "adult_nurse");
    r.outcome = testing::code(shift_outcomes(), "bank");
    b.m.shifts.push_back(r);
  };
  shift(ymd(2024, 2, 29));  // February
  shift(ymd(2024, 3, 1));
  shift(ymd(2024, 3, 31));
  shift(ymd(2024, 4, 1));  // April
  // North: no mid-year estimate up to 2024 (2025 is later than E), so the 2024 projection.
  const uint32_t north = b.m.places.find("North");
  const auto estimate = static_cast<uint8_t>(PopulationKind::estimate);
  const auto projection = static_cast<uint8_t>(PopulationKind::projection);
  b.m.population.push_back({north, 2025, 0, estimate, 9999, {}});
  b.m.population.push_back({north, 2023, 0, projection, 7777, {}});
  b.m.population.push_back({north, 2024, 0, projection, 3000, {}});
  b.m.population.push_back({north, 2024, 1, projection, 2000, {}});
  const auto results = run(b.done(), e);
  // Shifts of March only: 2 requested.
  EXPECT_DOUBLE_EQ(pick(results, {"shift_fill_rate", "RAA"}).denominator, 2);
  // 1 FTE / 5,000 x 100,000 = 20.
  const auto& pop = pick(results, {"fte_per_100k_population", "North"});
  EXPECT_DOUBLE_EQ(pop.denominator, 5000);
  EXPECT_DOUBLE_EQ(pop.value, 20);
  // Vacant 1 FTE at E, but not long-term.
  EXPECT_DOUBLE_EQ(pick(results, {"vacancy_fte", "RAA"}).value, 1);
  EXPECT_DOUBLE_EQ(pick(results, {"long_term_vacancy_count", "RAA"}).value, 0);
}

}  // namespace
}  // namespace careforce::metrics
