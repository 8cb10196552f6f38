// libFuzzer target: one file of a submission through the whole validator.
#include <cstddef>
#include <cstdint>

#include "ingest/fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  careforce::ingest::fuzz_row_validator({reinterpret_cast<const char*>(data), size});
  return 0;
}
