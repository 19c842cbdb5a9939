/* A pass-through TCP chimney IM driver, written against wdk/include/ndis.h.
 *
 * Every request from above goes down unchanged (the same NBL pointer); for
 * each NBL the driver allocates a call entry from pool memory (tag 'ImCe')
 * and keeps a pointer to it in an NBL context it pushes. When the NBL comes
 * back it reads the entry through the context, pops the context, restores the
 * SourceHandle NDIS overwrote on the way down, completes the same NBL up with
 * its own miniport handle, and frees the entry after that call.
 * Indications and events go up, receive returns down, initiate and terminate
 * pass through with a protocol block per connection (pool memory, 'ImCn').
 *
 * If a call entry cannot be allocated, the send (and every later send of the
 * connection) is failed by the driver itself, as docs/spec/DRIVER-MODEL.md
 * says: REQUEST_UPLOAD first, UPLOAD_REQUESTED after, completed from a work
 * item once none of the connection's sends is below any more. (The
 * simulation's pool does not fail, so no run takes this path.)
 *
 * Broken variants, one define each (see samples/CMakeLists.txt):
 *   IM_BREAK_LEAK_CALL_ENTRY   never frees a call entry            (invariant 14)
 *   IM_BREAK_WRONG_HANDLE      completes with its binding handle   (15)
 *   IM_BREAK_COPY_NBL          passes a copy of each send NBL down (13)
 *   IM_BREAK_DOUBLE_COMPLETE   completes every send list twice     (1)
 *   IM_BREAK_FAILURE_INLINE    fails the first send of a connection and
 *                              completes it inside the send call   (3)
 *   IM_BREAK_SOURCE_HANDLE     leaves SourceHandle as NDIS set it  (15)
 *   IM_BREAK_MISSING_HANDLER   registers no TcpOffloadForwardHandler (refused at load) */
#include <ndis.h>

#define IM_TAG_ADAPTER CHIMNEY_POOL_TAG('I', 'm', 'A', 'd')
#define IM_TAG_CONN CHIMNEY_POOL_TAG('I', 'm', 'C', 'n')
#define IM_TAG_ENTRY CHIMNEY_POOL_TAG('I', 'm', 'C', 'e')

typedef struct IM_ADAPTER {
  NDIS_HANDLE MiniportHandle; /* upper edge: completions, NdisAllocate... */
  NDIS_HANDLE BindingHandle;  /* lower edge: initiate/terminate, receive return */
  NDIS_HANDLE WorkItem;
  struct IM_CONN* Conns; /* offloaded connections (freed at halt) */
} IM_ADAPTER;

typedef struct IM_CONN {
  IM_ADAPTER* Adapter;
  struct IM_CONN *Prev, *Next;
  NDIS_HANDLE UpperOffloadHandle; /* names the connection in indications and events up */
  NDIS_OFFLOAD_HANDLE Lower;      /* supplied to the layer below */
  NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST DownBlock;
  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST UpperBlock; /* initiate/terminate in flight */
  ULONG SendsBelow;
  BOOLEAN UploadRequested;
  PNET_BUFFER_LIST HeldHead, HeldTail; /* sends failed here, waiting */
  struct IM_CONN* NextHeld;            /* on the adapter's flush list */
  BOOLEAN FlushQueued;
#ifdef IM_BREAK_FAILURE_INLINE
  BOOLEAN FailedOnce;
#endif
} IM_CONN;

typedef struct IM_CALL_ENTRY {
  NDIS_HANDLE SavedSourceHandle;
  IM_CONN* Conn;
  PNET_BUFFER_LIST Upper; /* the NBL received from above */
} IM_CALL_ENTRY;

/* DriverEntry's handles (one driver, any number of adapters). */
static NDIS_HANDLE gMiniportDriver;
static NDIS_HANDLE gProtocolDriver;

static VOID ImFlushHeld(PVOID context, NDIS_HANDLE workItem);

/* ---- Call entries ---------------------------------------------------------------------- */

static NDIS_STATUS ImPushEntry(IM_ADAPTER* a, IM_CONN* c, PNET_BUFFER_LIST nbl,
                               PNET_BUFFER_LIST carrier) {
  IM_CALL_ENTRY* e = (IM_CALL_ENTRY*)NdisAllocateMemoryWithTagPriority(
      a->MiniportHandle, sizeof(*e), IM_TAG_ENTRY, NormalPoolPriority);
  if (e == NULL) return NDIS_STATUS_RESOURCES;
  if (NdisAllocateNetBufferListContext(carrier, sizeof(IM_CALL_ENTRY*), 0, IM_TAG_ENTRY) !=
      NDIS_STATUS_SUCCESS) {
    NdisFreeMemory(e, sizeof(*e), 0);
    return NDIS_STATUS_RESOURCES;
  }
  e->SavedSourceHandle = nbl->SourceHandle;
  e->Conn = c;
  e->Upper = nbl;
  *(IM_CALL_ENTRY**)NET_BUFFER_LIST_CONTEXT_DATA_START(carrier) = e;
  return NDIS_STATUS_SUCCESS;
}

/* Reads and pops the entry of an NBL coming up; returns the NBL to send up. */
static PNET_BUFFER_LIST ImPopEntry(PNET_BUFFER_LIST lower, IM_CALL_ENTRY** entry) {
  IM_CALL_ENTRY* e = *(IM_CALL_ENTRY**)NET_BUFFER_LIST_CONTEXT_DATA_START(lower);
  NdisFreeNetBufferListContext(lower, sizeof(IM_CALL_ENTRY*));
  *entry = e;
  PNET_BUFFER_LIST upper = e->Upper;
#ifdef IM_BREAK_COPY_NBL
  if (upper != lower) {
    upper->Status = lower->Status;
    NET_BUFFER_LIST_INFO(upper, TcpOffloadBytesTransferred) =
        NET_BUFFER_LIST_INFO(lower, TcpOffloadBytesTransferred);
    NdisFreeMemory(lower, sizeof(*lower), 0);
  }
#endif
#ifndef IM_BREAK_SOURCE_HANDLE
  upper->SourceHandle = e->SavedSourceHandle;
#endif
  return upper;
}

static VOID ImFreeEntry(IM_CALL_ENTRY* e) {
#ifndef IM_BREAK_LEAK_CALL_ENTRY
  NdisFreeMemory(e, sizeof(*e), 0);
#else
  (void)e;
#endif
}

static NDIS_HANDLE ImUpHandle(IM_ADAPTER* a) {
#ifdef IM_BREAK_WRONG_HANDLE
  return a->BindingHandle;
#else
  return a->MiniportHandle;
#endif
}

/* ---- Sends this driver fails itself ---------------------------------------------------- */

static VOID ImHold(IM_CONN* c, PNET_BUFFER_LIST nbl) {
  nbl->Status = c->UploadRequested ? NDIS_STATUS_UPLOAD_REQUESTED : NDIS_STATUS_REQUEST_UPLOAD;
  NET_BUFFER_LIST_INFO(nbl, TcpOffloadBytesTransferred) = 0;
  c->UploadRequested = TRUE;
  nbl->Next = NULL;
  if (c->HeldTail == NULL) {
    c->HeldHead = nbl;
  } else {
    c->HeldTail->Next = nbl;
  }
  c->HeldTail = nbl;
}

static VOID ImCompleteHeld(IM_CONN* c, BOOLEAN force) {
  if (c->HeldHead == NULL || (c->SendsBelow > 0 && !force)) return;
  PNET_BUFFER_LIST list = c->HeldHead;
  c->HeldHead = c->HeldTail = NULL;
  NdisTcpOffloadSendComplete(c->Adapter->MiniportHandle, list);
}

static VOID ImFlushHeld(PVOID context, NDIS_HANDLE workItem) {
  (void)workItem;
  IM_CONN* c = (IM_CONN*)context;
  c->FlushQueued = FALSE;
  ImCompleteHeld(c, FALSE);
}

/* ---- Requests down ---------------------------------------------------------------------- */

static NDIS_STATUS ImSend(NDIS_HANDLE adapterContext, PVOID offloadContext, PNET_BUFFER_LIST list) {
  IM_ADAPTER* a = (IM_ADAPTER*)adapterContext;
  IM_CONN* c = (IM_CONN*)offloadContext;
  PNET_BUFFER_LIST downHead = NULL, downTail = NULL, next;
  for (PNET_BUFFER_LIST nbl = list; nbl != NULL; nbl = next) {
    next = nbl->Next;
    PNET_BUFFER_LIST carrier = nbl;
#ifdef IM_BREAK_FAILURE_INLINE
    if (!c->FailedOnce) {
      c->FailedOnce = TRUE;
      nbl->Next = NULL;
      nbl->Status = NDIS_STATUS_REQUEST_UPLOAD;
      NdisTcpOffloadSendComplete(a->MiniportHandle, nbl);
      continue;
    }
#endif
#ifdef IM_BREAK_COPY_NBL
    carrier = (PNET_BUFFER_LIST)NdisAllocateMemoryWithTagPriority(
        a->MiniportHandle, sizeof(*carrier), IM_TAG_ENTRY, NormalPoolPriority);
    if (carrier == NULL) carrier = nbl;
    if (carrier != nbl) NdisMoveMemory(carrier, nbl, sizeof(*carrier));
#endif
    if (c->UploadRequested || ImPushEntry(a, c, nbl, carrier) != NDIS_STATUS_SUCCESS) {
      ImHold(c, nbl);
      continue;
    }
    carrier->Next = NULL;
    if (downTail == NULL) {
      downHead = carrier;
    } else {
      downTail->Next = carrier;
    }
    downTail = carrier;
    ++c->SendsBelow;
  }
  if (downHead != NULL) NdisOffloadTcpSend(&c->Lower, downHead);
  if (c->HeldHead != NULL && !c->FlushQueued) {
    c->FlushQueued = TRUE;
    NdisQueueIoWorkItem(a->WorkItem, ImFlushHeld, c);
  }
  return NDIS_STATUS_PENDING;
}

/* Receive, disconnect, forward: one call entry per NBL, then down. */
static NDIS_STATUS ImPass(IM_ADAPTER* a, IM_CONN* c, PNET_BUFFER_LIST list, int kind, ULONG flags) {
  for (PNET_BUFFER_LIST nbl = list; nbl != NULL; nbl = nbl->Next) {
    if (ImPushEntry(a, c, nbl, nbl) != NDIS_STATUS_SUCCESS) {
      /* Not a send: no upload path; the request goes down without an entry
       * and its completion is routed by the SourceHandle NDIS set. */
      continue;
    }
  }
  switch (kind) {
    case 0:
      return NdisOffloadTcpReceive(&c->Lower, list);
    case 1:
      return NdisOffloadTcpDisconnect(&c->Lower, list, flags);
    default:
      return NdisOffloadTcpForward(&c->Lower, list);
  }
}

static NDIS_STATUS ImReceive(NDIS_HANDLE ac, PVOID oc, PNET_BUFFER_LIST list) {
  return ImPass((IM_ADAPTER*)ac, (IM_CONN*)oc, list, 0, 0);
}
static NDIS_STATUS ImDisconnect(NDIS_HANDLE ac, PVOID oc, PNET_BUFFER_LIST list, ULONG flags) {
  return ImPass((IM_ADAPTER*)ac, (IM_CONN*)oc, list, 1, flags);
}
static NDIS_STATUS ImForward(NDIS_HANDLE ac, PVOID oc, PNET_BUFFER_LIST list) {
  return ImPass((IM_ADAPTER*)ac, (IM_CONN*)oc, list, 2, 0);
}
static NDIS_STATUS ImReceiveReturn(NDIS_HANDLE ac, PNET_BUFFER_LIST list) {
  return NdisOffloadTcpReceiveReturn(((IM_ADAPTER*)ac)->BindingHandle, list);
}

/* ---- Completions up --------------------------------------------------------------------- */

typedef VOID (*IM_COMPLETE)(NDIS_HANDLE, PNET_BUFFER_LIST);

static VOID ImCompleteUp(IM_ADAPTER* a, PNET_BUFFER_LIST list, IM_COMPLETE complete, BOOLEAN send) {
  /* Pop every entry first: after the call up the NBLs are no longer ours. */
  IM_CALL_ENTRY* entries[64];
  ULONG n = 0;
  PNET_BUFFER_LIST upHead = NULL, upTail = NULL, next;
  IM_CONN* conn = NULL;
  for (PNET_BUFFER_LIST nbl = list; nbl != NULL; nbl = next) {
    next = nbl->Next;
    IM_CALL_ENTRY* e;
    PNET_BUFFER_LIST up = ImPopEntry(nbl, &e);
    conn = e->Conn;
    if (send && conn->SendsBelow > 0) --conn->SendsBelow;
    up->Next = NULL;
    if (upTail == NULL) {
      upHead = up;
    } else {
      upTail->Next = up;
    }
    upTail = up;
    if (n == sizeof(entries) / sizeof(entries[0])) {
      /* A long list: hand up what is gathered, then go on. */
      complete(ImUpHandle(a), upHead);
      for (ULONG i = 0; i < n; ++i) ImFreeEntry(entries[i]);
      n = 0;
      upHead = upTail = NULL;
      upHead = upTail = up;
    }
    entries[n++] = e;
  }
  if (upHead != NULL) complete(ImUpHandle(a), upHead);
#ifdef IM_BREAK_DOUBLE_COMPLETE
  if (send && upHead != NULL) complete(ImUpHandle(a), upHead);
#endif
  for (ULONG i = 0; i < n; ++i) ImFreeEntry(entries[i]);
  if (send && conn != NULL) ImCompleteHeld(conn, FALSE);
}

static VOID ImSendComplete(NDIS_HANDLE ctx, PNET_BUFFER_LIST list) {
  ImCompleteUp((IM_ADAPTER*)ctx, list, NdisTcpOffloadSendComplete, TRUE);
}
static VOID ImReceiveComplete(NDIS_HANDLE ctx, PNET_BUFFER_LIST list) {
  ImCompleteUp((IM_ADAPTER*)ctx, list, NdisTcpOffloadReceiveComplete, FALSE);
}
static VOID ImDisconnectComplete(NDIS_HANDLE ctx, PNET_BUFFER_LIST list) {
  /* Sends failed here complete before the disconnect does (invariant 8). */
  IM_CALL_ENTRY* e = *(IM_CALL_ENTRY**)NET_BUFFER_LIST_CONTEXT_DATA_START(list);
  ImCompleteHeld(e->Conn, TRUE);
  ImCompleteUp((IM_ADAPTER*)ctx, list, NdisTcpOffloadDisconnectComplete, FALSE);
}
static VOID ImForwardComplete(NDIS_HANDLE ctx, PNET_BUFFER_LIST list) {
  ImCompleteUp((IM_ADAPTER*)ctx, list, NdisTcpOffloadForwardComplete, FALSE);
}

static NDIS_STATUS ImReceiveIndicate(NDIS_HANDLE offloadContext, PNET_BUFFER_LIST nbl,
                                     NDIS_STATUS status, PULONG bytesConsumed) {
  IM_CONN* c = CONTAINING_RECORD(offloadContext, IM_CONN, Lower);
  return NdisTcpOffloadReceiveHandler(c->UpperOffloadHandle, nbl, status, bytesConsumed);
}

static VOID ImEvent(NDIS_HANDLE offloadContext, ULONG type, ULONG info) {
  IM_CONN* c = CONTAINING_RECORD(offloadContext, IM_CONN, Lower);
  NdisTcpOffloadEventHandler(c->UpperOffloadHandle, type, info);
}

/* ---- Initiate and terminate ------------------------------------------------------------- */

static VOID ImInitiateOffload(NDIS_HANDLE adapterContext, PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block) {
  IM_ADAPTER* a = (IM_ADAPTER*)adapterContext;
  IM_CONN* c = (IM_CONN*)NdisAllocateMemoryWithTagPriority(a->MiniportHandle, sizeof(*c),
                                                           IM_TAG_CONN, NormalPoolPriority);
  if (c == NULL) {
    block->Status = NDIS_STATUS_RESOURCES;
    NdisMInitiateOffloadComplete(a->MiniportHandle, block);
    return;
  }
  c->Adapter = a;
  c->UpperOffloadHandle = block->NdisOffloadHandle;
  c->UpperBlock = block;
  *block->MiniportOffloadContext = c;
  c->DownBlock.Header = block->Header;
  c->DownBlock.Status = NDIS_STATUS_SUCCESS;
  c->DownBlock.OffloadHandle = &c->Lower;
  c->DownBlock.ChimneyConnectionId = block->ChimneyConnectionId;
  c->Next = a->Conns;
  if (a->Conns != NULL) a->Conns->Prev = c;
  a->Conns = c;
  NdisInitiateOffload(a->BindingHandle, &c->DownBlock);
}

static VOID ImFreeConn(IM_CONN* c) {
  IM_ADAPTER* a = c->Adapter;
  if (c->Prev != NULL) {
    c->Prev->Next = c->Next;
  } else {
    a->Conns = c->Next;
  }
  if (c->Next != NULL) c->Next->Prev = c->Prev;
  NdisFreeMemory(c, sizeof(*c), 0);
}

static VOID ImInitiateOffloadComplete(NDIS_HANDLE ctx, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST down) {
  IM_ADAPTER* a = (IM_ADAPTER*)ctx;
  IM_CONN* c = CONTAINING_RECORD(down, IM_CONN, DownBlock);
  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST up = c->UpperBlock;
  c->UpperBlock = NULL;
  up->Status = down->Status;
  if (down->Status != NDIS_STATUS_SUCCESS) {
    *up->MiniportOffloadContext = NULL;
    ImFreeConn(c);
  }
  NdisMInitiateOffloadComplete(a->MiniportHandle, up);
}

static VOID ImTerminateOffload(NDIS_HANDLE adapterContext,
                               PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block) {
  IM_ADAPTER* a = (IM_ADAPTER*)adapterContext;
  IM_CONN* c = (IM_CONN*)*block->MiniportOffloadContext;
  if (c == NULL) {
    block->Status = NDIS_STATUS_INVALID_PARAMETER;
    NdisMTerminateOffloadComplete(a->MiniportHandle, block);
    return;
  }
  c->UpperBlock = block;
  c->DownBlock.Status = NDIS_STATUS_SUCCESS;
  NdisTerminateOffload(a->BindingHandle, &c->DownBlock);
}

static VOID ImTerminateOffloadComplete(NDIS_HANDLE ctx, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST down) {
  IM_ADAPTER* a = (IM_ADAPTER*)ctx;
  IM_CONN* c = CONTAINING_RECORD(down, IM_CONN, DownBlock);
  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST up = c->UpperBlock;
  /* Everything below has completed: sends failed here go up first, nothing
   * may name the connection after the terminate. */
  ImCompleteHeld(c, TRUE);
  up->Status = down->Status;
  *up->MiniportOffloadContext = NULL;
  ImFreeConn(c);
  NdisMTerminateOffloadComplete(a->MiniportHandle, up);
}

/* ---- Registration, binding, initialization, halt --------------------------------------- */

static NDIS_STATUS ImMiniportSetOptions(NDIS_HANDLE driverHandle, NDIS_HANDLE driverContext) {
  (void)driverContext;
  NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS generic;
  NdisZeroMemory(&generic, sizeof(generic));
  generic.Header.Type = NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS;
  generic.Header.Revision = 1;
  generic.Header.Size = sizeof(generic);
  generic.InitiateOffloadHandler = ImInitiateOffload;
  generic.TerminateOffloadHandler = ImTerminateOffload;
  NDIS_STATUS st = NdisSetOptionalHandlers(driverHandle, &generic.Header);
  if (st != NDIS_STATUS_SUCCESS) return st;

  NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS tcp;
  NdisZeroMemory(&tcp, sizeof(tcp));
  tcp.Header.Type = NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_CHARACTERISTICS;
  tcp.Header.Revision = 1;
  tcp.Header.Size = sizeof(tcp);
  tcp.TcpOffloadSendHandler = ImSend;
  tcp.TcpOffloadReceiveHandler = ImReceive;
  tcp.TcpOffloadReceiveReturnHandler = ImReceiveReturn;
  tcp.TcpOffloadDisconnectHandler = ImDisconnect;
#ifndef IM_BREAK_MISSING_HANDLER
  tcp.TcpOffloadForwardHandler = ImForward;
#else
  (void)ImForward;
#endif
  return NdisSetOptionalHandlers(driverHandle, &tcp.Header);
}

static NDIS_STATUS ImProtocolSetOptions(NDIS_HANDLE driverHandle, NDIS_HANDLE driverContext) {
  (void)driverContext;
  NDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS generic;
  NdisZeroMemory(&generic, sizeof(generic));
  generic.Header.Type = NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS;
  generic.Header.Revision = 1;
  generic.Header.Size = sizeof(generic);
  generic.InitiateOffloadCompleteHandler = ImInitiateOffloadComplete;
  generic.TerminateOffloadCompleteHandler = ImTerminateOffloadComplete;
  NDIS_STATUS st = NdisSetOptionalHandlers(driverHandle, &generic.Header);
  if (st != NDIS_STATUS_SUCCESS) return st;

  NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS tcp;
  NdisZeroMemory(&tcp, sizeof(tcp));
  tcp.Header.Type = NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_CHARACTERISTICS;
  tcp.Header.Revision = 1;
  tcp.Header.Size = sizeof(tcp);
  tcp.SendCompleteHandler = ImSendComplete;
  tcp.ReceiveCompleteHandler = ImReceiveComplete;
  tcp.DisconnectCompleteHandler = ImDisconnectComplete;
  tcp.ForwardCompleteHandler = ImForwardComplete;
  tcp.ReceiveIndicateHandler = ImReceiveIndicate;
  tcp.TcpOffloadEventHandler = ImEvent;
  return NdisSetOptionalHandlers(driverHandle, &tcp.Header);
}

static NDIS_STATUS ImBindAdapter(NDIS_HANDLE driverContext, NDIS_HANDLE bindContext,
                                 PNDIS_BIND_PARAMETERS params) {
  (void)driverContext;
  (void)params;
  IM_ADAPTER* a = (IM_ADAPTER*)NdisAllocateMemoryWithTagPriority(
      gProtocolDriver, sizeof(*a), IM_TAG_ADAPTER, NormalPoolPriority);
  if (a == NULL) return NDIS_STATUS_RESOURCES;
  NDIS_OPEN_PARAMETERS open;
  NdisZeroMemory(&open, sizeof(open));
  open.Header.Type = NDIS_OBJECT_TYPE_OPEN_PARAMETERS;
  open.Header.Revision = 1;
  open.Header.Size = sizeof(open);
  NDIS_STATUS st = NdisOpenAdapterEx(gProtocolDriver, a, &open, bindContext, &a->BindingHandle);
  if (st != NDIS_STATUS_SUCCESS) NdisFreeMemory(a, sizeof(*a), 0);
  return st;
}

static NDIS_STATUS ImInitialize(NDIS_HANDLE miniportHandle, NDIS_HANDLE driverContext,
                                PNDIS_MINIPORT_INIT_PARAMETERS params) {
  (void)driverContext;
  IM_ADAPTER* a = (IM_ADAPTER*)params->IMDeviceInstanceContext;
  if (a == NULL) return NDIS_STATUS_FAILURE;
  a->MiniportHandle = miniportHandle;
  a->WorkItem = NdisAllocateIoWorkItem(miniportHandle);
  NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
  NdisZeroMemory(&attributes, sizeof(attributes));
  attributes.RegistrationAttributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ATTRIBUTES;
  attributes.RegistrationAttributes.Header.Revision = 1;
  attributes.RegistrationAttributes.Header.Size = sizeof(attributes.RegistrationAttributes);
  attributes.RegistrationAttributes.MiniportAdapterContext = a;
  return NdisMSetMiniportAttributes(miniportHandle, &attributes);
}

static VOID ImHalt(NDIS_HANDLE adapterContext, NDIS_HALT_ACTION action) {
  (void)action;
  IM_ADAPTER* a = (IM_ADAPTER*)adapterContext;
  while (a->Conns != NULL) ImFreeConn(a->Conns);
  if (a->WorkItem != NULL) NdisFreeIoWorkItem(a->WorkItem);
  NdisFreeMemory(a, sizeof(*a), 0);
}

CHIMNEY_DRIVER_ENTRY_EXPORT NDIS_STATUS DriverEntry(PDRIVER_OBJECT driverObject,
                                                    PUNICODE_STRING registryPath) {
  NDIS_MINIPORT_DRIVER_CHARACTERISTICS mp;
  NdisZeroMemory(&mp, sizeof(mp));
  mp.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
  mp.Header.Revision = 1;
  mp.Header.Size = sizeof(mp);
  mp.MajorNdisVersion = 6;
  mp.MinorNdisVersion = 0;
  mp.SetOptionsHandler = ImMiniportSetOptions;
  mp.InitializeHandlerEx = ImInitialize;
  mp.HaltHandlerEx = ImHalt;
  NDIS_STATUS st =
      NdisMRegisterMiniportDriver(driverObject, registryPath, NULL, &mp, &gMiniportDriver);
  if (st != NDIS_STATUS_SUCCESS) return st;

  NDIS_PROTOCOL_DRIVER_CHARACTERISTICS pr;
  NdisZeroMemory(&pr, sizeof(pr));
  pr.Header.Type = NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS;
  pr.Header.Revision = 1;
  pr.Header.Size = sizeof(pr);
  pr.MajorNdisVersion = 6;
  pr.SetOptionsHandler = ImProtocolSetOptions;
  pr.BindAdapterHandlerEx = ImBindAdapter;
  return NdisRegisterProtocolDriver(NULL, &pr, &gProtocolDriver);
}
