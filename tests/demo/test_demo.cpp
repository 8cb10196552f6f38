#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/codes.hpp"
#include "core/csv_text.hpp"
#include "core/date.hpp"
#include "core/schema.hpp"
#include "demo/demo_generator.hpp"
#include "ingest/validator.hpp"

namespace careforce::demo {
namespace {

namespace fs = std::filesystem;

// ctest runs each test in its own process, so generated folders are cached beside the
// build, keyed by the test binary's modification time (a rebuilt generator regenerates).
fs::path test_root() {
  static const fs::path root = [] {
    std::error_code ec;
    const auto stamp = fs::last_write_time("/proc/self/exe", ec).time_since_epoch().count();
    const fs::path parent = fs::path(CAREFORCE_BINARY_DIR) / "demo_test_cache";
    const std::string name = "build-" + std::to_string(stamp);
    fs::create_directories(parent, ec);
    for (const auto& entry : fs::directory_iterator(parent, ec))
      if (entry.path().filename() != name) fs::remove_all(entry.path(), ec);
    fs::create_directories(parent / name, ec);
    return parent / name;
  }();
  return root;
}

DemoOptions small_options(uint64_t seed) {
  DemoOptions options;
  options.seed = seed;
  options.scale = 0.05;
  options.months = 14;
  return options;
}

// Generate each run once per test binary.
const fs::path& run(const std::string& name, const DemoOptions& options) {
  static std::map<std::string, fs::path> done;
  auto it = done.find(name);
  if (it != done.end()) return it->second;
  const fs::path dir = test_root() / name;
  if (!fs::exists(dir / "complete")) {
    // Write to a private folder, then rename: parallel test processes never see half a run.
    const fs::path tmp = test_root() / (name + ".tmp" + std::to_string(::getpid()));
    auto summary = generate_demo(options, tmp);
    EXPECT_TRUE(summary.is_ok()) << (summary ? "" : summary.error().message);
    std::ofstream(tmp / "complete") << "ok\n";
    std::error_code ec;
    fs::rename(tmp, dir, ec);
    if (ec) fs::remove_all(tmp, ec);  // another process finished first
  }
  return done.emplace(name, dir).first->second;
}
const fs::path& small_run() {
  return run("small", small_options(11));
}
const fs::path& full_run() {
  return run("full", DemoOptions{});
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// A streaming reader for the demo's own output (no quoted fields).
struct Table {
  std::string text;
  std::vector<std::string> header;
  int col(std::string_view name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return static_cast<int>(i);
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  template <typename F>
  void rows(F f) const {
    std::vector<std::string_view> fields;
    size_t pos = text.find('\n') + 1;
    while (pos < text.size()) {
      size_t end = text.find('\n', pos);
      if (end == std::string::npos) end = text.size();
      fields.clear();
      size_t start = pos;
      for (size_t i = pos; i <= end; ++i)
        if (i == end || text[i] == ',') {
          fields.emplace_back(text.data() + start, i - start);
          start = i + 1;
        }
      f(fields);
      pos = end + 1;
    }
  }
};

Table load(const fs::path& path) {
  Table table;
  table.text = read_file(path);
  const std::string first = table.text.substr(0, table.text.find('\n'));
  std::stringstream ss(first);
  std::string name;
  while (std::getline(ss, name, ',')) table.header.push_back(name);
  return table;
}

std::string file_sha(const fs::path& dir) {
  std::string all;
  for (const FileSpec& spec : data_standard_files()) all += read_file(dir / spec.file_name);
  return all;
}

double to_double(std::string_view v) {
  return std::strtod(std::string(v).c_str(), nullptr);
}
Month month_of(std::string_view iso) {
  return Month::of(*parse_iso_date(iso));
}

// ---------------------------------------------------------------------------------------

TEST(DemoOptions, ValidateNamesTheOption) {
  DemoOptions options;
  EXPECT_TRUE(options.validate().is_ok());
  options.scale = 0;
  EXPECT_EQ(options.validate().message(), "--scale must be above 0 and at most 20");
  options = DemoOptions{};
  options.months = 500;
  EXPECT_EQ(options.validate().message(), "--months must be between 1 and 120 (got 500)");
  EXPECT_EQ(DemoOptions{}.effective_months(), 36);
  options = DemoOptions{};
  options.profile = DemoProfile::national;
  EXPECT_EQ(options.effective_months(), 13);
  EXPECT_FALSE(parse_demo_profile("regional").is_ok());
  EXPECT_EQ(*parse_demo_profile("default"), DemoProfile::ics);
}

TEST(DemoDeterminism, SameSeedGivesIdenticalBytes) {
  const fs::path& a = small_run();
  const fs::path& b = run("small_again", small_options(11));
  for (const FileSpec& spec : data_standard_files()) {
    ASSERT_TRUE(fs::exists(a / spec.file_name)) << spec.file_name;
    EXPECT_TRUE(read_file(a / spec.file_name) == read_file(b / spec.file_name)) << spec.file_name;
  }
}

TEST(DemoDeterminism, DifferentSeedsDiffer) {
  const fs::path& a = small_run();
  const fs::path& c = run("small_other_seed", small_options(12));
  EXPECT_NE(read_file(a / "staff_in_post.csv"), read_file(c / "staff_in_post.csv"));
  EXPECT_NE(read_file(a / "organisations.csv"), read_file(c / "organisations.csv"));
  EXPECT_NE(file_sha(a), file_sha(c));
}

// The full demo passes the product's own validator without an error or a warning (the
// cross-field and cross-file rules too: lost <= available days, one person per assignment).
TEST(DemoValidity, TheFullDemoPassesTheValidator) {
  struct CountingSink : RowSink {
    uint64_t rows = 0;
    Status add_row(const FileSpec&, std::span<const Value>, uint64_t) override {
      ++rows;
      return Status::ok();
    }
    Status quarantine_row(const FileSpec&, uint64_t, std::string_view,
                          std::span<const Finding>) override {
      return Status::ok();
    }
  } sink;
  auto submission = ingest::open_submission(full_run());
  ASSERT_TRUE(submission.is_ok()) << submission.error().message;
  auto report = ingest::validate_submission(*submission, {}, {}, sink);
  ASSERT_TRUE(report.is_ok()) << report.error().message;
  EXPECT_EQ(report->errors, 0u) << ingest::format_report(*report, 20);
  for (const Finding& f : report->findings)  // only the test's own "complete" marker
    EXPECT_EQ(f.kind, "unknown_file") << f.format();
  EXPECT_GT(sink.rows, 100000u);
}

// Every value of every file is valid against the core declarations.
TEST(DemoValidity, EveryFileMatchesTheDataStandard) {
  const fs::path& dir = small_run();
  for (const FileSpec& spec : data_standard_files()) {
    SCOPED_TRACE(spec.file_name);
    const auto rows = parse_simple_csv(read_file(dir / spec.file_name));
    ASSERT_GE(rows.size(), 2u) << "no data rows";
    std::vector<std::string> expected;
    for (const ColumnSpec& column : spec.columns) expected.push_back(column.name);
    ASSERT_EQ(rows[0], expected);
    const int group_col = spec.column_index("staff_group");
    const int role_col = spec.column_index("role_code");
    int failures = 0;
    auto fail = [&](size_t line, const ColumnSpec& column, const std::string& value) {
      if (++failures <= 10)
        ADD_FAILURE() << "line " << line + 1 << " column " << column.name << " value '" << value
                      << "' is not a valid " << column_type_name(column.type);
    };
    for (size_t line = 1; line < rows.size(); ++line) {
      const auto& row = rows[line];
      ASSERT_EQ(row.size(), spec.columns.size()) << "line " << line + 1;
      for (size_t c = 0; c < row.size(); ++c) {
        const ColumnSpec& column = spec.columns[c];
        const std::string& v = row[c];
        if (v.empty()) {
          if (column.required) fail(line, column, v);
          continue;
        }
        bool ok = true;
        double number = 0;
        switch (column.type) {
          case ColumnType::text:
            ok = v.front() != ' ' && v.back() != ' ';
            break;
          case ColumnType::code:
            ok = column.codes->find(v).has_value();
            break;
          case ColumnType::date:
            ok = parse_iso_date(v).has_value();
            break;
          case ColumnType::month_end_date:
            ok = parse_iso_date(v).has_value() && is_month_end(*parse_iso_date(v));
            break;
          case ColumnType::period:
            ok = parse_period(v).has_value();
            break;
          case ColumnType::financial_year:
            ok = parse_financial_year(v).has_value();
            break;
          case ColumnType::year:
          case ColumnType::integer:
            ok = v.find_first_not_of("0123456789") == std::string::npos;
            number = to_double(v);
            break;
          case ColumnType::decimal: {
            char* end = nullptr;
            number = std::strtod(v.c_str(), &end);
            ok = *end == '\0';
            break;
          }
        }
        if (ok && (column.type == ColumnType::integer || column.type == ColumnType::decimal ||
                   column.type == ColumnType::year))
          ok = (column.min_exclusive ? number > column.min : number >= column.min) &&
               number <= column.max;
        if (!ok) fail(line, column, v);
      }
      if (group_col >= 0 && role_col >= 0 && !row[role_col].empty()) {
        const auto role = roles().find(row[role_col]);
        const auto group = staff_groups().find(row[group_col]);
        if (role && group && role_info(*role).staff_group != *group && ++failures <= 10)
          ADD_FAILURE() << "line " << line + 1 << ": role " << row[role_col]
                        << " is not in staff group " << row[group_col];
      }
    }
    EXPECT_EQ(failures, 0);
  }
}

TEST(DemoValidity, NoValueLooksLikeAnIdentifier) {
  const fs::path& dir = small_run();
  const std::regex ni("^[A-CEGHJ-PR-TW-Z]{2}[0-9]{6}[A-D]$");
  const std::regex pseudonym("^[0-9a-f]{16}$");
  auto nhs_number = [](std::string_view v) {
    if (v.size() != 10 || v.find_first_not_of("0123456789") != std::string_view::npos) return false;
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (v[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    return check != 10 && check == v[9] - '0';
  };
  int suspicious = 0;
  for (const FileSpec& spec : data_standard_files()) {
    const Table table = load(dir / spec.file_name);
    const int key_col = spec.column_index("person_key");
    table.rows([&](const std::vector<std::string_view>& row) {
      for (std::string_view v : row) {
        if (nhs_number(v) || (v.size() == 9 && std::regex_match(std::string(v), ni))) ++suspicious;
      }
      if (key_col >= 0 && !std::regex_match(std::string(row[key_col]), pseudonym)) ++suspicious;
    });
  }
  EXPECT_EQ(suspicious, 0);
}

// A person keeps key, birth year and attributes; snapshots are consecutive month ends;
// leavers leave in the month after their last snapshot; joiners start in their first month.
TEST(DemoConsistency, PeopleAssignmentsLeaversAndAbsenceAgree) {
  const fs::path& dir = small_run();
  const Table sip = load(dir / "staff_in_post.csv");
  struct Seen {
    std::string person, fixed, org_start;
    Month first{}, last{};
    int snapshots = 0;
  };
  std::unordered_map<std::string, Seen> assignments;         // org|assignment
  std::unordered_map<std::string, std::string> person_attr;  // person -> attributes
  std::set<std::string> org_person;                          // org|person|month
  std::set<Month> months;
  std::unordered_map<std::string, double> person_month_fte;
  int changed = 0;
  sip.rows([&](const std::vector<std::string_view>& r) {
    const Month m = month_of(r[0]);
    months.insert(m);
    const std::string key = std::string(r[1]) + "|" + std::string(r[3]);
    std::string fixed;
    for (int c : {2, 4, 5, 6, 7, 8, 9}) fixed += std::string(r[c]) + ",";
    std::string attributes;
    for (int c : {10, 11, 12, 13, 14}) attributes += std::string(r[c]) + ",";
    auto [it, fresh] = assignments.try_emplace(key);
    Seen& seen = it->second;
    if (fresh) {
      seen.person = std::string(r[2]);
      seen.fixed = fixed;
      seen.org_start = std::string(r[9]);
      seen.first = m;
    } else if (seen.fixed != fixed) {
      ++changed;
    }
    seen.last = m;
    seen.snapshots++;
    auto [p, p_fresh] = person_attr.try_emplace(std::string(r[2]), attributes);
    if (!p_fresh && p->second != attributes) ++changed;
    org_person.insert(std::string(r[1]) + "|" + std::string(r[2]) + "|" + std::to_string(m.index));
    person_month_fte[std::string(r[2]) + "|" + std::to_string(m.index)] += to_double(r[7]);
  });
  EXPECT_EQ(changed, 0) << "attributes changed between snapshots";
  ASSERT_EQ(months.size(), 14u);
  EXPECT_EQ(*months.rbegin(), Month::from_ym(2026, 3));
  EXPECT_EQ(*months.rbegin() - *months.begin(), 13);
  const Month first = *months.begin(), last = *months.rbegin();
  int gaps = 0, bad_start = 0, joiners = 0;
  for (const auto& [key, seen] : assignments) {
    if (seen.last - seen.first + 1 != seen.snapshots) ++gaps;
    if (seen.first == first) continue;
    const std::string org = key.substr(0, key.find('|'));
    if (org_person.count(org + "|" + seen.person + "|" + std::to_string((seen.first - 1).index)))
      continue;  // a second assignment or a move between staff groups inside the organisation
    ++joiners;
    if (month_of(seen.org_start) != seen.first) ++bad_start;
  }
  EXPECT_EQ(gaps, 0);
  EXPECT_GT(joiners, 100);
  EXPECT_EQ(bad_start, 0);
  for (const auto& [key, fte] : person_month_fte) EXPECT_LE(fte, 1.5) << key;

  const Table leavers = load(dir / "leavers.csv");
  std::set<std::string> left;
  int bad_leave = 0, duplicates = 0, retired_young = 0;
  leavers.rows([&](const std::vector<std::string_view>& r) {
    const std::string key = std::string(r[0]) + "|" + std::string(r[2]);
    if (!left.insert(key).second) ++duplicates;
    const Month m = month_of(r[3]);
    auto it = assignments.find(key);
    if (it == assignments.end()) {
      if (m != first) ++bad_leave;  // their last snapshot was before the data
    } else if (m != it->second.last + 1 || it->second.person != r[1]) {
      ++bad_leave;
    }
    if (r[4] == "retirement" && it != assignments.end()) {
      const int birth = std::stoi(person_attr[it->second.person].substr(0, 4));
      if (m.year() - birth < 50) ++retired_young;
    }
  });
  EXPECT_EQ(duplicates, 0);
  EXPECT_EQ(bad_leave, 0);
  EXPECT_EQ(retired_young, 0);
  int unreported = 0;
  for (const auto& [key, seen] : assignments)
    if (seen.last != last && !left.count(key)) ++unreported;
  EXPECT_EQ(unreported, 0) << "ended assignments without a leavers row";

  const Table absence = load(dir / "absence.csv");
  int bad_episode = 0, open = 0;
  std::map<std::string, std::vector<std::pair<int32_t, int32_t>>> episodes;
  absence.rows([&](const std::vector<std::string_view>& r) {
    const std::string key = std::string(r[0]) + "|" + std::string(r[2]);
    auto it = assignments.find(key);
    if (it == assignments.end() || it->second.person != r[1]) {
      ++bad_episode;
      return;
    }
    const int32_t start = parse_iso_date(r[3])->days;
    int32_t end = last.end().days + 1000;
    if (r[4].empty()) {
      ++open;
      if (it->second.last != last) ++bad_episode;
    } else {
      end = parse_iso_date(r[4])->days;
      if (end < start) ++bad_episode;
    }
    episodes[key].emplace_back(start, end);
  });
  for (auto& [key, list] : episodes) {
    std::sort(list.begin(), list.end());
    for (size_t i = 1; i < list.size(); ++i)
      if (list[i].first <= list[i - 1].second) ++bad_episode;
  }
  EXPECT_EQ(bad_episode, 0);
  EXPECT_GT(open, 0) << "some episodes are still open at the last snapshot";
}

// ---------------------------------------------------------------------------------------
// Realism of the default demo, computed from its rows.

struct PairHash {
  size_t operator()(const std::pair<std::string_view, std::string_view>& p) const {
    return std::hash<std::string_view>()(p.first) * 31 + std::hash<std::string_view>()(p.second);
  }
};
using ViewPair = std::pair<std::string_view, std::string_view>;

// One pass over the default demo's files; string views into the loaded text, no copies.
TEST(DemoRealism, DefaultDemoLooksLikeThePartnersStrategies) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "the default demo's numbers are checked in the normal build; the small "
                  "runs above exercise the same code under the sanitizers";
#endif
  const fs::path& dir = full_run();
  const std::string E = "2026-03-31", S = "2025-03-31";
  const Table orgs = load(dir / "organisations.csv");
  std::unordered_map<std::string_view, std::string_view> sector;
  std::set<std::string> sectors_seen;
  orgs.rows([&](const std::vector<std::string_view>& r) {
    sector[r[0]] = r[2];
    sectors_seen.insert(std::string(r[2]));
  });
  // The tables outlive `seen`, which holds views into them.
  const Table absence = load(dir / "absence.csv");
  const Table temp = load(dir / "temporary_staffing.csv");
  std::map<std::string, std::unordered_set<std::string_view>> seen;  // column -> values
  const Table leavers = load(dir / "leavers.csv");
  std::unordered_set<std::string_view> movers;
  leavers.rows([&](const std::vector<std::string_view>& r) {
    seen["reason"].insert(r[4]);
    seen["destination"].insert(r[5]);
    if (r[5] == "other_org_in_system") movers.insert(r[1]);
  });
  const Table sip = load(dir / "staff_in_post.csv");
  std::unordered_map<ViewPair, std::string_view, PairHash> at_s, at_e;  // (org, person) -> role
  std::unordered_map<ViewPair, double, PairHash> fte;                   // (org, assignment)
  std::unordered_map<std::string_view, std::set<std::string_view>> orgs_of_mover;
  std::unordered_set<std::string_view> system_e, primary_e, primary_e_55;
  std::string_view last_date;
  int last_days = 0;
  double available = 0;
  sip.rows([&](const std::vector<std::string_view>& r) {
    seen["role_code"].insert(r[5]);
    seen["staff_group"].insert(r[4]);
    seen["recruitment_source"].insert(r[15]);
    seen["band"].insert(r[6]);
    if (movers.count(r[2])) orgs_of_mover[r[2]].insert(r[1]);
    if (r[0] < S) return;
    if (r[0] == S) {
      at_s[{r[1], r[2]}] = r[5];
      return;
    }
    const double f = to_double(r[7]);
    fte[{r[1], r[3]}] = f;
    if (r[0] != last_date) {
      last_date = r[0];
      last_days = Month::of(*parse_iso_date(r[0])).days();
    }
    available += last_days * f;
    if (r[0] == E) {
      at_e[{r[1], r[2]}] = r[5];
      system_e.insert(r[2]);
      if (sector[r[1]] == "primary_care") {
        primary_e.insert(r[2]);
        if (2026 - std::stoi(std::string(r[10])) >= 55) primary_e_55.insert(r[2]);
      }
    }
  });
  // Snapshot turnover of the acute trusts, and nurse joiners' sources.
  double acute_leavers = 0, acute_s = 0, acute_e = 0;
  for (const auto& [op, role] : at_s)
    if (sector[op.first] == "acute") {
      ++acute_s;
      if (!at_e.count(op)) ++acute_leavers;
    }
  double record_social_care = 0;
  for (const auto& [op, role] : at_e) {
    if (sector[op.first] == "acute") ++acute_e;
    if (sector[op.first] == "social_care") ++record_social_care;
  }
  const Table agg = load(dir / "aggregate_returns.csv");
  double agg_staff = 0, sc_head = 0, sc_ago = 0, sc_leavers = 0, pc_head = 0, pc_55 = 0;
  agg.rows([&](const std::vector<std::string_view>& r) {
    seen["role_code"].insert(r[3]);
    seen["staff_group"].insert(r[2]);
    if (r[0] != E) return;
    const double head = to_double(r[4]);
    agg_staff += head;
    if (sector[r[1]] == "social_care") {
      sc_head += head;
      sc_ago += to_double(r[8]);
      sc_leavers += to_double(r[7]);
    }
    if (sector[r[1]] == "primary_care") {
      pc_head += head;
      pc_55 += to_double(r[12]);
    }
  });

  {
    SCOPED_TRACE("size: about 61,000 staff, 33,000 in adult social care, about 530 partners");
    EXPECT_NEAR(static_cast<double>(system_e.size()) + agg_staff, 61000, 6100);
    EXPECT_NEAR(record_social_care + sc_head, 33000, 3300);
    EXPECT_NEAR(static_cast<double>(sector.size()), 532, 40);
  }
  {
    SCOPED_TRACE("snapshot turnover: acute near 20%, social care near 27%");
    EXPECT_NEAR(acute_leavers / ((acute_s + acute_e) / 2) * 100, 20, 4);
    EXPECT_NEAR(sc_leavers / ((sc_head + sc_ago) / 2) * 100, 27, 5);
  }
  {
    SCOPED_TRACE("primary care staff aged 55+ near 35%");
    EXPECT_NEAR((static_cast<double>(primary_e_55.size()) + pc_55) /
                    (static_cast<double>(primary_e.size()) + pc_head) * 100,
                35, 5);
  }
  {
    SCOPED_TRACE("nurse joiners include international recruits");
    double joiners = 0, international = 0;
    for (const auto& [op, role] : at_e) {
      if (at_s.count(op)) continue;
      if (role != "adult_nurse" && role != "mental_health_nurse" && role != "childrens_nurse")
        continue;
      ++joiners;
    }
    // Sources of joiners: read from the rows at E.
    sip.rows([&](const std::vector<std::string_view>& r) {
      if (r[0] != E || r[15] != "international") return;
      if (r[5] != "adult_nurse" && r[5] != "mental_health_nurse" && r[5] != "childrens_nurse")
        return;
      if (!at_s.count({r[1], r[2]})) ++international;
    });
    ASSERT_GT(joiners, 300);
    EXPECT_GT(international / joiners * 100, 5);
    EXPECT_LT(international / joiners * 100, 40);
  }
  {
    SCOPED_TRACE("sickness absence near 5.5% (record level, 12 months to March 2026)");
    const int32_t window_start = Date::from_ymd(2025, 4, 1).days;
    const int32_t window_end = Date::from_ymd(2026, 3, 31).days;
    double lost = 0;
    absence.rows([&](const std::vector<std::string_view>& r) {
      seen["absence_reason"].insert(r[5]);
      const int32_t start = std::max(parse_iso_date(r[3])->days, window_start);
      const int32_t end =
          std::min(r[4].empty() ? window_end : parse_iso_date(r[4])->days, window_end);
      if (end < start) return;
      auto it = fte.find({r[0], r[2]});
      if (it != fte.end()) lost += (end - start + 1) * it->second;
    });
    EXPECT_NEAR(lost / available * 100, 5.5, 1);
  }
  {
    SCOPED_TRACE("moves inside the system: trust to PCN, care to trust, rotations");
    int trust_to_pcn = 0, care_to_trust = 0, rotations = 0;
    leavers.rows([&](const std::vector<std::string_view>& r) {
      if (r[5] != "other_org_in_system") return;
      const std::string_view from = sector[r[0]];
      const bool trust =
          from == "acute" || from == "community" || from == "ambulance" || from == "mental_health";
      for (std::string_view other : orgs_of_mover[r[1]]) {
        if (other == r[0]) continue;
        const std::string_view to = sector[other];
        if (trust && to == "primary_care" && other[0] == 'U') ++trust_to_pcn;
        if (from == "social_care" && (to == "acute" || to == "community" || to == "mental_health"))
          ++care_to_trust;
        if (r[4] == "rotation" && to == "acute") ++rotations;
      }
    });
    EXPECT_GT(trust_to_pcn, 20) << "PCNs recruit paramedics, pharmacists, physios from trusts";
    EXPECT_GT(care_to_trust, 5) << "care workers become healthcare support workers";
    EXPECT_GT(rotations, 50) << "doctors in training rotate between the trusts";
  }
  {
    SCOPED_TRACE("vacancies near 9-10% of funded FTE at March 2026");
    std::unordered_map<std::string, double> cell_fte;
    sip.rows([&](const std::vector<std::string_view>& r) {
      if (r[0] != E) return;
      const double f = to_double(r[7]);
      const std::string base = std::string(r[1]) + "|" + std::string(r[4]) + "|";
      cell_fte[base + "|"] += f;
      cell_fte[base + std::string(r[5]) + "|"] += f;
      cell_fte[base + std::string(r[5]) + "|" + std::string(r[6])] += f;
    });
    const Table est = load(dir / "establishment.csv");
    double vacant = 0, funded = 0;
    est.rows([&](const std::vector<std::string_view>& r) {
      if (r[0] != "2026-03") return;
      const double f = to_double(r[5]);
      funded += f;
      vacant += std::max(0.0, f - cell_fte[std::string(r[1]) + "|" + std::string(r[2]) + "|" +
                                           std::string(r[3]) + "|" + std::string(r[4])]);
    });
    EXPECT_NEAR(vacant / funded * 100, 9.5, 2);
  }
  {
    SCOPED_TRACE("trusts: agency about 5% and bank about 7% of pay");
    const Table pay = load(dir / "pay_costs.csv");
    double sub = 0, bank = 0, agency = 0;
    pay.rows([&](const std::vector<std::string_view>& r) {
      const std::string_view sec = sector[r[1]];
      if (sec == "primary_care" || sec == "social_care") return;
      sub += to_double(r[3]);
      bank += to_double(r[4]);
      agency += to_double(r[5]);
    });
    EXPECT_NEAR(agency / (sub + bank + agency) * 100, 5, 1.5);
    EXPECT_NEAR(bank / (sub + bank + agency) * 100, 7, 1.5);
  }
  {
    SCOPED_TRACE("population: 65+ up about 24% in ten years, working age flat");
    const Table population = load(dir / "population.csv");
    double old25 = 0, old35 = 0, work25 = 0, work35 = 0;
    population.rows([&](const std::vector<std::string_view>& r) {
      const auto band = population_age_bands().find(r[2]).value();
      const double value = to_double(r[3]);
      const bool older = band >= 13, working = band >= 4 && band <= 12;
      if (r[1] == "2025" && older) old25 += value;
      if (r[1] == "2025" && working) work25 += value;
      if (r[1] == "2035" && older) old35 += value;
      if (r[1] == "2035" && working) work35 += value;
    });
    EXPECT_NEAR((old35 / old25 - 1) * 100, 24, 3);
    EXPECT_NEAR((work35 / work25 - 1) * 100, 0, 3);
  }
  {
    SCOPED_TRACE("every role, staff group, sector and reason code is used somewhere");
    temp.rows([&](const std::vector<std::string_view>& r) {
      seen["outcome"].insert(r[5]);
      seen["cover_reason"].insert(r[7]);
    });
    for (const std::string& s : sectors().codes())
      EXPECT_TRUE(s == "other" || sectors_seen.count(s)) << s;
    for (const auto& [list_name, values] : seen) {
      const CodeList* list = code_list_by_name(list_name);
      ASSERT_NE(list, nullptr) << list_name;
      for (const std::string& code : list->codes())
        EXPECT_TRUE(values.count(code)) << list_name << " " << code;
    }
  }
}

TEST(DemoCli, GenerateWritesTheFolderAndReportsRows) {
  const char* cli = std::getenv("CAREFORCE_CLI");
  if (cli == nullptr || !fs::exists(cli)) GTEST_SKIP() << "CAREFORCE_CLI not set";
  const fs::path out = test_root() / "cli";
  const fs::path log = test_root() / "cli.log";
  const std::string command = std::string(cli) + " demo generate --out " + out.string() +
                              " --scale 0.02 --months 3 --seed 5 > " + log.string() + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0) << read_file(log);
  const std::string printed = read_file(log);
  EXPECT_NE(printed.find("staff_in_post.csv"), std::string::npos) << printed;
  EXPECT_TRUE(fs::exists(out / "targets.csv"));
  const std::string bad = std::string(cli) + " demo generate --out " + out.string() +
                          " --scale 0 > " + log.string() + " 2>&1";
  const int status = std::system(bad.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(read_file(log).find("--scale must be above 0 and at most 20"), std::string::npos);
}

TEST(DemoSipRows, WritesExactlyTheRowsAsked) {
  DemoOptions options;
  options.sip_rows = 12345;
  const fs::path& dir = run("sip_rows", options);
  const Table sip = load(dir / "staff_in_post.csv");
  int64_t rows = 0;
  std::set<std::string> months;
  sip.rows([&](const std::vector<std::string_view>& r) {
    ++rows;
    months.insert(std::string(r[0]));
  });
  EXPECT_EQ(rows, 12345);
  EXPECT_GT(months.size(), 1u);
  EXPECT_TRUE(fs::exists(dir / "organisations.csv"));
  EXPECT_FALSE(fs::exists(dir / "leavers.csv"));
}

}  // namespace
}  // namespace careforce::demo
