#include "store/sqlite/sqlite_store.hpp"

#include <array>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "store/sqlite/sqlite_schema.hpp"

namespace careforce::store::sqlite {
namespace {

constexpr const char* kCommittedOutcomes = "('accepted', 'accepted_with_quarantine')";

void bind_value(Statement& stmt, int index, const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) {
    stmt.bind(index, *i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    stmt.bind(index, *d);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    stmt.bind(index, std::string_view(*s));
  } else {
    stmt.bind_null(index);
  }
}

std::string value_text(const Value& value) {
  if (const auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const auto* d = std::get_if<double>(&value)) return std::to_string(*d);
  if (const auto* s = std::get_if<std::string>(&value)) return *s;
  return "";
}

/// Insert one finding; `quarantine_id` 0 means a submission-level finding.
Status insert_finding(Statement& stmt, int64_t submission_id, int64_t quarantine_id,
                      const Finding& f) {
  stmt.reset();
  stmt.bind(1, submission_id);
  if (quarantine_id) stmt.bind(2, quarantine_id);
  stmt.bind(3, std::string_view(severity_name(f.severity)));
  stmt.bind(4, std::string_view(f.kind));
  stmt.bind(5, std::string_view(f.file));
  stmt.bind(6, static_cast<int64_t>(f.line));
  stmt.bind(7, static_cast<int64_t>(f.column));
  stmt.bind(8, std::string_view(f.column_name));
  stmt.bind(9, std::string_view(f.value));
  stmt.bind(10, std::string_view(f.message));
  stmt.bind(11, std::string_view(f.expected));
  Status status = stmt.run();
  stmt.reset();
  return status;
}

constexpr const char* kInsertFindingSql =
    "INSERT INTO findings(submission_id, quarantine_id, severity, kind, file, line, "
    "column_number, column_name, value, message, expected) VALUES(?,?,?,?,?,?,?,?,?,?,?)";

Finding read_finding(const Statement& stmt, int first) {
  Finding f;
  f.severity = stmt.column_text(first) == "warning" ? Severity::warning : Severity::error;
  f.kind = stmt.column_text(first + 1);
  f.file = stmt.column_text(first + 2);
  f.line = static_cast<uint64_t>(stmt.column_int(first + 3));
  f.column = static_cast<uint32_t>(stmt.column_int(first + 4));
  f.column_name = stmt.column_text(first + 5);
  f.value = stmt.column_text(first + 6);
  f.message = stmt.column_text(first + 7);
  f.expected = stmt.column_text(first + 8);
  return f;
}

constexpr const char* kFindingColumns =
    "severity, kind, file, line, column_number, column_name, value, message, expected";

/// Write the history rows of a submission whose `submissions` row exists.
Status write_history(Connection& db, int64_t id, SubmissionOutcome outcome,
                     std::span<const FileCounts> files, std::span<const Finding> findings,
                     const std::set<std::string>& organisations) {
  uint64_t errors = 0, warnings = 0;
  for (const Finding& f : findings) (f.severity == Severity::error ? errors : warnings)++;
  const size_t stored = std::min(findings.size(), kStoredFindingsLimit);
  {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db.prepare("UPDATE submissions SET outcome=?, errors=?, warnings=?, "
                                   "findings_stored=?, committed_at=? WHERE id=?"));
    const std::string now = utc_now();
    stmt.bind(1, std::string_view(outcome_name(outcome)));
    stmt.bind(2, static_cast<int64_t>(errors));
    stmt.bind(3, static_cast<int64_t>(warnings));
    stmt.bind(4, static_cast<int64_t>(stored));
    stmt.bind(5, std::string_view(now));
    stmt.bind(6, id);
    CF_RETURN_IF_ERROR(stmt.run());
  }
  {
    CF_ASSIGN_OR_RETURN(
        Statement stmt,
        db.prepare("INSERT OR REPLACE INTO submission_files(submission_id, file_name, sha256, "
                   "rows_read, rows_accepted, rows_rejected) VALUES(?,?,?,?,?,?)"));
    for (const FileCounts& file : files) {
      stmt.reset();
      stmt.bind(1, id);
      stmt.bind(2, std::string_view(file.file_name));
      stmt.bind(3, std::string_view(file.sha256));
      stmt.bind(4, static_cast<int64_t>(file.rows_read));
      stmt.bind(5, static_cast<int64_t>(file.rows_accepted));
      stmt.bind(6, static_cast<int64_t>(file.rows_rejected));
      CF_RETURN_IF_ERROR(stmt.run());
    }
  }
  {
    CF_ASSIGN_OR_RETURN(Statement stmt, db.prepare("INSERT OR IGNORE INTO submission_organisations("
                                                   "submission_id, org_code) VALUES(?,?)"));
    for (const std::string& org : organisations) {
      stmt.reset();
      stmt.bind(1, id);
      stmt.bind(2, std::string_view(org));
      CF_RETURN_IF_ERROR(stmt.run());
    }
  }
  CF_ASSIGN_OR_RETURN(Statement stmt, db.prepare(kInsertFindingSql));
  for (size_t i = 0; i < stored; ++i) CF_RETURN_IF_ERROR(insert_finding(stmt, id, 0, findings[i]));
  return Status::ok();
}

Result<int64_t> insert_pending_submission(Connection& db, const SubmissionMeta& meta) {
  CF_ASSIGN_OR_RETURN(Statement stmt,
                      db.prepare("INSERT INTO submissions(received_at, source, sha256, "
                                 "accept_valid_rows, outcome) VALUES(?,?,?,?,'pending')"));
  const std::string now = utc_now();
  stmt.bind(1, std::string_view(now));
  stmt.bind(2, std::string_view(meta.source));
  stmt.bind(3, std::string_view(meta.sha256));
  stmt.bind(4, static_cast<int64_t>(meta.accept_valid_rows ? 1 : 0));
  CF_RETURN_IF_ERROR(stmt.run());
  return db.last_insert_rowid();
}

// --- national benchmarks ------------------------------------------------------------------

constexpr const char* kBenchmarkRowColumns =
    "publication, metric, period, window_start, period_label, level, org_code, org_name, "
    "org_type, cluster, region_code, region_name, ics_code, ics_name, staff_group, numerator, "
    "denominator, published_value, source_file, source_line, import_id";

/// Insert a benchmark_import line with its files and (capped) findings; returns its id.
Result<int64_t> insert_benchmark_import(Connection& db, const BenchmarkImportRecord& record,
                                        bool accepted, std::span<const Finding> findings) {
  uint64_t errors = 0, warnings = 0;
  for (const Finding& f : findings) (f.severity == Severity::error ? errors : warnings)++;
  const size_t stored = std::min(findings.size(), kStoredFindingsLimit);
  {
    CF_ASSIGN_OR_RETURN(
        Statement stmt,
        db.prepare("INSERT INTO benchmark_import(received_at, source, sha256, outcome, errors, "
                   "warnings, series, findings_stored) VALUES(?,?,?,?,?,?,?,?)"));
    const std::string now = utc_now();
    stmt.bind(1, std::string_view(now));
    stmt.bind(2, std::string_view(record.source));
    stmt.bind(3, std::string_view(record.sha256));
    stmt.bind(4, std::string_view(accepted ? "accepted" : "rejected"));
    // The record's counts cover findings beyond those passed in (a capped report).
    stmt.bind(5, static_cast<int64_t>(std::max(record.errors, errors)));
    stmt.bind(6, static_cast<int64_t>(std::max(record.warnings, warnings)));
    stmt.bind(7, static_cast<int64_t>(accepted ? record.series : 0));
    stmt.bind(8, static_cast<int64_t>(stored));
    CF_RETURN_IF_ERROR(stmt.run());
  }
  const int64_t id = db.last_insert_rowid();
  {
    CF_ASSIGN_OR_RETURN(
        Statement stmt,
        db.prepare("INSERT OR REPLACE INTO benchmark_file(import_id, path, publication, "
                   "rows_read, series, skipped) VALUES(?,?,?,?,?,?)"));
    for (const BenchmarkFileRecord& file : record.files) {
      stmt.reset();
      stmt.bind(1, id);
      stmt.bind(2, std::string_view(file.path));
      stmt.bind(3, std::string_view(file.publication));
      stmt.bind(4, static_cast<int64_t>(file.rows_read));
      stmt.bind(5, static_cast<int64_t>(file.series));
      stmt.bind(6, static_cast<int64_t>(file.skipped ? 1 : 0));
      CF_RETURN_IF_ERROR(stmt.run());
    }
  }
  CF_ASSIGN_OR_RETURN(
      Statement stmt,
      db.prepare("INSERT INTO benchmark_finding(import_id, severity, kind, file, line, "
                 "column_number, column_name, value, message, expected) "
                 "VALUES(?,?,?,?,?,?,?,?,?,?)"));
  for (size_t i = 0; i < stored; ++i) {
    const Finding& f = findings[i];
    stmt.reset();
    stmt.bind(1, id);
    stmt.bind(2, std::string_view(severity_name(f.severity)));
    stmt.bind(3, std::string_view(f.kind));
    stmt.bind(4, std::string_view(f.file));
    stmt.bind(5, static_cast<int64_t>(f.line));
    stmt.bind(6, static_cast<int64_t>(f.column));
    stmt.bind(7, std::string_view(f.column_name));
    stmt.bind(8, std::string_view(f.value));
    stmt.bind(9, std::string_view(f.message));
    stmt.bind(10, std::string_view(f.expected));
    CF_RETURN_IF_ERROR(stmt.run());
  }
  return id;
}

Status insert_benchmark_rows(Connection& db, int64_t import_id,
                             std::span<const BenchmarkRow> rows) {
  CF_ASSIGN_OR_RETURN(
      Statement stmt,
      db.prepare(std::string("INSERT OR REPLACE INTO benchmark_series(") + kBenchmarkRowColumns +
                 ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  for (const BenchmarkRow& row : rows) {
    stmt.reset();
    const std::string_view texts[] = {
        row.publication,  row.metric,   row.period,      row.window_start,
        row.period_label, row.level,    row.org_code,    row.org_name,
        row.org_type,     row.cluster,  row.region_code, row.region_name,
        row.ics_code,     row.ics_name, row.staff_group, row.numerator};
    int index = 1;
    for (std::string_view text : texts) stmt.bind(index++, text);
    if (row.denominator)
      stmt.bind(index++, std::string_view(*row.denominator));
    else
      stmt.bind_null(index++);
    stmt.bind(index++, std::string_view(row.published_value));
    stmt.bind(index++, std::string_view(row.source_file));
    stmt.bind(index++, static_cast<int64_t>(row.source_line));
    stmt.bind(index, import_id);
    CF_RETURN_IF_ERROR(stmt.run());
  }
  return Status::ok();
}

/// Prepared statements and column positions for one file inside a session.
struct FileWriter {
  const FileSpec* spec = nullptr;
  int org_index = -1;
  int period_index = -1;
  bool upsert = false;  ///< organisations, population, targets: replace by key.
  Statement insert;
  Statement replace;    ///< DELETE of an (org, period_month) from earlier submissions.
  Statement find_line;  ///< source_line of the stored row with the same key.
  std::string last_org, last_month;
  bool have_last = false;
};

class SqliteImportSession final : public ImportSession {
 public:
  SqliteImportSession(std::unique_ptr<Connection> owned, Connection* db)
      : owned_(std::move(owned)), db_(db), tx_(*db) {}
  ~SqliteImportSession() override { rollback(); }

  Status start(const SubmissionMeta& meta) {
    CF_RETURN_IF_ERROR(tx_.begin());
    CF_ASSIGN_OR_RETURN(id_, insert_pending_submission(*db_, meta));
    return Status::ok();
  }

  int64_t submission_id() const override { return id_; }

  Status add_row(const FileSpec& file, std::span<const Value> values, uint64_t line) override {
    CF_RETURN_IF_ERROR(check_open());
    if (values.size() != file.columns.size())
      return make_error(ErrorCode::invalid_argument,
                        file.file_name + " line " + std::to_string(line) + ": " +
                            std::to_string(values.size()) + " values for " +
                            std::to_string(file.columns.size()) + " columns");
    CF_ASSIGN_OR_RETURN(FileWriter * writer, writer_for(file));
    std::string_view month;
    if (writer->period_index >= 0) {
      const auto* text = std::get_if<std::string>(&values[writer->period_index]);
      if (!text || text->size() < 7)
        return make_error(ErrorCode::invalid_argument,
                          file.file_name + " line " + std::to_string(line) + ": column '" +
                              file.period_column + "' has no date or period");
      month = std::string_view(*text).substr(0, 7);
    }
    if (writer->org_index >= 0) {
      const auto* org = std::get_if<std::string>(&values[writer->org_index]);
      if (!org)
        return make_error(
            ErrorCode::invalid_argument,
            file.file_name + " line " + std::to_string(line) + ": no " + file.org_column);
      if (!writer->have_last || writer->last_org != *org || writer->last_month != month) {
        CF_RETURN_IF_ERROR(first_sight(*writer, *org, month, line));
        writer->last_org = *org;
        writer->last_month = month;
        writer->have_last = true;
      }
    }
    Statement& insert = writer->insert;
    insert.bind(1, id_);
    insert.bind(2, static_cast<int64_t>(line));
    int next = 3;
    if (writer->period_index >= 0) insert.bind(next++, month);
    for (const Value& value : values) bind_value(insert, next++, value);
    auto done = insert.step();
    const bool unchanged = done.is_ok() && writer->upsert && db_->changes() == 0;
    insert.reset();
    if (!done.is_ok()) {
      if (done.error().code == ErrorCode::conflict && !unique_key(file.kind).columns.empty())
        return conflict(*writer, values, line);
      return done.status();
    }
    if (unchanged) return conflict(*writer, values, line);
    return Status::ok();
  }

  Status quarantine_row(const FileSpec& file, uint64_t line, std::string_view raw_row,
                        std::span<const Finding> findings) override {
    CF_RETURN_IF_ERROR(check_open());
    CF_ASSIGN_OR_RETURN(Statement * stmt,
                        db_->cached("INSERT INTO quarantine(submission_id, file_name, line, "
                                    "raw_row) VALUES(?,?,?,?)"));
    stmt->bind(1, id_);
    stmt->bind(2, std::string_view(file.file_name));
    stmt->bind(3, static_cast<int64_t>(line));
    stmt->bind(4, raw_row);
    Status inserted = stmt->run();
    stmt->reset();
    CF_RETURN_IF_ERROR(inserted);
    const int64_t quarantine_id = db_->last_insert_rowid();
    CF_ASSIGN_OR_RETURN(Statement * finding, db_->cached(kInsertFindingSql));
    for (const Finding& f : findings)
      CF_RETURN_IF_ERROR(insert_finding(*finding, id_, quarantine_id, f));
    return Status::ok();
  }

  Status commit(SubmissionOutcome outcome, std::span<const FileCounts> files,
                std::span<const Finding> findings) override {
    CF_RETURN_IF_ERROR(check_open());
    if (outcome == SubmissionOutcome::rejected)
      return make_error(ErrorCode::invalid_argument,
                        "a rejected submission is recorded with record_rejected(), not committed");
    writers_ = {};
    Status written = write_history(*db_, id_, outcome, files, findings, organisations_);
    if (written) written = tx_.commit();
    if (!written) rollback();
    done_ = true;
    return written;
  }

  void rollback() override {
    writers_ = {};
    tx_.rollback();
    done_ = true;
  }

 private:
  Status check_open() const {
    if (done_)
      return make_error(ErrorCode::invalid_argument,
                        "the import session is already committed or rolled back");
    return Status::ok();
  }

  Result<FileWriter*> writer_for(const FileSpec& file) {
    auto& slot = writers_[static_cast<size_t>(file.kind)];
    if (slot) return slot.get();
    auto writer = std::make_unique<FileWriter>();
    writer->spec = &file;
    writer->org_index = file.org_column.empty() ? -1 : file.column_index(file.org_column);
    writer->period_index = file.period_column.empty() ? -1 : file.column_index(file.period_column);
    const UniqueKey& key = unique_key(file.kind);
    writer->upsert = file.period_column.empty() && !key.columns.empty();

    std::string columns = "submission_id, source_line";
    std::string params = "?, ?";
    if (writer->period_index >= 0) columns += ", period_month", params += ", ?";
    for (const ColumnSpec& c : file.columns) columns += ", " + c.name, params += ", ?";
    std::string sql = "INSERT INTO " + file.table + "(" + columns + ") VALUES(" + params + ")";
    if (writer->upsert) {
      // A row from an earlier submission is replaced; a repeat inside this one changes nothing.
      std::string conflict_target, updates =
                                       "submission_id=excluded.submission_id, "
                                       "source_line=excluded.source_line";
      for (size_t i = 0; i < key.columns.size(); ++i)
        conflict_target += (i ? ", " : "") + key.columns[i];
      for (const ColumnSpec& c : file.columns) updates += ", " + c.name + "=excluded." + c.name;
      sql += " ON CONFLICT(" + conflict_target + ") DO UPDATE SET " + updates + " WHERE " +
             file.table + ".submission_id <> excluded.submission_id";
    }
    CF_ASSIGN_OR_RETURN(writer->insert, db_->prepare(sql));
    if (writer->period_index >= 0) {
      CF_ASSIGN_OR_RETURN(writer->replace,
                          db_->prepare("DELETE FROM " + file.table + " WHERE " + file.org_column +
                                       " = ? AND period_month = ?"));
    }
    if (!key.columns.empty()) {
      std::string where;
      for (size_t i = 0; i < key.columns.size(); ++i) {
        if (i) where += " AND ";
        where += key.blanks_equal ? "ifnull(" + key.columns[i] + ", '') = ifnull(?, '')"
                                  : key.columns[i] + " = ?";
      }
      CF_ASSIGN_OR_RETURN(writer->find_line,
                          db_->prepare("SELECT source_line, submission_id FROM " + file.table +
                                       " WHERE " + where + " ORDER BY submission_id DESC LIMIT 1"));
    }
    slot = std::move(writer);
    return slot.get();
  }

  /// The first row of an (organisation, period) in this session replaces earlier ones.
  Status first_sight(FileWriter& writer, const std::string& org, std::string_view month,
                     uint64_t line) {
    if (writer.spec->kind != FileKind::organisations && !known_organisations_.contains(org)) {
      // A row for an unknown organisation would make the whole store unloadable.
      CF_ASSIGN_OR_RETURN(Statement * known,
                          db_->cached("SELECT 1 FROM organisations WHERE org_code = ?"));
      known->bind(1, std::string_view(org));
      auto found = known->step();
      known->reset();
      if (!found.is_ok()) return found.status();
      if (!*found)
        return make_error(ErrorCode::not_found,
                          writer.spec->file_name + " line " + std::to_string(line) +
                              ": organisation '" + org +
                              "' is neither in this submission's organisations.csv (add its rows "
                              "first) nor in the store",
                          writer.spec->table);
      known_organisations_.insert(org);
    }
    if (writer.period_index >= 0) {
      std::string key = writer.spec->table;
      key += '\x1f';
      key += org;
      key += '\x1f';
      key += month;
      if (replaced_.insert(std::move(key)).second) {
        writer.replace.bind(1, std::string_view(org));
        writer.replace.bind(2, month);
        Status deleted = writer.replace.run();
        writer.replace.reset();
        CF_RETURN_IF_ERROR(deleted);
      }
    }
    organisations_.insert(org);
    return Status::ok();
  }

  Status conflict(FileWriter& writer, std::span<const Value> values, uint64_t line) {
    const FileSpec& file = *writer.spec;
    const UniqueKey& key = unique_key(file.kind);
    std::string names, shown;
    int param = 1;
    for (const std::string& column : key.columns) {
      const Value& value = values[file.column_index(column)];
      bind_value(writer.find_line, param++, value);
      names += (names.empty() ? "" : ", ") + column;
      shown += (shown.empty() ? "" : ", ") + value_text(value);
    }
    std::string earlier;
    auto row = writer.find_line.step();
    if (row.is_ok() && *row) earlier = std::to_string(writer.find_line.column_int(0));
    writer.find_line.reset();
    // The caller reports the file and line; the message says what repeats and where first.
    std::string message = "duplicate row: (" + names + ") = (" + shown + ") appears more than once";
    if (!earlier.empty()) message += ", first on line " + earlier;
    (void)line;
    return make_error(ErrorCode::conflict, std::move(message), file.table);
  }

  std::unique_ptr<Connection> owned_;  // Declared first: destroyed after the transaction.
  Connection* db_;
  Transaction tx_;
  int64_t id_ = 0;
  bool done_ = false;
  std::array<std::unique_ptr<FileWriter>, kFileKindCount> writers_;
  std::unordered_set<std::string> replaced_;
  std::set<std::string> organisations_;
  std::unordered_set<std::string> known_organisations_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> db, int version, ConnectionOptions options)
      : db_(std::move(db)), version_(version), options_(options) {}

  int schema_version() const override { return version_; }

  Result<std::map<std::string, KnownOrganisation>> organisations() const override {
    CF_ASSIGN_OR_RETURN(
        Statement stmt,
        db_->prepare("SELECT org_code, sector, data_level, place FROM organisations"));
    std::map<std::string, KnownOrganisation> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) break;
      KnownOrganisation known;
      if (auto s = sectors().find(stmt.column_text(1))) known.sector = static_cast<Sector>(*s);
      if (auto l = data_levels().find(stmt.column_text(2)))
        known.level = static_cast<DataLevel>(*l);
      known.place = std::string(stmt.column_text(3));
      out.emplace(std::string(stmt.column_text(0)), known);
    }
    return out;
  }

  Result<std::optional<SubmissionRecord>> find_submission(
      const std::string& sha256) const override {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db_->prepare(std::string("SELECT id FROM submissions WHERE sha256 = ? "
                                                 "AND outcome IN ") +
                                     kCommittedOutcomes + " ORDER BY id DESC LIMIT 1"));
    stmt.bind(1, std::string_view(sha256));
    CF_ASSIGN_OR_RETURN(bool row, stmt.step());
    if (!row) return std::optional<SubmissionRecord>();
    CF_ASSIGN_OR_RETURN(auto records, read_submissions(stmt.column_int(0)));
    if (records.empty()) return std::optional<SubmissionRecord>();
    return std::optional<SubmissionRecord>(std::move(records.front()));
  }

  Result<std::unique_ptr<ImportSession>> begin_import(const SubmissionMeta& meta) override {
    std::unique_ptr<Connection> owned;
    Connection* db = db_.get();
    if (!is_memory()) {
      // Its own connection, so readers of this store see nothing until commit.
      CF_ASSIGN_OR_RETURN(owned, Connection::open(db_->path(), options_));
      db = owned.get();
    }
    auto session = std::make_unique<SqliteImportSession>(std::move(owned), db);
    CF_RETURN_IF_ERROR(session->start(meta));
    return std::unique_ptr<ImportSession>(std::move(session));
  }

  Status record_rejected(const SubmissionMeta& meta, std::span<const FileCounts> files,
                         std::span<const Finding> findings) override {
    Transaction tx(*db_);
    CF_RETURN_IF_ERROR(tx.begin());
    CF_ASSIGN_OR_RETURN(int64_t id, insert_pending_submission(*db_, meta));
    CF_RETURN_IF_ERROR(write_history(*db_, id, SubmissionOutcome::rejected, files, findings, {}));
    return tx.commit();
  }

  Result<std::vector<SubmissionRecord>> submissions() const override {
    return read_submissions(std::nullopt);
  }

  Result<std::vector<Finding>> findings(int64_t submission_id, size_t limit) const override {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db_->prepare(std::string("SELECT ") + kFindingColumns +
                                     " FROM findings WHERE submission_id = ? AND quarantine_id "
                                     "IS NULL ORDER BY id LIMIT ?"));
    stmt.bind(1, submission_id);
    stmt.bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    std::vector<Finding> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) break;
      out.push_back(read_finding(stmt, 0));
    }
    return out;
  }

  Result<std::vector<QuarantinedRow>> quarantine(std::optional<int64_t> submission_id,
                                                 size_t limit) const override {
    std::string sql = "SELECT id, submission_id, file_name, line, raw_row FROM quarantine";
    if (submission_id) sql += " WHERE submission_id = ?";
    sql += " ORDER BY id LIMIT ?";
    CF_ASSIGN_OR_RETURN(Statement stmt, db_->prepare(sql));
    int param = 1;
    if (submission_id) stmt.bind(param++, *submission_id);
    stmt.bind(param, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    CF_ASSIGN_OR_RETURN(Statement findings_stmt,
                        db_->prepare(std::string("SELECT ") + kFindingColumns +
                                     " FROM findings WHERE quarantine_id = ? ORDER BY id"));
    std::vector<QuarantinedRow> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) break;
      QuarantinedRow q;
      q.submission_id = stmt.column_int(1);
      q.file_name = stmt.column_text(2);
      q.line = static_cast<uint64_t>(stmt.column_int(3));
      q.raw_row = stmt.column_text(4);
      findings_stmt.reset();
      findings_stmt.bind(1, stmt.column_int(0));
      for (;;) {
        CF_ASSIGN_OR_RETURN(bool f, findings_stmt.step());
        if (!f) break;
        q.findings.push_back(read_finding(findings_stmt, 0));
      }
      out.push_back(std::move(q));
    }
    return out;
  }

  Result<std::string> last_import_time() const override {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db_->prepare(std::string("SELECT ifnull(max(committed_at), '') FROM "
                                                 "submissions WHERE outcome IN ") +
                                     kCommittedOutcomes));
    CF_ASSIGN_OR_RETURN(bool row, stmt.step());
    return row ? std::string(stmt.column_text(0)) : std::string();
  }

  Result<model::WorkforceModel> load_model() const override { return load_workforce_model(*db_); }

  Result<std::optional<BenchmarkImportRecord>> find_benchmark_import(
      const std::string& sha256) const override {
    CF_ASSIGN_OR_RETURN(auto records, read_benchmark_imports(sha256));
    if (records.empty()) return std::optional<BenchmarkImportRecord>();
    return std::optional<BenchmarkImportRecord>(std::move(records.back()));
  }

  Result<int64_t> store_benchmark_import(const BenchmarkImportRecord& record,
                                         std::span<const BenchmarkRow> rows,
                                         std::span<const Finding> findings) override {
    if (!record.accepted)
      return make_error(ErrorCode::invalid_argument,
                        "a rejected benchmark import is recorded with "
                        "record_rejected_benchmark_import(), not stored");
    Transaction tx(*db_);
    CF_RETURN_IF_ERROR(tx.begin());
    CF_ASSIGN_OR_RETURN(int64_t id, insert_benchmark_import(*db_, record, true, findings));
    CF_RETURN_IF_ERROR(insert_benchmark_rows(*db_, id, rows));
    CF_RETURN_IF_ERROR(tx.commit());
    return id;
  }

  Result<int64_t> record_rejected_benchmark_import(const BenchmarkImportRecord& record,
                                                   std::span<const Finding> findings) override {
    Transaction tx(*db_);
    CF_RETURN_IF_ERROR(tx.begin());
    CF_ASSIGN_OR_RETURN(int64_t id, insert_benchmark_import(*db_, record, false, findings));
    CF_RETURN_IF_ERROR(tx.commit());
    return id;
  }

  Result<std::vector<BenchmarkImportRecord>> benchmark_imports() const override {
    return read_benchmark_imports(std::nullopt);
  }

  Result<std::vector<Finding>> benchmark_findings(int64_t import_id, size_t limit) const override {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db_->prepare(std::string("SELECT ") + kFindingColumns +
                                     " FROM benchmark_finding WHERE import_id = ? ORDER BY id "
                                     "LIMIT ?"));
    stmt.bind(1, import_id);
    stmt.bind(2, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
    std::vector<Finding> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, stmt.step());
      if (!row) break;
      out.push_back(read_finding(stmt, 0));
    }
    return out;
  }

  Result<std::vector<BenchmarkRow>> benchmark_rows() const override {
    CF_ASSIGN_OR_RETURN(Statement stmt,
                        db_->prepare(std::string("SELECT ") + kBenchmarkRowColumns +
                                     " FROM benchmark_series ORDER BY metric, period, org_code, "
                                     "staff_group"));
    std::vector<BenchmarkRow> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool more, stmt.step());
      if (!more) break;
      BenchmarkRow row;
      std::string* texts[] = {&row.publication,  &row.metric,   &row.period,      &row.window_start,
                              &row.period_label, &row.level,    &row.org_code,    &row.org_name,
                              &row.org_type,     &row.cluster,  &row.region_code, &row.region_name,
                              &row.ics_code,     &row.ics_name, &row.staff_group, &row.numerator};
      int index = 0;
      for (std::string* text : texts) *text = stmt.column_text(index++);
      if (!stmt.column_is_null(index)) row.denominator = std::string(stmt.column_text(index));
      ++index;
      row.published_value = stmt.column_text(index++);
      row.source_file = stmt.column_text(index++);
      row.source_line = static_cast<uint64_t>(stmt.column_int(index++));
      row.import_id = stmt.column_int(index);
      out.push_back(std::move(row));
    }
    return out;
  }

  Result<std::vector<BenchmarkSeriesSummary>> benchmark_summary() const override {
    CF_ASSIGN_OR_RETURN(
        Statement stmt,
        db_->prepare("SELECT publication, metric, min(period), max(period), count(DISTINCT "
                     "period), count(DISTINCT org_code), count(*) FROM benchmark_series GROUP "
                     "BY publication, metric ORDER BY publication, metric"));
    std::vector<BenchmarkSeriesSummary> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool more, stmt.step());
      if (!more) break;
      out.push_back({std::string(stmt.column_text(0)), std::string(stmt.column_text(1)),
                     std::string(stmt.column_text(2)), std::string(stmt.column_text(3)),
                     static_cast<uint64_t>(stmt.column_int(4)),
                     static_cast<uint64_t>(stmt.column_int(5)),
                     static_cast<uint64_t>(stmt.column_int(6))});
    }
    return out;
  }

 private:
  bool is_memory() const {
    return db_->path() == ":memory:" || db_->path().starts_with("file::memory:");
  }

  /// Read the history; one submission when `only` is set, else all of them by id.
  Result<std::vector<SubmissionRecord>> read_submissions(std::optional<int64_t> only) const {
    std::string where = " WHERE outcome <> 'pending'";
    if (only) where += " AND id = ?";
    CF_ASSIGN_OR_RETURN(Statement main,
                        db_->prepare("SELECT id, received_at, source, sha256, outcome, errors, "
                                     "warnings, findings_stored FROM submissions" +
                                     where + " ORDER BY id"));
    if (only) main.bind(1, *only);
    CF_ASSIGN_OR_RETURN(Statement files,
                        db_->prepare("SELECT file_name, sha256, rows_read, rows_accepted, "
                                     "rows_rejected FROM submission_files WHERE submission_id "
                                     "= ? ORDER BY file_name"));
    CF_ASSIGN_OR_RETURN(Statement orgs,
                        db_->prepare("SELECT org_code FROM submission_organisations WHERE "
                                     "submission_id = ? ORDER BY org_code"));
    std::vector<SubmissionRecord> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, main.step());
      if (!row) break;
      SubmissionRecord r;
      r.id = main.column_int(0);
      r.received_at = main.column_text(1);
      r.source = main.column_text(2);
      r.sha256 = main.column_text(3);
      r.outcome = parse_outcome(main.column_text(4)).value_or(SubmissionOutcome::rejected);
      r.errors = static_cast<uint64_t>(main.column_int(5));
      r.warnings = static_cast<uint64_t>(main.column_int(6));
      r.findings_stored = static_cast<uint64_t>(main.column_int(7));
      files.reset();
      files.bind(1, r.id);
      for (;;) {
        CF_ASSIGN_OR_RETURN(bool f, files.step());
        if (!f) break;
        r.files.push_back({std::string(files.column_text(0)), std::string(files.column_text(1)),
                           static_cast<uint64_t>(files.column_int(2)),
                           static_cast<uint64_t>(files.column_int(3)),
                           static_cast<uint64_t>(files.column_int(4))});
      }
      orgs.reset();
      orgs.bind(1, r.id);
      for (;;) {
        CF_ASSIGN_OR_RETURN(bool o, orgs.step());
        if (!o) break;
        r.organisations.emplace_back(orgs.column_text(0));
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  /// Read the benchmark import history; only accepted imports with this hash when given.
  Result<std::vector<BenchmarkImportRecord>> read_benchmark_imports(
      const std::optional<std::string>& sha256) const {
    std::string sql =
        "SELECT id, received_at, source, sha256, outcome, errors, warnings, series, "
        "findings_stored FROM benchmark_import";
    if (sha256) sql += " WHERE sha256 = ? AND outcome = 'accepted'";
    sql += " ORDER BY id";
    CF_ASSIGN_OR_RETURN(Statement main, db_->prepare(sql));
    if (sha256) main.bind(1, std::string_view(*sha256));
    CF_ASSIGN_OR_RETURN(Statement files,
                        db_->prepare("SELECT path, publication, rows_read, series, skipped FROM "
                                     "benchmark_file WHERE import_id = ? ORDER BY path"));
    std::vector<BenchmarkImportRecord> out;
    for (;;) {
      CF_ASSIGN_OR_RETURN(bool row, main.step());
      if (!row) break;
      BenchmarkImportRecord r;
      r.id = main.column_int(0);
      r.received_at = main.column_text(1);
      r.source = main.column_text(2);
      r.sha256 = main.column_text(3);
      r.accepted = main.column_text(4) == "accepted";
      r.errors = static_cast<uint64_t>(main.column_int(5));
      r.warnings = static_cast<uint64_t>(main.column_int(6));
      r.series = static_cast<uint64_t>(main.column_int(7));
      r.findings_stored = static_cast<uint64_t>(main.column_int(8));
      files.reset();
      files.bind(1, r.id);
      for (;;) {
        CF_ASSIGN_OR_RETURN(bool f, files.step());
        if (!f) break;
        r.files.push_back({std::string(files.column_text(0)), std::string(files.column_text(1)),
                           static_cast<uint64_t>(files.column_int(2)),
                           static_cast<uint64_t>(files.column_int(3)), files.column_int(4) != 0});
      }
      out.push_back(std::move(r));
    }
    return out;
  }

  std::unique_ptr<Connection> db_;
  int version_;
  ConnectionOptions options_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const StoreOptions& options) {
  ConnectionOptions connection;
  connection.cache_size_kib = options.cache_size_mib * 1024;
  connection.busy_timeout_ms = options.busy_timeout_ms;
  CF_ASSIGN_OR_RETURN(std::unique_ptr<Connection> db, Connection::open(path, connection));
  CF_ASSIGN_OR_RETURN(int version, migrate(*db));
  return std::unique_ptr<Store>(std::make_unique<SqliteStore>(std::move(db), version, connection));
}

}  // namespace careforce::store::sqlite
