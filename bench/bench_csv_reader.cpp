// Speed of the streaming CSV reader and of the validator on staff_in_post rows.
#include <benchmark/benchmark.h>

#include "ingest/csv_reader.hpp"
#include "ingest/validator.hpp"

namespace {

using namespace careforce;
using namespace careforce::ingest;

std::string staff_in_post(size_t rows) {
  std::string text =
      "snapshot_date,org_code,person_key,assignment_id,staff_group,role_code,band,fte,"
      "contract_type,org_start_date,birth_year,sex,ethnic_group,disability,nationality_group,"
      "recruitment_source\n";
  for (size_t i = 0; i < rows; ++i) {
    text += "2024-03-31,RWH,pk";
    text += std::to_string(100000 + i);
    text += ",A";
    text += std::to_string(i);
    text += i % 5 == 0
                ? ",nursing,\"adult_nurse\",5,0.8,permanent,2019-04-01,1985,female,white,no,uk,"
                  "newly_qualified\n"
                : ",medical,consultant,medical,1.0,permanent,2015-08-01,1972,male,asian,no,"
                  "non_eu,international\n";
  }
  return text;
}

void BM_CsvReader(benchmark::State& state) {
  const std::string text = staff_in_post(static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    MemoryStream in(text);
    CsvReader reader(in, "staff_in_post.csv");
    size_t fields = 0;
    while (*reader.next()) fields += reader.size();
    benchmark::DoNotOptimize(fields);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CsvReader)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

class NullSink : public RowSink {
 public:
  Status add_row(const FileSpec&, std::span<const Value>, uint64_t) override { return {}; }
  Status quarantine_row(const FileSpec&, uint64_t, std::string_view,
                        std::span<const Finding>) override {
    return {};
  }
};

void BM_ValidateStaffInPost(benchmark::State& state) {
  const Submission submission = memory_submission(
      {{"organisations.csv",
        "org_code,org_name,sector,place,data_level\nRWH,Riverside,acute,Riverside,record\n"},
       {"staff_in_post.csv", staff_in_post(static_cast<size_t>(state.range(0)))}});
  for (auto _ : state) {
    NullSink sink;
    auto report = validate_submission(submission, {}, {}, sink);
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_ValidateStaffInPost)->Arg(200'000)->Unit(benchmark::kMillisecond);

}  // namespace
BENCHMARK_MAIN();
