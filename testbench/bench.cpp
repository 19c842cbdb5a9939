#include "bench.h"

#include <unistd.h>

#include <chrono>
#include <cmath>

#include "engine_limits.h"
#include "run_sampler.h"

namespace chimney::tb {

// ---- ObservedPeer --------------------------------------------------------

std::optional<prm::Event> ObservedPeer::nextEvent(uint64_t cycle) {
  std::optional<prm::Event> e = peer_.nextEvent(cycle);
  if (!e) return e;
  ++events_;
  if (tap_) tap_(*e);
  switch (e->type) {
    case prm::EventType::kData:
      observer_.onPeerData(e->conn, e->bytes);
      break;
    case prm::EventType::kFin:
      observer_.onPeerFin(e->conn);
      break;
    case prm::EventType::kRst:
      observer_.onPeerRst(e->conn);
      break;
    default:
      break;
  }
  return e;
}

// ---- construction --------------------------------------------------------

namespace {

uint64_t watchdogFor(const RunOptions& o, const BenchConfig& c) {
  if (o.maxCycles != 0) return o.maxCycles;
  if (c.watchdogCycles != 0) return c.watchdogCycles;
  // 100000 + 500 x ops on fast buses; a slow DMA or register bus stretches
  // the fixed part (each connection's set-up and close waits for the buses
  // too) as much as the per-operation part.
  return o.watchdogCyclesPerOp() * (200 + uint64_t(o.ops));
}

Transactor::Config transactorConfig(const RunOptions& o, const BenchConfig& c) {
  Transactor::Config t = c.transactor;
  t.engine.traceFile = o.traceFile;
  t.engine.traceFrom = o.traceFrom;
  t.engine.traceTo = o.traceTo;
  t.engine.portLog = o.portLog;
  t.engine.coverageFile = o.coverageFile;
  // Streams of draws of their own: the run's traffic is the same at every percent.
  t.csrReadyPercent = o.csrReadyPercent;
  t.workReadyPercent = o.workReadyPercent;
  t.irqReadyPercent = o.irqReadyPercent;
  t.dmaReadyPercent = o.dmaReadyPercent;
  t.readySeed = o.seed;
  // The hard stop: a run that outlives its watchdog by far ends the
  // simulation (sc_stop), and the run is reported as not finished.
  const uint64_t watchdog = watchdogFor(o, c);
  t.maxCycles = watchdog + watchdog / 2 + 10000;
  return t;
}

unsigned log2Of(unsigned v) {
  unsigned l = 0;
  while ((1u << l) < v) ++l;
  return l;
}

OffloadTargetConfig targetConfig(const RunOptions& o, const BenchConfig& c) {
  OffloadTargetConfig t = c.target;
  t.hw.queuePairs = o.queues;
  t.hw.sqLog2Entries = log2Of(o.ringSize);
  t.hw.cqLog2Entries = log2Of(o.ringSize);
  t.faults = targetFaults(o);
  return t;
}

}  // namespace

Bench::Bench(sc_core::sc_module_name name, const RunOptions& options, const BenchConfig& config,
             Body body, RunReport& report, abi::LoadedDrivers* drivers)
    : sc_module(name),
      options_(options),
      config_(config),
      body_(std::move(body)),
      report_(report),
      rng_(options.seed),
      engine_(makeEngine(options.modelDevice, transactorConfig(options, config))),
      peer_([&] {
        PeerModel::Config p = config.peer;
        p.seed = options.seed;
        return p;
      }()),
      scoreboard_([this] { return cycle(); }),
      ndis_(nullptr),
      drivers_(drivers) {
  observer_ = std::make_unique<RunObserver>(scoreboard_, report_, [this] { return cycle(); });
  setUpRecording();
  progress_ =
      std::make_unique<ProgressLine>(!options_.quiet && isatty(STDERR_FILENO) != 0, options_.ops);
  if (!options_.traceFile.empty()) {
    // Requests in flight when the window opens were queued before it.
    constexpr uint64_t kBefore = 100000;
    observer_->nameTags(options_.traceFrom > kBefore ? options_.traceFrom - kBefore : 0,
                        options_.traceTo);
  }
  peerStream_ = std::make_unique<ObservedPeer>(peer_, *stackObserver());
  if (tx_) peerStream_->setEventTap([this](const prm::Event& e) { tx_->recordEventAccepted(e); });
  engine_->setPeer(peerStream_.get());
  engine_->setDmaLatency(options_.dmaLatencyCycles);
  // Invariant 17. Once the device is surprise-removed it does no DMA (the
  // simulated engine may still run, but nothing of it reaches the host).
  engine_->onReleaseUnderDma([this](const std::string& detail) {
    if (deviceGone_) return;
    if (tx_) tx_->recordReleaseUnderDma(detail);
    scoreboard_.onMemoryReleasedUnderDma(detail);
  });
  ndis_.setObserver(stackObserver());

  // The driver stack, bottom up: target, IM drivers, host.
  if (drivers_ != nullptr) drivers_->attach(ndis_, stackObserver());
  NdisMiniportHandle below;
  if (loadedTarget()) {
    below = drivers_->addTarget(options_.targetDriver);
  } else {
    DriverId td = ndis_.NdisRegisterDriver(DriverKind::kOffloadTarget, "offload-target");
    target_ = std::make_unique<OffloadTarget>(targetDevice(), targetConfig(options_, config_));
    target_->setObserver(stackObserver());
    target_->setDpcScheduler([this](std::function<void()> dpc) {
      dpcs_.push_back(std::move(dpc));
      driverWork_.notify(sc_core::SC_ZERO_TIME);
    });
    below = ndis_.NdisMRegisterMiniport(td, *target_);
  }
  targetMiniport_ = below;
  // IM layers bottom up: the --im-driver list (libraries and "builtin"),
  // then the --im-layers built-in IMs.
  auto builtinIm = [&] {
    ims_.push_back(std::make_unique<ImDriver>(ndis_, "im" + std::to_string(ims_.size()), below,
                                              stackObserver()));
    below = ims_.back()->miniportHandle();
  };
  for (const std::string& d : options_.imDrivers) {
    if (d == "builtin") {
      builtinIm();
    } else if (drivers_ != nullptr) {
      below = drivers_->addIm(d, below);
    }
  }
  for (unsigned i = 0; i < options_.imLayers; ++i) builtinIm();
  host_ = std::make_unique<HostStack>(ndis_, "host", below, stackObserver());
  // The report counts completions (RunObserver); a record of each one would
  // make memory grow with --ops.
  host_->keepCompletionRecords(false);

  SC_THREAD(scenarioThread);
  SC_THREAD(driverThread);
}

Bench::~Bench() {
  if (target_ && target_->hardwareInitResult() == HwInitResult::kOk && !halted_) {
    // The simulation stopped before the scenario thread could halt the
    // target (hard cycle limit): no SystemC thread is left to carry a
    // register access, so to the target the device is gone.
    target_->forgetDevice();
  }
  if (loadedTarget() && !halted_) drivers_->forgetTargetDevice();
}

bool Bench::targetHasDeferredWork() const {
  return loadedTarget() ? drivers_->targetTimerSet() : target_->hasDeferredWork();
}

void Bench::targetTimer() {
  if (loadedTarget()) {
    drivers_->runTargetTimers();
  } else {
    target_->MiniportTimer();
  }
}

TargetCounters Bench::targetCounters() const {
  if (!loadedTarget()) return target_->counters();
  TargetCounters c;
  c.descriptors = drivers_->targetDescriptorsConsumed();
  c.sqFullStalls = drivers_->targetSqFullSeen();
  c.recoveries = drivers_->targetRecoveries();
  return c;
}

uint64_t Bench::targetRingBase(unsigned q, bool sq) {
  if (loadedTarget()) return drivers_->targetRingBase(q, sq);
  const QueuePair& qp = target_->hardware().queuePair(q);
  return sq ? qp.sq.base() : qp.cq.base();
}

// ---- time and waiting ----------------------------------------------------

uint64_t Bench::cycle() const {
  return engine_->nowCycle();
}

uint64_t Bench::random(uint64_t lo, uint64_t hi) {
  return std::uniform_int_distribution<uint64_t>(lo, hi)(rng_);
}

uint64_t Bench::watchdogLimit() const {
  return watchdogFor(options_, config_);
}

void Bench::waitCycles(uint64_t cycles) {
  wait(engine_->period() * double(cycles));
}

bool Bench::waitUntil(const std::function<bool()>& done, std::string_view what) {
  // Polling keeps the driver side off the RTL's per-cycle path; 50 cycles
  // is short against a completion's round trip and long against a cycle.
  constexpr uint64_t kPollCycles = 50;
  while (!done()) {
    progress_->update(cycle(), scoreboard_.completionsSeen(), scoreboard_.postsSeen());
    if (cycle() >= watchdogLimit()) {
      fail("watchdog: " + std::string(what) + " not reached within " +
           std::to_string(watchdogLimit()) + " cycles");
      return false;
    }
    waitCycles(kPollCycles);
  }
  return true;
}

bool Bench::quiet() const {
  const bool hostSide = observer_->outstanding() == 0 && dpcs_.empty() &&
                        !targetHasDeferredWork() && ndis_.pendingWorkItems() == 0;
  return hostSide && (deviceRemoved_ || (peer_.idle() && engine_->quiescent()));
}

bool Bench::removeDevice() {
  if (!target_) return false;
  deviceGone_ = true;  // before the target reacts: it may free memory at once
  locked([&] { target_->surpriseRemoval(); });
  deviceRemoved_ = true;
  return true;
}

bool Bench::drain() {
  return waitUntil([this] { return quiet(); }, "drain (all completions back)");
}

// ---- driver side ---------------------------------------------------------

void Bench::driverThread() {
  // The DPC context: deferred procedure calls the target queued from its
  // ISR, NDIS work items, and the target's timer while it has work waiting.
  constexpr uint64_t kTimerCycles = 100;
  for (;;) {
    const bool timer = targetHasDeferredWork() || ndis_.pendingWorkItems() > 0;
    if (dpcs_.empty()) {
      if (timer) {
        wait(engine_->period() * double(kTimerCycles), driverWork_);
      } else {
        wait(driverWork_);
      }
    }
    if (stopping_) return;
    progress_->update(cycle(), scoreboard_.completionsSeen(), scoreboard_.postsSeen());
    if (!dpcs_.empty() && config_.dpcDelayCycles > 0) waitCycles(config_.dpcDelayCycles);
    driverLock_.lock();
    sampleForReport();
    while (!dpcs_.empty()) {
      std::function<void()> dpc = std::move(dpcs_.front());
      dpcs_.pop_front();
      if (tx_) tx_->recordDpc(true);
      dpc();
      if (tx_) tx_->recordDpc(false);
    }
    ndis_.runWorkItems();
    targetTimer();
    driverLock_.unlock();
  }
}

void Bench::sampleForReport() {
  const uint64_t now = cycle();
  if (target_) report_.cqOccupancy.sample(now, cqOccupancy(*target_, engine_->device().memory()));
  const uint64_t interrupts = engine_->interruptsDelivered();
  if (interrupts > interruptsSampled_) {
    report_.interruptWindows.add(now, interrupts - interruptsSampled_);
  }
  interruptsSampled_ = interrupts;
}

// ---- host operations -----------------------------------------------------

ConnectionId Bench::open() {
  ConnectionId id;
  locked([&] { id = host_->openConnection(); });
  waitUntil([&] { return host_->state(id) != HostStack::ConnState::kOffloading; },
            "connection offload");
  if (host_->state(id) != HostStack::ConnState::kOffloaded) {
    fail("connection " + std::to_string(id.value) + " could not be offloaded");
  }
  return id;
}

uint16_t Bench::hwConn(ConnectionId conn) const {
  return observer_->hardwareConnection(conn);
}

void Bench::send(ConnectionId conn, const std::vector<uint32_t>& lengths) {
  locked([&] { host_->postSends(conn, lengths); });
}
void Bench::receive(ConnectionId conn, const std::vector<uint32_t>& lengths, bool noPush) {
  locked([&] { host_->postReceives(conn, lengths, noPush); });
}
void Bench::disconnect(ConnectionId conn, bool abortive, uint32_t length) {
  locked([&] { host_->postDisconnect(conn, abortive, length); });
}
void Bench::forward(ConnectionId conn, const std::vector<uint32_t>& lengths) {
  locked([&] { host_->postForwards(conn, lengths); });
}
void Bench::terminate(ConnectionId conn) {
  locked([&] { host_->terminate(conn); });
}
void Bench::returnIndications() {
  locked([&] { host_->returnIndications(); });
}

void Bench::peerSend(ConnectionId conn, uint64_t bytes) {
  peer_.peerSend(hwConn(conn), bytes);
  engine_->kick();
}
void Bench::peerFin(ConnectionId conn) {
  peer_.peerFin(hwConn(conn));
  engine_->kick();
}
void Bench::peerRst(ConnectionId conn) {
  peer_.peerRst(hwConn(conn));
  engine_->kick();
}

// ---- the run -------------------------------------------------------------

bool Bench::bringUp() {
  if (loadedTarget()) {
    std::string why;
    locked([&] {
      const OffloadTargetConfig t = targetConfig(options_, config_);
      why = drivers_->initializeTarget(targetDevice(),
                                       [this](std::function<void()> dpc) {
                                         dpcs_.push_back(std::move(dpc));
                                         driverWork_.notify(sc_core::SC_ZERO_TIME);
                                       },
                                       {{"QueuePairs", t.hw.queuePairs},
                                        {"SqLog2Entries", t.hw.sqLog2Entries},
                                        {"CqLog2Entries", t.hw.cqLog2Entries},
                                        {"IrqModCount", t.hw.irqModCount},
                                        {"IrqModTimer", t.hw.irqModTimer}});
    });
    if (!why.empty()) fail("bring-up: " + why);
    return why.empty();
  }
  NdisStatus st = NdisStatus::kResources;
  locked([&] {
    st = target_->attachNdis(targetMiniport_, ndis_.NdisMGetOffloadHandlers(targetMiniport_));
  });
  if (st != NdisStatus::kSuccess) {
    fail(std::string("bring-up: attachNdis failed: ") + toString(target_->hardwareInitResult()));
    return false;
  }
  const DeviceCaps& caps = target_->hardware().caps();
  if (caps.numConn != kNumConn || caps.numQp != kNumQp || caps.reqSlots != kReqSlots) {
    fail("bring-up: engine CAPS (" + std::to_string(caps.numConn) + " conns, " +
         std::to_string(caps.numQp) + " queue pairs, " + std::to_string(caps.reqSlots) +
         " slots) differ from the command line's limits");
    return false;
  }
  return true;
}

void Bench::scenarioThread() {
  const auto wallStart = std::chrono::steady_clock::now();
  if (bringUp()) {
    injectFaults();
    body_(*this);
    drain();
    returnIndications();
    drain();
    closingChecks();
  }
  // MiniportHaltEx: engine and queue pairs off, from this thread (register
  // accesses need a SystemC thread; the destructor runs after the simulation).
  locked([&] {
    if (loadedTarget()) {
      drivers_->haltTarget();
    } else {
      target_->halt();
    }
  });
  halted_ = true;
  report_.cycles = cycle();
  report_.rtlCycles = engine_->cyclesEvaluated();
  report_.clockPeriodPs = uint32_t(std::llround(engine_->period().to_seconds() * 1e12));
  report_.wallSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
  finishRecording();
  progress_->finish();
  finished_ = true;
  stopping_ = true;
  driverWork_.notify(sc_core::SC_ZERO_TIME);
  sc_core::sc_stop();
}

}  // namespace chimney::tb
