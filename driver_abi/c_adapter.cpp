#include "c_adapter.h"

#include "driver_runtime.h"

namespace chimney::abi {

namespace {

NdisStatus toCpp(NDIS_STATUS s) {
  return static_cast<NdisStatus>(static_cast<uint32_t>(s));
}
NDIS_STATUS toC(NdisStatus s) {
  return static_cast<NDIS_STATUS>(static_cast<uint32_t>(s));
}

template <typename T>
void initHeader(T& object, UCHAR type) {
  object.Header.Type = type;
  object.Header.Revision = 1;
  object.Header.Size = static_cast<USHORT>(sizeof(T));
}

}  // namespace

ActiveScope::ActiveScope(DriverRuntime& runtime, CAdapter* adapter, const char* operation,
                         OffloadOp op, bool request)
    : runtime_(runtime) {
  runtime_.enter(adapter, operation, op, request);
}
ActiveScope::~ActiveScope() {
  runtime_.leave();
}

CAdapter::CAdapter(DriverRuntime& runtime, DriverLibrary& library, unsigned instance)
    : runtime_(runtime),
      library_(library),
      name_(library.name + (instance == 0 ? "" : "#" + std::to_string(instance))) {}

void CAdapter::start(NdisMiniportHandle below) {
  Ndis& ndis = runtime_.ndis();
  driver_ = ndis.NdisRegisterDriver(DriverKind::kIntermediate, name_);
  miniport_ = ndis.NdisMRegisterMiniport(driver_, *this);
  miniportRecord_ = runtime_.newRecord(HandleKind::kMiniport, this, miniport_.value);
  below_ = below;

  HandleRecord* bindContext = runtime_.newRecord(HandleKind::kBindContext, this, 0);
  NDIS_BIND_PARAMETERS bind{};
  initHeader(bind, NDIS_OBJECT_TYPE_DEFAULT);
  NDIS_STATUS st = NDIS_STATUS_FAILURE;
  {
    ActiveScope scope(runtime_, this, "ProtocolBindAdapterEx");
    st = library_.protocol.BindAdapterHandlerEx(library_.protocolDriverContext, bindContext, &bind);
  }
  if (st != NDIS_STATUS_SUCCESS || !lowerBinding_.valid()) {
    throw DriverLoadError(library_.path +
                          ": ProtocolBindAdapterEx did not open a binding (status " +
                          toString(toCpp(st)) + ")");
  }
  NDIS_MINIPORT_INIT_PARAMETERS init{};
  initHeader(init, NDIS_OBJECT_TYPE_DEFAULT);
  init.IMDeviceInstanceContext = protocolBindingContext_;
  {
    ActiveScope scope(runtime_, this, "MiniportInitializeEx");
    st = library_.miniport.InitializeHandlerEx(miniportRecord_, library_.miniportDriverContext,
                                               &init);
  }
  if (st != NDIS_STATUS_SUCCESS) {
    throw DriverLoadError(library_.path + ": MiniportInitializeEx failed (status " +
                          toString(toCpp(st)) + ")");
  }
}

void CAdapter::startTarget() {
  Ndis& ndis = runtime_.ndis();
  driver_ = ndis.NdisRegisterDriver(DriverKind::kOffloadTarget, name_);
  miniport_ = ndis.NdisMRegisterMiniport(driver_, *this);
  miniportRecord_ = runtime_.newRecord(HandleKind::kMiniport, this, miniport_.value);
  hw_ = std::make_unique<TargetHardware>(runtime_, *this);
}

NDIS_STATUS CAdapter::initializeTarget(DeviceInterface& device,
                                       std::function<void(std::function<void()>)> dpcScheduler) {
  hw_->connect(device, std::move(dpcScheduler));
  NDIS_MINIPORT_INIT_PARAMETERS init{};
  initHeader(init, NDIS_OBJECT_TYPE_DEFAULT);
  ActiveScope scope(runtime_, this, "MiniportInitializeEx");
  return library_.miniport.InitializeHandlerEx(miniportRecord_, library_.miniportDriverContext,
                                               &init);
}

NDIS_STATUS CAdapter::openAdapter(NDIS_HANDLE protocolBindingContext, PNDIS_HANDLE bindingHandle) {
  if (lowerBinding_.valid() || bindingHandle == nullptr) return NDIS_STATUS_INVALID_STATE;
  lowerBinding_ =
      runtime_.ndis().NdisOpenAdapter(driver_, *this, ProtocolBindingContext{1}, below_);
  bindingRecord_ = runtime_.bindingRecord(lowerBinding_);
  bindingRecord_->adapter = this;
  protocolBindingContext_ = protocolBindingContext;
  *bindingHandle = bindingRecord_;
  return NDIS_STATUS_SUCCESS;
}

void CAdapter::halt() {
  if (halted_ || library_.miniport.HaltHandlerEx == nullptr) return;
  halted_ = true;
  ActiveScope scope(runtime_, this, "MiniportHaltEx");
  library_.miniport.HaltHandlerEx(adapterContext_, NdisHaltDeviceDisabled);
}

// ---- Offload blocks ---------------------------------------------------------------------

void CAdapter::blockFromAbove(OffloadBlock* block, bool terminate) {
  auto ub = std::make_unique<UpperBlock>();
  ub->cpp = block;
  ub->upperHandle = block->handle;
  HandleRecord* rec = runtime_.offloadRecord(block->handle, this);
  initHeader(ub->c, NDIS_OBJECT_TYPE_DEFAULT);
  ub->c.Status = toC(block->status);
  ub->c.MiniportOffloadContext = &rec->miniportOffloadContext;
  ub->c.NdisOffloadHandle = rec;
  ub->c.ChimneyConnectionId = block->connection.value;
  NDIS_MINIPORT_OFFLOAD_BLOCK_LIST* c = &ub->c;
  upperByC_[c] = block;
  upper_[block] = std::move(ub);
  ActiveScope scope(runtime_, this, terminate ? "terminate-offload" : "initiate-offload");
  if (terminate) {
    library_.providerGeneric.TerminateOffloadHandler(adapterContext_, c);
  } else {
    if (hw_) hw_->setInitiating(block->connection);
    library_.providerGeneric.InitiateOffloadHandler(adapterContext_, c);
    if (hw_) hw_->setInitiating(ConnectionId{});
  }
}

void CAdapter::MiniportInitiateOffload(OffloadBlock* block) {
  blockFromAbove(block, false);
}
void CAdapter::MiniportTerminateOffload(OffloadBlock* block) {
  blockFromAbove(block, true);
}

void CAdapter::initiateOffloadDown(PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST block, bool terminate) {
  auto lb = std::make_unique<LowerBlock>();
  lb->c = block;
  auto it = upperByC_.find(block);
  if (it != upperByC_.end()) {
    lb->cpp = it->second;  // the driver passed down the block it was given
  } else {
    lb->owned = std::make_unique<OffloadBlock>();
    lb->cpp = lb->owned.get();
    lb->cpp->connection = ConnectionId{block->ChimneyConnectionId};
  }
  OffloadBlock* cpp = lb->cpp;
  cpp->status = NdisStatus::kSuccess;
  const OffloadOp op = terminate ? OffloadOp::kTerminateOffload : OffloadOp::kInitiateOffload;
  if (!terminate) {
    NdisOffloadHandle lower =
        runtime_.ndis().NdisAllocateOffloadHandle(lowerBinding_, cpp->connection);
    HandleRecord* rec = runtime_.offloadRecord(lower, this);
    rec->supplied = block->OffloadHandle;
    if (block->OffloadHandle != nullptr) block->OffloadHandle->NdisReserved[0] = rec;
    cpp->handle = lower;
  } else {
    auto* rec = block->OffloadHandle == nullptr
                    ? nullptr
                    : static_cast<HandleRecord*>(block->OffloadHandle->NdisReserved[0]);
    if (rec == nullptr || rec->kind != HandleKind::kOffload) {
      runtime_.misuse(this, 2, op, nullptr,
                      "terminate passed down with an offload handle NDIS never saw");
      return;
    }
    cpp->handle = NdisOffloadHandle{rec->value};
  }
  lb->lowerHandle = cpp->handle;
  lower_[cpp] = std::move(lb);
  if (terminate) {
    runtime_.ndis().NdisTerminateOffload(lowerBinding_, cpp);
  } else {
    runtime_.ndis().NdisInitiateOffload(lowerBinding_, cpp);
  }
}

void CAdapter::blockFromBelow(OffloadBlock* block, bool terminate) {
  auto it = lower_.find(block);
  if (it == lower_.end()) return;
  std::unique_ptr<LowerBlock> lb = std::move(it->second);
  lower_.erase(it);
  lb->c->Status = toC(block->status);
  const bool freeLower = terminate || block->status != NdisStatus::kSuccess;
  {
    ActiveScope scope(runtime_, this,
                      terminate ? "terminate-offload-complete" : "initiate-offload-complete");
    if (terminate) {
      library_.clientGeneric.TerminateOffloadCompleteHandler(protocolBindingContext_, lb->c);
    } else {
      library_.clientGeneric.InitiateOffloadCompleteHandler(protocolBindingContext_, lb->c);
    }
  }
  if (freeLower) runtime_.ndis().NdisFreeOffloadHandle(lb->lowerHandle);
}

void CAdapter::ProtocolInitiateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  blockFromBelow(block, false);
}
void CAdapter::ProtocolTerminateOffloadComplete(ProtocolBindingContext, OffloadBlock* block) {
  blockFromBelow(block, true);
}

void CAdapter::offloadBlockComplete(PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block, bool terminate) {
  const OffloadOp op = terminate ? OffloadOp::kTerminateOffload : OffloadOp::kInitiateOffload;
  auto it = upperByC_.find(block);
  if (it == upperByC_.end()) {
    runtime_.misuse(this, 2, op, nullptr, "completed an offload block NDIS did not give it");
    return;
  }
  OffloadBlock* cpp = it->second;
  upperByC_.erase(it);
  auto node = upper_.find(cpp);
  std::unique_ptr<UpperBlock> ub = std::move(node->second);
  upper_.erase(node);
  cpp->status = toCpp(block->Status);
  cpp->handle = ub->upperHandle;
  if (hw_ && terminate) hw_->terminateCompleted(cpp->connection);
  if (hw_ && !terminate)
    hw_->offloadCompleted(cpp->connection, cpp->status == NdisStatus::kSuccess);
  if (terminate) {
    runtime_.ndis().NdisMTerminateOffloadComplete(miniport_, cpp);
  } else {
    runtime_.ndis().NdisMInitiateOffloadComplete(miniport_, cpp);
  }
}

// ---- Requests down -------------------------------------------------------------------------

NdisStatus CAdapter::tcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* nbl,
                                uint32_t flags) {
  HandleRecord* rec = runtime_.findOffloadRecord(handle);
  PVOID context = rec == nullptr ? nullptr : rec->miniportOffloadContext;
  NET_BUFFER_LIST* c = runtime_.toC(nbl);
  ActiveScope scope(runtime_, this, toString(op), op, /*request=*/true);
  runtime_.requestHandled(this);
  NDIS_STATUS st = NDIS_STATUS_FAILURE;
  const NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS& tcp = library_.providerTcp;
  switch (op) {
    case OffloadOp::kSend:
      st = tcp.TcpOffloadSendHandler(adapterContext_, context, c);
      break;
    case OffloadOp::kReceive:
      st = tcp.TcpOffloadReceiveHandler(adapterContext_, context, c);
      break;
    case OffloadOp::kDisconnect:
      st = tcp.TcpOffloadDisconnectHandler(adapterContext_, context, c, flags);
      break;
    case OffloadOp::kForward:
      st = tcp.TcpOffloadForwardHandler(adapterContext_, context, c);
      break;
    default:
      break;
  }
  runtime_.requestHandled(this);
  return toCpp(st);
}

NdisStatus CAdapter::MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) {
  NET_BUFFER_LIST* c = runtime_.toC(nbl);
  ActiveScope scope(runtime_, this, "receive-return");
  return toCpp(library_.providerTcp.TcpOffloadReceiveReturnHandler(adapterContext_, c));
}

// ---- Completions, indications and events up ---------------------------------------------------

void CAdapter::tcpCompleted(OffloadOp op, NetBufferList* list) {
  NET_BUFFER_LIST* c = runtime_.toC(list);
  const NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS& tcp = library_.clientTcp;
  // The C driver's completion handler for `op`, and what it is called while active.
  struct Handler {
    decltype(tcp.SendCompleteHandler) fn;
    const char* activity;
  };
  Handler h{nullptr, nullptr};
  switch (op) {
    case OffloadOp::kSend:
      h = {tcp.SendCompleteHandler, "send-complete"};
      break;
    case OffloadOp::kReceive:
      h = {tcp.ReceiveCompleteHandler, "receive-complete"};
      break;
    case OffloadOp::kDisconnect:
      h = {tcp.DisconnectCompleteHandler, "disconnect-complete"};
      break;
    case OffloadOp::kForward:
      h = {tcp.ForwardCompleteHandler, "forward-complete"};
      break;
    default:
      return;
  }
  ActiveScope scope(runtime_, this, h.activity);
  h.fn(protocolBindingContext_, c);
}

NdisStatus CAdapter::ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext,
                                                       NdisOffloadHandle handle, NetBufferList* nbl,
                                                       NdisStatus status, uint32_t* bytesConsumed) {
  HandleRecord* rec = runtime_.findOffloadRecord(handle);
  NET_BUFFER_LIST* c = runtime_.toC(nbl);
  ULONG consumed = 0;
  NDIS_STATUS st = NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED;
  {
    ActiveScope scope(runtime_, this, "receive-indicate");
    st = library_.clientTcp.ReceiveIndicateHandler(rec == nullptr ? nullptr : rec->supplied, c,
                                                   toC(status), &consumed);
  }
  *bytesConsumed = consumed;
  return toCpp(st);
}

void CAdapter::ProtocolTcpOffloadEvent(ProtocolBindingContext, NdisOffloadHandle handle,
                                       OffloadEvent event, uint32_t info) {
  HandleRecord* rec = runtime_.findOffloadRecord(handle);
  ActiveScope scope(runtime_, this, "offload-event");
  library_.clientTcp.TcpOffloadEventHandler(rec == nullptr ? nullptr : rec->supplied,
                                            static_cast<ULONG>(event), info);
}

}  // namespace chimney::abi
