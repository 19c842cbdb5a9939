// The closing checks of a co-simulation run, as a pure function: what the
// run observed at its end (engine counters and ring pointers, the driver's
// view and anomaly counters, stray DMA, interrupts, IM call entries) against
// what a clean run of the scenario leaves. Plain C++ (no SystemC), so each
// check is unit-tested by feeding it a violation.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "im_driver.h"
#include "offload_target.h"
#include "stack_observer.h"

namespace chimney::tb {

// What a scenario expects to differ from a clean run.
struct ClosingExpectations {
  uint64_t expectedStrayDma = 0;
  uint64_t expectedDmaErrors = 0;    // CNT_DMA_ERR
  uint64_t expectedProtoErrors = 0;  // CNT_PROTO_ERR
  uint32_t allowedErrStatus = 0;     // ERR_STATUS bits that may still be set at the end
  bool checkLateEvents = false;      // compare CNT_EVT_LATE with expectedLateEvents
  uint64_t expectedLateEvents = 0;
  // The device was surprise-removed: the driver no longer reads it, so its
  // view is not compared with the engine's pointers and counters, and
  // interrupts after the removal find no handler.
  bool deviceRemoved = false;
};

// What the run observed at its end.
struct ClosingObservation {
  std::vector<RingSnapshot> rings;                   // driver view and hardware pointers
  std::map<std::string, uint64_t> hardwareCounters;  // CNT_* and ERR_STATUS by name
  TargetCounters target;                             // the offload target's counters
  uint64_t interruptsDelivered = 0;                  // to the driver's handler
  uint64_t interruptMessages = 0;                    // seen on the engine's interrupt port
  uint64_t interruptsDropped = 0;                    // arrived with no handler installed
  uint64_t peerEvents = 0;                           // events the peer put on the event stream
  uint64_t strayDma = 0;                             // DMA outside every mapped window
  std::string firstStrayDma;                         // the first of them described ("" if unknown)
  std::vector<std::string> dmaViolations;            // AXI rule violations seen by the DMA port
  uint64_t hostStrayCompletions = 0;
  std::vector<ImTables> imTables;  // per IM driver: its own tracking tables
  uint64_t liveConnections = 0;    // connections the offload target still holds
};

// One line per failed check, in two groups; both empty when the run ended
// clean.
struct ClosingFailures {
  // What happened on the engine's DMA bus: a stray DMA count that differs
  // from the scenario's (with the first stray access described) and AXI
  // rule violations. Each is an event at a cycle, often the cause of the
  // counts below, so the report puts these ahead of every count (also of
  // the scenario's own).
  std::vector<std::string> bus;
  // Every other check: counters, pointers and tables that differ at the end.
  std::vector<std::string> counts;
  std::vector<std::string> all() const;  // bus, then counts
};
ClosingFailures closingCheckFailures(const ClosingObservation& seen,
                                     const ClosingExpectations& expected);

}  // namespace chimney::tb
