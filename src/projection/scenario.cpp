#include "projection/scenario.hpp"

#include "core/date.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace careforce::projection {

namespace {

using IT = InterventionType;

std::string at(std::string_view source, const toml::node& node) {
  return std::string(source) + ":" + std::to_string(node.source().begin.line);
}

Error bad(std::string_view source, const toml::node& node, std::string message) {
  return make_error(ErrorCode::parse_error, at(source, node) + ": " + message, std::string(source));
}

std::string nearest_list(const CodeList& list, std::string_view value) {
  std::string out;
  for (const auto& code : list.nearest(value)) out += (out.empty() ? "" : ", ") + code;
  return out;
}

}  // namespace

const std::vector<InterventionSpec>& intervention_specs() {
  static const std::vector<InterventionSpec> specs = {
      {IT::turnover_change,
       "turnover_change",
       "Change the non-retirement leaver rate by change_pp percentage points, phased in over "
       "phase_in_years",
       {"change_pp"},
       {"phase_in_years"}},
      {IT::retirement_deferral,
       "retirement_deferral",
       "Defer a share of retirements (retire and return, flexible retirement)",
       {"share"},
       {}},
      {IT::training_places,
       "training_places",
       "Add intake training places a year; intake x completion_rate x local_share join after "
       "course_years",
       {"intake"},
       {"completion_rate", "local_share", "course_years"}},
      {IT::international_recruitment,
       "international_recruitment",
       "Change international recruits by per_year people or by percent",
       {},
       {"per_year", "percent"}},
      {IT::return_to_practice,
       "return_to_practice",
       "Change return-to-practice joiners by per_year people or by percent",
       {},
       {"per_year", "percent"}},
      {IT::apprenticeships,
       "apprenticeships",
       "Change apprenticeship joiners by per_year people or by percent",
       {},
       {"per_year", "percent"}},
      {IT::bank_to_substantive,
       "bank_to_substantive",
       "Convert per_year bank or agency workers to substantive posts",
       {"per_year"},
       {}},
      {IT::new_role,
       "new_role",
       "Fund fte posts of a (new) role and recruit per_year people, a share of them from from_role",
       {"role"},
       {"fte", "per_year", "share", "from_role", "from_sector"}},
      {IT::skill_mix,
       "skill_mix",
       "Meet share of the role's new demand with to_role at ratio FTE per FTE",
       {"role", "to_role", "share"},
       {"ratio"}},
      {IT::demand_step,
       "demand_step",
       "Add fte funded FTE, or percent, to demand from the start year",
       {},
       {"fte", "percent"}},
      {IT::demand_growth,
       "demand_growth",
       "Add percent a year compounding growth in demand",
       {"percent"},
       {}},
      {IT::productivity,
       "productivity",
       "Set the productivity gain per year (0.01 = 1% a year)",
       {"gain"},
       {}},
      {IT::wisn,
       "wisn",
       "Compute the role's demand by WISN: activities x minutes / available working time",
       {"role", "activities"},
       {"available_hours", "allowance_factor"}},
  };
  return specs;
}

const InterventionSpec& intervention_spec(InterventionType type) {
  for (const auto& spec : intervention_specs())
    if (spec.type == type) return spec;
  return intervention_specs().front();
}

std::string Target::describe() const {
  std::string out;
  if (role)
    out += roles().code(*role);
  else if (staff_group)
    out += "staff group " + staff_groups().code(*staff_group);
  else
    out += "all roles";
  if (sector) out += " in sector " + sectors().code(static_cast<uint8_t>(*sector));
  if (place) out += " in place " + *place;
  return out;
}

std::string Intervention::describe() const {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(1);
  const std::string who = target.describe();
  const std::string from = start_year > 0 ? " from " + FinancialYear{start_year}.label()
                                          : " from the first projection year";
  switch (type) {
    case IT::turnover_change:
      s << "Change the leaver rate of " << who << " by " << change_pp
        << " percentage points, phased in over " << phase_in_years << " years" << from << ".";
      break;
    case IT::retirement_deferral:
      s << "Defer " << share * 100 << "% of retirements of " << who << from << ".";
      break;
    case IT::training_places:
      s << "Add " << intake << " training places a year for " << who << from << "; "
        << intake * completion_rate * local_share << " a year join after " << course_years
        << " years (completion " << completion_rate * 100 << "%, local share " << local_share * 100
        << "%).";
      break;
    case IT::international_recruitment:
    case IT::return_to_practice:
    case IT::apprenticeships:
      s << "Change " << intervention_spec(type).name << " joiners of " << who << " by ";
      if (per_year != 0) s << per_year << " people a year";
      if (per_year != 0 && percent != 0) s << " and ";
      if (percent != 0) s << percent << "%";
      s << from << ".";
      break;
    case IT::bank_to_substantive:
      s << "Convert " << per_year << " bank or agency workers a year to substantive " << who
        << " posts" << from << ".";
      break;
    case IT::new_role:
      s << "Fund " << fte << " FTE of " << who << " and recruit " << per_year << " people a year";
      if (from_role) s << ", " << share * 100 << "% of them from " << roles().code(*from_role);
      s << from << ".";
      break;
    case IT::skill_mix:
      s << "Meet " << share * 100 << "% of new demand for " << who << " with "
        << (to_role ? roles().code(*to_role) : std::string("?")) << " at " << ratio
        << " FTE per FTE" << from << ".";
      break;
    case IT::demand_step:
      s << "Add ";
      if (fte != 0) s << fte << " FTE";
      if (fte != 0 && percent != 0) s << " and ";
      if (percent != 0) s << percent << "%";
      s << " to the demand for " << who << from << ".";
      break;
    case IT::demand_growth:
      s << "Grow demand for " << who << " by a further " << percent << "% a year" << from << ".";
      break;
    case IT::productivity:
      s << "Assume productivity gains of " << gain * 100 << "% a year for " << who << from << ".";
      break;
    case IT::wisn: {
      double hours = 0;
      for (const auto& a : activities) hours += a.annual_volume * a.minutes_each / 60.0;
      s << "Compute demand for " << who << " by WISN: " << activities.size() << " activities, "
        << hours << " hours a year / " << available_hours << " available hours per FTE x allowance "
        << allowance_factor << ", growing with the population" << from << ".";
      break;
    }
  }
  return s.str();
}

Result<Scenario> parse_scenario(std::string_view text, std::string_view source) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCode::parse_error,
                      std::string(source) + ":" + std::to_string(e.source().begin.line) + ": " +
                          std::string(e.description()),
                      std::string(source));
  }
  Scenario scenario;
  scenario.source = std::string(source);
  for (const auto& [key, node] : root) {
    if (key == "name" || key == "description") {
      if (!node.is_string()) return bad(source, node, std::string(key.str()) + " must be a string");
      (key == "name" ? scenario.name : scenario.description) = *node.value<std::string>();
    } else if (key != "intervention") {
      return bad(source, node,
                 "unknown key '" + std::string(key.str()) +
                     "' (expected name, description, [[intervention]])");
    }
  }
  if (scenario.name.empty())
    return make_error(ErrorCode::parse_error,
                      std::string(source) + ":1: the scenario needs a name = \"...\"",
                      std::string(source));
  if (scenario.name == "baseline")
    return make_error(
        ErrorCode::parse_error,
        std::string(source) + ":1: 'baseline' is reserved; give the scenario another name",
        std::string(source));
  const toml::node* list_node = root.get("intervention");
  if (!list_node) return scenario;
  const toml::array* list = list_node->as_array();
  if (!list)
    return bad(source, *list_node, "intervention must be an array of tables: [[intervention]]");
  for (const toml::node& item : *list) {
    const toml::table* table = item.as_table();
    if (!table) return bad(source, item, "each intervention must be a table");
    Intervention iv;
    iv.line = static_cast<int>(item.source().begin.line);
    const toml::node* type_node = table->get("type");
    if (!type_node || !type_node->is_string())
      return bad(source, item,
                 "intervention needs type = \"...\" (one of turnover_change, retirement_deferral, "
                 "training_places, international_recruitment, return_to_practice, apprenticeships, "
                 "bank_to_substantive, new_role, skill_mix, demand_step, demand_growth, "
                 "productivity, wisn)");
    const std::string type_name = *type_node->value<std::string>();
    const InterventionSpec* spec = nullptr;
    for (const auto& s : intervention_specs())
      if (type_name == s.name) spec = &s;
    if (!spec) {
      std::string known;
      for (const auto& s : intervention_specs())
        known += (known.empty() ? "" : ", ") + std::string(s.name);
      return bad(source, *type_node,
                 "unknown intervention type '" + type_name + "' (expected one of " + known + ")");
    }
    iv.type = spec->type;
    iv.label = spec->name;
    auto allowed = [&](std::string_view key) {
      if (key == "type" || key == "label" || key == "scope" || key == "start") return true;
      if ((key == "role" || key == "staff_group")) return true;
      for (const char* k : spec->required)
        if (key == k) return true;
      for (const char* k : spec->optional)
        if (key == k) return true;
      return false;
    };
    for (const auto& [key, node] : *table) {
      const std::string k(key.str());
      if (!allowed(k)) {
        std::string keys = "type, label, scope, start, role, staff_group";
        for (const char* r : spec->required) keys += std::string(", ") + r;
        for (const char* o : spec->optional) keys += std::string(", ") + o;
        return bad(source, node,
                   "unknown key '" + k + "' for " + spec->name + " (allowed: " + keys + ")");
      }
    }
    for (const char* k : spec->required)
      if (!table->get(k)) return bad(source, item, std::string(spec->name) + " needs '" + k + "'");

    // Typed readers with messages that name the key and line.
    Status status;
    auto number = [&](const char* key, double& out, double lo, double hi) {
      const toml::node* n = table->get(key);
      if (!n || !status.is_ok()) return;
      auto v = n->value<double>();
      if (!v || !std::isfinite(*v)) {
        status = bad(source, *n, std::string(key) + " must be a number");
        return;
      }
      if (*v < lo || *v > hi) {
        std::ostringstream m;
        m << key << " = " << *v << " is out of range [" << lo << ", " << hi << "]";
        status = bad(source, *n, m.str());
        return;
      }
      out = *v;
    };
    auto code = [&](const char* key, const CodeList& list, auto assign) {
      const toml::node* n = table->get(key);
      if (!n || !status.is_ok()) return;
      if (!n->is_string()) {
        status = bad(source, *n, std::string(key) + " must be a string");
        return;
      }
      const std::string value = *n->value<std::string>();
      auto index = list.find(value);
      if (!index) {
        status = bad(source, *n,
                     "unknown " + list.name() + " '" + value + "' in " + key +
                         " (nearest: " + nearest_list(list, value) + ")");
        return;
      }
      assign(*index);
    };
    if (const toml::node* n = table->get("label")) {
      if (!n->is_string()) return bad(source, *n, "label must be a string");
      iv.label = *n->value<std::string>();
    }
    if (const toml::node* n = table->get("scope")) {
      const auto value = n->value<std::string>();
      if (!value)
        return bad(source, *n, "scope must be a string: system, sector:<sector> or place:<place>");
      const std::string s = *value;
      if (s.rfind("sector:", 0) == 0) {
        auto index = sectors().find(s.substr(7));
        if (!index)
          return bad(source, *n,
                     "unknown sector '" + s.substr(7) +
                         "' in scope (nearest: " + nearest_list(sectors(), s.substr(7)) + ")");
        iv.target.sector = static_cast<Sector>(*index);
      } else if (s.rfind("place:", 0) == 0 && s.size() > 6) {
        iv.target.place = s.substr(6);
      } else if (s != "system") {
        return bad(source, *n,
                   "scope '" + s + "' must be system, sector:<sector> or place:<place>");
      }
    }
    if (const toml::node* n = table->get("start")) {
      const auto value = n->value<std::string>();
      auto year = value ? parse_financial_year(*value) : std::nullopt;
      if (!year) return bad(source, *n, "start must be a financial year such as \"2026/27\"");
      iv.start_year = year->start_year;
    }
    code("role", roles(), [&](uint8_t i) { iv.target.role = i; });
    code("staff_group", staff_groups(), [&](uint8_t i) { iv.target.staff_group = i; });
    code("to_role", roles(), [&](uint8_t i) { iv.to_role = i; });
    code("from_role", roles(), [&](uint8_t i) { iv.from_role = i; });
    code("from_sector", sectors(), [&](uint8_t i) { iv.from_sector = static_cast<Sector>(i); });
    number("change_pp", iv.change_pp, -100, 100);
    number("phase_in_years", iv.phase_in_years, 1, 50);
    number("share", iv.share, 0, 1);
    number("intake", iv.intake, 0, 1e6);
    number("completion_rate", iv.completion_rate, 0, 1);
    number("local_share", iv.local_share, 0, 1);
    double course = iv.course_years;
    number("course_years", course, 0, 10);
    if (course != std::floor(course) && status.is_ok())
      status =
          bad(source, *table->get("course_years"), "course_years must be a whole number of years");
    iv.course_years = static_cast<int>(course);
    number("per_year", iv.per_year, -1e6, 1e6);
    number("percent", iv.percent, -100, 1000);
    number("fte", iv.fte, -1e6, 1e6);
    number("gain", iv.gain, -0.5, 0.5);
    number("ratio", iv.ratio, 0.01, 100);
    number("available_hours", iv.available_hours, 1, 8784);
    number("allowance_factor", iv.allowance_factor, 0.1, 10);
    if (!status.is_ok()) return status.error();
    if (const toml::node* n = table->get("activities")) {
      const toml::array* acts = n->as_array();
      if (!acts || acts->empty())
        return bad(source, *n,
                   "activities must be a non-empty array of {name, annual_volume, minutes_each}");
      for (const toml::node& a : *acts) {
        const toml::table* t = a.as_table();
        if (!t)
          return bad(source, a,
                     "each activity must be a table {name, annual_volume, minutes_each}");
        WisnActivity act;
        auto name = t->get("name") ? t->get("name")->value<std::string>() : std::nullopt;
        auto volume =
            t->get("annual_volume") ? t->get("annual_volume")->value<double>() : std::nullopt;
        auto minutes =
            t->get("minutes_each") ? t->get("minutes_each")->value<double>() : std::nullopt;
        if (!name || !volume || !minutes || *volume < 0 || *minutes < 0)
          return bad(source, a,
                     "activity needs name (string), annual_volume and minutes_each (numbers >= 0)");
        act.name = *name, act.annual_volume = *volume, act.minutes_each = *minutes;
        iv.activities.push_back(act);
      }
    }
    const bool supply_source = iv.type == IT::international_recruitment ||
                               iv.type == IT::return_to_practice || iv.type == IT::apprenticeships;
    if (supply_source && !table->get("per_year") && !table->get("percent"))
      return bad(source, item, std::string(spec->name) + " needs per_year or percent");
    if (iv.type == IT::demand_step && !table->get("fte") && !table->get("percent"))
      return bad(source, item, "demand_step needs fte or percent");
    if (iv.type == IT::training_places && !iv.target.role)
      return bad(source, item, "training_places needs a role");
    if (iv.type == IT::new_role && iv.share > 0 && !iv.from_role)
      return bad(source, item, "new_role with a share of internal recruits needs from_role");
    scenario.interventions.push_back(std::move(iv));
  }
  return scenario;
}

Result<Scenario> load_scenario_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return make_error(ErrorCode::io_error, "cannot read scenario file " + path, path);
  std::ostringstream text;
  text << file.rdbuf();
  return parse_scenario(text.str(), path);
}

}  // namespace careforce::projection
