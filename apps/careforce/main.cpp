#include <fmt/core.h>

#include <exception>

#include "commands.hpp"

namespace careforce::cli {

int& command_exit_code() {
  static int code = kExitOk;
  return code;
}

int report_error(const Error& error) {
  fmt::print(stderr, "careforce: error: {}\n", error.message);
  if (!error.details.empty()) fmt::print(stderr, "  {}\n", error.details);
  switch (error.code) {
    case ErrorCode::validation_failed: return kExitRejected;
    case ErrorCode::invalid_argument:
    case ErrorCode::unavailable: return kExitUsage;
    case ErrorCode::io_error:
    case ErrorCode::not_found:
    case ErrorCode::parse_error: return kExitIo;
    case ErrorCode::store_error:
    case ErrorCode::conflict: return kExitStore;
    case ErrorCode::internal: return kExitInternal;
  }
  return kExitInternal;
}

}  // namespace careforce::cli

int main(int argc, char** argv) {
  using namespace careforce::cli;
  CLI::App app{"careforce: workforce intelligence and planning for an Integrated Care System"};
  app.set_version_flag("--version", CAREFORCE_VERSION);
  app.require_subcommand(1);
  register_codes(app);
  register_demo(app);
  register_validate(app);
  register_import(app);
  register_submissions(app);
  register_summary(app);
  register_metrics(app);
  register_outcomes(app);
  register_project(app);
  register_export(app);
  register_benchmarks(app);
  register_serve(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitUsage;
  } catch (const std::exception& e) {
    // Only what ends the process reaches here (docs/errors.md): out of memory, a bug.
    fmt::print(stderr, "careforce: internal error: {}\n", e.what());
    return kExitInternal;
  }
  return command_exit_code();
}
