// Random back-pressure of the bus agents: true with `percent` chance (always
// at 100 and above, without drawing, so a full-speed agent uses no random
// numbers).
#pragma once

#include <cstdint>
#include <random>

namespace chimney {

inline bool chance(std::mt19937_64& rng, unsigned percent) {
  if (percent >= 100) return true;
  return std::uniform_int_distribution<unsigned>(0, 99)(rng) < percent;
}

// A ready an agent drives at random: each draw() is high with `percent`
// chance, from a stream of draws of its own.
class RandomReady {
 public:
  RandomReady() = default;
  explicit RandomReady(uint64_t seed) : rng_(seed) {}
  void setPercent(unsigned percent) { percent_ = percent; }
  void set(unsigned percent, uint64_t seed) {
    percent_ = percent;
    rng_.seed(seed);
  }
  bool draw() { return chance(rng_, percent_); }

 private:
  unsigned percent_ = 100;
  std::mt19937_64 rng_;
};

}  // namespace chimney
