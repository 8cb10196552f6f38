#include "store/store.hpp"

#include <string_view>

#include "store/sqlite/sqlite_store.hpp"

namespace careforce::store {

const char* outcome_name(SubmissionOutcome outcome) {
  switch (outcome) {
    case SubmissionOutcome::accepted:
      return "accepted";
    case SubmissionOutcome::accepted_with_quarantine:
      return "accepted_with_quarantine";
    case SubmissionOutcome::rejected:
      return "rejected";
  }
  return "rejected";
}

std::optional<SubmissionOutcome> parse_outcome(std::string_view name) {
  for (auto outcome : {SubmissionOutcome::accepted, SubmissionOutcome::accepted_with_quarantine,
                       SubmissionOutcome::rejected})
    if (name == outcome_name(outcome)) return outcome;
  return std::nullopt;
}

Status StoreOptions::validate() const {
  if (cache_size_mib < 1)
    return make_error(ErrorCode::invalid_argument, "cache_size_mib must be at least 1");
  if (busy_timeout_ms < 0)
    return make_error(ErrorCode::invalid_argument, "busy_timeout_ms must not be negative");
  return Status::ok();
}

Result<std::unique_ptr<Store>> open_store(const std::string& location,
                                          const StoreOptions& options) {
  CF_RETURN_IF_ERROR(options.validate());
  const std::string_view text(location);
  if (text.starts_with("postgresql://") || text.starts_with("postgres://"))
    return make_error(ErrorCode::unavailable,
                      "the PostgreSQL store is not built yet; give a SQLite file path", location);
  std::string path = location;
  if (text.starts_with("sqlite://")) path = location.substr(9);
  if (path.empty()) return make_error(ErrorCode::invalid_argument, "the store location is empty");
  return sqlite::open_sqlite_store(path, options);
}

}  // namespace careforce::store
