#include "demo/demo_tables.hpp"

#include <cassert>
#include <map>

namespace careforce::demo {

uint8_t role_index(std::string_view code) {
  const auto index = roles().find(code);
  assert(index.has_value());
  return index.value_or(0);
}

uint8_t band_index(std::string_view code) {
  const auto index = bands().find(code);
  assert(index.has_value());
  return index.value_or(0);
}

const KindInfo& kind_info(OrgKind kind) {
  static const std::array<KindInfo, kOrgKindCount> kinds = {{
      {Sector::acute, 0.022, 1.0, true},
      {Sector::community, 0.015, 1.0, true},
      {Sector::mental_health, 0.03, 1.1, true},
      {Sector::ambulance, 0.01, 1.3, true},
      {Sector::primary_care, 0.005, 0.75, false},
      {Sector::primary_care, 0.10, 0.75, false},
      {Sector::social_care, 0.0, 0.95, false},
      {Sector::social_care, -0.005, 1.05, false},
      {Sector::vcse, 0.01, 0.8, false},
  }};
  return kinds[static_cast<size_t>(kind)];
}

double afc_pay(uint8_t band) {
  static const double pay[] = {22400, 22400, 24300, 26500, 32000, 39600,
                               47100, 55200, 64100, 76100, 90400, 108000};
  return band < 12 ? pay[band] : 0.0;
}

namespace {

struct RoleRow {
  const char* code;
  double age_mean, age_sd, age_min, age_max, female;
  const char* bands;  // "5:60 6:30 7:10"
  FteTable fte;
  SourceFamily family;
  double annual_leave;
  double pay;
};

using F = FteTable;
using S = SourceFamily;

// Ages: NHS Digital / Skills for Care age profiles by role; leave rates: published
// leaver rates by staff group, lowered where the demo's internal moves add exits.
const RoleRow kRoles[] = {
    {"consultant", 48, 8, 32, 70, 0.41, "medical:1", F::medical, S::senior_doctor, 0.060, 121000},
    {"specialty_doctor", 46, 9, 28, 68, 0.45, "medical:1", F::medical, S::senior_doctor, 0.09,
     88000},
    {"resident_doctor", 29, 3.5, 23, 45, 0.57, "medical:1", F::full, S::resident_doctor, 0.04,
     52000},
    {"gp_partner", 55, 8, 33, 70, 0.52, "non_afc:1", F::sessional, S::primary, 0.06, 118000},
    {"salaried_gp", 50, 10, 29, 70, 0.66, "non_afc:1", F::sessional, S::primary, 0.12, 92000},
    {"gp_trainee", 32, 4, 26, 50, 0.62, "medical:1", F::full, S::resident_doctor, 0.04, 56000},
    {"adult_nurse", 41, 11, 21, 68, 0.89, "5:58 6:30 7:12", F::standard, S::registered_nurse, 0.095,
     0},
    {"childrens_nurse", 39, 11, 21, 67, 0.95, "5:55 6:33 7:12", F::standard, S::registered_nurse,
     0.101, 0},
    {"mental_health_nurse", 42, 11, 21, 68, 0.74, "5:50 6:36 7:14", F::standard,
     S::registered_nurse, 0.095, 0},
    {"learning_disability_nurse", 44, 11, 21, 68, 0.80, "5:45 6:40 7:15", F::standard,
     S::registered_nurse, 0.09, 0},
    {"community_nurse", 47, 10, 23, 68, 0.92, "5:25 6:50 7:25", F::standard, S::registered_nurse,
     0.10, 0},
    {"health_visitor", 47, 9, 25, 68, 0.97, "6:80 7:20", F::standard, S::registered_nurse, 0.09, 0},
    {"nursing_associate", 38, 10, 20, 66, 0.88, "4:1", F::standard, S::support, 0.10, 0},
    {"advanced_clinical_practitioner", 46, 8, 30, 66, 0.78, "7:35 8A:65", F::standard,
     S::professional, 0.08, 0},
    {"midwife", 41, 11, 21, 67, 0.99, "5:20 6:62 7:18", F::standard, S::registered_nurse, 0.106, 0},
    {"paramedic", 38, 9, 21, 64, 0.46, "6:78 7:22", F::full, S::professional, 0.085, 0},
    {"emergency_care_assistant", 34, 10, 19, 64, 0.52, "3:55 4:45", F::full, S::support, 0.12, 0},
    {"call_handler", 36, 12, 18, 67, 0.66, "3:1", F::standard, S::support, 0.20, 0},
    {"physiotherapist", 37, 10, 22, 66, 0.72, "5:25 6:40 7:30 8A:5", F::standard, S::professional,
     0.09, 0},
    {"occupational_therapist", 38, 10, 22, 66, 0.90, "5:25 6:40 7:30 8A:5", F::standard,
     S::professional, 0.10, 0},
    {"radiographer", 38, 10, 22, 66, 0.68, "5:30 6:40 7:25 8A:5", F::standard, S::professional,
     0.101, 0},
    {"speech_language_therapist", 38, 10, 22, 66, 0.95, "5:25 6:40 7:30 8A:5", F::standard,
     S::professional, 0.10, 0},
    {"dietitian", 38, 10, 22, 66, 0.92, "5:30 6:40 7:25 8A:5", F::standard, S::professional, 0.10,
     0},
    {"pharmacist", 38, 9, 23, 66, 0.62, "6:25 7:40 8A:25 8B:10", F::standard, S::professional, 0.09,
     0},
    {"clinical_scientist", 42, 10, 23, 67, 0.55, "7:45 8A:35 8B:15 8C:5", F::standard,
     S::professional, 0.07, 0},
    {"psychological_therapist", 41, 10, 24, 67, 0.80, "6:20 7:40 8A:25 8B:15", F::standard,
     S::professional, 0.11, 0},
    {"physician_associate", 31, 5, 23, 55, 0.72, "7:1", F::full, S::professional, 0.12, 0},
    {"healthcare_support_worker", 40, 13, 18, 68, 0.82, "2:35 3:55 4:10", F::standard, S::support,
     0.14, 0},
    {"therapy_support_worker", 40, 12, 18, 67, 0.83, "3:60 4:40", F::standard, S::support, 0.11, 0},
    {"admin_clerical", 45, 12, 18, 69, 0.78, "2:20 3:38 4:25 5:10 6:5 7:2", F::standard, S::admin,
     0.112, 0},
    {"estates_facilities", 47, 12, 18, 69, 0.40, "1:3 2:52 3:25 4:12 5:5 6:3", F::standard,
     S::admin, 0.112, 0},
    {"manager", 47, 9, 26, 67, 0.66, "7:25 8A:28 8B:20 8C:13 8D:8 9:4 vsm:2", F::full, S::admin,
     0.09, 140000},
    {"practice_nurse", 55, 8, 24, 70, 0.97, "non_afc:1", F::sessional, S::registered_nurse, 0.10,
     40000},
    {"clinical_pharmacist_pcn", 41, 8, 24, 64, 0.62, "6:20 7:55 8A:25", F::full, S::professional,
     0.13, 0},
    {"first_contact_physio", 44, 8, 26, 64, 0.65, "7:55 8A:45", F::standard, S::professional, 0.12,
     0},
    {"pcn_paramedic", 44, 8, 26, 62, 0.48, "7:70 8A:30", F::standard, S::professional, 0.12, 0},
    {"social_prescriber", 50, 11, 21, 68, 0.82, "4:70 5:30", F::standard, S::support, 0.16, 0},
    {"care_coordinator", 49, 12, 19, 68, 0.88, "3:25 4:75", F::standard, S::support, 0.17, 0},
    {"healthcare_assistant_gp", 54, 12, 19, 70, 0.95, "non_afc:1", F::reception, S::primary, 0.13,
     24000},
    {"practice_manager", 56, 7, 30, 70, 0.80, "non_afc:1", F::full, S::primary, 0.09, 48000},
    {"receptionist", 55, 12, 18, 72, 0.90, "non_afc:1", F::reception, S::primary, 0.13, 23000},
    {"care_worker", 41, 14, 18, 75, 0.80, "non_afc:1", F::care, S::social_care, 0.25, 23500},
    {"senior_care_worker", 44, 12, 20, 72, 0.80, "non_afc:1", F::care, S::social_care, 0.18, 26000},
    {"support_worker", 40, 13, 18, 72, 0.74, "non_afc:1", F::care, S::social_care, 0.23, 24000},
    {"social_worker", 44, 10, 23, 68, 0.83, "non_afc:1", F::standard, S::professional, 0.13, 42000},
    {"care_home_nurse", 47, 11, 22, 70, 0.86, "non_afc:1", F::standard, S::registered_nurse, 0.21,
     40000},
    {"occupational_therapist_sc", 43, 10, 23, 68, 0.90, "non_afc:1", F::standard, S::professional,
     0.12, 38000},
    {"registered_manager", 50, 9, 27, 70, 0.80, "non_afc:1", F::full, S::social_care, 0.16, 40000},
    {"team_leader_sc", 44, 11, 21, 70, 0.78, "non_afc:1", F::full, S::social_care, 0.15, 29000},
    {"activities_coordinator", 48, 13, 18, 74, 0.78, "non_afc:1", F::care, S::social_care, 0.22,
     22500},
    {"vcse_worker", 45, 13, 18, 74, 0.72, "non_afc:1", F::care, S::vcse, 0.17, 25000},
};

std::vector<std::pair<uint8_t, double>> parse_bands(std::string_view text) {
  std::vector<std::pair<uint8_t, double>> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view item = text.substr(pos, end - pos);
    const size_t colon = item.find(':');
    double weight = 0;
    for (char c : item.substr(colon + 1)) weight = weight * 10 + (c - '0');
    out.emplace_back(band_index(item.substr(0, colon)), weight);
    pos = end + 1;
  }
  return out;
}

std::vector<RoleParams> build_params() {
  std::vector<RoleParams> params(roles().size());
  for (const RoleRow& row : kRoles) {
    RoleParams& p = params[role_index(row.code)];
    p.age_mean = row.age_mean;
    p.age_sd = row.age_sd;
    p.age_min = row.age_min;
    p.age_max = row.age_max;
    p.female = row.female;
    p.bands = parse_bands(row.bands);
    p.fte = row.fte;
    p.family = row.family;
    p.annual_leave = row.annual_leave;
    p.pay = row.pay;
  }
  return params;
}

std::vector<RoleShare> mix(std::initializer_list<std::pair<const char*, double>> shares) {
  std::vector<RoleShare> out;
  double total = 0;
  for (const auto& [code, share] : shares) total += share;
  for (const auto& [code, share] : shares) out.push_back({role_index(code), share / total});
  return out;
}

}  // namespace

const RoleParams& role_params(uint8_t role) {
  static const std::vector<RoleParams> params = build_params();
  return params.at(role);
}

const std::vector<RoleShare>& role_mix(OrgKind kind) {
  static const std::array<std::vector<RoleShare>, kOrgKindCount> mixes = {
      mix({{"consultant", 6.5},
           {"specialty_doctor", 2.5},
           {"resident_doctor", 8.5},
           {"adult_nurse", 22},
           {"childrens_nurse", 2},
           {"midwife", 3.5},
           {"nursing_associate", 1.5},
           {"advanced_clinical_practitioner", 0.8},
           {"physiotherapist", 1.8},
           {"occupational_therapist", 1},
           {"radiographer", 2},
           {"speech_language_therapist", 0.4},
           {"dietitian", 0.4},
           {"pharmacist", 1.2},
           {"clinical_scientist", 1.2},
           {"physician_associate", 0.4},
           {"psychological_therapist", 0.2},
           {"healthcare_support_worker", 17},
           {"therapy_support_worker", 1},
           {"admin_clerical", 17},
           {"estates_facilities", 6},
           {"manager", 3}}),
      mix({{"consultant", 1},
           {"specialty_doctor", 1},
           {"community_nurse", 18},
           {"health_visitor", 6},
           {"adult_nurse", 6},
           {"childrens_nurse", 2},
           {"learning_disability_nurse", 1},
           {"nursing_associate", 2},
           {"advanced_clinical_practitioner", 1.5},
           {"physiotherapist", 5},
           {"occupational_therapist", 5},
           {"speech_language_therapist", 3},
           {"dietitian", 2},
           {"pharmacist", 1},
           {"psychological_therapist", 1},
           {"healthcare_support_worker", 14},
           {"therapy_support_worker", 5},
           {"admin_clerical", 20},
           {"estates_facilities", 4},
           {"manager", 5}}),
      mix({{"consultant", 4},
           {"specialty_doctor", 2},
           {"resident_doctor", 3},
           {"mental_health_nurse", 22},
           {"learning_disability_nurse", 3},
           {"nursing_associate", 2},
           {"advanced_clinical_practitioner", 1},
           {"occupational_therapist", 4},
           {"psychological_therapist", 9},
           {"pharmacist", 1},
           {"healthcare_support_worker", 20},
           {"admin_clerical", 18},
           {"estates_facilities", 4},
           {"manager", 5}}),
      mix({{"paramedic", 36},
           {"emergency_care_assistant", 22},
           {"call_handler", 16},
           {"advanced_clinical_practitioner", 2},
           {"admin_clerical", 13},
           {"estates_facilities", 6},
           {"manager", 5}}),
      mix({{"gp_partner", 12},
           {"salaried_gp", 11},
           {"gp_trainee", 3},
           {"practice_nurse", 12},
           {"healthcare_assistant_gp", 7},
           {"advanced_clinical_practitioner", 2},
           {"practice_manager", 4},
           {"receptionist", 49}}),
      mix({{"clinical_pharmacist_pcn", 22},
           {"first_contact_physio", 10},
           {"pcn_paramedic", 7},
           {"social_prescriber", 13},
           {"care_coordinator", 25},
           {"physician_associate", 5},
           {"nursing_associate", 4},
           {"advanced_clinical_practitioner", 5},
           {"mental_health_nurse", 5},
           {"manager", 4}}),
      mix({{"care_worker", 56},
           {"senior_care_worker", 12},
           {"support_worker", 10},
           {"care_home_nurse", 5},
           {"registered_manager", 2},
           {"team_leader_sc", 5},
           {"activities_coordinator", 8},
           {"occupational_therapist_sc", 0.2}}),
      mix({{"social_worker", 45},
           {"occupational_therapist_sc", 10},
           {"team_leader_sc", 10},
           {"care_worker", 20},
           {"support_worker", 8},
           {"registered_manager", 2},
           {"activities_coordinator", 5}}),
      mix({{"vcse_worker", 90}, {"social_prescriber", 10}}),
  };
  return mixes[static_cast<size_t>(kind)];
}

}  // namespace careforce::demo
