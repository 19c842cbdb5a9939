// Rounding of measured figures for the JSON reports (chimney-cosim --json and
// chimney-bench --json): a figure is written at the resolution it means.
#pragma once

#include <cmath>

namespace chimney::tb {

// `v` rounded to `digits` decimals.
inline double rounded(double v, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(v * scale) / scale;
}

}  // namespace chimney::tb
