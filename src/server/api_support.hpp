#pragma once
// Request parsing and error bodies shared by the handlers (docs/api.md, "Errors").

#include <httplib.h>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::server {

using Json = nlohmann::json;

/// One error response: HTTP status, stable code, sentence, details object.
struct ApiError {
  int status = 400;
  std::string code;
  std::string message;
  Json details = Json::object();
};

/// Build the error body `{"error": {...}}`.
Json error_body(const ApiError& error);
/// Map a library error (core ErrorCode) to an HTTP error (docs/errors.md).
ApiError from_error(const Error& error);
ApiError bad_parameter(const std::string& parameter, const std::string& value,
                       const std::string& message, Json allowed = nullptr);
ApiError missing_parameter(const std::string& parameter);

/// The query of one request: checks unknown and repeated parameters, reads typed values.
/// The first failure is kept in `error`; later reads return defaults.
class Query {
 public:
  Query(const httplib::Request& request, std::vector<std::string> allowed);

  /// The value, or nullopt when absent or empty.
  std::optional<std::string> text(const std::string& name);
  std::string text_or(const std::string& name, const std::string& fallback);
  /// An integer within [min, max].
  std::optional<long long> integer(const std::string& name, long long min, long long max);
  std::optional<double> number(const std::string& name);
  /// A month-end date; `nearest` is reported for other days.
  std::optional<Month> month_end(const std::string& name);
  /// A YYYY-MM period.
  std::optional<Month> period(const std::string& name);
  /// One of `allowed`.
  std::optional<std::string> choice(const std::string& name,
                                    const std::vector<std::string>& allowed);

  bool fail(ApiError error);
  bool ok() const { return !error.has_value(); }
  std::optional<ApiError> error;

 private:
  const httplib::Request& request_;
};

/// Parse a `YYYY-MM-DD` month end; on failure return the error for `parameter`.
std::optional<Month> parse_month_end(const std::string& text, const std::string& parameter,
                                     ApiError& error);

}  // namespace careforce::server
