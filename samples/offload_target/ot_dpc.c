/* The sample offload target's DPC half: every queue pair's CQ up to CQ_TAIL
 * (so CQ_HEAD never passes what the engine committed), descriptors to NBL
 * completions, receive indications with RX_CONSUMED, peer events, the end of
 * a terminate. */
#include "offload_target.h"

static NDIS_STATUS MapStatus(UCHAR hw, UCHAR op) {
  switch (hw) {
    case OT_ST_SUCCESS:
      return NDIS_STATUS_SUCCESS;
    case OT_ST_ABORTED:
      return NDIS_STATUS_REQUEST_ABORTED;
    case OT_ST_UPLOAD:
      return NDIS_STATUS_UPLOAD_IN_PROGRESS;
    case OT_ST_INVALID_STATE:
      return op == OT_OP_RECV ? NDIS_STATUS_INVALID_STATE : NDIS_STATUS_INVALID_PARAMETER;
    default:
      return NDIS_STATUS_INVALID_PARAMETER;
  }
}

static OT_CONN* LiveConn(OT_ADAPTER* a, ULONG conn) {
  return conn < a->NumConn && a->Conns[conn].State != OT_FREE ? &a->Conns[conn] : NULL;
}

/* Indicates every buffered byte not yet consumed, then reports what the host
 * took with RX_CONSUMED before any receive doorbell of the queue pair:
 * doorbells are held while the receive handler runs. */
VOID OtIndicate(OT_ADAPTER* a, OT_CONN* c) {
  OT_QP* qp = &a->Qp[c->Qp];
  const ULONG len = c->Buffered > 0xFFFFFFFFu ? 0xFFFFFFFFu : (ULONG)c->Buffered;
  PNET_BUFFER_LIST nbl;
  ULONG consumed = 0, taken = 0;
  NDIS_STATUS st;
  BOOLEAN keep = FALSE;
  c->IndicationDeferred = 0;
  if (len == 0) return;
  nbl = NdisAllocateNetBufferAndNetBufferList(a->NblPool, 0, 0, NULL, 0, len);
  if (nbl == NULL) return;
  ++qp->DoorbellHold;
  /* Marked ours before it goes up: it comes back through ReceiveReturn. */
  NET_BUFFER_LIST_MINIPORT_RESERVED(nbl)[0] = a;
  a->Indicating = nbl;
  a->ReturnedDuringIndicate = FALSE;
  st = a->Tcp->NdisTcpOffloadReceiveHandler(c->NdisOffloadHandle, nbl, NDIS_STATUS_SUCCESS,
                                            &consumed);
  a->Indicating = NULL;
  if (st == NDIS_STATUS_SUCCESS) {
    taken = len; /* SUCCESS means all of it; the NBL comes back by ReceiveReturn */
    keep = !a->ReturnedDuringIndicate;
  } else if (st == NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED) {
    taken = consumed < len ? consumed : len;
  }
  if (!keep) NdisFreeNetBufferList(nbl); /* else outstanding until returned */
  if (taken > 0) {
    /* BAD_STATE: the connection was reset meanwhile; the engine dropped its
     * buffer and the host legitimately has the bytes. */
    (void)OtCommand(a, c->Id, c->Qp, OT_CMD_RX_CONSUMED, taken);
    c->Buffered -= taken < c->Buffered ? taken : c->Buffered;
  }
  if (--qp->DoorbellHold == 0) {
    OtWrite(a, OT_QP(c->Qp, OT_SQ_TAIL), qp->SqTail);
    OtDrainWaiting(a, c->Qp);
  }
}

static VOID CompleteFromDescriptor(OT_ADAPTER* a, const OT_CPL* d) {
  const ULONG index = (ULONG)d->Tag;
  OT_REQUEST* r;
  OT_CONN* c;
  NDIS_STATUS status;
  ULONG bytes = d->Bytes;
  UCHAR op;
  if (index >= a->RequestCapacity) return;
  r = &a->Requests[index];
  if (r->Nbl == NULL || r->Generation != (USHORT)(d->Tag >> 32)) return; /* not ours */
  op = r->Op;
  status = MapStatus(d->Status, op);
  if (bytes > r->Length) bytes = r->Length;
  c = r->Conn != OT_NO_CONN ? &a->Conns[r->Conn] : NULL;
  if (c != NULL && op == OT_OP_RECV) {
    if (c->ReceivesInSq > 0) --c->ReceivesInSq;
    /* Buffered bytes fill a receive before any newer data. */
    c->Buffered -= bytes < c->Buffered ? bytes : c->Buffered;
  }
  if (c != NULL && op == OT_OP_DISCONNECT && (r->Flags & 1) != 0 && status == NDIS_STATUS_SUCCESS) {
    c->Buffered = 0; /* the abort discarded the NIC's buffered data */
    c->IndicationDeferred = 0;
  }
  OtCompleteRequest(a, index, status, bytes);
  /* Data indicated while receives were outstanding, left after they
   * completed: indicate it now. */
  if (c != NULL && op == OT_OP_RECV && c->IndicationDeferred && c->ReceivesInSq == 0 &&
      c->ReceivesWaiting == 0 &&
      (c->State == OT_OFFLOADED || c->State == OT_TERMINATE_WAIT_FETCH)) {
    OtIndicate(a, c);
  }
}

static VOID HandleDescriptor(OT_ADAPTER* a, const OT_CPL* d) {
  OT_CONN* c;
  switch (d->Type) {
    case OT_OP_SEND:
    case OT_OP_RECV:
    case OT_OP_DISCONNECT:
    case OT_OP_FORWARD:
      CompleteFromDescriptor(a, d);
      return;
    case OT_CPL_RX_INDICATE:
      c = LiveConn(a, d->Conn);
      if (c == NULL || c->State == OT_TERMINATE_ISSUED) return; /* goes with the upload */
      c->Buffered += d->Bytes;
      if (c->ReceivesInSq > 0 || c->ReceivesWaiting > 0) {
        /* The receives the engine holds, or will once they have SQ space,
         * take it first. */
        c->IndicationDeferred = 1;
      } else {
        OtIndicate(a, c);
      }
      return;
    case OT_CPL_EVT_FIN:
    case OT_CPL_EVT_RST:
      c = LiveConn(a, d->Conn);
      if (c == NULL) return;
      if (d->Type == OT_CPL_EVT_RST) {
        c->Buffered = 0;
        c->IndicationDeferred = 0;
      }
      a->Tcp->NdisTcpOffloadEventHandler(
          c->NdisOffloadHandle,
          d->Type == OT_CPL_EVT_RST ? TcpIndicateAbort : TcpIndicateDisconnect, 0);
      return;
    case OT_CPL_TERMINATE:
      c = LiveConn(a, d->Conn);
      if (c != NULL && c->State == OT_TERMINATE_ISSUED) OtFinishTerminate(a, c);
      return;
    default:
      return;
  }
}

/* One pass over everything: descriptors reaped earlier, then each CQ up to
 * CQ_TAIL, CQ_HEAD written with ARM (an interrupt with nothing new leaves the
 * queue pair disarmed, so every queue pair is re-armed), then requests
 * waiting for the SQ and terminates waiting for their fetch. */
/* PRM 7: a queue pair halted by a DMA error issues no DMA, so its CQ holds
 * all it will get; once drained, disable it (clears HALTED), clear
 * ERR_STATUS, enable it again, ring the SQ doorbell (entries not fetched are
 * fetched) and re-arm. The rings stay where they are. */
static VOID RecoverHalted(OT_ADAPTER* a, ULONG err) {
  ULONG q;
  ULONG halted[OT_MAX_QP];
  ULONG n = 0;
  for (q = 0; q < a->NumQp; ++q) {
#ifndef OT_BREAK_BLIND_RECOVERY
    const ULONG st = OtRead(a, OT_QP(q, OT_QP_STATUS));
    if (st != 0xFFFFFFFFu && (st & 2u) != 0) halted[n++] = q;
#else
    halted[n++] = q; /* broken: restarts every queue pair without looking */
#endif
  }
  for (q = 0; q < n; ++q) OtWrite(a, OT_QP(halted[q], OT_QP_CTRL), 0);
  OtWrite(a, OT_REG_ERR_STATUS, err & 0x1F);
  for (q = 0; q < n; ++q) {
    OT_QP* qp = &a->Qp[halted[q]];
    OtWrite(a, OT_QP(halted[q], OT_QP_CTRL), 3);
    if (qp->DoorbellHold == 0) OtWrite(a, OT_QP(halted[q], OT_SQ_TAIL), qp->SqTail);
    OtWrite(a, OT_QP(halted[q], OT_CQ_HEAD), OT_CQ_ARM | qp->CqHead);
    qp->CqHeadWritten = qp->CqHead;
  }
}

VOID OtService(OT_ADAPTER* a) {
  ULONG q;
  const ULONG err = OtRead(a, OT_REG_ERR_STATUS);
  /* PROTO_ERR, DOORBELL_ERR and CMD_ERR need nothing but acknowledging (the
   * engine dropped the event or write); the DMA bits are cleared once the
   * halted queue pairs are drained (RecoverHalted). */
  if (err != 0 && err != 0xFFFFFFFFu && (err & 0x1Cu) != 0) {
    OtWrite(a, OT_REG_ERR_STATUS, err & 0x1Cu);
  }
  if (a->InService) return;
  a->InService = TRUE;
  for (q = 0; q < a->NumQp; ++q) {
    OT_QP* qp = &a->Qp[q];
    USHORT tail;
    OT_CPL d;
    ULONG i;
    for (i = 0; i < qp->BacklogCount; ++i) {
      d = qp->Backlog[i];
      HandleDescriptor(a, &d);
    }
    qp->BacklogCount = 0;
    tail = (USHORT)OtRead(a, OT_QP(q, OT_CQ_TAIL));
    while (qp->CqHead != tail && OtReadCompletion(a, q, qp->CqHead, &d)) {
      ++qp->CqHead;
      HandleDescriptor(a, &d);
      if (qp->BacklogCount > 0) break; /* reaped meanwhile: older than the ring's rest */
    }
    OtWrite(a, OT_QP(q, OT_CQ_HEAD), OT_CQ_ARM | qp->CqHead);
    qp->CqHeadWritten = qp->CqHead;
#ifdef OT_BREAK_CQ_HEAD_BEHIND
    /* broken: hands back one descriptor less than it consumed */
    if (qp->CqHead != 0) OtWrite(a, OT_QP(q, OT_CQ_HEAD), (USHORT)(qp->CqHead - 1));
#endif
    if (qp->Waiting.Head != 0) OtDrainWaiting(a, q);
  }
  /* DMA_RD_ERR / DMA_WR_ERR: every CQ was drained above. */
  if (err != 0xFFFFFFFFu && (err & 3u) != 0) RecoverHalted(a, err);
  if (a->TerminatesWaiting > 0) {
    for (q = 0; q < a->NumConn; ++q) {
      if (a->Conns[q].State == OT_TERMINATE_WAIT_FETCH) OtAdvanceTerminate(a, &a->Conns[q]);
    }
  }
  a->InService = FALSE;
  if (OtHasDeferredWork(a)) NdisSetTimerObject(a->Timer, (LARGE_INTEGER){-1000}, 0, NULL);
}
