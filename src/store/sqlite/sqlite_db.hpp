#pragma once
// Thin RAII over the SQLite C API: one connection, cached prepared statements, errors as
// Status values naming the SQL that failed.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/result.hpp"

namespace careforce::store::sqlite {

/// A prepared statement; reset() after each use so it can be re-run with new bindings.
class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement(Statement&& other) noexcept { *this = std::move(other); }
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  sqlite3_stmt* get() const { return stmt_; }
  void bind_null(int index) { sqlite3_bind_null(stmt_, index); }
  void bind(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
  /// Bind text without copying: the caller keeps `value` alive until step()/reset().
  void bind(int index, std::string_view value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  }
  /// Step once: true when a row is ready, false when done, or an error.
  Result<bool> step();
  /// Step to completion (for statements that return no rows).
  Status run();
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  int64_t column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
  double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
  bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  /// The text of a column; valid until the next step or reset.
  std::string_view column_text(int i) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
             : std::string_view();
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

struct ConnectionOptions {
  int busy_timeout_ms = 10000;
  int cache_size_kib = 65536;  ///< Page cache per connection (negative PRAGMA cache_size).
  bool read_only = false;
};

/// One open database connection with WAL, foreign keys and a busy timeout.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> open(const std::string& path,
                                                  const ConnectionOptions& options = {});
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  /// Run one or more statements that return no rows.
  Status exec(std::string_view sql);
  /// Prepare a statement owned by the caller.
  Result<Statement> prepare(std::string_view sql);
  /// A statement prepared once per connection and reused (reset before returning it).
  Result<Statement*> cached(const std::string& sql);
  /// An Error with the connection's last message.
  Error error(std::string_view what) const;
  int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  int changes() const { return sqlite3_changes(db_); }

 private:
  explicit Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

/// Rolls back an open transaction unless commit() succeeded.
class Transaction {
 public:
  explicit Transaction(Connection& db) : db_(&db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() { rollback(); }
  /// Begin with a write lock taken at once (BEGIN IMMEDIATE).
  Status begin();
  Status commit();
  void rollback();
  bool active() const { return active_; }

 private:
  Connection* db_;
  bool active_ = false;
};

}  // namespace careforce::store::sqlite
