#include "ndis.h"

#include <utility>

namespace chimney {

namespace {

// A handler that calls `method` of `ndis` with the handler's arguments.
template <typename R, typename... Args>
std::function<R(Args...)> calling(Ndis* ndis, R (Ndis::*method)(Args...)) {
  return [ndis, method](Args... args) { return (ndis->*method)(args...); };
}

}  // namespace

const char* toString(OffloadEvent event) {
  switch (event) {
    case OffloadEvent::kDisconnect:
      return "Disconnect";
    case OffloadEvent::kAbort:
      return "Abort";
  }
  return "<unknown event>";
}

const char* toString(OffloadOp op) {
  switch (op) {
    case OffloadOp::kSend:
      return "send";
    case OffloadOp::kReceive:
      return "receive";
    case OffloadOp::kDisconnect:
      return "disconnect";
    case OffloadOp::kForward:
      return "forward";
    case OffloadOp::kReceiveIndicate:
      return "receive indication";
    case OffloadOp::kReceiveReturn:
      return "receive return";
    case OffloadOp::kEvent:
      return "event";
    case OffloadOp::kInitiateOffload:
      return "initiate offload";
    case OffloadOp::kTerminateOffload:
      return "terminate offload";
  }
  return "<unknown op>";
}

NdisStatus miniportTcpRequest(MiniportOffloadHandlers& miniport, OffloadOp op,
                              NdisOffloadHandle handle, NetBufferList* list, uint32_t flags) {
  switch (op) {
    case OffloadOp::kSend:
      return miniport.MiniportTcpOffloadSend(handle, list);
    case OffloadOp::kReceive:
      return miniport.MiniportTcpOffloadReceive(handle, list);
    case OffloadOp::kDisconnect:
      return miniport.MiniportTcpOffloadDisconnect(handle, list, flags);
    case OffloadOp::kForward:
      return miniport.MiniportTcpOffloadForward(handle, list);
    default:
      return NdisStatus::kInvalidParameter;
  }
}

// ---- Topology ------------------------------------------------------------------

DriverId Ndis::NdisRegisterDriver(DriverKind kind, const std::string& name) {
  drivers_.emplace_back(kind, name);
  DriverId id{uint32_t(drivers_.size())};
  if (observer_ != nullptr) observer_->onDriverRegistered(id, kind, name);
  return id;
}

NdisMiniportHandle Ndis::NdisMRegisterMiniport(DriverId driver, MiniportOffloadHandlers& miniport) {
  miniports_.push_back(Miniport{driver, &miniport});
  NdisMiniportHandle handle{uint32_t(miniports_.size())};
  if (observer_ != nullptr) observer_->onMiniportRegistered(handle, driver);
  return handle;
}

NdisBindingHandle Ndis::NdisOpenAdapter(DriverId driver, ProtocolOffloadHandlers& protocol,
                                        ProtocolBindingContext ctx, NdisMiniportHandle below) {
  bindings_.push_back(Binding{driver, &protocol, ctx, below});
  NdisBindingHandle handle{uint32_t(bindings_.size())};
  if (observer_ != nullptr) observer_->onBindingOpened(handle, ctx, driver, below);
  return handle;
}

NdisOffloadHandlers Ndis::NdisMGetOffloadHandlers(NdisMiniportHandle /*miniport*/) {
  NdisOffloadHandlers h;
  h.NdisMInitiateOffloadComplete = calling(this, &Ndis::NdisMInitiateOffloadComplete);
  h.NdisMTerminateOffloadComplete = calling(this, &Ndis::NdisMTerminateOffloadComplete);
  h.NdisTcpOffloadSendComplete = calling(this, &Ndis::NdisTcpOffloadSendComplete);
  h.NdisTcpOffloadReceiveComplete = calling(this, &Ndis::NdisTcpOffloadReceiveComplete);
  h.NdisTcpOffloadDisconnectComplete = calling(this, &Ndis::NdisTcpOffloadDisconnectComplete);
  h.NdisTcpOffloadForwardComplete = calling(this, &Ndis::NdisTcpOffloadForwardComplete);
  h.NdisTcpOffloadReceiveHandler = calling(this, &Ndis::NdisTcpOffloadReceiveHandler);
  h.NdisTcpOffloadEventHandler = calling(this, &Ndis::NdisTcpOffloadEventHandler);
  return h;
}

NdisOffloadHandle Ndis::NdisAllocateOffloadHandle(NdisBindingHandle binding,
                                                  ConnectionId connection) {
  NdisOffloadHandle handle{nextOffloadHandle_++};
  offloadHandles_[handle] = OffloadHandleInfo{binding, connection, true};
  if (observer_ != nullptr) observer_->onOffloadHandleAllocated(handle, binding, connection);
  return handle;
}

void Ndis::NdisFreeOffloadHandle(NdisOffloadHandle handle) {
  // Kept as retired so that a late call naming it can still be attributed to
  // its connection in the routing-error report; only the most recently
  // retired ones are kept, so memory follows the live connections. An older
  // one is unknown: a late call naming it is still a routing error.
  auto it = offloadHandles_.find(handle);
  if (it == offloadHandles_.end() || !it->second.live) return;
  it->second.live = false;
  retiredHandles_.push_back(handle);
  if (retiredHandles_.size() > kRetiredHandlesKept) {
    offloadHandles_.erase(retiredHandles_.front());
    retiredHandles_.pop_front();
  }
}

const Ndis::Binding* Ndis::findBinding(NdisBindingHandle binding) const {
  if (!binding.valid() || binding.value > bindings_.size()) return nullptr;
  return &bindings_[binding.value - 1];
}

const Ndis::Miniport* Ndis::findMiniport(NdisMiniportHandle miniport) const {
  if (!miniport.valid() || miniport.value > miniports_.size()) return nullptr;
  return &miniports_[miniport.value - 1];
}

const Ndis::OffloadHandleInfo* Ndis::findHandle(NdisOffloadHandle handle) const {
  auto it = offloadHandles_.find(handle);
  return it == offloadHandles_.end() ? nullptr : &it->second;
}

std::pair<const Ndis::OffloadHandleInfo*, const Ndis::Binding*> Ndis::routeHandle(
    EdgeCall& call) const {
  const OffloadHandleInfo* info = findHandle(call.handle);
  if (info == nullptr) return {nullptr, nullptr};
  call.connection = info->connection;
  return {info, findBinding(info->binding)};
}

ConnectionId Ndis::connectionOf(NdisOffloadHandle handle) const {
  const OffloadHandleInfo* info = findHandle(handle);
  return info != nullptr ? info->connection : ConnectionId{};
}

NdisBindingHandle Ndis::bindingOf(NdisOffloadHandle handle) const {
  const OffloadHandleInfo* info = findHandle(handle);
  return info != nullptr ? info->binding : NdisBindingHandle{};
}

NdisMiniportHandle Ndis::miniportBelow(NdisBindingHandle binding) const {
  const Binding* b = findBinding(binding);
  return b != nullptr ? b->below : NdisMiniportHandle{};
}

void Ndis::routingError(const EdgeCall& call, const std::string& what) {
  if (observer_ != nullptr) observer_->onRoutingError(call, what);
}

// ---- Protocol -> miniport -------------------------------------------------------

void Ndis::NdisInitiateOffload(NdisBindingHandle binding, OffloadBlock* block) {
  offloadBlockDown(OffloadOp::kInitiateOffload, binding, block);
}

void Ndis::NdisTerminateOffload(NdisBindingHandle binding, OffloadBlock* block) {
  offloadBlockDown(OffloadOp::kTerminateOffload, binding, block);
}

void Ndis::offloadBlockDown(OffloadOp op, NdisBindingHandle binding, OffloadBlock* block) {
  const bool initiate = op == OffloadOp::kInitiateOffload;
  EdgeCall call;
  call.op = op;
  call.binding = binding;
  call.block = block;
  call.handle = block->handle;
  call.connection = block->connection;
  const Binding* b = findBinding(binding);
  const Miniport* m = b != nullptr ? findMiniport(b->below) : nullptr;
  if (m == nullptr) {
    routingError(call, initiate ? "initiate offload on an unknown binding"
                                : "terminate offload on an unknown binding");
    return;
  }
  call.miniport = b->below;
  if (observer_ != nullptr) observer_->onDownCallBegin(call);
  if (initiate) {
    m->handlers->MiniportInitiateOffload(block);
  } else {
    m->handlers->MiniportTerminateOffload(block);
  }
  if (observer_ != nullptr) observer_->onDownCallEnd(call, NdisStatus::kPending);
}

NdisStatus Ndis::callDown(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list,
                          uint32_t flags) {
  EdgeCall call;
  call.op = op;
  call.handle = handle;
  call.nbl = list;
  call.flags = flags;
  const auto [info, b] = routeHandle(call);
  const Miniport* m = b != nullptr ? findMiniport(b->below) : nullptr;
  if (m == nullptr || !info->live) {
    routingError(call, "request on an unknown or freed offload handle");
    return NdisStatus::kInvalidParameter;
  }
  call.binding = info->binding;
  call.miniport = b->below;
  // NDIS owns SourceHandle: it names the binding the request came from, and
  // routes the completion back there.
  for (NetBufferList* n = list; n != nullptr; n = n->next) n->sourceHandle = info->binding;
  if (observer_ != nullptr) observer_->onDownCallBegin(call);
  const NdisStatus status = miniportTcpRequest(*m->handlers, op, handle, list, flags);
  if (observer_ != nullptr) observer_->onDownCallEnd(call, status);
  return status;
}

NdisStatus Ndis::NdisOffloadTcpSend(NdisOffloadHandle handle, NetBufferList* list) {
  return callDown(OffloadOp::kSend, handle, list, 0);
}
NdisStatus Ndis::NdisOffloadTcpReceive(NdisOffloadHandle handle, NetBufferList* list) {
  return callDown(OffloadOp::kReceive, handle, list, 0);
}
NdisStatus Ndis::NdisOffloadTcpDisconnect(NdisOffloadHandle handle, NetBufferList* nbl,
                                          uint32_t flags) {
  return callDown(OffloadOp::kDisconnect, handle, nbl, flags);
}
NdisStatus Ndis::NdisOffloadTcpForward(NdisOffloadHandle handle, NetBufferList* list) {
  return callDown(OffloadOp::kForward, handle, list, 0);
}

namespace {

bool isTcpRequest(OffloadOp op) {
  return op == OffloadOp::kSend || op == OffloadOp::kReceive || op == OffloadOp::kDisconnect ||
         op == OffloadOp::kForward;
}

}  // namespace

NdisStatus Ndis::NdisOffloadTcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* list,
                                       uint32_t flags) {
  if (!isTcpRequest(op)) return NdisStatus::kInvalidParameter;
  return callDown(op, handle, list, op == OffloadOp::kDisconnect ? flags : 0);
}

void Ndis::NdisTcpOffloadRequestComplete(OffloadOp op, NdisMiniportHandle miniport,
                                         NetBufferList* list) {
  if (isTcpRequest(op)) completeUp(op, miniport, list);
}

NdisStatus Ndis::NdisOffloadTcpReceiveReturn(NdisBindingHandle binding, NetBufferList* nbl) {
  EdgeCall call;
  call.op = OffloadOp::kReceiveReturn;
  call.binding = binding;
  call.nbl = nbl;
  const Binding* b = findBinding(binding);
  const Miniport* m = b != nullptr ? findMiniport(b->below) : nullptr;
  if (m == nullptr) {
    routingError(call, "receive return on an unknown binding");
    return NdisStatus::kInvalidParameter;
  }
  call.miniport = b->below;
  if (observer_ != nullptr) observer_->onDownCallBegin(call);
  NdisStatus status = m->handlers->MiniportTcpOffloadReceiveReturn(nbl);
  if (observer_ != nullptr) observer_->onDownCallEnd(call, status);
  return status;
}

// ---- Miniport -> protocol --------------------------------------------------------

void Ndis::completeBlockUp(OffloadOp op, NdisMiniportHandle miniport, OffloadBlock* block) {
  EdgeCall call;
  call.op = op;
  call.miniport = miniport;
  call.block = block;
  call.handle = block->handle;
  call.connection = block->connection;
  const OffloadHandleInfo* info = findHandle(block->handle);
  const Binding* b = info != nullptr ? findBinding(info->binding) : nullptr;
  if (b == nullptr || b->below != miniport) {
    routingError(call, "offload block names a handle not bound above this miniport");
    return;
  }
  call.binding = info->binding;
  if (observer_ != nullptr) observer_->onUpCallBegin(call);
  if (op == OffloadOp::kInitiateOffload) {
    b->protocol->ProtocolInitiateOffloadComplete(b->ctx, block);
  } else {
    b->protocol->ProtocolTerminateOffloadComplete(b->ctx, block);
  }
  if (observer_ != nullptr) observer_->onUpCallEnd(call, NdisStatus::kSuccess, 0);
}

void Ndis::NdisMInitiateOffloadComplete(NdisMiniportHandle miniport, OffloadBlock* block) {
  completeBlockUp(OffloadOp::kInitiateOffload, miniport, block);
}
void Ndis::NdisMTerminateOffloadComplete(NdisMiniportHandle miniport, OffloadBlock* block) {
  completeBlockUp(OffloadOp::kTerminateOffload, miniport, block);
}

void Ndis::completeUp(OffloadOp op, NdisMiniportHandle miniport, NetBufferList* list) {
  // Split by SourceHandle, keeping order, before anything is handed up (the
  // protocol owns the NBLs, and their links, once called).
  std::vector<std::pair<NdisBindingHandle, std::vector<NetBufferList*>>> groups;
  bool oneBinding = true;  // the common case: the list goes up as it is
  for (const NetBufferList* n = list; n != nullptr && oneBinding; n = n->next) {
    oneBinding = n->sourceHandle == list->sourceHandle;
  }
  if (oneBinding && list != nullptr) {
    completeUpTo(op, miniport, list->sourceHandle, list);
    return;
  }
  for (NetBufferList* n : nblListToVector(list)) {
    auto it = groups.begin();
    while (it != groups.end() && it->first != n->sourceHandle) ++it;
    if (it == groups.end()) {
      groups.push_back({n->sourceHandle, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(n);
  }
  for (auto& [binding, nbls] : groups) {
    completeUpTo(op, miniport, binding, nblListFromVector(nbls));
  }
}

void Ndis::completeUpTo(OffloadOp op, NdisMiniportHandle miniport, NdisBindingHandle binding,
                        NetBufferList* list) {
  EdgeCall call;
  call.op = op;
  call.miniport = miniport;
  call.binding = binding;
  call.nbl = list;
  const Binding* b = findBinding(binding);
  if (b == nullptr || b->below != miniport) {
    routingError(call, "completion's SourceHandle names a binding not above this miniport");
    return;
  }
  if (observer_ != nullptr) observer_->onUpCallBegin(call);
  ProtocolOffloadHandlers& p = *b->protocol;
  switch (op) {
    case OffloadOp::kSend:
      p.ProtocolTcpOffloadSendComplete(b->ctx, call.nbl);
      break;
    case OffloadOp::kReceive:
      p.ProtocolTcpOffloadReceiveComplete(b->ctx, call.nbl);
      break;
    case OffloadOp::kDisconnect:
      p.ProtocolTcpOffloadDisconnectComplete(b->ctx, call.nbl);
      break;
    case OffloadOp::kForward:
      p.ProtocolTcpOffloadForwardComplete(b->ctx, call.nbl);
      break;
    default:
      break;
  }
  if (observer_ != nullptr) observer_->onUpCallEnd(call, NdisStatus::kSuccess, 0);
}

void Ndis::NdisTcpOffloadSendComplete(NdisMiniportHandle miniport, NetBufferList* list) {
  completeUp(OffloadOp::kSend, miniport, list);
}
void Ndis::NdisTcpOffloadReceiveComplete(NdisMiniportHandle miniport, NetBufferList* list) {
  completeUp(OffloadOp::kReceive, miniport, list);
}
void Ndis::NdisTcpOffloadDisconnectComplete(NdisMiniportHandle miniport, NetBufferList* list) {
  completeUp(OffloadOp::kDisconnect, miniport, list);
}
void Ndis::NdisTcpOffloadForwardComplete(NdisMiniportHandle miniport, NetBufferList* list) {
  completeUp(OffloadOp::kForward, miniport, list);
}

NdisStatus Ndis::NdisTcpOffloadReceiveHandler(NdisOffloadHandle handle, NetBufferList* nbl,
                                              NdisStatus status, uint32_t* bytesConsumed) {
  EdgeCall call;
  call.op = OffloadOp::kReceiveIndicate;
  call.handle = handle;
  call.nbl = nbl;
  call.status = status;
  const auto [info, b] = routeHandle(call);
  if (b == nullptr || !info->live) {
    routingError(call, "receive indication on an unknown or freed offload handle");
    if (bytesConsumed != nullptr) *bytesConsumed = 0;
    return NdisStatus::kOffloadDataNotAccepted;
  }
  call.binding = info->binding;
  call.miniport = b->below;
  uint32_t consumed = 0;
  if (observer_ != nullptr) observer_->onUpCallBegin(call);
  NdisStatus result =
      b->protocol->ProtocolTcpOffloadReceiveIndicate(b->ctx, handle, nbl, status, &consumed);
  if (observer_ != nullptr) observer_->onUpCallEnd(call, result, consumed);
  if (bytesConsumed != nullptr) *bytesConsumed = consumed;
  return result;
}

void Ndis::NdisTcpOffloadEventHandler(NdisOffloadHandle handle, OffloadEvent event, uint32_t info) {
  EdgeCall call;
  call.op = OffloadOp::kEvent;
  call.handle = handle;
  call.event = event;
  const auto [h, b] = routeHandle(call);
  if (b == nullptr || !h->live) {
    routingError(call, "event on an unknown or freed offload handle");
    return;
  }
  call.binding = h->binding;
  call.miniport = b->below;
  if (observer_ != nullptr) observer_->onUpCallBegin(call);
  b->protocol->ProtocolTcpOffloadEvent(b->ctx, handle, event, info);
  if (observer_ != nullptr) observer_->onUpCallEnd(call, NdisStatus::kSuccess, 0);
}

// ---- Deferred work ----------------------------------------------------------------

void Ndis::NdisQueueIoWorkItem(std::function<void()> work) {
  workItems_.push_back(std::move(work));
}

bool Ndis::runWorkItems() {
  bool ran = false;
  while (!workItems_.empty()) {
    std::function<void()> work = std::move(workItems_.front());
    workItems_.pop_front();
    work();
    ran = true;
  }
  return ran;
}

}  // namespace chimney
