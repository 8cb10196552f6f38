#pragma once
// The data standard's hard privacy rules: no direct identifier ever enters the store,
// a finding or the quarantine.

#include <string>
#include <string_view>

namespace careforce::ingest {

/// True when `value` has the National Insurance number shape (case and spaces ignored).
bool looks_like_ni_number(std::string_view value);
/// True when `value` is 10 digits (spaces and dashes allowed) passing the NHS modulus-11 check.
bool looks_like_nhs_number(std::string_view value);
/// True when a header names a direct identifier (name, nhs_number, postcode, ...).
bool is_identifier_header(std::string_view header);
/// Hide an identifier: its first 2 characters, then "****".
std::string mask_identifier(std::string_view value);

}  // namespace careforce::ingest
