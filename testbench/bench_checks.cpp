// The closing checks of a run: the scoreboard's end-of-run invariants, the
// engine's own counters and pointers against what the driver saw, stray DMA,
// driver anomaly counters, and the scenario's expected counts.
#include "bench.h"

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

// Driver anomaly counters that a correct engine never makes non-zero.
std::vector<std::pair<const char*, uint64_t>> anomalies(const TargetCounters& c) {
  return {{"unknownTag", c.unknownTag},
          {"unknownType", c.unknownType},
          {"unknownStatus", c.unknownStatus},
          {"typeMismatch", c.typeMismatch},
          {"connMismatch", c.connMismatch},
          {"wrongQueue", c.wrongQueue},
          {"bytesOverrun", c.bytesOverrun},
          {"unknownConnEvent", c.unknownConnEvent},
          {"unexpectedTerminateDone", c.unexpectedTerminateDone},
          {"phaseMismatch", c.phaseMismatch},
          {"unknownVector", c.unknownVector},
          {"badReceiveReturn", c.badReceiveReturn},
          {"doorbellErrors", c.doorbellErrors},
          {"rxConsumedErrors", c.rxConsumedErrors},
          {"offloadFailures", c.offloadFailures},
          {"terminateCmdErrors", c.terminateCmdErrors},
          {"lostByHardware", c.lostByHardware}};
}

}  // namespace

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
  std::vector<RingSnapshot> rings;
  locked([&] {
    rings = target_->ringSnapshots();
    scoreboard_.checkQuiescent(rings);
    readHardwareCounters();
  });
  report_.interruptsSeen = engine_->interruptsDelivered();

  auto hw = [&](const char* name) -> uint64_t {
    auto it = report_.hardwareCounters.find(name);
    return it == report_.hardwareCounters.end() ? 0 : it->second;
  };
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) fail(what);
  };
  auto eq = [&](const std::string& what, uint64_t engine, uint64_t driver) {
    check(engine == driver,
          what + ": engine " + std::to_string(engine) + ", driver side " + std::to_string(driver));
  };

  // Pointers: everything the driver rang was fetched, everything the engine
  // committed was consumed.
  uint64_t sqTails = 0;
  for (const RingSnapshot& r : rings) {
    const std::string q = "queue pair " + std::to_string(r.qp);
    eq(q + " SQ_TAIL vs the driver's tail", r.hwSqTail, r.driverSqTail);
    eq(q + " SQ_HEAD vs the driver's tail", r.hwSqHead, r.driverSqTail);
    eq(q + " CQ_TAIL vs the driver's head", r.hwCqTail, r.driverCqHead);
    eq(q + " CQ_HEAD vs the driver's head", r.hwCqHead, r.driverCqHead);
    sqTails += r.driverSqTail;
  }
  const TargetCounters& tc = target_->counters();
  // Counters wrap at 32 bits, SQ pointers at 16.
  eq("CNT_REQ_FETCHED (mod 2^16) vs SQ entries written", hw("CNT_REQ_FETCHED") & 0xFFFF,
     sqTails & 0xFFFF);
  eq("CNT_CPL_WRITTEN vs descriptors consumed", hw("CNT_CPL_WRITTEN"),
     tc.descriptors & 0xFFFFFFFFu);
  eq("CNT_IRQ vs interrupts delivered", hw("CNT_IRQ"),
     engine_->interruptsDelivered() & 0xFFFFFFFFu);
  eq("CNT_IRQ vs interrupt messages seen on the port", hw("CNT_IRQ"),
     engine_->interruptMessages() & 0xFFFFFFFFu);
  eq("CNT_EVT vs events the peer delivered", hw("CNT_EVT"),
     peerStream_->eventsDelivered() & 0xFFFFFFFFu);
  eq("CNT_PROTO_ERR vs expected", hw("CNT_PROTO_ERR"), config_.expectedProtoErrors);
  eq("CNT_DMA_ERR vs expected", hw("CNT_DMA_ERR"), config_.expectedDmaErrors);
  if (config_.checkLateEvents) {
    eq("CNT_EVT_LATE vs expected", hw("CNT_EVT_LATE"), config_.expectedLateEvents);
  }
  const uint64_t errBits = hw("ERR_STATUS") & ~uint64_t(config_.allowedErrStatus);
  check(errBits == 0, "ERR_STATUS has unexpected bits set: " + std::to_string(errBits));
  eq("stray DMA (outside every mapped window) vs expected", engine_->strayDma(),
     config_.expectedStrayDma);
  for (const std::string& v : engine_->dmaViolations()) fail("DMA rule: " + v);
  check(engine_->interruptsDropped() == 0, "interrupts arrived with no handler installed");
  for (const auto& [name, value] : anomalies(tc)) {
    check(value == 0,
          std::string("driver anomaly counter ") + name + " = " + std::to_string(value));
  }
  check(host_->strayCompletions() == 0,
        "host received " + std::to_string(host_->strayCompletions()) + " stray completions");
  for (const auto& im : ims_) {
    check(im->liveCallEntries() == 0, "IM call entries left at the end");
  }

  for (const Violation& v : scoreboard_.violations()) report_.violations.push_back(v.message());
  expect_.check(report_, report_.mismatches);
}

}  // namespace chimney::tb
