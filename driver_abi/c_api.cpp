// The C entry points of wdk/include/ndis.h, each landing in the DriverRuntime
// its handle (or NBL, or memory block) leads to. Exported from the
// executable (ENABLE_EXPORTS) so that loaded driver libraries resolve them.
#include <algorithm>
#include <cstring>

#include "c_adapter.h"
#include "c_api_support.h"
#include "driver_runtime.h"

namespace chimney::abi {

namespace {
thread_local Loading tLoading;

NdisStatus toCpp(NDIS_STATUS s) {
  return static_cast<NdisStatus>(static_cast<uint32_t>(s));
}
NDIS_STATUS toC(NdisStatus s) {
  return static_cast<NDIS_STATUS>(static_cast<uint32_t>(s));
}

HandleRecord* record(NDIS_HANDLE h) {
  auto* r = static_cast<HandleRecord*>(h);
  return r != nullptr && r->magic == kRecordMagic ? r : nullptr;
}

HandleRecord* offloadRecordOf(PNDIS_OFFLOAD_HANDLE h) {
  if (h == nullptr) return nullptr;
  HandleRecord* r = record(h->NdisReserved[0]);
  return r != nullptr && r->kind == HandleKind::kOffload ? r : nullptr;
}

// A completion's miniport handle: the adapter's own, or a misuse NDIS reports
// (and the completion goes nowhere).
HandleRecord* completingMiniport(NDIS_HANDLE h, OffloadOp op, PNET_BUFFER_LIST nbl) {
  HandleRecord* r = record(h);
  if (r == nullptr) return nullptr;
  if (r->kind == HandleKind::kMiniport) return r;
  DriverRuntime& rt = *r->runtime;
  CAdapter* adapter = r->adapter != nullptr ? r->adapter : rt.activeAdapter();
  NetBufferList* list = nbl == nullptr ? nullptr : rt.fromC(nbl);
  rt.misuse(adapter, 15, op, list,
            std::string(toString(op)) +
                " completion called with a handle that is not the caller's miniport handle");
  return nullptr;
}

void complete(NDIS_HANDLE h, PNET_BUFFER_LIST nbl, OffloadOp op) {
  HandleRecord* r = completingMiniport(h, op, nbl);
  if (r == nullptr) return;
  DriverRuntime& rt = *r->runtime;
  NetBufferList* list = rt.fromC(nbl);
  rt.ndis().NdisTcpOffloadRequestComplete(op, NdisMiniportHandle{r->value}, list);
}

NDIS_STATUS down(PNDIS_OFFLOAD_HANDLE h, PNET_BUFFER_LIST nbl, OffloadOp op, ULONG flags) {
  HandleRecord* r = offloadRecordOf(h);
  if (r == nullptr) return NDIS_STATUS_INVALID_PARAMETER;
  DriverRuntime& rt = *r->runtime;
  NetBufferList* list = rt.fromC(nbl);
  return toC(rt.ndis().NdisOffloadTcpRequest(op, NdisOffloadHandle{r->value}, list, flags));
}

template <typename T>
bool copyCharacteristics(const NDIS_OBJECT_HEADER* header, T& into) {
  if (header->Size < sizeof(T)) return false;
  std::memcpy(&into, header, sizeof(T));
  return true;
}

// Initiate (terminate false) or terminate offload of `block` through the
// binding `binding` of a C protocol driver; a bad handle or no block is ignored.
void offloadDown(NDIS_HANDLE binding, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST block, bool terminate) {
  HandleRecord* r = record(binding);
  if (r == nullptr || r->kind != HandleKind::kBinding || r->adapter == nullptr ||
      block == nullptr) {
    return;
  }
  r->adapter->initiateOffloadDown(block, terminate);
}

}  // namespace

Loading currentLoading() {
  return tLoading;
}
LoadingScope::LoadingScope(DriverRuntime& runtime, DriverLibrary& library) : saved_(tLoading) {
  tLoading = Loading{&runtime, &library};
}
LoadingScope::~LoadingScope() {
  tLoading = saved_;
}

}  // namespace chimney::abi

using namespace chimney;
using namespace chimney::abi;

extern "C" {

// ---- Registration ---------------------------------------------------------------------------

NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PUNICODE_STRING,
                                        NDIS_HANDLE MiniportDriverContext,
                                        PNDIS_MINIPORT_DRIVER_CHARACTERISTICS Characteristics,
                                        PNDIS_HANDLE NdisMiniportDriverHandle) {
  HandleRecord* r = record(DriverObject);
  if (r == nullptr || r->library == nullptr || Characteristics == nullptr ||
      NdisMiniportDriverHandle == nullptr ||
      Characteristics->Header.Type != NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS ||
      !copyCharacteristics(&Characteristics->Header, r->library->miniport)) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  r->library->hasMiniport = true;
  r->library->miniportDriverContext = MiniportDriverContext;
  *NdisMiniportDriverHandle = r->library->miniportDriverHandle;
  return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisRegisterProtocolDriver(NDIS_HANDLE ProtocolDriverContext,
                                       PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS Characteristics,
                                       PNDIS_HANDLE NdisProtocolHandle) {
  Loading loading = currentLoading();
  if (loading.runtime == nullptr || Characteristics == nullptr || NdisProtocolHandle == nullptr ||
      Characteristics->Header.Type != NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS ||
      !copyCharacteristics(&Characteristics->Header, loading.library->protocol)) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  DriverLibrary& lib = *loading.library;
  HandleRecord* h = loading.runtime->newRecord(HandleKind::kProtocolDriver, nullptr, 0);
  h->library = &lib;
  lib.hasProtocol = true;
  lib.protocolDriverContext = ProtocolDriverContext;
  lib.protocolDriverHandle = h;
  *NdisProtocolHandle = h;
  return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle,
                                    PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers) {
  HandleRecord* r = record(NdisHandle);
  if (r == nullptr || r->library == nullptr || OptionalHandlers == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  DriverLibrary& lib = *r->library;
  const bool miniportSide = r->kind == HandleKind::kMiniportDriver;
  switch (OptionalHandlers->Type) {
    case NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS:
      if (!miniportSide || !copyCharacteristics(OptionalHandlers, lib.providerGeneric)) break;
      lib.hasProviderGeneric = true;
      return NDIS_STATUS_SUCCESS;
    case NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_CHARACTERISTICS:
      if (!miniportSide || !copyCharacteristics(OptionalHandlers, lib.providerTcp)) break;
      lib.hasProviderTcp = true;
      return NDIS_STATUS_SUCCESS;
    case NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS:
      if (miniportSide || !copyCharacteristics(OptionalHandlers, lib.clientGeneric)) break;
      lib.hasClientGeneric = true;
      return NDIS_STATUS_SUCCESS;
    case NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_CHARACTERISTICS:
      if (miniportSide || !copyCharacteristics(OptionalHandlers, lib.clientTcp)) break;
      lib.hasClientTcp = true;
      return NDIS_STATUS_SUCCESS;
    default:
      break;
  }
  return NDIS_STATUS_INVALID_PARAMETER;
}

NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
                                       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes) {
  HandleRecord* r = record(NdisMiniportHandle);
  if (r == nullptr || r->kind != HandleKind::kMiniport || MiniportAttributes == nullptr ||
      MiniportAttributes->RegistrationAttributes.Header.Type !=
          NDIS_OBJECT_TYPE_MINIPORT_ATTRIBUTES) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  r->adapter->setAdapterContext(MiniportAttributes->RegistrationAttributes.MiniportAdapterContext);
  return NDIS_STATUS_SUCCESS;
}

NDIS_STATUS NdisOpenAdapterEx(NDIS_HANDLE, NDIS_HANDLE ProtocolBindingContext,
                              PNDIS_OPEN_PARAMETERS, NDIS_HANDLE BindContext,
                              PNDIS_HANDLE NdisBindingHandle) {
  HandleRecord* r = record(BindContext);
  if (r == nullptr || r->kind != HandleKind::kBindContext) return NDIS_STATUS_INVALID_PARAMETER;
  return r->adapter->openAdapter(ProtocolBindingContext, NdisBindingHandle);
}

// ---- Upward entry points ---------------------------------------------------------------------

VOID NdisMInitiateOffloadComplete(NDIS_HANDLE NdisMiniportHandle,
                                  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList) {
  HandleRecord* r = completingMiniport(NdisMiniportHandle, OffloadOp::kInitiateOffload, nullptr);
  if (r != nullptr && OffloadBlockList != nullptr) {
    r->adapter->offloadBlockComplete(OffloadBlockList, false);
  }
}

VOID NdisMTerminateOffloadComplete(NDIS_HANDLE NdisMiniportHandle,
                                   PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList) {
  HandleRecord* r = completingMiniport(NdisMiniportHandle, OffloadOp::kTerminateOffload, nullptr);
  if (r != nullptr && OffloadBlockList != nullptr) {
    r->adapter->offloadBlockComplete(OffloadBlockList, true);
  }
}

VOID NdisTcpOffloadSendComplete(NDIS_HANDLE h, PNET_BUFFER_LIST nbl) {
  complete(h, nbl, OffloadOp::kSend);
}
VOID NdisTcpOffloadReceiveComplete(NDIS_HANDLE h, PNET_BUFFER_LIST nbl) {
  complete(h, nbl, OffloadOp::kReceive);
}
VOID NdisTcpOffloadDisconnectComplete(NDIS_HANDLE h, PNET_BUFFER_LIST nbl) {
  complete(h, nbl, OffloadOp::kDisconnect);
}
VOID NdisTcpOffloadForwardComplete(NDIS_HANDLE h, PNET_BUFFER_LIST nbl) {
  complete(h, nbl, OffloadOp::kForward);
}

NDIS_STATUS NdisTcpOffloadReceiveHandler(NDIS_HANDLE offloadHandle, PNET_BUFFER_LIST indicated,
                                         NDIS_STATUS Status, PULONG BytesConsumed) {
  HandleRecord* r = record(offloadHandle);
  if (r == nullptr || r->kind != HandleKind::kOffload || BytesConsumed == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  DriverRuntime& rt = *r->runtime;
  NetBufferList* nbl = rt.fromC(indicated);
  uint32_t consumed = 0;
  NdisStatus st = rt.ndis().NdisTcpOffloadReceiveHandler(NdisOffloadHandle{r->value}, nbl,
                                                         toCpp(Status), &consumed);
  *BytesConsumed = consumed;
  return toC(st);
}

VOID NdisTcpOffloadEventHandler(NDIS_HANDLE offloadHandle, ULONG EventType,
                                ULONG EventSpecificInformation) {
  HandleRecord* r = record(offloadHandle);
  if (r == nullptr || r->kind != HandleKind::kOffload) return;
  r->runtime->ndis().NdisTcpOffloadEventHandler(
      NdisOffloadHandle{r->value}, static_cast<OffloadEvent>(EventType), EventSpecificInformation);
}

NDIS_STATUS NdisMGetOffloadHandlers(NDIS_HANDLE NdisMiniportHandle,
                                    NDIS_CHIMNEY_OFFLOAD_TYPE ChimneyType,
                                    PNDIS_OFFLOAD_EVENT_HANDLERS* OffloadHandlers) {
  static const NDIS_OFFLOAD_EVENT_HANDLERS kGeneric = {
      {NDIS_OBJECT_TYPE_OFFLOAD, 1, sizeof(NDIS_OFFLOAD_EVENT_HANDLERS)},
      NdisMInitiateOffloadComplete,
      NdisMTerminateOffloadComplete};
  static const NDIS_TCP_OFFLOAD_EVENT_HANDLERS kTcp = {
      {NDIS_OBJECT_TYPE_OFFLOAD, 1, sizeof(NDIS_TCP_OFFLOAD_EVENT_HANDLERS)},
      NdisTcpOffloadEventHandler,
      NdisTcpOffloadReceiveHandler,
      NdisTcpOffloadSendComplete,
      NdisTcpOffloadReceiveComplete,
      NdisTcpOffloadDisconnectComplete,
      NdisTcpOffloadForwardComplete};
  HandleRecord* r = record(NdisMiniportHandle);
  if (r == nullptr || r->kind != HandleKind::kMiniport || OffloadHandlers == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  if (ChimneyType == NdisGenericChimneyHandlers) {
    *OffloadHandlers = const_cast<PNDIS_OFFLOAD_EVENT_HANDLERS>(&kGeneric);
  } else if (ChimneyType == NdisTcpChimneyHandlers) {
    *OffloadHandlers = reinterpret_cast<PNDIS_OFFLOAD_EVENT_HANDLERS>(
        const_cast<PNDIS_TCP_OFFLOAD_EVENT_HANDLERS>(&kTcp));
  } else {
    return NDIS_STATUS_NOT_SUPPORTED;
  }
  return NDIS_STATUS_SUCCESS;
}

// ---- Calls down
// ------------------------------------------------------------------------------------

VOID NdisInitiateOffload(NDIS_HANDLE NdisBindingHandle, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST block) {
  offloadDown(NdisBindingHandle, block, false);
}

VOID NdisTerminateOffload(NDIS_HANDLE NdisBindingHandle, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST block) {
  offloadDown(NdisBindingHandle, block, true);
}

NDIS_STATUS NdisOffloadTcpSend(PNDIS_OFFLOAD_HANDLE h, PNET_BUFFER_LIST nbl) {
  return down(h, nbl, OffloadOp::kSend, 0);
}
NDIS_STATUS NdisOffloadTcpReceive(PNDIS_OFFLOAD_HANDLE h, PNET_BUFFER_LIST nbl) {
  return down(h, nbl, OffloadOp::kReceive, 0);
}
NDIS_STATUS NdisOffloadTcpDisconnect(PNDIS_OFFLOAD_HANDLE h, PNET_BUFFER_LIST nbl, ULONG Flags) {
  return down(h, nbl, OffloadOp::kDisconnect, Flags);
}
NDIS_STATUS NdisOffloadTcpForward(PNDIS_OFFLOAD_HANDLE h, PNET_BUFFER_LIST nbl) {
  return down(h, nbl, OffloadOp::kForward, 0);
}

NDIS_STATUS NdisOffloadTcpReceiveReturn(NDIS_HANDLE bindingHandle, PNET_BUFFER_LIST nbl) {
  HandleRecord* r = record(bindingHandle);
  if (r == nullptr || r->kind != HandleKind::kBinding) return NDIS_STATUS_INVALID_PARAMETER;
  DriverRuntime& rt = *r->runtime;
  return toC(rt.ndis().NdisOffloadTcpReceiveReturn(NdisBindingHandle{r->value}, rt.fromC(nbl)));
}

// ---- NBL contexts, NET_BUFFER, memory, work items
// -----------------------------------------------------

NDIS_STATUS NdisAllocateNetBufferListContext(PNET_BUFFER_LIST nbl, USHORT ContextSize,
                                             USHORT ContextBackFill, ULONG) {
  if (nbl == nullptr) return NDIS_STATUS_INVALID_PARAMETER;
  auto* s = static_cast<ShadowNbl*>(nbl->NdisReserved[0]);
  if (s == nullptr || s->magic != kShadowMagic) return NDIS_STATUS_INVALID_PARAMETER;
  return s->runtime->pushContext(nbl, ContextSize, ContextBackFill);
}

VOID NdisFreeNetBufferListContext(PNET_BUFFER_LIST nbl, USHORT ContextSize) {
  if (nbl == nullptr) return;
  auto* s = static_cast<ShadowNbl*>(nbl->NdisReserved[0]);
  if (s == nullptr || s->magic != kShadowMagic) return;
  s->runtime->popContext(nbl, ContextSize);
}

VOID NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN, PVOID) {
  if (NetBuffer == nullptr) return;
  const ULONG n = std::min(DataOffsetDelta, NetBuffer->DataLength);
  NetBuffer->DataOffset += n;
  NetBuffer->DataLength -= n;
}

PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY) {
  HandleRecord* r = record(NdisHandle);
  if (r == nullptr) return nullptr;
  return r->runtime->allocateMemory(r, Length, Tag);
}

VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT) {
  if (VirtualAddress == nullptr) return;
  auto* header = reinterpret_cast<MemoryHeader*>(static_cast<unsigned char*>(VirtualAddress) -
                                                 sizeof(MemoryHeader));
  if (header->magic != kMemoryMagic) return;
  header->runtime->freeMemory(header, Length);
}

NDIS_HANDLE NdisAllocateIoWorkItem(NDIS_HANDLE NdisObjectHandle) {
  HandleRecord* r = record(NdisObjectHandle);
  if (r == nullptr) return nullptr;
  return r->runtime->newRecord(HandleKind::kWorkItem, r->adapter, 0);
}

VOID NdisQueueIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle, NDIS_IO_WORKITEM_ROUTINE Routine,
                         PVOID WorkItemContext) {
  HandleRecord* r = record(NdisIoWorkItemHandle);
  if (r == nullptr || r->kind != HandleKind::kWorkItem || r->freed || Routine == nullptr) return;
  DriverRuntime* rt = r->runtime;
  rt->ndis().NdisQueueIoWorkItem([rt, r, Routine, WorkItemContext] {
    ActiveScope scope(*rt, r->adapter, "work item");
    Routine(WorkItemContext, r);
  });
}

VOID NdisFreeIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle) {
  HandleRecord* r = record(NdisIoWorkItemHandle);
  if (r != nullptr && r->kind == HandleKind::kWorkItem) r->freed = true;
}

}  // extern "C"
