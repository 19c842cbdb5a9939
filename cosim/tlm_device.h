// TlmDevice: chimney::DeviceInterface on top of the transactor, so the
// offload target driver runs unchanged against the RTL.
//   read32/write32 - one b_transport each through `regs` (bind it to
//                    Transactor::regs); must be called from an SC_THREAD.
//   memory()       - the host memory the engine reaches by DMA.
//   interrupts     - a dispatcher SC_THREAD takes the transactor's interrupt
//                    messages and calls the handler.
//
// The handler runs like an interrupt taken between two MMIO accesses: it
// starts only while no register access of any driver thread is in flight,
// and while it runs (and while an interrupt is waiting for it) accesses from
// other threads wait. Its own accesses go straight through. So the handler
// is never called from inside read32/write32, and the driver's register
// accesses never interleave with it.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <systemc>
#include <tlm>

#include "device_interface.h"
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

  uint64_t interruptsDelivered() const { return delivered_; }
  uint64_t interruptsDropped() const { return dropped_; }  // arrived with no handler set

 private:
  bool access(tlm::tlm_command cmd, uint32_t offset, uint32_t& value);
  void dispatch();

  Transactor& transactor_;
  DmaMemory& memory_;
  InterruptHandler handler_;
  sc_core::sc_process_handle dispatcher_;
  unsigned inFlight_ = 0;
  bool handlerRunning_ = false;
  sc_core::sc_event accessDone_;
  sc_core::sc_event handlerDone_;
  uint64_t delivered_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace chimney
