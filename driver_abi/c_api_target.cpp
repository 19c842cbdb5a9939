// The C entry points an offload target uses to reach its hardware
// (wdk/include/wdk/ndis_miniport_hw.h): each lands in the TargetHardware of
// the adapter its handle (or register pointer, or NBL) leads to. Exported
// from the executable like the rest of the interface.
#include <string>

#include "c_adapter.h"
#include "driver_runtime.h"
#include "target_hardware.h"

using namespace chimney;
using namespace chimney::abi;

namespace {

HandleRecord* record(NDIS_HANDLE h) {
  auto* r = static_cast<HandleRecord*>(h);
  return r != nullptr && r->magic == kRecordMagic ? r : nullptr;
}

// The hardware side of the adapter a handle was issued to (null: not an
// offload target's handle).
TargetHardware* hardwareOf(NDIS_HANDLE h) {
  HandleRecord* r = record(h);
  if (r == nullptr || r->adapter == nullptr) return nullptr;
  return r->adapter->targetHardware();
}

HandleRecord* recordOfKind(NDIS_HANDLE h, HandleKind kind) {
  HandleRecord* r = record(h);
  return r != nullptr && r->kind == kind && r->adapter != nullptr ? r : nullptr;
}

}  // namespace

namespace chimney::abi {
// Named by the loader so that this object (nothing else refers to it) is
// linked into the executable that exports the entry points.
bool targetEntryPointsLinked() {
  return true;
}
}  // namespace chimney::abi

extern "C" {

// ---- Configuration ------------------------------------------------------------------------------

NDIS_STATUS NdisOpenConfigurationEx(PNDIS_CONFIGURATION_OBJECT ConfigObject,
                                    PNDIS_HANDLE ConfigurationHandle) {
  if (ConfigObject == nullptr || ConfigurationHandle == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  TargetHardware* hw = hardwareOf(ConfigObject->NdisHandle);
  if (hw == nullptr) return NDIS_STATUS_INVALID_PARAMETER;
  *ConfigurationHandle = hw->openConfiguration();
  return NDIS_STATUS_SUCCESS;
}

VOID NdisReadConfiguration(PNDIS_STATUS Status, PNDIS_CONFIGURATION_PARAMETER* ParameterValue,
                           NDIS_HANDLE ConfigurationHandle, PNDIS_STRING Keyword,
                           NDIS_PARAMETER_TYPE) {
  HandleRecord* r = recordOfKind(ConfigurationHandle, HandleKind::kConfiguration);
  PNDIS_CONFIGURATION_PARAMETER p = nullptr;
  if (r != nullptr && Keyword != nullptr && Keyword->Buffer != nullptr) {
    std::string key;
    for (USHORT i = 0; i < Keyword->Length / 2; ++i) {
      key += static_cast<char>(Keyword->Buffer[i] & 0x7F);
    }
    p = r->adapter->targetHardware()->readConfiguration(key);
  }
  if (ParameterValue != nullptr) *ParameterValue = p;
  if (Status != nullptr) *Status = p != nullptr ? NDIS_STATUS_SUCCESS : NDIS_STATUS_FAILURE;
}

VOID NdisCloseConfiguration(NDIS_HANDLE) {}

// ---- CSR space ----------------------------------------------------------------------------------

NDIS_STATUS NdisMMapIoSpace(PVOID* VirtualAddress, NDIS_HANDLE MiniportAdapterHandle,
                            NDIS_PHYSICAL_ADDRESS PhysicalAddress, UINT Length) {
  TargetHardware* hw = hardwareOf(MiniportAdapterHandle);
  if (hw == nullptr) return NDIS_STATUS_INVALID_PARAMETER;
  return hw->mapIoSpace(VirtualAddress, static_cast<uint64_t>(PhysicalAddress.QuadPart), Length);
}

VOID NdisMUnmapIoSpace(NDIS_HANDLE MiniportAdapterHandle, PVOID VirtualAddress, UINT) {
  if (TargetHardware* hw = hardwareOf(MiniportAdapterHandle)) hw->unmapIoSpace(VirtualAddress);
}

VOID NdisReadRegisterUlong(PULONG Register, PULONG Data) {
  MappingHeader* m = Register == nullptr ? nullptr : TargetHardware::mappingOf(Register);
  const ULONG value = m == nullptr ? 0xFFFFFFFFu : m->hw->readRegister(*m, Register);
  if (Data != nullptr) *Data = value;
}

VOID NdisWriteRegisterUlong(PULONG Register, ULONG Data) {
  MappingHeader* m = Register == nullptr ? nullptr : TargetHardware::mappingOf(Register);
  if (m != nullptr) m->hw->writeRegister(*m, Register, Data);
}

// ---- Shared memory ------------------------------------------------------------------------------

VOID NdisMAllocateSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN,
                               PVOID* VirtualAddress, PNDIS_PHYSICAL_ADDRESS PhysicalAddress) {
  TargetHardware* hw = hardwareOf(MiniportAdapterHandle);
  if (hw == nullptr) {
    if (VirtualAddress != nullptr) *VirtualAddress = nullptr;
    return;
  }
  hw->allocateShared(Length, VirtualAddress, PhysicalAddress);
}

VOID NdisMFreeSharedMemory(NDIS_HANDLE MiniportAdapterHandle, ULONG Length, BOOLEAN,
                           PVOID VirtualAddress, NDIS_PHYSICAL_ADDRESS PhysicalAddress) {
  if (TargetHardware* hw = hardwareOf(MiniportAdapterHandle)) {
    hw->freeShared(VirtualAddress, static_cast<uint64_t>(PhysicalAddress.QuadPart), Length);
  }
}

// ---- Interrupts ---------------------------------------------------------------------------------

NDIS_STATUS NdisMRegisterInterruptEx(
    NDIS_HANDLE MiniportAdapterHandle, NDIS_HANDLE MiniportInterruptContext,
    PNDIS_MINIPORT_INTERRUPT_CHARACTERISTICS MiniportInterruptCharacteristics,
    PNDIS_HANDLE NdisInterruptHandle) {
  TargetHardware* hw = hardwareOf(MiniportAdapterHandle);
  if (hw == nullptr || MiniportInterruptCharacteristics == nullptr) {
    return NDIS_STATUS_INVALID_PARAMETER;
  }
  return hw->registerInterrupt(MiniportInterruptContext, *MiniportInterruptCharacteristics,
                               NdisInterruptHandle);
}

VOID NdisMDeregisterInterruptEx(NDIS_HANDLE NdisInterruptHandle) {
  if (HandleRecord* r = recordOfKind(NdisInterruptHandle, HandleKind::kInterrupt)) {
    r->adapter->targetHardware()->deregisterInterrupt(NdisInterruptHandle);
  }
}

// ---- Timers -------------------------------------------------------------------------------------

NDIS_STATUS NdisAllocateTimerObject(NDIS_HANDLE NdisHandle,
                                    PNDIS_TIMER_CHARACTERISTICS TimerCharacteristics,
                                    PNDIS_HANDLE pTimerObject) {
  TargetHardware* hw = hardwareOf(NdisHandle);
  if (hw == nullptr || TimerCharacteristics == nullptr) return NDIS_STATUS_INVALID_PARAMETER;
  return hw->allocateTimer(*TimerCharacteristics, pTimerObject);
}

BOOLEAN NdisSetTimerObject(NDIS_HANDLE TimerObject, LARGE_INTEGER, ULONG, PVOID FunctionContext) {
  HandleRecord* r = recordOfKind(TimerObject, HandleKind::kTimer);
  return r == nullptr ? FALSE : r->adapter->targetHardware()->setTimer(r, FunctionContext);
}

BOOLEAN NdisCancelTimerObject(NDIS_HANDLE TimerObject) {
  HandleRecord* r = recordOfKind(TimerObject, HandleKind::kTimer);
  return r == nullptr ? FALSE : r->adapter->targetHardware()->cancelTimer(r);
}

VOID NdisFreeTimerObject(NDIS_HANDLE TimerObject) {
  if (HandleRecord* r = recordOfKind(TimerObject, HandleKind::kTimer)) {
    r->adapter->targetHardware()->freeTimer(r);
  }
}

// ---- NBL pools ----------------------------------------------------------------------------------

NDIS_HANDLE NdisAllocateNetBufferListPool(NDIS_HANDLE NdisHandle,
                                          PNET_BUFFER_LIST_POOL_PARAMETERS Parameters) {
  TargetHardware* hw = hardwareOf(NdisHandle);
  if (hw == nullptr || Parameters == nullptr || !Parameters->fAllocateNetBuffer) return nullptr;
  return hw->allocatePool();
}

VOID NdisFreeNetBufferListPool(NDIS_HANDLE PoolHandle) {
  if (HandleRecord* r = recordOfKind(PoolHandle, HandleKind::kPool)) {
    r->adapter->targetHardware()->freePool(r);
  }
}

PNET_BUFFER_LIST NdisAllocateNetBufferAndNetBufferList(NDIS_HANDLE PoolHandle, USHORT, USHORT,
                                                       PMDL MdlChain, ULONG DataOffset,
                                                       SIZE_T DataLength) {
  HandleRecord* r = recordOfKind(PoolHandle, HandleKind::kPool);
  if (r == nullptr) return nullptr;
  return r->adapter->targetHardware()->allocateNbl(r, MdlChain, DataOffset, DataLength);
}

VOID NdisFreeNetBufferList(PNET_BUFFER_LIST NetBufferList) {
  if (NetBufferList == nullptr) return;
  auto* p = static_cast<PoolNbl*>(NetBufferList->NdisReserved[1]);
  if (p != nullptr && p->magic == kPoolNblMagic && &p->nbl == NetBufferList) p->hw->freeNbl(p);
}

}  // extern "C"
