/* TCP chimney offload of the chimney-cosim driver interface: offload handles
 * and block lists, the four chimney characteristics structures,
 * NdisSetOptionalHandlers, NdisMGetOffloadHandlers, the calls down
 * (NdisOffloadTcpXxx, initiate/terminate) and up (NdisTcpOffloadXxxComplete,
 * receive indication, events). Names from the public WDK documentation
 * (ndischimney.h reference pages); declarations the project's own. */
#ifndef CHIMNEY_WDK_NDIS_CHIMNEY_H
#define CHIMNEY_WDK_NDIS_CHIMNEY_H

#include "ndis_base.h"
#include "ndis_nbl.h"

CHIMNEY_EXTERN_C_BEGIN

/* ---- Offload handles. A layer that offloads a connection to the layer below
 * supplies one NDIS_OFFLOAD_HANDLE per connection (its own storage, alive
 * until the terminate completes); NDIS keeps its state in NdisReserved and the
 * layer below stores its context in MiniportOffloadContext. */
typedef struct _NDIS_OFFLOAD_HANDLE {
  PVOID NdisReserved[1];
  PVOID MiniportOffloadContext;
} NDIS_OFFLOAD_HANDLE, *PNDIS_OFFLOAD_HANDLE;

typedef ULONG NDIS_PORT_NUMBER;

/* One block per call in the simulation (NextBlock and DependentBlockList are
 * NULL); the TCP state that would follow the block in memory is stood for by
 * ChimneyConnectionId. */
typedef struct _NDIS_MINIPORT_OFFLOAD_BLOCK_LIST {
  NDIS_OBJECT_HEADER Header;
  struct _NDIS_MINIPORT_OFFLOAD_BLOCK_LIST* NextBlock;
  struct _NDIS_MINIPORT_OFFLOAD_BLOCK_LIST* DependentBlockList;
  NDIS_STATUS Status;
  PVOID NdisReserved[2];
  PVOID* MiniportOffloadContext; /* where this layer stores its context */
  NDIS_HANDLE NdisOffloadHandle; /* name the connection in indications and events */
  PVOID ProtocolReserved[2];
  PVOID MiniportReserved[2];
  PVOID ImReserved[2];
  PVOID Scratch[2];
  PVOID SourceHandle;
  NDIS_PORT_NUMBER PortNumber;
  PNET_BUFFER_LIST NetBufferListChain;
  ULONG ChimneyConnectionId;
} NDIS_MINIPORT_OFFLOAD_BLOCK_LIST, *PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST;

typedef struct _NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST {
  NDIS_OBJECT_HEADER Header;
  struct _NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST* NextBlock;
  struct _NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST* DependentBlockList;
  NDIS_STATUS Status;
  PVOID NdisReserved[3];
  PNDIS_OFFLOAD_HANDLE OffloadHandle; /* the caller's handle for the layer below */
  PVOID ProtocolReserved[2];
  PVOID MiniportReserved[2];
  PVOID ImReserved[2];
  PVOID Scratch[2];
  PVOID SourceHandle;
  NDIS_PORT_NUMBER PortNumber;
  PNET_BUFFER_LIST NetBufferListChain;
  ULONG ChimneyConnectionId;
} NDIS_PROTOCOL_OFFLOAD_BLOCK_LIST, *PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST;

/* Disconnect flags and event types. */
#define TCP_DISCONNECT_GRACEFUL_CLOSE 0x01
#define TCP_DISCONNECT_ABORTIVE_CLOSE 0x02
typedef enum _NDIS_TCP_OFFLOAD_EVENT_TYPE {
  NeighborReachabilityQuery = 1,
  TcpIndicateDisconnect = 2,
  TcpIndicateRetrieve = 3,
  TcpIndicateAbort = 4,
  TcpIndicateSendBacklogChange = 5
} NDIS_TCP_OFFLOAD_EVENT_TYPE;

/* ---- Provider (miniport edge) handlers */
typedef VOID (*W_INITIATE_OFFLOAD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                           PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*W_TERMINATE_OFFLOAD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                            PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*W_UPDATE_OFFLOAD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                         PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*W_INVALIDATE_OFFLOAD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                             PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*W_QUERY_OFFLOAD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                        PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef NDIS_STATUS (*W_TCP_OFFLOAD_SEND_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                                  PVOID MiniportOffloadContext,
                                                  PNET_BUFFER_LIST NetBufferList);
typedef NDIS_STATUS (*W_TCP_OFFLOAD_RECEIVE_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                                     PVOID MiniportOffloadContext,
                                                     PNET_BUFFER_LIST NetBufferList);
typedef NDIS_STATUS (*W_TCP_OFFLOAD_DISCONNECT_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                                        PVOID MiniportOffloadContext,
                                                        PNET_BUFFER_LIST NetBufferList,
                                                        ULONG Flags);
typedef NDIS_STATUS (*W_TCP_OFFLOAD_FORWARD_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                                     PVOID MiniportOffloadContext,
                                                     PNET_BUFFER_LIST NetBufferList);
typedef NDIS_STATUS (*W_TCP_OFFLOAD_RECEIVE_RETURN_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                                            PNET_BUFFER_LIST NetBufferList);

typedef struct _NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* ..._PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS */
  ULONG Flags;
  W_INITIATE_OFFLOAD_HANDLER InitiateOffloadHandler;
  W_TERMINATE_OFFLOAD_HANDLER TerminateOffloadHandler;
  W_UPDATE_OFFLOAD_HANDLER UpdateOffloadHandler;         /* optional: never called */
  W_INVALIDATE_OFFLOAD_HANDLER InvalidateOffloadHandler; /* optional: never called */
  W_QUERY_OFFLOAD_HANDLER QueryOffloadHandler;           /* optional: never called */
} NDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS,
    *PNDIS_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS;

typedef struct _NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* ..._PROVIDER_CHIMNEY_OFFLOAD_CHARACTERISTICS */
  ULONG Flags;
  W_TCP_OFFLOAD_SEND_HANDLER TcpOffloadSendHandler;
  W_TCP_OFFLOAD_RECEIVE_HANDLER TcpOffloadReceiveHandler;
  W_TCP_OFFLOAD_RECEIVE_RETURN_HANDLER TcpOffloadReceiveReturnHandler;
  W_TCP_OFFLOAD_DISCONNECT_HANDLER TcpOffloadDisconnectHandler;
  W_TCP_OFFLOAD_FORWARD_HANDLER TcpOffloadForwardHandler;
} NDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS,
    *PNDIS_PROVIDER_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS;

/* ---- Client (protocol edge) handlers */
typedef VOID (*INITIATE_OFFLOAD_COMPLETE_HANDLER)(
    NDIS_HANDLE ProtocolBindingContext, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
typedef VOID (*TERMINATE_OFFLOAD_COMPLETE_HANDLER)(
    NDIS_HANDLE ProtocolBindingContext, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
typedef VOID (*UPDATE_OFFLOAD_COMPLETE_HANDLER)(
    NDIS_HANDLE ProtocolBindingContext, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
typedef VOID (*INVALIDATE_OFFLOAD_COMPLETE_HANDLER)(
    NDIS_HANDLE ProtocolBindingContext, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
typedef VOID (*QUERY_OFFLOAD_COMPLETE_HANDLER)(
    NDIS_HANDLE ProtocolBindingContext, PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
typedef VOID (*INDICATE_OFFLOAD_EVENT_HANDLER)(NDIS_HANDLE ProtocolBindingContext,
                                               PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST OffloadBlockList,
                                               ULONG IndicationCode);
typedef VOID (*TCP_OFFLOAD_SEND_COMPLETE_HANDLER)(NDIS_HANDLE ProtocolBindingContext,
                                                  PNET_BUFFER_LIST NetBufferList);
typedef VOID (*TCP_OFFLOAD_RECEIVE_COMPLETE_HANDLER)(NDIS_HANDLE ProtocolBindingContext,
                                                     PNET_BUFFER_LIST NetBufferList);
typedef VOID (*TCP_OFFLOAD_DISCONNECT_COMPLETE_HANDLER)(NDIS_HANDLE ProtocolBindingContext,
                                                        PNET_BUFFER_LIST NetBufferList);
typedef VOID (*TCP_OFFLOAD_FORWARD_COMPLETE_HANDLER)(NDIS_HANDLE ProtocolBindingContext,
                                                     PNET_BUFFER_LIST NetBufferList);
/* OffloadContext: the NDIS_OFFLOAD_HANDLE the receiving layer supplied for the
 * connection when it offloaded it. */
typedef NDIS_STATUS (*TCP_OFFLOAD_RECEIVE_INDICATE_HANDLER)(NDIS_HANDLE OffloadContext,
                                                            PNET_BUFFER_LIST NetBufferList,
                                                            NDIS_STATUS Status,
                                                            PULONG BytesConsumed);
typedef VOID (*TCP_OFFLOAD_EVENT_HANDLER)(NDIS_HANDLE OffloadContext, ULONG EventType,
                                          ULONG EventSpecificInformation);

typedef struct _NDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* ..._CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS */
  ULONG Flags;
  INITIATE_OFFLOAD_COMPLETE_HANDLER InitiateOffloadCompleteHandler;
  TERMINATE_OFFLOAD_COMPLETE_HANDLER TerminateOffloadCompleteHandler;
  UPDATE_OFFLOAD_COMPLETE_HANDLER UpdateOffloadCompleteHandler;         /* optional */
  INVALIDATE_OFFLOAD_COMPLETE_HANDLER InvalidateOffloadCompleteHandler; /* optional */
  QUERY_OFFLOAD_COMPLETE_HANDLER QueryOffloadCompleteHandler;           /* optional */
  INDICATE_OFFLOAD_EVENT_HANDLER IndicateOffloadEventHandler;           /* optional */
} NDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS,
    *PNDIS_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS;

typedef struct _NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* ..._CLIENT_CHIMNEY_OFFLOAD_CHARACTERISTICS */
  ULONG Flags;
  TCP_OFFLOAD_SEND_COMPLETE_HANDLER SendCompleteHandler;
  TCP_OFFLOAD_RECEIVE_COMPLETE_HANDLER ReceiveCompleteHandler;
  TCP_OFFLOAD_DISCONNECT_COMPLETE_HANDLER DisconnectCompleteHandler;
  TCP_OFFLOAD_FORWARD_COMPLETE_HANDLER ForwardCompleteHandler;
  TCP_OFFLOAD_RECEIVE_INDICATE_HANDLER ReceiveIndicateHandler;
  TCP_OFFLOAD_EVENT_HANDLER TcpOffloadEventHandler;
} NDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS,
    *PNDIS_CLIENT_CHIMNEY_OFFLOAD_TCP_CHARACTERISTICS;

/* Any of the four structures above, told apart by Header.Type. */
typedef NDIS_OBJECT_HEADER NDIS_DRIVER_OPTIONAL_HANDLERS, *PNDIS_DRIVER_OPTIONAL_HANDLERS;

/* From SetOptionsHandler: NdisHandle is the driver handle the handler got. */
NDIS_STATUS NdisSetOptionalHandlers(NDIS_HANDLE NdisHandle,
                                    PNDIS_DRIVER_OPTIONAL_HANDLERS OptionalHandlers);

/* ---- The upward entry points a miniport obtains from NDIS */
typedef VOID (*NDIS_INITIATE_OFFLOAD_COMPLETE)(NDIS_HANDLE NdisMiniportHandle,
                                               PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*NDIS_TERMINATE_OFFLOAD_COMPLETE)(NDIS_HANDLE NdisMiniportHandle,
                                                PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
typedef VOID (*NDIS_TCP_OFFLOAD_COMPLETE)(NDIS_HANDLE NdisMiniportHandle,
                                          PNET_BUFFER_LIST NetBufferList);
typedef NDIS_STATUS (*NDIS_TCP_OFFLOAD_RECEIVE_INDICATE)(NDIS_HANDLE NdisOffloadHandle,
                                                         PNET_BUFFER_LIST NetBufferList,
                                                         NDIS_STATUS Status, PULONG BytesConsumed);
typedef VOID (*NDIS_TCP_OFFLOAD_EVENT_INDICATE)(NDIS_HANDLE NdisOffloadHandle, ULONG EventType,
                                                ULONG EventSpecificInformation);

typedef struct _NDIS_OFFLOAD_EVENT_HANDLERS {
  NDIS_OBJECT_HEADER Header;
  NDIS_INITIATE_OFFLOAD_COMPLETE NdisMInitiateOffloadComplete;
  NDIS_TERMINATE_OFFLOAD_COMPLETE NdisMTerminateOffloadComplete;
} NDIS_OFFLOAD_EVENT_HANDLERS, *PNDIS_OFFLOAD_EVENT_HANDLERS;

typedef struct _NDIS_TCP_OFFLOAD_EVENT_HANDLERS {
  NDIS_OBJECT_HEADER Header;
  NDIS_TCP_OFFLOAD_EVENT_INDICATE NdisTcpOffloadEventHandler;
  NDIS_TCP_OFFLOAD_RECEIVE_INDICATE NdisTcpOffloadReceiveHandler;
  NDIS_TCP_OFFLOAD_COMPLETE NdisTcpOffloadSendComplete;
  NDIS_TCP_OFFLOAD_COMPLETE NdisTcpOffloadReceiveComplete;
  NDIS_TCP_OFFLOAD_COMPLETE NdisTcpOffloadDisconnectComplete;
  NDIS_TCP_OFFLOAD_COMPLETE NdisTcpOffloadForwardComplete;
} NDIS_TCP_OFFLOAD_EVENT_HANDLERS, *PNDIS_TCP_OFFLOAD_EVENT_HANDLERS;

typedef enum _NDIS_OFFLOAD_HANDLERS_CHIMNEY_TYPE {
  NdisGenericChimneyHandlers = 1,
  NdisTcpChimneyHandlers = 2
} NDIS_CHIMNEY_OFFLOAD_TYPE;

/* *OffloadHandlers receives a table NDIS owns (NDIS_OFFLOAD_EVENT_HANDLERS
 * for the generic type, NDIS_TCP_OFFLOAD_EVENT_HANDLERS for TCP). */
NDIS_STATUS NdisMGetOffloadHandlers(NDIS_HANDLE NdisMiniportHandle,
                                    NDIS_CHIMNEY_OFFLOAD_TYPE ChimneyType,
                                    PNDIS_OFFLOAD_EVENT_HANDLERS* OffloadHandlers);

/* The same entry points, callable by name too. */
VOID NdisMInitiateOffloadComplete(NDIS_HANDLE NdisMiniportHandle,
                                  PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
VOID NdisMTerminateOffloadComplete(NDIS_HANDLE NdisMiniportHandle,
                                   PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST OffloadBlockList);
VOID NdisTcpOffloadSendComplete(NDIS_HANDLE NdisMiniportHandle, PNET_BUFFER_LIST NetBufferList);
VOID NdisTcpOffloadReceiveComplete(NDIS_HANDLE NdisMiniportHandle, PNET_BUFFER_LIST NetBufferList);
VOID NdisTcpOffloadDisconnectComplete(NDIS_HANDLE NdisMiniportHandle,
                                      PNET_BUFFER_LIST NetBufferList);
VOID NdisTcpOffloadForwardComplete(NDIS_HANDLE NdisMiniportHandle, PNET_BUFFER_LIST NetBufferList);
NDIS_STATUS NdisTcpOffloadReceiveHandler(NDIS_HANDLE NdisOffloadHandle,
                                         PNET_BUFFER_LIST NetBufferList, NDIS_STATUS Status,
                                         PULONG BytesConsumed);
VOID NdisTcpOffloadEventHandler(NDIS_HANDLE NdisOffloadHandle, ULONG EventType,
                                ULONG EventSpecificInformation);

/* ---- Calls down (an IM's lower half) */
VOID NdisInitiateOffload(NDIS_HANDLE NdisBindingHandle,
                         PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
VOID NdisTerminateOffload(NDIS_HANDLE NdisBindingHandle,
                          PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST ProtocolOffloadBlockList);
NDIS_STATUS NdisOffloadTcpSend(PNDIS_OFFLOAD_HANDLE NdisOffloadHandle,
                               PNET_BUFFER_LIST NetBufferList);
NDIS_STATUS NdisOffloadTcpReceive(PNDIS_OFFLOAD_HANDLE NdisOffloadHandle,
                                  PNET_BUFFER_LIST NetBufferList);
NDIS_STATUS NdisOffloadTcpDisconnect(PNDIS_OFFLOAD_HANDLE NdisOffloadHandle,
                                     PNET_BUFFER_LIST NetBufferList, ULONG Flags);
NDIS_STATUS NdisOffloadTcpForward(PNDIS_OFFLOAD_HANDLE NdisOffloadHandle,
                                  PNET_BUFFER_LIST NetBufferList);
NDIS_STATUS NdisOffloadTcpReceiveReturn(NDIS_HANDLE NdisBindingHandle,
                                        PNET_BUFFER_LIST NetBufferList);

CHIMNEY_EXTERN_C_END

#endif
