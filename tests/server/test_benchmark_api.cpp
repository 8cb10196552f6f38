// GET /api/benchmarks and /api/benchmarks/cross-check: the ICS's own figures beside a small
// published file (England, region, ICS peers, rank and quartile), the cross-check of a
// partner's own sickness rate against its published one, clear answers with nothing loaded,
// and 4xx errors naming the parameter. With the real reference files beside the repo, the
// England figure of January 2025 is the published key fact.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "benchmarks/decimal.hpp"
#include "demo/demo_generator.hpp"
#include "metrics/engine.hpp"
#include "server/server.hpp"
#include "service/benchmark_service.hpp"
#include "service/import_service.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace careforce;

namespace {

struct Running {
  std::unique_ptr<server::Server> server;
  std::thread thread;
  int port = 0;
};

struct Fixture {
  fs::path dir;
  std::string partner;  ///< The demo's first organisation, placed in ICS QAA.
  double own_lost_feb = 0, own_available_feb = 0;
  Running plain, bench;
  std::string error;
};

std::string rate_text(double lost, double available) {
  auto n = benchmarks::Decimal::parse(fmt::format("{:.5f}", lost));
  auto d = benchmarks::Decimal::parse(fmt::format("{:.5f}", available));
  auto p = benchmarks::percent(*n, *d, 2);
  return p->format(2, benchmarks::NumberStyle::trimmed);
}

Result<Running> start(const server::ServerOptions& options) {
  CF_ASSIGN_OR_RETURN(auto created, server::Server::create(options));
  Running r;
  r.server = std::move(created);
  CF_ASSIGN_OR_RETURN(r.port, r.server->bind());
  auto* s = r.server.get();
  r.thread = std::thread([s] { (void)s->listen(); });
  s->wait_until_ready();
  return r;
}

Fixture& fixture() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    fx->dir = fs::temp_directory_path() / ("careforce_bench_api_" + std::to_string(::getpid()));
    fs::remove_all(fx->dir);
    demo::DemoOptions demo;
    demo.scale = 0.05;
    demo.months = 24;
    demo.last_month = Month::from_ym(2025, 3);
    if (auto g = demo::generate_demo(demo, fx->dir / "demo"); !g)
      return fx->error = g.error().message, fx;
    const std::string plain_db = (fx->dir / "plain.db").string();
    const std::string bench_db = (fx->dir / "bench.db").string();
    {
      auto store = store::open_store(plain_db);
      if (!store) return fx->error = store.error().message, fx;
      if (auto i = service::import_submission(**store, fx->dir / "demo", {}); !i)
        return fx->error = i.error().message, fx;
      auto model = (*store)->load_model();
      if (!model) return fx->error = model.error().message, fx;
      // The partner: the first record-level acute organisation.
      for (const auto& o : model->organisations)
        if (fx->partner.empty() && o.sector == Sector::acute) fx->partner = o.code;
      metrics::Query q;
      q.at = Month::from_ym(2025, 2);
      q.metrics = {"sickness_absence_rate_month"};
      q.scope_types = {metrics::ScopeType::org};
      q.scopes = {fx->partner};
      q.by = metrics::Breakdown::none;
      auto r = metrics::compute(*model, q);
      if (!r || r->empty()) return fx->error = "no own sickness figure", fx;
      fx->own_lost_feb = r->front().numerator;
      fx->own_available_feb = r->front().denominator;
    }
    fs::copy_file(plain_db, bench_db);
    // A small publication: the partner in ICS QAA (region Y61) with QBB beside it, QCC in
    // London, and a QZZ body counted in England only.
    fs::create_directories(fx->dir / "pub");
    for (int month : {1, 2, 3}) {
      std::ofstream out(fx->dir / "pub" / fmt::format("sickness_2025-{:02}.csv", month));
      out << "DATE,NHSE_REGION_CODE,NHSE_REGION_NAME,ICS_CODE,ICS_NAME,ORG_CODE,ORG_NAME,ORG_TYPE,"
             "FTE_DAYS_LOST,FTE_DAYS_AVAILABLE,SICKNESS_ABSENCE_RATE_PERCENT\n";
      const std::string date = Month::from_ym(2025, month).end().iso();
      const std::string dmy = date.substr(8, 2) + "/" + date.substr(5, 2) + "/" + date.substr(0, 4);
      double lost = month == 2 ? fx->own_lost_feb : 1000,
             available = month == 2 ? fx->own_available_feb : 20000;
      if (month == 3) lost = fx->own_lost_feb + 100, available = fx->own_available_feb;
      auto row = [&](const std::string& region, const std::string& region_name,
                     const std::string& ics, const std::string& org, const std::string& type,
                     double l, double a) {
        out << dmy << "," << region << "," << region_name << "," << ics << ",ICS " << ics << ","
            << org << ",Org " << org << "," << type << "," << fmt::format("{:.5f}", l) << ","
            << fmt::format("{:.5f}", a) << "," << rate_text(l, a) << "\n";
      };
      row("Y61", "East of England", "QAA", fx->partner, "Acute", lost, available);
      row("Y61", "East of England", "QBB", "RZ1", "Acute", 500, 10000);  // 5%
      row("Y56", "London", "QCC", "RZ2", "Acute", 300, 10000);           // 3%
      row("QZZ", "Other bodies", "QZZ", "0AR", "Commissioning Support Unit", 100, 10000);
    }
    {
      auto store = store::open_store(bench_db);
      if (!store) return fx->error = store.error().message, fx;
      auto imported = service::import_benchmarks(**store, (fx->dir / "pub").string(), {});
      if (!imported) return fx->error = imported.error().message, fx;
      if (imported->outcome != service::BenchmarkImportOutcome::accepted)
        return fx->error = service::describe_benchmark_import(*imported, 10), fx;
    }
    server::ServerOptions options;
    options.port = 0;
    options.default_runs = 50;
    options.static_dir = fx->dir;
    options.db = plain_db;
    auto plain = start(options);
    if (!plain) return fx->error = plain.error().message, fx;
    fx->plain = std::move(*plain);
    options.db = bench_db;
    options.benchmark_ics = "QAA";
    auto bench = start(options);
    if (!bench) return fx->error = bench.error().message, fx;
    fx->bench = std::move(*bench);
    return fx;
  }();
  return *f;
}

class BenchmarkApiTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fixture().error.empty()) << fixture().error; }
  static json get(int port, const std::string& path, int status = 200) {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(120, 0);
    auto res = c.Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << "\n" << res->body.substr(0, 500);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    return json::parse(res->body, nullptr, false);
  }
  static json bench(const std::string& path, int status = 200) {
    return get(fixture().bench.port, path, status);
  }
};

TEST_F(BenchmarkApiTest, WithNothingLoadedTheAnswerSaysSo) {
  const json b = get(fixture().plain.port, "/api/benchmarks");
  EXPECT_EQ(b["loaded"], false);
  EXPECT_NE(b["message"].get<std::string>().find("careforce benchmarks import"), std::string::npos);
  EXPECT_TRUE(b["metrics"].empty());
  EXPECT_TRUE(b["identity"]["ics_code"].is_null());
  const json c = get(fixture().plain.port, "/api/benchmarks/cross-check");
  EXPECT_EQ(c["loaded"], false);
  EXPECT_TRUE(c["rows"].empty());
  EXPECT_FALSE(c["message"].get<std::string>().empty());
}

TEST_F(BenchmarkApiTest, TheIcsBesideEnglandItsRegionAndItsPeers) {
  const json b = bench("/api/benchmarks?metric=sickness_absence_rate_month");
  EXPECT_EQ(b["loaded"], true);
  EXPECT_EQ(b["identity"]["ics_code"], "QAA");
  EXPECT_EQ(b["identity"]["region_code"], "Y61");
  EXPECT_EQ(b["identity"]["region_name"], "East of England");
  ASSERT_EQ(b["metrics"].size(), 1u);
  const json& m = b["metrics"][0];
  EXPECT_EQ(m["benchmark_metric"], "sickness_absence_rate");
  ASSERT_EQ(m["months"].size(), 3u);
  const json& jan = m["months"][0];
  EXPECT_EQ(jan["period"], "2025-01");
  // England: every row, the QZZ body included: (1000 + 500 + 300 + 100) / 50000 = 3.8%.
  EXPECT_EQ(jan["england"]["value_text"], "3.8");
  EXPECT_EQ(jan["england"]["organisations"], 4);
  // East of England: 1500 / 30000 = 5%.
  EXPECT_EQ(jan["region"]["code"], "Y61");
  EXPECT_EQ(jan["region"]["value_text"], "5.0");
  // The ICS's published figure: 1000 / 20000 = 5%, ranked among QAA, QBB, QCC (QZZ is not).
  EXPECT_EQ(jan["published"]["code"], "QAA");
  EXPECT_EQ(jan["published"]["value_text"], "5.0");
  bool published_rank = false, own_rank = false;
  for (const auto& p : jan["peers"]) {
    if (p["of"] == "published" && p["group"] == "ics_england") {
      published_rank = true;
      EXPECT_EQ(p["count"], 3);
      EXPECT_EQ(p["rank"], 2);  // QCC 3% < QAA 5% = QBB 5% (ties share the lower rank)
      EXPECT_EQ(p["quartile"], 3);
    }
    if (p["of"] == "own" && p["group"] == "ics_england") {
      own_rank = true;
      EXPECT_EQ(p["count"], 3);  // QBB, QCC and our own figure (QAA's published one left out)
    }
  }
  EXPECT_TRUE(published_rank);
  // Our own figure is the series endpoint's value for the same month.
  const json series =
      bench("/api/series?metric=sickness_absence_rate_month&from=2025-01-31&to=2025-03-31");
  ASSERT_EQ(series["points"].size(), 3u);
  ASSERT_TRUE(jan["own"].is_object());
  EXPECT_DOUBLE_EQ(jan["own"]["value"].get<double>(), series["points"][0]["value"].get<double>());
  EXPECT_TRUE(own_rank);
}

TEST_F(BenchmarkApiTest, TwelveMonthSicknessNeedsTwelvePublishedMonths) {
  const json b = bench("/api/benchmarks?metric=sickness_absence_rate");
  ASSERT_EQ(b["metrics"].size(), 1u);
  EXPECT_EQ(b["metrics"][0]["window_months"], 12);
  EXPECT_TRUE(b["metrics"][0]["months"].empty());  // only 3 months published
  const json all = bench("/api/benchmarks");
  for (const auto& m : all["metrics"]) EXPECT_NE(m["metric"], "sickness_absence_rate");
}

TEST_F(BenchmarkApiTest, AnOrganisationBesideItsPublishedFigure) {
  const auto& f = fixture();
  const json b =
      bench("/api/benchmarks?metric=sickness_absence_rate_month&scope_type=org&scope=" + f.partner +
            "&from=2025-02&to=2025-02");
  ASSERT_EQ(b["metrics"][0]["months"].size(), 1u);
  const json& feb = b["metrics"][0]["months"][0];
  EXPECT_EQ(feb["published"]["code"], f.partner);
  EXPECT_EQ(feb["published"]["value_text"], rate_text(f.own_lost_feb, f.own_available_feb));
  bool type_peers = false;
  for (const auto& p : feb["peers"]) type_peers |= p["group"] == "org_type";
  EXPECT_TRUE(type_peers);
}

TEST_F(BenchmarkApiTest, CrossCheckListsTheDifferences) {
  const auto& f = fixture();
  const json c = bench("/api/benchmarks/cross-check");
  EXPECT_EQ(c["loaded"], true);
  ASSERT_EQ(c["organisations_checked"], json::array({f.partner}));
  ASSERT_EQ(c["rows"].size(), 3u);
  const json& feb = c["rows"][1];
  EXPECT_EQ(feb["period"], "2025-02");
  EXPECT_EQ(feb["status"], "match");
  EXPECT_EQ(feb["value_difference"].get<double>(), 0.0);
  const json& mar = c["rows"][2];
  EXPECT_EQ(mar["status"], "differs");
  EXPECT_EQ(mar["org_code"], f.partner);
  EXPECT_FALSE(mar["differences"].empty());
  // The publication has 100 more FTE days lost in March than the February-sized own figure.
  EXPECT_EQ(c["summary"]["rows"], 3);
  EXPECT_EQ(c["summary"]["matching"].get<int>() + c["summary"]["differing"].get<int>() +
                c["summary"]["no_own_figure"].get<int>(),
            3);
  const json one = bench("/api/benchmarks/cross-check?period=2025-02&org=" + f.partner);
  ASSERT_EQ(one["rows"].size(), 1u);
  EXPECT_EQ(one["rows"][0]["status"], "match");
  // Without --ics the partners' codes are not taken as ODS codes.
  const json plain = get(f.plain.port, "/api/benchmarks/cross-check");
  EXPECT_TRUE(plain["rows"].empty());
}

TEST_F(BenchmarkApiTest, BadParametersNameTheParameter) {
  json e = bench("/api/benchmarks?metric=happiness", 400);
  EXPECT_EQ(e["error"]["code"], "bad_parameter");
  EXPECT_EQ(e["error"]["details"]["parameter"], "metric");
  EXPECT_TRUE(e["error"]["details"]["allowed"].is_array());
  e = bench("/api/benchmarks?scope_type=place&scope=Northmoor", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "scope_type");
  e = bench("/api/benchmarks?scope_type=org&scope=NOPE", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "scope");
  e = bench("/api/benchmarks?scope_type=org", 400);
  EXPECT_EQ(e["error"]["code"], "missing_parameter");
  e = bench("/api/benchmarks?from=2025-13", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "from");
  e = bench("/api/benchmarks?from=2025-03&to=2025-01", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "from");
  e = bench("/api/benchmarks?colour=blue", 400);
  EXPECT_EQ(e["error"]["code"], "unknown_parameter");
  e = bench("/api/benchmarks/cross-check?org=NOPE", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "org");
  e = bench("/api/benchmarks/cross-check?period=2025", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "period");
}

TEST_F(BenchmarkApiTest, AnUnknownIcsCodeStopsTheServerWithAClearMessage) {
  server::ServerOptions options;
  options.db = (fixture().dir / "bench.db").string();
  options.benchmark_ics = "QXX";
  auto created = server::Server::create(options);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().message.find("--ics QXX"), std::string::npos);
  options.benchmark_ics = "";
  options.benchmark_region = "Y99";
  created = server::Server::create(options);
  ASSERT_FALSE(created);
  EXPECT_NE(created.error().message.find("--region Y99"), std::string::npos);
}

TEST(BenchmarkApiReference, EnglandJanuary2025IsThePublishedKeyFact) {
  const fs::path reference = fs::path(CAREFORCE_SHARED_DIR) / "reference" / "nhs-digital";
  if (!fs::is_directory(reference)) GTEST_SKIP() << "no " << reference;
  ASSERT_TRUE(fixture().error.empty()) << fixture().error;
  const fs::path db = fixture().dir / "reference.db";
  fs::copy_file(fixture().dir / "plain.db", db, fs::copy_options::overwrite_existing);
  {
    auto store = store::open_store(db.string());
    ASSERT_TRUE(store);
    auto imported = service::import_benchmarks(**store, reference.string(), {});
    ASSERT_TRUE(imported);
    ASSERT_EQ(imported->outcome, service::BenchmarkImportOutcome::accepted);
  }
  server::ServerOptions options;
  options.db = db.string();
  options.port = 0;
  options.default_runs = 50;
  options.benchmark_ics = "QKK";
  auto running = start(options);
  ASSERT_TRUE(running) << running.error().message;
  httplib::Client c("127.0.0.1", running->port);
  auto res = c.Get("/api/benchmarks?metric=sickness_absence_rate_month&from=2025-01&to=2025-01");
  ASSERT_TRUE(res);
  const json b = json::parse(res->body);
  const json& jan = b["metrics"][0]["months"][0];
  EXPECT_EQ(b["identity"]["region_code"], "Y56");
  // Key facts (1 dp): England 5.7, London 5.0.
  EXPECT_NEAR(jan["england"]["value"].get<double>(), 5.7, 0.05);
  EXPECT_NEAR(jan["region"]["value"].get<double>(), 5.0, 0.05);
  res = c.Get("/api/benchmarks?metric=leaver_rate_headcount&to=2025-10&from=2025-10");
  ASSERT_TRUE(res);
  const json l = json::parse(res->body);
  EXPECT_EQ(l["metrics"][0]["months"][0]["england"]["value_text"], "1.01");
  EXPECT_TRUE(l["metrics"][0]["months"][0]["own"].is_null());
  // The 12-month sickness rate exists for March 2025, the end of the 12 published months.
  res = c.Get("/api/benchmarks?metric=sickness_absence_rate");
  const json y = json::parse(res->body);
  ASSERT_EQ(y["metrics"][0]["months"].size(), 1u);
  EXPECT_EQ(y["metrics"][0]["months"][0]["period"], "2025-03");
  running->server->stop();
  running->thread.join();
}

}  // namespace
