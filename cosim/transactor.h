// Transactor: the SystemC module around the Verilated completion engine.
// Nothing above it sees a Verilated signal; it offers
//   regs  - TLM-2.0 target socket: each b_transport becomes one AXI4-Lite
//           access of the engine's CSR slave (CsrMaster; SLVERR -> generic
//           error),
//   dma   - TLM-2.0 initiator socket: each AXI4 burst of the engine's DMA
//           master becomes one b_transport (see AxiDmaPort),
//   interrupts - popInterrupt() + interruptEvent(), for a driver-side thread,
//   work / event streams - wired to a StreamPeer by plain C++ calls.
//
// One SC_THREAD advances the model in a plain C++ loop, up to quantumCycles
// ahead of SystemC time (temporal decoupling), and synchronises (wait) when a
// register access completes, when an interrupt message leaves the engine, at
// the end of a quantum and when the run stops. Invariant: at every
// synchronisation point sc_time_stamp() == cycle() * clock period.
// Register accesses from other threads are queued, picked up at the loop's
// next cycle, and their caller is woken at the cycle the response arrives.
//
// Run length is the owner's choice (Config): free running until sc_stop()
// (idleCycles = 0), or stopping when quiescent (no port activity for
// idleCycles cycles and nothing outstanding): the thread then sleeps until a
// register access or kick() and lets sc_start() return; maxCycles ends the
// simulation (sc_stop) at that cycle. See docs/cosim.md.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <systemc>
#include <tlm>
#include <vector>

#include "axi_dma_port.h"
#include "bus_chance.h"
#include "csr_master.h"
#include "engine_model.h"
#include "stream_peer.h"
#include "violation_log.h"

namespace chimney {

class Transactor : public sc_core::sc_module {
 public:
  struct Config {
    EngineModel::Config engine;     // clock period (default 4 ns), trace file and window
    uint64_t quantumCycles = 1000;  // most cycles the loop runs ahead of SystemC time
    uint64_t idleCycles = 2000;     // quiescent after this many idle cycles; 0: free running
    uint64_t maxCycles = std::numeric_limits<uint64_t>::max();  // sc_stop() at this cycle
    uint64_t regTimeoutCycles = 100000;  // an AXI4-Lite access not answered: SC_REPORT_ERROR
    unsigned resetCycles = 4;
    // Chance (percent, 1..100) that a ready the transactor drives is high in
    // a cycle: the AXI4-Lite master's bready and rready
    // (CsrMaster::setResponseReadyPercent), m_work_ready (a protocol engine
    // that cannot take a word every cycle) and m_irq_ready (an interrupt
    // controller). 100 keeps one high and draws nothing. Each draws from a
    // stream of its own, derived from readySeed.
    unsigned csrReadyPercent = 100;
    unsigned workReadyPercent = 100;
    unsigned irqReadyPercent = 100;
    // The DMA slave's side (AxiDmaPort::setBackPressure): arready, awready
    // and wready high, and a due R beat or B response offered, each with
    // this chance in a cycle.
    unsigned dmaReadyPercent = 100;
    uint64_t readySeed = 0;
  };

  struct Stats {
    uint64_t regReads = 0;
    uint64_t regWrites = 0;
    uint64_t regErrors = 0;    // SLVERR/DECERR from the engine
    uint64_t regRejected = 0;  // accesses AXI4-Lite cannot carry, answered without the engine
    uint64_t work = 0;
    uint64_t events = 0;
    uint64_t interrupts = 0;
    uint64_t syncs = 0;  // wait() calls of the loop
  };

  tlm_utils::simple_target_socket<Transactor> regs;
  tlm_utils::simple_initiator_socket<Transactor> dma;

  Transactor(sc_core::sc_module_name name, const Config& config);
  ~Transactor() override;

  // The protocol engine side (may be null: no events, work discarded).
  void setPeer(StreamPeer* peer) { peer_ = peer; }
  // Wakes a quiescent loop (e.g. after the peer was given something to do).
  void kick();

  // Interrupt messages, visible from the SystemC time of their cycle on.
  const sc_core::sc_event& interruptEvent() const { return irqEvent_; }
  std::optional<unsigned> popInterrupt();
  bool interruptPending() const { return !irqQueue_.empty(); }

  // Model cycles run so far (ahead of sc_time_stamp() by at most a quantum
  // while another thread runs).
  uint64_t cycle() const { return model_->cycle(); }
  // The cycle of what happens now: while the loop steps the model ahead of
  // SystemC time (the calls it makes to the peer, host memory and their
  // observers), the cycle being evaluated; otherwise SystemC time in cycles.
  uint64_t now() const;
  // No call from now on happens at a cycle before this one: the earlier of
  // SystemC time and the loop's next cycle (behind SystemC time while it
  // sleeps through idle cycles, caught up when it wakes).
  uint64_t settled() const;
  // Closes the waveform file (the model runs on untraced).
  void closeTrace() { model_->closeTrace(); }
  const sc_core::sc_time& clockPeriod() const { return period_; }
  // True while the loop sleeps because the system is quiescent.
  bool quiescent() const { return sleeping_; }
  const Stats& stats() const { return stats_; }
  const AxiDmaPort::Stats& dmaStats() const { return dmaPort_.stats(); }
  // DMA bursts that broke the PRM rules, readable.
  const std::vector<std::string>& dmaViolations() const { return dmaPort_.violations(); }
  // The oldest DMA burst of the engine overlapping [lo, hi) that is offered
  // or outstanding at the last evaluated cycle.
  std::optional<InFlightBurst> dmaInFlight(uint64_t lo, uint64_t hi) const {
    return dmaPort_.inFlight(lo, hi);
  }
  // AXI4-Lite responses the CSR slave gave out of turn (none in a clean run).
  const ViolationLog& regViolations() const { return regLog_; }
  // Work words or interrupt messages dropped or changed while held back.
  const ViolationLog& streamViolations() const { return streamLog_; }

 private:
  struct RegAccess;

  void loop();
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
  void startRegAccess();  // takes the next queued access onto the bus
  void stepCycle();
  bool idleNow() const;
  uint64_t runLimit() const;  // last cycle this quantum may reach
  void synchronise();         // waits until SystemC time catches up with the model
  void publish();             // wakes register callers, makes interrupts visible

  Config config_;
  sc_core::sc_time period_;
  std::unique_ptr<EngineModel> model_;
  AxiDmaPort dmaPort_;
  StreamPeer* peer_ = nullptr;

  // Register accesses: queued by callers, one at a time on the bus.
  std::deque<RegAccess*> regQueue_;
  RegAccess* regActive_ = nullptr;
  ViolationLog regLog_{16};
  CsrMaster csr_{regLog_};
  uint64_t regStartCycle_ = 0;
  std::vector<RegAccess*> regDone_;  // answered, caller not yet woken
  sc_core::sc_event regDoneEvent_;
  sc_core::sc_event wakeEvent_;

  RandomReady workReady_, irqReady_;
  ViolationLog streamLog_{16};
  StableChecker<uint64_t> workHeld_{"m_work"};
  StableChecker<uint8_t> irqHeld_{"m_irq"};

  // Event stream: the event offered to the engine, if any.
  bool evtPending_ = false;
  uint64_t evtData_ = 0;

  std::vector<unsigned> irqNew_;   // sent this quantum, not yet visible
  std::deque<unsigned> irqQueue_;  // visible to the driver side
  sc_core::sc_event irqEvent_;

  bool syncNow_ = false;       // end the quantum after this cycle
  uint64_t lastActivity_ = 0;  // first cycle after the last handshake
  uint64_t idleCycles_ = 0;    // config_.idleCycles, 0 mapped to "never"
  bool sleeping_ = false;
  bool stepping_ = false;  // the loop is stepping the model (ahead of SystemC time)
  Stats stats_;
};

}  // namespace chimney
