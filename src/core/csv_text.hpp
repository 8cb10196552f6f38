#pragma once
// A small whole-text CSV splitter for trusted, embedded tables (the code lists).
// Submissions are read by the streaming reader in ingest/, which reports positions.

#include <string>
#include <string_view>
#include <vector>

namespace careforce {

/// Split RFC 4180 text into rows of fields (quotes honoured, CRLF accepted, BOM skipped).
std::vector<std::vector<std::string>> parse_simple_csv(std::string_view text);

}  // namespace careforce
