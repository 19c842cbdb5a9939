// Bench: the SystemC top of the co-simulation and the API scenarios are
// written against.
//
//   scenario thread --(driver lock)--> HostStack -> N x ImDriver -> OffloadTarget
//                                                                    | TlmDevice
//   driver thread: DPCs, NDIS work items, MiniportTimer (driver lock) | regs (TLM)
//                                                                    v
//   HostMemory <--dma (TLM)-- Transactor (Verilated cpl_engine) <--> ObservedPeer -> PeerModel
//
// Every observation goes through RunObserver to the Scoreboard (all 16
// invariants) and into the RunReport. The driver lock serialises the host's
// NDIS calls with the DPC, the way one driver context does: a completion can
// never arrive inside an initiating call. The RTL loop stays in the
// transactor's own thread; the driver side only waits on SystemC time.
//
// A run: bring-up (attachNdis), the scenario body, drain (everything posted
// has come back and the system is quiescent), then the closing checks:
// Scoreboard::checkQuiescent, the engine's counters and pointers against what
// the driver saw, stray DMA, the scenario's expected counts.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <string_view>
#include <systemc>
#include <vector>

#include "closing_checks.h"
#include "engine_side.h"
#include "expectations.h"
#include "host_stack.h"
#include "im_driver.h"
#include "loaded_drivers.h"
#include "ndis.h"
#include "offload_target.h"
#include "peer_model.h"
#include "progress.h"
#include "run_observer.h"
#include "run_options.h"
#include "run_report.h"
#include "scoreboard.h"
#include "stream_peer.h"
#include "transactor.h"
#include "tx_observer.h"

namespace chimney::tb {

// What a scenario may change before the bench is built.
struct BenchConfig {
  OffloadTargetConfig target;
  PeerModel::Config peer;
  Transactor::Config transactor;
  uint64_t dpcDelayCycles = 0;  // a slow driver: each DPC starts this late
  // The scenario's own limit (--max-cycles overrides); 0: 100000 + 500 x ops
  // (both terms stretched by a slow DMA or register bus:
  // RunOptions::watchdogCyclesPerOp),
  // over 10 times what any scenario needs on the reference model.
  uint64_t watchdogCycles = 0;
  // Closing checks the scenario expects to differ from a clean run.
  ClosingExpectations closing;
};

// The peer's side of the streams, reporting what the remote end sends to the
// observer (scoreboard invariant 6 needs the peer's bytes).
class ObservedPeer final : public StreamPeer {
 public:
  ObservedPeer(PeerModel& peer, StackObserver& observer) : peer_(peer), observer_(observer) {}
  // Also told of every event the engine takes (transaction log).
  void setEventTap(std::function<void(const prm::Event&)> tap) { tap_ = std::move(tap); }
  void onWork(uint64_t cycle, const prm::Work& work) override { peer_.onWork(cycle, work); }
  std::optional<prm::Event> nextEvent(uint64_t cycle) override;
  bool busy() const override { return !peer_.idle(); }
  uint64_t eventsDelivered() const { return events_; }

 private:
  PeerModel& peer_;
  StackObserver& observer_;
  std::function<void(const prm::Event&)> tap_;
  uint64_t events_ = 0;
};

// The target's fault knobs named by --inject (bench_faults.cpp).
TargetFaults targetFaults(const RunOptions& options);

class Bench : public sc_core::sc_module {
 public:
  using Body = std::function<void(Bench&)>;
  SC_HAS_PROCESS(Bench);

  // `drivers` holds the libraries --im-driver loaded (null: none); the bench
  // stacks their adapters (DriverLoadError when one fails to bind).
  Bench(sc_core::sc_module_name name, const RunOptions& options, const BenchConfig& config,
        Body body, RunReport& report, abi::LoadedDrivers* drivers = nullptr);
  ~Bench() override;

  // True once the scenario and the closing checks ran to the end.
  bool finished() const { return finished_; }

  // ---- For scenario bodies (run in the scenario thread)
  const RunOptions& options() const { return options_; }
  const BenchConfig& config() const { return config_; }
  Expectations& expect() { return expect_; }
  std::mt19937_64& rng() { return rng_; }
  uint64_t random(uint64_t lo, uint64_t hi);  // uniform in [lo, hi]
  HostStack& host() { return *host_; }
  PeerModel& peer() { return peer_; }
  OffloadTarget& target() { return *target_; }
  // The built-in offload target; null when --target-driver loaded one.
  OffloadTarget* builtInTarget() { return target_.get(); }
  // Surprise removal of the device (built-in target, under the driver
  // lock): from here on the run waits only for the host side to settle;
  // the engine and the peer are no longer part of it. False without a
  // built-in target.
  bool removeDevice();
  // The target's counters: the built-in target's own, or for a library
  // (--target-driver) what NDIS sees of it (descriptors consumed, SQ full).
  TargetCounters targetCounters() const;
  // Base of queue pair q's SQ (sq) or CQ as the target programmed it.
  uint64_t targetRingBase(unsigned q, bool sq);
  EngineSide& engine() { return *engine_; }
  // The clock cycle of now: SystemC time, or the engine's cycle while it
  // runs ahead of it (what the engine's DMA, events and work are stamped
  // with, matching the waveform).
  uint64_t cycle() const;

  // Offloads a connection and waits until it is offloaded; nullopt (and a
  // mismatch) when it fails.
  ConnectionId open();
  uint16_t hwConn(ConnectionId conn) const;
  // Host operations, each one NDIS call made under the driver lock.
  void send(ConnectionId conn, const std::vector<uint32_t>& lengths);
  void receive(ConnectionId conn, const std::vector<uint32_t>& lengths, bool noPush = false);
  void disconnect(ConnectionId conn, bool abortive, uint32_t length = 0);
  void forward(ConnectionId conn, const std::vector<uint32_t>& lengths);
  void terminate(ConnectionId conn);
  void returnIndications();
  // Runs `fn` under the driver lock (anything else that calls into the stack).
  // A template, so that a host operation's lambda costs no std::function
  // (and no heap block) per call.
  template <typename Fn>
  void locked(Fn&& fn) {
    driverLock_.lock();
    fn();
    driverLock_.unlock();
    driverWork_.notify(sc_core::SC_ZERO_TIME);  // deferred work may have appeared
  }
  // Peer actions take effect at the peer's current time; these wake the loop.
  void peerSend(ConnectionId conn, uint64_t bytes);
  void peerFin(ConnectionId conn);
  void peerRst(ConnectionId conn);

  void waitCycles(uint64_t cycles);
  // Polls `done` until true; false (and a mismatch naming `what`) when the
  // watchdog expires first. (`what` is a view: a literal costs no string
  // per call.)
  bool waitUntil(const std::function<bool()>& done, std::string_view what);
  // Everything posted has come back, no driver work is left, the engine and
  // the peer are quiet.
  bool drain();
  // Records a scenario-specific failure.
  void fail(const std::string& what) { report_.mismatches.push_back(what); }
  uint64_t outstanding() const { return observer_->outstanding(); }
  uint64_t indications() const { return observer_->indications(); }
  uint64_t hostEvents() const { return observer_->events(); }
  uint64_t terminatesCompleted() const { return observer_->terminatesCompleted(); }
  // Tags queued inside the trace window, named for the waveform's filter.
  const std::map<uint64_t, std::string>& tagNames() const { return observer_->tagNames(); }
  // Closes the waveform file once the simulation has stopped.
  void closeTrace() { engine_->closeTrace(); }

 private:
  void scenarioThread();
  void driverThread();
  bool bringUp();
  void closingChecks();
  ViolationRecord record(const Violation& v) const;
  void injectFaults();         // --inject: IM knobs and device faults, after bring-up
  void reportFaultsApplied();  // how often each --inject fault took effect
  void setUpRecording();       // --txlog / --timeline
  void finishRecording();
  StackObserver* stackObserver() const;
  DeviceInterface& targetDevice() const;
  void readHardwareCounters();
  bool quiet() const;
  // --target-driver: the offload target is a driver library (drivers_).
  bool loadedTarget() const { return !options_.targetDriver.empty() && drivers_ != nullptr; }
  bool targetHasDeferredWork() const;
  void targetTimer();
  uint64_t watchdogLimit() const;
  // The report's time series (CQ occupancy, interrupts per window), sampled
  // at each wake-up of the DPC context.
  void sampleForReport();

  RunOptions options_;
  BenchConfig config_;
  Body body_;
  RunReport& report_;
  Expectations expect_;
  std::mt19937_64 rng_;

  std::unique_ptr<EngineSide> engine_;
  PeerModel peer_;
  Scoreboard scoreboard_;
  std::unique_ptr<RunObserver> observer_;
  // --txlog / --timeline (bench_recording.cpp): null when neither is asked.
  std::unique_ptr<RunRecorder> recorder_;
  std::unique_ptr<TxObserver> tx_;
  std::unique_ptr<RecordingDevice> recordingDevice_;
  std::unique_ptr<ProgressLine> progress_;  // stderr, when it is a terminal
  std::unique_ptr<ObservedPeer> peerStream_;
  Ndis ndis_;
  std::unique_ptr<OffloadTarget> target_;
  NdisMiniportHandle targetMiniport_;
  std::vector<std::unique_ptr<ImDriver>> ims_;
  abi::LoadedDrivers* drivers_ = nullptr;
  std::unique_ptr<HostStack> host_;

  sc_core::sc_mutex driverLock_;
  std::deque<std::function<void()>> dpcs_;
  sc_core::sc_event driverWork_;
  bool finished_ = false;
  bool halted_ = false;
  bool deviceRemoved_ = false;
  bool deviceGone_ = false;  // set as the removal starts: no DMA is checked from then on
  bool stopping_ = false;
  uint64_t interruptsSampled_ = 0;
};

}  // namespace chimney::tb
