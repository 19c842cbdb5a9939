#include "axi_dma_port.h"

#include <algorithm>

namespace chimney {
namespace {

constexpr std::size_t kKeptViolations = 16;

AxiResp axiResponse(tlm::tlm_response_status status) {
  switch (status) {
    case tlm::TLM_OK_RESPONSE:
      return AxiResp::kOkay;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
      return AxiResp::kDecErr;
    default:
      return AxiResp::kSlvErr;
  }
}

}  // namespace

AxiDmaPort::AxiDmaPort(const sc_core::sc_time& clockPeriod)
    : periodTicks_(std::max<uint64_t>(1, clockPeriod.value())),
      log_(kKeptViolations),
      slave_(*this, log_, 0) {}

DmaBackend::Result AxiDmaPort::read(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) {
  return transport(tlm::TLM_READ_COMMAND, addr, data, bytes, cycle);
}

DmaBackend::Result AxiDmaPort::write(uint64_t addr, uint8_t* data, unsigned bytes, uint64_t cycle) {
  return transport(tlm::TLM_WRITE_COMMAND, addr, data, bytes, cycle);
}

DmaBackend::Result AxiDmaPort::transport(tlm::tlm_command cmd, uint64_t addr, uint8_t* data,
                                         unsigned bytes, uint64_t cycle) {
  payload_.set_command(cmd);
  payload_.set_address(addr);
  payload_.set_data_ptr(data);
  payload_.set_data_length(bytes);
  payload_.set_streaming_width(bytes);
  payload_.set_byte_enable_ptr(nullptr);
  payload_.set_byte_enable_length(0);
  payload_.set_dmi_allowed(false);
  payload_.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);

  // The call happens at this cycle's time: the loop's local offset.
  const sc_core::sc_time at = sc_core::sc_time::from_value(cycle * periodTicks_);
  const sc_core::sc_time now = sc_core::sc_time_stamp();
  const sc_core::sc_time offset = at > now ? at - now : sc_core::SC_ZERO_TIME;
  sc_core::sc_time delay = offset;
  target_->b_transport(payload_, delay);

  const uint64_t latency = delay > offset ? (delay - offset).value() : 0;
  return {axiResponse(payload_.get_response_status()), (latency + periodTicks_ - 1) / periodTicks_};
}

}  // namespace chimney
