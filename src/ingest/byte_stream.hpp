#pragma once
// A file's bytes as a sequence of chunks, so any file is read in bounded memory.

#include <cstddef>
#include <string_view>

#include "core/result.hpp"

namespace careforce::ingest {

/// A pull source of bytes: each read() returns the next chunk; an empty chunk means the end.
class ByteStream {
 public:
  virtual ~ByteStream() = default;
  /// Return the next chunk (valid until the next call); empty at the end of the data.
  virtual Result<std::string_view> read() = 0;
};

/// Serve bytes already in memory in chunks of `chunk_size` (tests, fuzzing, small inputs).
class MemoryStream : public ByteStream {
 public:
  explicit MemoryStream(std::string_view data, size_t chunk_size = 65536)
      : data_(data), chunk_size_(chunk_size == 0 ? 1 : chunk_size) {}
  Result<std::string_view> read() override {
    const size_t n = data_.size() - pos_ < chunk_size_ ? data_.size() - pos_ : chunk_size_;
    std::string_view out = data_.substr(pos_, n);
    pos_ += n;
    return out;
  }

 private:
  std::string_view data_;
  size_t chunk_size_;
  size_t pos_ = 0;
};

}  // namespace careforce::ingest
