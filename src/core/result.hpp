#pragma once
// The one error rule (docs/errors.md): expected failures are values (Status, Result<T>);
// exceptions only for what ends the process (out of memory); asserts for programmer errors.

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace careforce {

enum class ErrorCode {
  invalid_argument,   ///< A caller passed a bad option or parameter.
  not_found,          ///< A file, organisation, metric or record does not exist.
  io_error,           ///< Reading or writing a file failed.
  parse_error,        ///< Input is not in the expected syntax.
  validation_failed,  ///< Input was read but broke the data standard.
  store_error,        ///< The database refused an operation.
  conflict,           ///< The operation clashes with what is already stored.
  unavailable,        ///< The inputs a result needs are missing.
  internal,           ///< A bug: an invariant did not hold.
};

/// Return the stable, lower-case name of an error code (used in JSON and exit messages).
const char* error_code_name(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::internal;
  std::string message;  ///< One sentence a user can act on.
  std::string details;  ///< Optional: the file, parameter or context.
};

/// Success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT: implicit by design
  static Status ok() { return {}; }

  bool is_ok() const { return !error_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const Error& error() const {
    assert(error_);
    return *error_;
  }
  const std::string& message() const { return error().message; }

 private:
  std::optional<Error> error_;
};

/// A value of type T, or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}    // NOLINT: implicit by design
  Result(Error error) : data_(std::move(error)) {}  // NOLINT: implicit by design
  Result(Status status) : data_(status.error()) { assert(!status.is_ok()); }  // NOLINT

  bool is_ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return is_ok(); }
  const Error& error() const { return std::get<Error>(data_); }
  Status status() const { return is_ok() ? Status() : Status(error()); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> data_;
};

/// Build an Error value in one expression.
inline Error make_error(ErrorCode code, std::string message, std::string details = {}) {
  return Error{code, std::move(message), std::move(details)};
}

}  // namespace careforce

#define CF_CONCAT_INNER(a, b) a##b
#define CF_CONCAT(a, b) CF_CONCAT_INNER(a, b)

/// Return the Status from the enclosing function if `expr` failed.
#define CF_RETURN_IF_ERROR(expr)                                 \
  do {                                                           \
    auto cf_status_ = (expr);                                    \
    if (!cf_status_.is_ok()) return ::careforce::Status(cf_status_.error()); \
  } while (false)

/// Declare `lhs` from a Result, or return its error from the enclosing function.
#define CF_ASSIGN_OR_RETURN(lhs, expr)                           \
  auto CF_CONCAT(cf_result_, __LINE__) = (expr);                 \
  if (!CF_CONCAT(cf_result_, __LINE__).is_ok())                  \
    return ::careforce::Status(CF_CONCAT(cf_result_, __LINE__).error()); \
  lhs = std::move(CF_CONCAT(cf_result_, __LINE__)).value()
