#include "ingest/submission.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <openssl/evp.h>

#include <algorithm>
#include <fstream>

namespace careforce::ingest {

namespace fs = std::filesystem;

namespace {

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(ctx_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }
  std::string hex() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_, digest, &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 15];
    }
    return out;
  }

 private:
  EVP_MD_CTX* ctx_;
};

class FileStream : public ByteStream {
 public:
  explicit FileStream(const fs::path& path) : in_(path, std::ios::binary), buffer_(kChunkSize) {}
  bool is_open() const { return in_.is_open(); }
  Result<std::string_view> read() override {
    if (!in_) return std::string_view{};
    in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    if (in_.bad()) return make_error(ErrorCode::io_error, "could not read a submission file");
    return std::string_view(buffer_.data(), static_cast<size_t>(in_.gcount()));
  }

 private:
  std::ifstream in_;
  std::vector<char> buffer_;
};

struct ArchiveCloser {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveCloser>;

Result<ArchivePtr> open_zip(const fs::path& path) {
  ArchivePtr a(archive_read_new());
  archive_read_support_format_zip(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), kChunkSize) != ARCHIVE_OK)
    return make_error(ErrorCode::parse_error, "the file is not a readable zip archive",
                      path.string() + ": " + archive_error_string(a.get()));
  return a;
}

class ZipStream : public ByteStream {
 public:
  explicit ZipStream(ArchivePtr a) : archive_(std::move(a)), buffer_(kChunkSize) {}
  Result<std::string_view> read() override {
    const la_ssize_t n = archive_read_data(archive_.get(), buffer_.data(), buffer_.size());
    if (n < 0)
      return make_error(ErrorCode::io_error, "could not read a file inside the zip",
                        archive_error_string(archive_.get()));
    return std::string_view(buffer_.data(), static_cast<size_t>(n));
  }

 private:
  ArchivePtr archive_;
  std::vector<char> buffer_;
};

bool ignorable(std::string_view path) {
  if (path.starts_with("__MACOSX/")) return true;
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  return base.empty() || base.starts_with(".");
}

std::string standard_file_names() {
  std::string out;
  for (const auto& spec : data_standard_files()) {
    if (!out.empty()) out += ", ";
    out += spec.file_name;
  }
  return out;
}

/// The standard's file `name` names when letter case is ignored (and is not exact), or null.
const FileSpec* case_variant_file(std::string_view name) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  for (const auto& spec : data_standard_files()) {
    if (spec.file_name.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k)
      same = lower(spec.file_name[k]) == lower(name[k]);
    if (same) return &spec;
  }
  return nullptr;
}

Status finish_listing(Submission& s) {
  std::sort(s.files.begin(), s.files.end(),
            [](const SubmissionFile& a, const SubmissionFile& b) { return a.name < b.name; });
  for (size_t i = 1; i < s.files.size(); ++i)
    if (s.files[i].name == s.files[i - 1].name)
      return make_error(ErrorCode::invalid_argument,
                        "the submission holds two files named " + s.files[i].name);
  Sha256 total;
  for (auto& f : s.files) {
    f.spec = find_file_spec(f.name);
    if (!f.spec) {
      if (const FileSpec* meant = case_variant_file(f.name)) {
        // `Staff_In_Post.CSV`: plainly meant as a file of the standard. Ignoring it would
        // drop its rows silently, so it is an error that names the exact file name.
        s.findings.push_back({Severity::error, "misnamed_file", f.name, 0, 0, "", "",
                              "file name differs from the standard's " + meant->file_name +
                                  " only in letter case; it was not read",
                              "the file named exactly " + meant->file_name});
        continue;
      }
      s.findings.push_back({Severity::warning, "unknown_file", f.name, 0, 0, "", "",
                            "unknown file, ignored", "one of " + standard_file_names()});
      continue;
    }
    total.update(f.name);
    total.update(std::string_view("\0", 1));
    total.update(f.sha256);
    total.update("\n");
  }
  s.sha256 = total.hex();
  return Status::ok();
}

Status hash_stream(ByteStream& in, SubmissionFile& file) {
  Sha256 hash;
  file.size = 0;
  for (;;) {
    CF_ASSIGN_OR_RETURN(std::string_view chunk, in.read());
    if (chunk.empty()) break;
    hash.update(chunk);
    file.size += chunk.size();
  }
  file.sha256 = hash.hex();
  return Status::ok();
}

Result<Submission> open_folder(const fs::path& path) {
  fs::path root = path;
  std::error_code ec;
  // A folder holding nothing but one folder (as unzipping often leaves it) is read inside.
  for (int depth = 0; depth < 2; ++depth) {
    std::vector<fs::path> dirs;
    bool has_files = false;
    for (const auto& entry : fs::directory_iterator(root, ec)) {
      if (ignorable(entry.path().filename().string())) continue;
      if (entry.is_directory())
        dirs.push_back(entry.path());
      else
        has_files = true;
    }
    if (ec) return make_error(ErrorCode::io_error, "could not list the folder", root.string());
    if (has_files || dirs.size() != 1) break;
    root = dirs.front();
  }
  Submission s;
  s.source = path;
  s.kind = SubmissionKind::folder;
  for (const auto& entry : fs::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    if (ignorable(name) || !entry.is_regular_file()) continue;
    SubmissionFile file{name, entry.path().string(), 0, "", nullptr};
    FileStream in(entry.path());
    if (!in.is_open())
      return make_error(ErrorCode::io_error, "could not open " + name, file.location);
    CF_RETURN_IF_ERROR(hash_stream(in, file));
    s.files.push_back(std::move(file));
  }
  if (ec) return make_error(ErrorCode::io_error, "could not list the folder", root.string());
  CF_RETURN_IF_ERROR(finish_listing(s));
  return s;
}

Result<Submission> open_zip_submission(const fs::path& path) {
  CF_ASSIGN_OR_RETURN(ArchivePtr a, open_zip(path));
  Submission s;
  s.source = path;
  s.kind = SubmissionKind::zip;
  archive_entry* entry = nullptr;
  for (;;) {
    const int rc = archive_read_next_header(a.get(), &entry);
    if (rc == ARCHIVE_EOF) break;
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
      return make_error(ErrorCode::parse_error, "the zip archive is damaged",
                        archive_error_string(a.get()));
    const char* name = archive_entry_pathname(entry);
    if (!name || archive_entry_filetype(entry) != AE_IFREG || ignorable(name)) continue;
    SubmissionFile file{"", name, 0, "", nullptr};
    Sha256 hash;
    std::vector<char> buffer(kChunkSize);
    for (;;) {
      const la_ssize_t n = archive_read_data(a.get(), buffer.data(), buffer.size());
      if (n < 0)
        return make_error(ErrorCode::parse_error, "could not read " + file.location + " in the zip",
                          archive_error_string(a.get()));
      if (n == 0) break;
      hash.update(std::string_view(buffer.data(), static_cast<size_t>(n)));
      file.size += static_cast<uint64_t>(n);
    }
    file.sha256 = hash.hex();
    s.files.push_back(std::move(file));
  }
  // Files may all sit in one top-level folder.
  std::string prefix;
  if (!s.files.empty()) {
    const size_t slash = s.files.front().location.find('/');
    if (slash != std::string::npos) prefix = s.files.front().location.substr(0, slash + 1);
    for (const auto& f : s.files)
      if (!prefix.empty() && !f.location.starts_with(prefix)) prefix.clear();
  }
  for (auto& f : s.files) f.name = f.location.substr(prefix.size());
  CF_RETURN_IF_ERROR(finish_listing(s));
  return s;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  Sha256 hash;
  hash.update(data);
  return hash.hex();
}

const SubmissionFile* Submission::find(std::string_view file_name) const {
  for (const auto& f : files)
    if (f.spec && f.name == file_name) return &f;
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> Submission::file_hashes() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : files)
    if (f.spec) out.emplace_back(f.name, f.sha256);
  return out;
}

Result<std::unique_ptr<ByteStream>> Submission::open(const SubmissionFile& file) const {
  switch (kind) {
    case SubmissionKind::memory: {
      auto it = memory.find(file.name);
      if (it == memory.end()) return make_error(ErrorCode::not_found, "no file " + file.name);
      return std::unique_ptr<ByteStream>(std::make_unique<MemoryStream>(it->second, kChunkSize));
    }
    case SubmissionKind::folder: {
      auto in = std::make_unique<FileStream>(file.location);
      if (!in->is_open())
        return make_error(ErrorCode::io_error, "could not open " + file.name, file.location);
      return std::unique_ptr<ByteStream>(std::move(in));
    }
    case SubmissionKind::zip: {
      CF_ASSIGN_OR_RETURN(ArchivePtr a, open_zip(source));
      archive_entry* entry = nullptr;
      for (;;) {
        const int rc = archive_read_next_header(a.get(), &entry);
        if (rc == ARCHIVE_EOF) break;
        if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
          return make_error(ErrorCode::parse_error, "the zip archive is damaged",
                            archive_error_string(a.get()));
        const char* name = archive_entry_pathname(entry);
        if (name && file.location == name)
          return std::unique_ptr<ByteStream>(std::make_unique<ZipStream>(std::move(a)));
      }
      return make_error(ErrorCode::not_found, "the zip no longer holds " + file.name);
    }
  }
  return make_error(ErrorCode::internal, "unknown submission kind");
}

Status Submission::for_each_chunk(const SubmissionFile& file,
                                  const std::function<Status(std::string_view)>& consume) const {
  CF_ASSIGN_OR_RETURN(std::unique_ptr<ByteStream> in, open(file));
  for (;;) {
    CF_ASSIGN_OR_RETURN(std::string_view chunk, in->read());
    if (chunk.empty()) return Status::ok();
    CF_RETURN_IF_ERROR(consume(chunk));
  }
}

Result<Submission> open_submission(const fs::path& path) {
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status))
    return make_error(ErrorCode::not_found, "the submission does not exist", path.string());
  if (fs::is_directory(status)) return open_folder(path);
  if (fs::is_regular_file(status)) return open_zip_submission(path);
  return make_error(ErrorCode::invalid_argument, "a submission is a folder or a .zip file",
                    path.string());
}

Submission memory_submission(std::map<std::string, std::string, std::less<>> files) {
  Submission s;
  s.kind = SubmissionKind::memory;
  s.source = "<memory>";
  s.memory = std::move(files);
  for (const auto& [name, content] : s.memory)
    s.files.push_back({name, name, content.size(), sha256_hex(content), nullptr});
  Status status = finish_listing(s);  // names are unique keys of the map: cannot fail
  assert(status.is_ok());
  (void)status;
  return s;
}

}  // namespace careforce::ingest
