#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "projection/runner.hpp"

namespace careforce::projection {

namespace {

std::string fixed(double value, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, value + 0.0);
  return buf;
}

// "12,345" style thousands for the table and the explanation.
std::string grouped(double value, int decimals = 0) {
  std::string s = fixed(value < 0 ? -value : value, decimals);
  const size_t dot = s.find('.');
  std::string whole = s.substr(0, dot), rest = dot == std::string::npos ? "" : s.substr(dot);
  std::string out;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) out += ',';
    out += whole[i];
  }
  return (value < 0 && std::stod(s) != 0 ? "-" : "") + out + rest;
}

nlohmann::json quantiles_json(const Quantiles& q) {
  return {{"p10", q.p10}, {"p50", q.p50}, {"p90", q.p90}};
}

std::string format_json(const ProjectionResult& r) {
  nlohmann::json out;
  out["years"] = r.options.years;
  out["runs"] = r.options.runs;
  out["seed"] = r.options.seed;
  out["census"] = r.calibration.census.end().iso();
  out["base_year"] = r.calibration.base_year.label();
  out["gap_threshold"] = r.options.gap_threshold;
  auto& params = out["parameters"] = nlohmann::json::object();
  for (const auto& p : r.calibration.parameters)
    params[p.name] = {{"value", p.value},
                      {"provenance", provenance_name(p.provenance)},
                      {"spread", p.spread},
                      {"sample_size", p.sample_size},
                      {"note", p.note}};
  auto& scenarios = out["scenarios"] = nlohmann::json::array();
  scenarios.push_back({{"name", "baseline"},
                       {"description", "calibrated from the data, no interventions"},
                       {"interventions", nlohmann::json::array()}});
  for (const auto& s : r.scenarios) {
    nlohmann::json ivs = nlohmann::json::array();
    for (const auto& iv : s.interventions)
      ivs.push_back({{"type", intervention_spec(iv.type).name},
                     {"label", iv.label},
                     {"description", iv.describe()}});
    scenarios.push_back({{"name", s.name}, {"description", s.description}, {"interventions", ivs}});
  }
  auto& series = out["series"] = nlohmann::json::array();
  for (const auto& row : r.series)
    series.push_back({{"scenario", row.scenario},
                      {"year", row.year.label()},
                      {"scope_type", row.scope_type},
                      {"scope", row.scope},
                      {"staff_group", row.staff_group},
                      {"role_code", row.role_code},
                      {"supply", quantiles_json(row.supply)},
                      {"demand", quantiles_json(row.demand)},
                      {"gap", quantiles_json(row.gap)},
                      {"cost_gbp", quantiles_json(row.cost_gbp)},
                      {"p_gap_exceeds_threshold", row.p_gap_exceeds}});
  auto& attribution = out["attribution"] = nlohmann::json::array();
  for (const auto& a : r.attribution)
    attribution.push_back({{"scenario", a.scenario},
                           {"intervention", a.intervention},
                           {"type", a.type},
                           {"year", a.year.label()},
                           {"gap_closed_fte", quantiles_json(a.gap_closed_fte)}});
  return out.dump(2) + "\n";
}

std::string format_csv(const ProjectionResult& r) {
  std::ostringstream out;
  out << "scenario,year,scope_type,scope,staff_group,role_code";
  for (const char* m : {"supply", "demand", "gap", "cost_gbp"})
    for (const char* q : {"p10", "p50", "p90"}) out << ',' << m << '_' << q;
  out << ",p_gap_exceeds_threshold\n";
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& row : r.series) {
    out << quote(row.scenario) << ',' << row.year.label() << ',' << row.scope_type << ','
        << quote(row.scope) << ',' << row.staff_group << ',' << row.role_code;
    for (const Quantiles* q : {&row.supply, &row.demand, &row.gap})
      out << ',' << fixed(q->p10, 1) << ',' << fixed(q->p50, 1) << ',' << fixed(q->p90, 1);
    out << ',' << fixed(row.cost_gbp.p10, 0) << ',' << fixed(row.cost_gbp.p50, 0) << ','
        << fixed(row.cost_gbp.p90, 0);
    out << ',' << fixed(row.p_gap_exceeds, 3) << '\n';
  }
  return out.str();
}

// Pad to `width`; a value as wide as its column still keeps one space before the next.
std::string pad(const std::string& s, size_t width, bool right = false) {
  if (s.size() >= width) return right ? " " + s : s + " ";
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

// "51,316.6 [51,102.3 to 51,530.9]" is 32 characters; "-12,345.6 [-13,000.0 to -11,000.0]" 35.
constexpr size_t kCell = 36;

std::string format_table(const ProjectionResult& r) {
  std::ostringstream out;
  out << "Workforce projection from the census of " << r.calibration.census.end().iso() << " ("
      << r.calibration.base_year.label() << "), " << r.options.years << " years, " << r.options.runs
      << " runs, seed " << r.options.seed << ".\n"
      << "FTE as P50 [P10 to P90]; gap = demand - supply, positive = shortfall.\n";
  std::set<int> horizons;
  for (int h : {5, 10, 15, r.options.years})
    if (h >= 1 && h <= r.options.years) horizons.insert(h);
  std::string current;
  for (const auto& row : r.series) {
    if (!horizons.count(row.t)) continue;
    const std::string heading =
        row.scenario + " | " + row.scope_type + (row.scope_type == "system" ? "" : " " + row.scope);
    if (heading != current) {
      current = heading;
      out << "\n"
          << heading << "\n"
          << pad("year", 9) << pad("role", 32) << pad("supply FTE", kCell, true)
          << pad("demand FTE", kCell, true) << pad("gap FTE", kCell, true)
          << pad("P(gap>" + fixed(r.options.gap_threshold, 0) + ")", 10, true)
          << pad("cost GBP m", 12, true) << "\n";
    }
    auto cell = [](const Quantiles& q) {
      return grouped(q.p50, 1) + " [" + grouped(q.p10, 1) + " to " + grouped(q.p90, 1) + "]";
    };
    const std::string who = row.role_code != "all"     ? row.role_code
                            : row.staff_group == "all" ? "all staff"
                                                       : row.staff_group;
    out << pad(row.year.label(), 9) << pad(who, 32) << pad(cell(row.supply), kCell, true)
        << pad(cell(row.demand), kCell, true) << pad(cell(row.gap), kCell, true)
        << pad(fixed(row.p_gap_exceeds, 2), 10, true)
        << pad(fixed(row.cost_gbp.p50 / 1e6, 1), 12, true) << "\n";
  }
  if (!r.attribution.empty()) {
    out << "\nHow much of the system gap each intervention closes (FTE, P50 [P10 to P90], added in "
           "file order)\n";
    for (const auto& a : r.attribution)
      out << pad(a.scenario, 24) << pad(a.intervention, 36) << pad(a.year.label(), 9)
          << grouped(a.gap_closed_fte.p50, 1) << " [" << grouped(a.gap_closed_fte.p10, 1) << " to "
          << grouped(a.gap_closed_fte.p90, 1) << "]\n";
  }
  return out.str();
}

}  // namespace

std::string format_result(const ProjectionResult& result) {
  if (result.options.format == "json") return format_json(result);
  if (result.options.format == "csv") return format_csv(result);
  return format_table(result);
}

std::string explain(const Calibration& cal, const std::vector<Scenario>& scenarios,
                    const ProjectionOptions& options) {
  std::ostringstream out;
  int64_t heads = 0;
  double fte = 0, establishment = 0, funded_sent = 0;
  for (const auto& line : cal.lines) {
    for (size_t a = 0; a < kAgeBands; ++a) {
      heads += line.headcount[a];
      fte += static_cast<double>(line.headcount[a]) * line.fte_per_head[a];
    }
    establishment += line.establishment_fte;
    funded_sent += line.funded_fte_sent;
  }
  std::map<Provenance, int> by_provenance;
  for (const auto& p : cal.parameters) by_provenance[p.provenance] += 1;
  out << "Assumptions of the workforce projection\n\n";
  out << "- The projection starts from the staff in post at " << cal.census.end().iso()
      << " (financial year " << cal.base_year.label()
      << "): " << grouped(static_cast<double>(heads)) << " posts held (a person in two roles "
      << "counts twice), " << grouped(fte, 1) << " FTE, in " << cal.units.size()
      << (cal.by_place ? " sector-and-place groups and " : " sectors and ") << cal.lines.size()
      << " role groups, each split into 5-year age bands.\n";
  out << "- It runs " << options.years << " years ahead, " << options.runs
      << " times with different random draws (seed " << options.seed
      << "); the figures are the middle run (P50) and the range that 8 runs in 10 fall within (P10 "
         "to P90).\n";
  if (cal.has_window)
    out << "- Leaving, joining and moving rates are those observed over the 12 months to "
        << cal.census.end().iso()
        << ", counting who was in post at each end of the year (the snapshot method).\n";
  else
    out << "- The data hold no census 12 months before the latest one, so leaving rates are "
           "national "
           "approximations and each group is assumed to replace its leavers.\n";
  out << "- Each year, some staff leave (a chance per person that depends on role and age; small "
         "groups borrow "
         "strength from the role's overall rate). Some leavers retire; others move to another part "
         "of the "
         "system, where they arrive as joiners, as they were seen to move between organisations.\n";
  out << "- New staff join from outside at the numbers seen last year, by route: newly qualified, "
         "international, "
         "return to practice, apprenticeships and other. Everyone ages a year; FTE per person "
         "stays as observed.\n";
  out << "- Demand starts from the funded establishment (" << grouped(establishment, 1)
      << " FTE: " << grouped(funded_sent, 1)
      << " FTE as the organisations sent it and, where an organisation sent none for a role, "
         "its FTE in post plus the vacant posts it stated) and grows with the population of each "
         "place, weighted so older age groups use more services.\n";
  out << "- Productivity gain is assumed to be " << fixed(cal.productivity_gain * 100, 1)
      << "% a year. Leaver rates and productivity are varied from run to run by their "
         "uncertainty.\n";
  out << "- A shortfall is costed as filled by bank staff (" << fixed(cal.bank_fill_share * 100, 0)
      << "% of it, at " << fixed(cal.bank_premium, 2)
      << " times substantive pay) and agency staff (at " << fixed(cal.agency_premium, 2)
      << " times).\n";
  out << "- Of " << cal.parameters.size() << " parameters, " << by_provenance[Provenance::observed]
      << " come from the data, " << by_provenance[Provenance::default_value] << " are defaults and "
      << by_provenance[Provenance::user] << " were set by the user.\n";
  for (const auto& s : scenarios) {
    out << "\nScenario \"" << s.name << "\"" << (s.description.empty() ? "" : ": " + s.description)
        << "\n";
    for (const auto& iv : s.interventions) out << "- " << iv.label << ": " << iv.describe() << "\n";
  }
  return out.str();
}

}  // namespace careforce::projection
