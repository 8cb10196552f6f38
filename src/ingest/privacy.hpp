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
/// True when `value` has the shape of an email address (local@domain.tld).
bool looks_like_email(std::string_view value);
/// True when `value` is a UK telephone number: 0 and 10 digits starting 01, 02, 03, 07 or 08,
/// or +44 / 0044 and the same without the 0 (spaces, dashes and brackets allowed).
bool looks_like_phone_number(std::string_view value);
/// True when a header names a direct identifier: a person's name (first_name, Surname,
/// employee_name; not org_name), an NHS or NI number, a date of birth, an address or
/// postcode, an email address or a phone number. Words are split at non-alphanumerics and
/// camelCase, compared lower-case.
bool is_identifier_header(std::string_view header);
/// Hide an identifier: its first 2 characters, then "****".
std::string mask_identifier(std::string_view value);

}  // namespace careforce::ingest
