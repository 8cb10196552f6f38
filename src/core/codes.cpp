#include "core/codes.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "core/csv_text.hpp"

namespace careforce {

CodeList::CodeList(std::string name, std::vector<std::string> codes,
                   std::vector<std::string> labels)
    : name_(std::move(name)), codes_(std::move(codes)), labels_(std::move(labels)) {}

const std::string& CodeList::label(uint8_t index) const {
  return labels_.empty() ? codes_.at(index) : labels_.at(index);
}

std::optional<uint8_t> CodeList::find(std::string_view code) const {
  for (size_t i = 0; i < codes_.size(); ++i)
    if (codes_[i] == code) return static_cast<uint8_t>(i);
  return std::nullopt;
}

std::vector<std::string> CodeList::nearest(std::string_view value, size_t max) const {
  std::vector<std::pair<size_t, size_t>> scored;  // (distance, index)
  for (size_t i = 0; i < codes_.size(); ++i) {
    size_t d = edit_distance(value, codes_[i]);
    // A code that contains the value (or vice versa) is a strong hint: "nurse" -> "adult_nurse".
    if (codes_[i].find(value) != std::string::npos || value.find(codes_[i]) != std::string::npos)
      d = std::min(d, size_t{1});
    scored.emplace_back(d, i);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, i] : scored) {
    if (out.size() >= max) break;
    out.push_back(codes_[i]);
  }
  return out;
}

std::string CodeList::describe() const {
  std::string out;
  for (size_t i = 0; i < codes_.size() && i < 20; ++i) {
    if (i) out += ", ";
    out += codes_[i];
  }
  if (codes_.size() > 20) out += ", ...";
  return out;
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  std::iota(prev.begin(), prev.end(), size_t{0});
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

#define CF_LIST(fn, name, ...)                        \
  const CodeList& fn() {                              \
    static const CodeList list(name, {__VA_ARGS__});  \
    return list;                                      \
  }

CF_LIST(sectors, "sector", "acute", "community", "mental_health", "ambulance", "primary_care",
        "social_care", "vcse", "other")
CF_LIST(data_levels, "data_level", "record", "aggregate")
CF_LIST(bands, "band", "1", "2", "3", "4", "5", "6", "7", "8A", "8B", "8C", "8D", "9", "medical",
        "vsm", "non_afc")
CF_LIST(contract_types, "contract_type", "permanent", "fixed_term")
CF_LIST(sexes, "sex", "female", "male", "not_stated")
CF_LIST(ethnic_groups, "ethnic_group", "white", "mixed", "asian", "black", "other", "not_stated")
CF_LIST(disabilities, "disability", "yes", "no", "not_stated")
CF_LIST(nationality_groups, "nationality_group", "uk", "eu", "non_eu", "not_stated")
CF_LIST(recruitment_sources, "recruitment_source", "newly_qualified", "international",
        "return_to_practice", "apprenticeship", "other_org_in_system", "nhs_outside_system",
        "social_care", "other", "not_stated")
CF_LIST(leaver_reasons, "reason", "voluntary_worklife_balance", "voluntary_relocation",
        "voluntary_promotion", "voluntary_better_pay", "voluntary_other", "retirement",
        "flexi_retirement", "end_of_fixed_term", "rotation", "dismissal", "redundancy",
        "death_in_service", "other", "not_stated")
CF_LIST(destinations, "destination", "other_org_in_system", "nhs_outside_system", "social_care",
        "private_sector", "retirement", "education", "abroad", "other", "not_stated")
CF_LIST(absence_reasons, "absence_reason", "anxiety_stress_depression", "musculoskeletal", "back",
        "cold_flu", "gastrointestinal", "injury", "chest_respiratory", "headache_migraine",
        "infectious_disease", "pregnancy_related", "other", "not_stated")
CF_LIST(shift_outcomes, "outcome", "bank", "agency", "unfilled")
CF_LIST(cover_reasons, "cover_reason", "vacancy", "sickness", "extra_demand", "other")
CF_LIST(population_kinds, "kind", "estimate", "projection")
CF_LIST(directions, "direction", "lower_is_better", "higher_is_better")
CF_LIST(population_age_bands, "age_band", "0-4", "5-9", "10-14", "15-19", "20-24", "25-29",
        "30-34", "35-39", "40-44", "45-49", "50-54", "55-59", "60-64", "65-69", "70-74", "75-79",
        "80-84", "85+")
#undef CF_LIST

namespace {

struct EmbeddedLists {
  CodeList staff_groups{"staff_group", {}};
  CodeList roles{"role_code", {}};
  std::vector<RoleInfo> role_info;
  std::vector<std::string> families;
};

const EmbeddedLists& embedded() {
  static const EmbeddedLists lists = [] {
    EmbeddedLists out;
    auto groups = parse_simple_csv(embedded_staff_groups_csv());
    std::vector<std::string> codes, labels;
    for (size_t i = 1; i < groups.size(); ++i) {
      codes.push_back(groups[i].at(0));
      labels.push_back(groups[i].at(1));
      out.families.push_back(groups[i].at(2));
    }
    out.staff_groups = CodeList("staff_group", codes, labels);
    auto roles = parse_simple_csv(embedded_roles_csv());
    codes.clear();
    labels.clear();
    for (size_t i = 1; i < roles.size(); ++i) {
      const auto& row = roles[i];
      codes.push_back(row.at(0));
      labels.push_back(row.at(2));
      auto group = out.staff_groups.find(row.at(1));
      if (!group) throw std::logic_error("roles.csv names an unknown staff group: " + row.at(1));
      out.role_info.push_back({*group, row.at(3) == "yes", row.at(4) == "yes"});
    }
    out.roles = CodeList("role_code", codes, labels);
    return out;
  }();
  return lists;
}

}  // namespace

const CodeList& staff_groups() { return embedded().staff_groups; }
const CodeList& roles() { return embedded().roles; }
const RoleInfo& role_info(uint8_t role) { return embedded().role_info.at(role); }
const std::string& staff_group_family(uint8_t staff_group) {
  return embedded().families.at(staff_group);
}

const CodeList* code_list_by_name(std::string_view name) {
  static const std::map<std::string, const CodeList*, std::less<>> by_name = [] {
    std::map<std::string, const CodeList*, std::less<>> m;
    for (const CodeList* list :
         {&sectors(), &data_levels(), &bands(), &contract_types(), &sexes(), &ethnic_groups(),
          &disabilities(), &nationality_groups(), &recruitment_sources(), &leaver_reasons(),
          &destinations(), &absence_reasons(), &shift_outcomes(), &cover_reasons(),
          &population_kinds(), &directions(), &population_age_bands(), &staff_groups(), &roles()})
      m[list->name()] = list;
    return m;
  }();
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : it->second;
}

}  // namespace careforce
