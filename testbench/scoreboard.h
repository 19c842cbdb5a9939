// Scoreboard: checks the 17 invariants of docs/spec/DRIVER-MODEL.md on every run.
//
// It is a StackObserver: NDIS, the host stack, the IM drivers, the offload
// target and the peer glue report to it while the simulation runs, and
// checkQuiescent() closes the run (invariants that speak about "at the end":
// 1, 7, 12, 14, 16). Each invariant is one named check; every violation names
// the invariant's number, the check, the connection, the operation, the NBL
// and the time (from an injectable clock: cycles or ns in the
// co-simulation, a counter in unit tests).
//
// Plain C++ (no SystemC).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stack_observer.h"

namespace chimney {

struct Violation {
  int invariant = 0;        // 1..17, docs/spec/DRIVER-MODEL.md numbering
  std::string check;        // name of the check, e.g. "CompletedExactlyOnce"
  uint64_t time = 0;        // from the scoreboard's clock
  ConnectionId connection;  // invalid when not known
  OffloadOp op = OffloadOp::kSend;
  bool hasOp = true;  // false: no operation is concerned (invariant 17)
  const NetBufferList* nbl = nullptr;
  // The NBL's run-unique id (nbl#N): a new one for every post of a pointer
  // (pools reuse NBLs) and for every indication; 0 when no NBL is concerned.
  uint64_t nblId = 0;
  // The layer the check blames: the driver that made the call or completion
  // found wrong ("target", "im0", ...), "host" for the host's own calls.
  std::string layer;
  std::string detail;
  std::string message()
      const;  // "[invariant 1 CompletedExactlyOnce] t=.. layer=.. conn=.. send nbl#N: .."
};

class Scoreboard : public StackObserver {
 public:
  using Clock = std::function<uint64_t()>;
  // Without a clock, time is the number of observations so far.
  explicit Scoreboard(Clock clock = {});
  ~Scoreboard() override;

  // ---- Results
  const std::vector<Violation>& violations() const;
  std::size_t violationCount(int invariant) const;
  bool clean() const { return violations().empty(); }
  std::string report() const;  // one line per violation
  // Called for every violation as it is found (e.g. to print or stop).
  void setViolationHandler(std::function<void(const Violation&)> handler);

  // Closes the run: everything must be back home, and each ring's driver view
  // must equal the hardware's (invariants 1, 7, 12, 14, 16).
  void checkQuiescent(const std::vector<RingSnapshot>& rings);

  // Invariant 17 (DmaMemoryLifetime): the offload target released host
  // memory that a DMA burst of the device may still touch. `detail` names
  // the window and the burst (tb::EngineSide::onReleaseUnderDma).
  void onMemoryReleasedUnderDma(const std::string& detail);

  // ---- Figures (for reports and tests)
  uint64_t completionsSeen() const;
  uint64_t postsSeen() const;
  std::size_t liveCallEntries() const;
  std::size_t outstandingNbls() const;  // posted, not yet completed to the host
  // Receive completions and indications whose stream order was judged
  // (invariant 6, ReceiveStreamOrder), passed or not.
  uint64_t streamOrderJudged() const;
  // The current run-unique id of an NBL pointer (0: never seen).
  uint64_t nblId(const NetBufferList* nbl) const;
  // The connection an outstanding NBL was posted on (invalid: not outstanding).
  ConnectionId connectionOf(const NetBufferList* nbl) const;
  // Records the scoreboard holds (per-NBL, per-edge, per-call-entry and
  // id-range entries). Bounded by what is in flight and by the distinct NBL
  // pointers, not by the number of operations seen: state an NBL needs is
  // dropped once it has completed and been accounted.
  std::size_t trackedRecords() const;

  // ---- StackObserver
  void onDriverRegistered(DriverId, DriverKind, const std::string&) override;
  void onMiniportRegistered(NdisMiniportHandle, DriverId) override;
  void onBindingOpened(NdisBindingHandle, ProtocolBindingContext, DriverId,
                       NdisMiniportHandle) override;
  void onOffloadHandleAllocated(NdisOffloadHandle, NdisBindingHandle, ConnectionId) override;
  void onDownCallBegin(const EdgeCall&) override;
  void onDownCallEnd(const EdgeCall&, NdisStatus) override;
  void onUpCallBegin(const EdgeCall&) override;
  void onUpCallEnd(const EdgeCall&, NdisStatus, uint32_t) override;
  void onRoutingError(const EdgeCall&, const std::string&) override;
  void onHostConnectionOpened(ConnectionId, NdisOffloadHandle) override;
  void onHostPost(ConnectionId, OffloadOp, NetBufferList*, uint32_t) override;
  void onHostPostReturned(ConnectionId, OffloadOp, NdisStatus) override;
  void onHostCompletion(OffloadOp, NetBufferList*) override;
  void onHostIndication(ConnectionId, NetBufferList*, NdisStatus, uint32_t) override;
  void onHostEvent(ConnectionId, OffloadEvent) override;
  void onHostReceiveReturn(ConnectionId, NetBufferList*, NdisStatus) override;
  void onHostTerminateRequested(ConnectionId) override;
  void onHostTerminateComplete(ConnectionId, NdisStatus) override;
  void onCallEntryAllocated(DriverId, uint64_t, NetBufferList*, OffloadOp) override;
  void onCallEntryFreed(DriverId, uint64_t) override;
  void onDriverViolation(int invariant, DriverId, OffloadOp, NetBufferList*,
                         const std::string& what) override;
  void onHardwareConnectionBound(ConnectionId, uint16_t, unsigned) override;
  void onHardwareConnectionReleased(uint16_t) override;
  void onRequestQueued(NetBufferList*, OffloadOp, uint64_t, unsigned, uint32_t) override;
  void onDescriptorRead(unsigned, uint32_t, const prm::Completion&) override;
  void onPeerData(uint16_t, uint32_t) override;
  void onPeerFin(uint16_t) override;
  void onPeerRst(uint16_t) override;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace chimney
