// Projection speed on a demo-sized ICS (about 61,000 staff in 480 organisations, 5 places):
// target under 1 s for baseline + 3 scenarios x 15 years x 1,000 replicates at every scope
// on 2 cores, and under 100 ms to re-run one changed scenario for one scope.

#include <benchmark/benchmark.h>

#include "../tests/projection/synthetic_model.hpp"
#include "projection/engine.hpp"
#include "projection/runner.hpp"
#include "projection/samplers.hpp"
#include "store/store.hpp"

namespace cp = careforce::projection;

namespace {

const careforce::model::WorkforceModel& demo_model() {
  static const careforce::model::WorkforceModel model = [] {
    cp::testing::SyntheticOptions options;
    options.places = 5;
    options.orgs_per_sector_place = 12;
    // Every role in one sector by its staff group family, 20 staff per organisation.
    const auto& list = careforce::roles();
    for (uint8_t r = 0; r < list.size(); ++r) {
      const std::string& family =
          careforce::staff_group_family(careforce::role_info(r).staff_group);
      cp::testing::SyntheticRole role;
      role.role = list.code(r);
      const bool ambulance =
          careforce::staff_groups().code(careforce::role_info(r).staff_group) == "ambulance";
      role.sector = ambulance                  ? careforce::Sector::ambulance
                    : family == "primary_care" ? careforce::Sector::primary_care
                    : family == "social_care"  ? careforce::Sector::social_care
                    : family == "vcse"         ? careforce::Sector::vcse
                    : list.code(r).find("community") != std::string::npos
                        ? careforce::Sector::community
                    : list.code(r).find("mental_health") != std::string::npos
                        ? careforce::Sector::mental_health
                    : r % 4 == 0 ? careforce::Sector::community
                    : r % 4 == 1 ? careforce::Sector::mental_health
                                 : careforce::Sector::acute;
      role.staff_per_org = 20;
      role.leaver_rate = family == "social_care" ? 0.28 : 0.11;
      role.transfer_share = 0.08;
      role.transfer_role =
          family == "social_care" ? "healthcare_support_worker" : "care_coordinator";
      role.transfer_sector =
          family == "social_care" ? careforce::Sector::acute : careforce::Sector::primary_care;
      options.roles.push_back(role);
    }
    return cp::testing::build_synthetic_model(options);
  }();
  return model;
}

std::string scenario(const char* name) {
  return std::string(CAREFORCE_SOURCE_DIR) + "/docs/scenarios/" + name;
}

const cp::Calibration& demo_calibration() {
  static const cp::Calibration cal = cp::calibrate(demo_model());
  return cal;
}

const cp::Calibration& demo_calibration_by_place() {
  static const cp::Calibration cal =
      cp::calibrate(demo_model(), cp::CalibrationOptions{.by_place = true});
  return cal;
}

/// The demo ICS itself (`careforce demo generate` + `careforce import`), calibrated by sector
/// or by sector x place, when CAREFORCE_BENCH_DEMO_DB names its database; else null (its
/// cases are skipped).
const cp::Calibration* demo_ics_calibration(bool by_place) {
  static const auto model = []() -> std::unique_ptr<careforce::model::WorkforceModel> {
    const char* db = std::getenv("CAREFORCE_BENCH_DEMO_DB");
    if (!db) return nullptr;
    auto store = careforce::store::open_store(db);
    if (!store) return nullptr;
    auto loaded = (*store)->load_model();
    if (!loaded) return nullptr;
    return std::make_unique<careforce::model::WorkforceModel>(std::move(*loaded));
  }();
  if (!model) return nullptr;
  static const cp::Calibration by_sector = cp::calibrate(*model);
  static const cp::Calibration by_sector_place =
      cp::calibrate(*model, cp::CalibrationOptions{.by_place = true});
  return by_place ? &by_sector_place : &by_sector;
}

const cp::Calibration* bench_calibration(bool demo_ics, bool by_place) {
  if (demo_ics) return demo_ics_calibration(by_place);
  return by_place ? &demo_calibration_by_place() : &demo_calibration();
}

void BM_Calibrate(benchmark::State& state) {
  const auto& model = demo_model();
  for (auto _ : state) benchmark::DoNotOptimize(cp::calibrate(model));
  state.counters["staff_in_post_rows"] = static_cast<double>(model.staff_in_post.size());
  state.counters["organisations"] = static_cast<double>(model.organisations.size());
}
BENCHMARK(BM_Calibrate)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_BaselinePlus3Scenarios15Years1000RunsEveryScope(benchmark::State& state) {
  cp::ProjectionOptions options;
  options.scenario_files = {scenario("grow_our_own.toml"), scenario("pcn_arrs.toml"),
                            scenario("demand_pressure.toml")};
  options.scopes = {"all"};
  options.threads = 2;
  options.attribution = state.range(0) != 0;
  // Calibrated before timing (BM_Calibrate times it), as the server calibrates at start-up.
  const cp::Calibration* calibration = bench_calibration(state.range(2) != 0, state.range(1) != 0);
  if (!calibration) return state.SkipWithError("set CAREFORCE_BENCH_DEMO_DB to the demo ICS");
  const auto& cal = *calibration;
  size_t rows = 0;
  for (auto _ : state) {
    auto result = cp::project(cal, options);
    if (!result.is_ok())
      state.SkipWithError(result.error().message.c_str());
    else
      rows = result->series.size();
  }
  state.counters["series_rows"] = static_cast<double>(rows);
  state.counters["lines"] = static_cast<double>(cal.lines.size());
}
BENCHMARK(BM_BaselinePlus3Scenarios15Years1000RunsEveryScope)
    ->Args({0, 0, 0})
    ->Args({1, 0, 0})
    ->Args({0, 1, 0})
    ->Args({0, 0, 1})
    ->Args({0, 1, 1})
    ->Args({1, 1, 1})
    ->ArgNames({"attribution", "by_place", "demo_ics"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The plan page after a slider move: the baseline of the scope was run before (its record
// kept); the changed scenario is re-run for that scope.
void BM_OneScenarioOneScopeRerun(benchmark::State& state) {
  const cp::Calibration* calibration = bench_calibration(state.range(2) != 0, state.range(0) != 0);
  if (!calibration) return state.SkipWithError("set CAREFORCE_BENCH_DEMO_DB to the demo ICS");
  const auto& cal = *calibration;
  cp::ProjectionOptions options;
  options.scopes = {"sector:acute"};
  options.threads = 2;
  options.attribution = false;
  options.keep_baseline_record = state.range(1) != 0;
  auto baseline = cp::project(cal, options);
  if (!baseline.is_ok()) return state.SkipWithError(baseline.error().message.c_str());
  auto parsed = cp::load_scenario_file(scenario("grow_our_own.toml"));
  if (!parsed.is_ok()) return state.SkipWithError(parsed.error().message.c_str());
  options.scenarios = {*parsed};
  options.include_baseline = false;
  options.keep_baseline_record = false;
  options.baseline_record = baseline->baseline_record;
  for (auto _ : state) {
    auto result = cp::project(cal, options);
    if (!result.is_ok()) state.SkipWithError(result.error().message.c_str());
  }
}
BENCHMARK(BM_OneScenarioOneScopeRerun)
    ->Args({0, 1, 0})
    ->Args({1, 1, 0})
    ->Args({0, 0, 0})
    ->Args({0, 1, 1})
    ->Args({1, 1, 1})
    ->ArgNames({"by_place", "baseline_record", "demo_ics"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// The server's plan page: a scenario run as the server makes it (sector x place cells, every
// scope, the gap closed by each intervention) at 200 runs, as while a slider moves; with the
// server's earlier 1,000-run baseline record or without one.
void BM_ServerPlanPageScenario(benchmark::State& state) {
  const auto& cal = demo_calibration_by_place();
  cp::ProjectionOptions options;
  options.scopes = {"all"};
  options.threads = 2;
  options.keep_baseline_record = true;
  std::shared_ptr<const cp::BaselineRecord> record;
  if (state.range(0) != 0) {
    auto baseline = cp::project(cal, options);
    if (!baseline.is_ok()) return state.SkipWithError(baseline.error().message.c_str());
    record = baseline->baseline_record;
  }
  auto parsed = cp::load_scenario_file(scenario("grow_our_own.toml"));
  if (!parsed.is_ok()) return state.SkipWithError(parsed.error().message.c_str());
  options.scenarios = {*parsed};
  options.runs = 200;
  options.attribution_runs = 200;
  options.include_baseline = false;
  options.keep_baseline_record = false;
  options.baseline_record = record;
  for (auto _ : state) {
    auto result = cp::project(cal, options);
    if (!result.is_ok()) state.SkipWithError(result.error().message.c_str());
  }
}
BENCHMARK(BM_ServerPlanPageScenario)
    ->Arg(1)
    ->Arg(0)
    ->ArgName("baseline_record")
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// One thread simulating baseline replicates of the demo plan: the kernel's cost per line-year.
void BM_ReplicateKernel(benchmark::State& state) {
  const auto& cal = state.range(0) != 0 ? demo_calibration_by_place() : demo_calibration();
  auto plan = cp::build_plan(cal, nullptr, 0, 15, true);
  cp::ReplicateOutput out;
  uint64_t replicate = 0;
  for (auto _ : state) cp::simulate_replicate(*plan, 20240331, replicate++, out);
  const double line_years = static_cast<double>(plan->lines.size()) * 15;
  state.counters["joiner_tables"] = static_cast<double>(plan->joiner_tables.size());
  state.counters["ns_per_line_year"] =
      benchmark::Counter(line_years * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_ReplicateKernel)->Arg(0)->Arg(1)->ArgName("by_place")->Unit(benchmark::kMicrosecond);

// The same for a scenario that changes a few lines, re-using a baseline record of the
// sector:acute scope: the cost of what is simulated plus the per-replicate overhead.
void BM_ReplicateReusingBaseline(benchmark::State& state) {
  const auto& cal = demo_calibration();
  auto base = cp::build_plan(cal, nullptr, 0, 15, true);
  auto parsed = cp::load_scenario_file(scenario("grow_our_own.toml"));
  if (!parsed.is_ok()) return state.SkipWithError(parsed.error().message.c_str());
  auto plan = cp::build_plan(cal, &*parsed, parsed->interventions.size(), 15, true);
  std::vector<uint8_t> wanted(plan->lines.size(), 0);
  for (size_t l = 0; l < wanted.size(); ++l)
    wanted[l] = plan->lines[l].sector == careforce::Sector::acute;
  const auto needed = cp::upstream_lines(*plan, wanted);
  const size_t runs = 64;
  cp::BaselineRecord record(*base, 20240331, runs, needed);
  cp::ReplicateOutput out;
  for (size_t r = 0; r < runs; ++r) {
    cp::simulate_replicate(*base, 20240331, r, out, false, needed, true);
    record.store(r, out);
  }
  const auto reuse = cp::plan_reuse(record, *plan, 20240331, runs, needed);
  if (!reuse) return state.SkipWithError("no reuse");
  uint64_t replicate = 0;
  for (auto _ : state) cp::simulate_replicate(*plan, *reuse, replicate++ % runs, out);
  size_t simulated = 0;
  for (uint8_t s : reuse->simulate) simulated += s;
  state.counters["lines_simulated"] = static_cast<double>(simulated);
}
BENCHMARK(BM_ReplicateReusingBaseline)->Unit(benchmark::kMicrosecond);

// P10/P50/P90 of 1,000 replicate values (four per series and year in every run).
void BM_Quantiles1000(benchmark::State& state) {
  cp::Rng rng(7);
  std::vector<float> values(1000), work;
  for (auto& v : values) v = static_cast<float>(5000 + 300 * cp::sample_normal(rng));
  for (auto _ : state) {
    work = values;
    benchmark::DoNotOptimize(cp::quantiles_in_place(work));
  }
}
BENCHMARK(BM_Quantiles1000);

// The kernel's draws one at a time, in the sizes the demo gives (about 120 staff per
// line and age band, leaver rates 11-28%, transfers 8% of the leavers, ageing one fifth).
template <typename Draw>
void run_draws(benchmark::State& state, Draw draw) {
  cp::Rng rng(42);
  int64_t sum = 0;
  for (auto _ : state) sum += draw(rng);
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
void BM_DrawLeavers(benchmark::State& state) {
  const auto c = cp::binomial_constants(0.11);
  run_draws(state, [&](cp::Rng& rng) { return cp::sample_binomial(rng, 120, c); });
}
BENCHMARK(BM_DrawLeavers);
void BM_DrawTransfers(benchmark::State& state) {
  const auto c = cp::binomial_constants(0.08);
  run_draws(state, [&](cp::Rng& rng) { return cp::sample_binomial(rng, 14, c); });
}
BENCHMARK(BM_DrawTransfers);
void BM_DrawSmallMean(benchmark::State& state) {
  const auto c = cp::binomial_constants(0.08);
  run_draws(state, [&](cp::Rng& rng) { return cp::sample_binomial(rng, 60, c); });
}
BENCHMARK(BM_DrawSmallMean);
void BM_DrawAgeing(benchmark::State& state) {
  static const cp::FixedBinomial ageing(0.2, 512);
  int64_t n = 100;
  run_draws(state, [&](cp::Rng& rng) { return ageing(rng, n = 100 + (n * 7 + 3) % 100); });
}
BENCHMARK(BM_DrawAgeing);
void BM_DrawJoiners(benchmark::State& state) {
  // 18 joiners a year spread over 12 age bands; state.range(0) = 1 for a place-sized line
  // (2 a year, drawn as a total placed one by one).
  const double total = state.range(0) != 0 ? 2 : 18;
  std::array<double, cp::kAgeBands> means{};
  for (size_t a = 0; a < means.size(); ++a) means[a] = total / static_cast<double>(means.size());
  const cp::PoissonSplit joiners(means);
  std::array<int64_t, cp::kAgeBands> out{};
  run_draws(state, [&](cp::Rng& rng) { return joiners(rng, out); });
}
BENCHMARK(BM_DrawJoiners)->Arg(0)->Arg(1)->ArgName("place_sized");

}  // namespace

BENCHMARK_MAIN();
