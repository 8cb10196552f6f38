#include "projection/runner.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <thread>

#include "core/big_array.hpp"
#include "projection/engine.hpp"

namespace careforce::projection {

namespace {

struct ScopeSelector {
  std::string type, name;
  std::function<bool(const PlanLine&)> contains;
};

struct SeriesDef {
  std::string scope_type, scope;
  int staff_group = -1, role = -1;  // -1 = all
};

Result<std::vector<ScopeSelector>> resolve_scopes(const Calibration& cal,
                                                  const std::vector<std::string>& scopes) {
  std::vector<ScopeSelector> out;
  std::set<std::string> seen;
  std::set<int> sectors_present;
  std::set<uint32_t> places_present;
  for (const auto& unit : cal.units) {
    sectors_present.insert(static_cast<int>(unit.sector));
    if (unit.place != kAllPlaces) places_present.insert(unit.place);
  }
  auto add = [&](ScopeSelector s) {
    if (seen.insert(s.type + ":" + s.name).second) out.push_back(std::move(s));
  };
  auto add_sector = [&](int s) {
    add({"sector", sectors().code(static_cast<uint8_t>(s)),
         [s](const PlanLine& l) { return static_cast<int>(l.sector) == s; }});
  };
  auto add_place = [&](uint32_t p) {
    add({"place", cal.places[p], [p](const PlanLine& l) { return l.place == p; }});
  };
  for (const auto& scope : scopes) {
    const bool all = scope == "all";
    if (scope == "system" || all) add({"system", "system", [](const PlanLine&) { return true; }});
    if (scope == "sectors" || all)
      for (int s : sectors_present) add_sector(s);
    if ((scope == "places" || scope.rfind("place:", 0) == 0) && !cal.by_place)
      return make_error(ErrorCode::invalid_argument,
                        "--scope " + scope + " needs cells by place (--cells sector_place)");
    if (scope == "places" || all)
      for (uint32_t p : places_present) add_place(p);
    if (scope.rfind("sector:", 0) == 0) {
      auto s = sectors().find(scope.substr(7));
      if (!s) return make_error(ErrorCode::invalid_argument, "unknown sector in --scope " + scope);
      add_sector(*s);
    } else if (scope.rfind("place:", 0) == 0) {
      auto it = std::find(cal.places.begin(), cal.places.end(), scope.substr(6));
      if (it == cal.places.end()) {
        std::string known;
        for (const auto& p : cal.places) known += (known.empty() ? "" : ", ") + p;
        return make_error(ErrorCode::invalid_argument,
                          "unknown place in --scope " + scope + " (places: " + known + ")");
      }
      add_place(static_cast<uint32_t>(it - cal.places.begin()));
    }
  }
  return out;
}

// Series per scope: the total, each staff group and each role present in the scope.
void define_series(const SimulationPlan& plan, const std::vector<ScopeSelector>& scopes,
                   std::vector<SeriesDef>& defs, std::vector<std::vector<uint32_t>>& line_series) {
  line_series.assign(plan.lines.size(), {});
  for (const auto& scope : scopes) {
    std::set<int> groups, role_set;
    for (const auto& line : plan.lines)
      if (scope.contains(line)) groups.insert(line.staff_group), role_set.insert(line.role);
    if (groups.empty()) continue;
    const auto total = static_cast<uint32_t>(defs.size());
    defs.push_back({scope.type, scope.name, -1, -1});
    std::map<int, uint32_t> group_id, role_id;
    for (int g : groups)
      group_id[g] = static_cast<uint32_t>(defs.size()),
      defs.push_back({scope.type, scope.name, g, -1});
    for (int r : role_set)
      role_id[r] = static_cast<uint32_t>(defs.size()),
      defs.push_back({scope.type, scope.name, role_info(static_cast<uint8_t>(r)).staff_group, r});
    for (uint32_t l = 0; l < plan.lines.size(); ++l) {
      const auto& line = plan.lines[l];
      if (!scope.contains(line)) continue;
      line_series[l].push_back(total);
      line_series[l].push_back(group_id[line.staff_group]);
      line_series[l].push_back(role_id[line.role]);
    }
  }
}

// Run `runs` replicates on `threads` threads; each replicate writes only its own slots.
// Threads take the next few replicates as they finish (on a shared machine one core can be
// much slower than the other); which thread runs a replicate does not change its numbers.
template <typename PerReplicate>
void parallel_replicates(int runs, int threads, PerReplicate per_replicate) {
  const int n = std::max(1, std::min(threads, runs));
  if (n == 1) {
    ReplicateOutput out;
    for (int r = 0; r < runs; ++r) per_replicate(r, out);
    return;
  }
  constexpr int kChunk = 8;
  std::atomic<int> next{0};
  std::vector<std::thread> pool;
  for (int k = 0; k < n; ++k)
    pool.emplace_back([&] {
      ReplicateOutput out;
      for (int first; (first = next.fetch_add(kChunk)) < runs;)
        for (int r = first; r < std::min(runs, first + kChunk); ++r) per_replicate(r, out);
    });
  for (auto& th : pool) th.join();
}

// A baseline record larger than this is not kept (scenarios then simulate every line).
constexpr size_t kMaxRecordBytes = size_t{512} << 20;

// Round to a multiple of `step`; below 1 divide by the whole 1 / step so that 68.1 prints
// as 68.1, not 68.10000000000001 (and never -0).
double round_to(double x, double step) {
  if (step < 1) {
    const double per_unit = std::round(1 / step);
    return std::round(x * per_unit) / per_unit + 0.0;
  }
  return std::round(x / step) * step + 0.0;
}

Quantiles rounded(Quantiles q, double step) {
  return {round_to(q.p10, step), round_to(q.p50, step), round_to(q.p90, step)};
}

int thread_count(int requested) {
  if (requested > 0) return requested;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

}  // namespace

Status ProjectionOptions::validate() const {
  auto invalid = [](std::string m) {
    return Status(make_error(ErrorCode::invalid_argument, std::move(m)));
  };
  if (years < 1 || years > 50)
    return invalid("--years must be between 1 and 50, got " + std::to_string(years));
  if (runs < 1 || runs > 100000)
    return invalid("--runs must be between 1 and 100000, got " + std::to_string(runs));
  if (format != "table" && format != "csv" && format != "json")
    return invalid("--format must be table, csv or json, got '" + format + "'");
  if (cells != "auto" && cells != "sector" && cells != "sector_place")
    return invalid("--cells must be auto, sector or sector_place, got '" + cells + "'");
  if (!std::isfinite(gap_threshold)) return invalid("--gap-threshold must be a number");
  if (threads < 0 || threads > 256) return invalid("threads must be between 0 and 256");
  if (attribution_runs < 1) return invalid("attribution_runs must be at least 1");
  if (scopes.empty()) return invalid("--scope needs at least one scope");
  for (const auto& s : scopes) {
    const bool ok = s == "system" || s == "sectors" || s == "places" || s == "all" ||
                    (s.rfind("sector:", 0) == 0 && sectors().find(s.substr(7))) ||
                    (s.rfind("place:", 0) == 0 && s.size() > 6);
    if (!ok)
      return invalid("--scope '" + s +
                     "' must be system, sectors, places, all, sector:<sector> or place:<place>");
  }
  if (calibration.leaver_shrinkage < 0 || calibration.fte_shrinkage < 0 ||
      calibration.retirement_shrinkage < 0)
    return invalid("shrinkage weights must be >= 0");
  return Status::ok();
}

double quantile(std::vector<float>& values, double q) {
  if (values.empty()) return 0;
  const double h = (static_cast<double>(values.size()) - 1) * q;
  const auto lo = static_cast<size_t>(std::floor(h));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(lo), values.end());
  const double a = values[lo];
  if (lo + 1 >= values.size()) return a;
  const double b =
      *std::min_element(values.begin() + static_cast<std::ptrdiff_t>(lo) + 1, values.end());
  return a + (h - static_cast<double>(lo)) * (b - a);
}

// Selection by a histogram of the values' bit patterns (order-preserving as integers) over
// their range: one pass to bucket, then only the few values in the wanted buckets are
// ordered. Equal to nth_element's answers; several times faster on 1,000 replicates.
Quantiles quantiles_in_place(std::span<float> values) {
  float* v = values.data();
  const size_t n = values.size();
  constexpr double kQ[3] = {0.1, 0.5, 0.9};
  if (n == 0) return {};
  size_t lo[3];
  double frac[3];
  for (size_t i = 0; i < 3; ++i) {
    const double h = (static_cast<double>(n) - 1) * kQ[i];
    lo[i] = static_cast<size_t>(std::floor(h));
    frac[i] = h - static_cast<double>(lo[i]);
  }
  // The order statistics wanted: lo and lo + 1 of each quantile (within range).
  std::array<size_t, 6> ranks{};
  size_t wanted = 0;
  for (size_t i = 0; i < 3; ++i) {
    ranks[wanted++] = lo[i];
    if (lo[i] + 1 < n) ranks[wanted++] = lo[i] + 1;
  }
  std::array<float, 6> stat{};
  constexpr size_t kBuckets = 2048;
  if (n < 64) {
    std::sort(v, v + n);
    for (size_t j = 0; j < wanted; ++j) stat[j] = v[ranks[j]];
  } else {
    thread_local std::vector<uint32_t> keys;
    thread_local std::vector<uint32_t> counts;
    keys.resize(n);
    uint32_t min_key = UINT32_MAX, max_key = 0;
    for (size_t r = 0; r < n; ++r) {
      uint32_t bits;
      std::memcpy(&bits, &v[r], sizeof bits);
      bits ^= (bits >> 31) ? 0xFFFFFFFFu : 0x80000000u;
      keys[r] = bits;
      min_key = std::min(min_key, bits);
      max_key = std::max(max_key, bits);
    }
    if (min_key == max_key) return {values[0], values[0], values[0]};  // all replicates agree
    const uint32_t range = max_key - min_key;
    // About four values a bucket (64 to 2,048 buckets): few to order, little to clear.
    const int bits = std::clamp(static_cast<int>(std::bit_width(n / 4)), 6, 11);
    const size_t buckets = size_t{1} << bits;
    const int shift = std::max(0, static_cast<int>(std::bit_width(range)) - bits);
    counts.assign(buckets + 1, 0);
    for (size_t r = 0; r < n; ++r) ++counts[((keys[r] - min_key) >> shift) + 1];
    for (size_t b = 1; b <= buckets; ++b) counts[b] += counts[b - 1];  // counts[b] = start
    // The buckets holding the wanted ranks, gathered in one more pass.
    std::array<size_t, 6> bucket{};
    std::array<int, kBuckets> slot_of;
    std::fill_n(slot_of.begin(), buckets, -1);
    thread_local std::array<std::vector<uint32_t>, 6> members;
    int slots = 0;
    for (size_t j = 0; j < wanted; ++j) {
      // Bucket b holds the ranks [counts[b], counts[b + 1]).
      bucket[j] = static_cast<size_t>(std::upper_bound(counts.begin(), counts.end(), ranks[j]) -
                                      counts.begin() - 1);
      if (slot_of[bucket[j]] < 0)
        members[static_cast<size_t>(slots)].clear(), slot_of[bucket[j]] = slots++;
    }
    for (size_t r = 0; r < n; ++r) {
      const int slot = slot_of[(keys[r] - min_key) >> shift];
      if (slot >= 0) members[static_cast<size_t>(slot)].push_back(keys[r]);
    }
    for (size_t j = 0; j < wanted; ++j) {
      auto& in = members[static_cast<size_t>(slot_of[bucket[j]])];
      const size_t within = ranks[j] - counts[bucket[j]];
      std::nth_element(in.begin(), in.begin() + static_cast<std::ptrdiff_t>(within), in.end());
      uint32_t bits = in[within];
      bits ^= (bits >> 31) ? 0x80000000u : 0xFFFFFFFFu;
      std::memcpy(&stat[j], &bits, sizeof bits);
    }
  }
  double found[3];
  for (size_t i = 0, j = 0; i < 3; ++i) {
    const double a = stat[j++];
    if (lo[i] + 1 >= n) {
      found[i] = a;
      continue;
    }
    const double b = stat[j++];
    found[i] = a + frac[i] * (b - a);
  }
  return {found[0], found[1], found[2]};
}

namespace {

// The scenarios given as values, then those read from files, with unique names.
Result<std::vector<Scenario>> load_scenarios(const ProjectionOptions& options) {
  std::vector<Scenario> scenarios = options.scenarios;
  for (const auto& file : options.scenario_files) {
    CF_ASSIGN_OR_RETURN(auto scenario, load_scenario_file(file));
    scenarios.push_back(std::move(scenario));
  }
  std::set<std::string> names;
  for (const auto& s : scenarios)
    if (!names.insert(s.name).second)
      return make_error(ErrorCode::invalid_argument, "two scenarios are named '" + s.name + "'",
                        s.source);
  return scenarios;
}

// Cells by sector x place when asked for, or (auto) when a scope or an intervention names
// a place; otherwise by sector, which is faster.
CalibrationOptions resolve_cells(const ProjectionOptions& options,
                                 const std::vector<Scenario>& scenarios) {
  CalibrationOptions out = options.calibration;
  if (options.cells != "auto") {
    out.by_place = options.cells == "sector_place";
    return out;
  }
  for (const auto& scope : options.scopes)
    out.by_place |= scope == "places" || scope == "all" || scope.rfind("place:", 0) == 0;
  for (const auto& s : scenarios)
    for (const auto& iv : s.interventions) out.by_place |= iv.target.place.has_value();
  return out;
}

// Scenario sizes are user-set parameters beside the calibrated ones.
void add_intervention_parameters(Calibration& cal, const std::vector<Scenario>& scenarios) {
  for (const auto& s : scenarios)
    for (const auto& iv : s.interventions) {
      const double size = iv.type == InterventionType::turnover_change       ? iv.change_pp
                          : iv.type == InterventionType::training_places     ? iv.intake
                          : iv.type == InterventionType::retirement_deferral ? iv.share
                          : iv.type == InterventionType::skill_mix           ? iv.share
                          : iv.type == InterventionType::productivity        ? iv.gain
                          : iv.type == InterventionType::demand_growth       ? iv.percent
                          : iv.type == InterventionType::demand_step
                              ? (iv.fte != 0 ? iv.fte : iv.percent)
                          : iv.type == InterventionType::new_role ? iv.fte
                          : iv.type == InterventionType::wisn     ? iv.available_hours
                          : iv.per_year != 0                      ? iv.per_year
                                                                  : iv.percent;
      cal.parameters.push_back({"intervention[" + s.name + "|" + iv.label + "]", size, 0,
                                Provenance::user, 0, iv.describe()});
    }
}

// P10/P50/P90 of one sum in one year.
struct Summary {
  Quantiles supply, demand, gap, cost;
  double p_gap_exceeds = 0;
};

Result<ProjectionResult> project_scenarios(const Calibration& cal, const ProjectionOptions& options,
                                           std::vector<Scenario> scenarios) {
  ProjectionResult result;
  result.options = options;
  result.calibration = cal;
  result.scenarios = std::move(scenarios);
  add_intervention_parameters(result.calibration, result.scenarios);
  CF_ASSIGN_OR_RETURN(auto scopes, resolve_scopes(cal, options.scopes));
  const int threads = thread_count(options.threads);
  const auto T = static_cast<size_t>(options.years + 1);

  const size_t aruns = static_cast<size_t>(std::min(options.runs, options.attribution_runs));
  auto wants_attribution = [&](const Scenario* s) {
    return s && options.attribution && !s->interventions.empty();
  };
  bool any_attribution = false;
  for (const auto& s : result.scenarios) any_attribution |= wants_attribution(&s);
  // System gap per (year, replicate) of the baseline's first `aruns` replicates, kept when a
  // scenario's attribution starts from it (the empty prefix is the baseline plan).
  std::vector<double> baseline_gap;
  // The baseline's replicates: scenarios and attribution prefixes copy the lines they leave
  // alone from it instead of simulating them again.
  std::shared_ptr<const BaselineRecord> record = options.baseline_record;
  auto reuse_for = [&](const SimulationPlan& plan, size_t runs,
                       std::span<const uint8_t> needed) -> std::optional<Reuse> {
    if (!record || record->plan.years != plan.years) return std::nullopt;
    return plan_reuse(*record, plan, options.seed, runs, needed);
  };

  // The baseline's plan and summaries (T a sum, by the lines it adds up): a scenario's sum
  // whose lines all have the baseline's outputs (same_outputs) takes them, unsummed.
  std::optional<SimulationPlan> baseline_plan;
  std::map<std::vector<uint32_t>, std::vector<Summary>> baseline_summaries;
  // Each run's replicate sums: every value is written by its replicate, so the buffers are
  // kept from one run to the next without clearing (grown when a run needs more).
  BigArray<float> supply, demand, cost;
  for (size_t sc = options.include_baseline ? 0 : 1; sc <= result.scenarios.size(); ++sc) {
    const Scenario* scenario = sc == 0 ? nullptr : &result.scenarios[sc - 1];
    const std::string name = scenario ? scenario->name : "baseline";
    CF_ASSIGN_OR_RETURN(auto plan,
                        build_plan(cal, scenario, scenario ? scenario->interventions.size() : 0,
                                   options.years, options.parameter_uncertainty));
    std::vector<SeriesDef> defs;
    std::vector<std::vector<uint32_t>> line_series;
    define_series(plan, scopes, defs, line_series);
    // Series of the same lines have the same sums (added in the same order): they are summed
    // and summarised once (a role in one sector is the same at sector and system scope).
    const size_t S = defs.size();
    std::vector<uint32_t> sum_of(S);
    std::vector<std::vector<uint32_t>> sum_lines;  // the lines of each distinct sum
    {
      std::vector<std::vector<uint32_t>> lines_of(S);
      for (uint32_t l = 0; l < line_series.size(); ++l)
        for (uint32_t s : line_series[l]) lines_of[s].push_back(l);
      std::map<std::vector<uint32_t>, uint32_t> first;
      for (size_t s = 0; s < S; ++s) {
        const auto [at, added] =
            first.emplace(std::move(lines_of[s]), static_cast<uint32_t>(sum_lines.size()));
        if (added) sum_lines.push_back(at->first);
        sum_of[s] = at->second;
      }
    }
    // Sums taken from the baseline; the others are made, in columns 0..U-1.
    std::vector<const std::vector<Summary>*> copied(sum_lines.size(), nullptr);
    if (scenario && baseline_plan) {
      const auto same = same_outputs(*baseline_plan, plan);
      for (size_t d = 0; d < sum_lines.size(); ++d) {
        const auto& lines = sum_lines[d];
        if (!std::all_of(lines.begin(), lines.end(), [&](uint32_t l) { return same[l] != 0; }))
          continue;
        if (const auto it = baseline_summaries.find(lines); it != baseline_summaries.end())
          copied[d] = &it->second;
      }
    }
    std::vector<uint32_t> column(sum_lines.size(), UINT32_MAX);
    size_t U = 0;
    for (size_t d = 0; d < sum_lines.size(); ++d)
      if (!copied[d]) column[d] = static_cast<uint32_t>(U++);
    for (auto& series : line_series) {
      std::vector<uint32_t> made;
      for (uint32_t s : series)
        if (column[sum_of[s]] != UINT32_MAX) made.push_back(column[sum_of[s]]);
      std::sort(made.begin(), made.end());
      made.erase(std::unique(made.begin(), made.end()), made.end());
      series = std::move(made);
    }
    const auto runs = static_cast<size_t>(options.runs);
    const size_t L = plan.lines.size();
    // System gaps for the attribution come from this run's first replicates; otherwise
    // only the lines the scopes need (and those feeding them) are simulated.
    const bool system_gap_needed = sc == 0 ? any_attribution : wants_attribution(scenario);
    std::vector<uint8_t> active;
    if (!system_gap_needed) {
      std::vector<uint8_t> wanted(L, 0);
      for (size_t l = 0; l < L; ++l) wanted[l] = !line_series[l].empty();
      active = upstream_lines(plan, std::move(wanted));
      if (std::all_of(active.begin(), active.end(), [](uint8_t a) { return a != 0; }))
        active.clear();
    }
    std::vector<double> run_gap(system_gap_needed ? T * aruns : 0);
    std::shared_ptr<BaselineRecord> recording;
    if (sc == 0 && (options.keep_baseline_record || !result.scenarios.empty()) &&
        BaselineRecord::bytes(plan, runs) <= kMaxRecordBytes)
      recording = std::make_shared<BaselineRecord>(plan, options.seed, runs, active);
    const auto reuse = sc == 0 ? std::nullopt : reuse_for(plan, runs, active);
    // One row of U x T values per replicate (contiguous writes); the summary reads them
    // back a block of columns at a time.
    const size_t ST = U * T;
    if (supply.size() < ST * runs)
      supply = BigArray<float>(ST * runs), demand = BigArray<float>(ST * runs),
      cost = BigArray<float>(ST * runs);
    // No replicates when every sum is the baseline's and no gap or record is wanted.
    const bool simulate = U > 0 || system_gap_needed || recording;
    parallel_replicates(simulate ? options.runs : 0, threads, [&](int rep, ReplicateOutput& out) {
      if (reuse)
        simulate_replicate(plan, *reuse, static_cast<uint64_t>(rep), out);
      else
        simulate_replicate(plan, options.seed, static_cast<uint64_t>(rep), out, false, active,
                           recording != nullptr);
      if (recording) recording->store(static_cast<size_t>(rep), out);
      thread_local std::vector<double> acc_s, acc_d, acc_c;
      acc_s.assign(ST, 0), acc_d.assign(ST, 0), acc_c.assign(ST, 0);
      for (size_t l = 0; l < L; ++l)
        for (uint32_t s : line_series[l])
          for (size_t t = 0; t < T; ++t) {
            acc_s[s * T + t] += out.supply_fte[l * T + t];
            acc_d[s * T + t] += out.demand_fte[l * T + t];
            acc_c[s * T + t] += out.cost_gbp[l * T + t];
          }
      const auto r = static_cast<size_t>(rep);
      for (size_t i = 0; i < ST; ++i) {
        supply[r * ST + i] = static_cast<float>(acc_s[i]);
        demand[r * ST + i] = static_cast<float>(acc_d[i]);
        cost[r * ST + i] = static_cast<float>(acc_c[i]);
      }
      if (system_gap_needed && r < aruns)
        for (size_t t = 0; t < T; ++t) {
          double g = 0;
          for (size_t l = 0; l < L; ++l) g += out.demand_fte[l * T + t] - out.supply_fte[l * T + t];
          run_gap[t * aruns + r] = g;
        }
    });
    // Summaries: each (sum, year) is independent, so threads split them in blocks of
    // columns; each column is reordered in place once the gap has been taken from it.
    constexpr size_t kBlock = 16;
    struct Columns {
      std::vector<float> supply, demand, cost, gap;
    };
    std::vector<Summary> summaries(ST);
    auto summarise = [&](size_t k, Columns& c, size_t j) {
      float* sup = c.supply.data() + j * runs;
      float* dem = c.demand.data() + j * runs;
      float* cst = c.cost.data() + j * runs;
      Summary& out = summaries[k];
      size_t above = 0;
      for (size_t r = 0; r < runs; ++r) {
        c.gap[r] = dem[r] - sup[r];
        above += c.gap[r] > options.gap_threshold;
      }
      out.p_gap_exceeds = static_cast<double>(above) / static_cast<double>(runs);
      out.supply = rounded(quantiles_in_place({sup, runs}), 0.1);
      out.demand = rounded(quantiles_in_place({dem, runs}), 0.1);
      out.gap = rounded(quantiles_in_place(c.gap), 0.1);
      out.cost = rounded(quantiles_in_place({cst, runs}), 1000);
    };
    {
      const size_t blocks = (ST + kBlock - 1) / kBlock;
      const size_t n_threads =
          std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(threads), blocks));
      std::atomic<size_t> next_block{0};
      std::vector<std::thread> pool;
      for (size_t w = 0; w < n_threads; ++w)
        pool.emplace_back([&] {
          Columns c{std::vector<float>(kBlock * runs), std::vector<float>(kBlock * runs),
                    std::vector<float>(kBlock * runs), std::vector<float>(runs)};
          for (size_t b; (b = next_block.fetch_add(1)) < blocks;) {
            const size_t k0 = b * kBlock, width = std::min(kBlock, ST - k0);
            for (size_t r = 0; r < runs; ++r)
              for (size_t j = 0; j < width; ++j) {
                c.supply[j * runs + r] = supply[r * ST + k0 + j];
                c.demand[j * runs + r] = demand[r * ST + k0 + j];
                c.cost[j * runs + r] = cost[r * ST + k0 + j];
              }
            for (size_t j = 0; j < width; ++j) summarise(k0 + j, c, j);
          }
        });
      for (auto& th : pool) th.join();
    }
    for (size_t s = 0; s < S; ++s)
      for (size_t t = 0; t < T; ++t) {
        const size_t d = sum_of[s];
        const Summary& sum = copied[d] ? (*copied[d])[t] : summaries[column[d] * T + t];
        SeriesRow& row = result.series.emplace_back();
        row.scenario = name;
        row.t = static_cast<int>(t);
        row.year = FinancialYear{cal.base_year.start_year + static_cast<int>(t)};
        row.scope_type = defs[s].scope_type;
        row.scope = defs[s].scope;
        row.staff_group = defs[s].staff_group < 0
                              ? "all"
                              : staff_groups().code(static_cast<uint8_t>(defs[s].staff_group));
        row.role_code = defs[s].role < 0 ? "all" : roles().code(static_cast<uint8_t>(defs[s].role));
        row.supply = sum.supply, row.demand = sum.demand, row.gap = sum.gap;
        row.cost_gbp = sum.cost, row.p_gap_exceeds = sum.p_gap_exceeds;
      }
    if (sc == 0) {
      baseline_gap = std::move(run_gap);
      if (!result.scenarios.empty()) {
        for (size_t d = 0; d < sum_lines.size(); ++d)
          baseline_summaries.emplace(
              std::move(sum_lines[d]),
              std::vector<Summary>(
                  summaries.begin() + static_cast<std::ptrdiff_t>(column[d] * T),
                  summaries.begin() + static_cast<std::ptrdiff_t>((column[d] + 1) * T)));
        baseline_plan = std::move(plan);  // not read below for the baseline
      }
    }
    if (recording) {
      record = recording;
      if (options.keep_baseline_record) result.baseline_record = recording;
    }

    // Attribution: add the interventions one at a time in file order; each one's share is
    // the paired (same streams) fall in the system gap it brings. The empty prefix is the
    // baseline and the full one this scenario, so both are reused when already run.
    if (!wants_attribution(scenario)) continue;
    const size_t n = scenario->interventions.size();
    std::vector<std::vector<double>> system_gap(n + 1);
    system_gap[n] = std::move(run_gap);
    if (!baseline_gap.empty()) system_gap[0] = baseline_gap;
    for (size_t k = 0; k < n; ++k) {
      if (!system_gap[k].empty()) continue;
      system_gap[k].assign(T * aruns, 0);
      CF_ASSIGN_OR_RETURN(
          auto prefix, build_plan(cal, scenario, k, options.years, options.parameter_uncertainty));
      const auto prefix_reuse = reuse_for(prefix, aruns, {});
      parallel_replicates(static_cast<int>(aruns), threads, [&](int rep, ReplicateOutput& out) {
        if (prefix_reuse)
          simulate_replicate(prefix, *prefix_reuse, static_cast<uint64_t>(rep), out);
        else
          simulate_replicate(prefix, options.seed, static_cast<uint64_t>(rep), out);
        for (size_t t = 0; t < T; ++t) {
          double g = 0;
          for (size_t l = 0; l < prefix.lines.size(); ++l)
            g += out.demand_fte[l * T + t] - out.supply_fte[l * T + t];
          system_gap[k][t * aruns + static_cast<size_t>(rep)] = g;
        }
      });
    }
    std::set<size_t> horizons;
    for (size_t h : {size_t{5}, size_t{10}, size_t{15}, T - 1})
      if (h >= 1 && h < T) horizons.insert(h);
    std::vector<float> closed(aruns);
    for (size_t k = 1; k <= n; ++k)
      for (size_t t : horizons) {
        for (size_t r = 0; r < aruns; ++r)
          closed[r] =
              static_cast<float>(system_gap[k - 1][t * aruns + r] - system_gap[k][t * aruns + r]);
        const auto& iv = scenario->interventions[k - 1];
        result.attribution.push_back({name, iv.label, intervention_spec(iv.type).name,
                                      static_cast<int>(t),
                                      FinancialYear{cal.base_year.start_year + static_cast<int>(t)},
                                      rounded(quantiles_in_place(closed), 0.1)});
      }
  }
  return result;
}

}  // namespace

Result<ProjectionResult> project(const model::WorkforceModel& model,
                                 const ProjectionOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(auto scenarios, load_scenarios(options));
  return project_scenarios(calibrate(model, resolve_cells(options, scenarios)), options,
                           std::move(scenarios));
}

Result<ProjectionResult> project(const Calibration& cal, const ProjectionOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(auto scenarios, load_scenarios(options));
  return project_scenarios(cal, options, std::move(scenarios));
}

Result<std::string> run_projection(const model::WorkforceModel& model,
                                   const ProjectionOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  if (model.latest_month() == Month{})
    return make_error(ErrorCode::unavailable,
                      "the database holds no staff in post or aggregate returns to project from");
  CF_ASSIGN_OR_RETURN(auto scenarios, load_scenarios(options));
  Calibration cal = calibrate(model, resolve_cells(options, scenarios));
  if (options.explain) {
    // Check every scenario against the calibration as a run would, without running it.
    for (const auto& s : scenarios)
      CF_RETURN_IF_ERROR(build_plan(cal, &s, s.interventions.size(), options.years, false));
    add_intervention_parameters(cal, scenarios);
    return explain(cal, scenarios, options);
  }
  CF_ASSIGN_OR_RETURN(auto result, project_scenarios(cal, options, std::move(scenarios)));
  return format_result(result);
}

}  // namespace careforce::projection
