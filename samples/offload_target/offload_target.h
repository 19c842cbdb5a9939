/* A sample TCP chimney offload target (the NIC's miniport) in C, written
 * against wdk/include/ndis.h only. It drives the completion engine of
 * docs/spec/PRM.md through the CSR space (NdisRead/WriteRegisterUlong), rings
 * in shared memory (NdisMAllocateSharedMemory), its interrupt and DPC
 * (NdisMRegisterInterruptEx) and a timer:
 *
 *   MiniportTcpOffloadXxx(nbl) -> request table (tag) -> SQ entry + SQ_TAIL
 *   interrupt -> DPC: CQ up to CQ_TAIL -> tag -> NBL -> NdisTcpOffloadXxxComplete
 *                     RX_INDICATE -> NdisTcpOffloadReceiveHandler -> RX_CONSUMED
 *                     EVT_FIN / EVT_RST -> NdisTcpOffloadEventHandler
 *                     TERMINATE_DONE -> NdisMTerminateOffloadComplete
 *   timer: requests waiting for SQ space, terminates waiting for the
 *          engine to fetch the connection's requests, descriptors taken off
 *          a CQ while a connection command was busy.
 *
 *   error interrupt -> the same DPC: a queue pair halted by a DMA error is
 *          drained, disabled, ERR_STATUS cleared, enabled again (rings stay).
 *
 * Left out: moving the rings after a DMA error, a DPC budget (one DPC takes
 * every committed descriptor) and completion chaining (one NBL per
 * completion call). */
#ifndef OFFLOAD_TARGET_SAMPLE_H
#define OFFLOAD_TARGET_SAMPLE_H

#include <ndis.h>

#define OT_TAG CHIMNEY_POOL_TAG('O', 't', 'g', 't')
#define OT_MAX_QP 16
#define OT_NO_CONN 0xFFFFu /* beyond every NUM_CONN: the engine answers INVALID_CONN */

/* PRM section 3. */
#define OT_REG_ID 0x0000u
#define OT_REG_VERSION 0x0004u
#define OT_REG_CAPS0 0x0008u
#define OT_REG_CAPS1 0x000Cu
#define OT_REG_CTRL 0x0010u
#define OT_REG_ERR_STATUS 0x0014u
#define OT_REG_CONN_CMD 0x0020u
#define OT_REG_CONN_CMD_ARG 0x0024u
#define OT_REG_CONN_CMD_STATUS 0x0028u
#define OT_QP(q, off) (0x1000u + 0x40u * (q) + (off))
#define OT_SQ_BASE_LO 0x00u
#define OT_SQ_BASE_HI 0x04u
#define OT_SQ_SIZE 0x08u
#define OT_SQ_TAIL 0x0Cu
#define OT_SQ_HEAD 0x10u
#define OT_CQ_BASE_LO 0x14u
#define OT_CQ_BASE_HI 0x18u
#define OT_CQ_SIZE 0x1Cu
#define OT_CQ_HEAD 0x20u
#define OT_CQ_TAIL 0x24u
#define OT_IRQ_MOD_COUNT 0x28u
#define OT_IRQ_MOD_TIMER 0x2Cu
#define OT_QP_CTRL 0x30u
#define OT_QP_STATUS 0x34u
#define OT_QP_STATUS_BUSY 0x8u /* DMA of the queue pair in flight (PRM 13) */
#define OT_CQ_ARM 0x80000000u
#define OT_ID_VALUE 0x43504C45u

enum { OT_CMD_OFFLOAD = 1, OT_CMD_TERMINATE = 2, OT_CMD_RX_CONSUMED = 3 };
enum { OT_OP_SEND = 1, OT_OP_RECV = 2, OT_OP_DISCONNECT = 3, OT_OP_FORWARD = 4 };
enum { OT_CPL_RX_INDICATE = 8, OT_CPL_EVT_FIN = 9, OT_CPL_EVT_RST = 10, OT_CPL_TERMINATE = 11 };
enum { OT_ST_SUCCESS = 0, OT_ST_ABORTED = 1, OT_ST_UPLOAD = 2, OT_ST_INVALID_STATE = 3 };

typedef struct _OT_REQUEST {
  PNET_BUFFER_LIST Nbl; /* NULL: the slot is free */
  ULONG64 Seq;          /* posting order */
  ULONG Length;
  ULONG Next; /* waiting / held / free list link (index + 1, 0 = end) */
  USHORT Conn;
  UCHAR Op;
  UCHAR Flags;
  UCHAR Qp;
  UCHAR InSq;
  USHORT Generation;
} OT_REQUEST;

typedef struct _OT_LIST {
  ULONG Head, Tail; /* request index + 1, 0 = empty */
} OT_LIST;

enum { OT_FREE = 0, OT_OFFLOADED, OT_TERMINATE_WAIT_FETCH, OT_TERMINATE_ISSUED };

typedef struct _OT_CONN {
  struct _OT_ADAPTER* Adapter;
  UCHAR State;
  UCHAR Qp;
  UCHAR HasSqEntries;
  UCHAR IndicationDeferred;
  USHORT Id;
  USHORT LastSqPtr;
  ULONG ReceivesInSq;
  ULONG ReceivesWaiting; /* receives waiting for SQ space */
  ULONG64 Buffered;      /* indicated by the engine, not consumed, not placed */
  NDIS_HANDLE NdisOffloadHandle;
  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST TerminateBlock;
  OT_LIST Held; /* posted while the terminate runs: uploaded at its end */
} OT_CONN;

typedef struct _OT_CPL {
  ULONG64 Tag;
  ULONG Bytes;
  USHORT Conn;
  UCHAR Type;
  UCHAR Status;
} OT_CPL;

typedef struct _OT_QP {
  PUCHAR Sq;
  PUCHAR Cq;
  NDIS_PHYSICAL_ADDRESS SqPa, CqPa;
  USHORT SqTail, SqHead, CqHead;
  USHORT CqHeadWritten; /* CqHead as last written to CQ_HEAD */
  ULONG DoorbellHold;   /* >0 while an indication's RX_CONSUMED is pending */
  OT_LIST Waiting;      /* requests waiting for SQ space */
  OT_CPL* Backlog;      /* taken off the CQ while a command was busy */
  ULONG BacklogCount, BacklogCapacity;
} OT_QP;

typedef struct _OT_ADAPTER {
  NDIS_HANDLE MiniportHandle;
  PULONG Csr;
  NDIS_HANDLE Interrupt;
  NDIS_HANDLE Timer;
  NDIS_HANDLE NblPool;
  PNDIS_TCP_OFFLOAD_EVENT_HANDLERS Tcp;
  PNDIS_OFFLOAD_EVENT_HANDLERS Generic;
  ULONG NumConn, NumQp, SqLog2, CqLog2, IrqModCount, IrqModTimer;
  OT_QP Qp[OT_MAX_QP];
  OT_CONN* Conns;
  USHORT* FreeConns; /* ring of free connection ids, least recently freed first */
  ULONG FreeHead, FreeCount;
  ULONG NextQp;
  OT_REQUEST* Requests;
  ULONG RequestCapacity;
  ULONG FreeRequests; /* free list (index + 1) */
  ULONG64 NextSeq;
  ULONG TerminatesWaiting;
  PNET_BUFFER_LIST Indicating;
  BOOLEAN ReturnedDuringIndicate;
  BOOLEAN InService;
} OT_ADAPTER;

/* ot_hardware.c */
ULONG OtRead(OT_ADAPTER* a, ULONG offset);
VOID OtWrite(OT_ADAPTER* a, ULONG offset, ULONG value);
NDIS_STATUS OtHardwareStart(OT_ADAPTER* a);
VOID OtHardwareStop(OT_ADAPTER* a);
/* CONN_CMD with BUSY polling; takes CQ descriptors into the backlog while
 * busy. Returns the result code, or 0xFF when BUSY never fell. */
ULONG OtCommand(OT_ADAPTER* a, ULONG conn, ULONG qp, ULONG op, ULONG arg);
VOID OtReapAll(OT_ADAPTER* a);
BOOLEAN OtReadCompletion(OT_ADAPTER* a, ULONG q, USHORT index, OT_CPL* out);

/* ot_requests.c */
VOID OtListPush(OT_ADAPTER* a, OT_LIST* list, ULONG index);
ULONG OtListPop(OT_ADAPTER* a, OT_LIST* list);
NDIS_STATUS OtPost(OT_ADAPTER* a, PVOID context, PNET_BUFFER_LIST list, UCHAR op, UCHAR flags);
VOID OtDrainWaiting(OT_ADAPTER* a, ULONG q);
VOID OtCompleteRequest(OT_ADAPTER* a, ULONG index, NDIS_STATUS status, ULONG bytes);
VOID OtAdvanceTerminate(OT_ADAPTER* a, OT_CONN* c);
VOID OtFinishTerminate(OT_ADAPTER* a, OT_CONN* c);
BOOLEAN OtHasDeferredWork(OT_ADAPTER* a);

/* ot_dpc.c */
VOID OtService(OT_ADAPTER* a);
VOID OtIndicate(OT_ADAPTER* a, OT_CONN* c);

#endif
