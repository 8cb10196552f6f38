#include "demo/csv_out.hpp"

namespace careforce::demo {
namespace {

void append_digits(std::string& out, uint64_t value, int min_width) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  while (n < min_width) digits[n++] = '0';
  while (n > 0) out.push_back(digits[--n]);
}

}  // namespace

CsvOut::~CsvOut() {
  if (file_ != nullptr) std::fclose(file_);
}

Status CsvOut::open(const std::string& path, std::string_view header) {
  path_ = path;
  file_ = std::fopen(path.c_str(), "wb");
  if (file_ == nullptr) return make_error(ErrorCode::io_error, "cannot create '" + path + "'");
  buffer_.reserve(kFlushAt + 4096);
  buffer_.append(header);
  buffer_.push_back('\n');
  return Status::ok();
}

void CsvOut::flush() {
  if (file_ == nullptr) return;
  if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
    failed_ = true;
  buffer_.clear();
}

Status CsvOut::close() {
  flush();
  if (file_ != nullptr && std::fclose(file_) != 0) failed_ = true;
  file_ = nullptr;
  if (failed_) return make_error(ErrorCode::io_error, "cannot write '" + path_ + "'");
  return Status::ok();
}

CsvOut& CsvOut::integer(int64_t value) {
  sep();
  if (value < 0) {
    buffer_.push_back('-');
    append_digits(buffer_, static_cast<uint64_t>(-value), 1);
  } else {
    append_digits(buffer_, static_cast<uint64_t>(value), 1);
  }
  return *this;
}

CsvOut& CsvOut::integer_tail(int64_t value) {
  append_digits(buffer_, static_cast<uint64_t>(value < 0 ? 0 : value), 1);
  return *this;
}

CsvOut& CsvOut::fixed(double value, int decimals) {
  sep();
  uint64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const auto scaled = static_cast<uint64_t>(value * static_cast<double>(scale) + 0.5);
  append_digits(buffer_, scaled / scale, 1);
  if (decimals > 0) {
    buffer_.push_back('.');
    append_digits(buffer_, scaled % scale, decimals);
  }
  return *this;
}

CsvOut& CsvOut::fte(double value) {
  sep();
  const auto hundredths = static_cast<uint64_t>(value * 100.0 + 0.5);
  append_digits(buffer_, hundredths / 100, 1);
  buffer_.push_back('.');
  const uint64_t frac = hundredths % 100;
  if (frac % 10 == 0)
    append_digits(buffer_, frac / 10, 1);
  else
    append_digits(buffer_, frac, 2);
  return *this;
}

CsvOut& CsvOut::date(Date value) {
  sep();
  const YearMonthDay ymd = value.ymd();
  append_digits(buffer_, static_cast<uint64_t>(ymd.year), 4);
  buffer_.push_back('-');
  append_digits(buffer_, static_cast<uint64_t>(ymd.month), 2);
  buffer_.push_back('-');
  append_digits(buffer_, static_cast<uint64_t>(ymd.day), 2);
  return *this;
}

CsvOut& CsvOut::period(Month value) {
  sep();
  append_digits(buffer_, static_cast<uint64_t>(value.year()), 4);
  buffer_.push_back('-');
  append_digits(buffer_, static_cast<uint64_t>(value.month()), 2);
  return *this;
}

CsvOut& CsvOut::hex16(uint64_t value) {
  sep();
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) buffer_.push_back(kHex[(value >> shift) & 15]);
  return *this;
}

}  // namespace careforce::demo
