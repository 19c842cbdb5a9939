// The closing checks of a run: the scoreboard's end-of-run invariants, the
// engine's own counters and pointers against what the driver saw, stray DMA,
// driver anomaly counters, and the scenario's expected counts.
#include "bench.h"
#include "functional_coverage.h"

namespace chimney::tb {

namespace {

struct CounterReg {
  const char* name;
  uint32_t offset;
};
constexpr CounterReg kCounters[] = {
    {"CNT_REQ_FETCHED", prm::reg::kCntReqFetched},
    {"CNT_CPL_WRITTEN", prm::reg::kCntCplWritten},
    {"CNT_EVT", prm::reg::kCntEvt},
    {"CNT_IRQ", prm::reg::kCntIrq},
    {"CNT_PROTO_ERR", prm::reg::kCntProtoErr},
    {"CNT_DMA_ERR", prm::reg::kCntDmaErr},
    {"CNT_EVT_LATE", prm::reg::kCntEvtLate},
};

}  // namespace

ViolationRecord Bench::record(const Violation& v) const {
  ViolationRecord r;
  r.invariant = v.invariant;
  r.check = v.check;
  r.cycle = v.time;  // the scoreboard's clock is the cycle count
  r.layer = v.layer;
  r.connection = v.connection.valid() ? int64_t(v.connection.value) : -1;
  r.op = v.hasOp ? toString(v.op) : "";
  r.nblId = v.nblId;
  r.message = v.message();
  if (const NblLink* link = observer_->links().find(v.nblId)) {
    r.tag = int64_t(link->tag);
    r.queuePair = link->queuePair;
  }
  return r;
}

void Bench::readHardwareCounters() {
  for (const CounterReg& c : kCounters) {
    RegRead r = engine_->device().read32(c.offset);
    if (r.ok) {
      report_.hardwareCounters[c.name] = r.value;
    } else {
      fail(std::string(c.name) + ": register read answered SLVERR");
    }
  }
  RegRead err = engine_->device().read32(prm::reg::kErrStatus);
  if (err.ok) report_.hardwareCounters["ERR_STATUS"] = err.value;
}

void Bench::closingChecks() {
  ClosingObservation seen;
  locked([&] {
    seen.rings = loadedTarget() ? drivers_->targetRings() : target_->ringSnapshots();
    if (drivers_ != nullptr) drivers_->checkAtEnd();
    scoreboard_.checkQuiescent(seen.rings);
    readHardwareCounters();
    reportFaultsApplied();
  });
  report_.interruptsSeen = engine_->interruptsDelivered();

  seen.hardwareCounters = report_.hardwareCounters;
  seen.target = targetCounters();
  seen.interruptsDelivered = engine_->interruptsDelivered();
  seen.interruptMessages = engine_->interruptMessages();
  seen.interruptsDropped = engine_->interruptsDropped();
  seen.peerEvents = peerStream_->eventsDelivered();
  seen.strayDma = engine_->strayDma();
  seen.firstStrayDma = engine_->firstStrayDma();
  seen.dmaViolations = engine_->dmaViolations();
  seen.hostStrayCompletions = host_->strayCompletions();
  for (const auto& im : ims_) seen.imTables.push_back(im->tables());
  seen.liveConnections =
      loadedTarget() ? drivers_->targetLiveConnections() : target_->liveConnections();
  if (drivers_ != nullptr) {
    // A loaded IM's own tables are not visible; its call entries are what
    // the interface counts (pool blocks named through an NBL context).
    ImTables loaded;
    loaded.callEntries = drivers_->liveCallEntries();
    loaded.connections = seen.liveConnections;
    loaded.lowerHandles = seen.liveConnections;
    seen.imTables.push_back(loaded);
  }
  // The DMA bus's findings lead the mismatches, ahead of the scenario's own
  // counts (found while it ran): they say where the counts went wrong.
  ClosingFailures closing = closingCheckFailures(seen, config_.closing);
  report_.mismatches.insert(report_.mismatches.begin(), closing.bus.begin(), closing.bus.end());
  for (std::string& failure : closing.counts) fail(failure);

  CoverageObservation cov;
  cov.report = &report_;
  cov.closing = seen;
  // A loaded target's own view of the hardware (the errors it saw) is not
  // visible: its bins that come from there stay 0.
  if (!loadedTarget()) cov.hw = target_->hwCounters();
  cov.imLayers = options_.imLayers;
  cov.ringSize = options_.ringSize;
  cov.softResetAtStart = config_.target.hw.softResetAtStart;
  report_.coverage = collectCoverage(cov);

  for (const Violation& v : scoreboard_.violations()) report_.violations.push_back(record(v));
  expect_.check(report_, report_.mismatches);
}

}  // namespace chimney::tb
