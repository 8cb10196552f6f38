#include "ingest/privacy.hpp"

#include <array>

namespace careforce::ingest {

namespace {

bool ni_letter(char c) {
  // [A-CEGHJ-PR-TW-Z]: every letter except D, F, I, Q, U and V.
  if (c < 'A' || c > 'Z') return false;
  return c != 'D' && c != 'F' && c != 'I' && c != 'Q' && c != 'U' && c != 'V';
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

}  // namespace

bool looks_like_ni_number(std::string_view value) {
  if (value.size() < 9 || value.size() > 40) return false;
  std::array<char, 9> s{};
  size_t n = 0;
  for (char c : value) {
    if (c == ' ') continue;
    if (n == 9) return false;
    s[n++] = upper(c);
  }
  if (n != 9) return false;
  if (!ni_letter(s[0]) || !ni_letter(s[1])) return false;
  for (size_t i = 2; i < 8; ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return s[8] >= 'A' && s[8] <= 'D';
}

bool looks_like_nhs_number(std::string_view value) {
  // NHS numbers are written as 10 digits or in groups of 3-3-4 ("943 476 5919"); other
  // groupings, such as CQC location ids ("1-123456789"), are not NHS-number shaped.
  std::array<int, 10> d{};
  size_t n = 0;
  if (value.size() == 12) {
    const char sep = value[3];
    if ((sep != ' ' && sep != '-') || value[7] != sep) return false;
  } else if (value.size() != 10) {
    return false;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    if (value.size() == 12 && (i == 3 || i == 7)) continue;
    const char c = value[i];
    if (c < '0' || c > '9') return false;
    d[n++] = c - '0';
  }
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += d[i] * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10) return false;
  return check == d[9];
}

bool is_identifier_header(std::string_view header) {
  static constexpr std::string_view kIdentifiers[] = {"name",
                                                      "first_name",
                                                      "surname",
                                                      "forename",
                                                      "nhs_number",
                                                      "ni_number",
                                                      "national_insurance_number",
                                                      "date_of_birth",
                                                      "dob",
                                                      "address",
                                                      "postcode",
                                                      "email",
                                                      "phone",
                                                      "telephone",
                                                      "mobile"};
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t'))
    header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t'))
    header.remove_suffix(1);
  if (header.size() > 64) return false;
  std::string key;
  for (char c : header) {
    if (c == ' ' || c == '-') c = '_';
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  for (std::string_view id : kIdentifiers)
    if (key == id) return true;
  return false;
}

std::string mask_identifier(std::string_view value) {
  return std::string(value.substr(0, 2)) + "****";
}

}  // namespace careforce::ingest
