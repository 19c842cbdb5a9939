/* The sample offload target's request half: the request table (the tag of
 * an SQ entry names a slot and its generation), posting into the SQ with a
 * waiting queue when it is full, and the terminate: TERMINATE only once the
 * engine has fetched every SQ entry of the connection, then everything the
 * engine still owes and everything held back goes up with UPLOAD_IN_PROGRESS
 * before the terminate completes. */
#include "offload_target.h"

VOID OtListPush(OT_ADAPTER* a, OT_LIST* list, ULONG index) {
  a->Requests[index].Next = 0;
  if (list->Tail != 0) {
    a->Requests[list->Tail - 1].Next = index + 1;
  } else {
    list->Head = index + 1;
  }
  list->Tail = index + 1;
}

ULONG OtListPop(OT_ADAPTER* a, OT_LIST* list) {
  const ULONG index = list->Head - 1;
  list->Head = a->Requests[index].Next;
  if (list->Head == 0) list->Tail = 0;
  return index;
}

/* A free slot; the table doubles when full (an initiating call never fails). */
static BOOLEAN NewRequest(OT_ADAPTER* a, ULONG* index) {
  if (a->FreeRequests == 0) {
    const ULONG capacity = a->RequestCapacity == 0 ? 256 : 2 * a->RequestCapacity;
    ULONG i;
    OT_REQUEST* grown = (OT_REQUEST*)NdisAllocateMemoryWithTagPriority(
        a->MiniportHandle, capacity * (ULONG)sizeof(OT_REQUEST), OT_TAG, NormalPoolPriority);
    if (grown == NULL) return FALSE;
    if (a->Requests != NULL) {
      NdisMoveMemory(grown, a->Requests, a->RequestCapacity * sizeof(OT_REQUEST));
      NdisFreeMemory(a->Requests, a->RequestCapacity * (UINT)sizeof(OT_REQUEST), 0);
    }
    for (i = capacity; i-- > a->RequestCapacity;) {
      grown[i].Next = a->FreeRequests;
      a->FreeRequests = i + 1;
    }
    a->Requests = grown;
    a->RequestCapacity = capacity;
  }
  *index = a->FreeRequests - 1;
  a->FreeRequests = a->Requests[*index].Next;
  return TRUE;
}

static ULONG64 TagOf(OT_ADAPTER* a, ULONG index) {
  return ((ULONG64)a->Requests[index].Generation << 32) | index;
}

static VOID RingDoorbell(OT_ADAPTER* a, ULONG q) {
  OtWrite(a, OT_QP(q, OT_SQ_TAIL), a->Qp[q].SqTail);
}

static VOID WriteEntry(OT_ADAPTER* a, ULONG q, ULONG index) {
  OT_QP* qp = &a->Qp[q];
  OT_REQUEST* r = &a->Requests[index];
  const PUCHAR e = qp->Sq + 32u * (qp->SqTail & ((1u << a->SqLog2) - 1));
  const ULONG64 tag = TagOf(a, index);
  const PNET_BUFFER nb = NET_BUFFER_LIST_FIRST_NB(r->Nbl);
  const ULONG64 buffer =
      nb != NULL && nb->CurrentMdl != NULL
          ? CHIMNEY_MDL_BUS_ADDRESS(nb->CurrentMdl) + NET_BUFFER_CURRENT_MDL_OFFSET(nb)
          : 0;
  int i;
  NdisZeroMemory(e, 32);
  for (i = 0; i < 8; ++i) {
    e[i] = (UCHAR)(tag >> (8 * i));
    e[16 + i] = (UCHAR)(buffer >> (8 * i));
  }
  e[8] = r->Op;
  e[9] = r->Flags;
  e[10] = (UCHAR)r->Conn;
  e[11] = (UCHAR)(r->Conn >> 8);
  for (i = 0; i < 4; ++i) e[12 + i] = (UCHAR)(r->Length >> (8 * i));
  ++qp->SqTail;
  r->InSq = 1;
  if (r->Conn != OT_NO_CONN) {
    OT_CONN* c = &a->Conns[r->Conn];
    c->LastSqPtr = qp->SqTail;
    c->HasSqEntries = 1;
    if (r->Op == OT_OP_RECV) {
      if (c->ReceivesWaiting > 0) --c->ReceivesWaiting;
      ++c->ReceivesInSq;
    }
  }
}

/* Moves waiting requests into the SQ while it has room (reading SQ_HEAD
 * once when it looks full), then rings the doorbell unless an indication on
 * this queue pair still has its RX_CONSUMED to write. */
VOID OtDrainWaiting(OT_ADAPTER* a, ULONG q) {
  OT_QP* qp = &a->Qp[q];
  const USHORT entries = (USHORT)(1u << a->SqLog2);
  BOOLEAN refreshed = FALSE, wrote = FALSE;
  while (qp->Waiting.Head != 0) {
    if ((USHORT)(qp->SqTail - qp->SqHead) >= entries) {
      if (refreshed) break;
      qp->SqHead = (USHORT)OtRead(a, OT_QP(q, OT_SQ_HEAD));
      refreshed = TRUE;
      continue;
    }
    WriteEntry(a, q, OtListPop(a, &qp->Waiting));
    wrote = TRUE;
  }
  if (wrote && qp->DoorbellHold == 0) RingDoorbell(a, q);
  if (qp->Waiting.Head != 0) NdisSetTimerObject(a->Timer, (LARGE_INTEGER){-1000}, 0, NULL);
}

/* The MDL chain holds the NET_BUFFER's data: DataOffset + DataLength bytes. */
static BOOLEAN HoldsItsData(const NET_BUFFER* nb) {
  ULONG64 chain = 0;
  const MDL* m;
  for (m = NET_BUFFER_FIRST_MDL(nb); m != NULL; m = NDIS_MDL_LINKAGE(m)) {
    chain += MmGetMdlByteCount(m);
  }
  return (ULONG64)NET_BUFFER_DATA_OFFSET(nb) + NET_BUFFER_DATA_LENGTH(nb) <= chain;
}

NDIS_STATUS OtPost(OT_ADAPTER* a, PVOID context, PNET_BUFFER_LIST list, UCHAR op, UCHAR flags) {
  OT_CONN* c = (OT_CONN*)context;
  ULONG conn = OT_NO_CONN, q = 0;
  if (list == NULL) return NDIS_STATUS_INVALID_PARAMETER;
  if (c != NULL && c->Adapter == a && c->State != OT_FREE) {
    conn = c->Id;
    q = c->Qp;
  } else {
    c = NULL; /* unknown: the engine completes it INVALID_CONN */
  }
  while (list != NULL) {
    const PNET_BUFFER_LIST next = NET_BUFFER_LIST_NEXT_NBL(list);
    const PNET_BUFFER nb = NET_BUFFER_LIST_FIRST_NB(list);
    ULONG index;
    OT_REQUEST* r;
    NET_BUFFER_LIST_NEXT_NBL(list) = NULL;
    if (!NewRequest(a, &index)) return NDIS_STATUS_RESOURCES;
    r = &a->Requests[index];
    r->Nbl = list;
    r->Seq = a->NextSeq++;
    r->Op = op;
    r->Flags = flags;
    if (op == OT_OP_RECV && NET_BUFFER_LIST_INFO(list, TcpReceiveNoPush) != NULL) r->Flags |= 2;
    /* A buffer its MDL chain does not hold is malformed, like a disconnect
     * of no type: a flag bit no opcode owns (INVALID_REQUEST). */
    if (nb != NULL && !HoldsItsData(nb)) r->Flags |= 0x80;
    r->Conn = (USHORT)conn;
    r->Qp = (UCHAR)q;
    r->InSq = 0;
    r->Length = nb != NULL ? NET_BUFFER_DATA_LENGTH(nb) : 0;
    if (c != NULL && c->State != OT_OFFLOADED) {
      OtListPush(a, &c->Held, index); /* terminating: uploaded when it finishes */
    } else {
      OtListPush(a, &a->Qp[q].Waiting, index);
      if (c != NULL && op == OT_OP_RECV) ++c->ReceivesWaiting;
    }
    list = next;
  }
  OtDrainWaiting(a, q);
  return NDIS_STATUS_PENDING;
}

VOID OtCompleteRequest(OT_ADAPTER* a, ULONG index, NDIS_STATUS status, ULONG bytes) {
  OT_REQUEST* r = &a->Requests[index];
  const PNET_BUFFER_LIST nbl = r->Nbl;
  const PNET_BUFFER nb = NET_BUFFER_LIST_FIRST_NB(nbl);
  const UCHAR op = r->Op;
  if (bytes > r->Length) bytes = r->Length;
  r->Nbl = NULL;
  ++r->Generation;
  r->Next = a->FreeRequests;
  a->FreeRequests = index + 1;
  NET_BUFFER_LIST_STATUS(nbl) = status;
  NET_BUFFER_LIST_INFO(nbl, TcpOffloadBytesTransferred) = (PVOID)(ULONG_PTR)bytes;
  if (nb != NULL && bytes > 0) NdisAdvanceNetBufferDataStart(nb, bytes, FALSE, NULL);
  NET_BUFFER_LIST_NEXT_NBL(nbl) = NULL;
  switch (op) {
    case OT_OP_SEND:
      a->Tcp->NdisTcpOffloadSendComplete(a->MiniportHandle, nbl);
#ifdef OT_BREAK_DOUBLE_COMPLETE
      a->Tcp->NdisTcpOffloadSendComplete(a->MiniportHandle, nbl); /* broken: twice */
#endif
      break;
    case OT_OP_RECV:
      a->Tcp->NdisTcpOffloadReceiveComplete(a->MiniportHandle, nbl);
      break;
    case OT_OP_DISCONNECT:
      a->Tcp->NdisTcpOffloadDisconnectComplete(a->MiniportHandle, nbl);
      break;
    default:
      a->Tcp->NdisTcpOffloadForwardComplete(a->MiniportHandle, nbl);
      break;
  }
}

VOID OtAdvanceTerminate(OT_ADAPTER* a, OT_CONN* c) {
  OT_QP* qp = &a->Qp[c->Qp];
  ULONG result, i;
  if (c->State != OT_TERMINATE_WAIT_FETCH) return;
  if (qp->DoorbellHold > 0) return; /* entries not announced yet: the timer retries */
  if (c->HasSqEntries) {
    BOOLEAN fetched = FALSE;
    for (i = 0; i < 64 && !fetched; ++i) {
      const USHORT behind = (USHORT)(c->LastSqPtr - qp->SqHead);
      fetched = behind == 0 || behind > (USHORT)(qp->SqTail - qp->SqHead);
      if (!fetched) {
        qp->SqHead = (USHORT)OtRead(a, OT_QP(c->Qp, OT_SQ_HEAD));
        if ((i + 1) % 8 == 0) OtReapAll(a); /* fetching may wait for CQ space */
      }
    }
    if (!fetched) {
      NdisSetTimerObject(a->Timer, (LARGE_INTEGER){-1000}, 0, NULL);
      return;
    }
  }
  c->State = OT_TERMINATE_ISSUED;
  --a->TerminatesWaiting;
  result = OtCommand(a, c->Id, c->Qp, OT_CMD_TERMINATE, 0);
  if (result != 0 && result != 0xFF) OtFinishTerminate(a, c); /* no TERMINATE_DONE comes */
  if (a->Qp[c->Qp].BacklogCount > 0) NdisSetTimerObject(a->Timer, (LARGE_INTEGER){-1000}, 0, NULL);
}

VOID OtFinishTerminate(OT_ADAPTER* a, OT_CONN* c) {
  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block = c->TerminateBlock;
  /* What the engine still owes goes up first, in posting order, then what
   * was held back. */
  for (;;) {
    ULONG i, best = 0;
    BOOLEAN found = FALSE;
    for (i = 0; i < a->RequestCapacity; ++i) {
      const OT_REQUEST* r = &a->Requests[i];
      if (r->Nbl != NULL && r->InSq && r->Conn == c->Id &&
          (!found || r->Seq < a->Requests[best].Seq)) {
        best = i;
        found = TRUE;
      }
    }
    if (!found) break;
    OtCompleteRequest(a, best, NDIS_STATUS_UPLOAD_IN_PROGRESS, 0);
  }
  while (c->Held.Head != 0) {
    OtCompleteRequest(a, OtListPop(a, &c->Held), NDIS_STATUS_UPLOAD_IN_PROGRESS, 0);
  }
  c->State = OT_FREE;
  c->TerminateBlock = NULL;
  c->NdisOffloadHandle = NULL;
  a->FreeConns[(a->FreeHead + a->FreeCount++) % a->NumConn] = c->Id;
  if (block != NULL) {
    block->Status = NDIS_STATUS_SUCCESS;
    a->Generic->NdisMTerminateOffloadComplete(a->MiniportHandle, block);
  }
}

BOOLEAN OtHasDeferredWork(OT_ADAPTER* a) {
  ULONG q;
  for (q = 0; q < a->NumQp; ++q) {
    if (a->Qp[q].Waiting.Head != 0 || a->Qp[q].BacklogCount > 0) return TRUE;
  }
  return a->TerminatesWaiting > 0;
}
