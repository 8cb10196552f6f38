#pragma once
// A submission: a folder or a .zip of CSV files, listed and hashed before anything is read.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/result.hpp"
#include "core/schema.hpp"
#include "ingest/byte_stream.hpp"

namespace careforce::ingest {

/// Size of the chunks files are read in.
inline constexpr size_t kChunkSize = 64 * 1024;

struct SubmissionFile {
  std::string name;                ///< File name, e.g. "staff_in_post.csv".
  std::string location;            ///< Path on disk, or entry path inside the zip.
  uint64_t size = 0;               ///< Bytes.
  std::string sha256;              ///< Lower-case hex digest of the file's bytes.
  const FileSpec* spec = nullptr;  ///< The standard's declaration; nullptr if unknown.
};

enum class SubmissionKind : uint8_t { folder, zip, memory };

struct Submission {
  std::filesystem::path source;
  SubmissionKind kind = SubmissionKind::folder;
  std::vector<SubmissionFile> files;  ///< Every file found, sorted by name.
  std::vector<Finding> findings;      ///< Found while listing: unknown files (warnings), files
                                      ///< named in another letter case (errors).
  std::string sha256;  ///< Hash over the sorted (name, file hash) pairs of the standard's files.
  std::map<std::string, std::string, std::less<>> memory;  ///< Contents (kind memory only).

  /// The file of the standard with this name, or nullptr when absent.
  const SubmissionFile* find(std::string_view file_name) const;
  /// Open a file of this submission for reading in chunks of at most kChunkSize.
  Result<std::unique_ptr<ByteStream>> open(const SubmissionFile& file) const;
  /// Call `consume` with each chunk of the file in order; stop at the first error.
  Status for_each_chunk(const SubmissionFile& file,
                        const std::function<Status(std::string_view)>& consume) const;
  /// The (file name, sha256) pairs of the standard's files, sorted by name.
  std::vector<std::pair<std::string, std::string>> file_hashes() const;
};

/// List and hash a submission folder or .zip (files may sit in one top-level folder).
Result<Submission> open_submission(const std::filesystem::path& path);
/// Build a submission from file contents held in memory (tests, fuzzing, the API).
Submission memory_submission(std::map<std::string, std::string, std::less<>> files);

/// Return the lower-case hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace careforce::ingest
