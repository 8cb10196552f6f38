#pragma once
// The demo ICS: a synthetic but realistic Integrated Care System written as a submission
// folder in the data standard (docs/demo-ics.md describes what it contains and why).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::demo {

enum class DemoProfile : uint8_t {
  ics,       ///< One ICS of about 1.5 million residents and 61,000 staff.
  national,  ///< About 1.5 million staff in 220 record-level trusts (benchmarks).
};

/// Parse `default` / `ics` or `national`.
Result<DemoProfile> parse_demo_profile(std::string_view text);

struct DemoOptions {
  uint64_t seed = 20240331;
  DemoProfile profile = DemoProfile::ics;
  /// Monthly snapshots ending at `last_month`; 0 = the profile's default (36 ics, 13 national).
  int months = 0;
  /// Multiplies the number of organisations and of staff (per organisation type).
  double scale = 1.0;
  /// When > 0: write only organisations.csv and a staff_in_post.csv of exactly this many rows.
  int64_t sip_rows = 0;
  /// The last snapshot month (a financial-year end by default).
  Month last_month = Month::from_ym(2026, 3);

  /// Check the ranges; the message names the option.
  Status validate() const;
  /// The number of snapshots after applying the profile default.
  int effective_months() const;
};

struct DemoFile {
  std::string name;   ///< e.g. "staff_in_post.csv".
  uint64_t rows = 0;  ///< Data rows, header excluded.
};

struct DemoSummary {
  std::vector<DemoFile> files;
  uint64_t organisations = 0;
  uint64_t persons = 0;  ///< Distinct persons ever employed in the simulated period.
  double seconds = 0;
};

/// Write the demo submission folder `out` (created if missing; files overwritten).
Result<DemoSummary> generate_demo(const DemoOptions& options, const std::filesystem::path& out);

}  // namespace careforce::demo
