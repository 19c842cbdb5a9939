#include "axi_dma_port.h"

#include <algorithm>
#include <cstdio>

namespace chimney {
namespace {

constexpr std::size_t kKeptViolations = 16;
constexpr uint64_t k4KiB = 4096;

uint8_t axiResponse(tlm::tlm_response_status status) {
  switch (status) {
    case tlm::TLM_OK_RESPONSE:
      return AxiDmaPort::kOkay;
    case tlm::TLM_ADDRESS_ERROR_RESPONSE:
      return AxiDmaPort::kDecErr;
    default:
      return AxiDmaPort::kSlvErr;
  }
}

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

AxiDmaPort::AxiDmaPort(const sc_core::sc_time& clockPeriod)
    : periodTicks_(std::max<uint64_t>(1, clockPeriod.value())) {}

void AxiDmaPort::violation(std::string what) {
  ++stats_.protocolViolations;
  if (violations_.size() < kKeptViolations) violations_.push_back(std::move(what));
}

bool AxiDmaPort::legal(const char* dir, uint64_t addr, unsigned len, unsigned size,
                       unsigned burst) {
  const uint64_t bytes = uint64_t(len + 1) * 8;
  std::string what;
  if (size != 3) {
    what = "size " + std::to_string(size) + " (must be 3)";
  } else if (burst != 1) {
    what = "burst type " + std::to_string(burst) + " (must be INCR)";
  } else if (len + 1 > kMaxBeats) {
    what = std::to_string(len + 1) + " beats (at most 8)";
  } else if ((addr & 7) != 0) {
    what = "address not 8-byte aligned";
  } else if ((addr & (k4KiB - 1)) + bytes > k4KiB) {
    what = "burst crosses a 4 KiB boundary";
  } else {
    return true;
  }
  violation(std::string("DMA ") + dir + " at " + hex(addr) + ": " + what);
  return false;
}

uint8_t AxiDmaPort::transport(tlm::tlm_command cmd, uint64_t addr, unsigned bytes, uint64_t cycle,
                              uint64_t& readyCycle) {
  payload_.set_command(cmd);
  payload_.set_address(addr);
  payload_.set_data_ptr(bytes_.data());
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
  const uint64_t cycles = (latency + periodTicks_ - 1) / periodTicks_;
  readyCycle = cycle + std::max<uint64_t>(1, cycles);
  const uint8_t resp = axiResponse(payload_.get_response_status());
  if (resp != kOkay) ++stats_.errorResponses;
  return resp;
}

void AxiDmaPort::acceptRead(uint8_t id, uint64_t addr, uint8_t len, uint8_t size, uint8_t burst,
                            uint64_t cycle) {
  ReadSlot& r = reads_[(readHead_ + readCount_) & kMask];
  ++readCount_;
  r.id = id;
  r.beats = uint16_t(len + 1);
  r.next = 0;
  r.data.fill(0);
  if (!legal("read", addr, len, size, burst)) {
    r.resp = kSlvErr;
    r.readyCycle = cycle + 1;
    ++stats_.errorResponses;
    return;
  }
  const unsigned bytes = r.beats * 8u;
  r.resp = transport(tlm::TLM_READ_COMMAND, addr, bytes, cycle, r.readyCycle);
  ++stats_.reads;
  if (r.resp != kOkay) return;
  stats_.bytesRead += bytes;
  for (unsigned beat = 0; beat < r.beats; ++beat) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | bytes_[beat * 8 + unsigned(i)];
    r.data[beat] = v;
  }
}

void AxiDmaPort::acceptWriteBeat(uint64_t data, uint8_t strb, bool last) {
  if (!wOpen_) {
    WBurst& fresh = ws_[(wHead_ + wCount_) & kMask];
    ++wCount_;
    fresh.beats = 0;
    fresh.fullStrobes = true;
    fresh.complete = false;
    wOpen_ = true;
  }
  WBurst& w = ws_[(wHead_ + wCount_ - 1) & kMask];
  if (w.beats < kMaxBeats) w.data[w.beats] = data;
  if (w.beats < 0xFFFF) ++w.beats;
  if (strb != 0xFF) w.fullStrobes = false;
  if (last) {
    w.complete = true;
    wOpen_ = false;
  }
}

void AxiDmaPort::performWrites(uint64_t cycle) {
  while (awCount_ != 0 && wCount_ != 0 && ws_[wHead_].complete) {
    const AwEntry aw = aws_[awHead_];
    const WBurst& w = ws_[wHead_];
    awHead_ = (awHead_ + 1) & kMask;
    --awCount_;
    BEntry& b = bs_[(bHead_ + bCount_) & kMask];
    ++bCount_;
    b.id = aw.id;
    bool ok = legal("write", aw.addr, aw.len, aw.size, aw.burst);
    if (ok && w.beats != aw.len + 1u) {
      violation("DMA write at " + hex(aw.addr) + ": WLAST on beat " + std::to_string(w.beats) +
                ", AWLEN says " + std::to_string(aw.len + 1));
      ok = false;
    }
    if (ok && !w.fullStrobes) {
      violation("DMA write at " + hex(aw.addr) + ": write strobes not full");
      ok = false;
    }
    if (ok) {
      const unsigned bytes = w.beats * 8u;
      for (unsigned beat = 0; beat < w.beats; ++beat) {
        for (unsigned i = 0; i < 8; ++i) bytes_[beat * 8 + i] = uint8_t(w.data[beat] >> (8 * i));
      }
      b.resp = transport(tlm::TLM_WRITE_COMMAND, aw.addr, bytes, cycle, b.readyCycle);
      ++stats_.writes;
      if (b.resp == kOkay) stats_.bytesWritten += bytes;
    } else {
      b.resp = kSlvErr;
      b.readyCycle = cycle + 1;
      ++stats_.errorResponses;
    }
    wHead_ = (wHead_ + 1) & kMask;
    --wCount_;
  }
}

}  // namespace chimney
