/* The sample offload target's hardware half: register access, bring-up of
 * the queue pairs (rings in shared memory), connection commands, reading
 * completion descriptors. */
#include "offload_target.h"

ULONG OtRead(OT_ADAPTER* a, ULONG offset) {
  ULONG v = 0;
  NdisReadRegisterUlong(a->Csr + offset / 4, &v);
  return v;
}

VOID OtWrite(OT_ADAPTER* a, ULONG offset, ULONG value) {
  NdisWriteRegisterUlong(a->Csr + offset / 4, value);
}

static ULONG Clamp(ULONG v, ULONG lo, ULONG hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

static VOID ProgramQueuePair(OT_ADAPTER* a, ULONG q) {
  OT_QP* qp = &a->Qp[q];
  const ULONG cqEntries = 1u << a->CqLog2;
  OtWrite(a, OT_QP(q, OT_QP_CTRL), 0);
  OtWrite(a, OT_QP(q, OT_SQ_BASE_LO), (ULONG)qp->SqPa.QuadPart);
  OtWrite(a, OT_QP(q, OT_SQ_BASE_HI), (ULONG)((ULONG64)qp->SqPa.QuadPart >> 32));
  OtWrite(a, OT_QP(q, OT_SQ_SIZE), a->SqLog2);
  OtWrite(a, OT_QP(q, OT_CQ_BASE_LO), (ULONG)qp->CqPa.QuadPart);
  OtWrite(a, OT_QP(q, OT_CQ_BASE_HI), (ULONG)((ULONG64)qp->CqPa.QuadPart >> 32));
  OtWrite(a, OT_QP(q, OT_CQ_SIZE), a->CqLog2);
  /* PRM 10: a count above the CQ's entries would never fire. */
  OtWrite(a, OT_QP(q, OT_IRQ_MOD_COUNT), a->IrqModCount > cqEntries ? cqEntries : a->IrqModCount);
  OtWrite(a, OT_QP(q, OT_IRQ_MOD_TIMER), a->IrqModTimer);
  OtWrite(a, OT_QP(q, OT_QP_CTRL), 3); /* ENABLE | IRQ_ENABLE */
  OtWrite(a, OT_QP(q, OT_CQ_HEAD), OT_CQ_ARM);
  qp->SqTail = qp->SqHead = qp->CqHead = qp->CqHeadWritten = 0;
}

NDIS_STATUS OtHardwareStart(OT_ADAPTER* a) {
  const ULONG caps0 = OtRead(a, OT_REG_CAPS0);
  const ULONG caps1 = OtRead(a, OT_REG_CAPS1);
  ULONG q;
  if (OtRead(a, OT_REG_ID) != OT_ID_VALUE || (OtRead(a, OT_REG_VERSION) >> 16) != 1) {
    return NDIS_STATUS_NOT_SUPPORTED;
  }
  a->NumConn = caps0 & 0xFFFF;
  if (a->NumQp == 0 || a->NumQp > ((caps0 >> 16) & 0xFF)) a->NumQp = (caps0 >> 16) & 0xFF;
  if (a->NumConn == 0 || a->NumQp == 0 || a->NumQp > OT_MAX_QP || (caps1 & 0xFFFF) < 16) {
    return NDIS_STATUS_NOT_SUPPORTED;
  }
  a->SqLog2 = Clamp(a->SqLog2, 1, 15);
  a->CqLog2 = Clamp(a->CqLog2, 1, 15);
  OtWrite(a, OT_REG_CTRL, 2); /* SOFT_RESET */
  OtWrite(a, OT_REG_ERR_STATUS, 0x1F);
  for (q = 0; q < a->NumQp; ++q) {
    OT_QP* qp = &a->Qp[q];
    NdisMAllocateSharedMemory(a->MiniportHandle, 32u << a->SqLog2, TRUE, (PVOID*)&qp->Sq,
                              &qp->SqPa);
    NdisMAllocateSharedMemory(a->MiniportHandle, 16u << a->CqLog2, TRUE, (PVOID*)&qp->Cq,
                              &qp->CqPa);
    if (qp->Sq == NULL || qp->Cq == NULL) return NDIS_STATUS_RESOURCES;
    ProgramQueuePair(a, q);
  }
  OtWrite(a, OT_REG_CTRL, 1); /* ENABLE */
  return NDIS_STATUS_SUCCESS;
}

/* Stops the engine; the rings are freed next, so it waits (bounded) until
 * no queue pair has DMA in flight any more (PRM 13: a burst offered before
 * the disable still reads or writes the rings). A read of all ones is a
 * device that no longer answers: nothing to wait for. */
VOID OtHardwareStop(OT_ADAPTER* a) {
  ULONG q;
  ULONG polls;
  if (a->Csr == NULL) return;
  OtWrite(a, OT_REG_CTRL, 0);
  for (q = 0; q < a->NumQp; ++q) OtWrite(a, OT_QP(q, OT_QP_CTRL), 0);
  for (q = 0; q < a->NumQp; ++q) {
    for (polls = 0; polls < 100000u; ++polls) {
      const ULONG st = OtRead(a, OT_QP(q, OT_QP_STATUS));
      if (st == 0xFFFFFFFFu || (st & OT_QP_STATUS_BUSY) == 0) break;
    }
  }
}

/* A descriptor at ring slot `index` of queue pair q; FALSE when its phase
 * says the engine has not written it on this pass. */
BOOLEAN OtReadCompletion(OT_ADAPTER* a, ULONG q, USHORT index, OT_CPL* out) {
  const PUCHAR d = a->Qp[q].Cq + 16u * (index & ((1u << a->CqLog2) - 1));
  ULONG64 w0 = 0, w1 = 0;
  int i;
  const BOOLEAN phase = ((index >> a->CqLog2) & 1u) == 0;
  for (i = 7; i >= 0; --i) {
    w0 = (w0 << 8) | d[i];
    w1 = (w1 << 8) | d[8 + i];
  }
  if ((BOOLEAN)((w1 >> 63) & 1u) != phase) return FALSE;
  out->Tag = w0;
  out->Bytes = (ULONG)w1;
  out->Conn = (USHORT)(w1 >> 32);
  out->Type = (UCHAR)((w1 >> 48) & 0xF);
  out->Status = (UCHAR)((w1 >> 52) & 0xFF);
  return TRUE;
}

static VOID PushBacklog(OT_ADAPTER* a, OT_QP* qp, const OT_CPL* c) {
  if (qp->BacklogCount == qp->BacklogCapacity) {
    const ULONG capacity = qp->BacklogCapacity == 0 ? 64 : 2 * qp->BacklogCapacity;
    OT_CPL* grown = (OT_CPL*)NdisAllocateMemoryWithTagPriority(
        a->MiniportHandle, capacity * (ULONG)sizeof(OT_CPL), OT_TAG, NormalPoolPriority);
    if (grown == NULL) return;
    if (qp->Backlog != NULL) {
      NdisMoveMemory(grown, qp->Backlog, qp->BacklogCount * sizeof(OT_CPL));
      NdisFreeMemory(qp->Backlog, qp->BacklogCapacity * (UINT)sizeof(OT_CPL), 0);
    }
    qp->Backlog = grown;
    qp->BacklogCapacity = capacity;
  }
  qp->Backlog[qp->BacklogCount++] = *c;
}

/* Takes every committed descriptor off every CQ into its backlog and hands
 * the slots back (no NDIS call): a connection command may need CQ space to
 * finish (TERMINATE's UPLOAD completions). Slots the DPC has read and not yet
 * handed back go back too: RX_CONSUMED is written while the DPC handles an
 * RX_INDICATE, and the engine may need those slots for descriptors ahead of
 * the command. */
VOID OtReapAll(OT_ADAPTER* a) {
  ULONG q;
  for (q = 0; q < a->NumQp; ++q) {
    OT_QP* qp = &a->Qp[q];
    const USHORT tail = (USHORT)OtRead(a, OT_QP(q, OT_CQ_TAIL));
    OT_CPL c;
    if (tail == qp->CqHead && qp->CqHeadWritten == qp->CqHead) continue;
    while (qp->CqHead != tail && OtReadCompletion(a, q, qp->CqHead, &c)) {
      PushBacklog(a, qp, &c);
      ++qp->CqHead;
    }
    OtWrite(a, OT_QP(q, OT_CQ_HEAD), qp->CqHead);
    qp->CqHeadWritten = qp->CqHead;
  }
}

ULONG OtCommand(OT_ADAPTER* a, ULONG conn, ULONG qp, ULONG op, ULONG arg) {
  ULONG i;
  if (op == OT_CMD_RX_CONSUMED) OtWrite(a, OT_REG_CONN_CMD_ARG, arg);
  OtWrite(a, OT_REG_CONN_CMD, (conn & 0xFFFF) | (qp << 16) | (op << 24));
  for (i = 1; i <= 100000; ++i) {
    const ULONG status = OtRead(a, OT_REG_CONN_CMD_STATUS);
    if ((status & 1u) == 0) {
      if (((status >> 4) & 0xF) != 0) OtWrite(a, OT_REG_ERR_STATUS, 0x10); /* CMD_ERR */
      return (status >> 4) & 0xF;
    }
    if (i % 8 == 0) OtReapAll(a);
  }
  return 0xFF;
}
