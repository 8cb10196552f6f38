// Store throughput: staff_in_post rows written through an ImportSession, and load_model().

#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/schema.hpp"
#include "store/store.hpp"

namespace {

using namespace careforce;

std::string bench_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("careforce_bench_" + std::to_string(::getpid()) + "_" + name + ".db"))
      .string();
}

void remove_db(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
}

/// Writes synthetic staff_in_post rows: `orgs` organisations, rows spread over months.
class RowMaker {
 public:
  explicit RowMaker(int orgs)
      : orgs_(orgs), row_(file_spec(FileKind::staff_in_post).columns.size()) {
    const FileSpec& spec = file_spec(FileKind::staff_in_post);
    auto set = [&](const char* column, Value value) { row_[spec.column_index(column)] = value; };
    set("contract_type", std::string("permanent"));
    set("org_start_date", std::string("2015-04-01"));
    set("sex", std::string("female"));
    set("ethnic_group", std::string("white"));
    set("disability", std::string("no"));
    set("nationality_group", std::string("uk"));
    set("recruitment_source", std::string("not_stated"));
    snapshot_ = spec.column_index("snapshot_date");
    org_ = spec.column_index("org_code");
    person_ = spec.column_index("person_key");
    assignment_ = spec.column_index("assignment_id");
    group_ = spec.column_index("staff_group");
    role_ = spec.column_index("role_code");
    band_ = spec.column_index("band");
    fte_ = spec.column_index("fte");
    birth_ = spec.column_index("birth_year");
    for (uint8_t r = 0; r < roles().size(); ++r) role_codes_.push_back(r);
  }

  /// Row `i` of the month `month_end` (persons cycle so months repeat the same people).
  const std::vector<Value>& row(uint64_t i, const std::string& month_end) {
    const uint64_t person = i;
    const uint8_t role = role_codes_[person % role_codes_.size()];
    row_[snapshot_] = month_end;
    row_[org_] = "ORG" + std::to_string(person % orgs_);
    row_[person_] = "pk" + std::to_string(person);
    row_[assignment_] = "as" + std::to_string(person);
    row_[group_] = staff_groups().code(role_info(role).staff_group);
    row_[role_] = roles().code(role);
    row_[band_] = bands().code(static_cast<uint8_t>(person % 12));
    row_[fte_] = 0.5 + static_cast<double>(person % 6) / 10.0;
    row_[birth_] = static_cast<int64_t>(1960 + person % 40);
    return row_;
  }
  int orgs() const { return orgs_; }

 private:
  int orgs_;
  std::vector<Value> row_;
  std::vector<uint8_t> role_codes_;
  int snapshot_, org_, person_, assignment_, group_, role_, band_, fte_, birth_;
};

const std::vector<std::string> kMonthEnds = {
    "2023-04-30", "2023-05-31", "2023-06-30", "2023-07-31", "2023-08-31", "2023-09-30",
    "2023-10-31", "2023-11-30", "2023-12-31", "2024-01-31", "2024-02-29", "2024-03-31"};

/// Import `rows` rows spread over 12 months as one submission.
bool import_synthetic(store::Store& store, uint64_t rows, const std::string& sha) {
  store::SubmissionMeta meta;
  meta.source = "bench";
  meta.sha256 = sha;
  auto session = store.begin_import(meta);
  if (!session) return false;
  RowMaker maker(8);
  const FileSpec& orgs = file_spec(FileKind::organisations);
  for (int o = 0; o < maker.orgs(); ++o) {
    std::vector<Value> org = {"ORG" + std::to_string(o), std::string("Org"), std::string("acute"),
                              std::string("North"), std::string("record")};
    if (!(*session)->add_row(orgs, org, static_cast<uint64_t>(o + 2))) return false;
  }
  const FileSpec& sip = file_spec(FileKind::staff_in_post);
  const uint64_t per_month = (rows + kMonthEnds.size() - 1) / kMonthEnds.size();
  for (uint64_t i = 0; i < rows; ++i)
    if (!(*session)->add_row(sip, maker.row(i % per_month, kMonthEnds[i / per_month]), i + 2))
      return false;
  return (*session)->commit(store::SubmissionOutcome::accepted, {}, {}).is_ok();
}

void BM_ImportStaffInPost(benchmark::State& state) {
  const auto rows = static_cast<uint64_t>(state.range(0));
  const std::string path = bench_path("import");
  for (auto _ : state) {
    state.PauseTiming();
    remove_db(path);
    auto store = store::open_store(path);
    if (!store) {
      state.SkipWithError(store.error().message.c_str());
      break;
    }
    state.ResumeTiming();
    if (!import_synthetic(**store, rows, "bench")) {
      state.SkipWithError("import failed");
      break;
    }
  }
  remove_db(path);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows * state.iterations()),
                                                    benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ImportStaffInPost)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LoadModel(benchmark::State& state) {
  const auto rows = static_cast<uint64_t>(state.range(0));
  const std::string path = bench_path("load");
  remove_db(path);
  auto store = store::open_store(path);
  if (!store || !import_synthetic(**store, rows, "bench")) {
    state.SkipWithError("setup failed");
    return;
  }
  for (auto _ : state) {
    auto model = (*store)->load_model();
    if (!model) {
      state.SkipWithError(model.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(model->staff_in_post.size());
  }
  remove_db(path);
  state.counters["rows_per_s"] = benchmark::Counter(static_cast<double>(rows * state.iterations()),
                                                    benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LoadModel)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace

BENCHMARK_MAIN();
