#pragma once
// The controlled lists of the data standard. Each list is declared once (codes.cpp);
// a code's position in its list is its small-integer value in the columnar model.
// staff_groups and roles come from data/codes/*.csv, embedded in the binary at build time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace careforce {

/// Value used in model columns for "blank" (e.g. establishment role_code left empty).
inline constexpr uint8_t kAnyCode = 255;

class CodeList {
 public:
  CodeList(std::string name, std::vector<std::string> codes, std::vector<std::string> labels = {});

  const std::string& name() const { return name_; }
  size_t size() const { return codes_.size(); }
  const std::vector<std::string>& codes() const { return codes_; }
  const std::string& code(uint8_t index) const { return codes_.at(index); }
  /// The display label (the code itself when the list has no labels).
  const std::string& label(uint8_t index) const;
  /// Return the code's index, or nullopt if it is not in the list (exact, case-sensitive).
  std::optional<uint8_t> find(std::string_view code) const;
  /// Return up to `max` codes closest to `value` by edit distance, nearest first.
  std::vector<std::string> nearest(std::string_view value, size_t max = 3) const;
  /// Join the codes as "a, b, c" for messages (lists of up to 20 codes).
  std::string describe() const;

 private:
  std::string name_;
  std::vector<std::string> codes_;
  std::vector<std::string> labels_;
};

// Enumerations whose values the library reasons about; their order matches the lists.
enum class Sector : uint8_t { acute, community, mental_health, ambulance, primary_care, social_care, vcse, other };
enum class DataLevel : uint8_t { record, aggregate };
enum class Band : uint8_t { b1, b2, b3, b4, b5, b6, b7, b8a, b8b, b8c, b8d, b9, medical, vsm, non_afc };
enum class ContractType : uint8_t { permanent, fixed_term };
enum class Sex : uint8_t { female, male, not_stated };
enum class EthnicGroup : uint8_t { white, mixed, asian, black, other, not_stated };
enum class Disability : uint8_t { yes, no, not_stated };
enum class NationalityGroup : uint8_t { uk, eu, non_eu, not_stated };
enum class RecruitmentSource : uint8_t { newly_qualified, international, return_to_practice, apprenticeship, other_org_in_system, nhs_outside_system, social_care, other, not_stated };
enum class LeaverReason : uint8_t { voluntary_worklife_balance, voluntary_relocation, voluntary_promotion, voluntary_better_pay, voluntary_other, retirement, flexi_retirement, end_of_fixed_term, rotation, dismissal, redundancy, death_in_service, other, not_stated };
enum class Destination : uint8_t { other_org_in_system, nhs_outside_system, social_care, private_sector, retirement, education, abroad, other, not_stated };
enum class AbsenceReason : uint8_t { anxiety_stress_depression, musculoskeletal, back, cold_flu, gastrointestinal, injury, chest_respiratory, headache_migraine, infectious_disease, pregnancy_related, other, not_stated };
enum class ShiftOutcome : uint8_t { bank, agency, unfilled };
enum class CoverReason : uint8_t { vacancy, sickness, extra_demand, other };
enum class PopulationKind : uint8_t { estimate, projection };
enum class Direction : uint8_t { lower_is_better, higher_is_better };

const CodeList& sectors();
const CodeList& data_levels();
const CodeList& bands();
const CodeList& contract_types();
const CodeList& sexes();
const CodeList& ethnic_groups();
const CodeList& disabilities();
const CodeList& nationality_groups();
const CodeList& recruitment_sources();
const CodeList& leaver_reasons();
const CodeList& destinations();
const CodeList& absence_reasons();
const CodeList& shift_outcomes();
const CodeList& cover_reasons();
const CodeList& population_kinds();
const CodeList& directions();
/// Population age bands `0-4`, `5-9`, ... `80-84`, `85+` (18 bands).
const CodeList& population_age_bands();
/// Staff groups from data/codes/staff_groups.csv (labels included).
const CodeList& staff_groups();
/// Roles from data/codes/roles.csv (labels included).
const CodeList& roles();

/// Look up a list by its name ("sector", "staff_group", "role_code", ...); nullptr if unknown.
const CodeList* code_list_by_name(std::string_view name);

struct RoleInfo {
  uint8_t staff_group = 0;  ///< Index into staff_groups().
  bool registered = false;
  bool new_role = false;
};
/// Facts about a role by its index in roles().
const RoleInfo& role_info(uint8_t role);
/// The sector family (`nhs`, `primary_care`, `social_care`, `vcse`) of a staff group.
const std::string& staff_group_family(uint8_t staff_group);

/// The embedded text of the shipped code lists (compared with ../shared by a test).
std::string_view embedded_staff_groups_csv();
std::string_view embedded_roles_csv();

/// Edit distance (Levenshtein) between two short strings.
size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace careforce
