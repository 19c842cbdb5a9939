// Observation hooks of the driver models: everything the scoreboard
// (testbench/scoreboard.h) needs to check invariants 1 to 16 of
// docs/spec/DRIVER-MODEL.md (17 comes from the co-simulation's host memory,
// Scoreboard::onMemoryReleasedUnderDma). Every method has an empty default, so a reporter calls
// only what it knows and a test can observe a subset.
//
// Who reports what:
// - Ndis: the topology (drivers, miniports, bindings, offload handles) and
//   every call crossing a layer edge, down and up, before and after the callee
//   runs (so a completion arriving inside an initiating call is visible).
// - HostStack: the host's own view: connections, posts, the completions and
//   indications it receives, what it accepted, receive returns, terminates.
// - ImDriver: call-entry allocation and free (for a loaded C driver the
//   driver interface reports them, and what else only NDIS can see).
// - The offload target: which hardware connection carries a ConnectionId.
// - Whoever feeds the device's event stream (peer glue): bytes the peer sent,
//   its FIN and RST, keyed by hardware connection.
// - The offload target, at quiescence: ring pointers (RingSnapshot), handed
//   to Scoreboard::checkQuiescent.
#pragma once

#include <cstdint>
#include <string>

#include "ndis_offload.h"
#include "ndis_types.h"
#include "prm.h"

namespace chimney {

enum class OffloadOp : uint8_t {
  kSend,
  kReceive,
  kDisconnect,
  kForward,
  kReceiveIndicate,
  kReceiveReturn,
  kEvent,
  kInitiateOffload,
  kTerminateOffload,
};
const char* toString(OffloadOp op);

// One call crossing the edge between a binding (protocol side) and the
// miniport below it. Down calls run protocol -> miniport, up calls miniport
// -> protocol. `nbl` is the head of the list the call carries (null for
// initiate/terminate/event); `block` is set for initiate/terminate.
struct EdgeCall {
  OffloadOp op = OffloadOp::kSend;
  NdisBindingHandle binding;
  NdisMiniportHandle miniport;
  NdisOffloadHandle handle;  // this layer's handle (invalid for receive return / complete calls)
  ConnectionId connection;   // resolved by NDIS where it can (invalid otherwise)
  NetBufferList* nbl = nullptr;
  OffloadBlock* block = nullptr;
  uint32_t flags = 0;                        // disconnect flags
  NdisStatus status = NdisStatus::kSuccess;  // indication: status passed in
  OffloadEvent event = OffloadEvent::kDisconnect;
};

// The driver's and the hardware's view of one queue pair's rings.
struct RingSnapshot {
  unsigned qp = 0;
  uint16_t driverSqTail = 0;  // last doorbell value the driver wrote
  uint16_t hwSqHead = 0;      // SQ_HEAD register
  uint16_t hwSqTail = 0;      // SQ_TAIL register
  uint16_t driverCqHead = 0;  // the driver's consumer pointer
  uint16_t hwCqHead = 0;      // CQ_HEAD register [15:0]
  uint16_t hwCqTail = 0;      // CQ_TAIL register
};

class StackObserver {
 public:
  virtual ~StackObserver() = default;

  // ---- Ndis: topology
  virtual void onDriverRegistered(DriverId, DriverKind, const std::string& /*name*/) {}
  virtual void onMiniportRegistered(NdisMiniportHandle, DriverId) {}
  virtual void onBindingOpened(NdisBindingHandle, ProtocolBindingContext, DriverId /*protocol*/,
                               NdisMiniportHandle /*below*/) {}
  virtual void onOffloadHandleAllocated(NdisOffloadHandle, NdisBindingHandle, ConnectionId) {}

  // ---- Ndis: edge crossings. `returned` is the callee's return value
  // (down calls; indication), `bytesConsumed` the indication's out value.
  virtual void onDownCallBegin(const EdgeCall&) {}
  virtual void onDownCallEnd(const EdgeCall&, NdisStatus /*returned*/) {}
  virtual void onUpCallBegin(const EdgeCall&) {}
  virtual void onUpCallEnd(const EdgeCall&, NdisStatus /*returned*/, uint32_t /*bytesConsumed*/) {}
  // NDIS could not route a call (unknown handle, SourceHandle naming a binding
  // that is not above the completing miniport); the call was dropped.
  virtual void onRoutingError(const EdgeCall&, const std::string& /*what*/) {}

  // ---- HostStack (reported by the host before it calls down / at the start
  // of its callbacks, so ordering is the host's)
  virtual void onHostConnectionOpened(ConnectionId, NdisOffloadHandle) {}
  virtual void onHostPost(ConnectionId, OffloadOp, NetBufferList* /*list*/, uint32_t /*flags*/) {}
  virtual void onHostPostReturned(ConnectionId, OffloadOp, NdisStatus) {}
  virtual void onHostCompletion(OffloadOp /*callback kind*/, NetBufferList* /*list*/) {}
  // Reported when the host's indicate callback returns.
  virtual void onHostIndication(ConnectionId, NetBufferList*, NdisStatus /*returned*/,
                                uint32_t /*bytesConsumed*/) {}
  virtual void onHostEvent(ConnectionId, OffloadEvent) {}
  virtual void onHostReceiveReturn(ConnectionId, NetBufferList*, NdisStatus /*returned*/) {}
  virtual void onHostTerminateRequested(ConnectionId) {}
  virtual void onHostTerminateComplete(ConnectionId, NdisStatus) {}

  // ---- ImDriver
  virtual void onCallEntryAllocated(DriverId /*im*/, uint64_t /*entry*/, NetBufferList*,
                                    OffloadOp) {}
  virtual void onCallEntryFreed(DriverId /*im*/, uint64_t /*entry*/) {}

  // ---- The C driver interface (driver_abi/): a rule a loaded driver broke
  // that only NDIS can see (an NBL context freed out of turn, a completion
  // with a handle that is not the caller's, resources still held at the end).
  // `invariant` numbers the rule of docs/spec/DRIVER-MODEL.md.
  virtual void onDriverViolation(int /*invariant*/, DriverId, OffloadOp, NetBufferList*,
                                 const std::string& /*what*/) {}

  // ---- Offload target
  virtual void onHardwareConnectionBound(ConnectionId, uint16_t /*hwConn*/, unsigned /*qp*/) {}
  virtual void onHardwareConnectionReleased(uint16_t /*hwConn*/) {}
  // A request NBL written into queue pair `qp`'s SQ at ring slot `sqIndex`
  // with `tag` (ties the NBL to its hardware identity).
  virtual void onRequestQueued(NetBufferList*, OffloadOp, uint64_t /*tag*/, unsigned /*qp*/,
                               uint32_t /*sqIndex*/) {}
  // A completion descriptor the DPC took from queue pair `qp`'s CQ at ring
  // slot `cqIndex`.
  virtual void onDescriptorRead(unsigned /*qp*/, uint32_t /*cqIndex*/, const prm::Completion&) {}

  // ---- Peer (what the remote end did, as fed into the device's event stream)
  virtual void onPeerData(uint16_t /*hwConn*/, uint32_t /*bytes*/) {}
  virtual void onPeerFin(uint16_t /*hwConn*/) {}
  virtual void onPeerRst(uint16_t /*hwConn*/) {}
};

}  // namespace chimney
