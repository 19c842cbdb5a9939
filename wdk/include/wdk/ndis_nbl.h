/* MDL, NET_BUFFER, NET_BUFFER_LIST, NBL contexts, pool memory and work items
 * of the chimney-cosim driver interface (names from the public WDK
 * documentation; declarations the project's own). docs/drivers.md says what
 * the simulation does in each call. */
#ifndef CHIMNEY_WDK_NDIS_NBL_H
#define CHIMNEY_WDK_NDIS_NBL_H

#include <string.h>

#include "ndis_base.h"

CHIMNEY_EXTERN_C_BEGIN

/* ---- MDL: one piece of host memory. In the simulation host memory is the
 * simulated bus: MappedSystemVa holds the piece's bus address and must not be
 * dereferenced. */
typedef struct _MDL {
  struct _MDL* Next;
  USHORT Size;
  USHORT MdlFlags;
  PVOID StartVa;
  PVOID MappedSystemVa;
  ULONG ByteCount;
  ULONG ByteOffset;
} MDL, *PMDL;

#define NDIS_MDL_LINKAGE(mdl) ((mdl)->Next)
#define MmGetMdlByteCount(mdl) ((mdl)->ByteCount)
#define MmGetMdlByteOffset(mdl) ((mdl)->ByteOffset)
#define MmGetMdlVirtualAddress(mdl) ((PVOID)((PUCHAR)(mdl)->StartVa + (mdl)->ByteOffset))
/* The bus address of an MDL's first byte (simulation: MappedSystemVa). */
#define CHIMNEY_MDL_BUS_ADDRESS(mdl) ((ULONG64)(ULONG_PTR)(mdl)->MappedSystemVa)

/* ---- NET_BUFFER */
typedef struct _NET_BUFFER {
  struct _NET_BUFFER* Next;
  PMDL CurrentMdl;
  ULONG CurrentMdlOffset;
  ULONG DataLength;
  PMDL MdlChain;
  ULONG DataOffset;
  PVOID ProtocolReserved[6];
  PVOID MiniportReserved[4];
} NET_BUFFER, *PNET_BUFFER;

#define NET_BUFFER_NEXT_NB(nb) ((nb)->Next)
#define NET_BUFFER_FIRST_MDL(nb) ((nb)->MdlChain)
#define NET_BUFFER_CURRENT_MDL(nb) ((nb)->CurrentMdl)
#define NET_BUFFER_CURRENT_MDL_OFFSET(nb) ((nb)->CurrentMdlOffset)
#define NET_BUFFER_DATA_LENGTH(nb) ((nb)->DataLength)
#define NET_BUFFER_DATA_OFFSET(nb) ((nb)->DataOffset)

/* ---- NBL contexts: a stack of areas in front of ContextData + Offset. */
typedef struct _NET_BUFFER_LIST_CONTEXT {
  struct _NET_BUFFER_LIST_CONTEXT* Next;
  USHORT Size;
  USHORT Offset;
  PUCHAR ContextData;
} NET_BUFFER_LIST_CONTEXT, *PNET_BUFFER_LIST_CONTEXT;

/* ---- Per-NBL information (NET_BUFFER_LIST_INFO) used on the chimney path. */
typedef enum _NDIS_NET_BUFFER_LIST_INFO {
  TcpOffloadBytesTransferred = 0,
  TcpReceiveNoPush = 1,
  MaxNetBufferListInfo = 4
} NDIS_NET_BUFFER_LIST_INFO;

/* ---- NET_BUFFER_LIST */
typedef struct _NET_BUFFER_LIST {
  struct _NET_BUFFER_LIST* Next;
  PNET_BUFFER FirstNetBuffer;
  PNET_BUFFER_LIST_CONTEXT Context;
  struct _NET_BUFFER_LIST* ParentNetBufferList;
  NDIS_HANDLE NdisPoolHandle;
  PVOID NdisReserved[2]; /* NDIS's own: drivers leave them alone */
  PVOID ProtocolReserved[4];
  PVOID MiniportReserved[2];
  PVOID Scratch;
  NDIS_HANDLE SourceHandle;
  ULONG NblFlags;
  LONG ChildRefCount;
  ULONG Flags;
  NDIS_STATUS Status;
  PVOID NetBufferListInfo[MaxNetBufferListInfo];
} NET_BUFFER_LIST, *PNET_BUFFER_LIST;

#define NET_BUFFER_LIST_NEXT_NBL(nbl) ((nbl)->Next)
#define NET_BUFFER_LIST_FIRST_NB(nbl) ((nbl)->FirstNetBuffer)
#define NET_BUFFER_LIST_STATUS(nbl) ((nbl)->Status)
#define NET_BUFFER_LIST_FLAGS(nbl) ((nbl)->Flags)
#define NET_BUFFER_LIST_MINIPORT_RESERVED(nbl) ((nbl)->MiniportReserved)
#define NET_BUFFER_LIST_PROTOCOL_RESERVED(nbl) ((nbl)->ProtocolReserved)
#define NET_BUFFER_LIST_INFO(nbl, id) ((nbl)->NetBufferListInfo[(id)])
#define NET_BUFFER_LIST_CONTEXT_DATA_START(nbl) \
  ((PVOID)((nbl)->Context->ContextData + (nbl)->Context->Offset))
#define NET_BUFFER_LIST_CONTEXT_DATA_SIZE(nbl) \
  ((ULONG)((nbl)->Context->Size - (nbl)->Context->Offset))

/* Pushes ContextSize bytes (plus ContextBackFill) onto the NBL's context
 * stack; NET_BUFFER_LIST_CONTEXT_DATA_START then points at them. */
NDIS_STATUS NdisAllocateNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize,
                                             USHORT ContextBackFill, ULONG PoolTag);
/* Pops the top ContextSize bytes the caller pushed. */
VOID NdisFreeNetBufferListContext(PNET_BUFFER_LIST NetBufferList, USHORT ContextSize);

/* Advances the NET_BUFFER's data start by DataOffsetDelta bytes (what a
 * miniport does for the bytes a request transferred). FreeMdl and
 * FreeMdlHandler are accepted and ignored (NDIS owns the MDLs). */
VOID NdisAdvanceNetBufferDataStart(PNET_BUFFER NetBuffer, ULONG DataOffsetDelta, BOOLEAN FreeMdl,
                                   PVOID FreeMdlHandler);

/* ---- Pool memory */
typedef enum _EX_POOL_PRIORITY {
  LowPoolPriority = 0,
  NormalPoolPriority = 16,
  HighPoolPriority = 32
} EX_POOL_PRIORITY;

/* NdisHandle: the caller's miniport adapter handle or driver handle. The
 * memory is zeroed; NULL when Length is 0 or NdisHandle is not one NDIS
 * issued. */
PVOID NdisAllocateMemoryWithTagPriority(NDIS_HANDLE NdisHandle, UINT Length, ULONG Tag,
                                        EX_POOL_PRIORITY Priority);
/* Length must be the allocated length; MemoryFlags must be 0. */
VOID NdisFreeMemory(PVOID VirtualAddress, UINT Length, UINT MemoryFlags);

#define NdisZeroMemory(dst, len) memset((dst), 0, (len))
#define NdisMoveMemory(dst, src, len) memmove((dst), (src), (len))

/* ---- Work items: run later, outside every driver call, like a worker
 * thread. */
typedef VOID (*NDIS_IO_WORKITEM_ROUTINE)(PVOID WorkItemContext, NDIS_HANDLE NdisIoWorkItemHandle);
NDIS_HANDLE NdisAllocateIoWorkItem(NDIS_HANDLE NdisObjectHandle);
VOID NdisQueueIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle, NDIS_IO_WORKITEM_ROUTINE Routine,
                         PVOID WorkItemContext);
VOID NdisFreeIoWorkItem(NDIS_HANDLE NdisIoWorkItemHandle);

CHIMNEY_EXTERN_C_END

#endif
