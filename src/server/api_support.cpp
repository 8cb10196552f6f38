#include "server/api_support.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace careforce::server {

Json error_body(const ApiError& error) {
  return {{"error",
           {{"code", error.code},
            {"message", error.message},
            {"details", error.details.is_object() ? error.details : Json::object()}}}};
}

ApiError from_error(const Error& error) {
  ApiError out;
  out.message = error.message;
  switch (error.code) {
    case ErrorCode::invalid_argument:
    case ErrorCode::parse_error:
    case ErrorCode::validation_failed:
      out.status = 400, out.code = "bad_parameter";
      break;
    case ErrorCode::not_found:
      out.status = 404, out.code = "not_found";
      break;
    case ErrorCode::conflict:
      out.status = 409, out.code = "conflict";
      break;
    case ErrorCode::unavailable:
    case ErrorCode::io_error:
    case ErrorCode::store_error:
      out.status = 503, out.code = "unavailable";
      break;
    case ErrorCode::internal:
      out.status = 500, out.code = "internal";
      break;
  }
  if (!error.details.empty()) out.details["parameter"] = error.details;
  return out;
}

ApiError bad_parameter(const std::string& parameter, const std::string& value,
                       const std::string& message, Json allowed) {
  ApiError e{400, "bad_parameter", message, {{"parameter", parameter}, {"value", value}}};
  if (!allowed.is_null()) e.details["allowed"] = std::move(allowed);
  return e;
}

ApiError missing_parameter(const std::string& parameter) {
  return {400, "missing_parameter", parameter + " is required", {{"parameter", parameter}}};
}

Query::Query(const httplib::Request& request, std::vector<std::string> allowed)
    : request_(request) {
  for (auto it = request.params.begin(); it != request.params.end();
       it = request.params.upper_bound(it->first)) {
    const std::string& name = it->first;
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      fail({400,
            "unknown_parameter",
            "unknown query parameter '" + name + "' for " + request.path +
                (allowed.empty() ? std::string("; this endpoint takes no parameters")
                                 : "; this endpoint takes " + list),
            {{"parameter", name}, {"allowed", allowed}}});
      return;
    }
    if (request.params.count(name) > 1) {
      fail(bad_parameter(name, it->second, "the parameter " + name + " is given more than once"));
      return;
    }
  }
}

bool Query::fail(ApiError error_) {
  if (!error) error = std::move(error_);
  return false;
}

std::optional<std::string> Query::text(const std::string& name) {
  auto it = request_.params.find(name);
  if (it == request_.params.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::string Query::text_or(const std::string& name, const std::string& fallback) {
  auto v = text(name);
  return v ? *v : fallback;
}

std::optional<long long> Query::integer(const std::string& name, long long min, long long max) {
  auto v = text(name);
  if (!v) return std::nullopt;
  long long n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < min || n > max) {
    fail(bad_parameter(
        name, *v,
        name + " must be an integer from " + std::to_string(min) +
            (max == std::numeric_limits<long long>::max() ? std::string(" up")
                                                          : " to " + std::to_string(max)) +
            "; got '" + *v + "'"));
    if (error && max != std::numeric_limits<long long>::max())
      error->details["range"] = Json::array({min, max});
    return std::nullopt;
  }
  return n;
}

std::optional<double> Query::number(const std::string& name) {
  auto v = text(name);
  if (!v) return std::nullopt;
  double d = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), d);
  if (ec != std::errc() || end != v->data() + v->size() || !std::isfinite(d)) {
    fail(bad_parameter(name, *v, name + " must be a number; got '" + *v + "'"));
    return std::nullopt;
  }
  return d;
}

std::optional<Month> parse_month_end(const std::string& text, const std::string& parameter,
                                     ApiError& error) {
  auto date = parse_iso_date(text);
  if (!date) {
    error = bad_parameter(parameter, text,
                          parameter + " must be a month-end date YYYY-MM-DD; got '" + text + "'");
    return std::nullopt;
  }
  if (!is_month_end(*date)) {
    Month m = Month::of(*date);
    error = bad_parameter(parameter, text,
                          parameter + " must be a month end; got '" + text +
                              "', its month end is " + m.end().iso());
    error.details["nearest"] = m.end().iso();
    return std::nullopt;
  }
  return Month::of(*date);
}

std::optional<Month> Query::month_end(const std::string& name) {
  auto v = text(name);
  if (!v) return std::nullopt;
  ApiError e;
  auto m = parse_month_end(*v, name, e);
  if (!m) fail(std::move(e));
  return m;
}

std::optional<Month> Query::period(const std::string& name) {
  auto v = text(name);
  if (!v) return std::nullopt;
  auto m = parse_period(*v);
  if (!m || v->size() != 7) {
    fail(bad_parameter(name, *v, name + " must be a period YYYY-MM; got '" + *v + "'"));
    return std::nullopt;
  }
  return m;
}

std::optional<std::string> Query::choice(const std::string& name,
                                         const std::vector<std::string>& allowed) {
  auto v = text(name);
  if (!v) return std::nullopt;
  if (std::find(allowed.begin(), allowed.end(), *v) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    fail(bad_parameter(name, *v, name + " must be one of " + list + "; got '" + *v + "'", allowed));
    return std::nullopt;
  }
  return v;
}

}  // namespace careforce::server
