// PortLog / PortReplay: the cpl_engine's input ports of every evaluated
// cycle, in a compact binary file, and a bare loop that replays them.
//
// EngineModel writes one frame per tick() when EngineModel::Config::portLog
// names a file (chimney-cosim --record-ports FILE): the inputs driven during
// the cycle plus a 64-bit digest of the outputs seen after its rising edge.
// PortReplay maps the file and drives a fresh Verilated model with exactly
// those inputs, two evaluations per cycle as EngineModel does, with nothing
// else in the loop: the bare cost of the RTL on that run. With verify on it
// also recomputes each digest and counts the cycles that differ.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "output_file.h"

class Vcpl_engine;

namespace chimney {

class PortLog {
 public:
  // Throws std::runtime_error when the file cannot be created.
  explicit PortLog(const std::string& path);

  // Inputs as driven now; outputs as seen after the rising edge.
  void record(const Vcpl_engine& io);
  uint64_t frames() const { return frames_; }

  static constexpr size_t kFrameBytes = 56;
  static uint64_t outputDigest(const Vcpl_engine& io);

 private:
  OutputFile file_;
  uint64_t frames_ = 0;
};

struct ReplayResult {
  uint64_t cycles = 0;
  double wallSeconds = 0;   // the replay loop alone
  uint64_t mismatches = 0;  // cycles whose output digest differed (verify only)
};

// Replays a PortLog file on a new model, in passes from its first frame (a
// recording starts with the reset cycles, so each pass starts from reset)
// until at least minSeconds have passed; verify checks the first pass.
// Throws std::runtime_error when the file cannot be read or is not a port log.
ReplayResult replayPortLog(const std::string& path, bool verify, double minSeconds = 0);

}  // namespace chimney
