// The two edges of an NDIS layer on the TCP chimney offload path.
//
//  protocol (host stack, or an IM's lower half)
//      | NdisOffloadTcpXxx / NdisInitiateOffload ...     ^ ProtocolTcpOffloadXxxComplete ...
//      v                                                 |
//    NDIS (class Ndis: routes every call, sets SourceHandle, observes)
//      | MiniportTcpOffloadXxx ...                       ^ NdisTcpOffloadXxxComplete ...
//      v                                                 |
//  miniport (the offload target, or an IM's upper half)
//
// A miniport implements MiniportOffloadHandlers and gets the upward entry
// points as an NdisOffloadHandlers table from NdisMGetOffloadHandlers (it
// never links to them). A protocol implements ProtocolOffloadHandlers.
//
// Rules the models keep (docs/spec/DRIVER-MODEL.md): MiniportTcpOffloadSend / Receive /
// Disconnect / Forward return NdisStatus::kPending and never complete inside
// the call; MiniportTcpOffloadReceiveReturn is synchronous and returns
// kSuccess; initiate and terminate complete through
// NdisMInitiateOffloadComplete / NdisMTerminateOffloadComplete (inside the
// call or later).
#pragma once

#include <cstdint>
#include <functional>

#include "ndis_types.h"

namespace chimney {

// NDIS_MINIPORT_OFFLOAD_BLOCK_LIST reduced to one block per call. Passed
// down by pointer and reused by each layer (like NBLs): a layer that passes
// it down saves `handle`, puts its own lower offload handle in, and restores
// the saved value before completing it up.
struct OffloadBlock {
  NdisOffloadHandle handle;                  // the offload handle of the layer receiving the block
  ConnectionId connection;                   // stands for the TCP state; never changed by any layer
  NdisStatus status = NdisStatus::kSuccess;  // set by the layer completing it
  uint64_t scratch = 0;                      // the current owner's
};

// NdisTcpOffloadEventHandler event types.
enum class OffloadEvent : uint32_t { kDisconnect = 2, kAbort = 4 };
const char* toString(OffloadEvent event);

// What NDIS calls on a miniport edge (the offload target; an IM's upper half).
class MiniportOffloadHandlers {
 public:
  virtual ~MiniportOffloadHandlers() = default;
  // Offloads block->connection; completes with NdisMInitiateOffloadComplete
  // (block->status SUCCESS, or a failure status when the connection could not
  // be offloaded). `block->handle` is this layer's handle for the connection
  // from then on.
  virtual void MiniportInitiateOffload(OffloadBlock* block) = 0;
  // Uploads the connection: every outstanding request completes (UPLOAD_IN_PROGRESS
  // from the target) before NdisMTerminateOffloadComplete.
  virtual void MiniportTerminateOffload(OffloadBlock* block) = 0;
  // `nbl` may be a list linked through `next` (all on the handle's connection),
  // except for disconnect (exactly one NBL). Return kPending.
  virtual NdisStatus MiniportTcpOffloadSend(NdisOffloadHandle handle, NetBufferList* nbl) = 0;
  virtual NdisStatus MiniportTcpOffloadReceive(NdisOffloadHandle handle, NetBufferList* nbl) = 0;
  virtual NdisStatus MiniportTcpOffloadDisconnect(NdisOffloadHandle handle, NetBufferList* nbl,
                                                  uint32_t flags) = 0;
  virtual NdisStatus MiniportTcpOffloadForward(NdisOffloadHandle handle, NetBufferList* nbl) = 0;
  // Gives back an indicated NBL the protocol accepted; synchronous, returns kSuccess.
  virtual NdisStatus MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) = 0;
};

// What NDIS calls on a protocol edge (the host stack; an IM's lower half).
class ProtocolOffloadHandlers {
 public:
  virtual ~ProtocolOffloadHandlers() = default;
  virtual void ProtocolInitiateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) = 0;
  virtual void ProtocolTerminateOffloadComplete(ProtocolBindingContext ctx,
                                                OffloadBlock* block) = 0;
  virtual void ProtocolTcpOffloadSendComplete(ProtocolBindingContext ctx, NetBufferList* list) = 0;
  virtual void ProtocolTcpOffloadReceiveComplete(ProtocolBindingContext ctx,
                                                 NetBufferList* list) = 0;
  virtual void ProtocolTcpOffloadDisconnectComplete(ProtocolBindingContext ctx,
                                                    NetBufferList* list) = 0;
  virtual void ProtocolTcpOffloadForwardComplete(ProtocolBindingContext ctx,
                                                 NetBufferList* list) = 0;
  // Returns kSuccess (took all of it; the NBL comes back later through
  // NdisOffloadTcpReceiveReturn), kOffloadDataPartiallyAccepted (took
  // *bytesConsumed < DataLength) or kOffloadDataNotAccepted (took nothing);
  // with the last two the caller owns the NBL again when this returns.
  virtual NdisStatus ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext ctx,
                                                       NdisOffloadHandle handle, NetBufferList* nbl,
                                                       NdisStatus status,
                                                       uint32_t* bytesConsumed) = 0;
  virtual void ProtocolTcpOffloadEvent(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                                       OffloadEvent event, uint32_t info) = 0;
};

// The upward entry points a miniport obtains from NdisMGetOffloadHandlers.
// Call them with the miniport's own NdisMiniportHandle (completions) or the
// offload handle it was given for the connection (indications, events).
struct NdisOffloadHandlers {
  std::function<void(NdisMiniportHandle, OffloadBlock*)> NdisMInitiateOffloadComplete;
  std::function<void(NdisMiniportHandle, OffloadBlock*)> NdisMTerminateOffloadComplete;
  std::function<void(NdisMiniportHandle, NetBufferList*)> NdisTcpOffloadSendComplete;
  std::function<void(NdisMiniportHandle, NetBufferList*)> NdisTcpOffloadReceiveComplete;
  std::function<void(NdisMiniportHandle, NetBufferList*)> NdisTcpOffloadDisconnectComplete;
  std::function<void(NdisMiniportHandle, NetBufferList*)> NdisTcpOffloadForwardComplete;
  std::function<NdisStatus(NdisOffloadHandle, NetBufferList*, NdisStatus, uint32_t*)>
      NdisTcpOffloadReceiveHandler;
  std::function<void(NdisOffloadHandle, OffloadEvent, uint32_t)> NdisTcpOffloadEventHandler;
};

}  // namespace chimney
