#pragma once
// Each subcommand lives in its own cmd_<name>.cpp: an options struct, a register function
// that declares its options on the CLI11 app, and a run function that returns an exit code.

#include <CLI/CLI.hpp>

#include "core/result.hpp"

namespace careforce::cli {

/// Exit codes, stable for scripts: see docs/cli.md.
enum ExitCode : int {
  kExitOk = 0,
  kExitRejected = 1,   ///< The submission or request was rejected (validation failed).
  kExitUsage = 2,      ///< Bad options or arguments.
  kExitIo = 3,         ///< A file could not be read or written, or was not found.
  kExitStore = 4,      ///< The database refused an operation.
  kExitInternal = 70,  ///< A bug.
};

/// Map an error to its exit code and print `careforce: error: message` to stderr.
int report_error(const Error& error);

/// The exit code the chosen subcommand's callback sets.
int& command_exit_code();

/// Register a subcommand whose callback stores `run()`'s result as the exit code.
template <typename Run>
void on_run(CLI::App* sub, Run run) {
  sub->callback([run]() { command_exit_code() = run(); });
}

// One declaration per subcommand file.
void register_codes(CLI::App& app);
void register_demo(CLI::App& app);
void register_validate(CLI::App& app);
void register_import(CLI::App& app);
void register_submissions(CLI::App& app);
void register_summary(CLI::App& app);
void register_metrics(CLI::App& app);
void register_outcomes(CLI::App& app);
void register_project(CLI::App& app);
void register_export(CLI::App& app);
void register_benchmarks(CLI::App& app);
void register_serve(CLI::App& app);

}  // namespace careforce::cli
