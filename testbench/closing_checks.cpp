#include "closing_checks.h"

#include <utility>

namespace chimney::tb {

namespace {

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

std::vector<std::string> ClosingFailures::all() const {
  std::vector<std::string> out = bus;
  out.insert(out.end(), counts.begin(), counts.end());
  return out;
}

ClosingFailures closingCheckFailures(const ClosingObservation& seen,
                                     const ClosingExpectations& expected) {
  ClosingFailures result;
  std::vector<std::string>& failures = result.counts;
  auto hw = [&](const char* name) -> uint64_t {
    auto it = seen.hardwareCounters.find(name);
    return it == seen.hardwareCounters.end() ? 0 : it->second;
  };
  auto check = [&](bool ok, const std::string& what) {
    if (!ok) failures.push_back(what);
  };
  // Adds "what: engine N, driver side M" to `into` when the two differ.
  auto differ = [](std::vector<std::string>& into, const std::string& what, uint64_t engine,
                   uint64_t driver) {
    if (engine == driver) return false;
    into.push_back(what + ": engine " + std::to_string(engine) + ", driver side " +
                   std::to_string(driver));
    return true;
  };
  auto eq = [&](const std::string& what, uint64_t engine, uint64_t driver) {
    differ(failures, what, engine, driver);
  };

  // Pointers: everything the driver rang was fetched, everything the engine
  // committed was consumed.
  uint64_t sqTails = 0;
  for (const RingSnapshot& r : seen.rings) {
    const std::string q = "engine vs offload-target: queue pair " + std::to_string(r.qp);
    eq(q + " SQ_TAIL vs the driver's tail", r.hwSqTail, r.driverSqTail);
    eq(q + " SQ_HEAD vs the driver's tail", r.hwSqHead, r.driverSqTail);
    eq(q + " CQ_TAIL vs the driver's head", r.hwCqTail, r.driverCqHead);
    eq(q + " CQ_HEAD vs the driver's head", r.hwCqHead, r.driverCqHead);
    sqTails += r.driverSqTail;
  }
  // Counters wrap at 32 bits, SQ pointers at 16.
  if (!expected.deviceRemoved) {
    eq("engine vs offload-target: CNT_REQ_FETCHED (mod 2^16) vs SQ entries written",
       hw("CNT_REQ_FETCHED") & 0xFFFF, sqTails & 0xFFFF);
    eq("engine vs offload-target: CNT_CPL_WRITTEN vs descriptors consumed", hw("CNT_CPL_WRITTEN"),
       seen.target.descriptors & 0xFFFFFFFFu);
    eq("engine vs offload-target: CNT_IRQ vs interrupts delivered", hw("CNT_IRQ"),
       seen.interruptsDelivered & 0xFFFFFFFFu);
  }
  eq("engine: CNT_IRQ vs interrupt messages seen on the port", hw("CNT_IRQ"),
     seen.interruptMessages & 0xFFFFFFFFu);
  eq("engine: CNT_EVT vs events the peer delivered", hw("CNT_EVT"), seen.peerEvents & 0xFFFFFFFFu);
  eq("engine: CNT_PROTO_ERR vs expected", hw("CNT_PROTO_ERR"), expected.expectedProtoErrors);
  eq("engine: CNT_DMA_ERR vs expected", hw("CNT_DMA_ERR"), expected.expectedDmaErrors);
  if (expected.checkLateEvents) {
    eq("engine: CNT_EVT_LATE vs expected", hw("CNT_EVT_LATE"), expected.expectedLateEvents);
  }
  const uint64_t errBits = hw("ERR_STATUS") & ~uint64_t(expected.allowedErrStatus);
  check(errBits == 0, "engine: ERR_STATUS has unexpected bits set: " + std::to_string(errBits));
  if (differ(result.bus, "engine: stray DMA (outside every mapped window) vs expected",
             seen.strayDma, expected.expectedStrayDma) &&
      !seen.firstStrayDma.empty()) {
    result.bus.push_back("engine: " + seen.firstStrayDma);
  }
  for (const std::string& v : seen.dmaViolations)
    result.bus.push_back("engine DMA port: DMA rule: " + v);
  check(!expected.deviceRemoved || seen.target.surpriseRemovals > 0,
        "offload-target: the device was to be surprise-removed, the target never saw it");
  check(seen.interruptsDropped == 0 || expected.deviceRemoved,
        "offload-target: interrupts arrived with no handler installed");
  for (const auto& [name, value] : anomalies(seen.target)) {
    check(value == 0, std::string("offload-target: driver anomaly counter ") + name + " = " +
                          std::to_string(value));
  }
  check(seen.hostStrayCompletions == 0,
        "host: received " + std::to_string(seen.hostStrayCompletions) + " stray completions");
  // Every IM's own tables: nothing per operation is left, and it knows
  // exactly the connections still offloaded.
  for (std::size_t i = 0; i < seen.imTables.size(); ++i) {
    const ImTables& t = seen.imTables[i];
    const std::string im = "im" + std::to_string(i) + ": ";
    check(t.callEntries == 0,
          im + "IM call entries left at the end: " + std::to_string(t.callEntries));
    check(t.entriesByNbl == 0,
          im + "NBL -> call entry index left at the end: " + std::to_string(t.entriesByNbl));
    check(t.blocks == 0, im + "offload block entries left at the end: " + std::to_string(t.blocks));
    check(t.heldSends == 0, im + "held sends left at the end: " + std::to_string(t.heldSends));
    check(t.connections == seen.liveConnections,
          im + "connection table holds " + std::to_string(t.connections) + ", target holds " +
              std::to_string(seen.liveConnections));
    check(t.lowerHandles == seen.liveConnections,
          im + "lower-handle table holds " + std::to_string(t.lowerHandles) + ", target holds " +
              std::to_string(seen.liveConnections));
  }
  return result;
}

}  // namespace chimney::tb
