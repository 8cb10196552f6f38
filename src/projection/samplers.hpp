#pragma once
// Our own samplers: std:: distributions differ between library versions, and results must
// be identical byte for byte on every build. Each is tested against its moments.

#include <cstdint>
#include <span>

#include "projection/rng.hpp"

namespace careforce::projection {

/// Return log(k!) (table below 256, Stirling series above).
double log_factorial(int64_t k);

/// Draw a standard normal (Box-Muller, one value per call).
double sample_normal(Rng& rng);

/// Draw Binomial(n, p): inversion when n*min(p,1-p) < 10, else BTRS (Hormann 1993).
int64_t sample_binomial(Rng& rng, int64_t n, double p);

/// Draw Poisson(mean): inversion below 10, else PTRS (Hormann 1993).
int64_t sample_poisson(Rng& rng, double mean);

/// Draw Multinomial(n, probs) into `out` by conditional binomials; probs may sum to < 1
/// (the remainder is "none of these"). Returns how many were placed.
int64_t sample_multinomial(Rng& rng, int64_t n, std::span<const double> probs,
                           std::span<int64_t> out);

}  // namespace careforce::projection
