// EngineBench: the Verilated cpl_engine with every agent around it: host
// memory behind an AXI4 responder, the CSR master, the protocol-engine side
// (work sink, event source) and the interrupt collector. One step() is one
// clock cycle: every agent drives its inputs, the model settles, every agent
// samples the handshakes of this edge, the model ticks.
//
// Blocking helpers (CSR access, connection commands, runUntil) keep every
// agent running and throw HarnessError after a cycle timeout, so a hung
// engine fails a test instead of hanging it. Protocol-check failures go to
// violations(); a test fixture asserts it is empty at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include "axi_memory_responder.h"
#include "csr_master.h"
#include "engine_model.h"
#include "engine_outputs.h"
#include "prm.h"
#include "sparse_memory.h"
#include "stream_agents.h"
#include "violation_log.h"

namespace chimney::rtltest {

using chimney::CsrMaster;
using chimney::CsrResult;

class HarnessError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct BenchConfig {
  uint64_t seed = 1;
  EngineModel::Config model;
  uint64_t csrTimeout = 4000;  // cycles for one CSR access or one CONN_CMD
  // Report an output that moves when the model settles the cycle's inputs
  // (engine_outputs.h). Off only where an RTL without registered outputs
  // runs: the benchmark's loop, also built against an earlier RTL.
  bool checkRegisteredOutputs = true;
};

class EngineBench {
 public:
  explicit EngineBench(const BenchConfig& config = {});

  // Pulses rst and forgets every bus transaction in flight.
  void reset(unsigned cycles = 4);
  // Runs the NUM_CONN cycles the engine takes after a reset to clear its
  // connection table (PRM 11); CSR accesses work meanwhile, commands,
  // requests and events wait.
  void awaitConnTableClear();
  void step();
  void run(uint64_t cycles);
  // Steps until done() is true (checked before each step); throws after
  // `timeout` cycles.
  void runUntil(const std::function<bool()>& done, uint64_t timeout, const std::string& what);
  uint64_t cycle() const { return model_.cycle(); }

  // CSR access over AXI4-Lite.
  CsrResult read32(uint16_t addr);
  uint8_t write32(uint16_t addr, uint32_t value, uint8_t strb = 0xF);
  // As above, but an error response throws HarnessError (for set-up steps).
  uint32_t readReg(uint16_t addr);
  void writeReg(uint16_t addr, uint32_t value);

  // CONN_CMD: writes CONN_CMD_ARG (when given) and CONN_CMD, waits for BUSY
  // to fall, returns the result code.
  prm::CmdResult connCmd(uint16_t conn, uint8_t qp, uint8_t op);
  prm::CmdResult offload(uint16_t conn, uint8_t qp);
  prm::CmdResult terminate(uint16_t conn, uint8_t qp);
  prm::CmdResult rxConsumed(uint16_t conn, uint8_t qp, uint32_t bytes);

  // Parameters read from CAPS0/CAPS1 (once, after the first reset).
  unsigned numConn();
  unsigned numQp();
  unsigned reqSlots();

  EngineModel& model() { return model_; }
  SparseMemory& memory() { return memory_; }
  AxiMemoryResponder& axi() { return axi_; }
  CsrMaster& csr() { return csr_; }
  // Hands the AXI4-Lite pins to a test script instead of the CSR master
  // (both empty: the master again). drive sets the slave's inputs each cycle,
  // sample sees the settled outputs before the edge.
  struct CsrPins {
    std::function<void(Vcpl_engine&, uint64_t)> drive;
    std::function<void(const Vcpl_engine&, uint64_t)> sample;
  };
  void setCsrPins(CsrPins pins) { csrPins_ = std::move(pins); }
  WorkSink& work() { return work_; }
  EventSource& events() { return events_; }
  IrqSink& irq() { return irq_; }
  ViolationLog& violations() { return log_; }

 private:
  void waitCsr(const char* what, uint16_t addr);
  void readCaps();

  BenchConfig config_;
  EngineModel model_;
  ViolationLog log_;
  SparseMemory memory_;
  AxiMemoryResponder axi_;
  CsrMaster csr_;
  CsrPins csrPins_;
  WorkSink work_;
  EventSource events_;
  IrqSink irq_;
  unsigned numConn_ = 0, numQp_ = 0, reqSlots_ = 0;
};

}  // namespace chimney::rtltest
