#include "ingest/privacy.hpp"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <vector>

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

bool looks_like_email(std::string_view value) {
  // local@domain.tld: no spaces, one '@', a dot in the domain, a top-level domain of letters.
  if (value.size() < 6 || value.size() > 254) return false;
  const size_t at = value.find('@');
  if (at == std::string_view::npos || at == 0 || value.find('@', at + 1) != std::string_view::npos)
    return false;
  for (char c : value.substr(0, at)) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '%' || c == '+' || c == '-' || c == '\'';
    if (!ok) return false;
  }
  const std::string_view domain = value.substr(at + 1);
  const size_t dot = domain.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || domain.size() - dot - 1 < 2) return false;
  for (char c : domain) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-';
    if (!ok) return false;
  }
  for (char c : domain.substr(dot + 1))
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return domain.find("..") == std::string_view::npos;
}

bool looks_like_phone_number(std::string_view value) {
  // A UK number: 0 then 10 digits (landline 01/02/03, mobile 07, 08), or +44 / 0044 then the
  // same without its 0; spaces, dashes and brackets allowed between digits.
  if (value.size() < 11 || value.size() > 20) return false;
  std::string digits;
  bool plus = false;
  for (size_t i = 0; i < value.size(); ++i) {
    const char c = value[i];
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c == '+' && i == 0) {
      plus = true;
    } else if (c != ' ' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  if (plus || digits.starts_with("0044")) {
    if (plus && !digits.starts_with("44")) return false;
    digits = "0" + digits.substr(plus ? 2 : 4);
    if (digits.starts_with("00")) digits.erase(0, 1);  // +44 (0)20 ...
  }
  if (digits.size() != 11 || digits[0] != '0') return false;
  return digits[1] == '1' || digits[1] == '2' || digits[1] == '3' || digits[1] == '7' ||
         digits[1] == '8';
}

namespace {

/// Split a header into lower-case words: at any character that is not a letter or digit,
/// and at camelCase boundaries ("DateOfBirth" -> date, of, birth; "NHSNumber" -> nhs, number).
std::vector<std::string> header_words(std::string_view header) {
  std::vector<std::string> words;
  std::string word;
  auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto is_lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  for (size_t i = 0; i < header.size(); ++i) {
    const char c = header[i];
    if (!is_upper(c) && !is_lower(c) && !is_digit(c)) {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
      continue;
    }
    if (is_upper(c) && !word.empty() && i > 0) {
      const char prev = header[i - 1];
      const bool next_lower = i + 1 < header.size() && is_lower(header[i + 1]);
      if (is_lower(prev) || is_digit(prev) || (is_upper(prev) && next_lower)) {
        words.push_back(std::move(word));
        word.clear();
      }
    }
    word += is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

bool has_word(const std::vector<std::string>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

bool has_any(const std::vector<std::string>& words, std::initializer_list<std::string_view> list) {
  for (std::string_view w : list)
    if (has_word(words, w)) return true;
  return false;
}

}  // namespace

bool is_identifier_header(std::string_view header) {
  if (header.size() > 64) return false;
  const std::vector<std::string> words = header_words(header);
  if (words.empty()) return false;
  std::string joined;
  for (const auto& w : words) joined += w;

  // Whole names written as one word ("FirstName" splits, "firstname" does not).
  static constexpr std::string_view kJoined[] = {"name",
                                                 "firstname",
                                                 "forename",
                                                 "forenames",
                                                 "surname",
                                                 "lastname",
                                                 "fullname",
                                                 "givenname",
                                                 "familyname",
                                                 "middlename",
                                                 "maidenname",
                                                 "preferredname",
                                                 "knownas",
                                                 "nhsnumber",
                                                 "nhsno",
                                                 "nino",
                                                 "ninumber",
                                                 "dob",
                                                 "dateofbirth",
                                                 "birthdate",
                                                 "address",
                                                 "postcode",
                                                 "email",
                                                 "emailaddress",
                                                 "phone",
                                                 "phonenumber",
                                                 "telephone",
                                                 "telephonenumber",
                                                 "mobile",
                                                 "mobilenumber",
                                                 "mobilephone",
                                                 "tel",
                                                 "telno",
                                                 "contactnumber",
                                                 "nationalinsurancenumber",
                                                 "nationalinsuranceno",
                                                 "nationalinsurance"};
  for (std::string_view j : kJoined)
    if (joined == j) return true;

  // Words that name a person or a way to reach one, wherever they appear.
  if (has_any(words,
              {"surname", "forename", "forenames", "firstname", "lastname", "fullname", "givenname",
               "familyname", "middlename", "maidenname", "dob", "nino", "nhsnumber", "email",
               "telephone", "phone", "address", "dateofbirth", "birthdate"}))
    return !has_any(words, {"ip", "web", "mac"});  // an ip_address is no person's
  if (has_word(words, "e") && has_word(words, "mail")) return true;
  if (has_word(words, "nhs") && has_any(words, {"number", "no", "num", "nbr"})) return true;
  if (has_word(words, "ni") && has_any(words, {"number", "no", "num", "nbr"})) return true;
  if (has_word(words, "national") && has_word(words, "insurance")) return true;
  if (has_word(words, "birth") && has_word(words, "date")) return true;
  if (has_any(words, {"mobile", "tel", "contact"}) &&
      has_any(words, {"number", "no", "num", "nbr"}))
    return true;
  // A postcode is part of an address; a postcode district or sector is not.
  if (has_word(words, "postcode") || (has_word(words, "post") && has_word(words, "code")))
    return !has_any(words, {"district", "sector", "area", "outward", "outcode"});
  // A name, unless it is the name of something that is not a person.
  if (has_word(words, "name") || has_word(words, "names"))
    return !has_any(
        words,
        {"org",        "organisation", "organization", "trust",     "site",          "place",
         "location",   "provider",     "practice",     "role",      "team",          "ward",
         "department", "dept",         "unit",         "job",       "service",       "employer",
         "company",    "file",         "group",        "centre",    "center",        "cost",
         "code",       "indicator",    "scope",        "band",      "grade",         "post",
         "position",   "directorate",  "division",     "specialty", "speciality",    "business",
         "pcn",        "ics",          "icb",          "system",    "area",          "region",
         "locality",   "hospital",     "home",         "course",    "qualification", "programme",
         "program",    "project",      "metric",       "sector",    "column",        "field",
         "network",    "body",         "ccg",          "council",   "authority",     "agency",
         "supplier",   "vendor",       "reason",       "source",    "product",       "scheme",
         "contract",   "building"});
  return false;
}

std::string mask_identifier(std::string_view value) {
  return std::string(value.substr(0, 2)) + "****";
}

}  // namespace careforce::ingest
