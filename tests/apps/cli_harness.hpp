#pragma once
// Run the built CLI as a user would and look at the database it leaves behind.

#include <filesystem>
#include <string>
#include <vector>

namespace careforce::testing {

struct CliRun {
  int exit_code = -1;     ///< Exit status, or -1 when killed by a signal.
  int signal = 0;         ///< Signal that killed the process, if any.
  std::string output;     ///< stdout and stderr together.
};

/// Run `careforce <args>` (the binary named by $CAREFORCE_CLI).
CliRun run_cli(const std::vector<std::string>& args);

/// A fresh empty directory under the test temp dir, removed at destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& name);
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& child) const { return path_ / child; }

 private:
  std::filesystem::path path_;
};

/// A digest of every data table's rows (not the history): equal digests = untouched data.
std::string data_digest(const std::filesystem::path& db);
/// Count rows of a table.
long long count_rows(const std::filesystem::path& db, const std::string& table);
/// Run PRAGMA integrity_check and return its answer ("ok" when sound).
std::string integrity_check(const std::filesystem::path& db);

/// Path of a folder under tests/cases.
std::filesystem::path case_dir(const std::string& relative);

}  // namespace careforce::testing
