#include "projection/engine.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>
#include <unordered_map>

#include "projection/rng.hpp"
#include "projection/samplers.hpp"

namespace careforce::projection {

namespace {

constexpr double kAgeingProbability = 0.2;  // one fifth of a 5-year band moves up each year

uint64_t line_key(const PlanLine& line) {
  return (static_cast<uint64_t>(line.unit) << 8) | line.role;
}

std::vector<double> weights_of(const std::vector<PlanLine>& lines,
                               const std::vector<uint32_t>& chosen) {
  std::vector<double> w(chosen.size(), 0);
  double total = 0;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const auto& hc = lines[chosen[i]].headcount;
    w[i] = static_cast<double>(std::accumulate(hc.begin(), hc.end(), int64_t{0}));
    total += w[i];
  }
  if (total <= 0)
    for (size_t i = 0; i < chosen.size(); ++i) total += (w[i] = lines[chosen[i]].establishment_fte);
  if (total <= 0) std::fill(w.begin(), w.end(), 1.0), total = static_cast<double>(w.size());
  for (double& x : w) x /= total;
  return w;
}

}  // namespace

Result<SimulationPlan> build_plan(const Calibration& cal, const Scenario* scenario,
                                  size_t interventions, int years, bool parameter_uncertainty) {
  if (years < 1 || years > 50)
    return make_error(ErrorCode::invalid_argument, "years must be 1 to 50");
  SimulationPlan plan;
  plan.years = years;
  const auto T = static_cast<size_t>(years + 1);
  plan.retirement_share = cal.retirement_share;
  plan.role_relative_spread = cal.leaver_rate_relative_spread;
  if (!parameter_uncertainty)
    std::fill(plan.role_relative_spread.begin(), plan.role_relative_spread.end(), 0.0);
  plan.productivity_spread = parameter_uncertainty ? cal.productivity_spread : 0.0;
  plan.shortfall_premium =
      cal.bank_fill_share * cal.bank_premium + (1 - cal.bank_fill_share) * cal.agency_premium;

  // Role means of FTE per head, for lines a scenario creates.
  std::vector<double> role_fph_sum(roles().size(), 0), role_hc(roles().size(), 0);
  for (const auto& line : cal.lines)
    for (size_t a = 0; a < kAgeBands; ++a) {
      role_fph_sum[line.role] += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
      role_hc[line.role] += static_cast<double>(line.headcount[a]);
    }

  std::vector<std::array<double, kJoinerSources>> source_mean;
  std::unordered_map<uint64_t, uint32_t> index;
  auto add_line = [&](uint16_t unit, uint8_t role, const Line* from) {
    PlanLine line;
    line.unit = unit;
    line.role = role;
    line.staff_group = role_info(role).staff_group;
    line.sector = cal.units[unit].sector;
    line.place = cal.units[unit].place;
    line.leaver_rate = cal.leaver_rate[role];
    line.joiner_age_share = cal.joiner_age_share[role];
    double mass_left = 1.0;
    for (size_t a = 0; a < kAgeBands; ++a) {
      const double share = line.joiner_age_share[a];
      if (share <= 0) continue;
      line.joiner_split[a] =
          binomial_constants(mass_left > 0 ? std::min(1.0, share / mass_left) : 1.0);
      mass_left -= share;
    }
    line.unit_cost = cal.unit_cost_per_fte[line.staff_group];
    std::array<double, kJoinerSources> sources{};
    if (from) {
      line.headcount = from->headcount;
      line.fte_per_head = from->fte_per_head;
      line.transfers = from->transfers;
      double transfer_mass = 1.0;
      for (const auto& transfer : line.transfers) {
        line.transfer_split.push_back(
            binomial_constants(std::min(1.0, transfer.share / transfer_mass)));
        transfer_mass -= transfer.share;
      }
      line.establishment_fte = from->establishment_fte;
      sources = from->joiners_per_year;
    } else {
      line.fte_per_head.fill(role_hc[role] > 0 ? role_fph_sum[role] / role_hc[role] : 0.9);
    }
    line.leave_delta.assign(T, 0);
    line.retire_keep.assign(T, 1);
    line.joiner_mean.assign(T, 0);
    line.demand_base.assign(T, 0);
    line.productivity.assign(T, cal.productivity_gain);
    index[line_key(line)] = static_cast<uint32_t>(plan.lines.size());
    plan.lines.push_back(std::move(line));
    source_mean.push_back(sources);
    return static_cast<uint32_t>(plan.lines.size() - 1);
  };
  for (const auto& line : cal.lines) add_line(line.unit, line.role, &line);

  std::vector<std::vector<double>> pct_factor(plan.lines.size(), std::vector<double>(T, 1.0));
  std::vector<std::vector<double>> add_fte(plan.lines.size(), std::vector<double>(T, 0.0));
  std::vector<std::vector<double>> extra_joiners(plan.lines.size(), std::vector<double>(T, 0.0));
  std::vector<double> wisn_fte(plan.lines.size(), -1);
  std::vector<int> wisn_from(plan.lines.size(), 0);
  auto grow = [&](uint32_t l) {
    while (pct_factor.size() <= l) {
      pct_factor.emplace_back(T, 1.0), add_fte.emplace_back(T, 0.0),
          extra_joiners.emplace_back(T, 0.0);
      wisn_fte.push_back(-1), wisn_from.push_back(0);
    }
  };

  const size_t count = scenario ? std::min(interventions, scenario->interventions.size()) : 0;
  for (size_t i = 0; i < count; ++i) {
    const Intervention& iv = scenario->interventions[i];
    const std::string where = scenario->source + ":" + std::to_string(iv.line) + ": ";
    auto fail = [&](const std::string& message) {
      return make_error(ErrorCode::invalid_argument, where + message, scenario->source);
    };
    int first = iv.start_year == 0 ? 1 : iv.start_year - cal.base_year.start_year;
    if (first < 0)
      return fail("start " + FinancialYear{iv.start_year}.label() + " is before the census year " +
                  cal.base_year.label());
    if (iv.type != InterventionType::training_places) first = std::max(first, 1);
    std::optional<uint32_t> place;
    if (iv.target.place && !cal.by_place)
      return fail("scope place:" + *iv.target.place +
                  " needs cells by place (--cells sector_place)");
    if (iv.target.place) {
      auto it = std::find(cal.places.begin(), cal.places.end(), *iv.target.place);
      if (it == cal.places.end()) {
        std::string known;
        for (const auto& p : cal.places) known += (known.empty() ? "" : ", ") + p;
        return fail("unknown place '" + *iv.target.place + "' (places: " + known + ")");
      }
      place = static_cast<uint32_t>(it - cal.places.begin());
    }
    if (first > years) continue;  // starts after the horizon (its place checked all the same)
    auto unit_matches = [&](uint16_t u) {
      return (!iv.target.sector || cal.units[u].sector == *iv.target.sector) &&
             (!place || cal.units[u].place == *place);
    };
    auto matches = [&](const PlanLine& line, std::optional<uint8_t> role) {
      return unit_matches(line.unit) && (!role || line.role == *role) &&
             (!iv.target.staff_group || line.staff_group == *iv.target.staff_group);
    };
    auto select = [&](std::optional<uint8_t> role, bool create) -> Result<std::vector<uint32_t>> {
      std::vector<uint32_t> chosen;
      for (uint32_t l = 0; l < plan.lines.size(); ++l)
        if (matches(plan.lines[l], role)) chosen.push_back(l);
      if (chosen.empty() && create && role)
        for (uint16_t u = 0; u < cal.units.size(); ++u)
          if (unit_matches(u)) {
            chosen.push_back(add_line(u, *role, nullptr));
            grow(chosen.back());
          }
      if (chosen.empty()) return fail("no staff match " + iv.target.describe());
      return chosen;
    };
    auto from_t = [&](auto fn) {
      for (size_t t = static_cast<size_t>(std::max(first, 1)); t < T; ++t) fn(t);
    };
    switch (iv.type) {
      case InterventionType::turnover_change: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, false));
        for (uint32_t l : chosen)
          from_t([&](size_t t) {
            const double phase = std::min(
                1.0, static_cast<double>(static_cast<int>(t) - first + 1) / iv.phase_in_years);
            plan.lines[l].leave_delta[t] += iv.change_pp / 100.0 * phase;
          });
        break;
      }
      case InterventionType::retirement_deferral: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, false));
        for (uint32_t l : chosen)
          from_t([&](size_t t) { plan.lines[l].retire_keep[t] *= 1 - iv.share; });
        break;
      }
      case InterventionType::training_places: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, true));
        Pipeline p;
        p.lines = chosen;
        p.line_share = weights_of(plan.lines, chosen);
        p.intake = static_cast<int64_t>(std::llround(iv.intake));
        p.join_probability = iv.completion_rate * iv.local_share;
        p.first_arrival = std::max(1, first + iv.course_years);
        plan.pipelines.push_back(std::move(p));
        break;
      }
      case InterventionType::international_recruitment:
      case InterventionType::return_to_practice:
      case InterventionType::apprenticeships:
      case InterventionType::bank_to_substantive: {
        const JoinerSource source =
            iv.type == InterventionType::international_recruitment ? JoinerSource::international
            : iv.type == InterventionType::return_to_practice ? JoinerSource::return_to_practice
            : iv.type == InterventionType::apprenticeships    ? JoinerSource::apprenticeship
                                                              : JoinerSource::other;
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, iv.per_year > 0));
        const auto w = weights_of(plan.lines, chosen);
        for (size_t k = 0; k < chosen.size(); ++k) {
          const uint32_t l = chosen[k];
          const double base = source_mean[l][static_cast<size_t>(source)];
          from_t([&](size_t t) {
            extra_joiners[l][t] += iv.per_year * w[k];
            if (iv.type != InterventionType::bank_to_substantive)
              extra_joiners[l][t] += base * iv.percent / 100.0;
          });
        }
        break;
      }
      case InterventionType::new_role: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, true));
        const auto w = weights_of(plan.lines, chosen);
        for (size_t k = 0; k < chosen.size(); ++k)
          from_t([&](size_t t) {
            add_fte[chosen[k]][t] += iv.fte * w[k];
            extra_joiners[chosen[k]][t] += iv.per_year * (1 - iv.share) * w[k];
          });
        if (iv.share > 0 && iv.per_year > 0 && iv.from_role) {
          InternalRecruitment r;
          for (uint32_t l = 0; l < plan.lines.size(); ++l)
            if (plan.lines[l].role == *iv.from_role &&
                (!iv.from_sector || plan.lines[l].sector == *iv.from_sector) &&
                (!place || plan.lines[l].place == *place))
              r.sources.push_back(l);
          if (r.sources.empty())
            return fail("no staff in from_role " + roles().code(*iv.from_role) +
                        " to recruit from");
          r.destinations = chosen;
          r.destination_share = w;
          r.mean_per_year = iv.per_year * iv.share;
          r.first_year = first;
          plan.recruitments.push_back(std::move(r));
        }
        break;
      }
      case InterventionType::skill_mix: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, false));
        for (uint32_t l : chosen) {
          const uint16_t unit = plan.lines[l].unit;
          auto it = index.find((static_cast<uint64_t>(unit) << 8) | *iv.to_role);
          uint32_t to = it != index.end() ? it->second : add_line(unit, *iv.to_role, nullptr);
          grow(to);
          plan.skill_mix.push_back({l, to, iv.share, iv.ratio, first});
        }
        break;
      }
      case InterventionType::demand_step:
      case InterventionType::demand_growth: {
        CF_ASSIGN_OR_RETURN(
            auto chosen,
            select(iv.target.role, iv.type == InterventionType::demand_step && iv.fte > 0));
        std::vector<double> w(chosen.size(), 0);
        double total = 0;
        for (size_t k = 0; k < chosen.size(); ++k)
          total += (w[k] = plan.lines[chosen[k]].establishment_fte);
        for (double& x : w) x = total > 0 ? x / total : 1.0 / static_cast<double>(w.size());
        for (size_t k = 0; k < chosen.size(); ++k) {
          const uint32_t l = chosen[k];
          from_t([&](size_t t) {
            if (iv.type == InterventionType::demand_step) {
              pct_factor[l][t] *= 1 + iv.percent / 100.0;
              add_fte[l][t] += iv.fte * w[k];
            } else {
              pct_factor[l][t] *= std::pow(1 + iv.percent / 100.0,
                                           static_cast<double>(static_cast<int>(t) - first + 1));
            }
          });
        }
        break;
      }
      case InterventionType::productivity: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, false));
        for (uint32_t l : chosen)
          from_t([&](size_t t) { plan.lines[l].productivity[t] = iv.gain; });
        break;
      }
      case InterventionType::wisn: {
        CF_ASSIGN_OR_RETURN(auto chosen, select(iv.target.role, true));
        double hours = 0;
        for (const auto& a : iv.activities) hours += a.annual_volume * a.minutes_each / 60.0;
        const double required = hours / iv.available_hours * iv.allowance_factor;
        std::vector<double> w(chosen.size(), 0);
        double total = 0;
        for (size_t k = 0; k < chosen.size(); ++k)
          total += (w[k] = plan.lines[chosen[k]].establishment_fte);
        for (size_t k = 0; k < chosen.size(); ++k) {
          wisn_fte[chosen[k]] =
              required * (total > 0 ? w[k] / total : 1.0 / static_cast<double>(chosen.size()));
          wisn_from[chosen[k]] = std::max(first, 1);
        }
        break;
      }
    }
  }

  // With no turnover change, leavers split into retiring (rate x s k) and other (rate x
  // (1 - s)) in proportions that do not depend on the rate: their constants are made here.
  std::map<double, int32_t> split_of_keep;
  auto retire_split = [&](double keep) {
    auto [it, added] = split_of_keep.emplace(keep, static_cast<int32_t>(plan.retire_splits.size()));
    if (added) {
      auto& split = plan.retire_splits.emplace_back();
      for (size_t a = 0; a < kAgeBands; ++a) {
        const double s = plan.retirement_share[a], retiring = s * keep;
        split[a] = binomial_constants(retiring > 0 ? retiring / (retiring + (1 - s)) : 0.0);
      }
    }
    return it->second;
  };

  for (uint32_t l = 0; l < plan.lines.size(); ++l) {
    grow(l);
    auto& line = plan.lines[l];
    line.retire_split_at.assign(T, -1);
    for (size_t t = 1; t < T; ++t)
      if (line.leave_delta[t] == 0 && line.retire_keep[t] >= 0 && line.retire_keep[t] <= 1)
        line.retire_split_at[t] = retire_split(line.retire_keep[t]);
    const double baseline_joiners =
        std::accumulate(source_mean[l].begin(), source_mean[l].end(), 0.0);
    for (size_t t = 0; t < T; ++t) {
      const double index_t = cal.population_index(line.place, line.sector,
                                                  cal.base_year.start_year + static_cast<int>(t));
      const double base = wisn_fte[l] >= 0 && static_cast<int>(t) >= wisn_from[l]
                              ? wisn_fte[l]
                              : line.establishment_fte;
      line.demand_base[t] = base * index_t * pct_factor[l][t] + add_fte[l][t];
      line.joiner_mean[t] = t == 0 ? 0 : std::max(0.0, baseline_joiners + extra_joiners[l][t]);
    }
    // External joiners by band: independent Poisson(mean x share), which is a Poisson total
    // split multinomially; shares are normalised so the expected total is the mean.
    double share_total = 0;
    for (double share : line.joiner_age_share) share_total += std::max(0.0, share);
    line.joiner_tables_at.assign(T, -1);
    for (size_t t = 1; t < T; ++t) {
      if (!(line.joiner_mean[t] > 0) || !(share_total > 0)) continue;
      if (line.joiner_mean[t] == line.joiner_mean[t - 1] && line.joiner_tables_at[t - 1] >= 0) {
        line.joiner_tables_at[t] = line.joiner_tables_at[t - 1];
        continue;
      }
      line.joiner_tables_at[t] = static_cast<int32_t>(plan.joiner_tables.size());
      std::array<double, kAgeBands> means{};
      for (size_t a = 0; a < kAgeBands; ++a)
        means[a] = line.joiner_mean[t] * std::max(0.0, line.joiner_age_share[a]) / share_total;
      plan.joiner_tables.emplace_back(means);
    }
  }
  return plan;
}

std::vector<uint8_t> upstream_lines(const SimulationPlan& plan, std::vector<uint8_t> wanted) {
  wanted.resize(plan.lines.size(), 0);
  for (bool changed = true; changed;) {
    changed = false;
    auto mark = [&](uint32_t l) {
      if (!wanted[l]) wanted[l] = 1, changed = true;
    };
    for (uint32_t l = 0; l < plan.lines.size(); ++l)
      for (const auto& transfer : plan.lines[l].transfers)
        if (wanted[transfer.line]) mark(l);
    for (const auto& rule : plan.recruitments) {
      bool touches = false;
      for (uint32_t d : rule.destinations) touches |= wanted[d] != 0;
      for (uint32_t s : rule.sources) touches |= wanted[s] != 0;
      if (touches)
        for (uint32_t s : rule.sources) mark(s);
    }
  }
  return wanted;
}

namespace {

// Add a multinomial split of n people over the line's joiner age shares to `count`; return
// how many were placed (the shares may sum to slightly under 1).
int64_t split_by_age(Rng& rng, int64_t n, const PlanLine& line,
                     std::array<int64_t, kAgeBands>& count) {
  int64_t left = n;
  for (size_t a = 0; a < kAgeBands && left > 0; ++a) {
    if (line.joiner_age_share[a] <= 0) continue;
    const int64_t x = sample_binomial(rng, left, line.joiner_split[a]);
    count[a] += x;
    left -= x;
  }
  return n - left;
}

// Per-thread working storage, so replicates do not allocate in the hot loop.
struct Scratch {
  std::vector<std::array<int64_t, kAgeBands>> count, incoming;
  std::vector<Rng> leaver_rng, ageing_rng, joiner_rng, qualifier_rng, pipeline_rng, recruit_rng;
  std::vector<std::array<BinomialConstants, kAgeBands>> leave_c, retire_c;
  std::vector<uint16_t> ready;  ///< Per line, the bands whose leave_c (and retire_c) are made.
  std::vector<double> role_multiplier, productivity_factor, demand;
  std::vector<int64_t> pipeline_arrivals;
  std::vector<uint32_t> lines;
};

// What a kernel run reads and writes beside the plan (all arrays [(line * T + t) * kAgeBands
// + band] or [line * T + t]).
struct KernelIO {
  std::span<const uint8_t> active;       ///< Lines simulated; empty = all.
  std::span<const uint8_t> outputs_for;  ///< Lines whose outputs are filled; empty = all.
  bool record_flows = false;             ///< Fill out.flows.
  const int32_t* arrivals = nullptr;     ///< Added to the arrivals from other lines.
  int32_t* received = nullptr;           ///< Record the arrivals from other lines.
  int32_t* edge_flows = nullptr;         ///< Record the people moving along each transfer edge.
  const uint32_t* first_edge = nullptr;  ///< first_edges(plan), with edge_flows.
  /// Supply of lines not simulated, from a recorded baseline (else zero).
  const double* other_supply = nullptr;
  const int32_t* other_headcount = nullptr;
  size_t other_lines = 0;  ///< Lines the recorded supply covers.
};

void run_kernel(const SimulationPlan& plan, uint64_t seed, uint64_t replicate, ReplicateOutput& out,
                const KernelIO& io, Scratch& scratch) {
  const size_t L = plan.lines.size();
  const auto T = static_cast<size_t>(plan.years + 1);
  const bool all_lines = io.active.empty();
  auto active = [&](size_t l) { return all_lines || io.active[l] != 0; };
  const bool record_flows = io.record_flows;
  out.supply_fte.assign(L * T, 0);
  out.demand_fte.assign(L * T, 0);
  out.cost_gbp.assign(L * T, 0);
  out.headcount.assign(L * T, 0);
  if (record_flows)
    out.flows.assign(L * T, {});
  else
    out.flows.clear();
  auto& lines = scratch.lines;  // the active lines, in order
  lines.clear();
  for (uint32_t l = 0; l < L; ++l)
    if (active(l)) lines.push_back(l);

  // Per-replicate parameter draws: one leaver-rate multiplier per role (mean 1, lognormal),
  // one productivity shift for the run.
  auto& role_multiplier = scratch.role_multiplier;
  role_multiplier.assign(plan.role_relative_spread.size(), 0.0);
  const uint64_t uncertainty_key = stream_key(seed, "leaver_rate_uncertainty", replicate);
  for (uint32_t l : lines) role_multiplier[plan.lines[l].role] = 1;  // roles simulated
  for (size_t r = 0; r < role_multiplier.size(); ++r) {
    const double s = plan.role_relative_spread[r];
    if (s <= 0 || role_multiplier[r] == 0) continue;
    Rng rng = Rng::stream(uncertainty_key, r);
    const double sigma = std::sqrt(std::log1p(s * s));
    role_multiplier[r] = std::exp(sigma * sample_normal(rng) - sigma * sigma / 2);
  }
  double productivity_shift = 0;
  if (plan.productivity_spread > 0) {
    Rng rng = Rng::stream(seed, "productivity_uncertainty", replicate);
    productivity_shift = plan.productivity_spread * sample_normal(rng);
  }

  auto& count = scratch.count;
  auto& incoming = scratch.incoming;
  count.resize(L), incoming.resize(L);
  auto& leaver_rng = scratch.leaver_rng;
  auto& ageing_rng = scratch.ageing_rng;
  auto& joiner_rng = scratch.joiner_rng;
  leaver_rng.resize(L), ageing_rng.resize(L), joiner_rng.resize(L);
  const uint64_t leaver_key = stream_key(seed, "leavers", replicate);
  const uint64_t ageing_key = stream_key(seed, "ageing", replicate);
  const uint64_t joiner_key = stream_key(seed, "joiners", replicate);
  for (uint32_t l : lines) {
    count[l] = plan.lines[l].headcount;
    const uint64_t key = line_key(plan.lines[l]);
    leaver_rng[l] = Rng::stream(leaver_key, key);
    ageing_rng[l] = Rng::stream(ageing_key, key);
    joiner_rng[l] = Rng::stream(joiner_key, key);
  }
  // Qualifiers' ages have their own stream, so training places leave the external joiners'
  // draws (and so the paired comparison with the baseline) alone.
  auto& qualifier_rng = scratch.qualifier_rng;
  if (!plan.pipelines.empty()) {
    qualifier_rng.resize(L);
    const uint64_t qualifier_key = stream_key(seed, "qualifier_ages", replicate);
    for (uint32_t l : lines) qualifier_rng[l] = Rng::stream(qualifier_key, line_key(plan.lines[l]));
  }
  auto& pipeline_rng = scratch.pipeline_rng;
  auto& recruit_rng = scratch.recruit_rng;
  pipeline_rng.clear(), recruit_rng.clear();
  const uint64_t pipeline_key = stream_key(seed, "training_pipeline", replicate);
  const uint64_t recruit_key = stream_key(seed, "internal_recruitment", replicate);
  for (size_t p = 0; p < plan.pipelines.size(); ++p)
    pipeline_rng.push_back(Rng::stream(pipeline_key, p));
  for (size_t r = 0; r < plan.recruitments.size(); ++r)
    recruit_rng.push_back(Rng::stream(recruit_key, r));

  // Binomial constants of leaving and of retiring among leavers, per line and age band.
  auto& leave_c = scratch.leave_c;
  auto& retire_c = scratch.retire_c;
  auto& ready = scratch.ready;
  leave_c.resize(L), retire_c.resize(L), ready.assign(L, 0);
  static const FixedBinomial ageing(kAgeingProbability, 512);

  auto& productivity_factor = scratch.productivity_factor;
  auto& demand = scratch.demand;
  productivity_factor.assign(L, 1.0);
  demand.assign(L, 0);
  auto& pipeline_arrivals = scratch.pipeline_arrivals;
  // Demand moved by skill mix comes from other lines, so then every line's demand is made.
  auto output = [&](size_t l) { return io.outputs_for.empty() || io.outputs_for[l] != 0; };
  const bool all_demand = !plan.skill_mix.empty();
  auto record = [&](size_t t) {
    for (size_t l = 0; l < L; ++l) {
      if (!all_demand && !output(l)) continue;
      const auto& line = plan.lines[l];
      if (t > 0) productivity_factor[l] *= 1 - (line.productivity[t] + productivity_shift);
      demand[l] = line.demand_base[t] * productivity_factor[l];
    }
    for (const auto& rule : plan.skill_mix) {
      if (static_cast<int>(t) < rule.first_year) continue;
      const double base0 = plan.lines[rule.from_line].demand_base[0];
      const double moved = rule.share * std::max(0.0, demand[rule.from_line] - base0);
      demand[rule.from_line] -= moved;
      demand[rule.to_line] += moved * rule.ratio;
    }
    for (size_t l = 0; l < L; ++l) {
      if (!output(l)) continue;
      const auto& line = plan.lines[l];
      const size_t i = l * T + t;
      out.demand_fte[i] = demand[l];
      double fte = 0;
      int64_t heads = 0;
      if (active(l)) {
        for (size_t a = 0; a < kAgeBands; ++a) {
          fte += static_cast<double>(count[l][a]) * line.fte_per_head[a];
          heads += count[l][a];
        }
      } else if (io.other_supply && l < io.other_lines) {
        fte = io.other_supply[i];
        heads = io.other_headcount[i];
      } else {
        continue;
      }
      out.supply_fte[i] = fte;
      out.headcount[i] = heads;
      out.cost_gbp[i] =
          line.unit_cost * (fte + std::max(0.0, demand[l] - fte) * plan.shortfall_premium);
    }
  };
  record(0);

  for (size_t t = 1; t < T; ++t) {
    for (uint32_t l : lines) incoming[l].fill(0);
    // 1-2. Leavers, retirements among them, and internal transfers of the others.
    for (uint32_t l : lines) {
      const auto& line = plan.lines[l];
      Rng& rng = leaver_rng[l];
      LineFlows* flows = record_flows ? &out.flows[l * T + t] : nullptr;
      if (flows) flows->start = std::accumulate(count[l].begin(), count[l].end(), int64_t{0});
      // Leaver and retirement probabilities change only when the year's scenario levers do;
      // their constants are made when a band first has people to draw from.
      if (t == 1 || line.leave_delta[t] != line.leave_delta[t - 1] ||
          line.retire_keep[t] != line.retire_keep[t - 1])
        ready[l] = 0;
      auto make_constants = [&](size_t a) {
        const double rate = std::min(1.0, line.leaver_rate[a] * role_multiplier[line.role]);
        const double p_retire = rate * plan.retirement_share[a] * line.retire_keep[t];
        const double p_other = std::clamp(
            rate * (1 - plan.retirement_share[a]) + line.leave_delta[t], 0.0, 1.0 - p_retire);
        const double p = p_retire + p_other;
        set_binomial_constants(leave_c[l][a], p, /*log_odds=*/false);
        if (line.retire_split_at[t] < 0)
          set_binomial_constants(retire_c[l][a], p > 0 ? p_retire / p : 0.0, /*log_odds=*/false);
        ready[l] |= static_cast<uint16_t>(1u << a);
      };
      // Plan constants have log_odds; the replicate's are filled when first needed.
      const bool plan_split = line.retire_split_at[t] >= 0;
      BinomialConstants* retire = plan_split ? nullptr : retire_c[l].data();
      const BinomialConstants* plan_retire =
          plan_split ? plan.retire_splits[static_cast<size_t>(line.retire_split_at[t])].data()
                     : nullptr;
      for (size_t a = 0; a < kAgeBands; ++a) {
        const int64_t n = count[l][a];
        if (n == 0) continue;
        if (!(ready[l] >> a & 1u)) make_constants(a);
        const int64_t leavers = sample_binomial_filling(rng, n, leave_c[l][a]);
        if (leavers == 0) continue;
        const int64_t retirements = plan_split ? sample_binomial(rng, leavers, plan_retire[a])
                                               : sample_binomial_filling(rng, leavers, retire[a]);
        int64_t moved = 0;
        if (!line.transfers.empty() && leavers > retirements) {
          int64_t left = leavers - retirements;
          for (size_t d = 0; d < line.transfers.size() && left > 0; ++d) {
            const int64_t x = sample_binomial(rng, left, line.transfer_split[d]);
            left -= x;
            moved += x;
            if (active(line.transfers[d].line)) incoming[line.transfers[d].line][a] += x;
            if (io.edge_flows) io.edge_flows[((io.first_edge[l] + d) * T + t) * kAgeBands + a] = x;
            if (record_flows) out.flows[line.transfers[d].line * T + t].transfers_in += x;
          }
        }
        count[l][a] -= leavers;
        if (flows) {
          flows->exits += leavers - moved;
          flows->retirements += retirements;
          flows->transfers_out += moved;
        }
      }
    }
    // New-role recruits from other roles inside the system.
    for (size_t r = 0; r < plan.recruitments.size(); ++r) {
      const auto& rule = plan.recruitments[r];
      if (static_cast<int>(t) < rule.first_year || !active(rule.sources.front())) continue;
      Rng& rng = recruit_rng[r];
      int64_t wanted = sample_poisson(rng, rule.mean_per_year);
      int64_t available = 0;
      for (uint32_t s : rule.sources)
        available += std::accumulate(count[s].begin(), count[s].end(), int64_t{0});
      wanted = std::min(wanted, available);
      for (uint32_t s : rule.sources) {
        for (size_t a = 0; a < kAgeBands && wanted > 0; ++a) {
          const int64_t here = count[s][a];
          if (here == 0) continue;
          const int64_t take =
              available == here
                  ? wanted
                  : sample_binomial(rng, wanted,
                                    static_cast<double>(here) / static_cast<double>(available));
          available -= here;
          if (take == 0) continue;
          const int64_t taken = std::min(take, here);
          wanted -= taken;
          count[s][a] -= taken;
          if (record_flows) out.flows[s * T + t].transfers_out += taken;
          // Spread the recruits over the destination lines.
          int64_t left = taken;
          double mass_left = 1.0;
          for (size_t d = 0; d < rule.destinations.size(); ++d) {
            const bool last = d + 1 == rule.destinations.size();
            const int64_t x =
                last ? left
                     : sample_binomial(rng, left,
                                       std::min(1.0, rule.destination_share[d] / mass_left));
            mass_left -= rule.destination_share[d];
            left -= x;
            if (active(rule.destinations[d])) incoming[rule.destinations[d]][a] += x;
            if (record_flows) out.flows[rule.destinations[d] * T + t].transfers_in += x;
          }
        }
      }
    }
    // 3-4. Arrivals from inside the system age with the stayers; then external joiners.
    if (!plan.pipelines.empty()) pipeline_arrivals.assign(L, 0);
    for (size_t p = 0; p < plan.pipelines.size(); ++p) {
      const auto& pipe = plan.pipelines[p];
      if (static_cast<int>(t) < pipe.first_arrival) continue;
      Rng& rng = pipeline_rng[p];
      int64_t left = sample_binomial(rng, pipe.intake, pipe.join_probability);
      double mass_left = 1.0;
      for (size_t k = 0; k < pipe.lines.size(); ++k) {
        const bool last = k + 1 == pipe.lines.size();
        const int64_t x =
            last ? left : sample_binomial(rng, left, std::min(1.0, pipe.line_share[k] / mass_left));
        mass_left -= pipe.line_share[k];
        left -= x;
        pipeline_arrivals[pipe.lines[k]] += x;
      }
    }
    for (uint32_t l : lines) {
      const auto& line = plan.lines[l];
      auto& c = count[l];
      const size_t at = (l * T + t) * kAgeBands;
      for (size_t a = 0; a < kAgeBands; ++a) {
        const int64_t in = incoming[l][a] + (io.arrivals ? io.arrivals[at + a] : 0);
        if (io.received) io.received[at + a] = static_cast<int32_t>(in);
        c[a] += in;
      }
      Rng& rng = ageing_rng[l];
      for (size_t a = kAgeBands - 1; a-- > 0;) {
        if (c[a] == 0) continue;
        const int64_t up = ageing(rng, c[a]);
        c[a] -= up;
        c[a + 1] += up;
      }
      // External joiners: a Poisson number per age band (tables built with the plan).
      Rng& jrng = joiner_rng[l];
      int64_t joiners = 0;
      if (line.joiner_tables_at[t] >= 0)
        joiners = plan.joiner_tables[static_cast<size_t>(line.joiner_tables_at[t])](jrng, c);
      if (!plan.pipelines.empty() && pipeline_arrivals[l] > 0) {
        const int64_t placed = split_by_age(qualifier_rng[l], pipeline_arrivals[l], line, c);
        c[kAgeBands / 2] += pipeline_arrivals[l] - placed;  // rounding remainder of the shares
        joiners += pipeline_arrivals[l];
      }
      if (record_flows) {
        auto& f = out.flows[l * T + t];
        f.joiners = joiners;
        f.end = std::accumulate(c.begin(), c.end(), int64_t{0});
      }
    }
    record(t);
  }
}

}  // namespace

void simulate_replicate(const SimulationPlan& plan, uint64_t seed, uint64_t replicate,
                        ReplicateOutput& out, bool record_flows,
                        std::span<const uint8_t> active_lines, bool record_arrivals) {
  thread_local Scratch scratch;
  thread_local std::vector<uint32_t> first_edge;
  KernelIO io{.active = active_lines, .outputs_for = {}, .record_flows = record_flows};
  if (record_arrivals) {
    const auto T = static_cast<size_t>(plan.years + 1);
    first_edge = first_edges(plan);
    out.arrivals.assign(plan.lines.size() * T * kAgeBands, 0);
    out.edge_flows.assign(first_edge.back() * T * kAgeBands, 0);
    io.received = out.arrivals.data();
    io.edge_flows = out.edge_flows.data();
    io.first_edge = first_edge.data();
  }
  run_kernel(plan, seed, replicate, out, io, scratch);
}

std::vector<uint32_t> first_edges(const SimulationPlan& plan) {
  std::vector<uint32_t> first(plan.lines.size() + 1, 0);
  for (size_t l = 0; l < plan.lines.size(); ++l)
    first[l + 1] = first[l] + static_cast<uint32_t>(plan.lines[l].transfers.size());
  return first;
}

BaselineRecord::BaselineRecord(SimulationPlan plan_, uint64_t seed_, size_t runs_,
                               std::span<const uint8_t> recorded_)
    : plan(std::move(plan_)), seed(seed_), runs(runs_) {
  const size_t LT = plan.lines.size() * static_cast<size_t>(plan.years + 1);
  recorded.assign(plan.lines.size(), 1);
  if (!recorded_.empty()) recorded.assign(recorded_.begin(), recorded_.end());
  supply_fte = BigArray<double>(runs * LT);
  headcount = BigArray<int32_t>(runs * LT);
  arrivals = BigArray<uint16_t>(runs * LT * kAgeBands);
  first_edge = first_edges(plan);
  edge_flows = BigArray<uint16_t>(runs * first_edge.back() * static_cast<size_t>(plan.years + 1) *
                                  kAgeBands);
}

size_t BaselineRecord::bytes(const SimulationPlan& plan, size_t runs) {
  const auto T = static_cast<size_t>(plan.years + 1);
  const size_t LT = plan.lines.size() * T;
  const size_t ET = first_edges(plan).back() * T;
  return runs * (LT * (sizeof(double) + sizeof(int32_t) + kAgeBands * sizeof(uint16_t)) +
                 ET * kAgeBands * sizeof(uint16_t));
}

namespace {

// Copy counts into 16 bits; false when one does not fit (only in national-sized cells).
bool narrow_to_16_bits(std::span<const int32_t> from, uint16_t* to) {
  bool fits = true;
  for (size_t i = 0; i < from.size(); ++i) {
    fits &= from[i] >= 0 && from[i] <= UINT16_MAX;
    to[i] = static_cast<uint16_t>(from[i]);
  }
  return fits;
}

}  // namespace

void BaselineRecord::store(size_t replicate, const ReplicateOutput& out) {
  const size_t LT = plan.lines.size() * static_cast<size_t>(plan.years + 1);
  std::copy(out.supply_fte.begin(), out.supply_fte.end(), supply_fte.data() + replicate * LT);
  for (size_t i = 0; i < LT; ++i)
    headcount[replicate * LT + i] = static_cast<int32_t>(out.headcount[i]);
  if (!narrow_to_16_bits(out.arrivals, arrivals.data() + replicate * LT * kAgeBands) ||
      !narrow_to_16_bits(out.edge_flows, edge_flows.data() + replicate * out.edge_flows.size()))
    overflow = true;
}

std::vector<uint8_t> changed_lines(const SimulationPlan& base, const SimulationPlan& plan) {
  const size_t L = plan.lines.size();
  const bool same_run = base.years == plan.years &&
                        base.retirement_share == plan.retirement_share &&
                        base.role_relative_spread == plan.role_relative_spread;
  std::vector<uint8_t> changed(L, same_run ? 0 : 1);
  if (!same_run) return changed;
  auto same_transfers = [](const PlanLine& a, const PlanLine& b) {
    if (a.transfers.size() != b.transfers.size()) return false;
    for (size_t d = 0; d < a.transfers.size(); ++d)
      if (a.transfers[d].line != b.transfers[d].line ||
          a.transfers[d].share != b.transfers[d].share)
        return false;
    return true;
  };
  for (size_t l = 0; l < L; ++l) {
    if (l >= base.lines.size()) {
      changed[l] = 1;
      continue;
    }
    const PlanLine& a = base.lines[l];
    const PlanLine& b = plan.lines[l];
    changed[l] = a.unit != b.unit || a.role != b.role || a.headcount != b.headcount ||
                 a.fte_per_head != b.fte_per_head || a.leaver_rate != b.leaver_rate ||
                 a.joiner_age_share != b.joiner_age_share || !same_transfers(a, b) ||
                 a.leave_delta != b.leave_delta || a.retire_keep != b.retire_keep ||
                 a.joiner_mean != b.joiner_mean;
  }
  for (const auto& pipe : plan.pipelines)
    for (uint32_t l : pipe.lines) changed[l] = 1;
  for (const auto& rule : plan.recruitments) {
    for (uint32_t l : rule.sources) changed[l] = 1;
    for (uint32_t l : rule.destinations) changed[l] = 1;
  }
  // People arriving from a changed line change the line they arrive in.
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t l = 0; l < L; ++l) {
      if (!changed[l]) continue;
      for (const auto& transfer : plan.lines[l].transfers)
        if (!changed[transfer.line]) changed[transfer.line] = 1, grew = true;
    }
  }
  return changed;
}

std::vector<uint8_t> same_outputs(const SimulationPlan& base, const SimulationPlan& plan) {
  const auto changed = changed_lines(base, plan);
  const bool same_run = base.productivity_spread == plan.productivity_spread &&
                        base.shortfall_premium == plan.shortfall_premium;
  auto same_demand = [&](size_t l) {
    const PlanLine& a = base.lines[l];
    const PlanLine& b = plan.lines[l];
    return a.demand_base == b.demand_base && a.productivity == b.productivity &&
           a.unit_cost == b.unit_cost;
  };
  std::vector<uint8_t> same(changed.size());
  for (size_t l = 0; l < same.size(); ++l)
    same[l] = same_run && l < base.lines.size() && !changed[l] && same_demand(l);
  auto same_rule = [](const SkillMixRule& x, const SkillMixRule& y) {
    return x.from_line == y.from_line && x.to_line == y.to_line && x.share == y.share &&
           x.ratio == y.ratio && x.first_year == y.first_year;
  };
  std::vector<uint32_t> touched;  // lines a skill-mix rule of either plan moves demand between
  for (const auto* rules : {&base.skill_mix, &plan.skill_mix})
    for (const auto& rule : *rules) touched.insert(touched.end(), {rule.from_line, rule.to_line});
  const bool rules_kept = std::equal(base.skill_mix.begin(), base.skill_mix.end(),
                                     plan.skill_mix.begin(), plan.skill_mix.end(), same_rule) &&
                          std::all_of(touched.begin(), touched.end(),
                                      [&](uint32_t l) { return l < same.size() && same[l] != 0; });
  if (!rules_kept)
    for (uint32_t l : touched)
      if (l < same.size()) same[l] = 0;
  return same;
}

std::optional<Reuse> plan_reuse(const BaselineRecord& record, const SimulationPlan& plan,
                                uint64_t seed, size_t runs, std::span<const uint8_t> needed) {
  if (record.seed != seed || record.runs < runs || record.overflow) return std::nullopt;
  const size_t L = plan.lines.size(), base_lines = record.plan.lines.size();
  Reuse reuse;
  reuse.record = &record;
  reuse.simulate = changed_lines(record.plan, plan);
  reuse.needed.assign(needed.begin(), needed.end());
  reuse.resent.assign(base_lines, 0);
  size_t work = 0, wanted = 0;
  for (size_t l = 0; l < L; ++l) {
    const bool need = needed.empty() || needed[l] != 0;
    wanted += need;
    if (!need) {
      reuse.simulate[l] = 0;
      continue;
    }
    // Every needed line below the baseline's count is copied or takes recorded arrivals.
    if (l < base_lines && !record.recorded[l]) return std::nullopt;
    if (!reuse.simulate[l]) continue;
    ++work;
    if (l < base_lines && !record.plan.lines[l].transfers.empty()) reuse.resent[l] = 1;
  }
  if (work >= wanted) return std::nullopt;
  return reuse;
}

void simulate_replicate(const SimulationPlan& plan, const Reuse& reuse, uint64_t replicate,
                        ReplicateOutput& out) {
  thread_local Scratch scratch;
  thread_local std::vector<int32_t> arrivals;
  const BaselineRecord& record = *reuse.record;
  const auto T = static_cast<size_t>(plan.years + 1);
  const size_t base_LT = record.plan.lines.size() * T;
  const size_t ETB = record.first_edge.back() * T * kAgeBands;
  // What the simulated lines receive from the others: the recorded arrivals less what the
  // simulated lines sent one another in the baseline (their recorded edge flows). The kernel
  // reads the arrivals of simulated lines only.
  const size_t TB = T * kAgeBands;
  const size_t base_lines = record.plan.lines.size();
  arrivals.resize(plan.lines.size() * TB);
  const uint16_t* recorded = record.arrivals.data() + replicate * base_LT * kAgeBands;
  for (size_t l = 0; l < plan.lines.size(); ++l) {
    if (!reuse.simulate[l]) continue;
    if (l < base_lines)
      std::copy_n(recorded + l * TB, TB, arrivals.data() + l * TB);
    else
      std::fill_n(arrivals.data() + l * TB, TB, 0);
  }
  const uint16_t* edges = record.edge_flows.data() + replicate * ETB;
  for (size_t l = 0; l < reuse.resent.size(); ++l) {
    if (!reuse.resent[l]) continue;
    const auto& transfers = record.plan.lines[l].transfers;
    for (size_t d = 0; d < transfers.size(); ++d) {
      if (!reuse.simulate[transfers[d].line]) continue;
      const uint16_t* sent = edges + (record.first_edge[l] + d) * TB;
      int32_t* into = arrivals.data() + transfers[d].line * TB;
      for (size_t i = 0; i < TB; ++i) into[i] -= sent[i];
    }
  }
  run_kernel(plan, record.seed, replicate, out,
             {.active = reuse.simulate,
              .outputs_for = reuse.needed,
              .arrivals = arrivals.data(),
              .other_supply = record.supply_fte.data() + replicate * base_LT,
              .other_headcount = record.headcount.data() + replicate * base_LT,
              .other_lines = record.plan.lines.size()},
             scratch);
}

}  // namespace careforce::projection
