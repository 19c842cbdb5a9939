/* Base types, status codes, handles and NDIS_OBJECT_HEADER of the
 * chimney-cosim driver interface. Names follow the public WDK documentation;
 * the declarations are the project's own (sizes chosen for an LP64 Linux
 * host: ULONG is 32 bits as on Windows). Compiles as C11 and as C++17. */
#ifndef CHIMNEY_WDK_NDIS_BASE_H
#define CHIMNEY_WDK_NDIS_BASE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define CHIMNEY_EXTERN_C_BEGIN extern "C" {
#define CHIMNEY_EXTERN_C_END }
#else
#define CHIMNEY_EXTERN_C_BEGIN
#define CHIMNEY_EXTERN_C_END
#endif

CHIMNEY_EXTERN_C_BEGIN

typedef void VOID;
typedef void* PVOID;
typedef uint8_t UCHAR, *PUCHAR;
typedef uint8_t BOOLEAN, *PBOOLEAN;
typedef uint16_t USHORT, *PUSHORT;
typedef uint32_t ULONG, *PULONG;
typedef int32_t LONG, *PLONG;
typedef uint32_t UINT, *PUINT;
typedef uint64_t ULONG64, ULONGLONG, *PULONG64;
typedef uintptr_t ULONG_PTR;
typedef size_t SIZE_T;
typedef union _LARGE_INTEGER {
  int64_t QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;
typedef LARGE_INTEGER PHYSICAL_ADDRESS, *PPHYSICAL_ADDRESS;

#ifndef TRUE
#define TRUE 1
#endif
#ifndef FALSE
#define FALSE 0
#endif
#define IN
#define OUT
#define OPTIONAL

/* An opaque handle issued by NDIS or chosen by a driver (a context). */
typedef void* NDIS_HANDLE;
typedef NDIS_HANDLE* PNDIS_HANDLE;

/* ---- NDIS_STATUS: the codes of docs/spec/DRIVER-MODEL.md ("Status codes") */
typedef int32_t NDIS_STATUS, *PNDIS_STATUS;
#define NDIS_STATUS_SUCCESS ((NDIS_STATUS)0x00000000)
#define NDIS_STATUS_PENDING ((NDIS_STATUS)0x00000103)
#define NDIS_STATUS_FAILURE ((NDIS_STATUS)0xC0000001u)
#define NDIS_STATUS_RESOURCES ((NDIS_STATUS)0xC000009Au)
#define NDIS_STATUS_NOT_SUPPORTED ((NDIS_STATUS)0xC00000BBu)
#define NDIS_STATUS_INVALID_PARAMETER ((NDIS_STATUS)0xC000000Du)
#define NDIS_STATUS_INVALID_STATE ((NDIS_STATUS)0xC0000184u)
#define NDIS_STATUS_REQUEST_ABORTED ((NDIS_STATUS)0xC001000Cu)
#define NDIS_STATUS_UPLOAD_IN_PROGRESS ((NDIS_STATUS)0xC0231001u)
#define NDIS_STATUS_REQUEST_UPLOAD ((NDIS_STATUS)0xC0231002u)
#define NDIS_STATUS_UPLOAD_REQUESTED ((NDIS_STATUS)0xC0231003u)
#define NDIS_STATUS_OFFLOAD_DATA_NOT_ACCEPTED ((NDIS_STATUS)0xC023100Eu)
#define NDIS_STATUS_OFFLOAD_DATA_PARTIALLY_ACCEPTED ((NDIS_STATUS)0xC0231010u)

/* ---- NDIS_OBJECT_HEADER: every versioned structure starts with one */
typedef struct _NDIS_OBJECT_HEADER {
  UCHAR Type;
  UCHAR Revision;
  USHORT Size;
} NDIS_OBJECT_HEADER, *PNDIS_OBJECT_HEADER;

#define NDIS_OBJECT_TYPE_MINIPORT_DRIVER_CHARACTERISTICS 0x8A
#define NDIS_OBJECT_TYPE_PROTOCOL_DRIVER_CHARACTERISTICS 0x95
#define NDIS_OBJECT_TYPE_MINIPORT_ATTRIBUTES 0x9E
#define NDIS_OBJECT_TYPE_OPEN_PARAMETERS 0x8D
#define NDIS_OBJECT_TYPE_MINIPORT_INTERRUPT 0x84
#define NDIS_OBJECT_TYPE_TIMER_CHARACTERISTICS 0x97
#define NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS 0xA1
#define NDIS_OBJECT_TYPE_PROVIDER_CHIMNEY_OFFLOAD_CHARACTERISTICS 0xA2
#define NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_GENERIC_CHARACTERISTICS 0xA3
#define NDIS_OBJECT_TYPE_CLIENT_CHIMNEY_OFFLOAD_CHARACTERISTICS 0xA4
#define NDIS_OBJECT_TYPE_OFFLOAD 0xA7
#define NDIS_OBJECT_TYPE_DEFAULT 0x80

/* Pool tags are four characters read as a little-endian ULONG ('EcmI'). */
#define CHIMNEY_POOL_TAG(a, b, c, d)                                          \
  ((ULONG)(UCHAR)(a) | ((ULONG)(UCHAR)(b) << 8) | ((ULONG)(UCHAR)(c) << 16) | \
   ((ULONG)(UCHAR)(d) << 24))

#define CONTAINING_RECORD(address, type, field) ((type*)((char*)(address)-offsetof(type, field)))

CHIMNEY_EXTERN_C_END

#endif
