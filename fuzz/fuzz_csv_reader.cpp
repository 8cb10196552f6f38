// libFuzzer target: the streaming CSV reader over random chunk sizes.
#include <cstddef>
#include <cstdint>

#include "ingest/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  careforce::ingest::fuzz_csv_reader({reinterpret_cast<const char*>(data), size});
  return 0;
}
