// Replay every committed fuzz input (fuzz/corpus and fuzz/regressions) through the same entry
// functions the libFuzzer targets call, so crashers stay fixed in every build.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/fuzz_entry.hpp"

namespace careforce::ingest {
namespace {

namespace fs = std::filesystem;

size_t replay(const std::string& target, void (*entry)(std::string_view)) {
  size_t count = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path(CAREFORCE_SOURCE_DIR) / "fuzz" / kind / target;
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file() || e.path().filename().string().starts_with(".")) continue;
      std::ifstream in(e.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      SCOPED_TRACE(e.path().string());
      entry(buffer.str());
      ++count;
    }
  }
  return count;
}

TEST(FuzzReplay, CsvReaderInputs) {
  EXPECT_GT(replay("fuzz_csv_reader", fuzz_csv_reader), 0u);
}
TEST(FuzzReplay, RowValidatorInputs) {
  EXPECT_GT(replay("fuzz_row_validator", fuzz_row_validator), 0u);
}

}  // namespace
}  // namespace careforce::ingest
