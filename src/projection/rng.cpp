#include "projection/rng.hpp"

namespace careforce::projection {

uint64_t stream_name_hash(std::string_view name) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : name) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

uint64_t stream_key(uint64_t seed, std::string_view name, uint64_t replicate) {
  // Mix each component through splitmix64 so nearby seeds, replicates and cells diverge.
  uint64_t state = seed;
  uint64_t key = splitmix64(state);
  state = key ^ stream_name_hash(name);
  key = splitmix64(state);
  state = key ^ (replicate * 0xd1b54a32d192ed03ULL);
  return splitmix64(state);
}

Rng Rng::stream(uint64_t seed, std::string_view name, uint64_t replicate, uint64_t cell) {
  return stream(stream_key(seed, name, replicate), cell);
}

Rng Rng::stream(uint64_t key, uint64_t cell) {
  uint64_t state = key ^ (cell * 0x8cb92ba72f3d8dd7ULL);
  return Rng(splitmix64(state));
}

Rng Rng::from_state(uint64_t s0, uint64_t s1, uint64_t s2, uint64_t s3) {
  Rng rng;
  rng.s_[0] = s0, rng.s_[1] = s1, rng.s_[2] = s2, rng.s_[3] = s3;
  return rng;
}

}  // namespace careforce::projection
