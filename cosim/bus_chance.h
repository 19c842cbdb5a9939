// Random back-pressure of the bus agents: true with `percent` chance (always
// at 100 and above, without drawing, so a full-speed agent uses no random
// numbers).
#pragma once

#include <random>

namespace chimney {

inline bool chance(std::mt19937_64& rng, unsigned percent) {
  if (percent >= 100) return true;
  return std::uniform_int_distribution<unsigned>(0, 99)(rng) < percent;
}

}  // namespace chimney
