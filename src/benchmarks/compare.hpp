#pragma once
// `benchmarks compare`: an ICS's or organisation's published figures beside England, its
// region and its peers, with rank and quartile, month by month. The CLI is a thin shell
// over run_compare().

#include <optional>
#include <string>
#include <vector>

#include "benchmarks/benchmark_set.hpp"
#include "core/date.hpp"
#include "core/result.hpp"

namespace careforce::benchmarks {

enum class OutputFormat : uint8_t { text, csv, json };
std::optional<OutputFormat> parse_output_format(std::string_view text);

struct CompareOptions {
  std::string ics_code;  ///< Compare this ICS (give exactly one of ics_code, org_code).
  std::string org_code;  ///< Or this organisation (ODS code).
  /// Metrics to compare; empty = every percent metric the ICS or organisation has.
  std::vector<std::string> metrics;
  std::string staff_group = std::string(kAllStaffGroups);
  std::optional<Month> from;  ///< First period (inclusive); default: the earliest held.
  std::optional<Month> to;    ///< Last period (inclusive); default: the latest held.
  int places = -1;            ///< Decimal places of values; -1 = the metric's own (2).
  OutputFormat format = OutputFormat::text;

  Status validate() const;
};

/// Where the compared figure stands among one group of peers (rank 1 = lowest value).
struct PeerStanding {
  std::string group;  ///< "ics_england", "ics_region", "org_type", "cluster".
  std::string label;  ///< e.g. "ICSs in London", "Acute organisations".
  size_t rank = 0;    ///< 1 + peers with a strictly lower exact value (ties share a rank).
  size_t count = 0;   ///< Peers with a value, the compared one included.
  int quartile = 0;   ///< ceil(4 × rank / count): 1 = lowest quarter.
  std::string lowest;
  std::string highest;
};

struct Comparison {
  std::string metric;
  Month period;
  Aggregate entity;
  Aggregate england;
  std::optional<Aggregate> region;
  std::optional<Aggregate> ics;  ///< For an organisation: its ICS.
  std::vector<PeerStanding> peers;
};

/// Compare one ICS or organisation for every requested metric and period.
Result<std::vector<Comparison>> compare(const BenchmarkSet& set, const CompareOptions& options);

/// Render compare() as text, CSV or JSON (the output of `careforce benchmarks compare`).
Result<std::string> run_compare(const BenchmarkSet& set, const CompareOptions& options);

}  // namespace careforce::benchmarks
