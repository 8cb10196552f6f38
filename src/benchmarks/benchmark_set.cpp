#include "benchmarks/benchmark_set.hpp"

#include <set>

namespace careforce::benchmarks {
namespace {

std::string series_key(std::string_view metric, Month period, std::string_view org_code,
                       std::string_view staff_group) {
  std::string key;
  key.reserve(64);
  key.append(metric).push_back('\x1f');
  key.append(std::to_string(period.index)).push_back('\x1f');
  key.append(org_code).push_back('\x1f');
  key.append(staff_group);
  return key;
}

}  // namespace

void BenchmarkSet::add(std::vector<Series> series) {
  for (auto& s : series) {
    // Metric names are unique across publications, so the publication is implied by them.
    auto key = series_key(s.metric, s.period, s.org_code, s.staff_group);
    auto it = index_.find(key);
    if (it != index_.end()) {
      series_[it->second] = std::move(s);
    } else {
      index_.emplace(std::move(key), series_.size());
      series_.push_back(std::move(s));
    }
  }
}

const Series* BenchmarkSet::find(std::string_view metric, Month period, std::string_view org_code,
                                 std::string_view staff_group) const {
  auto it = index_.find(series_key(metric, period, org_code, staff_group));
  return it == index_.end() ? nullptr : &series_[it->second];
}

std::vector<std::string> BenchmarkSet::metrics() const {
  std::set<std::string> names;
  for (const auto& s : series_) names.insert(s.metric);
  return {names.begin(), names.end()};
}

std::vector<Month> BenchmarkSet::periods(std::string_view metric) const {
  std::set<Month> months;
  for (const auto& s : series_)
    if (s.metric == metric) months.insert(s.period);
  return {months.begin(), months.end()};
}

const char* level_name(Level level) {
  switch (level) {
    case Level::england:
      return "england";
    case Level::region:
      return "region";
    case Level::ics:
      return "ics";
    case Level::org_type:
      return "org_type";
    case Level::cluster:
      return "cluster";
    case Level::organisation:
      return "organisation";
    case Level::staff_group:
      return "staff_group";
  }
  return "england";
}

std::optional<Level> parse_level(std::string_view text) {
  for (Level level : {Level::england, Level::region, Level::ics, Level::org_type, Level::cluster,
                      Level::organisation, Level::staff_group})
    if (text == level_name(level)) return level;
  return std::nullopt;
}

Result<std::vector<Aggregate>> aggregate(const BenchmarkSet& set, const AggregateQuery& query) {
  const Layout* layout = nullptr;
  const MetricSpec* metric = find_metric(query.metric, &layout);
  if (!metric)
    return make_error(ErrorCode::not_found, "unknown benchmark metric '" + query.metric + "'");
  if (query.places < -1 || query.places > 9)
    return make_error(ErrorCode::invalid_argument, "decimal places must be between 0 and 9");
  const int places = query.places >= 0 ? query.places : metric->places;
  const NumberStyle style = query.style.value_or(metric->style);

  std::map<std::string, Aggregate> groups;
  for (const auto& s : set.series()) {
    if (s.metric != query.metric || s.period != query.period) continue;
    if (query.level != Level::staff_group && s.staff_group != query.staff_group) continue;
    std::string code, name, region;
    switch (query.level) {
      case Level::england:
        code = "ENG", name = "England";
        break;
      case Level::region:
        code = s.region_code, name = s.region_name;
        break;
      case Level::ics:
        code = s.ics_code, name = s.ics_name, region = s.region_code;
        break;
      case Level::org_type:
        code = name = s.org_type;
        break;
      case Level::cluster:
        code = name = s.cluster;
        break;
      case Level::organisation:
        code = s.org_code, name = s.org_name, region = s.region_code;
        break;
      case Level::staff_group:
        code = name = s.staff_group;
        break;
    }
    if (code.empty()) continue;  // the publication has no such breakdown
    auto [it, inserted] = groups.try_emplace(code);
    Aggregate& group = it->second;
    if (inserted) {
      group.code = code;
      group.name = name;
      group.region_code = region;
      group.non_geographic = (query.level == Level::region || query.level == Level::ics) &&
                             layout->is_non_geographic(code);
      if (s.denominator) group.denominator = Decimal();
    }
    CF_ASSIGN_OR_RETURN(group.numerator, group.numerator.checked_add(s.numerator));
    if (s.denominator && group.denominator) {
      CF_ASSIGN_OR_RETURN(group.denominator, group.denominator->checked_add(*s.denominator));
    }
    ++group.organisations;
  }

  std::vector<Aggregate> out;
  out.reserve(groups.size());
  for (auto& [code, group] : groups) {
    if (metric->kind == MetricKind::count) {
      group.value = group.numerator.format(places, style);
    } else if (group.denominator && !group.denominator->is_zero()) {
      CF_ASSIGN_OR_RETURN(Decimal value, percent(group.numerator, *group.denominator, places));
      group.value = value.format(places, style);
    }
    out.push_back(std::move(group));
  }
  return out;
}

std::strong_ordering compare_values(const Aggregate& a, const Aggregate& b) {
  if (!a.denominator || !b.denominator) return a.numerator <=> b.numerator;
  const bool a_ok = !a.denominator->is_zero(), b_ok = !b.denominator->is_zero();
  if (!a_ok || !b_ok) return a_ok <=> b_ok;
  return compare_ratios(a.numerator, *a.denominator, b.numerator, *b.denominator);
}

}  // namespace careforce::benchmarks
