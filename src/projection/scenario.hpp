#pragma once
// Scenarios: a named list of interventions applied to the baseline, read from a
// human-editable TOML file. Intervention types are declared once (intervention_specs()).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/codes.hpp"
#include "core/result.hpp"

namespace careforce::projection {

enum class InterventionType : uint8_t {
  turnover_change,
  retirement_deferral,
  training_places,
  international_recruitment,
  return_to_practice,
  apprenticeships,
  bank_to_substantive,
  new_role,
  skill_mix,
  demand_step,
  demand_growth,
  productivity,
  wisn,
};

/// One declared intervention type: its TOML name, description and keys.
struct InterventionSpec {
  InterventionType type;
  const char* name;
  const char* description;
  std::vector<const char*> required;  ///< Keys besides type.
  std::vector<const char*> optional;
};
/// Every intervention type, in declaration order.
const std::vector<InterventionSpec>& intervention_specs();
const InterventionSpec& intervention_spec(InterventionType type);

/// Where an intervention applies: all filters optional (none = the whole system).
struct Target {
  std::optional<Sector> sector;
  std::optional<std::string> place;
  std::optional<uint8_t> role;
  std::optional<uint8_t> staff_group;
  /// Describe as "care_worker in sector social_care" for the plain-language list.
  std::string describe() const;
};

/// One WISN activity: annual volume and minutes per unit of activity.
struct WisnActivity {
  std::string name;
  double annual_volume = 0;
  double minutes_each = 0;
};

struct Intervention {
  InterventionType type = InterventionType::turnover_change;
  std::string label;
  int line = 0;  ///< Line in the scenario file.
  Target target;
  int start_year = 0;         ///< Financial year start (2026 = 2026/27); 0 = first projection year.
  double change_pp = 0;       ///< turnover_change: leaver-rate change, percentage points.
  double phase_in_years = 1;  ///< turnover_change: years to reach the full change.
  double share = 0;           ///< retirement_deferral, skill_mix, new_role internal share.
  double intake = 0;          ///< training_places: extra starters a year.
  double completion_rate = 1;        ///< training_places.
  double local_share = 1;            ///< training_places: share taking a job in the system.
  int course_years = 3;              ///< training_places.
  double per_year = 0;               ///< Extra joiners a year (negative = fewer).
  double percent = 0;                ///< Supply: % change in a source; demand: % step or growth.
  double fte = 0;                    ///< demand_step / new_role: funded FTE added.
  double gain = 0;                   ///< productivity: gain per year.
  std::optional<uint8_t> to_role;    ///< skill_mix: role that takes the demand.
  double ratio = 1;                  ///< skill_mix: FTE of to_role per FTE of from role.
  std::optional<uint8_t> from_role;  ///< new_role: where internal recruits come from.
  std::optional<Sector> from_sector;
  std::vector<WisnActivity> activities;  ///< wisn.
  double available_hours = 1600;         ///< wisn: working hours per FTE a year.
  double allowance_factor = 1;           ///< wisn: allowances for non-activity work.
  /// Describe in one plain-English sentence.
  std::string describe() const;
};

struct Scenario {
  std::string name;
  std::string description;
  std::string source;  ///< File name, for messages.
  std::vector<Intervention> interventions;
};

/// Parse a scenario from TOML text; errors name `source:line`.
Result<Scenario> parse_scenario(std::string_view text, std::string_view source);
/// Read and parse a scenario file.
Result<Scenario> load_scenario_file(const std::string& path);

}  // namespace careforce::projection
