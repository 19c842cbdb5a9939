/* Driver registration of the chimney-cosim driver interface: DriverEntry,
 * miniport and protocol driver characteristics, adapter attributes and
 * binding (names from the public WDK documentation; declarations the
 * project's own; only the members the simulation uses). */
#ifndef CHIMNEY_WDK_NDIS_DRIVER_H
#define CHIMNEY_WDK_NDIS_DRIVER_H

#include "ndis_base.h"

CHIMNEY_EXTERN_C_BEGIN

typedef struct _DRIVER_OBJECT DRIVER_OBJECT, *PDRIVER_OBJECT; /* opaque */
typedef struct _UNICODE_STRING {
  USHORT Length;
  USHORT MaximumLength;
  uint16_t* Buffer;
} UNICODE_STRING, *PUNICODE_STRING, NDIS_STRING, *PNDIS_STRING;

/* Every driver library exports this; NDIS calls it once after loading. */
typedef NDIS_STATUS (*DRIVER_INITIALIZE)(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
#define CHIMNEY_DRIVER_ENTRY_EXPORT __attribute__((visibility("default")))

typedef NDIS_STATUS (*SET_OPTIONS_HANDLER)(NDIS_HANDLE NdisDriverHandle, NDIS_HANDLE DriverContext);

/* ---- Miniport driver */
typedef struct _NDIS_MINIPORT_INIT_PARAMETERS {
  NDIS_OBJECT_HEADER Header;
  ULONG Flags;
  ULONG IfIndex;
  /* For an IM: the ProtocolBindingContext its lower half opened the binding
   * with (the simulation binds before it initializes). */
  NDIS_HANDLE IMDeviceInstanceContext;
} NDIS_MINIPORT_INIT_PARAMETERS, *PNDIS_MINIPORT_INIT_PARAMETERS;

typedef enum _NDIS_HALT_ACTION { NdisHaltDeviceDisabled = 0 } NDIS_HALT_ACTION;

typedef NDIS_STATUS (*MINIPORT_INITIALIZE_HANDLER)(
    NDIS_HANDLE NdisMiniportHandle, NDIS_HANDLE MiniportDriverContext,
    PNDIS_MINIPORT_INIT_PARAMETERS MiniportInitParameters);
typedef VOID (*MINIPORT_HALT_HANDLER)(NDIS_HANDLE MiniportAdapterContext,
                                      NDIS_HALT_ACTION HaltAction);

typedef struct _NDIS_MINIPORT_DRIVER_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS */
  UCHAR MajorNdisVersion;
  UCHAR MinorNdisVersion;
  UCHAR MajorDriverVersion;
  UCHAR MinorDriverVersion;
  ULONG Flags;
  SET_OPTIONS_HANDLER SetOptionsHandler;
  MINIPORT_INITIALIZE_HANDLER InitializeHandlerEx;
  MINIPORT_HALT_HANDLER HaltHandlerEx;
} NDIS_MINIPORT_DRIVER_CHARACTERISTICS, *PNDIS_MINIPORT_DRIVER_CHARACTERISTICS;

NDIS_STATUS NdisMRegisterMiniportDriver(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath,
                                        NDIS_HANDLE MiniportDriverContext,
                                        PNDIS_MINIPORT_DRIVER_CHARACTERISTICS Characteristics,
                                        PNDIS_HANDLE NdisMiniportDriverHandle);

typedef struct _NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_MINIPORT_ATTRIBUTES */
  NDIS_HANDLE MiniportAdapterContext;
  ULONG AttributeFlags;
  UINT CheckForHangTimeInSeconds;
  ULONG InterfaceType;
} NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES;

typedef union _NDIS_MINIPORT_ADAPTER_ATTRIBUTES {
  NDIS_MINIPORT_ADAPTER_REGISTRATION_ATTRIBUTES RegistrationAttributes;
} NDIS_MINIPORT_ADAPTER_ATTRIBUTES, *PNDIS_MINIPORT_ADAPTER_ATTRIBUTES;

#define NDIS_MINIPORT_ATTRIBUTES_NDIS_WDM 0x00000001
#define NDIS_MINIPORT_ATTRIBUTES_BUS_MASTER 0x00000008

/* Called from MiniportInitializeEx: records MiniportAdapterContext, which
 * NDIS passes back in every Miniport* call. */
NDIS_STATUS NdisMSetMiniportAttributes(NDIS_HANDLE NdisMiniportHandle,
                                       PNDIS_MINIPORT_ADAPTER_ATTRIBUTES MiniportAttributes);

/* ---- Configuration: the adapter's keywords (an offload target's ring and
 * queue sizes, interrupt moderation). Keywords are UTF-16 (NDIS_STRING_CONST). */
#define NDIS_STRING_CONST(x) \
  { (USHORT)(sizeof(u##x) - 2), (USHORT)sizeof(u##x), (uint16_t*)(u##x) }
typedef enum _NDIS_PARAMETER_TYPE {
  NdisParameterInteger = 0,
  NdisParameterHexInteger = 1
} NDIS_PARAMETER_TYPE;
typedef struct _NDIS_CONFIGURATION_PARAMETER {
  NDIS_PARAMETER_TYPE ParameterType;
  union {
    ULONG IntegerData;
  } ParameterData;
} NDIS_CONFIGURATION_PARAMETER, *PNDIS_CONFIGURATION_PARAMETER;
typedef struct _NDIS_CONFIGURATION_OBJECT {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT */
  NDIS_HANDLE NdisHandle;    /* the miniport adapter handle */
  ULONG Flags;
} NDIS_CONFIGURATION_OBJECT, *PNDIS_CONFIGURATION_OBJECT;
#define NDIS_OBJECT_TYPE_CONFIGURATION_OBJECT 0xA8

NDIS_STATUS NdisOpenConfigurationEx(PNDIS_CONFIGURATION_OBJECT ConfigObject,
                                    PNDIS_HANDLE ConfigurationHandle);
/* *Status is NDIS_STATUS_FAILURE for a keyword the adapter does not have.
 * *ParameterValue stays valid until NdisCloseConfiguration. */
VOID NdisReadConfiguration(PNDIS_STATUS Status, PNDIS_CONFIGURATION_PARAMETER* ParameterValue,
                           NDIS_HANDLE ConfigurationHandle, PNDIS_STRING Keyword,
                           NDIS_PARAMETER_TYPE ParameterType);
VOID NdisCloseConfiguration(NDIS_HANDLE ConfigurationHandle);

/* ---- Protocol driver (an IM's lower half) */
typedef struct _NDIS_BIND_PARAMETERS {
  NDIS_OBJECT_HEADER Header;
  ULONG Flags;
} NDIS_BIND_PARAMETERS, *PNDIS_BIND_PARAMETERS;

typedef NDIS_STATUS (*PROTOCOL_BIND_ADAPTER_EX)(NDIS_HANDLE ProtocolDriverContext,
                                                NDIS_HANDLE BindContext,
                                                PNDIS_BIND_PARAMETERS BindParameters);

typedef struct _NDIS_PROTOCOL_DRIVER_CHARACTERISTICS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS */
  UCHAR MajorNdisVersion;
  UCHAR MinorNdisVersion;
  UCHAR MajorDriverVersion;
  UCHAR MinorDriverVersion;
  ULONG Flags;
  NDIS_STRING Name;
  SET_OPTIONS_HANDLER SetOptionsHandler;
  PROTOCOL_BIND_ADAPTER_EX BindAdapterHandlerEx;
} NDIS_PROTOCOL_DRIVER_CHARACTERISTICS, *PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS;

NDIS_STATUS NdisRegisterProtocolDriver(NDIS_HANDLE ProtocolDriverContext,
                                       PNDIS_PROTOCOL_DRIVER_CHARACTERISTICS Characteristics,
                                       PNDIS_HANDLE NdisProtocolHandle);

typedef struct _NDIS_OPEN_PARAMETERS {
  NDIS_OBJECT_HEADER Header; /* NDIS_OBJECT_TYPE_OPEN_PARAMETERS */
  ULONG Flags;
} NDIS_OPEN_PARAMETERS, *PNDIS_OPEN_PARAMETERS;

/* Called from ProtocolBindAdapterEx: binds to the miniport below (the one
 * BindContext names). Completes synchronously in the simulation. */
NDIS_STATUS NdisOpenAdapterEx(NDIS_HANDLE NdisProtocolHandle, NDIS_HANDLE ProtocolBindingContext,
                              PNDIS_OPEN_PARAMETERS OpenParameters, NDIS_HANDLE BindContext,
                              PNDIS_HANDLE NdisBindingHandle);

CHIMNEY_EXTERN_C_END

#endif
