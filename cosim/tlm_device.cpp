#include "tlm_device.h"

namespace chimney {

TlmDevice::TlmDevice(sc_core::sc_module_name name, Transactor& transactor, DmaMemory& memory)
    : sc_core::sc_module(name), regs("regs"), transactor_(transactor), memory_(memory) {
  // The dispatcher's wait list, built once (a temporary one allocates).
  dispatchWake_ |= transactor_.interruptEvent();
  dispatchWake_ |= autoDispatchOn_;
  SC_HAS_PROCESS(TlmDevice);
  SC_THREAD(dispatch);
}

bool TlmDevice::access(tlm::tlm_command cmd, uint32_t offset, uint32_t& value) {
  const bool fromHandler =
      handlerRunning_ && sc_core::sc_get_current_process_handle() == handlerThread_;
  if (!fromHandler) {
    while (handlerRunning_) wait(handlerDone_);
  }
  ++inFlight_;
  unsigned char bytes[4];
  for (unsigned i = 0; i < 4; ++i) bytes[i] = uint8_t(value >> (8 * i));
  // A payload of the spares (its constructor allocates; an access is made
  // per register read or write). Several threads may be inside an access
  // at once: each has its own.
  const Spares<tlm::tlm_generic_payload>::Lease payload = payloads_.take();
  tlm::tlm_generic_payload& trans = *payload;
  trans.set_command(cmd);
  trans.set_address(offset);
  trans.set_data_ptr(bytes);
  trans.set_data_length(4);
  trans.set_streaming_width(4);
  trans.set_byte_enable_ptr(nullptr);
  trans.set_byte_enable_length(0);
  trans.set_dmi_allowed(false);
  trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
  regs->b_transport(trans, delay);
  if (delay != sc_core::SC_ZERO_TIME) wait(delay);
  value = uint32_t(bytes[0]) | uint32_t(bytes[1]) << 8 | uint32_t(bytes[2]) << 16 |
          uint32_t(bytes[3]) << 24;
  if (--inFlight_ == 0) accessDone_.notify();
  return trans.is_response_ok();
}

RegRead TlmDevice::read32(uint32_t offset) {
  RegRead r;
  r.ok = access(tlm::TLM_READ_COMMAND, offset, r.value);
  if (!r.ok) r.value = 0;
  return r;
}

bool TlmDevice::write32(uint32_t offset, uint32_t value) {
  return access(tlm::TLM_WRITE_COMMAND, offset, value);
}

void TlmDevice::setAutoDispatch(bool on) {
  autoDispatch_ = on;
  if (on && sc_core::sc_is_running()) autoDispatchOn_.notify();
}

unsigned TlmDevice::deliver() {
  handlerRunning_ = true;
  handlerThread_ = sc_core::sc_get_current_process_handle();
  unsigned count = 0;
  while (const std::optional<unsigned> vector = transactor_.popInterrupt()) {
    if (handler_) {
      ++delivered_;
      ++count;
      handler_(*vector);
    } else {
      ++dropped_;
    }
  }
  handlerRunning_ = false;
  handlerDone_.notify();
  return count;
}

unsigned TlmDevice::deliverInterrupts() {
  if (handlerRunning_) return 0;  // from the handler, or the dispatcher is at it
  return deliver();
}

unsigned TlmDevice::waitForInterrupt(const sc_core::sc_time& timeout) {
  if (!transactor_.interruptPending()) wait(timeout, transactor_.interruptEvent());
  return deliverInterrupts();
}

void TlmDevice::dispatch() {
  for (;;) {
    if (!autoDispatch_) {
      wait(autoDispatchOn_);
      continue;
    }
    if (!transactor_.interruptPending()) {
      wait(dispatchWake_);  // an interrupt or auto dispatch switched on
      continue;
    }
    if (inFlight_ != 0) {
      wait(accessDone_);
      continue;
    }
    if (handlerRunning_) {
      wait(handlerDone_);
      continue;
    }
    deliver();
  }
}

}  // namespace chimney
