// careforce demo generate: write the synthetic demo ICS as a submission folder.
#include <fmt/core.h>

#include "commands.hpp"
#include "demo/demo_generator.hpp"

namespace careforce::cli {
namespace {

struct DemoGenerateOptions {
  std::string out;
  std::string profile = "default";
  demo::DemoOptions demo;
};

int run_demo_generate(DemoGenerateOptions options) {
  auto profile = demo::parse_demo_profile(options.profile);
  if (!profile) return report_error(profile.error());
  options.demo.profile = *profile;
  if (auto status = options.demo.validate(); !status) return report_error(status.error());
  auto summary = demo::generate_demo(options.demo, options.out);
  if (!summary) return report_error(summary.error());
  fmt::print("demo ICS written to {} (seed {}, {} organisations, {} persons)\n", options.out,
             options.demo.seed, summary->organisations, summary->persons);
  uint64_t total = 0;
  for (const auto& file : summary->files) {
    fmt::print("  {:<26} {:>12} rows\n", file.name, file.rows);
    total += file.rows;
  }
  fmt::print("  {:<26} {:>12} rows in {:.1f} s\n", "total", total, summary->seconds);
  return kExitOk;
}

}  // namespace

void register_demo(CLI::App& app) {
  auto* demo = app.add_subcommand("demo", "Synthetic demo data");
  demo->require_subcommand(1);
  auto options = std::make_shared<DemoGenerateOptions>();
  auto* sub = demo->add_subcommand("generate",
                                   "Write a synthetic but realistic ICS as a submission folder");
  sub->add_option("--out", options->out, "Folder to write (created if missing)")->required();
  sub->add_option("--seed", options->demo.seed, "Random seed (same seed, same bytes)")
      ->capture_default_str();
  sub->add_option("--months", options->demo.months,
                  "Monthly snapshots ending March 2026 (default: 36, national 13)");
  sub->add_option("--scale", options->demo.scale, "Multiply the number of organisations and staff")
      ->capture_default_str();
  sub->add_option("--profile", options->profile, "default (one ICS) or national (benchmarks)")
      ->capture_default_str();
  sub->add_option("--sip-rows", options->demo.sip_rows,
                  "Write only organisations.csv and a staff_in_post.csv of N rows");
  on_run(sub, [options] { return run_demo_generate(*options); });
}

}  // namespace careforce::cli
