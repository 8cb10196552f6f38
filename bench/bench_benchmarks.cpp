// Speed of reading a published file and of exact rounding (national benchmarks module).
#include <benchmark/benchmark.h>

#include <sstream>
#include <string>

#include "benchmarks/benchmark_set.hpp"
#include "benchmarks/reader.hpp"

namespace {

using namespace careforce::benchmarks;

// A sickness absence file of `rows` organisations, shaped like the published one.
std::string sickness_file(int rows) {
  std::string text =
      "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,"
      "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n";
  for (int i = 0; i < rows; ++i) {
    const std::string lost = std::to_string(1000 + i % 997) + ".12345";
    const std::string available = std::to_string(20000 + i % 3001) + ".54321";
    const auto rate = percent(*Decimal::parse(lost), *Decimal::parse(available), 2);
    text += "31/01/2025,Y56,London,Q" + std::to_string(i % 42) + ",Some ICS,R" + std::to_string(i) +
            ",\"Trust " + std::to_string(i) + ", NHS\",Acute," + lost + "," + available + "," +
            rate->format(2, NumberStyle::trimmed) + "\n";
  }
  return text;
}

void BM_ReadSicknessFile(benchmark::State& state) {
  const std::string text = sickness_file(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    std::istringstream in(text);
    auto report = read_publication(in, "bench.csv");
    benchmark::DoNotOptimize(report.series.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_ReadSicknessFile)->Arg(300)->Arg(30000);

void BM_AggregateByIcs(benchmark::State& state) {
  const std::string text = sickness_file(30000);
  std::istringstream in(text);
  BenchmarkSet set;
  set.add(read_publication(in, "bench.csv").series);
  AggregateQuery query;
  query.metric = "sickness_absence_rate";
  query.period = careforce::Month::from_ym(2025, 1);
  query.level = Level::ics;
  for (auto _ : state) benchmark::DoNotOptimize(aggregate(set, query));
  state.SetItemsProcessed(state.iterations() * 30000);
}
BENCHMARK(BM_AggregateByIcs);

void BM_ExactPercent(benchmark::State& state) {
  const Decimal lost = *Decimal::parse("2782.82577"), available = *Decimal::parse("51581.56801");
  for (auto _ : state) benchmark::DoNotOptimize(percent(lost, available, 2));
}
BENCHMARK(BM_ExactPercent);

}  // namespace

BENCHMARK_MAIN();
