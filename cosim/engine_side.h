// EngineSide: what the bench needs from "the hardware", so one bench and one
// set of scenarios run against either
//   RtlEngine   - the Verilated cpl_engine: Transactor + HostMemory + TlmDevice
//                 (the co-simulation proper, the default), or
//   ModelEngine - the behavioural device model, the PRM's C++ reference
//                 (--device model): the same driver stack, peer and checks,
//                 which tells a scenario or driver problem from an RTL one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "behavioural_device.h"
#include "device_interface.h"
#include "host_memory.h"
#include "stream_peer.h"
#include "tlm_device.h"
#include "transactor.h"

namespace chimney::tb {

class EngineSide {
 public:
  virtual ~EngineSide() = default;
  virtual DeviceInterface& device() = 0;
  virtual void setPeer(StreamPeer* peer) = 0;
  // Nothing moves in the engine or on its ports, no interrupt is waiting.
  virtual bool quiescent() const = 0;
  // Wakes a quiescent engine loop (the peer was given something to do).
  virtual void kick() = 0;
  virtual sc_core::sc_time period() const = 0;
  virtual uint64_t cyclesEvaluated() const = 0;
  // The clock cycle of what happens now (SystemC time, or the cycle the
  // engine is evaluating while it runs ahead of it), and the earliest cycle
  // anything from now on can happen at: records made between two settled
  // points can be put in cycle order (RunRecorder).
  virtual uint64_t nowCycle() const { return sc_core::sc_time_stamp().value() / period().value(); }
  virtual uint64_t settledCycle() const { return nowCycle(); }
  virtual uint64_t interruptsDelivered() const = 0;  // to the driver's handler
  virtual uint64_t interruptMessages() const = 0;    // seen leaving the engine
  virtual uint64_t interruptsDropped() const = 0;    // arrived with no handler
  virtual uint64_t strayDma() = 0;
  // The first of them described (address, cycle, a released allocation it
  // hit); "" when there was none or the side cannot tell.
  virtual std::string firstStrayDma() const { return {}; }
  // Bus rules the engine broke: AXI DMA (PRM 2) and AXI4-Lite responses.
  virtual std::vector<std::string> dmaViolations() const = 0;
  // Makes the next SQ fetch / completion write of queue pair q fail (SLVERR).
  // `ring` names the ring at the time of an access (the RTL side fails the
  // next access to it, wherever the driver has moved it by then).
  using RingWindow = HostMemory::Window;
  virtual void failNextFetch(unsigned q, RingWindow ring) = 0;
  virtual void failNextCompletionWrite(unsigned q, RingWindow ring) = 0;
  // SQ fetches / completion writes failed by the two calls above so far.
  virtual uint64_t injectedFetchErrors() const = 0;
  virtual uint64_t injectedCplWriteErrors() const = 0;
  // Sees every DMA access of the engine (the RTL side only; the model's DMA
  // is not observable from outside).
  virtual void setDmaTap(const HostMemory::AccessTap& /*tap*/) {}
  // Host memory answers every DMA read and write `cycles` cycles after the
  // engine's address (read) or last data beat (write); 1, the default, is
  // the next cycle. The RTL side only: the model has its own time model.
  virtual void setDmaLatency(unsigned /*cycles*/) {}
  // Called when the driver releases host memory that a DMA burst of the
  // engine may still touch (offered on AR/AW, or taken and not finished:
  // what PRM 13's QP_STATUS.BUSY covers), with a readable line naming the
  // window and the burst. The RTL side only: the model's DMA finishes in
  // the cycle it starts, so nothing of it is ever in flight at a release.
  using ReleaseUnderDma = std::function<void(const std::string&)>;
  virtual void onReleaseUnderDma(const ReleaseUnderDma& /*handler*/) {}
  // Closes the waveform file (after the run, before it is read back).
  virtual void closeTrace() {}
};

class RtlEngine final : public EngineSide {
 public:
  RtlEngine(const Transactor::Config& config);
  DeviceInterface& device() override { return device_; }
  void setPeer(StreamPeer* peer) override { transactor_.setPeer(peer); }
  bool quiescent() const override {
    return transactor_.quiescent() && !transactor_.interruptPending();
  }
  void kick() override { transactor_.kick(); }
  sc_core::sc_time period() const override { return transactor_.clockPeriod(); }
  uint64_t cyclesEvaluated() const override { return transactor_.cycle(); }
  uint64_t nowCycle() const override { return transactor_.now(); }
  uint64_t settledCycle() const override { return transactor_.settled(); }
  uint64_t interruptsDelivered() const override { return device_.interruptsDelivered(); }
  uint64_t interruptMessages() const override { return transactor_.stats().interrupts; }
  uint64_t interruptsDropped() const override { return device_.interruptsDropped(); }
  uint64_t strayDma() override { return memory_.strayDmaCount(); }
  std::string firstStrayDma() const override { return memory_.firstStrayDescription(period()); }
  std::vector<std::string> dmaViolations() const override {
    std::vector<std::string> all = transactor_.dmaViolations();
    for (const ViolationLog* log :
         {&transactor_.regViolations(), &transactor_.streamViolations()}) {
      all.insert(all.end(), log->entries().begin(), log->entries().end());
    }
    return all;
  }
  void failNextFetch(unsigned, RingWindow ring) override {
    memory_.failDma(std::move(ring), 1, true, false);
  }
  void failNextCompletionWrite(unsigned, RingWindow ring) override {
    memory_.failDma(std::move(ring), 1, false, true);
  }
  uint64_t injectedFetchErrors() const override { return memory_.stats().injectedReadErrors; }
  uint64_t injectedCplWriteErrors() const override { return memory_.stats().injectedWriteErrors; }
  void setDmaTap(const HostMemory::AccessTap& tap) override { memory_.setAccessTap(tap); }
  void setDmaLatency(unsigned cycles) override;
  void onReleaseUnderDma(const ReleaseUnderDma& handler) override;
  void closeTrace() override { transactor_.closeTrace(); }

 private:
  Transactor transactor_;
  HostMemory memory_;
  TlmDevice device_;
};

// The behavioural device stepped by one SC_THREAD in batches of cycles,
// exchanging work and events with the peer every cycle; register accesses
// take no simulated time (the model's own time model).
class ModelEngine final : public sc_core::sc_module, public EngineSide, public DeviceInterface {
 public:
  SC_HAS_PROCESS(ModelEngine);
  ModelEngine(sc_core::sc_module_name name, uint64_t maxCycles);

  DeviceInterface& device() override { return *this; }
  void setPeer(StreamPeer* peer) override { peer_ = peer; }
  bool quiescent() const override { return sleeping_; }
  void kick() override { wake_.notify(sc_core::SC_ZERO_TIME); }
  sc_core::sc_time period() const override { return period_; }
  uint64_t cyclesEvaluated() const override { return model_.cycle(); }
  // nowCycle(): SystemC time. A batch of steps runs at the batch's SystemC
  // time, and what it writes is visible to the driver side from then on, so
  // its records carry that time (the model's own count skips idle time).
  uint64_t interruptsDelivered() const override { return delivered_; }
  uint64_t interruptMessages() const override { return delivered_ + dropped_; }
  uint64_t interruptsDropped() const override { return dropped_; }
  uint64_t strayDma() override { return model_.sparseMemory().strayDmaCount(); }
  std::vector<std::string> dmaViolations() const override { return {}; }
  void setDmaTap(const HostMemory::AccessTap& tap) override { model_.setDmaTap(tap); }
  void failNextFetch(unsigned q, RingWindow) override { model_.failNextFetch(q); }
  void failNextCompletionWrite(unsigned q, RingWindow) override {
    model_.failNextCompletionWrite(q);
  }
  uint64_t injectedFetchErrors() const override { return model_.injectedFetchErrors(); }
  uint64_t injectedCplWriteErrors() const override { return model_.injectedCplWriteErrors(); }

  // DeviceInterface (the driver's door), forwarding to the model; a write
  // wakes the loop (it may be a doorbell).
  RegRead read32(uint32_t offset) override { return model_.read32(offset); }
  bool write32(uint32_t offset, uint32_t value) override;
  DmaMemory& memory() override { return model_.memory(); }
  void setInterruptHandler(InterruptHandler handler) override { handler_ = std::move(handler); }

 private:
  void loop();

  BehaviouralDevice model_;
  sc_core::sc_time period_;
  uint64_t maxCycles_;
  StreamPeer* peer_ = nullptr;
  InterruptHandler handler_;
  sc_core::sc_event wake_;
  bool sleeping_ = false;
  uint64_t delivered_ = 0;
  uint64_t dropped_ = 0;
};

std::unique_ptr<EngineSide> makeEngine(bool model, const Transactor::Config& config);

}  // namespace chimney::tb
