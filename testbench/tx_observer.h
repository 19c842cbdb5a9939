// TxObserver: the observer the bench installs when a transaction log or a
// timeline is asked for. It passes every observation to the RunObserver
// (scoreboard and report) first, then records it in the RunRecorder with the
// NBLs' run-unique ids and the layer names. It also records what the driver
// does to the device (doorbells, CQ_HEAD, connection commands, interrupts;
// RecordingDevice), what the engine does in host memory (SQ fetches,
// completion descriptors written; recordDma), and the DPC's runs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "device_interface.h"
#include "run_observer.h"
#include "run_recorder.h"

namespace chimney::tb {

class TxObserver final : public PassOnObserver {
 public:
  using Clock = std::function<uint64_t()>;
  // Which ring a DMA address falls in.
  struct RingHit {
    unsigned qp = 0;
    bool sq = true;
    uint32_t index = 0;
  };
  using RingLookup = std::function<std::optional<RingHit>(uint64_t addr)>;

  TxObserver(RunObserver& run, Scoreboard& scoreboard, RunRecorder& recorder, Clock clock);
  void setRingLookup(RingLookup lookup) { rings_ = std::move(lookup); }

  // ---- Device side
  void recordRegisterWrite(uint32_t offset, uint32_t value, bool ok);
  void recordInterrupt(unsigned vector);
  void recordDma(bool isWrite, uint64_t addr, const uint8_t* data, unsigned len, bool ok);
  // The target released memory a DMA burst of the engine may still touch
  // (invariant 17); `what` is the violation's text.
  void recordReleaseUnderDma(const std::string& what);
  void recordDpc(bool begin);
  void recordEventAccepted(const prm::Event& event);

  // ---- StackObserver
  void onDriverRegistered(DriverId d, DriverKind k, const std::string& n) override;
  void onMiniportRegistered(NdisMiniportHandle m, DriverId d) override;
  void onBindingOpened(NdisBindingHandle b, ProtocolBindingContext c, DriverId d,
                       NdisMiniportHandle m) override;
  void onDownCallBegin(const EdgeCall& c) override;
  void onDownCallEnd(const EdgeCall& c, NdisStatus s) override;
  void onUpCallBegin(const EdgeCall& c) override;
  void onRoutingError(const EdgeCall& c, const std::string& w) override;
  void onHostConnectionOpened(ConnectionId c, NdisOffloadHandle h) override;
  void onHostPost(ConnectionId c, OffloadOp op, NetBufferList* list, uint32_t flags) override;
  void onHostCompletion(OffloadOp op, NetBufferList* list) override;
  void onHostIndication(ConnectionId c, NetBufferList* nbl, NdisStatus s, uint32_t n) override;
  void onHostEvent(ConnectionId c, OffloadEvent e) override;
  void onHostReceiveReturn(ConnectionId c, NetBufferList* nbl, NdisStatus s) override;
  void onHostTerminateRequested(ConnectionId c) override;
  void onHostTerminateComplete(ConnectionId c, NdisStatus s) override;
  void onCallEntryAllocated(DriverId d, uint64_t e, NetBufferList* nbl, OffloadOp op) override;
  void onCallEntryFreed(DriverId d, uint64_t e) override;
  void onHardwareConnectionBound(ConnectionId c, uint16_t hw, unsigned qp) override;
  void onHardwareConnectionReleased(uint16_t hw) override;
  void onRequestQueued(NetBufferList* nbl, OffloadOp op, uint64_t tag, unsigned qp,
                       uint32_t sqIndex) override;
  void onDescriptorRead(unsigned qp, uint32_t cqIndex, const prm::Completion& c) override;

 private:
  std::string driver(DriverId d) const;
  std::string miniportOwner(NdisMiniportHandle m) const;
  std::string bindingOwner(NdisBindingHandle b) const;
  std::vector<uint64_t> ids(const NetBufferList* list) const;
  void edge(const char* kind, const EdgeCall& c, const std::string& from, const std::string& to);

  RunObserver& run_;
  Scoreboard& sb_;
  RunRecorder& rec_;
  Clock clock_;
  RingLookup rings_;
  std::map<uint32_t, std::string> drivers_;
  std::map<uint32_t, uint32_t> miniportDriver_, bindingDriver_;
  std::string target_ = "offload-target";
};

// The driver's door to the device, recording register writes and
// interrupts on the way (the target is given this instead of the device).
class RecordingDevice final : public DeviceInterface {
 public:
  RecordingDevice(DeviceInterface& inner, TxObserver& tx) : inner_(inner), tx_(tx) {}
  RegRead read32(uint32_t offset) override { return inner_.read32(offset); }
  bool write32(uint32_t offset, uint32_t value) override {
    const bool ok = inner_.write32(offset, value);
    tx_.recordRegisterWrite(offset, value, ok);
    return ok;
  }
  DmaMemory& memory() override { return inner_.memory(); }
  void setInterruptHandler(InterruptHandler handler) override {
    if (!handler) {
      inner_.setInterruptHandler(nullptr);
      return;
    }
    inner_.setInterruptHandler([this, h = std::move(handler)](unsigned vector) {
      tx_.recordInterrupt(vector);
      h(vector);
    });
  }

 private:
  DeviceInterface& inner_;
  TxObserver& tx_;
};

}  // namespace chimney::tb
