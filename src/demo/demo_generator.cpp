#include "demo/demo_generator.hpp"

#include <algorithm>
#include <chrono>
#include <climits>
#include <cmath>
#include <set>
#include <system_error>

#include "core/codes.hpp"
#include "core/schema.hpp"
#include "demo/csv_out.hpp"
#include "demo/demo_tables.hpp"
#include "demo/random.hpp"

namespace careforce::demo {

Result<DemoProfile> parse_demo_profile(std::string_view text) {
  if (text == "default" || text == "ics") return DemoProfile::ics;
  if (text == "national") return DemoProfile::national;
  return make_error(ErrorCode::invalid_argument, "unknown demo profile '" + std::string(text) + "'",
                    "expected one of: default, national");
}

int DemoOptions::effective_months() const {
  if (months > 0) return months;
  return profile == DemoProfile::national ? 13 : 36;
}

Status DemoOptions::validate() const {
  if (months < 0 || months > 120)
    return make_error(ErrorCode::invalid_argument,
                      "--months must be between 1 and 120 (got " + std::to_string(months) + ")");
  if (!(scale > 0.0) || scale > 20.0)
    return make_error(ErrorCode::invalid_argument, "--scale must be above 0 and at most 20");
  if (sip_rows < 0 || sip_rows > 2'000'000'000)
    return make_error(ErrorCode::invalid_argument,
                      "--sip-rows must be between 0 and 2,000,000,000");
  if (last_month.year() < 2000 || last_month.year() > 2090)
    return make_error(ErrorCode::invalid_argument, "the last month must be in 2000-2090");
  return Status::ok();
}

namespace {

constexpr int16_t kOpen = INT16_MAX;
constexpr int16_t kNever = INT16_MIN;
constexpr uint32_t kNone = UINT32_MAX;
constexpr int kBurnIn = 12;  // simulated months before the first snapshot (12-month windows)

uint8_t code_of(const CodeList& list, std::string_view code) {
  return list.find(code).value();
}

struct Person {
  uint64_t key = 0;
  int16_t birth_year = 1980;
  uint8_t sex = 0, ethnic = 0, disability = 0, nationality = 0;
};

struct Assignment {
  uint32_t person = 0;
  uint32_t number = 0;  // shared by a person's assignments in one organisation
  uint32_t second = kNone;
  uint32_t last_episode = kNone;
  uint16_t org = 0;
  uint8_t role = 0, group = 0, band = 0, contract = 0, source = 0, seq = 1;
  uint8_t fte100 = 100;
  uint8_t reason = 0, destination = 0;
  bool is_second = false;
  int16_t first = 0, last = kOpen;
  int16_t due = kNever;  // rotation or end of a fixed term (simulation month)
  int32_t org_start = 0, leave_date = 0;
  int32_t absent_until = INT32_MIN;

  bool active() const { return last == kOpen; }
  double fte() const { return fte100 / 100.0; }
};

struct Episode {
  uint32_t assignment;
  int32_t start, end;
  uint8_t reason;
};

struct Cell {
  uint8_t role;
  double base;  // headcount at the first snapshot
};

struct Org {
  std::string code, name;
  OrgKind kind = OrgKind::acute;
  uint8_t place = 0;
  DataLevel level = DataLevel::record;
  double size = 0;
  std::vector<Cell> cells;
  std::vector<uint32_t> active;
  std::vector<int32_t> count;  // active primary assignments by role
  int record_index = -1;
};

struct OrgTypePlan {
  OrgKind kind;
  DataLevel level;
  int count;
  double total_staff;
  std::vector<double> sizes;  // explicit sizes (before scaling), else drawn
};

// One internal flow: a joiner slot in `dest_role` at a `dest` organisation is filled, with
// probability `share`, by a person leaving `source_roles` at a `source` organisation.
struct Flow {
  uint8_t dest_role;
  std::vector<OrgKind> dest;
  std::vector<uint8_t> source_roles;
  std::vector<OrgKind> source;
  double share;
  bool same_org;
  bool prefer_record;
  RecruitmentSource recruited_as;
};

struct Returner {
  uint32_t from;  // the ended assignment
  int16_t month;
};

bool contains(const std::vector<OrgKind>& kinds, OrgKind kind) {
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

double monthly_from_annual(double annual) {
  if (annual <= 0) return 0;
  const double rate = -portable_log(1.0 - std::min(annual, 0.95)) / 12.0;
  return rate - rate * rate / 2 + rate * rate * rate / 6;
}

int first_weekday_of_month(Month month, int weekday) {  // 0 = Monday
  const Date start = month.start();
  // 1970-01-01 was a Thursday (3).
  const int dow = static_cast<int>(((start.days % 7) + 7 + 3) % 7);
  return 1 + (weekday - dow + 7) % 7;
}

const std::vector<std::string>& ics_places() {
  static const std::vector<std::string> places = {"Northmoor", "Hartwell", "Brookmere",
                                                  "Ashdown Vale"};
  return places;
}

std::vector<std::string> national_places() {
  static const char* prefixes[] = {"Ash",  "Brook", "Cold", "Dun",  "Elm", "Fair", "Glen",
                                   "Hart", "Kings", "Long", "Mill", "Nor", "Oak",  "Pen"};
  static const char* suffixes[] = {"field", "ford", "ham"};
  std::vector<std::string> out;
  for (const char* s : suffixes)
    for (const char* p : prefixes) out.push_back(std::string(p) + s);
  return out;
}

class Generator {
 public:
  Generator(const DemoOptions& options, std::filesystem::path out)
      : options_(options),
        out_(std::move(out)),
        months_(options.effective_months()),
        total_months_(months_ + kBurnIn),
        first_data_(options.last_month - (months_ - 1)),
        sim_start_(first_data_ - kBurnIn),
        rng_(options.seed, 1),
        absence_rng_(options.seed, 2),
        money_rng_(options.seed, 3),
        key_salt_(mix64(options.seed ^ 0xC0FFEEULL)) {}

  Result<DemoSummary> run();

 private:
  // Setup.
  void plan_orgs();
  void add_orgs(const OrgTypePlan& plan, const std::vector<std::string>& places,
                const std::vector<double>& place_weights);
  std::string org_name(OrgKind kind, const std::string& place, int serial);
  std::string org_code(OrgKind kind, uint8_t place);
  void build_flows();

  // Simulation.
  void simulate(CsvOut& sip);
  void exits(int s);
  void joiners(int s);
  void second_assignments(int s);
  void absences(int s);
  void write_snapshot(int s, CsvOut& sip);
  uint32_t new_person(uint8_t role, int s, bool stock, RecruitmentSource source, uint8_t band);
  uint32_t add_assignment(uint32_t person, uint16_t org, uint8_t role, int s, int32_t org_start,
                          RecruitmentSource source);
  void end_assignment(uint32_t index, int s, LeaverReason reason, Destination destination, int day);
  bool try_flow(uint16_t org, uint8_t role, int s);
  void move_person(uint32_t from, uint16_t org, uint8_t role, int s, RecruitmentSource source,
                   bool same_org);
  uint8_t draw_band(uint8_t role);
  uint8_t draw_fte(uint8_t role);
  RecruitmentSource draw_source(uint8_t role, int year, bool stock);
  void draw_leave_reason(const Assignment& a, int age, LeaverReason& reason,
                         Destination& destination);
  void draw_demography(Person& p, uint8_t role, uint8_t band, RecruitmentSource source);
  int16_t next_rotation(int s, bool long_post);

  // Output.
  Status write_organisations();
  Status write_leavers();
  Status write_absence();
  Status write_establishment_and_pay();
  Status write_temporary_staffing();
  Status write_aggregate_returns();
  Status write_population();
  Status write_targets();
  Status write_sip_rows_only();
  Status open(CsvOut& out, FileKind kind);
  void add_file(const CsvOut& out, FileKind kind);

  Month month_of(int s) const { return sim_start_ + s; }
  int year_of(int s) const { return month_of(s).year(); }
  double data_years(int s) const { return (s - kBurnIn) / 12.0; }

  DemoOptions options_;
  std::filesystem::path out_;
  int months_, total_months_;
  Month first_data_, sim_start_;
  Rng rng_, absence_rng_, money_rng_;
  uint64_t key_salt_;

  std::vector<std::string> places_;
  std::vector<double> place_population_;
  std::vector<Org> orgs_;
  std::vector<Person> persons_;
  std::vector<Assignment> assignments_;
  std::vector<Episode> episodes_;
  std::vector<Flow> flows_;
  std::vector<std::vector<size_t>> flows_by_role_;
  std::vector<std::vector<uint32_t>> by_role_;   // active primaries by role this month
  std::vector<std::vector<uint32_t>> rotating_;  // this month's rotation leavers by role
  std::vector<Returner> returners_;
  std::vector<double> monthly_leave_[kOrgKindCount];
  uint32_t next_number_ = 30000001;
  std::set<std::string> used_codes_;
  int record_orgs_ = 0;

  // FTE by record org x role x band x data month, filled after the simulation.
  std::vector<float> fte_cube_;
  size_t cube_index(int rec, int role, int band, int d) const {
    return ((static_cast<size_t>(rec) * roles().size() + role) * bands().size() + band) *
               static_cast<size_t>(months_) +
           static_cast<size_t>(d);
  }
  // Ledger bank and agency by record org x staff group x data month (for shifts).
  std::vector<double> bank_, agency_;

  DemoSummary summary_;
};

// ---------------------------------------------------------------------------------------
// Organisations

void Generator::plan_orgs() {
  std::vector<OrgTypePlan> plans;
  std::vector<double> weights;
  if (options_.profile == DemoProfile::national) {
    places_ = national_places();
    weights.assign(places_.size(), 1'340'000.0);
    plans = {{OrgKind::acute, DataLevel::record, 135, 1'188'000, {}},
             {OrgKind::mental_health, DataLevel::record, 45, 171'000, {}},
             {OrgKind::community, DataLevel::record, 30, 78'000, {}},
             {OrgKind::ambulance, DataLevel::record, 10, 45'000, {}}};
  } else {
    places_ = ics_places();
    weights = {520000, 410000, 330000, 240000};
    plans = {{OrgKind::acute, DataLevel::record, 3, 14700, {5600, 4900, 4200}},
             {OrgKind::community, DataLevel::record, 1, 2600, {2600}},
             {OrgKind::mental_health, DataLevel::record, 1, 3400, {3400}},
             {OrgKind::ambulance, DataLevel::record, 1, 1300, {1300}},
             {OrgKind::pcn, DataLevel::record, 35, 860, {}},
             {OrgKind::practice, DataLevel::record, 10, 520, {}},
             {OrgKind::practice, DataLevel::aggregate, 125, 3500, {}},
             {OrgKind::care_provider, DataLevel::record, 6, 3000, {}},
             {OrgKind::care_provider, DataLevel::aggregate, 340, 29300, {}},
             {OrgKind::council, DataLevel::aggregate, 4, 700, {}},
             {OrgKind::vcse, DataLevel::aggregate, 6, 480, {}}};
  }
  place_population_ = weights;
  for (const auto& plan : plans) add_orgs(plan, places_, weights);
  for (auto& org : orgs_) {
    org.count.assign(roles().size(), 0);
    if (org.level == DataLevel::record) org.record_index = record_orgs_++;
  }
}

void Generator::add_orgs(const OrgTypePlan& plan, const std::vector<std::string>& places,
                         const std::vector<double>& place_weights) {
  const int count = std::max(1, static_cast<int>(plan.count * options_.scale + 0.5));
  const double total = plan.total_staff * options_.scale;
  std::vector<double> sizes(static_cast<size_t>(count));
  if (!plan.sizes.empty()) {
    for (int i = 0; i < count; ++i)
      sizes[i] = plan.sizes[static_cast<size_t>(i) % plan.sizes.size()];
  } else {
    for (auto& size : sizes) {
      // Skewed: many small providers, a few large ones.
      size = plan.kind == OrgKind::care_provider && plan.level == DataLevel::aggregate
                 ? 0.25 + rng_.exponential(0.75)
                 : 0.6 + rng_.uniform() * 0.8;
    }
  }
  double sum = 0;
  for (double size : sizes) sum += size;
  const bool spread = plan.kind == OrgKind::practice || plan.kind == OrgKind::care_provider ||
                      plan.kind == OrgKind::pcn || options_.profile == DemoProfile::national;
  for (int i = 0; i < count; ++i) {
    Org org;
    org.kind = plan.kind;
    org.level = plan.level;
    org.size = sizes[i] / sum * total;
    if (spread && options_.profile == DemoProfile::national)
      org.place = static_cast<uint8_t>(rng_.below(places.size()));
    else if (spread)
      org.place = static_cast<uint8_t>(rng_.pick(place_weights));
    else if (plan.kind == OrgKind::acute)
      org.place = static_cast<uint8_t>(i % 3);
    else if (plan.kind == OrgKind::community)
      org.place = 3;
    else
      org.place = static_cast<uint8_t>(i % places.size());
    org.name = org_name(plan.kind, places[org.place], i);
    if (plan.level == DataLevel::record && plan.kind == OrgKind::practice)
      org.name += " Health Partnership";
    org.code = org_code(plan.kind, org.place);
    for (const RoleShare& share : role_mix(plan.kind)) {
      double base = org.size * share.share;
      if (role_info(share.role).staff_group == code_of(staff_groups(), "social_care_management") &&
          share.role == role_index("registered_manager"))
        base = std::max(base, 1.0);
      if (share.role == role_index("practice_manager")) base = std::max(base, 1.0);
      org.cells.push_back({share.role, base * (0.85 + 0.3 * rng_.uniform())});
    }
    orgs_.push_back(std::move(org));
  }
}

std::string Generator::org_name(OrgKind kind, const std::string& place, int serial) {
  static const char* streets[] = {"Park Road",     "Station Road", "Church Lane", "High Street",
                                  "Market Square", "Riverside",    "Oakwood",     "Beech House",
                                  "Elm Tree",      "Meadowbank",   "Castle View", "Millbrook",
                                  "Westgate",      "Northfield",   "Orchard",     "Willow Bank",
                                  "Hillside",      "Abbey",        "Priory",      "Valley"};
  static const char* practice_kinds[] = {"Surgery", "Medical Centre", "Health Centre",
                                         "Medical Practice"};
  static const char* homes[] = {"Care Home",        "Nursing Home", "Home Care",
                                "Supported Living", "Lodge",        "Court Residential Home",
                                "Care Services"};
  static const char* areas[] = {"Central", "North",     "South",  "East", "West",
                                "Rural",   "Riverside", "Valley", "Town", "Coastal"};
  const size_t n = static_cast<size_t>(serial);
  switch (kind) {
    case OrgKind::acute: {
      static const char* acute[] = {"Teaching Hospitals NHS Foundation Trust",
                                    "and District Hospitals NHS Trust",
                                    "Royal Infirmary NHS Foundation Trust"};
      return place + " " + acute[n % 3];
    }
    case OrgKind::community:
      return place + " Community Health Services NHS Trust";
    case OrgKind::mental_health:
      return place + " Partnership NHS Foundation Trust";
    case OrgKind::ambulance:
      return options_.profile == DemoProfile::national
                 ? place + " Ambulance Service NHS Trust"
                 : "Northern Counties Ambulance Service NHS Foundation Trust (ICS share)";
    case OrgKind::practice:
      return std::string(streets[rng_.below(20)]) + " " + practice_kinds[rng_.below(4)] + " " +
             place;
    case OrgKind::pcn:
      return place + " " + areas[n % 10] + " " + std::to_string(n / 10 + 1) + " PCN";
    case OrgKind::care_provider:
      return std::string(streets[rng_.below(20)]) + " " + homes[rng_.below(7)] + " " + place;
    case OrgKind::council:
      return place + " Council Adult Social Care";
    case OrgKind::vcse: {
      static const char* vcse[] = {"Community Action",  "Carers Centre",       "Voluntary Action",
                                   "Wellbeing Network", "Befriending Service", "Advice Centre"};
      return place + " " + vcse[n % 6];
    }
  }
  return place;
}

std::string Generator::org_code(OrgKind kind, uint8_t place) {
  auto fresh = [&](const std::string& code) { return used_codes_.insert(code).second; };
  std::string code;
  const auto digits = [&](int n) {
    std::string d;
    for (int i = 0; i < n; ++i) d.push_back(static_cast<char>('0' + rng_.below(10)));
    return d;
  };
  int attempts = 0;
  do {
    switch (kind) {
      case OrgKind::acute:
      case OrgKind::community:
      case OrgKind::mental_health:
      case OrgKind::ambulance:
        code = std::string("R") + static_cast<char>('A' + rng_.below(26)) +
               static_cast<char>('A' + rng_.below(26));
        if (++attempts > 60) code += static_cast<char>('A' + rng_.below(26));
        break;
      case OrgKind::practice: {
        // Letter + 5 digits; each place has its own letter-and-digit prefix, like B82005.
        static const char* prefix[] = {"B82", "B83", "B85", "B86", "C81", "C84", "M85", "M88"};
        code = std::string(prefix[place % 8]) + digits(3);
        if (attempts++ > 60) code = std::string(1, prefix[place % 8][0]) + digits(5);
        break;
      }
      case OrgKind::pcn:
        code = "U" + digits(5);
        break;
      case OrgKind::care_provider:
        code = "1-" + std::to_string(1 + rng_.below(9)) + digits(8);
        break;
      case OrgKind::council:
        code = "E06000" + digits(3);
        break;
      case OrgKind::vcse:
        code = "NV" + std::string(1, static_cast<char>('A' + rng_.below(26))) + digits(2);
        break;
    }
  } while (!fresh(code));
  return code;
}

void Generator::build_flows() {
  using K = OrgKind;
  const std::vector<K> trusts = {K::acute, K::community, K::mental_health};
  const std::vector<K> care = {K::care_provider, K::council};
  auto r = [](const char* code) { return role_index(code); };
  flows_ = {
      {r("pcn_paramedic"),
       {K::pcn},
       {r("paramedic")},
       {K::ambulance},
       0.6,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("first_contact_physio"),
       {K::pcn},
       {r("physiotherapist")},
       {K::acute, K::community},
       0.55,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("clinical_pharmacist_pcn"),
       {K::pcn},
       {r("pharmacist")},
       trusts,
       0.5,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("healthcare_support_worker"),
       trusts,
       {r("care_worker"), r("senior_care_worker"), r("support_worker")},
       care,
       0.15,
       false,
       true,
       RecruitmentSource::social_care},
      {r("care_worker"),
       {K::care_provider},
       {r("care_worker")},
       {K::care_provider},
       0.12,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("senior_care_worker"),
       {K::care_provider},
       {r("care_worker")},
       {K::care_provider},
       0.15,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("nursing_associate"),
       trusts,
       {r("healthcare_support_worker")},
       trusts,
       0.5,
       true,
       false,
       RecruitmentSource::apprenticeship},
      {r("community_nurse"),
       {K::community},
       {r("adult_nurse")},
       {K::acute},
       0.2,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("practice_nurse"),
       {K::practice},
       {r("adult_nurse"), r("community_nurse")},
       {K::acute, K::community},
       0.2,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("care_coordinator"),
       {K::pcn},
       {r("receptionist")},
       {K::practice},
       0.2,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("social_prescriber"),
       {K::pcn},
       {r("vcse_worker")},
       {K::vcse},
       0.2,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("salaried_gp"),
       {K::practice},
       {r("gp_trainee")},
       {K::practice},
       0.35,
       false,
       false,
       RecruitmentSource::newly_qualified},
      {r("adult_nurse"),
       {K::acute},
       {r("adult_nurse")},
       {K::acute},
       0.05,
       false,
       false,
       RecruitmentSource::other_org_in_system},
      {r("care_home_nurse"),
       {K::care_provider},
       {r("adult_nurse")},
       {K::acute},
       0.08,
       false,
       false,
       RecruitmentSource::other_org_in_system},
  };
  flows_by_role_.assign(roles().size(), {});
  for (size_t i = 0; i < flows_.size(); ++i) flows_by_role_[flows_[i].dest_role].push_back(i);
  for (int k = 0; k < kOrgKindCount; ++k) {
    monthly_leave_[k].resize(roles().size());
    const double kind_factor = static_cast<OrgKind>(k) == OrgKind::pcn ? 1.1 : 1.0;
    for (size_t role = 0; role < roles().size(); ++role)
      monthly_leave_[k][role] =
          monthly_from_annual(role_params(static_cast<uint8_t>(role)).annual_leave * kind_factor);
  }
}

// ---------------------------------------------------------------------------------------
// People

uint8_t Generator::draw_band(uint8_t role) {
  const auto& bands_weights = role_params(role).bands;
  double weights[16];
  for (size_t i = 0; i < bands_weights.size(); ++i) weights[i] = bands_weights[i].second;
  return bands_weights[rng_.pick(std::span<const double>(weights, bands_weights.size()))].first;
}

uint8_t Generator::draw_fte(uint8_t role) {
  static const uint8_t values[] = {100, 90, 80, 70, 60, 53, 50, 40, 30};
  static const double tables[][9] = {
      {58, 4, 14, 4, 10, 2, 5, 3, 0},    // standard
      {82, 4, 8, 0, 4, 0, 2, 0, 0},      // medical
      {18, 4, 22, 6, 22, 4, 14, 10, 0},  // sessional (GPs, practice nurses)
      {40, 0, 16, 6, 16, 2, 12, 6, 2},   // care
      {24, 0, 14, 4, 24, 2, 18, 10, 4},  // reception
      {92, 0, 6, 0, 2, 0, 0, 0, 0},      // full
  };
  const auto& table = tables[static_cast<size_t>(role_params(role).fte)];
  return values[rng_.pick(std::span<const double>(table, 9))];
}

RecruitmentSource Generator::draw_source(uint8_t role, int year, bool stock) {
  using RS = RecruitmentSource;
  // International recruitment peaked in 2022-23 and has fallen since.
  const double intl_time = year <= 2021   ? 0.7
                           : year == 2022 ? 1.3
                           : year == 2023 ? 1.0
                           : year == 2024 ? 0.55
                                          : 0.35;
  double w[9] = {};  // newly_qualified, international, return, apprenticeship, other_org_in_system,
                     // nhs_outside_system, social_care, other, not_stated
  switch (role_params(role).family) {
    case SourceFamily::registered_nurse: {
      const double w0[9] = {36, 26 * intl_time, 3, 2, 0, 15, 2, 8, 5};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::resident_doctor: {
      const double w0[9] = {25, 15, 0, 0, 0, 55, 0, 3, 2};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::senior_doctor: {
      const double w0[9] = {0, 24 * intl_time, 1, 0, 0, 50, 0, 15, 10};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::professional: {
      const double w0[9] = {35, 10 * intl_time, 2, 3, 0, 30, 1, 14, 5};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::support: {
      const double w0[9] = {4, 3 * intl_time, 0, 12, 0, 14, 12, 45, 10};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::admin: {
      const double w0[9] = {0, 1, 0, 5, 0, 20, 2, 60, 12};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::primary: {
      const double w0[9] = {10, 5 * intl_time, 2, 3, 0, 28, 3, 40, 9};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::social_care: {
      const double w0[9] = {2, 17 * intl_time * intl_time, 1, 3, 0, 5, 25, 37, 10};
      std::copy(w0, w0 + 9, w);
      break;
    }
    case SourceFamily::vcse: {
      const double w0[9] = {0, 0, 0, 2, 0, 5, 5, 68, 20};
      std::copy(w0, w0 + 9, w);
      break;
    }
  }
  if (role == role_index("nursing_associate")) w[3] += 40;
  if (stock) w[8] += 5;  // older records are less complete
  return static_cast<RS>(rng_.pick(std::span<const double>(w, 9)));
}

void Generator::draw_demography(Person& p, uint8_t role, uint8_t band, RecruitmentSource source) {
  const RoleParams& params = role_params(role);
  const double u = rng_.uniform();
  p.sex = u < 0.01 ? 2 : (u < 0.01 + params.female * 0.99 ? 0 : 1);
  const double d = rng_.uniform();
  p.disability = d < 0.055 ? 0 : (d < 0.87 ? 1 : 2);
  // ethnic: white, mixed, asian, black, other, not_stated
  double eth[6];
  if (source == RecruitmentSource::international) {
    const bool eu = rng_.chance(0.1);
    p.nationality = eu ? 1 : 2;
    const double e_eu[6] = {88, 3, 2, 1, 4, 2};
    const double e_non[6] = {3, 2, 58, 32, 5, 0};
    std::copy(eu ? e_eu : e_non, (eu ? e_eu : e_non) + 6, eth);
  } else {
    const double n = rng_.uniform();
    p.nationality = n < 0.89 ? 0 : (n < 0.945 ? 1 : (n < 0.99 ? 2 : 3));
    const Band b = static_cast<Band>(band);
    if (b == Band::medical) {
      const double e[6] = {56, 4, 30, 5, 3, 2};
      std::copy(e, e + 6, eth);
    } else if (b >= Band::b8a && b <= Band::b9) {
      const double e[6] = {87, 2, 6, 2, 1, 2};
      std::copy(e, e + 6, eth);
    } else if (b == Band::vsm) {
      const double e[6] = {90, 2, 4, 2, 0, 2};
      std::copy(e, e + 6, eth);
    } else if (b == Band::b7) {
      const double e[6] = {80, 3, 9, 5, 1, 2};
      std::copy(e, e + 6, eth);
    } else if (b <= Band::b6) {
      const double e[6] = {72, 3, 12, 9, 2, 2};
      std::copy(e, e + 6, eth);
    } else {
      const double e[6] = {82, 3, 7, 5, 1, 2};
      std::copy(e, e + 6, eth);
    }
  }
  p.ethnic = static_cast<uint8_t>(rng_.pick(std::span<const double>(eth, 6)));
}

uint32_t Generator::new_person(uint8_t role, int s, bool stock, RecruitmentSource source,
                               uint8_t band) {
  const RoleParams& params = role_params(role);
  double age;
  if (stock) {
    age = rng_.normal(params.age_mean, params.age_sd, params.age_min, params.age_max);
  } else if (source == RecruitmentSource::newly_qualified) {
    age = std::min(params.age_min + 1 + rng_.exponential(4.0), params.age_max);
  } else {
    const double shift = params.family == SourceFamily::primary ? 2 : 4;
    age = rng_.normal(params.age_mean - shift, params.age_sd, params.age_min, params.age_max - 4);
  }
  Person p;
  const auto index = static_cast<uint32_t>(persons_.size());
  p.key = mix64(key_salt_ + index);
  p.birth_year = static_cast<int16_t>(year_of(s) - static_cast<int>(age));
  draw_demography(p, role, band, source);
  persons_.push_back(p);
  return index;
}

uint32_t Generator::add_assignment(uint32_t person, uint16_t org, uint8_t role, int s,
                                   int32_t org_start, RecruitmentSource source) {
  Assignment a;
  a.person = person;
  a.number = next_number_++;
  a.org = org;
  a.role = role;
  a.group = role_info(role).staff_group;
  a.band = draw_band(role);
  a.fte100 = draw_fte(role);
  a.contract = 0;
  a.source = static_cast<uint8_t>(source);
  a.first = static_cast<int16_t>(s);
  a.org_start = org_start;
  if (role == role_index("resident_doctor") || role == role_index("gp_trainee")) {
    a.contract = 1;
    a.due = next_rotation(s, rng_.chance(0.45));
  } else if (rng_.chance(0.04)) {
    a.contract = 1;
    a.due = static_cast<int16_t>(s + rng_.between(6, 18));
  }
  const auto index = static_cast<uint32_t>(assignments_.size());
  assignments_.push_back(a);
  orgs_[org].active.push_back(index);
  orgs_[org].count[role]++;
  return index;
}

int16_t Generator::next_rotation(int s, bool long_post) {
  // Rotations happen in August and February; a post lasts 4-12 months (some 24).
  int m = s + 4;
  while (month_of(m).month() != 8 && month_of(m).month() != 2) ++m;
  if (long_post) m += 6;
  return static_cast<int16_t>(m);
}

// ---------------------------------------------------------------------------------------
// Simulation

void Generator::end_assignment(uint32_t index, int s, LeaverReason reason, Destination destination,
                               int day) {
  Assignment& a = assignments_[index];
  if (!a.active()) return;
  a.last = static_cast<int16_t>(s - 1);
  a.leave_date = month_of(s).start().days + day - 1;
  a.reason = static_cast<uint8_t>(reason);
  a.destination = static_cast<uint8_t>(destination);
  if (!a.is_second) orgs_[a.org].count[a.role]--;
  if (a.last_episode != kNone && a.absent_until >= a.leave_date) {
    episodes_[a.last_episode].end = std::max(episodes_[a.last_episode].start, a.leave_date);
    a.absent_until = a.leave_date;
  }
  if (!a.is_second && a.second != kNone) end_assignment(a.second, s, reason, destination, day);
}

void Generator::draw_leave_reason(const Assignment& a, int age, LeaverReason& reason,
                                  Destination& destination) {
  using LR = LeaverReason;
  using D = Destination;
  const double retire_p = age >= 65 ? 0.8 : age >= 60 ? 0.6 : age >= 55 ? 0.15 : 0.0;
  if (rng_.chance(retire_p)) {
    const bool nhs = kind_info(orgs_[a.org].kind).nhs_trust;
    reason = nhs && rng_.chance(0.2) ? LR::flexi_retirement : LR::retirement;
    destination = D::retirement;
    return;
  }
  static const double w[] = {28, 17, 9, 8, 9, 0, 0, 2, 0, 4, 1, 0.3, 6, 9};
  reason = static_cast<LR>(rng_.pick(std::span<const double>(w, 14)));
  if (a.contract == 1 && rng_.chance(0.5)) reason = LR::end_of_fixed_term;
  const bool care = kind_info(orgs_[a.org].kind).sector == Sector::social_care;
  const bool abroad_prone = a.source == static_cast<uint8_t>(RecruitmentSource::international);
  // nhs_outside_system, social_care, private_sector, education, abroad, other, not_stated
  double d[9] = {};
  auto set = [&](double nhs, double sc, double priv, double edu, double abroad, double other,
                 double ns) {
    d[1] = nhs;
    d[2] = sc + (care ? nhs * 0.6 : 0);
    d[3] = priv;
    d[5] = edu;
    d[6] = abroad * (abroad_prone ? 4 : 1);
    d[7] = other;
    d[8] = ns;
    if (care) d[1] = nhs * 0.4;
  };
  switch (reason) {
    case LR::voluntary_worklife_balance:
      set(15, 5, 10, 5, 5, 25, 35);
      break;
    case LR::voluntary_relocation:
      set(50, 4, 4, 2, 20, 12, 8);
      break;
    case LR::voluntary_promotion:
      set(80, 5, 10, 0, 0, 5, 0);
      break;
    case LR::voluntary_better_pay:
      set(40, 5, 35, 0, 3, 17, 0);
      break;
    case LR::voluntary_other:
      set(20, 5, 10, 20, 5, 20, 20);
      break;
    case LR::end_of_fixed_term:
      set(40, 5, 5, 10, 5, 15, 20);
      break;
    case LR::dismissal:
      set(0, 0, 0, 0, 0, 30, 70);
      break;
    case LR::redundancy:
      set(5, 5, 20, 0, 0, 40, 30);
      break;
    case LR::death_in_service:
      set(0, 0, 0, 0, 0, 100, 0);
      break;
    case LR::other:
      set(5, 5, 5, 5, 5, 50, 25);
      break;
    default:
      set(0, 0, 0, 0, 0, 5, 95);
      break;
  }
  destination = static_cast<D>(rng_.pick(std::span<const double>(d, 9)));
}

void Generator::exits(int s) {
  const Month month = month_of(s);
  const int days = month.days();
  const uint8_t resident = role_index("resident_doctor");
  const uint8_t gp_trainee = role_index("gp_trainee");
  for (auto& pool : rotating_) pool.clear();
  for (size_t o = 0; o < orgs_.size(); ++o) {
    const Org& org = orgs_[o];
    const auto& hazard = monthly_leave_[static_cast<size_t>(org.kind)];
    for (size_t i = 0; i < org.active.size(); ++i) {
      const uint32_t index = orgs_[o].active[i];
      Assignment& a = assignments_[index];
      if (!a.active()) continue;
      if (a.is_second) {
        if (a.due == s)
          end_assignment(index, s, LeaverReason::end_of_fixed_term, Destination::other,
                         rng_.between(1, days));
        continue;
      }
      const int age = month.year() - persons_[a.person].birth_year;
      if (a.due == s) {
        if (a.role == resident || a.role == gp_trainee) {
          const int wednesday = first_weekday_of_month(month, 2);
          end_assignment(index, s, LeaverReason::rotation, Destination::nhs_outside_system,
                         std::max(1, wednesday - 1));
          rotating_[a.role].push_back(index);
        } else if (rng_.chance(0.5)) {
          LeaverReason reason;
          Destination destination;
          draw_leave_reason(a, age, reason, destination);
          end_assignment(index, s, LeaverReason::end_of_fixed_term,
                         destination == Destination::retirement ? Destination::other : destination,
                         rng_.between(1, days));
        } else {
          a.due = static_cast<int16_t>(a.due + 12);
        }
        continue;
      }
      double h = hazard[a.role];
      if (age < 25)
        h *= 1.3;
      else if (age >= 65)
        h *= 3.0;
      else if (age >= 60)
        h *= 2.2;
      else if (age >= 55)
        h *= 1.25;
      else if (age >= 35)
        h *= 0.85;
      if (s - a.first < 12) h *= 1.4;
      if (!rng_.chance(h)) continue;
      LeaverReason reason;
      Destination destination;
      draw_leave_reason(a, age, reason, destination);
      end_assignment(index, s, reason, destination, rng_.between(1, days));
      if (reason == LeaverReason::flexi_retirement && rng_.chance(0.6))
        returners_.push_back({index, static_cast<int16_t>(s + rng_.between(1, 3))});
    }
  }
}

bool Generator::try_flow(uint16_t org_index, uint8_t role, int s) {
  const Org& org = orgs_[org_index];
  // Doctors in training rotate between the system's trusts.
  if (!rotating_[role].empty() && rng_.chance(0.6)) {
    auto& pool = rotating_[role];
    for (int attempt = 0; attempt < 8 && !pool.empty(); ++attempt) {
      const size_t k = rng_.below(pool.size());
      const uint32_t from = pool[k];
      if (assignments_[from].org == org_index) continue;
      pool[k] = pool.back();
      pool.pop_back();
      move_person(from, org_index, role, s, RecruitmentSource::other_org_in_system, false);
      return true;
    }
  }
  for (size_t f : flows_by_role_[role]) {
    const Flow& flow = flows_[f];
    if (!contains(flow.dest, org.kind) || !rng_.chance(flow.share)) continue;
    if (flow.same_org) {
      std::vector<uint32_t> candidates;
      for (uint32_t index : org.active) {
        const Assignment& a = assignments_[index];
        if (a.active() && !a.is_second && a.role == flow.source_roles[0] && s - a.first >= 12)
          candidates.push_back(index);
      }
      if (candidates.empty()) continue;
      move_person(candidates[rng_.below(candidates.size())], org_index, role, s, flow.recruited_as,
                  true);
      return true;
    }
    const bool want_record = flow.prefer_record && rng_.chance(0.5);
    for (int attempt = 0; attempt < 24; ++attempt) {
      const uint8_t source_role = flow.source_roles[rng_.below(flow.source_roles.size())];
      const auto& pool = by_role_[source_role];
      if (pool.empty()) continue;
      const uint32_t index = pool[rng_.below(pool.size())];
      const Assignment& a = assignments_[index];
      const Org& from = orgs_[a.org];
      if (!a.active() || a.org == org_index || !contains(flow.source, from.kind) ||
          s - a.first < 6 || (want_record && from.level != DataLevel::record))
        continue;
      move_person(index, org_index, role, s, flow.recruited_as, false);
      return true;
    }
  }
  return false;
}

void Generator::move_person(uint32_t from, uint16_t org, uint8_t role, int s,
                            RecruitmentSource source, bool same_org) {
  const Month month = month_of(s);
  const int days = month.days();
  Assignment& old = assignments_[from];
  int32_t start;
  if (old.active()) {
    static const double w[] = {60, 25, 15};
    const LeaverReason reasons[] = {LeaverReason::voluntary_promotion,
                                    LeaverReason::voluntary_worklife_balance,
                                    LeaverReason::voluntary_better_pay};
    const LeaverReason reason = same_org ? LeaverReason::voluntary_promotion
                                         : reasons[rng_.pick(std::span<const double>(w, 3))];
    const int day = rng_.between(1, days - 8);
    end_assignment(from, s, reason,
                   same_org ? Destination::other : Destination::other_org_in_system, day);
    start = assignments_[from].leave_date + rng_.between(1, 7);
  } else {
    assignments_[from].destination = static_cast<uint8_t>(Destination::other_org_in_system);
    start = assignments_[from].leave_date + 1;
  }
  const Assignment source_copy = assignments_[from];
  const int32_t org_start = same_org ? source_copy.org_start : start;
  const uint32_t index = add_assignment(source_copy.person, org, role, s, org_start, source);
  if (role == source_copy.role) assignments_[index].fte100 = source_copy.fte100;
}

void Generator::joiners(int s) {
  const Month month = month_of(s);
  const int days = month.days();
  const bool rotation_month = month.month() == 8 || month.month() == 2;
  // Retire-and-return: back on a smaller contract a month or so after retiring.
  for (size_t i = 0; i < returners_.size();) {
    if (returners_[i].month != s) {
      ++i;
      continue;
    }
    const Assignment old = assignments_[returners_[i].from];
    const uint32_t index =
        add_assignment(old.person, old.org, old.role, s,
                       month.start().days + rng_.between(0, days - 1), RecruitmentSource::other);
    static const uint8_t small[] = {60, 50, 40};
    assignments_[index].fte100 = small[rng_.below(3)];
    assignments_[index].band = old.band;
    returners_[i] = returners_.back();
    returners_.pop_back();
  }
  const double years = data_years(s);
  for (size_t o = 0; o < orgs_.size(); ++o) {
    const OrgKind kind = orgs_[o].kind;
    const double growth = 1.0 + kind_info(kind).growth_per_year * years;
    for (size_t c = 0; c < orgs_[o].cells.size(); ++c) {
      const Cell cell = orgs_[o].cells[c];
      const double gap = cell.base * growth - orgs_[o].count[cell.role];
      if (gap <= 0) continue;
      const bool rotating = !rotating_[cell.role].empty() ||
                            (rotation_month && (cell.role == role_index("resident_doctor") ||
                                                cell.role == role_index("gp_trainee")));
      const double fill = rotating ? 1.0 : kind == OrgKind::pcn ? 0.45 : 0.55;
      const int64_t n = rng_.round_random(gap * fill);
      for (int64_t j = 0; j < n; ++j) {
        if (try_flow(static_cast<uint16_t>(o), cell.role, s)) continue;
        const int year = month.year();
        RecruitmentSource source = draw_source(cell.role, year, false);
        if (source == RecruitmentSource::other_org_in_system) source = RecruitmentSource::other;
        if (rotating && cell.role == role_index("resident_doctor") && month.month() == 8 &&
            rng_.chance(0.5))
          source = RecruitmentSource::newly_qualified;
        const uint8_t band = draw_band(cell.role);
        const uint32_t person = new_person(cell.role, s, false, source, band);
        const int day = rotating ? first_weekday_of_month(month, 2) : rng_.between(1, days);
        const uint32_t index = add_assignment(person, static_cast<uint16_t>(o), cell.role, s,
                                              month.start().days + day - 1, source);
        assignments_[index].band = band;
      }
    }
  }
}

void Generator::second_assignments(int s) {
  const uint8_t adult = role_index("adult_nurse");
  const uint8_t mh = role_index("mental_health_nurse");
  const uint8_t consultant = role_index("consultant");
  const uint8_t manager = role_index("manager");
  const uint8_t therapist = role_index("psychological_therapist");
  for (size_t o = 0; o < orgs_.size(); ++o) {
    if (!kind_info(orgs_[o].kind).nhs_trust) continue;
    const size_t n = orgs_[o].active.size();
    for (size_t i = 0; i < n; ++i) {
      const uint32_t index = orgs_[o].active[i];
      const Assignment& a = assignments_[index];
      if (!a.active() || a.is_second || a.second != kNone || a.first == s) continue;
      if (a.role != adult && a.role != mh && a.role != consultant) continue;
      if (!rng_.chance(0.0015)) continue;
      Assignment b = a;
      b.is_second = true;
      b.seq = 2;
      b.second = kNone;
      b.last_episode = kNone;
      b.absent_until = INT32_MIN;
      b.role = a.role == mh ? therapist : manager;
      b.group = role_info(b.role).staff_group;
      b.band = a.role == consultant ? band_index("8C") : band_index("7");
      static const uint8_t small[] = {20, 20, 30, 40};
      b.fte100 = small[rng_.below(4)];
      b.contract = 1;
      b.first = static_cast<int16_t>(s);
      b.due = static_cast<int16_t>(s + rng_.between(6, 24));
      const auto b_index = static_cast<uint32_t>(assignments_.size());
      assignments_.push_back(b);
      assignments_[index].second = b_index;
      orgs_[o].active.push_back(b_index);
    }
  }
}

void Generator::absences(int s) {
  const Month month = month_of(s);
  const int32_t first_day = month.start().days;
  const int32_t last_day = month.end().days;
  const bool winter = month.month() >= 11 || month.month() <= 2;
  static const double short_reasons[] = {5, 5, 6, 30, 18, 4, 10, 8, 6, 2, 4, 2};
  static const double long_reasons[] = {31, 18, 10, 1, 3, 6, 4, 2, 2, 6, 14, 3};
  for (const Org& org : orgs_) {
    const double factor = kind_info(org.kind).sickness_factor;
    const double p_short = 0.168 * factor * (winter ? 1.3 : 0.85);
    const double p_long = 0.0145 * factor;
    for (uint32_t index : org.active) {
      Assignment& a = assignments_[index];
      if (a.is_second || a.absent_until >= last_day) continue;
      int32_t lo = std::max({first_day, a.org_start, a.absent_until + 2});
      if (lo > last_day) continue;
      const double u = absence_rng_.uniform();
      int length;
      const double* reasons;
      if (u < p_long) {
        length = 29 + static_cast<int>(absence_rng_.exponential(48.0));
        if (length > 400) length = 400;
        reasons = long_reasons;
      } else if (u < p_long + p_short) {
        length = 1 + static_cast<int>(absence_rng_.exponential(3.4));
        if (length > 28) length = 28;
        reasons = short_reasons;
      } else {
        continue;
      }
      const int32_t start =
          lo + static_cast<int32_t>(absence_rng_.below(static_cast<uint64_t>(last_day - lo + 1)));
      const auto reason =
          static_cast<uint8_t>(absence_rng_.pick(std::span<const double>(reasons, 12)));
      a.last_episode = static_cast<uint32_t>(episodes_.size());
      episodes_.push_back({index, start, start + length - 1, reason});
      a.absent_until = start + length - 1;
    }
  }
}

void Generator::write_snapshot(int s, CsvOut& sip) {
  const Date snapshot = month_of(s).end();
  for (const Org& org : orgs_) {
    if (org.level != DataLevel::record) continue;
    for (uint32_t index : org.active) {
      const Assignment& a = assignments_[index];
      const Person& p = persons_[a.person];
      sip.date(snapshot).text(org.code).hex16(p.key);
      sip.integer(a.number);
      sip.text_tail("-").integer_tail(a.seq);
      sip.text(staff_groups().code(a.group))
          .text(roles().code(a.role))
          .text(bands().code(a.band))
          .fte(a.fte())
          .text(contract_types().code(a.contract))
          .date(Date{a.org_start})
          .integer(p.birth_year)
          .text(sexes().code(p.sex))
          .text(ethnic_groups().code(p.ethnic))
          .text(disabilities().code(p.disability))
          .text(nationality_groups().code(p.nationality))
          .text(recruitment_sources().code(a.source));
      sip.end_row();
    }
  }
}

void Generator::simulate(CsvOut& sip) {
  const Month start = sim_start_;
  by_role_.assign(roles().size(), {});
  rotating_.assign(roles().size(), {});
  // The stock at the start of the burn-in.
  for (size_t o = 0; o < orgs_.size(); ++o) {
    const double growth = 1.0 + kind_info(orgs_[o].kind).growth_per_year * data_years(0);
    for (const Cell& cell : orgs_[o].cells) {
      const int64_t n = rng_.round_random(cell.base * growth);
      const RoleParams& params = role_params(cell.role);
      for (int64_t j = 0; j < n; ++j) {
        const uint8_t band = draw_band(cell.role);
        const bool rotating =
            cell.role == role_index("resident_doctor") || cell.role == role_index("gp_trainee");
        double tenure =
            rotating ? rng_.uniform() * 0.9
                     : rng_.exponential(params.family == SourceFamily::social_care ? 3.5 : 8.0);
        // Draw the person first so tenure cannot exceed the working life.
        const uint32_t person = new_person(cell.role, 0, true, RecruitmentSource::not_stated, band);
        const int age = start.year() - persons_[person].birth_year;
        tenure = std::min(tenure, std::max(0.1, age - 18.0));
        const int start_year = start.year() - static_cast<int>(tenure);
        const RecruitmentSource source = draw_source(cell.role, start_year, true);
        if (source == RecruitmentSource::international) {
          Person& p = persons_[person];
          draw_demography(p, cell.role, band, source);
        }
        const int32_t org_start = start.start().days - 1 - static_cast<int32_t>(tenure * 365.25);
        const uint32_t index = add_assignment(
            person, static_cast<uint16_t>(o), cell.role, 0, org_start,
            source == RecruitmentSource::other_org_in_system ? RecruitmentSource::other : source);
        assignments_[index].band = band;
      }
    }
  }
  for (int s = 0; s < total_months_; ++s) {
    if (s > 0) exits(s);
    for (auto& pool : by_role_) pool.clear();
    for (const Org& org : orgs_)
      for (uint32_t index : org.active) {
        const Assignment& a = assignments_[index];
        if (a.active() && !a.is_second) by_role_[a.role].push_back(index);
      }
    if (s > 0) joiners(s);
    second_assignments(s);
    for (Org& org : orgs_)
      std::erase_if(org.active, [&](uint32_t index) { return !assignments_[index].active(); });
    absences(s);
    if (s >= kBurnIn) write_snapshot(s, sip);
  }
}

// ---------------------------------------------------------------------------------------
// Output

Status Generator::open(CsvOut& out, FileKind kind) {
  const FileSpec& spec = file_spec(kind);
  std::string header;
  for (const ColumnSpec& column : spec.columns) {
    if (!header.empty()) header.push_back(',');
    header += column.name;
  }
  return out.open((out_ / spec.file_name).string(), header);
}

void Generator::add_file(const CsvOut& out, FileKind kind) {
  summary_.files.push_back({file_spec(kind).file_name, out.rows()});
}

Status Generator::write_organisations() {
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::organisations));
  for (const Org& org : orgs_) {
    out.text(org.code)
        .text(org.name)
        .text(sectors().code(static_cast<uint8_t>(kind_info(org.kind).sector)))
        .text(places_[org.place])
        .text(data_levels().code(static_cast<uint8_t>(org.level)));
    out.end_row();
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::organisations);
  return Status::ok();
}

Status Generator::write_leavers() {
  std::vector<uint32_t> rows;
  for (uint32_t i = 0; i < assignments_.size(); ++i) {
    const Assignment& a = assignments_[i];
    if (a.active() || orgs_[a.org].level != DataLevel::record) continue;
    if (a.last + 1 < kBurnIn) continue;  // left before the first data month
    rows.push_back(i);
  }
  std::stable_sort(rows.begin(), rows.end(), [&](uint32_t x, uint32_t y) {
    const Assignment& a = assignments_[x];
    const Assignment& b = assignments_[y];
    if (a.leave_date != b.leave_date) return a.leave_date < b.leave_date;
    return a.org < b.org;
  });
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::leavers));
  for (uint32_t i : rows) {
    const Assignment& a = assignments_[i];
    out.text(orgs_[a.org].code).hex16(persons_[a.person].key).integer(a.number);
    out.text_tail("-").integer_tail(a.seq);
    out.date(Date{a.leave_date})
        .text(leaver_reasons().code(a.reason))
        .text(destinations().code(a.destination));
    out.end_row();
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::leavers);
  return Status::ok();
}

Status Generator::write_absence() {
  const int32_t data_start = first_data_.start().days;
  const int32_t data_end = options_.last_month.end().days;
  std::vector<uint32_t> rows;
  for (uint32_t i = 0; i < episodes_.size(); ++i) {
    const Episode& e = episodes_[i];
    const Assignment& a = assignments_[e.assignment];
    if (orgs_[a.org].level != DataLevel::record) continue;
    if (a.last < kBurnIn || e.end < data_start) continue;
    rows.push_back(i);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](uint32_t x, uint32_t y) { return episodes_[x].start < episodes_[y].start; });
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::absence));
  for (uint32_t i : rows) {
    const Episode& e = episodes_[i];
    const Assignment& a = assignments_[e.assignment];
    out.text(orgs_[a.org].code).hex16(persons_[a.person].key).integer(a.number);
    out.text_tail("-").integer_tail(a.seq);
    out.date(Date{e.start});
    if (a.active() && e.end > data_end)
      out.blank();
    else
      out.date(Date{e.end});
    out.text(absence_reasons().code(e.reason));
    out.end_row();
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::absence);
  return Status::ok();
}

double pay_uplift(Month month) {
  const int fy = FinancialYear::of(month).start_year;
  double factor = 1.0;
  if (fy >= 2024) factor *= 1.055;
  if (fy >= 2025) factor *= 1.036;
  for (int y = 2026; y <= fy; ++y) factor *= 1.03;
  for (int y = 2022; y >= fy; --y) factor /= 1.05;
  return factor;
}

double annual_cost(uint8_t role, uint8_t band, bool nhs) {
  const double base = band < 12 ? afc_pay(band) : role_params(role).pay;
  return base * (nhs ? 1.27 : 1.14);
}

Status Generator::write_establishment_and_pay() {
  const size_t n_roles = roles().size();
  const size_t n_bands = bands().size();
  const size_t n_groups = staff_groups().size();
  fte_cube_.assign(static_cast<size_t>(record_orgs_) * n_roles * n_bands * months_, 0.0f);
  for (const Assignment& a : assignments_) {
    const Org& org = orgs_[a.org];
    if (org.record_index < 0) continue;
    const int from = std::max<int>(a.first, kBurnIn);
    const int to = std::min<int>(a.last, total_months_ - 1);
    for (int s = from; s <= to; ++s)
      fte_cube_[cube_index(org.record_index, a.role, a.band, s - kBurnIn)] +=
          static_cast<float>(a.fte());
  }
  CsvOut est, pay;
  CF_RETURN_IF_ERROR(open(est, FileKind::establishment));
  CF_RETURN_IF_ERROR(open(pay, FileKind::pay_costs));
  bank_.assign(static_cast<size_t>(record_orgs_) * n_groups * months_, 0.0);
  agency_.assign(bank_.size(), 0.0);
  const uint8_t nursing = code_of(staff_groups(), "nursing");
  const uint8_t midwifery = code_of(staff_groups(), "midwifery");
  const uint8_t adult = role_index("adult_nurse");
  // Vacancy rate by financial year of the data (falling, as the plans intend).
  auto base_vacancy = [](int fy) {
    return fy <= 2022 ? 12.2 : fy == 2023 ? 11.6 : fy == 2024 ? 10.9 : fy == 2025 ? 10.3 : 10.0;
  };
  auto group_vacancy = [&](uint8_t group) {
    const std::string& g = staff_groups().code(group);
    if (g == "nursing" || g == "midwifery") return 1.2;
    if (g == "medical" || g == "ahp" || g == "support_to_clinical") return 0.6;
    if (g == "infrastructure") return -2.6;
    if (g == "primary_care_direct") return 2.0;
    return 0.0;
  };
  std::vector<double> cell_fte(static_cast<size_t>(months_));
  auto funded_for = [&](int d, double vacancy) {
    // Funded posts are set for the whole financial year from its mean staffing.
    const int fy = FinancialYear::of(first_data_ + d).start_year;
    double sum = 0;
    int n = 0;
    for (int k = 0; k < months_; ++k)
      if (FinancialYear::of(first_data_ + k).start_year == fy) {
        sum += cell_fte[k];
        ++n;
      }
    return sum / n / (1.0 - vacancy / 100.0);
  };
  for (const Org& org : orgs_) {
    if (org.record_index < 0) continue;
    const bool trust = kind_info(org.kind).nhs_trust;
    const bool by_role = org.kind == OrgKind::acute;
    const bool by_band = by_role && org.record_index == 0;
    // Per-cell vacancy offsets: drawn once per cell per financial year.
    struct EstCell {
      uint8_t group, role, band;  // role/band kAnyCode when blank
    };
    std::vector<EstCell> cells;
    for (uint8_t g = 0; g < n_groups; ++g) {
      bool any = false;
      for (uint8_t r = 0; r < n_roles; ++r)
        if (role_info(r).staff_group == g)
          for (int d = 0; d < months_ && !any; ++d)
            for (uint8_t b = 0; b < n_bands && !any; ++b)
              any = fte_cube_[cube_index(org.record_index, r, b, d)] > 0;
      if (!any) continue;
      if (by_role && (g == nursing || g == midwifery)) {
        for (uint8_t r = 0; r < n_roles; ++r) {
          if (role_info(r).staff_group != g) continue;
          bool role_any = false;
          for (int d = 0; d < months_ && !role_any; ++d)
            for (uint8_t b = 0; b < n_bands && !role_any; ++b)
              role_any = fte_cube_[cube_index(org.record_index, r, b, d)] > 0;
          if (!role_any) continue;
          if (by_band && r == adult) {
            for (const char* b : {"5", "6", "7"}) cells.push_back({g, r, band_index(b)});
          } else {
            cells.push_back({g, r, kAnyCode});
          }
        }
      } else {
        cells.push_back({g, kAnyCode, kAnyCode});
      }
    }
    for (const EstCell& cell : cells) {
      for (int d = 0; d < months_; ++d) {
        double sum = 0;
        for (uint8_t r = 0; r < n_roles; ++r) {
          if (role_info(r).staff_group != cell.group) continue;
          if (cell.role != kAnyCode && r != cell.role) continue;
          for (uint8_t b = 0; b < n_bands; ++b) {
            if (cell.band != kAnyCode && b != cell.band) continue;
            sum += fte_cube_[cube_index(org.record_index, r, b, d)];
          }
        }
        cell_fte[d] = sum;
      }
      double offset_by_fy[4] = {};
      for (double& offset : offset_by_fy) offset = money_rng_.normal(0.0, 1.6, -5.0, 5.0);
      for (int d = 0; d < months_; ++d) {
        const Month period = first_data_ + d;
        const int fy = FinancialYear::of(period).start_year;
        const double vacancy =
            std::max(1.0, base_vacancy(fy) + group_vacancy(cell.group) +
                              offset_by_fy[static_cast<size_t>((fy % 4 + 4) % 4)] +
                              (org.kind == OrgKind::pcn ? 2.0 : 0.0));
        const double funded = funded_for(d, vacancy);
        if (funded <= 0) continue;
        est.period(period).text(org.code).text(staff_groups().code(cell.group));
        if (cell.role == kAnyCode)
          est.blank();
        else
          est.text(roles().code(cell.role));
        if (cell.band == kAnyCode)
          est.blank();
        else
          est.text(bands().code(cell.band));
        est.fixed(funded, 1);
        est.end_row();
      }
    }
    // Pay ledger.
    for (int d = 0; d < months_; ++d) {
      const Month period = first_data_ + d;
      const double uplift = pay_uplift(period);
      const double t = (d + 0.5) / months_;  // agency spend falls through the plan
      for (uint8_t g = 0; g < n_groups; ++g) {
        double substantive = 0;
        for (uint8_t r = 0; r < n_roles; ++r) {
          if (role_info(r).staff_group != g) continue;
          for (uint8_t b = 0; b < n_bands; ++b) {
            const float f = fte_cube_[cube_index(org.record_index, r, b, d)];
            if (f > 0) substantive += f * annual_cost(r, b, trust || org.kind == OrgKind::pcn);
          }
        }
        if (substantive <= 0) continue;
        substantive = substantive * uplift / 12.0;
        double bank_share, agency_share;
        const std::string& group = staff_groups().code(g);
        if (trust) {
          double agency = (org.kind == OrgKind::mental_health ? 6.2
                           : org.kind == OrgKind::ambulance   ? 1.4
                           : org.kind == OrgKind::community   ? 3.6
                                                              : 5.0) *
                          (1.15 - 0.35 * t);
          double bank = org.kind == OrgKind::ambulance ? 3.0 : 7.2;
          if (group == "medical") {
            agency *= 1.7;
            bank *= 0.8;
          } else if (group == "nursing") {
            agency *= 1.25;
            bank *= 1.45;
          } else if (group == "support_to_clinical") {
            agency *= 0.6;
            bank *= 1.6;
          } else if (group == "midwifery") {
            bank *= 1.2;
          } else if (group == "infrastructure") {
            agency *= 0.45;
            bank *= 0.45;
          } else if (group == "ahp") {
            agency *= 1.1;
            bank *= 0.5;
          } else if (group == "healthcare_science") {
            bank *= 0.4;
          }
          bank_share = bank * money_rng_.normal(1.0, 0.08, 0.7, 1.3) / 100.0;
          agency_share = agency * money_rng_.normal(1.0, 0.1, 0.6, 1.4) / 100.0;
        } else {
          bank_share = org.kind == OrgKind::care_provider ? 0.015 : 0.0;
          agency_share = (org.kind == OrgKind::care_provider ? 0.03 : 0.01) *
                         money_rng_.normal(1.0, 0.15, 0.5, 1.5);
        }
        const double total = substantive / (1.0 - bank_share - agency_share);
        const double bank = total * bank_share;
        const double agency = total * agency_share;
        const size_t k = (static_cast<size_t>(org.record_index) * n_groups + g) * months_ + d;
        bank_[k] = bank;
        agency_[k] = agency;
        pay.period(period)
            .text(org.code)
            .text(group)
            .fixed(substantive, 2)
            .fixed(bank, 2)
            .fixed(agency, 2);
        pay.end_row();
      }
    }
  }
  CF_RETURN_IF_ERROR(est.close());
  CF_RETURN_IF_ERROR(pay.close());
  add_file(est, FileKind::establishment);
  add_file(pay, FileKind::pay_costs);
  return Status::ok();
}

Status Generator::write_temporary_staffing() {
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::temporary_staffing));
  const size_t n_roles = roles().size();
  const size_t n_bands = bands().size();
  const size_t n_groups = staff_groups().size();
  // The e-rostering extract covers ward and rota staff; the ledger also carries temporary
  // spend booked outside it, so shift costs are a part of the ledger's bank and agency pay.
  constexpr double kRosteredShare = 0.22;
  static const char* kGroups[] = {"medical", "nursing", "midwifery", "ambulance",
                                  "support_to_clinical"};
  static const double hours[] = {12.5, 7.5, 11.5, 8.0, 4.5};
  static const double hour_weights[] = {40, 32, 12, 11, 5};
  struct Shift {
    int32_t date;
    uint8_t group, role, outcome, reason;
    double hours, cost;
  };
  std::vector<Shift> shifts;
  for (int d = 0; d < months_; ++d) {
    const Month period = first_data_ + d;
    const bool winter = period.month() >= 11 || period.month() <= 2;
    for (const Org& org : orgs_) {
      if (org.record_index < 0 || !kind_info(org.kind).nhs_trust) continue;
      shifts.clear();
      for (const char* group_code : kGroups) {
        const uint8_t g = code_of(staff_groups(), group_code);
        std::vector<double> role_weights(n_roles, 0.0);
        double total_fte = 0, mean_rate = 0;
        for (uint8_t r = 0; r < n_roles; ++r) {
          if (role_info(r).staff_group != g) continue;
          for (uint8_t b = 0; b < n_bands; ++b) {
            const double f = fte_cube_[cube_index(org.record_index, r, b, d)];
            role_weights[r] += f;
            total_fte += f;
            mean_rate += f * annual_cost(r, b, true) / 1.27 / 1950.0;
          }
        }
        if (total_fte <= 0) continue;
        mean_rate /= total_fte;
        const double rate_factor = g == code_of(staff_groups(), "medical") ? 2.2 : 1.15;
        const size_t k = (static_cast<size_t>(org.record_index) * n_groups + g) * months_ + d;
        for (int outcome = 0; outcome < 2; ++outcome) {
          const double budget = (outcome == 0 ? bank_[k] : agency_[k]) * kRosteredShare;
          const double premium =
              outcome == 0 ? 1.0 : (g == code_of(staff_groups(), "medical") ? 1.6 : 1.9);
          double spent = 0;
          while (spent < budget) {
            Shift shift;
            shift.date = period.start().days + money_rng_.between(0, period.days() - 1);
            shift.group = g;
            shift.role = static_cast<uint8_t>(money_rng_.pick(role_weights));
            shift.outcome = static_cast<uint8_t>(outcome);
            shift.hours = hours[money_rng_.pick(hour_weights)];
            shift.cost = shift.hours * mean_rate * rate_factor * premium *
                         (0.9 + 0.25 * money_rng_.uniform());
            const double reason_w[] = {48, winter ? 33.0 : 24.0, winter ? 22.0 : 18.0, 5};
            shift.reason = static_cast<uint8_t>(money_rng_.pick(reason_w));
            spent += shift.cost;
            shifts.push_back(shift);
          }
        }
      }
      // Requests nobody filled.
      const size_t filled = shifts.size();
      const double unfilled_share = winter ? 0.2 : 0.13;
      const int64_t unfilled =
          money_rng_.round_random(static_cast<double>(filled) * unfilled_share);
      for (int64_t i = 0; i < unfilled && filled > 0; ++i) {
        Shift shift = shifts[money_rng_.below(filled)];
        shift.date = period.start().days + money_rng_.between(0, period.days() - 1);
        shift.outcome = 2;
        shift.cost = 0;
        shifts.push_back(shift);
      }
      std::stable_sort(shifts.begin(), shifts.end(),
                       [](const Shift& a, const Shift& b) { return a.date < b.date; });
      for (const Shift& shift : shifts) {
        out.date(Date{shift.date})
            .text(org.code)
            .text(staff_groups().code(shift.group))
            .text(roles().code(shift.role))
            .fixed(shift.hours, 1)
            .text(shift_outcomes().code(shift.outcome));
        if (shift.outcome == 2)
          out.blank();
        else
          out.fixed(shift.cost, 2);
        out.text(cover_reasons().code(shift.reason));
        out.end_row();
      }
    }
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::temporary_staffing);
  return Status::ok();
}

Status Generator::write_aggregate_returns() {
  struct Slot {
    uint8_t role;
    double vacancy;
    std::vector<int32_t> head, stayers, age55, minority, intl;
    std::vector<double> fte, lost, available;
  };
  struct OrgSlots {
    std::vector<Slot> slots;
    std::vector<int8_t> by_role;
  };
  const size_t T = static_cast<size_t>(total_months_);
  std::vector<OrgSlots> agg(orgs_.size());
  auto slot_of = [&](uint16_t org, uint8_t role) -> Slot& {
    OrgSlots& os = agg[org];
    if (os.by_role.empty()) os.by_role.assign(roles().size(), -1);
    if (os.by_role[role] < 0) {
      os.by_role[role] = static_cast<int8_t>(os.slots.size());
      Slot slot;
      slot.role = role;
      slot.vacancy = 0;
      slot.head.assign(T, 0);
      slot.stayers.assign(T, 0);
      slot.age55.assign(T, 0);
      slot.minority.assign(T, 0);
      slot.intl.assign(T, 0);
      slot.fte.assign(T, 0);
      slot.lost.assign(T, 0);
      slot.available.assign(T, 0);
      os.slots.push_back(std::move(slot));
    }
    return os.slots[static_cast<size_t>(os.by_role[role])];
  };
  // Visit organisations in order so slots (and rows) come out in role-mix order.
  for (size_t o = 0; o < orgs_.size(); ++o)
    if (orgs_[o].level == DataLevel::aggregate)
      for (const Cell& cell : orgs_[o].cells) slot_of(static_cast<uint16_t>(o), cell.role);
  for (const Assignment& a : assignments_) {
    if (orgs_[a.org].level != DataLevel::aggregate) continue;
    Slot& slot = slot_of(a.org, a.role);
    const Person& p = persons_[a.person];
    const bool minority = p.ethnic != 0 && p.ethnic != 5;
    const int to = std::min<int>(a.last, total_months_ - 1);
    for (int s = a.first; s <= to; ++s) {
      slot.head[s]++;
      slot.fte[s] += a.fte();
      if (s - 12 >= a.first) slot.stayers[s]++;
      if (year_of(s) - p.birth_year >= 55) slot.age55[s]++;
      if (minority) slot.minority[s]++;
      slot.available[s] += month_of(s).days() * a.fte();
    }
    // The days in post in the month of leaving (after the last month-end snapshot) are
    // available too: sickness in them counts as lost below, and lost <= available.
    if (!a.active() && a.last + 1 < total_months_) {
      const int s = a.last + 1;
      slot.available[s] += (a.leave_date - month_of(s).start().days + 1) * a.fte();
    }
    if (a.source == static_cast<uint8_t>(RecruitmentSource::international)) slot.intl[a.first]++;
  }
  for (const Episode& e : episodes_) {
    const Assignment& a = assignments_[e.assignment];
    if (orgs_[a.org].level != DataLevel::aggregate) continue;
    Slot& slot = slot_of(a.org, a.role);
    for (int s = std::max(0, Month::of(Date{e.start}) - sim_start_);
         s < total_months_ && month_of(s).start().days <= e.end; ++s) {
      const int32_t lo = std::max(e.start, month_of(s).start().days);
      const int32_t hi = std::min(e.end, month_of(s).end().days);
      if (hi >= lo) slot.lost[s] += (hi - lo + 1) * a.fte();
    }
  }
  for (size_t o = 0; o < orgs_.size(); ++o) {
    const double base = orgs_[o].kind == OrgKind::council    ? 12.0
                        : orgs_[o].kind == OrgKind::practice ? 7.0
                                                             : 10.2;
    for (Slot& slot : agg[o].slots) slot.vacancy = money_rng_.normal(base, 3.5, 0.0, 30.0);
  }
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::aggregate_returns));
  for (int s = kBurnIn; s < total_months_; ++s) {
    const Date snapshot = month_of(s).end();
    const double trend = 1.0 - 0.04 * data_years(s);  // vacancies ease slowly
    for (size_t o = 0; o < orgs_.size(); ++o) {
      for (const Slot& slot : agg[o].slots) {
        const int32_t head = slot.head[s];
        const int32_t ago = slot.head[s - 12];
        if (head == 0 && ago == 0) continue;
        const double v = slot.vacancy * trend / 100.0;
        const int64_t vacant = money_rng_.round_random(std::max(head, 1) * v / (1.0 - v) *
                                                       (0.8 + 0.4 * money_rng_.uniform()));
        double lost = 0, available = 0;
        int32_t intl = 0;
        for (int k = s - 11; k <= s; ++k) {
          lost += slot.lost[k];
          available += slot.available[k];
          intl += slot.intl[k];
        }
        out.date(snapshot)
            .text(orgs_[o].code)
            .text(staff_groups().code(role_info(slot.role).staff_group))
            .text(roles().code(slot.role))
            .integer(head)
            .fixed(slot.fte[s], 2)
            .integer(vacant)
            .integer(ago - slot.stayers[s])
            .integer(ago)
            .integer(slot.stayers[s])
            .fixed(lost, 1)
            .fixed(available, 1)
            .integer(slot.age55[s])
            .integer(slot.minority[s])
            .integer(intl);
        out.end_row();
      }
    }
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::aggregate_returns);
  return Status::ok();
}

Status Generator::write_population() {
  // England-like 2023 age structure (per cent by 5-year band, 0-4 ... 85+).
  static const double shares[18] = {5.3, 5.8, 6.1, 5.9, 6.0, 6.5, 6.9, 6.7, 6.4,
                                    6.1, 6.6, 6.6, 5.9, 5.0, 4.7, 4.0, 2.5, 2.5};
  // Annual growth by band: older people grow fast (65+ about +24% in ten years).
  static const double growth[18] = {-0.004, -0.005, -0.004, 0.002, 0.001,  0.0,
                                    -0.001, 0.001,  0.001,  0.0,   -0.002, 0.0,
                                    0.002,  0.014,  0.017,  0.028, 0.027,  0.032};
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::population));
  const int base_year = 2023;
  const int last_estimate = options_.last_month.year() - 2;  // published with a lag
  const int first_year = std::min(first_data_.year(), 2021);
  const int last_year = std::max(2042, options_.last_month.year() + 16);
  Rng rng(options_.seed, 4);
  for (size_t place = 0; place < places_.size(); ++place) {
    // Places differ: the rural place is older, the city younger.
    const double older = place == 3 ? 1.25 : place == 0 ? 0.88 : 1.0 + 0.1 * (rng.uniform() - 0.5);
    double weights[18];
    double total = 0;
    for (int b = 0; b < 18; ++b) {
      weights[b] = shares[b] * (b >= 13 ? older : (b >= 4 && b <= 8 ? 2.0 - older : 1.0));
      total += weights[b];
    }
    const double place_total = place_population_[place] * options_.scale;
    for (int year = first_year; year <= last_year; ++year) {
      for (int b = 0; b < 18; ++b) {
        double value = place_total * weights[b] / total;
        const double g = growth[b];
        // Growth slows after 2035 as the baby-boom cohorts pass.
        for (int y = base_year; y < year; ++y) value *= 1.0 + (y >= 2035 ? g * 0.7 : g);
        for (int y = year; y < base_year; ++y) value /= 1.0 + g;
        out.text(places_[place])
            .integer(year)
            .text(population_age_bands().code(static_cast<uint8_t>(b)))
            .integer(static_cast<int64_t>(value + 0.5))
            .text(year <= last_estimate ? "estimate" : "projection");
        out.end_row();
      }
    }
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::population);
  return Status::ok();
}

Status Generator::write_targets() {
  struct Target {
    const char* indicator;
    const char* scope;
    double values[4];
    bool higher;
  };
  // Outcomes-framework trajectories, 2023/24 to 2026/27, set near the demo's own baseline.
  static const Target targets[] = {
      {"vacancy_rate", "system", {11.0, 10.0, 9.5, 9.0}, false},
      {"vacancy_rate", "sector:social_care", {11.0, 10.5, 10.0, 9.5}, false},
      {"vacancy_rate", "sector:acute", {11.0, 10.0, 9.5, 9.0}, false},
      // Scope turnover: leaving the scope, so moves between trusts are not acute leavers
      // and the system rate carries social care's ~27%.
      {"turnover_rate", "system", {23.0, 22.5, 22.0, 21.5}, false},
      {"turnover_rate", "sector:acute", {17.0, 16.5, 16.0, 15.5}, false},
      {"turnover_rate", "sector:social_care", {30.0, 28.5, 27.0, 25.5}, false},
      {"turnover_rate", "sector:primary_care", {18.0, 17.0, 16.0, 15.0}, false},
      {"system_retention_rate", "system", {85.0, 86.0, 87.0, 88.0}, true},
      {"stability_index", "system", {80.0, 81.0, 82.0, 83.0}, true},
      {"stability_index", "sector:social_care", {70.0, 72.0, 74.0, 76.0}, true},
      {"sickness_absence_rate", "system", {5.8, 5.5, 5.2, 5.0}, false},
      {"sickness_absence_rate", "sector:ambulance", {7.5, 7.0, 6.6, 6.2}, false},
      {"sickness_absence_rate", "sector:mental_health", {6.4, 6.1, 5.8, 5.5}, false},
      {"agency_share_of_pay", "system", {5.5, 4.8, 4.0, 3.6}, false},
      {"agency_share_of_pay", "sector:acute", {6.0, 5.2, 4.4, 3.8}, false},
      {"agency_share_of_pay", "sector:mental_health", {7.5, 6.5, 5.5, 4.5}, false},
      {"bank_share_of_pay", "system", {7.0, 7.0, 6.8, 6.5}, false},
      {"shift_fill_rate", "system", {85.0, 86.0, 87.0, 88.0}, true},
      {"age_55_plus_share", "sector:primary_care", {36.0, 35.0, 34.0, 33.0}, false},
      {"international_share_of_joiners", "system", {18.0, 14.0, 11.0, 10.0}, false},
      {"ethnic_minority_share_senior", "system", {12.0, 13.5, 15.0, 16.5}, true},
      {"fte_growth_12m", "sector:primary_care", {8.0, 7.0, 6.0, 5.0}, true},
      {"rolling_turnover_rate", "sector:social_care", {32.0, 30.5, 29.0, 27.5}, false},
  };
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::targets));
  for (const Target& t : targets) {
    for (int i = 0; i < 4; ++i) {
      out.text(t.indicator).text(t.scope);
      out.text(FinancialYear{2023 + i}.label()).fixed(t.values[i], 1);
      out.text(t.higher ? "higher_is_better" : "lower_is_better");
      out.end_row();
    }
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::targets);
  return Status::ok();
}

Status Generator::write_sip_rows_only() {
  // Persons with constant attributes across the snapshots: import speed, not realism.
  std::vector<double> weights;
  std::vector<uint16_t> record_orgs;
  for (size_t o = 0; o < orgs_.size(); ++o)
    if (orgs_[o].level == DataLevel::record) {
      record_orgs.push_back(static_cast<uint16_t>(o));
      weights.push_back(orgs_[o].size);
    }
  const int64_t total = options_.sip_rows;
  const int64_t persons = (total + months_ - 1) / months_;
  struct Row {
    uint16_t org;
    uint8_t role, band, fte, source;
    int32_t start;
  };
  std::vector<Row> rows(static_cast<size_t>(persons));
  persons_.resize(static_cast<size_t>(persons));
  for (int64_t i = 0; i < persons; ++i) {
    const uint16_t org = record_orgs[rng_.pick(weights)];
    const auto& cells = orgs_[org].cells;
    double cw[64];
    for (size_t c = 0; c < cells.size(); ++c) cw[c] = cells[c].base;
    const uint8_t role = cells[rng_.pick(std::span<const double>(cw, cells.size()))].role;
    Row& row = rows[static_cast<size_t>(i)];
    row.org = org;
    row.role = role;
    row.band = draw_band(role);
    row.fte = draw_fte(role);
    const auto source = static_cast<RecruitmentSource>(rng_.below(9));
    row.source = static_cast<uint8_t>(source);
    row.start = first_data_.start().days - 1 - static_cast<int32_t>(rng_.exponential(2900.0));
    Person& p = persons_[static_cast<size_t>(i)];
    p.key = mix64(key_salt_ + static_cast<uint64_t>(i));
    p.birth_year =
        static_cast<int16_t>(first_data_.year() - static_cast<int>(rng_.normal(42, 11, 18, 68)));
    draw_demography(p, role, row.band, source);
  }
  CsvOut out;
  CF_RETURN_IF_ERROR(open(out, FileKind::staff_in_post));
  int64_t written = 0;
  for (int d = 0; d < months_ && written < total; ++d) {
    const Date snapshot = (first_data_ + d).end();
    for (int64_t i = 0; i < persons && written < total; ++i, ++written) {
      const Row& row = rows[static_cast<size_t>(i)];
      const Person& p = persons_[static_cast<size_t>(i)];
      out.date(snapshot).text(orgs_[row.org].code).hex16(p.key);
      out.integer(30000001 + i);
      out.text_tail("-1");
      out.text(staff_groups().code(role_info(row.role).staff_group))
          .text(roles().code(row.role))
          .text(bands().code(row.band))
          .fte(row.fte / 100.0)
          .text("permanent")
          .date(Date{row.start})
          .integer(p.birth_year)
          .text(sexes().code(p.sex))
          .text(ethnic_groups().code(p.ethnic))
          .text(disabilities().code(p.disability))
          .text(nationality_groups().code(p.nationality))
          .text(recruitment_sources().code(row.source));
      out.end_row();
    }
  }
  CF_RETURN_IF_ERROR(out.close());
  add_file(out, FileKind::staff_in_post);
  return Status::ok();
}

Result<DemoSummary> Generator::run() {
  const auto started = std::chrono::steady_clock::now();
  std::error_code ec;
  std::filesystem::create_directories(out_, ec);
  if (ec)
    return make_error(ErrorCode::io_error, "cannot create the folder '" + out_.string() + "'",
                      ec.message());
  plan_orgs();
  summary_.organisations = orgs_.size();
  CF_RETURN_IF_ERROR(write_organisations());
  if (options_.sip_rows > 0) {
    CF_RETURN_IF_ERROR(write_sip_rows_only());
  } else {
    build_flows();
    CsvOut sip;
    CF_RETURN_IF_ERROR(open(sip, FileKind::staff_in_post));
    simulate(sip);
    CF_RETURN_IF_ERROR(sip.close());
    add_file(sip, FileKind::staff_in_post);
    CF_RETURN_IF_ERROR(write_leavers());
    CF_RETURN_IF_ERROR(write_absence());
    CF_RETURN_IF_ERROR(write_establishment_and_pay());
    CF_RETURN_IF_ERROR(write_temporary_staffing());
    CF_RETURN_IF_ERROR(write_aggregate_returns());
    CF_RETURN_IF_ERROR(write_population());
    CF_RETURN_IF_ERROR(write_targets());
  }
  summary_.persons = persons_.size();
  summary_.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return summary_;
}

}  // namespace

Result<DemoSummary> generate_demo(const DemoOptions& options, const std::filesystem::path& out) {
  CF_RETURN_IF_ERROR(options.validate());
  Generator generator(options, out);
  return generator.run();
}

}  // namespace careforce::demo
