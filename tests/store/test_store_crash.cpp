// A process killed during an import must leave the store exactly as it was.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "store_test_util.hpp"

namespace careforce::store {
namespace {

using testing::count;
using testing::meta;
using testing::organisation;
using testing::query_text;
using testing::staff;
using testing::TempDatabase;

#if defined(__SANITIZE_ADDRESS__)
constexpr int kCrashRows = 50000;  // sanitizers are ~10x slower; keep the suite short
constexpr int kCommitRows = 5000;
#else
constexpr int kCrashRows = 200000;
constexpr int kCommitRows = 20000;
#endif

/// What a reader can see of the store, for before/after comparisons.
struct Snapshot {
  int64_t organisations = 0, staff_in_post = 0, submissions = 0;
  std::string history;
  bool operator==(const Snapshot&) const = default;
};

Snapshot snapshot(const std::string& path) {
  return {count(path, "organisations"), count(path, "staff_in_post"), count(path, "submissions"),
          query_text(path,
                     "SELECT group_concat(id || ':' || outcome || ':' || sha256) FROM "
                     "submissions")};
}

/// Import `rows` staff rows of a fresh month for org RAA; returns false on any failure.
bool import_rows(Store& store, const std::string& sha, int rows, const char* snapshot_date,
                 std::atomic<bool>* committing = nullptr) {
  auto session = store.begin_import(meta(sha));
  if (!session) return false;
  const FileSpec& sip = file_spec(FileKind::staff_in_post);
  if (!(*session)->add_row(file_spec(FileKind::organisations), organisation("RAA", "A"), 2))
    return false;
  for (int i = 0; i < rows; ++i) {
    const std::string person = "person-" + std::to_string(i);
    if (!(*session)->add_row(sip, staff("RAA", snapshot_date, person.c_str(), person.c_str()),
                             static_cast<uint64_t>(i + 2)))
      return false;
  }
  if (committing) committing->store(true);
  return (*session)->commit(SubmissionOutcome::accepted, {}, {}).is_ok();
}

/// Seed the store with one committed submission and return its snapshot.
Snapshot seed(const std::string& path) {
  auto store = open_store(path);
  EXPECT_TRUE(store.is_ok());
  EXPECT_TRUE(import_rows(**store, "seed", 100, "2024-01-31"));
  return snapshot(path);
}

TEST(StoreCrash, AProcessKilledBeforeCommitLeavesTheStoreAsItWas) {
  TempDatabase db;
  const Snapshot before = seed(db.path());
  ASSERT_EQ(before.staff_in_post, 100);

  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    StoreOptions small_cache;
    small_cache.cache_size_mib = 1;  // the transaction spills pages into the WAL
    auto store = open_store(db.path(), small_cache);
    if (!store) _exit(2);
    auto session = (*store)->begin_import(meta("doomed"));
    if (!session) _exit(3);
    const FileSpec& sip = file_spec(FileKind::staff_in_post);
    // Replaces January (deleting the seeded rows inside the transaction), then adds more.
    for (int i = 0; i < kCrashRows; ++i) {
      const std::string person = "p" + std::to_string(i);
      const char* date = i % 2 ? "2024-01-31" : "2024-02-29";
      if (!(*session)->add_row(sip, staff("RAA", date, person.c_str(), person.c_str()),
                               static_cast<uint64_t>(i + 2)))
        _exit(4);
    }
    raise(SIGKILL);
    _exit(5);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  // Pages the killed transaction spilled to the WAL must be ignored on reopening.
  const auto wal = std::filesystem::exists(db.path() + "-wal")
                       ? std::filesystem::file_size(db.path() + "-wal")
                       : 0;
  EXPECT_GT(wal, 1'000'000u);

  auto store = open_store(db.path());
  ASSERT_TRUE(store.is_ok()) << store.error().message;
  EXPECT_EQ(query_text(db.path(), "PRAGMA integrity_check"), "ok");
  EXPECT_EQ(snapshot(db.path()), before);
  ASSERT_TRUE(import_rows(**store, "after", 10, "2024-02-29"));
  EXPECT_EQ(count(db.path(), "staff_in_post"), 110);
  EXPECT_EQ((*store)->submissions()->size(), 2u);
}

TEST(StoreCrash, AProcessKilledDuringCommitLeavesAllOrNothing) {
  TempDatabase db;
  const Snapshot before = seed(db.path());
  // Kill at different moments after commit() starts; each outcome must be whole.
  const std::pair<int, const char*> rounds[] = {
      {0, "2024-03-31"}, {200, "2024-04-30"}, {2000, "2024-05-31"}, {20000, "2024-06-30"}};
  int committed_rounds = 0;
  for (const auto& [delay_us, month_end] : rounds) {
    const Snapshot start = snapshot(db.path());
    const std::string sha = "during-" + std::to_string(delay_us);
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      StoreOptions small_cache;
      small_cache.cache_size_mib = 1;
      auto store = open_store(db.path(), small_cache);
      if (!store) _exit(2);
      std::atomic<bool> committing{false};
      std::thread killer([&committing, delay = delay_us] {
        while (!committing.load()) std::this_thread::yield();
        std::this_thread::sleep_for(std::chrono::microseconds(delay));
        raise(SIGKILL);
      });
      import_rows(**store, sha, kCommitRows, month_end, &committing);
      killer.join();  // never returns: the killer ends the process
      _exit(0);
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status));
    EXPECT_EQ(query_text(db.path(), "PRAGMA integrity_check"), "ok");
    const Snapshot after = snapshot(db.path());
    if (after == start) continue;  // killed before the commit was durable
    // Committed: the new submission is whole, with all its rows.
    ++committed_rounds;
    EXPECT_EQ(after.submissions, start.submissions + 1);
    EXPECT_EQ(after.staff_in_post, start.staff_in_post + kCommitRows);
    EXPECT_EQ(query_text(db.path(), "SELECT count(*) FROM submissions WHERE sha256='" + sha +
                                        "' AND outcome='accepted'"),
              "1");
  }
  RecordProperty("committed_rounds", committed_rounds);  // varies with timing
  auto store = open_store(db.path());
  ASSERT_TRUE(store.is_ok());
  EXPECT_TRUE(import_rows(**store, "final", 5, "2024-12-31"));
  EXPECT_GE(count(db.path(), "staff_in_post"), before.staff_in_post + 5);
}

}  // namespace
}  // namespace careforce::store
