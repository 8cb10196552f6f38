// Server latency: p95 of the overview and drill-down endpoints with 32 concurrent clients
// on the demo ICS (generated and imported in a temporary folder at start). Target: < 50 ms.
// CAREFORCE_BENCH_SCALE (default 1) scales the demo for a quicker run.

#include <benchmark/benchmark.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "demo/demo_generator.hpp"
#include "server/server.hpp"
#include "service/import_service.hpp"
#include "store/store.hpp"

namespace {

using namespace careforce;
namespace fs = std::filesystem;

struct Running {
  fs::path dir;
  std::unique_ptr<server::Server> server;
  std::thread thread;
  int port = 0;
  std::string place, org, sector;
};

Running* start() {
  static Running* running = [] {
    auto* r = new Running;
    r->dir = fs::temp_directory_path() / ("careforce_bench_server_" + std::to_string(::getpid()));
    fs::remove_all(r->dir);
    demo::DemoOptions demo;
    if (const char* scale = std::getenv("CAREFORCE_BENCH_SCALE")) demo.scale = std::atof(scale);
    if (!demo::generate_demo(demo, r->dir / "demo")) std::abort();
    const std::string db = (r->dir / "demo.db").string();
    {
      auto store = store::open_store(db);
      if (!store || !service::import_submission(**store, r->dir / "demo", {})) std::abort();
    }
    server::ServerOptions options;
    options.db = db;
    options.port = 0;
    options.threads = 32;
    auto created = server::Server::create(options);
    if (!created) std::abort();
    r->server = std::move(*created);
    auto port = r->server->bind();
    if (!port) std::abort();
    r->port = *port;
    r->thread = std::thread([r] { (void)r->server->listen(); });
    r->server->wait_until_ready();
    httplib::Client c("127.0.0.1", r->port);
    auto catalog = nlohmann::json::parse(c.Get("/api/catalog")->body);
    r->place = catalog["places"][0]["place"];
    r->org = catalog["organisations"][0]["org_code"];
    r->sector = catalog["organisations"][0]["sector"];
    return r;
  }();
  return running;
}

std::string encode(const std::string& s) {
  std::string out;
  for (char c : s) out += c == ' ' ? std::string("%20") : std::string(1, c);
  return out;
}

/// 32 clients each send `per_client` requests from `paths`; reports p50/p95/max in ms.
void run_clients(benchmark::State& state, const std::vector<std::string>& paths) {
  Running* r = start();
  const int clients = 32, per_client = 10;
  for (auto _ : state) {
    std::vector<double> ms;
    std::mutex mutex;
    std::atomic<int> failed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < clients; ++t)
      threads.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", r->port);
        c.set_read_timeout(60, 0);
        c.set_keep_alive(true);  // as a browser does
        std::vector<double> mine;
        // Untimed: open the keep-alive connection.
        (void)c.Get(paths[static_cast<size_t>(t) % paths.size()].c_str());
        for (int i = 0; i < per_client; ++i) {
          const auto& p = paths[(t + i) % paths.size()];
          const auto t0 = std::chrono::steady_clock::now();
          auto res = c.Get(p.c_str());
          mine.push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                  .count());
          if (!res || res->status != 200) ++failed;
        }
        std::lock_guard lock(mutex);
        ms.insert(ms.end(), mine.begin(), mine.end());
      });
    for (auto& t : threads) t.join();
    std::sort(ms.begin(), ms.end());
    state.counters["p50_ms"] = ms[ms.size() / 2];
    state.counters["p95_ms"] = ms[static_cast<size_t>(ms.size() * 0.95)];
    state.counters["max_ms"] = ms.back();
    state.counters["failed"] = failed.load();
  }
}

void BM_Overview(benchmark::State& state) {
  run_clients(state, {"/api/metrics?metric=sip_fte,sip_headcount,turnover_rate,vacancy_rate,"
                      "sickness_absence_rate",
                      "/api/metrics?metric=sip_fte,turnover_rate,vacancy_rate&by=sector",
                      "/api/series?metric=sip_fte", "/api/catalog"});
}
BENCHMARK(BM_Overview)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

void BM_DrillDown(benchmark::State& state) {
  Running* r = start();
  run_clients(
      state,
      {"/api/metrics?metric=sip_fte,turnover_rate&scope_type=place&scope=" + encode(r->place) +
           "&by=org",
       "/api/metrics?metric=sip_fte,turnover_rate&scope_type=org&scope=" + r->org + "&by=role",
       "/api/metrics?metric=sickness_absence_rate&scope_type=sector&scope=" + r->sector +
           "&staff_group=nursing&by=org",
       "/api/series?metric=turnover_rate&scope_type=sector&scope=" + r->sector});
}
BENCHMARK(BM_DrillDown)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
