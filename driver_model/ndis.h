// NDIS itself: the dispatcher between stacked drivers on the TCP chimney
// offload path. It keeps the topology (drivers, miniport edges, bindings,
// offload handles), routes every call of docs/spec/DRIVER-MODEL.md's table down
// (offload handle -> binding -> miniport below) and up (completions by each
// NBL's SourceHandle, indications and events by offload handle), sets
// SourceHandle on the way down, hands miniports their upward entry points
// (NdisMGetOffloadHandlers), and reports every edge crossing to a
// StackObserver.
//
// Any number of intermediate drivers may sit between the host stack and the
// offload target: an IM is one miniport edge (its upper half) plus one
// binding to the miniport below (its lower half).
//
// Deferred work (NdisQueueIoWorkItem) runs only from runWorkItems(), which the
// simulation loop calls outside every driver call, like a system worker
// thread.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ndis_offload.h"
#include "ndis_types.h"
#include "stack_observer.h"

namespace chimney {

// The request handler of `miniport` that `op` names (MiniportTcpOffloadSend,
// ...Receive, ...Disconnect with `flags`, ...Forward); any other op calls
// nothing and answers kInvalidParameter.
NdisStatus miniportTcpRequest(MiniportOffloadHandlers& miniport, OffloadOp op,
                              NdisOffloadHandle handle, NetBufferList* list, uint32_t flags);

class Ndis {
 public:
  explicit Ndis(StackObserver* observer = nullptr) : observer_(observer) {}
  Ndis(const Ndis&) = delete;
  Ndis& operator=(const Ndis&) = delete;

  void setObserver(StackObserver* observer) { observer_ = observer; }

  // ---- Topology
  DriverId NdisRegisterDriver(DriverKind kind, const std::string& name);
  NdisMiniportHandle NdisMRegisterMiniport(DriverId driver, MiniportOffloadHandlers& miniport);
  // Binds `protocol` (owned by `driver`) to the miniport `below`; `ctx` is what
  // NDIS passes back in every Protocol* call of this binding.
  NdisBindingHandle NdisOpenAdapter(DriverId driver, ProtocolOffloadHandlers& protocol,
                                    ProtocolBindingContext ctx, NdisMiniportHandle below);
  NdisOffloadHandlers NdisMGetOffloadHandlers(NdisMiniportHandle miniport);

  // An offload handle for `connection` on `binding` (the layer below the
  // binding receives it in MiniportInitiateOffload).
  NdisOffloadHandle NdisAllocateOffloadHandle(NdisBindingHandle binding, ConnectionId connection);
  void NdisFreeOffloadHandle(NdisOffloadHandle handle);

  // ---- Protocol -> miniport
  void NdisInitiateOffload(NdisBindingHandle binding, OffloadBlock* block);
  void NdisTerminateOffload(NdisBindingHandle binding, OffloadBlock* block);
  NdisStatus NdisOffloadTcpSend(NdisOffloadHandle handle, NetBufferList* list);
  NdisStatus NdisOffloadTcpReceive(NdisOffloadHandle handle, NetBufferList* list);
  NdisStatus NdisOffloadTcpDisconnect(NdisOffloadHandle handle, NetBufferList* nbl, uint32_t flags);
  NdisStatus NdisOffloadTcpForward(NdisOffloadHandle handle, NetBufferList* list);
  NdisStatus NdisOffloadTcpReceiveReturn(NdisBindingHandle binding, NetBufferList* nbl);

  // ---- Miniport -> protocol (also reachable through NdisMGetOffloadHandlers)
  void NdisMInitiateOffloadComplete(NdisMiniportHandle miniport, OffloadBlock* block);
  void NdisMTerminateOffloadComplete(NdisMiniportHandle miniport, OffloadBlock* block);
  void NdisTcpOffloadSendComplete(NdisMiniportHandle miniport, NetBufferList* list);
  void NdisTcpOffloadReceiveComplete(NdisMiniportHandle miniport, NetBufferList* list);
  void NdisTcpOffloadDisconnectComplete(NdisMiniportHandle miniport, NetBufferList* list);
  void NdisTcpOffloadForwardComplete(NdisMiniportHandle miniport, NetBufferList* list);
  NdisStatus NdisTcpOffloadReceiveHandler(NdisOffloadHandle handle, NetBufferList* nbl,
                                          NdisStatus status, uint32_t* bytesConsumed);
  void NdisTcpOffloadEventHandler(NdisOffloadHandle handle, OffloadEvent event, uint32_t info);

  // ---- By operation: the request call above (NdisOffloadTcpSend, ...Receive,
  // ...Disconnect with `flags`, ...Forward) or its completion call
  // (NdisTcpOffload*Complete) that `op` names. Any other op is routed nowhere:
  // the request answers INVALID_PARAMETER, the completion does nothing.
  NdisStatus NdisOffloadTcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list,
                                   uint32_t flags);
  void NdisTcpOffloadRequestComplete(OffloadOp op, NdisMiniportHandle miniport,
                                     NetBufferList* list);

  // ---- Deferred work
  void NdisQueueIoWorkItem(std::function<void()> work);
  // Runs queued work items (including ones queued meanwhile); returns true
  // when at least one ran.
  bool runWorkItems();
  std::size_t pendingWorkItems() const { return workItems_.size(); }

  // A fresh connection name for a host stack (stands for the host's TCP
  // connection table, shared by every host stack bound anywhere; never reused).
  ConnectionId allocateConnectionId() { return ConnectionId{nextConnectionId_++}; }

  // ---- Queries
  ConnectionId connectionOf(NdisOffloadHandle handle) const;
  NdisBindingHandle bindingOf(NdisOffloadHandle handle) const;
  NdisMiniportHandle miniportBelow(NdisBindingHandle binding) const;

  // How many freed offload handles a late call can still be attributed to
  // (the most recently freed ones).
  static constexpr std::size_t kRetiredHandlesKept = 1024;

 private:
  struct Miniport {
    DriverId driver;
    MiniportOffloadHandlers* handlers = nullptr;
  };
  struct Binding {
    DriverId driver;
    ProtocolOffloadHandlers* protocol = nullptr;
    ProtocolBindingContext ctx;
    NdisMiniportHandle below;
  };
  struct OffloadHandleInfo {
    NdisBindingHandle binding;
    ConnectionId connection;
    bool live = true;  // false once freed (kept to attribute late calls)
  };

  const Binding* findBinding(NdisBindingHandle binding) const;
  const Miniport* findMiniport(NdisMiniportHandle miniport) const;
  const OffloadHandleInfo* findHandle(NdisOffloadHandle handle) const;
  // The entry of call.handle and the binding it was allocated on (null when
  // unknown); a known handle names the call's connection.
  std::pair<const OffloadHandleInfo*, const Binding*> routeHandle(EdgeCall& call) const;
  NdisStatus callDown(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list, uint32_t flags);
  // Initiate or terminate offload: routes the offload block to the miniport
  // below the binding.
  void offloadBlockDown(OffloadOp op, NdisBindingHandle binding, OffloadBlock* block);
  void completeUp(OffloadOp op, NdisMiniportHandle miniport, NetBufferList* list);
  // Hands one list, all of whose NBLs name `binding`, up that binding.
  void completeUpTo(OffloadOp op, NdisMiniportHandle miniport, NdisBindingHandle binding,
                    NetBufferList* list);
  void completeBlockUp(OffloadOp op, NdisMiniportHandle miniport, OffloadBlock* block);
  void routingError(const EdgeCall& call, const std::string& what);

  StackObserver* observer_ = nullptr;
  std::vector<std::pair<DriverKind, std::string>> drivers_;
  std::vector<Miniport> miniports_;  // index = handle value - 1
  std::vector<Binding> bindings_;    // index = handle value - 1
  std::unordered_map<NdisOffloadHandle, OffloadHandleInfo, HandleHash> offloadHandles_;
  std::deque<NdisOffloadHandle> retiredHandles_;  // freed, oldest first
  uint32_t nextOffloadHandle_ = 1;
  uint32_t nextConnectionId_ = 1;
  std::deque<std::function<void()>> workItems_;
};

}  // namespace chimney
