// TlmDevice: chimney::DeviceInterface on top of the transactor, so the
// offload target driver runs unchanged against the RTL.
//   read32/write32 - one b_transport each through `regs` (bind it to
//                    Transactor::regs); must be called from an SC_THREAD.
//   memory()       - the host memory the engine reaches by DMA.
//   interrupts     - delivered to the handler set with setInterruptHandler(),
//                    in one of two ways:
//     automatic (default): a dispatcher SC_THREAD calls the handler as soon as
//       no driver thread is inside read32/write32; while it runs, other
//       threads entering read32/write32 wait (its own accesses go through);
//     by the driver (setAutoDispatch(false)): the driver's own thread calls
//       deliverInterrupts() or waitForInterrupt() at points of its choosing,
//       like BehaviouralDevice::run(): one driver context, no concurrency.
// Either way the handler is never called from inside read32/write32 and
// never while another thread's register access is in progress.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "device_interface.h"
#include "pooled_allocator.h"
#include "transactor.h"

namespace chimney {

class TlmDevice : public sc_core::sc_module, public DeviceInterface {
 public:
  tlm_utils::simple_initiator_socket<TlmDevice> regs;

  TlmDevice(sc_core::sc_module_name name, Transactor& transactor, DmaMemory& memory);

  RegRead read32(uint32_t offset) override;
  bool write32(uint32_t offset, uint32_t value) override;
  DmaMemory& memory() override { return memory_; }
  void setInterruptHandler(InterruptHandler handler) override { handler_ = std::move(handler); }

  // Automatic delivery from the dispatcher thread (default) or not.
  void setAutoDispatch(bool on);
  // Driver-thread delivery: calls the handler for every interrupt waiting;
  // returns how many. Does nothing when called from the handler itself.
  unsigned deliverInterrupts();
  // Waits (SC_THREAD only) until an interrupt is waiting or `timeout`
  // passed, then delivers; returns how many were delivered.
  unsigned waitForInterrupt(const sc_core::sc_time& timeout);
  bool interruptPending() const { return transactor_.interruptPending(); }

  uint64_t interruptsDelivered() const { return delivered_; }
  uint64_t interruptsDropped() const { return dropped_; }  // arrived with no handler set

 private:
  bool access(tlm::tlm_command cmd, uint32_t offset, uint32_t& value);
  void dispatch();
  unsigned deliver();

  Transactor& transactor_;
  DmaMemory& memory_;
  InterruptHandler handler_;
  bool autoDispatch_ = true;
  sc_core::sc_event autoDispatchOn_;
  sc_core::sc_event_or_list dispatchWake_;    // interruptEvent() | autoDispatchOn_
  sc_core::sc_process_handle handlerThread_;  // the thread running the handler
  unsigned inFlight_ = 0;                     // threads inside read32/write32
  bool handlerRunning_ = false;
  sc_core::sc_event accessDone_;
  sc_core::sc_event handlerDone_;
  uint64_t delivered_ = 0;
  uint64_t dropped_ = 0;
  Spares<tlm::tlm_generic_payload> payloads_;  // not in use
};

}  // namespace chimney
