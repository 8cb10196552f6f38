#include "projection/calibration_inputs.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_map>

namespace careforce::projection {

namespace {

struct Holding {
  double fte = 0;
  int age_band = 0;
  uint8_t source = 0;
};

// (person, unit, role) packed into 64 bits: person 32 bits, unit 16, role 8.
uint64_t holding_key(uint32_t person, uint32_t unit, uint8_t role) {
  return (static_cast<uint64_t>(person) << 24) | (static_cast<uint64_t>(unit) << 8) | role;
}
uint32_t key_person(uint64_t key) {
  return static_cast<uint32_t>(key >> 24);
}
uint32_t key_unit(uint64_t key) {
  return static_cast<uint32_t>((key >> 8) & 0xffff);
}
uint8_t key_role(uint64_t key) {
  return static_cast<uint8_t>(key & 0xff);
}

bool is_retirement(uint8_t reason) {
  return reason == static_cast<uint8_t>(LeaverReason::retirement) ||
         reason == static_cast<uint8_t>(LeaverReason::flexi_retirement);
}

}  // namespace

CalibrationInputs extract_calibration_inputs(const model::WorkforceModel& model, bool by_place) {
  CalibrationInputs in;
  in.by_place = by_place;
  in.roles = roles().size();
  in.census_end = model.latest_month();
  in.census_start = in.census_end - 12;
  const auto& months = model.snapshot_months();
  in.has_window = std::binary_search(months.begin(), months.end(), in.census_start);

  // Units: one per (sector, place) present among the organisations, in first-seen order.
  std::vector<uint32_t> org_unit(model.organisations.size());
  {
    std::map<std::pair<int, uint32_t>, uint32_t> index;
    for (const auto& name : model.places.values()) in.places.push_back(name);
    for (size_t o = 0; o < model.organisations.size(); ++o) {
      const auto& org = model.organisations[o];
      const uint32_t place = by_place ? org.place : kAllPlaces;
      const auto key = std::make_pair(static_cast<int>(org.sector), place);
      auto [it, inserted] = index.try_emplace(key, static_cast<uint32_t>(in.units.size()));
      if (inserted) in.units.push_back(Unit{org.sector, place});
      org_unit[o] = it->second;
    }
  }
  const size_t unit_roles = in.units.size() * in.roles;
  in.cells.assign(unit_roles * kAgeBands, {});
  in.aggregates.assign(unit_roles, {});
  in.establishment_fte.assign(unit_roles, 0);
  in.establishment_observed.assign(unit_roles, 0);
  in.establishment_orgs.assign(unit_roles, 0);
  in.unfunded_in_post_fte.assign(unit_roles, 0);
  in.unfunded_vacant_fte.assign(unit_roles, 0);
  const size_t groups = staff_groups().size();
  in.substantive_gbp.assign(groups, 0);
  in.paid_fte.assign(groups, 0);
  in.bank_gbp.assign(groups, 0);
  in.agency_gbp.assign(groups, 0);
  in.bank_hours_by_group.assign(groups, 0);
  in.agency_hours_by_group.assign(groups, 0);

  const auto& sip = model.staff_in_post;
  // Holdings at a census: who is in which (unit, role) cell, with summed FTE.
  auto holdings_at = [&](Month month) {
    std::unordered_map<uint64_t, Holding> held;
    const auto [first, last] = model.staff_in_post_rows(month);
    held.reserve(last - first);
    for (size_t i = first; i < last; ++i) {
      const uint64_t key = holding_key(sip.person[i], org_unit[sip.org[i]], sip.role[i]);
      auto& h = held[key];
      h.fte += sip.fte[i];
      h.age_band = age_band_of(month.year() - sip.birth_year[i]);
      h.source = sip.recruitment_source[i];
    }
    return held;
  };
  const auto at_end = holdings_at(in.census_end);
  for (const auto& [key, h] : at_end) {
    auto& c = in.cells[in.cell(key_unit(key), key_role(key), h.age_band)];
    c.headcount_end += 1;
    c.fte_end += h.fte;
  }

  if (in.has_window) {
    const auto at_start = holdings_at(in.census_start);
    // Each person's main holding at E (largest FTE, then lowest key) among holdings they did
    // not have at S: where a leaver of another cell arrives.
    std::unordered_map<uint32_t, uint64_t> in_system_end, new_holding_end;
    std::unordered_map<uint32_t, double> new_holding_fte;
    std::unordered_map<uint32_t, char> in_system_start;
    for (const auto& [key, h] : at_start) in_system_start[key_person(key)] = 1;
    for (const auto& [key, h] : at_end) {
      const uint32_t person = key_person(key);
      in_system_end[person] = key;
      if (at_start.count(key)) continue;
      auto it = new_holding_end.find(person);
      if (it == new_holding_end.end() || h.fte > new_holding_fte[person] ||
          (h.fte == new_holding_fte[person] && key < it->second)) {
        new_holding_end[person] = key;
        new_holding_fte[person] = h.fte;
      }
    }
    // Latest leaver reason per person in the window (leavers.csv).
    std::unordered_map<uint32_t, uint8_t> reason_of;
    const Date window_start = in.census_start.end(), window_end = in.census_end.end();
    for (size_t i = 0; i < model.leavers.size(); ++i) {
      const Date d = model.leavers.leave_date[i];
      if (d > window_start && d <= window_end)
        reason_of[model.leavers.person[i]] = model.leavers.reason[i];
    }
    for (const auto& [key, h] : at_start) {
      auto& c = in.cells[in.cell(key_unit(key), key_role(key), h.age_band)];
      c.headcount_start += 1;
      if (at_end.count(key)) continue;
      c.leavers += 1;
      const uint32_t person = key_person(key);
      auto dest = new_holding_end.find(person);
      if (dest != new_holding_end.end()) {
        c.transfers += 1;
        c.reason_known += 1;
        const uint32_t from = static_cast<uint32_t>(in.unit_role(key_unit(key), key_role(key)));
        const uint32_t to =
            static_cast<uint32_t>(in.unit_role(key_unit(dest->second), key_role(dest->second)));
        in.transfers[{from, to}] += 1;
        continue;
      }
      // Still in the system through a cell held at both censuses: not a retirement, and
      // known not to be one (as a mover is), whatever an organisation's leavers.csv says.
      if (in_system_end.count(person)) {
        c.reason_known += 1;
        continue;
      }
      auto reason = reason_of.find(person);
      if (reason != reason_of.end() &&
          reason->second != static_cast<uint8_t>(LeaverReason::not_stated)) {
        c.reason_known += 1;
        if (is_retirement(reason->second)) c.retirements += 1;
      }
    }
    for (const auto& [key, h] : at_end) {
      if (in_system_start.count(key_person(key))) continue;
      auto& c = in.cells[in.cell(key_unit(key), key_role(key), h.age_band)];
      c.joiners[static_cast<size_t>(joiner_source_of(static_cast<RecruitmentSource>(h.source)))] +=
          1;
    }
  }

  // Aggregate organisations: role-level counts at E.
  for (const auto& row : model.aggregate_returns) {
    if (row.month != in.census_end) continue;
    auto& a = in.aggregates[in.unit_role(org_unit[row.org], row.role)];
    a.headcount_end += row.headcount;
    a.fte_end += row.fte;
    if (!std::isnan(row.leavers_12m) && !std::isnan(row.headcount_12m_ago)) {
      a.has_leavers = true;
      a.leavers += row.leavers_12m;
      a.headcount_start += row.headcount_12m_ago;
      if (!std::isnan(row.stayers_12m)) a.joiners += std::max(0.0, row.headcount - row.stayers_12m);
      if (!std::isnan(row.international_recruits_12m))
        a.international += row.international_recruits_12m;
    }
  }

  // Establishment: each organisation's latest period at or before E.
  std::vector<int32_t> latest_period(model.organisations.size(), INT32_MIN);
  for (const auto& row : model.establishment)
    if (row.period <= in.census_end)
      latest_period[row.org] = std::max(latest_period[row.org], row.period.index);
  // SIP FTE per (org, role) at E, to split blank-role rows across the group's roles.
  std::map<std::pair<uint16_t, uint8_t>, double> org_role_fte;
  {
    const auto [first, last] = model.staff_in_post_rows(in.census_end);
    for (size_t i = first; i < last; ++i) org_role_fte[{sip.org[i], sip.role[i]}] += sip.fte[i];
  }
  std::map<std::pair<uint16_t, uint8_t>, char> has_role_rows;
  for (const auto& row : model.establishment)
    if (row.period.index == latest_period[row.org] && row.role != kAnyCode)
      has_role_rows[{row.org, row.staff_group}] = 1;
  // (org, role) pairs whose funded FTE was sent (by role, or by staff group for its roles).
  std::map<std::pair<uint16_t, uint8_t>, char> funded;
  for (const auto& row : model.establishment) {
    if (row.period.index != latest_period[row.org]) continue;
    const uint32_t unit = org_unit[row.org];
    if (row.role != kAnyCode) {
      in.establishment_fte[in.unit_role(unit, row.role)] += row.funded_fte;
      in.establishment_observed[in.unit_role(unit, row.role)] = 1;
      funded[{row.org, row.role}] = 1;
      continue;
    }
    if (has_role_rows.count({row.org, row.staff_group})) continue;  // role rows win
    for (size_t r = 0; r < in.roles; ++r)
      if (role_info(static_cast<uint8_t>(r)).staff_group == row.staff_group)
        funded[{row.org, static_cast<uint8_t>(r)}] = 1;
    double group_fte = 0;
    for (size_t r = 0; r < in.roles; ++r)
      if (role_info(static_cast<uint8_t>(r)).staff_group == row.staff_group)
        group_fte += org_role_fte[{row.org, static_cast<uint8_t>(r)}];
    for (size_t r = 0; r < in.roles; ++r) {
      if (role_info(static_cast<uint8_t>(r)).staff_group != row.staff_group) continue;
      const double fte = org_role_fte[{row.org, static_cast<uint8_t>(r)}];
      if (group_fte <= 0 || fte <= 0) continue;
      in.establishment_fte[in.unit_role(unit, r)] += row.funded_fte * fte / group_fte;
      in.establishment_observed[in.unit_role(unit, r)] = 1;
    }
  }
  for (const auto& [key, sent] : funded)
    ++in.establishment_orgs[in.unit_role(org_unit[key.first], key.second)];
  // Organisations that sent no establishment for a role: funded FTE is taken as their FTE in
  // post (an aggregate return's vacant posts added at its FTE per head), so that a line
  // where some organisations sent establishment does not count the others as unfunded.
  {
    const auto [first, last] = model.staff_in_post_rows(in.census_end);
    for (size_t i = first; i < last; ++i)
      if (!funded.count({sip.org[i], sip.role[i]}))
        in.unfunded_in_post_fte[in.unit_role(org_unit[sip.org[i]], sip.role[i])] += sip.fte[i];
    for (const auto& row : model.aggregate_returns) {
      if (row.month != in.census_end || funded.count({row.org, row.role})) continue;
      const size_t ur = in.unit_role(org_unit[row.org], row.role);
      in.unfunded_in_post_fte[ur] += row.fte;
      if (!std::isnan(row.vacant_posts) && row.headcount > 0)
        in.unfunded_vacant_fte[ur] += row.vacant_posts * row.fte / row.headcount;
    }
  }

  // Pay: substantive cost per FTE per staff group from orgs with pay rows in (S, E].
  {
    // Mean SIP FTE over the censuses (S and E) at which the organisation had staff in post
    // in the group: one census when the other is missing, not half of it.
    std::map<std::pair<uint16_t, uint8_t>, std::array<double, 2>> fte_at;  // {sum, censuses}
    for (Month m : {in.census_start, in.census_end}) {
      std::map<std::pair<uint16_t, uint8_t>, double> here;
      const auto [first, last] = model.staff_in_post_rows(m);
      for (size_t i = first; i < last; ++i) here[{sip.org[i], sip.staff_group[i]}] += sip.fte[i];
      for (const auto& [key, fte] : here) fte_at[key][0] += fte, fte_at[key][1] += 1;
    }
    std::map<std::pair<uint16_t, uint8_t>, double> org_group_fte;
    for (const auto& [key, at] : fte_at) org_group_fte[key] = at[0] / at[1];
    for (const auto& row : model.aggregate_returns)
      if (row.month == in.census_end) org_group_fte[{row.org, row.staff_group}] += row.fte;
    std::map<std::pair<uint16_t, uint8_t>, int> months_paid;
    for (const auto& row : model.pay_costs) {
      if (row.period <= in.census_start || row.period > in.census_end) continue;
      in.substantive_gbp[row.staff_group] += row.substantive_gbp;
      in.bank_gbp[row.staff_group] += row.bank_gbp;
      in.agency_gbp[row.staff_group] += row.agency_gbp;
      if (row.bank_gbp > 0 || row.agency_gbp > 0) ++in.temporary_pay_rows;
      months_paid[{row.org, row.staff_group}] += 1;
    }
    // An organisation that sent m months of pay contributes m/12 of its FTE-years.
    for (const auto& [key, m] : months_paid)
      in.paid_fte[key.second] += org_group_fte[key] * m / 12.0;
    const Date window_start = in.census_start.end(), window_end = in.census_end.end();
    for (const auto& s : model.shifts) {
      if (s.shift_date <= window_start || s.shift_date > window_end) continue;
      if (s.outcome == static_cast<uint8_t>(ShiftOutcome::bank)) {
        in.bank_hours += s.hours;
        if (s.staff_group < groups) in.bank_hours_by_group[s.staff_group] += s.hours;
        in.bank_shift_gbp += s.cost_gbp;
      } else if (s.outcome == static_cast<uint8_t>(ShiftOutcome::agency)) {
        in.agency_hours += s.hours;
        if (s.staff_group < groups) in.agency_hours_by_group[s.staff_group] += s.hours;
        in.agency_shift_gbp += s.cost_gbp;
      }
    }
  }

  // Population: projections, overwritten by mid-year estimates where a year has both.
  for (int pass = 0; pass < 2; ++pass) {
    const uint8_t kind = pass == 0 ? static_cast<uint8_t>(PopulationKind::projection)
                                   : static_cast<uint8_t>(PopulationKind::estimate);
    std::map<std::pair<uint32_t, int>, std::array<double, 18>> seen;
    for (const auto& row : model.population) {
      if (row.kind != kind || row.age_band >= 18) continue;
      seen[{row.place, row.year}][row.age_band] += row.population;
    }
    for (auto& [key, bands] : seen) in.population[key] = bands;
  }
  return in;
}

}  // namespace careforce::projection
