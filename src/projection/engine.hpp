#pragma once
// The supply and demand kernel: a compiled plan (calibration + one scenario) simulated one
// replicate at a time over aggregate cells, with binomial, Poisson and multinomial draws.
// Knows nothing of how it is run (threads, quantiles) or where results go.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/big_array.hpp"
#include "core/result.hpp"
#include "projection/parameters.hpp"
#include "projection/samplers.hpp"
#include "projection/scenario.hpp"

namespace careforce::projection {

/// One (unit, role) line of the plan with its per-year schedules (index t = 0..years).
struct PlanLine {
  uint16_t unit = 0;
  uint8_t role = 0;
  uint8_t staff_group = 0;
  Sector sector = Sector::other;
  uint32_t place = 0;
  std::array<int64_t, kAgeBands> headcount{};
  std::array<double, kAgeBands> fte_per_head{};
  std::array<double, kAgeBands> leaver_rate{};
  std::array<double, kAgeBands> joiner_age_share{};
  std::vector<TransferShare> transfers;
  /// Binomial constants of each destination's share of the leavers not yet placed.
  std::vector<BinomialConstants> transfer_split;
  /// Binomial constants of each band's share of the joiners not yet placed (multinomial).
  std::array<BinomialConstants, kAgeBands> joiner_split{};
  double establishment_fte = 0;
  double unit_cost = 0;
  std::vector<double> leave_delta;  ///< Added to the non-retirement leaver rate.
  std::vector<double> retire_keep;  ///< Multiplies the retirement rate (1 - deferral).
  /// Per year: index in SimulationPlan::retire_splits of the retiring share of this line's
  /// leavers, or -1 when it depends on the replicate's leaver rate (a turnover change).
  std::vector<int32_t> retire_split_at;
  std::vector<double> joiner_mean;  ///< Expected external joiners arriving in year t.
  /// Per year: index in SimulationPlan::joiner_tables of this line's joiners by age band,
  /// or -1 when no joiners are expected.
  std::vector<int32_t> joiner_tables_at;
  std::vector<double> demand_base;   ///< Demand before productivity.
  std::vector<double> productivity;  ///< Gain applied in year t.
};

/// Training places: completers who take a local job join `lines` from `first_arrival`.
struct Pipeline {
  std::vector<uint32_t> lines;
  std::vector<double> line_share;
  int64_t intake = 0;
  double join_probability = 0;  ///< completion rate x local share.
  int first_arrival = 0;
};

/// New-role recruits drawn from other roles inside the system (conserving people).
struct InternalRecruitment {
  std::vector<uint32_t> sources;
  std::vector<uint32_t> destinations;
  std::vector<double> destination_share;
  double mean_per_year = 0;
  int first_year = 1;
};

struct SkillMixRule {
  uint32_t from_line = 0, to_line = 0;
  double share = 0, ratio = 1;
  int first_year = 1;
};

struct SimulationPlan {
  int years = 15;
  std::vector<PlanLine> lines;
  std::vector<Pipeline> pipelines;
  std::vector<InternalRecruitment> recruitments;
  std::vector<SkillMixRule> skill_mix;
  std::array<double, kAgeBands> retirement_share{};
  /// Binomial constants of the share of leavers who retire, s k / (s k + 1 - s) per band
  /// (s the retirement share, k the deferral's keep), one array per distinct k.
  std::vector<std::array<BinomialConstants, kAgeBands>> retire_splits;
  std::vector<double> role_relative_spread;  ///< Per role; 0 when uncertainty is off.
  double productivity_spread = 0;
  double shortfall_premium = 1;  ///< bank share x bank premium + agency share x agency premium.
  /// Poisson(joiner mean x age share) by band, per line and distinct yearly mean.
  std::vector<PoissonSplit> joiner_tables;
};

/// Compile the calibration and the first `interventions` of a scenario (nullptr = baseline).
Result<SimulationPlan> build_plan(const Calibration& calibration, const Scenario* scenario,
                                  size_t interventions, int years, bool parameter_uncertainty);

/// Per line and year flows of one replicate, for conservation checks.
struct LineFlows {
  int64_t start = 0, exits = 0, retirements = 0, transfers_out = 0, transfers_in = 0, joiners = 0,
          end = 0;
};

/// Per line and year outputs of one replicate; index line * (years + 1) + t.
struct ReplicateOutput {
  std::vector<double> supply_fte, demand_fte, cost_gbp;
  std::vector<int64_t> headcount;
  std::vector<LineFlows> flows;  ///< Filled only when asked (index as above; t >= 1).
  /// People arriving from other lines, [(line * (years + 1) + t) * kAgeBands + band]; filled
  /// only when asked.
  std::vector<int32_t> arrivals;
  /// People moving along each transfer edge, [(edge * (years + 1) + t) * kAgeBands + band]
  /// (edges numbered as by first_edges); filled with `arrivals`.
  std::vector<int32_t> edge_flows;
};

/// The number of the first transfer edge of each line (line l's d-th destination is edge
/// first_edges(plan)[l] + d), and the number of edges last.
std::vector<uint32_t> first_edges(const SimulationPlan& plan);

/// Simulate one replicate. Streams derive from (seed, flow name, replicate, line), so the
/// result does not depend on which thread runs it or on other replicates. A non-empty
/// `active_lines` (from upstream_lines) simulates only those lines: their numbers are exactly
/// those of a full replicate; other lines get demand only (supply, cost, headcount zero).
void simulate_replicate(const SimulationPlan& plan, uint64_t seed, uint64_t replicate,
                        ReplicateOutput& out, bool record_flows = false,
                        std::span<const uint8_t> active_lines = {}, bool record_arrivals = false);

/// A baseline run's replicates, kept so that a scenario simulates only the lines it changes
/// (and copies the others): per replicate, line and year the supply FTE and headcount, and per
/// age band the people who arrived from other lines and who moved along each transfer edge.
/// Arrays are [replicate][line or edge][year(][band)].
struct BaselineRecord {
  SimulationPlan plan;
  uint64_t seed = 0;
  size_t runs = 0;
  std::vector<uint8_t> recorded;  ///< Lines simulated in the baseline run.
  BigArray<double> supply_fte;    ///< Written by store() (not initialised before).
  BigArray<int32_t> headcount;
  BigArray<uint16_t> arrivals;
  std::vector<uint32_t> first_edge;  ///< first_edges(plan).
  BigArray<uint16_t> edge_flows;
  bool overflow = false;  ///< Some counts did not fit 16 bits: the record is not used.

  /// Allocate for `runs` replicates of `plan` (recorded: the lines the run simulates, or
  /// empty for all).
  BaselineRecord(SimulationPlan plan, uint64_t seed, size_t runs,
                 std::span<const uint8_t> recorded);
  /// Bytes a record of `runs` replicates of `plan` takes.
  static size_t bytes(const SimulationPlan& plan, size_t runs);
  /// Store replicate `replicate` (simulated with record_arrivals = true).
  void store(size_t replicate, const ReplicateOutput& out);
};

/// Lines of `scenario` whose supply can differ from `baseline`'s: their own flows or
/// parameters differ, they are new, or people arrive from such a line. Demand-only changes
/// (establishment, population, productivity, skill mix) change no line's supply.
std::vector<uint8_t> changed_lines(const SimulationPlan& baseline, const SimulationPlan& scenario);

/// Lines of `scenario` whose supply, demand and cost equal `baseline`'s in every replicate
/// of the same seed: their supply cannot differ (changed_lines) and their demand and cost
/// inputs are the same. Skill-mix rules move demand between lines, so the lines they touch
/// count only when both plans have the same rules and every such line the same inputs.
std::vector<uint8_t> same_outputs(const SimulationPlan& baseline, const SimulationPlan& scenario);

/// How a scenario run re-uses a baseline record; made by plan_reuse.
struct Reuse {
  const BaselineRecord* record = nullptr;
  std::vector<uint8_t> simulate;  ///< Scenario lines simulated (the others are copied).
  std::vector<uint8_t> needed;    ///< Lines whose outputs are made (empty: all).
  /// Baseline lines simulated anew whose recorded sends are taken out of the arrivals.
  std::vector<uint8_t> resent;
};

/// Plan a scenario run on `record`; nullopt when the record does not fit (another seed,
/// fewer runs, other calibration, lines not recorded) or would save nothing. `needed` are
/// the lines the run must produce (empty: all).
std::optional<Reuse> plan_reuse(const BaselineRecord& record, const SimulationPlan& scenario,
                                uint64_t seed, size_t runs, std::span<const uint8_t> needed);

/// Simulate one replicate of `scenario` re-using the baseline record: exactly the numbers
/// simulate_replicate gives for every needed line; the others are left zero. The changed lines
/// are simulated with their own streams and take the arrivals from unchanged lines (the
/// recorded arrivals less the recorded sends of the changed lines); the others are copied.
void simulate_replicate(const SimulationPlan& scenario, const Reuse& reuse, uint64_t replicate,
                        ReplicateOutput& out);

/// Extend `wanted` (one flag per line) with every line whose people can reach a wanted line
/// (transfers, internal recruitment sources), so a replicate of just those lines is exact.
std::vector<uint8_t> upstream_lines(const SimulationPlan& plan, std::vector<uint8_t> wanted);

}  // namespace careforce::projection
