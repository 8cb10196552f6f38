// Helpers shared by the subcommands that read the store.
#include "common.hpp"

namespace careforce::cli {

Result<model::WorkforceModel> load_model_from(const std::string& db) {
  if (!std::filesystem::exists(db))
    return make_error(ErrorCode::not_found, "no database at '" + db + "'",
                      "create one with: careforce import <submission> --db " + db);
  CF_ASSIGN_OR_RETURN(auto store, store::open_store(db));
  return store->load_model();
}

}  // namespace careforce::cli
