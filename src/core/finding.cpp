#include "core/finding.hpp"

namespace careforce {

const char* severity_name(Severity severity) {
  return severity == Severity::error ? "error" : "warning";
}

std::string Finding::format() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  if (column > 0) out += ":" + std::to_string(column);
  out += ": ";
  out += severity_name(severity);
  out += ": ";
  out += message;
  if (!column_name.empty()) out += " (column '" + column_name + "')";
  if (!expected.empty()) out += "; expected " + expected;
  return out;
}

}  // namespace careforce
