// EngineModel: the one class that advances the Verilated cpl_engine: clock,
// reset, cycle count and the FST trace window. Plain C++ (no SystemC), so the
// RTL tests, the transactor and the benchmark all step the model the same way.
//
// Per cycle, a caller:
//   1. sets the model's inputs (io()),
//   2. calls settle() so combinational outputs reflect them,
//   3. samples handshakes (valid && ready) that will fire at the edge,
//   4. calls tick() for the rising edge; outputs then hold the new state.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

class Vcpl_engine;
class VerilatedContext;
class VerilatedFstC;

namespace chimney {

class PortLog;

class EngineModel {
 public:
  struct Config {
    std::string traceFile;                                    // empty: no trace
    uint64_t traceFrom = 0;                                   // first cycle dumped
    uint64_t traceTo = std::numeric_limits<uint64_t>::max();  // last cycle dumped
    uint32_t clockPeriodPs = 4000;
    std::string portLog;  // empty: none; else every tick's ports (port_log.h)
    // Code coverage (a -DCHIMNEY_COVERAGE=ON build only): the counters are
    // written to this file when the model is destroyed (empty: not written).
    std::string coverageFile;
  };

  // One variable of a waveform file: full hierarchical name and width.
  struct TraceSignal {
    std::string name;
    uint32_t width = 0;
  };
  // Every variable an FST file holds (empty when it cannot be read).
  static std::vector<TraceSignal> traceSignals(const std::string& fstFile);

  // True when the Verilated engine carries line, toggle and user coverage.
  static bool codeCoverageBuilt();

  EngineModel();
  explicit EngineModel(const Config& config);
  ~EngineModel();
  EngineModel(const EngineModel&) = delete;
  EngineModel& operator=(const EngineModel&) = delete;

  Vcpl_engine& io() { return *top_; }
  // Holds rst high for `cycles` rising edges with every input idle.
  void reset(unsigned cycles = 4);
  void settle();
  void tick();
  uint64_t cycle() const { return cycle_; }
  uint32_t clockPeriodPs() const { return config_.clockPeriodPs; }
  bool tracing() const { return trace_ != nullptr; }
  // Finishes the trace file now (readable from here on); no more dumps.
  void closeTrace();

 private:
  void dump(uint64_t timePs);
  void writeCoverage();

  Config config_;
  std::unique_ptr<VerilatedContext> context_;
  std::unique_ptr<Vcpl_engine> top_;
  std::unique_ptr<VerilatedFstC> trace_;
  std::unique_ptr<PortLog> portLog_;
  uint64_t cycle_ = 0;
};

}  // namespace chimney
