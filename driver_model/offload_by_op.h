// For drivers that handle the four TCP requests (send, receive, disconnect,
// forward) in one function by operation, and likewise their completions:
// the per-operation handlers of the NDIS edge interfaces forward to it.
#pragma once

#include <cstdint>

#include "ndis_offload.h"
#include "ndis_types.h"
#include "stack_observer.h"

namespace chimney {

// A miniport edge whose request handlers all go to tcpRequest(op, ...);
// flags are the disconnect's (0 for the others).
class MiniportRequestsByOp : public MiniportOffloadHandlers {
 public:
  NdisStatus MiniportTcpOffloadSend(NdisOffloadHandle handle, NetBufferList* nbl) final {
    return tcpRequest(OffloadOp::kSend, handle, nbl, 0);
  }
  NdisStatus MiniportTcpOffloadReceive(NdisOffloadHandle handle, NetBufferList* nbl) final {
    return tcpRequest(OffloadOp::kReceive, handle, nbl, 0);
  }
  NdisStatus MiniportTcpOffloadDisconnect(NdisOffloadHandle handle, NetBufferList* nbl,
                                          uint32_t flags) final {
    return tcpRequest(OffloadOp::kDisconnect, handle, nbl, flags);
  }
  NdisStatus MiniportTcpOffloadForward(NdisOffloadHandle handle, NetBufferList* nbl) final {
    return tcpRequest(OffloadOp::kForward, handle, nbl, 0);
  }

 protected:
  virtual NdisStatus tcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* nbl,
                                uint32_t flags) = 0;
};

// A protocol edge whose request-completion handlers all go to
// tcpCompleted(op, list) (the binding context is not needed).
class ProtocolCompletionsByOp : public ProtocolOffloadHandlers {
 public:
  void ProtocolTcpOffloadSendComplete(ProtocolBindingContext, NetBufferList* list) final {
    tcpCompleted(OffloadOp::kSend, list);
  }
  void ProtocolTcpOffloadReceiveComplete(ProtocolBindingContext, NetBufferList* list) final {
    tcpCompleted(OffloadOp::kReceive, list);
  }
  void ProtocolTcpOffloadDisconnectComplete(ProtocolBindingContext, NetBufferList* list) final {
    tcpCompleted(OffloadOp::kDisconnect, list);
  }
  void ProtocolTcpOffloadForwardComplete(ProtocolBindingContext, NetBufferList* list) final {
    tcpCompleted(OffloadOp::kForward, list);
  }

 protected:
  virtual void tcpCompleted(OffloadOp op, NetBufferList* list) = 0;
};

}  // namespace chimney
