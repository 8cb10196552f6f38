#pragma once
// The realism parameters of the demo ICS, one place: role mixes, ages, pay, rates.
// docs/demo-ics.md says where the numbers come from.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/codes.hpp"

namespace careforce::demo {

/// The kinds of organisation the demo builds; each maps to one sector.
enum class OrgKind : uint8_t {
  acute,
  community,
  mental_health,
  ambulance,
  practice,
  pcn,
  care_provider,
  council,
  vcse
};
inline constexpr int kOrgKindCount = 9;

struct KindInfo {
  Sector sector;
  double growth_per_year;  ///< Planned staff growth (fraction per year).
  double sickness_factor;  ///< Multiplies the sickness episode rates.
  bool nhs_trust;          ///< Has bank/agency ledgers and e-rostered shifts.
};
const KindInfo& kind_info(OrgKind kind);

/// Recruitment-source families (tables of joiner sources).
enum class SourceFamily : uint8_t {
  registered_nurse,
  resident_doctor,
  senior_doctor,
  professional,
  support,
  admin,
  primary,
  social_care,
  vcse
};

enum class FteTable : uint8_t { standard, medical, sessional, care, reception, full };

struct RoleParams {
  double age_mean = 40, age_sd = 11, age_min = 18, age_max = 68;
  double female = 0.75;
  std::vector<std::pair<uint8_t, double>> bands;  ///< Band index, weight.
  FteTable fte = FteTable::standard;
  SourceFamily family = SourceFamily::support;
  double annual_leave = 0.12;  ///< Probability a member of the stock leaves in a year.
  double pay = 30000;          ///< Annual pay when the band is medical, vsm or non_afc.
};
/// Parameters by role index (roles() order).
const RoleParams& role_params(uint8_t role);

struct RoleShare {
  uint8_t role;
  double share;
};
/// The role mix of an organisation kind (shares sum to about 1).
const std::vector<RoleShare>& role_mix(OrgKind kind);

/// Annual pay of a band in 2023/24 (Agenda for Change mid-points), 0 for non-AfC bands.
double afc_pay(uint8_t band);

/// Index of a role code; asserts it exists.
uint8_t role_index(std::string_view code);
uint8_t band_index(std::string_view code);

}  // namespace careforce::demo
