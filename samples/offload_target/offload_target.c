/* The sample offload target's NDIS half: DriverEntry and registration,
 * MiniportInitializeEx / MiniportHaltEx, the provider handlers (initiate
 * and terminate offload, send, receive, disconnect, forward, receive
 * return), the interrupt, its DPC and the timer. See offload_target.h. */
#include "offload_target.h"

static ULONG ReadKeyword(NDIS_HANDLE config, PNDIS_STRING keyword, ULONG otherwise) {
  NDIS_STATUS st = NDIS_STATUS_FAILURE;
  PNDIS_CONFIGURATION_PARAMETER p = NULL;
  NdisReadConfiguration(&st, &p, config, keyword, NdisParameterInteger);
  return st == NDIS_STATUS_SUCCESS && p != NULL ? p->ParameterData.IntegerData : otherwise;
}

static VOID ReadSettings(OT_ADAPTER* a) {
  NDIS_STRING queuePairs = NDIS_STRING_CONST("QueuePairs");
  NDIS_STRING sqLog2 = NDIS_STRING_CONST("SqLog2Entries");
  NDIS_STRING cqLog2 = NDIS_STRING_CONST("CqLog2Entries");
  NDIS_STRING modCount = NDIS_STRING_CONST("IrqModCount");
  NDIS_STRING modTimer = NDIS_STRING_CONST("IrqModTimer");
  NDIS_CONFIGURATION_OBJECT object;
  NDIS_HANDLE config = NULL;
  NdisZeroMemory(&object, sizeof(object));
  object.Header.Type = NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT;
  object.Header.Size = sizeof(object);
  object.NdisHandle = a->MiniportHandle;
  a->NumQp = 0; /* every queue pair the engine has */
  a->SqLog2 = 8;
  a->CqLog2 = 10;
  a->IrqModCount = 1;
  a->IrqModTimer = 0;
  if (NdisOpenConfigurationEx(&object, &config) != NDIS_STATUS_SUCCESS) return;
  a->NumQp = ReadKeyword(config, &queuePairs, 0);
  a->SqLog2 = ReadKeyword(config, &sqLog2, 8);
  a->CqLog2 = ReadKeyword(config, &cqLog2, 10);
  a->IrqModCount = ReadKeyword(config, &modCount, 1);
  a->IrqModTimer = ReadKeyword(config, &modTimer, 0);
  NdisCloseConfiguration(config);
}

/* ---- Interrupt, DPC, timer */

static BOOLEAN Isr(NDIS_HANDLE context, PBOOLEAN queueDpc, PULONG processors) {
  (void)context;
  (void)processors;
  *queueDpc = TRUE; /* the engine has no cause register: the DPC looks at every CQ */
  return TRUE;
}

static VOID Dpc(NDIS_HANDLE context, PVOID dpcContext, PVOID throttle, PVOID reserved) {
  (void)dpcContext;
  (void)throttle;
  (void)reserved;
  OtService((OT_ADAPTER*)context);
}

static VOID TimerFunction(PVOID s1, PVOID context, PVOID s2, PVOID s3) {
  (void)s1;
  (void)s2;
  (void)s3;
  OtService((OT_ADAPTER*)context);
}

/* ---- Initialize / halt */

static VOID FreeAdapter(OT_ADAPTER* a) {
  ULONG q;
  OtHardwareStop(a);
  if (a->Interrupt != NULL) NdisMDeregisterInterruptEx(a->Interrupt);
  for (q = 0; q < OT_MAX_QP; ++q) {
    OT_QP* qp = &a->Qp[q];
    if (qp->Sq != NULL)
      NdisMFreeSharedMemory(a->MiniportHandle, 32u << a->SqLog2, TRUE, qp->Sq, qp->SqPa);
#ifndef OT_BREAK_LEAK_SHARED_MEMORY
    if (qp->Cq != NULL)
      NdisMFreeSharedMemory(a->MiniportHandle, 16u << a->CqLog2, TRUE, qp->Cq, qp->CqPa);
#endif
    if (qp->Backlog != NULL) {
      NdisFreeMemory(qp->Backlog, qp->BacklogCapacity * (UINT)sizeof(OT_CPL), 0);
    }
  }
  if (a->Timer != NULL) {
    NdisCancelTimerObject(a->Timer);
    NdisFreeTimerObject(a->Timer);
  }
  if (a->NblPool != NULL) NdisFreeNetBufferListPool(a->NblPool);
  if (a->Csr != NULL) NdisMUnmapIoSpace(a->MiniportHandle, a->Csr, CHIMNEY_CSR_BAR_LENGTH);
#ifndef OT_BREAK_LEAK_REQUEST_TABLE
  if (a->Requests != NULL) {
    NdisFreeMemory(a->Requests, a->RequestCapacity * (UINT)sizeof(OT_REQUEST), 0);
  }
#endif
  if (a->Conns != NULL) NdisFreeMemory(a->Conns, a->NumConn * (UINT)sizeof(OT_CONN), 0);
  if (a->FreeConns != NULL) NdisFreeMemory(a->FreeConns, a->NumConn * (UINT)sizeof(USHORT), 0);
#ifdef OT_BREAK_BAD_FREE
  /* broken: everything freed a second time */
  NdisMDeregisterInterruptEx(a->Interrupt);
  NdisFreeTimerObject(a->Timer);
  NdisFreeNetBufferListPool(a->NblPool);
  NdisMFreeSharedMemory(a->MiniportHandle, 32u << a->SqLog2, TRUE, a->Qp[0].Sq, a->Qp[0].SqPa);
  NdisMUnmapIoSpace(a->MiniportHandle, a->Csr, CHIMNEY_CSR_BAR_LENGTH);
#endif
  NdisFreeMemory(a, sizeof(OT_ADAPTER), 0);
}

static NDIS_STATUS Initialize(NDIS_HANDLE miniportHandle, NDIS_HANDLE driverContext,
                              PNDIS_MINIPORT_INIT_PARAMETERS params) {
  OT_ADAPTER* a;
  NDIS_MINIPORT_ADAPTER_ATTRIBUTES attributes;
  NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS interrupt;
  NDIS_TIMER_CHARACTERISTICS timer;
  NET_BUFFER_LIST_POOL_PARAMETERS pool;
  NDIS_PHYSICAL_ADDRESS bar;
  NDIS_STATUS st;
  ULONG i;
  (void)driverContext;
  (void)params;
  a = (OT_ADAPTER*)NdisAllocateMemoryWithTagPriority(miniportHandle, sizeof(OT_ADAPTER), OT_TAG,
                                                     NormalPoolPriority);
  if (a == NULL) return NDIS_STATUS_RESOURCES;
  a->MiniportHandle = miniportHandle;
  NdisZeroMemory(&attributes, sizeof(attributes));
  attributes.RegistrationAttributes.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_ATTRIBUTES;
  attributes.RegistrationAttributes.Header.Size = sizeof(attributes.RegistrationAttributes);
  attributes.RegistrationAttributes.MiniportAdapterContext = a;
  attributes.RegistrationAttributes.AttributeFlags = NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER;
  NdisMSetMiniportAttributes(miniportHandle, &attributes);
  ReadSettings(a);
  if (NdisMGetOffloadHandlers(miniportHandle, NdisGenericChimneyHandlers, &a->Generic) !=
          NDIS_STATUS_SUCCESS ||
      NdisMGetOffloadHandlers(miniportHandle, NdisTcpChimneyHandlers,
                              (PNDIS_OFFLOAD_EVENT_HANDLERS*)&a->Tcp) != NDIS_STATUS_SUCCESS) {
    FreeAdapter(a);
    return NDIS_STATUS_FAILURE;
  }
  bar.QuadPart = CHIMNEY_CSR_BAR_BASE;
  st = NdisMMapIoSpace((PVOID*)&a->Csr, miniportHandle, bar, CHIMNEY_CSR_BAR_LENGTH);
  if (st != NDIS_STATUS_SUCCESS) {
    FreeAdapter(a);
    return st;
  }

  NdisZeroMemory(&timer, sizeof(timer));
  timer.Header.Type = NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS;
  timer.Header.Size = sizeof(timer);
  timer.AllocationTag = OT_TAG;
  timer.TimerFunction = TimerFunction;
  timer.FunctionContext = a;
  NdisZeroMemory(&pool, sizeof(pool));
  pool.Header.Type = NDIS_OBJECT_TYPE_DEFAULT;
  pool.Header.Size = sizeof(pool);
  pool.fAllocateNetBuffer = TRUE;
  pool.PoolTag = OT_TAG;
  a->NblPool = NdisAllocateNetBufferListPool(miniportHandle, &pool);
  if (NdisAllocateTimerObject(miniportHandle, &timer, &a->Timer) != NDIS_STATUS_SUCCESS ||
      a->NblPool == NULL) {
    FreeAdapter(a);
    return NDIS_STATUS_RESOURCES;
  }

  NdisZeroMemory(&interrupt, sizeof(interrupt));
  interrupt.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT;
  interrupt.Header.Size = sizeof(interrupt);
  interrupt.InterruptHandler = Isr;
  interrupt.InterruptDpcHandler = Dpc;
  st = NdisMRegisterInterruptEx(miniportHandle, a, &interrupt, &a->Interrupt);
  if (st == NDIS_STATUS_SUCCESS) st = OtHardwareStart(a);
  if (st != NDIS_STATUS_SUCCESS) {
    FreeAdapter(a);
    return st;
  }
  a->Conns = (OT_CONN*)NdisAllocateMemoryWithTagPriority(
      miniportHandle, a->NumConn * (UINT)sizeof(OT_CONN), OT_TAG, NormalPoolPriority);
  a->FreeConns = (USHORT*)NdisAllocateMemoryWithTagPriority(
      miniportHandle, a->NumConn * (UINT)sizeof(USHORT), OT_TAG, NormalPoolPriority);
  if (a->Conns == NULL || a->FreeConns == NULL) {
    FreeAdapter(a);
    return NDIS_STATUS_RESOURCES;
  }
  for (i = 0; i < a->NumConn; ++i) {
    a->Conns[i].Adapter = a;
    a->Conns[i].Id = (USHORT)i;
    a->FreeConns[i] = (USHORT)i;
  }
  a->FreeCount = a->NumConn;
  return NDIS_STATUS_SUCCESS;
}

static VOID Halt(NDIS_HANDLE context, NDIS_HALT_ACTION action) {
  (void)action;
#ifndef OT_BREAK_NO_HALT
  FreeAdapter((OT_ADAPTER*)context);
#else
  OtHardwareStop((OT_ADAPTER*)context); /* broken: frees nothing */
#endif
}

/* ---- Provider handlers */

static VOID InitiateOffload(NDIS_HANDLE context, PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block) {
  OT_ADAPTER* a = (OT_ADAPTER*)context;
  if (a->FreeCount == 0) {
    block->Status = NDIS_STATUS_RESOURCES;
  } else {
    /* Least recently released id first: an id is reused as late as possible. */
    const USHORT id = a->FreeConns[a->FreeHead];
    const ULONG q = a->NextQp;
    const ULONG result = OtCommand(a, id, q, OT_CMD_OFFLOAD, 0);
    if (result != 0) {
      block->Status = result == 0xFF ? NDIS_STATUS_RESOURCES : NDIS_STATUS_INVALID_STATE;
    } else {
      OT_CONN* c = &a->Conns[id];
      a->FreeHead = (a->FreeHead + 1) % a->NumConn;
      --a->FreeCount;
      a->NextQp = (a->NextQp + 1) % a->NumQp;
      c->State = OT_OFFLOADED;
      c->Qp = (UCHAR)q;
      c->HasSqEntries = 0;
      c->IndicationDeferred = 0;
      c->ReceivesInSq = 0;
      c->ReceivesWaiting = 0;
      c->Buffered = 0;
      c->Held.Head = c->Held.Tail = 0;
      c->NdisOffloadHandle = block->NdisOffloadHandle;
      *block->MiniportOffloadContext = c;
      block->Status = NDIS_STATUS_SUCCESS;
    }
  }
  a->Generic->NdisMInitiateOffloadComplete(a->MiniportHandle, block);
}

static VOID TerminateOffload(NDIS_HANDLE context, PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block) {
  OT_ADAPTER* a = (OT_ADAPTER*)context;
  OT_CONN* c =
      block->MiniportOffloadContext != NULL ? (OT_CONN*)*block->MiniportOffloadContext : NULL;
  OT_QP* qp;
  OT_LIST keep = {0, 0};
  if (c == NULL || c->Adapter != a || c->State != OT_OFFLOADED) {
    block->Status = NDIS_STATUS_INVALID_PARAMETER;
    a->Generic->NdisMTerminateOffloadComplete(a->MiniportHandle, block);
    return;
  }
  c->State = OT_TERMINATE_WAIT_FETCH;
  c->TerminateBlock = block;
  ++a->TerminatesWaiting;
  /* Requests still waiting for SQ space never reach the engine: they go up
   * with UPLOAD_IN_PROGRESS when the terminate finishes. */
  qp = &a->Qp[c->Qp];
  while (qp->Waiting.Head != 0) {
    const ULONG index = OtListPop(a, &qp->Waiting);
    const BOOLEAN mine = a->Requests[index].Conn == c->Id;
    if (mine && a->Requests[index].Op == OT_OP_RECV && c->ReceivesWaiting > 0) {
      --c->ReceivesWaiting;
    }
    OtListPush(a, mine ? &c->Held : &keep, index);
  }
  qp->Waiting = keep;
  OtAdvanceTerminate(a, c);
}

static NDIS_STATUS Send(NDIS_HANDLE ctx, PVOID conn, PNET_BUFFER_LIST nbl) {
  return OtPost((OT_ADAPTER*)ctx, conn, nbl, OT_OP_SEND, 0);
}
static NDIS_STATUS Receive(NDIS_HANDLE ctx, PVOID conn, PNET_BUFFER_LIST nbl) {
  return OtPost((OT_ADAPTER*)ctx, conn, nbl, OT_OP_RECV, 0);
}
static NDIS_STATUS Forward(NDIS_HANDLE ctx, PVOID conn, PNET_BUFFER_LIST nbl) {
  return OtPost((OT_ADAPTER*)ctx, conn, nbl, OT_OP_FORWARD, 0);
}
static NDIS_STATUS Disconnect(NDIS_HANDLE ctx, PVOID conn, PNET_BUFFER_LIST nbl, ULONG flags) {
  /* GRACEFUL or ABORTIVE; anything else carries a flag bit no opcode owns,
   * so the engine completes it INVALID_REQUEST through the one path. */
  const UCHAR hw = flags == TCP_DISCONNECT_GRACEFUL_CLOSE   ? 0
                   : flags == TCP_DISCONNECT_ABORTIVE_CLOSE ? 1
                                                            : 0x80;
  if (nbl != NULL) NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL; /* exactly one NBL */
  return OtPost((OT_ADAPTER*)ctx, conn, nbl, OT_OP_DISCONNECT, hw);
}

static NDIS_STATUS ReceiveReturn(NDIS_HANDLE ctx, PNET_BUFFER_LIST nbl) {
  OT_ADAPTER* a = (OT_ADAPTER*)ctx;
  if (nbl != NULL && nbl == a->Indicating) {
    a->ReturnedDuringIndicate = TRUE; /* freed when the receive handler returns */
  } else if (nbl != NULL && NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0] == a) {
    NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0] = NULL;
    NdisFreeNetBufferList(nbl);
  }
  return NDIS_STATUS_SUCCESS;
}

/* ---- Registration */

static NDIS_STATUS SetOptions(NDIS_HANDLE driverHandle, NDIS_HANDLE driverContext) {
  NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS generic;
  NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS tcp;
  NDIS_STATUS st;
  (void)driverContext;
  NdisZeroMemory(&generic, sizeof(generic));
  generic.Header.Type = NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS;
  generic.Header.Size = sizeof(generic);
  generic.InitiateOffloadHandler = InitiateOffload;
  generic.TerminateOffloadHandler = TerminateOffload;
  st = NdisSetOptionalHandlers(driverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&generic);
  if (st != NDIS_STATUS_SUCCESS) return st;
  NdisZeroMemory(&tcp, sizeof(tcp));
  tcp.Header.Type = NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_CHARACTERISTICS;
  tcp.Header.Size = sizeof(tcp);
  tcp.TcpOffloadSendHandler = Send;
  tcp.TcpOffloadReceiveHandler = Receive;
  tcp.TcpOffloadReceiveReturnHandler = ReceiveReturn;
  tcp.TcpOffloadDisconnectHandler = Disconnect;
#ifndef OT_BREAK_MISSING_HANDLER
  tcp.TcpOffloadForwardHandler = Forward;
#else
  (void)Forward;
#endif
  return NdisSetOptionalHandlers(driverHandle, (PNDIS_DRIVER_OPTIONAL_HANDLERS)&tcp);
}

CHIMNEY_DRIVER_ENTRY_EXPORT NDIS_STATUS DriverEntry(PDRIVER_OBJECT driverObject,
                                                    PUNICODE_STRING registryPath) {
  NDIS_MINIPORT_DRIVER_CHARACTERISTICS chars;
  NDIS_HANDLE handle = NULL;
  NdisZeroMemory(&chars, sizeof(chars));
  chars.Header.Type = NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS;
  chars.Header.Size = sizeof(chars);
  chars.MajorNdisVersion = 6;
  chars.MinorNdisVersion = 0;
  chars.SetOptionsHandler = SetOptions;
  chars.InitializeHandlerEx = Initialize;
  chars.HaltHandlerEx = Halt;
  return NdisMRegisterMiniportDriver(driverObject, registryPath, NULL, &chars, &handle);
}
