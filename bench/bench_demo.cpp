// Speed of the demo generator: a small ICS and the staff_in_post-only mode.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>

#include "demo/demo_generator.hpp"

namespace {

std::filesystem::path bench_dir(const char* name) {
  return std::filesystem::temp_directory_path() /
         (std::string("careforce_bench_demo_") + name + "_" + std::to_string(::getpid()));
}

void BM_DemoGenerateSmallIcs(benchmark::State& state) {
  careforce::demo::DemoOptions options;
  options.scale = 0.1;
  options.months = 13;
  const auto dir = bench_dir("small");
  uint64_t rows = 0;
  for (auto _ : state) {
    auto summary = careforce::demo::generate_demo(options, dir);
    if (!summary) state.SkipWithError(summary.error().message.c_str());
    for (const auto& file : summary->files) rows += file.rows;
  }
  state.SetItemsProcessed(static_cast<int64_t>(rows));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DemoGenerateSmallIcs)->Unit(benchmark::kMillisecond);

void BM_DemoSipRows(benchmark::State& state) {
  careforce::demo::DemoOptions options;
  options.sip_rows = state.range(0);
  const auto dir = bench_dir("sip");
  for (auto _ : state) {
    auto summary = careforce::demo::generate_demo(options, dir);
    if (!summary) state.SkipWithError(summary.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_DemoSipRows)->Arg(200000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
