#pragma once
// Streaming RFC 4180 reader: records come out one at a time as string_views into a buffer
// that holds at most one record plus one chunk, whatever the file size.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/result.hpp"
#include "ingest/byte_stream.hpp"

namespace careforce::ingest {

struct CsvOptions {
  size_t max_record_bytes = 1 << 20;  ///< A longer record stops the file (memory bound).

  Status validate() const;
};

/// Reads records from a ByteStream. The first record is the header: later records whose
/// field count differs from it get a "field_count" finding. Blank lines are skipped.
class CsvReader {
 public:
  CsvReader(ByteStream& in, std::string file_name, CsvOptions options = {});

  /// Advance to the next record; false at the end. Views from the previous record die here.
  Result<bool> next();

  /// Physical 1-based line where the current record starts.
  uint64_t line() const { return line_; }
  /// 0 for the header, then 1, 2, ... for the data records.
  uint64_t record_number() const { return record_number_; }
  size_t size() const { return views_.size(); }
  std::string_view field(size_t i) const { return views_[i]; }
  std::span<const std::string_view> fields() const { return views_; }
  /// Physical line where field `i` starts (differs from line() after embedded newlines).
  uint64_t field_line(size_t i) const { return line_ + fields_[i].line_offset; }
  /// The record's text as it appears in the file, without its line ending.
  std::string_view raw() const {
    return {buf_.data() + record_begin_, record_end_ - record_begin_};
  }
  /// Syntax problems of the current record (invalid UTF-8, quotes, field count).
  const std::vector<Finding>& findings() const { return findings_; }
  bool has_errors() const { return !findings_.empty(); }
  /// Number of fields in the header (0 before the first record).
  size_t header_size() const { return header_size_; }
  const std::string& file_name() const { return file_name_; }

 private:
  struct FieldRef {
    uint32_t begin = 0;  ///< Offset into buf_ or scratch_.
    uint32_t length = 0;
    uint32_t raw_begin = 0;  ///< Offset of the field's first byte from record_begin_.
    uint32_t line_offset = 0;
    bool in_scratch = false;
  };
  enum class Parse : uint8_t { complete, need_more };

  Status fill();
  Parse parse_record(size_t start);
  void check_utf8();
  void add_finding(const char* kind, uint32_t column, uint64_t line, std::string value,
                   std::string message, std::string expected);

  ByteStream& in_;
  std::string file_name_;
  CsvOptions options_;
  std::string buf_;
  size_t pos_ = 0;  ///< First unconsumed byte of buf_.
  bool eof_ = false;
  bool started_ = false;
  uint64_t next_line_ = 1;
  uint64_t line_ = 0;
  uint64_t record_number_ = 0;
  uint64_t records_ = 0;
  size_t header_size_ = 0;
  size_t record_begin_ = 0;
  size_t record_end_ = 0;
  size_t consumed_ = 0;
  uint64_t newlines_ = 0;
  std::string scratch_;
  std::vector<FieldRef> fields_;
  std::vector<std::string_view> views_;
  std::vector<Finding> findings_;
};

/// Copy at most `max_bytes` of `value` for a finding: cut on a character boundary, with each
/// invalid UTF-8 byte shown as '?', so reports and JSON always hold valid text.
std::string clip_value(std::string_view value, size_t max_bytes = 80);

/// Check that `text` is valid UTF-8; return the offset of the first bad byte or npos.
size_t find_invalid_utf8(std::string_view text);

}  // namespace careforce::ingest
