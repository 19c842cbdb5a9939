// Progress of a long run on stderr, when stderr is a terminal and the run is
// not --quiet: one line rewritten in place about twice a second with the
// simulated cycles, operations completed of those posted, the rate and the
// time left. Reads the wall clock only; the simulation never sees it, so a
// run is the same with or without it.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace chimney::tb {

class ProgressLine {
 public:
  // Enabled only when `enabled` (the caller checks isatty and --quiet).
  ProgressLine(bool enabled, uint64_t opsPlanned, std::FILE* out = stderr);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  bool enabled() const { return enabled_; }
  // Called often; prints at most every `interval`.
  void update(uint64_t cycle, uint64_t completed, uint64_t posted);
  // Clears the line (the summary follows on a clean line).
  void finish();
  // The line's text (without control characters), for tests.
  static std::string format(uint64_t cycle, uint64_t completed, uint64_t posted, uint64_t planned,
                            double seconds);

 private:
  bool enabled_;
  uint64_t planned_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_, last_;
  unsigned calls_ = 0;
  bool shown_ = false;
};

}  // namespace chimney::tb
