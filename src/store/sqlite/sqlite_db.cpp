#include "store/sqlite/sqlite_db.hpp"

#include <string>

namespace careforce::store::sqlite {

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = other.stmt_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Result<bool> Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Only a unique key violation is a conflict; other constraints are store errors.
  const bool duplicate = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY;
  Error error = make_error(duplicate ? ErrorCode::conflict : ErrorCode::store_error,
                           std::string("database error: ") + sqlite3_errmsg(db_),
                           sqlite3_sql(stmt_) ? sqlite3_sql(stmt_) : "");
  sqlite3_reset(stmt_);
  return error;
}

Status Statement::run() {
  for (;;) {
    auto row = step();
    if (!row) return row.status();
    if (!*row) return Status::ok();
  }
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path,
                                                     const ConnectionOptions& options) {
  sqlite3* db = nullptr;
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return make_error(ErrorCode::store_error, "cannot open database '" + path + "': " + message);
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> conn(new Connection(db, path));
  sqlite3_busy_timeout(db, options.busy_timeout_ms);
  // WAL lets readers work during an import; synchronous=NORMAL is safe against a killed
  // process in WAL mode (a power cut may lose the last commit, never corrupt the file).
  std::string pragmas =
      "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
      "PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864; "
      "PRAGMA cache_size=-" +
      std::to_string(options.cache_size_kib) + ";";
  if (!options.read_only) pragmas = "PRAGMA journal_mode=WAL; " + pragmas;
  CF_RETURN_IF_ERROR(conn->exec(pragmas));
  return conn;
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

Error Connection::error(std::string_view what) const {
  return make_error(ErrorCode::store_error, std::string(what) + ": " + sqlite3_errmsg(db_), path_);
}

Status Connection::exec(std::string_view sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::ok();
  std::string text = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return make_error(ErrorCode::store_error, "database error: " + text,
                    std::string(sql.substr(0, 200)));
}

Result<Statement> Connection::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK)
    return make_error(ErrorCode::store_error,
                      std::string("cannot prepare statement: ") + sqlite3_errmsg(db_),
                      std::string(sql.substr(0, 200)));
  return Statement(db_, stmt);
}

Result<Statement*> Connection::cached(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    CF_ASSIGN_OR_RETURN(Statement stmt, prepare(sql));
    it = cache_.emplace(sql, std::make_unique<Statement>(std::move(stmt))).first;
  }
  it->second->reset();
  return it->second.get();
}

Status Transaction::begin() {
  Status begun = db_->exec("BEGIN IMMEDIATE");
  if (!begun && (sqlite3_errcode(db_->handle()) & 0xff) == SQLITE_BUSY)
    return make_error(ErrorCode::conflict,
                      "another import is writing to the store; try again when it has finished",
                      db_->path());
  CF_RETURN_IF_ERROR(begun);
  active_ = true;
  return Status::ok();
}

Status Transaction::commit() {
  CF_RETURN_IF_ERROR(db_->exec("COMMIT"));
  active_ = false;
  return Status::ok();
}

void Transaction::rollback() {
  if (!active_) return;
  active_ = false;
  if (!sqlite3_get_autocommit(db_->handle())) (void)db_->exec("ROLLBACK");
}

}  // namespace careforce::store::sqlite
