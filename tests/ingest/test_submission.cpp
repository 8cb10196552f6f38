#include "ingest/submission.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/memory_sink.hpp"
#include "ingest/validator.hpp"

namespace careforce::ingest {
namespace {

namespace fs = std::filesystem;

class SubmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(CAREFORCE_BINARY_DIR) / "test-submission" /
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void write(const fs::path& path, std::string_view text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  void zip(const fs::path& path, const std::vector<std::pair<std::string, std::string>>& files) {
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    ASSERT_EQ(archive_write_open_filename(a, path.c_str()), ARCHIVE_OK);
    for (const auto& [name, text] : files) {
      archive_entry* e = archive_entry_new();
      archive_entry_set_pathname(e, name.c_str());
      archive_entry_set_size(e, static_cast<la_int64_t>(text.size()));
      archive_entry_set_filetype(e, AE_IFREG);
      archive_entry_set_perm(e, 0644);
      archive_write_header(a, e);
      archive_write_data(a, text.data(), text.size());
      archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
  }
  std::string read_all(const Submission& s, const SubmissionFile& f) {
    std::string out;
    size_t chunks = 0;
    EXPECT_TRUE(s.for_each_chunk(f, [&](std::string_view c) {
                   EXPECT_LE(c.size(), kChunkSize);
                   out += c;
                   ++chunks;
                   return Status::ok();
                 }).is_ok());
    EXPECT_EQ(chunks, (out.size() + kChunkSize - 1) / kChunkSize);
    return out;
  }
  fs::path dir_;
};

const std::string kOrgs = "org_code,org_name,sector,place,data_level\nRWH,R,acute,P,record\n";

TEST(Sha256, MatchesTheStandardTestVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(SubmissionTest, ListsAFolderAndWarnsAboutUnknownFiles) {
  write(dir_ / "organisations.csv", kOrgs);
  write(dir_ / "notes.csv", "x\n");
  write(dir_ / ".DS_Store", "junk");
  auto s = open_submission(dir_);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  ASSERT_EQ(s->files.size(), 2u);
  EXPECT_EQ(s->files[0].name, "notes.csv");
  EXPECT_EQ(s->files[0].spec, nullptr);
  ASSERT_NE(s->find("organisations.csv"), nullptr);
  EXPECT_EQ(s->find("organisations.csv")->sha256, sha256_hex(kOrgs));
  EXPECT_EQ(s->find("notes.csv"), nullptr);
  ASSERT_EQ(s->findings.size(), 1u);
  EXPECT_EQ(s->findings[0].severity, Severity::warning);
  EXPECT_EQ(s->findings[0].file, "notes.csv");
  EXPECT_EQ(s->findings[0].message, "unknown file, ignored");
}

TEST_F(SubmissionTest, ZipWithATopLevelFolderMatchesTheFolder) {
  const std::string big(200000, 'x');  // several chunks
  write(dir_ / "folder/organisations.csv", kOrgs);
  write(dir_ / "folder/population.csv", big);
  zip(dir_ / "s.zip", {{"export/organisations.csv", kOrgs}, {"export/population.csv", big}});
  auto folder = open_submission(dir_ / "folder");
  auto zipped = open_submission(dir_ / "s.zip");
  ASSERT_TRUE(folder.is_ok()) << folder.error().message;
  ASSERT_TRUE(zipped.is_ok()) << zipped.error().message;
  EXPECT_EQ(zipped->kind, SubmissionKind::zip);
  EXPECT_EQ(zipped->sha256, folder->sha256);
  EXPECT_EQ(zipped->file_hashes(), folder->file_hashes());
  ASSERT_NE(zipped->find("population.csv"), nullptr);
  EXPECT_EQ(zipped->find("population.csv")->size, big.size());
  EXPECT_EQ(read_all(*zipped, *zipped->find("population.csv")), big);
  EXPECT_EQ(read_all(*folder, *folder->find("population.csv")), big);
  EXPECT_EQ(read_all(*zipped, *zipped->find("organisations.csv")), kOrgs);
}

TEST_F(SubmissionTest, HashChangesWithAnyFile) {
  write(dir_ / "a/organisations.csv", kOrgs);
  write(dir_ / "b/organisations.csv", kOrgs + "X,Y,acute,P,record\n");
  auto a = open_submission(dir_ / "a");
  auto b = open_submission(dir_ / "b");
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_NE(a->sha256, b->sha256);
  EXPECT_EQ(a->sha256.size(), 64u);
}

TEST_F(SubmissionTest, ReportsMissingAndDamagedInputs) {
  auto missing = open_submission(dir_ / "nothing");
  ASSERT_FALSE(missing.is_ok());
  EXPECT_EQ(missing.error().code, ErrorCode::not_found);
  write(dir_ / "bad.zip", "this is not a zip");
  auto bad = open_submission(dir_ / "bad.zip");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.error().code, ErrorCode::parse_error);
}

TEST(MemorySubmission, ServesItsFilesInChunks) {
  Submission s = memory_submission({{"organisations.csv", kOrgs}});
  ASSERT_NE(s.find("organisations.csv"), nullptr);
  auto in = s.open(*s.find("organisations.csv"));
  ASSERT_TRUE(in.is_ok());
  EXPECT_EQ(*(*in)->read(), kOrgs);
  EXPECT_TRUE((*in)->read()->empty());
}

}  // namespace
}  // namespace careforce::ingest

namespace careforce::ingest {
namespace {

// The full valid case, zipped inside a top-level folder, validates like the folder itself.
TEST_F(SubmissionTest, ZippedSubmissionValidatesLikeItsFolder) {
  const fs::path cases = fs::path(CAREFORCE_SOURCE_DIR) / "tests/cases/valid/all-files";
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& e : fs::directory_iterator(cases)) {
    std::ifstream in(e.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    files.emplace_back("all-files/" + e.path().filename().string(), text.str());
  }
  zip(dir_ / "all.zip", files);
  auto zipped = open_submission(dir_ / "all.zip");
  auto folder = open_submission(cases);
  ASSERT_TRUE(zipped.is_ok() && folder.is_ok());
  EXPECT_EQ(zipped->sha256, folder->sha256);
  testing::MemorySink a, b;
  auto from_zip = validate_submission(*zipped, {}, {}, a);
  auto from_folder = validate_submission(*folder, {}, {}, b);
  ASSERT_TRUE(from_zip.is_ok() && from_folder.is_ok());
  EXPECT_EQ(from_zip->errors, 0u);
  ASSERT_EQ(a.rows.size(), b.rows.size());
  for (size_t i = 0; i < a.rows.size(); ++i) EXPECT_EQ(a.rows[i].values, b.rows[i].values);
}

}  // namespace
}  // namespace careforce::ingest
