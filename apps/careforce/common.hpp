#pragma once
#include <filesystem>
#include <string>

#include "core/result.hpp"
#include "model/workforce_model.hpp"
#include "store/store.hpp"

namespace careforce::cli {

/// Open an existing store and load its columnar model (a missing file is an error, not a
/// new empty database).
Result<model::WorkforceModel> load_model_from(const std::string& db);

}  // namespace careforce::cli
