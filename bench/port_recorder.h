// PortRecorder: writes the cpl_engine's port values, one line per clock
// cycle, for the Icarus Verilog replay (bench/replay_tb.sv).
//
// Line format: "<inputs> <outputs>\n", each a hex number of fixed width: the
// input ports (rst first) and the output ports concatenated MSB first in the
// order of kInputPorts / kOutputPorts, which replay_tb.sv unpacks in the
// same order. The inputs are those driven during the cycle, the outputs
// those seen after its rising edge with the same inputs still applied.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "output_file.h"

class Vcpl_engine;

namespace chimney::bench {

struct PortField {
  const char* name;
  unsigned width;
};

// Widths of the concatenated vectors (checked against replay_tb.sv by the
// replay test: a wrong order or width shows up as mismatches).
unsigned inputBits();
unsigned outputBits();
const std::vector<PortField>& inputPorts();
const std::vector<PortField>& outputPorts();

class PortRecorder {
 public:
  // Throws std::runtime_error when the file cannot be opened.
  explicit PortRecorder(const std::string& path);

  void record(const Vcpl_engine& io);
  uint64_t lines() const { return lines_; }

 private:
  OutputFile file_;
  std::string line_;
  uint64_t lines_ = 0;
};

}  // namespace chimney::bench
