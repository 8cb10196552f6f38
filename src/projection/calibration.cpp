#include "projection/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

namespace careforce::projection {

namespace {

constexpr double kDefaultFtePerHead = 0.9;
constexpr double kDefaultBankPremium = 1.1;
constexpr double kDefaultAgencyPremium = 1.6;
constexpr double kDefaultBankFillShare = 0.7;
constexpr double kDefaultRelativeSpread = 0.25;
constexpr double kHoursPerFteYear = 37.5 * 52.143;

// Illustrative service-use weights per 5-year population band (0-4 .. 85+), rising
// steeply with age; replace with local age-cost curves where available.
constexpr std::array<double, 18> kHospitalWeights = {0.9, 0.3, 0.3, 0.4, 0.5, 0.5, 0.6, 0.6, 0.7,
                                                     0.8, 0.9, 1.1, 1.3, 1.7, 2.2, 2.9, 3.7, 4.5};
constexpr std::array<double, 18> kPrimaryCareWeights = {
    1.2, 0.6, 0.5, 0.6, 0.7, 0.8, 0.8, 0.9, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6, 1.9, 2.2, 2.5, 2.8};
constexpr std::array<double, 18> kMentalHealthWeights = {
    0.1, 0.4, 0.9, 1.3, 1.4, 1.3, 1.2, 1.1, 1.0, 1.0, 0.9, 0.8, 0.8, 0.9, 1.1, 1.4, 1.8, 2.2};
constexpr std::array<double, 18> kSocialCareWeights = {
    0.0, 0.0, 0.0, 0.1, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.4, 0.5, 0.7, 1.0, 1.8, 3.5, 7.0, 14.0};

// Share of leavers who retire per age band when no leaver reasons were observed.
constexpr std::array<double, kAgeBands> kDefaultRetirementShare = {0, 0,    0,    0,   0,    0,
                                                                   0, 0.02, 0.25, 0.6, 0.85, 0.9};

// Age distribution of joiners when a role has none observed.
constexpr std::array<double, kAgeBands> kDefaultJoinerAge = {0.05, 0.22, 0.2,  0.15, 0.11, 0.08,
                                                             0.07, 0.05, 0.04, 0.02, 0.01, 0};

std::string role_age_name(const char* what, size_t role, int age) {
  return std::string(what) + "[" + roles().code(static_cast<uint8_t>(role)) + "|" +
         age_band_label(age) + "]";
}

}  // namespace

double default_leaver_rate(uint8_t role) {
  const std::string& family = staff_group_family(role_info(role).staff_group);
  if (family == "social_care") return 0.25;
  if (family == "vcse") return 0.18;
  if (family == "primary_care") return 0.12;
  return 0.10;
}

double default_unit_cost(uint8_t staff_group) {
  static const std::array<std::pair<const char*, double>, 16> table = {{
      {"medical", 115000},
      {"gp", 110000},
      {"nursing", 50000},
      {"midwifery", 52000},
      {"ambulance", 45000},
      {"ahp", 50000},
      {"healthcare_science", 52000},
      {"support_to_clinical", 31000},
      {"infrastructure", 36000},
      {"primary_care_direct", 42000},
      {"primary_care_admin", 28000},
      {"social_care_direct", 26000},
      {"social_care_regulated", 44000},
      {"social_care_management", 40000},
      {"social_care_other", 24000},
      {"vcse", 27000},
  }};
  const std::string& code = staff_groups().code(staff_group);
  for (const auto& [name, cost] : table)
    if (code == name) return cost;
  return 35000;
}

Calibration calibrate(const model::WorkforceModel& model, const CalibrationOptions& options) {
  return calibrate(extract_calibration_inputs(model, options.by_place), options);
}

Calibration calibrate(const CalibrationInputs& in, const CalibrationOptions& options) {
  Calibration cal;
  cal.census = in.census_end;
  cal.base_year = FinancialYear::of(in.census_end);
  cal.has_window = in.has_window;
  cal.places = in.places;
  cal.by_place = in.by_place;
  cal.units = in.units;
  const size_t nroles = in.roles;
  const size_t nunits = in.units.size();
  auto& params = cal.parameters;
  const std::string window = in.has_window ? " (snapshot method, " + in.census_start.iso() +
                                                 " to " + in.census_end.iso() + ")"
                                           : "";

  // Per role and age band: system sums of the cell counts.
  std::vector<std::array<CellCounts, kAgeBands>> by_role(nroles);
  std::vector<AggregateCounts> agg_role(nroles);
  for (size_t u = 0; u < nunits; ++u)
    for (size_t r = 0; r < nroles; ++r) {
      for (int a = 0; a < kAgeBands; ++a) {
        const auto& c = in.cells[in.cell(u, r, a)];
        auto& s = by_role[r][static_cast<size_t>(a)];
        s.headcount_start += c.headcount_start, s.headcount_end += c.headcount_end;
        s.fte_end += c.fte_end, s.leavers += c.leavers, s.transfers += c.transfers;
        s.retirements += c.retirements, s.reason_known += c.reason_known;
        for (int j = 0; j < kJoinerSources; ++j)
          s.joiners[static_cast<size_t>(j)] += c.joiners[static_cast<size_t>(j)];
      }
      const auto& g = in.aggregates[in.unit_role(u, r)];
      auto& s = agg_role[r];
      s.headcount_end += g.headcount_end, s.fte_end += g.fte_end;
      if (g.has_leavers) {
        s.has_leavers = true;
        s.headcount_start += g.headcount_start, s.leavers += g.leavers;
        s.joiners += g.joiners, s.international += g.international;
      }
    }

  // Leaver probability: leavers / persons at S (the binomial probability), by role and age
  // band, shrunk toward the role's all-ages rate.
  cal.leaver_rate.assign(nroles, {});
  cal.leaver_rate_relative_spread.assign(nroles, kDefaultRelativeSpread);
  for (size_t r = 0; r < nroles; ++r) {
    double leavers = agg_role[r].leavers, start = agg_role[r].headcount_start;
    for (const auto& c : by_role[r]) leavers += c.leavers, start += c.headcount_start;
    const bool observed = in.has_window && start >= 1;
    const double role_rate =
        observed ? leavers / start : default_leaver_rate(static_cast<uint8_t>(r));
    if (observed && role_rate > 0 && role_rate < 1)
      cal.leaver_rate_relative_spread[r] =
          std::sqrt(role_rate * (1 - role_rate) / start) / role_rate;
    const bool present = start >= 1 || agg_role[r].headcount_end > 0 ||
                         std::any_of(by_role[r].begin(), by_role[r].end(),
                                     [](const CellCounts& c) { return c.headcount_end > 0; });
    if (present)
      params.push_back(
          {std::string("leaver_rate[") + roles().code(static_cast<uint8_t>(r)) + "|all]", role_rate,
           role_rate * cal.leaver_rate_relative_spread[r],
           observed ? Provenance::observed : Provenance::default_value, static_cast<int64_t>(start),
           observed ? "leavers / staff in post at S" + window
                    : "national approximation by sector family"});
    for (int a = 0; a < kAgeBands; ++a) {
      const auto& c = by_role[r][static_cast<size_t>(a)];
      // A cell with no one at S and no shrinkage has no rate of its own: the role's.
      const double weight = c.headcount_start + options.leaver_shrinkage;
      const double rate = observed && weight > 0
                              ? (c.leavers + options.leaver_shrinkage * role_rate) / weight
                              : role_rate;
      cal.leaver_rate[r][static_cast<size_t>(a)] = rate;
      if (present && c.headcount_start + c.headcount_end > 0)
        params.push_back({role_age_name("leaver_rate", r, a), rate,
                          rate * cal.leaver_rate_relative_spread[r],
                          observed ? Provenance::observed : Provenance::default_value,
                          static_cast<int64_t>(c.headcount_start),
                          observed ? "shrunk toward the role rate with weight " +
                                         std::to_string(static_cast<int>(options.leaver_shrinkage))
                                   : "role default"});
    }
  }

  // Retirement share of leavers per age band, over all roles.
  {
    std::array<double, kAgeBands> retired{}, known{};
    for (size_t r = 0; r < nroles; ++r)
      for (int a = 0; a < kAgeBands; ++a) {
        retired[static_cast<size_t>(a)] += by_role[r][static_cast<size_t>(a)].retirements;
        known[static_cast<size_t>(a)] += by_role[r][static_cast<size_t>(a)].reason_known;
      }
    const double total_known = std::accumulate(known.begin(), known.end(), 0.0);
    for (int a = 0; a < kAgeBands; ++a) {
      const auto i = static_cast<size_t>(a);
      const bool observed = total_known >= 1;
      // Shrink toward the default age shape, not a flat share: retirement is age-driven.
      // A band with no known reasons and no shrinkage keeps the default share.
      const double weight = known[i] + options.retirement_shrinkage;
      const double share =
          observed && weight > 0
              ? (retired[i] + options.retirement_shrinkage * kDefaultRetirementShare[i]) / weight
              : kDefaultRetirementShare[i];
      cal.retirement_share[i] = share;
      params.push_back({std::string("retirement_share[") + age_band_label(a) + "]", share, 0,
                        observed ? Provenance::observed : Provenance::default_value,
                        static_cast<int64_t>(known[i]),
                        observed ? "leavers with reason retirement / leavers with a known reason"
                                 : "illustrative age profile"});
    }
  }

  // Joiner age distribution per role.
  cal.joiner_age_share.assign(nroles, kDefaultJoinerAge);
  {
    std::array<double, kAgeBands> all{};
    for (size_t r = 0; r < nroles; ++r)
      for (int a = 0; a < kAgeBands; ++a)
        for (double j : by_role[r][static_cast<size_t>(a)].joiners)
          all[static_cast<size_t>(a)] += j;
    const double all_total = std::accumulate(all.begin(), all.end(), 0.0);
    for (size_t r = 0; r < nroles; ++r) {
      std::array<double, kAgeBands> counts{};
      for (int a = 0; a < kAgeBands; ++a)
        for (double j : by_role[r][static_cast<size_t>(a)].joiners)
          counts[static_cast<size_t>(a)] += j;
      const double total = std::accumulate(counts.begin(), counts.end(), 0.0);
      // Pull toward the all-roles shape with 10 pseudo-joiners.
      if (all_total > 0)
        for (int a = 0; a < kAgeBands; ++a) {
          const auto i = static_cast<size_t>(a);
          cal.joiner_age_share[r][i] = (counts[i] + 10 * all[i] / all_total) / (total + 10);
        }
      if (total > 0)
        for (int a = 0; a < kAgeBands; ++a)
          params.push_back({role_age_name("joiner_age_share", r, a),
                            cal.joiner_age_share[r][static_cast<size_t>(a)], 0,
                            Provenance::observed, static_cast<int64_t>(std::round(total)),
                            "joiners in the band / the role's joiners, shrunk toward all roles' "
                            "shape with weight 10"});
    }
    // Roles with no joiners take the all-roles shape.
    for (int a = 0; a < kAgeBands; ++a) {
      const auto i = static_cast<size_t>(a);
      const bool observed = all_total > 0;
      params.push_back({std::string("joiner_age_share[all|") + age_band_label(a) + "]",
                        observed ? all[i] / all_total : kDefaultJoinerAge[i], 0,
                        observed ? Provenance::observed : Provenance::default_value,
                        static_cast<int64_t>(std::round(all_total)),
                        observed ? "joiners in the band / all joiners (roles with no joiners)"
                                 : "illustrative age profile"});
    }
  }

  // Lines: every (unit, role) with staff, establishment, joiners or incoming transfers.
  std::vector<int> line_of(nunits * nroles, -1);
  std::vector<char> is_destination(nunits * nroles, 0);
  for (const auto& [key, n] : in.transfers) is_destination[key.second] = 1;
  for (size_t u = 0; u < nunits; ++u)
    for (size_t r = 0; r < nroles; ++r) {
      const size_t ur = in.unit_role(u, r);
      double hc = in.aggregates[ur].headcount_end, joiners = in.aggregates[ur].joiners;
      for (int a = 0; a < kAgeBands; ++a) {
        const auto& c = in.cells[in.cell(u, r, a)];
        hc += c.headcount_end;
        for (double j : c.joiners) joiners += j;
      }
      if (hc <= 0 && joiners <= 0 && in.establishment_fte[ur] <= 0 && !is_destination[ur]) continue;
      line_of[ur] = static_cast<int>(cal.lines.size());
      Line line;
      line.unit = static_cast<uint16_t>(u);
      line.role = static_cast<uint8_t>(r);
      cal.lines.push_back(line);
    }

  // Role age distribution of staff in post, to spread aggregate headcounts over age bands.
  std::vector<std::array<double, kAgeBands>> role_age(nroles);
  std::array<double, kAgeBands> all_age{};
  for (size_t r = 0; r < nroles; ++r)
    for (int a = 0; a < kAgeBands; ++a) {
      role_age[r][static_cast<size_t>(a)] = by_role[r][static_cast<size_t>(a)].headcount_end;
      all_age[static_cast<size_t>(a)] += by_role[r][static_cast<size_t>(a)].headcount_end;
    }
  if (std::accumulate(all_age.begin(), all_age.end(), 0.0) <= 0)
    for (int a = 1; a < 11; ++a) all_age[static_cast<size_t>(a)] = 1;

  int64_t default_establishment_lines = 0;
  double total_fte = 0;
  for (auto& line : cal.lines) {
    const size_t ur = in.unit_role(line.unit, line.role);
    const auto& agg = in.aggregates[ur];
    double rec_hc = 0, rec_fte = 0;
    for (int a = 0; a < kAgeBands; ++a) {
      const auto& c = in.cells[in.cell(line.unit, line.role, a)];
      line.headcount[static_cast<size_t>(a)] = static_cast<int64_t>(std::llround(c.headcount_end));
      rec_hc += c.headcount_end, rec_fte += c.fte_end;
    }
    // Aggregate headcount over age bands by largest remainder.
    const auto agg_hc = static_cast<int64_t>(std::llround(agg.headcount_end));
    if (agg_hc > 0) {
      auto shape = role_age[line.role];
      double total = std::accumulate(shape.begin(), shape.end(), 0.0);
      if (total <= 0) shape = all_age, total = std::accumulate(shape.begin(), shape.end(), 0.0);
      std::array<double, kAgeBands> remainder{};
      int64_t placed = 0;
      for (size_t a = 0; a < kAgeBands; ++a) {
        const double exact = static_cast<double>(agg_hc) * shape[a] / total;
        const auto whole = static_cast<int64_t>(std::floor(exact));
        line.headcount[a] += whole;
        placed += whole;
        remainder[a] = exact - static_cast<double>(whole);
      }
      while (placed < agg_hc) {
        const auto best = static_cast<size_t>(std::max_element(remainder.begin(), remainder.end()) -
                                              remainder.begin());
        line.headcount[best] += 1, remainder[best] = -1, ++placed;
      }
    }
    const double hc = rec_hc + agg.headcount_end, fte = rec_fte + agg.fte_end;
    double line_fph = hc > 0 ? fte / hc : kDefaultFtePerHead;
    if (hc <= 0) {
      double role_hc = agg_role[line.role].headcount_end, role_fte = agg_role[line.role].fte_end;
      for (const auto& c : by_role[line.role]) role_hc += c.headcount_end, role_fte += c.fte_end;
      if (role_hc > 0) line_fph = role_fte / role_hc;
    }
    for (int a = 0; a < kAgeBands; ++a) {
      const auto& c = in.cells[in.cell(line.unit, line.role, a)];
      line.fte_per_head[static_cast<size_t>(a)] = (c.fte_end + options.fte_shrinkage * line_fph) /
                                                  (c.headcount_end + options.fte_shrinkage);
    }
    // Shrinkage (and aggregate heads at the bands' rates) moves the line's FTE a little off
    // the FTE in post: scale so that supply at t = 0 is the FTE the dashboard shows.
    double modelled = 0;
    for (size_t a = 0; a < kAgeBands; ++a)
      modelled += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
    if (modelled > 0 && fte > 0)
      for (double& fph : line.fte_per_head) fph *= fte / modelled;
    for (size_t a = 0; a < kAgeBands; ++a)
      total_fte += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
    // Establishment: funded FTE where sent, and for the organisations that sent none for the
    // role their FTE in post (plus an aggregate return's vacant posts); with none sent at all,
    // the line's FTE in post (so its gap starts at its stated vacancies).
    if (in.establishment_observed[ur]) {
      line.establishment_fte =
          in.establishment_fte[ur] + in.unfunded_in_post_fte[ur] + in.unfunded_vacant_fte[ur];
      line.funded_fte_sent = in.establishment_fte[ur];
      line.establishment_observed = true;
    } else {
      double in_post = 0;
      for (size_t a = 0; a < kAgeBands; ++a)
        in_post += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
      line.establishment_fte = in_post + in.unfunded_vacant_fte[ur];
      ++default_establishment_lines;
    }
    line.establishment_orgs = in.establishment_orgs[ur];
    // Baseline joiners from outside the system: observed 12-month joiners by source.
    double joiners = 0;
    for (int a = 0; a < kAgeBands; ++a)
      for (int j = 0; j < kJoinerSources; ++j) {
        const double n = in.cells[in.cell(line.unit, line.role, a)].joiners[static_cast<size_t>(j)];
        line.joiners_per_year[static_cast<size_t>(j)] += n;
        joiners += n;
      }
    if (agg.has_leavers) {
      line.joiners_per_year[static_cast<size_t>(JoinerSource::international)] += agg.international;
      line.joiners_per_year[static_cast<size_t>(JoinerSource::other)] +=
          std::max(0.0, agg.joiners - agg.international);
    }
    if (!in.has_window) {
      // No window: replace expected leavers so the stock is steady (stated as a default).
      double expected = 0;
      for (size_t a = 0; a < kAgeBands; ++a)
        expected += static_cast<double>(line.headcount[a]) * cal.leaver_rate[line.role][a];
      line.joiners_per_year[static_cast<size_t>(JoinerSource::other)] = expected;
    }
  }

  // Transfers: share of an origin line's non-retirement leavers moving to each destination.
  for (const auto& [key, n] : in.transfers) {
    const int from = line_of[key.first], to = line_of[key.second];
    if (from < 0 || to < 0) continue;
    double leavers = 0, retired = 0;
    const size_t u = key.first / nroles, r = key.first % nroles;
    for (int a = 0; a < kAgeBands; ++a) {
      leavers += in.cells[in.cell(u, r, a)].leavers;
      retired += in.cells[in.cell(u, r, a)].retirements;
    }
    const double non_retiring = leavers - retired;
    if (non_retiring <= 0) continue;
    cal.lines[static_cast<size_t>(from)].transfers.push_back(
        {static_cast<uint32_t>(to), n / non_retiring});
  }
  auto line_label = [&](const Line& line) {
    const auto& unit = cal.units[line.unit];
    return std::string(sectors().code(static_cast<uint8_t>(unit.sector))) + "|" +
           (unit.place == kAllPlaces ? std::string("all") : cal.places[unit.place]) + "|" +
           roles().code(line.role);
  };
  for (const auto& line : cal.lines) {
    double share = 0;
    for (const auto& t : line.transfers) share += t.share;
    if (share <= 0) continue;
    double non_retiring = 0;  // the shares' denominator
    for (int a = 0; a < kAgeBands; ++a) {
      const auto& c = in.cells[in.cell(line.unit, line.role, a)];
      non_retiring += c.leavers - c.retirements;
    }
    const auto n = static_cast<int64_t>(std::llround(non_retiring));
    const std::string from = line_label(line);
    params.push_back({"internal_transfer_share[" + from + "]", share, 0, Provenance::observed, n,
                      "leavers found elsewhere in the system at E (person_key moves) / "
                      "non-retirement leavers"});
    for (const auto& t : line.transfers)
      params.push_back(
          {"internal_transfer_share[" + from + " -> " + line_label(cal.lines[t.line]) + "]",
           t.share, 0, Provenance::observed, n,
           "leavers who moved to this line / non-retirement leavers"});
  }

  // Joiners by source and role, system totals.
  for (size_t r = 0; r < nroles; ++r) {
    std::array<double, kJoinerSources> by_source{};
    for (const auto& line : cal.lines)
      if (line.role == r)
        for (int j = 0; j < kJoinerSources; ++j)
          by_source[static_cast<size_t>(j)] += line.joiners_per_year[static_cast<size_t>(j)];
    for (int j = 0; j < kJoinerSources; ++j)
      if (by_source[static_cast<size_t>(j)] > 0)
        params.push_back(
            {std::string("joiners_per_year[") + roles().code(static_cast<uint8_t>(r)) + "|" +
                 joiner_source_name(static_cast<JoinerSource>(j)) + "]",
             by_source[static_cast<size_t>(j)], std::sqrt(by_source[static_cast<size_t>(j)]),
             in.has_window ? Provenance::observed : Provenance::default_value,
             static_cast<int64_t>(by_source[static_cast<size_t>(j)]),
             in.has_window ? "joiners from outside the system by recruitment_source" + window
                           : "replacement of expected leavers (no 12-month window)"});
  }

  // FTE per head and establishment per sector and role.
  {
    // hc, fte, establishment, funded FTE sent, organisations that sent it
    std::map<std::pair<int, int>, std::array<double, 5>> sums;
    for (const auto& line : cal.lines) {
      auto& s = sums[{static_cast<int>(cal.units[line.unit].sector), line.role}];
      for (size_t a = 0; a < kAgeBands; ++a) {
        s[0] += static_cast<double>(line.headcount[a]);
        s[1] += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
      }
      s[2] += line.establishment_fte;
      s[3] += line.funded_fte_sent;
      s[4] += line.establishment_orgs;
    }
    for (const auto& [key, s] : sums) {
      const std::string name = std::string(sectors().code(static_cast<uint8_t>(key.first))) + "|" +
                               roles().code(static_cast<uint8_t>(key.second));
      if (s[0] > 0)
        params.push_back({"fte_per_head[" + name + "]", s[1] / s[0], 0, Provenance::observed,
                          static_cast<int64_t>(s[0]), "mean FTE per person at the census"});
      const bool complete = s[4] > 0 && s[3] >= s[2] - 1e-9;
      params.push_back(
          {"establishment_fte[" + name + "]", s[2], 0,
           s[4] > 0 ? Provenance::observed : Provenance::default_value, static_cast<int64_t>(s[4]),
           complete   ? "funded FTE, latest establishment period at or before the census (n = "
                        "organisations)"
           : s[4] > 0 ? "funded FTE from the organisations that sent it (n; " +
                            std::to_string(std::llround(s[3])) +
                            " FTE), FTE in post (and stated vacant posts) of the others"
                      : "no establishment sent: FTE in post at the census, and vacant posts stated "
                        "in aggregate returns"});
    }
  }

  // Unit costs per staff group from pay costs; premiums from shift costs per hour.
  const size_t ngroups = staff_groups().size();
  cal.unit_cost_per_fte.assign(ngroups, 0);
  double all_fte = 0;  // FTE of the paying organisations, over the groups with pay
  for (size_t g = 0; g < ngroups; ++g) {
    const bool observed = in.paid_fte[g] > 0 && in.substantive_gbp[g] > 0;
    cal.unit_cost_per_fte[g] = observed ? in.substantive_gbp[g] / in.paid_fte[g]
                                        : default_unit_cost(static_cast<uint8_t>(g));
    if (observed) all_fte += in.paid_fte[g];
    params.push_back(
        {std::string("unit_cost_per_fte[") + staff_groups().code(static_cast<uint8_t>(g)) + "]",
         cal.unit_cost_per_fte[g], 0, observed ? Provenance::observed : Provenance::default_value,
         static_cast<int64_t>(in.paid_fte[g]),
         observed ? "substantive pay over 12 months / FTE in post of paying organisations"
                  : "illustrative national average pay plus on-costs"});
  }
  // Premium: what the filled shifts cost / what the same hours cost at the substantive pay
  // of their own staff group (observed where paid, else the group's default unit cost), so
  // bank shifts of lower-paid groups are not compared with pay pooled over all groups.
  auto premium = [&](const char* name, double gbp, const std::vector<double>& hours,
                     double fallback) {
    double total_hours = 0, at_substantive = 0;
    for (size_t g = 0; g < ngroups; ++g) {
      total_hours += hours[g];
      at_substantive += hours[g] * cal.unit_cost_per_fte[g] / kHoursPerFteYear;
    }
    const bool observed = all_fte > 0 && at_substantive > 0 && gbp > 0;
    const double value = observed ? gbp / at_substantive : fallback;
    params.push_back(
        {name, value, 0, observed ? Provenance::observed : Provenance::default_value,
         static_cast<int64_t>(total_hours),
         observed ? "shift cost / the same hours at their staff group's substantive pay per hour "
                    "(37.5 h a week)"
                  : "illustrative default"});
    return value;
  };
  cal.bank_premium =
      premium("bank_premium", in.bank_shift_gbp, in.bank_hours_by_group, kDefaultBankPremium);
  cal.agency_premium = premium("agency_premium", in.agency_shift_gbp, in.agency_hours_by_group,
                               kDefaultAgencyPremium);
  {
    const double hours = in.bank_hours + in.agency_hours;
    const double bank = std::accumulate(in.bank_gbp.begin(), in.bank_gbp.end(), 0.0);
    const double agency = std::accumulate(in.agency_gbp.begin(), in.agency_gbp.end(), 0.0);
    if (hours > 0) {
      cal.bank_fill_share = in.bank_hours / hours;
      params.push_back({"bank_fill_share", cal.bank_fill_share, 0, Provenance::observed,
                        static_cast<int64_t>(hours), "bank hours / (bank + agency) hours"});
    } else if (bank + agency > 0) {
      cal.bank_fill_share = bank / (bank + agency);
      params.push_back({"bank_fill_share", cal.bank_fill_share, 0, Provenance::observed,
                        in.temporary_pay_rows, "bank pay / (bank + agency) pay (n = pay rows)"});
    } else {
      cal.bank_fill_share = kDefaultBankFillShare;
      params.push_back({"bank_fill_share", cal.bank_fill_share, 0, Provenance::default_value, 0,
                        "illustrative default"});
    }
  }

  // Demand: service-use weights and population.
  for (size_t s = 0; s < 8; ++s) {
    const auto sector = static_cast<Sector>(s);
    cal.demand_weight[s] = sector == Sector::social_care     ? kSocialCareWeights
                           : sector == Sector::mental_health ? kMentalHealthWeights
                           : sector == Sector::primary_care  ? kPrimaryCareWeights
                                                             : kHospitalWeights;
    for (size_t b = 0; b < 18; ++b)
      params.push_back({std::string("service_use_weight[") +
                            sectors().code(static_cast<uint8_t>(s)) + "|" +
                            population_age_bands().code(static_cast<uint8_t>(b)) + "]",
                        cal.demand_weight[s][b], 0, Provenance::default_value, 0,
                        "illustrative: relative use per person, rising steeply with age"});
  }
  if (!in.population.empty()) {
    int first = INT32_MAX, last = INT32_MIN;
    for (const auto& [key, bands] : in.population)
      first = std::min(first, key.second), last = std::max(last, key.second);
    cal.population_first_year = first;
    cal.population.assign(cal.places.size(), {});
    for (size_t p = 0; p < cal.places.size(); ++p) {
      std::vector<std::array<double, 18>> years;
      bool any = false;
      std::array<double, 18> carry{};
      for (int y = first; y <= last; ++y) {
        auto it = in.population.find({static_cast<uint32_t>(p), y});
        if (it != in.population.end()) carry = it->second, any = true;
        years.push_back(carry);
      }
      if (!any) continue;
      // Years before a place's first row take that first row.
      size_t first_seen = 0;
      while (first_seen < years.size() &&
             std::all_of(years[first_seen].begin(), years[first_seen].end(),
                         [](double v) { return v == 0; }))
        ++first_seen;
      for (size_t i = 0; i < first_seen && first_seen < years.size(); ++i)
        years[i] = years[first_seen];
      cal.population[p] = std::move(years);
    }
  }
  params.push_back({"productivity_gain_per_year", cal.productivity_gain, cal.productivity_spread,
                    Provenance::default_value, 0,
                    "no productivity gain assumed unless a scenario sets one"});
  (void)default_establishment_lines;
  (void)total_fte;
  return cal;
}

}  // namespace careforce::projection
