// What the C driver interface keeps behind the handles and structures it
// gives a C driver: handle records (an NDIS_HANDLE points at one), the shadow
// C NET_BUFFER_LIST of each C++ NBL that crosses into C, the header in front
// of every pool allocation, and the offload-block shadows. A C call finds the
// runtime through its argument: a handle record, an NBL's NdisReserved[0], a
// memory block's header, an NDIS_OFFLOAD_HANDLE's NdisReserved[0].
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "ndis_types.h"
#include "wdk/ndis_base.h"
#include "wdk/ndis_chimney.h"
#include "wdk/ndis_driver.h"
#include "wdk/ndis_miniport_hw.h"
#include "wdk/ndis_nbl.h"

namespace chimney::abi {

class DriverRuntime;
class CAdapter;
struct DriverLibrary;

constexpr uint32_t kRecordMagic = 0x4E444953;  // "NDIS"
constexpr uint32_t kShadowMagic = 0x4E424C53;  // "NBLS"
constexpr uint32_t kMemoryMagic = 0x4D454D42;  // "MEMB"

enum class HandleKind : uint8_t {
  kMiniportDriver,  // from NdisMRegisterMiniportDriver
  kProtocolDriver,  // from NdisRegisterProtocolDriver
  kBindContext,     // BindContext of ProtocolBindAdapterEx
  kMiniport,        // NdisMiniportHandle of an adapter
  kBinding,         // NdisBindingHandle (also what SourceHandle holds)
  kOffload,         // a layer's offload handle for one connection
  kWorkItem,        // NdisAllocateIoWorkItem
  kInterrupt,       // NdisMRegisterInterruptEx
  kTimer,           // NdisAllocateTimerObject
  kPool,            // NdisAllocateNetBufferListPool
  kConfiguration,   // NdisOpenConfigurationEx
};

struct HandleRecord {
  uint32_t magic = kRecordMagic;
  HandleKind kind = HandleKind::kMiniport;
  DriverRuntime* runtime = nullptr;
  DriverLibrary* library = nullptr;  // driver handles
  CAdapter* adapter = nullptr;       // the adapter the handle was issued to
  uint32_t value = 0;                // the C++ handle value (miniport, binding, offload)
  // kOffload: the receiving layer's context (MiniportOffloadContext points here)
  // and, for a handle a C layer supplied downwards, its NDIS_OFFLOAD_HANDLE.
  PVOID miniportOffloadContext = nullptr;
  NDIS_OFFLOAD_HANDLE* supplied = nullptr;
  bool freed = false;  // kWorkItem
};

// NBL context storage of one shadow NBL (grows down from the end).
constexpr std::size_t kContextBytes = 512;

struct ShadowNbl {
  uint32_t magic = kShadowMagic;
  DriverRuntime* runtime = nullptr;
  NetBufferList* cpp = nullptr;     // the C++ NBL this one stands for
  NET_BUFFER_LIST* self = nullptr;  // &c (a copy of the struct elsewhere is not this NBL)
  NET_BUFFER_LIST c{};
  NET_BUFFER nb{};
  std::vector<MDL> mdls;
  NET_BUFFER_LIST_CONTEXT context{};
  std::array<UCHAR, kContextBytes> contextData{};
  // Contexts C drivers pushed (owner, bytes), bottom first.
  std::vector<std::pair<DriverId, USHORT>> pushes;
  bool foreign = false;  // stands for an NBL a C driver made itself
  NET_BUFFER_LIST* foreignNbl = nullptr;
};

// In front of every NdisAllocateMemoryWithTagPriority block.
struct alignas(16) MemoryHeader {
  uint32_t magic = kMemoryMagic;
  uint32_t length = 0;
  DriverRuntime* runtime = nullptr;
  uint64_t id = 0;
};

}  // namespace chimney::abi
