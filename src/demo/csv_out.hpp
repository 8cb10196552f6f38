#pragma once
// A buffered CSV file writer with fast number and date formatting for large demo files.

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::demo {

class CsvOut {
 public:
  CsvOut() = default;
  CsvOut(const CsvOut&) = delete;
  CsvOut& operator=(const CsvOut&) = delete;
  ~CsvOut();

  /// Create the file and write the header row.
  Status open(const std::string& path, std::string_view header);
  /// Flush and close; reports a write failure.
  Status close();

  CsvOut& text(std::string_view value) {
    sep();
    buffer_.append(value);
    return *this;
  }
  /// Append to the current field (no separator), e.g. an assignment number's "-2".
  CsvOut& text_tail(std::string_view value) {
    buffer_.append(value);
    return *this;
  }
  CsvOut& integer_tail(int64_t value);
  CsvOut& blank() {
    sep();
    return *this;
  }
  CsvOut& integer(int64_t value);
  /// Non-negative value with exactly `decimals` decimals (rounded half up).
  CsvOut& fixed(double value, int decimals);
  /// Non-negative value with up to two decimals, trailing zeros dropped to one (1.0, 0.55).
  CsvOut& fte(double value);
  CsvOut& date(Date value);
  CsvOut& period(Month value);
  /// 16 lowercase hex digits.
  CsvOut& hex16(uint64_t value);
  void end_row() {
    buffer_.push_back('\n');
    first_ = true;
    ++rows_;
    if (buffer_.size() >= kFlushAt) flush();
  }
  uint64_t rows() const { return rows_; }

 private:
  static constexpr size_t kFlushAt = 1 << 22;
  void sep() {
    if (!first_) buffer_.push_back(',');
    first_ = false;
  }
  void flush();

  std::FILE* file_ = nullptr;
  std::string buffer_;
  std::string path_;
  bool first_ = true;
  bool failed_ = false;
  uint64_t rows_ = 0;
};

}  // namespace careforce::demo
