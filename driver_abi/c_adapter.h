// CAdapter: one adapter of a loaded C IM driver, i.e. one IM layer. To the
// C++ Ndis it is a miniport edge above (MiniportOffloadHandlers) and a
// binding below (ProtocolOffloadHandlers), like the built-in ImDriver; every
// call is translated to the C driver's registered handlers, with the C++
// NBLs, offload blocks and handles turned into their C counterparts and back.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "abi_records.h"
#include "ndis_offload.h"
#include "offload_by_op.h"
#include "stack_observer.h"
#include "target_hardware.h"

namespace chimney::abi {

class CAdapter final : public MiniportRequestsByOp, public ProtocolCompletionsByOp {
 public:
  CAdapter(DriverRuntime& runtime, DriverLibrary& library, unsigned instance);
  CAdapter(const CAdapter&) = delete;
  CAdapter& operator=(const CAdapter&) = delete;

  // Registers with Ndis, binds below (ProtocolBindAdapterEx -> NdisOpenAdapterEx)
  // and initializes the miniport edge (MiniportInitializeEx ->
  // NdisMSetMiniportAttributes). Throws DriverLoadError on failure.
  void start(NdisMiniportHandle below);
  // An offload target instead: registers the miniport (IMs bind above it
  // at once); initializeTarget() later connects the device and runs
  // MiniportInitializeEx (register accesses need the simulation running).
  void startTarget();
  NDIS_STATUS initializeTarget(DeviceInterface& device,
                               std::function<void(std::function<void()>)> dpcScheduler);
  TargetHardware* targetHardware() { return hw_.get(); }

  // MiniportHaltEx (the end of the run): the driver frees what the adapter holds.
  void halt();

  const std::string& name() const { return name_; }
  DriverId driverId() const { return driver_; }
  NdisMiniportHandle miniportHandle() const { return miniport_; }
  NdisBindingHandle lowerBinding() const { return lowerBinding_; }
  HandleRecord* miniportRecord() const { return miniportRecord_; }
  DriverLibrary& library() { return library_; }

  // ---- From the C entry points
  NDIS_STATUS openAdapter(NDIS_HANDLE protocolBindingContext, PNDIS_HANDLE bindingHandle);
  void setAdapterContext(NDIS_HANDLE context) { adapterContext_ = context; }
  void initiateOffloadDown(PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST block, bool terminate);
  void offloadBlockComplete(PNDIS_MINIPORT_OFFLOAD_BLOCK_LIST block, bool terminate);

  // ---- MiniportOffloadHandlers (upper edge)
  void MiniportInitiateOffload(OffloadBlock* block) override;
  void MiniportTerminateOffload(OffloadBlock* block) override;
  // (send, receive, disconnect, forward: tcpRequest)
  NdisStatus MiniportTcpOffloadReceiveReturn(NetBufferList* nbl) override;

  // ---- ProtocolOffloadHandlers (lower edge)
  void ProtocolInitiateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  void ProtocolTerminateOffloadComplete(ProtocolBindingContext ctx, OffloadBlock* block) override;
  // (send, receive, disconnect, forward completions: tcpCompleted)
  NdisStatus ProtocolTcpOffloadReceiveIndicate(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                                               NetBufferList* nbl, NdisStatus status,
                                               uint32_t* bytesConsumed) override;
  void ProtocolTcpOffloadEvent(ProtocolBindingContext ctx, NdisOffloadHandle handle,
                               OffloadEvent event, uint32_t info) override;

 private:
  // A block that came from above (the C driver sees `c`).
  struct UpperBlock {
    NDIS_MINIPORT_OFFLOAD_BLOCK_LIST c{};
    OffloadBlock* cpp = nullptr;
    NdisOffloadHandle upperHandle;
  };
  // A block the C driver passed down.
  struct LowerBlock {
    PNDIS_PROTOCOL_OFFLOAD_BLOCK_LIST c = nullptr;
    std::unique_ptr<OffloadBlock> owned;  // when the driver used its own block
    OffloadBlock* cpp = nullptr;
    NdisOffloadHandle lowerHandle;
  };
  void blockFromAbove(OffloadBlock* block, bool terminate);
  void blockFromBelow(OffloadBlock* block, bool terminate);
  NdisStatus tcpRequest(OffloadOp op, NdisOffloadHandle handle, NetBufferList* nbl,
                        uint32_t flags) override;
  void tcpCompleted(OffloadOp op, NetBufferList* list) override;

  DriverRuntime& runtime_;
  DriverLibrary& library_;
  std::string name_;
  DriverId driver_;
  NdisMiniportHandle miniport_;
  NdisBindingHandle lowerBinding_;
  NdisMiniportHandle below_;
  HandleRecord* miniportRecord_ = nullptr;
  HandleRecord* bindingRecord_ = nullptr;
  NDIS_HANDLE adapterContext_ = nullptr;
  bool halted_ = false;
  NDIS_HANDLE protocolBindingContext_ = nullptr;
  std::unordered_map<const OffloadBlock*, std::unique_ptr<UpperBlock>> upper_;
  std::unordered_map<const void*, OffloadBlock*> upperByC_;
  std::unordered_map<const OffloadBlock*, std::unique_ptr<LowerBlock>> lower_;
  std::unique_ptr<TargetHardware> hw_;  // an offload target's hardware side
};

// Runs a C handler with `adapter` as the active driver.
class ActiveScope {
 public:
  ActiveScope(DriverRuntime& runtime, CAdapter* adapter, const char* operation,
              OffloadOp op = OffloadOp::kSend, bool request = false);
  ~ActiveScope();
  ActiveScope(const ActiveScope&) = delete;
  ActiveScope& operator=(const ActiveScope&) = delete;

 private:
  DriverRuntime& runtime_;
};

}  // namespace chimney::abi
