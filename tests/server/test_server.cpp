// The server answers every example of docs/api-examples.json as documented (status and the
// documented keys with their types), maps bad requests to JSON errors, and serves
// concurrent clients consistently. The store is a small demo ICS imported in-process.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "demo/demo_generator.hpp"
#include "metrics/disclosure.hpp"
#include "metrics/engine.hpp"
#include "server/server.hpp"
#include "service/import_service.hpp"
#include "store/store.hpp"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace careforce;

namespace {

struct Fixture {
  fs::path dir;
  std::unique_ptr<server::Server> server;
  std::thread thread;
  int port = 0;
  std::string error;
};

Fixture& fixture() {
  static Fixture* f = [] {
    auto* fx = new Fixture;
    fx->dir = fs::temp_directory_path() / ("careforce_server_test_" + std::to_string(::getpid()));
    fs::remove_all(fx->dir);
    fs::create_directories(fx->dir / "static" / "assets");
    std::ofstream(fx->dir / "static" / "index.html") << "<!doctype html><title>careforce</title>";
    std::ofstream(fx->dir / "static" / "assets" / "app.js") << "console.log(1);";
    demo::DemoOptions demo;
    demo.scale = 0.05;
    demo.months = 24;
    demo.last_month =
        Month::from_ym(2025, 3);  // base year 2024/25 (the browser tests: the default)
    auto generated = demo::generate_demo(demo, fx->dir / "demo");
    if (!generated) return fx->error = generated.error().message, fx;
    const std::string db = (fx->dir / "demo.db").string();
    {
      auto store = store::open_store(db);
      if (!store) return fx->error = store.error().message, fx;
      auto imported = service::import_submission(**store, fx->dir / "demo", {});
      if (!imported) return fx->error = imported.error().message, fx;
      // A resubmission with one bad row, accepted with the row quarantined.
      fs::create_directories(fx->dir / "bad");
      fs::copy_file(fx->dir / "demo" / "organisations.csv", fx->dir / "bad" / "organisations.csv");
      std::ifstream in(fx->dir / "demo" / "staff_in_post.csv");
      std::ofstream out(fx->dir / "bad" / "staff_in_post.csv");
      std::string line, last;
      for (int i = 0; i < 4 && std::getline(in, line); ++i) out << line << "\n", last = line;
      std::vector<std::string> fields;
      for (size_t start = 0, end = 0; end != std::string::npos; start = end + 1)
        end = last.find(',', start), fields.push_back(last.substr(start, end - start));
      fields.at(7) = "1.7";  // fte above 1.5
      fields.at(3) = "X-QUARANTINE";
      for (size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << fields[i];
      out << "\n";
      out.close();
      service::ImportOptions quarantine;
      quarantine.accept_valid_rows = true;
      auto bad = service::import_submission(**store, fx->dir / "bad", quarantine);
      if (!bad) return fx->error = bad.error().message, fx;
    }
    server::ServerOptions options;
    options.db = db;
    options.port = 0;
    options.static_dir = fx->dir / "static";
    options.default_runs = 50;
    options.max_body_bytes = 64 * 1024;
    auto created = server::Server::create(options);
    if (!created) return fx->error = created.error().message, fx;
    fx->server = std::move(*created);
    auto port = fx->server->bind();
    if (!port) return fx->error = port.error().message, fx;
    fx->port = *port;
    fx->thread = std::thread([fx] { (void)fx->server->listen(); });
    fx->server->wait_until_ready();
    return fx;
  }();
  return *f;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto& f = fixture();
    ASSERT_TRUE(f.error.empty()) << f.error;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", f.port);
    client_->set_read_timeout(120, 0);
  }
  static void TearDownTestSuite() {}
  json get(const std::string& path, int expected_status = 200) {
    auto res = client_->Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, expected_status) << path << "\n" << res->body.substr(0, 500);
    return json::parse(res->body, nullptr, false);
  }
  std::unique_ptr<httplib::Client> client_;
};

/// True when `actual` has every key of `expected` with a compatible type (null matches any).
bool conforms(const json& expected, const json& actual, const std::string& where,
              std::string& why) {
  if (expected.is_null() || actual.is_null()) return true;
  if (expected.is_number() != actual.is_number() || expected.is_string() != actual.is_string() ||
      expected.is_boolean() != actual.is_boolean() || expected.is_array() != actual.is_array() ||
      expected.is_object() != actual.is_object()) {
    why = where + ": expected " + std::string(expected.type_name()) + ", got " + actual.type_name();
    return false;
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) return why = where + ": missing key " + key, false;
      if (!conforms(value, actual[key], where + "/" + key, why)) return false;
    }
  }
  if (expected.is_array() && !expected.empty() && !actual.empty())
    return conforms(expected[0], actual[0], where + "/0", why);
  return true;
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values)
    for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at))
      text.replace(at, key.size(), value);
  return text;
}

std::string encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
      out += static_cast<char>(c);
    else
      out += "%" + std::string(1, "0123456789ABCDEF"[c >> 4]) + "0123456789ABCDEF"[c & 15];
  }
  return out;
}

TEST_F(ServerTest, EveryDocumentedExampleAnswersAsDocumented) {
  std::ifstream in(fs::path(CAREFORCE_SOURCE_DIR) / "docs" / "api-examples.json");
  ASSERT_TRUE(in);
  const json doc = json::parse(in);
  // Placeholders from this server, as the contract's description says.
  const json catalog = get("/api/catalog");
  const std::string latest = catalog["latest_month"];
  const int y = std::stoi(latest.substr(0, 4)), m = std::stoi(latest.substr(5, 2));
  auto month_end = [](int year, int month) {
    return (Month::from_ym(year, 1) + (month - 1)).end().iso();
  };
  const json subs = get("/api/submissions?limit=1000");
  std::string with_findings, with_quarantine;
  for (const auto& s : subs["submissions"]) {
    if (with_findings.empty() && s["errors"].get<int>() + s["warnings"].get<int>() > 0)
      with_findings = std::to_string(s["id"].get<int>());
    if (with_quarantine.empty() && s["quarantined_rows"].get<int>() > 0)
      with_quarantine = std::to_string(s["id"].get<int>());
  }
  ASSERT_FALSE(with_findings.empty());
  ASSERT_FALSE(with_quarantine.empty());
  // The first projected year: the year after the projection's base year (t = 0).
  const std::string base_year = get("/api/projection/parameters")["base_year"];
  const std::string first_projected = FinancialYear{std::stoi(base_year.substr(0, 4)) + 1}.label();
  const auto& org = catalog["organisations"][0];
  const std::map<std::string, std::string> values = {
      {"{place}", encode(catalog["places"][0]["place"])},
      {"{org}", org["org_code"]},
      {"{sector}", org["sector"]},
      {"{latest_month}", latest},
      {"{month_minus_5}", month_end(y, m - 5)},
      {"{latest_period}", latest.substr(0, 7)},
      {"{period_minus_2}", month_end(y, m - 2).substr(0, 7)},
      {"{submission_id}", with_findings},
      {"{quarantined_submission_id}", with_quarantine},
      {"{first_projected_year}", first_projected}};
  ASSERT_GE(doc["examples"].size(), 15u);
  for (const auto& ex : doc["examples"]) {
    SCOPED_TRACE(ex["id"].get<std::string>());
    const std::string path = fill(ex["path"], values);
    const std::string method = ex["method"];
    auto send = [&]() {
      if (method == "GET") return client_->Get(path.c_str());
      if (method == "DELETE") return client_->Delete(path.c_str());
      const std::string body =
          ex["body"].is_string() ? ex["body"].get<std::string>() : fill(ex["body"].dump(), values);
      return client_->Post(path.c_str(), body, "application/json");
    };
    httplib::Result res = send();
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, ex["status"].get<int>()) << path << "\n" << res->body.substr(0, 400);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8");
    const json body = json::parse(res->body, nullptr, false);
    ASSERT_FALSE(body.is_discarded()) << res->body.substr(0, 200);
    const json& expected = ex["response"];
    if (res->status >= 400) {
      EXPECT_EQ(body["error"]["code"], expected["error"]["code"]);
      EXPECT_TRUE(body["error"]["message"].is_string());
      if (expected["error"]["details"].contains("parameter")) {
        EXPECT_EQ(body["error"]["details"]["parameter"], expected["error"]["details"]["parameter"]);
      }
    } else {
      std::string why;
      EXPECT_TRUE(conforms(expected, body, "", why)) << path << ": " << why;
    }
  }
}

TEST_F(ServerTest, ProjectionParametersAreListedOnceWithTheirCalibratedProvenance) {
  const json params = get("/api/projection/parameters")["parameters"];
  std::set<std::string> names;
  std::map<std::string, std::string> provenance;
  for (const auto& p : params) {
    EXPECT_TRUE(names.insert(p["name"].get<std::string>()).second) << p["name"];
    provenance[p["name"]] = p["provenance"];
  }
  // The demo has bank and agency shifts and pay: its premiums are observed, not defaults.
  EXPECT_EQ(provenance["bank_premium"], "observed");
  EXPECT_EQ(provenance["agency_premium"], "observed");
  EXPECT_EQ(provenance["bank_fill_share"], "observed");
}

TEST_F(ServerTest, HealthReportsTheStoreSchemaAndLastImport) {
  const json health = get("/api/health");
  EXPECT_EQ(health["status"], "ok");
  auto store = store::open_store((fixture().dir / "demo.db").string());
  ASSERT_TRUE(store);
  EXPECT_EQ(health["schema_version"], (*store)->schema_version());
  EXPECT_EQ(health["last_import"], *(*store)->last_import_time());
}

TEST_F(ServerTest, MetricValuesAreTheEngineValues) {
  auto store = store::open_store((fixture().dir / "demo.db").string());
  ASSERT_TRUE(store);
  auto model = (*store)->load_model();
  ASSERT_TRUE(model);
  metrics::Query q;
  q.at = model->latest_month();
  q.scope_types = {metrics::ScopeType::system};
  q.scopes = {"system"};
  q.by = metrics::Breakdown::none;
  q.metrics = {"sip_fte"};
  auto expected = metrics::compute(*model, q);
  ASSERT_TRUE(expected);
  metrics::apply_disclosure_control(*expected);
  ASSERT_EQ(expected->size(), 1u);
  const json got = get("/api/metrics?metric=sip_fte");
  ASSERT_EQ(got["results"].size(), 1u);
  EXPECT_DOUBLE_EQ(got["results"][0]["value"].get<double>(), (*expected)[0].value);
  EXPECT_EQ(got["at"], q.at.end().iso());
}

TEST_F(ServerTest, BadRequestsNameTheParameter) {
  json e = get("/api/metrics?at=2025-03-15", 400);
  EXPECT_EQ(e["error"]["code"], "bad_parameter");
  EXPECT_EQ(e["error"]["details"]["parameter"], "at");
  EXPECT_EQ(e["error"]["details"]["nearest"], "2025-03-31");
  e = get("/api/metrics?scope_type=region&scope=x", 400);
  EXPECT_EQ(e["error"]["message"],
            "scope_type must be one of system, place, sector, org; got 'region'");
  e = get("/api/metrics?metric=sip_fte&metric=sip_headcount", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "metric");
  e = get("/api/series?metric=turnover_rate&from=2020-01-31&to=2030-12-31", 400);
  EXPECT_EQ(e["error"]["details"]["parameter"], "from");
  e = get("/api/metrics?scope_type=org&scope=NOPE", 400);
  EXPECT_TRUE(e["error"]["details"]["allowed"].is_array());
  e = get("/api/nothing/here", 404);
  EXPECT_EQ(e["error"]["details"]["path"], "/api/nothing/here");
  auto res = client_->Put("/api/health", "{}", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
}

TEST_F(ServerTest, LargeBodiesAreRefused) {
  const std::string big(128 * 1024, 'x');
  auto res = client_->Post("/api/projection/run", big, "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
}

TEST_F(ServerTest, StaticFilesAndSpaFallback) {
  auto res = client_->Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_NE(res->body.find("<title>careforce</title>"), std::string::npos);
  res = client_->Get("/assets/app.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->body, "console.log(1);");
  EXPECT_EQ(res->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  res = client_->Get("/some/bookmark");
  ASSERT_TRUE(res);
  EXPECT_NE(res->body.find("<title>careforce</title>"), std::string::npos);
}

TEST_F(ServerTest, ConcurrentRequestsAllSucceedWithTheSameAnswers) {
  const int port = fixture().port;
  const std::vector<std::string> paths = {"/api/metrics?by=sector&metric=sip_fte,turnover_rate",
                                          "/api/series?metric=sip_headcount", "/api/catalog",
                                          "/api/projection?by=staff_group"};
  std::map<std::string, std::string> reference;
  for (const auto& p : paths) reference[p] = client_->Get(p.c_str())->body;
  std::atomic<int> ok{0}, same{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t)
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(120, 0);
      for (int i = 0; i < 20; ++i) {
        const auto& p = paths[(t + i) % paths.size()];
        auto res = c.Get(p.c_str());
        if (res && res->status == 200) {
          ++ok;
          json a = json::parse(res->body), b = json::parse(reference[p]);
          a.erase("elapsed_ms"), b.erase("elapsed_ms");
          same += a == b;
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 320);
  EXPECT_EQ(same.load(), 320);
}

TEST_F(ServerTest, ConcurrentRunsOfOneScenarioShareTheComputation) {
  // The dashboard posts a scenario's total and its breakdown at once: both wait for one run
  // and answer what each would alone (the cache then serves the same run).
  const int port = fixture().port;
  const std::string body =
      R"({"name": "unsaved", "runs": 30, "seed": 7, "interventions": [{"type": "international_recruitment", "size": 150}])";
  const std::vector<std::string> bodies = {body + "}", body + R"(, "by": "staff_group"})"};
  std::vector<std::string> answers(8);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < answers.size(); ++t)
    threads.emplace_back([&, t] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(120, 0);
      auto res = c.Post("/api/projection/run", bodies[t % 2], "application/json");
      if (res && res->status == 200) answers[t] = res->body;
    });
  for (auto& t : threads) t.join();
  for (size_t t = 0; t < answers.size(); ++t) {
    ASSERT_FALSE(answers[t].empty()) << t;
    auto alone = client_->Post("/api/projection/run", bodies[t % 2], "application/json");
    ASSERT_TRUE(alone);
    json a = json::parse(answers[t]), b = json::parse(alone->body);
    a.erase("elapsed_ms"), b.erase("elapsed_ms");
    EXPECT_EQ(a, b) << t;
  }
  EXPECT_FALSE(json::parse(answers[0])["attribution"].empty());
  EXPECT_TRUE(json::parse(answers[1])["attribution"].empty());
}

}  // namespace
