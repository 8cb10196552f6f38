#pragma once
// Fuzzing entry points, shared by the libFuzzer targets (fuzz/) and the replay test
// (tests/ingest), so every committed crasher is re-run in the normal build.

#include <string_view>

namespace careforce::ingest {

/// Read `data` as CSV in chunks whose size comes from its first byte; check the invariants.
void fuzz_csv_reader(std::string_view data);
/// Validate `data` as one file of a submission (its first byte picks the file).
void fuzz_row_validator(std::string_view data);

}  // namespace careforce::ingest
