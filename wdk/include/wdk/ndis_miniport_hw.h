/* What an offload target (the NIC's miniport) uses to reach its hardware in
 * the chimney-cosim driver interface: the engine's CSR space mapped with
 * NdisMMapIoSpace and accessed with NdisReadRegisterUlong /
 * NdisWriteRegisterUlong, shared memory for rings (NdisMAllocateSharedMemory,
 * inside the device's IOMMU windows), interrupts with DPCs
 * (NdisMRegisterInterruptEx), timer objects, and NET_BUFFER_LIST pools for
 * the NBLs a miniport indicates. Names from the public WDK documentation;
 * declarations the project's own. docs/drivers.md says what each call does
 * in the simulation. */
#ifndef CHIMNEY_WDK_NDIS_MINIPORT_HW_H
#define CHIMNEY_WDK_NDIS_MINIPORT_HW_H

#include "ndis_base.h"
#include "ndis_nbl.h"

CHIMNEY_EXTERN_C_BEGIN

typedef PHYSICAL_ADDRESS NDIS_PHYSICAL_ADDRESS, *PNDIS_PHYSICAL_ADDRESS;

/* ---- CSR space. The engine's registers (docs/spec/PRM.md section 3) are
 * one 64 KiB memory BAR. PhysicalAddress is the BAR's base as the miniport's
 * resources name it: CHIMNEY_CSR_BAR_BASE in the simulation. */
#define CHIMNEY_CSR_BAR_BASE 0xFE000000u
#define CHIMNEY_CSR_BAR_LENGTH 0x10000u
NDIS_STATUS NdisMMapIoSpace(PVOID* VirtualAddress, NDIS_HANDLE MiniportAdapterHandle,
                            NDIS_PHYSICAL_ADDRESS PhysicalAddress, UINT Length);
VOID NdisMUnmapIoSpace(NDIS_HANDLE MiniportAdapterHandle, PVOID VirtualAddress, UINT Length);
/* Register points into a mapping from NdisMMapIoSpace, 4-byte aligned. A
 * read the device refuses (SLVERR) returns 0xFFFFFFFF, as a PCIe read that
 * fails does. */
VOID NdisReadRegisterUlong(PULONG Register, PULONG Data);
VOID NdisWriteRegisterUlong(PULONG Register, ULONG Data);

/* ---- Shared memory: host memory the device reaches by DMA. Every block is
 * 4 KiB aligned and mapped as a window of the device's IOMMU; DMA outside
 * every window is refused and counted. */
VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                               PVOID* VirtualAddress, PNDIS_PHYSICAL_ADDRESS PhysicalAddress);
VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN Cached,
                           PVOID VirtualAddress, NDIS_PHYSICAL_ADDRESS PhysicalAddress);

/* ---- Interrupts. The ISR runs when the device sends an interrupt message;
 * a DPC it queues runs later in DPC context, never nested in itself. */
typedef BOOLEAN (*MINIPORT_ISR_HANDLER)(NDIS_HANDLE MiniportInterruptContext,
                                        PBOOLEAN QueueDefaultInterruptDpc, PULONG TargetProcessors);
typedef VOID (*MINIPORT_INTERRUPT_DPC_HANDLER)(NDIS_HANDLE MiniportInterruptContext,
                                               PVOID MiniportDpcContext,
                                               PVOID ReceiveThrottleParameters,
                                               PVOID NdisReserved2);
typedef VOID (*MINIPORT_ENABLE_INTERRUPT_HANDLER)(NDIS_HANDLE MiniportInterruptContext);
typedef VOID (*MINIPORT_DISABLE_INTERRUPT_HANDLER)(NDIS_HANDLE MiniportInterruptContext);
/* Message-signalled: MessageId is the vector (queue pair q is q, the error
 * interrupt NUM_QP). Used instead of the line-based pair when set. */
typedef BOOLEAN (*MINIPORT_MESSAGE_INTERRUPT_HANDLER)(NDIS_HANDLE MiniportInterruptContext,
                                                      ULONG MessageId,
                                                      PBOOLEAN QueueDefaultInterruptDpc,
                                                      PULONG TargetProcessors);
typedef VOID (*MINIPORT_MESSAGE_INTERRUPT_DPC_HANDLER)(NDIS_HANDLE MiniportInterruptContext,
                                                       ULONG MessageId, PVOID MiniportDpcContext,
                                                       PVOID ReceiveThrottleParameters,
                                                       PVOID NdisReserved2);

typedef struct _NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT */
  MINIPORT_ISR_HANDLER InterruptHandler;
  MINIPORT_INTERRUPT_DPC_HANDLER InterruptDpcHandler;
  MINIPORT_DISABLE_INTERRUPT_HANDLER DisableInterruptHandler; /* optional: never called */
  MINIPORT_ENABLE_INTERRUPT_HANDLER EnableInterruptHandler;   /* optional: never called */
  BOOLEAN MsiSupported;
  BOOLEAN MsiSyncWithAllMessages;
  MINIPORT_MESSAGE_INTERRUPT_HANDLER MessageInterruptHandler;
  MINIPORT_MESSAGE_INTERRUPT_DPC_HANDLER MessageInterruptDpcHandler;
} NDIS_MINIPORT_INTERRUPT_CHARACTERISTICS, *PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS;

NDIS_STATUS NdisMRegisterInterruptEx(
    NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportInterruptContext,
    PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS MiniportInterruptCharacteristics,
    PNDIS_HANDLE NdisInterruptHandle);
VOID NdisMDeregisterInterruptEx(NDIS_HANDLE NdisInterruptHandle);

/* ---- Timer objects. TimerFunction runs in DPC context. */
typedef VOID (*NDIS_TIMER_FUNCTION)(PVOID SystemSpecific1, PVOID FunctionContext,
                                    PVOID SystemSpecific2, PVOID SystemSpecific3);
typedef struct _NDIS_TIMER_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS */
  ULONG AllocationTag;
  NDIS_TIMER_FUNCTION TimerFunction;
  PVOID FunctionContext;
} NDIS_TIMER_CHARACTERISTICS, *PNDIS_TIMER_CHARACTERISTICS;

NDIS_STATUS NdisAllocateTimerObject(NDIS_HANDLE NdisHandle,
                                    PNDIS_TIMER_CHARACTERISTICS TimerCharacteristics,
                                    PNDIS_HANDLE pTimerObject);
/* DueTime: negative = relative, in 100 ns units. Returns TRUE when the timer
 * was already set (it is set again). MillisecondsPeriod must be 0. */
BOOLEAN NdisSetTimerObject(NDIS_HANDLE TimerObject, LARGE_INTEGER DueTime, ULONG MillisecondsPeriod,
                           PVOID FunctionContext);
BOOLEAN NdisCancelTimerObject(NDIS_HANDLE TimerObject);
VOID NdisFreeTimerObject(NDIS_HANDLE TimerObject);

/* ---- NET_BUFFER_LIST pools: a miniport's own NBLs (receive indication). */
typedef struct _NET_BUFFER_LIST_POOL_PARAMETERS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_DEFAULT */
  UCHAR ProtocolId;
  BOOLEAN fAllocateNetBuffer; /* must be TRUE */
  USHORT ContextSize;
  ULONG PoolTag;
  ULONG DataSize;
} NET_BUFFER_LIST_POOL_PARAMETERS, *PNET_BUFFER_LIST_POOL_PARAMETERS;

NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
                                          PNET_BUFFER_LIST_POOL_PARAMETERS Parameters);
VOID NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle);
/* One NBL with one NET_BUFFER describing DataLength bytes of MdlChain
 * (MdlChain may be NULL: the data stays on the NIC, as an indication's). */
PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT ContextSize,
                                                       USHORT ContextBackFill, PMDL MdlChain,
                                                       ULONG DataOffset, SIZE_T DataLength);
VOID NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList);

CHIMNEY_EXTERN_C_END

#endif
