#include "demo/random.hpp"

namespace careforce::demo {

double portable_log(double x) {
  if (!(x > 0)) return -1e300;
  int exponent = 0;
  const double m = std::frexp(x, &exponent);  // x = m * 2^exponent, m in [0.5, 1)
  const double s = (m - 1.0) / (m + 1.0);
  const double s2 = s * s;
  double term = s;
  double sum = 0;
  for (int k = 0; k < 30; ++k) {
    sum += term / (2 * k + 1);
    term *= s2;
  }
  return 2.0 * sum + exponent * 0.69314718055994530942;
}

}  // namespace careforce::demo
