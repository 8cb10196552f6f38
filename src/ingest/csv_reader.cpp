#include "ingest/csv_reader.hpp"

#include <array>
#include <cstring>

namespace careforce::ingest {

namespace {

constexpr std::array<bool, 256> make_special() {
  std::array<bool, 256> t{};
  t[static_cast<unsigned char>(',')] = true;
  t[static_cast<unsigned char>('"')] = true;
  t[static_cast<unsigned char>('\n')] = true;
  t[static_cast<unsigned char>('\r')] = true;
  return t;
}
constexpr std::array<bool, 256> kSpecial = make_special();

std::string hex_byte(unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  return std::string("0x") + kHex[c >> 4] + kHex[c & 15];
}

}  // namespace

size_t find_invalid_utf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // Fast path: eight ASCII bytes at a time.
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if (word & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;  // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (s[i + 1] < lo || s[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k)
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    i += len;
  }
  return std::string_view::npos;
}

std::string clip_value(std::string_view value, size_t max_bytes) {
  std::string out;
  while (!value.empty()) {
    const size_t bad = find_invalid_utf8(value);
    const std::string_view good = value.substr(0, bad);
    if (out.size() + good.size() > max_bytes) {
      size_t n = max_bytes - out.size();
      while (n > 0 && (static_cast<unsigned char>(good[n]) & 0xC0) == 0x80) --n;
      out.append(good.substr(0, n));
      return out;
    }
    out.append(good);
    if (bad == std::string_view::npos) break;
    if (out.size() + 1 > max_bytes) break;
    out += '?';
    value.remove_prefix(bad + 1);
  }
  return out;
}

Status CsvOptions::validate() const {
  if (max_record_bytes < 64 || max_record_bytes > (size_t{1} << 30))
    return make_error(ErrorCode::invalid_argument,
                      "CsvOptions.max_record_bytes must be between 64 bytes and 1 GiB");
  return Status::ok();
}

CsvReader::CsvReader(ByteStream& in, std::string file_name, CsvOptions options)
    : in_(in), file_name_(std::move(file_name)), options_(options) {
  fields_.reserve(32);
  views_.reserve(32);
}

Status CsvReader::fill() {
  if (pos_ > 0) {
    buf_.erase(0, pos_);
    pos_ = 0;
  }
  CF_ASSIGN_OR_RETURN(std::string_view chunk, in_.read());
  if (chunk.empty())
    eof_ = true;
  else
    buf_.append(chunk);
  return Status::ok();
}

void CsvReader::add_finding(const char* kind, uint32_t column, uint64_t line, std::string value,
                            std::string message, std::string expected) {
  findings_.push_back({Severity::error, kind, file_name_, line, column, "", clip_value(value),
                       std::move(message), std::move(expected)});
}

CsvReader::Parse CsvReader::parse_record(size_t start) {
  fields_.clear();
  findings_.clear();
  scratch_.clear();
  const char* b = buf_.data();
  const size_t n = buf_.size();
  size_t i = start;
  uint32_t nl = 0;
  for (;;) {
    FieldRef f;
    f.raw_begin = static_cast<uint32_t>(i - start);
    f.line_offset = nl;
    const uint32_t column = static_cast<uint32_t>(fields_.size() + 1);
    if (i < n && b[i] == '"') {
      ++i;
      const size_t content_begin = i;
      size_t content_end = 0;
      bool in_scratch = false;
      size_t scratch_begin = 0;
      bool closed = false;
      for (;;) {
        const size_t seg = i;
        while (i < n && b[i] != '"') {
          if (b[i] == '\n') {
            ++nl;
          } else if (b[i] == '\r') {
            if (i + 1 >= n && !eof_) return Parse::need_more;
            if (i + 1 >= n || b[i + 1] != '\n') ++nl;
          }
          ++i;
        }
        if (in_scratch) scratch_.append(b + seg, i - seg);
        if (i >= n) {
          if (!eof_) return Parse::need_more;
          content_end = n;
          break;
        }
        if (i + 1 >= n && !eof_) return Parse::need_more;
        if (i + 1 < n && b[i + 1] == '"') {
          if (!in_scratch) {
            in_scratch = true;
            scratch_begin = scratch_.size();
            scratch_.append(b + content_begin, i - content_begin);
          }
          scratch_ += '"';
          i += 2;
          continue;
        }
        content_end = i;
        ++i;
        closed = true;
        break;
      }
      if (!closed) {
        add_finding("unterminated_quote", column, line_ + f.line_offset, "",
                    "quoted field is not closed before the end of the file",
                    "a closing double quote");
      } else if (i < n && !kSpecial[static_cast<unsigned char>(b[i])]) {
        size_t k = i;
        while (k < n && (b[k] == ' ' || b[k] == '\t')) ++k;
        const bool only_spaces = k >= n || b[k] == ',' || b[k] == '\n' || b[k] == '\r';
        add_finding("text_after_quote", column, line_ + f.line_offset,
                    std::string(b + i, std::min<size_t>(n - i, 20)),
                    only_spaces ? "space after the closing double quote of a quoted field"
                                : "text after the closing quote of a quoted field",
                    "a comma or the end of the line after the closing quote");
      }
      if (closed && i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r') {
        if (!in_scratch) {
          in_scratch = true;
          scratch_begin = scratch_.size();
          scratch_.append(b + content_begin, content_end - content_begin);
        }
        while (i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r') scratch_ += b[i++];
        if (i >= n && !eof_) return Parse::need_more;
      }
      if (in_scratch) {
        f.in_scratch = true;
        f.begin = static_cast<uint32_t>(scratch_begin);
        f.length = static_cast<uint32_t>(scratch_.size() - scratch_begin);
      } else {
        f.begin = static_cast<uint32_t>(content_begin);
        f.length = static_cast<uint32_t>(content_end - content_begin);
      }
    } else {
      const size_t field_begin = i;
      while (i < n && !kSpecial[static_cast<unsigned char>(b[i])]) ++i;
      if (i < n && b[i] == '"') {
        bool only_spaces = true;
        for (size_t k = field_begin; k < i && only_spaces; ++k)
          only_spaces = b[k] == ' ' || b[k] == '\t';
        if (only_spaces)
          add_finding("stray_quote", column, line_ + f.line_offset,
                      std::string(b + field_begin, std::min<size_t>(i - field_begin + 1, 80)),
                      "space before the opening double quote of a quoted field",
                      "the opening quote right after the comma (RFC 4180 allows no spaces "
                      "around a quoted field)");
        else
          add_finding("stray_quote", column, line_ + f.line_offset,
                      std::string(b + field_begin, std::min<size_t>(i - field_begin + 1, 80)),
                      "double quote inside an unquoted field",
                      "the whole field in double quotes, with quotes inside doubled (\"\")");
        while (i < n && b[i] != ',' && b[i] != '\n' && b[i] != '\r') ++i;
      }
      if (i >= n && !eof_) return Parse::need_more;
      f.begin = static_cast<uint32_t>(field_begin);
      f.length = static_cast<uint32_t>(i - field_begin);
    }
    fields_.push_back(f);
    if (i >= n) {
      record_end_ = n;
      consumed_ = n;
      newlines_ = nl;
      return Parse::complete;
    }
    if (b[i] == ',') {
      ++i;
      continue;
    }
    record_end_ = i;
    if (b[i] == '\r') {
      if (i + 1 >= n && !eof_) return Parse::need_more;
      i += (i + 1 < n && b[i + 1] == '\n') ? 2 : 1;
    } else {
      ++i;
    }
    consumed_ = i;
    newlines_ = nl + 1;
    return Parse::complete;
  }
}

void CsvReader::check_utf8() {
  const std::string_view record = raw();
  size_t offset = 0;
  size_t field = 0;
  while (offset < record.size()) {
    const size_t bad = find_invalid_utf8(record.substr(offset));
    if (bad == std::string_view::npos) return;
    const size_t at = offset + bad;
    while (field + 1 < fields_.size() && fields_[field + 1].raw_begin <= at) ++field;
    const size_t in_field = at - fields_[field].raw_begin;
    add_finding("invalid_utf8", static_cast<uint32_t>(field + 1),
                line_ + fields_[field].line_offset,
                hex_byte(static_cast<unsigned char>(record[at])),
                "invalid UTF-8 byte " + hex_byte(static_cast<unsigned char>(record[at])) +
                    " at byte " + std::to_string(in_field + 1) +
                    " of the field (is the file saved as Windows-1252/ANSI?)",
                "text encoded as UTF-8 (in Excel: Save As \"CSV UTF-8\")");
    if (field + 1 >= fields_.size()) return;
    offset = fields_[++field].raw_begin;
  }
}

Result<bool> CsvReader::next() {
  if (!started_) {
    while (!eof_ && buf_.size() - pos_ < 3) CF_RETURN_IF_ERROR(fill());
    if (std::string_view(buf_).substr(pos_).starts_with("\xEF\xBB\xBF")) pos_ += 3;
    started_ = true;
  }
  for (;;) {
    if (pos_ >= buf_.size()) {
      if (eof_) {
        fields_.clear();
        views_.clear();
        findings_.clear();
        record_begin_ = record_end_ = pos_;
        return false;
      }
      CF_RETURN_IF_ERROR(fill());
      continue;
    }
    // Blank lines carry no record.
    const char c = buf_[pos_];
    if (c == '\n' || c == '\r') {
      if (c == '\r' && pos_ + 1 >= buf_.size() && !eof_) {
        CF_RETURN_IF_ERROR(fill());
        continue;
      }
      pos_ += (c == '\r' && pos_ + 1 < buf_.size() && buf_[pos_ + 1] == '\n') ? 2 : 1;
      ++next_line_;
      continue;
    }
    line_ = next_line_;
    if (parse_record(pos_) == Parse::complete) break;
    if (buf_.size() - pos_ >= options_.max_record_bytes)
      return make_error(ErrorCode::parse_error,
                        "a record is longer than " + std::to_string(options_.max_record_bytes) +
                            " bytes (an unclosed quote?)",
                        file_name_ + ":" + std::to_string(line_));
    CF_RETURN_IF_ERROR(fill());
  }
  record_begin_ = pos_;
  pos_ = consumed_;
  next_line_ += newlines_;
  views_.resize(fields_.size());
  for (size_t k = 0; k < fields_.size(); ++k) {
    const FieldRef& f = fields_[k];
    views_[k] =
        std::string_view((f.in_scratch ? scratch_.data() : buf_.data()) + f.begin, f.length);
  }
  check_utf8();
  record_number_ = records_++;
  if (record_number_ == 0) {
    header_size_ = fields_.size();
  } else if (fields_.size() != header_size_ &&
             (findings_.empty() || findings_.back().kind != "unterminated_quote")) {
    // (An unclosed quote swallows the rest of the file: its field count says nothing more.)
    const bool more = fields_.size() > header_size_;
    add_finding("field_count", static_cast<uint32_t>(more ? header_size_ + 1 : fields_.size() + 1),
                line_, "",
                "the row has " + std::to_string(fields_.size()) + " fields but the header has " +
                    std::to_string(header_size_),
                std::to_string(header_size_) + " fields");
  }
  return true;
}

}  // namespace careforce::ingest
