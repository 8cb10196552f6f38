#pragma once
// The SQLite implementation of the Store seam (docs/store.md).

#include <memory>
#include <string>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace careforce::store::sqlite {

/// Findings stored per submission; the counts in the history cover all of them.
inline constexpr size_t kStoredFindingsLimit = 10000;

/// Open (creating and migrating if needed) the SQLite store at `path`.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path,
                                                 const StoreOptions& options = {});

/// Read every data table into a finalized columnar model.
Result<model::WorkforceModel> load_workforce_model(Connection& db);

}  // namespace careforce::store::sqlite
