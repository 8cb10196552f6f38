#include "server/benchmark_api.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/core.h>
#include <fmt/ranges.h>

#include "benchmarks/compare.hpp"
#include "benchmarks/cross_check.hpp"
#include "service/benchmark_service.hpp"

namespace careforce::server {
namespace {

using benchmarks::Aggregate;
using benchmarks::BenchmarkSet;
using benchmarks::Decimal;
using benchmarks::Level;

constexpr const char* kSickness = "sickness_absence_rate";
constexpr const char* kNotLoaded =
    "No national benchmarks are loaded. Import the published NHS Digital files with "
    "'careforce benchmarks import <folder> --db <file>' and restart the server.";

Json number_or_null(double v) {
  return std::isfinite(v) ? Json(v) : Json(nullptr);
}

double value_of(const Aggregate& a) {
  if (a.value.empty()) return std::nan("");
  auto d = Decimal::parse(a.value);
  return d ? d->to_double() : std::nan("");
}

/// The exact ratio as a double (for placing our own double figure among published ones).
double exact_percent(const Aggregate& a) {
  if (!a.denominator || a.denominator->to_double() == 0) return std::nan("");
  return a.numerator.to_double() * 100.0 / a.denominator->to_double();
}

Json aggregate_json(const Aggregate& a) {
  return {{"code", a.code},
          {"name", a.name},
          {"value", number_or_null(value_of(a))},
          {"value_text", a.value},
          {"numerator", a.numerator.to_double()},
          {"denominator", a.denominator ? Json(a.denominator->to_double()) : Json(nullptr)},
          {"organisations", a.organisations}};
}

const Aggregate* find_group(const std::vector<Aggregate>& groups, const std::string& code) {
  for (const auto& g : groups)
    if (g.code == code) return &g;
  return nullptr;
}

/// Where our own figure would stand among published peers (rank 1 = lowest value).
std::optional<Json> own_standing(const std::string& group, const std::string& label, double own,
                                 const std::vector<const Aggregate*>& peers) {
  if (!std::isfinite(own)) return std::nullopt;
  std::vector<double> values;
  for (const auto* p : peers)
    if (double v = exact_percent(*p); std::isfinite(v)) values.push_back(v);
  if (values.empty()) return std::nullopt;
  size_t rank = 1;
  for (double v : values) rank += v < own;
  const size_t count = values.size() + 1;
  values.push_back(own);
  auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return Json{{"of", "own"},
              {"group", group},
              {"label", label},
              {"rank", rank},
              {"count", count},
              {"quartile", (4 * rank + count - 1) / count},
              {"lowest", std::round(*lo * 100) / 100},
              {"highest", std::round(*hi * 100) / 100}};
}

/// The 12-month sickness series: each organisation's figures summed over the 12 months
/// ending at a month, for every month whose 12 months are all published.
BenchmarkSet rolling_sickness(const BenchmarkSet& monthly) {
  BenchmarkSet out;
  const auto periods = monthly.periods(kSickness);
  const std::set<Month> held(periods.begin(), periods.end());
  for (Month end : periods) {
    bool complete = true;
    for (int k = 0; k < 12; ++k) complete &= held.count(end - k) > 0;
    if (!complete) continue;
    std::map<std::string, benchmarks::Series> sums;
    std::map<std::string, Month> latest;
    for (const auto& s : monthly.series()) {
      if (s.metric != kSickness || s.staff_group != benchmarks::kAllStaffGroups) continue;
      if (s.period > end || s.period < end - 11 || !s.denominator) continue;
      auto [it, fresh] = sums.try_emplace(s.org_code, s);
      auto& sum = it->second;
      if (!fresh) {
        sum.numerator += s.numerator;
        *sum.denominator += *s.denominator;
        if (s.period > latest[s.org_code]) {  // describe the organisation as it was last
          sum.org_name = s.org_name, sum.org_type = s.org_type, sum.cluster = s.cluster;
          sum.region_code = s.region_code, sum.region_name = s.region_name;
          sum.ics_code = s.ics_code, sum.ics_name = s.ics_name;
        }
      }
      latest[s.org_code] = std::max(latest[s.org_code], s.period);
    }
    std::vector<benchmarks::Series> list;
    for (auto& [code, s] : sums) {
      s.period = end;
      s.window_start = end - 11;
      s.period_label = (end - 11).iso() + " to " + end.iso();
      s.published_value.clear();
      list.push_back(std::move(s));
    }
    out.add(std::move(list));
  }
  return out;
}

}  // namespace

Status BenchmarkApi::load(const store::Store& store, const BenchmarkIdentity& identity,
                          std::vector<std::string> partner_codes) {
  CF_ASSIGN_OR_RETURN(monthly_, service::load_benchmark_set(store));
  rolling12_ = rolling_sickness(monthly_);
  identity_ = identity;
  partner_codes_ = std::move(partner_codes);
  mappings_ = {
      {"sickness_absence_rate_month", kSickness, 1, true,
       "Same method on both sides: FTE days lost to sickness over FTE days available in the "
       "month."},
      {"sickness_absence_rate", kSickness, 12, true,
       "Published monthly FTE days lost and available summed over the same 12 months (ratio "
       "of sums), for months whose 12 months are all published."},
      {"leaver_rate_headcount", "leaver_rate_headcount", 1, false,
       "Published leavers in the month over the mean of staff in post at its start and end. "
       "careforce measures turnover over 12 months (turnover_rate), so no own figure is set "
       "beside this monthly rate."},
      {"leaver_rate_fte", "leaver_rate_fte", 1, false,
       "As leaver_rate_headcount, in FTE. careforce measures turnover over 12 months, so no "
       "own figure is set beside this monthly rate."},
  };
  if (!loaded()) return Status::ok();
  std::set<std::string> ics_codes, region_codes;
  for (const auto& s : monthly_.series()) {
    ics_codes.insert(s.ics_code);
    region_codes.insert(s.region_code);
    if (!identity_.ics_code.empty() && s.ics_code == identity_.ics_code && ics_name_.empty()) {
      ics_name_ = s.ics_name;
      if (identity_.region_code.empty()) identity_.region_code = s.region_code;
    }
  }
  auto list = [](const std::set<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : ", ") + c;
    return out;
  };
  if (!identity_.ics_code.empty() && !ics_codes.count(identity_.ics_code))
    return make_error(
        ErrorCode::invalid_argument,
        "--ics " + identity_.ics_code +
            " is not an ICS code of the loaded benchmarks; known: " + list(ics_codes));
  if (!identity_.region_code.empty() && !region_codes.count(identity_.region_code))
    return make_error(
        ErrorCode::invalid_argument,
        "--region " + identity_.region_code +
            " is not a region code of the loaded benchmarks; known: " + list(region_codes));
  for (const auto& s : monthly_.series())
    if (s.region_code == identity_.region_code) {
      region_name_ = s.region_name;
      break;
    }
  return Status::ok();
}

Json BenchmarkApi::identity_json() const {
  auto or_null = [](const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); };
  return {{"ics_code", or_null(identity_.ics_code)},
          {"ics_name", or_null(ics_name_)},
          {"region_code", or_null(identity_.region_code)},
          {"region_name", or_null(region_name_)},
          {"partner_codes_are_ods", !identity_.ics_code.empty()}};
}

Json BenchmarkApi::metric_json(const Mapping& m, const std::string& scope_type,
                               const std::string& scope, std::optional<Month> from,
                               std::optional<Month> to, const OwnSeriesFn& own) const {
  const BenchmarkSet& set = m.window_months == 12 ? rolling12_ : monthly_;
  const auto* spec = benchmarks::find_metric(m.benchmark_metric);
  Json out = {{"metric", m.metric},
              {"benchmark_metric", m.benchmark_metric},
              {"label", spec ? spec->label : m.benchmark_metric},
              {"window_months", m.window_months},
              {"own_comparable", m.own_comparable},
              {"note", m.note},
              {"months", Json::array()}};
  std::vector<Month> periods;
  for (Month p : set.periods(m.benchmark_metric))
    if ((!from || p >= *from) && (!to || p <= *to)) periods.push_back(p);
  if (periods.empty()) return out;
  const bool org = scope_type == "org";
  const bool real_codes = !identity_.ics_code.empty();
  // Our own figures.
  std::map<int32_t, metrics::MetricResult> own_by_month;
  if (m.own_comparable && own) {
    auto results = own(m.metric, org ? metrics::ScopeType::org : metrics::ScopeType::system, scope,
                       periods.front(), periods.back());
    if (results)
      for (auto& r : *results)
        if (r.basis == "fte_days" || own_by_month.count(r.period.index) == 0)
          own_by_month[r.period.index] = r;
  }
  // The published figure of the ICS (or organisation), with its published standing.
  std::map<int32_t, benchmarks::Comparison> compared;
  const std::string published_code = org ? (real_codes ? scope : "") : identity_.ics_code;
  if (!published_code.empty()) {
    benchmarks::CompareOptions options;
    (org ? options.org_code : options.ics_code) = published_code;
    options.metrics = {m.benchmark_metric};
    options.from = periods.front();
    options.to = periods.back();
    if (auto list = benchmarks::compare(set, options))
      for (auto& c : *list) compared.emplace(c.period.index, std::move(c));
  }
  for (Month p : periods) {
    benchmarks::AggregateQuery query;
    query.metric = m.benchmark_metric;
    query.period = p;
    Json month = {{"period", p.iso()}, {"period_end", p.end().iso()}};
    query.level = Level::england;
    auto england = benchmarks::aggregate(set, query);
    month["england"] =
        england && !england->empty() ? aggregate_json(england->front()) : Json(nullptr);
    query.level = Level::region;
    auto regions = benchmarks::aggregate(set, query);
    const Aggregate* region = regions ? find_group(*regions, identity_.region_code)
                                      : static_cast<const Aggregate*>(nullptr);
    month["region"] = region ? aggregate_json(*region) : Json(nullptr);
    auto it = own_by_month.find(p.index);
    double own_value = std::nan("");
    if (it != own_by_month.end() && it->second.available) {
      const auto& r = it->second;
      own_value = r.value;
      month["own"] = {{"value", number_or_null(r.value)},
                      {"numerator", number_or_null(r.numerator)},
                      {"denominator", number_or_null(r.denominator)},
                      {"suppressed", r.value_suppressed},
                      {"coverage_orgs", r.coverage_orgs},
                      {"total_orgs", r.total_orgs}};
    } else {
      month["own"] = nullptr;
    }
    Json peers = Json::array();
    auto cmp = compared.find(p.index);
    month["published"] = cmp != compared.end() ? aggregate_json(cmp->second.entity) : Json(nullptr);
    if (cmp != compared.end())
      for (const auto& s : cmp->second.peers)
        peers.push_back({{"of", "published"},
                         {"group", s.group},
                         {"label", s.label},
                         {"rank", s.rank},
                         {"count", s.count},
                         {"quartile", s.quartile},
                         {"lowest", number_or_null(Decimal::parse(s.lowest)
                                                       ? Decimal::parse(s.lowest)->to_double()
                                                       : std::nan(""))},
                         {"highest", number_or_null(Decimal::parse(s.highest)
                                                        ? Decimal::parse(s.highest)->to_double()
                                                        : std::nan(""))}});
    // Where our own figure would stand among the published peers.
    if (std::isfinite(own_value)) {
      if (!org) {
        query.level = Level::ics;
        if (auto groups = benchmarks::aggregate(set, query)) {
          std::vector<const Aggregate*> all, same_region;
          for (const auto& g : *groups) {
            if (g.non_geographic || g.code == identity_.ics_code) continue;
            all.push_back(&g);
            if (g.region_code == identity_.region_code) same_region.push_back(&g);
          }
          if (auto s = own_standing("ics_england", "ICSs in England", own_value, all))
            peers.push_back(*s);
          if (!identity_.region_code.empty())
            if (auto s =
                    own_standing("ics_region", "ICSs in " + region_name_, own_value, same_region))
              peers.push_back(*s);
        }
      } else if (real_codes) {
        std::string type;
        for (const auto& s : set.series())
          if (s.metric == m.benchmark_metric && s.period == p && s.org_code == scope)
            type = s.org_type;
        query.level = Level::organisation;
        if (!type.empty())
          if (auto groups = benchmarks::aggregate(set, query)) {
            std::set<std::string> same_type;
            for (const auto& s : set.series())
              if (s.metric == m.benchmark_metric && s.period == p && s.org_type == type)
                same_type.insert(s.org_code);
            std::vector<const Aggregate*> peers_of_type;
            for (const auto& g : *groups)
              if (g.code != scope && same_type.count(g.code)) peers_of_type.push_back(&g);
            if (auto s =
                    own_standing("org_type", type + " organisations", own_value, peers_of_type))
              peers.push_back(*s);
          }
      }
    }
    month["peers"] = peers;
    out["months"].push_back(std::move(month));
  }
  return out;
}

Json BenchmarkApi::handle_benchmarks(Query& q, const OwnSeriesFn& own) const {
  auto metric = q.text("metric");
  auto scope_type = q.choice("scope_type", {"system", "org"}).value_or("system");
  auto scope = q.text("scope");
  auto from = q.period("from");
  auto to = q.period("to");
  if (!q.ok()) return nullptr;
  std::vector<std::string> names;
  for (const auto& m : mappings_) names.push_back(m.metric);
  if (metric && std::find(names.begin(), names.end(), *metric) == names.end())
    return q.fail(bad_parameter("metric", *metric,
                                "metric '" + *metric + "' has no national benchmark; allowed: " +
                                    fmt::format("{}", fmt::join(names, ", ")),
                                names)),
           nullptr;
  if (scope_type == "system" && scope && *scope != "system")
    return q.fail(bad_parameter("scope", *scope, "scope must be 'system' when scope_type is system",
                                Json::array({"system"}))),
           nullptr;
  if (scope_type == "org") {
    if (!scope) {
      q.fail(missing_parameter("scope"));
      q.error->message = "scope is required when scope_type is org";
      return nullptr;
    }
    if (std::find(partner_codes_.begin(), partner_codes_.end(), *scope) == partner_codes_.end())
      return q.fail(bad_parameter("scope", *scope, "unknown org '" + *scope + "'", partner_codes_)),
             nullptr;
  }
  if (from && to && *from > *to)
    return q.fail(bad_parameter("from", from->iso(), "from must not be after to")), nullptr;
  const std::string key =
      fmt::format("b|{}|{}|{}|{}|{}", metric.value_or(""), scope_type, scope.value_or(""),
                  from ? from->iso() : "", to ? to->iso() : "");
  {
    std::lock_guard lock(cache_mutex_);
    if (auto hit = cache_.find(key); hit != cache_.end()) return Json::parse(hit->second);
  }
  Json out = {{"loaded", loaded()},
              {"message", loaded() ? "" : kNotLoaded},
              {"identity", identity_json()},
              {"scope_type", scope_type},
              {"scope", scope_type == "system" ? "system" : *scope},
              {"metrics", Json::array()}};
  if (loaded()) {
    for (const auto& m : mappings_) {
      if (metric && m.metric != *metric) continue;
      const BenchmarkSet& set = m.window_months == 12 ? rolling12_ : monthly_;
      if (!metric && set.periods(m.benchmark_metric).empty()) continue;
      out["metrics"].push_back(
          metric_json(m, scope_type, scope_type == "system" ? "system" : *scope, from, to, own));
    }
    if (scope_type == "org" && identity_.ics_code.empty())
      out["message"] =
          "Organisation codes are matched with the publication only when the server is told "
          "the ICS (careforce serve --ics CODE); England and region figures are shown.";
  }
  std::lock_guard lock(cache_mutex_);
  cache_[key] = out.dump();
  return out;
}

Json BenchmarkApi::handle_cross_check(Query& q, const OwnSeriesFn& own) const {
  auto period = q.period("period");
  auto org = q.text("org");
  if (!q.ok()) return nullptr;
  if (org && std::find(partner_codes_.begin(), partner_codes_.end(), *org) == partner_codes_.end())
    return q.fail(bad_parameter("org", *org, "unknown org '" + *org + "'", partner_codes_)),
           nullptr;
  const std::string key = fmt::format("c|{}|{}", period ? period->iso() : "", org.value_or(""));
  {
    std::lock_guard lock(cache_mutex_);
    if (auto hit = cache_.find(key); hit != cache_.end()) return Json::parse(hit->second);
  }
  Json out = {{"loaded", loaded()},
              {"message", ""},
              {"identity", identity_json()},
              {"metric", kSickness},
              {"organisations_checked", Json::array()},
              {"summary", {{"rows", 0}, {"matching", 0}, {"differing", 0}, {"no_own_figure", 0}}},
              {"rows", Json::array()}};
  if (!loaded()) {
    out["message"] = kNotLoaded;
  } else if (identity_.ics_code.empty()) {
    out["message"] =
        "Partners' own rates are cross-checked against the published ones only when the server "
        "is told the ICS (careforce serve --ics CODE), so that organisation codes are taken as "
        "ODS codes.";
  } else {
    int matching = 0, differing = 0, missing = 0;
    for (const auto& code : partner_codes_) {
      if (org && code != *org) continue;
      std::vector<Month> months;
      for (const auto& s : monthly_.series())
        if (s.metric == kSickness && s.org_code == code &&
            s.staff_group == benchmarks::kAllStaffGroups && (!period || s.period == *period))
          months.push_back(s.period);
      if (months.empty()) continue;
      std::sort(months.begin(), months.end());
      out["organisations_checked"].push_back(code);
      std::map<int32_t, metrics::MetricResult> own_by_month;
      if (own)
        if (auto results = own("sickness_absence_rate_month", metrics::ScopeType::org, code,
                               months.front(), months.back()))
          for (auto& r : *results) own_by_month[r.period.index] = r;
      for (Month m : months) {
        const auto* published = monthly_.find(kSickness, m, code);
        Json row = {
            {"org_code", code},
            {"published_org_name", published->org_name},
            {"period", m.iso()},
            {"period_end", m.end().iso()},
            {"source", published->source_file + ":" + std::to_string(published->source_line)}};
        auto it = own_by_month.find(m.index);
        const bool have_own = it != own_by_month.end() && it->second.available &&
                              std::isfinite(it->second.numerator) &&
                              std::isfinite(it->second.denominator) && it->second.denominator > 0;
        std::optional<benchmarks::CrossCheck> check;
        if (have_own) {
          benchmarks::CrossCheckInput input;
          input.org_code = code;
          input.period = m;
          auto n = Decimal::parse(fmt::format("{:.5f}", it->second.numerator));
          auto d = Decimal::parse(fmt::format("{:.5f}", it->second.denominator));
          if (n && d) {
            input.numerator = *n;
            input.denominator = *d;
            if (auto c = benchmarks::cross_check(monthly_, input)) check = std::move(*c);
          }
        }
        auto dbl = [](const Decimal& d) { return d.to_double(); };
        auto text_number = [](const std::string& t) {
          auto d = Decimal::parse(t);
          return d ? Json(d->to_double()) : Json(nullptr);
        };
        row["published_value"] = text_number(published->published_value);
        row["published_value_text"] = published->published_value;
        row["published_numerator"] = dbl(published->numerator);
        row["published_denominator"] =
            published->denominator ? Json(dbl(*published->denominator)) : Json(nullptr);
        if (check) {
          row["status"] = check->value_matches ? "match" : "differs";
          row["own_value"] = text_number(check->own_value);
          row["own_value_text"] = check->own_value;
          row["own_numerator"] = dbl(check->own_numerator);
          row["own_denominator"] = dbl(check->own_denominator);
          row["value_difference"] = text_number(check->value_difference);
          row["numerator_difference"] = dbl(check->numerator_difference);
          row["denominator_difference"] = dbl(check->denominator_difference);
          row["differences"] = check->differences;
          (check->value_matches ? matching : differing)++;
        } else {
          row["status"] = "no_own_figure";
          for (const char* k :
               {"own_value", "own_value_text", "own_numerator", "own_denominator",
                "value_difference", "numerator_difference", "denominator_difference"})
            row[k] = nullptr;
          row["differences"] = Json::array(
              {"No own figure: the partner's staff in post or absence for this month is "
               "missing or suppressed."});
          ++missing;
        }
        out["rows"].push_back(std::move(row));
      }
    }
    out["summary"] = {{"rows", out["rows"].size()},
                      {"matching", matching},
                      {"differing", differing},
                      {"no_own_figure", missing}};
    if (out["rows"].empty())
      out["message"] =
          "No partner organisation's code appears in the published sickness "
          "absence figures" +
          std::string(period ? " for " + period->iso() : "") + ".";
  }
  std::lock_guard lock(cache_mutex_);
  cache_[key] = out.dump();
  return out;
}

}  // namespace careforce::server
