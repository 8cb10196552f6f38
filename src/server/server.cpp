#include "server/server.hpp"

#include <httplib.h>

#include <algorithm>
#include <bitset>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <ctime>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "metrics/disclosure.hpp"
#include "metrics/engine.hpp"
#include "metrics/outcomes.hpp"
#include "metrics/registry.hpp"
#include "projection/calibration.hpp"
#include "projection/engine.hpp"
#include "projection/runner.hpp"
#include "server/api_support.hpp"
#include "server/benchmark_api.hpp"
#include "store/store.hpp"

namespace careforce::server {
namespace {

constexpr const char* kSectorLabels[] = {
    "Acute trusts", "Community services", "Mental health",           "Ambulance",
    "Primary care", "Adult social care",  "Voluntary sector (VCSE)", "Other"};

Json num(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

Json string_list(const std::string& comma_separated) {
  Json out = Json::array();
  size_t start = 0;
  while (start < comma_separated.size()) {
    size_t end = comma_separated.find(',', start);
    if (end == std::string::npos) end = comma_separated.size();
    if (end > start) out.push_back(comma_separated.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string dash_to_empty(const std::string& s) {
  return s == "-" ? "" : s;
}

Json result_json(const metrics::MetricResult& r) {
  const bool suppressed = r.value_suppressed;
  return {
      {"metric", r.metric},
      {"period_end", r.period.end().iso()},
      {"scope_type", metrics::scope_type_name(r.scope_type)},
      {"scope", r.scope},
      {"staff_group", r.staff_group},
      {"role_code", r.role_code},
      {"category", r.category},
      {"value", suppressed || !r.available ? Json(nullptr) : num(r.value)},
      {"numerator", suppressed || r.numerator_suppressed ? Json(nullptr) : num(r.numerator)},
      {"denominator", suppressed || r.denominator_suppressed ? Json(nullptr) : num(r.denominator)},
      {"basis", r.basis},
      {"coverage_orgs", r.coverage_orgs},
      {"total_orgs", r.total_orgs},
      {"available", r.available},
      {"suppressed", suppressed},
      {"files", r.files},
      {"options", r.options}};
}

Json quantiles_json(const projection::Quantiles& q) {
  return {{"p10", q.p10}, {"p50", q.p50}, {"p90", q.p90}};
}

Json finding_json(const Finding& f) {
  return {{"severity", severity_name(f.severity)},
          {"kind", f.kind},
          {"file", f.file},
          {"line", f.line},
          {"column", f.column},
          {"column_name", f.column_name},
          {"value", f.value},
          {"message", f.message},
          {"expected", f.expected}};
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

/// The staff groups and roles with staff in post (record or aggregate), per organisation.
struct OrgContent {
  std::bitset<64> groups;
  std::bitset<256> roles;
};

/// Rows per (organisation, month) for the data-quality grid.
struct MonthCell {
  uint64_t sip_rows = 0;
  uint32_t files = 0;  ///< Bit per FileKind.
};

/// A resolved scope of a request.
struct Scope {
  metrics::ScopeType type = metrics::ScopeType::system;
  std::string name = "system";
  std::vector<uint16_t> orgs;  ///< Organisations inside it.
  std::string staff_group = "all";
  std::string role_code = "all";
};

/// One metrics engine per concurrent computation (engines are not thread-safe). At most
/// `slots` engines exist: a request that finds none free waits for one, so many open
/// connections cannot multiply the engines' memory or over-subscribe the cores.
class EnginePool {
 public:
  EnginePool(const model::WorkforceModel& model, size_t slots,
             std::shared_ptr<const metrics::ModelIndex> index)
      : model_(model), slots_(std::max<size_t>(1, slots)), index_(std::move(index)) {}
  struct Lease {
    EnginePool* pool;
    std::unique_ptr<metrics::MetricsEngine> engine;
    Lease(EnginePool* p, std::unique_ptr<metrics::MetricsEngine> e)
        : pool(p), engine(std::move(e)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      {
        std::lock_guard lock(pool->mutex_);
        pool->free_.push_back(std::move(engine));
      }
      pool->returned_.notify_one();
    }
  };
  Lease acquire() {
    std::unique_lock lock(mutex_);
    if (free_.empty() && created_ < slots_) {
      ++created_;
      return {this, std::make_unique<metrics::MetricsEngine>(
                        model_, metrics::EngineOptions{.index = index_})};
    }
    returned_.wait(lock, [this] { return !free_.empty(); });
    auto engine = std::move(free_.back());
    free_.pop_back();
    return {this, std::move(engine)};
  }

 private:
  const model::WorkforceModel& model_;
  const size_t slots_;
  /// The model's per-month indexes, shared by every engine.
  const std::shared_ptr<const metrics::ModelIndex> index_;
  size_t created_ = 0;
  std::mutex mutex_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<metrics::MetricsEngine>> free_;
};

}  // namespace

Status ServerOptions::validate() const {
  auto invalid = [](std::string m) { return Status(make_error(ErrorCode::invalid_argument, m)); };
  if (db.empty()) return invalid("--db is required");
  if (host.empty()) return invalid("--host must not be empty");
  if (port < 0 || port > 65535) return invalid("--port must be between 0 and 65535");
  if (max_body_bytes < 1024) return invalid("max body bytes must be at least 1024");
  if (threads < 1 || threads > 256) return invalid("--threads must be between 1 and 256");
  if (compute_slots < 1 || compute_slots > 64)
    return invalid("--compute-slots must be between 1 and 64");
  if (default_runs < 10 || default_runs > 10000)
    return invalid("default runs must be between 10 and 10000");
  if (projection_threads < 1 || projection_threads > 64)
    return invalid("projection threads must be between 1 and 64");
  return Status::ok();
}

struct Server::Impl {
  ServerOptions options;
  std::unique_ptr<store::Store> store;
  mutable std::mutex store_mutex;
  model::WorkforceModel model;
  /// Built once at start-up: a drill-down is fast from the first request.
  std::shared_ptr<const metrics::ModelIndex> metrics_index;
  std::unique_ptr<EnginePool> engines;
  std::vector<OrgContent> org_content;
  std::vector<std::string> places;     ///< Alphabetical, with at least one organisation.
  std::vector<uint16_t> catalog_orgs;  ///< Organisations in catalog order.
  std::map<std::pair<uint16_t, int32_t>, MonthCell> month_cells;
  Json outcomes_rows = Json::array();
  Json outcome_indicators = Json::array();
  projection::Calibration calibration;
  std::mutex projection_mutex;
  std::map<std::string, std::shared_ptr<const projection::ProjectionResult>> projection_cache;
  /// The latest baseline run's replicates (guarded by projection_mutex): scenario runs with the
  /// same seed copy from it the lines they leave alone, so a slider move re-simulates only what
  /// it changes.
  std::shared_ptr<const projection::BaselineRecord> baseline_record;
  /// Runs being computed, by cache key: a request for a run already under way waits for it
  /// instead of computing it again (the dashboard asks for a scenario's total and its
  /// breakdown at once).
  std::map<std::string,
           std::shared_future<Result<std::shared_ptr<const projection::ProjectionResult>>>>
      projection_running;
  std::mutex scenario_mutex;
  Json saved_scenarios = Json::array();
  std::filesystem::path scenario_file;
  httplib::Server http;
  BenchmarkApi benchmark_api;

  // ---- start-up -------------------------------------------------------------------
  Status load() {
    CF_ASSIGN_OR_RETURN(store, store::open_store(options.db));
    CF_ASSIGN_OR_RETURN(model, store->load_model());
    metrics_index = metrics::ModelIndex::build(model, 2);
    engines = std::make_unique<EnginePool>(model, static_cast<size_t>(options.compute_slots),
                                           metrics_index);
    index_model();
    CF_RETURN_IF_ERROR(index_outcomes());
    projection::CalibrationOptions cal;
    cal.by_place = true;
    if (!model.snapshot_months().empty()) calibration = projection::calibrate(model, cal);
    std::vector<std::string> partner_codes;
    for (uint16_t i : catalog_orgs) partner_codes.push_back(model.organisations[i].code);
    CF_RETURN_IF_ERROR(benchmark_api.load(*store, {options.benchmark_ics, options.benchmark_region},
                                          std::move(partner_codes)));
    scenario_file = options.db + ".scenarios.json";
    std::ifstream in(scenario_file);
    if (in) {
      auto parsed = Json::parse(in, nullptr, false);
      if (parsed.is_array()) saved_scenarios = parsed;
    }
    return Status::ok();
  }

  void index_model() {
    org_content.assign(model.organisations.size(), {});
    const auto& sip = model.staff_in_post;
    for (size_t i = 0; i < sip.size(); ++i) {
      auto& c = org_content[sip.org[i]];
      c.groups.set(sip.staff_group[i]);
      c.roles.set(sip.role[i]);
      auto& cell = month_cells[{sip.org[i], sip.month[i].index}];
      ++cell.sip_rows;
      cell.files |= 1u << static_cast<unsigned>(FileKind::staff_in_post);
    }
    for (const auto& a : model.aggregate_returns) {
      auto& c = org_content[a.org];
      c.groups.set(a.staff_group);
      c.roles.set(a.role);
      auto& cell = month_cells[{a.org, a.month.index}];
      ++cell.sip_rows;
      cell.files |= 1u << static_cast<unsigned>(FileKind::aggregate_returns);
    }
    auto mark = [&](uint16_t org, Month m, FileKind kind) {
      month_cells[{org, m.index}].files |= 1u << static_cast<unsigned>(kind);
    };
    for (size_t i = 0; i < model.leavers.size(); ++i)
      mark(model.leavers.org[i], Month::of(model.leavers.leave_date[i]), FileKind::leavers);
    for (size_t i = 0; i < model.absence.size(); ++i)
      mark(model.absence.org[i], Month::of(model.absence.start_date[i]), FileKind::absence);
    for (const auto& e : model.establishment) mark(e.org, e.period, FileKind::establishment);
    for (const auto& s : model.shifts)
      mark(s.org, Month::of(s.shift_date), FileKind::temporary_staffing);
    for (const auto& p : model.pay_costs) mark(p.org, p.period, FileKind::pay_costs);
    std::set<std::string> place_set;
    for (const auto& o : model.organisations) place_set.insert(model.places.value(o.place));
    places.assign(place_set.begin(), place_set.end());
    for (uint16_t i = 0; i < model.organisations.size(); ++i) catalog_orgs.push_back(i);
    std::stable_sort(catalog_orgs.begin(), catalog_orgs.end(), [&](uint16_t a, uint16_t b) {
      const auto& x = model.organisations[a];
      const auto& y = model.organisations[b];
      return std::tie(x.sector, x.code) < std::tie(y.sector, y.code);
    });
  }

  Status index_outcomes() {
    if (model.targets.empty()) return Status::ok();
    CF_ASSIGN_OR_RETURN(auto rows, metrics::compute_outcomes(model, {.index = metrics_index}));
    std::vector<std::string> order;
    for (const auto& t : model.targets)
      if (std::find(order.begin(), order.end(), t.indicator) == order.end())
        order.push_back(t.indicator);
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      auto ia = std::find(order.begin(), order.end(), a.indicator) - order.begin();
      auto ib = std::find(order.begin(), order.end(), b.indicator) - order.begin();
      return std::tie(ia, a.scope, a.year.start_year) < std::tie(ib, b.scope, b.year.start_year);
    });
    for (const auto& name : order) {
      const auto* decl = metrics::find_metric(name);
      Direction dir = Direction::lower_is_better;
      for (const auto& t : model.targets)
        if (t.indicator == name) dir = t.direction;
      outcome_indicators.push_back({{"indicator", name},
                                    {"label", decl ? decl->label : name},
                                    {"unit", decl ? decl->unit : ""},
                                    {"direction", directions().code(static_cast<uint8_t>(dir))}});
    }
    for (const auto& r : rows) {
      std::string rag = r.rag == "n/a" ? "none" : r.rag;
      std::string travel = r.travel == "n/a"         ? "none"
                           : r.travel == "no change" ? "stable"
                                                     : r.travel;
      if (!std::isfinite(r.actual) || !std::isfinite(r.target)) rag = "none";
      outcomes_rows.push_back({{"indicator", r.indicator},
                               {"scope", r.scope},
                               {"year", r.year.label()},
                               {"actual", num(r.actual)},
                               {"target", num(r.target)},
                               {"rag", rag},
                               {"direction", directions().code(static_cast<uint8_t>(r.direction))},
                               {"travel", travel}});
    }
    return Status::ok();
  }

  // ---- scopes ---------------------------------------------------------------------
  std::vector<std::string> sector_codes_with_orgs() const {
    std::vector<std::string> out;
    for (uint8_t s = 0; s < sectors().size(); ++s)
      for (const auto& o : model.organisations)
        if (static_cast<uint8_t>(o.sector) == s) {
          out.push_back(sectors().code(s));
          break;
        }
    return out;
  }

  /// Read scope_type, scope, staff_group, role_code; `org_allowed` false for projections.
  std::optional<Scope> read_scope(Query& q, bool org_allowed = true) const {
    std::vector<std::string> types = {"system", "place", "sector"};
    if (org_allowed) types.push_back("org");
    Scope s;
    auto type = q.choice("scope_type", types).value_or("system");
    if (!q.ok()) return std::nullopt;
    auto name = q.text("scope");
    if (type == "system") {
      if (name && *name != "system") {
        q.fail(bad_parameter("scope", *name, "scope must be 'system' when scope_type is system",
                             Json::array({"system"})));
        return std::nullopt;
      }
      for (uint16_t i : catalog_orgs) s.orgs.push_back(i);
    } else {
      if (!name) {
        q.fail(missing_parameter("scope"));
        q.error->message = "scope is required when scope_type is " + type;
        return std::nullopt;
      }
      s.name = *name;
      std::vector<std::string> allowed;
      if (type == "place") {
        s.type = metrics::ScopeType::place;
        allowed = places;
        for (uint16_t i : catalog_orgs)
          if (model.places.value(model.organisations[i].place) == *name) s.orgs.push_back(i);
      } else if (type == "sector") {
        s.type = metrics::ScopeType::sector;
        for (uint8_t i = 0; i < sectors().size(); ++i) allowed.push_back(sectors().code(i));
        auto sec = sectors().find(*name);
        if (sec)
          for (uint16_t i : catalog_orgs)
            if (static_cast<uint8_t>(model.organisations[i].sector) == *sec) s.orgs.push_back(i);
        if (!sec) s.orgs.clear();
        if (sec && s.orgs.empty()) s.orgs.clear();
        if (sec) allowed.clear();
      } else {
        s.type = metrics::ScopeType::org;
        for (uint16_t i : catalog_orgs) allowed.push_back(model.organisations[i].code);
        int i = model.find_organisation(*name);
        if (i >= 0) s.orgs.push_back(static_cast<uint16_t>(i));
      }
      const bool known = type == "sector" ? allowed.empty() : !s.orgs.empty();
      if (!known) {
        q.fail(bad_parameter("scope", *name,
                             "unknown " + type + " '" + *name + "'; allowed: " + join(allowed),
                             allowed));
        return std::nullopt;
      }
    }
    std::vector<std::string> groups = {"all"}, role_list = {"all"};
    for (uint8_t i = 0; i < staff_groups().size(); ++i) groups.push_back(staff_groups().code(i));
    for (uint8_t i = 0; i < roles().size(); ++i) role_list.push_back(roles().code(i));
    s.staff_group = q.choice("staff_group", groups).value_or("all");
    s.role_code = q.choice("role_code", role_list).value_or("all");
    if (!q.ok()) return std::nullopt;
    if (s.role_code != "all") {
      const auto group = staff_groups().code(role_info(*roles().find(s.role_code)).staff_group);
      if (s.staff_group != "all" && s.staff_group != group) {
        std::vector<std::string> in_group;
        for (uint8_t r = 0; r < roles().size(); ++r)
          if (staff_groups().code(role_info(r).staff_group) == s.staff_group)
            in_group.push_back(roles().code(r));
        q.fail(bad_parameter("role_code", s.role_code,
                             "role_code '" + s.role_code + "' belongs to staff group '" + group +
                                 "', not '" + s.staff_group + "'",
                             in_group));
        return std::nullopt;
      }
      s.staff_group = group;
    }
    return s;
  }

  // ---- metrics --------------------------------------------------------------------
  Month latest() const { return model.latest_month(); }

  std::optional<std::vector<std::string>> read_metrics(Query& q, bool required) const {
    std::vector<std::string> names;
    for (const auto& d : metrics::metric_registry()) names.push_back(d.name);
    auto text = q.text("metric");
    if (!text) {
      if (required) q.fail(missing_parameter("metric"));
      return required ? std::nullopt : std::optional(std::vector<std::string>{});
    }
    std::vector<std::string> out;
    for (const auto& n : string_list(*text)) {
      const std::string name = n.get<std::string>();
      if (!metrics::find_metric(name)) {
        q.fail(bad_parameter("metric", name, "unknown metric '" + name + "'", names));
        return std::nullopt;
      }
      out.push_back(name);
    }
    if (required && out.size() != 1) {
      q.fail(bad_parameter("metric", *text, "metric must be one metric name"));
      return std::nullopt;
    }
    return out;
  }

  /// Keep each metric's bases per docs/api.md; `basis` given filters to it.
  static std::string cell_key(const metrics::MetricResult& r) {
    return std::string(r.metric) + "|" + metrics::scope_type_name(r.scope_type) + "|" + r.scope +
           "|" + std::string(r.staff_group) + "|" + std::string(r.role_code) + "|" +
           std::to_string(r.period.index);
  }
  /// Cells of vacancy_rate with at least one organisation on some basis.
  static std::set<std::string> covered_cells(const std::vector<metrics::MetricResult>& results) {
    std::set<std::string> out;
    for (const auto& r : results)
      if (r.metric == "vacancy_rate" && r.coverage_orgs > 0) out.insert(cell_key(r));
    return out;
  }
  static bool keep_basis(const metrics::MetricResult& r, const std::optional<std::string>& basis,
                         const std::set<std::string>& covered) {
    if (basis) return r.basis == *basis;
    if (r.metric == "vacancy_rate")
      return r.coverage_orgs > 0 || (r.basis == "fte" && !covered.count(cell_key(r)));
    return true;
  }

  bool check_basis(Query& q, const std::vector<metrics::MetricResult>& results,
                   const std::optional<std::string>& basis) const {
    if (!basis) return true;
    std::set<std::string> metric_names, with_basis, all_bases;
    for (const auto& r : results) {
      metric_names.emplace(r.metric);
      all_bases.emplace(r.basis);
      if (r.basis == *basis) with_basis.emplace(r.metric);
    }
    for (const auto& m : metric_names)
      if (!with_basis.count(m))
        return q.fail(bad_parameter(
            "basis", *basis, "metric " + m + " is not reported on basis '" + *basis + "'",
            Json(std::vector<std::string>(all_bases.begin(), all_bases.end()))));
    return true;
  }

  Json handle_metrics(Query& q) {
    auto names = read_metrics(q, false);
    auto at = q.month_end("at");
    auto scope = read_scope(q);
    auto by = q.choice("by", {"place", "sector", "org", "staff_group", "role"});
    auto basis = q.text("basis");
    if (!q.ok() || !scope) return nullptr;
    if (by == "role" && scope->role_code != "all")
      return q.fail(bad_parameter("by", *by, "by=role needs role_code=all")), nullptr;
    if (by == "staff_group" && scope->staff_group != "all")
      return q.fail(bad_parameter("by", *by, "by=staff_group needs staff_group=all")), nullptr;
    const Month month = at.value_or(latest());

    metrics::Query mq;
    mq.at = month;
    mq.metrics = *names;
    std::vector<std::string> members;  // scope names in catalog order
    metrics::ScopeType member_type = scope->type;
    if (by == "place" || by == "sector" || by == "org") {
      member_type = by == "place"    ? metrics::ScopeType::place
                    : by == "sector" ? metrics::ScopeType::sector
                                     : metrics::ScopeType::org;
      std::set<std::string> seen;
      for (uint16_t i : scope->orgs) {
        const auto& o = model.organisations[i];
        std::string name = by == "place"    ? model.places.value(o.place)
                           : by == "sector" ? sectors().code(static_cast<uint8_t>(o.sector))
                                            : o.code;
        if (seen.insert(name).second) members.push_back(name);
      }
      if (by == "place") std::sort(members.begin(), members.end());
      if (by == "sector") {
        std::vector<std::string> ordered;
        for (uint8_t s = 0; s < sectors().size(); ++s)
          if (seen.count(sectors().code(s))) ordered.push_back(sectors().code(s));
        members = ordered;
      }
    } else {
      members.push_back(scope->name);
    }
    mq.scope_types = {member_type};
    mq.scopes = members;
    const bool role_cells = by == "role" || scope->role_code != "all";
    const bool group_cells = by == "staff_group" || scope->staff_group != "all";
    mq.by = role_cells    ? metrics::Breakdown::role
            : group_cells ? metrics::Breakdown::staff_group
                          : metrics::Breakdown::none;
    if (auto s = mq.validate(); !s) return q.fail(from_error(s.error())), nullptr;
    std::vector<metrics::MetricResult> results;
    {
      auto lease = engines->acquire();
      auto computed = lease.engine->compute(mq);
      if (!computed) return q.fail(from_error(computed.error())), nullptr;
      results = std::move(*computed);
    }
    if (!check_basis(q, results, basis)) return nullptr;
    // Members of staff group / role breakdowns: present in the scope in any month.
    std::bitset<64> groups;
    std::bitset<256> role_bits;
    for (uint16_t i : scope->orgs)
      groups |= org_content[i].groups, role_bits |= org_content[i].roles;
    const auto covered = covered_cells(results);
    std::vector<metrics::MetricResult> kept;
    for (auto& r : results) {
      if (!keep_basis(r, basis, covered)) continue;
      if (by == "staff_group") {
        if (r.staff_group == "all" || r.role_code != "all") continue;
        if (!groups.test(*staff_groups().find(r.staff_group))) continue;
      } else if (by == "role") {
        if (r.role_code == "all") continue;
        if (scope->staff_group != "all" && r.staff_group != scope->staff_group) continue;
        if (!role_bits.test(*roles().find(r.role_code))) continue;
      } else {
        if (r.staff_group != scope->staff_group || r.role_code != scope->role_code) continue;
      }
      kept.push_back(std::move(r));
    }
    auto member_index = [&](const metrics::MetricResult& r) {
      return std::find(members.begin(), members.end(), r.scope) - members.begin();
    };
    std::stable_sort(kept.begin(), kept.end(), [&](const auto& a, const auto& b) {
      return member_index(a) < member_index(b);
    });
    if (options.disclosure_control) metrics::apply_disclosure_control(kept);
    Json out = {
        {"at", month.end().iso()},       {"scope_type", metrics::scope_type_name(scope->type)},
        {"scope", scope->name},          {"staff_group", scope->staff_group},
        {"role_code", scope->role_code}, {"by", by ? Json(*by) : Json(nullptr)},
        {"results", Json::array()}};
    for (const auto& r : kept) out["results"].push_back(result_json(r));
    return out;
  }

  Json handle_series(Query& q) {
    auto names = read_metrics(q, true);
    auto scope = read_scope(q);
    auto to = q.month_end("to");
    auto from = q.month_end("from");
    auto basis = q.text("basis");
    if (!q.ok() || !scope || !names) return nullptr;
    const Month end = to.value_or(latest());
    const Month start = from.value_or(end - 23);
    if (start.index > end.index)
      return q.fail(bad_parameter("from", start.end().iso(), "from must not be after to")), nullptr;
    if (end - start > 119)
      return q.fail(bad_parameter("from", start.end().iso(),
                                  "from must be at most 119 months before to (120 points)")),
             nullptr;
    metrics::Query mq;
    mq.at = end;
    mq.metrics = *names;
    mq.scope_types = {scope->type};
    mq.scopes = {scope->name};
    mq.by = scope->role_code != "all"     ? metrics::Breakdown::role
            : scope->staff_group != "all" ? metrics::Breakdown::staff_group
                                          : metrics::Breakdown::none;
    std::vector<metrics::MetricResult> results;
    {
      auto lease = engines->acquire();
      auto computed = lease.engine->series(mq, start, end);
      if (!computed) return q.fail(from_error(computed.error())), nullptr;
      results = std::move(*computed);
    }
    if (!check_basis(q, results, basis)) return nullptr;
    const auto covered = covered_cells(results);
    std::vector<metrics::MetricResult> kept;
    for (auto& r : results)
      if (keep_basis(r, basis, covered) && r.staff_group == scope->staff_group &&
          r.role_code == scope->role_code)
        kept.push_back(std::move(r));
    if (options.disclosure_control) metrics::apply_disclosure_control(kept);
    Json out = {
        {"metric", names->front()},      {"scope_type", metrics::scope_type_name(scope->type)},
        {"scope", scope->name},          {"staff_group", scope->staff_group},
        {"role_code", scope->role_code}, {"from", start.end().iso()},
        {"to", end.end().iso()},         {"points", Json::array()}};
    for (const auto& r : kept) out["points"].push_back(result_json(r));
    return out;
  }

  /// Own figures of one scope for the benchmark endpoints (disclosure control applied).
  OwnSeriesFn own_series() {
    return [this](const std::string& metric, metrics::ScopeType type, const std::string& scope,
                  Month from, Month to) -> Result<std::vector<metrics::MetricResult>> {
      const auto& months = model.snapshot_months();
      if (months.empty()) return std::vector<metrics::MetricResult>{};
      from = std::max(from, months.front());
      to = std::min(to, months.back());
      if (from > to) return std::vector<metrics::MetricResult>{};
      metrics::Query mq;
      mq.at = to;
      mq.metrics = {metric};
      mq.scope_types = {type};
      mq.scopes = {scope};
      mq.by = metrics::Breakdown::none;
      std::vector<metrics::MetricResult> results;
      {
        auto lease = engines->acquire();
        CF_ASSIGN_OR_RETURN(results, lease.engine->series(mq, from, to));
      }
      std::erase_if(results,
                    [](const auto& r) { return r.staff_group != "all" || r.role_code != "all"; });
      if (options.disclosure_control) metrics::apply_disclosure_control(results);
      return results;
    };
  }

  // ---- catalog, definitions, outcomes ---------------------------------------------
  Json handle_catalog() const {
    Json months = Json::array();
    for (Month m : model.snapshot_months()) months.push_back(m.end().iso());
    Json out = {{"ics_name", options.ics_name},
                {"latest_month",
                 model.snapshot_months().empty() ? Json(nullptr) : Json(latest().end().iso())},
                {"months", months}};
    Json place_list = Json::array();
    for (const auto& p : places) {
      int count = 0;
      for (const auto& o : model.organisations) count += model.places.value(o.place) == p;
      place_list.push_back({{"place", p}, {"org_count", count}});
    }
    out["places"] = place_list;
    Json sector_list = Json::array();
    for (uint8_t s = 0; s < sectors().size(); ++s) {
      int count = 0;
      for (const auto& o : model.organisations) count += static_cast<uint8_t>(o.sector) == s;
      sector_list.push_back({{"sector", sectors().code(s)},
                             {"label", s < 8 ? kSectorLabels[s] : sectors().label(s)},
                             {"org_count", count}});
    }
    out["sectors"] = sector_list;
    Json orgs = Json::array();
    for (uint16_t i : catalog_orgs) {
      const auto& o = model.organisations[i];
      orgs.push_back({{"org_code", o.code},
                      {"org_name", o.name},
                      {"sector", sectors().code(static_cast<uint8_t>(o.sector))},
                      {"place", model.places.value(o.place)},
                      {"data_level", data_levels().code(static_cast<uint8_t>(o.level))}});
    }
    out["organisations"] = orgs;
    Json groups = Json::array();
    for (uint8_t g = 0; g < staff_groups().size(); ++g)
      groups.push_back({{"staff_group", staff_groups().code(g)},
                        {"label", staff_groups().label(g)},
                        {"sector_family", staff_group_family(g)}});
    out["staff_groups"] = groups;
    Json role_list = Json::array();
    for (uint8_t r = 0; r < roles().size(); ++r) {
      const auto& info = role_info(r);
      role_list.push_back({{"role_code", roles().code(r)},
                           {"staff_group", staff_groups().code(info.staff_group)},
                           {"label", roles().label(r)},
                           {"registered", info.registered},
                           {"new_role", info.new_role}});
    }
    out["roles"] = role_list;
    return out;
  }

  static Json handle_definitions() {
    Json list = Json::array();
    for (const auto& d : metrics::metric_registry()) {
      Json needs = Json::array();
      for (FileKind f : d.record_files) needs.push_back(metrics::file_name(f));
      list.push_back({{"name", d.name},
                      {"label", d.label},
                      {"unit", d.unit},
                      {"family", d.family},
                      {"description", dash_to_empty(d.description)},
                      {"numerator", dash_to_empty(d.numerator)},
                      {"denominator", dash_to_empty(d.denominator)},
                      {"needs", needs},
                      {"aggregate", d.aggregate},
                      {"category", d.category},
                      {"scopes", string_list(d.scopes)},
                      {"breakdowns", string_list(d.breakdowns)},
                      {"example", dash_to_empty(d.example)}});
    }
    return {{"metrics", list}};
  }

  Json handle_outcomes(Query& q) const {
    auto scope = q.text("scope");
    auto indicator = q.text("indicator");
    if (indicator && !metrics::find_metric(*indicator)) {
      std::vector<std::string> names;
      for (const auto& d : metrics::metric_registry()) names.push_back(d.name);
      q.fail(
          bad_parameter("indicator", *indicator, "unknown indicator '" + *indicator + "'", names));
    }
    if (scope && *scope != "system" && scope->rfind("sector:", 0) != 0 &&
        scope->rfind("place:", 0) != 0 && scope->rfind("org:", 0) != 0)
      q.fail(bad_parameter(
          "scope", *scope,
          "scope must be system, sector:<sector>, place:<place> or org:<org_code>; got '" + *scope +
              "'"));
    if (!q.ok()) return nullptr;
    Json rows = Json::array();
    std::set<std::string> years;
    std::set<std::string> used;
    for (const auto& r : outcomes_rows) {
      if (scope && r["scope"] != *scope) continue;
      if (indicator && r["indicator"] != *indicator) continue;
      years.insert(r["year"].get<std::string>());
      used.insert(r["indicator"].get<std::string>());
      rows.push_back(r);
    }
    Json indicators = Json::array();
    for (const auto& i : outcome_indicators)
      if (used.count(i["indicator"].get<std::string>())) indicators.push_back(i);
    return {{"years", std::vector<std::string>(years.begin(), years.end())},
            {"indicators", indicators},
            {"rows", rows}};
  }

  // ---- store-backed endpoints -----------------------------------------------------
  Result<std::vector<store::SubmissionRecord>> submissions() const {
    std::lock_guard lock(store_mutex);
    auto list = store->submissions();
    if (list)
      std::sort(list->begin(), list->end(),
                [](const auto& a, const auto& b) { return a.id > b.id; });
    return list;
  }

  static uint64_t quarantined_rows(const store::SubmissionRecord& s) {
    if (s.outcome != store::SubmissionOutcome::accepted_with_quarantine) return 0;
    uint64_t n = 0;
    for (const auto& f : s.files) n += f.rows_rejected;
    return n;
  }

  static Json submission_json(const store::SubmissionRecord& s) {
    Json files = Json::array();
    for (const auto& f : s.files)
      files.push_back({{"file_name", f.file_name},
                       {"sha256", f.sha256},
                       {"rows_read", f.rows_read},
                       {"rows_accepted", f.rows_accepted},
                       {"rows_rejected", f.rows_rejected}});
    return {{"id", s.id},
            {"received_at", s.received_at},
            {"source", s.source},
            {"sha256", s.sha256},
            {"outcome", store::outcome_name(s.outcome)},
            {"errors", s.errors},
            {"warnings", s.warnings},
            {"quarantined_rows", quarantined_rows(s)},
            {"organisations", s.organisations},
            {"files", files}};
  }

  Json handle_health(Query&) const {
    std::lock_guard lock(store_mutex);
    auto last = store->last_import_time();
    return {{"status", "ok"},
            {"schema_version", store->schema_version()},
            {"last_import", last && !last->empty() ? Json(*last) : Json(nullptr)}};
  }

  Json handle_submissions(Query& q) const {
    auto org = q.text("org");
    auto outcome = q.choice("outcome", {"accepted", "accepted_with_quarantine", "rejected"});
    auto limit = q.integer("limit", 1, 1000).value_or(100);
    auto offset = q.integer("offset", 0, std::numeric_limits<long long>::max()).value_or(0);
    if (!q.ok()) return nullptr;
    auto list = submissions();
    if (!list) return q.fail(from_error(list.error())), nullptr;
    std::vector<const store::SubmissionRecord*> matched;
    for (const auto& s : *list) {
      if (outcome && store::outcome_name(s.outcome) != *outcome) continue;
      if (org &&
          std::find(s.organisations.begin(), s.organisations.end(), *org) == s.organisations.end())
        continue;
      matched.push_back(&s);
    }
    Json rows = Json::array();
    for (size_t i = static_cast<size_t>(offset);
         i < matched.size() && rows.size() < static_cast<size_t>(limit); ++i)
      rows.push_back(submission_json(*matched[i]));
    return {{"total", matched.size()}, {"limit", limit}, {"offset", offset}, {"submissions", rows}};
  }

  Json handle_findings(Query& q) const {
    auto id = q.integer("submission_id", 1, std::numeric_limits<long long>::max());
    auto severity = q.choice("severity", {"error", "warning"});
    auto limit = q.integer("limit", 1, 5000).value_or(200);
    if (q.ok() && !id && !q.text("submission_id")) q.fail(missing_parameter("submission_id"));
    if (!q.ok()) return nullptr;
    auto list = submissions();
    if (!list) return q.fail(from_error(list.error())), nullptr;
    bool known = false;
    for (const auto& s : *list) known |= s.id == *id;
    if (!known)
      return q.fail({404,
                     "not_found",
                     "no submission with id " + std::to_string(*id),
                     {{"parameter", "submission_id"}, {"value", *id}}}),
             nullptr;
    Result<std::vector<Finding>> found = std::vector<Finding>{};
    {
      std::lock_guard lock(store_mutex);
      found = store->findings(*id, 1000000);
    }
    if (!found) return q.fail(from_error(found.error())), nullptr;
    Json rows = Json::array();
    size_t total = 0;
    for (const auto& f : *found) {
      if (severity && severity_name(f.severity) != *severity) continue;
      if (total++ < static_cast<size_t>(limit)) rows.push_back(finding_json(f));
    }
    return {{"submission_id", *id}, {"total", total}, {"findings", rows}};
  }

  Json handle_quarantine(Query& q) const {
    auto id = q.integer("submission_id", 1, std::numeric_limits<long long>::max());
    auto limit = q.integer("limit", 1, 5000).value_or(200);
    auto offset = q.integer("offset", 0, std::numeric_limits<long long>::max()).value_or(0);
    if (!q.ok()) return nullptr;
    Result<std::vector<store::QuarantinedRow>> rows = std::vector<store::QuarantinedRow>{};
    {
      std::lock_guard lock(store_mutex);
      rows = store->quarantine(id ? std::optional<int64_t>(*id) : std::nullopt, 10000000);
    }
    if (!rows) return q.fail(from_error(rows.error())), nullptr;
    std::stable_sort(rows->begin(), rows->end(), [](const auto& a, const auto& b) {
      return std::tie(b.submission_id, a.file_name, a.line) <
             std::tie(a.submission_id, b.file_name, b.line);
    });
    Json out = Json::array();
    for (size_t i = static_cast<size_t>(offset);
         i < rows->size() && out.size() < static_cast<size_t>(limit); ++i) {
      const auto& r = (*rows)[i];
      Json findings = Json::array();
      for (const auto& f : r.findings) findings.push_back(finding_json(f));
      out.push_back({{"submission_id", r.submission_id},
                     {"file_name", r.file_name},
                     {"line", r.line},
                     {"raw_row", r.raw_row},
                     {"findings", findings}});
    }
    return {{"total", rows->size()}, {"limit", limit}, {"offset", offset}, {"rows", out}};
  }

  Json handle_data_quality(Query& q) const {
    auto to_param = q.period("to");
    auto from_param = q.period("from");
    if (!q.ok()) return nullptr;
    const Month to = to_param.value_or(latest());
    const Month from = from_param.value_or(to - 11);
    if (from.index > to.index)
      return q.fail(bad_parameter("from", *q.text("from"), "from must not be after to")), nullptr;
    if (to - from > 35)
      return q.fail(bad_parameter("from", q.text_or("from", ""), "at most 36 periods")), nullptr;
    Json periods = Json::array();
    for (Month m = from; m.index <= to.index; m = m + 1) periods.push_back(m.iso().substr(0, 7));
    auto files_of = [](uint32_t bits) {
      Json list = Json::array();
      for (size_t k = 0; k < kFileKindCount; ++k)
        if (bits & (1u << k)) list.push_back(metrics::file_name(static_cast<FileKind>(k)));
      return list;
    };
    Json orgs = Json::array();
    for (uint16_t i : catalog_orgs) {
      const auto& o = model.organisations[i];
      Json cells = Json::array();
      for (Month m = from; m.index <= to.index; m = m + 1) {
        auto it = month_cells.find({i, m.index});
        const uint64_t rows = it == month_cells.end() ? 0 : it->second.sip_rows;
        cells.push_back({{"period", m.iso().substr(0, 7)},
                         {"status", rows > 0 ? "submitted" : "missing"},
                         {"rows", rows},
                         {"files", files_of(it == month_cells.end() ? 0 : it->second.files)}});
      }
      orgs.push_back({{"org_code", o.code},
                      {"org_name", o.name},
                      {"sector", sectors().code(static_cast<uint8_t>(o.sector))},
                      {"place", model.places.value(o.place)},
                      {"data_level", data_levels().code(static_cast<uint8_t>(o.level))},
                      {"cells", cells}});
    }
    Json coverage = Json::array();
    for (const auto& sector : sector_codes_with_orgs()) {
      int total = 0, submitted = 0;
      std::array<int, kFileKindCount> file_orgs{};
      for (uint16_t i : catalog_orgs) {
        const auto& o = model.organisations[i];
        if (sectors().code(static_cast<uint8_t>(o.sector)) != sector) continue;
        ++total;
        auto it = month_cells.find({i, to.index});
        if (it == month_cells.end()) continue;
        submitted += it->second.sip_rows > 0;
        for (size_t k = 0; k < kFileKindCount; ++k) file_orgs[k] += (it->second.files >> k) & 1u;
      }
      Json files = Json::array();
      for (size_t k = 0; k < kFileKindCount; ++k)
        if (file_orgs[k] > 0)
          files.push_back({{"file_name", metrics::file_name(static_cast<FileKind>(k))},
                           {"orgs", file_orgs[k]}});
      coverage.push_back({{"sector", sector},
                          {"total_orgs", total},
                          {"submitted_orgs", submitted},
                          {"coverage_pct", total ? 100.0 * submitted / total : 0.0},
                          {"files", files}});
    }
    auto list = submissions();
    if (!list) return q.fail(from_error(list.error())), nullptr;
    uint64_t accepted = 0, quarantine = 0, rejected = 0, qrows = 0, errors = 0, warnings = 0;
    for (const auto& s : *list) {
      accepted += s.outcome == store::SubmissionOutcome::accepted;
      quarantine += s.outcome == store::SubmissionOutcome::accepted_with_quarantine;
      rejected += s.outcome == store::SubmissionOutcome::rejected;
      qrows += quarantined_rows(s);
      errors += s.errors;
      warnings += s.warnings;
    }
    return {{"periods", periods},
            {"organisations", orgs},
            {"coverage", coverage},
            {"totals",
             {{"submissions", list->size()},
              {"accepted", accepted},
              {"accepted_with_quarantine", quarantine},
              {"rejected", rejected},
              {"quarantined_rows", qrows},
              {"errors", errors},
              {"warnings", warnings}}}};
  }

  // ---- projection -----------------------------------------------------------------
  Json parameters_json(const std::map<std::string, double>& overrides) const {
    Json list = Json::array();
    auto add = [&](const std::string& name, const std::string& label, const std::string& unit,
                   double value, double spread, const std::string& provenance,
                   int64_t sample_size) {
      auto it = overrides.find(name);
      list.push_back(
          {{"name", name},
           {"label", label.empty() ? name : label},
           {"unit", unit},
           {"value", it != overrides.end() ? it->second : value},
           {"spread", spread},
           {"provenance", it != overrides.end() ? "user" : provenance},
           {"sample_size", provenance == "observed" ? Json(sample_size) : Json(nullptr)}});
    };
    // The global parameters first, with their calibration's provenance where it has them
    // (the premiums and the bank fill share are observed from shifts and pay).
    std::map<std::string, const projection::Parameter*> calibrated;
    for (const auto& p : calibration.parameters) calibrated[p.name] = &p;
    for (const auto& [name, unit, value, spread] : global_parameters()) {
      auto it = calibrated.find(name);
      if (it == calibrated.end()) {
        add(name, global_label(name), unit, value, spread, "default", 0);
        continue;
      }
      add(name, global_label(name), unit, value, spread,
          projection::provenance_name(it->second->provenance), it->second->sample_size);
      calibrated.erase(it);
    }
    for (const auto& p : calibration.parameters)
      if (calibrated.count(p.name))
        add(p.name, p.note, "", p.value, p.spread, projection::provenance_name(p.provenance),
            p.sample_size);
    return list;
  }

  struct Global {
    std::string name, unit;
    double value, spread;
  };
  std::vector<Global> global_parameters() const {
    return {{"productivity_gain", "percent", calibration.productivity_gain * 100,
             calibration.productivity_spread * 100},
            {"bank_fill_share", "percent", calibration.bank_fill_share * 100, 0},
            {"bank_premium", "ratio", calibration.bank_premium, 0},
            {"agency_premium", "ratio", calibration.agency_premium, 0}};
  }
  static std::string global_label(const std::string& name) {
    if (name == "productivity_gain") return "Productivity gain per year";
    if (name == "bank_fill_share") return "Share of a shortfall covered by bank staff";
    if (name == "bank_premium") return "Bank cost per hour over substantive";
    return "Agency cost per hour over substantive";
  }

  static Json intervention_types() {
    struct T {
      const char *type, *label, *unit;
      double min, max, step, def;
    };
    static const T types[] = {
        {"turnover_change", "Change leaver rate", "percentage_points", -10, 10, 0.5, -2},
        {"retirement_deferral", "Defer retirements", "percent", 0, 100, 5, 20},
        {"training_places", "Extra training places", "per_year", 0, 2000, 10, 50},
        {"international_recruitment", "International recruitment", "per_year", -1000, 2000, 10, 50},
        {"apprenticeships", "Apprenticeships", "per_year", 0, 1000, 5, 20},
        {"return_to_practice", "Return to practice", "per_year", 0, 500, 5, 10},
        {"bank_to_substantive", "Bank to substantive", "per_year", 0, 500, 5, 20},
        {"new_role", "Fund a new role", "fte", 0, 2000, 5, 20},
        {"demand_growth", "Extra demand growth", "percent_per_year", -5, 5, 0.1, 1},
        {"productivity", "Productivity gain", "percent_per_year", 0, 5, 0.1, 0.5},
    };
    Json out = Json::array();
    for (const auto& t : types) {
      std::string description;
      for (const auto& spec : projection::intervention_specs())
        if (std::string(spec.name) == t.type) description = spec.description;
      out.push_back({{"type", t.type},
                     {"label", t.label},
                     {"description", description},
                     {"unit", t.unit},
                     {"min", t.min},
                     {"max", t.max},
                     {"step", t.step},
                     {"default", t.def}});
    }
    return out;
  }

  Json handle_projection_parameters() const {
    return {
        {"base_year", calibration.base_year.label()}, {"horizon_years", 15},
        {"default_runs", options.default_runs},       {"default_seed", options.default_seed},
        {"parameters", parameters_json({})},          {"intervention_types", intervention_types()}};
  }

  /// A scenario request after validation (the body of POST or a saved scenario).
  struct RunRequest {
    std::string name = "unsaved", description;
    int runs = 1000;
    uint64_t seed = 0;
    Json interventions = Json::array();
    std::map<std::string, double> parameters;
    projection::Scenario scenario;
  };

  /// Validate a scenario body; failures are 422 with a JSON pointer (or 409).
  std::optional<RunRequest> read_scenario(const Json& body, ApiError& error) const {
    auto invalid = [&](const std::string& pointer, Json value, const std::string& message,
                       Json range = nullptr) {
      error = {422, "invalid_scenario", message, {{"parameter", pointer}, {"value", value}}};
      if (!range.is_null()) error.details["range"] = range;
      return std::nullopt;
    };
    RunRequest r;
    r.runs = options.default_runs;
    r.seed = options.default_seed;
    if (!body.is_object()) return invalid("", body, "the body must be a JSON object");
    if (body.contains("name")) {
      if (!body["name"].is_string() || body["name"].get<std::string>().empty() ||
          body["name"].get<std::string>().size() > 80)
        return invalid("/name", body["name"], "name must be a string of 1 to 80 characters");
      r.name = body["name"].get<std::string>();
    }
    if (body.contains("description")) {
      if (!body["description"].is_string() || body["description"].get<std::string>().size() > 500)
        return invalid("/description", body["description"],
                       "description must be a string of at most 500 characters");
      r.description = body["description"].get<std::string>();
    }
    if (body.contains("runs")) {
      if (!body["runs"].is_number_integer() || body["runs"] < 10 || body["runs"] > 10000)
        return invalid("/runs", body["runs"], "runs must be an integer from 10 to 10000",
                       Json::array({10, 10000}));
      r.runs = body["runs"];
    }
    if (body.contains("seed")) {
      if (!body["seed"].is_number_integer() || body["seed"] < 0)
        return invalid("/seed", body["seed"], "seed must be an integer of at least 0");
      r.seed = body["seed"];
    }
    if (body.contains("parameters")) {
      if (!body["parameters"].is_object())
        return invalid("/parameters", body["parameters"], "parameters must be an object");
      std::vector<std::string> names;
      for (const auto& g : global_parameters()) names.push_back(g.name);
      for (const auto& [k, v] : body["parameters"].items()) {
        if (std::find(names.begin(), names.end(), k) == names.end())
          return invalid("/parameters/" + k, v,
                         "parameter " + k + " cannot be set; settable: " + join(names));
        if (!v.is_number())
          return invalid("/parameters/" + k, v, "parameter " + k + " must be a number");
        r.parameters[k] = v.get<double>();
      }
    }
    if (body.contains("interventions")) {
      const auto& list = body["interventions"];
      if (!list.is_array() || list.size() > 50)
        return invalid("/interventions", list, "interventions must be a list of at most 50");
      const auto types = intervention_types();
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string at = "/interventions/" + std::to_string(i);
        const auto& iv = list[i];
        if (!iv.is_object()) return invalid(at, iv, "an intervention must be an object");
        for (const char* key :
             {"type", "scope_type", "scope", "staff_group", "role_code", "start_year"})
          if (iv.contains(key) && !iv[key].is_string())
            return invalid(at + "/" + key, iv[key], std::string(key) + " must be a string");
        if (iv.contains("ramp_years") && !iv["ramp_years"].is_number())
          return invalid(at + "/ramp_years", iv["ramp_years"], "ramp_years must be a number");
        const auto type_name = iv.value("type", std::string());
        const Json* spec = nullptr;
        std::vector<std::string> type_names;
        for (const auto& t : types) {
          type_names.push_back(t["type"].get<std::string>());
          if (t["type"] == type_name) spec = &t;
        }
        if (!spec) {
          invalid(
              at + "/type", iv.value("type", Json(nullptr)),
              "interventions/" + std::to_string(i) + "/type must be one of " + join(type_names));
          error.details["allowed"] = type_names;
          return std::nullopt;
        }
        if (!iv.contains("size") || !iv["size"].is_number())
          return invalid(at + "/size", iv.value("size", Json(nullptr)),
                         "interventions/" + std::to_string(i) + "/size must be a number");
        const double size = iv["size"];
        const double min = (*spec)["min"], max = (*spec)["max"];
        if (size < min || size > max)
          return invalid(at + "/size", iv["size"],
                         "interventions/" + std::to_string(i) + "/size must be between " +
                             Json(min).dump() + " and " + Json(max).dump() + " for " + type_name +
                             "; got " + iv["size"].dump(),
                         Json::array({min, max}));
        const double ramp = iv.value("ramp_years", 0.0);
        if (ramp < 0 || ramp > 10)
          return invalid(at + "/ramp_years", iv.value("ramp_years", Json(nullptr)),
                         "ramp_years must be between 0 and 10", Json::array({0, 10}));
        projection::Intervention out;
        for (const auto& s : projection::intervention_specs())
          if (s.name == type_name) out.type = s.type;
        out.label = type_name;
        const auto scope_type = iv.value("scope_type", std::string("system"));
        const auto scope = iv.value("scope", std::string("system"));
        if (scope_type == "sector") {
          auto sec = sectors().find(scope);
          if (!sec) return invalid(at + "/scope", scope, "unknown sector '" + scope + "'");
          out.target.sector = static_cast<Sector>(*sec);
        } else if (scope_type == "place") {
          if (std::find(places.begin(), places.end(), scope) == places.end())
            return invalid(at + "/scope", scope, "unknown place '" + scope + "'");
          out.target.place = scope;
        } else if (scope_type != "system") {
          return invalid(at + "/scope_type", scope_type,
                         "scope_type must be system, place or sector");
        }
        const auto group = iv.value("staff_group", std::string("all"));
        const auto role = iv.value("role_code", std::string("all"));
        if (group != "all") {
          auto g = staff_groups().find(group);
          if (!g) return invalid(at + "/staff_group", group, "unknown staff_group '" + group + "'");
          out.target.staff_group = *g;
        }
        if (role != "all") {
          auto rc = roles().find(role);
          if (!rc) return invalid(at + "/role_code", role, "unknown role_code '" + role + "'");
          out.target.role = *rc;
        } else if (type_name == "new_role") {
          return invalid(at + "/role_code", role, "new_role needs a role_code");
        }
        const int first_year = calibration.base_year.start_year + 1;
        const auto start = iv.value("start_year", std::string());
        if (!start.empty()) {
          auto fy = parse_financial_year(start);
          if (!fy || fy->start_year < first_year || fy->start_year > first_year + 14)
            return invalid(at + "/start_year", start,
                           "start_year must be a projected year YYYY/YY after " +
                               calibration.base_year.label());
          out.start_year = fy->start_year;
        }
        switch (out.type) {
          case projection::InterventionType::turnover_change:
            out.change_pp = size, out.phase_in_years = std::max(1.0, ramp);
            break;
          case projection::InterventionType::retirement_deferral:
            out.share = size / 100;
            break;
          case projection::InterventionType::training_places:
            out.intake = size;
            break;
          case projection::InterventionType::new_role:
            out.fte = size;
            break;
          case projection::InterventionType::demand_growth:
            out.percent = size;
            break;
          case projection::InterventionType::productivity:
            out.gain = size;
            break;
          default:
            out.per_year = size;
        }
        r.scenario.interventions.push_back(out);
        Json echo = {
            {"type", type_name}, {"scope_type", scope_type},
            {"scope", scope},    {"staff_group", group},
            {"role_code", role}, {"start_year", start.empty() ? projection_year(1) : start},
            {"size", size},      {"ramp_years", ramp}};
        r.interventions.push_back(echo);
      }
    }
    r.scenario.name = r.name;
    r.scenario.description = r.description;
    r.scenario.source = "api";
    return r;
  }

  std::string projection_year(int t) const {
    return FinancialYear{calibration.base_year.start_year + t}.label();
  }

  /// Run (or fetch from the cache) a projection of every scope.
  Result<std::shared_ptr<const projection::ProjectionResult>> run(const RunRequest* request,
                                                                  double threshold) {
    std::string key =
        (request ? "scenario|" + request->name + "|" + std::to_string(request->runs) + "|" +
                       std::to_string(request->seed) + "|" + Json(request->interventions).dump() +
                       "|" + Json(request->parameters).dump()
                 : std::string("baseline")) +
        "|" + std::to_string(threshold);
    using Run = Result<std::shared_ptr<const projection::ProjectionResult>>;
    std::promise<Run> promise;
    {
      std::unique_lock lock(projection_mutex);
      auto it = projection_cache.find(key);
      if (it != projection_cache.end()) return it->second;
      auto running = projection_running.find(key);
      if (running != projection_running.end()) {
        auto pending = running->second;
        lock.unlock();
        return pending.get();
      }
      projection_running.emplace(key, promise.get_future().share());
    }
    Run computed = [&]() -> Run {
      try {
        return compute_run(request, threshold);
      } catch (...) {
        std::lock_guard lock(projection_mutex);
        projection_running.erase(key);
        promise.set_exception(std::current_exception());
        throw;
      }
    }();
    {
      std::lock_guard lock(projection_mutex);
      if (computed) {
        if (projection_cache.size() > 64) projection_cache.clear();
        projection_cache[key] = *computed;
      }
      projection_running.erase(key);
    }
    promise.set_value(computed);
    return computed;
  }

  /// Compute a projection of every scope (no cache).
  Result<std::shared_ptr<const projection::ProjectionResult>> compute_run(const RunRequest* request,
                                                                          double threshold) {
    if (model.snapshot_months().empty())
      return make_error(ErrorCode::unavailable, "the database has no staff in post to project");
    projection::ProjectionOptions po;
    po.runs = request ? request->runs : options.default_runs;
    po.seed = request ? request->seed : options.default_seed;
    po.scopes = {"all"};
    po.gap_threshold = threshold;
    po.threads = options.projection_threads;
    po.calibration.by_place = true;
    po.attribution = request != nullptr && !request->scenario.interventions.empty();
    po.attribution_runs = std::min(200, po.runs);
    projection::Calibration cal = calibration;
    po.keep_baseline_record = request == nullptr;
    if (request) {
      {
        std::lock_guard lock(projection_mutex);
        po.baseline_record = baseline_record;
      }
      po.scenarios = {request->scenario};
      po.include_baseline = false;
      for (const auto& [name, value] : request->parameters) {
        if (name == "productivity_gain") cal.productivity_gain = value / 100;
        if (name == "bank_fill_share") cal.bank_fill_share = value / 100;
        if (name == "bank_premium") cal.bank_premium = value;
        if (name == "agency_premium") cal.agency_premium = value;
      }
    }
    CF_ASSIGN_OR_RETURN(auto result, projection::project(cal, po));
    if (result.baseline_record) {
      std::lock_guard lock(projection_mutex);
      baseline_record = std::move(result.baseline_record);
    }
    return std::make_shared<const projection::ProjectionResult>(std::move(result));
  }

  /// Scope, breakdown and threshold of a projection request.
  struct ProjectionView {
    Scope scope;
    std::optional<std::string> by;
    double threshold = 0;
  };

  bool check_view(ProjectionView& v, ApiError& error) const {
    if (v.by == "role" && v.scope.staff_group == "all") {
      error = bad_parameter("by", "role", "by=role needs a staff_group");
      return false;
    }
    if ((v.by == "sector" || v.by == "place") && v.scope.type != metrics::ScopeType::system) {
      error = bad_parameter("by", *v.by, "by=" + *v.by + " needs scope_type=system");
      return false;
    }
    if (v.by == "staff_group" && v.scope.staff_group != "all") {
      error = bad_parameter("by", "staff_group", "by=staff_group needs staff_group=all");
      return false;
    }
    return true;
  }

  Json projection_json(const projection::ProjectionResult& result, const ProjectionView& v,
                       const std::string& scenario, const std::string& description,
                       const Json& interventions, const std::map<std::string, double>& overrides,
                       double elapsed_ms) const {
    const std::string scope_type = metrics::scope_type_name(v.scope.type);
    auto member = [&](const projection::SeriesRow& r) {
      if (!v.by)
        return r.scope_type == scope_type && r.scope == v.scope.name &&
               r.staff_group == v.scope.staff_group && r.role_code == v.scope.role_code;
      if (*v.by == "staff_group")
        return r.scope_type == scope_type && r.scope == v.scope.name && r.staff_group != "all" &&
               r.role_code == "all";
      if (*v.by == "role")
        return r.scope_type == scope_type && r.scope == v.scope.name &&
               r.staff_group == v.scope.staff_group && r.role_code != "all";
      return r.scope_type == *v.by && r.staff_group == v.scope.staff_group &&
             r.role_code == v.scope.role_code;
    };
    Json years = Json::array();
    int max_t = 0;
    for (const auto& r : result.series) max_t = std::max(max_t, r.t);
    for (int t = 0; t <= max_t; ++t) years.push_back(projection_year(t));
    Json series = Json::array(), gaps = Json::array();
    for (const auto& r : result.series) {
      if (!member(r)) continue;
      Json point = {{"scenario", scenario},
                    {"year", r.year.label()},
                    {"scope_type", r.scope_type},
                    {"scope", r.scope},
                    {"staff_group", r.staff_group},
                    {"role_code", r.role_code},
                    {"supply", quantiles_json(r.supply)},
                    {"demand", quantiles_json(r.demand)},
                    {"gap", quantiles_json(r.gap)},
                    {"cost_gbp", quantiles_json(r.cost_gbp)}};
      if (r.t == 5 || r.t == 10 || r.t == 15) {
        Json gap = point;
        gap.erase("scenario");
        gap["horizon_years"] = r.t;
        gap["p_gap_exceeds"] = r.p_gap_exceeds;
        gaps.push_back(std::move(gap));
      }
      series.push_back(std::move(point));
    }
    Json attribution = Json::array();
    if (!v.by)
      for (const auto& a : result.attribution)
        attribution.push_back({{"scenario", scenario},
                               {"intervention", a.intervention},
                               {"type", a.type},
                               {"year", a.year.label()},
                               {"gap_closed_fte", quantiles_json(a.gap_closed_fte)}});
    Json assumptions = Json::array();
    std::string text = projection::explain(result.calibration, result.scenarios, result.options);
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      std::string line = text.substr(start, end - start);
      while (!line.empty() && (line.front() == '-' || line.front() == ' ' || line.front() == '*'))
        line.erase(0, 1);
      if (!line.empty() && line.back() == '.') assumptions.push_back(line);
      start = end + 1;
    }
    return {{"scenario", scenario},
            {"description", description},
            {"base_year", calibration.base_year.label()},
            {"years", years},
            {"runs", result.options.runs},
            {"seed", result.options.seed},
            {"parameters", parameters_json(overrides)},
            {"interventions", interventions},
            {"series", series},
            {"gap_table", gaps},
            {"attribution", attribution},
            {"assumptions", assumptions},
            {"elapsed_ms", elapsed_ms}};
  }

  std::optional<ProjectionView> read_view(Query& q) const {
    auto scope = read_scope(q, false);
    auto by = q.choice("by", {"staff_group", "sector", "place", "role"});
    auto threshold = q.number("threshold_fte").value_or(0);
    if (!q.ok() || !scope) return std::nullopt;
    ProjectionView v{*scope, by, threshold};
    ApiError e;
    if (!check_view(v, e)) return q.fail(e), std::nullopt;
    return v;
  }

  Json handle_projection(Query& q) {
    const auto started = std::chrono::steady_clock::now();
    const auto name = q.text_or("scenario", "baseline");
    auto view = read_view(q);
    if (!view) return nullptr;
    std::optional<RunRequest> request;
    if (name != "baseline") {
      Json saved;
      {
        std::lock_guard lock(scenario_mutex);
        for (const auto& s : saved_scenarios)
          if (s["name"] == name) saved = s;
      }
      if (saved.is_null())
        return q.fail({404,
                       "not_found",
                       "no saved scenario named '" + name + "'",
                       {{"parameter", "scenario"}, {"value", name}}}),
               nullptr;
      ApiError e;
      request = read_scenario(saved, e);
      if (!request) return q.fail(e), nullptr;
    }
    auto result = run(request ? &*request : nullptr, view->threshold);
    if (!result) return q.fail(from_error(result.error())), nullptr;
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return projection_json(**result, *view, name, request ? request->description : "",
                           request ? request->interventions : Json::array(),
                           request ? request->parameters : std::map<std::string, double>{}, ms);
  }

  /// POST /api/projection/run.
  void handle_run(const httplib::Request& req, httplib::Response& res) {
    const auto started = std::chrono::steady_clock::now();
    auto body = Json::parse(req.body, nullptr, false);
    if (body.is_discarded())
      return send_error(res, {400,
                              "bad_json",
                              "the request body is not JSON",
                              {{"message", "syntax error: the body is not a JSON document"}}});
    if (!body.is_object())
      return send_error(res, {400,
                              "bad_json",
                              "the request body must be a JSON object",
                              {{"message", "not an object"}}});
    // Scope fields follow the GET rules: parse them through a synthetic query.
    httplib::Request synthetic;
    for (const char* key :
         {"scope_type", "scope", "staff_group", "role_code", "by", "threshold_fte"})
      if (body.contains(key) && !body[key].is_null())
        synthetic.params.emplace(
            key, body[key].is_string() ? body[key].get<std::string>() : body[key].dump());
    Query q(synthetic, {"scope_type", "scope", "staff_group", "role_code", "by", "threshold_fte"});
    auto view = read_view(q);
    if (!view) return send_error(res, *q.error);
    if (body.contains("name") && !body["name"].is_string())
      return send_error(res, {422,
                              "invalid_scenario",
                              "name must be a string",
                              {{"parameter", "/name"}, {"value", body["name"]}}});
    const bool save =
        body.contains("save") && body["save"].is_boolean() && body["save"].get<bool>();
    if (body.contains("save") && !body["save"].is_boolean())
      return send_error(res, {422,
                              "invalid_scenario",
                              "save must be true or false",
                              {{"parameter", "/save"}, {"value", body["save"]}}});
    if (save && body.value("name", std::string()) == "baseline")
      return send_error(res, {409,
                              "conflict",
                              "a scenario cannot be saved as 'baseline'",
                              {{"parameter", "name"}, {"value", "baseline"}}});
    if (save && !body.contains("name"))
      return send_error(res, {422,
                              "invalid_scenario",
                              "name is required when save is true",
                              {{"parameter", "/name"}, {"value", nullptr}}});
    ApiError e;
    auto request = read_scenario(body, e);
    if (!request) return send_error(res, e);
    auto result = run(&*request, view->threshold);
    if (!result) return send_error(res, from_error(result.error()));
    if (save) {
      Json saved = {{"name", request->name},
                    {"description", request->description},
                    {"created_at", utc_now()},
                    {"runs", request->runs},
                    {"seed", request->seed},
                    {"interventions", request->interventions},
                    {"parameters", request->parameters}};
      std::lock_guard lock(scenario_mutex);
      Json kept = Json::array();
      for (auto& s : saved_scenarios)
        if (s["name"] != request->name) kept.push_back(s);
      kept.push_back(saved);
      saved_scenarios = kept;
      persist_scenarios();
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    send_json(res, projection_json(**result, *view, request->name, request->description,
                                   request->interventions, request->parameters, ms));
  }

  void persist_scenarios() const {
    const auto tmp = scenario_file.string() + ".tmp";
    {
      std::ofstream out(tmp, std::ios::trunc);
      out << saved_scenarios.dump(1);
    }
    std::error_code ec;
    std::filesystem::rename(tmp, scenario_file, ec);
  }

  Json handle_scenarios() {
    std::lock_guard lock(scenario_mutex);
    return {{"scenarios", saved_scenarios}};
  }

  Json handle_delete(Query& q) {
    auto name = q.text("name");
    if (!name) return q.fail(missing_parameter("name")), nullptr;
    if (*name == "baseline")
      return q.fail(bad_parameter("name", *name, "the baseline cannot be deleted")), nullptr;
    std::lock_guard lock(scenario_mutex);
    Json kept = Json::array();
    bool found = false;
    for (auto& s : saved_scenarios) {
      if (s["name"] == *name)
        found = true;
      else
        kept.push_back(s);
    }
    if (!found)
      return q.fail({404,
                     "not_found",
                     "no saved scenario named '" + *name + "'",
                     {{"parameter", "name"}, {"value", *name}}}),
             nullptr;
    saved_scenarios = kept;
    persist_scenarios();
    return {{"deleted", *name}};
  }

  // ---- plumbing -------------------------------------------------------------------
  static void send_json(httplib::Response& res, const Json& body, int status = 200) {
    res.status = status;
    res.set_header("Cache-Control", "no-store");
    res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace),
                    "application/json; charset=utf-8");
  }
  static void send_error(httplib::Response& res, const ApiError& e) {
    send_json(res, error_body(e), e.status);
  }

  using Handler = std::function<Json(Query&)>;
  struct Route {
    std::string method;
    std::vector<std::string> params;
    Handler handler;
  };
  std::map<std::string, Route> routes;
  std::mutex response_mutex;
  std::unordered_map<std::string, std::string> response_cache;

  void add(const std::string& path, const std::string& method, std::vector<std::string> params,
           Handler handler) {
    routes[path] = {method, std::move(params), std::move(handler)};
  }

  void dispatch(const httplib::Request& req, httplib::Response& res) {
    auto it = routes.find(req.path);
    const bool is_run = req.path == "/api/projection/run";
    if (it == routes.end() && !is_run)
      return send_error(res,
                        {404, "not_found", "no API endpoint " + req.path, {{"path", req.path}}});
    std::vector<std::string> allowed;
    if (is_run)
      allowed = {"POST"};
    else if (req.path == "/api/scenarios")
      allowed = {"GET", "DELETE"};
    else
      allowed = {"GET"};
    if (std::find(allowed.begin(), allowed.end(), req.method) == allowed.end())
      return send_error(res,
                        {405,
                         "method_not_allowed",
                         req.method + " is not allowed on " + req.path + "; use " + join(allowed),
                         {{"method", req.method}, {"allowed", allowed}}});
    try {
      if (is_run) return handle_run(req, res);
      if (req.path == "/api/scenarios" && req.method == "DELETE") {
        Query q(req, {"name"});
        Json out = q.ok() ? handle_delete(q) : Json(nullptr);
        return q.ok() ? send_json(res, out) : send_error(res, *q.error);
      }
      // Responses computed only from the immutable model are cached by their query.
      const bool cacheable = req.path == "/api/catalog" || req.path == "/api/metric-definitions" ||
                             req.path == "/api/metrics" || req.path == "/api/series" ||
                             req.path == "/api/outcomes" ||
                             req.path == "/api/projection/parameters";
      std::string key = req.path;
      for (const auto& [k, v] : req.params) key += "\x1f" + k + "=" + v;
      if (cacheable) {
        std::lock_guard lock(response_mutex);
        auto hit = response_cache.find(key);
        if (hit != response_cache.end()) {
          res.set_header("Cache-Control", "no-store");
          res.set_content(hit->second, "application/json; charset=utf-8");
          return;
        }
      }
      Query q(req, it->second.params);
      Json out = q.ok() ? it->second.handler(q) : Json(nullptr);
      if (!q.ok()) return send_error(res, *q.error);
      send_json(res, out);
      if (cacheable) {
        std::lock_guard lock(response_mutex);
        if (response_cache.size() >= 4096) response_cache.clear();
        response_cache.emplace(key, res.body);
      }
    } catch (const std::exception& e) {
      send_error(res, {500, "internal", "the server failed unexpectedly", {{"message", e.what()}}});
    }
  }

  void setup_routes() {
    const std::vector<std::string> scope = {"scope_type", "scope", "staff_group", "role_code"};
    auto with = [&](std::vector<std::string> extra) {
      extra.insert(extra.end(), scope.begin(), scope.end());
      return extra;
    };
    add("/api/health", "GET", {}, [this](Query& q) { return handle_health(q); });
    add("/api/catalog", "GET", {}, [this](Query&) { return handle_catalog(); });
    add("/api/metric-definitions", "GET", {}, [](Query&) { return handle_definitions(); });
    add("/api/metrics", "GET", with({"metric", "at", "by", "basis"}),
        [this](Query& q) { return handle_metrics(q); });
    add("/api/series", "GET", with({"metric", "from", "to", "basis"}),
        [this](Query& q) { return handle_series(q); });
    add("/api/outcomes", "GET", {"scope", "indicator"},
        [this](Query& q) { return handle_outcomes(q); });
    add("/api/data-quality", "GET", {"from", "to"},
        [this](Query& q) { return handle_data_quality(q); });
    add("/api/submissions", "GET", {"org", "outcome", "limit", "offset"},
        [this](Query& q) { return handle_submissions(q); });
    add("/api/findings", "GET", {"submission_id", "severity", "limit"},
        [this](Query& q) { return handle_findings(q); });
    add("/api/quarantine", "GET", {"submission_id", "limit", "offset"},
        [this](Query& q) { return handle_quarantine(q); });
    add("/api/projection/parameters", "GET", {},
        [this](Query&) { return handle_projection_parameters(); });
    add("/api/projection", "GET", with({"scenario", "by", "threshold_fte"}),
        [this](Query& q) { return handle_projection(q); });
    add("/api/scenarios", "GET", {}, [this](Query&) { return handle_scenarios(); });
    add("/api/benchmarks", "GET", {"metric", "scope_type", "scope", "from", "to"},
        [this](Query& q) { return benchmark_api.handle_benchmarks(q, own_series()); });
    add("/api/benchmarks/cross-check", "GET", {"period", "org"},
        [this](Query& q) { return benchmark_api.handle_cross_check(q, own_series()); });

    auto api = [this](const httplib::Request& req, httplib::Response& res) { dispatch(req, res); };
    for (const char* pattern : {R"(/api/.*)", R"(/api)"}) {
      http.Get(pattern, api);
      http.Post(pattern, api);
      http.Put(pattern, api);
      http.Delete(pattern, api);
      http.Patch(pattern, api);
      http.Options(pattern, api);
    }
    http.set_payload_max_length(options.max_body_bytes);
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (res.status == 413)
        send_error(
            res, {413, "payload_too_large", "the request body is too large", {{"path", req.path}}});
      else if (res.status >= 400 && res.body.empty())
        send_error(res, {res.status,
                         res.status == 404 ? "not_found" : "bad_request",
                         "the request could not be served",
                         {{"path", req.path}}});
    });
    http.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          send_error(res, {500, "internal", "the server failed unexpectedly", {}});
        });
    // Static front end: files of web/dist, index.html for any other path (SPA routing).
    std::filesystem::path dir = options.static_dir;
    if (dir.empty()) dir = std::filesystem::path(CAREFORCE_SERVER_SOURCE_DIR) / "web" / "dist";
    const auto dist = dir;
    http.Get(R"(/.*)", [dist](const httplib::Request& req, httplib::Response& res) {
      std::filesystem::path rel = req.path.substr(1);
      bool safe = true;
      for (const auto& part : rel)
        if (part == "..") safe = false;
      std::filesystem::path file = dist / rel;
      std::error_code ec;
      if (!safe || rel.empty() || !std::filesystem::is_regular_file(file, ec))
        file = dist / "index.html";
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        res.status = 404;
        res.set_content(
            "The dashboard is not built: run npm run build in web/, or pass --static.\n",
            "text/plain; charset=utf-8");
        return;
      }
      std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto ext = file.extension().string();
      std::string type = "application/octet-stream";
      if (ext == ".svg") type = "image/svg+xml";
      if (ext == ".png") type = "image/png";
      if (ext == ".ico") type = "image/x-icon";
      if (ext == ".json" || ext == ".map") type = "application/json; charset=utf-8";
      if (ext == ".woff2") type = "font/woff2";
      if (ext == ".txt") type = "text/plain; charset=utf-8";
      if (ext == ".html") type = "text/html; charset=utf-8";
      if (ext == ".js" || ext == ".mjs") type = "text/javascript; charset=utf-8";
      if (ext == ".css") type = "text/css; charset=utf-8";
      res.set_content(std::move(body), type);
    });
    // A browser keeps its connections open and each open connection holds a handler
    // thread, so there are many threads (cheap while they wait) and few engines.
    http.new_task_queue = [threads = options.threads] { return new httplib::ThreadPool(threads); };
    http.set_keep_alive_max_count(1000);
  }

  int bound_port = 0;
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::create(const ServerOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  if (!std::filesystem::is_regular_file(options.db))
    return make_error(ErrorCode::not_found, "no database file " + options.db);
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  CF_RETURN_IF_ERROR(impl->load());
  impl->setup_routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<int> Server::bind() {
  int port = impl_->options.port;
  if (port == 0) {
    port = impl_->http.bind_to_any_port(impl_->options.host);
    if (port < 0) return make_error(ErrorCode::io_error, "cannot bind to " + impl_->options.host);
  } else if (!impl_->http.bind_to_port(impl_->options.host, port)) {
    return make_error(ErrorCode::io_error, "cannot listen on " + impl_->options.host + ":" +
                                               std::to_string(port) + " (in use?)");
  }
  impl_->bound_port = port;
  return port;
}

Status Server::listen() {
  if (!impl_->http.listen_after_bind())
    return make_error(ErrorCode::io_error, "the server stopped listening unexpectedly");
  return Status::ok();
}

void Server::stop() {
  impl_->http.stop();
}

void Server::wait_until_ready() const {
  while (!impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

}  // namespace careforce::server
