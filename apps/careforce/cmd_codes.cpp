// careforce codes [LIST]: print the controlled lists of the data standard.
#include <fmt/core.h>

#include "commands.hpp"
#include "core/codes.hpp"

namespace careforce::cli {
namespace {

struct CodesOptions {
  std::string list;  ///< One list by name, or all lists when empty.
};

int run_codes(const CodesOptions& options) {
  static const char* kLists[] = {"staff_group", "role_code", "sector", "data_level", "band",
                                 "contract_type", "sex", "ethnic_group", "disability",
                                 "nationality_group", "recruitment_source", "reason",
                                 "destination", "absence_reason", "outcome", "cover_reason",
                                 "kind", "direction", "age_band"};
  bool printed = false;
  for (const char* name : kLists) {
    if (!options.list.empty() && options.list != name) continue;
    const CodeList* list = code_list_by_name(name);
    fmt::print("{}\n", list->name());
    for (size_t i = 0; i < list->size(); ++i) {
      const auto index = static_cast<uint8_t>(i);
      if (list->label(index) == list->code(index))
        fmt::print("  {}\n", list->code(index));
      else
        fmt::print("  {:<32} {}\n", list->code(index), list->label(index));
    }
    printed = true;
  }
  if (!printed)
    return report_error(make_error(ErrorCode::invalid_argument,
                                   "unknown code list '" + options.list + "'"));
  return kExitOk;
}

}  // namespace

void register_codes(CLI::App& app) {
  auto options = std::make_shared<CodesOptions>();
  auto* sub = app.add_subcommand("codes", "Print the controlled code lists of the data standard");
  sub->add_option("list", options->list, "One list, e.g. role_code (default: all)");
  on_run(sub, [options] { return run_codes(*options); });
}

}  // namespace careforce::cli
