// Stream every data table into the columnar model: one prepared statement per table,
// sqlite3_column_* reads, and per-column caches so a row costs no heap allocation beyond
// interning a new person key or assignment.

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sqlite/sqlite_store.hpp"

namespace careforce::store::sqlite {
namespace {

/// Interns strings into a model Dictionary, finding repeats without allocating: an
/// open-addressing table of (hash fragment, id) compared against the dictionary's values.
class Interner {
 public:
  explicit Interner(model::Dictionary& dictionary) : dictionary_(dictionary) {
    slots_.assign(1024, 0);
    for (uint32_t id = 0; id < dictionary_.size(); ++id) place(dictionary_.value(id), id);
  }
  uint32_t operator()(std::string_view value) {
    const uint64_t hash = std::hash<std::string_view>{}(value);
    const uint64_t tag = hash >> 32;
    for (size_t i = hash & mask(); slots_[i] != 0; i = (i + 1) & mask()) {
      if ((slots_[i] >> 32) != tag) continue;
      const auto id = static_cast<uint32_t>(slots_[i] & 0xffffffffu) - 1;
      if (dictionary_.value(id) == value) return id;
    }
    const uint32_t id = dictionary_.intern(value);
    if ((used_ + 1) * 2 > slots_.size()) grow();
    place(value, id);
    return id;
  }

 private:
  size_t mask() const { return slots_.size() - 1; }
  void place(std::string_view value, uint32_t id) {
    const uint64_t hash = std::hash<std::string_view>{}(value);
    size_t i = hash & mask();
    while (slots_[i] != 0) i = (i + 1) & mask();
    slots_[i] = ((hash >> 32) << 32) | (static_cast<uint64_t>(id) + 1);
    ++used_;
  }
  void grow() {
    slots_.assign(slots_.size() * 2, 0);
    used_ = 0;
    for (uint32_t id = 0; id < dictionary_.size(); ++id) place(dictionary_.value(id), id);
  }

  model::Dictionary& dictionary_;
  std::vector<uint64_t> slots_;  ///< 0 = empty, else (hash >> 32) << 32 | (id + 1).
  size_t used_ = 0;
};

/// Decodes the columns of the current row; the first failure is kept and reported per row.
class RowReader {
 public:
  RowReader(Statement& stmt, const model::WorkforceModel& model, std::string table)
      : stmt_(stmt), model_(model), table_(std::move(table)) {}

  uint8_t code(int column, const CodeList& list) {
    auto& cache = code_cache_[column];
    const std::string_view text = stmt_.column_text(column);
    if (cache.valid && cache.text == text) return cache.index;
    auto index = list.find(text);
    if (!index) {
      fail("value '" + std::string(text) + "' is not in the " + list.name() + " list");
      return 0;
    }
    cache.text.assign(text);
    cache.index = *index;
    cache.valid = true;
    return *index;
  }
  /// A code, or kAnyCode when blank.
  uint8_t code_or_any(int column, const CodeList& list) {
    return stmt_.column_is_null(column) || stmt_.column_text(column).empty() ? kAnyCode
                                                                             : code(column, list);
  }
  Date date(int column) {
    auto& cache = date_cache_[column];
    const std::string_view text = stmt_.column_text(column);
    if (cache.valid && cache.text == text) return cache.date;
    auto parsed = parse_iso_date(text);
    if (!parsed) {
      fail("value '" + std::string(text) + "' is not an ISO date");
      return {};
    }
    cache.text.assign(text);
    cache.date = *parsed;
    cache.valid = true;
    return *parsed;
  }
  Month month_of_date(int column) { return Month::of(date(column)); }
  Month period(int column) {
    auto parsed = parse_period(stmt_.column_text(column));
    if (!parsed) fail("value '" + std::string(stmt_.column_text(column)) + "' is not a period");
    return parsed.value_or(Month{});
  }
  uint16_t org(int column) {
    const std::string_view text = stmt_.column_text(column);
    if (org_valid_ && org_text_ == text) return org_index_;
    const int index = model_.find_organisation(text);
    if (index < 0) {
      fail("organisation '" + std::string(text) + "' is not in organisations");
      return 0;
    }
    org_text_.assign(text);
    org_index_ = static_cast<uint16_t>(index);
    org_valid_ = true;
    return org_index_;
  }
  double number(int column) { return stmt_.column_double(column); }
  double number_or_unknown(int column) {
    return stmt_.column_is_null(column) ? model::kUnknown : stmt_.column_double(column);
  }
  /// The origin from the last two columns (submission_id, source_line).
  model::RowOrigin origin(int first) const {
    return {static_cast<uint32_t>(stmt_.column_int(first)),
            static_cast<uint32_t>(stmt_.column_int(first + 1))};
  }
  /// The row's error, if a column failed; names the table and the row's origin.
  Status check(int origin_column) {
    if (!failed_) return Status::ok();
    const auto o = origin(origin_column);
    return make_error(ErrorCode::store_error, "stored " + table_ + " row (submission " +
                                                  std::to_string(o.submission) + ", line " +
                                                  std::to_string(o.line) + "): " + message_);
  }

 private:
  struct CodeCache {
    std::string text;
    uint8_t index = 0;
    bool valid = false;
  };
  struct DateCache {
    std::string text;
    Date date;
    bool valid = false;
  };
  void fail(std::string message) {
    if (!failed_) message_ = std::move(message);
    failed_ = true;
  }

  Statement& stmt_;
  const model::WorkforceModel& model_;
  std::string table_;
  std::unordered_map<int, CodeCache> code_cache_;
  std::unordered_map<int, DateCache> date_cache_;
  std::string org_text_;
  uint16_t org_index_ = 0;
  bool org_valid_ = false;
  bool failed_ = false;
  std::string message_;
};

/// Run `sql` and call `each(stmt, reader)` for every row; stop at the first error.
template <typename Each>
Status for_each_row(Connection& db, const model::WorkforceModel& model, const std::string& table,
                    const std::string& sql, Each each) {
  CF_ASSIGN_OR_RETURN(Statement stmt, db.prepare(sql));
  RowReader reader(stmt, model, table);
  for (;;) {
    CF_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return Status::ok();
    CF_RETURN_IF_ERROR(each(stmt, reader));
  }
}

Result<int64_t> count_rows(Connection& db, const std::string& table) {
  CF_ASSIGN_OR_RETURN(Statement stmt, db.prepare("SELECT count(*) FROM " + table));
  CF_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? stmt.column_int(0) : 0;
}

}  // namespace

Result<model::WorkforceModel> load_workforce_model(Connection& db) {
  model::WorkforceModel m;
  // One read transaction, so every table comes from the same committed state.
  // (An in-memory store shares its connection with an open import: read inside that one.)
  const bool own_transaction = sqlite3_get_autocommit(db.handle()) != 0;
  if (own_transaction) CF_RETURN_IF_ERROR(db.exec("BEGIN"));
  struct EndRead {
    Connection& db;
    bool active;
    ~EndRead() {
      if (active) (void)db.exec("COMMIT");
    }
  } end_read{db, own_transaction};

  CF_RETURN_IF_ERROR(for_each_row(
      db, m, "organisations",
      "SELECT org_code, org_name, sector, place, data_level, submission_id, source_line "
      "FROM organisations ORDER BY org_code",
      [&](Statement& s, RowReader& r) {
        model::Organisation org;
        org.code = s.column_text(0);
        org.name = s.column_text(1);
        org.sector = static_cast<Sector>(r.code(2, sectors()));
        org.place = m.places.intern(s.column_text(3));
        org.level = static_cast<DataLevel>(r.code(4, data_levels()));
        CF_RETURN_IF_ERROR(r.check(5));
        m.add_organisation(std::move(org));
        return Status::ok();
      }));

  Interner persons(m.persons);
  Interner assignments(m.assignments);
  std::string assignment_key;
  auto assignment = [&](std::string_view org, std::string_view id) {
    assignment_key.assign(org);
    assignment_key += '|';
    assignment_key += id;
    return assignments(assignment_key);
  };

  CF_ASSIGN_OR_RETURN(int64_t sip_rows, count_rows(db, "staff_in_post"));
  m.staff_in_post.reserve(static_cast<size_t>(sip_rows));
  CF_RETURN_IF_ERROR(for_each_row(
      db, m, "staff_in_post",
      "SELECT snapshot_date, org_code, person_key, assignment_id, staff_group, role_code, band, "
      "fte, contract_type, org_start_date, birth_year, sex, ethnic_group, disability, "
      "nationality_group, recruitment_source, submission_id, source_line FROM staff_in_post",
      [&](Statement& s, RowReader& r) {
        model::StaffInPost::Row row;
        row.month = r.month_of_date(0);
        row.org = r.org(1);
        row.person = persons(s.column_text(2));
        row.assignment = assignment(s.column_text(1), s.column_text(3));
        row.staff_group = r.code(4, staff_groups());
        row.role = r.code(5, roles());
        row.band = r.code(6, bands());
        row.fte = r.number(7);
        row.contract_type = r.code(8, contract_types());
        row.org_start_date = r.date(9);
        row.birth_year = static_cast<int16_t>(s.column_int(10));
        row.sex = r.code(11, sexes());
        row.ethnic_group = r.code(12, ethnic_groups());
        row.disability = r.code(13, disabilities());
        row.nationality_group = r.code(14, nationality_groups());
        row.recruitment_source = r.code(15, recruitment_sources());
        row.origin = r.origin(16);
        CF_RETURN_IF_ERROR(r.check(16));
        m.staff_in_post.append(row);
        return Status::ok();
      }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "leavers",
                   "SELECT org_code, person_key, assignment_id, leave_date, reason, destination, "
                   "submission_id, source_line FROM leavers",
                   [&](Statement& s, RowReader& r) {
                     model::Leavers::Row row;
                     row.org = r.org(0);
                     row.person = persons(s.column_text(1));
                     row.assignment = assignment(s.column_text(0), s.column_text(2));
                     row.leave_date = r.date(3);
                     row.reason = r.code(4, leaver_reasons());
                     row.destination = r.code(5, destinations());
                     row.origin = r.origin(6);
                     CF_RETURN_IF_ERROR(r.check(6));
                     m.leavers.append(row);
                     return Status::ok();
                   }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "absence",
                   "SELECT org_code, person_key, assignment_id, start_date, end_date, reason, "
                   "submission_id, source_line FROM absence",
                   [&](Statement& s, RowReader& r) {
                     model::Absence::Row row;
                     row.org = r.org(0);
                     row.person = persons(s.column_text(1));
                     row.assignment = assignment(s.column_text(0), s.column_text(2));
                     row.start_date = r.date(3);
                     row.end_date = s.column_is_null(4) ? model::kOpenEnd : r.date(4);
                     row.reason = r.code(5, absence_reasons());
                     row.origin = r.origin(6);
                     CF_RETURN_IF_ERROR(r.check(6));
                     m.absence.append(row);
                     return Status::ok();
                   }));

  CF_RETURN_IF_ERROR(for_each_row(
      db, m, "establishment",
      "SELECT period, org_code, staff_group, role_code, band, funded_fte, submission_id, "
      "source_line FROM establishment",
      [&](Statement&, RowReader& r) {
        model::EstablishmentRow row;
        row.period = r.period(0);
        row.org = r.org(1);
        row.staff_group = r.code(2, staff_groups());
        row.role = r.code_or_any(3, roles());
        row.band = r.code_or_any(4, bands());
        row.funded_fte = r.number(5);
        row.origin = r.origin(6);
        CF_RETURN_IF_ERROR(r.check(6));
        m.establishment.push_back(row);
        return Status::ok();
      }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "temporary_staffing",
                   "SELECT shift_date, org_code, staff_group, role_code, hours, outcome, cost_gbp, "
                   "cover_reason, submission_id, source_line FROM temporary_staffing",
                   [&](Statement&, RowReader& r) {
                     model::ShiftRow row;
                     row.shift_date = r.date(0);
                     row.org = r.org(1);
                     row.staff_group = r.code(2, staff_groups());
                     row.role = r.code(3, roles());
                     row.hours = static_cast<float>(r.number(4));
                     row.outcome = r.code(5, shift_outcomes());
                     row.cost_gbp = r.number(6);  // NULL (unfilled) reads as 0.
                     row.cover_reason = r.code(7, cover_reasons());
                     row.origin = r.origin(8);
                     CF_RETURN_IF_ERROR(r.check(8));
                     m.shifts.push_back(row);
                     return Status::ok();
                   }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "pay_costs",
                   "SELECT period, org_code, staff_group, substantive_gbp, bank_gbp, agency_gbp, "
                   "submission_id, source_line FROM pay_costs",
                   [&](Statement&, RowReader& r) {
                     model::PayCostRow row;
                     row.period = r.period(0);
                     row.org = r.org(1);
                     row.staff_group = r.code(2, staff_groups());
                     row.substantive_gbp = r.number(3);
                     row.bank_gbp = r.number(4);
                     row.agency_gbp = r.number(5);
                     row.origin = r.origin(6);
                     CF_RETURN_IF_ERROR(r.check(6));
                     m.pay_costs.push_back(row);
                     return Status::ok();
                   }));

  CF_RETURN_IF_ERROR(for_each_row(
      db, m, "aggregate_returns",
      "SELECT snapshot_date, org_code, staff_group, role_code, headcount, fte, vacant_posts, "
      "leavers_12m, headcount_12m_ago, stayers_12m, sickness_fte_days_lost_12m, "
      "sickness_fte_days_available_12m, age_55_plus_headcount, ethnic_minority_headcount, "
      "international_recruits_12m, submission_id, source_line FROM aggregate_returns",
      [&](Statement&, RowReader& r) {
        model::AggregateRow row;
        row.month = r.month_of_date(0);
        row.org = r.org(1);
        row.staff_group = r.code(2, staff_groups());
        row.role = r.code(3, roles());
        row.headcount = r.number(4);
        row.fte = r.number(5);
        row.vacant_posts = r.number_or_unknown(6);
        row.leavers_12m = r.number_or_unknown(7);
        row.headcount_12m_ago = r.number_or_unknown(8);
        row.stayers_12m = r.number_or_unknown(9);
        row.sickness_fte_days_lost_12m = r.number_or_unknown(10);
        row.sickness_fte_days_available_12m = r.number_or_unknown(11);
        row.age_55_plus_headcount = r.number_or_unknown(12);
        row.ethnic_minority_headcount = r.number_or_unknown(13);
        row.international_recruits_12m = r.number_or_unknown(14);
        row.origin = r.origin(15);
        CF_RETURN_IF_ERROR(r.check(15));
        m.aggregate_returns.push_back(row);
        return Status::ok();
      }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "population",
                   "SELECT place, year, age_band, population, kind, submission_id, source_line "
                   "FROM population ORDER BY place, year, age_band, kind",
                   [&](Statement& s, RowReader& r) {
                     model::PopulationRow row;
                     row.place = m.places.intern(s.column_text(0));
                     row.year = static_cast<int16_t>(s.column_int(1));
                     row.age_band = r.code(2, population_age_bands());
                     row.population = r.number(3);
                     row.kind = r.code(4, population_kinds());
                     row.origin = r.origin(5);
                     CF_RETURN_IF_ERROR(r.check(5));
                     m.population.push_back(row);
                     return Status::ok();
                   }));

  CF_RETURN_IF_ERROR(
      for_each_row(db, m, "targets",
                   "SELECT indicator, scope, year, target, direction, submission_id, source_line "
                   "FROM targets ORDER BY indicator, scope, year",
                   [&](Statement& s, RowReader& r) {
                     model::TargetRow row;
                     row.indicator = s.column_text(0);
                     row.scope = s.column_text(1);
                     auto year = parse_financial_year(s.column_text(2));
                     if (!year)
                       return Status(make_error(ErrorCode::store_error,
                                                "stored targets row has a bad financial year '" +
                                                    std::string(s.column_text(2)) + "'"));
                     row.year = *year;
                     row.target = r.number(3);
                     row.direction = static_cast<Direction>(r.code(4, directions()));
                     row.origin = r.origin(5);
                     CF_RETURN_IF_ERROR(r.check(5));
                     m.targets.push_back(std::move(row));
                     return Status::ok();
                   }));

  m.finalize();
  return m;
}

}  // namespace careforce::store::sqlite
