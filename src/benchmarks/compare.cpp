#include "benchmarks/compare.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

namespace careforce::benchmarks {
namespace {

struct Entity {
  bool is_ics = true;
  std::string code;
  std::string org_type;  // organisations only
  std::string cluster;
};

const Aggregate* find_group(const std::vector<Aggregate>& groups, std::string_view code) {
  for (const auto& g : groups)
    if (g.code == code) return &g;
  return nullptr;
}

// Rank `target` among `peers` (which include it) by exact value.
std::optional<PeerStanding> standing(std::string group, std::string label,
                                     const std::vector<const Aggregate*>& peers,
                                     const Aggregate& target) {
  std::vector<const Aggregate*> valued;
  for (const auto* p : peers)
    if (!p->value.empty()) valued.push_back(p);
  if (valued.empty() || target.value.empty()) return std::nullopt;
  PeerStanding s;
  s.group = std::move(group);
  s.label = std::move(label);
  s.count = valued.size();
  s.rank = 1;
  for (const auto* p : valued)
    if (compare_values(*p, target) < 0) ++s.rank;
  s.quartile = static_cast<int>((4 * s.rank + s.count - 1) / s.count);
  auto [lo, hi] = std::minmax_element(valued.begin(), valued.end(),
                                      [](auto* a, auto* b) { return compare_values(*a, *b) < 0; });
  s.lowest = (*lo)->value;
  s.highest = (*hi)->value;
  return s;
}

Result<Entity> resolve_entity(const BenchmarkSet& set, const CompareOptions& options) {
  Entity entity;
  entity.is_ics = !options.ics_code.empty();
  entity.code = entity.is_ics ? options.ics_code : options.org_code;
  for (const auto& s : set.series()) {
    if (entity.is_ics ? s.ics_code == entity.code : s.org_code == entity.code) {
      entity.org_type = s.org_type;
      entity.cluster = s.cluster;
      return entity;
    }
  }
  return make_error(ErrorCode::not_found, (entity.is_ics ? "no benchmark series for ICS '"
                                                         : "no benchmark series for "
                                                           "organisation '") +
                                              entity.code + "'");
}

std::vector<std::string> default_metrics(const BenchmarkSet& set, const Entity& entity) {
  std::set<std::string> names;
  for (const auto& s : set.series()) {
    if (!s.denominator) continue;
    if (entity.is_ics ? s.ics_code == entity.code : s.org_code == entity.code)
      names.insert(s.metric);
  }
  return {names.begin(), names.end()};
}

Result<std::optional<Comparison>> compare_one(const BenchmarkSet& set, const Entity& entity,
                                              const CompareOptions& options,
                                              const std::string& metric, Month period) {
  AggregateQuery query;
  query.metric = metric;
  query.period = period;
  query.staff_group = options.staff_group;
  query.places = options.places;
  query.level = entity.is_ics ? Level::ics : Level::organisation;
  CF_ASSIGN_OR_RETURN(auto groups, aggregate(set, query));
  const Aggregate* self = find_group(groups, entity.code);
  if (!self) return std::optional<Comparison>();

  Comparison c;
  c.metric = metric;
  c.period = period;
  c.entity = *self;
  query.level = Level::england;
  CF_ASSIGN_OR_RETURN(auto england, aggregate(set, query));
  if (!england.empty()) c.england = england.front();
  query.level = Level::region;
  CF_ASSIGN_OR_RETURN(auto regions, aggregate(set, query));
  if (const Aggregate* r = find_group(regions, self->region_code)) c.region = *r;
  const std::string region_name = c.region ? c.region->name : self->region_code;

  if (entity.is_ics) {
    std::vector<const Aggregate*> all, same_region;
    for (const auto& g : groups) {
      if (g.non_geographic) continue;
      all.push_back(&g);
      if (g.region_code == self->region_code) same_region.push_back(&g);
    }
    if (!self->non_geographic) {
      if (auto s = standing("ics_england", "ICSs in England", all, *self)) c.peers.push_back(*s);
      if (auto s = standing("ics_region", "ICSs in " + region_name, same_region, *self))
        c.peers.push_back(*s);
    }
  } else {
    // Organisation: its ICS, and peers of the same type and benchmark group across England.
    std::map<std::string, std::pair<std::string, std::string>> kinds;  // org -> (type, cluster)
    std::string ics_code;
    for (const auto& s : set.series()) {
      if (s.metric != metric || s.period != period || s.staff_group != options.staff_group)
        continue;
      kinds[s.org_code] = {s.org_type, s.cluster};
      if (s.org_code == entity.code) ics_code = s.ics_code;
    }
    query.level = Level::ics;
    CF_ASSIGN_OR_RETURN(auto ics_groups, aggregate(set, query));
    if (const Aggregate* i = find_group(ics_groups, ics_code)) c.ics = *i;
    const auto& [type, cluster] = kinds[entity.code];
    std::vector<const Aggregate*> same_type, same_cluster;
    for (const auto& g : groups) {
      const auto& k = kinds[g.code];
      if (k.first == type) same_type.push_back(&g);
      if (!cluster.empty() && k.second == cluster) same_cluster.push_back(&g);
    }
    if (auto s = standing("org_type", type + " organisations", same_type, *self))
      c.peers.push_back(*s);
    if (!cluster.empty())
      if (auto s = standing("cluster", cluster + " organisations", same_cluster, *self))
        c.peers.push_back(*s);
  }
  return std::optional<Comparison>(std::move(c));
}

std::string denominator_text(const Aggregate& a) {
  return a.denominator ? a.denominator->short_text() : "";
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char ch : text) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

nlohmann::json aggregate_json(const Aggregate& a) {
  nlohmann::json j{{"code", a.code},
                   {"name", a.name},
                   {"value", a.value},
                   {"numerator", a.numerator.short_text()},
                   {"organisations", a.organisations}};
  j["denominator"] = a.denominator ? nlohmann::json(a.denominator->short_text()) : nlohmann::json();
  return j;
}

std::string render_text(const std::vector<Comparison>& rows, const CompareOptions& options) {
  std::string out = fmt::format(
      "Benchmarks for {} {} (staff group: {})\n", options.ics_code.empty() ? "organisation" : "ICS",
      options.ics_code.empty() ? options.org_code : options.ics_code, options.staff_group);
  if (rows.empty()) return out + "No figures for the requested metrics and periods.\n";
  out += fmt::format("{} {}\n", rows.front().entity.code, rows.front().entity.name);
  std::string last_metric;
  for (const auto& c : rows) {
    if (c.metric != last_metric) {
      const MetricSpec* spec = find_metric(c.metric);
      out += fmt::format("\n{}\n", spec ? spec->label : c.metric);
      out += fmt::format("  {:<8} {:>9} {:>9} {:>9}", "period", "value", "England", "region");
      if (!options.org_code.empty()) out += fmt::format(" {:>9}", "ICS");
      out += "  standing (rank of count, quartile; 1 = lowest)\n";
      last_metric = c.metric;
    }
    out += fmt::format("  {:<8} {:>9} {:>9} {:>9}", c.period.iso(), c.entity.value, c.england.value,
                       c.region ? c.region->value : "-");
    if (!options.org_code.empty()) out += fmt::format(" {:>9}", c.ics ? c.ics->value : "-");
    std::string sep = "  ";
    for (const auto& p : c.peers) {
      out += fmt::format("{}{}: {} of {}, Q{}", sep, p.label, p.rank, p.count, p.quartile);
      sep = "; ";
    }
    out += "\n";
  }
  return out;
}

std::string render_csv(const std::vector<Comparison>& rows) {
  std::string out =
      "metric,period,entity_code,entity_name,numerator,denominator,value,england_value,"
      "region_code,region_value,ics_code,ics_value,peer_group,peer_label,rank,peer_count,"
      "quartile,peer_lowest,peer_highest\n";
  for (const auto& c : rows) {
    const std::string head = fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{}", c.metric, c.period.iso(), csv_field(c.entity.code),
        csv_field(c.entity.name), c.entity.numerator.short_text(), denominator_text(c.entity),
        c.entity.value, c.england.value, c.region ? csv_field(c.region->code) : "",
        c.region ? c.region->value : "", c.ics ? csv_field(c.ics->code) : "",
        c.ics ? c.ics->value : "");
    if (c.peers.empty()) out += head + ",,,,,,,\n";
    for (const auto& p : c.peers)
      out += fmt::format("{},{},{},{},{},{},{},{}\n", head, p.group, csv_field(p.label), p.rank,
                         p.count, p.quartile, p.lowest, p.highest);
  }
  return out;
}

std::string render_json(const std::vector<Comparison>& rows, const CompareOptions& options) {
  nlohmann::json j;
  j["entity"] = {{"kind", options.ics_code.empty() ? "organisation" : "ics"},
                 {"code", options.ics_code.empty() ? options.org_code : options.ics_code}};
  j["staff_group"] = options.staff_group;
  j["rank_order"] = "ascending: rank 1 is the lowest value";
  auto& list = j["comparisons"] = nlohmann::json::array();
  for (const auto& c : rows) {
    nlohmann::json row{{"metric", c.metric},
                       {"period", c.period.iso()},
                       {"entity", aggregate_json(c.entity)},
                       {"england", aggregate_json(c.england)}};
    row["region"] = c.region ? aggregate_json(*c.region) : nlohmann::json();
    if (!options.org_code.empty()) row["ics"] = c.ics ? aggregate_json(*c.ics) : nlohmann::json();
    auto& peers = row["peers"] = nlohmann::json::array();
    for (const auto& p : c.peers)
      peers.push_back({{"group", p.group},
                       {"label", p.label},
                       {"rank", p.rank},
                       {"count", p.count},
                       {"quartile", p.quartile},
                       {"lowest", p.lowest},
                       {"highest", p.highest}});
    list.push_back(std::move(row));
  }
  return j.dump(2) + "\n";
}

}  // namespace

std::optional<OutputFormat> parse_output_format(std::string_view text) {
  if (text == "text") return OutputFormat::text;
  if (text == "csv") return OutputFormat::csv;
  if (text == "json") return OutputFormat::json;
  return std::nullopt;
}

Status CompareOptions::validate() const {
  if (ics_code.empty() == org_code.empty())
    return make_error(ErrorCode::invalid_argument,
                      "give exactly one of --ics and --org to compare");
  for (const auto& m : metrics)
    if (!find_metric(m))
      return make_error(ErrorCode::invalid_argument, "unknown benchmark metric '" + m + "'");
  if (staff_group.empty())
    return make_error(ErrorCode::invalid_argument, "staff group must not be blank");
  if (from && to && *to < *from)
    return make_error(ErrorCode::invalid_argument,
                      "--from " + from->iso() + " is after --to " + to->iso());
  if (places < -1 || places > 9)
    return make_error(ErrorCode::invalid_argument, "--places must be between 0 and 9");
  return Status::ok();
}

Result<std::vector<Comparison>> compare(const BenchmarkSet& set, const CompareOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  CF_ASSIGN_OR_RETURN(Entity entity, resolve_entity(set, options));
  const std::vector<std::string> metrics =
      options.metrics.empty() ? default_metrics(set, entity) : options.metrics;
  std::vector<Comparison> out;
  for (const auto& metric : metrics) {
    for (Month period : set.periods(metric)) {
      if ((options.from && period < *options.from) || (options.to && *options.to < period))
        continue;
      CF_ASSIGN_OR_RETURN(auto row, compare_one(set, entity, options, metric, period));
      if (row) out.push_back(std::move(*row));
    }
  }
  return out;
}

Result<std::string> run_compare(const BenchmarkSet& set, const CompareOptions& options) {
  CF_ASSIGN_OR_RETURN(auto rows, compare(set, options));
  switch (options.format) {
    case OutputFormat::text:
      return render_text(rows, options);
    case OutputFormat::csv:
      return render_csv(rows);
    case OutputFormat::json:
      return render_json(rows, options);
  }
  return make_error(ErrorCode::internal, "unknown output format");
}

}  // namespace careforce::benchmarks
