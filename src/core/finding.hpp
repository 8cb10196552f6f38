#pragma once
// Validation findings are data: collected, reported and stored, never thrown.

#include <cstdint>
#include <string>

namespace careforce {

enum class Severity : uint8_t { error, warning };

struct Finding {
  Severity severity = Severity::error;
  std::string kind;         ///< Stable machine name, e.g. "unknown_code", "bad_date".
  std::string file;         ///< File name inside the submission, e.g. "staff_in_post.csv".
  uint64_t line = 0;        ///< 1-based physical line; 0 for the whole file.
  uint32_t column = 0;      ///< 1-based column; 0 for the whole row or file.
  std::string column_name;  ///< Header name of the column, if known.
  std::string value;        ///< The raw value found (truncated to 80 characters).
  std::string message;      ///< What was found.
  std::string expected;     ///< What was expected (may list nearest valid codes).

  /// Format as `file:line:column: error: message (column 'x'); expected ...`.
  std::string format() const;
};

const char* severity_name(Severity severity);

}  // namespace careforce
