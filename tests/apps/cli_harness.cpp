#include "cli_harness.hpp"

#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/schema.hpp"

namespace careforce::testing {

namespace {

std::string quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct Db {
  sqlite3* handle = nullptr;
  explicit Db(const std::filesystem::path& path) {
    if (sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path.string());
  }
  ~Db() { sqlite3_close(handle); }
};

}  // namespace

CliRun run_cli(const std::vector<std::string>& args) {
  const char* cli = std::getenv("CAREFORCE_CLI");
  std::string command = quote(cli ? cli : CAREFORCE_BINARY_DIR "/careforce");
  for (const auto& a : args) command += " " + quote(a);
  command += " 2>&1";
  CliRun run;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return run;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.output.append(buffer.data(), n);
  const int status = ::pclose(pipe);
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  // popen runs through /bin/sh, which reports a killed child as exit 128 + signal.
  if (run.exit_code > 128 && run.exit_code < 160) {
    run.signal = run.exit_code - 128;
    run.exit_code = -1;
  }
  return run;
}

TempDir::TempDir(const std::string& name) {
  path_ = std::filesystem::temp_directory_path() /
          ("careforce-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string data_digest(const std::filesystem::path& db_path) {
  Db db(db_path);
  std::string digest;
  for (const auto& spec : data_standard_files()) {
    // The rows' content in a stable order; 64-bit FNV-1a keeps the digest short.
    std::string sql = "SELECT * FROM " + spec.table + " ORDER BY 1,2,3,4";
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db.handle, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      digest += spec.table + ":missing;";
      continue;
    }
    uint64_t hash = 1469598103934665603ull;
    long long rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      ++rows;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const auto* text = sqlite3_column_text(stmt, c);
        const std::string value = text ? reinterpret_cast<const char*>(text) : "\x01";
        for (unsigned char ch : value + "\x1f") hash = (hash ^ ch) * 1099511628211ull;
      }
    }
    sqlite3_finalize(stmt);
    digest += spec.table + ":" + std::to_string(rows) + ":" + std::to_string(hash) + ";";
  }
  return digest;
}

long long count_rows(const std::filesystem::path& db_path, const std::string& table) {
  Db db(db_path);
  sqlite3_stmt* stmt = nullptr;
  const std::string sql = "SELECT count(*) FROM " + table;
  if (sqlite3_prepare_v2(db.handle, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) return -1;
  long long n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  return n;
}

std::string integrity_check(const std::filesystem::path& db_path) {
  Db db(db_path);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db.handle, "PRAGMA integrity_check", -1, &stmt, nullptr);
  std::string out = sqlite3_step(stmt) == SQLITE_ROW
                        ? reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))
                        : "no answer";
  sqlite3_finalize(stmt);
  return out;
}

std::filesystem::path case_dir(const std::string& relative) {
  return std::filesystem::path(CAREFORCE_SOURCE_DIR) / "tests" / "cases" / relative;
}

}  // namespace careforce::testing
