#include "ingest/validator.hpp"

#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>

#include "core/date.hpp"
#include "ingest/csv_reader.hpp"
#include "ingest/privacy.hpp"

namespace careforce::ingest {

namespace {

constexpr int kMinAge = 16;
constexpr int kMaxAge = 85;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string format_number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}

std::string join(const std::vector<std::string>& items, size_t max = 20) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max; ++i) {
    if (i) out += ", ";
    out += items[i];
  }
  if (items.size() > max) out += ", ...";
  return out;
}

std::string in_quotes(std::string_view s) {
  return "'" + std::string(s) + "'";
}

bool four_digits(std::string_view s) {
  if (s.size() != 4) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool date_shape(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

std::optional<double> parse_decimal(std::string_view s) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> parse_integer(std::string_view s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string range_text(const ColumnSpec& c) {
  const bool has_min = std::isfinite(c.min), has_max = std::isfinite(c.max);
  std::string lo =
      c.min_exclusive ? "greater than " + format_number(c.min) : "at least " + format_number(c.min);
  if (has_min && has_max) {
    if (!c.min_exclusive) return "between " + format_number(c.min) + " and " + format_number(c.max);
    return lo + " and at most " + format_number(c.max);
  }
  if (has_min) return lo;
  if (has_max) return "at most " + format_number(c.max);
  return "a number";
}

struct IdentifierKind {
  const char* name;
  const char* expected;
};

/// What kind of direct identifier `value` looks like, or nullptr.
const IdentifierKind* identifier_kind(std::string_view value) {
  static constexpr const char* kNumber = "a pseudonymous person_key, never an NHS or NI number";
  static constexpr const char* kContact =
      "no email addresses or phone numbers (direct identifiers are never stored)";
  static constexpr IdentifierKind kNi{"a National Insurance number", kNumber};
  static constexpr IdentifierKind kNhs{"an NHS number", kNumber};
  static constexpr IdentifierKind kEmail{"an email address", kContact};
  static constexpr IdentifierKind kPhone{"a phone number", kContact};
  if (looks_like_ni_number(value)) return &kNi;
  if (looks_like_nhs_number(value)) return &kNhs;
  if (looks_like_email(value)) return &kEmail;
  if (looks_like_phone_number(value)) return &kPhone;
  return nullptr;
}

struct OrgInfo {
  DataLevel level = DataLevel::record;
  std::string place;
};

/// The spec column `name` names when letter case is ignored, or -1.
int case_variant_of(const FileSpec& spec, std::string_view name) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    const std::string& want = spec.columns[i].name;
    if (want.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < want.size() && same; ++k) same = lower(want[k]) == lower(name[k]);
    if (same) return static_cast<int>(i);
  }
  return -1;
}

std::string csv_quote(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

class Validator {
 public:
  Validator(const Submission& submission, const KnownOrganisations& stored,
            const KnownPlaces& stored_places, const ValidationOptions& options, RowSink& sink)
      : submission_(submission),
        stored_(stored),
        options_(options),
        sink_(sink),
        places_(stored_places.begin(), stored_places.end()),
        places_stored_(!stored_places.empty()) {}

  Result<ValidationReport> run();

 private:
  // State of the row being validated.
  struct Row {
    std::vector<Finding> findings;
    bool errors = false;
    std::vector<bool> identifier;  // per field: holds a direct identifier (masked everywhere)
  };

  Status validate_file(const FileSpec& spec, const SubmissionFile& file);
  void add(Finding finding, Row* row);
  void row_finding(Row& row, Severity severity, const char* kind, int field,
                   const std::string& column_name, std::string_view value, std::string message,
                   std::string expected);
  Value check_value(Row& row, const ColumnSpec& column, int field, std::string_view raw);
  void check_rules(Row& row, const FileSpec& spec, std::span<const Value> values);
  void check_org(Row& row, const FileSpec& spec, std::span<const Value> values);
  void check_assignment(Row& row, const FileSpec& spec, std::span<const Value> values);
  std::string shown(const Row& row, int field, std::string_view value) const {
    if (field >= 0 && static_cast<size_t>(field) < row.identifier.size() && row.identifier[field])
      return mask_identifier(value);
    return clip_value(value);
  }
  const OrgInfo* find_org(std::string_view code, OrgInfo& scratch) const;
  std::string nearest_orgs(std::string_view code) const;

  const Submission& submission_;
  const KnownOrganisations& stored_;
  const ValidationOptions& options_;
  RowSink& sink_;
  ValidationReport report_;

  std::map<std::string, OrgInfo, std::less<>> orgs_;
  std::map<std::string, uint64_t, std::less<>> org_lines_;  // every org_code seen, first line
  std::set<std::string, std::less<>> places_;  // of this submission's and stored organisations
  bool places_stored_ = false;
  std::string places_source() const {
    return places_stored_ ? "a place of an organisation (of organisations.csv or stored)"
                          : "a place of organisations.csv";
  }
  // Who holds each assignment: "org_code\0assignment_id" -> first row naming it.
  struct AssignmentHolder {
    std::string person_key;
    std::string file;
    uint64_t line = 0;
  };
  std::map<std::string, AssignmentHolder, std::less<>> assignments_;

  // Per file.
  const FileSpec* spec_ = nullptr;
  std::string file_name_;
  uint64_t line_ = 0;
  std::vector<int> field_of_;  // spec column -> CSV field, -1 when absent
  std::vector<std::string> header_;
};

void Validator::add(Finding finding, Row* row) {
  if (finding.severity == Severity::error) {
    ++report_.errors;
    if (row) row->errors = true;
  } else {
    ++report_.warnings;
  }
  if (row) row->findings.push_back(finding);
  if (report_.findings.size() < options_.max_findings_kept)
    report_.findings.push_back(std::move(finding));
}

void Validator::row_finding(Row& row, Severity severity, const char* kind, int field,
                            const std::string& column_name, std::string_view value,
                            std::string message, std::string expected) {
  add({severity, kind, file_name_, line_, field >= 0 ? static_cast<uint32_t>(field + 1) : 0,
       column_name, shown(row, field, value), std::move(message), std::move(expected)},
      &row);
}

Value Validator::check_value(Row& row, const ColumnSpec& c, int field, std::string_view raw) {
  const std::string& name = c.name;
  auto error = [&](const char* kind, std::string message, std::string expected) {
    row_finding(row, Severity::error, kind, field, name, raw, std::move(message),
                std::move(expected));
    return Value{};
  };
  const std::string show = in_quotes(shown(row, field, raw));
  if (raw.empty()) {
    if (c.required)
      return error("blank_required", "required value is blank",
                   c.type == ColumnType::code ? "one of " + c.codes->describe()
                                              : std::string("a ") + column_type_name(c.type));
    return Value{};
  }
  auto check_range = [&](double v) -> bool {
    const bool low = c.min_exclusive ? !(v > c.min) : v < c.min;
    if (low || v > c.max) {
      error("out_of_range", show + " is out of range", range_text(c));
      return false;
    }
    if (v > c.warn_above)
      row_finding(row, Severity::warning, "above_usual", field, name, raw,
                  show + " is above " + format_number(c.warn_above) + " (allowed but unusual)",
                  "at most " + format_number(c.warn_above) + " in most cases");
    return true;
  };
  switch (c.type) {
    case ColumnType::text:
      return std::string(raw);
    case ColumnType::code: {
      if (c.codes->find(raw)) return std::string(raw);
      if (c.codes == &contract_types() && (raw == "bank" || raw == "agency"))
        return error("unknown_code",
                     show +
                         " is not a contract type of staff in post: bank-only and agency "
                         "workers are not staff in post",
                     "permanent or fixed_term (shifts of bank and agency workers go in "
                     "temporary_staffing.csv)");
      return error("unknown_code", show + " is not in the " + c.codes->name() + " list",
                   "one of the nearest valid codes: " + join(c.codes->nearest(raw, 3)));
    }
    case ColumnType::date:
    case ColumnType::month_end_date: {
      if (!date_shape(raw))
        return error("bad_date", show + " is not a date in YYYY-MM-DD form",
                     "a date like 2024-03-31");
      auto date = parse_iso_date(raw);
      if (!date)
        return error("bad_date", show + " is not a date on the calendar", "a date that exists");
      if (c.type == ColumnType::month_end_date && !is_month_end(*date))
        return error("not_month_end", show + " is not the last day of its month",
                     Month::of(*date).end().iso());
      return std::string(raw);
    }
    case ColumnType::period:
      if (!parse_period(raw))
        return error("bad_period", show + " is not a period in YYYY-MM form",
                     "a period like 2024-03");
      return std::string(raw);
    case ColumnType::financial_year:
      if (!parse_financial_year(raw))
        return error("bad_financial_year", show + " is not a financial year",
                     "a financial year like 2023/24");
      return std::string(raw);
    case ColumnType::year: {
      if (!four_digits(raw))
        return error("bad_year", show + " is not a four-digit year", "a year like 1980");
      const int64_t v = *parse_integer(raw);
      if (!check_range(static_cast<double>(v))) return Value{};
      return v;
    }
    case ColumnType::integer: {
      auto v = parse_integer(raw);
      if (!v) return error("bad_integer", show + " is not a whole number", "a whole number");
      if (!check_range(static_cast<double>(*v))) return Value{};
      return *v;
    }
    case ColumnType::decimal: {
      auto v = parse_decimal(raw);
      if (!v) return error("bad_number", show + " is not a number", "a number like 0.8");
      if (!check_range(*v)) return Value{};
      return *v;
    }
  }
  return Value{};
}

const OrgInfo* Validator::find_org(std::string_view code, OrgInfo& scratch) const {
  if (auto it = orgs_.find(code); it != orgs_.end()) return &it->second;
  if (auto it = stored_.find(code); it != stored_.end()) {
    scratch.level = it->second;
    scratch.place.clear();
    return &scratch;
  }
  return nullptr;
}

std::string Validator::nearest_orgs(std::string_view code) const {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& [c, info] : orgs_) scored.emplace_back(edit_distance(code, c), c);
  for (const auto& [c, level] : stored_)
    if (!orgs_.count(c)) scored.emplace_back(edit_distance(code, c), c);
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  if (out.empty()) return "an org_code listed in organisations.csv";
  return "an org_code listed in organisations.csv or stored; nearest: " + join(out);
}

void Validator::check_org(Row& row, const FileSpec& spec, std::span<const Value> values) {
  const int org_col = spec.column_index(spec.org_column);
  if (org_col < 0 || spec.kind == FileKind::organisations) return;
  const auto* code = std::get_if<std::string>(&values[org_col]);
  if (!code) return;
  const int field = field_of_[org_col];
  OrgInfo scratch;
  const OrgInfo* org = find_org(*code, scratch);
  if (!org) {
    row_finding(row, Severity::error, "unknown_org", field, "org_code", *code,
                "organisation " + in_quotes(shown(row, field, *code)) +
                    " is not in organisations.csv nor already stored",
                nearest_orgs(*code));
    return;
  }
  const char* level_name = org->level == DataLevel::record ? "record" : "aggregate";
  if (spec.level == FileLevel::record && org->level != DataLevel::record)
    row_finding(row, Severity::error, "wrong_data_level", field, "org_code", *code,
                "organisation " + in_quotes(*code) + " has data_level " + level_name + " but " +
                    spec.file_name + " is for record-level organisations",
                "an organisation with data_level record");
  if (spec.level == FileLevel::aggregate && org->level != DataLevel::aggregate)
    row_finding(row, Severity::error, "wrong_data_level", field, "org_code", *code,
                "organisation " + in_quotes(*code) + " has data_level " + level_name + " but " +
                    spec.file_name + " is for aggregate-level organisations",
                "an organisation with data_level aggregate");
}

// "assignment_id is unique inside the organisation": one assignment is one person's, in
// every snapshot of staff_in_post and in leavers and absence, across the submission.
void Validator::check_assignment(Row& row, const FileSpec& spec, std::span<const Value> values) {
  if (spec.kind != FileKind::staff_in_post && spec.kind != FileKind::leavers &&
      spec.kind != FileKind::absence)
    return;
  const int org = spec.column_index("org_code");
  const int person = spec.column_index("person_key");
  const int assignment = spec.column_index("assignment_id");
  const auto* org_code = std::get_if<std::string>(&values[org]);
  const auto* person_key = std::get_if<std::string>(&values[person]);
  const auto* assignment_id = std::get_if<std::string>(&values[assignment]);
  if (!org_code || !person_key || !assignment_id) return;
  std::string key = *org_code;
  key += '\0';
  key += *assignment_id;
  auto it = assignments_.find(key);
  if (it == assignments_.end()) {
    assignments_.emplace(std::move(key), AssignmentHolder{*person_key, file_name_, line_});
    return;
  }
  if (it->second.person_key == *person_key) return;
  const int field = field_of_[assignment];
  row_finding(row, Severity::error, "assignment_reused", field, "assignment_id", *assignment_id,
              "assignment_id " + in_quotes(shown(row, field, *assignment_id)) +
                  " of organisation " + in_quotes(*org_code) + " belongs to another person_key (" +
                  it->second.file + " line " + std::to_string(it->second.line) + ")",
              "one person_key per assignment_id inside an organisation (assignment_id is "
              "unique inside the organisation)");
}

void Validator::check_rules(Row& row, const FileSpec& spec, std::span<const Value> values) {
  auto idx = [&](const char* name) { return spec.column_index(name); };
  auto text = [&](const char* name) -> const std::string* {
    const int i = idx(name);
    return i < 0 ? nullptr : std::get_if<std::string>(&values[i]);
  };
  auto number = [&](const char* name) -> std::optional<double> {
    const int i = idx(name);
    if (i < 0) return std::nullopt;
    if (auto* v = std::get_if<int64_t>(&values[i])) return static_cast<double>(*v);
    if (auto* v = std::get_if<double>(&values[i])) return *v;
    return std::nullopt;
  };
  auto fail = [&](const char* kind, const char* column, std::string message, std::string expected) {
    const int i = idx(column);
    const int field = i < 0 ? -1 : field_of_[i];
    std::string value;
    if (i >= 0) {
      if (auto* s = std::get_if<std::string>(&values[i]))
        value = *s;
      else if (auto n = number(column))
        value = format_number(*n);
    }
    row_finding(row, Severity::error, kind, field, column, value, std::move(message),
                std::move(expected));
  };

  // The role must belong to the staff group wherever both appear.
  if (const auto* group = text("staff_group"), *role = text("role_code"); group && role) {
    const auto g = staff_groups().find(*group);
    const auto r = roles().find(*role);
    if (g && r && role_info(*r).staff_group != *g) {
      std::vector<std::string> examples;
      for (uint8_t k = 0; k < roles().size(); ++k)
        if (role_info(k).staff_group == *g && examples.size() < 3)
          examples.push_back(roles().code(k));
      fail("role_group_mismatch", "role_code",
           "role " + in_quotes(*role) + " belongs to staff group " +
               in_quotes(staff_groups().code(role_info(*r).staff_group)) + ", not " +
               in_quotes(*group),
           examples.empty() ? "a role of staff group " + *group
                            : "a role of staff group " + *group + " such as " + join(examples));
    }
  }

  switch (spec.kind) {
    case FileKind::staff_in_post: {
      const std::string* snapshot = text("snapshot_date");
      const std::string* start = text("org_start_date");
      if (snapshot && start && *start > *snapshot)
        fail("date_order", "org_start_date",
             "org_start_date " + *start + " is after snapshot_date " + *snapshot,
             "a date on or before " + *snapshot);
      if (auto birth = number("birth_year"); birth && snapshot) {
        const int year = parse_iso_date(*snapshot)->year();
        const int age = year - static_cast<int>(*birth);
        if (age < kMinAge || age > kMaxAge)
          fail("implausible_birth_year", "birth_year",
               "birth_year " + format_number(*birth) + " gives an age of " + std::to_string(age) +
                   " in " + std::to_string(year),
               "an age between " + std::to_string(kMinAge) + " and " + std::to_string(kMaxAge) +
                   " (birth year " + std::to_string(year - kMaxAge) + " to " +
                   std::to_string(year - kMinAge) + ")");
      }
      break;
    }
    case FileKind::absence: {
      const std::string* start = text("start_date");
      const std::string* end = text("end_date");
      if (start && end && *end < *start)
        fail("date_order", "end_date", "end_date " + *end + " is before start_date " + *start,
             "a date on or after " + *start + ", or blank while the episode is open");
      break;
    }
    case FileKind::temporary_staffing: {
      const std::string* outcome = text("outcome");
      const bool has_cost = number("cost_gbp").has_value();
      const int cost_col = idx("cost_gbp");
      const int cost_field = field_of_[cost_col];
      const bool cost_blank = cost_field < 0 || static_cast<size_t>(cost_field) >= header_.size() ||
                              std::holds_alternative<std::monostate>(values[cost_col]);
      if (outcome && *outcome == "unfilled" && has_cost)
        fail("cost_when_unfilled", "cost_gbp", "cost_gbp is given for an unfilled shift",
             "cost_gbp blank when outcome is unfilled");
      if (outcome && *outcome != "unfilled" && cost_blank)
        fail("missing_cost", "cost_gbp",
             "cost_gbp is blank but the shift was filled (outcome " + *outcome + ")",
             "the cost of the filled shift");
      break;
    }
    case FileKind::aggregate_returns: {
      const auto headcount = number("headcount");
      const auto ago = number("headcount_12m_ago");
      const auto stayers = number("stayers_12m");
      auto at_most = [&](const char* column, std::optional<double> v, const char* other,
                         std::optional<double> limit) {
        if (v && limit && *v > *limit)
          fail("inconsistent_counts", column,
               std::string(column) + " " + format_number(*v) + " is more than " + other + " " +
                   format_number(*limit),
               "at most " + format_number(*limit));
      };
      at_most("stayers_12m", stayers, "headcount_12m_ago", ago);
      at_most("stayers_12m", stayers, "headcount", headcount);
      at_most("age_55_plus_headcount", number("age_55_plus_headcount"), "headcount", headcount);
      at_most("ethnic_minority_headcount", number("ethnic_minority_headcount"), "headcount",
              headcount);
      at_most("sickness_fte_days_lost_12m", number("sickness_fte_days_lost_12m"),
              "sickness_fte_days_available_12m", number("sickness_fte_days_available_12m"));
      if (auto fte = number("fte"); fte && headcount && *fte > *headcount * 1.5)
        fail("inconsistent_counts", "fte",
             "fte " + format_number(*fte) + " is more than 1.5 x headcount " +
                 format_number(*headcount),
             "at most " + format_number(*headcount * 1.5));
      break;
    }
    case FileKind::targets: {
      const std::string* scope = text("scope");
      if (!scope) break;
      const std::string& s = *scope;
      auto bad = [&](std::string message, std::string expected) {
        fail("bad_scope", "scope", std::move(message), std::move(expected));
      };
      if (s == "system") break;
      if (s.starts_with("sector:")) {
        const std::string_view sector = std::string_view(s).substr(7);
        if (!sectors().find(sector))
          bad("scope " + in_quotes(s) + " names no sector",
              "sector:<sector>, nearest: " + join(sectors().nearest(sector, 3)));
      } else if (s.starts_with("place:")) {
        const std::string_view place = std::string_view(s).substr(6);
        if (!places_.count(place)) {
          std::vector<std::string> known(places_.begin(), places_.end());
          bad("scope " + in_quotes(s) + " names no place of an organisation",
              "place:<place> with " + places_source() + ": " + join(known, 10));
        }
      } else if (s.starts_with("org:")) {
        const std::string_view code = std::string_view(s).substr(4);
        OrgInfo scratch;
        if (!find_org(code, scratch))
          bad("scope " + in_quotes(s) + " names an unknown organisation", nearest_orgs(code));
      } else {
        bad("scope " + in_quotes(s) + " is not a known scope",
            "system, sector:<sector>, place:<place> or org:<org_code>");
      }
      break;
    }
    case FileKind::population: {
      const std::string* place = text("place");
      if (place && !places_.count(*place)) {
        std::vector<std::string> known(places_.begin(), places_.end());
        const int i = idx("place");
        row_finding(row, Severity::warning, "unknown_place", field_of_[i], "place", *place,
                    "place " + in_quotes(*place) + " is not the place of any organisation",
                    places_source() + ": " + join(known, 10));
      }
      break;
    }
    default:
      break;
  }
}

Status Validator::validate_file(const FileSpec& spec, const SubmissionFile& file) {
  spec_ = &spec;
  file_name_ = spec.file_name;
  report_.files.push_back({spec.file_name, file.sha256, true, 0, 0, 0});
  const size_t report_index = report_.files.size() - 1;
  auto file_error = [&](const char* kind, uint64_t line, uint32_t column, std::string column_name,
                        std::string message, std::string expected) {
    report_.file_errors = true;
    add({Severity::error, kind, file_name_, line, column, std::move(column_name), "",
         std::move(message), std::move(expected)},
        nullptr);
  };

  CF_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> stream, submission_.open(file));
  CsvReader reader(*stream, spec.file_name);
  auto first = reader.next();
  if (!first.is_ok()) {
    if (first.error().code != ErrorCode::parse_error) return first.status();
    file_error("unreadable", 1, 0, "", first.error().message, "well-formed CSV");
    return Status::ok();
  }
  if (!*first) {
    file_error("empty_file", 1, 0, "", "the file is empty (no header row)",
               "a header row naming the columns");
    return Status::ok();
  }

  // Excel's "Unicode Text" and some exports write UTF-16: one clear error, not a finding
  // for every garbled header name.
  if (reader.raw().starts_with("\xFF\xFE") || reader.raw().starts_with("\xFE\xFF")) {
    file_error("utf16", 1, 1, "", "the file is encoded as UTF-16 (it starts with a UTF-16 BOM)",
               "text encoded as UTF-8 (in Excel: Save As \"CSV UTF-8\")");
    return Status::ok();
  }

  // Header.
  header_.assign(reader.fields().begin(), reader.fields().end());
  for (auto& h : header_) h = std::string(trim(h));
  for (const auto& f : reader.findings()) {
    report_.file_errors = true;
    add(f, nullptr);
  }
  field_of_.assign(spec.columns.size(), -1);
  bool header_ok = reader.findings().empty();
  std::vector<int> case_variants;  // spec columns named in the wrong letter case
  for (size_t j = 0; j < header_.size(); ++j) {
    const std::string& name = header_[j];
    const uint32_t column = static_cast<uint32_t>(j + 1);
    if (is_identifier_header(name)) {
      report_.privacy_violation = true;
      file_error("identifier_column", 1, column, name,
                 "column " + in_quotes(name) + " looks like a direct identifier",
                 "no names, NHS or NI numbers, dates of birth, addresses, emails or phone "
                 "numbers (use person_key and birth_year)");
      continue;
    }
    const int idx = spec.column_index(name);
    if (idx < 0 && case_variant_of(spec, name) >= 0) {
      // `FTE` for `fte`: names are exact. Said once, here, instead of an "unknown column"
      // warning plus a "missing column" error for the same column.
      const int want = case_variant_of(spec, name);
      header_ok = false;
      case_variants.push_back(want);
      file_error("column_name_case", 1, column, name,
                 "column " + in_quotes(name) + " differs from the standard's column " +
                     in_quotes(spec.columns[want].name) + " only in letter case",
                 "the column name exactly as the standard writes it: " + spec.columns[want].name);
    } else if (idx < 0) {
      std::vector<std::string> names;
      for (const auto& c : spec.columns) names.push_back(c.name);
      add({Severity::warning, "unknown_column", file_name_, 1, column, name, "",
           "unknown column " + in_quotes(name) + ", ignored",
           "columns of " + spec.file_name + ": " + join(names, 30)},
          nullptr);
    } else if (field_of_[idx] >= 0) {
      header_ok = false;
      file_error("duplicate_column", 1, column, name,
                 "column " + in_quotes(name) + " appears twice in the header (columns " +
                     std::to_string(field_of_[idx] + 1) + " and " + std::to_string(column) + ")",
                 "each column once");
    } else {
      field_of_[idx] = static_cast<int>(j);
    }
  }
  // Every column of the standard must be in the header, including those whose values may
  // be blank: a missing end_date column must not read as "every episode still open".
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    if (field_of_[i] >= 0) continue;
    if (std::find(case_variants.begin(), case_variants.end(), static_cast<int>(i)) !=
        case_variants.end())
      continue;
    header_ok = false;
    const ColumnSpec& c = spec.columns[i];
    file_error("missing_column", 1, 0, c.name,
               c.required ? "required column " + in_quotes(c.name) + " is missing from the header"
                          : "column " + in_quotes(c.name) +
                                " is missing from the header (its values may be blank, but the "
                                "column must be there)",
               "a header that names " + c.name);
  }

  // Rows.
  Row row;
  std::vector<Value> values(spec.columns.size());
  std::string masked_raw;
  for (;;) {
    auto more = reader.next();
    if (!more.is_ok()) {
      if (more.error().code != ErrorCode::parse_error) return more.status();
      file_error("unreadable", reader.line(), 0, "", more.error().message, "well-formed CSV");
      break;
    }
    if (!*more) break;
    FileReport& counts = report_.files[report_index];
    ++counts.rows_read;
    line_ = reader.line();
    row.findings.clear();
    row.errors = false;
    row.identifier.assign(reader.size(), false);

    // Privacy first, so no later finding can show the identifier.
    for (size_t j = 0; j < reader.size(); ++j) {
      const std::string_view v = trim(reader.field(j));
      const IdentifierKind* what = identifier_kind(v);
      if (!what) continue;
      row.identifier[j] = true;
      report_.privacy_violation = true;
      const std::string column_name = j < header_.size() ? header_[j] : "";
      row_finding(row, Severity::error, "identifier_value", static_cast<int>(j), column_name, v,
                  std::string("value looks like ") + what->name +
                      "; direct identifiers must never be submitted",
                  what->expected);
    }
    for (const Finding& f : reader.findings()) {
      Finding copy = f;
      const int field = static_cast<int>(f.column) - 1;
      if (field >= 0 && static_cast<size_t>(field) < header_.size())
        copy.column_name = header_[field];
      if (field >= 0 && static_cast<size_t>(field) < row.identifier.size() && row.identifier[field])
        copy.value = mask_identifier(f.value);
      add(std::move(copy), &row);
    }

    if (header_ok && !reader.has_errors()) {
      for (size_t i = 0; i < spec.columns.size(); ++i) {
        const int field = field_of_[i];
        const std::string_view raw = field >= 0 ? trim(reader.field(field)) : std::string_view{};
        values[i] = row.identifier.size() > static_cast<size_t>(field) && field >= 0 &&
                            row.identifier[field]
                        ? Value{}
                        : check_value(row, spec.columns[i], field, raw);
      }
      if (spec.kind == FileKind::organisations) {
        const std::string* code = std::get_if<std::string>(&values[0]);
        if (code) {
          auto [it, inserted] = org_lines_.emplace(*code, line_);
          if (!inserted)
            row_finding(row, Severity::error, "duplicate_org", field_of_[0], "org_code", *code,
                        "org_code " + in_quotes(*code) +
                            " appears twice in organisations.csv (first on line " +
                            std::to_string(it->second) + ")",
                        "each organisation once");
        }
      }
      if (!row.errors) check_org(row, spec, values);
      if (!row.errors) check_rules(row, spec, values);
      if (!row.errors) check_assignment(row, spec, values);
    } else {
      row.errors = true;
    }

    if (!row.errors) {
      Status added = sink_.add_row(spec, values, line_);
      if (!added.is_ok()) {
        if (added.error().code != ErrorCode::conflict) return added;
        add({Severity::error, "duplicate_row", file_name_, line_, 0, "", "", added.error().message,
             "each row once"},
            &row);
      }
    }
    if (row.errors) {
      ++counts.rows_rejected;
      // Rows of a file whose header is broken are not quarantined: the file rejects the
      // submission anyway, and they carry no finding of their own.
      if (options_.accept_valid_rows && !row.findings.empty()) {
        std::string_view raw = reader.raw();
        if (std::find(row.identifier.begin(), row.identifier.end(), true) != row.identifier.end()) {
          masked_raw.clear();
          for (size_t j = 0; j < reader.size(); ++j) {
            if (j) masked_raw += ',';
            masked_raw += row.identifier[j] ? mask_identifier(trim(reader.field(j)))
                                            : csv_quote(reader.field(j));
          }
          raw = masked_raw;
        }
        CF_RETURN_IF_ERROR(sink_.quarantine_row(spec, line_, raw, row.findings));
      }
      continue;
    }
    ++counts.rows_accepted;
    if (spec.kind == FileKind::organisations) {
      OrgInfo info;
      info.level = *data_levels().find(std::get<std::string>(values[4])) == 0
                       ? DataLevel::record
                       : DataLevel::aggregate;
      info.place = std::get<std::string>(values[3]);
      places_.insert(info.place);
      const std::string& code = std::get<std::string>(values[0]);
      orgs_[code] = info;
      report_.organisations.push_back(code);
    }
  }
  return Status::ok();
}

Result<ValidationReport> Validator::run() {
  CF_RETURN_IF_ERROR(options_.validate());
  for (const Finding& f : submission_.findings) {
    if (f.severity == Severity::error) report_.file_errors = true;  // misnamed_file
    add(f, nullptr);
  }
  const SubmissionFile* orgs = submission_.find("organisations.csv");
  if (!orgs) {
    report_.file_errors = true;
    add({Severity::error, "missing_file", "organisations.csv", 0, 0, "", "",
         "organisations.csv is missing; every submission needs it",
         "organisations.csv listing the organisations the files refer to"},
        nullptr);
  } else {
    for (const FileSpec& spec : data_standard_files()) {
      const SubmissionFile* file = submission_.find(spec.file_name);
      if (file) CF_RETURN_IF_ERROR(validate_file(spec, *file));
    }
  }
  report_.rejected = report_.privacy_violation || report_.file_errors ||
                     (report_.errors > 0 && !options_.accept_valid_rows);
  return std::move(report_);
}

}  // namespace

Status ValidationOptions::validate() const {
  if (max_findings_kept == 0)
    return make_error(ErrorCode::invalid_argument,
                      "ValidationOptions.max_findings_kept must be at least 1");
  return Status::ok();
}

Result<ValidationReport> validate_submission(const Submission& submission,
                                             const KnownOrganisations& stored_orgs,
                                             const ValidationOptions& options, RowSink& sink,
                                             const KnownPlaces& stored_places) {
  Validator validator(submission, stored_orgs, stored_places, options, sink);
  return validator.run();
}

std::string format_report(const ValidationReport& report, size_t max_lines) {
  std::string out;
  out += report.rejected ? "Submission rejected" : "Submission accepted";
  out += ": " + std::to_string(report.errors) + " error(s), " + std::to_string(report.warnings) +
         " warning(s)";
  if (report.privacy_violation) out += " (direct identifiers found)";
  out += "\n";
  for (const auto& f : report.files)
    out += "  " + f.file_name + ": " + std::to_string(f.rows_read) + " rows read, " +
           std::to_string(f.rows_accepted) + " accepted, " + std::to_string(f.rows_rejected) +
           " rejected\n";
  size_t shown = 0;
  for (const auto& f : report.findings) {
    if (shown == max_lines) break;
    out += f.format() + "\n";
    ++shown;
  }
  const uint64_t total = report.errors + report.warnings;
  if (total > shown) out += "... and " + std::to_string(total - shown) + " more finding(s)\n";
  return out;
}

Status write_findings_csv(const ValidationReport& report, const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out)
    return make_error(ErrorCode::io_error, "could not write the findings file", path.string());
  out << "severity,kind,file,line,column,column_name,value,message,expected\r\n";
  for (const auto& f : report.findings) {
    out << severity_name(f.severity) << ',' << csv_quote(f.kind) << ',' << csv_quote(f.file) << ','
        << f.line << ',' << f.column << ',' << csv_quote(f.column_name) << ',' << csv_quote(f.value)
        << ',' << csv_quote(f.message) << ',' << csv_quote(f.expected) << "\r\n";
  }
  out.close();
  if (!out)
    return make_error(ErrorCode::io_error, "could not write the findings file", path.string());
  return Status::ok();
}

}  // namespace careforce::ingest
